import Foundation
import HeadwayCore

/// Reads an Attainment 8 estimates table from a CSV, so a newly published DfE table can be used
/// without a new Headway: one row per KS2 prior attainment group with the columns `pag`,
/// `ks2_avg_min`, `ks2_avg_max`, `english_est`, `maths_est`, `ebacc_est`, `open_est` (other
/// columns are ignored; lines starting with `#` are comments) — the layout of
/// `shared/reference/a8-estimates-2023-ks4.csv`. Element estimates are in A8 points; the total
/// is their sum.
public enum AttainmentEstimatesFile {
    static let required = ["pag", "ks2_avg_min", "ks2_avg_max", "english_est", "maths_est", "ebacc_est", "open_est"]

    /// - Parameters:
    ///   - ks4Year: the KS4 year the table describes (shown beside every figure).
    ///   - name: how figures name the table, e.g. "KS4 2024 national A8 estimates (DfE, provisional)".
    /// - Returns: the table, or nil with the issues (file, line, column, value, reason) that stopped it.
    public static func read(contentsOf url: URL, ks4Year: Int, name: String) -> (table: AttainmentEstimates?, issues: [ImportIssue]) {
        let file = url.relativePath
        guard let data = try? Data(contentsOf: url) else {
            return (nil, [ImportIssue(.unreadableFile, file: file, reason: "cannot read the file")])
        }
        let (text, _) = TextDecoding.decode(data)
        let records = CSVText.records(in: text, separator: ",")
            .filter { !$0.isBlank && !($0.fields.first?.trimmed.hasPrefix("#") ?? false) }
        guard let header = records.first else {
            return (nil, [ImportIssue(.unusableFile, file: file, reason: "the file is empty: expected a header with \(required.joined(separator: ", "))")])
        }
        var column: [String: Int] = [:]
        for (i, f) in header.fields.enumerated() { column[f.trimmed.lowercased()] = i }
        let missing = required.filter { column[$0] == nil }
        guard missing.isEmpty else {
            return (nil, [ImportIssue(.missingColumn, file: file, line: header.line, column: missing.joined(separator: ", "),
                                      reason: "the header has no column \(missing.joined(separator: ", "))")])
        }
        var rows: [AttainmentEstimates.Row] = []
        var issues: [ImportIssue] = []
        for record in records.dropFirst() {
            var values: [String: Double] = [:]
            for key in required {
                let text = column[key].flatMap { $0 < record.fields.count ? record.fields[$0].trimmed : nil } ?? ""
                guard let value = Double(text), value.isFinite, value >= 0 else {
                    issues.append(ImportIssue(.missingValue, file: file, line: record.line, column: key, value: text, reason: "not a number ≥ 0"))
                    continue
                }
                values[key] = value
            }
            guard values.count == required.count else { continue }
            rows.append(AttainmentEstimates.Row(group: Int(values["pag"]!), ks2Minimum: values["ks2_avg_min"]!, ks2Maximum: values["ks2_avg_max"]!,
                                                english: values["english_est"]!, maths: values["maths_est"]!,
                                                ebacc: values["ebacc_est"]!, open: values["open_est"]!))
        }
        let sorted = rows.sorted { $0.ks2Minimum < $1.ks2Minimum }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.ks2Minimum <= a.ks2Maximum {
            issues.append(ImportIssue(.unusableFile, file: file,
                                      reason: "groups \(a.group) (\(a.ks2Minimum)–\(a.ks2Maximum)) and \(b.group) (\(b.ks2Minimum)–\(b.ks2Maximum)) overlap"))
        }
        guard issues.isEmpty, !rows.isEmpty else { return (nil, issues.isEmpty ? [ImportIssue(.unusableFile, file: file, reason: "no rows")] : issues) }
        return (AttainmentEstimates(id: AttainmentEstimates.ID("file-\(ks4Year)"), name: name, ks4Year: ks4Year, basis: .scaledScore,
                                    source: "loaded from \(url.lastPathComponent)", rows: rows), [])
    }
}
