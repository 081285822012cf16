import Testing

@testable import PassageDomain

@Suite struct DeduplicationTests {
    static func person(
        _ given: String, _ family: String, _ dob: PartialDate?, sex: Sex = .male, phone: String? = nil,
        documents: [String] = []
    ) -> IdentityMatch.Record {
        IdentityMatch.Record(
            familyName: family, givenNames: given, sex: sex, dateOfBirth: dob, nationality: "ER",
            documentNumbers: documents, phone: phone)
    }

    /// A registry of strangers around the records under test, so that names weigh as they do in a real one.
    static func strangers(_ n: Int) -> [Deduplication.Entry] {
        let given = ["Yonas", "Semhar", "Daniel", "Helen", "Tesfay", "Selam", "Mehari", "Luwam"]
        let syllables = ["ge", "bre", "tes", "fa", "mi", "ka", "el", "ha", "wol", "de", "zi", "ra"]
        return (0..<n).map { i in
            let family = syllables[i % 12] + syllables[(i / 12) % 12] + syllables[(i / 144) % 12]
            return Deduplication.Entry(
                person(
                    given[i % 8], family.capitalized,
                    PartialDate(year: 1960 + i % 50, month: 1 + i % 12, day: 1 + i % 28)))
        }
    }

    @Test func one_person_registered_three_times_is_one_cluster() {
        let dob = PartialDate(year: 1985, month: 6, day: 4)
        var entries = Self.strangers(2000)
        let first = entries.count
        entries.append(.init(Self.person("Tsegay", "Hailemariam", dob, documents: ["N123"])))
        entries.append(.init(Self.person("Tsegai", "Hailemaryam", PartialDate(year: 1985, month: 4, day: 6))))
        entries.append(
            .init(Self.person("", "Hailemariam", PartialDate(year: 1986, estimated: true), documents: ["N123"])))
        let result = Deduplication.run(entries)
        #expect(result.clusters == [[first, first + 1, first + 2]])
    }

    @Test func a_household_with_twins_is_never_chained_together_and_a_decision_is_kept() {
        let phone = "+31612345678"
        var entries = Self.strangers(2000)
        let base = entries.count
        let twins = PartialDate(year: 2010, month: 3, day: 3)
        // Parents and twin sons of one household: one family name, one phone, the twins one birth date.
        entries.append(
            .init(Self.person("Tesfay", "Gebremichael", PartialDate(year: 1978), phone: phone), household: 1))
        entries.append(
            .init(
                Self.person("Mehret", "Gebremichael", PartialDate(year: 1980), sex: .female, phone: phone), household: 1
            ))
        entries.append(.init(Self.person("Filmon", "Gebremichael", twins, phone: phone), household: 1))
        entries.append(.init(Self.person("Robel", "Gebremichael", twins, phone: phone), household: 1))
        // Filmon registered again elsewhere, not linked to the household.
        entries.append(.init(Self.person("Filimon", "Gebremichael", twins)))
        let result = Deduplication.run(entries)
        // The copy joins Filmon; the twins, the parents and the household stay apart.
        #expect(result.clusters == [[base + 2, base + 4]])

        // Staff said the copy is not Filmon: it joins no one (Robel is not him either).
        let decided = Deduplication.run(entries, distinct: [[base + 2, base + 4]])
        #expect(decided.clusters.isEmpty)

        // Twins with one name (it happens) and a copy without a given name: it fits both, so it is left to staff.
        var same = entries
        same[base + 3] = .init(Self.person("Filmon", "Gebremichael", twins, phone: phone), household: 1)
        same[base + 4] = .init(Self.person("", "Gebremichael", twins))
        #expect(Deduplication.run(same).clusters.isEmpty)
    }

    @Test func typing_errors_are_one_deletion_apart() {
        for (a, b) in [
            ("mohammed", "mohamed"), ("hailemariam", "hailemairam"), ("yonas", "yoonas"), ("tesfay", "tesfai"),
        ] {
            #expect(Deduplication.oneDeletionApart(Array(a), Array(b)), "\(a) \(b)")
        }
        #expect(!Deduplication.oneDeletionApart(Array("yonas"), Array("semhar")))
    }
}
