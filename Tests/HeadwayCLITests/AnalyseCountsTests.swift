import Foundation
import HeadwayAnalytics
@testable import HeadwayCLI
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// `headway analyse` counts pupils once, says what each count counts, gives means per year
/// group, and takes `--year-group` and `--collection` (issue 12, item 5).
@Suite struct AnalyseCountsTests {
    static let uci = SharedFiles.url("data/uci-student-performance")
    static let mapping = CLITests.repository.appendingPathComponent("examples/uci-portuguese/mapping.toml")

    /// The UCI files as the README's matching rule reads them: a row's key is its 13
    /// demographic columns; a key on exactly one row of a file is one pupil, the same in both
    /// files when unique in each; a key repeated within a file makes each row its own pupil.
    /// Returns each pupil's rows (subject, schoolsup, G1, G3).
    static func uciPupils() throws -> [[(subject: String, schoolsup: String, g1: String, g3: String)]] {
        let keyColumns = ["school", "sex", "age", "address", "famsize", "Pstatus", "Medu", "Fedu", "Mjob", "Fjob", "reason", "nursery", "internet"]
        var pupils: [String: [(subject: String, schoolsup: String, g1: String, g3: String)]] = [:]
        for (subject, file) in [("POR", "student-por.csv"), ("MAT", "student-mat.csv")] {
            let lines = try String(contentsOf: uci.appendingPathComponent(file), encoding: .utf8).split(whereSeparator: \.isNewline)
            let header = lines[0].split(separator: ";").map(String.init)
            let rows = lines.dropFirst().map { line in
                Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ";", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }))
            }
            let keys = rows.map { row in keyColumns.map { row[$0]! }.joined(separator: "|") }
            let repeats = Dictionary(grouping: keys, by: { $0 }).mapValues(\.count)
            for (line, (row, key)) in zip(rows, keys).enumerated() {
                let id = repeats[key] == 1 ? key : "\(subject):\(line)"
                pupils[id, default: []].append((subject, row["schoolsup"]!, row["G1"]!, row["G3"]!))
            }
        }
        return Array(pupils.values)
    }

    @Test func uciAnalyseCountsEachPupilOnce() async throws {
        let pupils = try Self.uciPupils()
        #expect(pupils.count == 686)  // 649 + 395 − 358
        // Graded in both G1 and G3: G3 is not 0 (0 = did not sit). Pupils once; entries per row.
        let graded = pupils.map { $0.filter { $0.g3 != "0" } }.filter { !$0.isEmpty }
        func pupilsWith(_ support: String) -> Int { graded.filter { $0.contains { $0.schoolsup == support } }.count }
        func entriesWith(_ support: String) -> Int { graded.joined().filter { $0.schoolsup == support }.count }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-analyse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("uci.sqlite").path
        #expect(await Headway.run(arguments: ["import", "--database", database, "--mapping", Self.mapping.path,
                                              Self.uci.appendingPathComponent("student-por.csv").path,
                                              Self.uci.appendingPathComponent("student-mat.csv").path]) == 0)
        let year = try await withSQLiteStore(database) { try await $0.load(school: "UCI", year: AcademicYear(startYear: 2005)) }
        let text = Analyse.describe(YearIndex(year), characteristics: ["schoolsup"])
        #expect(text.contains("— 2005/06: 686 pupils (Year 12), 2 subjects, "), "\(text.prefix(200))")

        let rows = SubgroupSummary.compute(YearIndex(year)).filter { $0.characteristic == "schoolsup" && $0.subject == nil }
        let yes = try #require(rows.first { $0.value == "true" }), no = try #require(rows.first { $0.value == "false" })
        #expect((yes.changePupils, yes.changeCount) == (pupilsWith("yes"), entriesWith("yes")))  // 71 pupils, 117 entries
        #expect((no.changePupils, no.changeCount) == (pupilsWith("no"), entriesWith("no")))      // 596 pupils, 874 entries
        #expect(no.changePupils == 596 && no.changeCount == 874)
        // The terminal line says both: year, subject, value, pupils, entries.
        // `false` reads "no" (PlainLabel).
        let line = try #require(text.split(separator: "\n").first { $0.contains("All subjects") && $0.contains(" no ") })
        #expect(line.split(separator: " ").prefix(6).map(String.init) == ["Y12", "All", "subjects", "no", "596", "874"])
    }

    @Test func demoAnalyseCountsPupilsOnceAndKeepsYearGroupsApart() async throws {
        let database = try await DemoDatabase.shared.path()
        let year = try await DemoDatabase.shared.storedYear()
        let text = Analyse.describe(YearIndex(year), characteristics: [Characteristic.gender], perSubject: false)
        #expect(text.contains("— 2026/27: 1106 pupils (Years 7–11), "), "\(text.prefix(200))")
        let byYear = Dictionary(grouping: year.pupils, by: \.yearGroup)
        let gender = SubgroupSummary.compute(YearIndex(year)).filter { $0.characteristic == Characteristic.gender && $0.subject == nil }
        #expect(Set(gender.map(\.yearGroup)) == Set(byYear.keys))
        for row in gender {
            let inGroup = byYear[row.yearGroup]!.filter { $0.characteristics[Characteristic.gender] == row.value }.count
            #expect(row.latestPupils <= inGroup && row.latestPupils > 0, "Y\(row.yearGroup) \(row.value)")
            #expect(row.latestCount > row.latestPupils, "Y\(row.yearGroup) \(row.value): several subjects per pupil")
        }

        // --year-group: only that year's pupils; --collection: as at that collection.
        let year10 = try Analyse.select(year, yearGroup: 10, collection: "DC2")
        #expect(year10.pupils.count == byYear[10]!.count)
        #expect(year10.collections.map(\.id) == ["DC1", "DC2"])
        #expect(Analyse.describe(YearIndex(year10), characteristics: [], perSubject: false)
            .contains(": \(byYear[10]!.count) pupils (Year 10), "))
        #expect(await Headway.run(arguments: ["analyse", "--database", database, "--year-group", "10", "--collection", "DC2"]) == 0)
        #expect(await Headway.run(arguments: ["analyse", "--database", database, "--year-group", "14"]) == 2)
        #expect(await Headway.run(arguments: ["analyse", "--database", database, "--collection", "DC9"]) == 2)
        #expect(throws: CLIError.self) { try Analyse.select(year, yearGroup: 12, collection: nil) }
    }
}
