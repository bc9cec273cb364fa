import HeadwayCore
import Testing

@Suite struct CalendarTests {
    @Test func datesParseInISOAndUKForms() {
        #expect(CalendarDate(parsing: "2014-09-01")?.description == "2014-09-01")
        #expect(CalendarDate(parsing: "01/09/2014")?.description == "2014-09-01")
        #expect(CalendarDate(parsing: "2015-02-29") == nil)
        #expect(CalendarDate(parsing: "2016-02-29") != nil)
        #expect(CalendarDate(parsing: "31/04/2015") == nil)
        #expect(CalendarDate(parsing: "yesterday") == nil)
    }

    @Test func academicYears() {
        #expect(AcademicYear(parsing: "2026/27")?.startYear == 2026)
        #expect(AcademicYear(parsing: "2026-2027")?.startYear == 2026)
        #expect(AcademicYear(parsing: "2005/06")?.description == "2005/06")
        #expect(AcademicYear(parsing: "2026/28") == nil)
        #expect(AcademicYear(containing: CalendarDate(year: 2027, month: 8, day: 31)!).startYear == 2026)
        #expect(AcademicYear(containing: CalendarDate(year: 2027, month: 9, day: 1)!).startYear == 2027)
    }
}
