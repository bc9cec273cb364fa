import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayImport
import HeadwayReports
import HeadwayStore

/// `headway import dfe-performance FILE.csv`: the DfE KS4 performance tables — England, every
/// local authority and every school, as published — stored as national and local context for
/// the school's own forecasts (issue 4, item 5; `docs/national-context.md`).
///
/// Follows every importer's rules (``Import``): `--dry-run` computes with the code that commits
/// and rolls back; re-importing changes nothing; a blank cell never erases a stored value; a URN,
/// LA or England row twice in one file is rejected naming both lines; identifiers stay text; one
/// transaction per file. Exit status 1 when the file has errors (nothing is saved unless
/// `--accept-valid`), 2 on misuse.
struct ImportDfEPerformance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dfe-performance",
        abstract: "Import a DfE KS4 performance table (England, local authorities, schools) as published, for context.",
        discussion: """
            Reads the DfE's CSV as it is: byte-order mark, quoted names, percentages as text (5.9%), and the \
            codes NA (not applicable), NE (no entries), SUPP (suppressed), LOWCOV (low coverage) and blank \
            (not published), each kept as what it means — never as zero. Prints the rows per record type, \
            the count of each code overall and per column, England's published Attainment 8 and Progress 8, \
            and what was saved. The report then sets the school's forecasts beside England and its local \
            authority. The 2019 table is in data/dfe-ks4-performance-tables-2019/ (Crown copyright, OGL v3).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: ImportOptions

    @Argument(help: ArgumentHelp("The DfE KS4 performance-table CSV.", valueName: "file"))
    var file: String

    @Option(name: .customLong("ks4-year"), help: ArgumentHelp(
        "The summer of the exams the table describes, e.g. 2019 for 2018/19 (default: the year in the file name).", valueName: "year"))
    var ks4Year: Int?

    /// `--ks4-year`, else the year in the file name.
    var year: Int? { ks4Year ?? KS4PerformanceTableFile.ks4Year(fromFileName: URL(fileURLWithPath: file).lastPathComponent) }

    func validate() throws {
        try requireFiles([file])
        if let ks4Year, !(2000...2100).contains(ks4Year) {
            throw ValidationError("--ks4-year \(ks4Year) is not a year: give the summer of the exams, e.g. 2019 for 2018/19.")
        }
        if year == nil {
            throw ValidationError("The file name \(URL(fileURLWithPath: file).lastPathComponent) does not say which KS4 year it is: give --ks4-year, e.g. 2019 for 2018/19.")
        }
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("There is no file at \(file).") }
        let year = year!
        let result = KS4PerformanceTableFile(ks4Year: year).read(contentsOf: URL(fileURLWithPath: file))
        print(Self.describe(result, ks4Year: year, showIssues: options.showIssues))
        if result.hasErrors && !options.acceptValid {
            let errors = result.issues.filter(\.isError).count
            if result.rowsAccepted == 0 { throw CLIError("Nothing imported: \(errors) error(s), listed above, and no valid row to import.") }
            throw CLIError("""
                Nothing imported: \(result.rowsRejected) row(s) have errors (listed above). Correct the file, or run again \
                with --accept-valid to import the \(result.rowsAccepted) valid row(s) and leave the rest out.
                """)
        }
        let name = URL(fileURLWithPath: file).lastPathComponent
        let context = ChangeContext(actor: options.actor, source: name, reason: "DfE KS4 \(year) performance tables", at: Date())
        let summary = try await Self.save(result.rows, global: global, context: context, dryRun: options.dryRun)
        print(Self.describe(summary, dryRun: options.dryRun))
        if result.hasErrors {
            throw CLIError("\(result.rowsRejected) row(s) with errors were left out (listed above); the \(result.rowsAccepted) valid row(s) were \(options.dryRun ? "checked" : "imported").")
        }
    }

    /// Saves through ``Store/savePublishedKS4(_:context:dryRun:)`` (a dry run previews: ``withImportStore(_:dryRun:_:)``).
    static func save(_ rows: [PublishedKS4Row], global: GlobalOptions, context: ChangeContext, dryRun: Bool) async throws -> PublishedKS4SaveSummary {
        try await withImportStore(global, dryRun: dryRun) { store in
            try await store.savePublishedKS4(rows, context: context, dryRun: dryRun)
        }
    }

    /// The read: file, rows per record type, each kind's count overall and per column, England.
    static func describe(_ result: KS4PerformanceTableFile.Result, ks4Year: Int, showIssues: Int) -> String {
        let separator = result.separator.map { $0 == "\t" ? "tab" : String($0) } ?? "?"
        var out = "KS4 \(ks4Year) performance table: \(result.encoding.map { "\($0)" } ?? "unreadable"), separator \(separator); "
            + "\(result.rowsRead) rows read, \(result.rowsAccepted) accepted, \(result.rowsRejected) rejected.\n"
        let perType = result.rowsPerRecordType
        out += "\nRows per record type\n" + Terminal.table(
            ["record type", "rows"],
            PublishedKS4Row.RecordType.allCases.map { [$0.description, String(perType[$0] ?? 0)] }) + "\n"
        let kinds = PublishedValue.Kind.allCases
        out += "\nCells per kind (\(result.measureColumns.count) measure columns; a code is never read as zero)\n" + Terminal.table(
            ["kind", "cells", "meaning"],
            kinds.map { [$0.rawValue, String(result.counts[$0] ?? 0), $0.meaning] }) + "\n"
        // Per column: the kinds the file has (every code of the DfE's key is in the table above).
        let present = kinds.filter { (result.counts[$0] ?? 0) > 0 }
        out += "\nPer column\n" + Terminal.table(
            ["column"] + present.map { $0 == .percentage ? "%" : $0.rawValue },
            result.measureColumns.map { column in
                [column] + present.map { String(result.countsByColumn[column]?[$0] ?? 0) }
            }) + "\n"
        out += "\n"
        for type in [PublishedKS4Row.RecordType.englandStateFunded, .englandAllSchools] {
            guard let england = result.rows.first(where: { $0.recordType == type }) else {
                out += "\(type.description): no row in the file.\n"
                continue
            }
            out += "\(england.label), published KS4 \(ks4Year): ATT8SCR \(england["ATT8SCR"]?.display ?? "no column"), "
                + "P8MEA \(england["P8MEA"]?.display ?? "no column")\n"
        }
        if !result.issues.isEmpty {
            out += "\nIssues\n" + ImportIssue.listing(result.issues, limit: showIssues).joined(separator: "\n") + "\n"
        }
        return out
    }

    /// The new / changed / unchanged table of a save (or a dry run), with the changed values.
    static func describe(_ summary: PublishedKS4SaveSummary, dryRun: Bool) -> String {
        func line(_ name: String, _ c: SaveSummary.Counts) -> [String] { [name, String(c.new), String(c.changed), String(c.unchanged)] }
        var out = (dryRun ? "\nDry run — nothing saved. Would save:\n" : "\nSaved:\n") + Terminal.table(
            ["records", "new", "changed", "unchanged"],
            [line("rows (schools, LAs, England)", summary.rows), line("published values", summary.values)]) + "\n"
        out += "\(summary.auditRows) audit row(s) \(dryRun ? "would be " : "")written.\n"
        if !summary.changes.isEmpty {
            out += "Changes:\n" + summary.changes.prefix(50).map { "  \($0)" }.joined(separator: "\n") + "\n"
            if summary.changes.count > 50 { out += "  … \(summary.changes.count - 50) more\n" }
        }
        return out
    }
}

extension ImportDfEPerformance {
    /// Where the DfE tables sit in the source tree; built into the program (``shippedFolder``).
    static let defaultFolder = "data/dfe-ks4-performance-tables-2019"

    /// The shipped DfE tables inside the program's resources, for the demo (issue 12, item 2:
    /// found whatever the working folder); nil only when the resources were not installed.
    static var shippedFolder: URL? { ShippedData.url(defaultFolder) }

    /// Imports every `*.csv` in `folder` (the KS4 year from each file name) into `store`, for the
    /// demo: valid rows only, one transaction per file, re-imports change nothing. Returns the rows
    /// saved per file; empty when the folder does not exist.
    static func importFolder(_ url: URL, into store: Store, actor: String) async throws -> [(file: String, summary: PublishedKS4SaveSummary)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return [] }
        var saved: [(String, PublishedKS4SaveSummary)] = []
        for name in names.filter({ $0.lowercased().hasSuffix(".csv") }).sorted() {
            guard let year = KS4PerformanceTableFile.ks4Year(fromFileName: name) else { continue }
            let result = KS4PerformanceTableFile(ks4Year: year).read(contentsOf: url.appendingPathComponent(name))
            let context = ChangeContext(actor: actor, source: name, reason: "DfE KS4 \(year) performance tables", at: Date())
            saved.append((name, try await store.savePublishedKS4(result.rows, context: context)))
        }
        return saved
    }
}

extension HeadlineReport.NationalContext {
    /// Loads England's published row (state-funded schools, the latest KS4 year stored) and the
    /// school's local authority's row for the same year: the LA given, else the most common LA
    /// number in the pupils' UPNs (``PublishedKS4Row/likelyLocalAuthority(of:)``), labelled as the
    /// guess it is. When a row is missing the context says why (issue 12, item 3): no table
    /// imported, no England row in what was imported, the LA not in it.
    static func load(from store: Store, pupils: [Pupil], localAuthority given: String?) async throws -> HeadlineReport.NationalContext? {
        let years = try await store.publishedKS4Years()
        guard !years.isEmpty else {
            return HeadlineReport.NationalContext(
                england: nil,
                englandNote: "England is not shown: no DfE KS4 performance table has been imported (headway import dfe-performance FILE.csv, e.g. Headway's data/dfe-ks4-performance-tables-2019).")
        }
        let england = try await store.publishedKS4England()
        let chosen = given ?? PublishedKS4Row.likelyLocalAuthority(of: pupils.compactMap(\.upn))
        var la: PublishedKS4Row?
        if let chosen { la = try await store.publishedKS4LocalAuthority(chosen, year: england?.ks4Year) }
        let how = given != nil ? "as given with --la"
            : "the most common LA number in the pupils' UPNs (where most of them started school), so a guess — give --la to set it"
        let note: String? = switch (chosen, la) {
        case (nil, _): "No local authority is shown: the pupils have no UPNs to suggest one, and none was given with --la."
        case (let code?, nil): "No local authority is shown: LA \(code) (\(how)) is not in the stored performance tables."
        case (let code?, _?): "Local authority: LA \(code), \(how)."
        }
        let englandNote = england == nil
            ? "England is not shown: the imported DfE table (KS4 \(years.map(String.init).joined(separator: ", "))) has no England row (RECTYPE 7, state-funded schools)." : nil
        return HeadlineReport.NationalContext(england: england, localAuthority: la, localAuthorityNote: note, englandNote: englandNote)
    }

    /// One line for the terminal: England's published A8 and P8 beside a forecast year group's
    /// (Y11 when there is one), e.g. `National context: England (state-funded schools), published
    /// KS4 2019: A8 46.5, P8 -0.03 · Y11 forecast (GCSEs 2027, from predicted grades): A8 47.83, P8 0.12 (95% CI …)`.
    func line(beside forecasts: [KS4Forecast]) -> String? {
        guard let england else { return nil }
        var text = "National context: \(england.label), published KS4 \(england.ks4Year): "
            + "A8 \(england["ATT8SCR"]?.display ?? "not in the file"), P8 \(england["P8MEA"]?.display ?? "not in the file")"
            + (england["P8MEA"]?.numeric != nil ? england["P8PUP"]?.numeric.map { " (\($0.text) pupils)" } ?? "" : "")
        if let la = localAuthority {
            text += "; \(la.label): A8 \(la["ATT8SCR"]?.display ?? "not in the file"), P8 \(la["P8MEA"]?.display ?? "not in the file")"
        }
        if let f = forecasts.first(where: { $0.yearGroup == 11 }) ?? forecasts.first {
            text += " · Y\(f.yearGroup) forecast (GCSEs \(f.cohortYear), from predicted grades): A8 "
                + (f.cohort.meanAttainment8.map { String(format: "%.2f", $0) } ?? "none") + ", P8 \(f.cohort.school.summary)"
        }
        return text
    }
}
