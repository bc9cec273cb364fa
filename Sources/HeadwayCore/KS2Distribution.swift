/// The national distribution of the KS2 average (mean of the reading and maths scaled scores),
/// approximated by a normal distribution: what places a pupil at a national percentile for
/// percentile-based targets.
///
/// The DfE publishes no standard deviation of scaled scores, so the normal is *fitted* to what it
/// does publish each year (Key stage 2 attainment: national headlines): the share of all pupils
/// meeting the expected standard (scaled score 100 or more) and the higher standard (110 or more)
/// in each test. Scores are whole numbers, so those thresholds sit at 99.5 and 109.5 on a
/// continuous scale; for each test, with zₑ = Φ⁻¹(1 − expected share) and zₕ = Φ⁻¹(1 − higher
/// share):
///
///     σ = (109.5 − 99.5) / (zₕ − zₑ)        μ = 99.5 − σ·zₑ
///
/// The KS2 average then has mean (μ_reading + μ_maths)/2 and standard deviation
/// ½·√(σ_r² + σ_m² + 2ρ·σ_r·σ_m), where ρ, the correlation of a pupil's reading and maths scores,
/// is an **assumption** (0.7 by default: the DfE publishes no figure; 0.6–0.8 moves σ by about
/// ±0.2). The shares include pupils who were absent or working below the test, who sit in the
/// lower tail, so percentiles are among *all* pupils. The fitted means reproduce the DfE's
/// published average scaled scores (reading 105, maths 104 in 2023 and 2024) to within half a
/// point, a check on the approximation.
public struct KS2Distribution: Hashable, Sendable, Identifiable {
    /// Stable key, stored with each percentile target, e.g. `ks2-england-2024`.
    public var id: String
    /// Shown with figures computed from it.
    public var name: String
    /// Where the figures come from, and what was assumed.
    public var source: String
    /// Mean of the KS2 average, in scaled-score points.
    public var mean: Double
    /// Standard deviation of the KS2 average, in scaled-score points.
    public var standardDeviation: Double

    /// A distribution given directly (for a school's own figures, or tests).
    public init(id: String, name: String, source: String, mean: Double, standardDeviation: Double) {
        self.id = id
        self.name = name
        self.source = source
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// The normal fitted to published shares (fractions, 0…1) meeting the expected and higher
    /// standards in reading and maths, with an assumed reading–maths correlation; see the type's
    /// documentation for the arithmetic.
    public static func fitted(id: String, name: String, source: String,
                              readingExpected: Double, readingHigher: Double,
                              mathsExpected: Double, mathsHigher: Double,
                              correlation: Double = 0.7) -> KS2Distribution {
        func fit(_ expected: Double, _ higher: Double) -> (mean: Double, sd: Double) {
            let zExpected = StandardNormal.quantile(1 - expected)
            let zHigher = StandardNormal.quantile(1 - higher)
            let sd = (109.5 - 99.5) / (zHigher - zExpected)
            return (99.5 - sd * zExpected, sd)
        }
        let reading = fit(readingExpected, readingHigher)
        let maths = fit(mathsExpected, mathsHigher)
        let variance = reading.sd * reading.sd + maths.sd * maths.sd + 2 * correlation * reading.sd * maths.sd
        return KS2Distribution(id: id, name: name, source: source, mean: (reading.mean + maths.mean) / 2,
                               standardDeviation: variance.squareRoot() / 2)
    }

    /// KS2 2024, England (DfE, Key stage 2 attainment: national headlines 2023/24): reading 74%
    /// expected, 28% higher standard; maths 73% and 23%; ρ = 0.7 assumed. Mean ≈ 104.39,
    /// SD ≈ 7.17. The default for percentile-based targets. The expected-standard shares are from
    /// the DfE release text; the higher-standard shares as restated by schools' published KS2
    /// results pages (national column), not read from the DfE data file itself (issue 3, 2026-11).
    public static let england2024 = fitted(
        id: "ks2-england-2024", name: "KS2 2024 national (normal fitted to DfE shares)",
        source: "DfE Key stage 2 attainment: national headlines 2023/24 — reading 74% expected / 28% higher, maths 73% / 23%; reading–maths correlation 0.7 assumed",
        readingExpected: 0.74, readingHigher: 0.28, mathsExpected: 0.73, mathsHigher: 0.23)

    /// KS2 2023, England (DfE, Key stage 2 attainment 2022/23): reading 73% expected, 29% higher
    /// standard; maths 73% and 24%; ρ = 0.7 assumed. Mean ≈ 104.45, SD ≈ 7.45. Sources as for
    /// ``england2024``.
    public static let england2023 = fitted(
        id: "ks2-england-2023", name: "KS2 2023 national (normal fitted to DfE shares)",
        source: "DfE Key stage 2 attainment 2022/23 — reading 73% expected / 29% higher, maths 73% / 24%; reading–maths correlation 0.7 assumed",
        readingExpected: 0.73, readingHigher: 0.29, mathsExpected: 0.73, mathsHigher: 0.24)

    /// Every built-in distribution, newest first.
    public static let builtIn: [KS2Distribution] = [england2024, england2023]

    /// The national percentile (0…1, the share of pupils below) of a KS2 average:
    /// Φ((average − mean) / standardDeviation).
    public func percentile(of ks2Average: Double) -> Double {
        StandardNormal.cdf((ks2Average - mean) / standardDeviation)
    }
}
