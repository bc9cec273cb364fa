import Foundation
@testable import HeadwayCLI
import HeadwayCore
import HeadwayTestSupport
import Testing

/// `headway report meeting-sheets | department | year-group | governors` end to end on the demo
/// school (issue 7, items 2 and 3). The expected file counts come from the year as stored: one
/// meeting-sheet file per teacher with a class, one department pack per subject, one year-group
/// pack per year group on roll.
@Suite(.serialized) struct ReportPacksCLITests {
    static let school = DemoDatabase.school
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-packs-\(UUID().uuidString)")

    func demoDatabase() async throws -> String { try await DemoDatabase.shared.path() }

    /// The year as stored, to count from.
    func storedYear() async throws -> SchoolYear { try await DemoDatabase.shared.storedYear() }

    func files(_ folder: URL, suffix: String = ".html") throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(suffix) })
    }

    func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

    func run(_ arguments: [String]) async throws -> Int32 {
        let database = try await demoDatabase()
        return await Headway.run(arguments: ["report"] + arguments + ["--database", database])
    }

    @Test func meetingSheetsAreOneFilePerTeacherWithAClass() async throws {
        let year = try await storedYear()
        let out = Self.folder.appendingPathComponent("sheets")
        #expect(try await run(["meeting-sheets", "--collection", "DC2", "--out", out.path]) == 0)
        let teachers = Set(year.teachingGroups.flatMap(\.teachers))
        #expect(try files(out) == Set(teachers.map { "meeting-sheets-\($0).html" }))
        // A teacher's file has a page per class they teach, and only theirs.
        let someone = try #require(teachers.sorted().first)
        let html = try text(out.appendingPathComponent("meeting-sheets-\(someone).html"))
        let own = year.teachingGroups.filter { $0.teachers.contains(someone) }
        #expect(html.components(separatedBy: "<section class=\"sheet\">").count - 1 == own.count)
        for other in year.teachingGroups where !other.teachers.contains(someone) {
            #expect(!html.contains("<h1>\(other.id.rawValue) — "), "\(other.id)")
        }
    }

    @Test func aParentsMeetingLimitsTheSheetsToItsYearGroups() async throws {
        let year = try await storedYear()
        let event = try #require(year.calendar.reportingEvents.first { $0.id == "PM-Y10" })
        let out = Self.folder.appendingPathComponent("sheets-PM-Y10")
        #expect(try await run(["meeting-sheets", "--event", "PM-Y10", "--out", out.path]) == 0)
        let teachers = Set(year.teachingGroups.filter { event.yearGroups.contains($0.yearGroup) }.flatMap(\.teachers))
        #expect(try files(out) == Set(teachers.map { "meeting-sheets-\($0).html" }))
        let one = try #require(teachers.sorted().first)
        let html = try text(out.appendingPathComponent("meeting-sheets-\(one).html"))
        #expect(html.contains("for Y10 parents&#39; evening"))
        #expect(!html.contains(", Year 9</h1>") && !html.contains(", Year 11</h1>"))

        let single = Self.folder.appendingPathComponent("sheets-one")
        #expect(try await run(["meeting-sheets", "--event", "PM-Y10", "--teacher", one.rawValue, "--out", single.path]) == 0)
        #expect(try files(single) == ["meeting-sheets-\(one).html"])
    }

    @Test func departmentPacksAreOnePerSubject() async throws {
        let year = try await storedYear()
        let out = Self.folder.appendingPathComponent("department")
        #expect(try await run(["department", "--collection", "DC3", "--out", out.path]) == 0)
        #expect(try files(out) == Set(year.subjects.map { "department-\($0.id).html" }))
        let maths = try text(out.appendingPathComponent("department-MA.html"))
        #expect(maths.contains("<h1>Mathematics (MA): department pack</h1>"))
        // A distribution per year group on roll, and the other three kinds of chart.
        #expect(maths.components(separatedBy: "role=\"img\"").count - 1 >= Set(year.pupils.map(\.yearGroup)).count + 2)

        let one = Self.folder.appendingPathComponent("department-one")
        #expect(try await run(["department", "--subject", "EN", "--out", one.path]) == 0)
        #expect(try files(one) == ["department-EN.html"])
    }

    @Test func yearGroupPacksAreOnePerYearGroupOnRoll() async throws {
        let year = try await storedYear()
        let out = Self.folder.appendingPathComponent("year-groups")
        #expect(try await run(["year-group", "--collection", "DC3", "--out", out.path]) == 0)
        #expect(try files(out) == Set(Set(year.pupils.map(\.yearGroup)).map { "year-group-\($0).html" }))
        let y10 = try text(out.appendingPathComponent("year-group-10.html"))
        let head = try #require(year.responsibleStaff(forYearGroup: 10).first)
        #expect(y10.contains("responsible for Year 10: \(head.displayName) (\(head.id))"))

        let one = Self.folder.appendingPathComponent("year-group-one")
        #expect(try await run(["year-group", "--year-group", "10", "--out", one.path]) == 0)
        #expect(try files(one) == ["year-group-10.html"])
    }

    @Test func governorsSummaryNamesNoPupilInThePageOrItsCSV() async throws {
        let year = try await storedYear()
        let out = Self.folder.appendingPathComponent("governors")
        #expect(try await run(["governors", "--collection", "DC3", "--out", out.path]) == 0)
        #expect(try files(out) == ["governors-summary.html"])
        let csv = try files(out.appendingPathComponent("csv"), suffix: ".csv")
        #expect(csv == ["governors-completion.csv", "governors-progress.csv", "governors-gaps.csv", "governors-ks4-forecasts.csv",
                        "governors-pupil-premium.csv"])
        let texts = try [text(out.appendingPathComponent("governors-summary.html"))] + csv.sorted().map { try text(out.appendingPathComponent("csv/\($0)")) }
        for pupil in year.pupils {
            for t in texts {
                for value in [pupil.displayName, pupil.id.rawValue, pupil.upn?.rawValue, pupil.tutorGroup].compactMap({ $0 }) {
                    #expect(!PackNames.mentions(t, value), "\(value)")
                }
            }
        }
    }

    @Test func aSchoolsOwnTemplateReplacesTheBuiltInOne() async throws {
        let templates = Self.folder.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Data("<p>{{subject}} at {{collection}}</p>".utf8).write(to: templates.appendingPathComponent("department-pack.mustache"))
        let out = Self.folder.appendingPathComponent("department-own")
        #expect(try await run(["department", "--subject", "MA", "--collection", "DC3", "--templates", templates.path, "--out", out.path]) == 0)
        #expect(try text(out.appendingPathComponent("department-MA.html")) == "<p>Mathematics at DC3 Summer 2027</p>")
        // A template that is not valid Mustache is named, and nothing is written: exit 1.
        try Data("{{#subject}} unclosed".utf8).write(to: templates.appendingPathComponent("governors-summary.mustache"))
        let broken = Self.folder.appendingPathComponent("governors-broken")
        #expect(try await run(["governors", "--templates", templates.path, "--out", broken.path]) == 1)
        #expect(!FileManager.default.fileExists(atPath: broken.appendingPathComponent("governors-summary.html").path))
        // A school's template may not insert a value unescaped ({{{…}}} or {{& …}}): a name could
        // reach the page as HTML. Only the charts the built-in template inserts that way may. An
        // empty template would print blank pages. Both are refused before anything is written.
        for (name, text) in [("raw", "<p>{{{subject}}}</p>"), ("ampersand", "<p>{{& subject}}</p>"), ("empty", " \n")] {
            let own = Self.folder.appendingPathComponent("templates-\(name)")
            try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: own.appendingPathComponent("department-pack.mustache"))
            let refused = Self.folder.appendingPathComponent("department-\(name)")
            #expect(try await run(["department", "--subject", "MA", "--templates", own.path, "--out", refused.path]) == 1, "\(name)")
            #expect(!FileManager.default.fileExists(atPath: refused.appendingPathComponent("department-MA.html").path))
        }
        #expect(try await run(["department", "--subject", "MA", "--templates", Self.folder.appendingPathComponent("no-such-folder").path]) == 2)
    }

    @Test func misuseExitsTwoAndUnknownDataOne() async throws {
        _ = try await demoDatabase()
        let out = Self.folder.appendingPathComponent("misuse").path
        // Misuse: a year group that is not secondary, an event that is a report, an event and a
        // collection that disagree, an empty code, a flag that does not exist.
        #expect(try await run(["year-group", "--year-group", "14", "--out", out]) == 2)
        #expect(try await run(["meeting-sheets", "--event", "R1", "--out", out]) == 2)
        #expect(try await run(["meeting-sheets", "--event", "PM-Y10", "--collection", "DC1", "--out", out]) == 2)
        #expect(try await run(["department", "--subject", " ", "--out", out]) == 2)
        #expect(try await run(["governors", "--subject", "MA", "--out", out]) == 2)
        // Codes the school does not have (data, as `headway lists` treats them): 1.
        #expect(try await run(["department", "--subject", "ZZ", "--out", out]) == 1)
        #expect(try await run(["governors", "--collection", "DC9", "--out", out]) == 2)
        #expect(try await run(["meeting-sheets", "--teacher", "NOBODY", "--out", out]) == 1)
        #expect(try await run(["meeting-sheets", "--event", "PM-NONE", "--out", out]) == 1)
        #expect(!FileManager.default.fileExists(atPath: out + "/governors-summary.html"))
    }
}

/// Whole-word search, raw or HTML-escaped, so that `7A` is not found inside `17A2` or `#7A7A7A`.
enum PackNames {
    static func mentions(_ text: String, _ name: String) -> Bool {
        for form in Set([name, name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&#39;")]) {
            var search = text.startIndex..<text.endIndex
            while let found = text.range(of: form, range: search) {
                let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
                let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
                if !(before.map { $0.isLetter || $0.isNumber } ?? false) && !(after.map { $0.isLetter || $0.isNumber } ?? false) { return true }
                search = found.upperBound..<text.endIndex
            }
        }
        return false
    }
}
