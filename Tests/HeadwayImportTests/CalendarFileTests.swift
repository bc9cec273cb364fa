import Foundation
import HeadwayCore
import Testing
@testable import HeadwayImport

/// Calendar files (issue 5, item 1): the fixture read in full, and every mistake named with its
/// file, key path, value and reason.
@Suite struct CalendarFileTests {
    static func date(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }

    /// The issues of a file that should not read.
    private func issues(_ toml: String, file: String = "cal.toml") -> [ImportIssue] {
        let (read, issues) = CalendarFile.read(toml: toml, file: file)
        #expect(read == nil)
        return issues
    }

    private let header = """
        academic_year = "2026/27"
        [[collection]]
        code = "DC1"
        name = "DC1"
        sequence = 1
        year_groups = [7]

        """

    @Test func readsTheFixture() throws {
        let (read, issues) = CalendarFile.read(contentsOf: Fixtures.url("calendar/oakfield-2026.toml"))
        #expect(issues.isEmpty)
        let file = try #require(read)
        let calendar = file.calendar
        #expect(calendar.academicYear == AcademicYear(startYear: 2026))

        #expect(calendar.assessmentWindows.map(\.id.rawValue) == ["Y11-MOCK1", "KS3-AUT", "Y10-AUT", "SPR"])
        let ks3 = calendar.assessmentWindows[1]
        #expect(ks3.name == "KS3 autumn assessments")
        #expect(ks3.yearGroups == [7, 8, 9])
        #expect(ks3.starts == Self.date("2026-11-16"))
        #expect(ks3.ends == Self.date("2026-11-20"))  // written as a string

        // Collections: year groups from the windows, whole-school dates as given (none for DC2).
        #expect(file.collections.map(\.id.rawValue) == ["DC1", "DC2"])
        let dc1 = file.collections[0], dc2 = file.collections[1]
        #expect(dc1.name == "DC1 Autumn 2026")
        #expect(dc1.sequence == 1)
        #expect(dc1.academicYear == AcademicYear(startYear: 2026))
        #expect(dc1.yearGroups == [7, 8, 9, 10, 11])
        #expect([dc1.opens, dc1.deadline, dc1.locks, dc1.publishes] == ["2026-11-30", "2026-12-07", "2026-12-09", "2026-12-14"].map(Self.date))
        #expect(dc2.yearGroups == [7, 8, 9, 10, 11])
        #expect(dc2.opens == nil && dc2.publishes == nil)

        // Windows: one per year group; Y11 its own dates, Y7–Y10 the collection's (left out in
        // the file); DC2's deadline written as a string.
        #expect(calendar.collectionWindows.count == 10)
        let y11 = try #require(calendar.collectionWindows.first { $0.collection == "DC1" && $0.yearGroup == 11 })
        #expect(y11 == CollectionWindow(collection: "DC1", yearGroup: 11, opens: Self.date("2026-11-23"), deadline: Self.date("2026-11-30"),
                                        locks: Self.date("2026-12-02"), publishes: Self.date("2026-12-07")))
        let y8 = try #require(calendar.collectionWindows.first { $0.collection == "DC1" && $0.yearGroup == 8 })
        #expect(y8 == CollectionWindow(collection: "DC1", yearGroup: 8, opens: Self.date("2026-11-30"), deadline: Self.date("2026-12-07"),
                                       locks: Self.date("2026-12-09"), publishes: Self.date("2026-12-14")))
        let dc2y9 = try #require(calendar.collectionWindows.first { $0.collection == "DC2" && $0.yearGroup == 9 })
        #expect(dc2y9.deadline == Self.date("2027-03-15"))

        // Reporting events: reports first, then parents' meetings, in file order.
        #expect(calendar.reportingEvents.map(\.id.rawValue) == ["R1-Y11", "R1", "R2", "PM-Y11", "PM-Y10"])
        #expect(calendar.reportingEvents.map(\.kind) == [.report, .report, .report, .parentsMeeting, .parentsMeeting])
        let meeting = calendar.reportingEvents[4]
        #expect(meeting.name == "Y10 parents' evening, with Mme Zoë Brontë-Łukasiewicz; café and cakes in the Ñandú Hall afterwards")
        #expect(meeting.yearGroups == [10])
        #expect(meeting.date == Self.date("2027-03-25"))
        #expect(meeting.collection == "DC2")
    }

    @Test func anUnknownKeyIsNamedWithASuggestion() {
        let found = issues(header + """
            [[assessment_window]]
            id = "A"
            name = "Mocks"
            year_groups = [11]
            starts = 2026-11-09
            end = 2026-11-20
            """)
        #expect(found.map(\.column) == ["assessment_window[1].end", "assessment_window[1].ends"])
        #expect(found[0].reason == "unknown key; did you mean ends? allowed here: id, name, year_groups, starts, ends")
        #expect(found[1].reason == "required: a date (YYYY-MM-DD)")
        #expect(found.allSatisfy { $0.file == "cal.toml" && $0.code == .mappingInvalid })
        // Shown with the word "key", as every TOML issue.
        #expect(found[0].description == "cal.toml: key \"assessment_window[1].end\": unknown key; did you mean ends? allowed here: id, name, year_groups, starts, ends")
    }

    @Test func unknownKeysAreRejectedAtEveryLevel() {
        let found = issues("""
            academic_year = "2026/27"
            colection = 1
            [[collection]]
            code = "DC1"
            name = "DC1"
            sequence = 1
            opnes = 2026-11-30
              [[collection.window]]
              year_groups = [7]
              opens = 2026-11-30
              deadline = 2026-12-07
              locks = 2026-12-09
              publishes = 2026-12-14
              publish = 2026-12-14
            [[report]]
            id = "R1"
            name = "R"
            year_groups = [7]
            date = 2026-12-18
            collection = "DC1"
            colection = "DC1"
            """)
        #expect(found.map(\.column) == ["colection", "collection[1].opnes", "collection[1].window[1].publish", "report[1].colection"])
        #expect(found[0].reason.hasPrefix("unknown key; did you mean collection? "))
        #expect(found[1].reason.hasPrefix("unknown key; did you mean opens? "))
        #expect(found[2].reason.hasPrefix("unknown key; did you mean publishes? "))
        #expect(found[3].reason.hasPrefix("unknown key; did you mean collection? "))
    }

    @Test func badValuesAreNamedWithTheirValue() {
        let found = issues(header + """
              [[collection.window]]
              year_groups = [6, 11]
              opens = "2026-13-01"
              deadline = "next week"
              locks = 2026-12-09
              publishes = 14
            """)
        #expect(found.map(\.column) == ["collection[1].window[1].year_groups", "collection[1].window[1].opens",
                                        "collection[1].window[1].deadline", "collection[1].window[1].publishes"])
        #expect(found.map(\.value) == ["6", "2026-13-01", "next week", nil])
        #expect(found[0].reason == "a year group is 7 to 13")
        #expect(found[1].reason == "not a date: write YYYY-MM-DD")
        #expect(found[3].reason == "must be a date (YYYY-MM-DD), found an integer")
    }

    @Test func aWindowDateIsRequiredUnlessTheCollectionGivesIt() {
        let found = issues(header + """
            deadline = 2026-12-07
              [[collection.window]]
              year_groups = [7]
              opens = 2026-11-30
              locks = 2026-12-09
            """)
        // deadline comes from the collection; publishes has no fallback.
        #expect(found.map(\.column) == ["collection[1].window[1].publishes"])
        #expect(found[0].reason == "required: a date (YYYY-MM-DD), unless the collection gives publishes for the whole school")
    }

    @Test func aYearGroupInTwoWindowsOfOneCollectionIsRejected() {
        let window = """
              [[collection.window]]
              year_groups = [%@]
              opens = 2026-11-30
              deadline = 2026-12-07
              locks = 2026-12-09
              publishes = 2026-12-14

            """
        let found = issues(header + window.replacingOccurrences(of: "%@", with: "10, 11") + window.replacingOccurrences(of: "%@", with: "9, 11"))
        #expect(found.count == 1)
        #expect(found[0].column == "collection[1].window[2].year_groups")
        #expect(found[0].value == "11")
        #expect(found[0].reason == "year 11 already has a window in this collection (collection[1].window[1])")
    }

    @Test func idsAreUniqueAcrossReportsAndMeetings() {
        let event = """
            [[%@]]
            id = "E1"
            name = "Event"
            year_groups = [7]
            date = 2026-12-18
            collection = "DC1"

            """
        let found = issues(header + event.replacingOccurrences(of: "%@", with: "report")
                           + event.replacingOccurrences(of: "%@", with: "parents_meeting"))
        #expect(found.map(\.column) == ["parents_meeting[1].id"])
        #expect(found[0].reason == "already the id of report[1]: reports and parents' meetings need distinct ids")
    }

    @Test func missingAndDuplicateRecordsAreNamed() {
        let found = issues("""
            [[assessment_window]]
            id = "A"
            name = "A"
            year_groups = []
            starts = 2026-11-09
            ends = 2026-11-20
            [[assessment_window]]
            id = "A"
            name = "A again"
            year_groups = [7, 7]
            starts = 2026-11-09
            ends = 2026-11-20
            [[collection]]
            code = "DC1"
            name = "DC1"
            sequence = 1
            """)
        #expect(found.map(\.column) == ["academic_year", "assessment_window[1].year_groups", "assessment_window[2].year_groups",
                                        "assessment_window[2].id", "collection[1]"])
        #expect(found.map(\.reason) == ["required, e.g. \"2026/27\"", "list at least one year group, e.g. [10, 11]", "listed twice",
                                        "assessment window defined twice",
                                        "no year groups: give year_groups, or [[collection.window]] tables with year_groups"])
    }

    @Test func textThatIsNotTOMLIsASyntaxIssueWithItsLine() {
        let found = issues("academic_year = \"2026/27\"\n[[report]\nid = 1\n")
        #expect(found.count == 1)
        #expect(found[0].code == .mappingSyntax)
        #expect(found[0].line == 2)
    }

    @Test func aMissingFileIsOneUnreadableIssue() {
        let (read, found) = CalendarFile.read(contentsOf: URL(fileURLWithPath: "/nonexistent/calendar.toml"))
        #expect(read == nil)
        #expect(found.map(\.code) == [.unreadableFile])
    }
}
