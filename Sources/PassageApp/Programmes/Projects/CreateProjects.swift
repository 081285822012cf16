import Fluent
import SQLKit

/// Projects: their budget lines, events with participants by group, and indicators with targets and actuals.
struct CreateProjects: AsyncMigration {
    var name: String { "0021_CreateProjects" }

    func prepare(on db: any Database) async throws {
        try await db.schema("pj_projects")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("donor", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("summary", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await db.schema("pj_budget_lines")
            .id()
            .field("project_id", .uuid, .required, .references("pj_projects", "id", onDelete: .cascade))
            .field("line", .string, .required)
            .field("budget_cents", .int64, .required)
            .field("spent_cents", .int64, .required)
            .unique(on: "project_id", "line")
            .create()
        try await db.schema("pj_events")
            .id()
            .field("project_id", .uuid, .required, .references("pj_projects", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("day", .string, .required)
            .field("place", .string, .required)
            .field("stakeholders", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("pj_event_participants")
            .id()
            .field("event_id", .uuid, .required, .references("pj_events", "id", onDelete: .cascade))
            .field("participant_group", .string, .required)
            .field("count", .int, .required)
            .unique(on: "event_id", "participant_group")
            .create()
        try await db.schema("pj_indicators")
            .id()
            .field("project_id", .uuid, .required, .references("pj_projects", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("unit", .string, .required)
            .unique(on: "project_id", "name")
            .create()
        try await db.schema("pj_indicator_values")
            .id()
            .field("indicator_id", .uuid, .required, .references("pj_indicators", "id", onDelete: .cascade))
            .field("period", .string, .required)
            .field("target", .int, .required)
            .field("actual", .int)
            .field("note", .string, .required)
            .unique(on: "indicator_id", "period")
            .create()
        for statement in [
            "CREATE INDEX pj_events_project ON pj_events (project_id, day)",
            "CREATE INDEX pj_events_day ON pj_events (day)",
        ] {
            try await db.sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in [
            "pj_indicator_values", "pj_indicators", "pj_event_participants", "pj_events", "pj_budget_lines",
            "pj_projects",
        ] {
            try await db.schema(table).delete()
        }
    }
}
