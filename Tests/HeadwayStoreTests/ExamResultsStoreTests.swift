import Foundation
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// Exam results (migration 7): saved, re-saved unchanged, changed with audit, previewed by a dry
/// run, loaded by series — on every engine in ``TestDatabase/available``.
@Suite struct ExamResultsStoreTests {
    static let context = ChangeContext(actor: "exams officer", source: "results-2026.csv", reason: "exam results import",
                                       at: Date(timeIntervalSince1970: 1_795_000_000))
    static let summer = CalendarDate(year: 2026, month: 8, day: 20)!
    static let november = CalendarDate(year: 2025, month: 11, day: 12)!

    /// The small school's P001 and P002: QN and subject results, a re-sit in an earlier series,
    /// a candidate number with leading zeros, and a grade as awarded that is not a number.
    static let results = [
        ExamResult(pupil: "P001", candidateNumber: "0042", qualificationNumber: "60146084", grade: "7",
                   ks4Grade: KS4Grade(code: "7", hundredths: 700), series: summer, seriesName: "June 2026", awardingBody: "AQA"),
        ExamResult(pupil: "P001", candidateNumber: "0042", qualificationNumber: "60303955", grade: "L2 Distinction*",
                   series: summer, seriesName: "June 2026", awardingBody: "Pearson", subjectName: "Health and social care"),
        ExamResult(pupil: "P001", qualificationNumber: "60146084", grade: "6", series: november, seriesName: "November 2025"),
        ExamResult(pupil: "P002", candidateNumber: "0107", subject: "combined_science", grade: "6-5", series: summer),
    ]

    /// As the store gives them back: ordered by pupil, series, key; no points (grade as awarded only).
    static func stored(_ results: [ExamResult]) -> [ExamResult] {
        results.map { var r = $0; r.ks4Grade = nil; return r }
            .sorted { ($0.pupil, $0.series, $0.resultKey) < ($1.pupil, $1.series, $1.resultKey) }
    }

    @Test(arguments: TestDatabase.available)
    func resultsRoundTripAndASecondSaveChangesNothing(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            let auditBefore = try await store.auditLog(school: year.school.id).count

            let summary = try await store.save(examResults: Self.results, school: year.school.id, context: Self.context)
            #expect(summary.results == .init(new: 4, changed: 0, unchanged: 0))
            #expect(summary.auditRows == 2)  // one create row per pupil
            let loaded = try await store.examResults(school: year.school.id)
            #expect(loaded == Self.stored(Self.results))
            #expect(loaded.map(\.candidateNumber) == [nil, "0042", "0042", "0107"])  // P001's November re-sit first
            #expect(try await store.examResults(school: year.school.id, series: Self.november).map(\.grade) == ["6"])

            let audit = try await store.auditLog(school: year.school.id, pupil: "P001").last
            #expect(audit?.action == "create" && audit?.table == "exam_results" && audit?.recordKey == "P001")
            #expect(audit?.newValue == "2026-08-20 60146084 7; 2026-08-20 60303955 L2 Distinction*; 2025-11-12 60146084 6")

            // The same results again: all unchanged, no audit row.
            let again = try await store.save(examResults: Self.results, school: year.school.id, context: Self.context)
            #expect(again.results == .init(new: 0, changed: 0, unchanged: 4) && again.auditRows == 0)
            #expect(try await store.auditLog(school: year.school.id).count == auditBefore + 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aChangedGradeIsAuditedAndAnAbsentValueNeverErases(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            try await store.save(examResults: Self.results, school: year.school.id, context: Self.context)

            // A remark: P001's summer maths 7 → 8; the new file has no candidate number, series
            // label or awarding body for it.
            var remark = Self.results[0]
            remark.grade = "8"
            remark.candidateNumber = nil
            remark.seriesName = nil
            remark.awardingBody = nil
            let context = ChangeContext(actor: "JSM", source: "remarks.csv", reason: "post-results review",
                                        at: Date(timeIntervalSince1970: 1_795_100_000))
            let summary = try await store.save(examResults: [remark], school: year.school.id, context: context)
            #expect(summary.results == .init(new: 0, changed: 1, unchanged: 0))
            #expect(summary.changes == ["exam_results P001/60146084/2026-08-20.grade: 7 → 8"])

            let loaded = try #require(try await store.examResults(school: year.school.id, series: Self.summer).first { $0.resultKey == "60146084" })
            #expect(loaded.grade == "8" && loaded.candidateNumber == "0042" && loaded.seriesName == "June 2026" && loaded.awardingBody == "AQA")
            let last = try #require(try await store.auditLog(school: year.school.id, pupil: "P001").last)
            #expect(last.action == "update" && last.recordKey == "P001/60146084/2026-08-20.grade")
            #expect(last.oldValue == "7" && last.newValue == "8" && last.actor == "JSM" && last.reason == "post-results review")
            #expect(last.source == "remarks.csv")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDryRunSavesNothing(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            let auditBefore = try await store.auditLog(school: year.school.id).count
            let preview = try await store.save(examResults: Self.results, school: year.school.id, context: Self.context, dryRun: true)
            #expect(preview.results.new == 4 && preview.auditRows == 2)
            #expect(try await store.examResults(school: year.school.id).isEmpty)
            #expect(try await store.auditLog(school: year.school.id).count == auditBefore)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anUnknownPupilOrADuplicateWritesNothing(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            let stranger = ExamResult(pupil: "P999", subject: "maths", grade: "5", series: Self.summer)
            await #expect(throws: StoreError.self) {
                try await store.save(examResults: Self.results + [stranger], school: year.school.id, context: Self.context)
            }
            await #expect(throws: StoreError.self) {
                try await store.save(examResults: Self.results + [Self.results[0]], school: year.school.id, context: Self.context)
            }
            await #expect(throws: StoreError.self) {
                try await store.save(examResults: Self.results, school: "NOSCHOOL", context: Self.context)
            }
            #expect(try await store.examResults(school: year.school.id).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func pupilsAndPriorAttainmentForMatchingAndMeasures(engine: TestDatabase) async throws {
        let year = Fixtures.smallSchool()
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.save(year, context: Self.context)
            let pupils = try await store.pupilIdentities(school: year.school.id)
            #expect(pupils.map(\.id) == ["P001", "P002", "P003", "P004"])
            #expect(pupils.map(\.upn?.rawValue) == ["H801200001001", "B801200005001", "R674123101121", nil])
            let prior = try await store.priorAttainment(school: year.school.id)
            #expect(prior["P001"] == PriorAttainment(readingScaledScore: 105, mathsScaledScore: 107))
            #expect(prior["P002"] == PriorAttainment(readingScaledScore: nil, mathsScaledScore: 98))
            #expect(prior["P003"] == nil)
        }
    }
}
