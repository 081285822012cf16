import Vapor
import Fluent
import PassageDomain

/// `passage users create --username admin --name "Office Admin" --roles administrator`
/// The password is read from PASSAGE_NEW_PASSWORD, else generated and printed once.
/// `passage users token --username partner --name "IND gateway"` issues an API token and prints it once.
struct UsersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create, list or token")
        var action: String
        @Option(name: "username") var username: String?
        @Option(name: "name") var name: String?
        @Option(name: "roles", help: "comma-separated: " + Role.allCases.map(\.rawValue).joined(separator: ","))
        var roles: String?
        @Option(name: "partner", help: "partner organisation name, for partner accounts") var partner: String?
        @Option(name: "expires", help: "token: the last day it may be used, YYYY-MM-DD (default: no end)")
        var expires: String?
        @Option(
            name: "scope",
            help: "token: all (default), read, programme:NAME (that programme's API routes), or read,programme:NAME")
        var scope: String?
        @Flag(name: "quiet", help: "token: print only the token") var quiet: Bool
        init() {}
    }

    var help: String { "Creates or lists staff accounts (use it for the first administrator), or issues an API token." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        switch signature.action {
        case "list":
            for u in try await User.query(on: app.db).sort(\.$username).all() {
                context.console.print(
                    "\(u.username)\t\(u.displayName)\t\(u.rolesText)\t\(u.active ? "active" : "inactive")")
            }
        case "create":
            var partnerID: String?
            if let p = signature.partner {
                guard let partner = try await Partner.query(on: app.db).filter(\.$name == p).first() else {
                    throw UsageError("no partner organisation named '\(p)'")
                }
                partnerID = partner.id!.uuidString
            }
            let env = ProcessInfo.processInfo.environment["PASSAGE_NEW_PASSWORD"]
            let password = (env?.isEmpty == false) ? env! : ApiTokens.generate().dropFirst(4).prefix(20).description
            do {
                let input = try await UserRecords.validate(
                    username: signature.username, displayName: signature.name ?? signature.username, password: password,
                    passwordRequired: true, roles: (signature.roles ?? "").split(separator: ",").map(String.init),
                    partnerID: partnerID, locale: "en", on: app.db)
                let u = try await UserRecords.create(input, actor: .system, on: app)
                context.console.print("Created \(u.username) (\(u.rolesText)).")
                if env == nil || env!.isEmpty { context.console.print("Password (shown once): \(password)") }
            } catch let e as ValidationErrors {
                throw UsageError(
                    e.items.map {
                        let option = ["password": "PASSAGE_NEW_PASSWORD", "partnerID": "--partner"][$0.field]
                        return (option ?? "--" + $0.field) + ": " + $0.message
                    }.joined(separator: "; "))
            }
        case "token":
            guard let username = signature.username,
                let user = try await User.query(on: app.db).filter(\.$username == username).first()
            else { throw UsageError("--username: no account with that username") }
            guard user.active else { throw UsageError("--username: the account is deactivated") }
            do {
                let token = try await UserRecords.issueToken(
                    for: user.id!, name: signature.name ?? "", expires: signature.expires, scope: signature.scope,
                    actor: .system, on: app)
                if signature.quiet {
                    context.console.print(token)
                } else {
                    let limits = [
                        signature.expires.map { "until \($0)" },
                        signature.scope.flatMap { $0.isEmpty || $0 == "all" ? nil : "scope \($0)" },
                    ].compactMap { $0 }
                    context.console.print(
                        "Token for \(user.username) (\(user.rolesText))"
                            + (limits.isEmpty ? "" : ", " + limits.joined(separator: ", ")) + ", shown once: \(token)")
                }
            } catch let e as ValidationErrors {
                throw UsageError(e.items.map { "--" + $0.field + ": " + $0.message }.joined(separator: "; "))
            }
        default:
            throw UsageError("action must be create, list or token")
        }
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// `passage audit verify`: walks the hash chain and names the first altered entry.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify, or checkpoint") var action: String
        @Option(name: "checkpoint", help: "verify: a checkpoint file made by `audit checkpoint`") var checkpoint:
            String?
        init() {}
    }
    var help: String {
        "verify: checks the audit trail's chain and MACs (and, with --checkpoint FILE, that nothing was cut off); "
            + "checkpoint: prints a checkpoint of the trail as JSON, to keep outside the database."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        switch signature.action {
        case "checkpoint":
            let c = try await AuditLog.checkpoint(on: db)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            context.console.print(String(decoding: try encoder.encode(c), as: UTF8.self))
        case "verify":
            var checkpoint: AuditLog.Checkpoint?
            if let path = signature.checkpoint {
                guard let data = FileManager.default.contents(atPath: path),
                    let c = try? JSONDecoder().decode(AuditLog.Checkpoint.self, from: data)
                else {
                    throw UsageError("--checkpoint: \(path) is not a checkpoint made by `passage audit checkpoint`")
                }
                checkpoint = c
            }
            let result = try await AuditLog.verify(on: db, checkpoint: checkpoint)
            if let broken = result.firstBroken {
                context.console.error("Audit trail broken at entry \(broken): \(result.reason ?? "")")
                context.console.print("\(result.checked) entries before it are intact.")
                throw UsageError("audit verification failed at entry \(broken)")
            }
            context.console.print(
                "Audit trail intact: \(result.checked) entries verified"
                    + (checkpoint.map { ", the checkpoint's \($0.count) among them." } ?? "."))
        default:
            throw UsageError("action must be verify or checkpoint")
        }
    }
}
