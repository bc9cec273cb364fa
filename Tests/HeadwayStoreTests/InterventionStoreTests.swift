import Foundation
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// The intervention log and year group responsibilities in the store (issue 6, items 3 and 5,
/// migration 12), on every engine in ``TestDatabase/available``. The school is
/// ``Fixtures/smallSchool()``: pupils P001–P004 (2026/27), staff JSM, RPA (head of year 10) and
/// DMG, subjects MA, SC and HI7.
@Suite struct InterventionStoreTests {
    static let context = ChangeContext(actor: "data manager", source: "interventions.csv", reason: "interventions import",
                                       at: Date(timeIntervalSince1970: 1_795_000_000))
    static func d(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    static let school: School.ID = "100001"
    static let y2025 = AcademicYear(startYear: 2025), y2026 = AcademicYear(startYear: 2026), y2027 = AcademicYear(startYear: 2027)
    static let note = "Zoë O'Neil said \"Tuesdays\"; café — <b>ok</b>"

    /// Every field set (pupils deliberately not in id order); no end, cost or source; the
    /// school's own type on the last day of 2026/27; one in 2027/28.
    static let tutoring = Intervention(
        id: "INT-001", type: .tutoring, title: "Y10 maths tutoring", owner: "JSM", pupils: ["P003", "P001"], subjects: ["MA", "SC"],
        starts: d("2026-11-02"), ends: d("2027-02-12"), sessions: 12, costPence: 48_000, fundedByPupilPremium: true, notes: note,
        source: "interventions.csv:2")
    static let mentoring = Intervention(id: "INT-002", type: .mentoring, title: "", owner: "RPA", pupils: ["P002"], starts: d("2026-09-01"))
    static let nextYear = Intervention(id: "INT-003", type: .parentMeeting, title: "Parents' evening follow-up", owner: "RPA", pupils: ["P004"],
                                       starts: d("2027-09-06"), ends: d("2027-09-06"), sessions: 1, costPence: 0, source: "interventions.csv:4")
    static let ownType = Intervention(id: "INT-004", type: "literacy_catch_up", title: "Reading", owner: "DMG", pupils: ["P004"], subjects: ["HI7"],
                                      starts: d("2027-08-31"), sessions: 0, source: "interventions.csv:5")
    static let all = [tutoring, mentoring, nextYear, ownType]

    /// As stored: a record saved without a source takes the context's.
    static func stored(_ i: Intervention) -> Intervention {
        var i = i
        i.source = i.source ?? context.source
        return i
    }

    func expectStoreError(_ code: String, mentioning words: [String], _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("no error; expected \(code)")
        } catch let error as StoreError {
            #expect(error.code == code, "\(error)")
            for word in words { #expect(error.message.contains(word), "\(error.message) lacks \(word)") }
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func interventionsRoundTripWithEveryField(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Fixtures.smallSchool(), context: Self.context)
            let auditBefore = try await store.auditLog(school: Self.school).count

            let dry = try await store.save(Self.all, school: Self.school, context: Self.context, dryRun: true)
            #expect(dry.new == 4 && dry.auditRows == 4)
            #expect(try await store.interventions(school: Self.school).isEmpty)

            let summary = try await store.save(Self.all, school: Self.school, context: Self.context)
            #expect(summary.counts == .init(new: 4, changed: 0, unchanged: 0) && summary.auditRows == 4 && summary.changes.isEmpty)
            // By start date: 2026-09-01, 2026-11-02, 2027-08-31, 2027-09-06.
            #expect(try await store.interventions(school: Self.school) == [Self.mentoring, Self.tutoring, Self.ownType, Self.nextYear].map(Self.stored))
            // 2026/27 runs 1 September 2026 to 31 August 2027: both ends in, 6 September 2027 out.
            #expect(try await store.interventions(school: Self.school, academicYear: Self.y2026).map(\.id) == ["INT-002", "INT-001", "INT-004"])
            #expect(try await store.interventions(school: Self.school, academicYear: Self.y2027).map(\.id) == ["INT-003"])

            // One create row per intervention (no pupil), its non-blank fields, the record's source.
            let audit = Array(try await store.auditLog(school: Self.school).dropFirst(auditBefore))
            #expect(audit.map(\.recordKey) == ["INT-001", "INT-002", "INT-003", "INT-004"])
            #expect(audit.allSatisfy { $0.action == "create" && $0.table == "interventions" && $0.pupil == nil && $0.oldValue == nil && $0.actor == "data manager" })
            #expect(audit[0].newValue == "type=tutoring; title=Y10 maths tutoring; owner=JSM; pupils=P003 P001; subjects=MA SC; starts=2026-11-02; "
                + "ends=2027-02-12; sessions=12; cost_pence=48000; pupil_premium=yes; notes=\(Self.note)")
            #expect(audit[1].newValue == "type=mentoring; owner=RPA; pupils=P002; starts=2026-09-01; pupil_premium=no")
            #expect(audit.map(\.source) == ["interventions.csv:2", "interventions.csv", "interventions.csv:4", "interventions.csv:5"])
            #expect(audit[0].reason == "interventions import")
        }
    }

    /// The same list again, or with pupils and subjects in another order and another source (the
    /// same file renamed): unchanged, nothing audited, the stored order kept.
    @Test(arguments: TestDatabase.available)
    func savingTheSameInterventionsAgainChangesNothing(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Fixtures.smallSchool(), context: Self.context)
            try await store.save(Self.all, school: Self.school, context: Self.context)
            let auditBefore = try await store.auditLog(school: Self.school).count

            let again = try await store.save(Self.all, school: Self.school, context: Self.context)
            #expect(again.counts == .init(new: 0, changed: 0, unchanged: 4) && again.auditRows == 0 && again.isUnchanged)

            var reordered = Self.tutoring
            reordered.pupils = ["P001", "P003"]
            reordered.subjects = ["SC", "MA"]
            reordered.source = "renamed.csv:9"
            let third = try await store.save([reordered], school: Self.school, context: Self.context)
            #expect(third.counts == .init(new: 0, changed: 0, unchanged: 1) && third.changes.isEmpty)
            let stored = try await store.interventions(school: Self.school).first { $0.id == "INT-001" }
            #expect(stored == Self.tutoring)
            #expect(try await store.auditLog(school: Self.school).count == auditBefore)
        }
    }

    /// Changed pupils (one field for the whole list), a cleared end date, a new cost and removed
    /// notes: four `update` rows, old → new; interventions absent from the save are kept.
    @Test(arguments: TestDatabase.available)
    func aChangeIsAuditedFieldByFieldAndAbsentInterventionsAreKept(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Fixtures.smallSchool(), context: Self.context)
            try await store.save(Self.all, school: Self.school, context: Self.context)
            let auditBefore = try await store.auditLog(school: Self.school).count

            var changed = Self.tutoring
            changed.pupils = ["P003", "P001", "P002"]
            changed.ends = nil
            changed.costPence = 50_000
            changed.notes = nil
            changed.source = "interventions-v2.csv:2"
            let context = ChangeContext(actor: "JSM", source: "interventions-v2.csv", reason: "term 2 update", at: Self.context.at)
            let summary = try await store.save([changed, Self.mentoring], school: Self.school, context: context)
            #expect(summary.counts == .init(new: 0, changed: 1, unchanged: 1) && summary.auditRows == 4)
            #expect(summary.changes == [
                "interventions INT-001.pupils: P003 P001 → P003 P001 P002",
                "interventions INT-001.ends: 2027-02-12 → blank",
                "interventions INT-001.cost_pence: 48000 → 50000",
                "interventions INT-001.notes: \(Self.note) → blank",
            ])
            let audit = Array(try await store.auditLog(school: Self.school).dropFirst(auditBefore))
            #expect(audit.map(\.recordKey) == ["INT-001.pupils", "INT-001.ends", "INT-001.cost_pence", "INT-001.notes"])
            #expect(audit.map(\.oldValue) == ["P003 P001", "2027-02-12", "48000", Self.note])
            #expect(audit.map(\.newValue) == ["P003 P001 P002", nil, "50000", nil])
            #expect(audit.allSatisfy { $0.action == "update" && $0.actor == "JSM" && $0.reason == "term 2 update" && $0.source == "interventions-v2.csv:2" })

            let stored = try await store.interventions(school: Self.school)
            #expect(stored.count == 4)
            #expect(stored.first { $0.id == "INT-001" } == changed)
            #expect(stored.first { $0.id == "INT-003" } == Self.nextYear)
        }
    }

    /// A pupil, owner or subject the school does not have refuses the whole save, naming the
    /// intervention and the id; nothing of it is written (the valid intervention before it
    /// neither).
    @Test(arguments: TestDatabase.available)
    func unknownPupilOwnerOrSubjectIsRefusedAndNothingWritten(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Fixtures.smallSchool(), context: Self.context)
            let auditBefore = try await store.auditLog(school: Self.school).count
            var pupil = Self.mentoring, owner = Self.mentoring, subject = Self.mentoring, twice = Self.mentoring, dates = Self.mentoring
            pupil.id = "INT-BAD"
            pupil.pupils = ["P002", "P999"]
            owner.owner = "ZZZ"
            subject.subjects = ["MA", "FR"]
            twice.pupils = ["P002", "P002"]
            dates.ends = Self.d("2026-08-31")
            await expectStoreError("unknown-pupil", mentioning: ["INT-BAD", "P999"]) {
                try await store.save([Self.tutoring, pupil], school: Self.school, context: Self.context)
            }
            await expectStoreError("unknown-staff", mentioning: ["INT-002", "ZZZ"]) {
                try await store.save([Self.tutoring, owner], school: Self.school, context: Self.context)
            }
            await expectStoreError("unknown-subject", mentioning: ["INT-002", "FR"]) {
                try await store.save([Self.tutoring, subject], school: Self.school, context: Self.context)
            }
            await expectStoreError("duplicate", mentioning: ["INT-002", "P002"]) {
                try await store.save([twice], school: Self.school, context: Self.context)
            }
            await expectStoreError("bad-dates", mentioning: ["INT-002", "2026-08-31", "2026-09-01"]) {
                try await store.save([dates], school: Self.school, context: Self.context)
            }
            await expectStoreError("not-found", mentioning: ["School 999999"]) {
                try await store.save([Self.tutoring], school: "999999", context: Self.context)
            }
            #expect(try await store.interventions(school: Self.school).isEmpty)
            #expect(try await store.auditLog(school: Self.school).count == auditBefore)
        }
    }

    /// One person per academic year, year group and role: naming another replaces them (audited
    /// as a change); other years and roles are kept.
    @Test(arguments: TestDatabase.available)
    func responsibilitiesAreReplacedPerYearYearGroupAndRole(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Fixtures.smallSchool(), context: Self.context)
            let auditBefore = try await store.auditLog(school: Self.school).count
            let first = [
                YearGroupResponsibility(academicYear: Self.y2026, yearGroup: 10, staff: "RPA"),
                YearGroupResponsibility(academicYear: Self.y2026, yearGroup: 10, staff: "JSM", role: .progressLeader),
                YearGroupResponsibility(academicYear: Self.y2025, yearGroup: 10, staff: "JSM"),
            ]
            let saved = try await store.save(first, school: Self.school, context: Self.context)
            #expect(saved.counts == .init(new: 3, changed: 0, unchanged: 0) && saved.auditRows == 3)
            // By year, year group, head of year before progress leader.
            #expect(try await store.responsibilities(school: Self.school) == [first[2], first[0], first[1]])

            let replaced = YearGroupResponsibility(academicYear: Self.y2026, yearGroup: 10, staff: "DMG")
            let summary = try await store.save([replaced, first[1]], school: Self.school, context: Self.context)
            #expect(summary.counts == .init(new: 0, changed: 1, unchanged: 1) && summary.auditRows == 1)
            #expect(summary.changes == ["year_group_responsibilities 2026/27/Y10/head_of_year: RPA → DMG"])
            #expect(try await store.responsibilities(school: Self.school) == [first[2], replaced, first[1]])

            let audit = Array(try await store.auditLog(school: Self.school).dropFirst(auditBefore))
            #expect(audit.map(\.recordKey) == ["2026/27/Y10/head_of_year", "2026/27/Y10/progress_leader", "2025/26/Y10/head_of_year",
                                               "2026/27/Y10/head_of_year"])
            #expect(audit.map(\.action) == ["create", "create", "create", "update"])
            #expect(audit.map(\.oldValue) == [nil, nil, nil, "RPA"])
            #expect(audit.map(\.newValue) == ["RPA", "JSM", "JSM", "DMG"])
            #expect(audit.allSatisfy { $0.table == "year_group_responsibilities" && $0.pupil == nil && $0.source == "interventions.csv" })

            await expectStoreError("unknown-staff", mentioning: ["ZZZ", "Year 9", "2026/27"]) {
                try await store.save([YearGroupResponsibility(academicYear: Self.y2026, yearGroup: 9, staff: "ZZZ")], school: Self.school, context: Self.context)
            }
            await expectStoreError("bad-year-group", mentioning: ["Year group 6"]) {
                try await store.save([YearGroupResponsibility(academicYear: Self.y2026, yearGroup: 6, staff: "RPA")], school: Self.school, context: Self.context)
            }
            #expect(try await store.responsibilities(school: Self.school).count == 3)
        }
    }

    /// P001 is in Year 9 in 2025/26 and Year 10 in 2026/27. 2026/27 has stored records (JSM head
    /// of year, DMG progress leader — heads of year first); 2025/26 has none, so the head of year
    /// role names the responsible person: KLM holds hoy:9 (RPA holds hoy:10, and is not named for
    /// 2026/27 because a stored record wins).
    @Test(arguments: TestDatabase.available)
    func aPupilsRecordNamesWhoWasResponsibleEachYear(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let year = Fixtures.smallSchool()
            try await store.save(year, context: Self.context)
            var aoife = year.pupils[0]
            aoife.yearGroup = 9
            let klm = Staff(id: "KLM", title: "Mrs", forename: "Kate", surname: "Lomas", roles: [.teacher, .headOfYear(9)])
            try await store.save(SchoolYear(school: year.school, academicYear: Self.y2025, staff: [klm], pupils: [aoife]),
                                 context: Self.context)
            try await store.save([YearGroupResponsibility(academicYear: Self.y2026, yearGroup: 10, staff: "DMG", role: .progressLeader),
                                  YearGroupResponsibility(academicYear: Self.y2026, yearGroup: 10, staff: "JSM")],
                                 school: Self.school, context: Self.context)
            let staff = Dictionary(uniqueKeysWithValues: year.staff.map { ($0.id, $0) })
            #expect(try await store.responsibilityHistory(pupil: "P001", school: Self.school) == [
                ResponsibilityRecord(academicYear: Self.y2025, yearGroup: 9, staff: [klm], fromStoredRecord: false),
                ResponsibilityRecord(academicYear: Self.y2026, yearGroup: 10, staff: [staff["JSM"]!, staff["DMG"]!], fromStoredRecord: true),
            ])
            // P004 (Year 7, 2026/27 only): nobody holds hoy:7 and nothing is stored.
            #expect(try await store.responsibilityHistory(pupil: "P004", school: Self.school) == [
                ResponsibilityRecord(academicYear: Self.y2026, yearGroup: 7, staff: [], fromStoredRecord: false),
            ])
            await expectStoreError("not-found", mentioning: ["P999"]) {
                _ = try await store.responsibilityHistory(pupil: "P999", school: Self.school)
            }
        }
    }

    /// `load` gives the year its interventions (those starting in it) and its responsibilities
    /// (that year's only), and Core's `responsibleStaff` then uses them.
    @Test(arguments: TestDatabase.available)
    func loadFillsInterventionsAndResponsibilities(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Fixtures.smallSchool(), context: Self.context)
            try await store.save(Self.all, school: Self.school, context: Self.context)
            let this = YearGroupResponsibility(academicYear: Self.y2026, yearGroup: 10, staff: "JSM")
            try await store.save([YearGroupResponsibility(academicYear: Self.y2025, yearGroup: 10, staff: "DMG"), this],
                                 school: Self.school, context: Self.context)
            let loaded = try await store.load(school: Self.school, year: Self.y2026)
            #expect(loaded.interventions == [Self.mentoring, Self.tutoring, Self.ownType].map(Self.stored))
            #expect(loaded.responsibilities == [this])
            #expect(loaded.responsibleStaff(forYearGroup: 10).map(\.id) == ["JSM"])
        }
    }
}
