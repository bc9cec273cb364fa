import Foundation
import HeadwayCore
import Testing

@Suite struct GradeScaleTests {
    func grade(_ scale: GradeScale, _ text: String) throws -> GradeScale.Grade {
        guard case .grade(let g)? = try scale.parse(text) else {
            Issue.record("\(text) did not parse to a grade")
            throw CancellationError()
        }
        return g
    }

    @Test func gcseWholeFineAndSplitGrades() throws {
        let s = GradeScale.gcse
        #expect(try grade(s, "7").points == 7)
        #expect(try grade(s, "7+").points == 7 + 1.0 / 3)
        #expect(try grade(s, "7-").points == 7 - 1.0 / 3)
        #expect(try grade(s, "7−").code == "7-")  // Unicode minus typed from Word
        #expect(try grade(s, "7/6").points == 6.5)
        #expect(try grade(s, "u").code == "U")
        #expect(try grade(s, "U").points == 0)
        #expect(try grade(s, " 9 ").code == "9")
        #expect(try grade(s, "7-").band == "7")
        #expect(try grade(s, "7/6").band == "6")
        #expect(s.distributionBands == ["U", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
        // Ordered by points: 6+ < 7/6 < 7- < 7 < 7+
        let order = try ["6+", "7/6", "7-", "7", "7+"].map { try grade(s, $0).points }
        #expect(order == order.sorted())
    }

    @Test(arguments: ["10", "0", "9+", "A*", "7++", "6-5", "4.5", "abc"])
    func gcseRejectsOffScaleValues(text: String) {
        #expect(throws: GradeScale.ParseError.self) { try GradeScale.gcse.parse(text) }
    }

    @Test func nonGradeCodesAndBlankOnEveryScale() throws {
        for scale in GradeScale.builtIn.values {
            #expect(try scale.parse("") == nil, "blank is not yet entered on \(scale.id)")
            #expect(try scale.parse("   ") == nil)
            #expect(try scale.parse("X") == .notAssessed)
            #expect(try scale.parse("x") == .notAssessed)
            #expect(try scale.parse("Z") == .notRequired)
            #expect(EntryValue.notAssessed.points == nil)
            #expect(EntryValue.notRequired.points == nil)
            #expect(EntryValue.offScale("7++").points == nil)
        }
    }

    /// DfE: a combined science double award fills two slots each worth the mean (6-5 → 5.5).
    @Test func combinedScienceDoubleAward() throws {
        let s = GradeScale.combinedScience
        let g = try grade(s, "6-5")
        #expect(g.points == 5.5)
        #expect(g.slots == 2)
        #expect(try grade(s, "6/5").code == "6-5")
        #expect(try grade(s, "9-9").points == 9)
        #expect(try grade(s, "1-1").points == 1)
        #expect(s.grades.count == 18)  // 17 pairs 9-9 … 1-1, plus U
        for bad in ["6-4", "5-6", "10-9", "6"] {
            #expect(throws: GradeScale.ParseError.self, "\(bad)") { try s.parse(bad) }
        }
    }

    @Test func zeroToTwenty() throws {
        let s = GradeScale.zeroToTwenty
        #expect(try grade(s, "0").points == 0)
        #expect(try grade(s, "12").code == "12")
        #expect(try grade(s, "12.5").points == 12.5)
        #expect(try grade(s, "12,5").code == "12.5")
        #expect(try grade(s, "20").band == "20")
        #expect(try grade(s, "12.5").band == "12")
        #expect(s.swingThreshold == 5)
        for bad in ["21", "-1", "12.3", "twelve"] {
            #expect(throws: GradeScale.ParseError.self, "\(bad)") { try s.parse(bad) }
        }
    }

    @Test func percentage() throws {
        let s = GradeScale.percentage
        #expect(try grade(s, "67.5").points == 67.5)
        #expect(try grade(s, "100").code == "100")
        #expect(try grade(s, "67.5").band == "60")
        #expect(s.swingThreshold == 25)
        for bad in ["100.5", "-3", "67.55", "67%x"] {
            #expect(throws: GradeScale.ParseError.self, "\(bad)") { try s.parse(bad) }
        }
    }

    @Test func attitudeToLearning() throws {
        let s = GradeScale.atl
        #expect(try grade(s, "1").label == "Excellent")
        #expect(try grade(s, "4").label == "Cause for concern")
        #expect(!s.higherIsBetter)
        for bad in ["0", "5", "1.5", "E"] {
            #expect(throws: GradeScale.ParseError.self, "\(bad)") { try s.parse(bad) }
        }
    }

    @Test func errorNamesTheValueAndWhatIsExpected() {
        do {
            _ = try GradeScale.atl.parse("5")
            Issue.record("5 should not parse")
        } catch {
            #expect(error.value == "5")
            #expect(error.description.contains("'5' is not on the scale"))
            #expect(error.description.contains("X (not assessed)"))
        }
    }

    @Test func storedValuesComeBackOffScaleWhenUnknown() {
        #expect(GradeScale.gcse.value(stored: "7+") == .grade(GradeScale.gcse.grade("7+")!))
        #expect(GradeScale.gcse.value(stored: "X") == .notAssessed)
        #expect(GradeScale.gcse.value(stored: "A*") == .offScale("A*"))
    }

    @Test func scaleRoundTripsThroughJSON() throws {
        for scale in GradeScale.builtIn.values {
            let decoded = try JSONDecoder().decode(GradeScale.self, from: JSONEncoder().encode(scale))
            #expect(decoded == scale)
            #expect(decoded.grade("7") == scale.grade("7"))
        }
    }
}

/// Issue 12, item 12: odd numeric scales built directly (not through the scale file reader, which
/// now refuses them) must neither crash nor hang: `maximum = 1e19` trapped in `Int(_:)` inside
/// `GradeScale.format`, and a tiny `bin_width` made `distributionBands` build bars for ever.
@Suite(.timeLimit(.minutes(1))) struct OddGradeScaleTests {
    static func scale(_ range: GradeScale.NumericRange) -> GradeScale {
        GradeScale(id: "odd", name: "Odd", numeric: range)
    }

    @Test func formatNeverTraps() {
        #expect(GradeScale.format(12) == "12")
        #expect(GradeScale.format(12.5) == "12.5")
        #expect(GradeScale.format(1e19) == "1e+19")
        #expect(GradeScale.format(-1e19) == "-1e+19")
        #expect(GradeScale.format(1e15 + 1) == "1000000000000001")  // exact, so distinct values stay distinct
        #expect(GradeScale.format(.infinity) == "inf")
        #expect(GradeScale.format(-.infinity) == "-inf")
        #expect(GradeScale.format(.nan) == "nan")
        #expect(GradeScale.format(0.00001) == "0")
    }

    @Test func aMaximumOf1e19GivesAtMost201BarsAndReadsItsValues() throws {
        let s = Self.scale(.init(minimum: 0, maximum: 1e19, step: 1, binWidth: 1))
        let bands = s.distributionBands
        // 1e19 / 200 = 5e16 per bar: 0, 5e16, …, 1e19.
        #expect(bands.count == 201)
        #expect(bands.first == "0")
        #expect(bands[1] == "50000000000000000")
        #expect(bands.last == "1e+19")
        guard case .grade(let top)? = try s.parse("10000000000000000000") else {
            Issue.record("1e19 did not parse")
            return
        }
        #expect(top.code == "1e+19")
        #expect(top.band == "1e+19")
        #expect(s.expectedDescription.contains("from 0 to 1e+19"))
    }

    @Test func aTinyBinWidthIsWidenedTo200Bars() throws {
        let range = GradeScale.NumericRange(minimum: 0, maximum: 100, step: 1, binWidth: 1e-12)
        #expect(range.effectiveBinWidth == 0.5)
        let s = Self.scale(range)
        #expect(s.distributionBands.count == 201)
        #expect(Array(s.distributionBands.prefix(3)) == ["0", "0.5", "1"])
        guard case .grade(let g)? = try s.parse("37") else {
            Issue.record("37 did not parse")
            return
        }
        #expect(g.band == "37")  // a band distributionBands has
        #expect(s.distributionBands.contains(g.band))
    }

    @Test func aZeroNegativeOrInfiniteBinWidthIsOneBarForTheRange() {
        for width in [0, -3, Double.infinity, Double.nan] {
            let s = Self.scale(.init(minimum: 0, maximum: 10, step: 1, binWidth: width))
            #expect(s.distributionBands == ["0", "10"], "\(width)")
        }
    }

    @Test func barsNarrowerThanADoublesSpacingDoNotRepeat() {
        // Around 1e17 doubles are 16 apart: bars 1 wide would coincide.
        let s = Self.scale(.init(minimum: 1e17, maximum: 1e17 + 64, step: 1, binWidth: 1))
        let bands = s.distributionBands
        #expect(Set(bands).count == bands.count)
        #expect(bands.first == "1e+17")
        #expect(bands.last == "1.0000000000000006e+17")  // 17 significant digits: enough to tell doubles apart
    }

    @Test func aRangeWiderThanADoubleHoldsStillEnds() {
        let s = Self.scale(.init(minimum: -1e308, maximum: 1e308, step: 1, binWidth: 1))
        #expect(s.distributionBands.count <= GradeScale.NumericRange.maximumBins + 1)
    }

    @Test func cutForMessageKeepsShortTextAndCutsLongText() {
        #expect("Adno,UPN".cutForMessage() == "Adno,UPN")
        let long = String(repeating: "x", count: 300)
        #expect(long.cutForMessage() == String(repeating: "x", count: 120) + "…(cut: 300 bytes in all)")
        #expect("Zoë Ødegaard".cutForMessage(3) == "Zoë…(cut: 14 bytes in all)")
    }
}
