import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayReports
import HeadwayStore

/// `headway audit --pupil UPN`: one pupil's audit trail (issue 5, item 6). Read only — no
/// command edits or deletes audit rows; the store only ever inserts them.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show a pupil's history: every change to their entries, targets and record, oldest first.",
        discussion: """
            Each line says when (UTC), who, what (table and record), old → new, why and where from (a file and \
            line, or the user). Audit rows are written with every change, in the same transaction, and no command \
            edits or deletes them.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    @Option(help: ArgumentHelp("The pupil's UPN or id.", valueName: "upn-or-id"))
    var pupil: String

    @Option(help: "table (default) or csv.")
    var format: Format = .table

    func run() async throws {
        try await withStore(global) { store in
            let (school, academicYear) = try await selectYear(schoolOptions, in: store)
            let year = try await store.load(school: school, year: academicYear)
            let given = pupil.trimmingCharacters(in: .whitespaces)
            let found = year.pupils.first { $0.id.rawValue == given || $0.upn?.rawValue == given.uppercased() }
            // A pupil no longer on roll this year is still found by id in the log.
            let id = found?.id ?? Pupil.ID(given)
            let entries = try await store.auditLog(school: school, pupil: id)
            if found == nil && entries.isEmpty {
                throw CLIError("No pupil with UPN or id '\(given)' in \(year.school.name) \(year.academicYear), and no audit row for that id.")
            }
            print(AuditCommand.render(entries, pupil: found.map { "\($0.id) (\($0.displayName))" } ?? id.rawValue, format: format),
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
    static func render(_ entries: [AuditEntry], pupil: String, format: Format) -> String {
        switch format {
        case .csv:
            return CSVTable(name: "audit", header: ["when", "who", "action", "table", "record", "old", "new", "why", "source"],
                            rows: entries.map { [$0.at, $0.actor, $0.action, $0.table, $0.recordKey, $0.oldValue ?? "", $0.newValue ?? "", $0.reason ?? "", $0.source] })
                .text(byteOrderMark: false)  // printed to standard output (issue 12)
        case .table:
            guard !entries.isEmpty else { return "No audit rows for pupil \(pupil).\n" }
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
            return "Audit trail of pupil \(pupil), oldest first\n"
                + Terminal.table(["when", "who", "what", "old → new", "why", "source"], shown) + "\n"
                + "\(entries.count) row(s)." + (cut ? " Long values are cut short here; --format csv shows them whole." : "") + "\n"
        }
    }
}
