import HeadwayCore

/// The progress analysis of a school year at its latest collection, computed once and shared by
/// `headway analyse` and the reports: status against flight paths, residuals, subgroup gaps and
/// transition matrices.
public struct YearAnalysis: Sendable {
    /// Counts of progress status bands for one year group.
    public struct StatusCounts: Hashable, Sendable {
        public var yearGroup: Int
        /// Entries per band, worst first (``ProgressStatus/Band/allCases`` order).
        public var counts: [Int]
        /// Entries with no status (not a grade, no target, no flight path).
        public var unrated: Int
        public var rated: Int { counts.reduce(0, +) }
    }

    /// The collection analysed: the last one of the year.
    public var collection: DataCollection?
    /// Every entry's status at every collection.
    public var evaluation: ProgressStatus.Evaluation
    public var statusCounts: [StatusCounts]
    /// Residual (working-at − flight-path grade) at ``collection``, by subject, class and teacher.
    public var residuals: [ResidualSummary]
    /// Gaps in each pupil's mean residual at ``collection`` (mean over their subjects).
    public var gaps: [SubgroupGap]
    /// KS2 band × working-at grade at ``collection``, per subject.
    public var transitions: [TransitionMatrix]
    /// Pupils with no KS2 prior attainment (no generated target, no flight path).
    public var pupilsWithoutKS2: Int
    /// Forecast A8 / P8 / EBacc / basics for Years 10 and 11 from predicted grades at ``collection``.
    public var forecasts: [KS4Forecast] = []

    /// The analysis at the year's last collection. `forecasts` and `transitions` are computed
    /// when nil (pass them when already computed elsewhere, as ``SchoolAnalysis`` does
    /// concurrently).
    public static func compute(_ index: YearIndex, thresholds: ProgressStatus.Thresholds = .standard,
                               forecasts: [KS4Forecast]? = nil, transitions: [TransitionMatrix]? = nil) -> YearAnalysis {
        let evaluation = ProgressStatus.evaluate(index, thresholds: thresholds)
        guard let latest = index.collections.last else {
            return YearAnalysis(collection: nil, evaluation: evaluation, statusCounts: [], residuals: [], gaps: [], transitions: [],
                                pupilsWithoutKS2: index.year.pupils.filter { $0.priorAttainment?.average == nil }.count)
        }
        let current = evaluation.statuses.filter { $0.collection == latest.id }
        var counts: [Int: StatusCounts] = [:]
        for status in current {
            let y = index.pupils[status.pupil]?.yearGroup ?? 0
            counts[y, default: StatusCounts(yearGroup: y, counts: Array(repeating: 0, count: ProgressStatus.Band.allCases.count), unrated: 0)]
                .counts[ProgressStatus.Band.allCases.firstIndex(of: status.band)!] += 1
        }
        for unrated in evaluation.unrated where unrated.collection == latest.id {
            let y = index.pupils[unrated.pupil]?.yearGroup ?? 0
            counts[y, default: StatusCounts(yearGroup: y, counts: Array(repeating: 0, count: ProgressStatus.Band.allCases.count), unrated: 0)]
                .unrated += 1
        }
        let residuals = current.map { (pair: YearIndex.PupilSubject($0.pupil, $0.subject), residual: $0.residual) }
        // A pupil's outcome is their mean residual. Statuses come by pupil: each pupil is one run.
        var outcome: [Pupil.ID: Double] = [:]
        var start = 0
        while start < current.count {
            var end = start, sum = 0.0
            while end < current.count, current[end].pupil == current[start].pupil {
                sum += current[end].residual
                end += 1
            }
            outcome[current[start].pupil] = sum / Double(end - start)
            start = end
        }
        return YearAnalysis(
            collection: latest, evaluation: evaluation,
            statusCounts: counts.values.sorted { $0.yearGroup < $1.yearGroup },
            residuals: ResidualSummary.compute(residuals, index: index),
            gaps: SubgroupGap.compute(pupils: index.year.pupils, outcome: outcome),
            transitions: transitions ?? TransitionMatrix.compute(index, collection: latest),
            pupilsWithoutKS2: index.year.pupils.filter { $0.priorAttainment?.average == nil }.count,
            forecasts: forecasts ?? KS4Forecast.compute(index, collection: latest))
    }
}
