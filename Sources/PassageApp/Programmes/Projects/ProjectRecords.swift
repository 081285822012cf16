import Fluent
import PassageDomain
import Vapor

/// Who may do what with projects: the staff read them (they hold no one's personal data), managers keep them.
enum ProjectAccess {
    static let read: Set<Role> = Role.caseworkers
    static let write: Set<Role> = [.manager]
}

enum ProjectRecords {
    static func project(_ id: UUID, on db: any Database) async throws -> PJProject {
        guard let p = try await PJProject.find(id, on: db) else { throw Abort(.notFound, reason: "No such project.") }
        return p
    }

    static func audit(
        _ db: any Database, _ actor: Actor, _ action: AuditRecord.Action, _ entity: String, _ id: UUID?,
        before: [String: String] = [:], _ after: [String: String]
    ) async throws {
        try await AuditLog.change(db, actor, action, entity, id, person: nil, before: before, after: after)
    }

    static func createProject(_ f: FormFields, by viewer: Identity, on app: Application) async throws -> PJProject {
        var e = ValidationErrors()
        let code = ProjectRules.code(f["code"], into: &e)
        let name = Input.text(f["name"], field: "name", max: 200, required: true, into: &e)
        let donor = Input.text(f["donor"], field: "donor", max: 200, required: true, into: &e)
        let from = Input.day(f["startsOn"], field: "startsOn", required: true, into: &e)
        let to = Input.day(f["endsOn"], field: "endsOn", required: true, into: &e)
        if let from, let to, to < from { e.add("endsOn", "must not be before the first day (\(from.isoText))") }
        let summary = Input.text(f["summary"], field: "summary", max: 4000, into: &e)
        if e.message(for: "code") == nil, try await PJProject.query(on: app.db).filter(\.$code == code).first() != nil {
            e.add("code", "is the code of another project")
        }
        try e.throwIfAny()
        let actor = viewer.actor
        let creator = viewer.name
        return try await app.writeTransaction { db in
            let p = PJProject()
            p.code = code; p.name = name; p.donor = donor; p.startsOn = from!.isoText; p.endsOn = to!.isoText
            p.summary = summary; p.createdBy = creator
            try await p.create(on: db)
            try await audit(
                db, actor, .create, "pj_project", p.id,
                ["code": code, "name": name, "donor": donor, "startsOn": p.startsOn, "endsOn": p.endsOn])
            return p
        }
    }

    /// A budget line, or new figures for a line the project has.
    static func saveBudgetLine(_ pid: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws {
        var e = ValidationErrors()
        let line = Input.text(f["line"], field: "line", max: 200, required: true, into: &e)
        let budget = Money.read(f["budget"], field: "budget", into: &e)
        let spent = Money.read(f["spent"], field: "spent", required: false, into: &e) ?? 0
        try e.throwIfAny()
        _ = try await project(pid, on: app.db)
        let actor = viewer.actor
        try await app.writeTransaction { db in
            let existing = try await PJBudgetLine.query(on: db).filter(\.$project.$id == pid).filter(\.$line == line)
                .first()
            let b = existing ?? PJBudgetLine()
            let before = existing.map { ["budgetCents": String($0.budgetCents), "spentCents": String($0.spentCents)] }
            b.$project.id = pid; b.line = line; b.budgetCents = budget!; b.spentCents = spent
            try await b.save(on: db)
            try await audit(
                db, actor, existing == nil ? .create : .update, "pj_budget_line", b.id, before: before ?? [:],
                ["line": line, "budgetCents": String(budget!), "spentCents": String(spent)])
        }
    }

    /// An event of the project, with its participants counted per group (`count_<group>`).
    static func addEvent(_ pid: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> PJEvent
    {
        var e = ValidationErrors()
        let p = try await project(pid, on: app.db)
        let kind = ProjectEventKind.read(f["kind"], field: "kind", into: &e)
        let title = Input.text(f["title"], field: "title", max: 200, required: true, into: &e)
        let day = Input.day(f["day"], field: "day", required: true, into: &e)
        if let d = day, d < p.period.0 || p.period.1 < d {
            e.add("day", "lies outside the project (\(p.startsOn) to \(p.endsOn))")
        }
        let place = Input.text(f["place"], field: "place", max: 200, required: true, into: &e)
        let stakeholders = Input.text(f["stakeholders"], field: "stakeholders", max: 1000, into: &e)
        var counts: [(ParticipantGroup, Int)] = []
        for g in ParticipantGroup.allCases {
            if let n = ProjectRules.count(
                f["count_\(g.rawValue)"], field: "count_\(g.rawValue)", required: false, into: &e),
                n > 0
            {
                counts.append((g, n))
            }
        }
        try e.throwIfAny()
        let actor = viewer.actor
        let creator = viewer.name
        let groups = counts
        return try await app.writeTransaction { db in
            let ev = PJEvent()
            ev.$project.id = pid; ev.kind = kind!; ev.title = title; ev.day = day!.isoText; ev.place = place
            ev.stakeholders = stakeholders; ev.createdBy = creator
            try await ev.create(on: db)
            for (g, n) in groups {
                let c = PJEventParticipants()
                c.$event.id = ev.id!; c.group = g; c.count = n
                try await c.create(on: db)
            }
            var after = ["kind": kind!.rawValue, "title": title, "day": ev.day, "place": place]
            for (g, n) in groups { after["participants.\(g.rawValue)"] = String(n) }
            try await audit(db, actor, .create, "pj_event", ev.id, after)
            return ev
        }
    }

    static func addIndicator(_ pid: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> PJIndicator
    {
        var e = ValidationErrors()
        let name = Input.text(f["name"], field: "name", max: 300, required: true, into: &e)
        let unit = Input.text(f["unit"], field: "unit", max: 100, required: true, into: &e)
        _ = try await project(pid, on: app.db)
        if !name.isEmpty,
            try await PJIndicator.query(on: app.db).filter(\.$project.$id == pid).filter(\.$name == name).first() != nil
        {
            e.add("name", "is an indicator of this project already")
        }
        try e.throwIfAny()
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            let i = PJIndicator()
            i.$project.id = pid; i.name = name; i.unit = unit
            try await i.create(on: db)
            try await audit(db, actor, .create, "pj_indicator", i.id, ["name": name, "unit": unit])
            return i
        }
    }

    /// An indicator's target and actual for a period; a period recorded already gets the new figures.
    static func saveValue(_ pid: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws {
        var e = ValidationErrors()
        let p = try await project(pid, on: app.db)
        var indicator: PJIndicator?
        if let id = UUID(uuidString: f["indicatorID"] ?? "") {
            indicator = try await PJIndicator.query(on: app.db).filter(\.$id == id).filter(\.$project.$id == pid)
                .first()
        }
        if indicator == nil { e.add("indicatorID", "is not an indicator of this project") }
        let period = ProjectRules.period(f["period"], within: p.period, into: &e)
        let target = ProjectRules.count(f["target"], field: "target", required: true, into: &e)
        let actual = ProjectRules.count(f["actual"], field: "actual", required: false, into: &e)
        let note = Input.text(f["note"], field: "note", max: 1000, into: &e)
        try e.throwIfAny()
        let actor = viewer.actor
        let iid = indicator!.id!
        try await app.writeTransaction { db in
            let existing = try await PJIndicatorValue.query(on: db).filter(\.$indicator.$id == iid)
                .filter(\.$period == period!).first()
            let v = existing ?? PJIndicatorValue()
            let before = existing.map { ["target": String($0.target), "actual": $0.actual.map(String.init) ?? ""] }
            v.$indicator.id = iid; v.period = period!; v.target = target!; v.actual = actual; v.note = note
            try await v.save(on: db)
            try await audit(
                db, actor, existing == nil ? .create : .update, "pj_indicator_value", v.id, before: before ?? [:],
                ["period": period!, "target": String(target!), "actual": actual.map(String.init) ?? ""])
        }
    }
}
