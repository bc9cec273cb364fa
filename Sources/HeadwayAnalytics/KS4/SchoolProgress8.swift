import Foundation
import HeadwayCore

/// A school's (or any group's) Progress 8: the mean of its pupils' P8 scores with a 95%
/// confidence interval and the DfE band.
///
/// Definition (DfE; `dfe-rules.md` §2.2):
/// - school P8 = the mean of pupil P8 over pupils *with* KS2 prior attainment (n); pupils
///   without it count in A8 only and are reported as ``pupilsWithoutKS2``;
/// - 95% CI = P8 ± 1.96 · σ / √n, with σ the national standard deviation of pupil P8 scores for
///   the year (``StandardDeviation``);
/// - element means likewise (no interval: the DfE publishes none for elements);
/// - band (2017+): ``Band``.
public struct SchoolProgress8: Hashable, Sendable {
    /// The national standard deviation of pupil P8 scores that the confidence interval uses.
    public struct StandardDeviation: Hashable, Sendable {
        /// σ, in P8 points.
        public var value: Double
        /// The KS4 year it describes.
        public var ks4Year: Int
        /// Where it comes from, shown beside an interval.
        public var source: String

        /// A σ with its year and source (e.g. one solved from another year's tables).
        public init(value: Double, ks4Year: Int, source: String) {
            self.value = value
            self.ks4Year = ks4Year
            self.source = source
        }

        /// **σ = 1.2827, KS4 2019** (headline P8, after the 2018+ capping of extreme negative
        /// scores) — solved from the DfE 2019 performance tables
        /// (`shared/data/dfe-ks4-performance-tables-2019/england_ks4provisional_2019.csv`, KS4
        /// 2018/19 provisional, Crown copyright, OGL v3), because the DfE guide's value was not
        /// found (`dfe-rules.md` §2.2).
        ///
        /// Method: each of the 3,525 schools (RECTYPE 1 and 2) with numeric P8MEA, P8CILOW,
        /// P8CIUPP and P8PUP gives σ = (P8CIUPP − P8CILOW) / 2 · √P8PUP / 1.96; their median is
        /// 1.28266 (mean 1.28269; 5th–95th percentile 1.261–1.303, the spread being the 2-dp
        /// rounding of the published bounds). Every one of the 3,525 published widths is
        /// consistent with one σ in [1.28243, 1.28321], which 1.2827 lies in; n is P8PUP (not
        /// P8PUP − TP8ADJ). Rebuilt intervals agree with all 3,525 published ones to 2 dp once the
        /// 2-dp rounding of the published P8MEA is allowed for (1,826 agree at both ends when
        /// rebuilt around the rounded P8MEA itself: the DfE used the unrounded score)
        /// (`KS4PerformanceTablesTests`, `docs/progress-8.md`).
        ///
        /// Headway's own scores are unadjusted (no capping), as the DfE's `_ORIG` columns, whose
        /// intervals use ``ks4_2019Unadjusted``; the headline value is the default because it is
        /// the one schools compare against. In a 150-pupil school the two half-widths are 0.205
        /// and 0.209.
        public static let ks4_2019 = StandardDeviation(
            value: 1.2827, ks4Year: 2019,
            source: "σ 1.2827: national SD of pupil P8, KS4 2019, solved from the DfE 2019 performance tables (P8CILOW/P8CIUPP/P8PUP, 3,525 schools)")

        /// **σ = 1.3074, KS4 2019, unadjusted** (before capping) — solved as ``ks4_2019`` from
        /// P8CILOW_ORIG / P8CIUPP_ORIG: median 1.30740; all 3,525 widths consistent with one σ in
        /// [1.30701, 1.30788]. The headline σ fits only about 60% of the `_ORIG` intervals, so
        /// the DfE used the SD of each score's own distribution.
        public static let ks4_2019Unadjusted = StandardDeviation(
            value: 1.3074, ks4Year: 2019,
            source: "σ 1.3074: national SD of unadjusted pupil P8, KS4 2019, solved from the DfE 2019 performance tables (P8CILOW_ORIG/P8CIUPP_ORIG)")
    }

    /// The DfE's five-way description of a school's P8 (2017+; the codes are the performance
    /// tables' `P8_BANDING`, 1 = well above … 5 = well below).
    public enum Band: Int, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
        /// P8 ≥ 0.5 and the interval's lower bound > 0.
        case wellAbove = 1
        /// The interval is entirely above 0 (and not well above).
        case above = 2
        /// The interval includes 0.
        case average = 3
        /// The interval is entirely below 0 (and not well below).
        case below = 4
        /// P8 ≤ −0.5 and the interval's upper bound < 0.
        case wellBelow = 5

        /// Rule (`dfe-rules.md` §2.2, daisi.education 2019 explaining the DfE bands), applied
        /// to the *unrounded* score and bounds: in the 2019 tables every school shown as −0.50
        /// with an interval below 0 is banded "below", not "well below", so the comparison is on
        /// the unrounded value. The wider ±0.5 thresholds the DfE applies to very small cohorts
        /// (under about 25 pupils) are not modelled: their rule was not found.
        public init(score: Double, lower: Double, upper: Double) {
            if score >= 0.5 && lower > 0 { self = .wellAbove }
            else if score <= -0.5 && upper < 0 { self = .wellBelow }
            else if lower > 0 { self = .above }
            else if upper < 0 { self = .below }
            else { self = .average }
        }

        /// e.g. "well above average".
        public var description: String {
            switch self {
            case .wellAbove: "well above average"
            case .above: "above average"
            case .average: "average"
            case .below: "below average"
            case .wellBelow: "well below average"
            }
        }
    }

    /// Pupils given (with and without KS2).
    public var pupils: Int
    /// Pupils in the P8 measure (with KS2): n.
    public var count: Int
    /// Pupils without KS2: in A8, not in P8.
    public var pupilsWithoutKS2: Int
    /// Sum of the pupils' (A8 − estimate) differences in hundredths; the mean is exact from it.
    public var sumDifferenceHundredths: Int
    /// Mean P8, exact, nil when n = 0.
    public var score: Double?
    /// Mean P8 rounded to 2 dp, halves away from zero, in hundredths.
    public var roundedHundredths: Int?
    /// 95% interval lower bound (unrounded), P8 − 1.96 σ / √n; nil when n = 0.
    public var lower: Double?
    /// 95% interval upper bound (unrounded), P8 + 1.96 σ / √n; nil when n = 0.
    public var upper: Double?
    /// Mean English element score (exact, ÷ 2); nil when n = 0 or the table has no element estimates.
    public var english: Double?
    /// Mean maths element score (exact, ÷ 2); nil as ``english``.
    public var maths: Double?
    /// Mean EBacc element score (exact, ÷ 3); nil as ``english``.
    public var ebacc: Double?
    /// Mean open element score (exact, ÷ 3); nil as ``english``.
    public var open: Double?
    /// The band; nil when n = 0.
    public var band: Band?
    /// σ used for the interval.
    public var standardDeviation: StandardDeviation

    /// Sums pupil scores one at a time, so that a cohort need not keep an array of them.
    public struct Accumulator: Sendable {
        var pupils = 0, count = 0, sum = 0
        var english = 0, maths = 0, ebacc = 0, open = 0, elementCount = 0

        /// An empty sum.
        public init() {}

        /// Adds one pupil: their P8, or nil without KS2.
        public mutating func add(_ p: Progress8?) {
            pupils += 1
            guard let p else { return }
            count += 1
            sum += p.overall.differenceHundredths
            if let pe = p.english, let pm = p.maths, let peb = p.ebacc, let po = p.open {
                english += pe.differenceHundredths
                maths += pm.differenceHundredths
                ebacc += peb.differenceHundredths
                open += po.differenceHundredths
                elementCount += 1
            }
        }

        /// Adds another accumulator's pupils (for work split across threads).
        public mutating func add(_ other: Accumulator) {
            pupils += other.pupils; count += other.count; sum += other.sum
            english += other.english; maths += other.maths; ebacc += other.ebacc; open += other.open
            elementCount += other.elementCount
        }
    }

    /// School P8 from its pupils' scores.
    /// - Parameters:
    ///   - pupils: every pupil's P8, nil for a pupil without KS2 (counted in ``pupilsWithoutKS2``).
    ///   - standardDeviation: national σ of pupil P8 (default: ``StandardDeviation/ks4_2019``,
    ///     the only year solved; label it when the cohort is another year).
    public init(_ pupils: [Progress8?], standardDeviation: StandardDeviation = .ks4_2019) {
        var sums = Accumulator()
        for p in pupils { sums.add(p) }
        self.init(sums, standardDeviation: standardDeviation)
    }

    /// School P8 from summed pupil scores.
    public init(_ sums: Accumulator, standardDeviation: StandardDeviation = .ks4_2019) {
        pupils = sums.pupils
        self.standardDeviation = standardDeviation
        let n = sums.count
        count = n
        pupilsWithoutKS2 = sums.pupils - n
        sumDifferenceHundredths = sums.sum
        guard n > 0 else { return }
        // Mean of (difference / 1000) over n pupils = sum / (1000 n); rounded exactly.
        let mean = Double(sums.sum) / Double(1000 * n)
        score = mean
        roundedHundredths = ProgressScore.divideRoundingHalfAwayFromZero(sums.sum, 10 * n)
        let half = 1.96 * standardDeviation.value / Double(n).squareRoot()
        lower = mean - half
        upper = mean + half
        band = Band(score: mean, lower: mean - half, upper: mean + half)
        if sums.elementCount == n {
            english = Double(sums.english) / Double(200 * n)
            maths = Double(sums.maths) / Double(200 * n)
            ebacc = Double(sums.ebacc) / Double(300 * n)
            open = Double(sums.open) / Double(300 * n)
        }
    }

    /// Mean P8 to 2 dp, e.g. 0.41.
    public var rounded: Double? { roundedHundredths.map { Double($0) / 100 } }

    /// The 95% interval half-width, 1.96 σ / √n.
    public var halfWidth: Double? { count > 0 ? 1.96 * standardDeviation.value / Double(count).squareRoot() : nil }

    /// `0.41 (95% CI 0.21 to 0.61, n = 143)` or `no pupils with KS2`.
    public var summary: String {
        guard let roundedHundredths, let lower, let upper else { return "no pupils with KS2 (n = 0)" }
        return "\(KS4Format.decimal(roundedHundredths, places: 2, trim: false)) "
            + "(95% CI \(SchoolProgress8.twoPlaces(lower)) to \(SchoolProgress8.twoPlaces(upper)), n = \(count))"
    }

    /// A value rounded to 2 dp, halves away from zero, as text.
    static func twoPlaces(_ x: Double) -> String {
        String(format: "%.2f", (x * 100).rounded(.toNearestOrAwayFromZero) / 100 + 0.0)
    }
}
