import Foundation
import HeadwayCore
@testable import HeadwaySynthetic
import Testing

/// The JCQ figures embedded in ``NationalGradeDistribution`` against the shared data file they were
/// copied from (`shared/` sits beside the repository clone, locally and in CI).
@Suite struct NationalDistributionTests {
    static let dataFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/HeadwaySyntheticTests
        .appendingPathComponent("../../../shared/data/jcq-gcse-results")
        .standardizedFileURL

    static func loadJSON(_ name: String) throws -> [[String: Any]] {
        let url = dataFolder.appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]], "\(url.path) is not a JSON array")
    }

    @Test func embeddedFiguresMatchJCQFile() throws {
        let records = try Self.loadJSON("gcse-grades.json")
        func value(_ alias: String, _ name: String) throws -> Double {
            let record = try #require(records.first {
                $0["alias"] as? String == alias && $0["scope"] as? String == "EN16"
                    && $0["gender"] as? String == "All students" && $0["name"] as? String == name
            }, "\(alias) \(name)")
            let data = try #require(record["data"] as? [[Any]])
            let row = try #require(data.first { ($0.first as? NSNumber)?.intValue == 2024 }, "\(alias) 2024")
            return try #require((row.last as? NSNumber)?.doubleValue, "\(alias) \(name) 2024 is null")
        }
        #expect(NationalGradeDistribution.jcqEngland16_2024.count == 18)
        for d in NationalGradeDistribution.jcqEngland16_2024 {
            #expect(try value(d.jcqAlias, "7/A or above") == d.atOrAbove7, "\(d.jcqAlias) 7+")
            #expect(try value(d.jcqAlias, "4/C or above") == d.atOrAbove4, "\(d.jcqAlias) 4+")
            #expect(try value(d.jcqAlias, "1/G or above") == d.atOrAbove1, "\(d.jcqAlias) 1+")
        }
    }

    @Test func embeddedNamesMatchSubjectsFile() throws {
        let subjects = try Self.loadJSON("gcse-subjects.json")
        for d in NationalGradeDistribution.jcqEngland16_2024 {
            let subject = try #require(subjects.first { $0["alias"] as? String == d.jcqAlias }, "\(d.jcqAlias)")
            #expect(subject["subject_name_clean"] as? String == d.jcqName)
        }
    }

    /// Rounding the percentile mapping to whole grades reproduces the cumulative shares.
    @Test func percentileMappingReproducesTheShares() throws {
        let maths = try #require(NationalGradeDistribution.england16_2024("MATH"))
        let n = 100_000
        var grades: [Int] = []
        for i in 0..<n {
            let g = maths.grade(atPercentile: (Double(i) + 0.5) / Double(n))
            grades.append(max(0, min(9, Int(g.rounded()))))
        }
        func share(_ k: Int) -> Double { 100 * Double(grades.filter { $0 >= k }.count) / Double(n) }
        #expect(abs(share(7) - maths.atOrAbove7) < 0.01)
        #expect(abs(share(4) - maths.atOrAbove4) < 0.01)
        #expect(abs(share(1) - maths.atOrAbove1) < 0.01)
        #expect(maths.grade(atPercentile: 0) == -0.5 && maths.grade(atPercentile: 1) == 9.5)
        // Combined science on its half-grade grid: 4-4 or above.
        let science = try #require(NationalGradeDistribution.england16_2024("SCID"))
        let above44 = (0..<n).filter { i in
            (science.grade(atPercentile: (Double(i) + 0.5) / Double(n), halfStep: 0.25) * 2).rounded() >= 8
        }.count
        #expect(abs(100 * Double(above44) / Double(n) - science.atOrAbove4) < 0.01)
    }

    @Test func everyDemoSubjectHasADistribution() {
        let d = DemoSchool.nationalDistributions
        #expect(d["MA"]?.jcqAlias == "MATH")
        #expect(d["EN"]?.jcqAlias == "ENLA")
        #expect(d["EL"]?.jcqAlias == "ENLI")
        #expect(NationalGradeDistribution.england16_2024(for: .englishLiterature) == d["EL"])
        #expect(d["CS"]?.jcqAlias == "SCID")
        #expect(d.count == demo.year.subjects.count)
    }
}

@Suite struct SeededRandomTests {
    @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
        var a = SeededRandom(seed: 1), b = SeededRandom(seed: 1), c = SeededRandom(seed: 2)
        let xs = (0..<100).map { _ in a.next() }
        #expect(xs == (0..<100).map { _ in b.next() })
        #expect(xs != (0..<100).map { _ in c.next() })
        var s1 = SeededRandom(seed: 1, stream: "pupils"), s2 = SeededRandom(seed: 1, stream: "staff")
        #expect(s1.next() != s2.next())
    }

    /// Reference vectors: xoshiro256** from state {1, 2, 3, 4} (Vigna's C reference, as in the
    /// Rust `rand_xoshiro` tests) and SplitMix64 from seed 0 (Vigna's `splitmix64.c`).
    @Test func matchesReferenceImplementations() {
        var rng = SeededRandom(state: (1, 2, 3, 4))
        #expect((0..<4).map { _ in rng.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
        var mixer = SplitMix64(state: 0)
        #expect((0..<3).map { _ in mixer.next() } == [0xe220_a839_7b1d_cdaf, 0x6e78_9e6a_a1b9_65f4, 0x06c4_5d18_8009_454f])
    }

    @Test func uniformAndBoundedDrawsBehave() {
        var rng = SeededRandom(seed: 2026)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[rng.below(10)] += 1 }
        #expect(counts.allSatisfy { (9_500...10_500).contains($0) })
        let units = (0..<100_000).map { _ in rng.nextUnit() }
        #expect(units.allSatisfy { (0..<1).contains($0) })
        #expect(abs(mean(units) - 0.5) < 0.01)
    }

    @Test func normalDrawsHaveMeanZeroAndSDOne() {
        var rng = SeededRandom(seed: 9)
        let xs = (0..<200_000).map { _ in rng.normal() }
        #expect(abs(mean(xs)) < 0.01)
        #expect(abs(standardDeviation(xs) - 1) < 0.01)
        #expect(abs(Double(xs.filter { $0 < -1.96 }.count) / Double(xs.count) - 0.025) < 0.002)
    }

    @Test func shuffleAndSampleArePermutationsAndSubsets() {
        var rng = SeededRandom(seed: 5)
        var items = Array(0..<50)
        rng.shuffle(&items)
        #expect(items.sorted() == Array(0..<50) && items != Array(0..<50))
        let sample = rng.sampleIndices(count: 10, weights: (0..<50).map { $0 % 2 == 0 ? 1 : 0 })
        #expect(sample.count == 10 && Set(sample).count == 10 && sample.allSatisfy { $0 % 2 == 0 })
    }

    @Test func portableMathMatchesThePlatform() {
        for x in [1e-300, 1e-10, 0.001, 0.3, 0.5, 0.999, 1, 1.5, 2, 10, 12345.678, 1e300] {
            #expect(abs(PortableMath.log(x) - Foundation.log(x)) <= 1e-15 * max(1, abs(Foundation.log(x))), "log \(x)")
        }
        // A few units in the last place (2⁻⁵² ≈ 2.2e-16).
        for x in [-700.0, -20, -1, -0.1, 0, 0.1, 0.5, 1, 3, 20, 700] {
            #expect(abs(PortableMath.exp(x) - Foundation.exp(x)) <= 1e-15 * Foundation.exp(x), "exp \(x)")
        }
        #expect(PortableMath.log(1) == 0 && PortableMath.exp(0) == 1)
        for (z, phi) in [(-1.96, 0.024_997_895), (0.0, 0.5), (1.0, 0.841_344_746), (2.326_348, 0.99)] {
            #expect(abs(PortableMath.normalCDF(z) - phi) < 2e-7, "Φ(\(z))")
        }
    }
}
