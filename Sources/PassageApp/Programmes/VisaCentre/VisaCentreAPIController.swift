import Fluent
import PassageDomain
import Vapor

/// The visa application centre in the JSON API: appointments, intake, the documents checked, batches forwarded to
/// the embassy, decisions and passports returned.
struct VisaCentreAPIController {
    struct ApplicationDTO: Content, Sendable {
        struct Document: Content, Sendable {
            var kind: VisaDocumentKind
            var required: Bool
            var outcome: VerificationOutcome?
            var reason: String
            var checkedBy: String?
        }
        var id: UUID
        var number: String
        var receiptNumber: String
        var caseID: UUID
        var caseReference: String
        var personID: UUID
        var personReference: String
        var name: String
        var visaType: KoreanVisaType
        var status: VisaApplicationStatus
        var receivedOn: String
        var passportNumber: String
        var passportExpiresOn: String
        var feeCents: Int
        var serviceFeeCents: Int
        var paymentMethod: VisaPaymentMethod
        var batch: String?
        var decision: VisaDecision?
        var decidedOn: String?
        var returnedOn: String?
        var returnedHow: PassportReturn?
        var collectedBy: String?
        var courierReference: String?
        var documents: [Document]

        init(_ a: KVApplication) {
            id = a.id!; number = a.number; receiptNumber = a.receiptNumber; caseID = a.$caseRecord.id
            caseReference = a.caseRecord.reference; personID = a.$person.id; personReference = a.person.reference
            name = "\(a.person.familyName), \(a.person.givenNames)"; visaType = a.visaType; status = a.status
            receivedOn = a.receivedOn; passportNumber = a.passportNumber; passportExpiresOn = a.passportExpiresOn
            feeCents = a.feeCents; serviceFeeCents = a.serviceFeeCents; paymentMethod = a.paymentMethod
            batch = a.batch?.number; decision = a.decision; decidedOn = a.decidedOn; returnedOn = a.returnedOn
            returnedHow = a.returnedHow; collectedBy = a.collectedBy; courierReference = a.courierReference
            let order = Dictionary(uniqueKeysWithValues: a.visaType.checklist.enumerated().map { ($1.kind, $0) })
            documents = a.documents.sorted { order[$0.kind, default: 99] < order[$1.kind, default: 99] }.map {
                Document(
                    kind: $0.kind, required: $0.required, outcome: $0.outcome, reason: $0.reason,
                    checkedBy: $0.checkedBy)
            }
        }
    }
    struct AppointmentDTO: Content, Sendable {
        var id: UUID
        var day: String
        var time: String
        var counter: Int
        var name: String
        var contact: String
        var visaType: KoreanVisaType
        var walkIn: Bool
        var status: AppointmentStatus
        var applicationID: UUID?

        init(_ a: KVAppointment) {
            id = a.id!; day = a.day; time = a.time; counter = a.counter; name = a.name; contact = a.contact
            visaType = a.visaType; walkIn = a.walkIn; status = a.status; applicationID = a.$application.id
        }
    }
    struct Summary: Content, Sendable {
        var id: UUID
        var number: String
        var caseReference: String
        var name: String
        var visaType: KoreanVisaType
        var status: VisaApplicationStatus
        var receivedOn: String
    }
    struct ApplicationPage: Content, Sendable {
        var items: [Summary]
        var total: Int
        var page: Int
        var pageSize: Int
    }
    struct BatchDTO: Content, Sendable {
        var id: UUID
        var number: String
        var forwardedOn: String
        var note: String
        var applications: [String]
    }

    /// An application as an answer: a reading of the applicant's record.
    static func answer(_ req: Request, _ viewer: Identity, _ id: UUID, status: HTTPStatus = .ok) async throws
        -> Response
    {
        let a = try await VisaCentreRecords.application(id, on: req.db)
        try await AuditLog.views(
            req.application, viewer.actor, entity: "kv_application", entityID: id, persons: [a.$person.id],
            note: req.isAPI ? "api" : "page")
        let res = try await ApplicationDTO(a).encodeResponse(status: status, for: req)
        if status == .created {
            res.headers.replaceOrAdd(name: .location, value: "/api/v1/visa/applications/\(id.uuidString)")
        }
        return res
    }

    /// The appointments of a day, by time and counter.
    static func appointments(on day: String, on db: any Database) async throws -> [KVAppointment] {
        try await KVAppointment.query(on: db).filter(\.$day == day).sort(\.$time).sort(\.$counter).all()
    }

    static func day(_ req: Request) throws -> PartialDate {
        var e = ValidationErrors()
        let d = Input.day(req.query[String.self, at: "day"], field: "day", required: false, into: &e)
        try e.throwIfAny()
        return d ?? Clock.today()
    }

    func boot(_ api: any RoutesBuilder) {
        let kv = api.grouped("visa")
        kv.get("appointments", roles: VisaAccess.read) { req, id -> [AppointmentDTO] in
            let day = try Self.day(req)
            let rows = try await Self.appointments(on: day.isoText, on: req.db)
            try await VisaCentreRecords.auditDay(day, by: id, via: "api", on: req.application)
            return rows.map(AppointmentDTO.init)
        }
        kv.post("appointments", roles: VisaAccess.write) { req, id -> Response in
            let a = try await VisaCentreRecords.book(try FormInput.fields(req), by: id, on: req.application)
            return try await AppointmentDTO(a).encodeResponse(status: .created, for: req)
        }
        kv.post("appointments", ":appointmentID", "status", roles: VisaAccess.write) { req, id in
            let f = try FormInput.fields(req)
            let a = try await VisaCentreRecords.setStatus(
                try req.uuid("appointmentID"), f["status"], by: id, on: req.application)
            return AppointmentDTO(a)
        }
        kv.post("applications", roles: VisaAccess.write) { req, id -> Response in
            let form = try req.content.decode(VisaIntakeForm.self)
            let a = try await VisaCentreRecords.intake(form, by: id, on: req.application)
            return try await Self.answer(req, id, a.id!, status: .created)
        }
        kv.get("applications", roles: VisaAccess.read) { req, id -> ApplicationPage in
            var e = ValidationErrors()
            let raw = req.query[String.self, at: "status"] ?? ""
            let status = raw.isEmpty ? nil : VisaApplicationStatus.read(raw, field: "status", into: &e)
            try e.throwIfAny()
            let (rows, total) = try await Self.applications(on: req.db, status: status, page: try req.queryPage())
            try await AuditLog.listed(
                req.application, id.actor, entity: "kv_application", rows: rows.map { ($0.id!, $0.$person.id) },
                note: "application list")
            return ApplicationPage(
                items: rows.map {
                    Summary(
                        id: $0.id!, number: $0.number, caseReference: $0.caseRecord.reference,
                        name: "\($0.person.familyName), \($0.person.givenNames)", visaType: $0.visaType,
                        status: $0.status, receivedOn: $0.receivedOn)
                }, total: total, page: try req.queryPage(), pageSize: Self.pageSize)
        }
        kv.get("applications", ":applicationID", roles: VisaAccess.read) { req, id in
            try await Self.answer(req, id, try req.uuid("applicationID"))
        }
        let steps: [(String, VisaCentreRecords.Step)] = [
            ("verification", VisaCentreRecords.verify), ("decision", VisaCentreRecords.decide),
            ("return", VisaCentreRecords.returnPassport),
        ]
        for (path, step) in steps {
            kv.post("applications", ":applicationID", .constant(path), roles: VisaAccess.write) { req, id in
                let aid = try req.uuid("applicationID")
                _ = try await step(aid, try FormInput.fields(req), id, req.application)
                return try await Self.answer(req, id, aid)
            }
        }
        kv.post("batches", roles: VisaAccess.write) { req, id -> Response in
            let f = try FormInput.fields(req)
            let ids = (f["applicationIDs"] ?? "").split(separator: ",").map(String.init)
            let b = try await VisaCentreRecords.forward(ids, note: f["note"], by: id, on: req.application)
            return try await Self.batch(b.id!, on: req.db).encodeResponse(status: .created, for: req)
        }
    }

    static let pageSize = 50

    /// Applications, newest first, of one status when asked: a page of them and how many there are.
    static func applications(on db: any Database, status: VisaApplicationStatus?, page: Int) async throws
        -> ([KVApplication], Int)
    {
        var q = KVApplication.query(on: db)
        if let status { q = q.filter(\.$status == status) }
        let total = try await q.count()
        let rows = try await q.with(\.$person).with(\.$caseRecord).sort(\.$receivedOn, .descending)
            .sort(\.$number, .descending).range(((page - 1) * pageSize)..<(page * pageSize)).all()
        return (rows, total)
    }

    static func batch(_ id: UUID, on db: any Database) async throws -> BatchDTO {
        guard let b = try await KVBatch.find(id, on: db) else { throw Abort(.notFound, reason: "No such batch.") }
        let apps = try await KVApplication.query(on: db).filter(\.$batch.$id == id).sort(\.$number).all()
        return BatchDTO(
            id: id, number: b.number, forwardedOn: b.forwardedOn, note: b.note, applications: apps.map(\.number))
    }
}
