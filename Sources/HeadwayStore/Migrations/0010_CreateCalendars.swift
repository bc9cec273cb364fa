import SQLKit

/// The three calendars of a school's academic year (issue 5, item 1), keyed by school and
/// academic year like the collections they belong to. Dates are `YYYY-MM-DD` text; a list of
/// year groups is comma-separated text (`10,11`), as in `data_collections`; `source` names the
/// file (or process) that last set the row and `saved_at` when (ISO 8601 UTC).
///
/// - `assessment_windows`: when year groups sit assessments — id, name, year groups, starts, ends
///   (inclusive).
/// - `collection_windows`: one collection's dates for one year group (collection × year group):
///   opens, deadline, locks, publishes (inclusive).
/// - `reporting_events`: reports to parents and carers (`kind` `report`) and parent–carer meetings
///   (`parents_meeting`), each tied to the collection whose data it uses.
struct CreateCalendars: Migration {
    let number = 10
    let name = "Create calendars (assessment windows, collection windows, reporting events)"

    func apply(on db: any SQLDatabase) async throws {
        try await db.create(table: "assessment_windows")
            .column("school_id", type: .text, .notNull)
            .column("academic_year", type: .bigint, .notNull)
            .column("id", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("year_groups", type: .text, .notNull)
            .column("starts", type: .text, .notNull)
            .column("ends", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .column("saved_at", type: .text, .notNull)
            .primaryKey("school_id", "academic_year", "id")
            .foreignKey(["school_id", "academic_year"], references: "academic_years", ["school_id", "start_year"])
            .run()
        try await db.create(table: "collection_windows")
            .column("school_id", type: .text, .notNull)
            .column("academic_year", type: .bigint, .notNull)
            .column("collection_id", type: .text, .notNull)
            .column("year_group", type: .bigint, .notNull)
            .column("opens", type: .text, .notNull)
            .column("deadline", type: .text, .notNull)
            .column("locks", type: .text, .notNull)
            .column("publishes", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .column("saved_at", type: .text, .notNull)
            .primaryKey("school_id", "academic_year", "collection_id", "year_group")
            .foreignKey(["school_id", "academic_year", "collection_id"], references: "data_collections", ["school_id", "academic_year", "id"])
            .run()
        try await db.create(table: "reporting_events")
            .column("school_id", type: .text, .notNull)
            .column("academic_year", type: .bigint, .notNull)
            .column("id", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("year_groups", type: .text, .notNull)
            .column("date", type: .text, .notNull)
            .column("collection_id", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .column("saved_at", type: .text, .notNull)
            .primaryKey("school_id", "academic_year", "id")
            .foreignKey(["school_id", "academic_year", "collection_id"], references: "data_collections", ["school_id", "academic_year", "id"])
            .run()
    }
}
