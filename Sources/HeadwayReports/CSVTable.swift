import CSV
import Foundation

/// A table for export: a header row and text cells, written as RFC 4180 CSV (comma, CRLF,
/// quotes where needed) with a UTF-8 byte-order mark so Excel reads names such as Zoë.
///
/// A cell that starts with `=`, `+`, `-` or `@` and is not a number is prefixed with `'` so a
/// spreadsheet does not run it as a formula (CSV injection).
public struct CSVTable: Hashable, Sendable {
    /// File name without extension, e.g. `completion-by-teacher`.
    public var name: String
    public var header: [String]
    public var rows: [[String]]

    public init(name: String, header: [String], rows: [[String]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }

    /// The CSV text, BOM first.
    public var text: String {
        let writer = try! CSVWriter(stream: .toMemory(), delimiter: ",", newline: .crlf)
        for row in [header] + rows {
            try! writer.write(row: row.map(CSVTable.defuse))
        }
        writer.stream.close()
        let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return "\u{FEFF}" + String(decoding: data, as: UTF8.self) + "\r\n"
    }

    static func defuse(_ cell: String) -> String {
        guard let first = cell.first, "=+-@".contains(first), Double(cell) == nil else { return cell }
        return "'" + cell
    }
}
