import Foundation
import HeadwayAnalytics
@testable import HeadwayCLI
import HeadwayCore
import HeadwayImport
import HeadwayStore
import HeadwayTestSupport
import Testing

/// End-to-end runs of the `headway` command tree on real files: the exit codes, what reaches
/// the database, and what is written to disk.
@Suite(.serialized) struct CLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/HeadwayImportTests/Fixtures")
    static let uci = SharedFiles.url("data/uci-student-performance")

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func load(_ path: URL, school: School.ID, year: AcademicYear) async throws -> SchoolYear {
        let store = try await Store.open(.sqlite(path: path.path))
        defer { Task { try? await store.close() } }
        return try await store.load(school: school, year: year)
    }

    @Test func demoRunsTheWholeCycleAndIsRepeatable() async throws {
        let first = try temporaryFolder(), second = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        #expect(await Headway.run(arguments: ["demo", "--out", first.path]) == 0)
        #expect(await Headway.run(arguments: ["demo", "--out", second.path]) == 0)
        for name in ["headway.sqlite", "report/index.html", "report/csv/integrity.csv", "report/csv/subgroups.csv"] {
            #expect(FileManager.default.fileExists(atPath: first.appendingPathComponent(name).path), "\(name)")
        }
        // Same seed, same data: the data-derived tables are byte-for-byte the same.
        for table in ["integrity", "grade-distribution", "subgroups", "completion-by-teacher"] {
            let a = try String(contentsOf: first.appendingPathComponent("report/csv/\(table).csv"), encoding: .utf8)
            let b = try String(contentsOf: second.appendingPathComponent("report/csv/\(table).csv"), encoding: .utf8)
            #expect(a == b, "\(table)")
        }
        let year = try await load(first.appendingPathComponent("headway.sqlite"), school: "DEMO", year: AcademicYear(startYear: 2026))
        #expect(year.pupils.count == 1106)
        #expect(year.collections.map(\.id) == ["DC1", "DC2", "DC3"])
        // The demo's planted off-scale values make `check` exit 1; `analyse` and `report` exit 0.
        let database = first.appendingPathComponent("headway.sqlite").path
        #expect(await Headway.run(arguments: ["check", "--database", database]) == 1)
        #expect(await Headway.run(arguments: ["analyse", "--database", database]) == 0)
        #expect(await Headway.run(arguments: ["report", "--database", database, "--out", first.appendingPathComponent("again").path]) == 0)

        // explain: a Year 11 pupil's targets, status and slot-by-slot forecast.
        let year11 = try #require(year.pupils.filter { $0.yearGroup == 11 && $0.priorAttainment?.average != nil }.min { $0.id < $1.id })
        let text = Explain.describe(year11, in: YearIndex(year))
        #expect(text.contains("Targets\n"))
        #expect(text.contains("(estimate)"))
        #expect(text.contains("Forecast Attainment 8 from predicted grades at DC3 (GCSEs 2027)"))
        #expect(text.contains("Attainment 8 = "))
        #expect(text.contains("Progress 8 = ("))
        #expect(await Headway.run(arguments: ["explain", "--database", database, "--pupil", year11.id.rawValue]) == 0)
        #expect(await Headway.run(arguments: ["explain", "--database", database, "--pupil", "NOBODY"]) == 1)
        #expect(await Headway.run(arguments: ["analyse", "--database", database, "--what-if", "\(year11.id):MA=9"]) == 0)
        #expect(await Headway.run(arguments: ["analyse", "--database", database, "--what-if", "nonsense"]) == 2)
    }

    /// The UCI example: 395 maths and 649 Portuguese pupils, 358 in both files, and the mean
    /// G1 → G3 change by `schoolsup` — values recomputed independently from the CSVs as the
    /// mean of G3 − G1 over rows whose G3 is not 0 (a 0 in G3 means not sat).
    @Test func uciExampleImportsAndGivesTheRecomputableFigures() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("uci.sqlite").path
        let arguments = ["import", "--database", database, "--mapping", Self.repository.appendingPathComponent("examples/uci-portuguese/mapping.toml").path,
                         Self.uci.appendingPathComponent("student-por.csv").path, Self.uci.appendingPathComponent("student-mat.csv").path]
        #expect(await Headway.run(arguments: arguments) == 0)
        let year = try await load(URL(fileURLWithPath: database), school: "UCI", year: AcademicYear(startYear: 2005))
        #expect(year.pupils.count == 686)
        let pupilsPerSubject = Dictionary(grouping: year.assessments, by: \.subject).mapValues { Set($0.map(\.pupil)).count }
        #expect(pupilsPerSubject == ["MAT": 395, "POR": 649])

        let rows = SubgroupSummary.compute(YearIndex(year)).filter { $0.characteristic == "schoolsup" }
        func line(_ subject: Subject.ID?, _ value: String) -> (Int, Double)? {
            rows.first { $0.subject == subject && $0.value == value }.map { ($0.changeCount, $0.changeMean ?? .nan) }
        }
        let expected: [(Subject.ID, String, Int, Double)] = [
            ("MAT", "true", 50, 25.0 / 50), ("MAT", "false", 307, 66.0 / 307),
            ("POR", "true", 67, 39.0 / 67), ("POR", "false", 567, 396.0 / 567),
        ]
        for (subject, value, n, mean) in expected {
            let got = try #require(line(subject, value), "\(subject) \(value)")
            #expect(got.0 == n, "\(subject) \(value)")
            #expect(abs(got.1 - mean) < 1e-9, "\(subject) \(value): \(got.1) vs \(mean)")
        }

        // Importing the same files again changes nothing and writes no audit row.
        let store = try await Store.open(.sqlite(path: database))
        let auditBefore = try await store.auditLog(school: "UCI").count
        try await store.close()
        #expect(await Headway.run(arguments: arguments) == 0)
        let again = try await Store.open(.sqlite(path: database))
        #expect(try await again.auditLog(school: "UCI").count == auditBefore)
        try await again.close()
    }

    @Test func aFileWithErrorsImportsNothingUnlessAcceptValidIsGiven() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("oak.sqlite").path
        let mapping = Self.fixtures.appendingPathComponent("oakfield-long.toml").path
        let file = Self.fixtures.appendingPathComponent("off-scale.csv").path  // row 3 has "7++"
        #expect(await Headway.run(arguments: ["import", "--database", database, "--mapping", mapping, file]) == 1)
        let store = try await Store.open(.sqlite(path: database))
        try await store.migrate()
        #expect(try await store.schools().isEmpty)
        try await store.close()

        // --accept-valid saves the valid rows but still exits 1: the file had errors.
        #expect(await Headway.run(arguments: ["import", "--database", database, "--mapping", mapping, "--dry-run", "--accept-valid", file]) == 1)
        let afterDryRun = try await Store.open(.sqlite(path: database))
        #expect(try await afterDryRun.schools().isEmpty)
        try await afterDryRun.close()

        #expect(await Headway.run(arguments: ["import", "--database", database, "--mapping", mapping, "--accept-valid", file]) == 1)
        let year = try await load(URL(fileURLWithPath: database), school: "OAK", year: AcademicYear(startYear: 2025))
        #expect(Set(year.pupils.map(\.id)) == ["00123", "00125"])  // the pupil whose only row was bad is not half-added
        #expect(year.assessments.allSatisfy { $0.workingAt?.stored != "7++" })
    }

    @Test(arguments: [
        ["import"],
        ["frobnicate"],
        ["check", "--database", "/nonexistent/never.sqlite", "--year", "banana"],
        ["demo", "--seed", "minus-one"],
        ["check", "--database", "mysql://nowhere"],
    ])
    func misuseExitsWithTwo(arguments: [String]) async {
        #expect(await Headway.run(arguments: arguments) == 2)
    }

    /// A read-only command on a path with no database refuses (misuse) and creates nothing; a
    /// migrated but empty database is a data problem; a file that is not a database is refused.
    @Test func missingEmptyAndForeignDatabases() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("empty.sqlite").path
        #expect(await Headway.run(arguments: ["check", "--database", path]) == 2)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(await Headway.run(arguments: ["check", "--database", folder.path]) == 2)
        #expect(await Headway.run(arguments: ["migrate", "--database", path]) == 0)
        #expect(await Headway.run(arguments: ["check", "--database", path]) == 1)
        let notADatabase = folder.appendingPathComponent("notes.sqlite")
        try "not a database\n".write(to: notADatabase, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["check", "--database", notADatabase.path]) == 1)
        // A dry-run import into a database that does not exist creates nothing.
        let fresh = folder.appendingPathComponent("fresh.sqlite").path
        #expect(await Headway.run(arguments: ["import", "--database", fresh, "--dry-run", "--mapping",
                                              Self.fixtures.appendingPathComponent("oakfield-long.toml").path,
                                              Self.fixtures.appendingPathComponent("grades.csv").path]) == 0)
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }
}

/// `headway ks4` on the DfE worked examples (shared/reference/a8-p8-worked-examples.csv),
/// written as the long results file a data lead would have: every pupil's A8, P8 and slot lists
/// come out exactly as the reference gives them.
@Suite struct KS4CommandTests {
    /// Issue 13, item 4: the file read in two, three or four parts on as many threads writes the
    /// same bytes and the same summary as one part.
    @Test func morePartsWriteTheSameBytesAsOne() {
        let subjects = ["english_language", "english_literature", "maths", "combined_science", "history", "french", "art", "drama"]
        var text = "pupil,subject,grade,ks2_reading,ks2_maths\n"
        for p in 0..<600 {
            for (k, subject) in subjects.enumerated() where (p + k) % 9 != 0 {
                let grade = subject == "combined_science" ? "\(4 + p % 5)-\(3 + p % 5)" : (p + k) % 11 == 0 ? "X" : "\((p * 7 + k) % 10)"
                text += "C\(p),\(subject),\(grade == "0" ? "U" : grade),\(p % 13 == 0 ? "" : String(85 + p % 35)),\(95 + p % 25)\n"
            }
        }
        let reader = KS4ResultsFile()
        func written(_ parts: Int) -> (table: [UInt8], summary: [String]) {
            let (_, sink) = reader.read(name: "f.csv", contents: Data(text.utf8), chunks: parts) {
                KS4Command.TableSink(estimates: .ks4_2023, columns: KS4Cohort.Column.allCases,
                                     summary: KS4Cohort.Summary(basis: ProgressBasis(estimates: .ks4_2023, cohortYear: 2025)))
            }
            return (sink.tables.flatMap(\.bytes), sink.summary.lines)
        }
        let one = written(1)
        #expect(one.summary[0].hasPrefix("600 pupils, mean A8"))
        for parts in [2, 3, 4] {
            let more = written(parts)
            #expect(more.table == one.table, "\(parts) parts")
            #expect(more.summary == one.summary, "\(parts) parts")
        }
    }

    @Test func workedExamplesThroughTheCommand() async throws {
        let examples = try SharedFiles.referenceRows("reference/a8-p8-worked-examples.csv")
        #expect(examples.count == 12)
        var lines = ["pupil,subject,grade,ks2_reading,ks2_maths"]
        for row in examples {
            for (i, pair) in row["subjects_grades"]!.split(separator: ";").enumerated() {
                let parts = pair.split(separator: "=").map(String.init)
                lines.append([row["pupil_id"]!, parts[0], parts[1], i == 0 ? row["ks2_reading"]! : "", i == 0 ? row["ks2_maths"]! : ""].joined(separator: ","))
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-ks4-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("results.csv"), output = folder.appendingPathComponent("a8p8.csv")
        try lines.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)

        // The same table loaded from the reference CSV gives the same figures.
        let fromFile = folder.appendingPathComponent("a8p8-file.csv")
        #expect(await Headway.run(arguments: ["ks4", input.path, "--detail", "--out", fromFile.path, "--estimates", "2023",
                                              "--estimates-file", SharedFiles.url("reference/a8-estimates-2023-ks4.csv").path]) == 0)
        #expect(await Headway.run(arguments: ["ks4", input.path, "--estimates-file", "x.csv"]) == 2)
        #expect(await Headway.run(arguments: ["ks4", input.path, "--detail", "--out", output.path, "--estimates", "2023"]) == 0)
        let p8 = { (url: URL) in try SharedFiles.csvRows(text: String(contentsOf: url, encoding: .utf8)).map { $0["p8_exact"] ?? "" } }
        #expect(try p8(fromFile) == p8(output))

        let text = try String(contentsOf: output, encoding: .utf8)
        let reader = try SharedFiles.csvRows(text: text)
        #expect(reader.count == 12)
        for example in examples {
            let id = example["pupil_id"]!
            let row = try #require(reader.first { $0["pupil"] == id }, "\(id)")
            for column in ["a8", "english_elem", "maths_elem", "ebacc_elem", "open_elem", "ebacc_slots", "open_slots", "p8_2dp",
                           "p8_english", "p8_maths", "p8_ebacc", "p8_open", "pag"] {
                #expect(Double(row[column] ?? "") ?? .nan == Double(example[column] ?? "") ?? .nan
                        || row[column] == example[column], "\(id) \(column): \(row[column] ?? "nil") vs \(example[column] ?? "nil")")
            }
        }

        // Issue 13, item 3: without --detail, the essential columns only, with the same figures.
        let essential = folder.appendingPathComponent("essential.csv")
        #expect(await Headway.run(arguments: ["ks4", input.path, "--out", essential.path, "--estimates", "2023"]) == 0)
        let essentialText = try String(contentsOf: essential, encoding: .utf8)
        let essentialHeader = essentialText.components(separatedBy: "\r\n").first?.replacingOccurrences(of: "\u{FEFF}", with: "")
        #expect(essentialHeader == "pupil,ks2_reading,ks2_maths,a8,english_elem,maths_elem,ebacc_elem,open_elem,"
                + "p8_2dp,p8_english,p8_maths,p8_ebacc,p8_open,ebacc_entered,ebacc_aps,basics_4,basics_5")
        let essentialRows = try SharedFiles.csvRows(text: essentialText)
        #expect(essentialRows.count == 12)
        for example in examples {
            let id = example["pupil_id"]!
            let row = try #require(essentialRows.first { $0["pupil"] == id }, "\(id)")
            for column in ["a8", "english_elem", "maths_elem", "ebacc_elem", "open_elem", "p8_2dp", "p8_english", "p8_maths", "p8_ebacc", "p8_open"] {
                #expect(Double(row[column] ?? "") ?? .nan == Double(example[column] ?? "") ?? .nan
                        || row[column] == example[column], "\(id) \(column): \(row[column] ?? "nil") vs \(example[column] ?? "nil")")
            }
        }
    }

    @Test func badRowsExitWithOneAndAreNamed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-ks4-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("results.csv")
        try "pupil,subject,grade,ks2_reading,ks2_maths\nA,maths,7,100,102\nA,history,11,,\nB,maths,5,100,100\n".write(to: input, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("o.csv")
        // A rejected row leaves A's A8 short: nothing is written unless the user accepts that.
        #expect(await Headway.run(arguments: ["ks4", input.path, "--out", output.path]) == 1)
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(await Headway.run(arguments: ["ks4", input.path, "--out", output.path, "--accept-valid"]) == 1)
        let rows = try SharedFiles.csvRows(at: output)
        // A: maths 7 fills the maths element, doubled (14); B: maths 5 doubled (10). The history row is left out.
        #expect(rows.map { $0["pupil"] } == ["A", "B"])
        #expect(rows.map { Double($0["a8"] ?? "") } == [14, 10])
        #expect(await Headway.run(arguments: ["ks4", input.path, "--estimates", "1999"]) == 2)
    }
}


/// `headway targets` on the Oakfield fixture (Tests/HeadwayImportTests/Fixtures): generate from
/// KS2, override with a reason, import from a CSV — every value worked by hand from the DfE
/// KS4 2023 element estimates (shared/reference/a8-estimates-2023-ks4.csv).
@Suite struct TargetsCommandTests {
    @Test func generateOverrideAndImport() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-targets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("oak.sqlite").path
        let fixtures = CLITests.fixtures
        #expect(await Headway.run(arguments: ["import", "--database", database, "--mapping", fixtures.appendingPathComponent("oakfield-long.toml").path,
                                              fixtures.appendingPathComponent("grades.csv").path]) == 0)
        #expect(await Headway.run(arguments: ["targets", "generate", "--database", database]) == 0)

        func targets() async throws -> [String: String] {
            let store = try await Store.open(.sqlite(path: database))
            let year = try await store.load(school: "OAK", year: AcademicYear(startYear: 2025))
            try await store.close()
            return Dictionary(uniqueKeysWithValues: year.targets.map { ("\($0.pupil)/\($0.subject)", "\($0.grade.stored) \($0.method.rawValue)") })
        }
        // 00123: KS2 (104 + 99)/2 = 101.5 → group 16: English 8.80 ÷ 2 = 4.40 → 4; maths 7.75 ÷ 2 = 3.875 → 4.
        // 00124: (95 + 101)/2 = 98 → group 12: English 7.52 ÷ 2 = 3.76 → 4; EBacc 8.88 ÷ 3 = 2.96 → 3-3 (combined science).
        // 00125: maths 112 alone → group 26: English 13.00 ÷ 2 = 6.50 → 7 (halves round up).
        #expect(try await targets() == ["00123/EN": "4 estimate", "00123/MA": "4 estimate", "00124/EN": "4 estimate",
                                        "00124/SC": "3-3 estimate", "00125/EN": "7 estimate"])

        #expect(await Headway.run(arguments: ["targets", "override", "--database", database, "--pupil", "Q856100125003", "--subject", "EN",
                                              "--grade", "8", "--by", "JSM", "--reason", "moderated: strong mock"]) == 0)
        #expect(try await targets()["00125/EN"] == "8 override")
        let store = try await Store.open(.sqlite(path: database))
        let audit = try await store.auditLog(school: "OAK", pupil: "00125").last
        try await store.close()
        #expect(audit?.oldValue == "7 (estimate)")
        #expect(audit?.newValue == "8 (override by JSM; generated 7)")
        #expect(audit?.actor == "JSM")
        #expect(audit?.reason == "moderated: strong mock")
        // An override needs a reason.
        #expect(await Headway.run(arguments: ["targets", "override", "--database", database, "--pupil", "00125", "--subject", "EN",
                                              "--grade", "9", "--by", "JSM", "--reason", " "]) == 2)

        // Import: one bad row (10 is not a GCSE grade) means nothing is imported…
        let file = folder.appendingPathComponent("targets.csv")
        try "pupil,subject,target\n00123,MA,5\n00124,EN,10\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["targets", "import", "--database", database, file.path]) == 1)
        #expect(try await targets()["00123/MA"] == "4 estimate")
        // …unless the valid rows are accepted; regenerating keeps the imported and overridden ones.
        // (exit 1: rows were left out, though the valid ones were saved)
        #expect(await Headway.run(arguments: ["targets", "import", "--database", database, "--accept-valid", file.path]) == 1)
        #expect(await Headway.run(arguments: ["targets", "generate", "--database", database]) == 0)
        let after = try await targets()
        #expect(after["00123/MA"] == "5 imported")
        #expect(after["00125/EN"] == "8 override")
        #expect(after["00124/EN"] == "4 estimate")
    }
}
