import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayImport
import HeadwayReports
import HeadwayStore

/// `headway markbook`: one CSV per class for teachers to fill in, and the import that reads them
/// back within the collection's window (issue 5, items 2 and 3; docs/markbooks.md).
struct MarkbookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "markbook",
        abstract: "Export a collection's markbooks (one CSV per class) for teachers to fill, and import them back.",
        subcommands: [Export.self, ImportFiles.self])

    /// `headway markbook export`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one CSV per class for a collection, with a README.txt for teachers.",
            discussion: """
                Each file lists the class's pupils (by surname) with the previous collection's working-at grade and the \
                target (read only), and the columns working_at, predicted and atl to fill, pre-filled with anything \
                already stored, so re-importing an untouched file changes nothing. Files go to OUT/COLLECTION/, or with \
                --per-teacher to OUT/COLLECTION/TEACHER/ (a class with two teachers is in both folders).
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions

        @Option(help: ArgumentHelp("The collection's code, e.g. DC2.", valueName: "code"))
        var collection: String

        @Flag(help: "Put each teacher's classes in a folder named by the teacher's code.")
        var perTeacher = false

        @Option(help: ArgumentHelp("Folder to write into (created if needed; files of the same name are replaced).", valueName: "folder"))
        var out = "markbooks"

        func run() async throws {
            let year = try await loadYear(global, schoolOptions)
            let chosen = try requireCollection(collection, in: year)
            let books: [Markbook]
            do { books = try Markbook.all(for: year, collection: chosen.id) } catch { throw CLIError(error.message) }
            let files = Markbook.files(books, in: year, collection: chosen, perTeacher: perTeacher)
            let folder = URL(fileURLWithPath: out)
            for file in files {
                let url = folder.appendingPathComponent(file.name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
            }
            let pupils = books.reduce(0) { $0 + $1.rows.count }
            print("Wrote \(files.count - 1) markbook(s) for \(chosen.name) (\(chosen.id)), \(books.count) class(es) and \(pupils) pupil rows, "
                  + "to \(folder.appendingPathComponent(Markbook.safeName(chosen.id.rawValue)).path)/; README.txt there explains the columns.")
            if books.isEmpty { print("No class of the year groups \(chosen.yearGroups.map(String.init).joined(separator: ", ")) has pupils on roll.") }
        }
    }

    /// `headway markbook import`.
    struct ImportFiles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import filled markbooks: every cell checked against the subject's scale and the collection's window.",
            discussion: """
                Rows are matched by pupil (pupil_id, else UPN), subject and collection. A blank cell never erases a stored \
                value; X (not assessed) and Z (not required) are recorded as such; a pupil twice in one file is rejected \
                naming both lines; read-only columns are ignored (a change is a warning). Windows, per year group: before \
                the collection opens → refused; after the deadline → accepted and marked late; after the lock → refused \
                unless a data manager gives --override-by CODE --reason "…" (audited). Only cells that change something \
                are checked against the window. If anything is refused or invalid nothing is imported, unless \
                --accept-valid is given. Every value saved has an audit row naming FILE:LINE.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ImportOptions
        @OptionGroup var schoolOptions: SchoolOptions

        @Option(help: ArgumentHelp("The collection's code, e.g. DC2.", valueName: "code"))
        var collection: String

        @Option(help: ArgumentHelp("Check the window as on this date instead of today; a data manager's choice (needs --date-set-by).",
                                   valueName: "YYYY-MM-DD"))
        var today: String?

        @Option(name: .customLong("date-set-by"), help: ArgumentHelp(
            "The data manager's staff code who sets --today; the date and who set it are kept in the audit log.", valueName: "staff-code"))
        var dateSetBy: String?

        @Option(name: .customLong("override-by"), help: ArgumentHelp(
            "A data manager's staff code: accept entries after the lock date (needs --reason).", valueName: "staff-code"))
        var overrideBy: String?

        @Option(help: ArgumentHelp("Why data is entered after the lock; kept in the audit log.", valueName: "text"))
        var reason: String?

        @Argument(help: ArgumentHelp("Markbook CSV files.", valueName: "file"))
        var files: [String] = []

        func validate() throws {
            if files.isEmpty { throw ValidationError("Give at least one markbook file to import.") }
            try requireFiles(files)
            if let today, CalendarDate(parsing: today) == nil { throw ValidationError("'\(today)' is not a date: write it as YYYY-MM-DD.") }
            if overrideBy != nil, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--override-by needs --reason \"…\": the reason is kept in the audit log.")
            }
            if overrideBy == nil, reason != nil { throw ValidationError("--reason goes with --override-by STAFFCODE (a data manager).") }
            if today != nil, dateSetBy == nil {
                throw ValidationError("--today moves the entry window, so only a data manager may set it: add --date-set-by STAFFCODE (kept in the audit log).")
            }
            if today == nil, dateSetBy != nil { throw ValidationError("--date-set-by goes with --today YYYY-MM-DD.") }
        }

        func run() async throws {
            let date = today.flatMap(CalendarDate.init(parsing:)) ?? MarkbookCommand.today()
            try await withStore(global) { store in
                let (school, academicYear) = try await selectYear(schoolOptions, in: store)
                let year = try await store.load(school: school, year: academicYear)
                _ = try requireCollection(collection, in: year)
                if let dateSetBy {
                    // Issue 12, item 13: a date other than today decides which cells are late or
                    // locked, so it is a data manager's decision and is audited with its name.
                    guard let staff = year.staff.first(where: { $0.id.rawValue == dateSetBy }) else {
                        throw CLIError("No member of staff with code '\(dateSetBy.withVisibleControlCharacters)': --date-set-by takes a data manager's staff code.")
                    }
                    guard staff.roles.contains(.dataManager) else {
                        throw CLIError("\(staff.displayName) (\(staff.id)) is not a data manager: only a data manager may set --today.")
                    }
                }
                var override: EntryWindow.Override?
                if let overrideBy {
                    guard let staff = year.staff.first(where: { $0.id.rawValue == overrideBy }) else {
                        throw CLIError("No member of staff with code '\(overrideBy)': --override-by takes a data manager's staff code.")
                    }
                    do { override = try EntryWindow.Override(by: staff, reason: reason ?? "") } catch { throw CLIError("\(error)") }
                }
                let read = MarkbookFile(year: year, collection: DataCollection.ID(collection)).read(contentsOf: files.map { URL(fileURLWithPath: $0) })
                let enteredBy = year.staff.first { $0.id.rawValue == options.actor }?.id
                let checked = MarkbookCommand.check(read, year: year, on: date, override: override, enteredBy: enteredBy)
                print(MarkbookCommand.describe(checked, date: date, showIssues: options.showIssues))

                if checked.hasErrors && !options.acceptValid {
                    throw CLIError("""
                        Nothing imported: \(checked.rowsRejected) row(s) have errors or were refused (listed above). Correct them, \
                        or run again with --accept-valid to import the \(checked.rowsAccepted) valid row(s) and leave the rest out.
                        """)
                }
                var reasonText = "markbook import \(collection) on \(date)" + (dateSetBy.map { " (date set by \($0) with --today)" } ?? "")
                if let override, checked.overridden > 0 { reasonText += "; after the lock, authorised by \(override.by): \(override.reason)" }
                let context = ChangeContext(actor: options.actor, source: files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "),
                                            reason: reasonText, at: Date())
                let summary = try await store.save(SchoolYear(school: year.school, academicYear: year.academicYear, assessments: checked.assessments),
                                                   context: context, dryRun: options.dryRun)
                print(describeSave(summary, dryRun: options.dryRun))
                if checked.hasErrors {
                    throw CLIError("\(checked.rowsRejected) row(s) with errors were left out (listed above); the \(checked.rowsAccepted) valid row(s) were \(options.dryRun ? "checked" : "imported").")
                }
            }
        }
    }

    /// Today in the machine's time zone: the CLI is the one place that reads the clock.
    static func today() -> CalendarDate {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Markbooks once read and checked against the windows: what to save and what to say.
    struct Checked {
        var read: MarkbookFile.Result
        /// The entries to save, merged per pupil × subject × collection, late ones marked.
        var assessments: [Assessment]
        /// The reader's issues and one error per refused cell, in file and line order.
        var issues: [ImportIssue]
        /// Rows refused by the window, in all and per file.
        var refusedRows: Int
        var refusedByFile: [String: Int] = [:]
        /// Entries that change something, and of those the late ones and the ones after the lock.
        var changing = 0
        var late = 0
        var overridden = 0
        /// Collection and year groups whose entries were accepted with no window known.
        var noWindow: [(collection: DataCollection.ID, yearGroup: Int)] = []

        var hasErrors: Bool { issues.contains(where: \.isError) }
        var rowsAccepted: Int { read.rowsAccepted - refusedRows }
        var rowsRejected: Int { read.rowsRejected + refusedRows }
    }

    /// Applies the windows (``EntryWindow/screen(_:against:on:override:)``) to what the reader
    /// accepted: a refused entry becomes one error per changed cell (file, line, column, value and
    /// the rule), the rest are merged for saving, each carrying `enteredBy` when given.
    static func check(_ read: MarkbookFile.Result, year: SchoolYear, on date: CalendarDate, override: EntryWindow.Override?,
                      enteredBy: Staff.ID?) -> Checked {
        let screened = EntryWindow.screen(read.entries.map(\.assessment), against: year, on: date, override: override)
        var checked = Checked(read: read, assessments: [], issues: read.issues, refusedRows: 0)
        var accepted: [Assessment] = []
        var noWindow = Set<String>()
        for (entry, s) in zip(read.entries, screened) {
            if let refusal = EntryWindow.refusal(s.decision, collection: entry.assessment.collection, yearGroup: s.yearGroup) {
                checked.refusedRows += 1
                checked.refusedByFile[entry.file, default: 0] += 1
                for cell in entry.cells where s.changed.contains(where: { $0.rawValue == cell.field.rawValue }) {
                    checked.issues.append(ImportIssue(.outsideWindow, file: entry.file, line: entry.line, column: cell.column, value: cell.text,
                                                      reason: refusal))
                }
                continue
            }
            if !s.changed.isEmpty {
                checked.changing += 1
                if s.decision.isLate { checked.late += 1 }
                if case .lateWithOverride = s.decision { checked.overridden += 1 }
                if s.decision == .noWindow, noWindow.insert("\(entry.assessment.collection)\u{1F}\(s.yearGroup)").inserted {
                    checked.noWindow.append((entry.assessment.collection, s.yearGroup))
                }
            }
            var a = s.entry
            a.enteredBy = enteredBy
            accepted.append(a)
        }
        let order = Dictionary(read.files.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        checked.issues = checked.issues.enumerated().sorted {
            (order[$0.element.file] ?? 0, $0.element.line ?? 0, $0.offset) < (order[$1.element.file] ?? 0, $1.element.line ?? 0, $1.offset)
        }.map(\.element)
        checked.assessments = MarkbookFile.merge(accepted)
        return checked
    }

    /// What was read and what the windows decided, before the save summary.
    static func describe(_ checked: Checked, date: CalendarDate, showIssues: Int) -> String {
        var out = "Files\n" + Terminal.table(["file", "rows", "accepted", "rejected"], checked.read.files.map {
            let refused = checked.refusedByFile[$0.name] ?? 0
            return [$0.name, String($0.rowsRead), String($0.rowsAccepted - refused), String($0.rowsRejected + refused)]
        }) + "\n"
        out += "\n\(checked.rowsAccepted) of \(checked.read.rowsRead) rows accepted; \(checked.changing) pupil entries change something on \(date)"
        out += checked.late > 0 ? ", \(checked.late) of them late" : ""
        out += checked.overridden > 0 ? " (\(checked.overridden) after the lock, on a data manager's override)" : ""
        out += ".\n"
        for gap in checked.noWindow {
            out += "No window is known for \(gap.collection), year \(gap.yearGroup): its entries were accepted without a date check.\n"
        }
        let errors = checked.issues.filter(\.isError), warnings = checked.issues.filter { !$0.isError }
        out += "\(errors.count) error(s), \(warnings.count) warning(s).\n"
        if !checked.issues.isEmpty {
            out += "\nIssues\n" + ImportIssue.listing(checked.issues, limit: showIssues).joined(separator: "\n") + "\n"
        }
        return out
    }
}
