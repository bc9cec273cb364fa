import Foundation
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// A value absent from what is saved never erases a stored one, for the records MIS class and
/// staff lists write (issue 4, item 2): staff names, class teachers and pupils, year groups.
/// Run on every engine in ``TestDatabase/available``.
@Suite struct AbsentValuesStoreTests {
    static let context = StoreTests.context

    /// Only what a class list or staff list import would carry: no subjects, collections or
    /// assessments (they are stored already).
    static func partial(staff: [Staff] = [], pupils: [Pupil] = [], groups: [TeachingGroup] = []) -> SchoolYear {
        let full = Fixtures.smallSchool()
        return SchoolYear(school: full.school, academicYear: full.academicYear, staff: staff, pupils: pupils, teachingGroups: groups)
    }

    @Test(arguments: TestDatabase.available)
    func aCodeOnlyStaffRecordNeverBlanksAStoredName(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let year = Fixtures.smallSchool()
            try await store.save(year, context: Self.context)
            // A class list names JSM and a new teacher NEW by code only.
            let summary = try await store.save(Self.partial(staff: [Staff(id: "JSM", forename: "", surname: "", roles: []),
                                                                    Staff(id: "NEW", forename: "", surname: "", roles: [])]),
                                               context: Self.context)
            #expect(summary.staff == .init(new: 1, changed: 0, unchanged: 1))
            #expect(summary.changes.isEmpty)
            let loaded = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(loaded.staff.first { $0.id == "JSM" } == year.staff[0])  // Ms Jo Smith, email and roles kept
            #expect(loaded.staff.first { $0.id == "NEW" } == Staff(id: "NEW", forename: "", surname: "", roles: []))

            // A staff list with a new forename and nothing else changes only the forename.
            let renamed = try await store.save(Self.partial(staff: [Staff(id: "JSM", title: " ", forename: "Joanna", surname: "", email: nil, roles: [])]),
                                               context: Self.context)
            #expect(renamed.staff == .init(new: 0, changed: 1, unchanged: 0))
            #expect(renamed.changes == ["staff JSM.forename: Jo → Joanna"])
            let after = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(after.staff.first { $0.id == "JSM" } == Staff(id: "JSM", title: "Ms", forename: "Joanna", surname: "Smith",
                                                                   email: "j.smith@school.example", roles: [.teacher, .headOfDepartment("MA")]))
            // Audited as a change to the staff record (issue 12, item 13), with no pupil.
            #expect(renamed.auditRows == 1)
            let row = try #require(try await store.auditLog(school: year.school.id, table: "staff").last)
            #expect([row.action, row.recordKey, row.oldValue, row.newValue] == ["update", "JSM.forename", "Jo", "Joanna"] && row.pupil == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aClassKeepsItsTeachersAndPupilsUnlessTheIncomingClassListsSome(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let year = Fixtures.smallSchool()
            try await store.save(year, context: Self.context)
            func group() async throws -> TeachingGroup? {
                try await store.load(school: year.school.id, year: year.academicYear).teachingGroups.first { $0.id == "10X/Sc1" }
            }
            // No teachers, no pupils, year group 0: nothing stored changes.
            let empty = try await store.save(Self.partial(groups: [TeachingGroup(id: "10X/Sc1", subject: "SC", yearGroup: 0, teachers: [], pupils: [])]),
                                             context: Self.context)
            #expect(empty.teachingGroups == .init(new: 0, changed: 0, unchanged: 1))
            #expect(try await group() == TeachingGroup(id: "10X/Sc1", subject: "SC", yearGroup: 10, teachers: ["JSM", "RPA"], pupils: ["P001", "P002", "P003"]))

            // Teachers listed: they replace the stored ones; the pupils stay.
            let teachers = try await store.save(Self.partial(groups: [TeachingGroup(id: "10X/Sc1", subject: "SC", yearGroup: 0, teachers: ["RPA"], pupils: [])]),
                                                context: Self.context)
            #expect(teachers.teachingGroups == .init(new: 0, changed: 1, unchanged: 0))
            #expect(teachers.changes == ["teaching_groups 10X/Sc1.teachers: 2 → 1 (removed JSM)"])
            #expect(try await group() == TeachingGroup(id: "10X/Sc1", subject: "SC", yearGroup: 10, teachers: ["RPA"], pupils: ["P001", "P002", "P003"]))

            // Pupils listed: they replace the stored ones; the teachers stay.
            try await store.save(Self.partial(groups: [TeachingGroup(id: "10X/Sc1", subject: "SC", yearGroup: 10, teachers: [], pupils: ["P001", "P003"])]),
                                 context: Self.context)
            #expect(try await group() == TeachingGroup(id: "10X/Sc1", subject: "SC", yearGroup: 10, teachers: ["RPA"], pupils: ["P001", "P003"]))

            // The same class list again changes nothing.
            let again = try await store.save(Self.partial(groups: [TeachingGroup(id: "10X/Sc1", subject: "SC", yearGroup: 10, teachers: ["RPA"], pupils: ["P003", "P001"])]),
                                             context: Self.context)
            #expect(again.teachingGroups == .init(new: 0, changed: 0, unchanged: 1))
            #expect(again.changes.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aNewClassWithYearGroupZeroTakesItsPupilsYearGroup(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let year = Fixtures.smallSchool()
            try await store.save(year, context: Self.context)
            // P001–P003 are stored in year 10, P004 in year 7: most common wins.
            let summary = try await store.save(Self.partial(groups: [TeachingGroup(id: "10Y/Ma2", subject: "MA", yearGroup: 0, teachers: ["JSM"],
                                                                                   pupils: ["P001", "P002", "P004"])]),
                                               context: Self.context)
            #expect(summary.teachingGroups == .init(new: 1, changed: 0, unchanged: 0))
            let loaded = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(loaded.teachingGroups.first { $0.id == "10Y/Ma2" }?.yearGroup == 10)
        }
    }

    @Test(arguments: TestDatabase.available)
    func yearGroupZeroNeverOverwritesAStoredYearGroup(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let year = Fixtures.smallSchool()
            try await store.save(year, context: Self.context)
            // A class list row for P001 without year, tutor group or names.
            let summary = try await store.save(Self.partial(pupils: [Pupil(id: "P001", yearGroup: 0)]), context: Self.context)
            #expect(summary.pupils == .init(new: 0, changed: 0, unchanged: 1))
            #expect(summary.auditRows == 0)
            var loaded = try await store.load(school: year.school.id, year: year.academicYear)
            let p001 = try #require(loaded.pupils.first { $0.id == "P001" })
            #expect(p001.yearGroup == 10 && p001.tutorGroup == "10A" && p001.surname == "O'Neil")

            // A pupil first seen without a year group is stored, but on roll only once a file gives one.
            let new = try await store.save(Self.partial(pupils: [Pupil(id: "P100", forename: "Nia", surname: "Rowe", yearGroup: 0)]),
                                           context: Self.context)
            #expect(new.pupils.new == 1)
            #expect(try await store.auditLog(school: year.school.id, pupil: "P100").map(\.newValue) == ["Nia Rowe"])
            loaded = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(!loaded.pupils.contains { $0.id == "P100" })
            try await store.save(Self.partial(pupils: [Pupil(id: "P100", yearGroup: 8, tutorGroup: "8B")]), context: Self.context)
            loaded = try await store.load(school: year.school.id, year: year.academicYear)
            let p100 = try #require(loaded.pupils.first { $0.id == "P100" })
            #expect(p100.yearGroup == 8 && p100.tutorGroup == "8B" && p100.forename == "Nia")
        }
    }
}
