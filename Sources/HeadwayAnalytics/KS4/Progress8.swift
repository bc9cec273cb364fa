import HeadwayCore

/// A progress score kept exact: a difference in hundredths of an A8 point divided by a whole
/// divisor (10 for Progress 8, 2 for the English and maths elements, 3 for EBacc and open), so
/// that rounding to 2 dp is exact too.
///
/// Rounding (`dfe-rules.md` §2.1, the worked examples): to 2 dp, halves away from zero
/// (−1.495 → −1.50, 2.305 → 2.31). In floating point these come out wrong (2.3049999…), which is
/// why the score is not a `Double` until it is shown.
public struct ProgressScore: Hashable, Sendable, Comparable {
    // Stored in 8 bytes: a cohort keeps five of these per pupil.
    private let difference32: Int32
    private let divisor32: Int32

    /// A score.
    /// - Parameters:
    ///   - differenceHundredths: points minus estimate, in hundredths (|value| < 2^31).
    ///   - divisor: 10, 2 or 3 (any positive whole number).
    public init(differenceHundredths: Int, divisor: Int) {
        precondition(divisor > 0, "a progress score divides by a positive slot count")
        difference32 = Int32(differenceHundredths)
        divisor32 = Int32(divisor)
    }

    /// The difference (A8 or element points minus estimate) in hundredths of a point.
    public var differenceHundredths: Int { Int(difference32) }
    /// 10, 2 or 3.
    public var divisor: Int { Int(divisor32) }

    /// The exact value, e.g. 1.232 or 0.99333….
    public var exact: Double { Double(differenceHundredths) / Double(100 * divisor) }

    /// The value rounded to 2 dp, halves away from zero, in hundredths (e.g. −150 for −1.495).
    public var roundedHundredths: Int { ProgressScore.divideRoundingHalfAwayFromZero(differenceHundredths, divisor) }

    /// The value rounded to 2 dp, halves away from zero, e.g. 1.23.
    public var rounded: Double { Double(roundedHundredths) / 100 }

    /// `rounded` as text with two decimals: `1.23`, `-1.50`, `0.60`.
    public var roundedText: String { KS4Format.decimal(roundedHundredths, places: 2, trim: false) }

    /// `exact` as text: the terminating decimal when there is one (`1.232`, `0.6`, `-1.495`),
    /// else 6 decimals (`0.993333`).
    public var exactText: String {
        // 100 × divisor divides a power of ten when the divisor is made of 2s and 5s.
        var d = divisor, places = 2
        while d % 10 == 0 { d /= 10; places += 1 }
        while d % 2 == 0 { d /= 2; places += 1 }
        while d % 5 == 0 { d /= 5; places += 1 }
        if d == 1 {
            var scale = 1
            for _ in 0..<places { scale *= 10 }
            let scaled = differenceHundredths * (scale / 100) / divisor
            return KS4Format.decimal(scaled, places: places, trim: true)
        }
        let micro = ProgressScore.divideRoundingHalfAwayFromZero(differenceHundredths * 10_000, divisor)
        return KS4Format.decimal(micro, places: 6, trim: true)
    }

    /// `a / b` rounded to the nearest integer, halves away from zero (b > 0).
    static func divideRoundingHalfAwayFromZero(_ a: Int, _ b: Int) -> Int {
        let q = a.magnitude / b.magnitude, r = a.magnitude % b.magnitude
        let rounded = Int(r * 2 >= b.magnitude ? q + 1 : q)
        return a < 0 ? -rounded : rounded
    }

    /// Orders by exact value (whatever the divisors).
    public static func < (a: ProgressScore, b: ProgressScore) -> Bool {
        a.differenceHundredths * b.divisor < b.differenceHundredths * a.divisor
    }
}

/// A pupil's Progress 8 against one estimates table: their KS2 average and prior attainment
/// group, the estimates for that group, and the overall and element scores.
///
/// Definition (DfE; `dfe-rules.md` §2.1):
/// - P8 = (A8 − the group's A8 estimate) ÷ 10;
/// - English element = (English points − English estimate) ÷ 2, maths likewise ÷ 2, EBacc and
///   open ÷ 3; P8 is the slot-weighted mean of the four (2E + 2M + 3EB + 3O) ÷ 10;
/// - the estimate is the table's sum of its four element estimates (the DfE's own total may
///   differ by about ±0.02 because the elements are rounded, §2.4 caveat 1);
/// - a pupil with no KS2 reading and no KS2 maths has no P8 (and counts in A8 only).
///
/// Not modelled: the 2018+ capping of extremely negative scores at a per-group minimum (§2.7;
/// the DfE's minima were not found), so scores are *unadjusted*, as the DfE's `P8MEA_ORIG`.
public struct Progress8: Hashable, Sendable {
    /// The KS4 year of the table measured against (shown beside every figure; its name is in
    /// ``ProgressBasis``, kept once per cohort rather than once per pupil).
    public var tableYear: Int
    /// KS2 average on a 0.5 grid (reading and maths, or the one present).
    public var ks2Average: Double
    /// The prior attainment group's row of the table.
    public var estimate: AttainmentEstimates.Row
    /// The pupil's A8 in hundredths.
    public var attainment8Hundredths: Int
    /// P8 = (A8 − estimate) ÷ 10.
    public var overall: ProgressScore
    /// English element: (English points − English estimate) ÷ 2; nil when the table gives
    /// totals only (the 2019 early table).
    public var english: ProgressScore?
    /// Maths element: (maths points − maths estimate) ÷ 2; nil as ``english``.
    public var maths: ProgressScore?
    /// EBacc element: (EBacc points − EBacc estimate) ÷ 3; nil as ``english``.
    public var ebacc: ProgressScore?
    /// Open element: (open points − open estimate) ÷ 3; nil as ``english``.
    public var open: ProgressScore?

    /// The A8 estimate, 0–90.
    public var estimateTotal: Double { estimate.total }

    /// Progress 8 for a pupil.
    /// - Parameters:
    ///   - a8: the pupil's ``Attainment8``.
    ///   - prior: KS2 reading and maths.
    ///   - estimates: the table to measure against (e.g. ``AttainmentEstimates/ks4_2023``).
    /// - Returns: nil when the pupil has no KS2 average or the table is empty.
    public static func compute(_ a8: Attainment8, prior: PriorAttainment, estimates: AttainmentEstimates) -> Progress8? {
        guard let average = prior.average, let row = estimates.row(for: average) else { return nil }
        func h(_ x: Double) -> Int { Int((x * 100).rounded()) }
        func element(_ points: Int, _ estimate: Double?, _ divisor: Int) -> ProgressScore? {
            estimate.map { ProgressScore(differenceHundredths: points - h($0), divisor: divisor) }
        }
        return Progress8(
            tableYear: estimates.ks4Year, ks2Average: average, estimate: row,
            attainment8Hundredths: a8.totalHundredths,
            overall: ProgressScore(differenceHundredths: a8.totalHundredths - h(row.total), divisor: 10),
            english: element(a8.englishHundredths, row.english, 2),
            maths: element(a8.mathsHundredths, row.maths, 2),
            ebacc: element(a8.ebaccHundredths, row.ebacc, 3),
            open: element(a8.openHundredths, row.open, 3))
    }

    /// The working, e.g. `KS2 average 106 → group 20 (105.5–106), estimate 47.68 on KS4 2023 …`,
    /// `Progress 8 = (60 − 47.68) ÷ 10 = 1.232 → 1.23`.
    /// - Parameter tableName: the estimates table's name (``AttainmentEstimates/name``).
    public func explanation(tableName: String) -> [String] {
        let r = estimate
        var lines = ["KS2 average \(KS4Format.points(Int((ks2Average * 100).rounded()))) → prior attainment group \(r.group) "
            + "(\(KS4Format.points(Int((r.ks2Minimum * 100).rounded())))–\(KS4Format.points(Int((r.ks2Maximum * 100).rounded())))), "
            + "A8 estimate \(KS4Format.points(Int((r.total * 100).rounded()))) on \(tableName) (KS4 \(tableYear))"]
        lines.append("Progress 8 = (\(KS4Format.points(attainment8Hundredths)) − \(KS4Format.points(Int((r.total * 100).rounded())))) ÷ 10 = \(overall.exactText) → \(overall.roundedText)")
        for (name, score, est, div) in [("English", english, r.english, 2), ("Maths", maths, r.maths, 2),
                                        ("EBacc", ebacc, r.ebacc, 3), ("Open", open, r.open, 3)] {
            guard let score, let est else { continue }
            let points = score.differenceHundredths + Int((est * 100).rounded())
            lines.append("\(name) element = (\(KS4Format.points(points)) − \(KS4Format.points(Int((est * 100).rounded())))) ÷ \(div) = \(score.roundedText)")
        }
        return lines
    }
}
