import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayImport
import HeadwayReports

/// `headway ks4`: the database-free path — a long results file in, Attainment 8, Progress 8,
/// EBacc and basics per pupil out as CSV, and the school summary.
///
/// Output: the per-pupil CSV (``KS4Cohort/tableHeader``) goes to `--out`, or to standard output;
/// the summary goes to standard output with `--out`, else to standard error (so that piping keeps
/// only the CSV); issues go to standard error. Exit status 1 when any row had an error (nothing is
/// written unless `--accept-valid`, which computes from the valid rows), 2 on misuse.
struct KS4Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ks4",
        abstract: "Compute Attainment 8, Progress 8, EBacc and basics from a long KS4 results file, without a database.",
        discussion: """
            The file has one row per pupil and qualification, with the columns pupil, subject (e.g. \
            english_language, maths, combined_science, history, french, art) or qualification_number (a DfE \
            QN), grade (9-1, U, combined science 6-5, X for absent), ks2_reading and ks2_maths. Every bad row \
            is listed with file, line, column, value and reason; the exit status is then 1.
            Progress 8 is measured against the chosen estimates table, named with its year on every figure; \
            for cohorts the DfE publishes no Progress 8 for (2020, 2021, 2025, 2026: see --ks4-year) it is \
            labelled an estimate. The 95% interval uses the national SD of pupil P8 solved from the 2019 \
            performance tables (1.2827). See docs/attainment-8.md and docs/progress-8.md.
            """)

    @Argument(help: ArgumentHelp("The results CSV.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("KS4 year of the A8 estimates table to measure P8 against (default: the latest, \(KS4Command.latestTable.ks4Year)).",
                               valueName: "year"))
    var estimates: Int?

    @Option(name: .customLong("estimates-file"), help: ArgumentHelp(
        "An A8 estimates table to load (CSV as shared/reference/a8-estimates-2023-ks4.csv); --estimates then gives its KS4 year.",
        valueName: "file"))
    var estimatesFile: String?

    @Option(help: ArgumentHelp("Write the per-pupil CSV here instead of standard output.", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Folder of the DfE KS4 qualification lists, for rows with a qualification_number (default: \(KS4QualificationTable.defaultFolder)).",
                               valueName: "folder"))
    var qualifications: String?

    @Option(name: .customLong("ks4-year"), help: ArgumentHelp(
        "KS4 year of the cohort (summer of its exams), to label P8 as an estimate where the DfE publishes none.", valueName: "year"))
    var ks4Year: Int?

    @Option(help: "Show at most this many issues (0 = all).")
    var showIssues = 30

    @Flag(name: .customLong("accept-valid"), help: ArgumentHelp(
        "When rows are rejected, still compute from the rows that are valid (the pupils who lost a row are named). Without it nothing is written."))
    var acceptValid = false

    /// Tables `--estimates` may choose: those by KS2 scaled score (the results file's KS2 columns
    /// are scaled scores), newest first.
    static var scaledScoreTables: [AttainmentEstimates] {
        AttainmentEstimates.builtIn.filter { $0.basis == .scaledScore }.sorted { $0.ks4Year > $1.ks4Year }
    }

    static var latestTable: AttainmentEstimates { scaledScoreTables.first ?? .ks4_2023 }

    func validate() throws {
        if estimatesFile != nil && estimates == nil {
            throw ValidationError("--estimates-file needs --estimates YEAR: the KS4 year the table describes.")
        }
        if estimatesFile == nil, let estimates, !KS4Command.scaledScoreTables.contains(where: { $0.ks4Year == estimates }) {
            let others = AttainmentEstimates.builtIn.filter { $0.ks4Year == estimates }
            let why = others.isEmpty ? "Headway holds no estimates table for KS4 \(estimates)"
                : "the KS4 \(estimates) table Headway holds is by KS2 fine level, and the results file gives KS2 scaled scores"
            throw ValidationError("--estimates \(estimates): \(why). Choose one of: \(KS4Command.scaledScoreTables.map { String($0.ks4Year) }.joined(separator: ", ")).")
        }
        if let ks4Year, !(2000...2100).contains(ks4Year) {
            throw ValidationError("--ks4-year \(ks4Year) is not a year: give the summer of the cohort's exams, e.g. 2025.")
        }
    }

    func run() async throws {
        var table = estimates.flatMap { year in KS4Command.scaledScoreTables.first { $0.ks4Year == year } } ?? KS4Command.latestTable
        if let estimatesFile, let year = estimates {
            let loaded = AttainmentEstimatesFile.read(contentsOf: URL(fileURLWithPath: estimatesFile), ks4Year: year,
                                                      name: "KS4 \(year) A8 estimates (\(URL(fileURLWithPath: estimatesFile).lastPathComponent))")
            guard let loadedTable = loaded.table else {
                for issue in loaded.issues { FileHandle.standardError.write(Data((issue.description + "\n").utf8)) }
                throw ExitCode(1)
            }
            table = loadedTable
        }

        // The DfE lists: required when named, optional at the default place.
        var lists: KS4QualificationTable? = nil
        let folder = qualifications ?? KS4QualificationTable.defaultFolder
        if qualifications != nil || FileManager.default.fileExists(atPath: folder) {
            do {
                lists = try KS4QualificationTable.read(folder: URL(fileURLWithPath: folder))
            } catch {
                throw CLIError(error.description)
            }
        }

        let reader = KS4ResultsFile(qualifications: lists, ks4Year: ks4Year ?? table.ks4Year)
        let result = reader.read(contentsOf: URL(fileURLWithPath: file))
        let shown = showIssues > 0 ? Array(result.issues.prefix(showIssues)) : result.issues
        for issue in shown { Terminal.error(issue.description) }
        if shown.count < result.issues.count {
            Terminal.error("… \(result.issues.count - shown.count) more issue(s): use --show-issues 0 to see all")
        }
        if result.pupils.isEmpty {
            if result.encoding == nil { throw CLIError("Nothing computed: \(file) could not be read (see above).") }
            throw CLIError(result.rowsRead == 0
                ? "Nothing computed: \(file) has no result rows."
                : "Nothing computed: all \(result.rowsRead) row(s) of \(file) were rejected (see above).")
        }

        if result.hasErrors && !acceptValid {
            throw CLIError("\(result.rowsRejected) row(s) of \(file) rejected (listed above): nothing computed, because the figures of "
                + "\(result.pupilsWithRejectedRows.count) pupil(s) would silently leave those results out. Fix the rows, or pass --accept-valid "
                + "to compute from the valid rows.")
        }

        let cohort = KS4Cohort(result.pupils, estimates: table, cohortYear: ks4Year)
        let csv = CSVTable(name: "ks4", header: KS4Cohort.tableHeader, rows: cohort.tableRows).text
        var summary = cohort.summaryLines
        summary.insert("\(file): \(result.rowsRead) row(s), \(result.rowsAccepted) accepted, \(result.rowsRejected) rejected", at: 0)
        if !result.openElementOnly.isEmpty {
            summary.append("Counted in the open element only (not subjects Headway knows as English, maths or EBacc): "
                + result.openElementOnly.map { "\($0.key) (\($0.rows) row\($0.rows == 1 ? "" : "s"))" }.joined(separator: ", "))
        }
        if let out {
            do {
                try Data(csv.utf8).write(to: URL(fileURLWithPath: out))
            } catch {
                throw CLIError("Cannot write \(out): \(error.localizedDescription)")
            }
            print(summary.joined(separator: "\n"))
            print("Wrote \(cohort.pupils.count) pupil(s) to \(out)")
        } else {
            FileHandle.standardOutput.write(Data(csv.utf8))
            for line in summary { Terminal.error(line) }
        }
        if result.hasErrors {
            let names = result.pupilsWithRejectedRows.sorted()
            Terminal.error("\(result.rowsRejected) row(s) rejected (listed above): the figures leave them out. Pupils missing a result: "
                + names.prefix(20).joined(separator: ", ") + (names.count > 20 ? " and \(names.count - 20) more" : ""))
            throw ExitCode(1)
        }
    }
}
