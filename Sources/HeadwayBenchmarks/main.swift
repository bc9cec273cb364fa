// Benchmarks for Headway, run by hand (never as unit tests):
//   swift run -c release HeadwayBenchmarks [--postgres postgres://…] [--entries 100000]
// Prints figures to record in the notes: bulk save of assessment entries into a fresh SQLite
// file (and into PostgreSQL when given: use an empty database), reload, analytics and report over the same data.
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports
import HeadwayStore

func measure<T>(_ label: String, _ body: () async throws -> T) async rethrows -> T {
    let start = ContinuousClock.now
    let result = try await body()
    let d = ContinuousClock.now - start
    let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    print("  " + label.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%8.3f s", s))
    return result
}

/// A school year with exactly `entries` assessment entries: pupils × 10 subjects × 5 collections.
func syntheticYear(entries: Int) -> SchoolYear {
    let subjects = (1...10).map { Subject(id: Subject.ID("S\($0)"), name: "Subject \($0)", scale: GradeScale.gcseID) }
    let collections = (1...5).map {
        DataCollection(id: DataCollection.ID("DC\($0)"), name: "Collection \($0)", academicYear: AcademicYear(startYear: 2026), yearGroups: [], sequence: $0)
    }
    let pupilCount = max(1, entries / (subjects.count * collections.count))
    let pupils = (0..<pupilCount).map {
        Pupil(id: Pupil.ID(String(format: "B%06d", $0)), forename: "Pupil", surname: String($0), yearGroup: 7 + $0 % 5,
              characteristics: [Characteristic.disadvantaged: $0 % 4 == 0 ? "true" : "false"])
    }
    let grades = GradeScale.gcse.grades
    var assessments: [Assessment] = []
    assessments.reserveCapacity(pupilCount * 50)
    for (p, pupil) in pupils.enumerated() {
        for (s, subject) in subjects.enumerated() {
            for (c, collection) in collections.enumerated() {
                let g = grades[(p * 7 + s * 3 + c) % grades.count]
                assessments.append(Assessment(pupil: pupil.id, subject: subject.id, collection: collection.id,
                                              workingAt: .grade(g), predicted: .grade(grades[(p + s) % grades.count]),
                                              atl: .grade(GradeScale.atl.grades[(p + c) % 4])))
            }
        }
    }
    return SchoolYear(school: School(id: "BENCH", name: "Benchmark school"), academicYear: AcademicYear(startYear: 2026),
                      subjects: subjects, pupils: pupils, collections: collections, assessments: assessments)
}

func run(_ location: DatabaseLocation, year: SchoolYear) async throws {
    print("\(location) — \(year.assessments.count) entries, \(year.pupils.count) pupils")
    let store = try await Store.open(location)
    try await store.migrate()
    let context = ChangeContext(actor: "benchmark", source: "benchmark", at: Date())
    try await measure("save (new entries, with audit rows)") { _ = try await store.save(year, context: context) }
    try await measure("save again (all unchanged, diffed)") { _ = try await store.save(year, context: context) }
    let loaded = try await measure("load school year") { try await store.load(school: year.school.id, year: year.academicYear) }
    let index = await measure("index") { YearIndex(loaded) }
    let findings = await measure("integrity checks") { Integrity.check(index) }
    _ = await measure("subgroups") { SubgroupSummary.compute(index) }
    _ = try await measure("headline report (model + HTML + CSV)") {
        try HeadlineReport.render(HeadlineReport.model(index, findings: findings, analysis: YearAnalysis.compute(index), generated: "benchmark"))
    }
    try await store.close()
}

var arguments = Array(CommandLine.arguments.dropFirst())
var entries = 100_000
var postgres: String?
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    switch flag {
    case "--entries": entries = Int(arguments.removeFirst()) ?? entries
    case "--postgres": postgres = arguments.removeFirst()
    default: print("usage: HeadwayBenchmarks [--entries N] [--postgres URL]"); exit(2)
    }
}
let year = await measure("build \(entries) entries in memory") { syntheticYear(entries: entries) }
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
try await run(.sqlite(path: folder.appendingPathComponent("bench.sqlite").path), year: year)
try? FileManager.default.removeItem(at: folder)
if let postgres { try await run(.postgres(url: postgres), year: year) }
