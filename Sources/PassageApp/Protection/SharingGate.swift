import Fluent
import PassageDomain
import SQLKit
import Vapor

/// The gate every outbound transfer passes: a partner receives only under a live sharing agreement for the purpose
/// and the category of data, a text goes only on the purpose's basis for its person, and whatever went is logged
/// with what, to whom and on which basis.
enum SharingGate {
    static let roles: Set<Role> = [.administrator, .manager]
    static let writers: Set<Role> = [.administrator]

    /// The partner's agreement that covers the purpose and category on the day, if any.
    static func agreement(
        partner: UUID, _ purpose: ProcessingPurpose, _ category: DataCategory, day: PartialDate = Clock.today(),
        on db: any Database
    ) async throws -> SharingAgreement? {
        try await SharingAgreement.query(on: db).filter(\.$partner.$id == partner).all()
            .first { $0.covers(purpose, category, on: day.isoText) }
    }

    /// Refuses (409) a transfer to a partner without a live agreement, naming what is missing.
    static func require(
        partner: Partner, _ purpose: ProcessingPurpose, _ category: DataCategory, on db: any Database
    ) async throws -> SharingAgreement {
        guard let a = try await agreement(partner: partner.id!, purpose, category, on: db) else {
            throw DomainError(
                .conflict,
                "No live sharing agreement with \(partner.name) covers \(purpose.phrase) of \(category.rawValue) data.")
        }
        return a
    }

    /// The purpose and the category of data a message carries: a DNA result is genetic data sent for DNA
    /// verification; other notifications share ordinary data with partners.
    static func terms(of m: OutboxMessage) -> (purpose: ProcessingPurpose, category: DataCategory) {
        switch m.kind {
        case .sms: return (.sms, .ordinary)
        case .webhook:
            return m.eventKey.contains(":\(WebhookEventType.dnaResult.rawValue):")
                ? (.dnaVerification, .genetic) : (.partnerSharing, .ordinary)
        }
    }

    /// What may not go of the claimed messages: webhooks to a partner without an agreement wait (held), texts
    /// without a basis for their person are not sent (refused). Each with its reason.
    struct Screen: Sendable {
        var held: [UUID: String] = [:]
        var refused: [UUID: String] = [:]
    }

    static func screen(_ messages: [OutboxMessage], on db: any Database) async throws -> Screen {
        var out = Screen()
        let subIDs = Set(messages.compactMap(\.subscriptionID))
        let subs =
            subIDs.isEmpty
            ? [] : try await WebhookSubscription.query(on: db).filter(\.$id ~~ subIDs).with(\.$partner).all()
        var agreed: [String: Bool] = [:]
        var bases: [ProcessingPurpose: LegalBasis?] = [:]
        for m in messages {
            let (purpose, category) = terms(of: m)
            if m.kind == .webhook {
                guard let sub = subs.first(where: { $0.id == m.subscriptionID }) else { continue }
                let key = "\(sub.$partner.id):\(purpose.rawValue):\(category.rawValue)"
                if agreed[key] == nil {
                    agreed[key] = try await agreement(partner: sub.$partner.id, purpose, category, on: db) != nil
                }
                if agreed[key] == false {
                    out.held[m.id!] =
                        "held: no live sharing agreement with \(sub.partner.name) covers \(purpose.phrase) of "
                        + "\(category.rawValue) data"
                    continue
                }
            }
            guard let person = m.personID else { continue }
            if bases[purpose] == nil { bases[purpose] = try await ProcessingBasis.basis(of: purpose, on: db) }
            if let reason = try await ProcessingBasis.refusal(purpose, person: person, basis: bases[purpose]!, on: db) {
                out.refused[m.id!] = "not sent: " + reason
            }
        }
        return out
    }

    /// Marks the screened messages: held ones wait for an agreement, refused ones are cancelled.
    static func apply(_ s: Screen, on db: any Database) async throws {
        for (status, reasons) in [(OutboxMessage.Status.held, s.held), (.cancelled, s.refused)] {
            for (id, reason) in reasons {
                try await db.sql.update(OutboxMessage.schema).set("status", to: SQLBind(status.rawValue))
                    .set("last_error", to: SQLBind(reason)).set("claimed_until", to: SQLLiteral.null)
                    .where("id", .equal, SQLBind(id)).run()
            }
        }
    }

    /// Logs what went out: one row per delivered message, with its recipient and basis.
    static func logDelivered(_ messages: [OutboxMessage], at: Date, on db: any Database) async throws {
        guard !messages.isEmpty else { return }
        let subIDs = Set(messages.compactMap(\.subscriptionID))
        let subs =
            subIDs.isEmpty
            ? [] : try await WebhookSubscription.query(on: db).filter(\.$id ~~ subIDs).with(\.$partner).all()
        // The register and each partner's agreement are read once per round, not once per message.
        let bases = Dictionary(
            try await ProcessingEntry.query(on: db).all().map { ($0.purpose, $0.basis) },
            uniquingKeysWith: { a, _ in a })
        var agreements: [String: SharingAgreement?] = [:]
        for m in messages {
            let (purpose, category) = terms(of: m)
            let t = TransferRecord()
            t.at = at; t.channel = m.kind.rawValue; t.personID = m.personID; t.actor = "system"; t.what = m.label
            t.purpose = purpose.rawValue
            t.basis = bases[purpose.rawValue] ?? "none"
            switch m.kind {
            case .sms:
                t.recipient = m.destination
            case .webhook:
                let sub = subs.first { $0.id == m.subscriptionID }
                t.recipient = sub?.partner.name ?? m.destination
                t.partnerID = sub?.$partner.id
                if let pid = sub?.$partner.id {
                    let key = "\(pid):\(purpose.rawValue):\(category.rawValue)"
                    if agreements[key] == nil {
                        agreements[key] = try await agreement(partner: pid, purpose, category, on: db)
                    }
                    if let a = agreements[key] ?? nil {
                        t.agreementID = a.id; t.basis += "; agreement \(a.documentReference)"
                    }
                }
            }
            try await t.create(on: db)
        }
    }

    /// Logs a transfer made at once (an export downloaded, an application sent).
    static func log(
        channel: String, recipient: String, purpose: ProcessingPurpose, basis: String, what: String,
        person: UUID?, partner: UUID? = nil, agreement: UUID? = nil, actor: Actor, on db: any Database
    ) async throws {
        let t = TransferRecord()
        t.at = Clock.now(); t.channel = channel; t.recipient = recipient; t.purpose = purpose.rawValue
        t.basis = basis; t.what = what; t.personID = person; t.partnerID = partner; t.agreementID = agreement
        t.actor = actor.name
        try await t.create(on: db)
    }

    /// Messages held for the partner go out now that an agreement covers them.
    @discardableResult
    static func release(partner: UUID, on db: any Database) async throws -> Int {
        let subs = try await WebhookSubscription.query(on: db).filter(\.$partner.$id == partner).all().compactMap(\.id)
        guard !subs.isEmpty else { return 0 }
        var held: [OutboxMessage] = []
        for m in try await OutboxMessage.query(on: db).filter(\.$subscriptionID ~~ subs).filter(\.$status == .held)
            .all()
        {
            let (purpose, category) = terms(of: m)
            if try await agreement(partner: partner, purpose, category, on: db) != nil { held.append(m) }
        }
        let now = Clock.now()
        for m in held {
            m.status = .pending; m.dueAt = now; m.firstDueAt = now; m.lastError = nil
            try await m.update(on: db)
        }
        return held.count
    }
}
