import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

/// Calendar validation (issue 5, item 1): each rule on a small calendar worked by hand.
///
/// The base calendar, 2026/27, has no finding:
/// - DC1 (Y10, Y11) with whole-school dates 30 Nov / 7 Dec / 9 Dec / 14 Dec 2026, and a Y11
///   window a week earlier: 23 Nov / 30 Nov / 2 Dec / 7 Dec; so Y10 uses the whole-school dates;
/// - DC2 (Y10, Y11), no whole-school dates, windows for both: 8 / 15 / 17 / 22 Mar 2027;
/// - assessments A1 (Y10, Y11) 9–20 Nov 2026 (before DC1 opens for either) and A2 (Y10, Y11)
///   22 Feb–5 Mar 2027 (after DC1 opened, on or before DC2 opens);
/// - report R1 (Y10, Y11) on 14 Dec 2026, DC1's publish date for Y10 (a week after Y11's);
///   parents' meeting PM1 (Y11) on 22 Mar 2027, DC2's publish date.
@Suite struct CalendarValidationTests {
    static func d(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    static let year = AcademicYear(startYear: 2026)

    var collections = Fixtures.calendarCollections
    var calendar = Fixtures.calendar

    func findings() -> [CalendarFinding] { CalendarValidation.validate(calendar, collections: collections) }

    func window(_ collection: DataCollection.ID, _ yearGroup: Int) -> Int {
        calendar.collectionWindows.firstIndex { $0.collection == collection && $0.yearGroup == yearGroup }!
    }

    @Test func theBaseCalendarHasNoFinding() {
        #expect(findings() == [])
    }

    @Test func windowsInForceComeFromTheCalendarElseTheCollection() {
        let windows = calendar.windows(for: collections)
        #expect(windows.map { "\($0.collection)/Y\($0.yearGroup) \($0.opens)" } == [
            "DC1/Y10 2026-11-30", "DC1/Y11 2026-11-23", "DC2/Y10 2027-03-08", "DC2/Y11 2027-03-08",
        ])
        #expect(windows[0].publishes == Self.d("2026-12-14"))
    }

    @Test func datesOutOfOrderAreErrors() {
        var test = self
        test.calendar.collectionWindows[window("DC2", 10)].deadline = Self.d("2027-03-07")
        test.calendar.assessmentWindows[0].ends = Self.d("2026-11-08")
        #expect(test.findings() == [
            CalendarFinding(rule: .datesOutOfOrder, record: "collection DC2 / Y10",
                            message: "opens 2027-03-08 is after deadline 2027-03-07: the dates must run opens ≤ deadline ≤ locks ≤ publishes"),
            CalendarFinding(rule: .datesOutOfOrder, record: "assessment window A1", message: "ends 2026-11-08 before it starts 2026-11-09"),
        ])
        #expect(test.findings().allSatisfy { $0.severity == .error })
    }

    @Test func aDateOutsideTheAcademicYearIsAWarning() {
        var test = self
        test.calendar.assessmentWindows[0].starts = Self.d("2026-09-01")  // the first day: inside
        #expect(test.findings() == [])
        test.calendar.assessmentWindows[0].starts = Self.d("2026-08-28")
        test.calendar.reportingEvents[1].date = Self.d("2027-09-01")
        #expect(test.findings() == [
            CalendarFinding(rule: .outsideAcademicYear, record: "assessment window A1",
                            message: "starts 2026-08-28 is outside the academic year 2026/27 (2026-09-01 to 2027-08-31)"),
            CalendarFinding(rule: .outsideAcademicYear, record: "parents' meeting PM1",
                            message: "date 2027-09-01 is outside the academic year 2026/27 (2026-09-01 to 2027-08-31)"),
        ])
        #expect(test.findings().allSatisfy { $0.severity == .warning })
    }

    /// A1 ending on Y11's opening day (23 Nov) still counts; ending a day later it does not count
    /// for Y11 (opens 23 Nov) but does for Y10 (opens 30 Nov).
    @Test func anAssessmentMustEndOnOrBeforeTheCollectionOpens() {
        var test = self
        test.calendar.assessmentWindows[0].ends = Self.d("2026-11-23")
        #expect(test.findings() == [])
        test.calendar.assessmentWindows[0].ends = Self.d("2026-11-24")
        #expect(test.findings() == [
            CalendarFinding(rule: .noAssessmentBefore, record: "collection DC1 / Y11",
                            message: "no assessment window for Y11 ends on or before the collection opens (2026-11-23): add the assessments it summarises to the assessment calendar"),
        ])
    }

    /// Without A2, the only assessment (A1, ended 20 Nov) ended before DC1 opened, so DC1
    /// summarises it and DC2 has nothing of its own.
    @Test func aCollectionNeedsAnAssessmentSinceThePreviousOne() {
        var test = self
        test.calendar.assessmentWindows.remove(at: 1)
        #expect(test.findings() == [
            CalendarFinding(rule: .noAssessmentBefore, record: "collection DC2 / Y10",
                            message: "no assessment window for Y10 ends on or before the collection opens (2027-03-08) and after DC1 opened (2026-11-30): add the assessments it summarises to the assessment calendar"),
            CalendarFinding(rule: .noAssessmentBefore, record: "collection DC2 / Y11",
                            message: "no assessment window for Y11 ends on or before the collection opens (2027-03-08) and after DC1 opened (2026-11-23): add the assessments it summarises to the assessment calendar"),
        ])
    }

    /// DC1's Y10 entry window runs 30 Nov – 9 Dec (opens to locks). A DC2 Y10 window opening on
    /// 9 Dec shares that day; opening on 10 Dec it does not. (A3, ended 2 Dec, is DC2's assessment,
    /// so no other rule fires.)
    @Test func overlappingEntryWindowsForOneYearGroupAreAWarning() {
        var test = self
        test.calendar.assessmentWindows.append(AssessmentWindow(id: "A3", name: "Y10 topic test", yearGroups: [10],
                                                                starts: Self.d("2026-12-01"), ends: Self.d("2026-12-02")))
        let i = window("DC2", 10)
        test.calendar.collectionWindows[i] = CollectionWindow(collection: "DC2", yearGroup: 10, opens: Self.d("2026-12-09"), deadline: Self.d("2026-12-10"),
                                                              locks: Self.d("2026-12-11"), publishes: Self.d("2026-12-14"))
        #expect(test.findings() == [
            CalendarFinding(rule: .overlappingCollections, record: "collections DC1 and DC2 / Y10",
                            message: "entry windows overlap: DC1 2026-11-30 to 2026-12-09, DC2 2026-12-09 to 2026-12-11 — teachers would enter both at once"),
        ])
        test.calendar.collectionWindows[i].opens = Self.d("2026-12-10")
        #expect(test.findings() == [])
    }

    /// R1 on 13 Dec: after DC1 is published for Y11 (7 Dec), the day before it is for Y10 (14 Dec).
    @Test func aReportBeforeItsCollectionIsPublishedIsAnError() {
        var test = self
        test.calendar.reportingEvents[0].date = Self.d("2026-12-13")
        #expect(test.findings() == [
            CalendarFinding(rule: .reportBeforePublish, record: "report R1 / Y10",
                            message: "on 2026-12-13, before DC1 is published for Y10 (2026-12-14): move it to 2026-12-14 or later"),
        ])
        #expect(test.findings()[0].severity == .error)
        // A parents' meeting too: PM1 the day before DC2 is published.
        test.calendar.reportingEvents[0].date = Self.d("2026-12-14")
        test.calendar.reportingEvents[1].date = Self.d("2027-03-21")
        #expect(test.findings().map(\.record) == ["parents' meeting PM1 / Y11"])
    }

    @Test func anUnknownCollectionIsAnError() {
        var test = self
        test.calendar.reportingEvents[1].collection = "DC9"
        test.calendar.collectionWindows.append(CollectionWindow(collection: "DC8", yearGroup: 10, opens: Self.d("2027-06-07"),
                                                                deadline: Self.d("2027-06-14"), locks: Self.d("2027-06-16"), publishes: Self.d("2027-06-21")))
        #expect(test.findings() == [
            CalendarFinding(rule: .unknownCollection, record: "collection DC8 / Y10", message: "there is no collection DC8 this year (collections: DC1, DC2)"),
            CalendarFinding(rule: .unknownCollection, record: "parents' meeting PM1",
                            message: "uses collection DC9, which this year does not have (collections: DC1, DC2)"),
        ])
    }

    @Test func anEventForAYearGroupItsCollectionDoesNotCoverIsAnError() {
        var test = self
        test.calendar.reportingEvents[0].yearGroups = [9, 10, 11]
        #expect(test.findings() == [
            CalendarFinding(rule: .yearGroupNotCovered, record: "report R1 / Y9",
                            message: "DC1 does not cover Y9 (it covers Y10, Y11): tie the event to a collection that does, or take Y9 out"),
        ])
    }

    /// DC2 has no whole-school dates, so a year group with no window of its own has none; DC1's
    /// whole-school dates give Y9 a window (and then an assessment is missing for it).
    @Test func aYearGroupWithNoDatesIsAWarning() {
        var test = self
        test.collections[1].yearGroups = [9, 10, 11]
        #expect(test.findings() == [
            CalendarFinding(rule: .noDates, record: "collection DC2 / Y9",
                            message: "no dates: add a [[collection.window]] for Y9, or whole-school opens, deadline and locks to the collection"),
        ])
        test.collections = self.collections
        test.collections[0].yearGroups = [9, 10, 11]
        #expect(test.findings().map(\.rule) == [.noAssessmentBefore])
        #expect(test.findings().map(\.record) == ["collection DC1 / Y9"])
    }

    @Test func errorsComeFirst() {
        var test = self
        test.calendar.assessmentWindows[0].starts = Self.d("2026-08-28")  // warning, found first
        test.calendar.reportingEvents[0].date = Self.d("2026-12-13")  // error, found last
        #expect(test.findings().map(\.rule) == [.reportBeforePublish, .outsideAcademicYear])
        #expect(test.findings()[0].description == "error: report R1 / Y10: on 2026-12-13, before DC1 is published for Y10 (2026-12-14): move it to 2026-12-14 or later")
    }
}
