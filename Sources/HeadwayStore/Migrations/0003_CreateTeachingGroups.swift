import SQLKit

/// Classes per academic year, with their teachers and pupils.
struct CreateTeachingGroups: Migration {
    let number = 3
    let name = "Create teaching groups and memberships"

    func apply(on db: any SQLDatabase) async throws {
        try await db.create(table: "teaching_groups")
            .column("school_id", type: .text, .notNull)
            .column("academic_year", type: .bigint, .notNull)
            .column("id", type: .text, .notNull)
            .column("subject_id", type: .text, .notNull)
            .column("year_group", type: .bigint, .notNull)
            .primaryKey("school_id", "academic_year", "id")
            .foreignKey(["school_id", "subject_id"], references: "subjects", ["school_id", "id"])
            .run()
        try await db.create(table: "teaching_group_teachers")
            .column("school_id", type: .text, .notNull)
            .column("academic_year", type: .bigint, .notNull)
            .column("group_id", type: .text, .notNull)
            .column("staff_id", type: .text, .notNull)
            .primaryKey("school_id", "academic_year", "group_id", "staff_id")
            .foreignKey(["school_id", "academic_year", "group_id"], references: "teaching_groups", ["school_id", "academic_year", "id"])
            .foreignKey(["school_id", "staff_id"], references: "staff", ["school_id", "id"])
            .run()
        try await db.create(table: "teaching_group_pupils")
            .column("school_id", type: .text, .notNull)
            .column("academic_year", type: .bigint, .notNull)
            .column("group_id", type: .text, .notNull)
            .column("pupil_id", type: .text, .notNull)
            .primaryKey("school_id", "academic_year", "group_id", "pupil_id")
            .foreignKey(["school_id", "academic_year", "group_id"], references: "teaching_groups", ["school_id", "academic_year", "id"])
            .foreignKey(["school_id", "pupil_id"], references: "pupils", ["school_id", "id"])
            .run()
    }
}
