import Foundation
import HeadwayAnalytics
@testable import HeadwayCLI
import HeadwayCore
import HeadwayReports
import HeadwayTestSupport
import Testing

/// `headway report parents` end to end on the demo school (issue 7, item 1), and the PDF through
/// headless Chromium checked with `pdftotext`. The PDF test runs in CI, which installs Debian's
/// chromium and poppler-utils: it fails, never skips, when either is missing.
@Suite(.serialized) struct ParentReportCLITests {
    static let school: School.ID = "DEMO"
    static let academicYear = AcademicYear(startYear: 2026)
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-parents-\(UUID().uuidString)")
    static var database: String { folder.appendingPathComponent("headway.sqlite").path }

    /// The demo database, made once for the suite.
    func demoDatabase() async throws -> String {
        if !FileManager.default.fileExists(atPath: Self.database) {
            #expect(await Headway.run(arguments: ["demo", "--out", Self.folder.path]) == 0)
        }
        return Self.database
    }

    /// The year as stored, to count from.
    func storedYear() async throws -> SchoolYear {
        let database = try await demoDatabase()
        return try await withSQLiteStore(database) { try await $0.load(school: Self.school, year: Self.academicYear) }
    }

    func html(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

    /// Whether `name` occurs in `text` as a whole name (no letter either side), HTML-escaped as
    /// Mustache writes it unless `html` is false (text from a PDF).
    func mentions(_ text: String, _ name: String, html: Bool = true) -> Bool {
        let escaped = html ? name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&#39;") : name
        var search = text.startIndex..<text.endIndex
        while let found = text.range(of: escaped, range: search) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            if !(before?.isLetter ?? false) && !(after?.isLetter ?? false) { return true }
            search = found.upperBound..<text.endIndex
        }
        return false
    }

    @Test func everyPupilOnRollInACoveredYearGroupGetsAFileAndEveryTutorGroupOne() async throws {
        let database = try await demoDatabase()
        let year = try await storedYear()
        let out = Self.folder.appendingPathComponent("parents-DC2")
        #expect(await Headway.run(arguments: ["report", "parents", "--database", database, "--collection", "DC2", "--out", out.path]) == 0)
        let dc2 = try #require(year.collections.first { $0.id == "DC2" })
        let covered = year.pupils.filter { dc2.yearGroups.isEmpty || dc2.yearGroups.contains($0.yearGroup) }
        #expect(covered.count == year.pupils.count)  // DC2 covers Years 7–11: everyone on roll
        let pupilFiles = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("pupils").path)
        #expect(Set(pupilFiles) == Set(covered.map { ParentReport.fileSafe($0.id.rawValue) + ".html" }))
        let groupFiles = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("tutor-groups").path)
        #expect(Set(groupFiles) == Set(covered.compactMap(\.tutorGroup).map { $0 + ".html" }))

        // One tutor group: each pupil's page names that pupil and nobody else of the group; the
        // group's file has every one of them, a page each.
        let group = try #require(covered.compactMap(\.tutorGroup).sorted().first)
        let members = covered.filter { $0.tutorGroup == group }
        #expect(members.count > 20)
        for pupil in members {
            let page = try html(out.appendingPathComponent("pupils/\(ParentReport.fileSafe(pupil.id.rawValue)).html"))
            let named = members.filter { mentions(page, $0.displayName) }
            #expect(named.map(\.id) == [pupil.id], "\(pupil.id)'s page names \(named.map(\.displayName))")
            #expect(page.components(separatedBy: "<article class=\"pupil\">").count == 2)
        }
        let combined = try html(out.appendingPathComponent("tutor-groups/\(group).html"))
        #expect(combined.components(separatedBy: "<article class=\"pupil\">").count == members.count + 1)
        #expect(members.allSatisfy { mentions(combined, $0.displayName) })

        // A Year 11 pupil's report is named by the Y11 event for DC2, the others by "Spring report".
        let y11 = try #require(covered.first { $0.yearGroup == 11 })
        let y7 = try #require(covered.first { $0.yearGroup == 7 })
        #expect(try html(out.appendingPathComponent("pupils/\(ParentReport.fileSafe(y11.id.rawValue)).html")).contains("<h1>Y11 spring report</h1>"))
        #expect(try html(out.appendingPathComponent("pupils/\(ParentReport.fileSafe(y7.id.rawValue)).html")).contains("<h1>Spring report</h1>"))
        // The head of year is named with their role.
        let head = try #require(year.responsibleStaff(forYearGroup: 7).first)
        #expect(try html(out.appendingPathComponent("pupils/\(ParentReport.fileSafe(y7.id.rawValue)).html"))
            .contains("\(head.displayName.replacingOccurrences(of: "'", with: "&#39;")), Head of Year 7"))
    }

    @Test func anEventReportsOnlyItsYearGroups() async throws {
        let database = try await demoDatabase()
        let year = try await storedYear()
        let out = Self.folder.appendingPathComponent("parents-R2-Y11")
        #expect(await Headway.run(arguments: ["report", "parents", "--database", database, "--event", "R2-Y11", "--out", out.path]) == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("pupils").path)
        #expect(files.count == year.pupils.filter { $0.yearGroup == 11 }.count)
        let groups = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("tutor-groups").path)
        #expect(Set(groups) == Set(year.pupils.filter { $0.yearGroup == 11 }.compactMap(\.tutorGroup).map { $0 + ".html" }))
    }

    @Test(arguments: [
        (["--collection", "DC9"], Int32(1)),          // no such collection
        (["--event", "R9"], Int32(1)),                // no such event
        (["--event", "PM-Y10"], Int32(1)),            // a parents' evening, not a report
        (["--collection", "DC1", "--event", "R2"], Int32(1)),  // R2 uses DC2
        (["--collection", "DC2", "--tutor-group", "12Z"], Int32(1)),
        ([], Int32(2)),                               // neither --collection nor --event
        (["--collection", "DC2", "--year-group", "3"], Int32(2)),
        (["--collection", "DC2", "--logo", "/nonexistent/logo.png"], Int32(2)),
        (["--collection", "DC2", "--colour"], Int32(2)),
    ])
    func badChoicesExitWithTheRightCode(arguments: [String], code: Int32) async throws {
        let database = try await demoDatabase()
        let out = Self.folder.appendingPathComponent("parents-bad-\(UUID().uuidString)")
        #expect(await Headway.run(arguments: ["report", "parents", "--database", database, "--out", out.path] + arguments) == code)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("pupils").path))
    }

    @Test func aLogoIsEmbeddedAsADataURI() async throws {
        let database = try await demoDatabase()
        let logo = Self.folder.appendingPathComponent("logo.png")
        // The 8-byte PNG signature and an empty IHDR-less body: enough for the type check.
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]
        try Data(bytes).write(to: logo)
        let out = Self.folder.appendingPathComponent("parents-logo")
        #expect(await Headway.run(arguments: ["report", "parents", "--database", database, "--collection", "DC2", "--tutor-group", "7A",
                                              "--logo", logo.path, "--out", out.path]) == 0)
        let page = try html(out.appendingPathComponent("tutor-groups/7A.html"))
        #expect(page.contains("<img class=\"logo\" src=\"data:image/png;base64,\(Data(bytes).base64EncodedString())\""))
        // A text file named .png is refused as misuse.
        let fake = Self.folder.appendingPathComponent("fake.png")
        try "<script>".write(to: fake, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["report", "parents", "--database", database, "--collection", "DC2", "--logo", fake.path,
                                              "--out", out.path]) == 2)
    }

    @Test func aSchoolsOwnTemplateReplacesTheBuiltInOne() async throws {
        let database = try await demoDatabase()
        let year = try await storedYear()
        let templates = Self.folder.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "<h1>{{title}}</h1>{{#pupils}}<p class=\"own\">{{pupilName}}: {{#subjects}}{{subject}} {{progressWords}}; {{/subjects}}</p>{{/pupils}}"
            .write(to: templates.appendingPathComponent("parent-report.mustache"), atomically: true, encoding: .utf8)
        let out = Self.folder.appendingPathComponent("parents-own-template")
        #expect(await Headway.run(arguments: ["report", "parents", "--database", database, "--collection", "DC2", "--tutor-group", "9A",
                                              "--templates", templates.path, "--out", out.path]) == 0)
        let members = year.pupils.filter { $0.tutorGroup == "9A" }
        let page = try html(out.appendingPathComponent("tutor-groups/9A.html"))
        #expect(page.hasPrefix("<h1>Spring report — Tutor group 9A — Headway Demo School</h1>"))
        #expect(page.components(separatedBy: "<p class=\"own\">").count == members.count + 1)
        // A broken template is named before anything is written.
        try "{{#pupils}}".write(to: templates.appendingPathComponent("parent-report.mustache"), atomically: true, encoding: .utf8)
        let refused = Self.folder.appendingPathComponent("parents-broken-template")
        #expect(await Headway.run(arguments: ["report", "parents", "--database", database, "--collection", "DC2",
                                              "--templates", templates.path, "--out", refused.path]) == 1)
        #expect(!FileManager.default.fileExists(atPath: refused.path))
    }

    @Test func withoutChromiumThePDFErrorSaysWhatToInstall() throws {
        #expect(throws: PDFRenderer.Failure.self) { try PDFRenderer.find(environment: ["PATH": "/nonexistent"]) }
        do { _ = try PDFRenderer.find(environment: ["PATH": "/nonexistent"]) } catch let failure as PDFRenderer.Failure {
            #expect(failure.code == "chromium-missing")
            #expect(failure.message.contains("install Debian's chromium package"))
        }
    }

    /// CI installs Debian's chromium and poppler-utils; without them this test fails.
    @Test func aTutorGroupPrintsToPDFWithItsPupilsSubjectsAndProgressWords() async throws {
        let database = try await demoDatabase()
        let year = try await storedYear()
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard PDFRenderer.locate(searchPath: path) != nil else {
            Issue.record("Chromium is not installed: install Debian's chromium package (CI does); this test must run.")
            return
        }
        guard let pdftotext = PDFRenderer.locate(["pdftotext"], searchPath: path) else {
            Issue.record("pdftotext is not installed: install Debian's poppler-utils package (CI does); this test must run.")
            return
        }
        let group = "8B"
        let out = Self.folder.appendingPathComponent("parents-pdf")
        #expect(await Headway.run(arguments: ["report", "parents", "--database", database, "--collection", "DC2", "--tutor-group", group,
                                              "--pdf", "--out", out.path]) == 0)
        let pdf = out.appendingPathComponent("tutor-groups/\(group).pdf")
        #expect(FileManager.default.fileExists(atPath: pdf.path))

        let process = Process()
        process.executableURL = pdftotext
        process.arguments = [pdf.path, "-"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        // pdftotext ends every page with a form feed: one page per pupil, in the file's order.
        let pages = String(decoding: data, as: UTF8.self).split(separator: "\u{0C}", omittingEmptySubsequences: false).dropLast()
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

        // What each pupil's report must say, from the stored year.
        let members = year.pupils.filter { $0.tutorGroup == group }
            .sorted { ($0.surname, $0.forename, $0.id) < ($1.surname, $1.forename, $1.id) }
        #expect(pages.count == members.count)
        let index = YearIndex(year)
        let models = ParentReport.models(index, evaluation: ProgressStatus.evaluate(index),
                                         point: try ParentReport.ReportingPoint.resolve(in: year, collection: "DC2", event: nil),
                                         pupils: members.map(\.id))
        #expect(models.count == members.count)
        for (page, model) in zip(pages, models) {
            #expect(members.filter { mentions(page, $0.displayName, html: false) }.map(\.id) == [model.pupil],
                    "\(model.pupilName)'s page should name them and no other pupil")
            // The subject table, before the explanation (which names every indicator once).
            let table = try #require(page.components(separatedBy: "How to read this report").first)
            for line in model.subjects {
                #expect(table.contains(line.subject), "no \(line.subject) on \(model.pupilName)'s page")
                let indicator = "\(line.progress.symbol) \(line.progress.words)"
                let expected = model.subjects.filter { $0.progress == line.progress }.count
                #expect(table.components(separatedBy: indicator).count - 1 == expected,
                        "'\(indicator)' should be on \(model.pupilName)'s page \(expected) time(s)")
            }
        }
    }
}
