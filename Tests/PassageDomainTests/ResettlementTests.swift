import Foundation
import Testing

@testable import PassageDomain

@Suite struct ResettlementGuardTests {
    static let day = PartialDate(year: 2026, month: 12, day: 17)!

    static func member(
        _ name: String, born: String?, pdo: Bool = true, document: String? = "2027-01-31",
        fitness: TravelFitness? = .fit, until: String? = "2026-12-31"
    ) -> TravellerReadiness {
        TravellerReadiness(
            name: name, birth: born.flatMap(PartialDate.init(parsing:)), attendedOrientation: pdo,
            documentValidUntil: document.flatMap(PartialDate.init(parsing:)), fitness: fitness,
            fitnessValidUntil: until.flatMap(PartialDate.init(parsing:)))
    }

    @Test func orientation_is_expected_from_fifteen_and_from_those_of_unknown_age() {
        // Fifteen the day after travel: not yet expected.
        let child = Self.member("Sami", born: "2011-12-18", pdo: false)
        let mother = Self.member("Nour", born: "1987-03-09")
        #expect(child.age(on: Self.day) == 14)
        #expect(ResettlementGuard.oriented([mother, child], on: Self.day))
        let fifteen = Self.member("Sami", born: "2011-12-17", pdo: false)
        #expect(!ResettlementGuard.oriented([mother, fifteen], on: Self.day))
        #expect(!ResettlementGuard.oriented([mother, Self.member("Ali", born: nil, pdo: false)], on: Self.day))
        // A year of birth alone counts from its first day.
        #expect(Self.member("Y", born: "2011").age(on: Self.day) == 15)
        // Only children: one of them attended is enough; none is not.
        let kids = [Self.member("A", born: "2015-01-01", pdo: false), Self.member("B", born: "2016-01-01")]
        #expect(ResettlementGuard.oriented(kids, on: Self.day))
        #expect(
            !ResettlementGuard.oriented(
                kids.map {
                    var k = $0; k.attendedOrientation = false; return k
                }, on: Self.day))
    }

    @Test func every_unmet_condition_is_named() {
        let ready = [Self.member("Nour Darwish", born: "1987-03-09")]
        #expect(ResettlementGuard.refusals(accepted: .accepted, members: ready, day: Self.day).isEmpty)
        let pending = ResettlementGuard.refusals(accepted: .deferred, members: ready, day: Self.day)
        #expect(pending == ["the household has not been accepted by the IND (the decision is deferred)"])
        let all = ResettlementGuard.refusals(
            accepted: .accepted,
            members: [
                Self.member("A", born: "1990", pdo: false, document: nil, fitness: nil),
                Self.member("B", born: "1990", document: "2026-12-16", fitness: .unfit),
                Self.member("C", born: "1990", fitness: .fitWithEscort, until: "2026-12-16"),
                Self.member("D", born: "1990", until: nil),
            ], day: Self.day)
        #expect(
            all == [
                "pre-departure orientation has not been attended by A", "A has no visa or laissez-passer",
                "A has no fit-to-travel check", "B's travel document is valid only until 2026-12-16",
                "B was found unfit to travel", "C's fit-to-travel check is valid only until 2026-12-16",
                "D's fit-to-travel check has no validity",
            ])
        // Valid on the day itself is valid.
        let edge = [Self.member("E", born: "1990", document: "2026-12-17", until: "2026-12-17")]
        #expect(ResettlementGuard.refusals(accepted: .accepted, members: edge, day: Self.day).isEmpty)
    }

    @Test func a_unhcr_case_number_is_read_or_refused() {
        var e = ValidationErrors()
        #expect(UNHCRCaseNumber.read(" leb-12c34567 ", field: "n", into: &e) == "LEB-12C34567")
        #expect(e.items.isEmpty)
        for bad in ["", "LEB12C34567", "LE-12C34567", "LEB-12", "LEB-12C3456789012", "LEB-12C 4567"] {
            var e = ValidationErrors()
            _ = UNHCRCaseNumber.read(bad, field: "n", into: &e)
            #expect(e.items.map(\.field) == ["n"], "\(bad)")
        }
    }

    @Test func the_pipeline_runs_in_order_with_rejected_and_deferred_beside_it() {
        #expect(ResettlementStage.pipeline.first == .referred && ResettlementStage.pipeline.last == .arrived)
        #expect(ResettlementStage.ready < .booked && ResettlementStage.booked < .arrived)
        #expect(!HealthCheckKind.healthAssessment.decidesFitness && HealthCheckKind.preEmbarkation.decidesFitness)
    }
}
