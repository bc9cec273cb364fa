import Foundation
@testable import HeadwayCLI
import HeadwayImport
import HeadwayCore
import HeadwayReports
import HeadwayStore
import HeadwayTestSupport
import Testing

/// `headway markbook` and `headway audit` end to end (issue 5, items 2, 3 and 6): export, fill
/// some cells, import, import again — exactly the filled cells change, once, each with an audit
/// row naming its file and line; dry runs change nothing; windows are enforced by `--today`.
///
/// The school is the fixture school with DC2 given dates: opens Monday 1 February 2027, deadline
/// Friday 12 February, locks Friday 19 February (whole-school dates, so every year group).
/// Stored for DC2 before: MA — P001 6- / 6 / 1, P002 X / – / –, P003 nothing; SC — P003 `A*`
/// (off the scale); HI7 — P004 MAS / – / 1. DC1 MA working-at: P001 5, P002 4+, P003 7/6.
@Suite(.serialized) struct MarkbookCommandTests {
    static let school: School.ID = "100001"
    static let academicYear = AcademicYear(startYear: 2026)

    /// A temporary folder with the school saved in `school.sqlite`.
    func makeSchool() async throws -> (folder: URL, database: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-markbook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var year = Fixtures.smallSchool()
        year.collections[1].opens = CalendarDate(year: 2027, month: 2, day: 1)
        year.collections[1].deadline = CalendarDate(year: 2027, month: 2, day: 12)
        year.collections[1].locks = CalendarDate(year: 2027, month: 2, day: 19)
        year.collections[1].publishes = CalendarDate(year: 2027, month: 3, day: 1)
        let database = folder.appendingPathComponent("school.sqlite").path
        let store = try await Store.open(.sqlite(path: database))
        try await store.migrate()
        try await store.save(year, context: ChangeContext(actor: "setup", source: "fixture", at: Date(timeIntervalSince1970: 1_795_000_000)))
        try await store.close()
        return (folder, database)
    }

    func withStore<T>(_ database: String, _ body: (Store) async throws -> T) async throws -> T {
        try await withSQLiteStore(database, body)
    }

    func entries(_ database: String) async throws -> [String: Assessment] {
        try await withStore(database) { store in
            let year = try await store.load(school: Self.school, year: Self.academicYear)
            return Dictionary(uniqueKeysWithValues: year.assessments.map { ("\($0.collection)/\($0.pupil)/\($0.subject)", $0) })
        }
    }

    func audit(_ database: String, pupil: Pupil.ID? = nil) async throws -> [AuditEntry] {
        try await withStore(database) { try await $0.auditLog(school: Self.school, pupil: pupil) }
    }

    /// A file's text as written, byte-order mark included (Foundation's UTF-8 reading drops it).
    func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

    /// Replaces one line of a file's text (1-based, the header is line 1).
    func edit(_ url: URL, line: Int, to newLine: String) throws {
        var lines = try text(url).components(separatedBy: "\r\n")
        lines[line - 1] = newLine
        try lines.joined(separator: "\r\n").write(to: url, atomically: true, encoding: .utf8)
    }

    static let header = "upn,pupil_id,surname,forename,class,subject,collection,previous_working_at (DC1 read only),target (read only),working_at,predicted,atl"

    @Test func exportWritesOneMarkbookPerClassAndAReadme() async throws {
        let (folder, database) = try await makeSchool()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("markbooks")
        #expect(await Headway.run(arguments: ["markbook", "export", "--database", database, "--collection", "DC2", "--out", out.path]) == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("DC2").path).sorted()
        #expect(files == ["10X-Ma1.csv", "10X-Sc1.csv", "7C-Hi.csv", "README.txt"])
        // Sorted by surname; the previous collection's grade, the target and what DC2 already holds.
        #expect(try text(out.appendingPathComponent("DC2/10X-Ma1.csv")) == "\u{FEFF}" + [
            Self.header,
            "R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,,,",
            "B801200005001,P002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,X,,",
            "H801200001001,P001,O'Neil,Aoife,10X/Ma1,MA,DC2,5,7,6-,6,1",
        ].joined(separator: "\r\n") + "\r\n")
        // A markup surname is written as text; the class code is in the file, the name file-safe.
        #expect(try text(out.appendingPathComponent("DC2/7C-Hi.csv")).hasSuffix(",P004,<script>alert(1)</script>,Tom,7C/Hi,HI7,DC2,DEV,,MAS,,1\r\n"))
        let readme = try text(out.appendingPathComponent("DC2/README.txt"))
        #expect(readme.hasPrefix("Markbooks for Spring data collection (DC2), Riverside Academy, 2026/27\n"))
        #expect(readme.contains("  Year 7: opens 2027-02-01, deadline 2027-02-12, locks 2027-02-19.\n  Year 10: opens 2027-02-01, deadline 2027-02-12, locks 2027-02-19.\n"))
        #expect(readme.contains("  History (KS3) (HI7)\n    working_at, predicted (KS3 steps): MAS (Mastered), SEC (Secure), DEV (Developing), EMG (Emerging)\n"
                                + "    atl (Attitude to learning 1–4): 1 (Excellent), 2 (Good), 3 (Requires improvement), 4 (Cause for concern)\n"))
        #expect(readme.contains("previous_working_at  The working-at grade from Autumn data collection (DC1), read only."))

        // Per teacher: 10X/Sc1 is taught by JSM and RPA, so it is in both folders.
        let perTeacher = folder.appendingPathComponent("by-teacher")
        #expect(await Headway.run(arguments: ["markbook", "export", "--database", database, "--collection", "DC2", "--per-teacher",
                                              "--out", perTeacher.path]) == 0)
        let tree = try FileManager.default.subpathsOfDirectory(atPath: perTeacher.path).filter { $0.hasSuffix(".csv") || $0.hasSuffix(".txt") }.sorted()
        #expect(tree == ["DC2/JSM/10X-Ma1.csv", "DC2/JSM/10X-Sc1.csv", "DC2/README.txt", "DC2/RPA/10X-Sc1.csv", "DC2/RPA/7C-Hi.csv"])

        #expect(await Headway.run(arguments: ["markbook", "export", "--database", database, "--collection", "DC9", "--out", out.path]) == 2)  // misuse, as in every command
    }

    /// The round trip of the issue's "done when", with the windows.
    @Test func aRoundTripChangesExactlyTheFilledCellsOnce() async throws {
        let (folder, database) = try await makeSchool()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("markbooks")
        #expect(await Headway.run(arguments: ["markbook", "export", "--database", database, "--collection", "DC2", "--out", out.path]) == 0)
        let maths = out.appendingPathComponent("DC2/10X-Ma1.csv")
        let all = ["10X-Ma1.csv", "10X-Sc1.csv", "7C-Hi.csv"].map { out.appendingPathComponent("DC2/\($0)").path }
        let before = try await entries(database)
        let auditBefore = try await audit(database).count
        // JSM's markbooks, imported with the window checked on a date the data manager (DMG) sets.
        func importing(_ files: [String], _ extra: [String]) -> [String] {
            ["markbook", "import", "--database", database, "--collection", "DC2", "--actor", "JSM", "--date-set-by", "DMG"] + extra + files
        }

        // Untouched, on time: nothing changes (SC's stored off-scale A* is a warning, not an error).
        #expect(await Headway.run(arguments: importing(all, ["--today", "2027-02-05"])) == 0)
        #expect(try await entries(database) == before)
        #expect(try await audit(database).count == auditBefore)

        // Fill three cells: P003 working_at 6 and atl 2 (no DC2 record yet), P002 predicted 5.
        try edit(maths, line: 2, to: "R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,6,,2")
        try edit(maths, line: 3, to: "B801200005001,P002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,X,5,")

        // A dry run shows it and saves nothing.
        #expect(await Headway.run(arguments: importing(all, ["--today", "2027-02-05", "--dry-run"])) == 0)
        #expect(try await entries(database) == before)
        #expect(try await audit(database).count == auditBefore)

        #expect(await Headway.run(arguments: importing(all, ["--today", "2027-02-05"])) == 0)
        let after = try await entries(database)
        var expected = before
        expected["DC2/P003/MA"] = Assessment(pupil: "P003", subject: "MA", collection: "DC2", workingAt: GradeScale.gcse.value(stored: "6"),
                                             atl: GradeScale.atl.value(stored: "2"), enteredBy: "JSM")
        expected["DC2/P002/MA"]!.predicted = GradeScale.gcse.value(stored: "5")
        expected["DC2/P002/MA"]!.enteredBy = "JSM"
        #expect(after == expected)
        let rows = Array(try await audit(database).dropFirst(auditBefore))
        #expect(rows.map { [$0.actor, $0.action, $0.recordKey, $0.oldValue ?? "blank", $0.newValue ?? "blank", $0.reason ?? "", $0.source] } == [
            ["JSM", "create", "DC2/P003/MA.working_at", "blank", "6", "markbook import DC2 on 2027-02-05 (date set by DMG with --today)", "\(maths.path):2"],
            ["JSM", "create", "DC2/P003/MA.atl", "blank", "2", "markbook import DC2 on 2027-02-05 (date set by DMG with --today)", "\(maths.path):2"],
            ["JSM", "update", "DC2/P002/MA.predicted", "blank", "5", "markbook import DC2 on 2027-02-05 (date set by DMG with --today)", "\(maths.path):3"],
        ])

        // The same files again: nothing changes, no audit row.
        #expect(await Headway.run(arguments: importing(all, ["--today", "2027-02-05"])) == 0)
        #expect(try await entries(database) == expected)
        #expect(try await audit(database).count == auditBefore + 3)
        // Even after the lock: an untouched file changes nothing, so nothing is refused.
        #expect(await Headway.run(arguments: importing(all, ["--today", "2027-03-01"])) == 0)
        #expect(try await audit(database).count == auditBefore + 3)

        // Before opening: refused, nothing saved.
        try edit(maths, line: 4, to: "H801200001001,P001,O'Neil,Aoife,10X/Ma1,MA,DC2,5,7,6-,6,2")  // P001 atl 1 → 2
        #expect(await Headway.run(arguments: importing([maths.path], ["--today", "2027-01-31"])) == 1)
        #expect(try await entries(database) == expected)

        // After the deadline: accepted and marked late.
        #expect(await Headway.run(arguments: importing([maths.path], ["--today", "2027-02-13"])) == 0)
        let late = try await entries(database)
        #expect(late["DC2/P001/MA"]?.atl == GradeScale.atl.value(stored: "2"))
        #expect(late["DC2/P001/MA"]?.late == true)
        #expect(late["DC2/P002/MA"]?.late == false && late["DC2/P003/MA"]?.late == false)
        let lateRow = try #require(try await audit(database).last)
        #expect([lateRow.recordKey, lateRow.oldValue, lateRow.newValue, lateRow.reason, lateRow.source]
                == ["DC2/P001/MA.atl", "1", "2", "markbook import DC2 on 2027-02-13 (date set by DMG with --today); entered late", "\(maths.path):4"])

        // After the lock: refused; a teacher cannot override; a data manager can, with a reason.
        try edit(maths, line: 3, to: "B801200005001,P002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,4,5,")  // P002 X → 4
        let count = try await audit(database).count
        #expect(await Headway.run(arguments: importing([maths.path], ["--today", "2027-02-20"])) == 1)
        #expect(await Headway.run(arguments: importing([maths.path], ["--today", "2027-02-20", "--override-by", "JSM", "--reason", "Marked late"])) == 1)
        #expect(await Headway.run(arguments: importing([maths.path], ["--today", "2027-02-20", "--override-by", "NOBODY", "--reason", "x"])) == 1)
        // Only a data manager may move the window's date: a teacher (JSM) may not.
        #expect(await Headway.run(arguments: ["markbook", "import", "--database", database, "--collection", "DC2", "--actor", "JSM",
                                              "--today", "2027-02-05", "--date-set-by", "JSM", maths.path]) == 1)
        // --today without --date-set-by is misuse: nobody would answer for the date.
        #expect(await Headway.run(arguments: ["markbook", "import", "--database", database, "--collection", "DC2", "--actor", "JSM",
                                              "--today", "2027-02-05", maths.path]) == 2)
        #expect(try await audit(database).count == count)
        #expect(try await entries(database)["DC2/P002/MA"]?.workingAt == .notAssessed)
        #expect(await Headway.run(arguments: importing([maths.path], ["--today", "2027-02-20", "--override-by", "DMG",
                                                                      "--reason", "Pupil sat the test on return from hospital"])) == 0)
        #expect(try await entries(database)["DC2/P002/MA"]?.workingAt == GradeScale.gcse.value(stored: "4"))
        #expect(try await entries(database)["DC2/P002/MA"]?.late == true)
        let overrideRows = Array(try await audit(database).dropFirst(count))
        #expect(overrideRows.map { [$0.recordKey, $0.oldValue, $0.newValue, $0.reason, $0.source] } == [
            ["DC2/P002/MA.working_at", "X", "4",
             "markbook import DC2 on 2027-02-20 (date set by DMG with --today); after the lock, authorised by DMG: Pupil sat the test on return from hospital; entered late", "\(maths.path):3"],
        ])

        // The pupil's history, oldest first: the fixture's creation rows, then the markbook's.
        let history = try await audit(database, pupil: "P002")
        #expect(AuditCommand.rows(history).map { Array($0.dropFirst()) } == [
            ["setup", "pupils P002 (new)", "blank → B801200005001 Zoë Marsh 2011-07-19 year 10 10B", "", "fixture"],
            ["setup", "pupil_characteristics P002 (new)", "blank → 2026 disadvantaged=false; 2026 gender=F; 2026 sen=N", "", "fixture"],
            ["setup", "prior_attainment P002 (new)", "blank → reading none, maths 98", "", "fixture"],
            ["setup", "assessments P002 (new)",
             "blank → DC1/MA working_at=4+ predicted= atl=3; DC2/MA working_at=X predicted= atl=; DC1/SC working_at=Z predicted= atl=", "", "fixture"],
            ["JSM", "assessments DC2/P002/MA.predicted", "blank → 5", "markbook import DC2 on 2027-02-05 (date set by DMG with --today)", "\(maths.path):3"],
            ["JSM", "assessments DC2/P002/MA.working_at", "X → 4",
             "markbook import DC2 on 2027-02-20 (date set by DMG with --today); after the lock, authorised by DMG: Pupil sat the test on return from hospital; entered late", "\(maths.path):3"],
        ])
        #expect(history.first?.at == "2026-11-18T11:06:40Z")
        #expect(await Headway.run(arguments: ["audit", "--database", database, "--pupil", "B801200005001"]) == 0)
        #expect(await Headway.run(arguments: ["audit", "--database", database, "--pupil", "P002", "--format", "csv"]) == 0)
        #expect(await Headway.run(arguments: ["audit", "--database", database, "--pupil", "NOBODY"]) == 1)
        #expect(await Headway.run(arguments: ["audit", "--database", database, "--table", "staff"]) == 0)
        let staffRows = try await withStore(database) { try await $0.auditLog(school: Self.school, table: "staff") }
        #expect(staffRows.map(\.recordKey) == ["3 new"] && staffRows.allSatisfy { $0.pupil == nil })
        let csv = AuditCommand.render(Array(history.suffix(1)), subject: "pupil P002", format: .csv)
        #expect(csv == "when,who,action,table,record,old,new,why,source\r\n"
                + "\(history.last!.at),JSM,update,assessments,DC2/P002/MA.working_at,X,4,"
                + "\"markbook import DC2 on 2027-02-20 (date set by DMG with --today); after the lock, authorised by DMG: Pupil sat the test on return from hospital; entered late\",\(maths.path):3\r\n")
    }

    /// An invalid cell rejects its row; without --accept-valid nothing is saved, with it the rest
    /// is saved and the command still exits 1.
    @Test func errorsImportNothingUnlessAcceptValidIsGiven() async throws {
        let (folder, database) = try await makeSchool()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("markbooks")
        #expect(await Headway.run(arguments: ["markbook", "export", "--database", database, "--collection", "DC2", "--out", out.path]) == 0)
        let maths = out.appendingPathComponent("DC2/10X-Ma1.csv")
        try edit(maths, line: 2, to: "R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,7++,,")   // off the scale
        try edit(maths, line: 3, to: "B801200005001,P002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,X,5,")              // valid
        let before = try await entries(database)
        let arguments = ["markbook", "import", "--database", database, "--collection", "DC2", "--today", "2027-02-05", "--date-set-by", "DMG", maths.path]
        #expect(await Headway.run(arguments: arguments) == 1)
        #expect(try await entries(database) == before)
        #expect(await Headway.run(arguments: arguments + ["--accept-valid"]) == 1)
        let after = try await entries(database)
        #expect(after["DC2/P002/MA"]?.predicted == GradeScale.gcse.value(stored: "5"))
        #expect(after["DC2/P003/MA"] == nil)
    }

    @Test(arguments: [
        ["markbook", "import", "--collection", "DC2"],                                              // no file
        ["markbook", "import", "--collection", "DC2", "--today", "13/13/2027", "--date-set-by", "DMG", "a.csv"],  // not a date
        ["markbook", "import", "--collection", "DC2", "--override-by", "DMG", "a.csv"],             // no reason
        ["markbook", "import", "--collection", "DC2", "--reason", "because", "a.csv"],              // reason without override
        ["markbook", "export"],                                                                     // no collection
        ["audit"],                                                                                  // no pupil
        ["audit", "--pupil", "P001", "--format", "xml"],
        ["audit", "--pupil", "P001", "--table", "staff"],                                          // one or the other
        ["audit", "--table", "pupils"],                                                             // pupils' rows go by pupil
    ])
    func misuseExitsWithTwo(arguments: [String]) async {
        #expect(await Headway.run(arguments: arguments) == 2)
    }

    /// The window check in the CLI glue: refused cells become errors naming file, line, column
    /// and value; no window known is said.
    @Test func refusedCellsAreIssuesWithTheirPlace() throws {
        var year = Fixtures.smallSchool()
        year.collections[1].opens = CalendarDate(year: 2027, month: 2, day: 1)
        year.collections[1].deadline = CalendarDate(year: 2027, month: 2, day: 12)
        year.collections[1].locks = CalendarDate(year: 2027, month: 2, day: 19)
        let csv = [Self.header, "R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,6,,2", "B801200005001,P002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,X,,"]
        let read = HeadwayImport.MarkbookFile(year: year, collection: "DC2").read(name: "m.csv", contents: Data(csv.joined(separator: "\n").utf8))
        let checked = MarkbookCommand.check(read, year: year, on: CalendarDate(year: 2027, month: 2, day: 20)!, override: nil, enteredBy: nil)
        #expect(checked.issues.map(\.description) == [
            "m.csv:2: column \"working_at\" value \"6\": DC2 for year 10 was locked on 2027-02-19: only a data manager may change it, with --override-by STAFFCODE --reason \"…\"",
            "m.csv:2: column \"atl\" value \"2\": DC2 for year 10 was locked on 2027-02-19: only a data manager may change it, with --override-by STAFFCODE --reason \"…\"",
        ])
        #expect(checked.refusedRows == 1 && checked.rowsAccepted == 1 && checked.changing == 0)
        #expect(checked.assessments.map(\.pupil) == ["P002"])  // unchanged, kept for the counts

        let undated = MarkbookCommand.check(read, year: Fixtures.smallSchool(), on: CalendarDate(year: 2027, month: 2, day: 20)!, override: nil,
                                            enteredBy: "JSM")
        #expect(undated.issues.isEmpty && undated.changing == 1 && undated.late == 0)
        #expect(undated.noWindow.map { "\($0.collection) \($0.yearGroup)" } == ["DC2 10"])
        #expect(undated.assessments.allSatisfy { $0.enteredBy == "JSM" })
        #expect(MarkbookCommand.describe(undated, date: CalendarDate(year: 2027, month: 2, day: 20)!, showIssues: 30).contains(
            "No window is known for DC2, year 10: its entries were accepted without a date check.\n"))
    }
}
