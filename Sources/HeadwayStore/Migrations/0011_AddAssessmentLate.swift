import SQLKit

/// `assessments.late`: 1 when an entry was made after its collection's deadline for the pupil's
/// year group (or after the lock, by a data manager with a reason), else 0 (issue 5, item 3:
/// windows enforced). An integer, not a boolean, so both engines store and return the same.
/// Existing entries are on time.
struct AddAssessmentLate: Migration {
    let number = 11
    let name = "Add the late flag of assessment entries"

    func apply(on db: any SQLDatabase) async throws {
        try await db.alter(table: "assessments").column("late", type: .bigint, .notNull, .default(0)).run()
    }
}
