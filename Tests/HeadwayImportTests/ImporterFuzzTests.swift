import Foundation
import HeadwayCore
@testable import HeadwayImport
import HeadwayTestSupport
import Testing

/// Issue 4, item 7: thousands of mutated inputs to every reader — no crash, no hang, every
/// failure a clear issue (a file, a reason, a line inside the file when it is about a row), rows
/// accounted for, and the same bytes always read the same way. The store side ("nothing already
/// stored changes") is `ImportFuzzTests` in HeadwayCLITests.
///
/// Mutations are seeded, so a failure names a seed and case that reproduce it. The number of
/// cases per reader is `HEADWAY_FUZZ_CASES` (default 1,500: a few seconds per reader in a debug
/// build, which fits CI); raise it for a longer run by hand.
@Suite(.timeLimit(.minutes(5))) struct ImporterFuzzTests {
    static let cases = ProcessInfo.processInfo.environment["HEADWAY_FUZZ_CASES"].flatMap(Int.init) ?? 1_500

    /// xorshift64*: small, seeded, good enough to pick mutations.
    struct Mutator {
        var state: UInt64
        init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

        /// Bytes that break CSV, XML, TOML and text decoding in interesting ways.
        static let hostile: [[UInt8]] = [
            Array("\"".utf8), Array(",".utf8), Array(";".utf8), [9], [10], [13, 10], [13], [0], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE],
            [0xC3], [0xE2, 0x82], [0x80], Array("\"\"".utf8), Array("<".utf8), Array(">".utf8), Array("&".utf8), Array("]]>".utf8),
            Array("<![CDATA[".utf8), Array("<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]>".utf8), Array("=".utf8), Array("[[".utf8),
            Array("#".utf8), Array("X".utf8), Array("Z".utf8), Array("NA".utf8), Array("SUPP".utf8), Array("9999999999999999999999".utf8),
            Array("-1".utf8), Array("1e308".utf8), Array("NaN".utf8), Array("0000".utf8), Array("Zoë".utf8), Array("🙂".utf8),
            Array(String(repeating: "A", count: 5_000).utf8),
        ]

        /// One to four mutations of `input`: flip, delete, insert hostile bytes, duplicate or drop
        /// a line, truncate, swap two lines.
        mutating func mutate(_ input: [UInt8]) -> [UInt8] {
            var bytes = input
            for _ in 0..<(1 + below(4)) {
                let at = below(bytes.count + 1)
                switch below(8) {
                case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(truncatingIfNeeded: 1 << below(8))
                case 1 where !bytes.isEmpty: bytes.removeSubrange(min(at, bytes.count - 1)..<min(bytes.count, at + 1 + below(40)))
                case 2, 3: bytes.insert(contentsOf: Self.hostile[below(Self.hostile.count)], at: at)
                case 4: // duplicate a line
                    var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
                    if !lines.isEmpty { lines.insert(lines[below(lines.count)], at: below(lines.count + 1)) }
                    bytes = Array(lines.joined(separator: [10]))
                case 5: // drop a line
                    var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
                    if lines.count > 1 { lines.remove(at: below(lines.count)) }
                    bytes = Array(lines.joined(separator: [10]))
                case 6: bytes = Array(bytes.prefix(at))
                default: // swap two lines
                    var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
                    if lines.count > 2 { lines.swapAt(below(lines.count), below(lines.count)) }
                    bytes = Array(lines.joined(separator: [10]))
                }
            }
            return bytes
        }
    }

    /// Checks the issue properties and returns a text that identifies the read, for the
    /// determinism check.
    static func check(_ issues: [ImportIssue], lines: Int, _ context: @autoclosure () -> String) {
        for issue in issues {
            #expect(!issue.file.isEmpty, "\(context()): issue without a file: \(issue)")
            #expect(!issue.reason.trimmingCharacters(in: .whitespaces).isEmpty, "\(context()): issue without a reason: \(issue)")
            if let line = issue.line { #expect((1...max(1, lines + 1)).contains(line), "\(context()): line \(line) outside the file: \(issue)") }
        }
    }

    static func lineCount(_ bytes: [UInt8]) -> Int { bytes.reduce(1) { $0 + ($1 == 10 || $1 == 13 ? 1 : 0) } }

    /// Runs `read` on `cases` mutations of each seed file, and once more on the same bytes.
    static func fuzz(_ seeds: [[UInt8]], seed: UInt64, read: ([UInt8]) -> (issues: [ImportIssue], summary: String)) {
        var mutator = Mutator(seed: seed)
        for n in 0..<cases {
            let input = mutator.mutate(seeds[n % seeds.count])
            if let trace = ProcessInfo.processInfo.environment["HEADWAY_FUZZ_TRACE"] { FileManager.default.createFile(atPath: trace, contents: Data(input)) }
            let first = read(input)
            check(first.issues, lines: lineCount(input), "seed \(seed) case \(n)")
            if n % 10 == 0 {  // the same bytes read the same way
                let again = read(input)
                #expect(again.summary == first.summary, "seed \(seed) case \(n): two reads of the same bytes differ")
            }
        }
    }

    static func describe(_ issues: [ImportIssue]) -> String { issues.map(\.description).joined(separator: "\n") }

    @Test func columnMappedCSV() throws {
        let mapping = try Fixtures.longMapping()
        let seeds = try ["grades.csv", "grades-semicolon.csv", "multiline-notes.csv", "duplicate.csv", "off-scale.csv"].map { Array(try Fixtures.data($0)) }
        Self.fuzz(seeds, seed: 1) { bytes in
            let result = CSVImporter(mapping: mapping).read(files: [("fuzz.csv", Data(bytes))])
            #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
            // Nothing invented: every pupil id read is text of the file (as the importer decodes it).
            let decoded = TextDecoding.decode(Data(bytes)).0
            for pupil in result.year.pupils { #expect(decoded.contains(pupil.id.rawValue), "invented pupil \(pupil.id)") }
            return (result.issues, Self.describe(result.issues) + "|\(result.year.pupils.count)|\(result.year.assessments.count)")
        }
    }

    @Test func ks4ResultsFile() throws {
        let seeds = try ["ks4/bad-rows.csv", "ks4/qualification-numbers.csv"].map { Array(try Fixtures.data($0)) }
        let lists = try KS4QualificationTable.read(folder: KS4ResultsFileTests.listsFolder)
        Self.fuzz(seeds, seed: 2) { bytes in
            let result = KS4ResultsFile(qualifications: lists).read(name: "fuzz.csv", contents: Data(bytes))
            #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
            return (result.issues, Self.describe(result.issues) + "|\(result.pupils.count)")
        }
    }

    @Test func targetsFile() {
        let year = HeadwayTestSupport.Fixtures.smallSchool()
        let seed = Array("pupil,subject,target,set_by,percentile_band\nP001,MA,7,FFT,FFT20\nB801200005001,MA,6-,,50\nP003,SC,5-4,,\n".utf8)
        Self.fuzz([seed], seed: 3) { bytes in
            let result = TargetsFile().read(name: "fuzz.csv", contents: Data(bytes), for: year)
            for target in result.targets {  // every accepted target is a grade on its subject's scale
                #expect(year.scale(of: target.subject)?.grade(target.grade.stored) != nil)
            }
            return (result.issues, Self.describe(result.issues) + "|\(result.targets.count)")
        }
    }

    @Test func commonTransferFileXML() throws {
        let seeds = try ["ctf/v19-gender.xml", "ctf/v25-sex.xml", "ctf/duplicate-and-invalid-upn.xml"].map { Array(try Fixtures.data($0)) }
        let reader = CTFFile(codes: .shipped)
        Self.fuzz(seeds, seed: 5) { bytes in
            let result = reader.read(name: "fuzz.xml", contents: Data(bytes))
            if result.refused { #expect(result.pupils.isEmpty && result.hasErrors) }  // a refused file gives nothing
            for pupil in result.pupils {  // every pupil read has a valid UPN as its id, and KS2 in range
                #expect(pupil.upn?.rawValue == pupil.id.rawValue)
                for score in [pupil.priorAttainment?.readingScaledScore, pupil.priorAttainment?.mathsScaledScore].compactMap({ $0 }) {
                    #expect(PriorAttainment.validScaledScores.contains(score))
                }
            }
            return (result.issues, Self.describe(result.issues) + "|\(result.pupils.count)")
        }
    }

    @Test func examResultsFile() throws {
        let known = ExamResultsFile.KnownPupils([(id: "00123", upn: UPN("H801200001001")), (id: "00124", upn: nil)])
        let lists = try KS4QualificationTable.read(folder: KS4ResultsFileTests.listsFolder)
        let seed = Array("""
            upn,pupil,candidate_number,qualification_number,subject,grade,date,series
            H801200001001,,0007,6018758X,,6-5,2026-08-20,June 2026
            ,00124,0008,,maths,7,20/08/2026,
            ,00124,0008,,history,U,2026-08-20,
            ,00123,,60303955,,D*,2026-08-20,

            """.utf8)
        Self.fuzz([seed], seed: 6) { bytes in
            let result = ExamResultsFile(pupils: known, qualifications: lists).read(name: "fuzz.csv", contents: Data(bytes))
            #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
            #expect(result.results.allSatisfy { ["00123", "00124"].contains($0.pupil.rawValue) })  // never an unknown pupil
            return (result.issues, Self.describe(result.issues) + "|\(result.results.count)")
        }
    }

    @Test func dfePerformanceTables() throws {
        // The real file's header and first 40 rows (schools, an LA row, codes and percentages),
        // and its England rows.
        let text = try String(contentsOf: KS4ResultsFileTests.repository.appendingPathComponent("data/dfe-ks4-performance-tables-2019/england_ks4provisional_2019.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let england = lines.filter { $0.hasPrefix("5,") || $0.hasPrefix("7,") }
        let seed = Array((lines.prefix(41) + england).joined(separator: "\n").utf8)
        Self.fuzz([seed], seed: 7) { bytes in
            let result = KS4PerformanceTableFile(ks4Year: 2019).read(name: "fuzz.csv", contents: Data(bytes))
            #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
            return (result.issues, Self.describe(result.issues) + "|\(result.rows.count)")
        }
    }

    @Test func markbookCSV() {
        let year = HeadwayTestSupport.Fixtures.smallSchool()
        let seed = Array(([MarkbookFileTests.header] + MarkbookFileTests.exported).joined(separator: "\r\n").utf8)
        Self.fuzz([seed], seed: 8) { bytes in
            let result = MarkbookFile(year: year, collection: "DC2").read(name: "fuzz.csv", contents: Data(bytes))
            #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
            for entry in result.entries {  // every accepted value is on its subject's scale, X or Z
                for cell in entry.cells { if case .offScale = cell.value { Issue.record("off-scale value accepted: \(cell.text)") } }
            }
            return (result.issues, Self.describe(result.issues) + "|\(result.entries.count)")
        }
    }

    @Test func interventionsCSV() throws {
        let seeds = try ["interventions/good.csv", "interventions/errors.csv"].map { Array(try Fixtures.data($0)) }
        Self.fuzz(seeds, seed: 12) { bytes in
            let result = InterventionsFile().read(name: "fuzz.csv", contents: Data(bytes))
            #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
            for i in result.interventions {  // every accepted intervention is whole: pupils, dates in order, cost not negative
                #expect(!i.pupils.isEmpty && (i.ends.map { $0 >= i.starts } ?? true) && (i.costPence ?? 0) >= 0 && (i.sessions ?? 0) >= 0)
            }
            return (result.issues, Self.describe(result.issues) + "|\(result.interventions)")
        }
    }

    @Test func calendarTOML() throws {
        let seed = Array(try Fixtures.data("calendar/oakfield-2026.toml"))
        Self.fuzz([seed], seed: 9) { bytes in
            let (file, issues) = CalendarFile.read(toml: String(decoding: bytes, as: UTF8.self), file: "fuzz.toml")
            #expect((file == nil) == !issues.isEmpty)  // a calendar, or the reasons there is none
            return (issues, Self.describe(issues) + "|\(file == nil)")
        }
    }

    @Test func actionRulesTOML() throws {
        let seed = Array(try Data(contentsOf: ActionRulesFileTests.defaultFile))
        Self.fuzz([seed], seed: 10) { bytes in
            let (rules, issues) = ActionRulesFile.read(toml: String(decoding: bytes, as: UTF8.self), file: "fuzz.toml")
            #expect((rules == nil) == !issues.isEmpty)  // rules, or the reasons there are none
            if let rules { #expect(rules.problems().isEmpty) }  // rules read are always usable
            return (issues, Self.describe(issues) + "|\(rules == nil)")
        }
    }

    /// Inputs the fuzzing found that stopped the process inside the TOML parser (toml++ asserts
    /// instead of failing): each is now an issue with its line.
    @Test(arguments: [
        ("[[subject]]\n[\r[subject]]\ncode = \"HI\"\n", 2),  // a bare carriage return in a header
        ("academic_year = \"2025/26\"\n\n[[,grade_column]]\ncolumn = \"A\"\n", 3),  // a comma where a key starts
        ("[school]\nid = \"A\u{0}B\"\n", 2),  // a NUL inside a string
        ("[ school . \"x y\" ]  # fine\n[[a.b-c_1]]\n[a.]\n", 3),  // a dot with no key after it
        ("[[collection]]\nopens = 2026-11-30 0   # note\n", 2),  // a date, a space and a digit that is no time
    ])
    func tomlThatStoppedTheParserIsAnIssue(text: String, line: Int) {
        do throws(ImportIssue) {
            _ = try ColumnMapping(toml: text, file: "m.toml")
            Issue.record("accepted: \(text.debugDescription)")
        } catch {
            #expect(error.code == .mappingSyntax && error.line == line, "\(error)")
        }
    }

    @Test func mappingAndScaleTOML() throws {
        let seeds = try ["oakfield-long.toml", "oakfield-wide.toml", "ks3-steps.toml"].map { Array(try Fixtures.data($0)) }
        Self.fuzz(seeds, seed: 4) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            var issues: [ImportIssue] = []
            do throws(ImportIssue) { _ = try ColumnMapping(toml: text, file: "fuzz.toml") } catch { issues.append(error) }
            do throws(ImportIssue) { _ = try GradeScaleFile.scale(toml: text, file: "fuzz.toml") } catch { issues.append(error) }
            return (issues, Self.describe(issues))
        }
    }
}
