import Foundation
import HeadwayCore
@testable import HeadwayReports
import Testing

/// Print legibility (issue 12, item 8): no text under 9 pt in any built-in page's styles, headers
/// that wrap only between words, trend charts tall enough to show a change of grade, and chart
/// labels that fit their drawing.
@Suite struct PrintLegibilityTests {
    /// Every built-in page template (each inserts ``ReportStyle/base`` or ``LeaderPack/style``).
    static let templates: [(name: String, text: String)] = [
        ("headline", HeadlineReport.defaultTemplate), ("integrity", IntegrityReport.defaultTemplate),
        ("parent report", ParentReport.defaultTemplate), ("pupil record", PupilRecord.defaultTemplate),
        ("meeting sheets", MeetingSheets.defaultTemplate), ("department pack", LeaderPack.Department.defaultTemplate),
        ("year-group pack", LeaderPack.YearGroup.defaultTemplate), ("governors' summary", LeaderPack.Governors.defaultTemplate),
    ]

    /// The CSS between `<style>` and `</style>`.
    static func css(_ template: String) -> String {
        guard let open = template.range(of: "<style>"), let close = template.range(of: "</style>") else { return "" }
        return String(template[open.upperBound..<close.lowerBound])
    }

    /// (selector, declarations) of each rule, `@media` blocks opened up.
    static func rules(_ css: String) -> [(selector: String, body: String)] {
        var out: [(String, String)] = []
        var selector = ""
        var depth = 0, body = ""
        for c in css {
            switch c {
            case "{":
                if depth == 0 && selector.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("@media") { selector = ""; depth = 0; continue }
                depth += 1
            case "}":
                if depth == 0 { continue }  // the end of an @media block
                depth -= 1
                out.append((selector.trimmingCharacters(in: .whitespacesAndNewlines), body))
                selector = ""; body = ""
            default:
                if depth == 0 { selector.append(c) } else { body.append(c) }
            }
        }
        return out
    }

    /// The capture groups of every match of `pattern` in `text`.
    static func captures(_ pattern: String, in text: String) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (1..<m.numberOfRanges).map { String(text[Range(m.range(at: $0), in: text)!]) }
        }
    }

    /// A font size in points: pt as written; rem and px at the browser's 16 px = 12 pt.
    static func points(_ value: Double, _ unit: String) -> Double? {
        switch unit {
        case "pt": value
        case "rem": value * 12
        case "px": value * 0.75
        default: nil
        }
    }

    @Test func noFontSizeBelowNinePointInAnyStyle() throws {
        let pattern = try NSRegularExpression(pattern: #"font-size:\s*([0-9.]+)(pt|rem|px|em|%)"#)
        var checked = 0
        for (name, template) in Self.templates {
            let css = Self.css(template)
            #expect(!css.isEmpty, "\(name)")
            for match in pattern.matches(in: css, range: NSRange(css.startIndex..., in: css)) {
                let value = Double(css[Range(match.range(at: 1), in: css)!])!, unit = String(css[Range(match.range(at: 2), in: css)!])
                if let pt = Self.points(value, unit) {
                    #expect(pt >= 9, "\(name): font-size \(value)\(unit) is \(pt) pt")
                } else {
                    // Relative to the parent, which is at least 9 pt: never smaller than it.
                    #expect(unit == "em" ? value >= 1 : value >= 100, "\(name): font-size \(value)\(unit)")
                }
                checked += 1
            }
        }
        #expect(checked > 30)
        // The text of the trend charts: 12 px, which is 9 pt.
        let chart = SVG.trend(id: "t", title: "T", description: "D", labels: ["DC1", "DC2"], workingAt: [4, 5], expected: [4, 4.5],
                              range: 3...7, axis: ("3", "7"))
        #expect(chart.components(separatedBy: "font-size=\"").dropFirst().allSatisfy { $0.hasPrefix("12\"") })
    }

    @Test func headersWrapOnlyBetweenWords() {
        let headerWords: Set<String> = ["th", "thead", "caption", "h1", "h2", "h3"]
        for (name, template) in Self.templates {
            for rule in Self.rules(Self.css(template)) {
                let parts = rule.selector.split { !($0.isLetter || $0.isNumber) }.map(String.init)
                guard !headerWords.isDisjoint(with: parts) else { continue }
                for bad in ["overflow-wrap: anywhere", "word-break: break-all", "overflow-wrap: break-word", "word-break: break-word"] {
                    #expect(!rule.body.contains(bad), "\(name): \(rule.selector) { \(bad) }")
                }
            }
        }
        // The meeting sheets' headers say so outright, and cells may still break a long word.
        let sheets = Self.rules(Self.css(MeetingSheets.defaultTemplate))
        #expect(sheets.contains { $0.selector == "table.pupils th" && $0.body.contains("overflow-wrap: normal") })
        #expect(sheets.contains { $0.selector == "table.pupils td" && $0.body.contains("overflow-wrap: anywhere") })
    }

    /// 64 px tall (a 40 px plot, where the old chart's was 28, with 12 px text), and a y range of
    /// a few grades around the pupil's, so a grade's change is a visible slope rather than a flat
    /// line — one grade is 10 px where it was 3.1 (28 px over U–9).
    @Test func trendChartsAreTallAndTheirRangeShowsMovement() throws {
        let chart = SVG.trend(id: "t", title: "T", description: "D", labels: ["DC1", "DC2"], workingAt: [4, 5], expected: [4, 4.5], range: 3...7)
        #expect(chart.contains("viewBox=\"0 0 140 64\""))
        // Working at 4 then 5 on 3–7: y(4) = 47 − 10 = 37, y(5) = 27 — 10 px apart.
        #expect(chart.contains("<polyline points=\"8,37 132,27\""))
        let gcse = GradeScale.gcse
        // One grade either side, widened to four grades, within U–9.
        #expect(ParentReport.range(of: gcse, values: [4, 5, 5, 4.5, 5.2]) == 3...7)
        #expect(ParentReport.range(of: gcse, values: [8.5, 9]) == 5...9)
        #expect(ParentReport.range(of: gcse, values: [0, 1]) == 0...4)
        #expect(ParentReport.axisLabels(gcse, range: 3...7) == ("3", "7"))
        // A numeric 0–20 scale: 11 and 12 → 10…14.
        #expect(ParentReport.range(of: GradeScale.builtIn["numeric-0-20"], values: [11, 12]) == 10...14)
    }

    /// Residual charts: the label column is as wide as the longest label, and the drawing as wide
    /// as the notes beside the bars need.
    @Test func residualChartLabelsAreNotClipped() throws {
        let long = "Year 10, prior attainment band — Mathematics and statistics (higher)"
        let svg = SVG.divergingBars(id: "r", title: "T", description: "D",
                                    rows: [(group: "By teacher", label: long, value: -0.42, count: 23, interval: -0.91...0.07),
                                           (group: "By teacher", label: "Ms Smith (JSM)", value: 0.3, count: 12, interval: nil)],
                                    unit: "grades")
        let width = try #require(Self.captures(#"viewBox="0 0 ([0-9.]+) "#, in: svg).first.flatMap { Double($0[0]) })
        let labelX = try #require(Self.captures(#"<text x="([0-9.]+)" y="[0-9.]+" text-anchor="end" font-size="11">Year 10"#, in: svg)
            .first.flatMap { Double($0[0]) })
        // The label ends at labelX and, at 0.6 em a character, starts at or right of 0.
        #expect(labelX - SVG.textWidth(long, fontSize: 11) >= 0)
        #expect(labelX - SVG.textWidth(long, fontSize: 11) < 12)  // and the column is no wider than it needs
        // Every note (value, n and interval) ends inside the drawing.
        let notes = Self.captures(#"<text x="([0-9.]+)" y="[0-9.]+" font-size="11">([^<]+)</text>"#, in: svg)
        #expect(notes.count == 2)
        for note in notes {
            #expect(Double(note[0])! + SVG.textWidth(note[1], fontSize: 11) <= width, "\(note[1])")
        }
    }
}
