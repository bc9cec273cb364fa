import SQLKit

/// Data collections, assessment entries and targets. Grades are stored as their canonical
/// code (text: `7+`, `6-5`, `12.5`, `X`, `Z`), never as a floating-point number; dates as
/// `YYYY-MM-DD`; instants as ISO 8601 UTC text.
struct CreateCollectionsAndAssessments: Migration {
    let number = 4
    let name = "Create data collections, assessments and targets"

    func apply(on db: any SQLDatabase) async throws {
        try await db.create(table: "data_collections")
            .column("school_id", type: .text, .notNull)
            .column("academic_year", type: .bigint, .notNull)
            .column("id", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("sequence", type: .bigint, .notNull)
            .column("year_groups", type: .text, .notNull)
            .column("opens", type: .text)
            .column("deadline", type: .text)
            .column("locks", type: .text)
            .column("publishes", type: .text)
            .primaryKey("school_id", "academic_year", "id")
            .foreignKey(["school_id", "academic_year"], references: "academic_years", ["school_id", "start_year"])
            .run()
        try await db.create(table: "assessments")
            .column("school_id", type: .text, .notNull)
            .column("academic_year", type: .bigint, .notNull)
            .column("collection_id", type: .text, .notNull)
            .column("pupil_id", type: .text, .notNull)
            .column("subject_id", type: .text, .notNull)
            .column("working_at", type: .text)
            .column("predicted", type: .text)
            .column("atl", type: .text)
            .column("entered_by", type: .text)
            .column("entered_at", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .primaryKey("school_id", "academic_year", "collection_id", "pupil_id", "subject_id")
            .foreignKey(["school_id", "academic_year", "collection_id"], references: "data_collections", ["school_id", "academic_year", "id"])
            .foreignKey(["school_id", "pupil_id"], references: "pupils", ["school_id", "id"])
            .foreignKey(["school_id", "subject_id"], references: "subjects", ["school_id", "id"])
            .run()
        try await db.create(table: "targets")
            .column("school_id", type: .text, .notNull)
            .column("academic_year", type: .bigint, .notNull)
            .column("pupil_id", type: .text, .notNull)
            .column("subject_id", type: .text, .notNull)
            .column("grade", type: .text, .notNull)
            .column("method", type: .text, .notNull)
            .column("set_by", type: .text)
            .column("reason", type: .text)
            .column("set_at", type: .text, .notNull)
            .primaryKey("school_id", "academic_year", "pupil_id", "subject_id")
            .foreignKey(["school_id", "pupil_id"], references: "pupils", ["school_id", "id"])
            .foreignKey(["school_id", "subject_id"], references: "subjects", ["school_id", "id"])
            .run()
    }
}
