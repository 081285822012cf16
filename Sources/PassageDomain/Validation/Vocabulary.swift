// The domain's fixed vocabularies print as the words they are stored and sent as.
extension VulnerabilityKind: CustomStringConvertible { public var description: String { rawValue } }
extension TravelDocumentKind: CustomStringConvertible { public var description: String { rawValue } }
extension TravelDocumentStatus: CustomStringConvertible { public var description: String { rawValue } }
extension GrantType: CustomStringConvertible { public var description: String { rawValue } }
extension PaymentKind: CustomStringConvertible { public var description: String { rawValue } }
extension OutreachKind: CustomStringConvertible { public var description: String { rawValue } }
extension LocationKind: CustomStringConvertible { public var description: String { rawValue } }
extension PartnerKind: CustomStringConvertible { public var description: String { rawValue } }
extension IdentityDocumentType: CustomStringConvertible { public var description: String { rawValue } }
extension MovementType: CustomStringConvertible { public var description: String { rawValue } }
extension HandoverKind: CustomStringConvertible { public var description: String { rawValue } }
