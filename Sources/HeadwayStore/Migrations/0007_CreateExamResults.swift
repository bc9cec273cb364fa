import SQLKit

/// Exam results as awarded (issue 4, item 3): one row per school × pupil × qualification (its QN,
/// else its subject key) × series.
///
/// - `result_key`: the QN when the result has one, else the subject key — the key column, so the
///   primary key holds no NULL on either engine;
/// - `series_date`: the date the result was issued (results day), `YYYY-MM-DD`; `series` an
///   optional label (`June 2026`);
/// - `grade`: the grade exactly as awarded (`7`, `6-5`, `L2 Distinction*`, `X`) — text, never a
///   number: points come from the DfE list of the qualification when the measures are computed;
/// - `candidate_number`: text, so leading zeros are kept;
/// - `entered_at` (ISO 8601 UTC) and `source` (the file) of the last change.
struct CreateExamResults: Migration {
    let number = 7
    let name = "Create exam results"

    func apply(on db: any SQLDatabase) async throws {
        try await db.create(table: "exam_results")
            .column("school_id", type: .text, .notNull)
            .column("pupil_id", type: .text, .notNull)
            .column("result_key", type: .text, .notNull)
            .column("series_date", type: .text, .notNull)
            .column("qualification_number", type: .text)
            .column("subject", type: .text)
            .column("grade", type: .text, .notNull)
            .column("candidate_number", type: .text)
            .column("series", type: .text)
            .column("awarding_body", type: .text)
            .column("subject_name", type: .text)
            .column("entered_at", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .primaryKey("school_id", "pupil_id", "result_key", "series_date")
            .foreignKey(["school_id", "pupil_id"], references: "pupils", ["school_id", "id"])
            .run()
    }
}
