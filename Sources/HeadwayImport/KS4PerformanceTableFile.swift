import Foundation
import HeadwayCore

/// Reads a DfE KS4 performance-table CSV (`england_ks4provisional_2019.csv` and its kin) as it is
/// published: byte-order mark, quoted names with commas, percentages as text (`5.9%`), and every
/// code of the DfE's key — `NA`, `NE`, `SUPP`, `LOWCOV`, `NP`, `NEW`, `SP`, `x`, `c`, `z`, `low`
/// — and blank cells each read as what they mean (``PublishedValue``), never as zero, and counted
/// per code (``Result/counts``).
///
/// Columns (header names compared ignoring case and surrounding spaces; kept in upper case):
///
/// | column | holds |
/// | --- | --- |
/// | `URN` (required) | the school's URN, text |
/// | `RECTYPE` | the record type: 1 mainstream school, 2 special school, 4 local authority, 5 England (all schools), 7 England (state-funded) — ``PublishedKS4Row/RecordType``; without the column every row is read as a school (type 1) and needs a URN |
/// | `LEA` | the DfE local-authority number, text (`201`); without the column schools are read without one, and a local-authority row is refused |
/// | `ESTAB` | the establishment number, text (leading zeros kept) |
/// | `SCHNAME` | the school's name |
/// | `NFTYPE`, `ICLOSE`, addresses … (``descriptiveColumns``) | kept as text in ``PublishedKS4Row/attributes`` |
/// | every other column | a measure, by its DfE name (`ATT8SCR`, `P8MEA`, `PTL2BASICS_94`, …) |
///
/// Any subset of the published columns that includes `URN` is read (issue 12, item 3: a file
/// without `LEA` used to be refused whole). The file does not say its year; the caller gives it (``ks4Year(fromFileName:)`` finds it in
/// the DfE's file names).
///
/// Checks, each an ``ImportIssue`` with file, line, column, value and reason; a row with an error
/// contributes nothing:
/// - `field_count`: the row's fields do not match the header;
/// - `unknown_record_type`: RECTYPE is not 1, 2, 4, 5 or 7;
/// - `missing_value`: a school without a URN (or, when the file has an LEA column, without an
///   LEA), a local authority without an LEA;
/// - `invalid_identifier`: a URN, LEA or ESTAB that is not all digits (LEA: 3, ESTAB: 4);
/// - `unknown_code`: a measure cell that is not a number, a percentage or a DfE code;
/// - `duplicate_entry`: the same URN, the same LA, or the same England record type on two rows —
///   both rows are left out and the issue names both lines.
public struct KS4PerformanceTableFile: FileReader {
    /// What a read produced.
    public struct Result: Sendable {
        /// Accepted rows, in file order.
        public var rows: [PublishedKS4Row]
        /// Every problem, in line order.
        public var issues: [ImportIssue]
        /// Data rows (blank lines and the header not counted).
        public var rowsRead: Int
        /// Rows with no error.
        public var rowsAccepted: Int
        /// Rows with an error, including both rows of a duplicate (`rowsRead = rowsAccepted +
        /// rowsRejected`).
        public var rowsRejected: Int
        /// The encoding detected; nil when the file could not be read.
        public var encoding: TextEncoding?
        /// The separator detected; nil when the file could not be read.
        public var separator: Unicode.Scalar?
        /// The measure columns, in header order.
        public var measureColumns: [String] = []
        /// How many measure cells of the accepted rows are of each kind (numbers, percentages and
        /// each DfE code), over every measure column.
        public var counts: [PublishedValue.Kind: Int] = [:]
        /// The same per measure column.
        public var countsByColumn: [String: [PublishedValue.Kind: Int]] = [:]

        /// True when any issue is an error.
        public var hasErrors: Bool { issues.contains { $0.isError } }

        /// Accepted rows per record type.
        public var rowsPerRecordType: [PublishedKS4Row.RecordType: Int] {
            Dictionary(grouping: rows, by: \.recordType).mapValues(\.count)
        }
    }

    /// Every code the reader knows, with its meaning, for messages: `NA not applicable, …`.
    static let codeList = PublishedValue.Kind.allCases.filter(\.isCode)
        .map { "\($0 == .notPublished ? "blank" : $0.rawValue) \($0.meaning)" }.joined(separator: "; ")

    /// The identity columns every row is read from (not measures).
    public static let identityColumns = ["RECTYPE", "LEA", "ESTAB", "URN", "SCHNAME"]

    /// Text columns that describe a school rather than measure it: kept as published in
    /// ``PublishedKS4Row/attributes``, not read as values. (`NFTYPE` holds school-type codes such
    /// as `ACC` and `IND`, which are not DfE value codes; `LAESTAB`, the seven-digit LA and
    /// establishment number of other DfE files, is an identifier and stays text.)
    public static let descriptiveColumns: Set<String> = [
        "LAESTAB", "NFTYPE", "ICLOSE", "ALPHAIND", "ADDRESS1", "ADDRESS2", "ADDRESS3", "TOWN", "PCODE", "TELNUM",
        "CONTFLAG", "RELDENOM", "AGERANGE", "ADMPOL", "ADMPOL_PT", "GENDER", "SCHSTATUS", "LANAME",
        "URN_AC", "SCHNAME_AC", "OPEN_AC", "TABKS2", "TAB15", "TAB1618", "EGENDER",
    ]

    /// The summer of the exams the file describes (2019 for 2018/19).
    public var ks4Year: Int

    /// A reader for a file of the given KS4 year.
    public init(ks4Year: Int) {
        self.ks4Year = ks4Year
    }

    /// The KS4 year in a DfE file name: the one four-digit year from 2000 to 2099 in it, e.g.
    /// `england_ks4provisional_2019.csv` → 2019; nil when there is none or more than one.
    public static func ks4Year(fromFileName name: String) -> Int? {
        let digits = name.split { !$0.isASCII || !$0.isNumber }.filter { $0.count == 4 && $0.hasPrefix("20") }
        return Set(digits).count == 1 ? Int(digits[0]) : nil
    }

    public func unreadable(_ issue: ImportIssue) -> Result {
        Result(rows: [], issues: [issue], rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, encoding: nil, separator: nil)
    }

    /// Reads a file's bytes; `name` names it in issues.
    ///
    /// The rows are read one at a time (``CSVText/withRecords(_:_:)``): memory holds what is made
    /// of each row, never the whole file as text.
    public func read(name: String, contents: Data) -> Result {
        CSVText.withRecords(contents) { records, encoding, separator in
            read(name: name, records: records, encoding: encoding, separator: separator)
        }
    }

    private func read(name: String, records: CSVText.RecordIterator, encoding: TextEncoding, separator: Unicode.Scalar) -> Result {
        var issues: [ImportIssue] = []
        func result(read: Int) -> Result {
            Result(rows: [], issues: issues, rowsRead: read, rowsAccepted: 0, rowsRejected: read, encoding: encoding, separator: separator)
        }
        guard let header = records.next() else {
            issues.append(ImportIssue(.unusableFile, file: name, reason: "the file is empty: expected a DfE KS4 performance table with a header row (RECTYPE, LEA, ESTAB, URN, SCHNAME, measures…)"))
            return result(read: 0)
        }

        // Header.
        let names = header.fields.map { $0.trimmed.uppercased() }
        var index: [String: Int] = [:]
        for (i, column) in names.enumerated() where !column.isEmpty {
            if let first = index[column] {
                issues.append(ImportIssue(.duplicateHeader, file: name, line: header.line, column: column,
                                          reason: "the header has \(column) twice (columns \(first + 1) and \(i + 1)): which one holds the figures is not clear"))
            } else {
                index[column] = i
            }
        }
        // Issue 12, item 3: only URN is needed; a subset of the DfE's columns without LEA (or
        // RECTYPE) is read.
        let missing = ["URN"].filter { index[$0] == nil }
        if !missing.isEmpty {
            issues.append(ImportIssue(.missingColumn, file: name, line: header.line, column: missing.joined(separator: ", "),
                                      reason: "not a DfE KS4 performance table: the header has no \(missing.joined(separator: ", ")); its columns are: \(ImportIssue.headerList(names))"))
        }
        if issues.contains(where: \.isError) { return result(read: records.skipRest()) }
        let identity = Set(Self.identityColumns)
        let measureColumns = names.enumerated().filter { i, c in
            !c.isEmpty && index[c] == i && !identity.contains(c) && !Self.descriptiveColumns.contains(c)
        }.map { (index: $0.offset, name: $0.element) }
        let attributeColumns = names.enumerated().filter { i, c in index[c] == i && Self.descriptiveColumns.contains(c) }
            .map { (index: $0.offset, name: $0.element) }

        // Rows.
        var accepted: [(line: Int, row: PublishedKS4Row)] = []
        let headerCount = header.fields.count
        var rowsRead = 0
        while let record = records.next() {
            rowsRead += 1
            let line = record.line
            var errors = 0
            func reject(_ code: ImportIssue.Code, _ column: String?, _ value: String?, _ reason: String) {
                errors += 1
                issues.append(ImportIssue(code, file: name, line: line, column: column, value: value, reason: reason))
            }
            if let reason = CSVText.fieldCountProblem(record, headerCount: headerCount) {
                reject(.fieldCount, nil, nil, reason)
                continue
            }
            func cell(_ column: String) -> String { index[column].map { record.fields[$0].trimmed } ?? "" }

            let typeText = cell("RECTYPE")
            let hasTypeColumn = index["RECTYPE"] != nil
            // Without a RECTYPE column every row is a school (it has a URN, or is refused below).
            let recordType: PublishedKS4Row.RecordType? = hasTypeColumn ? Int(typeText).flatMap(PublishedKS4Row.RecordType.init(rawValue:)) : .mainstreamSchool
            if recordType == nil {
                reject(.unknownRecordType, "RECTYPE", typeText,
                       "not a record type: expected 1 (mainstream school), 2 (special school), 4 (local authority), 5 (England, all schools) or 7 (England, state-funded)")
            }
            func identifier(_ column: String, digits: Int?, required: Bool) -> String? {
                let value = cell(column)
                if value.isEmpty {
                    if required, let recordType {
                        reject(.missingValue, column, value, "a \(recordType) row needs its \(column)")
                    }
                    return nil
                }
                let allDigits = value.utf8.allSatisfy { (0x30...0x39).contains($0) }
                if !allDigits || (digits != nil && value.count != digits) {
                    reject(.invalidIdentifier, column, value,
                           "not a\(column == "URN" ? " " : "n ")\(column): expected \(digits.map { "\($0) digits" } ?? "digits only") (kept as text, leading zeros and all)")
                    return nil
                }
                return value
            }
            let isSchool = recordType?.isSchool ?? false
            let urn = identifier("URN", digits: nil, required: isSchool)
            let lea = identifier("LEA", digits: 3, required: (isSchool && index["LEA"] != nil) || recordType == .localAuthority)
            let estab = identifier("ESTAB", digits: 4, required: false)
            let schoolName = cell("SCHNAME")

            var measures: [String: PublishedValue] = [:]
            measures.reserveCapacity(measureColumns.count)
            for column in measureColumns {
                let text = record.fields[column.index].trimmed
                if let value = PublishedValue(parsing: text) {
                    measures[column.name] = value
                } else {
                    reject(.unknownCode, column.name, text,
                           "not a number, a percentage (e.g. 5.9%) or a code of the DfE's key (\(Self.codeList)); it is not read as zero — correct the cell or ask the DfE what it means")
                }
            }
            guard errors == 0, let recordType else { continue }
            var attributes: [String: String] = [:]
            for column in attributeColumns {
                let text = record.fields[column.index].trimmed
                if !text.isEmpty { attributes[column.name] = text }
            }
            accepted.append((line, PublishedKS4Row(recordType: recordType, lea: lea, estab: estab, urn: urn,
                                                   name: schoolName.isEmpty ? nil : schoolName, ks4Year: ks4Year,
                                                   attributes: attributes, measures: measures)))
        }

        // Duplicates: the same URN, LA or England row twice — neither row can be trusted.
        var lines: [PublishedKS4Row.Key: [Int]] = [:]
        for (line, row) in accepted { if let key = row.key { lines[key, default: []].append(line) } }
        let duplicated = lines.filter { $0.value.count > 1 }
        for (key, at) in duplicated.sorted(by: { $0.value[1] < $1.value[1] }) {
            let column = key.scope == "school" ? "URN" : key.scope == "la" ? "LEA" : "RECTYPE"
            for later in at.dropFirst() {
                issues.append(ImportIssue(.duplicateEntry, file: name, line: later, column: column, value: key.id,
                                          reason: "\(key) is on line \(at[0]) and line \(later): each may appear once in a file, so both rows are left out"))
            }
        }
        let rows = accepted.filter { $0.row.key.map { duplicated[$0] == nil } ?? true }.map(\.row)

        var counts: [PublishedValue.Kind: Int] = [:]
        var byColumn: [String: [PublishedValue.Kind: Int]] = [:]
        for column in measureColumns {
            var columnCounts: [PublishedValue.Kind: Int] = [:]
            for row in rows { if let value = row.measures[column.name] { columnCounts[value.kind, default: 0] += 1 } }
            byColumn[column.name] = columnCounts
            for (kind, n) in columnCounts { counts[kind, default: 0] += n }
        }
        issues.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        var out = Result(rows: rows, issues: issues, rowsRead: rowsRead, rowsAccepted: rows.count,
                         rowsRejected: rowsRead - rows.count, encoding: encoding, separator: separator)
        out.measureColumns = measureColumns.map(\.name)
        out.counts = counts
        out.countsByColumn = byColumn
        return out
    }
}

extension ImportIssue.Code {
    /// A DfE performance-table RECTYPE that is not 1, 2, 4, 5 or 7 (``KS4PerformanceTableFile``).
    public static let unknownRecordType = ImportIssue.Code(rawValue: "unknown_record_type")
    /// A URN, LEA or ESTAB that is not digits of the right length (``KS4PerformanceTableFile``).
    public static let invalidIdentifier = ImportIssue.Code(rawValue: "invalid_identifier")
    /// A published cell that is not a number, a percentage or a known DfE code
    /// (``KS4PerformanceTableFile``): reported, never read as zero.
    public static let unknownCode = ImportIssue.Code(rawValue: "unknown_code")
}
