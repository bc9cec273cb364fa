/// Splits UTF-8 CSV bytes into records and fields without building a `String` per cell: the
/// reading path under every importer and `headway ks4` (issue 13, item 1).
///
/// The rules are those of the CSV.swift reader Headway used before, kept exactly so every file
/// reads as it did (the test suite fuzzes this scanner against CSV.swift, `CSVScannerTests`):
/// - a record ends at CRLF, LF or a lone CR outside quotes, or at the end of the bytes;
/// - a field that starts with `"` is quoted: it runs to the next `"` that is followed by the
///   separator, a line break or the end; `""` inside it is one `"`; a `"` followed by anything
///   else keeps the `"` and drops the one character after it (CSV.swift's recovery); an
///   unterminated quoted field runs to the end of the bytes;
/// - a `"` inside an unquoted field is kept as text;
/// - an empty line is a record of one empty field; a separator at the very end gives a last,
///   empty field.
///
/// Line numbers are physical lines, as the importers report them: each record starts on the
/// line after the previous one ended, counting the line breaks inside its quoted fields (CRLF
/// once).
///
/// Its state is only ever touched by the one thread reading with it, so the run-time
/// exclusivity checks on a class's properties are switched off (`@exclusivity(unchecked)`: they
/// were an eighth of `headway ks4`'s time, measured with perf).
///
/// The scanner reads bytes it does not own: the caller keeps them alive and unchanged while it
/// scans. Every separator, quote and line break is ASCII, so scanning UTF-8 bytes splits the
/// same text as scanning its Unicode scalars.
final class CSVScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The field separator byte (`,` `;` or tab).
    let separator: UInt8
    /// Offset of the next unread byte.
    @exclusivity(unchecked) private(set) var position: Int
    /// The physical line the next record starts on (1-based).
    @exclusivity(unchecked) private(set) var nextLine: Int
    /// The line the current record starts on.
    @exclusivity(unchecked) private(set) var line = 0
    /// Fields of the current record: offsets into ``bytes`` (non-negative start) or, for a quoted
    /// field with `""` or recovery, into the scratch buffer (start encoded as `-1 - offset`).
    @exclusivity(unchecked) private var starts: [Int] = []
    @exclusivity(unchecked) private var ends: [Int] = []
    @exclusivity(unchecked) private var scratch: UnsafeMutableBufferPointer<UInt8>
    @exclusivity(unchecked) private var scratchCount = 0

    /// A scanner over `bytes` starting at `offset`, whose first record starts on `line`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8, from offset: Int = 0, line: Int = 1) {
        self.bytes = bytes
        self.separator = separator
        position = offset
        nextLine = line
        scratch = .allocate(capacity: 256)
        starts.reserveCapacity(32)
        ends.reserveCapacity(32)
    }

    deinit { scratch.deallocate() }

    /// Fields in the current record.
    var fieldCount: Int { starts.count }

    /// The bytes of field `i` of the current record (its content, quotes removed): valid until
    /// the next call to ``next()``.
    func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = starts[i], end = ends[i]
        if start >= 0 { return UnsafeBufferPointer(rebasing: bytes[start..<end]) }
        return UnsafeBufferPointer(rebasing: scratch[(-1 - start)..<end])
    }

    /// Field `i` as text.
    func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// Every field of the current record as text.
    var strings: [String] { (0..<fieldCount).map { string($0) } }

    /// Reads the next record; false at the end of the bytes.
    func next() -> Bool {
        let count = bytes.count
        guard position < count else { return false }
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        scratchCount = 0
        line = nextLine
        var breaks = 0
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), separator = separator
        var p = position
        fields: while true {
            guard p < count else {  // after a separator at the very end
                starts.append(p); ends.append(p)
                break
            }
            if bytes[p] == quote {
                p += 1
                let start = p
                var inScratch = false
                var scratchStart = 0
                while true {
                    var q = p
                    while q < count && bytes[q] != quote { q += 1 }
                    // bytes[p..<q] is content.
                    if inScratch { appendScratch(p..<q) }
                    guard q < count else {  // unterminated: to the end
                        p = q
                        finishQuoted(start: start, end: q, inScratch: inScratch, scratchStart: scratchStart, breaks: &breaks)
                        break fields
                    }
                    let after = q + 1
                    if after >= count || bytes[after] == cr || bytes[after] == lf {
                        finishQuoted(start: start, end: q, inScratch: inScratch, scratchStart: scratchStart, breaks: &breaks)
                        p = after
                        if p < count {
                            p += 1
                            if bytes[p - 1] == cr && p < count && bytes[p] == lf { p += 1 }
                        }
                        break fields
                    }
                    if bytes[after] == separator {
                        finishQuoted(start: start, end: q, inScratch: inScratch, scratchStart: scratchStart, breaks: &breaks)
                        p = after + 1
                        continue fields
                    }
                    // `""` is one quote; `"x` keeps the quote and drops the character x.
                    if !inScratch {
                        inScratch = true
                        scratchStart = scratchCount
                        appendScratch(start..<q)
                    }
                    appendScratch(q..<(q + 1))
                    p = after + 1
                    if bytes[after] != quote {  // drop the rest of a multi-byte character
                        while p < count && bytes[p] & 0xC0 == 0x80 { p += 1 }
                    }
                }
            } else {
                let start = p
                while p < count {
                    let b = bytes[p]
                    if b == separator || b == cr || b == lf { break }
                    p += 1
                }
                starts.append(start); ends.append(p)
                guard p < count else { break }
                let b = bytes[p]
                p += 1
                if b == separator { continue }
                if b == cr && p < count && bytes[p] == lf { p += 1 }
                break
            }
        }
        position = p
        nextLine += 1 + breaks
        return true
    }

    private func finishQuoted(start: Int, end: Int, inScratch: Bool, scratchStart: Int, breaks: inout Int) {
        let content: UnsafeBufferPointer<UInt8>
        if inScratch {
            starts.append(-1 - scratchStart); ends.append(scratchCount)
            content = UnsafeBufferPointer(rebasing: scratch[scratchStart..<scratchCount])
        } else {
            starts.append(start); ends.append(end)
            content = UnsafeBufferPointer(rebasing: bytes[start..<end])
        }
        breaks += CSVScanner.lineBreaks(in: content)
    }

    private func appendScratch(_ range: Range<Int>) {
        let needed = scratchCount + range.count
        if needed > scratch.count {
            let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(needed, scratch.count * 2))
            _ = grown.initialize(from: scratch[0..<scratchCount])
            scratch.deallocate()
            scratch = grown
        }
        for (k, i) in range.enumerated() { scratch[scratchCount + k] = bytes[i] }
        scratchCount = needed
    }

    /// Line breaks in a field's content: CRLF, LF and a lone CR each count once.
    static func lineBreaks(in content: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var afterCR = false
        for b in content {
            switch b {
            case UInt8(ascii: "\r"): count += 1; afterCR = true
            case UInt8(ascii: "\n"): if !afterCR { count += 1 }; afterCR = false
            default: afterCR = false
            }
        }
        return count
    }

    /// The separator a file uses, from its first line that holds one: the candidate (`,` `;`
    /// tab) occurring most often outside quotes, comma on a tie or when no line holds one.
    static func detectSeparator(in bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var counts: [Int] = [0, 0, 0]
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 9]
        var quoted = false
        for b in bytes {
            if b == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if !quoted && (b == 10 || b == 13) {
                if counts == [0, 0, 0] { continue }
                break
            }
            if !quoted, let k = candidates.firstIndex(of: b) { counts[k] += 1 }
        }
        var best = 0
        for k in 1..<3 where counts[k] > counts[best] { best = k }
        return candidates[best]
    }
}

extension CSVScanner {
    /// A cell's bytes with surrounding white space removed (as ``Swift/String/trimmed``): on
    /// bytes when the ends are ASCII, through `String` otherwise.
    struct Cell {
        var bytes: UnsafeBufferPointer<UInt8>
        /// Set instead of `bytes` when trimming needed `String` (white space beyond ASCII).
        var text: String?

        var isEmpty: Bool { text?.isEmpty ?? bytes.isEmpty }
        var string: String { text ?? String(decoding: bytes, as: UTF8.self) }

        /// The whole number the cell holds, as `Int(_:)` reads it (optional sign, digits).
        var integer: Int? {
            if let text { return Int(text) }
            var i = 0, negative = false
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { negative = sign == UInt8(ascii: "-"); i = 1 }
            guard i < bytes.count else { return nil }
            var n = 0
            while i < bytes.count {
                let d = Int(bytes[i]) - 48
                guard (0...9).contains(d), n < Int.max / 10 - 9 else { return nil }
                n = n * 10 + d
                i += 1
            }
            return negative ? -n : n
        }
    }

    /// Field `i` trimmed (``Cell``).
    func trimmed(_ i: Int) -> CSVScanner.Cell {
        var bytes = field(i)
        while let b = bytes.first, b == 32 || (9...13).contains(b) { bytes = UnsafeBufferPointer(rebasing: bytes[1...]) }
        while let b = bytes.last, b == 32 || (9...13).contains(b) { bytes = UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - 1)]) }
        if let b = bytes.first, b >= 0x80 { return .init(bytes: bytes, text: string(i).trimmed) }
        if let b = bytes.last, b >= 0x80 { return .init(bytes: bytes, text: string(i).trimmed) }
        return .init(bytes: bytes, text: nil)
    }

    /// True when every field is blank after trimming (``CSVRecord/isBlank``).
    var isBlank: Bool { (0..<fieldCount).allSatisfy { trimmed($0).isEmpty } }
}
