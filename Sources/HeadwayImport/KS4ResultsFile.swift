import Foundation
import HeadwayCore

/// Reads a long KS4 results file — one row per pupil × qualification — into ``KS4Pupil`` values,
/// for the database-free path (`headway ks4 RESULTS.csv`) and the benchmark.
///
/// Columns (header names compared ignoring case, surrounding spaces, and spaces vs `_`; any other
/// column is ignored):
///
/// | column | required | holds |
/// | --- | --- | --- |
/// | `pupil` | yes | the pupil's id (any text; UPN or MIS id) |
/// | `subject` | one of the two | a subject key as in `a8-p8-worked-examples.csv`: `english_language`, `english_literature`, `maths`, `combined_science`, `biology`, `chemistry`, `physics`, `computer_science`, `history`, `geography`, a language (`french`, `spanish`, `latin`, …) or any other subject (`art`, `drama`, …: open element only) |
/// | `qualification_number` (or `qn`) | one of the two | a DfE QN, e.g. `60142923`; its category, points and discount code come from the DfE lists |
/// | `grade` | yes | GCSE `9`–`1`, `U`, combined science `6-5` (or `6/5`), `X` = absent / no result; with a QN, any grade of that qualification (`A*`, `L2 Distinction*`, …) |
/// | `ks2_reading`, `ks2_maths` | no (a warning when missing) | KS2 scaled scores 59–120, blank when not known; repeated on each of the pupil's rows or given once |
/// | `subject_name` | no | a name to show |
///
/// Form (as every Headway reader): UTF-8 with or without BOM, UTF-16, Windows-1252; `,` `;` or
/// tab; physical line numbers with the header as line 1.
///
/// Checks, each an ``ImportIssue`` with file, line, column, value and reason; a row with an
/// error contributes nothing:
/// - `field_count`: the row's fields do not match the header;
/// - `missing_value`: blank pupil, grade, or both subject and QN;
/// - `unknown_subject`: `english` (say `english_language` or `english_literature`: only both
///   together double the English element);
/// - `unknown_qualification`: a QN not on the DfE lists (a warning when a `subject` is also
///   given, which is then used), no lists loaded, or not a QN;
/// - `off_scale`: a grade not on the GCSE, combined-science or the QN's grades;
/// - `invalid_scaled_score`: a KS2 score that is not a whole number 59–120;
/// - `conflicting_pupil`: a KS2 score different from one on an earlier row of the same pupil;
/// - `duplicate_entry` (warning): the same pupil and subject (or QN) twice; both are kept and
///   discounting counts the better.
public struct KS4ResultsFile: FileReader {
    /// What a read produced.
    public struct Result: Sendable {
        /// Pupils in order of their first accepted row; each pupil's results in file order.
        public var pupils: [KS4Pupil]
        /// Every problem, in line order.
        public var issues: [ImportIssue]
        /// Data rows (blank lines and the header not counted).
        public var rowsRead: Int
        /// Rows with no error.
        public var rowsAccepted: Int
        /// Rows with an error (`rowsRead = rowsAccepted + rowsRejected`); every row when the file
        /// could not be used.
        public var rowsRejected: Int
        /// The encoding detected; nil when the file could not be read.
        public var encoding: TextEncoding?
        /// The separator detected (`,` `;` or tab); nil when the file could not be read.
        public var separator: Unicode.Scalar?
        /// Subject keys read as "any other subject" (open element only), with their accepted
        /// rows, most rows first: a reader can see that `art` and `drama` were meant, and catch a
        /// key that was not (a near-miss of a known key is also a warning).
        public var openElementOnly: [(key: String, rows: Int)] = []
        /// Pupils with at least one rejected row: their figures leave that row out.
        public var pupilsWithRejectedRows: Set<String> = []

        /// True when any issue is an error.
        public var hasErrors: Bool { issues.contains { $0.isError } }
    }

    /// The DfE lists used for rows with a QN; nil when none are loaded (then a QN row is an error).
    public var qualifications: KS4QualificationTable?
    /// The KS4 year of the results: decides whether a QN counts in the EBacc that year
    /// (the lists' flags run to 2021; later years use 2021's).
    public var ks4Year: Int

    /// A reader.
    /// - Parameters:
    ///   - qualifications: the DfE lists, for rows that give a QN.
    ///   - ks4Year: the results' KS4 year (default: the lists' year, else 2019).
    public init(qualifications: KS4QualificationTable? = nil, ks4Year: Int? = nil) {
        self.qualifications = qualifications
        self.ks4Year = ks4Year ?? qualifications?.ks4Year ?? 2019
    }

    public func unreadable(_ issue: ImportIssue) -> Result {
        Result(pupils: [], issues: [issue], rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, encoding: nil, separator: nil)
    }

    /// Reads a file's bytes; `name` names it in issues. Every pupil is in ``Result/pupils``.
    public func read(name: String, contents: Data) -> Result {
        var (result, collected) = read(name: name, contents: contents, chunks: 1) { CollectedPupils() }
        result.pupils = collected.pupils
        return result
    }

    /// Reads a file's bytes and hands each pupil, with all their accepted results, to a sink
    /// instead of holding them: memory stays in proportion to the rows' numbers, not to the
    /// pupils' results (issue 13, item 2). ``Result/pupils`` is left empty.
    ///
    /// With `chunks` above 1 the rows are split on bytes and the pupils into contiguous runs, each
    /// run on its own thread with its own sink (made by `makeSink`), merged in order with
    /// ``KS4PupilSink/append(_:)``: the issues, counts and pupils are the same, in the same order,
    /// for any `chunks`.
    public func read<Sink: KS4PupilSink>(name: String, contents: Data, chunks: Int,
                                          sink makeSink: @Sendable () -> Sink) -> (result: Result, sink: Sink) {
        TextDecoding.withUTF8(contents) { bytes, encoding in
            var parse = KS4RowParse(reader: self, name: name, bytes: bytes)
            var result = Result(pupils: [], issues: [], rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, encoding: encoding,
                                separator: Unicode.Scalar(parse.separator))
            guard parse.readHeader() else {
                result.issues = parse.issues
                result.rowsRead = parse.rowsRead
                result.rowsRejected = parse.rowsRead
                return (result, makeSink())
            }
            let rows = parse.readRows(chunks: chunks)
            let (sink, pupilsRead) = rows.pupils(chunks: chunks, columns: parse.columns, name: name, makeSink: makeSink)
            result.issues = parse.issues + pupilsRead.issues
            result.issues += pupilsRead.openOnly.nearMissWarnings(file: name, column: parse.columns["subject"]?.name)
            result.issues.sort { ($0.line ?? 0) < ($1.line ?? 0) }
            result.rowsRead = parse.rowsRead
            result.rowsAccepted = pupilsRead.accepted
            result.rowsRejected = parse.rowsRead - pupilsRead.accepted
            result.openElementOnly = pupilsRead.openOnly.counts
            result.pupilsWithRejectedRows = parse.pupilsWithRejectedRows.union(pupilsRead.pupilsWithRejectedRows)
            return (result, sink)
        }
    }
}

/// Receives the pupils of a KS4 results file in file order, each with every accepted result
/// (``KS4ResultsFile/read(name:contents:chunks:sink:)``).
public protocol KS4PupilSink: Sendable {
    /// Takes the next pupil.
    mutating func add(_ pupil: KS4Pupil)
    /// Takes every pupil of `later`, a sink of the pupils that follow this one's.
    mutating func append(_ later: Self)
}

/// The sink that keeps every pupil (``KS4ResultsFile/read(name:contents:)``).
struct CollectedPupils: KS4PupilSink {
    var pupils: [KS4Pupil] = []
    mutating func add(_ pupil: KS4Pupil) { pupils.append(pupil) }
    mutating func append(_ later: CollectedPupils) { pupils += later.pupils }
}

/// A KS4 results file's rows read to numbers (``KS4ResultsFile``): first the checks each row can
/// make alone (field count, pupil, KS2 scores, subject / QN / grade, each distinct combination of
/// those cells read once), then, per pupil, the checks between rows (KS2 agreeing, the same
/// result twice) as the pupils are handed on.
struct KS4RowParse {
    let reader: KS4ResultsFile
    let name: String
    let bytes: UnsafeBufferPointer<UInt8>
    let separator: UInt8
    var issues: [ImportIssue] = []
    var rowsRead = 0
    var pupilsWithRejectedRows = Set<String>()
    /// Logical column (`pupil`, `subject`, `qualification_number`, `grade`, `ks2_reading`,
    /// `ks2_maths`, `subject_name`) → index and header text.
    var columns: [String: (index: Int, name: String)] = [:]
    private var headerCount = 0
    private var headerLine = 0
    private var dataStart = 0
    private var dataLine = 1

    init(reader: KS4ResultsFile, name: String, bytes: UnsafeBufferPointer<UInt8>) {
        self.reader = reader
        self.name = name
        self.bytes = bytes
        separator = CSVScanner.detectSeparator(in: bytes)
    }

    /// Reads the header (the first record that is not blank); false, with the issue, when the
    /// file is empty or lacks a required column.
    mutating func readHeader() -> Bool {
        let scanner = CSVScanner(bytes, separator: separator)
        var header: [String]?
        while scanner.next() {
            if !scanner.isBlank { header = scanner.strings; headerLine = scanner.line; break }
        }
        dataStart = scanner.position
        dataLine = scanner.nextLine
        guard let header else {
            issues.append(ImportIssue(.unusableFile, file: name, reason: "the file is empty: expected a header row with pupil, subject or qualification_number, grade, ks2_reading, ks2_maths"))
            return false
        }
        for (i, raw) in header.enumerated() {
            let key = KS4Result.subjectKey(raw.trimmed)
            let canonical = key == "qn" ? "qualification_number" : key
            if columns[canonical] == nil { columns[canonical] = (i, raw.trimmed) }
        }
        headerCount = header.count
        var missing: [String] = []
        if columns["pupil"] == nil { missing.append("pupil") }
        if columns["grade"] == nil { missing.append("grade") }
        if columns["subject"] == nil && columns["qualification_number"] == nil { missing.append("subject or qualification_number") }
        if !missing.isEmpty {
            issues.append(ImportIssue(.missingColumn, file: name, line: headerLine, column: missing.joined(separator: ", "),
                                      reason: "the header has no column \(missing.joined(separator: ", ")); its columns are: \(ImportIssue.headerList(header.map(\.trimmed)))"))
            let scanner = CSVScanner(bytes, separator: separator, from: dataStart, line: dataLine)
            while scanner.next() { if !scanner.isBlank { rowsRead += 1 } }
            return false
        }
        for column in ["ks2_reading", "ks2_maths"] where columns[column] == nil {
            issues.append(ImportIssue(.missingColumn, severity: .warning, file: name, line: headerLine, column: column,
                                      reason: "no \(column) column: pupils have no KS2 \(column == "ks2_reading" ? "reading" : "maths") score (P8 uses the other score, or none)"))
        }
        return true
    }

    /// Reads every data row, in `chunks` byte ranges at once when it can split the bytes at a
    /// record boundary (a split is checked: when a quoted field crosses it, the first range is
    /// read on to the end instead).
    mutating func readRows(chunks: Int) -> KS4Rows {
        let template = RowReading(parse: self), firstLine = dataLine
        let ranges = CSVText.ranges(of: bytes, from: dataStart, pieces: chunks)
        var read = [RowReading?](repeating: nil, count: ranges.count)
        read.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
                var chunk = template
                chunk.read(ranges[k], line: k == 0 ? firstLine : 1)
                out[k] = chunk
            }
        }
        // Join in order; a range whose start was not where its predecessor ended is read again
        // from where it did end.
        var joined = read[0]!
        for k in 1..<ranges.count {
            if joined.end == ranges[k].lowerBound {
                joined.append(read[k]!)
            } else if joined.end < ranges[k].upperBound {
                joined.read(joined.end..<ranges[k].upperBound, line: joined.nextLine)
            }
        }
        issues += joined.issues
        rowsRead = joined.rowsRead
        pupilsWithRejectedRows = joined.pupilsWithRejectedRows
        return joined.rows
    }

    /// Reads rows of one byte range to numbers. Sendable because each thread reads its own copy
    /// and the bytes it points at are only read, while ``KS4ResultsFile/read(name:contents:chunks:sink:)`` holds them.
    struct RowReading: @unchecked Sendable {
        let reader: KS4ResultsFile
        let name: String
        let bytes: UnsafeBufferPointer<UInt8>
        let separator: UInt8
        let columns: [String: (index: Int, name: String)]
        let headerCount: Int
        let pupilColumn: Int, subjectColumn: Int?, qnColumn: Int?, gradeColumn: Int, nameColumn: Int?
        let readingColumn: Int?, mathsColumn: Int?
        var rows = KS4Rows()
        var issues: [ImportIssue] = []
        var rowsRead = 0
        var pupilsWithRejectedRows = Set<String>()
        /// Where the last record read ended, and the line after it.
        var end = 0
        var nextLine = 1
        /// Each distinct (subject, QN, grade, name) combination, and the ``KS4Rows/cells`` entry
        /// that reads it (after ranges are joined, the two numberings differ).
        private var combinations = ByteInterner()
        private var cellsOfCombination: [Int32] = []
        private var key: [UInt8] = []

        init(parse: KS4RowParse) {
            reader = parse.reader
            name = parse.name
            bytes = parse.bytes
            separator = parse.separator
            columns = parse.columns
            headerCount = parse.headerCount
            pupilColumn = columns["pupil"]!.index
            gradeColumn = columns["grade"]!.index
            subjectColumn = columns["subject"]?.index
            qnColumn = columns["qualification_number"]?.index
            nameColumn = columns["subject_name"]?.index
            readingColumn = columns["ks2_reading"]?.index
            mathsColumn = columns["ks2_maths"]?.index
        }

        /// Reads the records of `range`, the first starting on `line`; the lines of another
        /// range's rows are fixed when it is appended.
        mutating func read(_ range: Range<Int>, line: Int) {
            let scanner = CSVScanner(bytes, separator: separator, from: range.lowerBound, line: line)
            // About one row per 24 bytes (a short row of a results file): growing by doubling
            // moved and faulted in the rows three times over.
            rows.rows.reserveCapacity(rows.rows.count + range.count / 24)
            while scanner.position < range.upperBound, scanner.next() {
                if !scanner.isBlank { readRow(scanner) }
            }
            end = scanner.position
            nextLine = scanner.nextLine
        }

        private mutating func readRow(_ scanner: CSVScanner) {
            rowsRead += 1
            let line = scanner.line
            var rowErrors = 0
            func issue(_ code: ImportIssue.Code, _ column: String?, _ value: String?, _ reason: String, warning: Bool = false) {
                if !warning { rowErrors += 1 }
                issues.append(ImportIssue(code, severity: warning ? .warning : .error, file: name, line: line,
                                          column: column.flatMap { columns[$0]?.name }, value: value, reason: reason))
            }
            if scanner.fieldCount != headerCount,
               let reason = CSVText.fieldCountProblem(CSVRecord(line: line, fields: scanner.strings), headerCount: headerCount) {
                issue(.fieldCount, nil, nil, reason)
                return
            }
            let pupil = scanner.trimmed(pupilColumn)
            if pupil.isEmpty { issue(.missingValue, "pupil", "", "no pupil id: every row needs one") }

            func score(_ column: String, _ index: Int?) -> Int16 {
                guard let index else { return 0 }
                let cell = scanner.trimmed(index)
                guard !cell.isEmpty else { return 0 }
                if let n = cell.integer, PriorAttainment.validScaledScores.contains(n) { return Int16(n) }
                let range = PriorAttainment.validScaledScores
                issue(.invalidScaledScore, column, cell.string, "not a KS2 scaled score: expected a whole number from \(range.lowerBound) to \(range.upperBound) (80–120, or a DfE nominal value below 80), or blank")
                return 0
            }
            let reading = score("ks2_reading", readingColumn), maths = score("ks2_maths", mathsColumn)

            // Subject, QN, grade and name: each distinct combination read once (KS4ResultCells).
            key.removeAll(keepingCapacity: true)
            Self.appendKey(subjectColumn.map { scanner.trimmed($0) }, to: &key)
            Self.appendKey(qnColumn.map { scanner.trimmed($0) }, to: &key)
            Self.appendKey(scanner.trimmed(gradeColumn), to: &key)
            Self.appendKey(nameColumn.map { scanner.trimmed($0) }, to: &key)
            let combination = Int(key.withUnsafeBufferPointer { combinations.intern($0) })
            if combination == cellsOfCombination.count {
                cellsOfCombination.append(Int32(rows.cells.count))
                newCells([subjectColumn, qnColumn, gradeColumn, nameColumn].map { $0.map { scanner.trimmed($0).string } ?? "" })
            }
            let cells = cellsOfCombination[combination]
            // Flags, not the combination itself: copying it (its result and texts) per row was a
            // twentieth of the work.
            if rows.cells[Int(cells)].hasIssues {
                for problem in rows.cells[Int(cells)].issues {
                    issue(problem.code, problem.column, problem.value, problem.reason, warning: problem.warning)
                }
            }
            guard rowErrors == 0, rows.cells[Int(cells)].isUsable else {
                if !pupil.isEmpty { pupilsWithRejectedRows.insert(pupil.string) }
                return
            }
            rows.add(pupil: pupil, line: Int32(line), reading: reading, maths: maths, cells: cells)
        }

        /// Appends a cell to a combination's key: its length (one byte below 255, else 255 and
        /// four bytes), then its bytes, so no two combinations have the same key.
        private static func appendKey(_ cell: CSVScanner.Cell?, to key: inout [UInt8]) {
            let count = cell.map { $0.text?.utf8.count ?? $0.bytes.count } ?? 0
            if count < 255 {
                key.append(UInt8(count))
            } else {
                key.append(255)
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: count).littleEndian) { key += $0 }
            }
            guard let cell else { return }
            if let text = cell.text { key += text.utf8 } else { key += cell.bytes }
        }

        /// Reads a combination of subject, QN, grade and name not seen before.
        private mutating func newCells(_ texts: [String]) {
            let subjectText = texts[0]
            var problems: [KS4Rows.Cells.Problem] = []
            let read = KS4ResultCells.read(subject: subjectText,
                                           entry: subjectText.isEmpty ? nil : KS4RowParse.subjectEntry(subjectText),
                                           qualificationNumber: texts[1], grade: texts[2],
                                           qualifications: reader.qualifications, ks4Year: reader.ks4Year,
                                           subjectColumn: subjectColumn != nil) { code, column, value, reason, warning in
                problems.append(.init(code: code, column: column, value: value, reason: reason, warning: warning))
            }
            let result = read.result(pupil: Pupil.ID(""), subjectName: texts[3], ks4Year: reader.ks4Year)
            rows.cells.append(KS4Rows.Cells(read: read, subjectText: subjectText, result: result, issues: problems))
        }

        /// Takes the rows of the range that follows this one.
        mutating func append(_ later: RowReading) {
            let lineShift = Int32(nextLine - 1)
            let cellShift = Int32(rows.cells.count)
            issues += later.issues.map { var issue = $0; issue.line = issue.line.map { $0 + Int(lineShift) }; return issue }
            rowsRead += later.rowsRead
            pupilsWithRejectedRows.formUnion(later.pupilsWithRejectedRows)
            rows.append(later.rows, lineShift: lineShift, cellShift: cellShift)
            // The later range's combinations, so rows read again here find their cells.
            for id in 0..<later.combinations.count {
                let mine = Int(later.combinations.withKey(Int32(id)) { combinations.intern($0) })
                if mine == cellsOfCombination.count { cellsOfCombination.append(later.cellsOfCombination[id] + cellShift) }
            }
            end = later.end
            nextLine = later.nextLine + Int(lineShift)
        }
    }

    /// A subject text's key and category (KS4Result.subjectKey, KS4Category(subjectKey:)).
    static func subjectEntry(_ text: String) -> (key: String, category: KS4Category) {
        let key = KS4Result.subjectKey(text)
        return (key, KS4Category(subjectKey: key))
    }
}

/// The rows of a KS4 results file that passed the checks a row can make alone, as numbers:
/// 16 bytes a row (line, pupil, KS2 reading and maths, and which distinct subject / QN / grade /
/// name combination it holds).
struct KS4Rows: @unchecked Sendable {  // ByteInterner and Cells only read once built
    struct Row {
        var line: Int32
        var pupil: Int32
        var reading: Int16
        var maths: Int16
        var cells: Int32
    }

    /// One distinct combination of a row's subject, QN, grade and name cells, read.
    struct Cells {
        struct Problem {
            var code: ImportIssue.Code, column: String, value: String, reason: String, warning: Bool
        }
        var read: KS4ResultCells
        var subjectText: String
        /// The result (for pupil ""), nil when the cells are not usable.
        var result: KS4Result?
        var issues: [Problem]
        /// What a pupil's repeated result is recognised by (its QN, else its label), and that
        /// key's hash, so a pupil's results are compared by number first.
        var repeatKey: String
        var repeatHash: Int
        /// True when the result counts in the open element only (``OpenOnlySubjects``).
        var isOpenOnly: Bool
        /// `result != nil` and `!issues.isEmpty`, kept as flags for the per-row checks.
        var isUsable: Bool
        var hasIssues: Bool

        init(read: KS4ResultCells, subjectText: String, result: KS4Result?, issues: [Problem]) {
            self.read = read
            self.subjectText = subjectText
            self.result = result
            self.issues = issues
            repeatKey = result.map { $0.qualificationNumber ?? $0.label } ?? ""
            repeatHash = repeatKey.hashValue
            isOpenOnly = OpenOnlySubjects.counts(read)
            isUsable = result != nil
            hasIssues = !issues.isEmpty
        }
    }

    var rows: [Row] = []
    var cells: [Cells] = []
    /// Pupil ids in order of their first row here.
    var pupils = ByteInterner(capacity: 1_024)

    mutating func add(pupil: CSVScanner.Cell, line: Int32, reading: Int16, maths: Int16, cells: Int32) {
        rows.append(Row(line: line, pupil: pupils.intern(pupil), reading: reading, maths: maths, cells: cells))
    }

    /// Appends the rows of a later range: its pupils take this one's numbers where they are the
    /// same pupil, its cells and lines shift.
    mutating func append(_ later: KS4Rows, lineShift: Int32, cellShift: Int32) {
        pupils.reserveCapacity(pupils.count + later.pupils.count)
        let map = (0..<Int32(later.pupils.count)).map { id in later.pupils.withKey(id) { pupils.intern($0) } }
        rows.reserveCapacity(rows.count + later.rows.count)
        for var row in later.rows {
            row.line += lineShift
            row.pupil = map[Int(row.pupil)]
            row.cells += cellShift
            rows.append(row)
        }
        cells += later.cells
    }

    /// What handing the pupils on found.
    struct PupilsRead {
        var issues: [ImportIssue] = []
        var accepted = 0
        var openOnly = OpenOnlySubjects()
        var pupilsWithRejectedRows = Set<String>()
    }

    /// Groups the rows by pupil (in order of each pupil's first row, each pupil's rows in file
    /// order), checks KS2 agreement and repeated results between a pupil's rows, and hands each
    /// pupil to a sink; with `chunks` above 1, contiguous runs of pupils on `chunks` threads at once.
    func pupils<Sink: KS4PupilSink>(chunks: Int, columns: [String: (index: Int, name: String)], name: String,
                                     makeSink: @Sendable () -> Sink) -> (Sink, PupilsRead) {
        let pupilCount = pupils.count
        // Counting sort of row numbers by pupil, stable. Pupils are numbered in order of their
        // first row, so when each change of pupil goes to the next number the file is grouped by
        // pupil and already in that order: no sort (nil order).
        var starts = [Int32](repeating: 0, count: pupilCount + 1)
        var grouped = true, previous: Int32 = -1
        for row in rows {
            starts[Int(row.pupil) + 1] += 1
            if row.pupil != previous {
                grouped = grouped && row.pupil == previous + 1
                previous = row.pupil
            }
        }
        for p in 0..<pupilCount { starts[p + 1] += starts[p] }
        var sorted: [Int32]?
        if !grouped {
            var order = [Int32](repeating: 0, count: rows.count)
            var next = starts
            for (i, row) in rows.enumerated() {
                order[Int(next[Int(row.pupil)])] = Int32(i)
                next[Int(row.pupil)] += 1
            }
            sorted = order
        }
        let order = sorted, first = starts
        // Four runs a thread, taken as threads free up: pupils differ in work, and with one run
        // each a thread sat idle at the end while the other finished (a twentieth of the time).
        let runs = max(1, min(chunks == 1 ? 1 : chunks * 4, pupilCount))
        var outputs = [(Sink, PupilsRead)?](repeating: nil, count: runs)
        outputs.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: runs) { k in
                out[k] = handOn(pupilCount * k / runs..<pupilCount * (k + 1) / runs, first: first, order: order,
                                columns: columns, name: name, sink: makeSink())
            }
        }
        var (sink, read) = outputs[0]!
        for k in 1..<runs {
            let (later, laterRead) = outputs[k]!
            sink.append(later)
            read.issues += laterRead.issues
            read.accepted += laterRead.accepted
            read.openOnly.merge(laterRead.openOnly)
            read.pupilsWithRejectedRows.formUnion(laterRead.pupilsWithRejectedRows)
        }
        return (sink, read)
    }

    /// Hands on the pupils of `range`: pupil `p`'s rows are `order[first[p]..<first[p + 1]]`, or
    /// those row numbers themselves when `order` is nil (a file grouped by pupil).
    private func handOn<Sink: KS4PupilSink>(_ range: Range<Int>, first: [Int32], order: [Int32]?,
                                             columns: [String: (index: Int, name: String)],
                                             name: String, sink: Sink) -> (Sink, PupilsRead) {
        var sink = sink
        var read = PupilsRead()
        var seen: [(cells: Int, line: Int32)] = []
        var results: [KS4Result] = []
        // Open-only rows counted per combination, noted by subject once at the end (a dictionary
        // update per row was a twentieth of the work).
        var openOnly = [(rows: Int, firstLine: Int)](repeating: (0, Int.max), count: cells.count)
        for p in range {
            let id = pupils.string(Int32(p))
            var reading: Int?, maths: Int?
            seen.removeAll(keepingCapacity: true)
            results.removeAll(keepingCapacity: true)
            for i in first[p]..<first[p + 1] {
                let row = rows[order.map { Int($0[Int(i)]) } ?? Int(i)]
                let line = Int(row.line)
                var conflict = false
                func issue(_ code: ImportIssue.Code, _ column: String, _ value: String, _ reason: String, warning: Bool = false) {
                    if !warning { conflict = true }
                    read.issues.append(ImportIssue(code, severity: warning ? .warning : .error, file: name, line: line,
                                                   column: columns[column]?.name, value: value, reason: reason))
                }
                if row.reading > 0, let k = reading, Int(row.reading) != k {
                    issue(.conflictingPupil, "ks2_reading", String(row.reading), "pupil \(id) has KS2 reading \(k) on an earlier row")
                }
                if row.maths > 0, let k = maths, Int(row.maths) != k {
                    issue(.conflictingPupil, "ks2_maths", String(row.maths), "pupil \(id) has KS2 maths \(k) on an earlier row")
                }
                guard !conflict else {
                    read.pupilsWithRejectedRows.insert(id)
                    continue
                }
                // The combination's parts are read where they lie: copying it per row was a tenth of the work.
                let c = Int(row.cells)
                var result = cells[c].result!
                result.pupil = Pupil.ID(id)
                let hash = cells[c].repeatHash
                if let earlier = seen.first(where: { cells[$0.cells].repeatHash == hash && cells[$0.cells].repeatKey == cells[c].repeatKey }) {
                    let key = cells[c].repeatKey
                    issue(.duplicateEntry, result.qualificationNumber != nil ? "qualification_number" : "subject", key,
                          "pupil \(id) already has \(key) on line \(earlier.line); both are kept and only the better counts (discounting)",
                          warning: true)
                }
                if cells[c].isOpenOnly {
                    openOnly[c].rows += 1
                    openOnly[c].firstLine = min(openOnly[c].firstLine, line)
                }
                if reading == nil, row.reading > 0 { reading = Int(row.reading) }
                if maths == nil, row.maths > 0 { maths = Int(row.maths) }
                results.append(result)
                seen.append((c, row.line))
                read.accepted += 1
            }
            sink.add(KS4Pupil(id: Pupil.ID(id), prior: PriorAttainment(readingScaledScore: reading, mathsScaledScore: maths),
                              results: results))
        }
        for (c, counted) in openOnly.enumerated() where counted.rows > 0 {
            read.openOnly.note(cells[c].read, line: counted.firstLine, text: cells[c].subjectText, rows: counted.rows)
        }
        return (sink, read)
    }
}

/// What one results row's subject, qualification number and grade cells say, read by the rules
/// every KS4 results reader shares (``KS4ResultsFile``, ``ExamResultsFile``, and stored exam
/// results turned back into ``KS4Result`` values): one implementation, so a grade accepted on
/// import is read the same way when the measures are computed.
///
/// Rules (each problem reported through the `issue` callback of ``read(subject:entry:qualificationNumber:grade:qualifications:ks4Year:subjectColumn:issue:)``
/// with the logical column `subject`, `qualification_number` or `grade`):
/// - `english` is ambiguous (`unknown_subject`): the English element is doubled only when both
///   English language and literature are taken, so the file must say which;
/// - a QN is 8 characters, digits with an optional final `X`; it must be on the DfE lists
///   (`unknown_qualification`) — only a warning when a subject is also given, which is then used;
/// - with a QN on the lists the grade must be one of that QN's grades (its code or text), `U` or
///   `X`; with a subject, combined science takes `9-9` … `1-1` and every other subject GCSE
///   `9`–`1`, `U`, `X` (`off_scale`; a legacy letter grade is explained);
/// - blank grade, or neither subject nor QN: `missing_value`.
struct KS4ResultCells {
    /// Subject key (`english_language`, `art`, …); nil when blank or ambiguous (`english`).
    var subjectKey: String?
    /// The category of ``subjectKey``; nil without one.
    var subjectCategory: KS4Category?
    /// The qualification on the DfE lists when the row gives a QN found there.
    var qualification: KS4Qualification?
    /// The grade with its points and slots; nil when blank or not on the scale.
    var grade: KS4Grade?

    /// True when the row says what the result is and its grade (it may still have other errors).
    var isUsable: Bool { grade != nil && (subjectKey != nil || qualification != nil) }

    /// Reads the three cells.
    /// - Parameters:
    ///   - subject: the trimmed `subject` cell ("" when blank or absent).
    ///   - entry: its key and category (a caller reading millions of rows caches them); nil when blank.
    ///   - qualificationNumber: the trimmed QN cell ("" when blank or absent).
    ///   - grade: the trimmed grade cell.
    ///   - qualifications: the DfE lists; nil when none are loaded (a QN row is then an error unless it has a subject).
    ///   - ks4Year: the results' KS4 year, for legacy letter-grade advice.
    ///   - subjectColumn: whether the file has a `subject` column (names the column of a missing-value issue).
    ///   - issue: called for each problem: code, logical column, value, reason, and whether it is only a warning.
    static func read(subject: String, entry: (key: String, category: KS4Category)?, qualificationNumber qnText: String, grade gradeText: String,
                     qualifications: KS4QualificationTable?, ks4Year: Int, subjectColumn: Bool,
                     issue: (_ code: ImportIssue.Code, _ column: String, _ value: String, _ reason: String, _ warning: Bool) -> Void) -> KS4ResultCells {
        var cells = KS4ResultCells()
        let subjectText = subject
        cells.subjectKey = entry?.key
        cells.subjectCategory = entry?.category
        if cells.subjectKey == "english" {
            issue(.unknownSubject, "subject", subjectText, "ambiguous: write english_language or english_literature (the English element is doubled only when both are taken)", false)
            cells.subjectKey = nil
            cells.subjectCategory = nil
        }
        if !qnText.isEmpty {
            let fallback = cells.subjectKey != nil
            if let qn = KS4QualificationTable.validQN(qnText) {
                if let table = qualifications {
                    cells.qualification = table.qualification(qn)
                    if cells.qualification == nil {
                        issue(.unknownQualification, "qualification_number", qnText,
                              "not on the DfE KS4 qualification lists (\(table.source))" + (fallback ? "; read by its subject instead" : ": add a subject column, or check the number"),
                              fallback)
                    }
                } else {
                    issue(.unknownQualification, "qualification_number", qnText,
                          "no DfE qualification lists loaded" + (fallback ? "; read by its subject instead" : ": pass --qualifications FOLDER, or give a subject"),
                          fallback)
                }
            } else {
                issue(.unknownQualification, "qualification_number", qnText,
                      "not a qualification number: expected 8 characters, digits with an optional final X (e.g. 60142923, 6018758X)" + (fallback ? "; read by its subject instead" : ""),
                      fallback)
            }
        } else if cells.subjectKey == nil && subjectText.isEmpty {
            issue(.missingValue, subjectColumn ? "subject" : "qualification_number", "",
                  "no subject or qualification number: every row needs one", false)
        }

        if gradeText.isEmpty {
            issue(.missingValue, "grade", "", "blank grade: write the grade, U for ungraded, or X for absent / no result", false)
        } else if let q = cells.qualification {
            cells.grade = q.grade(gradeText)
            if cells.grade == nil {
                let list = q.grades.map { $0.shortText.isEmpty ? $0.code : $0.shortText }
                issue(.offScale, "grade", gradeText, "not a grade of \(q.number) (\(q.title)): expected one of \(list.joined(separator: ", ")), U or X", false)
            }
        } else if cells.subjectKey != nil {
            if cells.subjectCategory == .combinedScience {
                cells.grade = KS4Grade.combinedScience(gradeText)
                if cells.grade == nil {
                    issue(.offScale, "grade", gradeText, "not a combined science grade: expected a pair from 9-9 to 1-1, equal or adjacent with the higher first (e.g. 6-5), U, or X", false)
                }
            } else {
                cells.grade = KS4Grade.gcse(gradeText)
                if cells.grade == nil {
                    let letter = KS4Grade.legacyGCSE(gradeText, ks4Year: ks4Year) != nil
                    issue(.offScale, "grade", gradeText, letter
                          ? "a letter grade: GCSE 9–1 results are 9 to 1, U or X; for a legacy or non-GCSE qualification give its qualification_number so the DfE points apply"
                          : "not a GCSE grade: expected 9 to 1, U, or X (absent / no result)", false)
                }
            }
        }
        return cells
    }

    /// The result as the KS4 measures see it: with a QN on the lists, its category in `ks4Year`,
    /// discount code and (without a `subjectName`) its title; otherwise the subject key's category.
    /// Nil unless ``isUsable``.
    /// - Parameter subjectName: a name to show; "" for none.
    func result(pupil: Pupil.ID, subjectName: String, ks4Year: Int) -> KS4Result? {
        guard let grade else { return nil }
        if let q = qualification {
            return KS4Result(pupil: pupil, subject: subjectKey, qualificationNumber: q.number,
                             category: q.category(ks4Year: ks4Year), discountCode: q.discountCode, grade: grade,
                             subjectName: subjectName.isEmpty ? q.title : subjectName)
        }
        guard let subjectKey, let subjectCategory else { return nil }
        return KS4Result(pupil: pupil, subject: subjectKey, qualificationNumber: nil,
                         category: subjectCategory, discountCode: nil, grade: grade,
                         subjectName: subjectName.isEmpty ? nil : subjectName)
    }
}

/// Subject keys read as "any other subject" (open element only), counted per key with the first
/// line and the text as written. Right for `art`, wrong for a typo of `history`: a key one or two
/// letters from a key Headway knows gets a warning with the suggestion (DfE: any other
/// qualification counts in the open element, so it is still counted, never guessed).
struct OpenOnlySubjects {
    private var seen: [String: (rows: Int, firstLine: Int, text: String)] = [:]

    /// Counts `rows` rows (their earliest at `line`) when they are an open-only subject (not a QN,
    /// category `other`); the key's first line is the earliest counted, whatever order the rows come in.
    mutating func note(_ read: KS4ResultCells, line: Int, text: String, rows: Int = 1) {
        guard Self.counts(read), let key = read.subjectKey else { return }
        seen[key, default: (0, line, text)].rows += rows
        if line < seen[key]!.firstLine { seen[key]!.firstLine = line; seen[key]!.text = text }
    }

    /// True for the cells ``note(_:line:text:)`` counts: a subject key of category `other`, no QN.
    static func counts(_ read: KS4ResultCells) -> Bool {
        read.qualification == nil && read.subjectKey != nil && read.subjectCategory == .other
    }

    /// Adds the rows counted by another (for work split across threads).
    mutating func merge(_ other: OpenOnlySubjects) {
        for (key, theirs) in other.seen {
            if let mine = seen[key] {
                let earlier = theirs.firstLine < mine.firstLine ? theirs : mine
                seen[key] = (mine.rows + theirs.rows, earlier.firstLine, earlier.text)
            } else {
                seen[key] = theirs
            }
        }
    }

    /// Keys with their rows, most rows first.
    var counts: [(key: String, rows: Int)] {
        seen.map { ($0.key, $0.value.rows) }.sorted { ($1.rows, $0.key) < ($0.rows, $1.key) }
    }

    /// One `unknown_subject` warning per near-miss key, at its first line.
    func nearMissWarnings(file: String, column: String?) -> [ImportIssue] {
        let known = KS4Category.allCases.filter { $0 != .language && $0 != .other }.map(\.rawValue) + KS4Category.languageKeys.sorted() + ["mathematics"]
        return seen.sorted { $0.value.firstLine < $1.value.firstLine }.compactMap { key, seen in
            Spelling.nearest(key, in: known).map { near in
                ImportIssue(.unknownSubject, severity: .warning, file: file, line: seen.firstLine, column: column, value: seen.text,
                            reason: "not a subject Headway knows, so counted in the open element only (\(seen.rows) row(s)); did you mean \(near)?")
            }
        }
    }
}

extension ImportIssue.Code {
    /// A qualification number that is not a QN, is not on the DfE KS4 lists, or cannot be looked
    /// up because no lists are loaded (``KS4ResultsFile``).
    public static let unknownQualification = ImportIssue.Code(rawValue: "unknown_qualification")
}
