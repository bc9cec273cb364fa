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
