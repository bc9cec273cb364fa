import CSV
import Foundation

/// A table for export: a header row and text cells, written as RFC 4180 CSV (comma, CRLF,
/// quotes where needed). A file gets a UTF-8 byte-order mark so Excel reads names such as Zoë
/// (``text``); standard output does not (``text(byteOrderMark:)``), as a BOM breaks the first
/// header of any CSV reader a pipe feeds (issue 12, item 4).
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

    /// The CSV text, BOM first: for a file a spreadsheet will open.
    public var text: String { text(byteOrderMark: true) }

    /// The CSV text, with or without the UTF-8 byte-order mark first: without it for standard
    /// output (a pipe into another program), with it for a file written for Excel.
    public func text(byteOrderMark: Bool) -> String {
        let writer = try! CSVWriter(stream: .toMemory(), delimiter: ",", newline: .crlf)
        for row in [header] + rows {
            try! writer.write(row: row.map(CSVTable.defuse))
        }
        writer.stream.close()
        let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return (byteOrderMark ? "\u{FEFF}" : "") + String(decoding: data, as: UTF8.self) + "\r\n"
    }

    static func defuse(_ cell: String) -> String {
        guard let first = cell.first, "=+-@".contains(first), Double(cell) == nil else { return cell }
        return "'" + cell
    }
}
