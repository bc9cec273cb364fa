import HeadwayCore

/// A markbook: one class's sheet for one data collection, for a teacher to fill in a spreadsheet
/// and hand back (issue 5, item 2). `headway markbook export` writes one per class;
/// `headway markbook import` (HeadwayImport's `MarkbookFile`) reads them back.
///
/// Columns, in order (``header``):
///
/// | column | holds | on import |
/// | --- | --- | --- |
/// | `upn`, `pupil_id` | who the row is about | the key: `pupil_id`, else `upn` |
/// | `surname`, `forename`, `class` | for the teacher | read only: a change is a warning |
/// | `subject`, `collection` | subject and collection codes | the key |
/// | `previous_working_at (DC1 read only)` | the working-at grade of the collection before | read only |
/// | `target (read only)` | the pupil's target in the subject | read only |
/// | `working_at`, `predicted`, `atl` | what is stored for this collection, else blank | checked against the subject's scales and saved |
///
/// Pre-filling the last three with what is stored means that re-importing an untouched file
/// changes nothing. Pupils are sorted by surname, forename, then id. The file is RFC 4180 CSV
/// with a byte-order mark (``CSVTable``); a README.txt beside the files explains the columns and
/// lists the codes each subject accepts (``readme(for:in:)``).
public struct Markbook: Hashable, Sendable {
    /// One pupil's row.
    public struct Row: Hashable, Sendable {
        public var upn: String
        public var pupil: Pupil.ID
        public var surname: String
        public var forename: String
        /// The working-at grade stored for the previous collection, as stored (`6-`, `X`); "" when none.
        public var previousWorkingAt: String
        /// The target's grade code; "" when none.
        public var target: String
        /// What is stored for this collection, as stored; "" when blank.
        public var workingAt: String
        public var predicted: String
        public var atl: String
    }

    /// The collection being entered.
    public var collection: DataCollection
    /// The collection before it (highest lower ``DataCollection/sequence``), nil for the first.
    public var previous: DataCollection?
    public var group: TeachingGroup
    public var subject: Subject
    /// Sorted by surname, forename, pupil id.
    public var rows: [Row]
    /// The file name, made safe from the class code (``safeName(_:)``), unique among the
    /// collection's markbooks: `10X/Ma1` → `10X-Ma1.csv`. The class code itself is in every row.
    public var fileName: String

    /// The export's columns (see the type's table). The previous collection's code is in its
    /// column's label; the importer ignores anything from ` (` onwards.
    public var header: [String] {
        ["upn", "pupil_id", "surname", "forename", "class", "subject", "collection",
         "previous_working_at (\(previous.map(\.id.rawValue) ?? "none") read only)", "target (read only)",
         "working_at", "predicted", "atl"]
    }

    /// The sheet as a table (``CSVTable/text`` gives the file's text).
    public var table: CSVTable {
        CSVTable(name: String(fileName.dropLast(4)), header: header, rows: rows.map {
            [$0.upn, $0.pupil.rawValue, $0.surname, $0.forename, group.id.rawValue, subject.id.rawValue, collection.id.rawValue,
             $0.previousWorkingAt, $0.target, $0.workingAt, $0.predicted, $0.atl]
        })
    }

    /// A collection that cannot be exported.
    public struct ExportError: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong and what to do.
        public var message: String
        public var description: String { message }
    }

    /// The markbooks of one collection: one per class of a year group the collection covers (all
    /// classes when it names no year group), with at least one pupil on roll, in class-code order.
    /// Classes whose subject is unknown are left out.
    /// - Throws: ``ExportError`` when `year` has no collection `collection`.
    public static func all(for year: SchoolYear, collection: DataCollection.ID) throws(ExportError) -> [Markbook] {
        guard let current = year.collections.first(where: { $0.id == collection }) else {
            throw ExportError(message: "no collection '\(collection)' in \(year.school.name) \(year.academicYear); its collections are "
                              + (year.collections.isEmpty ? "none" : year.collections.map(\.id.rawValue).joined(separator: ", ")))
        }
        let previous = year.collections.filter { $0.sequence < current.sequence }.max { $0.sequence < $1.sequence }
        let pupils = Dictionary(year.pupils.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let subjects = Dictionary(year.subjects.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        struct Key: Hashable { var pupil: Pupil.ID; var subject: Subject.ID; var collection: DataCollection.ID }
        var entries: [Key: Assessment] = [:]
        for a in year.assessments where a.collection == current.id || a.collection == previous?.id {
            entries[Key(pupil: a.pupil, subject: a.subject, collection: a.collection)] = a
        }
        struct TargetKey: Hashable { var pupil: Pupil.ID; var subject: Subject.ID }
        let targets = Dictionary(year.targets.map { (TargetKey(pupil: $0.pupil, subject: $0.subject), $0.grade.stored) },
                                 uniquingKeysWith: { a, _ in a })
        var used = Set<String>()
        var out: [Markbook] = []
        for group in year.teachingGroups.sorted(by: { $0.id < $1.id }) {
            guard current.yearGroups.isEmpty || current.yearGroups.contains(group.yearGroup), let subject = subjects[group.subject] else { continue }
            let rows = group.pupils.compactMap { pupils[$0] }.map { pupil -> Row in
                let now = entries[Key(pupil: pupil.id, subject: subject.id, collection: current.id)]
                let before = previous.flatMap { entries[Key(pupil: pupil.id, subject: subject.id, collection: $0.id)] }
                return Row(upn: pupil.upn?.rawValue ?? "", pupil: pupil.id, surname: pupil.surname, forename: pupil.forename,
                           previousWorkingAt: before?.workingAt?.stored ?? "",
                           target: targets[TargetKey(pupil: pupil.id, subject: subject.id)] ?? "",
                           workingAt: now?.workingAt?.stored ?? "", predicted: now?.predicted?.stored ?? "", atl: now?.atl?.stored ?? "")
            }.sorted { ($0.surname.lowercased(), $0.forename.lowercased(), $0.pupil.rawValue) < ($1.surname.lowercased(), $1.forename.lowercased(), $1.pupil.rawValue) }
            guard !rows.isEmpty else { continue }
            let base = safeName(group.id.rawValue)
            var name = base, n = 1
            while !used.insert(name.lowercased()).inserted { n += 1; name = "\(base)-\(n)" }
            out.append(Markbook(collection: current, previous: previous, group: group, subject: subject, rows: rows, fileName: name + ".csv"))
        }
        return out
    }

    /// The files of an export, paths relative to the output folder: `DC2/README.txt` and
    /// `DC2/10X-Ma1.csv` per class; with `perTeacher`, `DC2/JSM/10X-Ma1.csv` in a folder per
    /// teacher code (a class taught by two teachers is in both folders, a class without a teacher
    /// in `DC2/no-teacher/`). Sorted by path.
    public static func files(_ markbooks: [Markbook], in year: SchoolYear, collection: DataCollection, perTeacher: Bool) -> [ReportFile] {
        let folder = safeName(collection.id.rawValue)
        var files = [ReportFile(name: "\(folder)/README.txt", contents: readme(for: markbooks, collection: collection, in: year))]
        for book in markbooks {
            let text = book.table.text
            if perTeacher {
                let teachers = book.group.teachers.isEmpty ? ["no-teacher"] : book.group.teachers.map { safeName($0.rawValue) }
                for teacher in Set(teachers).sorted() {
                    files.append(ReportFile(name: "\(folder)/\(teacher)/\(book.fileName)", contents: text))
                }
            } else {
                files.append(ReportFile(name: "\(folder)/\(book.fileName)", contents: text))
            }
        }
        return files.sorted { $0.name < $1.name }
    }

    /// A code as a file or folder name: letters, digits, `-`, `_` and `.` kept, anything else
    /// (`/`, `\`, spaces, `:`) becomes `-`; a leading `.` becomes `_`; empty becomes `class`.
    /// Not reversible on its own — the class code is in every row of the file.
    public static func safeName(_ code: String) -> String {
        var out = String(code.unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "-_.".unicodeScalars.contains(s)) ? Character(s) : "-"
        })
        if out.hasPrefix(".") { out = "_" + out.dropFirst() }
        return out.isEmpty ? "class" : out
    }

    /// The codes a scale accepts, highest first, with labels where the scale has them
    /// (`1 Excellent`); for a numeric scale its range and step. X and Z are not included.
    public static func acceptedValues(_ scale: GradeScale) -> String {
        if let range = scale.numeric {
            return "a number from \(format(range.minimum)) to \(format(range.maximum)) in steps of \(format(range.step))"
        }
        let grades = scale.higherIsBetter ? scale.grades.reversed() : scale.grades
        return grades.map { grade in grade.label.map { "\(grade.code) (\($0))" } ?? grade.code }.joined(separator: ", ")
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The README.txt for a collection's markbooks, written for the teacher who fills them: what
    /// to do, the dates, what each column means, the codes each subject accepts, and the rules
    /// the import applies.
    public static func readme(for markbooks: [Markbook], collection: DataCollection, in year: SchoolYear) -> String {
        let previous = markbooks.first?.previous
        var lines: [String] = [
            "Markbooks for \(collection.name) (\(collection.id)), \(year.school.name), \(year.academicYear)",
            "",
            "There is one file per class. Open yours in Excel, LibreOffice or Google Sheets, fill in",
            "the columns working_at, predicted and atl, save it as CSV under the same name, and hand",
            "it back to your data lead, who imports it with `headway markbook import`.",
            "",
            "When to enter",
        ]
        let yearGroups = Set(markbooks.map(\.group.yearGroup)).sorted()
        for yearGroup in yearGroups {
            if let w = year.calendar.window(of: collection, yearGroup: yearGroup) {
                lines.append("  Year \(yearGroup): opens \(w.opens), deadline \(w.deadline), locks \(w.locks).")
            } else {
                lines.append("  Year \(yearGroup): no dates set.")
            }
        }
        lines += [
            "  Entries made before the collection opens are refused. Entries after the deadline are",
            "  accepted but marked late. After the lock date only a data manager can enter data, with",
            "  a reason that is kept in the audit log.",
            "",
            "Columns",
            "  upn, pupil_id        Who the row is about. Do not change: rows are matched by pupil_id",
            "                       (or the UPN when pupil_id is blank), subject and collection.",
            "  surname, forename    For you to read. Changes are ignored (and reported).",
            "  class                The class code, e.g. 10X/Ma1 (the file name cannot hold a /).",
            "  subject, collection  The subject and collection codes. Do not change.",
            "  previous_working_at  The working-at grade from \(previous.map { "\($0.name) (\($0.id))" } ?? "the previous collection (none: this is the first)"), read only.",
            "  target               The pupil's target grade, read only.",
            "  working_at           The grade the pupil is working at now.",
            "  predicted            Your forecast of the grade at the end of the course (if your",
            "                       school asks for one).",
            "  atl                  Attitude to learning.",
            "",
            "  Cells already filled hold what is stored for \(collection.id): change them only to correct",
            "  them. A blank cell never erases anything. Write X when the pupil was not assessed",
            "  (absent, no evidence) and Z when the subject or assessment does not apply to the pupil.",
            "  The same pupil must not appear twice in a file.",
            "",
            "Values each subject accepts (and X or Z; lower case is fine)",
        ]
        // Subjects sharing both scales are listed together, so the codes are written once per scale.
        var groups: [(scales: [GradeScale.ID], subjects: [Subject])] = []
        var seen = Set<Subject.ID>()
        for book in markbooks.sorted(by: { $0.subject.id < $1.subject.id }) where seen.insert(book.subject.id).inserted {
            let scales = [book.subject.scale, book.subject.atlScale]
            if let i = groups.firstIndex(where: { $0.scales == scales }) { groups[i].subjects.append(book.subject) } else { groups.append((scales, [book.subject])) }
        }
        for group in groups {
            let scale = year.scales[group.scales[0]], atl = year.scales[group.scales[1]]
            lines.append("  " + group.subjects.map { "\($0.name) (\($0.id))" }.joined(separator: ", "))
            lines.append("    working_at, predicted (\(scale?.name ?? group.scales[0].rawValue)): \(scale.map(acceptedValues) ?? "scale not known: ask your data lead")")
            lines.append("    atl (\(atl?.name ?? group.scales[1].rawValue)): \(atl.map(acceptedValues) ?? "scale not known: ask your data lead")")
        }
        lines += [
            "",
            "Spreadsheet warning: Excel may turn grades such as 6-5 or 7/6 into dates. Format the",
            "working_at and predicted columns as Text before typing, and check them before saving.",
            "A value that is not on the subject's scale is rejected with the file, line and column.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
