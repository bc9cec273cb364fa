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
        #expect(SubgroupGap.compute(pupils: pupils, outcome: outcome).isEmpty)  // 4 pupils a side: under the minimum of 5
        let gaps = SubgroupGap.compute(pupils: pupils, outcome: outcome, minimumGroupSize: 2)
        let disadvantaged = try #require(gaps.first { $0.characteristic == Characteristic.disadvantaged })
        #expect(disadvantaged.difference.group.count == 4)
        #expect(disadvantaged.difference.group.mean == 4.5)
        #expect(disadvantaged.difference.comparison.mean == 6.5)
        #expect(disadvantaged.difference.difference == -2)
        // Equal spread (sd 1.291) and n: df = 6, se = 0.9129, t(6) = 2.447 → ±2.2339.
        let ci = try #require(disadvantaged.difference.interval)
        #expect(abs(ci.lowerBound - (-4.2339)) < 1e-3 && abs(ci.upperBound - 0.2339) < 1e-3)
        // Two recorded genders: one comparison, girls vs boys (issue 12, item 7), not "F vs not F"
        // and "M vs not M". Girls 3 5 5 7 (mean 5), boys 4 6 6 8 (mean 6): gap −1.
        let gender = gaps.filter { $0.characteristic == Characteristic.gender }
        #expect(gender.map { "\($0.group) vs \($0.comparison) \($0.difference.difference)" } == ["F vs M -1.0"])
        #expect(gender.map(PlainLabel.gap) == ["girls vs boys"])
        #expect(!gaps.contains { $0.characteristic == Characteristic.sen })  // nobody has SEN recorded
    }

    /// With three or more recorded genders each is compared with the rest (none of them is "the other").
    @Test func threeRecordedGendersAreEachComparedWithTheRest() {
        let pupils = (0..<6).map { i in
            Pupil(id: Pupil.ID("G\(i)"), yearGroup: 10, characteristics: [Characteristic.gender: ["F", "M", "X"][i % 3]])
        }
        let outcome = Dictionary(uniqueKeysWithValues: pupils.map { ($0.id, 1.0) })
        let gaps = SubgroupGap.compute(pupils: pupils, outcome: outcome, minimumGroupSize: 2)
        #expect(gaps.map { "\($0.group) vs \($0.comparison)" } == ["F vs not F", "M vs not M", "X vs not X"])
        #expect(gaps.map(PlainLabel.gap) == ["girls vs not girls", "boys vs not boys", "X vs not X"])
    }

    /// One place for the words (issue 12, item 7): no `prior_attainment_band`, no `true vs false`.
    @Test func plainLabelsNameGroupsInWords() {
        #expect(PlainLabel.characteristic(Characteristic.priorAttainmentBand) == "prior attainment band")
        #expect(PlainLabel.characteristic(Characteristic.lookedAfter) == "looked after")
        #expect(PlainLabel.characteristic(Characteristic.sen) == "SEN")
        #expect(PlainLabel.value("true", of: Characteristic.disadvantaged) == "disadvantaged")
        #expect(PlainLabel.value("false", of: Characteristic.disadvantaged) == "not disadvantaged")
        #expect(PlainLabel.value("K", of: Characteristic.sen) == "SEN support")
        #expect(PlainLabel.value("none", of: Characteristic.priorAttainmentBand) == "no KS2 result")
        #expect(PlainLabel.value("true", of: "schoolsup") == "yes")
        #expect(PlainLabel.gap(characteristic: Characteristic.disadvantaged, group: "true", comparison: "false") == "disadvantaged vs not disadvantaged")
        #expect(PlainLabel.gap(characteristic: Characteristic.sen, group: "E", comparison: "N") == "EHC plan vs no SEN")
        #expect(PlainLabel.gap(characteristic: Characteristic.priorAttainmentBand, group: "low", comparison: "middle") == "low vs middle prior attainment")
        #expect(PlainLabel.gap(characteristic: "schoolsup", group: "true", comparison: "false") == "schoolsup: yes vs no")
        #expect(PlainLabel.check(.offScale) == "grades not on the subject's scale")
    }
}

@Suite struct ResidualTests {
    /// P001 MA +1, P002 MA −1, P001 SC +0.5 (10X/Sc1, JSM and RPA), P004 HI7 +2 (7C/Hi, RPA).
    @Test func residualsBySubjectClassAndTeacher() throws {
        let index = YearIndex(Fixtures.smallSchool())
        let input: [(pair: YearIndex.PupilSubject, residual: Double)] = [
            (.init("P001", "MA"), 1), (.init("P002", "MA"), -1), (.init("P001", "SC"), 0.5), (.init("P004", "HI7"), 2),
        ]
        let rows = ResidualSummary.compute(input, index: index)
        func row(_ level: ResidualSummary.Level, _ key: String) throws -> ResidualSummary {
            try #require(rows.first { $0.level == level && $0.key == key })
        }
        #expect(try row(.subject, "MA").summary.mean == 0)
        #expect(try row(.subject, "MA").summary.count == 2)
        #expect(try row(.subject, "MA").label == "Mathematics")
        #expect(try row(.teachingGroup, "7C/Hi").summary.mean == 2)
        let jsm = try row(.teacher, "JSM")
        #expect(jsm.summary.count == 3)
        #expect(abs(jsm.summary.mean - 0.5 / 3) < 1e-12)
        #expect(try row(.teacher, "RPA").summary.mean == 1.25)
        #expect(try row(.teacher, "RPA").label == "Mr Patel (RPA)")
        #expect(rows.filter { $0.level == .subject }.map(\.key) == ["MA", "SC", "HI7"])  // lowest mean first
    }
}
