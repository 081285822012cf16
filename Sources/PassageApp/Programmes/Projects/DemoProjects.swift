import Fluent
import PassageDomain
import Vapor

/// Projects for the demo: information on return in six cities (456 people reached, as the annual report says) and a
/// labour-mobility project with trainings and a study visit.
enum DemoProjects {
    static func seed(_ app: Application) async throws {
        guard let user = try await User.query(on: app.db).filter(\.$username == "manager").first() else { return }
        let manager = Identity(user: user, viaToken: false)
        let year = Clock.today().year
        let info = try await ProjectRecords.createProject(
            [
                "code": "NL10P0456", "name": "Information on return in six cities",
                "donor": "Ministry of Justice and Security", "startsOn": "\(year)-01-01", "endsOn": "\(year)-12-31",
                "summary": "Outreach days with migrant communities and the organisations that support them.",
            ], by: manager, on: app)
        for (line, budget, spent) in [
            ("Staff", "48000.00", "41250.00"), ("Venues and interpretation", "9500.00", "8120.50"),
            ("Printed and online material", "6000.00", "5875.00"),
        ] {
            try await ProjectRecords.saveBudgetLine(
                info.id!, ["line": line, "budget": budget, "spent": spent], by: manager, on: app)
        }
        let cities: [(String, Int, Int, Int)] = [
            ("Amsterdam", 64, 21, 9), ("Rotterdam", 71, 18, 6), ("The Hague", 58, 15, 11), ("Utrecht", 49, 12, 5),
            ("Eindhoven", 37, 14, 4), ("Groningen", 42, 12, 8),
        ]
        for (i, c) in cities.enumerated() {
            let day = PartialDate(year: year, month: 2 + i * 2 > 11 ? 11 : 2 + i * 2, day: 12)!
            guard day <= Clock.today() else { continue }
            _ = try await ProjectRecords.addEvent(
                info.id!,
                [
                    "kind": "outreach_day", "title": "Information day on return and reintegration", "day": day.isoText,
                    "place": c.0, "stakeholders": "municipality, migrant organisations",
                    "count_migrants": String(c.1), "count_community_members": String(c.2),
                    "count_professionals": String(c.3),
                ], by: manager, on: app)
        }
        let reached = try await ProjectRecords.addIndicator(
            info.id!, ["name": "People reached with information on return", "unit": "people"], by: manager, on: app)
        let quarters = try await ProjectFile.load(info.id!, on: app.db).events
        for q in 1...4 {
            let actual = quarters.filter { ((Int($0.day.dropFirst(5).prefix(2)) ?? 1) - 1) / 3 + 1 == q }
                .reduce(0) { $0 + $1.total }
            var f = ["indicatorID": reached.id!.uuidString, "period": "\(year)-Q\(q)", "target": "110"]
            if PartialDate(year: year, month: 3 * q - 2, day: 1)! <= Clock.today() { f["actual"] = String(actual) }
            try await ProjectRecords.saveValue(info.id!, f, by: manager, on: app)
        }
        let mobility = try await ProjectRecords.createProject(
            [
                "code": "AMIF-LM-2025", "name": "Labour mobility and skills partnership",
                "donor": "European Commission (AMIF)", "startsOn": "\(year - 1)-03-01", "endsOn": "\(year + 1)-02-28",
            ], by: manager, on: app)
        try await ProjectRecords.saveBudgetLine(
            mobility.id!, ["line": "Trainings", "budget": "120000.00", "spent": "64300.00"], by: manager, on: app)
        _ = try await ProjectRecords.addEvent(
            mobility.id!,
            [
                "kind": "study_visit", "title": "Study visit of employers and vocational schools",
                "day": "\(year - 1)-10-14", "place": "Eindhoven", "stakeholders": "employers, vocational schools",
                "count_officials": "6", "count_professionals": "14",
            ], by: manager, on: app)
        _ = try await ProjectRecords.addEvent(
            mobility.id!,
            [
                "kind": "training", "title": "Training of trainers on recruitment", "day": "\(year)-03-18",
                "place": "The Hague", "count_professionals": "22", "count_students": "5",
            ], by: manager, on: app)
        let trained = try await ProjectRecords.addIndicator(
            mobility.id!, ["name": "Professionals trained", "unit": "people"], by: manager, on: app)
        try await ProjectRecords.saveValue(
            mobility.id!,
            ["indicatorID": trained.id!.uuidString, "period": "\(year - 1)", "target": "20", "actual": "14"],
            by: manager, on: app)
        try await ProjectRecords.saveValue(
            mobility.id!, ["indicatorID": trained.id!.uuidString, "period": "\(year)", "target": "40", "actual": "27"],
            by: manager, on: app)
    }
}
