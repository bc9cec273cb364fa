import Foundation
import HeadwayCore

/// Reads an exam results file — one row per pupil × qualification × series, as an awarding body
/// or the school's exams officer exports it — into ``ExamResult`` values, for
/// `headway import results`.
///
/// Columns (header names compared ignoring case, surrounding spaces, and spaces vs `_`; any other
/// column is ignored):
///
/// | column | required | holds |
/// | --- | --- | --- |
/// | `upn` or `pupil` | one of the two | the pupil: a UPN, or the school's pupil id (e.g. admission number `00123`); matched against the pupils the caller knows |
/// | `candidate_number` | no | the exam-centre candidate number, kept as text (`0042`) |
/// | `qualification_number` (or `qn`) | one of the two | a DfE QN, e.g. `60146084`: points, EBacc pillar and discount code come from the DfE lists |
/// | `subject` | one of the two | a subject key as ``KS4ResultsFile`` reads it (`english_language`, `maths`, `combined_science`, `history`, `french`, `art` …) |
/// | `grade` | yes | as awarded: GCSE `9`–`1`, `U`, combined science `6-5`, `X` = absent / no result; with a QN any grade of that qualification (`L2 Distinction*`) |
/// | `date` | yes | the series: the date the result was issued, `YYYY-MM-DD` or `DD/MM/YYYY` (e.g. results day 2026-08-20) |
/// | `series` | no | a label for the series, e.g. `June 2026` |
/// | `subject_name` | no | a name to show |
/// | `awarding_body` | no | e.g. `AQA` |
///
/// Form (as every Headway reader): UTF-8 with or without BOM, UTF-16, Windows-1252; `,` `;` or
/// tab; physical line numbers with the header as line 1.
///
/// Checks, each an ``ImportIssue`` with file, line, column, value and reason; a row with an error
/// contributes nothing:
/// - `field_count`: the row's fields do not match the header;
/// - `missing_value`: blank pupil (both `upn` and `pupil`), grade, date, or both subject and QN;
/// - `invalid_upn` (`upn_warning` for a usable UPN written in lower case);
/// - `unknown_pupil`: a UPN or pupil id that is not one of the known pupils;
/// - `conflicting_pupil`: `upn` and `pupil` on one row name different pupils;
/// - `invalid_date`: a date in neither form, or a day that does not exist;
/// - the subject, QN and grade rules shared with ``KS4ResultsFile`` (`unknown_subject` for the
///   ambiguous `english`, `unknown_qualification`, `off_scale`);
/// - `duplicate_entry`: the same pupil and QN (or subject) in the same series on two rows —
///   *both* rows are rejected, and the error on the later row names the earlier line (unlike
///   ``KS4ResultsFile``, which keeps both: an import must not choose between two grades).
///
/// A QN that is well formed but not on the DfE lists, given together with a subject, is a
/// warning: the result is kept with its QN (a later list may know it) and read by its subject.
public struct ExamResultsFile: FileReader {
    /// The pupils a file may name: by the school's pupil id, and by UPN.
    public struct KnownPupils: Sendable {
        private var byID: [String: Pupil.ID] = [:]
        private var byUPN: [String: Pupil.ID] = [:]

        /// Pupils by id and, when they have one, UPN.
        public init(_ pupils: [(id: Pupil.ID, upn: UPN?)]) {
            for (id, upn) in pupils {
                byID[id.rawValue] = id
                if let upn { byUPN[upn.rawValue] = id }
            }
        }

        /// The pupils of a school year.
        public init(pupils: [Pupil]) {
            self.init(pupils.map { (id: $0.id, upn: $0.upn) })
        }

        /// How many pupils are known.
        public var count: Int { byID.count }

        /// The pupil with this id (exactly, leading zeros included), else with this UPN (any case).
        public func pupil(idOrUPN text: String) -> Pupil.ID? {
            byID[text] ?? byUPN[text.uppercased()]
        }

        /// The pupil with this UPN.
        public func pupil(upn: UPN) -> Pupil.ID? { byUPN[upn.rawValue] }
    }

    /// What a read produced.
    public struct Result: Sendable {
        /// Accepted results in file order.
        public var results: [ExamResult]
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
        /// The separator detected; nil when the file could not be read.
        public var separator: Unicode.Scalar?

        /// True when any issue is an error.
        public var hasErrors: Bool { issues.contains { $0.isError } }
        /// The errors, in line order.
        public var errors: [ImportIssue] { issues.filter(\.isError) }
        /// The warnings, in line order.
        public var warnings: [ImportIssue] { issues.filter { !$0.isError } }

        /// Accepted results per qualification or subject (``ExamResult/resultKey``), with a name
        /// to show (the QN's title, the file's `subject_name`, or the key), most results first.
        public var perQualification: [(key: String, name: String, results: Int)] = []
    }

    /// The pupils rows are matched against.
    public var pupils: KnownPupils
    /// The DfE lists used for rows with a QN; nil when none are loaded (a QN row then needs a subject).
    public var qualifications: KS4QualificationTable?
    /// The results' KS4 year (for advice on legacy letter grades).
    public var ks4Year: Int

    /// A reader.
    /// - Parameters:
    ///   - pupils: the pupils the file may name (the school's stored pupils).
    ///   - qualifications: the DfE lists, for rows that give a QN.
    ///   - ks4Year: the results' KS4 year (default: the lists' year, else 2019).
    public init(pupils: KnownPupils, qualifications: KS4QualificationTable? = nil, ks4Year: Int? = nil) {
        self.pupils = pupils
        self.qualifications = qualifications
        self.ks4Year = ks4Year ?? qualifications?.ks4Year ?? 2019
    }

    public func unreadable(_ issue: ImportIssue) -> Result {
        Result(results: [], issues: [issue], rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, encoding: nil, separator: nil)
    }

    /// Reads a file's bytes; `name` names it in issues.
    public func read(name: String, contents: Data) -> Result {
        let (records, encoding, separator) = CSVText.decodedRecords(contents)
        var issues: [ImportIssue] = []
        func result(_ results: [ExamResult], read: Int) -> Result {
            Result(results: results, issues: issues, rowsRead: read, rowsAccepted: results.count, rowsRejected: read - results.count,
                   encoding: encoding, separator: separator)
        }
        guard let header = records.first else {
            issues.append(ImportIssue(.unusableFile, file: name, reason: "the file is empty: expected a header row with upn or pupil, qualification_number or subject, grade, date"))
            return result([], read: 0)
        }
        let data = records.dropFirst()

        // Header.
        var columns: [String: (index: Int, name: String)] = [:]
        for (i, raw) in header.fields.enumerated() {
            let key = KS4Result.subjectKey(raw.trimmed)
            let canonical = key == "qn" ? "qualification_number" : key
            if columns[canonical] == nil { columns[canonical] = (i, raw.trimmed) }
        }
        var missing: [String] = []
        if columns["upn"] == nil && columns["pupil"] == nil { missing.append("upn or pupil") }
        if columns["subject"] == nil && columns["qualification_number"] == nil { missing.append("qualification_number or subject") }
        for column in ["grade", "date"] where columns[column] == nil { missing.append(column) }
        if !missing.isEmpty {
            issues.append(ImportIssue(.missingColumn, file: name, line: header.line, column: missing.joined(separator: ", "),
                                      reason: "the header has no column \(missing.joined(separator: ", ")); its columns are: \(ImportIssue.headerList(header.fields.map(\.trimmed)))"))
            return result([], read: data.count)
        }

        // Rows.
        var candidates: [(line: Int, result: ExamResult)] = []
        var openOnly = OpenOnlySubjects()
        let headerCount = header.fields.count
        for record in data {
            let line = record.line
            var rowErrors = 0
            func issue(_ code: ImportIssue.Code, _ column: String?, _ value: String?, _ reason: String, warning: Bool = false) {
                if !warning { rowErrors += 1 }
                issues.append(ImportIssue(code, severity: warning ? .warning : .error, file: name, line: line,
                                          column: column.flatMap { columns[$0]?.name }, value: value, reason: reason))
            }
            if let reason = CSVText.fieldCountProblem(record, headerCount: headerCount) {
                issue(.fieldCount, nil, nil, reason)
                continue
            }
            func cell(_ column: String) -> String {
                columns[column].map { record.fields[$0.index].trimmed } ?? ""
            }
            func optional(_ column: String) -> String? {
                let text = cell(column)
                return text.isEmpty ? nil : text
            }

            // The pupil: by the school's id, or by UPN; when both are given they must agree.
            let pupilText = cell("pupil"), upnText = cell("upn")
            var byID: Pupil.ID?, byUPN: Pupil.ID?
            if !pupilText.isEmpty {
                byID = pupils.pupil(idOrUPN: pupilText)
                if byID == nil {
                    issue(.unknownPupil, "pupil", pupilText, "no pupil with this id or UPN at the school: import the pupil first, or check the id (leading zeros count)")
                }
            }
            if !upnText.isEmpty {
                let validation = UPN.validate(upnText)
                for problem in validation.problems {
                    if problem.severity == .error {
                        issue(.invalidUPN, "upn", upnText, "not a valid UPN: \(problem.message)")
                    } else {
                        issue(.upnWarning, "upn", upnText, "UPN \(problem.message)", warning: true)
                    }
                }
                if let upn = validation.upn {
                    byUPN = pupils.pupil(upn: upn)
                    if byUPN == nil {
                        issue(.unknownPupil, "upn", upnText, "no pupil with this UPN at the school: import the pupil first, or check the UPN")
                    }
                }
            }
            if let a = byID, let b = byUPN, a != b {
                issue(.conflictingPupil, "upn", upnText, "the UPN is pupil \(b)'s, but the pupil column names pupil \(a)")
            }
            if pupilText.isEmpty && upnText.isEmpty {
                issue(.missingValue, columns["pupil"] != nil ? "pupil" : "upn", "", "no pupil: every row needs a UPN or the school's pupil id")
            }

            // What the result is and its grade: the rules shared with KS4ResultsFile.
            let subjectText = cell("subject"), qnText = cell("qualification_number")
            let read = KS4ResultCells.read(subject: subjectText,
                                           entry: ExamResultsFile.subjectEntry(subjectText),
                                           qualificationNumber: qnText, grade: cell("grade"),
                                           qualifications: qualifications, ks4Year: ks4Year,
                                           subjectColumn: columns["subject"] != nil) { code, column, value, reason, warning in
                issue(code, column, value, reason, warning: warning)
            }

            openOnly.note(read, line: line, text: subjectText)

            // The series.
            let dateText = cell("date")
            var date: CalendarDate? = nil
            if dateText.isEmpty {
                issue(.missingValue, "date", "", "no date: every result needs the date of its series (results day), YYYY-MM-DD or DD/MM/YYYY")
            } else {
                date = CalendarDate(parsing: dateText)
                if date == nil {
                    issue(.invalidDate, "date", dateText, "not a date: expected YYYY-MM-DD or DD/MM/YYYY, a day that exists (e.g. 2026-08-20)")
                }
            }

            guard rowErrors == 0, read.isUsable, let pupil = byID ?? byUPN, let date, let grade = read.grade else { continue }
            // A well-formed QN is kept even when the lists do not know it (the row is then read by
            // its subject): a later list may.
            let qn = read.qualification?.number ?? KS4QualificationTable.validQN(qnText)
            candidates.append((line, ExamResult(
                pupil: pupil, candidateNumber: optional("candidate_number"), qualificationNumber: qn, subject: read.subjectKey,
                grade: cell("grade"), ks4Grade: grade, series: date, seriesName: optional("series"),
                awardingBody: optional("awarding_body"), subjectName: optional("subject_name"))))
        }

        // Duplicates: the same pupil, QN or subject, and series on two rows rejects both.
        struct Key: Hashable { var pupil: Pupil.ID; var result: String; var series: CalendarDate }
        var firstLine: [Key: (line: Int, index: Int)] = [:]
        var rejected = Set<Int>()
        for (i, candidate) in candidates.enumerated() {
            let r = candidate.result
            let key = Key(pupil: r.pupil, result: r.resultKey, series: r.series)
            guard let first = firstLine[key] else { firstLine[key] = (candidate.line, i); continue }
            issues.append(ImportIssue(.duplicateEntry, file: name, line: candidate.line,
                                      column: (r.qualificationNumber != nil ? columns["qualification_number"] : columns["subject"])?.name,
                                      value: r.resultKey,
                                      reason: "pupil \(r.pupil) has \(r.resultKey) in the \(r.series) series on line \(first.line) too — both rows rejected: remove one"))
            rejected.insert(i)
            rejected.insert(first.index)
        }
        let accepted = candidates.indices.filter { !rejected.contains($0) }.map { candidates[$0].result }

        issues += openOnly.nearMissWarnings(file: name, column: columns["subject"]?.name)
        let ordered = issues.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
        issues = ordered.map(\.element)
        var read = result(accepted, read: data.count)
        var counts: [String: (name: String, results: Int)] = [:]
        for r in accepted {
            let name = r.subjectName ?? r.qualificationNumber.flatMap { qualifications?.qualification($0)?.title } ?? r.resultKey
            counts[r.resultKey, default: (name, 0)].results += 1
        }
        read.perQualification = counts.map { ($0.key, $0.value.name, $0.value.results) }.sorted { ($1.results, $0.key) < ($0.results, $1.key) }
        return read
    }
}

// MARK: - Stored results to KS4 measures

extension ExamResultsFile {
    /// A subject cell's key and category; nil when blank.
    static func subjectEntry(_ text: String) -> (key: String, category: KS4Category)? {
        guard !text.isEmpty else { return nil }
        let key = KS4Result.subjectKey(text)
        return (key, KS4Category(subjectKey: key))
    }

    /// Exam results turned into the pupils the KS4 measures are computed over.
    public struct KS4Input: Sendable {
        /// One per pupil with at least one usable result, in order of first result; each pupil's
        /// results in the order given.
        public var pupils: [KS4Pupil]
        /// Results that could not be read (e.g. a QN the lists given do not know, and no
        /// subject), and warnings; `file` is the source named by the caller, `line` is nil.
        public var issues: [ImportIssue]
        /// Results used.
        public var resultsUsed: Int
        /// Results left out because of an error.
        public var resultsRejected: Int
        /// Pupils with at least one result left out: their figures lack it.
        public var pupilsWithRejectedResults: Set<Pupil.ID>

        /// True when any issue is an error.
        public var hasErrors: Bool { issues.contains { $0.isError } }
    }

    /// Turns exam results (as stored) into ``KS4Pupil`` values with the same rules the readers
    /// apply on import (``KS4ResultsFile``'s subject, QN and grade rules): a QN result takes its
    /// points, category in `ks4Year` and discount code from the DfE lists; a subject result its
    /// category from the key and its points from the GCSE or combined-science scale.
    ///
    /// - Parameters:
    ///   - results: the results, e.g. `Store.examResults(school:)` narrowed to a cohort's series.
    ///   - prior: KS2 prior attainment by pupil; a pupil missing from it has none (counts in A8, not P8).
    ///   - qualifications: the DfE lists for QN results.
    ///   - ks4Year: the cohort's KS4 year: decides whether a QN counts in the EBacc that year.
    ///   - source: how issues name where the results came from.
    public static func ks4Pupils(from results: [ExamResult], prior: [Pupil.ID: PriorAttainment],
                                 qualifications: KS4QualificationTable?, ks4Year: Int,
                                 source: String = "stored exam results") -> KS4Input {
        var order: [Pupil.ID] = []
        var byPupil: [Pupil.ID: [KS4Result]] = [:]
        var issues: [ImportIssue] = []
        var used = 0
        var rejectedPupils = Set<Pupil.ID>()
        for r in results {
            var errors = 0
            let subjectText = r.subject ?? ""
            let read = KS4ResultCells.read(subject: subjectText,
                                           entry: ExamResultsFile.subjectEntry(subjectText),
                                           qualificationNumber: r.qualificationNumber ?? "", grade: r.grade,
                                           qualifications: qualifications, ks4Year: ks4Year, subjectColumn: true) { code, column, value, reason, warning in
                if !warning { errors += 1 }
                issues.append(ImportIssue(code, severity: warning ? .warning : .error, file: source, column: column, value: value,
                                          reason: "pupil \(r.pupil), \(r.series) series: \(reason)"))
            }
            guard errors == 0, let result = read.result(pupil: r.pupil, subjectName: r.subjectName ?? "", ks4Year: ks4Year) else {
                rejectedPupils.insert(r.pupil)
                continue
            }
            if byPupil[r.pupil] == nil { order.append(r.pupil) }
            byPupil[r.pupil, default: []].append(result)
            used += 1
        }
        let pupils = order.map { id in
            KS4Pupil(id: id, prior: prior[id] ?? PriorAttainment(readingScaledScore: nil, mathsScaledScore: nil), results: byPupil[id] ?? [])
        }
        return KS4Input(pupils: pupils, issues: issues, resultsUsed: used, resultsRejected: results.count - used,
                        pupilsWithRejectedResults: rejectedPupils)
    }
}
