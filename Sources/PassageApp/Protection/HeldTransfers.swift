import Fluent
import PassageDomain
import SQLKit
import Vapor

/// A transfer made by hand (a letter to an embassy, printed and sent) that found no live sharing agreement: it waits,
/// one row per counterparty, channel and terms, shown to administrators beside the messages that wait, until an
/// agreement that covers it is recorded.
final class HeldTransfer: Model, @unchecked Sendable {
    static let schema = "held_transfers"
    @ID(key: .id) var id: UUID?
    /// embassy_letter.
    @Field(key: "channel") var channel: String
    @Parent(key: "partner_id") var partner: Partner
    @Field(key: "purpose") var purpose: String
    @Field(key: "category") var category: String
    /// What would have gone, without anyone's particulars ("travel document requests for 3 persons").
    @Field(key: "what") var what: String
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "released_at") var releasedAt: Date?
    @OptionalField(key: "agreement_id") var agreementID: UUID?
    init() {}

    var auditSnapshot: [String: String] {
        var s = [
            "channel": channel, "partner": $partner.id.uuidString, "purpose": purpose, "category": category,
            "what": what, "requestedBy": requestedBy,
        ]
        s["agreement"] = agreementID?.uuidString
        return s
    }
}

struct CreateHeldTransfers: AsyncMigration {
    var name: String { "0028_CreateHeldTransfers" }

    func prepare(on db: any Database) async throws {
        try await db.schema(HeldTransfer.schema).id().field("channel", .string, .required)
            .field("partner_id", .uuid, .required, .references("partners", "id"))
            .field("purpose", .string, .required).field("category", .string, .required)
            .field("what", .string, .required).field("requested_by", .string, .required)
            .field("requested_at", .datetime, .required).field("released_at", .datetime).field("agreement_id", .uuid)
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(HeldTransfer.schema).delete() }
}

extension SharingGate {
    /// The partner's agreement for a transfer made by hand; without one, the transfer is held (recorded, or the
    /// waiting one brought up to date), audited, and refused (409) with what is missing and who will see it.
    static func agreementOrHold(
        channel: String, partner: Partner, _ purpose: ProcessingPurpose, _ category: DataCategory, what: String,
        actor: Actor, on app: Application
    ) async throws -> SharingAgreement {
        if let a = try await agreement(partner: partner.id!, purpose, category, on: app.db) { return a }
        try await app.writeTransaction { db in
            let waiting = try await HeldTransfer.query(on: db).filter(\.$partner.$id == partner.id!)
                .filter(\.$channel == channel).filter(\.$purpose == purpose.rawValue)
                .filter(\.$category == category.rawValue).filter(\.$releasedAt == nil).first()
            let h = waiting ?? HeldTransfer()
            h.channel = channel; h.$partner.id = partner.id!; h.purpose = purpose.rawValue
            h.category = category.rawValue; h.what = what; h.requestedBy = actor.name; h.requestedAt = Clock.now()
            try await h.save(on: db)
            try await AuditLog.change(
                db, actor, waiting == nil ? .create : .update, "held_transfer", h.id, person: nil,
                after: h.auditSnapshot)
        }
        throw DomainError(
            .conflict,
            "No live sharing agreement with \(partner.name) covers \(purpose.phrase) of \(category.rawValue) data: "
                + "the \(what) wait. An administrator sees them under Data protection, Sharing agreements; once an "
                + "agreement is recorded they can go.")
    }

    /// Transfers by hand held for the partner, marked as free to go under the agreement now recorded.
    static func releaseHeld(_ a: SharingAgreement, on db: any Database) async throws -> Int {
        let today = Clock.today().isoText
        var n = 0
        for h in try await HeldTransfer.query(on: db).filter(\.$partner.$id == a.$partner.id)
            .filter(\.$releasedAt == nil).all()
        {
            guard let p = ProcessingPurpose(rawValue: h.purpose), let c = DataCategory(rawValue: h.category),
                a.covers(p, c, on: today)
            else { continue }
            h.releasedAt = Clock.now(); h.agreementID = a.id
            try await h.update(on: db)
            n += 1
        }
        return n
    }
}
