import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayImport
import HeadwayStore

/// `headway import results`: exam results (pupil, QN or subject, grade, series date) into the
/// store, for Attainment 8 / Progress 8 from what pupils were awarded (`headway ks4 --stored`).
///
/// The importer rules of issue 4 hold: the dry run is the same save rolled back; re-importing
/// changes nothing; a blank never erases; duplicates (pupil × QN or subject × series) are rejected
/// naming both lines; identifiers stay text; one transaction; nothing is saved when a row has an
/// error unless `--accept-valid`. Exit status 1 when any row had an error (even with
/// `--accept-valid`, which saves the valid rows), 2 on misuse.
struct ImportResults: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Import exam results (pupil, qualification number or subject, grade, date) for the school's pupils.",
        discussion: """
            The CSV has the columns upn or pupil (the school's pupil id), qualification_number (a DfE QN, e.g. \
            60146084) and/or subject (english_language, maths, combined_science, history, french, art …), grade as \
            awarded (9-1, U, 6-5, X, or any grade of the QN such as L2 Distinction*), date (the series: results day, \
            YYYY-MM-DD or DD/MM/YYYY), and optionally candidate_number, series, subject_name, awarding_body. Pupils \
            must be stored already (headway import, or headway demo). QN grades are checked against the DfE KS4 \
            qualification lists. Every bad row is listed with file, line, column, value and reason; if any row has an \
            error, nothing is imported unless --accept-valid is given. Re-importing the same file changes nothing. \
            Then: headway ks4 --stored. See docs/attainment-8.md.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: ImportOptions

    @Option(name: .long, help: "School id (needed only when the database holds more than one school).")
    var school: String?

    @Option(name: .long, help: ArgumentHelp(
        "Match pupils against those on roll in this academic year, e.g. 2025/26 (default: every pupil the school has).", valueName: "year"))
    var year: String?

    @Option(help: ArgumentHelp("Folder of the DfE KS4 qualification lists, for rows with a qualification_number (default: the lists built into Headway, \(KS4QualificationTable.defaultFolder) in its sources).",
                               valueName: "folder"))
    var qualifications: String?

    @Option(name: .customLong("ks4-year"), help: ArgumentHelp("KS4 year of the results (summer of the exams), for advice on legacy letter grades.",
                                                              valueName: "year"))
    var ks4Year: Int?

    @Argument(help: ArgumentHelp("The exam results CSV.", valueName: "file"))
    var file: String

    func validate() throws {
        try requireFiles([file])
        if let year, AcademicYear(parsing: year) == nil {
            throw ValidationError("'\(year)' is not an academic year: write it as 2025/26.")
        }
        if let ks4Year, !(2000...2100).contains(ks4Year) {
            throw ValidationError("--ks4-year \(ks4Year) is not a year: give the summer of the exams, e.g. 2026.")
        }
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("There is no results file at \(file).") }
        let lists = try KS4Command.qualificationLists(qualifications)
        try await withStore(global) { store in
            let schoolID = try await selectSchool(school, in: store)
            let known: ExamResultsFile.KnownPupils
            if let year {
                let academicYear = AcademicYear(parsing: year)!
                guard try await store.academicYears(of: schoolID).contains(academicYear) else {
                    throw CLIError("School \(schoolID) has no pupils on roll in \(academicYear): leave out --year to match every pupil it has.")
                }
                known = ExamResultsFile.KnownPupils(pupils: try await store.load(school: schoolID, year: academicYear).pupils)
            } else {
                known = ExamResultsFile.KnownPupils(try await store.pupilIdentities(school: schoolID))
            }
            let result = ExamResultsFile(pupils: known, qualifications: lists, ks4Year: ks4Year).read(contentsOf: URL(fileURLWithPath: file))
            print(ImportResults.describe(result, file: file, knownPupils: known.count, showIssues: options.showIssues))

            if result.hasErrors && !options.acceptValid {
                if result.rowsAccepted == 0 {
                    throw CLIError("Nothing imported: \(result.errors.count) error(s), listed above, and no valid row to import.")
                }
                throw CLIError("""
                    Nothing imported: \(result.rowsRejected) row(s) have errors (listed above). Correct the file, or run again \
                    with --accept-valid to import the \(result.rowsAccepted) valid row(s) and leave the rest out.
                    """)
            }
            let context = ChangeContext(actor: options.actor, source: URL(fileURLWithPath: file).lastPathComponent, reason: "exam results import", at: Date())
            let summary = try await store.save(examResults: result.results, school: schoolID, context: context, dryRun: options.dryRun)
            print(ImportResults.describe(summary, dryRun: options.dryRun))
            if result.hasErrors {
                throw CLIError("\(result.rowsRejected) row(s) with errors were left out (listed above); the \(result.rowsAccepted) valid row(s) were \(options.dryRun ? "checked" : "imported").")
            }
        }
    }

    /// What was read: the file, results per qualification or subject, and the issues.
    static func describe(_ result: ExamResultsFile.Result, file: String, knownPupils: Int, showIssues: Int) -> String {
        var out = "\(file): \(result.encoding.map { "\($0)" } ?? "unreadable"), "
            + "\(result.rowsRead) row(s), \(result.rowsAccepted) accepted, \(result.rowsRejected) rejected; "
            + "\(Set(result.results.map(\.pupil)).count) of \(knownPupils) known pupil(s) have results.\n"
        if !result.perQualification.isEmpty {
            out += "\nResults per qualification or subject\n" + Terminal.table(
                ["qualification", "name", "results"],
                result.perQualification.map { [$0.key, $0.name, String($0.results)] }) + "\n"
        }
        out += "\(result.errors.count) error(s), \(result.warnings.count) warning(s).\n"
        if !result.issues.isEmpty {
            out += "\nIssues\n" + ImportIssue.listing(result.issues, limit: showIssues).joined(separator: "\n") + "\n"
        }
        return out
    }

    /// The new / changed / unchanged line of a save (or dry run), with the changed values.
    static func describe(_ summary: ExamResultsSaveSummary, dryRun: Bool) -> String {
        let c = summary.results
        var out = (dryRun ? "\nDry run — nothing saved. Would save:\n" : "\nSaved:\n") + Terminal.table(
            ["records", "new", "changed", "unchanged"], [["exam results", String(c.new), String(c.changed), String(c.unchanged)]]) + "\n"
        out += "\(summary.auditRows) audit row(s) \(dryRun ? "would be " : "")written.\n"
        if !summary.changes.isEmpty {
            out += "Changes:\n" + summary.changes.prefix(50).map { "  \($0)" }.joined(separator: "\n") + "\n"
            if summary.changes.count > 50 { out += "  … \(summary.changes.count - 50) more\n" }
        }
        return out
    }
}

/// The school a command works on: the one given (which must be stored), else the only one.
func selectSchool(_ given: String?, in store: Store) async throws -> School.ID {
    let schools = try await store.schools()
    if let given {
        guard schools.contains(where: { $0.id.rawValue == given }) else {
            throw ValidationError("School '\(given)' is not in \(store.location). Schools there: \(schools.map(\.id.rawValue).joined(separator: ", ")).")
        }
        return School.ID(given)
    }
    if schools.count == 1 { return schools[0].id }
    if schools.isEmpty { throw CLIError("\(store.location) holds no school yet: run `headway import` (or `headway demo`) first.") }
    throw ValidationError("This database holds several schools; choose one with --school (\(schools.map(\.id.rawValue).joined(separator: ", "))).")
}
