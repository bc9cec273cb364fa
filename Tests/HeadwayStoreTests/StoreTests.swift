import Foundation
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// The store suite, run on every engine in ``TestDatabase/available`` (SQLite always;
/// PostgreSQL when HEADWAY_TEST_POSTGRES_URL is set, and always under CI=true).
@Suite struct StoreTests {
    static let context = ChangeContext(actor: "test", source: "fixture.csv", reason: "test import", at: Date(timeIntervalSince1970: 1_795_000_000))

    @Test(arguments: TestDatabase.available)
    func migrationsApplyOnceInOrder(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            #expect(try await store.appliedMigrations() == Array(1...Store.migrationCount))
            #expect(try await store.migrate() == [])
        }
    }

    @Test(arguments: TestDatabase.available)
    func schoolYearRoundTrips(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            let summary = try await store.save(year, context: Self.context)
            #expect(summary.pupils.new == 4)
            #expect(summary.assessments.new == 10)
            #expect(summary.characteristics.new == 10)
            #expect(summary.priorAttainment.new == 3)
            #expect(summary.targets.new == 1)
            // New records are audited in one row per table and pupil: pupils 4, characteristics 4,
            // KS2 3, assessments 4 (one per pupil), target 1; and one per table for the school,
            // its subjects, staff and classes (issue 12, item 13).
            #expect(summary.auditRows == 20)

            let loaded = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(loaded.school == year.school)
            #expect(loaded.pupils.sorted { $0.id < $1.id } == year.pupils.sorted { $0.id < $1.id })
            #expect(loaded.staff.sorted { $0.id < $1.id } == year.staff.sorted { $0.id < $1.id })
            #expect(loaded.subjects.sorted { $0.id < $1.id } == year.subjects.sorted { $0.id < $1.id })
            #expect(loaded.teachingGroups.sorted { $0.id < $1.id } == year.teachingGroups.map {
                var g = $0; g.teachers.sort(); g.pupils.sort(); return g
            }.sorted { $0.id < $1.id })
            #expect(loaded.collections == year.collections)
            let key = { (a: Assessment) in "\(a.collection)/\(a.pupil)/\(a.subject)" }
            #expect(loaded.assessments.sorted { key($0) < key($1) } == year.assessments.sorted { key($0) < key($1) })
            #expect(loaded.targets == year.targets)
            #expect(loaded.scales[Fixtures.ks3Steps.id] == Fixtures.ks3Steps)
            // Names with apostrophes, diacritics and markup are stored exactly.
            #expect(loaded.pupils.map(\.surname).contains("O'Neil"))
            #expect(loaded.pupils.map(\.forename).contains("Zoë"))
            #expect(loaded.pupils.map(\.surname).contains("<script>alert(1)</script>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func savingTheSameDataTwiceChangesNothing(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            let again = try await store.save(year, context: Self.context)
            #expect(again.pupils == .init(new: 0, changed: 0, unchanged: 4))
            #expect(again.assessments == .init(new: 0, changed: 0, unchanged: 10))
            #expect(again.auditRows == 0)
            #expect(try await store.auditLog(school: year.school.id).count == 20)
        }
    }

    /// Issue 12, item 13: changes to the school, a subject, a member of staff and a class are
    /// audited like pupil data — who, when, old → new, why and where from — with no pupil.
    @Test(arguments: TestDatabase.available)
    func schoolSubjectStaffAndClassChangesAreAudited(engine: TestDatabase) async throws {
        var year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            let created = try await store.auditLog(school: year.school.id).filter { $0.pupil == nil }
            #expect(created.map(\.table) == ["schools", "subjects", "staff", "teaching_groups"])
            #expect(created.map(\.recordKey) == ["1 new", "\(year.subjects.count) new", "\(year.staff.count) new", "\(year.teachingGroups.count) new"])
            #expect(created[2].newValue?.contains("DMG Dana Green data_manager") == true)

            year.school.name = "Renamed Academy"
            let maths = try #require(year.subjects.firstIndex { $0.id == "MA" })
            year.subjects[maths].name = "Maths"
            let jsm = try #require(year.staff.firstIndex { $0.id == "JSM" })
            year.staff[jsm].email = "j.smith@example.org"
            let group = try #require(year.teachingGroups.firstIndex { $0.id == "10X/Ma1" })
            year.teachingGroups[group].pupils = ["P001", "P002"]  // P003 moves out
            let context = ChangeContext(actor: "DMG", source: "staff.csv", reason: "summer timetable", at: Date(timeIntervalSince1970: 1_800_000_000))
            let summary = try await store.save(year, context: context)
            let rows = try await store.auditLog(school: year.school.id).suffix(summary.auditRows)
            let original = Fixtures.smallSchool()
            #expect(rows.map { [$0.actor, $0.action, $0.table, $0.recordKey, $0.oldValue ?? "blank", $0.newValue ?? "blank", $0.reason ?? "", $0.source] } == [
                ["DMG", "update", "schools", "\(year.school.id).name", original.school.name, "Renamed Academy", "summer timetable", "staff.csv"],
                ["DMG", "update", "subjects", "MA.name", original.subjects[maths].name, "Maths", "summer timetable", "staff.csv"],
                ["DMG", "update", "staff", "JSM.email", "j.smith@school.example", "j.smith@example.org", "summer timetable", "staff.csv"],
                ["DMG", "update", "teaching_groups", "10X/Ma1.pupils", "P001 P002 P003", "P001 P002", "summer timetable", "staff.csv"],
            ])
            #expect(rows.allSatisfy { $0.pupil == nil && $0.at == "2027-01-15T08:00:00Z" })
            #expect(summary.changes.last == "teaching_groups 10X/Ma1.pupils: 3 → 2 (removed P003)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aChangedGradeIsAuditedAndABlankNeverErases(engine: TestDatabase) async throws {
        var year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            let i = year.assessments.firstIndex { $0.pupil == "P001" && $0.subject == "MA" && $0.collection == "DC2" }!
            year.assessments[i].workingAt = GradeScale.gcse.value(stored: "6")
            year.assessments[i].predicted = nil  // blank in the new file
            year.pupils[0].surname = ""  // absent from the new file
            let context = ChangeContext(actor: "JSM", source: "markbook.csv:7", reason: "moderated", at: Date(timeIntervalSince1970: 1_795_100_000))
            let summary = try await store.save(year, context: context)
            #expect(summary.assessments == .init(new: 0, changed: 1, unchanged: 9))
            #expect(summary.pupils.changed == 0)
            #expect(summary.changes == ["assessments DC2/P001/MA.working_at: 6- → 6"])

            let loaded = try await store.load(school: year.school.id, year: year.academicYear)
            let entry = loaded.assessments.first { $0.pupil == "P001" && $0.subject == "MA" && $0.collection == "DC2" }!
            #expect(entry.workingAt?.stored == "6")
            #expect(entry.predicted?.stored == "6")  // kept
            #expect(loaded.pupils.first { $0.id == "P001" }?.surname == "O'Neil")  // kept

            let audit = try await store.auditLog(school: year.school.id, pupil: "P001")
            let last = try #require(audit.last)
            #expect(last.action == "update")
            #expect(last.recordKey == "DC2/P001/MA.working_at")
            #expect(last.oldValue == "6-")
            #expect(last.newValue == "6")
            #expect(last.actor == "JSM")
            #expect(last.reason == "moderated")
            #expect(last.source == "markbook.csv:7")
            #expect(last.at == "2026-11-19T14:53:20Z")  // 1,795,100,000 s after the Unix epoch, UTC
        }
    }

    @Test(arguments: TestDatabase.available)
    func creationIsAuditedOncePerPupilWithEveryValue(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            let audit = try await store.auditLog(school: year.school.id, pupil: "P001")
            #expect(audit.map(\.table) == ["pupils", "pupil_characteristics", "prior_attainment", "assessments", "targets"])
            #expect(audit.allSatisfy { $0.action == "create" && $0.oldValue == nil && $0.actor == "test" && $0.source == "fixture.csv" })
            #expect(audit[0].newValue == "H801200001001 Aoife O'Neil 2011-03-04 year 10 10A")
            #expect(audit[1].newValue == "2026 disadvantaged=true; 2026 gender=F; 2026 sen=K")
            #expect(audit[2].newValue == "reading 105, maths 107")
            #expect(audit[3].newValue == "DC1/MA working_at=5 predicted=6 atl=2; DC2/MA working_at=6- predicted=6 atl=1; DC1/SC working_at=6-5 predicted= atl=")
            #expect(audit[4].newValue == "MA 7 (imported)")
        }
    }

    /// A later file covering another year group adds it to a stored collection; it never drops
    /// the year groups or dates already stored.
    @Test(arguments: TestDatabase.available)
    func collectionsKeepTheirYearGroupsAndDates(engine: TestDatabase) async throws {
        var year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            year.collections[0].yearGroups = [11]
            year.collections[0].opens = nil
            try await store.save(year, context: Self.context)
            let loaded = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(loaded.collections[0].yearGroups == [7, 10, 11])
            #expect(loaded.collections[0].opens?.description == "2026-11-02")
        }
    }

    @Test(arguments: TestDatabase.available)
    func dryRunReportsButKeepsNothing(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            let summary = try await store.save(year, context: Self.context, dryRun: true)
            #expect(summary.pupils.new == 4)
            #expect(try await store.schools().isEmpty)
            #expect(try await store.auditLog(school: year.school.id).isEmpty)
        }
    }

    /// An entry for a subject the school does not have violates a foreign key half-way through
    /// the save: the whole save is rolled back, and what was stored before is intact.
    @Test(arguments: TestDatabase.available)
    func aFailedSaveLeavesNothingHalfWritten(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            var broken = year
            broken.pupils.append(Pupil(id: "P099", forename: "New", surname: "Pupil", yearGroup: 10))
            broken.assessments[0].workingAt = GradeScale.gcse.value(stored: "9")
            broken.assessments.append(Assessment(pupil: "P001", subject: "NOPE", collection: "DC1", workingAt: .notAssessed))
            await #expect(throws: (any Error).self) { try await store.save(broken, context: Self.context) }
            let loaded = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(loaded.pupils.count == 4)
            #expect(loaded.assessments.first { $0.pupil == "P001" && $0.collection == "DC1" && $0.subject == "MA" }?.workingAt?.stored == "5")
            #expect(try await store.auditLog(school: year.school.id).count == 20)
        }
    }

    @Test(arguments: TestDatabase.available)
    func loadingAnUnknownSchoolSaysWhatToDo(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            await #expect(throws: StoreError.self) { try await store.load(school: "NOPE", year: Fixtures.year) }
        }
    }

    @Test func databaseLocationsParse() throws {
        #expect(try DatabaseLocation(parsing: "./headway.sqlite") == .sqlite(path: "./headway.sqlite"))
        #expect(try DatabaseLocation(parsing: "sqlite:data/x.sqlite") == .sqlite(path: "data/x.sqlite"))
        #expect(try DatabaseLocation(parsing: "postgres://u:secret@127.0.0.1:5432/headway") == .postgres(url: "postgres://u:secret@127.0.0.1:5432/headway"))
        #expect(try DatabaseLocation(parsing: "postgres://u:secret@127.0.0.1:5432/headway").description == "postgres://u:***@127.0.0.1:5432/headway")
        #expect(throws: StoreError.self) { try DatabaseLocation(parsing: "mysql://x") }
        #expect(throws: StoreError.self) { try DatabaseLocation(parsing: "") }
    }
}
