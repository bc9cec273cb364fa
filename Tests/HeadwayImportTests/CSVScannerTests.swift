import CSV
import Foundation
@testable import HeadwayImport
import Testing

/// Issue 13, item 1: the byte-level ``CSVScanner`` reads every file exactly as the CSV.swift
/// reader it replaced — the same fields, the same line numbers, the same separator, the same
/// decoding — checked on thousands of generated and mutated files (seeded: a failure names the
/// seed and case). The reference below is the code Headway ran before, kept here as the oracle.
@Suite struct CSVScannerTests {
    /// The previous reading path, verbatim: decode to a `String`, detect the separator on its
    /// scalars, split with CSV.swift, recover line numbers from the fields' line breaks.
    enum Reference {
        static func decodedRecords(_ data: Data) -> (records: [CSVRecord], encoding: TextEncoding, separator: Unicode.Scalar) {
            let (text, encoding) = TextDecoding.decode(data)
            let separator = detectSeparator(in: text)
            return (records(in: text, separator: separator).filter { !$0.isBlank }, encoding, separator)
        }

        static func detectSeparator(in text: String) -> Unicode.Scalar {
            var counts: [Unicode.Scalar: Int] = [:]
            var quoted = false
            for scalar in text.unicodeScalars {
                if scalar == "\"" { quoted.toggle(); continue }
                if !quoted && (scalar == "\n" || scalar == "\r") {
                    if counts.isEmpty { continue }
                    break
                }
                if !quoted && CSVText.candidateSeparators.contains(scalar) { counts[scalar, default: 0] += 1 }
            }
            var best: Unicode.Scalar = ","
            for candidate in CSVText.candidateSeparators where counts[candidate, default: 0] > counts[best, default: 0] {
                best = candidate
            }
            return best
        }

        static func records(in text: String, separator: Unicode.Scalar) -> [CSVRecord] {
            guard let reader = try? CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: separator) else {
                return []
            }
            var out: [CSVRecord] = []
            var line = 1
            while let fields = reader.next() {
                out.append(CSVRecord(line: line, fields: fields))
                line += 1 + fields.reduce(0) { $0 + lineBreaks(in: $1) }
            }
            return out
        }

        static func lineBreaks(in field: String) -> Int {
            var count = 0
            var afterCR = false
            for scalar in field.unicodeScalars {
                switch scalar {
                case "\r": count += 1; afterCR = true
                case "\n": if !afterCR { count += 1 }; afterCR = false
                default: afterCR = false
                }
            }
            return count
        }
    }

    static func same(_ bytes: [UInt8], _ context: @autoclosure () -> String) {
        let data = Data(bytes)
        let expected = Reference.decodedRecords(data)
        let actual = CSVText.decodedRecords(data)
        #expect(actual.encoding == expected.encoding, "\(context()): encoding")
        #expect(actual.separator == expected.separator, "\(context()): separator")
        #expect(actual.records.map(\.line) == expected.records.map(\.line), "\(context()): lines of \(bytes)")
        #expect(actual.records.map(\.fields) == expected.records.map(\.fields), "\(context()): fields of \(bytes)")
    }

    /// The cases CSV.swift's quoting rules make interesting, one by one.
    @Test(arguments: [
        "a,b\n1,2", "a,b\r\n1,2\r\n", "a,b\r1,2\r", "\"a\",\"b\"\n\"1\",\"2\"", "\"a\"\"b\",c", "\"a\"x,b\n1,2",
        "\"a\"é,b", "\"a\"🙂z,b", "\"open,b\n1,2", "a\"b,c", "a,\n", "a,", ",", "\n\n\n", "\r\r\n\n", "\"\"", "\"",
        "\"a\nb\",c\n1,2", "\"a\r\nb\"\r\n1", "\"a\"\r", "\"a\"\rb", "x;y;z\n1;\"2;3\";4", "t\tu\n1\t2", "\"a\"\"\"", "\"\"\"\"",
        "a,\"b\"\"\nc\"\"\",d\ne,f", "\u{FEFF}a,b\n1,2", "\"a;b;c\",d,e\n1;2", "single\n1", "\n\na;b\n1;2",
    ])
    func readsLikeCSVSwift(_ text: String) {
        Self.same(Array(text.utf8), "case \(text.debugDescription)")
    }

    @Test func readsOtherEncodingsLikeCSVSwift() {
        Self.same([0xEF, 0xBB, 0xBF] + Array("a;b\n\"Zoë\";2".utf8), "UTF-8 with BOM")
        Self.same([0x61, 0x2C, 0x62, 0x0A, 0x5A, 0x6F, 0xEB, 0x2C, 0x80], "Windows-1252")
        Self.same([0xFF, 0xFE] + Array("a\tb\n1\t2".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "UTF-16")
    }

    /// Random files from an alphabet heavy in what CSV splits on.
    @Test func randomFilesReadLikeCSVSwift() {
        let alphabet: [[UInt8]] = [[34], [34], [34, 34], [44], [44], [59], [9], [10], [10], [13], [13, 10], [97], [98], [49], [32],
                                   Array("é".utf8), Array("🙂".utf8), [0xE9], [0xEF, 0xBB, 0xBF]]
        var random = ImporterFuzzTests.Mutator(seed: 13)
        for n in 0..<4_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.below(60) { bytes += alphabet[random.below(alphabet.count)] }
            Self.same(bytes, "random case \(n)")
        }
    }

    /// The importers' own fixtures, mutated as the importer fuzz tests mutate them.
    @Test func mutatedFixturesReadLikeCSVSwift() throws {
        let seeds = try ["grades.csv", "grades-semicolon.csv", "multiline-notes.csv", "duplicate.csv", "off-scale.csv",
                         "ks4/bad-rows.csv", "ks4/qualification-numbers.csv"].map { Array(try Fixtures.data($0)) }
        var mutator = ImporterFuzzTests.Mutator(seed: 1301)
        for n in 0..<ImporterFuzzTests.cases {
            Self.same(mutator.mutate(seeds[n % seeds.count]), "mutated case \(n)")
        }
    }
}
