import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

/// Windows enforced (issue 5, item 3), at every boundary day. The fixture's DC1 opens on Monday
/// 2 November 2026, has its deadline on Friday 13 November and locks on Friday 20 November.
@Suite struct EntryWindowTests {
    static let year = Fixtures.smallSchool()
    static let dc1 = year.collections[0]
    static let window = EntryWindow(dc1, yearGroup: 10, in: year)
    static let dataManager = year.staff.first { $0.id == "DMG" }!
    static let teacher = year.staff.first { $0.id == "JSM" }!

    static func day(_ month: Int, _ day: Int, _ year: Int = 2026) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }

    @Test func theWindowComesFromTheCollectionsDatesWhenTheCalendarHasNone() {
        #expect(Self.window.window == CollectionWindow(collection: "DC1", yearGroup: 10, opens: Self.day(11, 2), deadline: Self.day(11, 13),
                                                       locks: Self.day(11, 20), publishes: Self.day(12, 1)))
    }

    @Test(arguments: [
        (11, 1, EntryWindow.Decision.refusedBeforeOpening(opens: EntryWindowTests.day(11, 2))),  // the day before opening
        (11, 2, .onTime),                                                         // opening day
        (11, 13, .onTime),                                                        // deadline day
        (11, 14, .late),                                                          // the day after the deadline
        (11, 20, .late),                                                          // lock day
        (11, 21, .refusedAfterLock(locks: EntryWindowTests.day(11, 20))),                          // the day after the lock
    ])
    func withoutAnOverride(month: Int, day: Int, expected: EntryWindow.Decision) {
        let decision = Self.window.decision(on: Self.day(month, day))
        #expect(decision == expected)
        #expect(decision.isAccepted == [EntryWindow.Decision.onTime, .late].contains(expected))
        #expect(decision.isLate == (expected == .late))
    }

    @Test func aDataManagersOverrideOpensTheLockedWindowOnlyAfterTheLock() throws {
        let override = try EntryWindow.Override(by: Self.dataManager, reason: "  Long-term absence: teacher back today ")
        #expect(override.by == "DMG")
        #expect(override.reason == "Long-term absence: teacher back today")
        #expect(Self.window.decision(on: Self.day(11, 1), override: override) == .refusedBeforeOpening(opens: Self.day(11, 2)))
        #expect(Self.window.decision(on: Self.day(11, 2), override: override) == .onTime)
        #expect(Self.window.decision(on: Self.day(11, 13), override: override) == .onTime)
        #expect(Self.window.decision(on: Self.day(11, 14), override: override) == .late)
        #expect(Self.window.decision(on: Self.day(11, 20), override: override) == .late)
        let after = Self.window.decision(on: Self.day(11, 21), override: override)
        #expect(after == .lateWithOverride(override))
        #expect(after.isAccepted && after.isLate)
        #expect(Self.window.decision(on: Self.day(3, 1, 2027), override: override) == .lateWithOverride(override))
    }

    @Test func onlyADataManagerWithAReasonMayOverride() {
        let notDataManager = #expect(throws: EntryWindow.OverrideError.self) { try EntryWindow.Override(by: Self.teacher, reason: "please") }
        #expect(notDataManager?.code == "override-not-data-manager")
        #expect(notDataManager?.message == "JSM (Ms Smith) does not have the data-manager role: only a data manager may enter data after a collection is locked")
        let noReason = #expect(throws: EntryWindow.OverrideError.self) { try EntryWindow.Override(by: Self.dataManager, reason: "   ") }
        #expect(noReason?.code == "override-no-reason")
    }

    @Test func withNoWindowKnownEveryDayIsAccepted() {
        // DC2 has no dates and the calendar is empty.
        let none = EntryWindow(Self.year.collections[1], yearGroup: 10, in: Self.year)
        #expect(none.window == nil)
        for date in [Self.day(1, 1), Self.day(11, 21), Self.day(8, 31, 2027)] {
            #expect(none.decision(on: date) == .noWindow)
            #expect(none.decision(on: date).isAccepted && !none.decision(on: date).isLate)
        }
    }

    @Test func theCalendarsOwnWindowForAYearGroupComesFirst() {
        var year = Self.year
        year.calendar.collectionWindows = [CollectionWindow(collection: "DC1", yearGroup: 7, opens: Self.day(11, 9), deadline: Self.day(11, 16),
                                                            locks: Self.day(11, 18), publishes: Self.day(12, 1))]
        #expect(EntryWindow(Self.dc1, yearGroup: 7, in: year).decision(on: Self.day(11, 2)) == .refusedBeforeOpening(opens: Self.day(11, 9)))
        #expect(EntryWindow(Self.dc1, yearGroup: 7, in: year).decision(on: Self.day(11, 19)) == .refusedAfterLock(locks: Self.day(11, 18)))
        #expect(EntryWindow(Self.dc1, yearGroup: 10, in: year).decision(on: Self.day(11, 19)) == .late)  // year 10: the collection's dates
    }

    @Test func refusalsSayWhatToDo() {
        #expect(EntryWindow.refusal(.refusedBeforeOpening(opens: Self.day(11, 2)), collection: "DC1", yearGroup: 10)
                == "DC1 for year 10 opens on 2026-11-02: entries are refused before then")
        #expect(EntryWindow.refusal(.refusedAfterLock(locks: Self.day(11, 20)), collection: "DC1", yearGroup: 10)
                == "DC1 for year 10 was locked on 2026-11-20: only a data manager may change it, with --override-by STAFFCODE --reason \"…\"")
        #expect(EntryWindow.refusal(.late, collection: "DC1", yearGroup: 10) == nil)
    }

    /// Only values that differ from what is stored are checked: an untouched re-import after the
    /// lock is accepted; a blank is never a change.
    @Test func screeningChecksOnlyWhatChanges() {
        let gcse = GradeScale.gcse
        let entries = [
            // P001 MA DC1 is stored as 5 / 6 / 2: the same values, and a blank predicted.
            Assessment(pupil: "P001", subject: "MA", collection: "DC1", workingAt: gcse.value(stored: "5"), atl: GradeScale.atl.value(stored: "2")),
            // P002 MA DC1 is stored as 4+ / – / 3: a new predicted grade.
            Assessment(pupil: "P002", subject: "MA", collection: "DC1", workingAt: gcse.value(stored: "4+"), predicted: gcse.value(stored: "5")),
            // P003 SC DC1 is not stored at all.
            Assessment(pupil: "P003", subject: "SC", collection: "DC1", workingAt: .notAssessed),
        ]
        let afterLock = EntryWindow.screen(entries, against: Self.year, on: Self.day(11, 21))
        #expect(afterLock.map(\.changed) == [[], [.predicted], [.workingAt]])
        #expect(afterLock.map(\.decision) == [.onTime, .refusedAfterLock(locks: Self.day(11, 20)), .refusedAfterLock(locks: Self.day(11, 20))])
        #expect(afterLock.map(\.yearGroup) == [10, 10, 10])

        let late = EntryWindow.screen(entries, against: Self.year, on: Self.day(11, 16))
        #expect(late.map(\.decision) == [.onTime, .late, .late])
        #expect(late.map(\.entry.late) == [false, true, true])  // the unchanged entry is not marked
    }
}
