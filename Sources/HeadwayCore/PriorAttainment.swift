/// A pupil's Key Stage 2 prior attainment: the reading and maths test scaled scores from the end
/// of primary school, their mean (the KS2 "average point score" used as the Progress 8 baseline)
/// and its band.
///
/// Rules (DfE secondary accountability guidance, scaled-score era, KS4 2022 onward; see
/// `shared/reference/dfe-rules.md` §2.3 and §4):
/// - the baseline is the mean of reading and maths; with one missing, the other alone; with
///   neither, there is no baseline (the pupil counts in A8, not in P8);
/// - scaled scores run 80–120; pupils who sat a test but scored below 80 carry the nominal 79, and
///   pupils working below the test carry lower nominal values, down to 59 (the lowest prior
///   attainment group in the DfE 2023 estimates).
public struct PriorAttainment: Hashable, Sendable, Codable {
    /// KS2 reading test scaled score, 59–120 (below 80 only as a DfE nominal value).
    public var readingScaledScore: Int?
    /// KS2 maths test scaled score, 59–120 (below 80 only as a DfE nominal value).
    public var mathsScaledScore: Int?

    /// Scores a stored KS2 result may take.
    public static let validScaledScores = 59...120

    public init(readingScaledScore: Int?, mathsScaledScore: Int?) {
        self.readingScaledScore = readingScaledScore
        self.mathsScaledScore = mathsScaledScore
    }

    /// The KS2 average: mean of the two scores, the one present, or nil. Lies on a 0.5 grid.
    public var average: Double? {
        switch (readingScaledScore, mathsScaledScore) {
        case let (r?, m?): Double(r + m) / 2
        case let (r?, nil): Double(r)
        case let (nil, m?): Double(m)
        case (nil, nil): nil
        }
    }

    /// The band of ``average``, nil without one.
    public var band: Band? { average.map(Band.init(average:)) }

    /// Low / middle / high prior attainment, scaled-score era: low below 100, middle 100 to below
    /// 110, high 110 and above (`shared/reference/prior-attainment-bands.csv`, citing DfE
    /// 2021/22 guidance).
    public enum Band: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
        case low, middle, high

        public init(average: Double) {
            self = average < 100 ? .low : average < 110 ? .middle : .high
        }

        public static func < (lhs: Band, rhs: Band) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }
}
