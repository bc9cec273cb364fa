import Foundation
import HeadwayCore

/// Reads markbooks back (issue 5, item 2): the CSV files `headway markbook export` writes (one
/// class, one collection), filled in by teachers in a spreadsheet.
///
/// Columns are found by header, case-insensitively, spaces and `-` read as `_`, anything from
/// ` (` on ignored (so `previous_working_at (DC1 read only)` is `previous_working_at`):
/// - the key: `pupil_id` (else `upn` when `pupil_id` is blank), `subject`, and `collection`
///   (blank or absent: the collection being imported);
/// - values: `working_at`, `predicted` (the subject's scale) and `atl` (its ATL scale); at least
///   one must be present;
/// - read only: `upn` (when `pupil_id` is given), `surname`, `forename`, `class`,
///   `previous_working_at`, `target`. They are never saved; a value that differs from what the
///   export would write is a warning (``ImportIssue/Code/readOnlyChanged``).
///
/// Rules, each an error that rejects the row (nothing from it is kept) unless said otherwise:
/// - an unknown pupil, subject or collection; a row for another collection than the one imported;
///   a `pupil_id` and `upn` that name different pupils;
/// - a value not on its scale: the issue names file, line, column and value and lists every code
///   the scale accepts. A cell equal to a stored value that is itself off the scale (a legacy
///   value) is left as it is, with a warning, so an untouched file still re-imports cleanly;
/// - the same pupil × subject × collection twice in one file: both rows rejected, the error (on
///   the later line) naming the earlier line;
/// - across files read together, two non-blank values for the same cell that differ: both rows
///   rejected. Values that agree, or cells one file leaves blank, are combined (a class taught by
///   two teachers is exported to both).
///
/// A blank cell is "not entered": it never overwrites a stored value. `X` is not assessed and `Z`
/// not required, recorded as such. Each entry's ``Assessment/source`` is `FILE:LINE` (the file as
/// named when read), which the store writes into the audit row of every value it changes.
public struct MarkbookFile: FileReader {
    /// The school year the markbooks are for, as stored: pupils, subjects, scales, classes,
    /// collections, assessments and targets.
    public let year: SchoolYear
    /// The collection being imported.
    public let collection: DataCollection.ID

    public init(year: SchoolYear, collection: DataCollection.ID) {
        self.year = year
        self.collection = collection
    }

    /// A value column.
    public enum Field: String, Hashable, Sendable, CaseIterable {
        case workingAt = "working_at"
        case predicted
        case atl
    }

    /// One non-blank value cell once read.
    public struct Cell: Hashable, Sendable {
        public var field: Field
        /// The header as written in the file.
        public var column: String
        /// The text as found.
        public var text: String
        public var value: EntryValue
    }

    /// One accepted row with at least one non-blank value.
    public struct Entry: Hashable, Sendable {
        /// The values of the row (blank ones nil), ``Assessment/source`` `FILE:LINE`.
        public var assessment: Assessment
        public var file: String
        public var line: Int
        public var cells: [Cell]
    }

    /// How one file was read.
    public struct FileSummary: Hashable, Sendable {
        public var name: String
        /// Data rows (the header and blank lines not counted).
        public var rowsRead: Int
        /// Rows with no error.
        public var rowsAccepted: Int
        public var rowsRejected: Int { rowsRead - rowsAccepted }
    }

    /// What was read from one or more files.
    public struct Result: Sendable {
        /// Accepted rows with a value, in file then line order.
        public var entries: [Entry]
        /// Every problem, in file then line order.
        public var issues: [ImportIssue]
        public var files: [FileSummary]

        public var rowsRead: Int { files.reduce(0) { $0 + $1.rowsRead } }
        public var rowsAccepted: Int { files.reduce(0) { $0 + $1.rowsAccepted } }
        public var rowsRejected: Int { rowsRead - rowsAccepted }
        public var hasErrors: Bool { issues.contains(where: \.isError) }
        public var errors: [ImportIssue] { issues.filter(\.isError) }
        public var warnings: [ImportIssue] { issues.filter { !$0.isError } }
    }

    public func unreadable(_ issue: ImportIssue) -> Result {
        Result(entries: [], issues: [issue], files: [FileSummary(name: issue.file, rowsRead: 0, rowsAccepted: 0)])
    }

    /// Reads several files as one import: each file by ``read(name:contents:)``, then the
    /// cross-file rule (see the type).
    public func read(contentsOf urls: [URL]) -> Result {
        combine(urls.map { read(contentsOf: $0) })
    }

    /// Combines files read separately, applying the cross-file rule.
    public func combine(_ results: [Result]) -> Result {
        var entries = results.flatMap(\.entries)
        var issues: [ImportIssue] = []
        var files = results.flatMap(\.files)
        var first: [Key: Int] = [:]
        var rejected = Set<Int>()
        for i in entries.indices {
            let key = Key(entries[i].assessment)
            guard let j = first[key] else { first[key] = i; continue }
            guard entries[j].file != entries[i].file else { continue }  // same file: already handled
            for cell in entries[i].cells {
                guard let other = entries[j].cells.first(where: { $0.field == cell.field }), other.value.stored != cell.value.stored else { continue }
                issues.append(ImportIssue(.conflictingEntry, file: entries[i].file, line: entries[i].line, column: cell.column, value: cell.text,
                                          reason: "\(entries[j].file):\(entries[j].line) gives \(other.text) for pupil \(key.pupil), subject \(key.subject), \(key.collection) \(cell.field.rawValue) — both rows rejected: correct one file"))
                rejected.formUnion([i, j])
            }
        }
        for i in rejected {
            if let f = files.firstIndex(where: { $0.name == entries[i].file }) { files[f].rowsAccepted -= 1 }
        }
        entries = entries.enumerated().filter { !rejected.contains($0.offset) }.map(\.element)
        let order = Dictionary(files.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let all = (results.flatMap(\.issues) + issues).enumerated().sorted {
            (order[$0.element.file] ?? 0, $0.element.line ?? 0, $0.offset) < (order[$1.element.file] ?? 0, $1.element.line ?? 0, $1.offset)
        }.map(\.element)
        return Result(entries: entries, issues: all, files: files)
    }

    /// The assessments to save: entries for the same pupil × subject × collection (from different
    /// files) folded into one — each value from the entry that gives it, ``Assessment/late`` when
    /// any is late, and the sources joined with `; `. Order of first appearance.
    public static func merge(_ assessments: [Assessment]) -> [Assessment] {
        var merged: [Key: Assessment] = [:]
        var order: [Key] = []
        for a in assessments {
            let key = Key(a)
            guard var m = merged[key] else { merged[key] = a; order.append(key); continue }
            m.workingAt = m.workingAt ?? a.workingAt
            m.predicted = m.predicted ?? a.predicted
            m.atl = m.atl ?? a.atl
            m.late = m.late || a.late
            m.enteredBy = m.enteredBy ?? a.enteredBy
            let sources = (m.source.map { $0.components(separatedBy: "; ") } ?? []) + (a.source.map { [$0] } ?? [])
            var seen = Set<String>()
            m.source = sources.filter { seen.insert($0).inserted }.joined(separator: "; ")
            merged[key] = m
        }
        return order.map { merged[$0]! }
    }

    struct Key: Hashable {
        var pupil: Pupil.ID
        var subject: Subject.ID
        var collection: DataCollection.ID
        init(pupil: Pupil.ID, subject: Subject.ID, collection: DataCollection.ID) {
            self.pupil = pupil
            self.subject = subject
            self.collection = collection
        }
        init(_ a: Assessment) { self.init(pupil: a.pupil, subject: a.subject, collection: a.collection) }
    }

    /// A header as a column key: lower case, from ` (` on dropped, spaces and `-` as `_`.
    static func columnKey(_ header: String) -> String {
        var text = header.trimmed.lowercased()
        if let paren = text.range(of: "(") { text = String(text[..<paren.lowerBound]).trimmed }
        return text.replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    /// The codes a scale accepts, highest first, then X and Z: for error messages.
    static func acceptedCodes(_ scale: GradeScale) -> String {
        if scale.numeric != nil { return scale.expectedDescription }
        let grades = scale.higherIsBetter ? scale.grades.reversed() : scale.grades
        return "accepted: " + grades.map(\.code).joined(separator: ", ") + ", or X (not assessed) or Z (not required)"
    }

    public func read(name: String, contents: Data) -> Result {
        let records = CSVText.decodedRecords(contents).records
        var summary = FileSummary(name: name, rowsRead: max(0, records.count - 1), rowsAccepted: 0)
        func whole(_ issue: ImportIssue) -> Result { Result(entries: [], issues: [issue], files: [summary]) }
        guard let header = records.first else {
            return whole(ImportIssue(.unusableFile, file: name, reason: "the file is empty: expected a markbook exported by `headway markbook export`"))
        }
        var columns: [String: Int] = [:]
        for (i, field) in header.fields.enumerated() {
            let key = Self.columnKey(field)
            guard !key.isEmpty else { continue }
            if columns[key] != nil {
                return whole(ImportIssue(.duplicateHeader, file: name, line: header.line, column: field.trimmed,
                                         reason: "two columns are called \(key): rename or remove one"))
            }
            columns[key] = i
        }
        var missing: [String] = []
        if columns["pupil_id"] == nil && columns["upn"] == nil { missing.append("pupil_id or upn") }
        if columns["subject"] == nil { missing.append("subject") }
        if Field.allCases.allSatisfy({ columns[$0.rawValue] == nil }) { missing.append("working_at, predicted or atl") }
        if !missing.isEmpty {
            return whole(ImportIssue(.missingColumn, file: name, line: header.line, column: missing.joined(separator: "; "),
                                     reason: "a markbook needs the columns \(missing.joined(separator: "; ")); this file's columns are: \(ImportIssue.headerList(header.fields.map(\.trimmed)))"))
        }

        guard let current = year.collections.first(where: { $0.id == collection }) else {
            return whole(ImportIssue(.unknownCollection, file: name, value: collection.rawValue,
                                     reason: "no collection \(collection) in \(year.school.name) \(year.academicYear)"))
        }
        let previous = year.collections.filter { $0.sequence < current.sequence }.max { $0.sequence < $1.sequence }
        var pupilByID: [String: Pupil] = [:], pupilByUPN: [String: Pupil] = [:]
        for pupil in year.pupils {
            pupilByID[pupil.id.rawValue] = pupil
            if let upn = pupil.upn { pupilByUPN[upn.rawValue] = pupil }
        }
        let subjects = Dictionary(year.subjects.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let collections = Set(year.collections.map(\.id))
        var stored: [Key: Assessment] = [:]
        for a in year.assessments where a.collection == collection || a.collection == previous?.id { stored[Key(a)] = a }
        struct TargetKey: Hashable { var pupil: Pupil.ID; var subject: Subject.ID }
        let targets = Dictionary(year.targets.map { (TargetKey(pupil: $0.pupil, subject: $0.subject), $0.grade.stored) },
                                 uniquingKeysWith: { a, _ in a })
        let groups = Dictionary(year.teachingGroups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        var issues: [ImportIssue] = []
        var entries: [Entry?] = []
        var firstLine: [Key: (line: Int, entry: Int?)] = [:]
        var rejectedLines = Set<Int>()
        for record in records.dropFirst() {
            var errors = false
            func cell(_ key: String) -> String {
                columns[key].flatMap { $0 < record.fields.count ? record.fields[$0].trimmed : nil } ?? ""
            }
            func columnName(_ key: String) -> String { columns[key].map { header.fields[$0].trimmed } ?? key }
            func issue(_ code: ImportIssue.Code, _ key: String?, _ value: String?, _ reason: String, warning: Bool = false) {
                issues.append(ImportIssue(code, severity: warning ? .warning : .error, file: name, line: record.line,
                                          column: key.map(columnName), value: value, reason: reason))
                if !warning { errors = true }
            }
            if record.fields.count > header.fields.count, record.fields[header.fields.count...].contains(where: { !$0.trimmed.isEmpty }) {
                issue(.fieldCount, nil, nil, "the row has \(record.fields.count) fields but the header \(header.fields.count): remove the extra cells")
            }

            // Who and what.
            let idText = cell("pupil_id"), upnText = cell("upn").uppercased()
            var pupil: Pupil?
            if !idText.isEmpty {
                pupil = pupilByID[idText]
                if pupil == nil, let stored = Self.pupilWithLostZeros(idText, upn: upnText, byUPN: pupilByUPN, in: year.pupils) {
                    // Excel drops an id's leading zeros (`2` for `000002`): the same pupil when the
                    // digits agree and the UPN, if given, is theirs (issue 12, item 13).
                    pupil = stored
                    issue(.pupilIDLostZeros, "pupil_id", idText, "matched to pupil \(stored.id)\(upnText.isEmpty ? "" : " by UPN \(upnText)"): "
                          + "the id has lost its leading zeros; format the column as text to keep them", warning: true)
                }
                if pupil == nil { issue(.unknownPupil, "pupil_id", idText, "no pupil with this id in \(year.school.name) \(year.academicYear)") }
                else if !upnText.isEmpty, let upn = pupil?.upn?.rawValue, upn != upnText {
                    issue(.conflictingPupil, "upn", upnText, "pupil \(idText) has UPN \(upn): the row's pupil_id and upn name different pupils; correct one")
                    pupil = nil
                }
            } else if !upnText.isEmpty {
                pupil = pupilByUPN[upnText]
                if pupil == nil { issue(.unknownPupil, "upn", upnText, "no pupil with this UPN in \(year.school.name) \(year.academicYear)") }
            } else {
                issue(.missingValue, columns["pupil_id"] != nil ? "pupil_id" : "upn", nil, "no pupil_id or UPN: the row cannot be matched to a pupil")
            }
            let subjectText = cell("subject")
            let subject = subjects[Subject.ID(subjectText)]
            if subject == nil {
                if subjectText.isEmpty { issue(.missingValue, "subject", nil, "no subject code") }
                else { issue(.unknownSubject, "subject", subjectText, "no subject with this code; the school's codes are \(year.subjects.map(\.id.rawValue).sorted().joined(separator: ", "))") }
            }
            let collectionText = cell("collection")
            let rowCollection = collectionText.isEmpty ? collection : DataCollection.ID(collectionText)
            if rowCollection != collection {
                if collections.contains(rowCollection) {
                    issue(.otherCollection, "collection", collectionText, "this row is for \(rowCollection), but \(collection) is being imported: import it with --collection \(rowCollection)")
                } else {
                    issue(.unknownCollection, "collection", collectionText, "no collection with this code; the year's are \(year.collections.map(\.id.rawValue).joined(separator: ", "))")
                }
            }
            guard let pupil, let subject, rowCollection == collection else {
                rejectedLines.insert(record.line)
                entries.append(nil)
                continue
            }
            let key = Key(pupil: pupil.id, subject: subject.id, collection: collection)

            // A pupil twice in one file: both rows rejected.
            if let first = firstLine[key] {
                issue(.duplicateEntry, columns["pupil_id"] != nil ? "pupil_id" : "upn", pupil.id.rawValue,
                      "pupil \(pupil.id), subject \(subject.id), \(collection) is also on line \(first.line) — both rows rejected: remove one")
                if let e = first.entry, entries[e] != nil { entries[e] = nil }
                rejectedLines.insert(first.line)
            }

            // Read-only columns: never saved; a change is worth a warning.
            func readOnly(_ key: String, _ expected: String, what: String) {
                guard columns[key] != nil else { return }
                var found = cell(key)
                if found.hasPrefix("'"), let next = found.dropFirst().first, "=+-@".contains(next) { found.removeFirst() }  // CSVTable's formula guard
                guard found.lowercased() != expected.lowercased() else { return }
                issue(.readOnlyChanged, key, found, "read-only column changed (\(what) is \(expected.isEmpty ? "blank" : expected)): the change is ignored, nothing is saved from it", warning: true)
            }
            if !idText.isEmpty { readOnly("upn", pupil.upn?.rawValue ?? "", what: "the pupil's UPN") }
            readOnly("surname", pupil.surname, what: "the stored surname")
            readOnly("forename", pupil.forename, what: "the stored forename")
            if columns["class"] != nil {
                let text = cell("class")
                let group = groups[TeachingGroup.ID(text)]
                if group?.subject != subject.id || group?.pupils.contains(pupil.id) != true {
                    issue(.readOnlyChanged, "class", text, "read-only column changed: pupil \(pupil.id) is not in a \(subject.id) class with this code; the class is not saved from a markbook", warning: true)
                }
            }
            readOnly("previous_working_at", previous.flatMap { stored[Key(pupil: pupil.id, subject: subject.id, collection: $0.id)]?.workingAt?.stored } ?? "",
                     what: "the stored \(previous?.id.rawValue ?? "previous") working-at grade")
            readOnly("target", targets[TargetKey(pupil: pupil.id, subject: subject.id)] ?? "", what: "the stored target")

            // Values.
            var cells: [Cell] = []
            let old = stored[key]
            for field in Field.allCases where columns[field.rawValue] != nil {
                let text = cell(field.rawValue)
                guard !text.isEmpty else { continue }  // blank: not entered, never overwrites
                let scaleID = field == .atl ? subject.atlScale : subject.scale
                guard let scale = year.scales[scaleID] else {
                    issue(.scaleInvalid, field.rawValue, text, "the scale \(scaleID) of \(subject.id) is not known: ask the data lead to import it")
                    continue
                }
                do {
                    if let value = try scale.parse(text) { cells.append(Cell(field: field, column: columnName(field.rawValue), text: text, value: value)) }
                } catch {
                    let storedValue: EntryValue? = switch field {
                    case .workingAt: old?.workingAt
                    case .predicted: old?.predicted
                    case .atl: old?.atl
                    }
                    if case .offScale(let raw)? = storedValue, raw.trimmed == text {
                        issue(.storedOffScale, field.rawValue, text, "the stored value is not on \(scale.name); it is left as it is: enter a grade to correct it", warning: true)
                    } else {
                        issue(.offScale, field.rawValue, text, "not on \(scale.name) for \(subject.name) (\(subject.id)): \(Self.acceptedCodes(scale))")
                    }
                }
            }
            if errors || rejectedLines.contains(record.line) {
                rejectedLines.insert(record.line)
                firstLine[key] = firstLine[key] ?? (record.line, nil)
                entries.append(nil)
                continue
            }
            var assessment = Assessment(pupil: pupil.id, subject: subject.id, collection: collection, source: "\(name):\(record.line)")
            for c in cells {
                switch c.field {
                case .workingAt: assessment.workingAt = c.value
                case .predicted: assessment.predicted = c.value
                case .atl: assessment.atl = c.value
                }
            }
            if firstLine[key] == nil { firstLine[key] = (record.line, cells.isEmpty ? nil : entries.count) }
            entries.append(cells.isEmpty ? nil : Entry(assessment: assessment, file: name, line: record.line, cells: cells))
        }
        summary.rowsAccepted = summary.rowsRead - rejectedLines.count
        let kept = entries.compactMap { $0 }.filter { !rejectedLines.contains($0.line) }
        let sorted = issues.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
        return Result(entries: kept, issues: sorted, files: [summary])
    }
}

extension ImportIssue.Code {
    /// A markbook's read-only column (name, class, previous grade, target) differs from what the
    /// export wrote; a warning: nothing is saved from it.
    public static let readOnlyChanged = ImportIssue.Code(rawValue: "read_only_changed")
    /// A markbook row for another collection than the one being imported.
    public static let otherCollection = ImportIssue.Code(rawValue: "other_collection")
    /// Two markbooks read together give different values for the same cell; both rows rejected.
    public static let conflictingEntry = ImportIssue.Code(rawValue: "conflicting_entry")
    /// A markbook cell repeats a stored value that is not on the scale: left as it is (warning).
    public static let storedOffScale = ImportIssue.Code(rawValue: "stored_off_scale")
    /// An entry made outside its collection's window (before it opens, or after it locks without
    /// a data manager's override); the row is refused.
    public static let outsideWindow = ImportIssue.Code(rawValue: "outside_window")
}

extension MarkbookFile {
    /// The pupil whose id is `id` with leading zeros put back (`2` → `000002`), when exactly one
    /// pupil's id has those digits and a given UPN is that pupil's; nil otherwise (a UPN of
    /// another pupil is then the conflicting-pupil error, not a match).
    static func pupilWithLostZeros(_ id: String, upn: String, byUPN: [String: Pupil], in pupils: [Pupil]) -> Pupil? {
        guard id.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if !upn.isEmpty {
            guard let pupil = byUPN[upn], pupil.id.rawValue.count > id.count,
                  pupil.id.rawValue.allSatisfy({ $0.isASCII && $0.isNumber }),
                  pupil.id.rawValue.drop(while: { $0 == "0" }) == id.drop(while: { $0 == "0" }) else { return nil }
            return pupil
        }
        guard case .found(let pupil) = PupilLookup.find(id, in: pupils), pupil.id.rawValue != id else { return nil }
        return pupil
    }
}
