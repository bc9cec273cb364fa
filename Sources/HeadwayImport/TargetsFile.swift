import Foundation
import HeadwayCore

/// Reads externally set targets (e.g. from an external provider's export) from a CSV with the
/// columns `pupil` (the school's pupil id or the UPN), `subject` (the school's subject code) and
/// `target` (a grade on the subject's scale), and optionally `set_by` (the provider or person) and
/// `percentile_band` (the provider's band, e.g. `FFT20`, `50` or `20%`: a whole percentage 1–99,
/// with or without a prefix of letters or a `%`). Header names are matched case-insensitively
/// (spaces read as `_`); the file may be UTF-8 or Windows-1252, `,` `;` or tab separated.
///
/// Each row becomes a ``Target`` with method ``Target/Method/imported``. Rows are checked against
/// the school year the targets are for: an unknown pupil or subject, a grade off the subject's
/// scale, or a pupil × subject already on an earlier row (both line numbers named) is an error.
public struct TargetsFile: Sendable {
    /// What was read: the valid targets and every problem.
    public struct Result: Sendable {
        public var targets: [Target]
        /// Each target's `file:line`, keyed `PUPIL/SUBJECT` (``RecordSources/targets``).
        public var sources: [String: String] = [:]
        public var issues: [ImportIssue]
        public var rowsRead: Int
        public var hasErrors: Bool { issues.contains { $0.isError } }
    }

    public init() {}

    /// Reads a file from disk; an unreadable file is an issue, not a throw.
    public func read(contentsOf url: URL, for year: SchoolYear) -> Result {
        do {
            return read(name: url.relativePath, contents: try Data(contentsOf: url), for: year)
        } catch {
            return Result(targets: [], issues: [.unreadable(url, error)], rowsRead: 0)
        }
    }

    public func read(name: String, contents: Data, for year: SchoolYear) -> Result {
        let records = CSVText.decodedRecords(contents).records
        var issues: [ImportIssue] = []
        guard let header = records.first else {
            return Result(targets: [], issues: [ImportIssue(.unusableFile, file: name, reason: "the file is empty: expected a header with pupil, subject, target")], rowsRead: 0)
        }
        var columns: [String: Int] = [:]
        for (i, field) in header.fields.enumerated() { columns[field.trimmed.lowercased().replacingOccurrences(of: " ", with: "_")] = i }
        let missing = ["pupil", "subject", "target"].filter { columns[$0] == nil }
        if !missing.isEmpty {
            return Result(targets: [], issues: [ImportIssue(.missingColumn, file: name, line: header.line, column: missing.joined(separator: ", "),
                                                            reason: "the header has no column \(missing.joined(separator: ", ")); its columns are: \(ImportIssue.headerList(header.fields.map(\.trimmed)))")],
                          rowsRead: records.count - 1)
        }
        var pupilByKey: [String: Pupil.ID] = [:]
        for pupil in year.pupils {
            pupilByKey[pupil.id.rawValue] = pupil.id
            if let upn = pupil.upn { pupilByKey[upn.rawValue] = pupil.id }
        }
        let subjects = Set(year.subjects.map(\.id))
        var firstLine: [String: Int] = [:]
        var targets: [Target] = []
        var sources: [String: String] = [:]
        for record in records.dropFirst() {
            func cell(_ column: String) -> String {
                columns[column].flatMap { $0 < record.fields.count ? record.fields[$0].trimmed : nil } ?? ""
            }
            func error(_ code: ImportIssue.Code, _ column: String, _ value: String, _ reason: String) {
                issues.append(ImportIssue(code, file: name, line: record.line, column: header.fields[columns[column]!].trimmed, value: value, reason: reason))
            }
            let pupilText = cell("pupil"), subjectText = cell("subject"), gradeText = cell("target")
            guard let pupil = pupilByKey[pupilText] ?? pupilByKey[pupilText.uppercased()] else {
                error(.unknownPupil, "pupil", pupilText, "no pupil with this id or UPN in \(year.school.name) \(year.academicYear): import the pupil first")
                continue
            }
            let subject = Subject.ID(subjectText)
            guard subjects.contains(subject), let scale = year.scale(of: subject) else {
                error(.unknownSubject, "subject", subjectText, "no subject with this code; the school's codes are \(year.subjects.map(\.id.rawValue).sorted().joined(separator: ", "))")
                continue
            }
            let grade: EntryValue?
            do { grade = try scale.parse(gradeText) } catch {
                issues.append(ImportIssue(.offScale, file: name, line: record.line, column: header.fields[columns["target"]!].trimmed,
                                          value: gradeText, reason: error.description))
                continue
            }
            guard case .grade? = grade else {
                error(.missingValue, "target", gradeText, "a target must be a grade on \(scale.name), not blank, X or Z")
                continue
            }
            let key = "\(pupil)\u{1F}\(subject)"
            if let first = firstLine[key] {
                error(.duplicateEntry, "pupil", pupilText, "pupil \(pupil), subject \(subject) already has a target on line \(first): remove one")
                continue
            }
            firstLine[key] = record.line
            let band = cell("percentile_band")
            if !band.isEmpty, !Self.isPercentileBand(band) {
                error(.invalidPercentileBand, "percentile_band", band,
                      "not a percentile band: expected a whole percentage from 1 to 99, optionally after letters or before %, e.g. FFT20, 50 or 20%; or blank")
                continue
            }
            let setBy = cell("set_by")
            // No reason: the file and line belong to the audit row's source, and the same targets
            // from a renamed or re-sorted file are unchanged.
            targets.append(Target(pupil: pupil, subject: subject, grade: grade!, method: .imported, setBy: setBy.isEmpty ? nil : setBy,
                                  percentileBand: band.isEmpty ? nil : band))
            sources["\(pupil)/\(subject)"] = "\(URL(fileURLWithPath: name).lastPathComponent):\(record.line)"
        }
        return Result(targets: targets, sources: sources, issues: issues, rowsRead: records.count - 1)
    }
}

extension TargetsFile {
    /// `FFT20`, `P50`, `50`, `20%`: optional letters, a whole number 1–99, an optional `%`.
    static func isPercentileBand(_ text: String) -> Bool {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        while let c = rest.first, c.isLetter { rest.removeFirst() }
        if rest.last == "%" { rest.removeLast() }
        guard !rest.isEmpty, rest.allSatisfy(\.isASCII), let n = Int(rest) else { return false }
        return (1...99).contains(n)
    }
}

extension ImportIssue.Code {
    /// A pupil id or UPN that is not in the school year.
    public static let unknownPupil = ImportIssue.Code(rawValue: "unknown_pupil")
    /// A target file's `percentile_band` that is not a percentage band (``TargetsFile``).
    public static let invalidPercentileBand = ImportIssue.Code(rawValue: "invalid_percentile_band")
}
