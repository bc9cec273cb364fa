import Foundation
import HeadwayCore

/// The table that says which KS2 `StageAssessment` rows of a Common Transfer File hold the KS2
/// **reading** and **maths** test scaled scores — the two numbers behind ``PriorAttainment``.
///
/// Why a table: the DfE publishes the CTF code lists (subjects, methods, components, result
/// qualifiers) in the CTF specification's data tables, and MIS suppliers use more than one
/// published form for the same KS2 test (reading is `ENG` with component `RD` in one, `REA` with
/// component `SCL` in another — issue 12). The mapping is data a data manager can check and
/// extend, not code. Headway ships every form it knows of in `data/ctf/ks2-result-codes.toml`
/// (``defaultPath``; built into the program as a resource, so it works from any folder); the file
/// names its sources and says how to check it against a CTF from the school's own MIS.
///
/// Schema (TOML):
///
/// ```toml
/// [[match]]                          # one per kind of row; tried in file order, the first that matches wins
/// measure = "reading_scaled_score"   # required: reading_scaled_score, maths_scaled_score,
///                                    #   gps_scaled_score or writing_teacher_assessment
/// subject = "ENG"                    # optional: the row's <Subject>; omitted = any subject
/// method = "TT"                      # optional: <Method>; omitted = any
/// component = "RD"                   # optional: <Component>; omitted = any (also a row without one)
/// result_qualifier = "SS"            # optional: <ResultQualifier>; omitted = any
/// note = "KS2 reading test"          # optional words, shown nowhere; for the person editing the file
/// ```
///
/// Codes are compared ignoring case and surrounding spaces. An entry must name at least one of the
/// four codes (an entry with none would claim every KS2 row), and no two entries may name the same
/// four codes. A row that no entry matches is never dropped silently: ``CTFFile`` reports each
/// distinct combination of codes with its count — as an error when it would leave a pupil's KS2
/// reading or maths empty (see ``CTFFile``).
///
/// Errors (``ImportIssue/Code/mappingSyntax`` for TOML that does not parse, with the line;
/// ``ImportIssue/Code/mappingInvalid`` otherwise, every problem at once with its key path such as
/// `match[2].measure`): unknown keys (with a did-you-mean), a missing or unknown `measure`, blank
/// codes, an entry with no code, duplicate entries, no `[[match]]` at all.
public struct KS2CodeTable: Hashable, Sendable {
    /// What a matched KS2 result is. Reading and maths are read into ``PriorAttainment``; the
    /// GPS test, the writing teacher assessment and the multiplication tables check are recognised (so they are neither warned
    /// about nor mistaken for a missing subject) and counted, but not stored: no Headway measure
    /// uses them (issue 12).
    public enum Measure: String, CaseIterable, Hashable, Sendable, Comparable {
        /// The KS2 reading test scaled score (80–120, or a result code).
        case readingScaledScore = "reading_scaled_score"
        /// The KS2 mathematics test scaled score (80–120, or a result code).
        case mathsScaledScore = "maths_scaled_score"
        /// The KS2 English grammar, punctuation and spelling test scaled score: recognised, not stored.
        case gpsScaledScore = "gps_scaled_score"
        /// The KS2 writing teacher assessment (GDS, EXS, WTS, PK1–PK6, …): recognised, not stored.
        case writingTeacherAssessment = "writing_teacher_assessment"
        /// The Year 4 multiplication tables check score, which a KS2 CTF also carries (DfE MTC:
        /// `MAT`/`TT`/`MTC`/`MT`): recognised, not stored — and never a maths test score.
        case multiplicationTablesCheck = "multiplication_tables_check"

        /// The measures read into ``PriorAttainment``: reading and maths.
        public static let priorAttainment: [Measure] = [.readingScaledScore, .mathsScaledScore]

        /// True for reading and maths, the two read into ``PriorAttainment``.
        public var isPriorAttainment: Bool { Self.priorAttainment.contains(self) }

        /// `reading`, `maths`, `GPS` or `writing`, for summaries.
        public var subjectName: String {
            switch self {
            case .readingScaledScore: "reading"
            case .mathsScaledScore: "maths"
            case .gpsScaledScore: "GPS"
            case .writingTeacherAssessment: "writing"
            case .multiplicationTablesCheck: "multiplication tables check"
            }
        }

        /// The characteristic that records a KS2 result code (A, B, …) in place of a score:
        /// `ks2_reading_result` or `ks2_maths_result`; nil for the measures not stored.
        public var resultCodeCharacteristic: String? {
            switch self {
            case .readingScaledScore: CTFFile.ks2ReadingResultCharacteristic
            case .mathsScaledScore: CTFFile.ks2MathsResultCharacteristic
            case .gpsScaledScore, .writingTeacherAssessment, .multiplicationTablesCheck: nil
            }
        }

        /// In declaration order: reading, maths, GPS, writing, multiplication tables check.
        public static func < (lhs: Measure, rhs: Measure) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// One `[[match]]` entry. A nil code matches any value, including an absent element.
    public struct Entry: Hashable, Sendable {
        /// What a matching row holds.
        public var measure: Measure
        /// `Subject` to match (upper case), or nil for any.
        public var subject: String?
        /// `Method` to match (upper case; `TT` test, `TA` teacher assessment), or nil for any.
        public var method: String?
        /// `Component` to match (upper case), or nil for any.
        public var component: String?
        /// `ResultQualifier` to match (upper case), or nil for any.
        public var resultQualifier: String?

        /// An entry; codes are stored upper-cased and trimmed.
        public init(measure: Measure, subject: String? = nil, method: String? = nil, component: String? = nil, resultQualifier: String? = nil) {
            func normal(_ s: String?) -> String? { s.map { $0.trimmingCharacters(in: .whitespaces).uppercased() } }
            self.measure = measure
            self.subject = normal(subject)
            self.method = normal(method)
            self.component = normal(component)
            self.resultQualifier = normal(resultQualifier)
        }

        /// True when every code the entry names equals the row's (already normalised) code.
        func matches(_ codes: KS2Codes) -> Bool {
            (subject == nil || subject == codes.subject) && (method == nil || method == codes.method)
                && (component == nil || component == codes.component) && (resultQualifier == nil || resultQualifier == codes.resultQualifier)
        }
    }

    /// The entries, in file order.
    public var entries: [Entry]

    /// A table of these entries (tests, the benchmark).
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Where the shipped table lives in the source tree: `data/ctf/ks2-result-codes.toml`; built
    /// into the program (``shippedText()``).
    public static let defaultPath = "data/ctf/ks2-result-codes.toml"

    /// The text of the table built into the program (``ShippedData``), for `--print-default-codes`.
    /// - Throws: ``ImportIssue`` when the program's resources are missing.
    public static func shippedText() throws(ImportIssue) -> String {
        try ShippedData.text(defaultPath)
    }

    /// The entries of the shipped `data/ctf/ks2-result-codes.toml` (a test keeps the two equal),
    /// for the benchmark and tests that must not depend on a file. Sources: see the file.
    public static let shipped = KS2CodeTable(entries: [
        Entry(measure: .multiplicationTablesCheck, subject: "MAT", method: "TT", component: "MTC"),
        Entry(measure: .readingScaledScore, subject: "ENG", method: "TT", component: "RD", resultQualifier: "SS"),
        Entry(measure: .readingScaledScore, subject: "REA", method: "TT", component: "SCL"),
        Entry(measure: .readingScaledScore, subject: "REA", method: "TT", resultQualifier: "SS"),
        Entry(measure: .mathsScaledScore, subject: "MAT", method: "TT", component: "SCL"),
        Entry(measure: .mathsScaledScore, subject: "MAT", method: "TT", resultQualifier: "SS"),
        Entry(measure: .gpsScaledScore, subject: "GPS", method: "TT"),
        Entry(measure: .gpsScaledScore, subject: "GPA", method: "TT"),
        Entry(measure: .gpsScaledScore, subject: "ENG", method: "TT", component: "GPS"),
        Entry(measure: .writingTeacherAssessment, subject: "WRI", method: "TA"),
        Entry(measure: .writingTeacherAssessment, subject: "ENG", method: "TA", component: "WRI"),
    ])

    /// The measure of the first entry that matches a row's codes; nil when none does.
    public func measure(subject: String?, method: String?, component: String?, resultQualifier: String?) -> Measure? {
        measure(for: KS2Codes(subject: subject, method: method, component: component, resultQualifier: resultQualifier))
    }

    func measure(for codes: KS2Codes) -> Measure? {
        entries.first { $0.matches(codes) }?.measure
    }

    /// Parses a table's text; `file` names it in errors.
    /// - Throws: ``ImportIssue`` (``ImportIssue/Code/mappingSyntax`` or
    ///   ``ImportIssue/Code/mappingInvalid``), see the type's documentation.
    public init(toml: String, file: String) throws(ImportIssue) {
        let root = try TOMLNode.parse(toml, file: file)
        let problems = TOMLProblems(file: file, code: .mappingInvalid)
        let top = TOMLTableReader(root, path: "", problems: problems)
        top.rejectUnknownKeys(allowed: ["match"])
        var entries: [Entry] = []
        var firstPath: [Entry: String] = [:]
        let allowed = ["measure", "subject", "method", "component", "result_qualifier", "note"]
        let tables = top.tables("match")
        if !top.has("match") {
            problems.add("match", "no [[match]] entries: add one for the reading and one for the maths scaled score")
        }
        for t in tables {
            t.rejectUnknownKeys(allowed: allowed)
            _ = t.string("note")
            let measureText = t.string("measure", required: true)
            let measure = measureText.flatMap { Measure(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased()) }
            if let measureText, measure == nil {
                let near = Spelling.nearest(measureText, in: Measure.allCases.map(\.rawValue)).map { "did you mean \($0)? " } ?? ""
                problems.add(t.keyPath("measure"), value: measureText,
                             "unknown measure; \(near)allowed: \(Measure.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let codes = ["subject", "method", "component", "result_qualifier"].map { t.string($0) }
            if codes.allSatisfy({ $0 == nil }) && !["subject", "method", "component", "result_qualifier"].contains(where: t.has) {
                problems.add(t.path, "names no code: give at least one of subject, method, component, result_qualifier (an entry with none would claim every KS2 result)")
                continue
            }
            guard let measure else { continue }
            let entry = Entry(measure: measure, subject: codes[0], method: codes[1], component: codes[2], resultQualifier: codes[3])
            let key = Entry(measure: .readingScaledScore, subject: entry.subject, method: entry.method, component: entry.component,
                            resultQualifier: entry.resultQualifier)
            if let earlier = firstPath[key] {
                problems.add(t.path, "the same codes as \(earlier): the later entry could never match")
                continue
            }
            firstPath[key] = t.path
            entries.append(entry)
        }
        try problems.throwIfAny()
        self.entries = entries
    }

    /// Reads and parses a table from disk.
    /// - Throws: ``ImportIssue`` with code ``ImportIssue/Code/unreadableFile`` when it cannot be
    ///   read, otherwise as ``init(toml:file:)``.
    public init(contentsOf url: URL) throws(ImportIssue) {
        let text = try GradeScaleFile.readText(url)
        try self.init(toml: text, file: url.relativePath)
    }
}

/// The four codes of one KS2 `StageAssessment` row, normalised (trimmed, upper-cased; nil when the
/// element is absent or empty). Its description is how a combination is named in a warning:
/// `Subject=ENG Method=TA Component=WRI ResultQualifier=(none)`.
public struct KS2Codes: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The row's `Subject`.
    public var subject: String?
    /// The row's `Method`.
    public var method: String?
    /// The row's `Component`.
    public var component: String?
    /// The row's `ResultQualifier`.
    public var resultQualifier: String?

    /// Codes as read from the file; normalised here.
    public init(subject: String?, method: String?, component: String?, resultQualifier: String?) {
        func normal(_ s: String?) -> String? {
            guard let s else { return nil }
            let t = CTFParser.trimmed(s)
            guard !t.isEmpty else { return nil }
            // Codes are upper case already in practice: skip the Unicode-aware upper-casing then.
            return t.utf8.contains(where: { (0x61...0x7A).contains($0) }) || !t.utf8.allSatisfy({ $0 < 0x80 }) ? t.uppercased() : t
        }
        self.subject = normal(subject)
        self.method = normal(method)
        self.component = normal(component)
        self.resultQualifier = normal(resultQualifier)
    }

    /// `Subject=ENG Method=TA Component=WRI ResultQualifier=(none)`.
    public var description: String {
        "Subject=\(subject ?? "(none)") Method=\(method ?? "(none)") Component=\(component ?? "(none)") ResultQualifier=\(resultQualifier ?? "(none)")"
    }

    /// By description, for stable listings.
    public static func < (lhs: KS2Codes, rhs: KS2Codes) -> Bool {
        lhs.description < rhs.description
    }
}
