import Fluent
import PassageDomain
import Vapor

/// A visa application received at the centre: one per visa-application case.
final class KVApplication: Model, @unchecked Sendable {
    static let schema = "kv_applications"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Parent(key: "person_id") var person: Person
    @Field(key: "number") var number: String
    @Field(key: "receipt_number") var receiptNumber: String
    @Field(key: "visa_type") var visaType: KoreanVisaType
    @Field(key: "status") var status: VisaApplicationStatus
    @Field(key: "received_on") var receivedOn: String
    /// The applicant's date of birth as the passport gives it: what the status page asks for.
    @Field(key: "birth_date") var birthDate: String
    @Field(key: "passport_number") var passportNumber: String
    @Field(key: "passport_expires_on") var passportExpiresOn: String
    @Field(key: "fee_cents") var feeCents: Int
    @Field(key: "service_fee_cents") var serviceFeeCents: Int
    @Field(key: "payment_method") var paymentMethod: VisaPaymentMethod
    @OptionalParent(key: "batch_id") var batch: KVBatch?
    @OptionalField(key: "decision") var decision: VisaDecision?
    @OptionalField(key: "decided_on") var decidedOn: String?
    @OptionalField(key: "returned_on") var returnedOn: String?
    @OptionalField(key: "returned_how") var returnedHow: PassportReturn?
    @OptionalField(key: "collected_by") var collectedBy: String?
    @OptionalField(key: "courier_reference") var courierReference: String?
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Children(for: \.$application) var documents: [KVDocument]
    init() {}

    var auditSnapshot: [String: String] {
        var s = [
            "number": number, "receiptNumber": receiptNumber, "visaType": visaType.rawValue, "status": status.rawValue,
            "receivedOn": receivedOn, "passportNumber": passportNumber, "passportExpiresOn": passportExpiresOn,
            "feeCents": String(feeCents), "serviceFeeCents": String(serviceFeeCents),
            "paymentMethod": paymentMethod.rawValue,
        ]
        s["decision"] = decision?.rawValue
        s["decidedOn"] = decidedOn
        s["returnedOn"] = returnedOn
        s["returnedHow"] = returnedHow?.rawValue
        s["collectedBy"] = collectedBy
        s["courierReference"] = courierReference
        return s
    }
}

/// A document of the application's checklist and what the clerk found when checking it in person.
final class KVDocument: Model, @unchecked Sendable {
    static let schema = "kv_documents"
    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: KVApplication
    @Field(key: "kind") var kind: VisaDocumentKind
    @Field(key: "required") var required: Bool
    @OptionalField(key: "outcome") var outcome: VerificationOutcome?
    @Field(key: "reason") var reason: String
    @OptionalField(key: "checked_by") var checkedBy: String?
    @OptionalField(key: "checked_at") var checkedAt: Date?
    init() {}
}

/// Applications forwarded to the embassy together, with a printed manifest.
final class KVBatch: Model, @unchecked Sendable {
    static let schema = "kv_batches"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Field(key: "forwarded_on") var forwardedOn: String
    @Field(key: "note") var note: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// An appointment at a counter, or a walk-in given the next free one.
final class KVAppointment: Model, @unchecked Sendable {
    static let schema = "kv_appointments"
    @ID(key: .id) var id: UUID?
    @Field(key: "day") var day: String
    @Field(key: "time") var time: String
    @Field(key: "counter") var counter: Int
    @Field(key: "name") var name: String
    @Field(key: "contact") var contact: String
    @Field(key: "visa_type") var visaType: KoreanVisaType
    @Field(key: "walk_in") var walkIn: Bool
    @Field(key: "status") var status: AppointmentStatus
    @OptionalParent(key: "application_id") var application: KVApplication?
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        [
            "day": day, "time": time, "counter": String(counter), "name": name, "contact": contact,
            "visaType": visaType.rawValue, "walkIn": String(walkIn), "status": status.rawValue,
        ]
    }
}

/// One question asked of the public status page: never the date of birth typed, only what it led to.
final class KVStatusLookup: Model, @unchecked Sendable {
    static let schema = "kv_status_lookups"
    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @Field(key: "address") var address: String
    /// The application number as typed (cut to 20 characters).
    @Field(key: "number") var number: String
    /// `found`, `not_found` or `limited`.
    @Field(key: "outcome") var outcome: String
    init() {}
}
