import Foundation
import HeadwayAnalytics
@testable import HeadwayCLI
import HeadwayCore
import HeadwayImport
import HeadwayReports
import HeadwayStore
import Testing

/// `headway calendar` end to end (issue 5, item 1): import the fixture into a temporary SQLite
/// file, check, export, and parse every `.ics` with a real iCalendar library — Python's
/// `icalendar` (PyPI; `.ci/run` installs it). Without it these tests fail, never skip.
@Suite(.serialized) struct CalendarCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixture = repository.appendingPathComponent("Tests/HeadwayImportTests/Fixtures/calendar/oakfield-2026.toml")

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-calendar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// One calendar as Python's icalendar reads it back.
    struct Parsed: Decodable {
        struct Event: Decodable, Hashable {
            var uid: String
            var summary: String
            var start: String
            var end: String
            var startIsDate: Bool
        }
        var name: String
        var version: String
        /// Problems icalendar noted while parsing (it collects some rather than raising).
        var errors: [String]
        var events: [Event]
    }

    /// Parses `.ics` files with Python's icalendar; fails the test (by throwing) when python3 or
    /// the library is missing or a file does not parse.
    static func parseWithPythonICalendar(_ files: [URL]) throws -> [Parsed] {
        let script = """
            import datetime, json, sys
            from icalendar import Calendar
            out = []
            for path in sys.argv[1:]:
                with open(path, 'rb') as f:
                    cal = Calendar.from_ical(f.read())
                errors = [str(e) for c in cal.walk() for e in getattr(c, 'errors', [])]
                events = []
                for e in cal.walk('VEVENT'):
                    start = e.decoded('DTSTART')
                    events.append({'uid': str(e['UID']), 'summary': str(e['SUMMARY']), 'start': start.isoformat(),
                                   'end': e.decoded('DTEND').isoformat(),
                                   'startIsDate': isinstance(start, datetime.date) and not isinstance(start, datetime.datetime)})
                out.append({'name': str(cal['X-WR-CALNAME']), 'version': str(cal['VERSION']), 'errors': errors, 'events': events})
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + files.map(\.path)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        struct PythonFailed: Error, CustomStringConvertible { var description: String }
        guard process.terminationStatus == 0 else {
            throw PythonFailed(description: "python3 with icalendar could not parse the files (install it: python3 -m pip install icalendar): \(message)")
        }
        return try JSONDecoder().decode([Parsed].self, from: data)
    }

    @Test func importCheckExportAndParseWithARealICalendarLibrary() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("cal.sqlite").path
        let importArguments = ["calendar", "import", "--database", database, "--school", "OAK", Self.fixture.path]

        // A dry run into a database that does not exist creates nothing.
        #expect(await Headway.run(arguments: importArguments + ["--dry-run"]) == 0)
        #expect(!FileManager.default.fileExists(atPath: database))

        #expect(await Headway.run(arguments: importArguments) == 0)
        let store = try await Store.open(.sqlite(path: database))
        let year = try await store.load(school: "OAK", year: AcademicYear(startYear: 2026))
        let summary = try await store.save(year.calendar, collections: [], school: year.school,
                                           context: ChangeContext(actor: "test", source: "test", at: Date()), dryRun: true)
        try await store.close()
        // 4 assessment windows, DC1 and DC2 with 5 year groups each, 3 reports and 2 meetings.
        #expect(year.calendar.assessmentWindows.count == 4)
        #expect(year.calendar.collectionWindows.count == 10)
        #expect(year.calendar.reportingEvents.count == 5)
        #expect(year.collections.map(\.id) == ["DC1", "DC2"])
        #expect(summary.isUnchanged)
        // Importing again changes nothing; the calendar checks clean.
        #expect(await Headway.run(arguments: importArguments) == 0)
        #expect(await Headway.run(arguments: ["calendar", "check", "--database", database]) == 0)
        #expect(await Headway.run(arguments: ["calendar", "show", "--database", database]) == 0)

        let out = folder.appendingPathComponent("ics")
        #expect(await Headway.run(arguments: ["calendar", "export", "--database", database, "--out", out.path]) == 0)
        let names = ["assessment.ics", "collections.ics", "reporting.ics", "headway-calendar.ics"]
        let parsed = try Self.parseWithPythonICalendar(names.map { out.appendingPathComponent($0) })
        #expect(parsed.allSatisfy { $0.errors.isEmpty && $0.version == "2.0" })
        // 4 assessment windows; DC1 in two groups (Y11; Y7–Y10) and DC2 in one, 3 events each: 9;
        // 5 reporting events; 18 in all.
        #expect(parsed.map(\.events.count) == [4, 9, 5, 18])
        #expect(parsed.map(\.name) == ["OAK: assessment calendar 2026/27", "OAK: data collection calendar 2026/27",
                                       "OAK: reporting calendar 2026/27", "OAK: Headway calendars 2026/27"])
        #expect(parsed.allSatisfy { $0.events.allSatisfy(\.startIsDate) })
        #expect(Set(parsed[3].events) == Set(parsed[0].events + parsed[1].events + parsed[2].events))
        #expect(Set(parsed[3].events.map(\.uid)).count == 18)

        // What was stored, read back by icalendar: every assessment window with its first day and
        // (exclusive) end; the meeting whose name has a comma, a semicolon and accents, exactly.
        func event(_ file: Int, _ summary: String) -> Parsed.Event? { parsed[file].events.first { $0.summary == summary } }
        for window in year.calendar.assessmentWindows {
            let found = try #require(event(0, CalendarExport.titled(window.name, window.yearGroups)), "\(window.id)")
            #expect(found.start == window.starts.description)
            #expect(found.end == ICalendar.dayAfter(window.ends).description)
        }
        #expect(event(0, "Y11 mock exams")?.end == "2026-11-21")  // 9–20 November inclusive; the name has its year group
        #expect(event(0, "KS3 autumn assessments (Y7–Y9)")?.start == "2026-11-16")
        let meeting = try #require(year.calendar.reportingEvents.first { $0.id == "PM-Y10" })
        let parsedMeeting = try #require(event(2, meeting.name))  // "Y10 parents' evening, …": Y10 not added again
        #expect(parsedMeeting.start == "2027-03-25")
        #expect(parsedMeeting.end == "2027-03-26")
        #expect(parsedMeeting.uid == "headway-OAK-2026-parents-meeting-PM-Y10@headway")
        let y11Deadline = try #require(event(1, "DC1 Autumn 2026: deadline (Y11)"))
        #expect(y11Deadline.start == "2026-11-30")
        let entry = try #require(event(1, "DC1 Autumn 2026: data entry (Y7–Y10)"))
        #expect((entry.start, entry.end) == ("2026-11-30", "2026-12-10"))  // opens 30 Nov, locks 9 Dec inclusive
        #expect(event(1, "DC2 Spring 2027: published (Y7–Y11)")?.start == "2027-03-22")
    }

    @Test func aCalendarWithErrorsIsNotImported() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("cal.sqlite").path
        // The autumn report (Y7–Y10) moved to 11 December, before DC1 is published for them (14th).
        let text = try String(contentsOf: Self.fixture, encoding: .utf8)
            .replacingOccurrences(of: "date = 2026-12-18", with: "date = 2026-12-11")
        let file = folder.appendingPathComponent("early-report.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["calendar", "import", "--database", database, "--school", "OAK", file.path]) == 1)
        let store = try await Store.open(.sqlite(path: database))
        #expect(try await store.schools().isEmpty)
        try await store.close()

        // A file that does not read: exit 1, and the database is left as it was.
        let bad = folder.appendingPathComponent("bad.toml")
        try "academic_year = \"2026/27\"\n[[report]]\nid = \"R1\"\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["calendar", "import", "--database", database, "--school", "OAK", bad.path]) == 1)
        // check on a database with no school says so.
        #expect(await Headway.run(arguments: ["calendar", "check", "--database", database]) == 1)
    }

    @Test func showListsTheEventsInDateOrder() async throws {
        let read = try #require(CalendarFile.read(contentsOf: Self.fixture).file)
        let year = SchoolYear(school: School(id: "OAK", name: "Oakfield"), academicYear: read.calendar.academicYear,
                              collections: read.collections, calendar: read.calendar)
        let text = ShowCalendar.describe(year)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Oakfield: Headway calendars 2026/27")
        // Header, rule, then 18 events; the first is the Y11 mocks (9–20 Nov), the last the
        // spring report (26 Mar).
        #expect(lines.count == 1 + 2 + 18)
        #expect(lines[3].hasPrefix("  2026-11-09  2026-11-20  Assessment"))
        #expect(lines[3].hasSuffix("Assessment        Y11 mock exams"))
        #expect(lines.last!.hasPrefix("  2027-03-26"))
        #expect(lines.last!.hasSuffix("Spring report (Y7–Y11)"))
    }

    /// The demo school's full calendar: stored, clean, and its four `.ics` files parse.
    @Test func theDemoCalendarIsCompleteAndItsFilesParse() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(await Headway.run(arguments: ["demo", "--out", folder.path]) == 0)
        let database = folder.appendingPathComponent("headway.sqlite").path
        #expect(await Headway.run(arguments: ["calendar", "check", "--database", database]) == 0)
        let store = try await Store.open(.sqlite(path: database))
        let year = try await store.load(school: "DEMO", year: AcademicYear(startYear: 2026))
        try await store.close()
        #expect(year.calendar.assessmentWindows.count == 7)
        #expect(year.calendar.collectionWindows.count == 15)  // 3 collections × Y7–Y11
        #expect(year.calendar.reportingEvents.count == 10)
        #expect(CalendarValidation.validate(year.calendar, collections: year.collections) == [])  // not even a warning
        let names = ["assessment.ics", "collections.ics", "reporting.ics", "headway-calendar.ics"]
        let parsed = try Self.parseWithPythonICalendar(names.map { folder.appendingPathComponent("calendar/\($0)") })
        #expect(parsed.allSatisfy { $0.errors.isEmpty })
        // 7 assessment windows; 3 collections × 2 groups (Y7–Y10, Y11) × 3 events = 18;
        // 10 reporting events; 35 in all.
        #expect(parsed.map(\.events.count) == [7, 18, 10, 35])
        // DC1 opens Monday 30 November 2026 for Y7–Y10 and a week earlier for Y11.
        #expect(parsed[1].events.first { $0.summary == "DC1 Autumn 2026: data entry (Y7–Y10)" }?.start == "2026-11-30")
        #expect(parsed[1].events.first { $0.summary == "DC1 Autumn 2026: data entry (Y11)" }?.start == "2026-11-23")
        #expect(parsed[2].events.first { $0.summary == "Y11 parents' evening" }?.start == "2027-01-14")
    }
}
