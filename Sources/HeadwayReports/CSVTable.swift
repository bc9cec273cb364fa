import Foundation
import HeadwayAnalytics

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
        var writer = CSVWriter(byteOrderMark: byteOrderMark)
        writer.write(header)
        for row in rows { writer.write(row) }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func defuse(_ cell: String) -> String {
        guard let first = cell.first, "=+-@".contains(first), Double(cell) == nil else { return cell }
        return "'" + cell
    }
}

/// Writes CSV rows into one growing byte buffer, deciding quoting on bytes (issue 13, item 3):
/// RFC 4180 — comma separated, CRLF after every row, a cell holding `"`, `,`, CR or LF quoted
/// with its quotes doubled — and formula-like cells defused as ``CSVTable`` says. The caller
/// takes ``bytes`` and writes them where it likes.
public struct CSVWriter: Sendable {
    /// What has been written and not yet taken.
    public private(set) var bytes: [UInt8] = []

    /// An empty buffer; with `byteOrderMark`, the UTF-8 byte-order mark first.
    public init(byteOrderMark: Bool = false, capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
        if byteOrderMark { bytes += [0xEF, 0xBB, 0xBF] }
    }

    /// Cells written in the row not yet ended.
    private var cellsInRow = 0

    /// Appends one row and its CRLF.
    public mutating func write(_ row: [String]) {
        for cell in row { text(cell) }
        endRow()
    }

    /// Ends the row written cell by cell (``text(_:)``, ``number(_:)``) with its CRLF.
    public mutating func endRow() {
        bytes += [13, 10]
        cellsInRow = 0
    }

    /// Appends what another writer wrote (rows written on another thread, in order).
    public mutating func append(_ other: CSVWriter) {
        bytes += other.bytes
    }

    /// Appends a number cell, the ASCII bytes of a decimal such as `-0.25`, as they are: a number
    /// needs no quotes and is not a formula.
    public mutating func number(_ ascii: UnsafeBufferPointer<UInt8>) {
        if cellsInRow > 0 { bytes.append(UInt8(ascii: ",")) }
        cellsInRow += 1
        bytes.append(contentsOf: ascii)
    }

    /// Appends a text cell, quoted or defused where it needs it.
    public mutating func text(_ cell: String) {
        if cellsInRow > 0 { bytes.append(UInt8(ascii: ",")) }
        cellsInRow += 1
        var cell = cell
        cell.withUTF8 { utf8 in
            // A plain number such as -0.25 is never a formula: only other text starting with
            // = + - @ goes through ``CSVTable/defuse(_:)``.
            if let first = utf8.first, first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@"),
               !Self.isDecimal(utf8) {
                let defused = CSVTable.defuse(String(decoding: utf8, as: UTF8.self))
                if defused.utf8.count != utf8.count { write(field: Array(defused.utf8)[...]); return }
            }
            write(field: utf8[...])
        }
    }

    private mutating func write<Bytes: Collection<UInt8>>(field: Bytes) {
        let needsQuotes = field.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: ",") || $0 == 13 || $0 == 10 }
        guard needsQuotes else { bytes.append(contentsOf: field); return }
        bytes.append(UInt8(ascii: "\""))
        for b in field {
            bytes.append(b)
            if b == UInt8(ascii: "\"") { bytes.append(b) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A sign, digits and at most one point (`-1.25`, `+3`): text `Double` reads as a number.
    private static func isDecimal(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var digits = 0, points = 0
        for (i, b) in utf8.enumerated() {
            if (0x30...0x39).contains(b) { digits += 1 } else if b == UInt8(ascii: ".") { points += 1 }
            else if i > 0 || (b != UInt8(ascii: "-") && b != UInt8(ascii: "+")) { return false }
        }
        return digits > 0 && points <= 1
    }
}

/// A per-pupil KS4 table row goes straight into the buffer (``KS4Cohort/write(_:basis:columns:to:)``).
extension CSVWriter: KS4CellWriter {}
