/// Descriptive statistics with an honest interval, for means Headway shows to leaders.
///
/// Intervals are 95% two-sided, using Student's t with n − 1 degrees of freedom for one mean
/// and Welch's t (Welch–Satterthwaite degrees of freedom) for a difference of two means, so that
/// small groups get the wide intervals they deserve. Fewer than 2 values give no interval.
public struct MeanSummary: Hashable, Sendable {
    public var count: Int
    public var mean: Double
    /// Sample standard deviation (n − 1 denominator); 0 for one value.
    public var standardDeviation: Double
    /// Standard error of the mean, sd / √n.
    public var standardError: Double { count > 0 ? standardDeviation / Double(count).squareRoot() : .nan }
    /// 95% confidence interval for the mean; nil for fewer than 2 values.
    public var interval: ClosedRange<Double>? {
        guard count >= 2 else { return nil }
        let half = StudentT.critical95(degreesOfFreedom: Double(count - 1)) * standardError
        return (mean - half)...(mean + half)
    }

    /// Summarises `values`; nil when empty. One pass (Welford), stable for large n.
    public init?<S: Sequence>(_ values: S) where S.Element == Double {
        var moments = RunningMoments()
        for x in values { moments.add(x) }
        self.init(moments)
    }

    /// The summary of accumulated moments; nil when empty.
    public init?(_ moments: RunningMoments) {
        guard moments.count > 0 else { return nil }
        count = moments.count
        mean = moments.mean
        standardDeviation = moments.count > 1 ? (moments.sumOfSquaredDeviations / Double(moments.count - 1)).squareRoot() : 0
    }
}

/// Count, mean and sum of squared deviations, accumulated one value at a time (Welford) and
/// mergeable (Chan et al.), so chunks summed on different cores combine without a second pass.
public struct RunningMoments: Hashable, Sendable {
    public private(set) var count = 0
    public private(set) var mean = 0.0
    public private(set) var sumOfSquaredDeviations = 0.0

    public init() {}

    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        sumOfSquaredDeviations += delta * (x - mean)
    }

    public mutating func merge(_ other: RunningMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let total = count + other.count, delta = other.mean - mean
        mean += delta * Double(other.count) / Double(total)
        sumOfSquaredDeviations += other.sumOfSquaredDeviations + delta * delta * Double(count) * Double(other.count) / Double(total)
        count = total
    }
}

/// The difference between a group's mean and a comparison group's (group − comparison), with
/// Welch's 95% interval. A gap whose interval spans zero is not distinguishable from no gap.
public struct MeanDifference: Hashable, Sendable {
    public var group: MeanSummary
    public var comparison: MeanSummary
    public var difference: Double { group.mean - comparison.mean }

    /// Welch–Satterthwaite degrees of freedom; nil when either group has fewer than 2 values or
    /// both have no spread.
    public var degreesOfFreedom: Double? {
        guard group.count >= 2, comparison.count >= 2 else { return nil }
        let a = group.standardError * group.standardError
        let b = comparison.standardError * comparison.standardError
        guard a + b > 0 else { return nil }
        return (a + b) * (a + b) / (a * a / Double(group.count - 1) + b * b / Double(comparison.count - 1))
    }

    /// 95% interval for the difference; nil when it cannot be estimated (see ``degreesOfFreedom``).
    public var interval: ClosedRange<Double>? {
        guard let df = degreesOfFreedom else { return nil }
        let se = (group.standardError * group.standardError + comparison.standardError * comparison.standardError).squareRoot()
        let half = StudentT.critical95(degreesOfFreedom: df) * se
        return (difference - half)...(difference + half)
    }

    public init(group: MeanSummary, comparison: MeanSummary) {
        self.group = group
        self.comparison = comparison
    }
}

/// Two-sided 95% critical values of Student's t distribution.
public enum StudentT {
    /// t₀.₉₇₅ for 1–30 degrees of freedom (standard statistical tables).
    static let table: [Double] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]
    /// Beyond 30: (df, t) anchors from the same tables, interpolated linearly in 1/df, with the
    /// normal 1.960 as df → ∞.
    static let anchors: [(df: Double, t: Double)] = [(30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980), (.infinity, 1.960)]

    /// The critical value for `degreesOfFreedom` (fractional values, as from Welch, are
    /// interpolated). Accurate to ±0.001 against exact quantiles for df ≥ 1.
    public static func critical95(degreesOfFreedom df: Double) -> Double {
        guard df.isFinite else { return 1.960 }
        if df <= 1 { return table[0] }
        if df <= 30 {
            let lower = Int(df.rounded(.down))
            let fraction = df - Double(lower)
            let a = table[lower - 1]
            let b = lower < 30 ? table[lower] : a
            // Interpolate in 1/df, which is nearly linear for t quantiles.
            guard fraction > 0 else { return a }
            let w = (1 / Double(lower) - 1 / df) / (1 / Double(lower) - 1 / Double(lower + 1))
            return a + (b - a) * w
        }
        for (low, high) in zip(anchors, anchors.dropFirst()) where df <= high.df {
            let x = 1 / df, x0 = 1 / low.df, x1 = high.df.isFinite ? 1 / high.df : 0
            return low.t + (high.t - low.t) * (x0 - x) / (x0 - x1)
        }
        return 1.960
    }
}
