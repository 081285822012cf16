import Fluent
import PassageDomain
import Vapor

extension ResettlementRecords {
    // MARK: missions

    static func createMission(_ f: FormFields, by viewer: Identity, on app: Application) async throws -> RSMission {
        var e = ValidationErrors()
        let country = Input.country(f["country"], field: "country", into: &e)
        let (starts, ends) = period(f, into: &e)
        let team = Input.text(f["team"], field: "team", max: 500, required: true, into: &e)
        let note = Input.text(f["note"], field: "note", max: 2000, into: &e)
        try e.throwIfAny()
        return try await app.writeTransaction { db in
            let m = RSMission()
            m.country = country; m.startsOn = starts!.isoText; m.endsOn = ends!.isoText; m.team = team; m.note = note
            m.createdBy = viewer.name
            try await m.create(on: db)
            try await AuditLog.change(
                db, viewer.actor, .create, "rs_mission", m.id, person: nil,
                after: ["country": country, "startsOn": m.startsOn, "endsOn": m.endsOn, "team": team])
            return m
        }
    }

    /// `startsOn` and `endsOn`, in order.
    static func period(_ f: FormFields, into e: inout ValidationErrors) -> (PartialDate?, PartialDate?) {
        let starts = Input.day(f["startsOn"], field: "startsOn", required: true, into: &e)
        let ends = Input.day(f["endsOn"], field: "endsOn", required: true, into: &e)
        if let s = starts, let t = ends {
            if t < s { e.add("endsOn", "must not be before the first day") }
            if ReportPeriod(from: s, to: t).days > 62 {
                e.add("endsOn", "a mission or session lasts two months at most")
            }
        }
        return (starts, ends)
    }

    /// A household interviewed on the mission, with the outcome when the immigration service has decided.
    static func interview(_ missionID: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> RSMissionHousehold
    {
        try await app.writeTransaction { db in
            guard let m = try await RSMission.find(missionID, on: db) else {
                throw Abort(.notFound, reason: "No such mission.")
            }
            var e = ValidationErrors()
            let r = try await referralNamed(f, into: &e, on: db)
            let outcome = SelectionOutcome.read(f["outcome"], field: "outcome", default: .pending, into: &e)
            let day = Input.day(f["decidedOn"], field: "decidedOn", required: outcome != .pending, into: &e)
            if let d = day, Clock.today() < d { e.add("decidedOn", "must not be in the future") }
            if let d = day, d < PartialDate(parsing: m.startsOn)! {
                e.add("decidedOn", "must not be before the mission began (\(m.startsOn))")
            }
            let note = Input.text(f["note"], field: "note", max: 1000, into: &e)
            if let r, r.countryOfAsylum != m.country {
                e.add("referralID", "the household lives in \(r.countryOfAsylum), the mission is in \(m.country)")
            }
            try e.throwIfAny()
            let row =
                try await RSMissionHousehold.query(on: db).filter(\.$mission.$id == missionID)
                .filter(\.$referral.$id == r!.id!).first() ?? RSMissionHousehold()
            row.$mission.id = missionID; row.$referral.id = r!.id!; row.outcome = outcome!
            row.decidedOn = day?.isoText; row.note = note
            try await row.save(on: db)
            try await timeline(
                r!.$caseRecord.id, viewer.actor, "Interviewed on the selection mission to \(m.country) (\(m.startsOn))",
                on: db)
            if outcome != .pending || r!.decision == .pending {
                try await decide(r!, outcome: outcome!, on: day, note: note, actor: viewer.actor, on: db)
            }
            return row
        }
    }

    /// The household a form names, by `referralID` or by `unhcrCaseNumber`.
    static func referralNamed(_ f: FormFields, into e: inout ValidationErrors, on db: any Database) async throws
        -> RSReferral?
    {
        if let raw = f["referralID"], !raw.isEmpty {
            if let id = UUID(uuidString: raw), let r = try await RSReferral.find(id, on: db) { return r }
            e.add("referralID", "is not a referred household")
            return nil
        }
        let number = (f["unhcrCaseNumber"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        if !number.isEmpty, let r = try await RSReferral.query(on: db).filter(\.$unhcrCaseNumber == number).first() {
            return r
        }
        e.add(number.isEmpty ? "referralID" : "unhcrCaseNumber", "name a referred household (or its UNHCR case number)")
        return nil
    }

    // MARK: orientation

    static func createSession(_ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> RSOrientationSession
    {
        var e = ValidationErrors()
        let country = Input.country(f["country"], field: "country", into: &e)
        let place = Input.text(f["place"], field: "place", max: 200, required: true, into: &e)
        let (starts, ends) = period(f, into: &e)
        let language = (f["language"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if LanguageCode.normalise(language) == nil { e.add("language", "must be a language code like ar") }
        let facilitator = Input.text(f["facilitator"], field: "facilitator", max: 200, required: true, into: &e)
        try e.throwIfAny()
        return try await app.writeTransaction { db in
            let s = RSOrientationSession()
            s.country = country; s.place = place; s.startsOn = starts!.isoText; s.endsOn = ends!.isoText
            s.language = language; s.facilitator = facilitator; s.createdBy = viewer.name
            try await s.create(on: db)
            try await AuditLog.change(
                db, viewer.actor, .create, "rs_pdo_session", s.id, person: nil,
                after: ["country": country, "place": place, "startsOn": s.startsOn, "language": language])
            return s
        }
    }

    /// Who attended a session (`personIDs`, comma-separated): members of accepted households only. Recording a
    /// person twice changes nothing.
    static func recordAttendance(_ sessionID: UUID, _ f: FormFields, by viewer: Identity, on app: Application)
        async throws -> Int
    {
        try await app.writeTransaction { db in
            guard let s = try await RSOrientationSession.find(sessionID, on: db) else {
                throw Abort(.notFound, reason: "No such session.")
            }
            if Clock.today() < PartialDate(parsing: s.startsOn)! {
                throw DomainError(.conflict, "The session begins on \(s.startsOn): attendance is recorded once it has.")
            }
            let raw = (f["personIDs"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            var e = ValidationErrors()
            if raw.isEmpty { e.add("personIDs", "name at least one person who attended") }
            if raw.count > 500 { e.add("personIDs", "at most 500 persons at once") }
            var members: [(UUID, RSMember)] = []
            for r in raw.prefix(500) {
                guard let pid = UUID(uuidString: r),
                    let m = try await RSMember.query(on: db).filter(\.$person.$id == pid).with(\.$referral).all()
                        .first(where: { $0.referral.decision == .accepted })
                else {
                    e.add("personIDs", "'\(r)' is not a member of an accepted household")
                    continue
                }
                members.append((pid, m))
            }
            try e.throwIfAny()
            var added = 0
            for (pid, m) in members {
                guard
                    try await RSAttendance.query(on: db).filter(\.$session.$id == sessionID)
                        .filter(\.$person.$id == pid).first() == nil
                else { continue }
                let a = RSAttendance()
                a.$session.id = sessionID; a.$person.id = pid; a.recordedBy = viewer.name
                try await a.create(on: db)
                try await AuditLog.change(
                    db, viewer.actor, .create, "rs_pdo_attendance", a.id, person: pid,
                    after: ["session": "\(s.place) \(s.startsOn)"])
                try await timeline(
                    m.referral.$caseRecord.id, viewer.actor, "Attended pre-departure orientation in \(s.place)",
                    on: db)
                try await refreshStage(m.referral, on: db)
                added += 1
            }
            return added
        }
    }
}
