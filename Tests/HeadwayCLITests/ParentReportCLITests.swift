import ArgumentParser
import Foundation
import HeadwayAnalytics
@testable import HeadwayCLI
import HeadwayCore
import HeadwayReports
import HeadwayStore
import HeadwayTestSupport
import Testing

/// `headway report parents` end to end on the demo school (issue 7, item 1), and the PDF through
/// headless Chromium checked with `pdftotext`. The PDF test runs in CI, which installs Debian's
/// chromium and poppler-utils: it fails, never skips, when either is missing.
@Suite(.serialized) struct ParentReportCLITests {
    static let school = DemoDatabase.school
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-parents-\(UUID().uuidString)")

    /// The shared demo database, and this suite's folder for what it writes.
    func demoDatabase() async throws -> String {
        try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
        return try await DemoDatabase.shared.path()
    }

    /// The year as stored, to count from.
    func storedYear() async throws -> SchoolYear { try await DemoDatabase.shared.storedYear() }

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
        #expect(Set(pupilFiles) == Set(covered.map { ParentReport.pupilFileName(id: $0.id, name: $0.displayName) + ".html" }))
        let groupFiles = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("tutor-groups").path)
        #expect(Set(groupFiles) == Set(covered.compactMap(\.tutorGroup).map { $0 + ".html" }))

        // One tutor group: each pupil's page names that pupil and nobody else of the group; the
        // group's file has every one of them, a page each.
        let group = try #require(covered.compactMap(\.tutorGroup).sorted().first)
        let members = covered.filter { $0.tutorGroup == group }
        #expect(members.count > 20)
        for pupil in members {
            let page = try html(out.appendingPathComponent("pupils/\(ParentReport.pupilFileName(id: pupil.id, name: pupil.displayName)).html"))
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
        #expect(try html(out.appendingPathComponent("pupils/\(ParentReport.pupilFileName(id: y11.id, name: y11.displayName)).html")).contains("<h1>Y11 spring report</h1>"))
        #expect(try html(out.appendingPathComponent("pupils/\(ParentReport.pupilFileName(id: y7.id, name: y7.displayName)).html")).contains("<h1>Spring report</h1>"))
        // The head of year is named with their role.
        let head = try #require(year.responsibleStaff(forYearGroup: 7).first)
        #expect(try html(out.appendingPathComponent("pupils/\(ParentReport.pupilFileName(id: y7.id, name: y7.displayName)).html"))
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

    /// Exit codes: a choice the school does not have (collection, event, tutor group, a year group
    /// the event does not cover) is misuse, 2, as in `headway lists` and `completion`.
    @Test(arguments: [
        (["--collection", "DC9"], Int32(2)),          // no such collection
        (["--event", "R9"], Int32(2)),                // no such event
        (["--event", "PM-Y10"], Int32(2)),            // a parents' evening, not a report
        (["--collection", "DC1", "--event", "R2"], Int32(2)),  // R2 uses DC2
        (["--collection", "DC2", "--tutor-group", "12Z"], Int32(2)),
        (["--collection", "DC2", "--year-group", "7", "--tutor-group", "8A"], Int32(2)),  // 8A is in Year 8
        (["--event", "R2-Y11", "--year-group", "7"], Int32(2)),  // R2-Y11 covers Year 11 only
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

    @Test func anOutThatIsAFileIsMisuseAndNothingIsWritten() async throws {
        let database = try await demoDatabase()
        let file = Self.folder.appendingPathComponent("not-a-folder.txt")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["report", "parents", "--database", database, "--collection", "DC2", "--out", file.path]) == 2)
        #expect(try String(contentsOf: file, encoding: .utf8) == "x")
        // The messages name what was asked for; the wrong year group is named, not "the year groups reported".
        let command = try #require(try Headway.parseAsRoot(["report", "parents", "--database", database, "--collection", "DC2",
                                                              "--year-group", "7", "--tutor-group", "8A", "--out", Self.folder.appendingPathComponent("unused").path])
            as? Report.Parents)
        do {
            try await command.run()
            Issue.record("Year 7 has no tutor group 8A: the command should refuse")
        } catch let error as ValidationError {
            #expect(error.message.hasPrefix("No pupil on roll in tutor group '8A' in Year 7; the tutor groups there are 7A, 7B"))
        }
        #expect(Report.Parents.years([8]) == "Year 8" && Report.Parents.years([7, 8, 10]) == "Years 7, 8, 10")
    }

    /// The warning before reports go home, on the demo's DC3 for Year 9 (the demo leaves some of
    /// VST's and NPA's classes blank): the counts are worked out here from the stored entries, one
    /// pupil × subject studied at a time, independently of ParentReport.missingEntries.
    @Test func missingEntriesAreWarnedAboutWithTheClassesAndWhatToRun() async throws {
        let year = try await storedYear()
        let dc3 = try #require(year.collections.first { $0.id == "DC3" })
        let pupils = year.pupils.filter { $0.yearGroup == 9 }
        let ids = Set(pupils.map(\.id))
        var entered = Set<String>()
        for a in year.assessments where a.collection == "DC3" && ids.contains(a.pupil) && a.workingAt != nil { entered.insert("\(a.pupil)|\(a.subject)") }
        var missing: [(pupil: Pupil.ID, group: TeachingGroup)] = []
        var seen = Set<String>()
        for group in year.teachingGroups where group.yearGroup == 9 {
            for pupil in group.pupils where ids.contains(pupil) && seen.insert("\(pupil)|\(group.subject)").inserted
                && !entered.contains("\(pupil)|\(group.subject)") {
                missing.append((pupil, group))
            }
        }
        #expect(!missing.isEmpty)
        let index = YearIndex(year)
        let found = ParentReport.missingEntries(index, point: ParentReport.ReportingPoint(collection: dc3), pupils: pupils.map(\.id))
        #expect(found.entries == missing.count && found.pupils == Set(missing.map(\.pupil)).count)
        let byClass = Dictionary(grouping: missing, by: \.group.id.rawValue).mapValues(\.count)
        let top = try #require(byClass.max { ($0.value, $1.key) < ($1.value, $0.key) })
        let warning = try #require(Report.Parents.missingWarning(found, collection: dc3))
        #expect(warning.hasPrefix("warning: \(missing.count) subjects for \(Set(missing.map(\.pupil)).count) pupils have no working-at grade entered at DC3 (blank), so those reports say \"Not yet assessed\"."))
        let teachers = try #require(year.teachingGroups.first { $0.id.rawValue == top.key }).teachers.map(index.staffName).joined(separator: ", ")
        #expect(warning.contains(" Most in: \(top.key) (\(teachers)): \(top.value)"))
        #expect(warning.components(separatedBy: "; ").count <= 6)  // at most 5 classes named, then "and N more"
        #expect(warning.contains("`headway completion --collection DC3`"))
        // Nothing missing: no warning.
        #expect(Report.Parents.missingWarning(ParentReport.MissingEntries(entries: 0, pupils: 0, offScale: 0, classes: []), collection: dc3) == nil)
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

    /// The text of a PDF, one string per page (whitespace collapsed), through `pdftotext -raw`.
    func pdfPages(_ pdf: URL, pdftotext: URL) throws -> [String] {
        let process = Process()
        process.executableURL = pdftotext
        process.arguments = ["-raw", pdf.path, "-"]  // content order: a table cell's lines stay together
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        // pdftotext ends every page with a form feed.
        return String(decoding: data, as: UTF8.self).split(separator: "\u{0C}", omittingEmptySubsequences: false).dropLast()
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    }

    /// Chromium and pdftotext from PATH; records an issue (CI installs both) when either is missing.
    func printingTools() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard PDFRenderer.locate(searchPath: path) != nil else {
            Issue.record("Chromium is not installed: install Debian's chromium package (CI does); this test must run.")
            return nil
        }
        guard let pdftotext = PDFRenderer.locate(["pdftotext"], searchPath: path) else {
            Issue.record("pdftotext is not installed: install Debian's poppler-utils package (CI does); this test must run.")
            return nil
        }
        return pdftotext
    }

    /// CI installs Debian's chromium and poppler-utils; without them this test fails.
    @Test func aTutorGroupPrintsToPDFWithItsPupilsSubjectsAndProgressWords() async throws {
        let database = try await demoDatabase()
        let year = try await storedYear()
        guard let pdftotext = printingTools() else { return }
        let group = "8B"
        let out = Self.folder.appendingPathComponent("parents-pdf")
        #expect(await Headway.run(arguments: ["report", "parents", "--database", database, "--collection", "DC2", "--tutor-group", group,
                                              "--pdf", "--out", out.path]) == 0)
        let pdf = out.appendingPathComponent("tutor-groups/\(group).pdf")
        #expect(FileManager.default.fileExists(atPath: pdf.path))
        let pages = try pdfPages(pdf, pdftotext: pdftotext)

        // What each pupil's report must say, from the stored year.
        let members = year.pupils.filter { $0.tutorGroup == group }
            .sorted { ($0.surname, $0.forename, $0.id) < ($1.surname, $1.forename, $1.id) }
        // A cover page, then two pages per pupil, in the file's order (issue 12, item 8: at 9 pt
        // the key starts the second page): the grades, then "How to read this report".
        #expect(pages.count == 2 * members.count + 1)
        let cover = try #require(pages.first)
        #expect(cover.contains("For printing at school — this file contains \(members.count) pupils' reports; do not send this file to parents or carers."))
        #expect(pages.dropFirst().allSatisfy { !$0.contains("For printing at school") })
        let sheets = stride(from: 1, to: pages.count - 1, by: 2).map { (grades: pages[$0], key: pages[$0 + 1]) }
        #expect(sheets.allSatisfy { !$0.grades.contains("How to read this report") && $0.key.contains("How to read this report") })
        let index = YearIndex(year)
        let models = ParentReport.models(index, evaluation: ProgressStatus.evaluate(index),
                                         point: try ParentReport.ReportingPoint.resolve(in: year, collection: "DC2", event: nil),
                                         pupils: members.map(\.id))
        #expect(models.count == members.count)
        for (sheet, model) in zip(sheets, models) {
            #expect(members.filter { mentions(sheet.grades, $0.displayName, html: false) }.map(\.id) == [model.pupil],
                    "\(model.pupilName)'s page should name them and no other pupil")
            // The subject table (the explanation, which names every indicator once, is overleaf).
            let table = sheet.grades
            for line in model.subjects {
                #expect(table.contains(line.subject), "no \(line.subject) on \(model.pupilName)'s page")
                let indicator = "\(line.progress.symbol) \(line.progress.words)"
                let expected = model.subjects.filter { $0.progress == line.progress }.count
                #expect(table.components(separatedBy: indicator).count - 1 == expected,
                        "'\(indicator)' should be on \(model.pupilName)'s page \(expected) time(s)")
            }
        }
    }

    /// `--pdf-per-pupil` on a tutor group of three (three Year 8 pupils of 8A moved to 8Z in a copy
    /// of the demo database, so Chromium prints only three pages): one PDF per pupil beside their
    /// HTML, each one A4 sheet (two pages: grades, then the key) for a pupil with 10 subjects,
    /// naming that pupil and no other.
    @Test func perPupilPDFsHoldOnePupilOnOneSheet() async throws {
        let database = try await demoDatabase()
        guard let pdftotext = printingTools() else { return }
        var year = try await storedYear()  // opening and closing the store checkpoints its WAL, so the file copies whole
        let copy = Self.folder.appendingPathComponent("three.sqlite")
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: database), to: copy)
        let group = year.pupils.filter { $0.tutorGroup == "8A" }.sorted { ($0.surname, $0.forename, $0.id) < ($1.surname, $1.forename, $1.id) }
        let moved = Array(group.prefix(3))
        for i in year.pupils.indices where moved.contains(where: { $0.id == year.pupils[i].id }) { year.pupils[i].tutorGroup = "8Z" }
        try await withSQLiteStore(copy.path) { store in
            _ = try await store.save(year, context: ChangeContext(actor: "DMG", source: "user", reason: "test", at: Date(timeIntervalSince1970: 1_795_000_000)))
        }
        // Each of the three studies 10 subjects (Year 8 in the demo): the most a page holds.
        let studied = moved.map { p in Set(year.teachingGroups.filter { $0.pupils.contains(p.id) }.map(\.subject)).count }
        #expect(studied == [10, 10, 10])

        let out = Self.folder.appendingPathComponent("parents-per-pupil")
        let clock = ContinuousClock(), start = clock.now
        #expect(await Headway.run(arguments: ["report", "parents", "--database", copy.path, "--collection", "DC3", "--tutor-group", "8Z",
                                              "--pdf-per-pupil", "--out", out.path]) == 0)
        #expect(clock.now - start < .seconds(30), "three pupils' PDFs should print well within 30 s")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("pupils").path)
        #expect(Set(files) == Set(moved.flatMap { ["\(ParentReport.pupilFileName(id: $0.id, name: $0.displayName)).html", "\(ParentReport.pupilFileName(id: $0.id, name: $0.displayName)).pdf"] }))
        // Only the pupil PDFs were asked for: no tutor-group PDF.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("tutor-groups/8Z.pdf").path))
        let everyone = group
        for pupil in moved {
            let pages = try pdfPages(out.appendingPathComponent("pupils/\(ParentReport.pupilFileName(id: pupil.id, name: pupil.displayName)).pdf"), pdftotext: pdftotext)
            #expect(pages.count == 2, "\(pupil.displayName)'s report should be one A4 sheet: grades, then the key overleaf")
            #expect(pages.first.map { !$0.contains("How to read this report") && $0.contains("Mathematics") } == true)
            let text = pages.joined(separator: " ")
            #expect(everyone.filter { mentions(text, $0.displayName, html: false) }.map(\.id) == [pupil.id])
            #expect(text.contains("How to read this report") && !text.contains("For printing at school"))
        }
        // The tutor group's HTML carries the banner; a pupil's own HTML never does.
        #expect(try html(out.appendingPathComponent("tutor-groups/8Z.html")).contains("this file contains 3 pupils&#39; reports"))
        #expect(try !html(out.appendingPathComponent("pupils/\(ParentReport.pupilFileName(id: moved[0].id, name: moved[0].displayName)).html")).contains("For printing at school"))
    }
}
