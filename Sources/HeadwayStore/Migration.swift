import SQLKit

/// One numbered schema change. Migrations are append-only: a released migration is never
/// edited; a change is a new one with the next number. Each runs in its own transaction and
/// renders the same schema on SQLite and PostgreSQL through SQLKit's builders.
protocol Migration: Sendable {
    /// 1, 2, 3 … in the order they run; recorded in `schema_migrations`.
    var number: Int { get }
    /// Verb-first description, e.g. "Create schools".
    var name: String { get }
    func apply(on db: any SQLDatabase) async throws
}

/// Every migration, in order. Append only.
let allMigrations: [any Migration] = [
    CreateSchools(),
    CreatePeopleAndSubjects(),
    CreateTeachingGroups(),
    CreateCollectionsAndAssessments(),
    CreateAuditLog(),
    AddTargetDetailsAndSubjectCategories(),
    CreateExamResults(),
    CreatePublishedKS4Measures(),
    AddTargetPercentileBand(),
    CreateCalendars(),
    AddAssessmentLate(),
    CreateInterventions(),
]
