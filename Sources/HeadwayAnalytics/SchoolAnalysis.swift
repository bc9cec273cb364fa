import HeadwayCore

/// Everything Headway works out about one school year after a collection: completion of every
/// collection, the integrity findings, progress against targets (statuses, residuals, gaps,
/// transitions, KS4 forecasts) and subgroup summaries. Computed once, with independent parts
/// running concurrently, and shared by `headway analyse`, the demo and the reports.
///
/// Speed target (issue 3): under 100 ms for a 1,500-pupil school; measured by
/// `HeadwayBenchmarks --suite school`.
public struct SchoolAnalysis: Sendable {
    public let index: YearIndex
    /// One per collection, in sequence order.
    public let completions: [Completion]
    /// ``Integrity/check(_:completions:history:)`` (without history: no audit-log checks), errors first.
    public let findings: [Finding]
    public let progress: YearAnalysis
    public let subgroups: [SubgroupSummary]

    /// Analyses `year` with the given progress thresholds.
    public static func compute(_ year: SchoolYear, thresholds: ProgressStatus.Thresholds = .standard) async -> SchoolAnalysis {
        await compute(YearIndex(year), thresholds: thresholds)
    }

    /// Analyses an indexed year. Two tasks split the work roughly in half: progress statuses on
    /// one; KS4 forecasts, transition matrices, completion, integrity and subgroups on the other.
    public static func compute(_ index: YearIndex, thresholds: ProgressStatus.Thresholds = .standard) async -> SchoolAnalysis {
        async let forecasts = index.collections.last.map { KS4Forecast.compute(index, collection: $0) } ?? []
        async let transitions = index.collections.last.map { TransitionMatrix.compute(index, collection: $0) } ?? []
        async let rest: (completions: [Completion], findings: [Finding], subgroups: [SubgroupSummary]) = {
            let completions = index.collections.map { Completion(index, collection: $0) }
            return (completions, Integrity.check(index, completions: completions), SubgroupSummary.compute(index))
        }()
        // Forecasts and transitions come from their own tasks.
        var progress = YearAnalysis.compute(index, thresholds: thresholds, forecasts: [], transitions: [])
        progress.forecasts = await forecasts
        progress.transitions = await transitions
        let (completions, findings, subgroups) = await rest
        return SchoolAnalysis(index: index, completions: completions, findings: findings, progress: progress, subgroups: subgroups)
    }
}
