import Foundation
import HeadwayCore
@testable import HeadwayImport
import Testing

/// Issue 12, item 12: scale files with absurd bounds are refused with a clear message, a huge
/// one-line file gives short messages, and a long run of one kind of issue is counted, not
/// printed in full.
@Suite(.timeLimit(.minutes(1))) struct HugeAndOddInputTests {
    static func scaleError(_ numeric: String) -> ImportIssue? {
        do throws(ImportIssue) {
            _ = try GradeScaleFile.scale(toml: "id = \"odd\"\nname = \"Odd\"\n[numeric]\n" + numeric, file: "odd.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test func aMaximumOf1e19IsRefusedWithItsKeyAndValue() throws {
        let error = try #require(Self.scaleError("minimum = 0\nmaximum = 1e19\n"))
        #expect(error.code == .scaleInvalid)
        #expect(error.file == "odd.toml")
        #expect(error.column == "numeric.maximum")
        #expect(error.value == "1e+19")
        #expect(error.reason.contains("out of range: a scale's values must lie between -1,000,000 and 1,000,000"))
    }

    @Test func aTinyBinWidthIsRefusedWithTheSmallestThatWorks() throws {
        let error = try #require(Self.scaleError("minimum = 0\nmaximum = 100\nbin_width = 0.000000001\n"))
        #expect(error.column == "numeric.bin_width")
        // 100 / 200 bars = 0.5.
        #expect(error.reason.contains("more than 200 bars; use a bin_width of at least 0.5"))
    }

    @Test func aTinyStepIsRefused() throws {
        let tiny = try #require(Self.scaleError("minimum = 0\nmaximum = 10\nstep = 0.00000001\nbin_width = 1\n"))
        #expect(tiny.column == "numeric.step")
        #expect(tiny.reason.contains("at least 0.0001"))
        // 0.001 is shown fine, but 0 to 1,000,000 in steps of 0.001 is 10⁹ values.
        let many = try #require(Self.scaleError("minimum = 0\nmaximum = 1000000\nstep = 0.001\nbin_width = 10000\n"))
        #expect(many.column == "numeric.step")
        #expect(many.reason.contains("more than 1,000,000 values; use a step of at least 1"))
    }

    @Test func hugeGradePointsAreRefused() throws {
        do throws(ImportIssue) {
            _ = try GradeScaleFile.scale(toml: "id = \"odd\"\nname = \"Odd\"\n[[grade]]\ncode = \"A\"\npoints = 1e19\n", file: "odd.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.column == "grade[1].points")
            #expect(error.value == "1e+19")
        }
    }

    @Test func aSaneScaleStillReads() throws {
        let scale = try GradeScaleFile.scale(toml: "id = \"pc\"\nname = \"Percent\"\n[numeric]\nminimum = 0\nmaximum = 100\nbin_width = 0.5\n", file: "pc.toml")
        #expect(scale.distributionBands.count == 201)
    }

    @Test(arguments: [
        // One header line of 20,000 columns (about 200 KB).
        "Adno," + (0..<20_000).map { "col\($0)" }.joined(separator: ","),
        // One 2 MB header with no separator at all.
        String(repeating: "x", count: 2_000_000),
    ])
    func aHugeOneLineFileGivesShortMessages(_ line: String) throws {
        // Every missing-column message used to repeat the whole header.
        let result = try Fixtures.readLong(bytes: Array(line.utf8), name: "huge.csv")
        #expect(!result.issues.isEmpty)
        let descriptions = result.issues.map(\.description)
        #expect(descriptions.allSatisfy { $0.utf8.count < 2_000 }, "\(descriptions.map(\.utf8.count).max() ?? 0)")
        #expect(descriptions.map(\.utf8.count).reduce(0, +) < 100_000)
        if line.hasPrefix("Adno,") {
            // The header list names 20 columns and counts the rest: 20,001 - 20.
            #expect(descriptions.contains { $0.contains("\"col18\" … and 19981 more") })
        } else {
            #expect(descriptions.contains { $0.contains("(cut: 2000000 bytes in all)") })
        }
    }

    @Test func aLongValueIsCutInTheMessage() {
        let issue = ImportIssue(.offScale, file: "g.csv", line: 2, column: "Grade", value: String(repeating: "9", count: 10_000), reason: "not on the scale")
        #expect(issue.description == "g.csv:2: column \"Grade\" value \"" + String(repeating: "9", count: 120) + "…(cut: 10000 bytes in all)\": not on the scale")
    }

    @Test func after100IssuesOfOneKindTheRestAreCounted() {
        let offScale = (1...12_445).map { ImportIssue(.offScale, file: "g.csv", line: $0 + 1, column: "Grade", value: "Q", reason: "not on the scale") }
        let missing = (1...3).map { ImportIssue(.missingValue, severity: .warning, file: "g.csv", line: $0 + 1, column: "UPN", reason: "blank") }
        let lines = ImportIssue.listing(offScale + missing, limit: 0)
        #expect(lines.count == 100 + 3 + 1)
        #expect(lines[0] == "  g.csv:2: column \"Grade\" value \"Q\": not on the scale")
        #expect(lines[99].hasPrefix("  g.csv:101:"))
        #expect(lines[100].hasPrefix("  g.csv:2: warning:"))
        #expect(lines.last == "  … and 12,345 more of this kind (off_scale)")
        // With --show-issues 30: 30 lines, the rest of the kind counted, and the overall rest.
        let limited = ImportIssue.listing(offScale + missing, limit: 30)
        #expect(limited.count == 32)
        #expect(limited[30] == "  … and 12,345 more of this kind (off_scale)")
        #expect(limited[31] == "  … 73 more (use --show-issues 0)")  // 70 errors and 3 warnings under the limits
    }
}
