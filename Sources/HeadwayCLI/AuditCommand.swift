import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayReports
import HeadwayStore

/// `headway audit --pupil UPN`: one pupil's audit trail (issue 5, item 6); `headway audit
/// --table staff`: the changes to the school's staff, classes, subjects or school record (issue
/// 12, item 13). Read only — no command edits or deletes audit rows; the store only ever inserts
/// them.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show a pupil's history (every change to their entries, targets and record), or a table's, oldest first.",
        discussion: """
            Each line says when (UTC), who, what (table and record), old → new, why and where from (a file and \
            line, or the user). Audit rows are written with every change, in the same transaction, and no command \
            edits or deletes them. With --table instead of --pupil: the changes to the school's staff, classes \
            (teaching_groups), subjects or school record.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    @Option(help: ArgumentHelp("The pupil's UPN, id (admission number) or name ('Surname, Forename').", valueName: "pupil"))
    var pupil: String?

    /// The tables audited that are not one pupil's.
    enum Table: String, ExpressibleByArgument, CaseIterable {
        case staff, subjects, schools
        case teachingGroups = "teaching_groups"
    }

    @Option(help: "Instead of a pupil: staff, teaching_groups (classes), subjects or schools.")
    var table: Table?

    @Option(help: "table (default) or csv.")
    var format: Format = .table

    func validate() throws {
        switch (pupil, table) {
        case (nil, nil): throw ValidationError("Say whose history to show: --pupil UPN, id or name, or --table staff|teaching_groups|subjects|schools.")
        case (.some, .some): throw ValidationError("Give --pupil or --table, not both.")
        default: break
        }
    }

    func run() async throws {
        try await withStore(global) { store in
            let (school, academicYear) = try await selectYear(schoolOptions, in: store)
            guard let pupil else {
                let entries = try await store.auditLog(school: school, table: table!.rawValue)
                print(AuditCommand.render(entries, subject: "table \(table!.rawValue)", format: format), terminator: "")
                return
            }
            let year = try await store.load(school: school, year: academicYear)
            let given = pupil.trimmingCharacters(in: .whitespaces)
            let found = try pupilIfAny(given, in: year.pupils)
            // A pupil no longer on roll this year is still found by id in the log.
            let id = found?.id ?? Pupil.ID(given)
            let entries = try await store.auditLog(school: school, pupil: id)
            if found == nil && entries.isEmpty {
                throw CLIError("No pupil with UPN, id or name '\(given.withVisibleControlCharacters)' in \(year.school.name) \(year.academicYear), and no audit row for that id.")
            }
            print(AuditCommand.render(entries, subject: "pupil " + (found.map { "\($0.id) (\($0.displayName)\($0.upn.map { ", UPN \($0)" } ?? ""))" } ?? id.rawValue), format: format),
                  terminator: "")
        }
    }

    /// Longest cell of the terminal table, in characters.
    static let maxCell = 100

    /// The rows as shown: when, who, what (`table record`), old → new (`blank` for none), why,
    /// source — oldest first, as stored.
    static func rows(_ entries: [AuditEntry]) -> [[String]] {
        entries.map { e in
            [e.at, e.actor, "\(e.table) \(e.recordKey)" + (e.action == "create" ? " (new)" : ""),
             "\(e.oldValue ?? "blank") → \(e.newValue ?? "blank")", e.reason ?? "", e.source]
        }
    }

    /// The history as a terminal table with a closing count (cells longer than ``maxCell`` cut
    /// with `…`), or as CSV (columns when, who,
    /// action, table, record, old, new, why, source; ``CSVTable``).
    static func render(_ entries: [AuditEntry], subject: String, format: Format) -> String {
        switch format {
        case .csv:
            return CSVTable(name: "audit", header: ["when", "who", "action", "table", "record", "old", "new", "why", "source"],
                            rows: entries.map { [$0.at, $0.actor, $0.action, $0.table, $0.recordKey, $0.oldValue ?? "", $0.newValue ?? "", $0.reason ?? "", $0.source] })
                .text(byteOrderMark: false)  // printed to standard output (issue 12)
        case .table:
            guard !entries.isEmpty else { return "No audit rows for \(subject).\n" }
            // A record's creation row can list a whole year of entries: cut long cells here; the
            // CSV keeps them whole.
            var cut = false
            let shown = rows(entries).map { row in
                row.map { cell -> String in
                    guard cell.count > maxCell else { return cell }
                    cut = true
                    return String(cell.prefix(maxCell - 1)) + "…"
                }
            }
            return "Audit trail of \(subject), oldest first\n"
                + Terminal.table(["when", "who", "what", "old → new", "why", "source"], shown) + "\n"
                + "\(entries.count) row(s)." + (cut ? " Long values are cut short here; --format csv shows them whole." : "") + "\n"
        }
    }
}
