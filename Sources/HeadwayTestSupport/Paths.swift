import CSV
import Foundation

/// Locations of the shared reference data (`shared/` beside the repository, as laid out for
/// developers and CI).
public enum SharedFiles {
    /// `shared/` found from this source file: Sources/HeadwayTestSupport/Paths.swift → ../../../shared.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    /// A file under shared/, e.g. `reference/upn-examples.csv`.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The rows of a reference CSV (comma-separated, no quoted commas), skipping `#` comment
    /// lines, as dictionaries keyed by the header.
    public static func referenceRows(_ relative: String) throws -> [[String: String]] {
        try csvRows(at: url(relative))
    }

    /// The rows of any comma-separated file with a header, skipping `#` comment lines.
    public static func csvRows(at file: URL) throws -> [[String: String]] {
        try csvRows(text: String(contentsOf: file, encoding: .utf8))
    }

    /// The rows of comma-separated text with a header (a leading byte-order mark and `#` comment
    /// lines are skipped).
    public static func csvRows(text: String) throws -> [[String: String]] {
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        let reader = try CSVReader(string: body, hasHeaderRow: true)
        let header = reader.headerRow ?? []
        var rows: [[String: String]] = []
        while let row = reader.next() {
            if row != [""] { rows.append(Dictionary(uniqueKeysWithValues: zip(header, row))) }
        }
        return rows
    }
}
