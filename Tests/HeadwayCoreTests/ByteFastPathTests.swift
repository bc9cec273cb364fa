import HeadwayCore
import Testing

/// Issue 13: UPNs, grades and dates in their usual exact shape are read from bytes, without
/// Foundation; anything else takes the general path. Both paths must give the same answer, so
/// each case is read as typed (fast path) and with spaces around it (general path: trimmed first).
@Suite struct ByteFastPathTests {
    /// Valid, temporary, unknown-LA, wrong-check-letter and malformed UPNs: the same validation
    /// with or without surrounding spaces (spaces are ignored without a warning).
    @Test(arguments: ["H801200001001", "G80120000101A", "R900400001001", "A801200001001", "H8012000A1001",
                      "H80120000100I", "h801200001001", "H80120000100"])
    func upnSameEitherPath(upn: String) {
        #expect(UPN.validate(upn) == UPN.validate("  \(upn) "))
    }

    @Test func validUPNHasNoProblems() throws {
        let result = UPN.validate("H801200001001")
        #expect(result.problems.isEmpty)
        #expect(result.upn?.rawValue == "H801200001001")
        // 900 is no LA number: the fast path must leave it to the general one, which warns.
        #expect(UPN.validate("R900400001001").warnings.map(\.message) == ["characters 2-4 not a recognised LA code"])
    }

    /// Every code and alias of every built-in scale, in upper and lower case, and values that are
    /// not on the scale: the same parse (or the same error) with or without spaces around.
    @Test func gradesSameEitherPath() {
        for scale in GradeScale.builtIn.values {
            var texts = ["X", "x", "Z", "z", "abc", "10", "7++", "4.5", "12,5", "-", "U"]
            for grade in scale.grades { texts += [grade.code, grade.code.lowercased()] + grade.aliases }
            for text in texts {
                #expect(outcome(scale, text) == outcome(scale, " \(text) "), "\(scale.id): \(text)")
            }
        }
    }

    @Test func gradeCodesReadOnBothPaths() throws {
        let gcse = GradeScale.gcse
        #expect(try gcse.parse("7") == .grade(try #require(gcse.grade("7"))))
        #expect(try gcse.parse("x") == .notAssessed)
        let marks = try #require(GradeScale.builtIn[GradeScale.zeroToTwentyID])
        #expect(outcome(marks, "12,5") == outcome(marks, "12.5"))  // a decimal comma reads as a point
    }

    @Test(arguments: ["2010-03-14", "14/03/2010", "2012-02-29", "2011-02-29", "2010-13-01", "31/04/2010", "2010-3-14", "2010/03/14"])
    func datesSameEitherPath(text: String) {
        #expect(CalendarDate(parsing: text) == CalendarDate(parsing: " \(text) "))
    }

    @Test func datesReadFromBytes() {
        #expect(CalendarDate(parsing: "2010-03-14") == CalendarDate(year: 2010, month: 3, day: 14))
        #expect(CalendarDate(parsing: "14/03/2010") == CalendarDate(year: 2010, month: 3, day: 14))
        #expect(CalendarDate(parsing: "2011-02-29") == nil)
        #expect(CalendarDate(parsing: "2012-02-29") == CalendarDate(year: 2012, month: 2, day: 29))
    }

    private func outcome(_ scale: GradeScale, _ text: String) -> String {
        do throws(GradeScale.ParseError) {
            return "value \(String(describing: try scale.parse(text)))"
        } catch {
            return "error \(error.value) \(error.expected)"
        }
    }
}
