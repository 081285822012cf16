import Vapor
import Fluent
import PassageDomain

/// A return case as one viewer may see it: confidential notes, trafficking and medical details
/// are left out for those who may not read them.
struct ReturnFile: Content {
    struct Intake: Content {
        var referralSource: String; var stayLocationID: UUID?; var stayLocation: String?; var preferredLanguage: String?
        var interpreterNeeded: Bool; var destinationCountry: String; var destinationPlace: String;
        var companionIDs: [String]
    }
    struct Session: Content {
        var id: UUID; var heldOn: String; var locationID: UUID; var location: String; var counsellor: String;
        var language: String
        var interpreter: Bool; var durationMinutes: Int; var outcome: String
        /// Nil for viewers who may not read confidential notes.
        var notes: String?
    }
    struct Decision: Content {
        var decidedFor: String; var outcome: String; var grantTypes: [String]; var ruleSetVersion: Int;
        var explanation: String
        var decidedBy: String; var wouldNowBe: String?
    }
    struct Vulnerability: Content {
        var kind: String
        /// False when the viewer may not see the details; the guard still applies.
        var visible: Bool
        var child: ChildSafeguards?; var trafficking: TraffickingRecord?; var medical: MedicalRecord?
    }
    struct TravelDocument: Content {
        var id: UUID; var embassyID: UUID; var embassy: String; var kind: String; var status: String;
        var requestedOn: String
        var interviewOn: String?; var number: String; var expiresOn: String?; var issuedOn: String?
    }
    struct Plan: Content {
        var purpose: String; var description: String; var budget: [ReturnValidation.BudgetLine]; var total: Int
    }
    struct Payment: Content {
        var kind: String; var amount: Int; var paidOn: String; var proofReference: String; var reportedBy: String
    }
    struct Grant: Content {
        var id: UUID; var type: String; var amount: Int; var cash: Int; var inKind: Int; var funderID: UUID?;
        var funder: String?
        var grantedOn: String?
        var cashPaid: Int; var inKindPaid: Int; var payments: [Payment]
    }
    struct Cargo: Content { var id: UUID; var description: String; var volumeLitres: Int; var clearance: String }
    struct Visit: Content { var visitedOn: String; var visitor: String; var findings: String; var progress: String }
    /// A departure with checks not met, open until a manager has reviewed it.
    struct Exception: Content {
        var id: UUID; var kind: String; var raisedOn: String; var raisedBy: String; var summary: String
        var reviewedBy: String?; var reviewedAt: Date?; var reviewNote: String?
    }

    var `case`: CaseSummary
    var person: PersonSummary
    var stage: String
    var nextStages: [String]
    var departureBlockers: [String]
    var intake: Intake
    var sessions: [Session]
    var decision: Decision?
    var vulnerabilities: [Vulnerability]
    var travelDocuments: [TravelDocument]
    var plan: Plan?
    var grants: [Grant]
    var cargo: [Cargo]
    var monitoring: [Visit]
    var departedOn: String?
    var receivingOffice: String
    var euConsentOn: String?
    var exceptions: [Exception]
    var timeline: [CaseAPIController.Event]

    /// `reader`: for a page, the timeline in the reader's language.
    static func load(_ caseID: UUID, for id: Identity, reader: Translator? = nil, on db: any Database) async throws
        -> ReturnFile
    {
        let l = try await ReturnRecords.load(caseID, on: db)
        let c = l.c
        let facts = try await ReturnRecords.facts(l, on: db)
        let stage = l.r.stage
        // What the viewer reads of this case: their roles' categories, a trafficking record they own or were
        // granted, and what they opened in an emergency for the hour it lasts.
        let records = try await VulnerabilityRecord.query(on: db).filter(\.$caseRecord.$id == caseID).sort(\.$kind)
            .all()
        let can = try await FieldAccess.readable(c, for: id, vulnerabilities: records, on: db)
        let seesNotes = can.contains(.notes)
        let sessions = try await CounsellingSession.query(on: db).filter(\.$caseRecord.$id == caseID).with(\.$location)
            .with(\.$counsellor)
            .sort(\.$heldOn, .descending).sort(\.$createdAt, .descending).all().map {
                Session(
                    id: $0.id!, heldOn: $0.heldOn, locationID: $0.$location.id, location: $0.location.name,
                    counsellor: $0.counsellor.displayName,
                    language: $0.language, interpreter: $0.interpreter, durationMinutes: $0.durationMinutes,
                    outcome: $0.outcome.rawValue,
                    notes: seesNotes ? $0.notes : nil)
            }
        var decision: Decision?
        if let d = try await ReturnRecords.latestDecision(caseID, on: db) {
            let rules = try await ReturnRecords.currentRules(on: db)
            let now = rules.decide(nationality: d.nationality, on: d.decision.decidedFor)
            decision = Decision(
                decidedFor: d.decidedFor, outcome: d.outcome.rawValue,
                grantTypes: d.decision.grantTypes.map(\.rawValue),
                ruleSetVersion: d.ruleSetVersion, explanation: d.explanation, decidedBy: d.decidedBy,
                wouldNowBe: rules.version != d.ruleSetVersion && d.decision.differs(from: now) ? now.explanation : nil)
        }
        var vulns: [Vulnerability] = []
        for v in records {
            switch v.kind {
            case .unaccompaniedChild:
                let sees = can.contains(.childProtection)
                vulns.append(
                    .init(kind: v.kind.rawValue, visible: sees, child: sees ? v.decode(ChildSafeguards.self) : nil))
            case .trafficking:
                // Those who may not see it learn only that a restricted record exists, not what kind.
                let sees = can.contains(.trafficking)
                vulns.append(
                    .init(
                        kind: sees ? v.kind.rawValue : "restricted", visible: sees,
                        trafficking: sees ? v.decode(TraffickingRecord.self) : nil))
            case .medical:
                let sees = can.contains(.medical)
                vulns.append(
                    .init(kind: v.kind.rawValue, visible: sees, medical: sees ? v.decode(MedicalRecord.self) : nil))
            }
        }
        let docs = try await TravelDocumentRequest.query(on: db).filter(\.$caseRecord.$id == caseID).with(\.$embassy)
            .sort(\.$requestedOn).all().map {
                TravelDocument(
                    id: $0.id!, embassyID: $0.$embassy.id, embassy: $0.embassy.name, kind: $0.kind.rawValue,
                    status: $0.status.rawValue,
                    requestedOn: $0.requestedOn,
                    interviewOn: $0.interviewOn, number: $0.number, expiresOn: $0.expiresOn, issuedOn: $0.issuedOn)
            }
        let plan = try await ReintegrationPlan.query(on: db).filter(\.$caseRecord.$id == caseID).first().map {
            Plan(
                purpose: $0.purpose.rawValue, description: $0.description, budget: $0.budgetLines,
                total: $0.budgetLines.reduce(0) { $0 + $1.amount })
        }
        let grants = try await GrantRecord.query(on: db).filter(\.$caseRecord.$id == caseID).with(\.$payments).with(
            \.$funder
        ).sort(\.$createdAt).all().map { g in
            let pays = g.payments.sorted { $0.paidOn < $1.paidOn }
            return Grant(
                id: g.id!, type: g.type.rawValue, amount: g.amount, cash: g.cash, inKind: g.inKind,
                funderID: g.$funder.id,
                funder: g.funder?.name, grantedOn: g.grantedOn,
                cashPaid: pays.filter { $0.kind == PaymentKind.cash }.reduce(0) { $0 + $1.amount },
                inKindPaid: pays.filter { $0.kind == PaymentKind.inKind }.reduce(0) { $0 + $1.amount },
                payments: pays.map {
                    Payment(
                        kind: $0.kind.rawValue, amount: $0.amount, paidOn: $0.paidOn, proofReference: $0.proofReference,
                        reportedBy: $0.reportedBy)
                })
        }
        let cargo = try await CargoItem.query(on: db).filter(\.$caseRecord.$id == caseID).all().map {
            Cargo(
                id: $0.id!, description: $0.description, volumeLitres: $0.volumeLitres, clearance: $0.clearance.rawValue
            )
        }
        let visits = try await MonitoringVisit.query(on: db).filter(\.$caseRecord.$id == caseID).sort(
            \.$visitedOn, .descending
        ).all().map {
            Visit(visitedOn: $0.visitedOn, visitor: $0.visitor, findings: $0.findings, progress: $0.progress.rawValue)
        }
        let exceptions = try await ReturnException.query(on: db).filter(\.$caseRecord.$id == caseID)
            .sort(\.$createdAt).all().map {
                Exception(
                    id: $0.id!, kind: $0.kind.rawValue, raisedOn: $0.raisedOn, raisedBy: $0.raisedBy,
                    summary: $0.summary, reviewedBy: $0.reviewedBy, reviewedAt: $0.reviewedAt,
                    reviewNote: $0.reviewNote)
            }
        let events = try await Timeline.lines(of: c, for: id, newestFirst: true, reader: reader, on: db)
        let stay = try await l.r.$stayLocation.id.asyncMap { try await Location.find($0, on: db)?.name } ?? nil
        return ReturnFile(
            case: CaseSummary(c), person: PersonSummary(c.person), stage: stage.rawValue,
            nextStages: stage.next.filter { ReturnAccess.mayMove(id, to: $0) }.map(\.rawValue),
            departureBlockers: stage.beforeDeparture
                ? ReturnWorkflow.departureBlockers(facts, on: ReturnRecords.today())
                    .map { ReturnRecords.redact($0, facts: facts, for: id, ownerID: c.$owner.id) } : [],
            intake: Intake(
                referralSource: l.r.referralSource.rawValue, stayLocationID: l.r.$stayLocation.id, stayLocation: stay,
                preferredLanguage: l.r.preferredLanguage,
                interpreterNeeded: l.r.interpreterNeeded, destinationCountry: l.r.destinationCountry,
                destinationPlace: l.r.destinationPlace,
                companionIDs: l.r.companionIDs),
            sessions: sessions, decision: decision, vulnerabilities: vulns, travelDocuments: docs, plan: plan,
            grants: grants, cargo: cargo,
            monitoring: visits, departedOn: l.r.departedOn, receivingOffice: l.r.receivingOffice,
            euConsentOn: try await ProcessingBasis.liveConsent(.euReintegrationExport, person: c.$person.id, on: db)?
                .givenOn, exceptions: exceptions, timeline: events)
    }
}
