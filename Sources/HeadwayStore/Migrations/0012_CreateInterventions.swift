import SQLKit

/// The intervention log and who answers for each year group (issue 6, items 3 and 5).
///
/// - `interventions`: one row per school × intervention id. `academic_year` is the start year of
///   the academic year its `starts` date falls in (1 September – 31 August), the year it is
///   loaded with. `type` is the ``InterventionType`` name; `owner_id` a staff code (foreign key to
///   `staff`); `starts`, `ends` are `YYYY-MM-DD` text (`ends` NULL while it has no set end);
///   `sessions` a count and `cost_pence` the total cost in pence (bigint, never floating point),
///   each NULL when not given; `pupil_premium` 1 when paid for from the pupil premium grant, else
///   0 (an integer, not a boolean, as `assessments.late`, so both engines store and return the
///   same); `notes` free text or NULL; `source` the file and line (or person) the record last
///   came from and `saved_at` when (ISO 8601 UTC).
/// - `intervention_pupils`, `intervention_subjects`: its pupils and subjects, each once, with
///   `position` keeping the order given (0 first); foreign keys to `pupils` and `subjects` as
///   `teaching_group_pupils` has, so a pupil or subject named must be stored.
/// - `year_group_responsibilities`: the member of staff who holds a role (`head_of_year`,
///   `progress_leader`) for a year group in an academic year — one per school × year × year group
///   × role, so naming a new person replaces the previous holder of the role for that year.
struct CreateInterventions: Migration {
    let number = 12
    let name = "Create interventions (with pupils and subjects) and year group responsibilities"

    func apply(on db: any SQLDatabase) async throws {
        try await db.create(table: "interventions")
            .column("school_id", type: .text, .notNull, .references("schools", "id"))
            .column("id", type: .text, .notNull)
            .column("academic_year", type: .bigint, .notNull)
            .column("type", type: .text, .notNull)
            .column("title", type: .text, .notNull)
            .column("owner_id", type: .text, .notNull)
            .column("starts", type: .text, .notNull)
            .column("ends", type: .text)
            .column("sessions", type: .bigint)
            .column("cost_pence", type: .bigint)
            .column("pupil_premium", type: .bigint, .notNull, .default(0))
            .column("notes", type: .text)
            .column("source", type: .text, .notNull)
            .column("saved_at", type: .text, .notNull)
            .primaryKey("school_id", "id")
            .foreignKey(["school_id", "owner_id"], references: "staff", ["school_id", "id"])
            .run()
        try await db.create(index: "interventions_by_year").on("interventions").column("school_id").column("academic_year").run()
        try await db.create(table: "intervention_pupils")
            .column("school_id", type: .text, .notNull)
            .column("intervention_id", type: .text, .notNull)
            .column("pupil_id", type: .text, .notNull)
            .column("position", type: .bigint, .notNull)
            .primaryKey("school_id", "intervention_id", "pupil_id")
            .foreignKey(["school_id", "intervention_id"], references: "interventions", ["school_id", "id"])
            .foreignKey(["school_id", "pupil_id"], references: "pupils", ["school_id", "id"])
            .run()
        try await db.create(table: "intervention_subjects")
            .column("school_id", type: .text, .notNull)
            .column("intervention_id", type: .text, .notNull)
            .column("subject_id", type: .text, .notNull)
            .column("position", type: .bigint, .notNull)
            .primaryKey("school_id", "intervention_id", "subject_id")
            .foreignKey(["school_id", "intervention_id"], references: "interventions", ["school_id", "id"])
            .foreignKey(["school_id", "subject_id"], references: "subjects", ["school_id", "id"])
            .run()
        try await db.create(table: "year_group_responsibilities")
            .column("school_id", type: .text, .notNull, .references("schools", "id"))
            .column("academic_year", type: .bigint, .notNull)
            .column("year_group", type: .bigint, .notNull)
            .column("role", type: .text, .notNull)
            .column("staff_id", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .column("saved_at", type: .text, .notNull)
            .primaryKey("school_id", "academic_year", "year_group", "role")
            .foreignKey(["school_id", "staff_id"], references: "staff", ["school_id", "id"])
            .run()
    }
}
