import HeadwayAnalytics
import HeadwayCore
import HeadwayReports
import HeadwayTestSupport
import Testing

/// The integrity report's HTML and CSV, and the chase list CSV (issue 5, items 4 and 5).
@Suite struct IntegrityReportTests {
    static let hostile = ReportsTests.hostile

    @Test func htmlIsGroupedBySeverityWithCountsAtTheTopAndEscapesHostileValues() throws {
        var year = Fixtures.smallSchool()
        year.school.name = Self.hostile
        year.staff[0].surname = Self.hostile  // JSM: named as who can fix
        year.assessments[1].workingAt = .offScale(Self.hostile)  // P001 maths DC2
        let findings = Integrity.check(YearIndex(year))
        let html = try IntegrityReport.html(IntegrityReport.model(findings, year: year, generated: "29 November 2026, 09:00"))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("\" onmouseover=\"alert"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!html.contains("src="))
        // The fixture's A* in science and the hostile maths value: 2 errors.
        #expect(html.contains("<strong>2 errors</strong>"))
        let errors = try #require(html.range(of: "<h2>Errors (2)</h2>")).lowerBound
        let warnings = try #require(html.range(of: "<h2>Warnings (")).lowerBound
        let notes = try #require(html.range(of: "<h2>Notes (")).lowerBound
        #expect(errors < warnings && warnings < notes)
        #expect(html.contains("<caption>Values not on the subject&#39;s scale — off-scale (2)</caption>")
            || html.contains("<caption>Values not on the subject&#x27;s scale — off-scale (2)</caption>"))
    }

    @Test func htmlSaysSoWhenThereAreNoFindings() throws {
        let html = try IntegrityReport.html(IntegrityReport.Model(schoolName: "Oak", academicYear: "2026/27", generated: "now", findings: []))
        #expect(html.contains("No findings: every check passed."))
        #expect(html.contains("<strong>0 errors</strong>, 0 warnings, 0 notes."))
    }

    @Test func csvHasTheRecordKeys() throws {
        let findings = Integrity.check(YearIndex(Fixtures.smallSchool()))
        let text = IntegrityReport.csv(findings).text
        #expect(text.hasPrefix("\u{FEFF}severity,check,record,finding,who can fix it,staff codes,collection,class,pupil,subject\r\n"))
        #expect(text.contains("\r\nerror,off-scale,DC2 / 10X/Sc1 / pupil P003 (Kwame Adeyemi-Hart) / SC,working-at value 'A*' is not on GCSE combined science 9-9 to 1-1,"
            + "\"Ms Smith (JSM), Mr Patel (RPA)\",JSM RPA,DC2,10X/Sc1,P003,SC\r\n"))
        #expect(text.contains("\r\ninfo,missing-ks2,year 10,1 of 3 pupils (33.3%) have no KS2 reading or maths score,Dana Green (DMG),DMG,,,,\r\n"))
        #expect(text.components(separatedBy: "\r\n").count == findings.count + 2)  // header, rows, final line break
    }

    /// DC2 misses P003's maths (10X/Ma1, JSM) and P001's and P002's science (10X/Sc1, JSM and
    /// RPA). DC2 has no dates, so no deadline.
    @Test func chaseListCSV() {
        let year = Fixtures.smallSchool()
        let index = YearIndex(year)
        let lines = Completion(index, collection: year.collections[1]).chaseList(index)
        #expect(CompletionReport.chaseList(lines, index: index).text == "\u{FEFF}teacher,name,email,role,collection,missing,classes,missing cells,deadline\r\n"
            + "JSM,Ms Smith,j.smith@school.example,class teacher,DC2,3,10X/Ma1 (1); 10X/Sc1 (2),\"10X/Ma1: Kwame Adeyemi-Hart; 10X/Sc1: Aoife O'Neil, Zoë Marsh\",\r\n"
            + "RPA,Mr Patel,r.patel@school.example,class teacher,DC2,2,10X/Sc1 (2),\"10X/Sc1: Aoife O'Neil, Zoë Marsh\",\r\n")
    }

    /// Mr Patel misses P003's science (year 10, deadline 13 November from DC1's dates) and
    /// P004's history (year 7, whose own window has its deadline on 20 November).
    @Test func chaseListGivesEachYearGroupsDeadlineWhenTheyDiffer() throws {
        var year = Fixtures.smallSchool()
        year.assessments.removeAll { $0.pupil == "P004" && $0.collection == "DC1" }
        year.calendar.collectionWindows = [CollectionWindow(
            collection: "DC1", yearGroup: 7, opens: CalendarDate(year: 2026, month: 11, day: 9)!, deadline: CalendarDate(year: 2026, month: 11, day: 20)!,
            locks: CalendarDate(year: 2026, month: 11, day: 27)!, publishes: CalendarDate(year: 2026, month: 12, day: 4)!)]
        let index = YearIndex(year)
        let lines = Completion(index, collection: year.collections[0]).chaseList(index)
        let rpa = try #require(lines.first { $0.staff == "RPA" })
        #expect(rpa.count == 2)
        #expect(rpa.deadline == CalendarDate(year: 2026, month: 11, day: 13))
        #expect(CompletionReport.deadline(rpa) == "2026-11-13 (Y10); 2026-11-20 (Y7)")
    }

    @Test func aNameTwiceInOneListGetsThePupilsId() {
        var year = Fixtures.smallSchool()
        year.pupils[1].forename = "Aoife"
        year.pupils[1].surname = "O'Neil"
        let index = YearIndex(year)
        #expect(CompletionReport.pupilNames(["P001", "P002", "P003", "GONE"], index: index)
            == "Aoife O'Neil (P001), Aoife O'Neil (P002), Kwame Adeyemi-Hart, GONE")
    }
}
