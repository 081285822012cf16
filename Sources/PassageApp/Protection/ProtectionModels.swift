import Fluent
import PassageDomain
import SQLKit
import Vapor

/// One purpose of the register of processing: its legal basis and what the record of processing says of it.
final class ProcessingEntry: Model, @unchecked Sendable {
    static let schema = "processing_register"
    @ID(key: .id) var id: UUID?
    @Field(key: "purpose") var purpose: String
    @Field(key: "basis") var basis: String
    @Field(key: "description") var description: String
    /// Data categories, comma-separated (`ordinary,medical`).
    @Field(key: "categories") var categories: String
    @Field(key: "recipients") var recipients: String
    @Field(key: "retention") var retention: String
    @Field(key: "safeguards") var safeguards: String
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var auditSnapshot: [String: String] {
        [
            "purpose": purpose, "basis": basis, "description": description, "categories": categories,
            "recipients": recipients, "retention": retention, "safeguards": safeguards,
        ]
    }
}

/// A person's consent to one purpose: when it was given, what it covers, until when, and its withdrawal.
final class ConsentRecord: Model, @unchecked Sendable {
    static let schema = "consents"
    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "purpose") var purpose: String
    @Field(key: "given_on") var givenOn: String
    @Field(key: "scope") var scope: String
    @OptionalField(key: "expires_on") var expiresOn: String?
    @Field(key: "recorded_by") var recordedBy: String
    @OptionalField(key: "withdrawn_on") var withdrawnOn: String?
    @OptionalField(key: "withdrawn_by") var withdrawnBy: String?
    @OptionalField(key: "withdrawal_note") var withdrawalNote: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var facts: ConsentFacts { ConsentFacts(givenOn: givenOn, expiresOn: expiresOn, withdrawnOn: withdrawnOn) }

    var auditSnapshot: [String: String] {
        var s = ["purpose": purpose, "givenOn": givenOn, "scope": scope]
        s["expiresOn"] = expiresOn
        s["withdrawnOn"] = withdrawnOn
        s["withdrawalNote"] = withdrawalNote
        return s
    }
}

/// What a counterparty may receive: for which purposes, which categories of data, over which days, signed as which
/// document.
final class SharingAgreement: Model, @unchecked Sendable {
    static let schema = "sharing_agreements"
    @ID(key: .id) var id: UUID?
    @Parent(key: "partner_id") var partner: Partner
    /// Purposes and categories, comma-separated.
    @Field(key: "purposes") var purposes: String
    @Field(key: "categories") var categories: String
    @Field(key: "starts_on") var startsOn: String
    @OptionalField(key: "ends_on") var endsOn: String?
    @Field(key: "document_reference") var documentReference: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var purposeList: [String] { purposes.split(separator: ",").map(String.init) }
    var categoryList: [String] { categories.split(separator: ",").map(String.init) }

    func covers(_ purpose: ProcessingPurpose, _ category: DataCategory, on day: String) -> Bool {
        purposeList.contains(purpose.rawValue) && categoryList.contains(category.rawValue) && startsOn <= day
            && (endsOn.map { day <= $0 } ?? true)
    }

    var auditSnapshot: [String: String] {
        var s = [
            "partner": $partner.id.uuidString, "purposes": purposes, "categories": categories, "startsOn": startsOn,
            "documentReference": documentReference,
        ]
        s["endsOn"] = endsOn
        return s
    }
}

/// One outbound transfer as it went: what, to whom, on which basis (the agreement, or the purpose's basis).
final class TransferRecord: Model, @unchecked Sendable {
    static let schema = "transfers"
    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    /// webhook, sms, eu_export, export.
    @Field(key: "channel") var channel: String
    @Field(key: "recipient") var recipient: String
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @OptionalField(key: "agreement_id") var agreementID: UUID?
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "purpose") var purpose: String
    @Field(key: "basis") var basis: String
    @Field(key: "what") var what: String
    @Field(key: "actor") var actor: String
    init() {}
}

/// A request of a person about their data: to see everything held (access) or to correct it (rectification),
/// with the day it came in, the day it must be answered by (a month later) and how it ended.
final class SubjectRequest: Model, @unchecked Sendable {
    static let schema = "subject_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    /// access, rectification.
    @Field(key: "kind") var kind: String
    @Field(key: "received_on") var receivedOn: String
    @Field(key: "due_on") var dueOn: String
    /// How it came in (at the desk, by letter, by e-mail through a lawyer).
    @Field(key: "channel") var channel: String
    @Field(key: "details") var details: String
    /// open, completed, refused.
    @Field(key: "status") var status: String
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "closed_on") var closedOn: String?
    @OptionalField(key: "closed_by") var closedBy: String?
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        var s = [
            "kind": kind, "receivedOn": receivedOn, "dueOn": dueOn, "channel": channel, "details": details,
            "status": status,
        ]
        s["outcome"] = outcome
        s["closedOn"] = closedOn
        return s
    }
}

/// The register of processing, consents, sharing agreements and the log of transfers; the purposes start with the
/// office's usual bases (an administrator changes them on the register's page). Consents to the EU programme that
/// return cases held move to the consents.
struct CreateDataProtection: AsyncMigration {
    var name: String { "0025_CreateDataProtection" }

    func prepare(on db: any Database) async throws {
        try await db.schema(ProcessingEntry.schema).id()
            .field("purpose", .string, .required).field("basis", .string, .required)
            .field("description", .string, .required).field("categories", .string, .required)
            .field("recipients", .string, .required).field("retention", .string, .required)
            .field("safeguards", .string, .required).field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "purpose").create()
        try await db.schema(ConsentRecord.schema).id()
            .field("person_id", .uuid, .required, .references("persons", "id"))
            .field("purpose", .string, .required).field("given_on", .string, .required)
            .field("scope", .string, .required).field("expires_on", .string)
            .field("recorded_by", .string, .required).field("withdrawn_on", .string)
            .field("withdrawn_by", .string).field("withdrawal_note", .string)
            .field("created_at", .datetime).create()
        try await db.sql.create(index: "consents_person").on(ConsentRecord.schema).column("person_id").run()
        try await db.schema(SharingAgreement.schema).id()
            .field("partner_id", .uuid, .required, .references("partners", "id"))
            .field("purposes", .string, .required).field("categories", .string, .required)
            .field("starts_on", .string, .required).field("ends_on", .string)
            .field("document_reference", .string, .required).field("recorded_by", .string, .required)
            .field("created_at", .datetime).create()
        try await db.schema(TransferRecord.schema).id()
            .field("at", .datetime, .required).field("channel", .string, .required)
            .field("recipient", .string, .required).field("partner_id", .uuid).field("agreement_id", .uuid)
            .field("person_id", .uuid).field("purpose", .string, .required).field("basis", .string, .required)
            .field("what", .string, .required).field("actor", .string, .required).create()
        try await db.sql.create(index: "transfers_at").on(TransferRecord.schema).column("at").run()
        try await db.schema(SubjectRequest.schema).id()
            .field("person_id", .uuid, .required, .references("persons", "id"))
            .field("kind", .string, .required).field("received_on", .string, .required)
            .field("due_on", .string, .required).field("channel", .string, .required)
            .field("details", .string, .required).field("status", .string, .required)
            .field("outcome", .string).field("closed_on", .string).field("closed_by", .string)
            .field("recorded_by", .string, .required).field("created_at", .datetime).create()
        try await db.schema(RetentionRule.schema).id()
            .field("record_type", .string, .required).field("years", .int, .required)
            .field("description", .string, .required).field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required).unique(on: "record_type").create()
        try await db.schema(LegalHold.schema).id()
            .field("person_id", .uuid, .required, .references("persons", "id"))
            .field("reason", .string, .required).field("placed_by", .string, .required)
            .field("placed_on", .string, .required).field("lifted_on", .string).field("lifted_by", .string).create()
        try await db.schema(Anonymisation.schema).id()
            .field("person_id", .uuid, .required, .references("persons", "id"))
            .field("anonymised_on", .string, .required).field("rule", .string, .required)
            .field("actor", .string, .required).unique(on: "person_id").create()
        try await db.sql.create(index: "subject_requests_person").on(SubjectRequest.schema).column("person_id").run()
        try await db.sql.create(index: "legal_holds_person").on(LegalHold.schema).column("person_id").run()
        // The retention job finds a person's messages by person.
        if try await db.tableExists("outbox_messages") {
            try await db.sql.create(index: "outbox_person").on("outbox_messages").column("person_id").run()
        }
        let rule = RetentionRule()
        rule.recordType = "closed_case"; rule.years = 5; rule.updatedBy = "system"; rule.updatedAt = Clock.now()
        rule.description = "A person's records, 5 years after the last of their cases closed"
        try await rule.create(on: db)
        let now = Clock.now()
        for d in ProcessingRegister.defaults {
            let e = ProcessingEntry()
            e.purpose = d.purpose.rawValue; e.basis = d.basis.rawValue; e.description = d.description
            e.categories = d.categories.map(\.rawValue).joined(separator: ","); e.recipients = d.recipients
            e.retention = d.retention; e.safeguards = d.safeguards; e.updatedBy = "system"; e.updatedAt = now
            try await e.create(on: db)
        }
        // The consents return cases held become consents of their persons, scoped to the case.
        guard try await db.tableExists("return_cases") else { return }
        let rows = try await db.sql.raw(
            """
            SELECT c.person_id, c.reference, r.eu_consent_on FROM return_cases r JOIN cases c ON c.id = r.case_id \
            WHERE r.eu_consent_on IS NOT NULL
            """
        ).all()
        for row in rows {
            let c = ConsentRecord()
            c.personID = try row.decode(column: "person_id", as: UUID.self)
            c.purpose = ProcessingPurpose.euReintegrationExport.rawValue
            c.givenOn = try row.decode(column: "eu_consent_on", as: String.self)
            c.scope = "Return case " + (try row.decode(column: "reference", as: String.self))
            c.recordedBy = "system"
            try await c.create(on: db)
        }
    }

    func revert(on db: any Database) async throws {
        for s in [
            Anonymisation.schema, LegalHold.schema, RetentionRule.schema, SubjectRequest.schema, TransferRecord.schema,
            SharingAgreement.schema, ConsentRecord.schema,
            ProcessingEntry.schema,
        ] {
            try await db.schema(s).delete()
        }
    }
}

extension Database {
    /// Whether the table exists (a module's table, where that module may not run here).
    func tableExists(_ name: String) async throws -> Bool {
        let query: SQLQueryString =
            isPostgres
            ? """
            SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() \
            AND table_name = \(bind: name)
            """
            : "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = \(bind: name)"
        return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0 > 0
    }
}
