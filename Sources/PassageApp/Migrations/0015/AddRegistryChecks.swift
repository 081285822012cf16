import Fluent

/// The registry checks managers ask for, run in the background with how far they are.
struct AddRegistryChecks: AsyncMigration {
    var name: String { "0015_AddRegistryChecks" }

    func prepare(on db: any Database) async throws {
        try await db.schema(RegistryCheck.schema)
            .id()
            .field("status", .string, .required)
            .field("requested_by", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .field("step", .string, .required)
            .field("done", .int, .required)
            .field("total", .int, .required)
            .field("persons", .int)
            .field("pairs", .int)
            .field("seconds", .double)
            .field("error", .string)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(RegistryCheck.schema).delete()
    }
}
