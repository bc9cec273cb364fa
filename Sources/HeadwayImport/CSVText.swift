import Foundation

/// The character encodings a CSV export arrives in, as detected by ``TextDecoding``.
public enum TextEncoding: String, Hashable, Sendable, Codable, CustomStringConvertible {
    /// UTF-8 without a byte-order mark (plain ASCII counts as this).
    case utf8 = "UTF-8"
    /// UTF-8 starting with the byte-order mark EF BB BF (Excel's "CSV UTF-8"); the mark is dropped.
    case utf8WithBOM = "UTF-8 with BOM"
    /// UTF-16 with a byte-order mark (Excel's "Unicode Text", usually tab-separated).
    case utf16 = "UTF-16"
    /// Windows code page 1252 (Excel's plain "CSV" on Windows in Western Europe): chosen when the
    /// bytes are not valid UTF-8.
    case windows1252 = "Windows-1252"

    /// The encoding's usual name, e.g. `Windows-1252`.
    public var description: String { rawValue }
}

/// Turns file bytes into text without asking the user which encoding they saved in.
enum TextDecoding {
    /// An issue when the bytes are clearly not a text file: an Excel workbook (a ZIP: `.xlsx`),
    /// or NUL bytes in the first 8 KB without a UTF-16 byte-order mark (a picture, a PDF, an old
    /// `.xls`). Nil for anything that may be text.
    static func binaryIssue(_ data: Data, file: String) -> ImportIssue? {
        let head = data.prefix(8_192)
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return ImportIssue(.unusableFile, file: file, reason: "an Excel workbook or other ZIP file, not CSV text: open it and save it as \"CSV UTF-8 (Comma delimited)\"")
        }
        if !(head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF])), head.contains(0) {
            return ImportIssue(.unusableFile, file: file, reason: "not a text file (it holds NUL bytes: a picture, PDF or old .xls?): export the data as CSV")
        }
        return nil
    }

    /// Rule: a UTF-8 or UTF-16 byte-order mark decides; otherwise valid UTF-8 is UTF-8; otherwise
    /// the file is Windows-1252 (every byte sequence is valid in it, so this never fails).
    /// Latin-1 files are read correctly too, except for the rarely used C1 range 0x80–0x9F.
    static func decode(_ data: Data) -> (text: String, encoding: TextEncoding) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = bytes.dropFirst(3)
            if let text = String(validating: body, as: UTF8.self) { return (text, .utf8WithBOM) }
            return (windows1252(body), .windows1252)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]),
           let text = String(data: data, encoding: .utf16) {
            return (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, .utf16)
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        return (windows1252(bytes[...]), .windows1252)
    }

    /// Calls `body` with the file's text as UTF-8 bytes and the encoding detected (the rule of
    /// ``decode(_:)``), without copying a UTF-8 file: its bytes are scanned where they lie, a
    /// byte-order mark skipped. Other encodings are transcoded once.
    static func withUTF8<R>(_ data: Data, _ body: (UnsafeBufferPointer<UInt8>, TextEncoding) -> R) -> R {
        let direct: (offset: Int, encoding: TextEncoding)? = data.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            let bom = all.starts(with: [0xEF, 0xBB, 0xBF])
            let body = UnsafeBufferPointer(rebasing: all[(bom ? 3 : 0)...])
            if !bom && (all.starts(with: [0xFF, 0xFE]) || all.starts(with: [0xFE, 0xFF])) { return nil }
            return isUTF8(body) ? (bom ? 3 : 0, bom ? .utf8WithBOM : .utf8) : nil
        }
        if let direct {
            return data.withUnsafeBytes { raw in
                body(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[direct.offset...]), direct.encoding)
            }
        }
        var (text, encoding) = decode(data)
        return text.withUTF8 { body($0, encoding) }
    }

    /// True when the bytes are valid UTF-8: eight bytes at a time while they are ASCII (nearly
    /// every MIS export), the standard library's validation from the first byte that is not.
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = 0
        // ASCII runs 32 bytes a step (a national file is checked before it is split across threads).
        while i + 32 <= bytes.count {
            let any = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
            guard any & 0x8080_8080_8080_8080 == 0 else { break }
            i += 32
        }
        while i + 8 <= bytes.count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
        while i < bytes.count, bytes[i] < 0x80 { i += 1 }
        guard i < bytes.count else { return true }
        return String(validating: UnsafeBufferPointer(rebasing: bytes[i...]), as: UTF8.self) != nil
    }

    /// Windows-1252: bytes 0x00–0x7F and 0xA0–0xFF are the same code points (Latin-1); 0x80–0x9F
    /// hold typographic characters. The five bytes Windows leaves undefined (81 8D 8F 90 9D) map
    /// to the C1 control of the same value, as the WHATWG Encoding Standard does. Written as a
    /// table because Foundation's converter on Linux refuses those five bytes and the whole file
    /// with them.
    static func windows1252(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            if (0x80...0x9F).contains(byte) {
                scalars.append(Unicode.Scalar(c1Range[Int(byte) - 0x80])!)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    private static let c1Range: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 80–87
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F, // 88–8F
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 90–97
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, // 98–9F
    ]
}

/// One record of a CSV file with the physical line it starts on.
struct CSVRecord {
    /// 1-based line of the record's first character; the header is line 1 in a file without
    /// leading blank lines.
    var line: Int
    var fields: [String]

    /// True for an empty line or a line of separators only (`;;;`), which exports often leave
    /// at the end; such records are skipped.
    var isBlank: Bool { fields.allSatisfy { $0.trimmed.isEmpty } }

    /// True when a field holds a line break (so the record spans several lines).
    var spansLines: Bool { fields.contains { $0.contains("\n") || $0.contains("\r") } }
}

enum CSVText {
    /// The check every header-keyed reader makes first: a short row, or one with text past the
    /// header, has shifted columns, and reading it would attach values to the wrong headers.
    /// Returns the reason for a `field_count` error, nil when the row fits the header.
    static func fieldCountProblem(_ record: CSVRecord, headerCount: Int) -> String? {
        let extra = record.fields.dropFirst(headerCount)
        guard record.fields.count < headerCount || extra.contains(where: { !$0.trimmed.isEmpty }) else { return nil }
        var reason = "the row has \(record.fields.count) fields but the header has \(headerCount)"
        if record.spansLines { reason += "; a quoted field runs over several lines — is a closing quote missing?" }
        return reason
    }

    /// A CSV file's bytes as records, as every CSV reader here takes them: decoded (UTF-8, else
    /// Windows-1252; a byte-order mark removed), the separator detected from the header line
    /// (``detectSeparator(in:)``), blank records dropped.
    static func decodedRecords(_ contents: Data) -> (records: [CSVRecord], encoding: TextEncoding, separator: Unicode.Scalar) {
        withRecords(contents) { records, encoding, separator in
            var all: [CSVRecord] = []
            while let record = records.next() { all.append(record) }
            return (all, encoding, separator)
        }
    }

    /// Like ``decodedRecords(_:)``, but the records are read one at a time as `body` asks for them,
    /// so a reader that keeps only what it makes of each row never holds the whole file as text
    /// (issue 13, item 2).
    /// - Parameter separator: the separator to split on (ASCII); nil to detect it from the header
    ///   line (``detectSeparator(in:)``).
    static func withRecords<R>(_ contents: Data, separator chosen: Unicode.Scalar? = nil,
                               _ body: (_ records: RecordIterator, _ encoding: TextEncoding, _ separator: Unicode.Scalar) -> R) -> R {
        TextDecoding.withUTF8(contents) { bytes, encoding in
            let separator = chosen.map { UInt8(ascii: $0) } ?? CSVScanner.detectSeparator(in: bytes)
            return body(RecordIterator(bytes: bytes, scanner: CSVScanner(bytes, separator: separator)), encoding, Unicode.Scalar(separator))
        }
    }

    /// The records of ``withRecords(_:_:)``, blank ones skipped; valid only inside its closure.
    struct RecordIterator {
        /// The decoded bytes the records are read from.
        let bytes: UnsafeBufferPointer<UInt8>
        let scanner: CSVScanner

        /// The next record that is not blank; nil at the end.
        func next() -> CSVRecord? {
            while scanner.next() {
                if !scanner.isBlank { return CSVRecord(line: scanner.line, fields: scanner.strings) }
            }
            return nil
        }

        /// Reads the rest, returning how many records were not blank.
        func skipRest() -> Int {
            var count = 0
            while scanner.next() { if !scanner.isBlank { count += 1 } }
            return count
        }
    }

    /// `bytes[start...]` cut into at most `pieces` ranges of about the same size, each cut just
    /// after a line feed, for reading on several threads. A cut may fall inside a quoted field:
    /// the reader checks each join (the range before it must end where the next begins) and reads
    /// again from where it did end.
    static func ranges(of bytes: UnsafeBufferPointer<UInt8>, from start: Int, pieces: Int) -> [Range<Int>] {
        var cuts = [start]
        for k in 1..<max(1, pieces) {
            let target = start + (bytes.count - start) * k / pieces
            guard target < bytes.count, var p = bytes[target...].firstIndex(of: 10) else { break }
            p += 1
            if p > cuts.last!, p < bytes.count { cuts.append(p) }
        }
        cuts.append(bytes.count)
        return (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }
    }

    /// The separators auto-detection chooses between, in order of preference on a tie.
    static let candidateSeparators: [Unicode.Scalar] = [",", ";", "\t"]

    /// Picks the separator from the header line: the candidate occurring most often outside
    /// quotes (comma on a tie or when none occurs, i.e. a one-column file).
    static func detectSeparator(in text: String) -> Unicode.Scalar {
        var text = text
        return Unicode.Scalar(text.withUTF8 { CSVScanner.detectSeparator(in: $0) })
    }

    /// Splits text into records (``CSVScanner``), each with the physical line it starts on.
    static func records(in text: String, separator: Unicode.Scalar) -> [CSVRecord] {
        var text = text
        return text.withUTF8 { records(in: $0, separator: UInt8(ascii: separator)) }
    }

    /// Splits UTF-8 bytes into records (``CSVScanner``).
    static func records(in bytes: UnsafeBufferPointer<UInt8>, separator: UInt8) -> [CSVRecord] {
        let scanner = CSVScanner(bytes, separator: separator)
        var out: [CSVRecord] = []
        while scanner.next() {
            out.append(CSVRecord(line: scanner.line, fields: scanner.strings))
        }
        return out
    }
}

extension String {
    /// Without leading and trailing white space (spaces, tabs, no-break spaces, line breaks).
    /// Used on every cell: Foundation's `trimmingCharacters(in:)` bridges through NSString on
    /// Linux and was 40% of an import's time (measured on 96,000 rows, 2026-11).
    var trimmed: String {
        // Fast path, nearly every cell: first and last bytes visible ASCII, nothing to trim.
        if let head = utf8.first, let tail = utf8.last, (0x21...0x7E).contains(head), (0x21...0x7E).contains(tail) {
            return self
        }
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        if first == startIndex && index(after: last) == endIndex { return self }
        return String(self[first...last])
    }
}
