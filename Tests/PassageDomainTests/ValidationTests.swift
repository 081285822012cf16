import Testing
@testable import PassageDomain

@Suite struct PersonValidationTests {
    let today = (year: 2026, month: 11, day: 23)

    @Test func accepts_a_complete_record() throws {
        let d = try PersonValidation.validate(
            PersonForm(
                familyName: " Tekle ", givenNames: "Yonas", familyNameOriginal: "ተኽለ", givenNamesOriginal: "ዮናስ",
                aliases: ["Jonas Tekle"], sex: "m", dateOfBirth: "1994-03", nationality: "er", languages: ["ti", "AR"],
                phone: "+31 6 1234 5678"), today: today)
        #expect(d.familyName == "Tekle")
        #expect(d.sex == .male)
        #expect(d.nationality == "ER")
        #expect(d.languages == ["ti", "ar"])
        #expect(d.phone?.e164 == "+31612345678")
        #expect(d.dateOfBirth?.isoText == "1994-03")
    }

    @Test func reports_every_bad_field_at_once() {
        let form = PersonForm(
            familyName: "", givenNames: nil, sex: "Q", dateOfBirth: "2030-01-01", nationality: "ZZ",
            languages: ["xx1"], phone: "0612")
        do {
            _ = try PersonValidation.validate(form, today: today)
            Issue.record("expected validation errors")
        } catch let e as ValidationErrors {
            let fields = Set(e.items.map(\.field))
            #expect(fields == ["familyName", "givenNames", "sex", "dateOfBirth", "nationality", "languages", "phone"])
            #expect(e.message(for: "dateOfBirth") == "must not be in the future")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func accepts_unknown_nationality_as_xx() throws {
        let d = try PersonValidation.validate(
            PersonForm(familyName: "A", givenNames: "B", nationality: "XX"), today: today)
        #expect(d.nationality == "XX")
    }

    @Test func estimated_flag_carries_into_the_date() throws {
        let d = try PersonValidation.validate(
            PersonForm(
                familyName: "A", givenNames: "B", dateOfBirth: "1990", dateOfBirthEstimated: true, nationality: "SY"),
            today: today)
        #expect(d.dateOfBirth?.estimated == true)
    }

    @Test func document_numbers_are_compared_without_separators() throws {
        let d = try IdentityDocumentValidation.validate(
            IdentityDocumentForm(type: "passport", number: "ab 123-456", issuingCountry: "sy", expiresOn: "2030-01-31"))
        #expect(d.number == "AB123456")
        #expect(d.issuingCountry == "SY")
    }

    @Test func document_needs_type_number_and_country() {
        #expect(throws: ValidationErrors.self) {
            try IdentityDocumentValidation.validate(
                IdentityDocumentForm(type: "visa", number: " ", issuingCountry: "QQ", expiresOn: "2030"))
        }
    }
}

@Suite struct CaseRuleTests {
    @Test func a_closed_case_can_only_be_reopened() {
        #expect(CaseStatus.closed.canMove(to: .open))
        #expect(!CaseStatus.closed.canMove(to: .onHold))
        #expect(CaseStatus.open.canMove(to: .closed))
        #expect(CaseStatus.onHold.canMove(to: .open))
        #expect(!CaseStatus.open.canMove(to: .open))
    }

    @Test func closing_needs_a_reason_and_an_allowed_move() {
        #expect(throws: ValidationErrors.self) { try CaseStatus.open.checkMove(to: .closed, reason: "  ") }
        #expect(throws: DomainError.self) { try CaseStatus.closed.checkMove(to: .onHold, reason: "x") }
        #expect(throws: Never.self) { try CaseStatus.open.checkMove(to: .closed, reason: "Decided to stay") }
        #expect(throws: Never.self) { try CaseStatus.open.checkMove(to: .onHold, reason: "") }
    }

    @Test func a_patch_replaces_only_the_fields_it_gives() {
        let current = PersonForm(familyName: "Tekle", givenNames: "Yonas", nationality: "ER", phone: "+31612345678")
        let merged = current.overlaid(by: PersonForm(givenNames: "Yonatan"))
        #expect(merged.givenNames == "Yonatan")
        #expect(merged.familyName == "Tekle")
        #expect(merged.phone == "+31612345678")
    }

    @Test func a_registration_reports_person_and_document_reasons_together() {
        do {
            _ = try PersonValidation.validate(
                PersonForm(familyName: "", givenNames: "A", nationality: "SY"),
                documents: [IdentityDocumentForm(type: "passport", number: "", issuingCountry: "SY")],
                documentPrefix: { "documents[\($0)]." }, today: (2026, 11, 23))
            Issue.record("expected errors")
        } catch let e as ValidationErrors {
            #expect(e.items.map(\.field) == ["familyName", "documents[0].number"])
        } catch { Issue.record("\(error)") }
    }

    @Test func references_carry_programme_year_and_number() {
        #expect(CaseValidation.reference(programme: .voluntaryReturn, year: 2026, number: 42) == "R-2026-000042")
        #expect(
            CaseValidation.reference(programme: .familyReunification, year: 2025, number: 1_234_567)
                == "FR-2025-1234567")
        #expect(CaseValidation.personReference(number: 7) == "P-000007")
    }

    @Test func a_case_cannot_open_in_the_future() {
        #expect(throws: ValidationErrors.self) {
            try CaseValidation.validate(
                CaseForm(programme: "return", personID: "x", openedOn: "2027-01-01"), today: (2026, 11, 23))
        }
    }

    @Test func relationships_read_from_both_ends() {
        for r in Relationship.allCases { #expect(r.inverse.inverse == r) }
        #expect(Relationship.child.inverse == .parent)
        #expect(Relationship.guardian.inverse == .ward)
    }
}

@Suite struct AccessRuleTests {
    @Test func lock_comes_after_the_configured_failures() {
        let t = LoginThrottle(maxFailures: 3, lockSeconds: 60)
        var failures = 0
        var until: Double?
        for _ in 0..<3 { (failures, until) = t.afterFailure(failures: failures, now: 1000) }
        #expect(until == 1060)
        #expect(t.isLocked(lockedUntil: until, now: 1059))
        #expect(!t.isLocked(lockedUntil: until, now: 1061))
    }

    @Test func partners_are_not_staff() {
        #expect(!Role.staff.contains(.partner))
        #expect(!Role.caseworkers.contains(.administrator))
    }
}

@Suite struct AuditRecordTests {
    @Test func diff_lists_only_changed_fields() {
        let d = AuditRecord.diff(before: ["a": "1", "b": "2"], after: ["a": "1", "b": "3", "c": "4"])
        #expect(d == [.init(field: "b", before: "2", after: "3"), .init(field: "c", before: nil, after: "4")])
    }

    @Test func canonical_text_cannot_be_shifted_between_fields() {
        let a = AuditRecord(
            sequence: 1, at: "t", actor: "ab", actorName: "c", action: .update, entity: "person", entityID: "1",
            personID: nil, changes: [], note: "")
        let b = AuditRecord(
            sequence: 1, at: "t", actor: "a", actorName: "bc", action: .update, entity: "person", entityID: "1",
            personID: nil, changes: [], note: "")
        #expect(a.canonicalText != b.canonicalText)
    }
}

@Suite struct RegistryAndAccountRuleTests {
    @Test func an_embassy_names_its_country() throws {
        #expect(throws: ValidationErrors.self) {
            try RegistryValidation.partner(name: "Embassy", kind: "embassy", country: nil, contactEmail: nil)
        }
        let p = try RegistryValidation.partner(
            name: " Embassy of Iraq ", kind: "embassy", country: "iq", contactEmail: "consul@example.org")
        #expect(p.name == "Embassy of Iraq")
        #expect(p.country == "IQ")
    }

    @Test(arguments: ["not-mail", "a@b", "a b@c.org", "@example.org", "x@.org"])
    func refuses_what_is_not_an_email_address(_ email: String) {
        #expect(throws: ValidationErrors.self) {
            try RegistryValidation.partner(name: "NGO", kind: "ngo", country: nil, contactEmail: email)
        }
    }

    @Test func a_location_needs_kind_city_and_country() {
        do {
            _ = try RegistryValidation.location(name: "AZC", kind: "hotel", city: " ", country: "Netherlands")
            Issue.record("expected errors")
        } catch let e as ValidationErrors {
            #expect(Set(e.items.map(\.field)) == ["kind", "city", "country"])
        } catch { Issue.record("\(error)") }
    }

    @Test func account_rules() {
        var e = ValidationErrors()
        let c = StaffAccountValidation.check(
            username: " Hiwet.T ", displayName: "Hiwet", password: "long enough pw", passwordRequired: true,
            roles: ["counsellor"], errors: &e)
        #expect(e.isEmpty)
        #expect(c.username == "hiwet.t")
        var bad = ValidationErrors()
        _ = StaffAccountValidation.check(
            username: "a b", displayName: "", password: "short", passwordRequired: true,
            roles: ["partner", "manager", "pilot"], errors: &bad)
        #expect(Set(bad.items.map(\.field)) == ["username", "displayName", "password", "roles"])
        #expect(bad.items.filter { $0.field == "roles" }.count == 2)
        var keep = ValidationErrors()
        _ = StaffAccountValidation.check(
            username: "x", displayName: "X", password: "", passwordRequired: false, roles: ["manager"], errors: &keep)
        #expect(keep.isEmpty, "an empty password on edit keeps the old one")
    }
}
