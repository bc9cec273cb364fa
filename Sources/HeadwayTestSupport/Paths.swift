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
        let text = try String(contentsOf: url(relative), encoding: .utf8)
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
