import Testing
@testable import PassageDomain

private func day(_ s: String) -> PartialDate { PartialDate(parsing: s)! }

@Suite struct EligibilityTests {
    let rules = EligibilityRuleSet.initial

    @Test(arguments: EligibilityRuleSet.readmitted2023)
    func the_2023_readmission_takes_effect_on_1_july(_ country: String) {
        let before = rules.decide(nationality: country, on: day("2023-06-30"))
        #expect(before.outcome == .travelOnly)
        #expect(before.grantTypes.isEmpty)
        let after = rules.decide(nationality: country, on: day("2023-07-01"))
        #expect(after.outcome == .reintegration)
        #expect(after.grantTypes == [.economic, .medical])
        #expect(after.explanation.contains("2023-07-01"))
        #expect(after.explanation.contains("version 1"))
        #expect(after.ruleSetVersion == 1)
    }

    @Test func other_nationalities_fall_under_the_general_rule_on_both_sides_of_the_date() {
        for d in ["2023-06-30", "2023-07-01"] {
            let x = rules.decide(nationality: "ER", on: day(d))
            #expect(x.outcome == .reintegration)
            #expect(x.explanation.contains("the rule for all nationalities"))
        }
    }

    @Test func a_rule_change_flags_but_never_rewrites_a_past_decision() throws {
        let taken = rules.decide(nationality: "GE", on: day("2026-03-01"))
        #expect(taken.outcome == .reintegration)
        // Georgia goes on the exclusion list from 1 February 2026 in version 2.
        var caps: [GrantType: String] = [:]
        for t in GrantType.allCases { caps[t] = Money.format(rules.caps[t]!).dropFirst().description }
        let v2 = try EligibilityRuleSet.parse(
            version: 2, text: rules.text + "\nGE; 2026-02-01; ; travel_only; ; Safe country", caps: caps)
        let now = v2.decide(nationality: "GE", on: taken.decidedFor)
        #expect(now.outcome == .travelOnly)
        #expect(now.ruleSetVersion == 2)
        #expect(taken.differs(from: now))
        // The decision taken earlier is still the one taken: version 1, reintegration.
        #expect(taken.ruleSetVersion == 1 && taken.outcome == .reintegration)
        #expect(v2.caps == rules.caps)
    }

    @Test func edited_rules_are_refused_line_by_line() {
        let caps: [GrantType: String] = [.economic: "1800", .medical: "2500"]
        func errors(_ text: String, caps: [GrantType: String] = caps) -> [String] {
            do { _ = try EligibilityRuleSet.parse(version: 2, text: text, caps: caps); return [] } catch let e
                as ValidationErrors
            { return e.items.map { "\($0.field): \($0.message)" } } catch { return ["\(error)"] }
        }
        #expect(
            errors("QQ; ; ; excluded; ; x").first?.contains("line 1: 'QQ' is not an ISO 3166-1 country code") == true)
        #expect(errors("*; ; ; reintegration; economic\nMA; 2023-13-01; ; excluded").first?.contains("line 2") == true)
        #expect(errors("MA; 2024-01-01; 2023-01-01; excluded").first?.contains("'until' is before 'from'") == true)
        #expect(errors("MA; ; ; maybe").first?.contains("the outcome must be one of") == true)
        #expect(errors("MA; ; ; reintegration; ").first?.contains("at least one grant type") == true)
        #expect(errors("MA; ; ; reintegration; housing").first?.contains("grant type 'housing'") == true)
        #expect(
            errors("MA; ; 2023-06-30; excluded\nMA; 2023-06-01; ; reintegration; economic").first?.contains("overlaps")
                == true)
        #expect(errors("") == ["rules: give at least one rule"])
        #expect(
            errors("*; ; ; excluded", caps: [.economic: "lots"]).contains(
                "cap.economic: must be an amount in euros, like 1500.00"))
        #expect(errors("# comment\n*; ; ; excluded").isEmpty)
        // Browsers send the lines of a text area with CR LF.
        #expect(errors("*; ; ; excluded\r\nMA; ; ; maybe").first?.contains("line 2") == true)
        #expect(
            (try? ReturnValidation.plan([
                "purpose": "business", "description": "x", "budget": "Tools; 400\r\nStock; 900",
            ]))?.total == 130_000)
    }

    @Test func a_nationality_no_rule_covers_is_not_eligible() throws {
        let only = try EligibilityRuleSet.parse(
            version: 3, text: "MA; 2023-07-01; ; reintegration; economic", caps: [.economic: "1", .medical: "1"])
        let d = only.decide(nationality: "MA", on: day("2023-01-01"))
        #expect(d.outcome == .excluded)
        #expect(d.explanation.contains("No rule of rule set version 3"))
    }
}

@Suite struct ReturnWorkflowTests {
    func ready() -> ReturnFacts {
        var f = ReturnFacts()
        f.sessionOutcomes = [.informed, .decided]
        f.decision = EligibilityRuleSet.initial.decide(nationality: "MA", on: day("2026-05-01"))
        f.travelDocumentExpiries = [day("2026-08-01")]
        f.grantCount = 1
        return f
    }

    func refusal(
        _ from: ReturnStage, _ to: ReturnStage, _ f: ReturnFacts, on d: String = "2026-06-01", reason: String = ""
    ) -> String? {
        do { try ReturnWorkflow.check(from: from, to: to, facts: f, on: day(d), reason: reason); return nil } catch let
            e as DomainError
        { return e.message } catch let e as ValidationErrors { return e.items.map(\.message).joined() } catch {
            return "\(error)"
        }
    }

    @Test func the_main_path_is_allowed_when_its_guards_hold() {
        let path: [ReturnStage] = [
            .intake, .counselling, .decided, .eligibility, .preparing, .departed, .reintegration, .monitoring, .closed,
        ]
        for (a, b) in zip(path, path.dropFirst()) {
            #expect(refusal(a, b, ready(), reason: "done") == nil, "\(a) → \(b)")
        }
        #expect(ReturnStage.closed.caseStatus == .closed && ReturnStage.monitoring.caseStatus == .open)
    }

    @Test func impossible_transitions_are_refused_with_the_allowed_ones() {
        #expect(refusal(.intake, .departed, ready())?.contains("it can move to: counselling, withdrawn") == true)
        #expect(refusal(.closed, .intake, ready())?.contains("the case is finished") == true)
        #expect(refusal(.departed, .preparing, ready()) != nil)
    }

    @Test func withdrawing_and_no_show_need_a_reason() {
        #expect(refusal(.counselling, .withdrawn, ready()) == "say why (it goes on the timeline)")
        #expect(refusal(.preparing, .noShow, ready(), reason: "Did not come to the airport") == nil)
        #expect(refusal(.noShow, .preparing, ready()) == nil)
    }

    @Test func counselling_and_the_decision_need_sessions() {
        var f = ready()
        f.sessionOutcomes = []
        #expect(refusal(.intake, .counselling, f)?.contains("no counselling session") == true)
        f.sessionOutcomes = [.decided, .considering]
        #expect(refusal(.counselling, .decided, f)?.contains("does not record a decision to return") == true)
        f.decision = nil
        #expect(refusal(.decided, .eligibility, f)?.contains("eligibility has not been decided") == true)
    }

    @Test func an_excluded_migrant_cannot_prepare_departure() {
        var f = ready()
        f.decision?.outcome = .excluded
        #expect(refusal(.eligibility, .preparing, f)?.contains("excludes") == true)
    }

    @Test func departure_needs_a_travel_document_valid_on_the_day() {
        var f = ready()
        f.travelDocumentExpiries = []
        #expect(refusal(.preparing, .departed, f)?.contains("no travel document valid on 2026-06-01") == true)
        f.travelDocumentExpiries = [day("2026-05-31")]
        #expect(refusal(.preparing, .departed, f) != nil)
        f.travelDocumentExpiries = [day("2026-06-01")]
        #expect(refusal(.preparing, .departed, f) == nil)
    }

    @Test func an_unaccompanied_child_waits_for_the_assessment_and_both_guardians() {
        var f = ready()
        var c = ChildSafeguards()
        f.child = c
        #expect(ReturnWorkflow.departureBlockers(f, on: day("2026-06-01")).count == 3)
        c.familyAssessment = .received; c.assessmentOutcome = .favourable
        c.guardianHostConfirmed = true
        f.child = c
        #expect(
            refusal(.preparing, .departed, f)
                == "Cannot move to departed: the legal guardian in the country of return is not confirmed.")
        c.guardianReturnConfirmed = true
        f.child = c
        #expect(refusal(.preparing, .departed, f) == nil)
        c.assessmentOutcome = .unfavourable
        f.child = c
        #expect(refusal(.preparing, .departed, f)?.contains("family assessment") == true)
    }

    @Test func a_victim_of_trafficking_needs_a_return_plan_and_a_referral_partner() {
        var f = ready()
        var v = TraffickingRecord()
        v.returnPlan = "Met at the airport by the shelter"
        f.trafficking = v
        #expect(refusal(.preparing, .departed, f)?.contains("post-return referral partner") == true)
        v.postReturnPartner = "Shelter in Casablanca"
        f.trafficking = v
        #expect(refusal(.preparing, .departed, f) == nil)
    }

    @Test func a_medical_case_needs_a_fit_to_fly_valid_on_the_day() {
        var f = ready()
        var m = MedicalRecord()
        f.medical = m
        #expect(refusal(.preparing, .departed, f)?.contains("fit-to-fly") == true)
        m.fitToFly = .fit; m.fitToFlyOn = day("2026-05-01"); m.fitToFlyValidUntil = day("2026-05-30")
        f.medical = m
        #expect(refusal(.preparing, .departed, f)?.contains("is not valid on 2026-06-01") == true)
        m.fitToFlyValidUntil = day("2026-06-15")
        f.medical = m
        #expect(refusal(.preparing, .departed, f) == nil)
        m.fitToFlyRequired = false; m.fitToFly = .notAssessed
        f.medical = m
        #expect(refusal(.preparing, .departed, f) == nil)
    }

    @Test func reintegration_needs_support_and_a_grant() {
        var f = ready()
        f.grantCount = 0
        #expect(refusal(.departed, .reintegration, f)?.contains("no reintegration grant") == true)
        f.decision?.outcome = .travelOnly
        #expect(refusal(.departed, .reintegration, f)?.contains("does not include reintegration support") == true)
        #expect(refusal(.departed, .monitoring, f) == nil)
    }
}

@Suite struct ReintegrationTests {
    let decision = EligibilityRuleSet.initial.decide(nationality: "MA", on: PartialDate(parsing: "2026-05-01")!)

    @Test func money_reads_euros_and_cents() {
        #expect(Money.parse("1500") == 150_000)
        #expect(Money.parse("1,500.5") == 150_050)
        #expect(Money.parse("€ 12.34") == 1234)
        #expect(Money.parse("-5") == nil)
        #expect(Money.parse("1.234") == nil)
        #expect(Money.parse("abc") == nil)
        #expect(Money.format(150_050) == "€1,500.50")
    }

    @Test func a_grant_is_split_and_capped() throws {
        let caps = EligibilityRuleSet.initial.caps
        let g = try ReturnValidation.grant(
            ["type": "economic", "amount": "1500", "cash": "500"], decision: decision, caps: caps)
        #expect(g.inKind == 100_000)
        #expect(throws: ValidationErrors.self) {
            try ReturnValidation.grant(["type": "economic", "amount": "1900"], decision: decision, caps: caps)
        }
        #expect(throws: ValidationErrors.self) {
            try ReturnValidation.grant(
                ["type": "economic", "amount": "1000", "cash": "500", "inKind": "600"], decision: decision, caps: caps)
        }
        let travelOnly = EligibilityRuleSet.initial.decide(nationality: "MA", on: PartialDate(parsing: "2023-01-01")!)
        do {
            _ = try ReturnValidation.grant(["type": "medical", "amount": "100"], decision: travelOnly, caps: caps)
            Issue.record("a grant outside the decision was accepted")
        } catch let e as ValidationErrors {
            #expect(e.message(for: "type") == "the eligibility decision does not include medical grants")
        }
    }

    @Test func payments_never_exceed_either_part_of_the_grant() throws {
        let g = ReturnValidation.Grant(type: .economic, amount: 150_000, cash: 50_000, inKind: 100_000, funderID: nil)
        let d = PartialDate(parsing: "2026-06-01")!
        let paid = [ReturnValidation.Payment(kind: .cash, amount: 50_000, paidOn: d)]
        #expect(throws: DomainError.self) {
            try ReturnValidation.checkPayment(.init(kind: .cash, amount: 1, paidOn: d), grant: g, paid: paid)
        }
        try ReturnValidation.checkPayment(
            .init(kind: .inKind, amount: 100_000, paidOn: d, proofReference: "INV-1", reportedBy: "Rabat"), grant: g,
            paid: paid)
        let more = paid + [.init(kind: .inKind, amount: 60_000, paidOn: d)]
        do {
            try ReturnValidation.checkPayment(.init(kind: .inKind, amount: 40_001, paidOn: d), grant: g, paid: more)
            Issue.record("an overpayment was accepted")
        } catch let e as DomainError {
            #expect(e.message.contains("€400.00 remains"))
        }
    }

    @Test func an_in_kind_payment_needs_its_proof() {
        let today = PartialDate(parsing: "2026-06-01")!
        do {
            _ = try ReturnValidation.payment(["kind": "in_kind", "amount": "10", "paidOn": "2026-06-02"], today: today)
            Issue.record("accepted")
        } catch let e as ValidationErrors {
            #expect(e.message(for: "paidOn") == "must not be in the future")
            #expect(e.message(for: "proofReference") == "is required")
        } catch { Issue.record("\(error)") }
    }

    @Test func travel_document_dates_must_be_in_order() {
        let today = PartialDate(parsing: "2026-06-01")!
        do {
            _ = try ReturnValidation.travelDocument(
                ["embassyID": "x", "status": "issued", "requestedOn": "2026-05-01", "expiresOn": "2026-04-01"],
                today: today)
            Issue.record("accepted")
        } catch let e as ValidationErrors {
            #expect(e.message(for: "expiresOn") == "must not be before the request date")
            #expect(e.message(for: "number") == "is required")
        } catch { Issue.record("\(error)") }
    }

    @Test func intake_refuses_unknown_countries_and_languages() {
        do {
            _ = try ReturnValidation.intake(
                ["referralSource": "pigeon", "destinationCountry": "QQ", "preferredLanguage": "klingon"], companions: []
            )
            Issue.record("accepted")
        } catch let e as ValidationErrors {
            #expect(e.message(for: "referralSource")?.hasPrefix("must be one of self, reception_agency") == true)
            #expect(e.message(for: "destinationCountry") == "must be an ISO 3166-1 country code, like MA")
            #expect(e.message(for: "preferredLanguage") != nil)
        } catch { Issue.record("\(error)") }
    }

    @Test func child_safeguards_refuse_an_outcome_before_the_assessment_arrives() {
        #expect(throws: ValidationErrors.self) {
            try VulnerabilityValidation.child(["familyAssessment": "requested", "assessmentOutcome": "favourable"])
        }
        #expect(throws: ValidationErrors.self) {
            try VulnerabilityValidation.medical([
                "category": "diabetes", "fitToFly": "fit", "fitToFlyOn": "2026-05-02",
                "fitToFlyValidUntil": "2026-05-01",
            ])
        }
    }
}

@Suite struct ReturnAccessRuleTests {
    @Test func a_trafficking_record_is_seen_by_owner_managers_and_named_staff() {
        var v = TraffickingRecord()
        v.grantedUserIDs = ["u-granted"]
        #expect(v.visible(toUser: "u-owner", roles: [.counsellor], caseOwnerID: "u-owner"))
        #expect(v.visible(toUser: "u-boss", roles: [.manager], caseOwnerID: "u-owner"))
        #expect(v.visible(toUser: "u-granted", roles: [.movementsOfficer], caseOwnerID: "u-owner"))
        #expect(!v.visible(toUser: "u-other", roles: [.counsellor, .medicalOfficer], caseOwnerID: "u-owner"))
    }

    @Test func a_finished_travel_document_request_keeps_its_status() {
        #expect(TravelDocumentStatus.requested.canBecome(.issued))
        #expect(TravelDocumentStatus.interviewScheduled.canBecome(.refused))
        #expect(!TravelDocumentStatus.issued.canBecome(.requested))
        #expect(TravelDocumentStatus.refused.canBecome(.refused))
    }

    @Test func sessions_decisions_and_monitoring_belong_to_their_stages() {
        #expect(ReturnStage.preparing.acceptsEligibility && !ReturnStage.departed.acceptsEligibility)
        #expect(ReturnStage.reintegration.acceptsMonitoring && !ReturnStage.counselling.acceptsMonitoring)
        #expect(!ReturnStage.closed.acceptsSessions && ReturnStage.noShow.acceptsSessions)
    }
}
