import Vapor
import Fluent
import PassageDomain

/// The Location and Partner registries.
enum RegistryRecords {
    struct LocationForm: Content, Sendable {
        var name: String?; var kind: String?; var city: String?; var country: String?; var partnerID: String?
    }
    struct PartnerForm: Content, Sendable {
        var name: String?; var kind: String?; var country: String?; var contactEmail: String?
    }

    static func validate(_ f: LocationForm, on db: any Database) async throws -> Location {
        var details: LocationDetails?
        var e = ValidationErrors()
        do {
            details = try RegistryValidation.location(name: f.name, kind: f.kind, city: f.city, country: f.country)
        } catch let v as ValidationErrors { e = v }
        var partner: UUID?
        if let raw = f.partnerID, !raw.isEmpty {
            if let id = UUID(uuidString: raw), try await Partner.find(id, on: db) != nil {
                partner = id
            } else {
                e.add("partnerID", "is not a known partner organisation")
            }
        }
        try e.throwIfAny()
        let d = details!
        return Location(name: d.name, kind: d.kind, city: d.city, country: d.country, partnerID: partner)
    }

    static func validate(_ f: PartnerForm) throws -> Partner {
        let d = try RegistryValidation.partner(
            name: f.name, kind: f.kind, country: f.country, contactEmail: f.contactEmail)
        return Partner(name: d.name, kind: d.kind, country: d.country, contactEmail: d.contactEmail)
    }

    static func snapshot(_ l: Location) -> [String: String] {
        var s = ["name": l.name, "kind": l.kind.rawValue, "city": l.city, "country": l.country]
        s["partner"] = l.$partner.id?.uuidString
        return s
    }

    static func snapshot(_ p: Partner) -> [String: String] {
        var s = ["name": p.name, "kind": p.kind.rawValue]
        s["country"] = p.country
        s["contactEmail"] = p.contactEmail
        s["proposedBy"] = p.proposedBy
        return s
    }

    static func save(location new: Location, replacing id: UUID?, actor: Actor, on app: Application) async throws
        -> Location
    {
        try await app.writeTransaction { db in
            if let clash = try await Location.query(on: db).filter(\.$name == new.name).first(), clash.id != id {
                throw ValidationErrors("name", "another location already has this name")
            }
            var before: [String: String] = [:]
            let target: Location
            if let id {
                guard let existing = try await Location.find(id, on: db) else {
                    throw Abort(.notFound, reason: "No such location.")
                }
                before = snapshot(existing)
                existing.name = new.name; existing.kind = new.kind; existing.city = new.city;
                existing.country = new.country
                existing.$partner.id = new.$partner.id
                target = existing
            } else {
                target = new
            }
            try await target.save(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: id == nil ? .create : .update, entity: "location",
                entityID: target.id!.uuidString, personID: nil,
                changes: AuditRecord.diff(before: before, after: snapshot(target)))
            return target
        }
    }

    static func save(partner new: Partner, replacing id: UUID?, actor: Actor, on app: Application) async throws
        -> Partner
    {
        try await app.writeTransaction { db in
            if let clash = try await Partner.query(on: db).filter(\.$name == new.name).first(), clash.id != id {
                throw ValidationErrors("name", "another partner already has this name")
            }
            var before: [String: String] = [:]
            let target: Partner
            if let id {
                guard let existing = try await Partner.find(id, on: db) else {
                    throw Abort(.notFound, reason: "No such partner.")
                }
                before = snapshot(existing)
                existing.name = new.name; existing.kind = new.kind; existing.country = new.country;
                existing.contactEmail = new.contactEmail
                // An administrator's save confirms a proposed entry.
                existing.proposedBy = nil
                target = existing
            } else {
                target = new
            }
            try await target.save(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: id == nil ? .create : .update, entity: "partner",
                entityID: target.id!.uuidString, personID: nil,
                changes: AuditRecord.diff(before: before, after: snapshot(target)))
            return target
        }
    }

    /// An embassy missing from the registry, proposed by a member of staff: it can be chosen at once and is marked
    /// as proposed until an administrator confirms it.
    static func propose(embassy f: PartnerForm, actor: Actor, on app: Application) async throws -> Partner {
        var form = f
        form.kind = PartnerKind.embassy.rawValue
        // The same rules as the administrator's form (an embassy names the country it represents).
        let p = try validate(form)
        p.proposedBy = actor.name
        return try await save(partner: p, replacing: nil, actor: actor, on: app)
    }

    /// An administrator confirms a proposed entry as it stands.
    static func confirm(partner id: UUID, actor: Actor, on app: Application) async throws -> Partner {
        try await app.writeTransaction { db in
            guard let p = try await Partner.find(id, on: db) else { throw Abort(.notFound, reason: "No such partner.") }
            guard p.proposedBy != nil else { return p }
            let before = snapshot(p)
            p.proposedBy = nil
            try await p.save(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .update, entity: "partner", entityID: id.uuidString, personID: nil,
                changes: AuditRecord.diff(before: before, after: snapshot(p)), note: "proposal confirmed")
            return p
        }
    }
}
