import HeadwayAnalytics
import HeadwayCore

/// Completion tables and the chase list as CSV (issue 5, item 4). Pure: the CLI writes the file.
public enum CompletionReport {
    /// The chase list's columns.
    public static let chaseHeader = ["teacher", "name", "email", "role", "collection", "missing", "classes", "missing cells", "deadline"]

    /// One row per person with missing cells (``Completion/chaseList(_:)``): who, how many, the
    /// classes with their counts (`10X/Ma1 (12); 10Y/Ma2 (3)`), the pupils missing per class
    /// (`10X/Ma1: Aoife O'Neil, Zoë Marsh; …`; a pupil in no class is listed under
    /// `SUBJECT (no class)`; a name twice in one list gets the pupil's id), and the deadline
    /// (`2026-11-13`, or per date with its year groups when they differ:
    /// `2027-05-10 (Y11); 2027-05-17 (Y7, Y8)`).
    public static func chaseList(_ lines: [Completion.Chase], index: YearIndex, name: String = "chase-list") -> CSVTable {
        CSVTable(name: name, header: chaseHeader, rows: lines.map { line in
            [line.staff?.rawValue ?? "", line.name, line.email ?? "", line.role.rawValue, line.collection.rawValue, String(line.count),
             line.classes.map { "\(label($0)) (\($0.pupils.count))" }.joined(separator: "; "),
             line.classes.map { "\(label($0)): \(pupilNames($0.pupils, index: index))" }.joined(separator: "; "),
             deadline(line)]
        })
    }

    /// A completion table: one line per teacher, class, subject, department or year group.
    public static func table(_ lines: [Completion.Line], heading: String, name: String) -> CSVTable {
        CSVTable(name: name, header: [heading, "expected", "entered", "not sat (X)", "missing", "percent"],
                 rows: lines.map { [$0.label, "\($0.expected)", "\($0.present)", "\($0.notSat)", "\($0.missing)", HeadlineReport.pct($0.percent)] })
    }

    /// `10X/Ma1`, or `MA (no class)`.
    public static func label(_ cells: Completion.Chase.ClassCells) -> String {
        cells.teachingGroup?.rawValue ?? "\(cells.subject) (no class)"
    }

    /// Display names, with the id where a name repeats (or the id alone for a pupil not on roll).
    public static func pupilNames(_ pupils: [Pupil.ID], index: YearIndex) -> String {
        let names = pupils.map { index.pupils[$0]?.displayName ?? $0.rawValue }
        var seen: [String: Int] = [:]
        for name in names { seen[name, default: 0] += 1 }
        return zip(pupils, names).map { id, name in seen[name]! > 1 && name != id.rawValue ? "\(name) (\(id))" : name }.joined(separator: ", ")
    }

    /// The deadline column: one date, or each year group's when they differ; empty when unknown.
    public static func deadline(_ line: Completion.Chase) -> String {
        let byDate = Dictionary(grouping: line.deadlines, by: \.date)
        if byDate.count <= 1 { return byDate.keys.first?.description ?? "" }
        return byDate.keys.sorted().map { date in
            "\(date) (" + byDate[date]!.map(\.yearGroup).sorted().map { "Y\($0)" }.joined(separator: ", ") + ")"
        }.joined(separator: "; ")
    }
}
