import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

@Suite struct StatisticsTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 5e-4) -> Bool { abs(a - b) <= tolerance }

    /// 2 4 4 4 5 5 7 9: mean 5, sample sd √(32/7) = 2.1381, se = 0.7559; t(7) = 2.365 → ±1.7877.
    @Test func meanWithStudentInterval() throws {
        let s = try #require(MeanSummary([2, 4, 4, 4, 5, 5, 7, 9]))
        #expect(s.count == 8)
        #expect(s.mean == 5)
        #expect(close(s.standardDeviation, 2.13809))
        let ci = try #require(s.interval)
        #expect(close(ci.lowerBound, 3.2123))
        #expect(close(ci.upperBound, 6.7877))
        #expect(MeanSummary([3])?.interval == nil)
        #expect(MeanSummary([Double]()) == nil)
    }

    /// Welch: [1 2 3 4] (mean 2.5, se² 5/12) vs [2 4 6 8 10] (mean 6, se² 2): difference −3.5,
    /// se 1.55456, df = 2.41667² / ((5/12)²/3 + 2²/4) = 5.5208, t ≈ 2.5008 → ±3.8877.
    @Test func welchDifference() throws {
        let d = MeanDifference(group: try #require(MeanSummary([1, 2, 3, 4])), comparison: try #require(MeanSummary([2, 4, 6, 8, 10])))
        #expect(d.difference == -3.5)
        #expect(close(try #require(d.degreesOfFreedom), 5.5208))
        let ci = try #require(d.interval)
        #expect(close(ci.lowerBound, -7.3877, 2e-3))
        #expect(close(ci.upperBound, 0.3877, 2e-3))
    }

    @Test func tCriticalValues() {
        #expect(StudentT.critical95(degreesOfFreedom: 1) == 12.706)
        #expect(StudentT.critical95(degreesOfFreedom: 10) == 2.228)
        #expect(StudentT.critical95(degreesOfFreedom: 30) == 2.042)
        #expect(close(StudentT.critical95(degreesOfFreedom: 60), 2.000))
        #expect(close(StudentT.critical95(degreesOfFreedom: 1_000_000), 1.960))
        #expect(StudentT.critical95(degreesOfFreedom: .infinity) == 1.960)
    }

    @Test func transitionMatrixCountsGradesByPriorAttainmentBand() throws {
        let index = YearIndex(Fixtures.smallSchool())
        let ma = try #require(TransitionMatrix.compute(index, collection: index.collections[0]).first { $0.subject == "MA" })
        #expect(ma.rows == ["low", "middle", "high", "none"])
        #expect(ma.columns == ["U", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
        // P002 (KS2 98, low) 4+ → 4; P001 (106, middle) 5 → 5; P003 (no KS2) 7/6 → 6.
        #expect(ma.counts[0][4] == 1)
        #expect(ma.counts[1][5] == 1)
        #expect(ma.counts[3][6] == 1)
        #expect(ma.counts.flatMap { $0 }.reduce(0, +) == 3)
    }

    @Test func gapsCompareTheStandardGroups() throws {
        let pupils = (0..<8).map { i in
            Pupil(id: Pupil.ID("G\(i)"), yearGroup: 10,
                  characteristics: [Characteristic.disadvantaged: i < 4 ? "true" : "false", Characteristic.gender: i % 2 == 0 ? "F" : "M"])
        }
        // Disadvantaged 3 4 5 6 (mean 4.5); others 5 6 7 8 (mean 6.5): gap −2.
        let values: [Double] = [3, 4, 5, 6, 5, 6, 7, 8]
        let outcome = Dictionary(uniqueKeysWithValues: zip(pupils.map(\.id), values))
        let gaps = SubgroupGap.compute(pupils: pupils, outcome: outcome)
        let disadvantaged = try #require(gaps.first { $0.characteristic == Characteristic.disadvantaged })
        #expect(disadvantaged.difference.group.count == 4)
        #expect(disadvantaged.difference.group.mean == 4.5)
        #expect(disadvantaged.difference.comparison.mean == 6.5)
        #expect(disadvantaged.difference.difference == -2)
        // Equal spread (sd 1.291) and n: df = 6, se = 0.9129, t(6) = 2.447 → ±2.2339.
        let ci = try #require(disadvantaged.difference.interval)
        #expect(abs(ci.lowerBound - (-4.2339)) < 1e-3 && abs(ci.upperBound - 0.2339) < 1e-3)
        #expect(gaps.filter { $0.characteristic == Characteristic.gender }.map(\.group) == ["F", "M"])
        #expect(!gaps.contains { $0.characteristic == Characteristic.sen })  // nobody has SEN recorded
    }
}
