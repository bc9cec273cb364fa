import Foundation
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// Calendars in the store (issue 5, item 1), on every engine in ``TestDatabase/available``.
@Suite struct CalendarStoreTests {
    static let context = ChangeContext(actor: "test", source: "calendar.toml", at: Date(timeIntervalSince1970: 1_795_000_000))
    static func d(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    static let year = AcademicYear(startYear: 2026)
    static let school = School(id: "100001", name: "Riverside Academy")

    static let collections = Fixtures.calendarCollections
    static let calendar = Fixtures.calendar

    @Test(arguments: TestDatabase.available)
    func aCalendarRoundTripsAndCreatesTheSchool(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let summary = try await store.save(Self.calendar, collections: Self.collections, school: Self.school, context: Self.context)
            #expect(summary.collections == .init(new: 2, changed: 0, unchanged: 0))
            #expect(summary.assessmentWindows == .init(new: 2, changed: 0, unchanged: 0))
            #expect(summary.collectionWindows == .init(new: 3, changed: 0, unchanged: 0))
            #expect(summary.reportingEvents == .init(new: 2, changed: 0, unchanged: 0))
            #expect(summary.accepted)
            #expect(summary.resultingCalendar == Self.calendar)
            #expect(summary.resultingCollections == Self.collections)

            #expect(try await store.schools() == [Self.school])
            #expect(try await store.calendar(school: Self.school.id, year: Self.year) == Self.calendar)
            // load(school:year:) fills SchoolYear.calendar.
            let loaded = try await store.load(school: Self.school.id, year: Self.year)
            #expect(loaded.calendar == Self.calendar)
            #expect(loaded.collections == Self.collections)
        }
    }

    @Test(arguments: TestDatabase.available)
    func savingTheSameCalendarAgainChangesNothing(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Self.calendar, collections: Self.collections, school: Self.school, context: Self.context)
            let again = try await store.save(Self.calendar, collections: Self.collections, school: Self.school, context: Self.context)
            #expect(again.collections == .init(new: 0, changed: 0, unchanged: 2))
            #expect(again.assessmentWindows == .init(new: 0, changed: 0, unchanged: 2))
            #expect(again.collectionWindows == .init(new: 0, changed: 0, unchanged: 3))
            #expect(again.reportingEvents == .init(new: 0, changed: 0, unchanged: 2))
            #expect(again.changes.isEmpty)
            #expect(again.isUnchanged)
        }
    }

    /// A second file with one changed window and nothing else: the window changes, everything
    /// else stored is kept; a stored school keeps its name.
    @Test(arguments: TestDatabase.available)
    func absentRecordsAreNeverErased(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Self.calendar, collections: Self.collections, school: Self.school, context: Self.context)
            var moved = Self.calendar.collectionWindows[0]
            moved.opens = Self.d("2026-11-24")
            let partial = SchoolCalendar(academicYear: Self.year, collectionWindows: [moved])
            let summary = try await store.save(partial, collections: [], school: School(id: Self.school.id, name: "100001"), context: Self.context)
            #expect(summary.collectionWindows == .init(new: 0, changed: 1, unchanged: 0))
            #expect(summary.assessmentWindows == .init())
            #expect(summary.changes == ["collection_windows DC1/Y11.opens: 2026-11-23 → 2026-11-24"])

            var expected = Self.calendar
            expected.collectionWindows[0] = moved
            #expect(try await store.calendar(school: Self.school.id, year: Self.year) == expected)
            #expect(summary.resultingCalendar == expected)
            #expect(try await store.schools() == [Self.school])
        }
    }

    /// A calendar file's collection goes through the year save's upsert: a stored collection
    /// keeps its year groups (the file's are added) and the dates the file leaves out.
    @Test(arguments: TestDatabase.available)
    func collectionsMergeAsTheYearSaveMergesThem(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Self.calendar, collections: Self.collections, school: Self.school, context: Self.context)
            var dc1 = Self.collections[0]
            dc1.yearGroups = [9]
            dc1.opens = nil
            dc1.publishes = Self.d("2026-12-15")
            let summary = try await store.save(SchoolCalendar(academicYear: Self.year), collections: [dc1], school: Self.school, context: Self.context)
            #expect(summary.collections == .init(new: 0, changed: 1, unchanged: 0))
            #expect(summary.changes == ["data_collections DC1.year_groups: 10,11 → 9,10,11", "data_collections DC1.publishes: 2026-12-14 → 2026-12-15"])
            let stored = try await store.load(school: Self.school.id, year: Self.year).collections[0]
            #expect(stored.yearGroups == [9, 10, 11])
            #expect(stored.opens == Self.d("2026-11-30"))
            #expect(stored.publishes == Self.d("2026-12-15"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDryRunCountsButKeepsNothing(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let summary = try await store.save(Self.calendar, collections: Self.collections, school: Self.school, context: Self.context, dryRun: true)
            #expect(summary.reportingEvents.new == 2)
            #expect(summary.resultingCalendar == Self.calendar)
            #expect(try await store.schools().isEmpty)
        }
    }

    /// The check sees the merged result — here the stored DC1 and a new event naming DC9, which
    /// would fail the foreign key if written — and refusing it keeps nothing of the save.
    @Test(arguments: TestDatabase.available)
    func aRefusedSaveKeepsNothingAndSeesTheMergedCalendar(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Self.calendar, collections: Self.collections, school: Self.school, context: Self.context)
            var next = SchoolCalendar(academicYear: Self.year)
            next.assessmentWindows = [AssessmentWindow(id: "A3", name: "Summer", yearGroups: [10], starts: Self.d("2027-05-03"), ends: Self.d("2027-05-07"))]
            next.reportingEvents = [ReportingEvent(id: "R9", name: "Lost", kind: .report, yearGroups: [10], date: Self.d("2027-07-01"), collection: "DC9")]
            var seen: (calendar: SchoolCalendar, collections: [DataCollection])?
            let summary = try await store.save(next, collections: [], school: Self.school, context: Self.context) { calendar, collections in
                seen = (calendar, collections)
                return !calendar.reportingEvents.contains { event in !collections.contains { $0.id == event.collection } }
            }
            #expect(!summary.accepted)
            #expect(seen?.calendar.assessmentWindows.map(\.id) == ["A1", "A2", "A3"])
            #expect(seen?.calendar.reportingEvents.map(\.id) == ["R1", "PM1", "R9"])
            #expect(seen?.collections == Self.collections)
            #expect(try await store.calendar(school: Self.school.id, year: Self.year) == Self.calendar)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCollectionOfAnotherYearIsRefused(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            var other = Self.collections[0]
            other.academicYear = AcademicYear(startYear: 2025)
            await #expect(throws: StoreError.self) {
                try await store.save(Self.calendar, collections: [other], school: Self.school, context: Self.context)
            }
        }
    }

    /// A year saved with pupils and classes, then its calendar: both load together.
    @Test(arguments: TestDatabase.available)
    func aSchoolYearLoadsWithItsCalendar(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            #expect(try await store.load(school: year.school.id, year: year.academicYear).calendar == SchoolCalendar(academicYear: year.academicYear))
            let calendar = SchoolCalendar(academicYear: year.academicYear, reportingEvents: [
                ReportingEvent(id: "R1", name: "Autumn report", kind: .report, yearGroups: [7, 10], date: Self.d("2026-12-04"), collection: "DC1"),
            ])
            try await store.save(calendar, collections: [], school: year.school, context: Self.context)
            let loaded = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(loaded.calendar == calendar)
            #expect(loaded.pupils.count == 4)
        }
    }
}
