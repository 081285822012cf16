import Fluent
import SQLKit

/// The visa application centre: appointments, applications with their checked documents, batches forwarded to the
/// embassy, and the public status page's lookups.
struct CreateVisaCentre: AsyncMigration {
    var name: String { "0019_CreateVisaCentre" }

    func prepare(on db: any Database) async throws {
        try await db.schema("kv_batches")
            .id()
            .field("number", .string, .required)
            .field("forwarded_on", .string, .required)
            .field("note", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "number")
            .create()
        try await db.schema("kv_applications")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("number", .string, .required)
            .field("receipt_number", .string, .required)
            .field("visa_type", .string, .required)
            .field("status", .string, .required)
            .field("received_on", .string, .required)
            .field("birth_date", .string, .required)
            .field("passport_number", .string, .required)
            .field("passport_expires_on", .string, .required)
            .field("fee_cents", .int64, .required)
            .field("service_fee_cents", .int64, .required)
            .field("payment_method", .string, .required)
            .field("batch_id", .uuid, .references("kv_batches", "id", onDelete: .restrict))
            .field("decision", .string)
            .field("decided_on", .string)
            .field("returned_on", .string)
            .field("returned_how", .string)
            .field("collected_by", .string)
            .field("courier_reference", .string)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "number")
            .unique(on: "receipt_number")
            .unique(on: "case_id")
            .create()
        try await db.schema("kv_documents")
            .id()
            .field("application_id", .uuid, .required, .references("kv_applications", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("required", .bool, .required)
            .field("outcome", .string)
            .field("reason", .string, .required)
            .field("checked_by", .string)
            .field("checked_at", .datetime)
            .unique(on: "application_id", "kind")
            .create()
        try await db.schema("kv_appointments")
            .id()
            .field("day", .string, .required)
            .field("time", .string, .required)
            .field("counter", .int, .required)
            .field("name", .string, .required)
            .field("contact", .string, .required)
            .field("visa_type", .string, .required)
            .field("walk_in", .bool, .required)
            .field("status", .string, .required)
            .field("application_id", .uuid, .references("kv_applications", "id", onDelete: .setNull))
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("kv_status_lookups")
            .id()
            .field("at", .datetime, .required)
            .field("address", .string, .required)
            .field("number", .string, .required)
            .field("outcome", .string, .required)
            .create()
        for statement in [
            "CREATE INDEX kv_appointments_day ON kv_appointments (day, time, counter)",
            "CREATE INDEX kv_applications_status ON kv_applications (status)",
            "CREATE INDEX kv_applications_received ON kv_applications (received_on)",
            "CREATE INDEX kv_applications_batch ON kv_applications (batch_id)",
            "CREATE INDEX kv_status_lookups_address ON kv_status_lookups (address, at)",
            "CREATE INDEX kv_status_lookups_number ON kv_status_lookups (number, at)",
        ] {
            try await db.sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["kv_status_lookups", "kv_appointments", "kv_documents", "kv_applications", "kv_batches"] {
            try await db.schema(table).delete()
        }
    }
}
