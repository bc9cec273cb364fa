import Foundation
@testable import HeadwayCLI
import HeadwayCore
import HeadwayImport
import HeadwayStore
import HeadwayTestSupport
import Testing

/// `headway import results` then `headway ks4 --stored`, end to end on a temporary SQLite file
/// holding the fictional Oakfield pupils (`Tests/HeadwayImportTests/Fixtures/grades.csv`).
///
/// Every figure is worked by hand from the DfE rules (`docs/attainment-8.md`), the shipped QN
/// lists (`data/dfe-ks4-qualifications-2019`) and the KS4 2023 estimates
/// (`shared/reference/a8-estimates-2023-ks4.csv`):
///
/// 00123 (KS2 reading 104, maths 99 → average 101.5 → prior attainment group 16, A8 estimate
/// 39.82: English 8.80, maths 7.75, EBacc 11.02, open 12.25), results by QN:
/// - 60142923 AQA English Language 6 → 6 (list: English sheet, FK2B); 60144476 AQA English
///   Literature 5 → 5 (English Literature sheet, FC4): both taken, so English = 6 × 2 = 12 and
///   literature's 5 may count in open;
/// - 60146084 AQA Mathematics 7 → maths 7 × 2 = 14 (RB1);
/// - 6018758X AQA Combined Science: Trilogy 6-5 → 5.5 in each of 2 slots (Science, Double; RA1E);
///   60182179 AQA History 6 → 6 (Humanities; DB): EBacc = 6 + 5.5 + 5.5 = 17;
/// - 60303955 BTEC Tech Award Health and Social Care L2 Distinction* → 8.5, not on the EBacc
///   lists (PA1); art 4 by subject: open = 8.5 + 5 + 4 = 17.5;
/// - A8 = 12 + 14 + 17 + 17.5 = 60.5; P8 = (60.5 − 39.82) ÷ 10 = 2.068 → 2.07; English
///   (12 − 8.80) ÷ 2 = 1.60; EBacc (17 − 11.02) ÷ 3 = 1.993 → 1.99; open (17.5 − 12.25) ÷ 3 = 1.75.
///
/// 00124 (KS2 95 and 101 → 98 → group 12, estimate 33.03), by subject: English language 4 alone
/// (once: 4), maths 5 (10), combined science 4-4 (4 + 4 = 8): A8 = 22; P8 = (22 − 33.03) ÷ 10
/// = −1.103 → −1.10.
///
/// 00126 (no KS2): maths 3 → A8 6, in A8 but not P8.
@Suite(.serialized) struct ImportResultsTests {
    static let fixtures = CLITests.fixtures
    /// The DfE lists shipped with Headway, by absolute path (the tests may run from any folder).
    static let lists = CLITests.repository.appendingPathComponent("data/dfe-ks4-qualifications-2019").path

    static let results = """
        upn,pupil,candidate_number,qualification_number,subject,grade,date,series
        M856100125001,,0042,60142923,,6,2026-08-20,June 2026
        M856100125001,,0042,60144476,,5,2026-08-20,June 2026
        M856100125001,,0042,60146084,,7,20/08/2026,June 2026
        M856100125001,,0042,6018758X,,6-5,2026-08-20,June 2026
        M856100125001,,0042,60182179,,6,2026-08-20,June 2026
        M856100125001,,0042,60303955,,L2 Distinction*,2026-08-20,June 2026
        ,00123,0042,,art,4,2026-08-20,June 2026
        ,00124,0107,,english_language,4,2026-08-20,June 2026
        ,00124,0107,,maths,5,2026-08-20,June 2026
        ,00124,0107,,combined_science,4-4,2026-08-20,June 2026
        ,00126,0110,,maths,3,2026-08-20,June 2026

        """

    func storedResults(_ database: String) async throws -> (results: [ExamResult], audit: Int) {
        let store = try await Store.open(.sqlite(path: database))
        try await store.migrate()
        let results = try await store.examResults(school: "OAK")
        let audit = try await store.auditLog(school: "OAK").count
        try await store.close()
        return (results, audit)
    }

    @Test func importReimportDryRunAndStoredMeasures() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-results-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("oak.sqlite").path
        let mapping = Self.fixtures.appendingPathComponent("oakfield-long.toml").path

        // Pupils: the Oakfield fixture, and 00126 with no KS2 scores.
        let extra = folder.appendingPathComponent("extra-pupil.csv")
        try """
            Adno,UPN,Forename,Surname,DOB,Year,Reg,Gender,PP,SEN,KS2 Reading,KS2 Maths,Subject,Collection,Grade,Predicted,ATL
            00126,,Sam,Lee,2010-05-05,10,10Q,M,N,N,,,MA,Y10DC1,3,4,2

            """.write(to: extra, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["import", "--database", database, "--mapping", mapping,
                                              Self.fixtures.appendingPathComponent("grades.csv").path, extra.path]) == 0)

        let file = folder.appendingPathComponent("results-2026.csv")
        try Self.results.write(to: file, atomically: true, encoding: .utf8)
        let importResults = ["import", "results", "--database", database, "--qualifications", Self.lists, file.path]

        // A dry run saves nothing.
        let auditBefore = try await storedResults(database).audit
        #expect(await Headway.run(arguments: importResults + ["--dry-run"]) == 0)
        #expect(try await storedResults(database).results.isEmpty)
        #expect(try await storedResults(database).audit == auditBefore)

        // The import: 11 results, one create audit row per pupil.
        #expect(await Headway.run(arguments: importResults) == 0)
        let first = try await storedResults(database)
        #expect(first.results.count == 11)
        #expect(first.audit == auditBefore + 3)
        let trilogy = try #require(first.results.first { $0.resultKey == "6018758X" })
        #expect(trilogy.pupil == "00123" && trilogy.candidateNumber == "0042" && trilogy.grade == "6-5" && trilogy.seriesName == "June 2026")

        // Re-importing the same file: all unchanged, no audit row.
        let summary = try await reimportSummary(file: file.path, database: database)
        #expect(summary.results == .init(new: 0, changed: 0, unchanged: 11) && summary.auditRows == 0)
        #expect(await Headway.run(arguments: importResults) == 0)
        #expect(try await storedResults(database) == first)

        // A file with an error saves nothing, not even its valid changed row…
        let bad = folder.appendingPathComponent("bad.csv")
        try "pupil,subject,grade,date\n00124,maths,6,2026-08-20\n00999,maths,6,2026-08-20\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["import", "results", "--database", database, bad.path]) == 1)
        #expect(try await storedResults(database) == first)
        // …unless --accept-valid (still exit 1: a row was left out).
        #expect(await Headway.run(arguments: ["import", "results", "--database", database, "--accept-valid", bad.path]) == 1)
        #expect(try await storedResults(database).results.first { $0.pupil == "00124" && $0.resultKey == "maths" }?.grade == "6")
        #expect(await Headway.run(arguments: importResults) == 0)  // back to 5, audited

        // A8 / P8 from the stored results and stored KS2.
        let out = folder.appendingPathComponent("ks4.csv")
        #expect(await Headway.run(arguments: ["ks4", "--stored", "--database", database, "--qualifications", Self.lists, "--estimates", "2023", "--detail", "--out", out.path]) == 0)
        let rows = try SharedFiles.csvRows(at: out)
        #expect(rows.map { $0["pupil"] } == ["00123", "00124", "00126"])
        let p00123 = rows[0], p00124 = rows[1], p00126 = rows[2]
        #expect(p00123["ks2_avg"] == "101.5" && p00123["pag"] == "16")
        #expect(p00123["english_elem"] == "12" && p00123["maths_elem"] == "14" && p00123["ebacc_elem"] == "17" && p00123["open_elem"] == "17.5")
        #expect(p00123["a8"] == "60.5")
        #expect(p00123["p8_exact"] == "2.068" && p00123["p8_2dp"] == "2.07")
        #expect(p00123["p8_english"] == "1.60" && p00123["p8_ebacc"] == "1.99" && p00123["p8_open"] == "1.75")
        #expect(p00123["ebacc_slots"] == "60182179|6018758X#1|6018758X#2")
        #expect(p00123["open_slots"] == "60303955|60144476|art")
        #expect(p00124["a8"] == "22" && p00124["pag"] == "12" && p00124["p8_2dp"] == "-1.10")
        #expect(p00126["a8"] == "6" && p00126["p8_2dp"] == "" && p00126["estimate_table"] == "n/a - excluded from P8 (no KS2)")

        // The same through --series (by date and by name); a series with no results is a data error.
        let bySeries = folder.appendingPathComponent("ks4-series.csv")
        #expect(await Headway.run(arguments: ["ks4", "--stored", "--database", database, "--qualifications", Self.lists, "--estimates", "2023", "--detail", "--series", "June 2026",
                                              "--out", bySeries.path]) == 0)
        #expect(try String(contentsOf: bySeries, encoding: .utf8) == String(contentsOf: out, encoding: .utf8))
        #expect(await Headway.run(arguments: ["ks4", "--stored", "--database", database, "--series", "2025-11-12"]) == 1)
        #expect(await Headway.run(arguments: ["ks4", "--stored", "--database", database, "--year", "2024/25"]) == 1)

        // Exactly one of a file or --stored.
        #expect(await Headway.run(arguments: ["ks4"]) == 2)
        #expect(await Headway.run(arguments: ["ks4", file.path, "--stored", "--database", database]) == 2)
        #expect(await Headway.run(arguments: ["ks4", file.path, "--series", "June 2026"]) == 2)
    }

    /// What a third import of the file would do, through the store's dry run (the summary the
    /// command prints).
    func reimportSummary(file: String, database: String) async throws -> ExamResultsSaveSummary {
        let store = try await Store.open(.sqlite(path: database))
        let pupils = try await store.pupilIdentities(school: "OAK")
        let read = ExamResultsFile(pupils: ExamResultsFile.KnownPupils(pupils), qualifications: try KS4Command.qualificationLists(Self.lists))
            .read(contentsOf: URL(fileURLWithPath: file))
        #expect(!read.hasErrors)
        let summary = try await store.save(examResults: read.results, school: "OAK",
                                           context: ChangeContext(actor: "test", source: "results-2026.csv", at: Date()), dryRun: true)
        try await store.close()
        return summary
    }

    @Test func importNeedsADatabaseWithPupils() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-results-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("r.csv")
        try Self.results.write(to: file, atomically: true, encoding: .utf8)
        let missing = folder.appendingPathComponent("none.sqlite").path
        #expect(await Headway.run(arguments: ["import", "results", "--database", missing, file.path]) == 2)
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(await Headway.run(arguments: ["import", "results", "--database", missing, folder.appendingPathComponent("nofile.csv").path]) == 2)
    }
}
