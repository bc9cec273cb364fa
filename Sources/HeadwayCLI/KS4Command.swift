import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayImport
import HeadwayReports
import HeadwayStore

/// `headway ks4`: Attainment 8, Progress 8, EBacc and basics per pupil out as CSV, and the school
/// summary — from a long results file (the database-free path), or with `--stored` from the exam
/// results in the database (`headway import results`) and the pupils' stored KS2 prior attainment.
/// Both paths build the same ``KS4Pupil`` values and hand them to ``KS4Cohort``: one
/// implementation of the measures.
///
/// Output: the per-pupil CSV (``KS4Cohort/tableHeader``) goes to `--out`, or to standard output;
/// the summary goes to standard output with `--out`, else to standard error (so that piping keeps
/// only the CSV); issues go to standard error. Exit status 1 when any row (or stored result) had an
/// error (nothing is written unless `--accept-valid`, which computes from the valid rows), 2 on misuse.
struct KS4Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ks4",
        abstract: "Compute Attainment 8, Progress 8, EBacc and basics from a long KS4 results file, or from stored exam results (--stored).",
        discussion: """
            The file has one row per pupil and qualification, with the columns pupil, subject (e.g. \
            english_language, maths, combined_science, history, french, art) or qualification_number (a DfE \
            QN), grade (9-1, U, combined science 6-5, X for absent), ks2_reading and ks2_maths. Every bad row \
            is listed with file, line, column, value and reason; the exit status is then 1.
            Progress 8 is measured against the chosen estimates table, named with its year on every figure; \
            for cohorts the DfE publishes no Progress 8 for (2020, 2021, 2025, 2026: see --ks4-year) it is \
            labelled an estimate. The 95% interval uses the national SD of pupil P8 solved from the 2019 \
            performance tables (1.2827). See docs/attainment-8.md and docs/progress-8.md.
            Output columns, one row per pupil: pupil, ks2_reading, ks2_maths, a8 (Attainment 8), english_elem, \
            maths_elem, ebacc_elem, open_elem (its elements), p8_2dp (Progress 8 to 2 dp), p8_english, p8_maths, \
            p8_ebacc, p8_open (its elements), ebacc_entered (1/0), ebacc_aps, basics_4 and basics_5 (grade 4+ / 5+ \
            in English and maths, 1/0); P8 cells are blank for a pupil without KS2. With --detail also: ks2_avg, \
            pag (prior attainment group), english_double_weighted, ebacc_slots, open_slots, a8_estimate and \
            est_english … est_open (the national estimates), p8_exact (unrounded), estimate_table, and each slot's \
            content english_1 … open_3 ("label grade (points)").
            With --stored instead of a file: the exam results imported with `headway import results` (one \
            academic year's series, the latest unless --year or --series says otherwise) and each pupil's stored KS2 \
            scores; QN results take their points, EBacc pillar and discount code from the DfE lists.
            """)

    @Argument(help: ArgumentHelp("The results CSV (or give --stored).", valueName: "file"))
    var file: String?

    @Flag(help: "Compute from the exam results stored in the database (headway import results) instead of a file.")
    var stored = false

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "With --stored: the school id (needed only when the database holds more than one school).")
    var school: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --stored: the academic year the results were issued in, e.g. 2025/26 for results day 2026-08-20 (default: the latest with results).",
        valueName: "year"))
    var year: String?

    @Option(name: .long, help: ArgumentHelp("With --stored: only the series with this date (2026-08-20) or name (June 2026).", valueName: "series"))
    var series: String?

    @Option(help: ArgumentHelp("KS4 year of the A8 estimates table to measure P8 against (default: the latest, \(KS4Command.latestTable.ks4Year)).",
                               valueName: "year"))
    var estimates: Int?

    @Option(name: .customLong("estimates-file"), help: ArgumentHelp(
        "An A8 estimates table to load (CSV as shared/reference/a8-estimates-2023-ks4.csv); --estimates then gives its KS4 year.",
        valueName: "file"))
    var estimatesFile: String?

    @Option(help: ArgumentHelp("Write the per-pupil CSV here instead of standard output.", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Folder of the DfE KS4 qualification lists, for rows with a qualification_number (default: the lists built into Headway, \(KS4QualificationTable.defaultFolder) in its sources).",
                               valueName: "folder"))
    var qualifications: String?

    @Option(name: .customLong("ks4-year"), help: ArgumentHelp(
        "KS4 year of the cohort (summer of its exams), to label P8 as an estimate where the DfE publishes none.", valueName: "year"))
    var ks4Year: Int?

    @Option(help: "Show at most this many issues (0 = all).")
    var showIssues = 30

    @Flag(help: "Write every column: KS2 average, prior attainment group, the A8 estimates, unrounded P8, the estimates table, and each A8 slot's content (39 columns; see above).")
    var detail = false

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
        if (file == nil) == !stored {
            throw ValidationError(stored ? "Give either a results file or --stored, not both." : "Give a results file, or --stored to use the exam results in the database.")
        }
        if !stored, school != nil || year != nil || series != nil {
            throw ValidationError("--school, --year and --series choose stored results: use them with --stored.")
        }
        if let year, AcademicYear(parsing: year) == nil {
            throw ValidationError("'\(year)' is not an academic year: write it as 2025/26.")
        }
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
        let lists = try KS4Command.qualificationLists(qualifications)
        if let file {
            try computeFromFile(file, table: table, lists: lists)
        } else {
            try await computeFromStore(table: table, lists: lists)
        }
    }

    /// The DfE qualification lists: required when a folder is named, read from the default place
    /// when it exists, else none (a row with a QN then needs a subject).
    static func qualificationLists(_ folder: String?) throws -> KS4QualificationTable? {
        // Issue 12, item 2: the shipped lists are inside the program, whatever the working folder.
        guard let url = folder.map({ URL(fileURLWithPath: $0) }) ?? KS4QualificationTable.shippedFolder else { return nil }
        do {
            return try KS4QualificationTable.read(folder: url)
        } catch {
            throw CLIError(error.description)
        }
    }

    /// Prints the issues, at most `--show-issues` of them, to standard error.
    private func show(_ issues: [ImportIssue]) {
        for line in ImportIssue.listing(issues, limit: showIssues) { Terminal.error(String(line.dropFirst(2))) }
    }

    /// The columns written: the essential ones, or all with `--detail`.
    private var columns: [KS4Cohort.Column] { detail ? KS4Cohort.Column.allCases : KS4Cohort.Column.essential }

    /// The per-pupil CSV (`tables`: its rows, without header, in order) to `--out` or standard output, and
    /// the summary, as the type describes. A file gets a byte-order mark (for Excel), standard
    /// output none (issue 12, item 4).
    private func write(_ tables: [CSVWriter], pupils: Int, summary: [String]) throws {
        var header = CSVWriter(byteOrderMark: out != nil)
        header.write(columns.map(\.rawValue))
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil), let handle = FileHandle(forWritingAtPath: out) else {
                throw CLIError("Cannot write \(out): the folder does not exist or is not writable.")
            }
            do {
                try handle.write(contentsOf: header.bytes)
                for table in tables { try handle.write(contentsOf: table.bytes) }
                try handle.close()
            } catch {
                throw CLIError("Cannot write \(out): \(error.localizedDescription)")
            }
            print(summary.joined(separator: "\n"))
            print("Wrote \(pupils) pupil(s) to \(out)")
        } else {
            FileHandle.standardOutput.write(Data(header.bytes))
            for table in tables { FileHandle.standardOutput.write(Data(table.bytes)) }
            for line in summary { Terminal.error(line) }
        }
    }

    /// Computes each pupil's measures as the reader hands the pupil on, adds them to the cohort's
    /// summary and writes the pupil's row: nothing per pupil is held but the row's bytes
    /// (issue 13, items 2–4).
    struct TableSink: KS4PupilSink {
        let estimates: AttainmentEstimates
        let columns: [KS4Cohort.Column]
        var summary: KS4Cohort.Summary
        /// The rows, in order: one buffer for each sink appended, written out one after another
        /// (copying a national cohort's rows into one buffer was a serial step of its own).
        var tables = [CSVWriter()]

        mutating func add(_ pupil: KS4Pupil) {
            let measures = KS4Cohort.PupilMeasures(pupil, estimates: estimates)
            summary.add(measures)
            KS4Cohort.write(measures, basis: summary.basis, columns: columns, to: &tables[tables.count - 1])
            tables[tables.count - 1].endRow()
        }

        mutating func append(_ later: TableSink) {
            summary.add(later.summary)
            tables += later.tables
        }
    }

    private func computeFromFile(_ file: String, table: AttainmentEstimates, lists: KS4QualificationTable?) throws {
        let reader = KS4ResultsFile(qualifications: lists, ks4Year: ks4Year ?? table.ks4Year)
        let url = URL(fileURLWithPath: file)
        let contents: Data
        switch ImportFile.contents(of: url) {
        case .success(let data): contents = data
        case .failure(let issue):
            show([issue])
            throw CLIError("Nothing computed: \(file) could not be read (see above).")
        }
        let basis = ProgressBasis(estimates: table, cohortYear: ks4Year)
        let columns = columns
        let (result, sink) = reader.read(name: url.relativePath, contents: contents, chunks: ProcessInfo.processInfo.activeProcessorCount) {
            TableSink(estimates: table, columns: columns, summary: KS4Cohort.Summary(basis: basis))
        }
        show(result.issues)
        if sink.summary.count == 0 {
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

        var summary = sink.summary.lines
        summary.insert("\(file): \(result.rowsRead) row(s), \(result.rowsAccepted) accepted, \(result.rowsRejected) rejected", at: 0)
        if !result.openElementOnly.isEmpty {
            summary.append("Counted in the open element only (not subjects Headway knows as English, maths or EBacc): "
                + result.openElementOnly.map { "\($0.key) (\($0.rows) row\($0.rows == 1 ? "" : "s"))" }.joined(separator: ", "))
        }
        try write(sink.tables, pupils: sink.summary.count, summary: summary)
        if result.hasErrors {
            let names = result.pupilsWithRejectedRows.sorted()
            Terminal.error("\(result.rowsRejected) row(s) rejected (listed above): the figures leave them out. Pupils missing a result: "
                + names.prefix(20).joined(separator: ", ") + (names.count > 20 ? " and \(names.count - 20) more" : ""))
            throw ExitCode(1)
        }
    }

    /// `--stored`: one academic year's stored exam results (narrowed to `--series`), each pupil's
    /// stored KS2, and the same ``KS4Cohort`` as the file path. The cohort is every pupil with a
    /// result in that selection; the KS4 year (for the estimate label and the EBacc lists) is the
    /// summer ending that academic year unless `--ks4-year` says otherwise.
    private func computeFromStore(table: AttainmentEstimates, lists: KS4QualificationTable?) async throws {
        let (schoolID, academicYear, results, prior) = try await withStore(global) { store in
            let schoolID = try await selectSchool(school, in: store)
            let all = try await store.examResults(school: schoolID)
            guard !all.isEmpty else {
                throw CLIError("School \(schoolID) has no stored exam results: import them first with `headway import results FILE.csv`.")
            }
            func seriesList(_ results: [ExamResult]) -> String {
                var seen: [CalendarDate: String?] = [:]
                for r in results where seen[r.series] == nil { seen[r.series] = r.seriesName }
                return seen.sorted { $0.key < $1.key }.map { date, name in name.map { "\(date) (\($0))" } ?? "\(date)" }.joined(separator: ", ")
            }
            var selected = all
            if let series {
                let text = series.trimmingCharacters(in: .whitespaces)
                if let date = CalendarDate(parsing: text) {
                    selected = selected.filter { $0.series == date }
                } else {
                    selected = selected.filter { $0.seriesName?.lowercased() == text.lowercased() }
                }
                guard !selected.isEmpty else {
                    throw CLIError("School \(schoolID) has no stored exam results in the series \(series); its series are: \(seriesList(all)).")
                }
            }
            let academicYear = year.flatMap(AcademicYear.init(parsing:)) ?? AcademicYear(containing: selected.map(\.series).max()!)
            selected = selected.filter { AcademicYear(containing: $0.series) == academicYear }
            guard !selected.isEmpty else {
                throw CLIError("School \(schoolID) has no stored exam results issued in \(academicYear)\(series.map { " in the series \($0)" } ?? ""); its series are: \(seriesList(all)).")
            }
            return (schoolID, academicYear, selected, try await store.priorAttainment(school: schoolID))
        }

        let cohortYear = ks4Year ?? academicYear.startYear + 1
        let input = ExamResultsFile.ks4Pupils(from: results, prior: prior, qualifications: lists, ks4Year: cohortYear)
        show(input.issues)
        if input.pupils.isEmpty {
            throw CLIError("Nothing computed: all \(results.count) stored result(s) were rejected (see above).")
        }
        if input.hasErrors && !acceptValid {
            throw CLIError("\(input.resultsRejected) stored result(s) could not be read (listed above): nothing computed, because the figures of "
                + "\(input.pupilsWithRejectedResults.count) pupil(s) would silently leave those results out. Check --qualifications, or pass "
                + "--accept-valid to compute from the others.")
        }

        let cohort = KS4Cohort(input.pupils, estimates: table, cohortYear: cohortYear)
        var rows = CSVWriter()
        for row in cohort.tableRows(columns) { rows.write(row) }
        var summary = cohort.summaryLines
        let seriesDates = Set(results.map(\.series)).sorted().map(\.description).joined(separator: ", ")
        summary.insert("Stored exam results of school \(schoolID), \(academicYear) (series \(seriesDates)): \(results.count) result(s), "
            + "\(input.resultsUsed) used, \(input.resultsRejected) rejected; KS4 \(cohortYear)", at: 0)
        try write([rows], pupils: cohort.pupils.count, summary: summary)
        if input.hasErrors {
            let names = input.pupilsWithRejectedResults.map(\.rawValue).sorted()
            Terminal.error("\(input.resultsRejected) stored result(s) left out (listed above). Pupils missing a result: "
                + names.prefix(20).joined(separator: ", ") + (names.count > 20 ? " and \(names.count - 20) more" : ""))
            throw ExitCode(1)
        }
    }
}
