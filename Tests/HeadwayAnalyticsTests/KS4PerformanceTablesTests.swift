import Foundation
import HeadwayAnalytics
import HeadwayTestSupport
import Testing

/// Real data: the DfE 2019 KS4 performance tables (`shared/data/dfe-ks4-performance-tables-2019`,
/// KS4 2018/19 provisional, Crown copyright, OGL v3). Solves the national σ of pupil P8, rebuilds
/// every school's 95% interval from P8PUP and that σ, and checks the published bands.
@Suite struct KS4PerformanceTablesTests {
    /// One school with numeric P8MEA, P8CILOW, P8CIUPP and P8PUP (and the `_ORIG` columns).
    struct School {
        var urn: String
        var name: String
        var n: Int
        var adjusted: Int
        var score: Double, lower: Double, upper: Double
        var scoreOrig: Double?, lowerOrig: Double?, upperOrig: Double?
        var banding: Int?
    }

    static let schools: [School] = {
        guard let rows = try? SharedFiles.csvRows(at: SharedFiles.url("data/dfe-ks4-performance-tables-2019/england_ks4provisional_2019.csv"))
        else { return [] }
        return rows.compactMap { r in
            func cell(_ c: String) -> String { r[c] ?? "" }
            // Schools only: RECTYPE 1 (mainstream) and 2 (special); 4 is a local authority, 5/7 England.
            guard ["1", "2"].contains(cell("RECTYPE")),
                  let score = Double(cell("P8MEA")), let lower = Double(cell("P8CILOW")), let upper = Double(cell("P8CIUPP")),
                  let n = Int(cell("P8PUP")), n > 0 else { return nil }
            return School(urn: cell("URN"), name: cell("SCHNAME"), n: n, adjusted: Int(cell("TP8ADJ")) ?? 0,
                          score: score, lower: lower, upper: upper,
                          scoreOrig: Double(cell("P8MEA_ORIG")), lowerOrig: Double(cell("P8CILOW_ORIG")), upperOrig: Double(cell("P8CIUPP_ORIG")),
                          banding: Int(cell("P8_BANDING")))
        }
    }()

    /// σ implied by one published interval: (upper − lower) / 2 · √n / 1.96.
    static func impliedSigma(_ lower: Double, _ upper: Double, _ n: Int) -> Double {
        (upper - lower) / 2 * Double(n).squareRoot() / 1.96
    }

    /// Rebuilt from the *published* (2-dp) score: round(P8MEA ± 1.96σ/√n) equals both bounds.
    static func agreesFromRoundedScore(_ score: Double, _ lower: Double, _ upper: Double, n: Int, sigma: Double) -> Bool {
        let half = 1.96 * sigma / Double(n).squareRoot()
        return roundedHundredths(score - half) == roundedHundredths(lower) && roundedHundredths(score + half) == roundedHundredths(upper)
    }

    /// Rebuilt from the unrounded score the DfE used, which the table gives only to 2 dp: some
    /// score t within ±0.005 of P8MEA has round(t − h) = P8CILOW and round(t + h) = P8CIUPP.
    static func agreesWithinRounding(_ score: Double, _ lower: Double, _ upper: Double, n: Int, sigma: Double) -> Bool {
        let half = 1.96 * sigma / Double(n).squareRoot()
        let low = max(lower - 0.005 + half, upper - 0.005 - half, score - 0.005)
        let high = min(lower + 0.005 + half, upper + 0.005 - half, score + 0.005)
        return low <= high + 1e-9
    }

    @Test func performanceTablesHoldTheExpectedSchools() {
        #expect(Self.schools.count == 3_525)
    }

    @Test func nationalStandardDeviationSolvedFromThePublishedIntervals() throws {
        let sigmas = Self.schools.map { Self.impliedSigma($0.lower, $0.upper, $0.n) }.sorted()
        try #require(!sigmas.isEmpty)
        let median = (sigmas[(sigmas.count - 1) / 2] + sigmas[sigmas.count / 2]) / 2
        // Each published bound is rounded to 2 dp, so each width pins σ to an interval; all of them overlap.
        let feasibleLow = Self.schools.map { ($0.upper - $0.lower - 0.01) * Double($0.n).squareRoot() / 3.92 }.max()!
        let feasibleHigh = Self.schools.map { ($0.upper - $0.lower + 0.01) * Double($0.n).squareRoot() / 3.92 }.min()!
        print("KS4 2019 σ of pupil P8 (headline): median \(median) over \(sigmas.count) schools; every width consistent with [\(feasibleLow), \(feasibleHigh)]")
        let sigma = SchoolProgress8.StandardDeviation.ks4_2019.value
        #expect(abs(median - sigma) < 0.00005)
        #expect(feasibleLow < feasibleHigh)
        #expect(feasibleLow <= sigma && sigma <= feasibleHigh)

        let orig = Self.schools.compactMap { s in s.lowerOrig.flatMap { lo in s.upperOrig.map { Self.impliedSigma(lo, $0, s.n) } } }.sorted()
        let medianOrig = (orig[(orig.count - 1) / 2] + orig[orig.count / 2]) / 2
        print("KS4 2019 σ of pupil P8 (unadjusted, _ORIG): median \(medianOrig) over \(orig.count) schools")
        #expect(abs(medianOrig - SchoolProgress8.StandardDeviation.ks4_2019Unadjusted.value) < 0.00005)
    }

    @Test func rebuiltIntervalsAgreeWithThePublishedOnes() {
        let sigma = SchoolProgress8.StandardDeviation.ks4_2019.value
        let schools = Self.schools
        let total = schools.count
        let strict = schools.filter { Self.agreesFromRoundedScore($0.score, $0.lower, $0.upper, n: $0.n, sigma: sigma) }.count
        let consistent = schools.filter { Self.agreesWithinRounding($0.score, $0.lower, $0.upper, n: $0.n, sigma: sigma) }
        let widths = schools.filter {
            abs(roundedHundredths(2 * 1.96 * sigma / Double($0.n).squareRoot()) - roundedHundredths($0.upper - $0.lower)) <= 1
        }.count
        print("P8 95% CI rebuilt from P8PUP and σ \(sigma): \(consistent.count)/\(total) schools agree to 2 dp with P8CILOW/P8CIUPP "
            + "(allowing only for the 2-dp rounding of the published P8MEA); \(strict)/\(total) when rebuilt around the rounded P8MEA itself; "
            + "\(widths)/\(total) widths within 0.01")
        #expect(consistent.count == total, "disagreeing: \(schools.filter { s in !consistent.contains { $0.urn == s.urn } }.prefix(5).map { "\($0.urn) \($0.name)" })")
        #expect(widths == total)
        // Around the rounded score, about half the schools are off by 0.01 at one end: the DfE
        // built the interval around the unrounded score.
        #expect(strict > total * 4 / 10 && strict < total * 7 / 10)

        // The _ORIG (unadjusted) intervals need their own σ …
        let withOrig = schools.filter { $0.scoreOrig != nil && $0.lowerOrig != nil && $0.upperOrig != nil }
        let sigmaOrig = SchoolProgress8.StandardDeviation.ks4_2019Unadjusted.value
        let origAgree = withOrig.filter { Self.agreesWithinRounding($0.scoreOrig!, $0.lowerOrig!, $0.upperOrig!, n: $0.n, sigma: sigmaOrig) }.count
        let origWithHeadline = withOrig.filter { Self.agreesWithinRounding($0.scoreOrig!, $0.lowerOrig!, $0.upperOrig!, n: $0.n, sigma: sigma) }.count
        print("_ORIG intervals: \(origAgree)/\(withOrig.count) agree with σ \(sigmaOrig); \(origWithHeadline)/\(withOrig.count) with the headline σ \(sigma)")
        #expect(origAgree == withOrig.count)
        #expect(origWithHeadline < withOrig.count * 8 / 10)

        // … and n is P8PUP, not P8PUP − TP8ADJ (capped pupils stay in the count).
        let adjustedSchools = schools.filter { $0.adjusted > 0 && $0.n - $0.adjusted > 0 }
        let withoutCapped = adjustedSchools.filter { Self.agreesWithinRounding($0.score, $0.lower, $0.upper, n: $0.n - $0.adjusted, sigma: sigma) }.count
        let feasibleLow = adjustedSchools.map { ($0.upper - $0.lower - 0.01) * Double($0.n - $0.adjusted).squareRoot() / 3.92 }.max() ?? 0
        let feasibleHigh = adjustedSchools.map { ($0.upper - $0.lower + 0.01) * Double($0.n - $0.adjusted).squareRoot() / 3.92 }.min() ?? 0
        print("n = P8PUP − TP8ADJ: \(withoutCapped)/\(adjustedSchools.count) schools with capped pupils agree (all do with n = P8PUP); "
            + "no single σ fits them all (feasible low \(feasibleLow) > high \(feasibleHigh))")
        #expect(withoutCapped < adjustedSchools.count)
        #expect(feasibleLow > feasibleHigh)
    }

    @Test func publishedBandsFollowTheRuleOnUnroundedScores() {
        let banded = Self.schools.filter { $0.banding != nil }
        var agree = 0
        var ties: [School] = []
        for s in banded {
            if SchoolProgress8.Band(score: s.score, lower: s.lower, upper: s.upper).rawValue == s.banding! {
                agree += 1
            } else {
                ties.append(s)
            }
        }
        print("P8_BANDING: \(agree)/\(banded.count) schools agree; \(ties.count) differ, all at a rounded score of ±0.50 or a bound of 0.00")
        #expect(banded.count > 3_000)
        // A disagreement is only possible where the 2-dp figures hide which side of a threshold
        // the unrounded score or bound is on.
        for s in ties {
            let atThreshold = abs(abs(s.score) - 0.5) < 1e-9 || abs(s.lower) < 1e-9 || abs(s.upper) < 1e-9
            #expect(atThreshold, "\(s.urn) \(s.name): \(s.score) [\(s.lower), \(s.upper)] banded \(s.banding!)")
        }
    }
}
