import Foundation
import HeadwayCore
@testable import HeadwayImport
import Testing

/// Issue 13, item 1: the byte-level KS4 results reader gives exactly what the reader it replaced
/// gave (``KS4ResultsFile/referenceRead(name:contents:)``) — the same pupils with the same
/// results in the same order, the same issues with the same lines, the same counts — on the
/// fixtures, on files whose pupils' rows are scattered, and on thousands of mutations of them;
/// and the same again when the rows are read in two, three or four chunks on as many threads.
@Suite(.timeLimit(.minutes(5))) struct KS4ResultsFileEquivalenceTests {
    static func compare(_ reader: KS4ResultsFile, _ bytes: [UInt8], _ context: @autoclosure () -> String) {
        let expected = reader.referenceRead(name: "f.csv", contents: Data(bytes))
        let one = reader.read(name: "f.csv", contents: Data(bytes))
        var split: [(KS4ResultsFile.Result, String)] = [(one, "one chunk")]
        for chunks in 2...4 {
            var (parts, collected) = reader.read(name: "f.csv", contents: Data(bytes), chunks: chunks) { CollectedPupils() }
            parts.pupils = collected.pupils
            split.append((parts, "\(chunks) chunks"))
        }
        for (actual, how) in split {
            #expect(actual.issues.map(\.description) == expected.issues.map(\.description), "\(context()), \(how): issues")
            #expect(actual.issues.map(\.severity) == expected.issues.map(\.severity), "\(context()), \(how): severities")
            #expect(actual.pupils == expected.pupils, "\(context()), \(how): pupils")
            #expect(actual.rowsRead == expected.rowsRead && actual.rowsAccepted == expected.rowsAccepted
                    && actual.rowsRejected == expected.rowsRejected, "\(context()), \(how): counts")
            #expect(actual.encoding == expected.encoding && actual.separator == expected.separator, "\(context()), \(how): form")
            #expect(actual.openElementOnly.map { "\($0.key)=\($0.rows)" } == expected.openElementOnly.map { "\($0.key)=\($0.rows)" },
                    "\(context()), \(how): open element only")
            #expect(actual.pupilsWithRejectedRows == expected.pupilsWithRejectedRows, "\(context()), \(how): pupils with rejected rows")
        }
    }

    /// Pupils whose rows are not together, KS2 that disagrees, the same subject twice, a grade
    /// with spaces and a no-break space, an open-only near miss, blank and short rows.
    static let scattered = """
        pupil,subject,grade,ks2_reading,ks2_maths,subject_name
        A1,english_language,5,104,101,
        B2,maths,6-5,99,
        A1,maths,4,104,102,
        C3,histroy,7,,, History
        B2,maths,7,, ,Maths again
        A1,english_literature, 6 ,+104,101,
        \u{A0}D4\u{A0},art,9,120,120,Art
        ,,,,,
        E5,english,5,100,100,
        B2,combined_science,6-5,99,100
        C3,drama,U,59,80,
        A1,french,X,104,101,Français
        """

    static func lists() throws -> KS4QualificationTable { try KS4QualificationTable.read(folder: KS4ResultsFileTests.listsFolder) }

    @Test func fixturesReadAsBefore() throws {
        let reader = KS4ResultsFile(qualifications: try Self.lists())
        for file in ["ks4/bad-rows.csv", "ks4/qualification-numbers.csv"] {
            Self.compare(reader, Array(try Fixtures.data(file)), file)
        }
        Self.compare(reader, Array(Self.scattered.utf8), "scattered")
        Self.compare(reader, Array(Self.scattered.replacingOccurrences(of: "\n", with: "\r\n").utf8), "scattered, CRLF")
        Self.compare(KS4ResultsFile(), Array(Self.scattered.replacingOccurrences(of: ",", with: ";").utf8), "scattered, semicolons, no lists")
        // The middle of the file falls inside a quoted name of many lines: the second chunk's
        // guess at a record start is wrong, and the first chunk reads on past it.
        let long = "\"" + String(repeating: "line\n", count: 40) + "\""
        let spanning = "pupil,subject,grade,ks2_reading,ks2_maths,subject_name\nA1,maths,5,100,100,\(long)\nB2,maths,\"6\",101,99,Maths\n"
        Self.compare(reader, Array(spanning.utf8), "a quoted field across the middle")
        // The quoted field at every place in a longer file: some splits land inside it after
        // earlier parts were joined, and the rows read again hold subjects only later parts saw.
        for at in 0..<24 {
            let rows = (0..<24).map { i in
                "P\(i),\(i < 12 ? "maths" : "history"),\(i % 9 + 1),100,100,\(i == at ? long : "")\n"
            }
            Self.compare(reader, Array(("pupil,subject,grade,ks2_reading,ks2_maths,subject_name\n" + rows.joined()).utf8), "long field on row \(at)")
        }
        // Four chunks: joins in order whatever the number.
        let many = (0..<200).map { "P\($0 % 37),\(["maths", "history", "art", "english_language"][$0 % 4]),\($0 % 10),\(80 + $0 % 41),\(100 + $0 % 7),\n" }
        let bytes = Array(("pupil,subject,grade,ks2_reading,ks2_maths,subject_name\n" + many.joined()).utf8)
        let one = reader.read(name: "f.csv", contents: Data(bytes))
        for chunks in [2, 3, 4] {
            let (split, collected) = reader.read(name: "f.csv", contents: Data(bytes), chunks: chunks) { CollectedPupils() }
            #expect(collected.pupils == one.pupils && split.issues.map(\.description) == one.issues.map(\.description), "\(chunks) chunks")
        }
        #expect(one.pupils.count == 37)
    }

    /// The byte-level checks the reader makes itself (trimming, whole numbers) against the
    /// `String` functions they stand for.
    @Test func mutatedFilesReadAsBefore() throws {
        let reader = KS4ResultsFile(qualifications: try Self.lists())
        let seeds = try ["ks4/bad-rows.csv", "ks4/qualification-numbers.csv"].map { Array(try Fixtures.data($0)) } + [Array(Self.scattered.utf8)]
        var mutator = ImporterFuzzTests.Mutator(seed: 1302)
        for n in 0..<ImporterFuzzTests.cases {
            Self.compare(reader, mutator.mutate(seeds[n % seeds.count]), "mutated case \(n)")
        }
    }
}
