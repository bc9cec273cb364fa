import SQLKit

/// Schools, the academic years each holds, and the grade scales each uses (a scale's
/// definition is its JSON form: grades, codes, points, aliases).
struct CreateSchools: Migration {
    let number = 1
    let name = "Create schools, academic years and grade scales"

    func apply(on db: any SQLDatabase) async throws {
        try await db.create(table: "schools")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .run()
        try await db.create(table: "academic_years")
            .column("school_id", type: .text, .notNull, .references("schools", "id"))
            .column("start_year", type: .bigint, .notNull)
            .primaryKey("school_id", "start_year")
            .run()
        try await db.create(table: "grade_scales")
            .column("school_id", type: .text, .notNull, .references("schools", "id"))
            .column("id", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("definition", type: .text, .notNull)
            .primaryKey("school_id", "id")
            .run()
    }
}
