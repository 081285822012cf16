// The tables an import writes, as rows for one INSERT of many (see `ImportBatch`): the columns of each model and
// its values, read from its properties without Fluent's reflection. Generated from the models' fields; a test
// reads every kind back through Fluent.
import Foundation
import SQLKit

extension Person: BulkRow {
    static var bulkColumns: [String] {
        [
            "id", "reference", "family_name", "given_names", "family_name_original", "given_names_original", "aliases",
            "sex", "dob_year", "dob_month", "dob_day", "dob_estimated", "nationality", "languages", "phone",
            "location_id", "sort_name", "merged_into", "created_at", "updated_at",
        ]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind(reference),
            SQLBind(familyName),
            SQLBind(givenNames),
            SQLBind(familyNameOriginal),
            SQLBind(givenNamesOriginal),
            SQLBind(aliasesJSON),
            SQLBind(sex),
            SQLBind(dobYear),
            SQLBind(dobMonth),
            SQLBind(dobDay),
            SQLBind(dobEstimated),
            SQLBind(nationality),
            SQLBind(languagesText),
            SQLBind(phone),
            SQLBind($location.id),
            SQLBind(sortName),
            SQLBind(mergedInto),
            SQLBind(now),
            SQLBind(now),
        ]
    }
}

extension IdentityDocument: BulkRow {
    static var bulkColumns: [String] {
        ["id", "person_id", "type", "number", "issuing_country", "expires_on", "created_at"]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind($person.id),
            SQLBind(type.rawValue),
            SQLBind(number),
            SQLBind(issuingCountry),
            SQLBind(expiresOn),
            SQLBind(now),
        ]
    }
}

extension HouseholdLink: BulkRow {
    static var bulkColumns: [String] { ["id", "person_id", "related_person_id", "relationship", "created_at"] }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind($person.id),
            SQLBind($relatedPerson.id),
            SQLBind(relationship),
            SQLBind(now),
        ]
    }
}

extension Case: BulkRow {
    static var bulkColumns: [String] {
        [
            "id", "reference", "programme", "status", "person_id", "owner_id", "office_location_id", "opened_on",
            "closed_on", "summary", "created_at", "updated_at",
        ]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind(reference),
            SQLBind(programme.rawValue),
            SQLBind(status.rawValue),
            SQLBind($person.id),
            SQLBind($owner.id),
            SQLBind($officeLocation.id),
            SQLBind(openedOn),
            SQLBind(closedOn),
            SQLBind(summary),
            SQLBind(now),
            SQLBind(now),
        ]
    }
}

extension CaseEvent: BulkRow {
    static var bulkColumns: [String] {
        ["id", "case_id", "at", "actor_id", "actor_name", "kind", "text", "audience", "phrase"]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind($caseRecord.id),
            SQLBind(at),
            SQLBind(actorID),
            SQLBind(actorName),
            SQLBind(kind),
            SQLBind(text),
            SQLBind(audience.rawValue),
            SQLBind(phrase),
        ]
    }
}

extension ReturnCase: BulkRow {
    static var bulkColumns: [String] {
        [
            "id", "case_id", "stage", "referral_source", "stay_location_id", "preferred_language", "interpreter_needed",
            "destination_country", "destination_place", "companions", "departed_on", "receiving_office",
            "eu_consent_on", "created_at", "updated_at",
        ]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind($caseRecord.id),
            SQLBind(stage.rawValue),
            SQLBind(referralSource.rawValue),
            SQLBind($stayLocation.id),
            SQLBind(preferredLanguage),
            SQLBind(interpreterNeeded),
            SQLBind(destinationCountry),
            SQLBind(destinationPlace),
            SQLBind(companionsText),
            SQLBind(departedOn),
            SQLBind(receivingOffice),
            SQLBind(euConsentOn),
            SQLBind(now),
            SQLBind(now),
        ]
    }
}

extension CounsellingSession: BulkRow {
    static var bulkColumns: [String] {
        [
            "id", "case_id", "person_id", "held_on", "location_id", "counsellor_id", "language", "interpreter",
            "duration_minutes", "notes", "outcome", "created_at",
        ]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind($caseRecord.id),
            SQLBind(personID),
            SQLBind(heldOn),
            SQLBind($location.id),
            SQLBind($counsellor.id),
            SQLBind(language),
            SQLBind(interpreter),
            SQLBind(durationMinutes),
            SQLBind(sealedNotes),
            SQLBind(outcome.rawValue),
            SQLBind(now),
        ]
    }
}

extension DecisionRecord: BulkRow {
    static var bulkColumns: [String] {
        [
            "id", "case_id", "decided_for", "nationality", "outcome", "grant_types", "rule_set_version", "explanation",
            "decided_by", "created_at",
        ]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind($caseRecord.id),
            SQLBind(decidedFor),
            SQLBind(nationality),
            SQLBind(outcome.rawValue),
            SQLBind(grantTypes),
            SQLBind(ruleSetVersion),
            SQLBind(explanation),
            SQLBind(decidedBy),
            SQLBind(now),
        ]
    }
}

extension VulnerabilityRecord: BulkRow {
    static var bulkColumns: [String] { ["id", "case_id", "kind", "details", "created_at", "updated_at"] }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind($caseRecord.id),
            SQLBind(kind.rawValue),
            SQLBind(sealedDetails),
            SQLBind(now),
            SQLBind(now),
        ]
    }
}

extension TravelDocumentRequest: BulkRow {
    static var bulkColumns: [String] {
        [
            "id", "case_id", "embassy_id", "kind", "status", "requested_on", "interview_on", "number", "expires_on",
            "issued_on", "created_at", "updated_at",
        ]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind($caseRecord.id),
            SQLBind($embassy.id),
            SQLBind(kind.rawValue),
            SQLBind(status.rawValue),
            SQLBind(requestedOn),
            SQLBind(interviewOn),
            SQLBind(number),
            SQLBind(expiresOn),
            SQLBind(issuedOn),
            SQLBind(now),
            SQLBind(now),
        ]
    }
}

extension GrantRecord: BulkRow {
    static var bulkColumns: [String] {
        ["id", "case_id", "type", "amount", "paid", "cash", "in_kind", "funder_id", "granted_on", "created_at"]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind($caseRecord.id),
            SQLBind(type.rawValue),
            SQLBind(amount),
            SQLBind(paid),
            SQLBind(cash),
            SQLBind(inKind),
            SQLBind($funder.id),
            SQLBind(grantedOn),
            SQLBind(now),
        ]
    }
}

extension GrantPayment: BulkRow {
    static var bulkColumns: [String] {
        ["id", "grant_id", "kind", "amount", "paid_on", "proof_reference", "reported_by", "created_at"]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind($grant.id),
            SQLBind(kind.rawValue),
            SQLBind(amount),
            SQLBind(paidOn),
            SQLBind(proofReference),
            SQLBind(reportedBy),
            SQLBind(now),
        ]
    }
}

extension OutreachActivity: BulkRow {
    static var bulkColumns: [String] {
        [
            "id", "kind", "held_on", "location_id", "audience", "attendees", "organisations", "topic", "counsellor_id",
            "created_at",
        ]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind(kind.rawValue),
            SQLBind(heldOn),
            SQLBind($location.id),
            SQLBind(audience),
            SQLBind(attendees),
            SQLBind(organisations),
            SQLBind(topic),
            SQLBind($counsellor.id),
            SQLBind(now),
        ]
    }
}

extension DepartureWithoutFlight: BulkRow {
    static var bulkColumns: [String] {
        [
            "id", "case_id", "person_id", "programme", "day", "destination_country", "nationality", "granted", "how",
            "recorded_by", "created_at",
        ]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!),
            SQLBind(caseID),
            SQLBind(personID),
            SQLBind(programme),
            SQLBind(day),
            SQLBind(destinationCountry),
            SQLBind(nationality),
            SQLBind(granted),
            SQLBind(how),
            SQLBind(recordedBy),
            SQLBind(now),
        ]
    }
}
extension ImportKey: BulkRow {
    static var bulkColumns: [String] {
        ["id", "kind", "ref", "record_id", "digest", "import_id", "created_at", "updated_at"]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!), SQLBind(kind), SQLBind(ref), SQLBind(recordID), SQLBind(digest), SQLBind(importID),
            SQLBind(now), SQLBind(now),
        ]
    }
}

extension AuditEntry: BulkRow {
    static var bulkColumns: [String] {
        [
            "sequence", "at", "actor", "actor_name", "action", "entity", "entity_id", "person_id", "changes", "note",
            "prev_hash", "hash", "mac",
        ]
    }
    func bulkValues(now: Date) -> [any SQLExpression] {
        [
            SQLBind(id!), SQLBind(at), SQLBind(actor), SQLBind(actorName), SQLBind(action), SQLBind(entity),
            SQLBind(entityID), SQLBind(personID), SQLBind(changesJSON), SQLBind(note), SQLBind(prevHash),
            SQLBind(hash), SQLBind(mac),
        ]
    }
}
