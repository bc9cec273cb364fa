import Foundation
import HeadwayCore
@testable import HeadwayImport

/// The KS4 results reader as it was before issue 13 (records of `String`s, a dictionary of pupil
/// states), kept verbatim as the oracle the byte-level reader is fuzzed against
/// (`KS4ResultsFileEquivalenceTests`). Its records come from ``CSVScannerTests/Reference``, the
/// CSV.swift path, so the whole old reading is compared.
extension KS4ResultsFile {
    /// The old reading of a file.
    func referenceRead(name: String, contents: Data) -> Result {
        let (records, encoding, separator) = CSVScannerTests.Reference.decodedRecords(contents)
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
