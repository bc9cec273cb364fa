import Foundation
import HeadwayCore
/// One problem found while reading a mapping, a scale file or a CSV file: where it is, what was
/// there, and what is wrong with it. Non-fatal problems are returned in ``ImportResult/issues``;
/// a mapping or scale file that cannot be used is thrown as one issue.
///
/// Shape of ``description`` (compiler style, so editors can jump to it):
///
///     pupils.csv:14: column "Grade" value "7++": not on GCSE 9–1 — expected one of 9, 8, 7, … on GCSE 9–1, or X (not assessed) or Z (not required)
///     pupils.csv:3: warning: column "UPN" value "a820…": lower-case letters upper-cased
///     mapping.toml: key "subject[2].scale" value "gcse": unknown scale — built-in scales are …
///
/// Parts that are not known (no line for a whole-file problem, no value for a missing header) are
/// left out.
public struct ImportIssue: Error, Hashable, Sendable, CustomStringConvertible {
    /// Whether the problem rejects something (`error`) or is only worth reading (`warning`).
    public enum Severity: String, Hashable, Sendable, Codable {
        /// The row (or file, or mapping) is rejected: it contributes nothing to the result.
        case error
        /// The row is accepted as read; the issue says what was assumed or changed.
        case warning
    }

    /// A stable, machine-readable kind of problem, for tests, filters and documentation. Extend
    /// with `static let` members as new readers need them.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code as text, e.g. `off_scale`.
        public let rawValue: String
        /// A code; use the static members, or add one for a new reader.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The raw value.
        public var description: String { rawValue }

        // Mapping and scale files (``ImportIssue/column`` holds the TOML key path).
        /// The TOML is not valid TOML; ``ImportIssue/line`` is the line the TOML parser reported.
        public static let mappingSyntax = Code(rawValue: "mapping_syntax")
        /// A key is missing, unknown, of the wrong type, or refers to something not defined.
        public static let mappingInvalid = Code(rawValue: "mapping_invalid")
        /// A grade scale (file or inline `[[scale]]`) is not usable.
        public static let scaleInvalid = Code(rawValue: "scale_invalid")
        /// A file (mapping, scale or CSV) could not be read from disk.
        public static let unreadableFile = Code(rawValue: "unreadable_file")

        // Whole CSV files.
        /// The mapping names a column the CSV header does not have.
        public static let missingColumn = Code(rawValue: "missing_column")
        /// A mapped header occurs more than once in the CSV header.
        public static let duplicateHeader = Code(rawValue: "duplicate_header")
        /// The file cannot be imported with this mapping as it stands (no header, no subject, …).
        public static let unusableFile = Code(rawValue: "unusable_file")

        // CSV rows.
        /// The row has fewer fields than the header (or more, non-blank).
        public static let fieldCount = Code(rawValue: "field_count")
        /// A required value is blank (pupil id, year group, …).
        public static let missingValue = Code(rawValue: "missing_value")
        /// A grade is not on the subject's grade scale (or an ATL not on its ATL scale).
        public static let offScale = Code(rawValue: "off_scale")
        /// The UPN fails `UPN.validate` with an error.
        public static let invalidUPN = Code(rawValue: "invalid_upn")
        /// `UPN.validate` accepted the UPN with a warning (e.g. lower case upper-cased).
        public static let upnWarning = Code(rawValue: "upn_warning")
        /// A KS2 scaled score is not an integer in `PriorAttainment.validScaledScores`.
        public static let invalidScaledScore = Code(rawValue: "invalid_scaled_score")
        /// A year group is not an integer from 7 to 13.
        public static let invalidYearGroup = Code(rawValue: "invalid_year_group")
        /// A date is neither `YYYY-MM-DD` nor `DD/MM/YYYY`, or does not exist.
        public static let invalidDate = Code(rawValue: "invalid_date")
        /// A subject code that the mapping does not define.
        public static let unknownSubject = Code(rawValue: "unknown_subject")
        /// A collection code that the mapping does not define.
        public static let unknownCollection = Code(rawValue: "unknown_collection")
        /// A standard characteristic with a value it cannot take (e.g. `sen` other than N/K/E).
        public static let invalidCharacteristic = Code(rawValue: "invalid_characteristic")
        /// The same pupil × subject × collection on two rows.
        public static let duplicateEntry = Code(rawValue: "duplicate_entry")
        /// Two rows for the same pupil disagree on who the pupil is (UPN, date of birth, year
        /// group, KS2), or two pupils share a UPN.
        public static let conflictingPupil = Code(rawValue: "conflicting_pupil")
        /// A pupil id of digits matched a stored pupil once its lost leading zeros were put
        /// back (`2` → `000002`, as Excel drops them): a warning, the row is kept (issue 12).
        public static let pupilIDLostZeros = Code(rawValue: "pupil_id_lost_zeros")
        /// A name or code holds a control character, an escape sequence or a direction override
        /// (``Swift/String/unsafeCharacterProblem``): refused, it would reach terminals and pages.
        public static let unsafeText = Code(rawValue: "unsafe_text")
        /// A staff code holds a character class lists use to separate teachers (`,` `;` `/`).
        public static let invalidStaffCode = Code(rawValue: "invalid_staff_code")
        /// Two rows for the same pupil disagree on a characteristic, name or tutor group; the
        /// first value read is kept.
        public static let conflictingValue = Code(rawValue: "conflicting_value")
        /// A pupil key (built from several columns) occurs on more than one row of a file for the
        /// same subject and collection, so it cannot identify one pupil.
        public static let ambiguousPupilKey = Code(rawValue: "ambiguous_pupil_key")

        /// True for problems in a TOML mapping or scale file, where ``ImportIssue/column`` holds
        /// a TOML key path rather than a CSV header.
        public var isAboutTOML: Bool {
            [Code.mappingSyntax, .mappingInvalid, .scaleInvalid].contains(self)
        }
    }

    /// What kind of problem it is.
    public var code: Code
    /// Whether the row (file, mapping) is rejected or only warned about.
    public var severity: Severity
    /// The file the problem is in, as the caller named it (usually its file name).
    public var file: String
    /// 1-based physical line in the file (the CSV header is line 1); a row whose quoted fields
    /// span several lines is reported at its first line. Nil for a whole-file problem.
    public var line: Int?
    /// The CSV header of the cell, or for a TOML file the key path (e.g. `subject[2].scale`).
    public var column: String?
    /// The text as found in the file (before any value mapping).
    public var value: String?
    /// What is wrong and, where possible, what to do about it.
    public var reason: String
    /// For an issue that gathers several (a mapping with three problems), one line per problem,
    /// each already made visible (``Swift/String/withVisibleControlCharacters``); ``description``
    /// prints each on a line of its own under the reason.
    public var details: [String] = []

    /// An issue; leave out what is not known.
    public init(_ code: Code, severity: Severity = .error, file: String, line: Int? = nil, column: String? = nil,
                value: String? = nil, reason: String) {
        self.code = code
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.reason = reason
    }

    /// The one error for a file that cannot be read at all, saying why in plain words where the
    /// file system tells (missing, a folder), else the system's message.
    public static func unreadable(_ url: URL, _ error: (any Error)? = nil) -> ImportIssue {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let reason = !exists ? "no such file: check the path"
            : isDirectory.boolValue ? "a folder, not a file: give the file itself"
            : "cannot read the file: \(error?.localizedDescription ?? "it is not readable")"
        return ImportIssue(.unreadableFile, file: url.relativePath, reason: reason)
    }

    /// True for ``Severity/error``.
    public var isError: Bool { severity == .error }

    /// What ``column`` holds: a TOML `key` path, an XML `element` path (a file named `.xml`, such
    /// as a CTF), else a CSV `column`.
    public var fieldWord: String {
        code.isAboutTOML ? "key" : file.lowercased().hasSuffix(".xml") ? "element" : "column"
    }

    /// `file:line: [warning: ]column "C" value "V": reason` — see the type's documentation
    /// (`key` or `element` in place of `column`: ``fieldWord``).
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if severity == .warning { text += "warning: " }
        var subject: [String] = []
        // Issue 12: a value, a header or a reason quoting them is cut to a readable length (a
        // 50 MB one-line file once gave 850 MB of messages).
        if let column { subject.append("\(fieldWord) \"\(Self.escaped(column.cutForMessage()))\"") }
        if let value { subject.append("value \"\(Self.escaped(value.cutForMessage()))\"") }
        if !subject.isEmpty { text += subject.joined(separator: " ") + ": " }
        // A reason may quote a header or value from the file: kept on one line. Details are
        // already escaped, each on its own line.
        return text + Self.escaped(reason.cutForMessage(Self.longestReason))
            + details.prefix(Self.listedPerKind).map { "\n  - " + $0.cutForMessage(Self.longestReason) }.joined()
    }

    /// The longest reason printed whole, in characters; longer ones are cut (issue 12).
    public static let longestReason = 4_000

    /// Most issues of one kind (one ``code`` and severity) listed; the rest are counted (issue 12).
    public static let listedPerKind = 100

    /// The issues as lines to print, errors first: at most `limit` in all (0: no overall limit,
    /// as `--show-issues 0`) and at most ``listedPerKind`` of one kind, the rest of a kind counted
    /// on one line (`… and 12,345 more of this kind (off_scale)`), the rest over `limit` on
    /// another (`… 40 more (use --show-issues 0)`). Each line starts with two spaces.
    public static func listing(_ issues: [ImportIssue], limit: Int) -> [String] {
        let ordered = issues.filter(\.isError) + issues.filter { !$0.isError }
        var lines: [String] = []
        var perKind: [String: Int] = [:]
        var kindOrder: [String] = []
        var shown = 0, overLimit = 0
        for issue in ordered {
            let kind = "\(issue.severity == .warning ? "warning " : "")\(issue.code)"
            let seen = perKind[kind, default: 0]
            if seen == 0 { kindOrder.append(kind) }
            perKind[kind] = seen + 1
            guard seen < listedPerKind else { continue }
            if limit > 0 && shown >= limit {
                overLimit += 1
                continue
            }
            lines.append("  \(issue)")
            shown += 1
        }
        for kind in kindOrder {
            let more = perKind[kind, default: 0] - listedPerKind
            if more > 0 { lines.append("  … and \(Self.grouped(more)) more of this kind (\(kind))") }
        }
        if overLimit > 0 { lines.append("  … \(overLimit) more (use --show-issues 0)") }
        return lines
    }

    /// `12345` as `12,345`.
    static func grouped(_ n: Int) -> String {
        var digits = String(n.magnitude), out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return (n < 0 ? "-" : "") + digits + out
    }

    /// A file's header named in a message: at most 20 columns, each cut to 40 characters, quoted,
    /// with a count of the rest — never the whole of a huge one-line file (issue 12).
    public static func headerList(_ headers: [String]) -> String {
        let shown = headers.prefix(20).map { "\"\($0.cutForMessage(40))\"" }.joined(separator: ", ")
        return headers.count > 20 ? shown + " … and \(headers.count - 20) more" : shown
    }

    /// Keeps a description on one line: a quoted field may hold line breaks.
    private static func escaped(_ text: String) -> String { text.withVisibleControlCharacters }
}
