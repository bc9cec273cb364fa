import Foundation
import HeadwayCore
import HeadwayReports
import Testing

/// The iCalendar writer (RFC 5545) and the calendar export, with values worked by hand.
@Suite struct ICalendarTests {
    static func d(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    /// 1,795,000,000 s after the Unix epoch: 2026-11-18 11:06:40 UTC (100,000 s = 1 d 3 h 46 min
    /// 40 s before 2026-11-19 14:53:20, the store tests' instant).
    static let stamp = Date(timeIntervalSince1970: 1_795_000_000)

    /// Physical lines of a folded text, as bytes (split at CRLF).
    func physicalLines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                lines.append([])
                i += 2
            } else {
                lines[lines.count - 1].append(bytes[i])
                i += 1
            }
        }
        return lines
    }

    @Test func aWholeDocumentIsExactlyAsRFC5545Says() {
        let calendar = ICalendar(name: "Riverside; Y10, Y11", events: [
            ICalendar.Event(uid: "u1@headway", summary: "Mocks", description: "Line one\nline two", categories: ["Assessment"],
                            starts: Self.d("2026-11-09"), ends: Self.d("2026-11-20")),
        ])
        #expect(calendar.text(stamp: Self.stamp) == [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Headway//Headway school calendars//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:Riverside\\; Y10\\, Y11",
            "BEGIN:VEVENT", "UID:u1@headway", "DTSTAMP:20261118T110640Z", "DTSTART;VALUE=DATE:20261109",
            // 9–20 November inclusive: DTEND is the 21st, the day after (exclusive end).
            "DTEND;VALUE=DATE:20261121", "SUMMARY:Mocks", "DESCRIPTION:Line one\\nline two", "CATEGORIES:Assessment",
            "TRANSP:TRANSPARENT", "END:VEVENT", "END:VCALENDAR",
        ].joined(separator: "\r\n") + "\r\n")
    }

    @Test func dtendIsTheDayAfterTheLastDay() {
        #expect(ICalendar.dayAfter(Self.d("2026-11-20")) == Self.d("2026-11-21"))
        #expect(ICalendar.dayAfter(Self.d("2026-11-30")) == Self.d("2026-12-01"))
        #expect(ICalendar.dayAfter(Self.d("2026-12-31")) == Self.d("2027-01-01"))
        #expect(ICalendar.dayAfter(Self.d("2027-02-28")) == Self.d("2027-03-01"))
        #expect(ICalendar.dayAfter(Self.d("2028-02-28")) == Self.d("2028-02-29"))  // leap year
        let oneDay = ICalendar(name: "x", events: [ICalendar.Event(uid: "u", summary: "Deadline", starts: Self.d("2026-12-31"), ends: Self.d("2026-12-31"))])
        let text = oneDay.text(stamp: Self.stamp)
        #expect(text.contains("\r\nDTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"))
    }

    @Test func textIsEscaped() {
        #expect(ICalendar.escape("a\\b;c,d\ne\r\nf\rg\u{07}h\ti") == "a\\\\b\\;c\\,d\\ne\\nf\\ngh\ti")
        #expect(ICalendar.escape("Parents' evening: \"Y10\"") == "Parents' evening: \"Y10\"")  // quotes and colons need nothing
    }

    @Test func asciiLinesFoldAt75Octets() {
        let x75 = String(repeating: "X", count: 75)
        #expect(ICalendar.fold(x75) == x75)
        #expect(ICalendar.fold(x75 + "X") == x75 + "\r\n X")
        // 150 octets: 75, then a space and 74, then a space and the last 1.
        let folded = ICalendar.fold(String(repeating: "X", count: 150))
        #expect(physicalLines(folded).map(\.count) == [75, 75, 2])
    }

    /// "SUMMARY:" (8 octets) and 40 × "é" (2 octets each, 88 in all): 33 é fit after the name
    /// (8 + 66 = 74; a 34th would make 76), the other 7 go on a continuation line (1 + 14 = 15).
    @Test func aLongUTF8LineFoldsBetweenCharacters() {
        let line = "SUMMARY:" + String(repeating: "é", count: 40)
        let folded = ICalendar.fold(line)
        #expect(folded == "SUMMARY:" + String(repeating: "é", count: 33) + "\r\n " + String(repeating: "é", count: 7))
        let lines = physicalLines(folded)
        #expect(lines.map(\.count) == [74, 15])
        #expect(lines.allSatisfy { String(bytes: $0, encoding: .utf8) != nil })  // no split UTF-8 sequence
        // Unfolding (RFC 5545 §3.1: remove CRLF and one space) gives the line back.
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
    }

    /// A family emoji is one character of 18 octets (👩 4 + ZWJ 3 + 👩 4 + ZWJ 3 + 👧 4): after 70
    /// octets it does not fit (88 > 75), so it moves whole to the next line (1 + 18 = 19).
    @Test func aMultiScalarCharacterIsNotSplit() {
        let family = "👩\u{200D}👩\u{200D}👧"
        #expect(family.utf8.count == 18)
        let folded = ICalendar.fold(String(repeating: "A", count: 70) + family)
        #expect(folded == String(repeating: "A", count: 70) + "\r\n " + family)
    }

    /// "e" with 40 combining acute accents (U+0301, 2 octets each) is one character of 81 octets,
    /// longer than a line: it is broken between scalars — 1 + 37 × 2 = 75 octets, then a space and
    /// the other 3 accents (7 octets) — never inside a UTF-8 sequence.
    @Test func aCharacterLongerThanALineBreaksBetweenScalars() {
        let long = "e" + String(repeating: "\u{0301}", count: 40)
        let lines = physicalLines(ICalendar.fold(long))
        #expect(lines.map(\.count) == [75, 7])
        #expect(lines.allSatisfy { String(bytes: $0, encoding: .utf8) != nil })
    }

    @Test func everyLineOfAnExportIsAtMost75OctetsAndEndsCRLF() {
        let name = "Y10 parents' evening, with Mme Zoë Brontë-Łukasiewicz; café and cakes in the Ñandú Hall afterwards"
        let calendar = ICalendar(name: name, events: [ICalendar.Event(uid: "u", summary: name, description: String(repeating: name + "\n", count: 3),
                                                                      starts: Self.d("2027-03-25"), ends: Self.d("2027-03-25"))])
        let text = calendar.text(stamp: Self.stamp)
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))  // no bare LF
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))  // no bare CR
        #expect(physicalLines(text).allSatisfy { $0.count <= 75 && String(bytes: $0, encoding: .utf8) != nil })
        // The summary unfolds to the escaped name.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("\r\nSUMMARY:Y10 parents' evening\\, with Mme Zoë Brontë-Łukasiewicz\\; café and cakes in the Ñandú Hall afterwards\r\n"))
    }

    // MARK: - The school calendars as feeds

    static let school = School(id: "St Mary's", name: "St Mary's School")
    static let year = AcademicYear(startYear: 2026)
    static let collections = [
        DataCollection(id: "DC1", name: "DC1 Autumn", academicYear: year, yearGroups: [7, 8, 11], sequence: 1,
                       opens: d("2026-11-30"), deadline: d("2026-12-07"), locks: d("2026-12-09"), publishes: d("2026-12-14")),
    ]
    static let calendar = SchoolCalendar(
        academicYear: year,
        assessmentWindows: [AssessmentWindow(id: "A1", name: "Autumn assessments", yearGroups: [7, 8], starts: d("2026-11-16"), ends: d("2026-11-20"))],
        collectionWindows: [CollectionWindow(collection: "DC1", yearGroup: 11, opens: d("2026-11-23"), deadline: d("2026-11-30"),
                                             locks: d("2026-12-02"), publishes: d("2026-12-07"))],
        reportingEvents: [ReportingEvent(id: "R1", name: "Autumn report", kind: .report, yearGroups: [7, 8], date: d("2026-12-18"), collection: "DC1")])

    /// Y7 and Y8 share DC1's whole-school dates (one group), Y11 has its own: 2 groups × (entry,
    /// deadline, published) = 6 collection events; 1 assessment; 1 report; 8 in all.
    @Test func theExportHasFourFilesWithTheEventsAteacherWants() throws {
        let files = CalendarExport.files(Self.calendar, collections: Self.collections, school: Self.school)
        #expect(files.map(\.name) == ["assessment.ics", "collections.ics", "reporting.ics", "headway-calendar.ics"])
        #expect(files.map(\.calendar.events.count) == [1, 6, 1, 8])
        #expect(files.map(\.calendar.name) == ["St Mary's School: assessment calendar 2026/27", "St Mary's School: data collection calendar 2026/27",
                                               "St Mary's School: reporting calendar 2026/27", "St Mary's School: Headway calendars 2026/27"])
        let collections = files[1].calendar.events
        // Sorted by first day, then last day, then summary: Y11 entry opens 23 Nov; on 30 Nov the
        // Y11 deadline (one day) before the Y7/Y8 entry (to 9 Dec); on 7 Dec the Y7/Y8 deadline
        // before the Y11 publication ("deadline" < "published"); Y7/Y8 published 14 Dec.
        #expect(collections.map(\.summary) == [
            "DC1 Autumn: data entry (Y11)", "DC1 Autumn: deadline (Y11)", "DC1 Autumn: data entry (Y7, Y8)",
            "DC1 Autumn: deadline (Y7, Y8)", "DC1 Autumn: published (Y11)", "DC1 Autumn: published (Y7, Y8)",
        ])
        let entry = collections[2]
        #expect(entry.uid == "headway-St%20Mary%27s-2026-entry-DC1-y7.8@headway")
        #expect(entry.starts == Self.d("2026-11-30"))
        #expect(entry.ends == Self.d("2026-12-09"))  // opens to locks
        #expect(entry.description == "Data entry for DC1 Autumn, Y7, Y8. Opens 30 November 2026; deadline 7 December 2026 (entries after it are marked late); locks 9 December 2026 (changes after it need the data manager); published 14 December 2026.")
        #expect(collections[1].uid == "headway-St%20Mary%27s-2026-deadline-DC1-y11@headway")
        #expect(collections[1].starts == Self.d("2026-11-30") && collections[1].ends == Self.d("2026-11-30"))

        let assessment = files[0].calendar.events[0]
        #expect(assessment.uid == "headway-St%20Mary%27s-2026-assessment-A1@headway")
        #expect(assessment.summary == "Autumn assessments (Y7, Y8)")
        let report = files[2].calendar.events[0]
        #expect(report.uid == "headway-St%20Mary%27s-2026-report-R1@headway")
        #expect(report.summary == "Autumn report (Y7, Y8)")
        #expect(report.description == "Report to parents and carers for Y7, Y8, using DC1 Autumn data.")
        #expect(report.categories == ["Report"])
        // The combined file holds every event of the three, in date order.
        #expect(files[3].calendar.events.map(\.starts) == files[3].calendar.events.map(\.starts).sorted())
        #expect(Set(files[3].calendar.events) == Set(files[0].calendar.events + files[1].calendar.events + files[2].calendar.events))
    }

    @Test func yearGroupsAreAddedToANameThatLacksThem() {
        #expect(CalendarExport.titled("Autumn report", [7, 8, 9, 10]) == "Autumn report (Y7–Y10)")
        #expect(CalendarExport.titled("Y11 mock exams", [11]) == "Y11 mock exams")
        #expect(CalendarExport.titled("Y11 mock exams", [10, 11]) == "Y11 mock exams (Y10, Y11)")
    }

    @Test func yearGroupLabels() {
        #expect(CalendarExport.yearLabel([11]) == "Y11")
        #expect(CalendarExport.yearLabel([10, 7, 9, 8]) == "Y7–Y10")
        #expect(CalendarExport.yearLabel([7, 8]) == "Y7, Y8")
        #expect(CalendarExport.yearLabel([7, 9, 11]) == "Y7, Y9, Y11")
    }
}
