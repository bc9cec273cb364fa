import Foundation
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// Targets with their method details, subject KS4 categories, and audited overrides — on every
/// engine in ``TestDatabase/available``.
@Suite struct TargetStoreTests {
    static let context = ChangeContext(actor: "data manager", source: "targets (estimate)", reason: "autumn targets",
                                       at: Date(timeIntervalSince1970: 1_795_000_000))

    /// The small school with KS4 categories and generated targets: P001 (KS2 105/107 → 106) in SC
    /// and P002 (maths 98 only → PAG 12) in MA, beside the fixture's imported P001 MA target.
    static func year() throws -> SchoolYear {
        var year = Fixtures.smallSchool()
        year.subjects[0].ks4Category = .maths
        year.subjects[1].ks4Category = .combinedScience
        let p001 = year.pupils.first { $0.id == "P001" }!
        let p002 = year.pupils.first { $0.id == "P002" }!
        // SC: EBacc 13.64 / 3 = 4.547 → 5-4 on the half grid. MA: 6.21 / 2 = 3.105 → 3.
        year.targets.append(try TargetPolicy.estimate.target(for: p001, in: year.subjects[1], scale: .combinedScience, distribution: nil).get())
        year.targets.append(try TargetPolicy.estimate.target(for: p002, in: year.subjects[0], scale: .gcse, distribution: nil).get())
        return year
    }

    static func sorted(_ targets: [Target]) -> [Target] { targets.sorted { ($0.pupil, $0.subject) < ($1.pupil, $1.subject) } }

    @Test(arguments: TestDatabase.available)
    func categoriesAndGeneratedTargetsRoundTrip(engine: TestDatabase) async throws {
        let year = try Self.year()
        #expect(year.targets.map(\.grade.stored) == ["7", "5-4", "3"])
        try await engine.withStore { (store: Store) async throws -> Void in
            let summary = try await store.save(year, context: Self.context)
            #expect(summary.targets.new == 3)
            let loaded = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(loaded.subjects.sorted { $0.id < $1.id }.map(\.ks4Category) == [nil, .maths, .combinedScience])  // HI7, MA, SC
            #expect(Self.sorted(loaded.targets) == Self.sorted(year.targets))  // calculations included, exactly
            let sc = try #require(loaded.targets.first { $0.subject == "SC" })
            #expect(sc.calculation?.versionLabel == "estimate/1" && sc.calculation?.priorAttainmentGroup == 20)
            #expect(sc.generated?.stored == "5-4")

            let audit = try await store.auditLog(school: year.school.id, pupil: "P002")
            #expect(audit.last?.newValue == "MA 3 (estimate)")
            // Saving again changes nothing and writes no audit rows.
            let again = try await store.save(year, context: Self.context)
            #expect(again.targets == .init(new: 0, changed: 0, unchanged: 3) && again.auditRows == 0)
        }
    }

    /// External targets (issue 4, item 4): an imported target keeps its provider's percentile
    /// band; a later file without a band changes nothing; a new band is a change, audited.
    @Test(arguments: TestDatabase.available)
    func anImportedTargetKeepsItsPercentileBand(engine: TestDatabase) async throws {
        var year = Fixtures.smallSchool()
        year.targets[0].percentileBand = "FFT20"
        try await engine.withStore { (store: Store) async throws -> Void in
            _ = try await store.save(year, context: Self.context)
            var loaded = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(loaded.targets.map(\.percentileBand) == ["FFT20"])

            year.targets[0].percentileBand = nil
            let again = try await store.save(year, context: Self.context)
            #expect((again.targets.unchanged, again.targets.changed, again.auditRows) == (1, 0, 0))
            loaded = try await store.load(school: year.school.id, year: year.academicYear)
            #expect(loaded.targets.map(\.percentileBand) == ["FFT20"])

            year.targets[0].percentileBand = "FFT50"
            let changed = try await store.save(year, context: Self.context)
            #expect(changed.targets.changed == 1)
            let audit = try await store.auditLog(school: year.school.id, pupil: "P001").filter { $0.table == "targets" }
            #expect(audit.last?.oldValue == "7 (imported; band FFT20)" && audit.last?.newValue == "7 (imported; band FFT50)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func anOverrideKeepsTheGeneratedValueAndIsAudited(engine: TestDatabase) async throws {
        var year = try Self.year()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            let stored = try await store.load(school: year.school.id, year: year.academicYear)
            let generated = try #require(stored.targets.first { $0.pupil == "P002" && $0.subject == "MA" })
            let override = try generated.overridden(to: GradeScale.gcse.value(stored: "4"), by: "JSM", reason: "Strong start in set 2")
            year.targets = [override]
            let context = ChangeContext(actor: "JSM", source: "user", reason: nil, at: Date(timeIntervalSince1970: 1_795_100_000))
            let summary = try await store.save(year, context: context)
            #expect(summary.targets == .init(new: 0, changed: 1, unchanged: 0))
            #expect(summary.changes == ["targets P002/MA: 3 (estimate) → 4 (override by JSM; generated 3)"])

            let loaded = try await store.load(school: year.school.id, year: year.academicYear)
            let target = try #require(loaded.targets.first { $0.pupil == "P002" && $0.subject == "MA" })
            #expect(target.grade.stored == "4" && target.method == .override)
            #expect(target.setBy == "JSM" && target.reason == "Strong start in set 2")
            #expect(target.generated?.stored == "3" && target.calculation == generated.calculation)

            let last = try #require(try await store.auditLog(school: year.school.id, pupil: "P002").last)
            #expect(last.action == "update" && last.table == "targets" && last.recordKey == "P002/MA")
            #expect(last.oldValue == "3 (estimate)" && last.newValue == "4 (override by JSM; generated 3)")
            #expect(last.actor == "JSM" && last.reason == "Strong start in set 2" && last.source == "user")
            #expect(last.at == "2026-11-19T14:53:20Z")
        }
    }

    /// An override built without the value it replaces (say, from a web form) still keeps the
    /// stored generated value and its calculation: the store fills them in.
    @Test(arguments: TestDatabase.available)
    func anOverrideWithoutItsGeneratedValueKeepsTheStoredOne(engine: TestDatabase) async throws {
        var year = try Self.year()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            let bare = Target(pupil: "P001", subject: "SC", grade: GradeScale.combinedScience.value(stored: "6-6"), method: .override,
                              setBy: "RPA", reason: "Mock exam 6-6")
            year.targets = [bare]
            try await store.save(year, context: ChangeContext(actor: "RPA", source: "user", at: Date(timeIntervalSince1970: 1_795_200_000)))
            let target = try #require(try await store.load(school: year.school.id, year: year.academicYear).targets.first { $0.subject == "SC" })
            #expect(target.grade.stored == "6-6" && target.generated?.stored == "5-4" && target.calculation?.grade == "5-4")
            #expect(try await store.auditLog(school: year.school.id, pupil: "P001").last?.newValue == "6-6 (override by RPA; generated 5-4)")

            // Overriding an imported target keeps the imported grade.
            year.targets = [Target(pupil: "P001", subject: "MA", grade: GradeScale.gcse.value(stored: "8"), method: .override,
                                   setBy: "JSM", reason: "Further maths set")]
            try await store.save(year, context: ChangeContext(actor: "JSM", source: "user", at: Date(timeIntervalSince1970: 1_795_200_000)))
            let ma = try #require(try await store.load(school: year.school.id, year: year.academicYear).targets.first { $0.pupil == "P001" && $0.subject == "MA" })
            #expect(ma.generated?.stored == "7" && ma.calculation == nil)
        }
    }

    /// Regenerating after a KS2 correction that leaves the grade the same updates the inputs and
    /// audits them under `<key>.method_inputs`.
    @Test(arguments: TestDatabase.available)
    func changedInputsWithTheSameGradeAreAudited(engine: TestDatabase) async throws {
        var year = try Self.year()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            // Maths 98 → 97: PAG 11, 5.77 / 2 = 2.885 → 3 (was 6.21 / 2 = 3.105 → 3).
            var p002 = year.pupils.first { $0.id == "P002" }!
            p002.priorAttainment = PriorAttainment(readingScaledScore: nil, mathsScaledScore: 97)
            let regenerated = try TargetPolicy.estimate.target(for: p002, in: year.subjects[0], scale: .gcse, distribution: nil).get()
            #expect(regenerated.grade.stored == "3")
            year.targets = [regenerated]
            let summary = try await store.save(year, context: Self.context)
            #expect(summary.targets.changed == 1)
            let last = try #require(try await store.auditLog(school: year.school.id, pupil: "P002").last)
            #expect(last.recordKey == "P002/MA.method_inputs")
            #expect(last.oldValue?.contains("\"priorAttainmentGroup\":12") == true)
            #expect(last.newValue?.hasPrefix("estimate/1 ") == true && last.newValue?.contains("\"priorAttainmentGroup\":11") == true)
        }
    }
}
