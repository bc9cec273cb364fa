import HeadwayAnalytics
import HeadwayCore

/// An ``ActionList`` as CSV with mail-merge fields, for letters home and certificates (issue 6,
/// item 2): one file per list, one row per pupil, in the list's order (most severe first). No I/O: the caller writes
/// ``table(_:school:)``'s ``CSVTable/text`` to ``fileName(_:)``.
///
/// Columns (``header``):
///
/// | column | value |
/// | --- | --- |
/// | `school_name` | the school's name |
/// | `collection`, `collection_name` | the collection's code and name, e.g. `DC2`, `Spring data collection` |
/// | `list` | the rule, e.g. `atl_reward` |
/// | `year_group` | 7–13 |
/// | `upn`, `pupil_id`, `forename`, `surname`, `tutor_group` | the pupil; `upn` and `tutor_group` blank when unknown |
/// | `reason` | the entry's reason in words with the numbers |
/// | `subjects` | the subject codes behind the entry, joined with `, ` |
/// | `subject_count` | how many subjects (issue 12, item 10) |
/// | `shortfall_grades` | grades under the expected (flight-path) grade summed over those subjects, or grades fallen on the falling list, one decimal; blank on the ATL lists |
/// | `responsible` | every responsible member of staff by display name, as a reader would write it: `Mr Patel`, `Mr Patel and Ms Jones` |
/// | `responsible_title`, `responsible_forename`, `responsible_surname`, `responsible_email` | the first responsible person (the head of year before a progress leader), for a letter's signature; blank when nobody is named |
///
/// Cells are written by ``CSVTable``: RFC 4180, UTF-8 with a byte-order mark (names such as Zoë
/// open correctly in Excel), and a cell starting with `=`, `+`, `-` or `@` that is not a number is
/// prefixed with `'` so a spreadsheet does not run it as a formula (CSV injection).
public enum ActionListExport {
    /// The columns, in order.
    public static let header = [
        "school_name", "collection", "collection_name", "list", "year_group", "upn", "pupil_id", "forename", "surname", "tutor_group",
        "reason", "subjects", "subject_count", "shortfall_grades", "responsible", "responsible_title", "responsible_forename", "responsible_surname", "responsible_email",
    ]

    /// The list as a table named like ``fileName(_:)`` without `.csv`; a header only when nobody is
    /// on the list.
    public static func table(_ list: ActionList, school: School) -> CSVTable {
        let lead = list.responsible.first
        let responsible = [
            names(list.responsible.map(\.displayName)), lead?.title ?? "", lead?.forename ?? "", lead?.surname ?? "", lead?.email ?? "",
        ]
        let rows = list.entries.map { entry -> [String] in
            let pupil = entry.pupil
            return [school.name, list.collection.id.rawValue, list.collection.name, list.rule.rawValue, String(list.yearGroup),
                    pupil.upn?.rawValue ?? "", pupil.id.rawValue, pupil.forename, pupil.surname, pupil.tutorGroup ?? "",
                    entry.reason, entry.subjects.map(\.rawValue).joined(separator: ", "), String(entry.subjects.count),
                    ActionLists.shortfallText(entry.shortfall)] + responsible
        }
        return CSVTable(name: baseName(list), header: header, rows: rows)
    }

    /// The CSV text of ``table(_:school:)``.
    public static func csv(_ list: ActionList, school: School) -> String { table(list, school: school).text }

    /// `DC2-Y10-atl-reward.csv`: collection code, year group, rule. Characters of the collection
    /// code other than ASCII letters, digits, `-` and `_` become `-`, so the name is safe on every
    /// file system and never a path.
    public static func fileName(_ list: ActionList) -> String { baseName(list) + ".csv" }

    static func baseName(_ list: ActionList) -> String {
        let code = String(list.collection.id.rawValue.map { c in
            c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_") ? c : "-"
        })
        return "\(code.isEmpty ? "collection" : code)-Y\(list.yearGroup)-\(list.rule.slug)"
    }

    /// "A", "A and B", "A, B and C".
    static func names(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
