import Foundation
import HeadwayCore

/// A pupil × subject × collection cell of the result.
struct Slot: Hashable {
    var subject: Subject.ID
    var collection: DataCollection.ID
}

/// One data row once read and checked, before rows are combined.
struct ParsedRow {
    var file: Int
    /// The file's last path component (used in ambiguous pupil ids).
    var fileName: String
    var line: Int
    /// `[pupil_key]` values, trimmed, when the mapping builds ids from columns.
    var keyValues: [String]?
    var pupil: Pupil.ID?
    var upn: UPN?
    var forename: String?
    var surname: String?
    var dateOfBirth: CalendarDate?
    var yearGroup: Int?
    var tutorGroup: String?
    var ks2Reading: Int?
    var ks2Maths: Int?
    var characteristics: [(name: String, value: String, column: String)] = []
    var entries: [(slot: Slot, kind: ColumnMapping.EntryKind, value: EntryValue)] = []
    /// Every subject × collection the row's grade columns address, blank or not, each once, in
    /// the order of the mapping's grade columns (an array: a set per row was a million hash
    /// tables in a large import, for one or three slots each).
    var slots: [Slot] = []
    /// The same, as text even where a code did not resolve, each once, for telling ambiguous
    /// `[pupil_key]` keys apart (filled only for a mapping with a pupil key); a row of a mapping
    /// without grade columns addresses the one "pupil record" slot (in a class list: the
    /// membership of its class).
    var slotTexts: [String] = []
    /// Class list: the row's class, its subject and the staff codes teaching it.
    var teachingGroup: TeachingGroup.ID?
    var groupSubject: Subject.ID?
    var teachers: [Staff.ID] = []
    /// Staff list: the member of staff the row describes.
    var staff: Staff?
    var rejected = false

    init(file: Int, fileName: String, line: Int) {
        self.file = file
        self.fileName = fileName
        self.line = line
    }
}

/// The state of one `CSVImporter.read` call.
struct ImportRun {
    let mapping: ColumnMapping
    /// Threads a file's rows are read on.
    let threads: Int
    var summaries: [ImportResult.FileSummary] = []
    var rows: [ParsedRow] = []
    var issues: [(file: Int, line: Int, seq: Int, issue: ImportIssue)] = []

    init(mapping: ColumnMapping, threads: Int) {
        self.mapping = mapping
        self.threads = max(1, threads)
    }

    mutating func addIssue(_ issue: ImportIssue, file: Int) {
        issues.append((file, issue.line ?? 0, issues.count, issue))
    }

    // MARK: Reading one file

    /// Reads one file's records as the scanner yields them (the file's text is never held as
    /// records: issue 13, item 2), checking each row as it comes.
    mutating func readFile(index: Int, name: String, data: Data) {
        let settings = mapping.settings(forFile: name)
        CSVText.withRecords(data, separator: settings.separator ?? mapping.separator) { records, encoding, separator in
            var summary = ImportResult.FileSummary(name: name, encoding: encoding, separator: separator,
                                                   rowsRead: 0, rowsAccepted: 0, rowsRejected: 0,
                                                   errors: 0, warnings: 0, pupils: 0)
            defer { summaries.append(summary) }

            guard let header = records.next() else {
                addIssue(ImportIssue(.unusableFile, file: name, reason: "the file is empty: expected a header line"), file: index)
                return
            }
            let fileProblems = checkHeader(header, fileName: name, settings: settings)
            for issue in fileProblems { addIssue(issue, file: index) }
            guard !fileProblems.contains(where: { $0.severity == .error }) else {
                summary.rowsRead = records.skipRest()
                summary.rowsRejected = summary.rowsRead
                return
            }
            let headers = header.fields.map { $0.trimmed }
            var columnIndex: [String: Int] = [:]
            for (i, h) in headers.enumerated() where columnIndex[h] == nil { columnIndex[h] = i }
            let reader = RowReader(mapping: mapping, settings: settings, fileName: name, headerCount: headers.count,
                                   columnIndex: columnIndex)
            // Taken apart, so the rows are this array's alone: `assignKeyIDs` changes them in place.
            var (fileRows, found) = Self.readRows(records, reader: reader, file: index, threads: threads)
            for issue in found { addIssue(issue, file: index) }
            summary.rowsRead = fileRows.count
            if let key = mapping.pupilKey { assignKeyIDs(&fileRows, key: key, file: index, name: name) }
            // Moved, not copied, when this is the first file (a million rows copied was a tenth of an import).
            if rows.isEmpty { rows = fileRows } else { rows.append(contentsOf: fileRows) }
        }
    }

    /// The rows of one byte range, read and checked: lines are counted from the range's first
    /// line, and the range ends where its last record did.
    struct RangeRead {
        var rows: [ParsedRow] = []
        var issues: [ImportIssue] = []
        /// Offset after the last record read, and the line the next record starts on.
        var end = 0
        var nextLine = 1
        /// Bytes a row is taken to need when making room for a range's rows (a results row is 80).
        static let bytesPerRow = 64

        /// Reads the records that start in `range` of `bytes` (the first on `line`) with `reader`.
        mutating func read(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8, _ range: Range<Int>, line: Int,
                           reader: RowReader, file: Int) {
            let scanner = CSVScanner(bytes, separator: separator, from: range.lowerBound, line: line)
            rows.reserveCapacity(rows.count + range.count / RangeRead.bytesPerRow)
            var found: [ImportIssue] = []
            while scanner.position < range.upperBound, scanner.next() {
                guard !scanner.isBlank else { continue }
                var row = reader.read(CSVRecord(line: scanner.line, fields: scanner.strings), file: file, issues: &found)
                row.rejected = found.contains { $0.severity == .error }
                issues += found
                found.removeAll(keepingCapacity: true)
                rows.append(row)
            }
            end = scanner.position
            nextLine = scanner.nextLine
        }

        /// Takes the rows of the range that follows this one, moving their lines on.
        mutating func append(_ later: consuming RangeRead) {
            let shift = nextLine - 1
            for i in later.rows.indices { later.rows[i].line += shift }
            rows += later.rows
            issues += later.issues.map { var issue = $0; issue.line = issue.line.map { $0 + shift }; return issue }
            end = later.end
            nextLine = later.nextLine + shift
        }
    }

    /// Reads and checks the records after the header in byte ranges on `threads` threads at
    /// once (issue 13, item 4), with the same rows and issues, in the same order and on the same
    /// lines, as reading them in one go. A split is checked when the ranges are joined: when a
    /// quoted field runs over it, the rows before it read on past it, and the next range is read
    /// again from where they stopped.
    static func readRows(_ records: CSVText.RecordIterator, reader: RowReader, file: Int,
                         threads: Int) -> (rows: [ParsedRow], issues: [ImportIssue]) {
        // Read only, and alive for the whole call (the caller holds the file's bytes).
        nonisolated(unsafe) let bytes = records.bytes
        let separator = records.scanner.separator
        let firstLine = records.scanner.nextLine
        // A range a thread: each range after the first is copied once when joined.
        let ranges = CSVText.ranges(of: bytes, from: records.scanner.position, pieces: threads)
        var read = [RangeRead](repeating: RangeRead(), count: ranges.count)
        // The first range's rows take the others' when joined: room for the whole file's spares
        // a move of the first range's rows into a larger array.
        if ranges.count > 1 { read[0].rows.reserveCapacity((bytes.count - ranges[0].lowerBound) / RangeRead.bytesPerRow) }
        // The reader only reads its own constants, so the threads share it.
        nonisolated(unsafe) let reader = reader
        read.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
                out[k].read(bytes, separator: separator, ranges[k], line: k == 0 ? firstLine : 1, reader: reader, file: file)
            }
        }
        var joined = read[0]
        read[0] = RangeRead()
        for k in 1..<ranges.count {
            let later = read[k]
            read[k] = RangeRead()  // taken out, so its rows are changed in place, not copied
            if joined.end == ranges[k].lowerBound {
                joined.append(later)
            } else if joined.end < ranges[k].upperBound {
                joined.read(bytes, separator: separator, joined.end..<ranges[k].upperBound, line: joined.nextLine, reader: reader, file: file)
            }
        }
        return (joined.rows, joined.issues)
    }

    /// Whole-file checks: every mapped header present once (an optional one missing is a
    /// warning), and enough mapped or constant to give each row a year group (pupil files), each
    /// grade a subject and a collection, and each class a subject.
    private func checkHeader(_ header: CSVRecord, fileName: String, settings: ColumnMapping.FileSettings) -> [ImportIssue] {
        let headers = header.fields.map { $0.trimmed }
        let fixed = settings.constants
        let c = mapping.columns
        var needed: [ColumnMapping.Column] = [c.pupilID, c.upn, c.forename, c.surname, c.dateOfBirth, c.ks2Reading, c.ks2Maths,
                                              c.teachingGroup, c.teachers, c.staffCode, c.staffTitle, c.staffForename,
                                              c.staffSurname, c.staffEmail]
            .compactMap { $0 }
        if fixed.yearGroup == nil, let col = c.yearGroup { needed.append(col) }
        if fixed.tutorGroup == nil, let col = c.tutorGroup { needed.append(col) }
        if fixed.subject == nil, let col = c.subject { needed.append(col) }
        if fixed.collection == nil, let col = c.collection { needed.append(col) }
        if let key = mapping.pupilKey {
            needed += key.columns.enumerated().map { .init(name: $1, mappingKey: "pupil_key.columns[\($0 + 1)]") }
        }
        needed += mapping.gradeColumns.map(\.column) + mapping.characteristics.map(\.column)

        var problems: [ImportIssue] = []
        var reported = Set<String>()
        let list = ImportIssue.headerList(headers)
        let present = Set(headers)
        for column in needed where reported.insert(column.name).inserted {
            let count = headers.filter { $0 == column.name }.count
            if count == 0 {
                let near = headers.first { $0.lowercased() == column.name.lowercased() } ?? Spelling.nearest(column.name, in: headers)
                let optional = needed.filter { $0.name == column.name }.allSatisfy(\.isOptional)
                problems.append(ImportIssue(
                    .missingColumn, severity: optional ? .warning : .error, file: fileName, line: header.line, column: column.name,
                    reason: "\(mapping.file) maps this column (\(column.mappingKey)) but \(ColumnMapping.fileName(fileName)) has no such header"
                        + (near.map { " (did you mean \"\($0)\"?)" } ?? "")
                        + (optional ? "; it is optional, so the file is read without it (nothing stored is erased)" : "")
                        + "; its headers are: \(list)"))
            } else if count > 1 {
                problems.append(ImportIssue(
                    .duplicateHeader, file: fileName, line: header.line, column: column.name,
                    reason: "the header occurs \(count) times, so \(mapping.file) (\(column.mappingKey)) cannot tell which column to read; rename one"))
            }
        }

        let hasSubject = fixed.subject != nil || c.subject != nil || mapping.constants.subject != nil
        let hasCollection = fixed.collection != nil || c.collection != nil || mapping.constants.collection != nil
        let fileKey = "[files.\"\(ColumnMapping.fileName(fileName))\"]"
        let yearColumn = c.yearGroup.flatMap { present.contains($0.name) ? $0 : nil }
        if mapping.kind == .pupils, fixed.yearGroup == nil, yearColumn == nil, mapping.constants.yearGroup == nil {
            problems.append(ImportIssue(.unusableFile, file: fileName, reason:
                "\(mapping.file) gives no year group for the pupils: map columns.year_group, or set year_group in [constants] or \(fileKey)"))
        }
        for g in mapping.gradeColumns {
            if g.subject == nil, !hasSubject {
                problems.append(ImportIssue(.unusableFile, file: fileName, column: g.column.name, reason:
                    "\(mapping.file) gives no subject for this grade column: map columns.subject, set subject on \(g.column.mappingKey), or set subject in [constants] or \(fileKey)"))
            }
            if g.collection == nil, !hasCollection {
                problems.append(ImportIssue(.unusableFile, file: fileName, column: g.column.name, reason:
                    "\(mapping.file) gives no collection for this grade column: map columns.collection, set collection on \(g.column.mappingKey), or set collection in [constants] or \(fileKey)"))
            }
        }
        if mapping.kind == .classes, !hasSubject {
            problems.append(ImportIssue(.unusableFile, file: fileName, column: c.teachingGroup?.name, reason:
                "\(mapping.file) gives no subject for the classes: map columns.subject, or set subject in [constants] or \(fileKey)"))
        }
        let gradeSubjects = Set(mapping.gradeColumns.compactMap(\.subject))
        for ch in mapping.characteristics where ch.perSubject && !hasSubject && gradeSubjects.count != 1 {
            problems.append(ImportIssue(.unusableFile, file: fileName, column: ch.column.name, reason:
                "characteristic \"\(ch.name)\" is per_subject but \(mapping.file) gives the rows no subject: map columns.subject, or set subject in [constants] or \(fileKey)"))
        }
        return problems
    }

    /// Gives rows their `[pupil_key]` id. Rule (ColumnMapping docs): a key on two rows of this
    /// file addressing the same subject × collection is ambiguous, and each of its rows becomes a
    /// separate pupil named after its file and line.
    private mutating func assignKeyIDs(_ fileRows: inout [ParsedRow], key: ColumnMapping.PupilKey, file: Int, name: String) {
        var groups: [[String]: [Int]] = [:]
        var order: [[String]] = []
        for (i, row) in fileRows.enumerated() {
            guard let values = row.keyValues else { continue }
            if groups[values] == nil { order.append(values) }
            groups[values, default: []].append(i)
        }
        for values in order {
            let members = groups[values]!
            var seen = Set<String>()
            let ambiguous = members.count > 1 && members.contains { i in
                fileRows[i].slotTexts.contains { !seen.insert($0).inserted }
            }
            if ambiguous {
                let lines = members.map { String(fileRows[$0].line) }.joined(separator: ", ")
                addIssue(ImportIssue(
                    .ambiguousPupilKey, severity: .warning, file: name, line: fileRows[members[0]].line,
                    value: values.joined(separator: ";"),
                    reason: "this [pupil_key] is on lines \(lines) for the same subject and collection, so it does not identify one pupil: each of these rows is kept as a separate pupil, not matched with other files"),
                         file: file)
                for i in members {
                    fileRows[i].pupil = Pupil.ID(key.ambiguousID(for: values, file: fileRows[i].fileName, line: fileRows[i].line))
                }
            } else {
                let id = Pupil.ID(key.id(for: values))
                for i in members { fileRows[i].pupil = id }
            }
        }
    }
}
