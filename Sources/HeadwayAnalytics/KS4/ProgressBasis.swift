import HeadwayCore

/// What a Progress 8 figure is measured against, and whether it must be called an estimate: the
/// label shown beside every P8 figure.
///
/// Rules (issue 3; `dfe-rules.md` §2.1, §2.6; ``KS4ProgressAvailability``):
/// - the estimates are the national means of the *same* KS4 year, known only after results, so a
///   figure against another year's table is an estimate (e.g. forecasts for this summer against
///   the 2023 table);
/// - for cohorts for which the DfE publishes no P8 (2020, 2021, 2025, 2026) any P8 figure is an
///   estimate on the latest table Headway holds;
/// - the table's name and year are always shown.
public struct ProgressBasis: Hashable, Sendable {
    /// The estimates table's name, e.g. "KS4 2023 national A8 estimates (DfE)".
    public var tableName: String
    /// The table's KS4 year.
    public var tableYear: Int
    /// The cohort's KS4 year (summer of its exams), when known.
    public var cohortYear: Int?
    /// The DfE availability row of the cohort's year; nil when the year is unknown or outside
    /// 2016–2027.
    public var availability: KS4ProgressAvailability?

    /// The basis of P8 figures for a cohort.
    /// - Parameters:
    ///   - estimates: the table P8 is measured against.
    ///   - cohortYear: the cohort's KS4 year (summer of its exams); nil when not known (no label).
    public init(estimates: AttainmentEstimates, cohortYear: Int?) {
        tableName = estimates.name
        tableYear = estimates.ks4Year
        self.cohortYear = cohortYear
        availability = cohortYear.flatMap(KS4ProgressAvailability.year)
    }

    /// True when the figure is not the DfE's own for the cohort: the DfE publishes no P8 for the
    /// cohort, the cohort's year is not the table's, or it is not known whether P8 exists.
    public var isEstimate: Bool {
        guard let cohortYear else { return false }
        guard let availability else { return true }
        return !availability.isPublished || cohortYear != tableYear
    }

    /// One line for a reader, e.g.
    /// - `Progress 8 against KS4 2023 national A8 estimates (DfE), KS4 2023`;
    /// - `ESTIMATE: the DfE publishes no Progress 8 for KS4 2025 (no Progress 8: the cohort sat no
    ///   KS2 tests …); value added against KS4 2023 national A8 estimates (DfE), KS4 2023`;
    /// - `ESTIMATE: against KS4 2023 national A8 estimates (DfE), KS4 2023 — not the KS4 2024
    ///   cohort's own estimates`.
    public var label: String {
        let table = "\(tableName), KS4 \(tableYear)"
        guard let cohortYear else { return "Progress 8 against \(table)" }
        guard let availability else {
            return "ESTIMATE: Headway does not know whether the DfE publishes Progress 8 for KS4 \(cohortYear); value added against \(table)"
        }
        if !availability.isPublished {
            return "ESTIMATE: the DfE publishes no Progress 8 for KS4 \(cohortYear) (\(availability.note)); value added against \(table)"
        }
        if cohortYear != tableYear {
            return "ESTIMATE: against \(table) — not the KS4 \(cohortYear) cohort's own estimates"
        }
        return "Progress 8 against \(table)"
    }
}
