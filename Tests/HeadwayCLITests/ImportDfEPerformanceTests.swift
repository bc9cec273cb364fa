import Foundation
import HeadwayAnalytics
@testable import HeadwayCLI
import HeadwayCore
import HeadwayImport
import HeadwayReports
@testable import HeadwayStore
import HeadwayTestSupport
import SQLKit
import Testing

/// `headway import dfe-performance` end to end on the real DfE KS4 2019 table shipped in
/// `data/dfe-ks4-performance-tables-2019` (Crown copyright, OGL v3): counts per code against an
/// independent scan of the raw file, idempotent re-import, dry run, duplicates, identifiers as
/// text, and the report's national-context section.
@Suite(.serialized) struct ImportDfEPerformanceTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let file = repository.appendingPathComponent("data/dfe-ks4-performance-tables-2019/england_ks4provisional_2019.csv")

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-dfe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A deliberately simple scan of the raw file, independent of the importer: drop the BOM,
    /// split lines on LF, split fields on commas outside double quotes, and sort each cell of the
    /// measure columns (the 8th onwards) by its text.
    static func rawCounts() throws -> [String: Int] {
        var text = try String(contentsOf: file, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            var fields: [String] = [], field = "", quoted = false
            for ch in line where ch != "\r" {
                if ch == "\"" { quoted.toggle() } else if ch == "," && !quoted { fields.append(field); field = "" } else { field.append(ch) }
            }
            fields.append(field)
            for cell in fields.dropFirst(7) {
                let kind: String
                if ["NA", "NE", "SUPP", "LOWCOV"].contains(cell) { kind = cell }
                else if cell.isEmpty { kind = "blank" }
                else if cell.hasSuffix("%") && Double(cell.dropLast()) != nil { kind = "percentage" }
                else if Double(cell) != nil { kind = "number" }
                else { kind = "other: \(cell)" }
                counts[kind, default: 0] += 1
            }
        }
        return counts
    }

    /// Cells per kind as stored.
    static func storedCounts(_ database: String) async throws -> [String: Int] {
        let store = try await Store.open(.sqlite(path: database))
        defer { Task { try? await store.close() } }
        var counts: [String: Int] = [:]
        for row in try await store.db.select().column("kind").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("published_ks4_values").groupBy("kind").all() {
            counts[try row.decode(column: "kind", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    static func withStore<T>(_ database: String, _ body: (Store) async throws -> T) async throws -> T {
        try await withSQLiteStore(database, body)
    }

    @Test func theRealFileImportsWithACountPerCodeAndReimportsUnchanged() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("dfe.sqlite").path
        let arguments = ["import", "dfe-performance", "--database", database, Self.file.path]
        #expect(await Headway.run(arguments: arguments) == 0)

        let raw = try Self.rawCounts()
        #expect(raw.keys.allSatisfy { !$0.hasPrefix("other") }, "\(raw)")
        #expect(raw["SUPP"] == 2_070 && raw["LOWCOV"] == 49)  // sanity: the scan sees the codes
        #expect(try await Self.storedCounts(database) == raw)

        // What the command prints: the same counts, and England's published A8 and P8.
        let result = KS4PerformanceTableFile(ks4Year: 2019).read(contentsOf: Self.file)
        let text = ImportDfEPerformance.describe(result, ks4Year: 2019, showIssues: 30)
        for (kind, n) in raw {
            #expect(text.range(of: "\n  \(kind) +\(n) ", options: .regularExpression) != nil, "\(kind) \(n)")
        }
        #expect(text.contains("England (state-funded schools), published KS4 2019: ATT8SCR 46.5, P8MEA -0.03\n"))
        #expect(text.contains("England (all schools), published KS4 2019: ATT8SCR 44.5, P8MEA blank (not published)\n"))
        #expect(text.contains("  local authority (4)                155\n"))

        let england = try await Self.withStore(database) { try await $0.publishedKS4England() }
        #expect(england?["ATT8SCR"]?.published == "46.5" && england?["P8MEA"]?.published == "-0.03")

        // Again: every row and value unchanged, no audit row written.
        let scope = School.ID(Store.publishedAuditScope)
        let auditBefore = try await Self.withStore(database) { try await $0.auditLog(school: scope).count }
        #expect(auditBefore == 5_652)
        #expect(await Headway.run(arguments: arguments) == 0)
        #expect(try await Self.withStore(database) { try await $0.auditLog(school: scope).count } == auditBefore)
        let again = try await Self.withStore(database) { store in
            try await store.savePublishedKS4(result.rows, context: ChangeContext(actor: "test", source: "again", at: Date()), dryRun: true)
        }
        #expect(again.rows == .init(new: 0, changed: 0, unchanged: 5_652))
        #expect(again.values == .init(new: 0, changed: 0, unchanged: 101_736))
        #expect(try await Self.storedCounts(database) == raw)
    }

    @Test func aDryRunSavesNothing() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // No database yet: the preview runs on a scratch file and creates nothing here.
        let database = folder.appendingPathComponent("dry.sqlite").path
        #expect(await Headway.run(arguments: ["import", "dfe-performance", "--database", database, "--dry-run", Self.file.path]) == 0)
        #expect(!FileManager.default.fileExists(atPath: database))
        // An existing database: still nothing saved.
        #expect(await Headway.run(arguments: ["migrate", "--database", database]) == 0)
        #expect(await Headway.run(arguments: ["import", "dfe-performance", "--database", database, "--dry-run", Self.file.path]) == 0)
        try await Self.withStore(database) { (store: Store) async throws -> Void in
            #expect(try await store.publishedKS4Years().isEmpty)
            #expect(try await store.auditLog(school: School.ID(Store.publishedAuditScope)).isEmpty)
        }
    }

    static let header = "RECTYPE,LEA,ESTAB,URN,SCHNAME,ICLOSE,NFTYPE,TPUP,ATT8SCR,P8MEA,PTL2BASICS_94\n"

    @Test func aFileWithADuplicateURNIsRejectedNamingBothLines() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("duplicate_2019.csv")
        try (Self.header
            + "1,201,4001,100001,A School,0,AC,120,50.1,0.25,70.0%\n"
            + "1,202,4002,100002,B School,0,AC,90,47.0,0.10,60.0%\n"
            + "1,203,4003,100001,A School again,0,AC,110,40.0,-0.5,50.0%\n").write(to: csv, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("dup.sqlite").path
        #expect(await Headway.run(arguments: ["import", "dfe-performance", "--database", database, csv.path]) == 1)
        #expect(!FileManager.default.fileExists(atPath: database))  // nothing imported, nothing created

        let result = KS4PerformanceTableFile(ks4Year: 2019).read(contentsOf: csv)
        let text = ImportDfEPerformance.describe(result, ks4Year: 2019, showIssues: 30)
        #expect(text.contains("duplicate_2019.csv:4: column \"URN\" value \"100001\": URN 100001 is on line 2 and line 4"))

        // --accept-valid imports the one good row; neither duplicate is saved. Exit 1: the file had errors.
        #expect(await Headway.run(arguments: ["import", "dfe-performance", "--database", database, "--accept-valid", csv.path]) == 1)
        try await Self.withStore(database) { (store: Store) async throws -> Void in
            #expect(try await store.publishedKS4School(urn: "100002")?["ATT8SCR"]?.published == "47.0")
            #expect(try await store.publishedKS4School(urn: "100001") == nil)
        }
    }

    @Test func identifiersKeepTheirLeadingZeros() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("zeros.csv")
        try (Self.header + "1,201,0123,012345,Zero Academy,0,AC,120,SUPP,LOWCOV,5.9%\n4,201,,,,,,120,50.0,0.1,60.0%\n")
            .write(to: csv, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("zeros.sqlite").path
        // No year in the file name: --ks4-year is required.
        #expect(await Headway.run(arguments: ["import", "dfe-performance", "--database", database, csv.path]) == 2)
        #expect(await Headway.run(arguments: ["import", "dfe-performance", "--database", database, "--ks4-year", "2019", csv.path]) == 0)
        try await Self.withStore(database) { (store: Store) async throws -> Void in
            let school = try #require(try await store.publishedKS4School(urn: "012345", year: 2019))
            #expect(school.lea == "201" && school.estab == "0123" && school.urn == "012345")
            #expect(school["ATT8SCR"] == .suppressed && school["P8MEA"] == .lowCoverage)
            #expect(school["PTL2BASICS_94"]?.published == "5.9%")
            #expect(try await store.publishedKS4School(urn: "12345") == nil)
            #expect(try await store.publishedKS4LocalAuthority("201")?["ATT8SCR"]?.published == "50.0")
        }
    }

    /// The headline report's national-context section shows England's published A8 beside the
    /// school's forecasts, labelled published vs forecast.
    @Test func theReportSetsTheForecastBesideEnglandsPublishedFigures() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("context.sqlite").path
        #expect(await Headway.run(arguments: ["import", "dfe-performance", "--database", database, Self.file.path]) == 0)
        #expect(await Headway.run(arguments: ["demo", "--database", database, "--out", folder.appendingPathComponent("demo").path]) == 0)
        let out = folder.appendingPathComponent("report")
        #expect(await Headway.run(arguments: ["report", "--database", database, "--out", out.path, "--la", "202"]) == 0)

        let table = try String(contentsOf: out.appendingPathComponent("csv/national-context.csv"), encoding: .utf8)
        let lines = table.replacingOccurrences(of: "\u{FEFF}", with: "").components(separatedBy: "\r\n")
        #expect(lines[0] == "measure,Y11 forecast (GCSEs 2027),Y10 forecast (GCSEs 2028),England (state-funded schools): published KS4 2019,LA 202: published KS4 2019")
        let a8 = try #require(lines.first { $0.hasPrefix("Attainment 8,") })
        #expect(a8.hasSuffix(",46.5,48.5"))
        #expect(lines.first { $0.hasPrefix("Progress 8,") }?.hasSuffix(",-0.03,0.09") == true)
        // P8 with the pupils it is over (P8PUP): England 513,055, LA 202 1,465 in the 2019 file.
        #expect(lines.first { $0.hasPrefix("Progress 8: pupils counted,") }?.hasSuffix(",513055,1465") == true)
        let interval = try #require(lines.first { $0.hasPrefix("Progress 8: 95% confidence interval,") })
        #expect(interval.hasSuffix(",none published,between 0.03 and 0.16"))
        #expect(!table.contains("'-"))  // no cell needed the spreadsheet-formula guard
        let what = try #require(lines.first { $0.hasPrefix("what it is,") })
        #expect(what.contains("forecast from predicted grades at DC3; P8 an estimate against KS4 2023 national A8 estimates (DfE)"))
        #expect(what.hasSuffix(",published result (DfE performance tables),published result (DfE performance tables)"))
        #expect(lines.first { $0.hasPrefix("grade 4+ in English and maths,") }?.hasSuffix(",64.4%,67.4%") == true)

        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<h2>National and local context: forecasts beside published results</h2>"))
        #expect(html.contains("a teacher&#39;s prediction is not an exam result") || html.contains("a teacher's prediction is not an exam result"))
        #expect(html.contains("Local authority: LA 202, as given with --la."))
        #expect(html.contains("<td>46.5</td>"))

        // The demo's own report has the section too, with England beside its forecast.
        let demoTable = try String(contentsOf: folder.appendingPathComponent("demo/report/csv/national-context.csv"), encoding: .utf8)
        #expect(demoTable.contains("England (state-funded schools): published KS4 2019"))
        #expect(demoTable.contains(",46.5"))

        // The model: no context, no section; with one, the table and the forecast-vs-published note.
        let (year, context) = try await Self.withStore(database) { store in
            let year = try await store.load(school: "DEMO", year: AcademicYear(startYear: 2026))
            return (year, try await HeadlineReport.NationalContext.load(from: store, pupils: year.pupils, localAuthority: nil))
        }
        let analysis = await SchoolAnalysis.compute(year)
        let plain = HeadlineReport.model(analysis, generated: "now")
        #expect(!plain.tables.contains { $0.name == "national-context" })
        #expect(plain.contextNote == "No national or local comparison. England is not shown: no DfE KS4 performance table has been imported (headway import dfe-performance FILE.csv).")
        let withContext = HeadlineReport.model(analysis, generated: "now", context: try #require(context))
        #expect(withContext.tables.contains { $0.name == "national-context" })
        #expect(withContext.contextNote?.contains("published results of the KS4 2019 cohort") == true)
        #expect(withContext.contextNote?.contains("the most common LA number in the pupils' UPNs") == true)

        #expect(await Headway.run(arguments: ["report", "--database", database, "--out", out.path, "--la", "20"]) == 2)
    }

    /// Issue 12, item 3: the report says why the national comparison is missing, whichever part is.
    @Test func theReportSaysWhyANationalComparisonIsMissing() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("why.sqlite").path
        #expect(await Headway.run(arguments: ["demo", "--database", database, "--out", folder.appendingPathComponent("demo").path]) == 0)
        func context(la: String?) async throws -> (SchoolYear, HeadlineReport.NationalContext?) {
            try await Self.withStore(database) { store in
                let year = try await store.load(school: "DEMO", year: AcademicYear(startYear: 2026))
                return (year, try await HeadlineReport.NationalContext.load(from: store, pupils: year.pupils, localAuthority: la))
            }
        }
        // The demo imported the shipped 2019 table: England is there; LA 999 is not.
        let (year, withEngland) = try await context(la: "999")
        let analysis = await SchoolAnalysis.compute(year)
        let model = HeadlineReport.model(analysis, generated: "now", context: try #require(withEngland))
        #expect(model.contextNote?.contains("No local authority is shown: LA 999 (as given with --la) is not in the stored performance tables.") == true)

        // A table with schools but no England row (a subset file): the report says so.
        let subset = folder.appendingPathComponent("schools_2020.csv")
        try "URN,ATT8SCR,P8MEA\n990001,47.3,0.12\n".write(to: subset, atomically: true, encoding: .utf8)
        let fresh = folder.appendingPathComponent("fresh.sqlite").path
        #expect(await Headway.run(arguments: ["import", "dfe-performance", "--database", fresh, subset.path]) == 0)
        let noEngland = try await Self.withStore(fresh) { store in
            try await HeadlineReport.NationalContext.load(from: store, pupils: year.pupils, localAuthority: "202")
        }
        let empty = HeadlineReport.model(analysis, generated: "now", context: noEngland)
        #expect(!empty.tables.contains { $0.name == "national-context" })
        #expect(empty.contextNote == "No national or local comparison. England is not shown: the imported DfE table (KS4 2020) has no England row (RECTYPE 7, state-funded schools). No local authority is shown: LA 202 (as given with --la) is not in the stored performance tables.")
        let html = try #require(try HeadlineReport.render(empty).first { $0.name == "index.html" }).contents
        #expect(html.contains("<h2>National and local context: forecasts beside published results</h2>"))
        #expect(html.contains("England is not shown: the imported DfE table (KS4 2020) has no England row"))
    }
}
