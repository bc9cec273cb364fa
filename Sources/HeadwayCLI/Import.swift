import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayImport
import HeadwayStore

/// `headway import`: the importers, one subcommand per kind of file. `headway import --mapping M
/// FILE…` (no subcommand) is `headway import csv`.
///
/// Every importer follows the same rules (issue 4, item 6): `--dry-run` previews with the code
/// that commits; re-importing a file changes nothing; a value absent from the file never erases a
/// stored one; duplicates in one file are rejected naming both lines; identifiers stay text; one
/// transaction per run.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import data: CSV exports through a mapping (the default), and other formats by subcommand.",
        subcommands: [ImportCSV.self],
        defaultSubcommand: ImportCSV.self)
}

/// `headway import csv`: reads CSV exports through a saved column mapping and saves them.
struct ImportCSV: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Import CSV exports (MIS, spreadsheets, markbooks) through a saved column mapping.",
        discussion: """
            The mapping (TOML) says which column holds what; see examples/uci-portuguese/mapping.toml.
            Every bad row is listed with file, line, column, value and reason. If any row has an error,
            nothing is imported unless --accept-valid is given; either way nothing is half-written.
            Re-importing the same file changes nothing, and a blank cell never erases a stored value.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The column mapping (TOML).", valueName: "mapping.toml"))
    var mapping: String

    @Flag(help: "Import the valid rows even when other rows have errors.")
    var acceptValid = false

    @Flag(help: "Show what would be created and changed, and save nothing.")
    var dryRun = false

    @Option(help: "Who is importing, for the audit log.")
    var actor = "data manager"

    @Option(help: "Show at most this many issues (0 = all).")
    var showIssues = 30

    @Argument(help: ArgumentHelp("CSV files to import.", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one CSV file to import.") }
    }

    func run() async throws {
        let columnMapping: ColumnMapping
        guard FileManager.default.fileExists(atPath: mapping) else { throw ValidationError("There is no mapping file at \(mapping).") }
        do {
            columnMapping = try ColumnMapping(contentsOf: URL(fileURLWithPath: mapping))
        } catch {
            throw CLIError(error.description)
        }
        let progress = Terminal.Progress("Reading \(files.count) file(s)")
        let start = ContinuousClock.now
        let result = CSVImporter(mapping: columnMapping).read(contentsOf: files.map { URL(fileURLWithPath: $0) })
        progress.finish("\(result.rowsRead) rows in \(Terminal.seconds(since: start))")
        print(ImportCSV.describe(result, showIssues: showIssues))

        if result.hasErrors && !acceptValid {
            if result.rowsAccepted == 0 {
                throw CLIError("Nothing imported: \(result.errors.count) error(s), listed above, and no valid row to import.")
            }
            throw CLIError("""
                Nothing imported: \(result.rowsRejected) row(s) have errors (listed above). Correct the file(s), or run again \
                with --accept-valid to import the \(result.rowsAccepted) valid row(s) and leave the rest out.
                """)
        }
        let context = ChangeContext(actor: actor, source: files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "),
                                    reason: "import with \(URL(fileURLWithPath: mapping).lastPathComponent)", at: Date())
        let summary = try await saveImported(result.year, global: global, context: context, dryRun: dryRun)
        print(describeSave(summary, dryRun: dryRun))
        if result.hasErrors {
            throw CLIError("\(result.rowsRejected) row(s) with errors were left out (listed above); the \(result.rowsAccepted) valid row(s) were \(dryRun ? "checked" : "imported").")
        }
    }

    static func describe(_ result: ImportResult, showIssues: Int) -> String {
        var out = "Files\n" + Terminal.table(
            ["file", "encoding", "separator", "rows", "accepted", "rejected", "pupils"],
            result.files.map {
                [$0.name, $0.encoding.map { "\($0)" } ?? "unreadable", $0.separator.map { $0 == "\t" ? "tab" : String($0) } ?? "",
                 String($0.rowsRead), String($0.rowsAccepted), String($0.rowsRejected), String($0.pupils)]
            }) + "\n"
        let year = result.year
        let pupilsPerSubject = Dictionary(grouping: year.assessments, by: \.subject).mapValues { Set($0.map(\.pupil)).count }
        out += "\nPupils per subject\n" + Terminal.table(
            ["subject", "pupils"],
            year.subjects.map { ["\($0.name) (\($0.id))", String(pupilsPerSubject[$0.id] ?? 0)] }) + "\n"
        out += "\n\(year.pupils.count) pupils in all; \(result.pupilsMatchedAcrossFiles) recognised as the same pupil in more than one file.\n"
        out += "\(result.rowsAccepted) of \(result.rowsRead) rows accepted; \(result.errors.count) error(s), \(result.warnings.count) warning(s).\n"
        if !result.issues.isEmpty {
            let shown = showIssues > 0 ? Array((result.errors + result.warnings).prefix(showIssues)) : result.errors + result.warnings
            out += "\nIssues\n" + shown.map { "  \($0)" }.joined(separator: "\n") + "\n"
            if shown.count < result.issues.count { out += "  … \(result.issues.count - shown.count) more (use --show-issues 0)\n" }
        }
        return out
    }
}
