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

    /// Reads a file's bytes; `name` names it in issues.
    public func read(name: String, contents: Data) -> Result {
        let (records, encoding, separator) = CSVText.decodedRecords(contents)
        var issues: [ImportIssue] = []
        func result(_ pupils: [KS4Pupil], read: Int, accepted: Int) -> Result {
            Result(pupils: pupils, issues: issues, rowsRead: read, rowsAccepted: accepted, rowsRejected: read - accepted,
                   encoding: encoding, separator: separator)
        }
        var openOnly = OpenOnlySubjects()
        var pupilsWithRejectedRows = Set<String>()
        guard let header = records.first else {
            issues.append(ImportIssue(.unusableFile, file: name, reason: "the file is empty: expected a header row with pupil, subject or qualification_number, grade, ks2_reading, ks2_maths"))
            return result([], read: 0, accepted: 0)
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
        if columns["pupil"] == nil { missing.append("pupil") }
        if columns["grade"] == nil { missing.append("grade") }
        if columns["subject"] == nil && columns["qualification_number"] == nil { missing.append("subject or qualification_number") }
        if !missing.isEmpty {
            issues.append(ImportIssue(.missingColumn, file: name, line: header.line, column: missing.joined(separator: ", "),
                                      reason: "the header has no column \(missing.joined(separator: ", ")); its columns are: \(ImportIssue.headerList(header.fields.map(\.trimmed)))"))
            return result([], read: data.count, accepted: 0)
        }
        for column in ["ks2_reading", "ks2_maths"] where columns[column] == nil {
            issues.append(ImportIssue(.missingColumn, severity: .warning, file: name, line: header.line, column: column,
                                      reason: "no \(column) column: pupils have no KS2 \(column == "ks2_reading" ? "reading" : "maths") score (P8 uses the other score, or none)"))
        }

        // Rows.
        struct PupilState {
            var order: Int
            var reading: Int?
            var maths: Int?
            var results: [KS4Result] = []
            var seen: [(key: String, line: Int)] = []

            mutating func update(reading: Int?, maths: Int?, result: KS4Result, key: String, line: Int) {
                self.reading = self.reading ?? reading
                self.maths = self.maths ?? maths
                results.append(result)
                seen.append((key, line))
            }
        }
        var states: [String: PupilState] = [:]
        // One key and category per distinct subject text: rows share the key's storage and the
        // category is worked out once (a national file has six million rows, a few dozen subjects).
        var subjects: [String: (key: String, category: KS4Category)] = [:]
        func subject(_ text: String) -> (key: String, category: KS4Category) {
            if let known = subjects[text] { return known }
            let key = KS4Result.subjectKey(text)
            let entry = (key, KS4Category(subjectKey: key))
            subjects[text] = entry
            return entry
        }
        var accepted = 0
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

            let pupilText = cell("pupil")
            if pupilText.isEmpty { issue(.missingValue, "pupil", "", "no pupil id: every row needs one") }

            func score(_ column: String) -> Int? {
                let text = cell(column)
                guard !text.isEmpty else { return nil }
                if let n = Int(text), PriorAttainment.validScaledScores.contains(n) { return n }
                let range = PriorAttainment.validScaledScores
                issue(.invalidScaledScore, column, text, "not a KS2 scaled score: expected a whole number from \(range.lowerBound) to \(range.upperBound) (80–120, or a DfE nominal value below 80), or blank")
                return nil
            }
            let reading = score("ks2_reading"), maths = score("ks2_maths")

            // What the result is and its grade: the rules every KS4 results reader shares.
            let subjectText = cell("subject")
            let read = KS4ResultCells.read(subject: subjectText, entry: subjectText.isEmpty ? nil : subject(subjectText),
                                           qualificationNumber: cell("qualification_number"), grade: cell("grade"),
                                           qualifications: qualifications, ks4Year: ks4Year,
                                           subjectColumn: columns["subject"] != nil) { code, column, value, reason, warning in
                issue(code, column, value, reason, warning: warning)
            }
            guard rowErrors == 0, read.isUsable else {
                if !pupilText.isEmpty { pupilsWithRejectedRows.insert(pupilText) }
                continue
            }

            // The pupil: KS2 must agree with earlier rows.
            let known = states[pupilText]
            if let r = reading, let k = known?.reading, r != k {
                issue(.conflictingPupil, "ks2_reading", String(r), "pupil \(pupilText) has KS2 reading \(k) on an earlier row")
            }
            if let m = maths, let k = known?.maths, m != k {
                issue(.conflictingPupil, "ks2_maths", String(m), "pupil \(pupilText) has KS2 maths \(k) on an earlier row")
            }
            guard rowErrors == 0 else {
                if !pupilText.isEmpty { pupilsWithRejectedRows.insert(pupilText) }
                continue
            }

            guard let result = read.result(pupil: Pupil.ID(pupilText), subjectName: cell("subject_name"), ks4Year: ks4Year) else { continue }
            let key = result.qualificationNumber ?? result.label
            if let earlier = known?.seen.first(where: { $0.key == key }) {
                issue(.duplicateEntry, result.qualificationNumber != nil ? "qualification_number" : "subject", key,
                      "pupil \(pupilText) already has \(key) on line \(earlier.line); both are kept and only the better counts (discounting)",
                      warning: true)
            }
            openOnly.note(read, line: line, text: subjectText)
            // Mutate in place: copying the state out and back would copy its results every row.
            let order = states.count
            states[pupilText, default: PupilState(order: order)].update(reading: reading, maths: maths, result: result, key: key, line: line)
            accepted += 1
        }

        let pupils = states.sorted { $0.value.order < $1.value.order }.map { id, s in
            KS4Pupil(id: Pupil.ID(id), prior: PriorAttainment(readingScaledScore: s.reading, mathsScaledScore: s.maths), results: s.results)
        }
        issues += openOnly.nearMissWarnings(file: name, column: columns["subject"]?.name)
        issues.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        var read = result(pupils, read: data.count, accepted: accepted)
        read.openElementOnly = openOnly.counts
        read.pupilsWithRejectedRows = pupilsWithRejectedRows
        return read
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

    /// Counts a row when it is an open-only subject (not a QN, category `other`).
    mutating func note(_ read: KS4ResultCells, line: Int, text: String) {
        guard read.qualification == nil, let key = read.subjectKey, read.subjectCategory == .other else { return }
        seen[key, default: (0, line, text)].rows += 1
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
