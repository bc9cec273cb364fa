import SQLKit

/// What generated targets and the KS4 measures need (issue 3):
/// - `targets.generated_grade`: the value the school's method gave, kept under an override
///   (canonical grade code, like `grade`; NULL for imported targets);
/// - `targets.method_version`: the generating method and its version, e.g. `estimate/1`;
/// - `targets.method_inputs`: the calculation (KS2 average, estimates table, group, element,
///   adjustments, unrounded result, rounding) as JSON text with sorted keys — plain text on both
///   engines, read back into `TargetCalculation`;
/// - `subjects.ks4_category`: the subject's KS4 category (`english_language`, `maths`,
///   `combined_science`, …, `other`), NULL when it leads to no KS4 qualification.
///
/// One column per ALTER statement: SQLite adds one column at a time. All nullable, so existing
/// rows stay valid.
struct AddTargetDetailsAndSubjectCategories: Migration {
    let number = 6
    let name = "Add target generated grade, method version and inputs, and subject KS4 categories"

    func apply(on db: any SQLDatabase) async throws {
        for column in ["generated_grade", "method_version", "method_inputs"] {
            try await db.alter(table: "targets").column(column, type: .text).run()
        }
        try await db.alter(table: "subjects").column("ks4_category", type: .text).run()
    }
}
