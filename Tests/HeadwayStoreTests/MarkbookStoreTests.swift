import Foundation
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// What markbook imports need from the store (issue 5, items 3 and 6): the late flag persists,
/// each value's audit row names its own source (file and line), a late entry says so in its
/// reason, and audit rows are only ever added. Run on every engine in ``TestDatabase/available``.
@Suite struct MarkbookStoreTests {
    static let context = ChangeContext(actor: "JSM", source: "markbook import", reason: "markbook import DC2",
                                       at: Date(timeIntervalSince1970: 1_801_000_000))  // 2027-01-26T21:46:40Z

    /// Only entries, as a markbook import saves them.
    static func entries(_ assessments: [Assessment]) -> SchoolYear {
        let full = Fixtures.smallSchool()
        return SchoolYear(school: full.school, academicYear: full.academicYear, assessments: assessments)
    }

    static func gcse(_ code: String) -> EntryValue { GradeScale.gcse.value(stored: code) }

    func stored(_ store: Store, _ pupil: Pupil.ID, _ subject: Subject.ID, _ collection: DataCollection.ID) async throws -> Assessment? {
        let year = Fixtures.smallSchool()
        return try await store.load(school: year.school.id, year: year.academicYear).assessments
            .first { $0.pupil == pupil && $0.subject == subject && $0.collection == collection }
    }

    @Test(arguments: TestDatabase.available)
    func lateIsStoredLoadedAndNeverCleared(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(Fixtures.smallSchool(), context: StoreTests.context)
            // A new late entry (P003 MA DC2), and a late entry that changes nothing (P001 MA DC2 is 6- already).
            let summary = try await store.save(Self.entries([
                Assessment(pupil: "P003", subject: "MA", collection: "DC2", workingAt: Self.gcse("6"), late: true, source: "10X-Ma1.csv:2"),
                Assessment(pupil: "P001", subject: "MA", collection: "DC2", workingAt: Self.gcse("6-"), late: true, source: "10X-Ma1.csv:4"),
            ]), context: Self.context)
            #expect(summary.assessments == .init(new: 1, changed: 0, unchanged: 1))
            #expect(try await stored(store, "P003", "MA", "DC2")?.late == true)
            #expect(try await stored(store, "P001", "MA", "DC2")?.late == false)
            #expect(try await stored(store, "P002", "MA", "DC2")?.late == false)  // entries saved before the column: on time

            // An on-time change later (another import, a correction) keeps the flag.
            try await store.save(Self.entries([Assessment(pupil: "P003", subject: "MA", collection: "DC2", predicted: Self.gcse("7"))]),
                                 context: Self.context)
            let p003 = try #require(try await stored(store, "P003", "MA", "DC2"))
            #expect(p003.late && p003.workingAt == Self.gcse("6") && p003.predicted == Self.gcse("7"))

            // A late change to an on-time entry sets it.
            try await store.save(Self.entries([Assessment(pupil: "P002", subject: "MA", collection: "DC2", predicted: Self.gcse("5"), late: true)]),
                                 context: Self.context)
            #expect(try await stored(store, "P002", "MA", "DC2")?.late == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func eachValueIsAuditedWithItsOwnFileAndLine(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let year = Fixtures.smallSchool()
            try await store.save(year, context: StoreTests.context)
            let before = try await store.auditLog(school: year.school.id).count
            let summary = try await store.save(Self.entries([
                // New record, two values: one create row each, with the row's line.
                Assessment(pupil: "P003", subject: "MA", collection: "DC2", workingAt: Self.gcse("6"), atl: GradeScale.atl.value(stored: "2"),
                           source: "DC2/10X-Ma1.csv:2"),
                // P002 MA DC2 is X / – / –: a new predicted value, entered late; X unchanged.
                Assessment(pupil: "P002", subject: "MA", collection: "DC2", workingAt: .notAssessed, predicted: Self.gcse("5"), late: true,
                           source: "DC2/10X-Ma1.csv:3"),
                // No source of its own: the context's.
                Assessment(pupil: "P001", subject: "MA", collection: "DC2", atl: GradeScale.atl.value(stored: "2")),
            ]), context: Self.context)
            #expect(summary.assessments == .init(new: 1, changed: 2, unchanged: 0))
            #expect(summary.auditRows == 4)
            #expect(summary.changes == [
                "assessments DC2/P003/MA.working_at: blank → 6",
                "assessments DC2/P003/MA.atl: blank → 2",
                "assessments DC2/P002/MA.predicted: blank → 5 (late)",
                "assessments DC2/P001/MA.atl: 1 → 2",
            ])
            let rows = Array(try await store.auditLog(school: year.school.id).dropFirst(before))
            #expect(rows.map(\.at) == Array(repeating: "2027-01-26T21:46:40Z", count: 4))
            #expect(rows.map(\.actor) == ["JSM", "JSM", "JSM", "JSM"])
            #expect(rows.map(\.action) == ["create", "create", "update", "update"])
            #expect(rows.map(\.table) == ["assessments", "assessments", "assessments", "assessments"])
            #expect(rows.map(\.recordKey) == ["DC2/P003/MA.working_at", "DC2/P003/MA.atl", "DC2/P002/MA.predicted", "DC2/P001/MA.atl"])
            #expect(rows.map(\.pupil) == ["P003", "P003", "P002", "P001"])
            #expect(rows.map(\.oldValue) == [nil, nil, nil, "1"])
            #expect(rows.map(\.newValue) == ["6", "2", "5", "2"])
            #expect(rows.map(\.reason) == ["markbook import DC2", "markbook import DC2", "markbook import DC2; entered late", "markbook import DC2"])
            #expect(rows.map(\.source) == ["DC2/10X-Ma1.csv:2", "DC2/10X-Ma1.csv:2", "DC2/10X-Ma1.csv:3", "markbook import"])
        }
    }

    /// No API edits or deletes audit rows: saving the same data again, a markbook change and a
    /// target override only ever add rows after the ones already there.
    @Test(arguments: TestDatabase.available)
    func auditRowsAreOnlyEverAdded(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            var year = Fixtures.smallSchool()
            try await store.save(year, context: StoreTests.context)
            let first = try await store.auditLog(school: year.school.id)
            try await store.save(year, context: StoreTests.context)
            #expect(try await store.auditLog(school: year.school.id) == first)

            try await store.save(Self.entries([Assessment(pupil: "P003", subject: "MA", collection: "DC2", workingAt: Self.gcse("6"),
                                                          source: "10X-Ma1.csv:2")]), context: Self.context)
            let second = try await store.auditLog(school: year.school.id)
            #expect(second.count == first.count + 1 && Array(second.prefix(first.count)) == first)

            year.targets = [try year.targets[0].overridden(to: Self.gcse("8"), by: "DMG", reason: "Moved to set 1")]
            try await store.save(year, context: ChangeContext(actor: "DMG", source: "user", reason: "Moved to set 1", at: Date()))
            let third = try await store.auditLog(school: year.school.id)
            #expect(third.count == second.count + 1 && Array(third.prefix(second.count)) == second)
            #expect(third.last?.recordKey == "P001/MA" && third.last?.reason == "Moved to set 1")
        }
    }

    /// The store's source holds no statement that updates or deletes `audit_log` rows.
    @Test func noStoreCodeUpdatesOrDeletesAuditRows() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/HeadwayStore")
        let files = try #require(FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") })
        #expect(!files.isEmpty)
        var mentions = 0
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("audit_log") {
                mentions += 1
                let lower = line.lowercased()
                #expect(!lower.contains("update") && !lower.contains("delete") && !lower.contains("drop"), "\(file): \(line)")
            }
        }
        #expect(mentions >= 3)  // created, inserted, read
    }
}
