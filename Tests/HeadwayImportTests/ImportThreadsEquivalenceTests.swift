import Foundation
import HeadwayCore
@testable import HeadwayImport
import Testing

/// Issue 13, item 4: a file's rows read in byte ranges on two, three or four threads give the
/// same result as one thread — the same pupils, entries, classes, staff, issues (on the same
/// lines, in the same order) and counts. Small files split into ranges of a row or two, so every
/// join is exercised, including a quoted field running over a split (the rows before it read on
/// and the next range is read again).
@Suite(.timeLimit(.minutes(5))) struct ImportThreadsEquivalenceTests {
    /// What two reads must agree on.
    static func expectSame(_ one: ImportResult, _ more: ImportResult, _ context: String) {
        #expect(more.issues == one.issues, "\(context): issues")
        #expect(more.files == one.files, "\(context): file summaries")
        #expect(more.rowsRead == one.rowsRead && more.rowsAccepted == one.rowsAccepted && more.rowsRejected == one.rowsRejected,
                "\(context): row counts")
        #expect(more.pupilsMatchedAcrossFiles == one.pupilsMatchedAcrossFiles, "\(context): pupils matched")
        #expect(more.year.pupils == one.year.pupils, "\(context): pupils")
        #expect(more.year.assessments == one.year.assessments, "\(context): entries")
        #expect(more.year.teachingGroups == one.year.teachingGroups, "\(context): classes")
        #expect(more.year.staff == one.year.staff, "\(context): staff")
        #expect(more.year.collections == one.year.collections, "\(context): collections")
        #expect(more.year.sources.pupils == one.year.sources.pupils, "\(context): where each pupil was read")
    }

    static func read(_ mapping: ColumnMapping, _ files: [(name: String, contents: Data)], threads: Int) -> ImportResult {
        var importer = CSVImporter(mapping: mapping)
        importer.threads = threads
        return importer.read(files: files)
    }

    static func expectSameForAnyThreads(_ mapping: ColumnMapping, _ files: [(name: String, contents: Data)], _ context: String) {
        let one = read(mapping, files, threads: 1)
        for threads in [2, 3, 4] {
            expectSame(one, read(mapping, files, threads: threads), "\(context), \(threads) threads")
        }
    }

    @Test func longFormatFixtures() throws {
        let mapping = try Fixtures.longMapping()
        for name in ["grades.csv", "grades-semicolon.csv", "grades-tab.tsv", "multiline-notes.csv", "duplicate.csv", "off-scale.csv",
                     "invalid-upn.csv", "lowercase-upn.csv", "ks2-out-of-range.csv", "missing-column.csv"] {
            Self.expectSameForAnyThreads(mapping, [(name, try Fixtures.data(name))], name)
        }
        // Two files: pupils matched across them.
        Self.expectSameForAnyThreads(mapping, [("history-y8.csv", try Fixtures.data("history-y8.csv")),
                                               ("geography-y8.csv", try Fixtures.data("geography-y8.csv"))], "two files")
    }

    @Test func wideFormatAndMISLists() throws {
        let wide = try ColumnMapping(contentsOf: Fixtures.url("oakfield-wide.toml"))
        for name in ["grades.csv", "duplicate.csv"] {
            Self.expectSameForAnyThreads(wide, [(name, try Fixtures.data(name))], "wide \(name)")
        }
        for mis in ["sims", "arbor", "bromcom"] {
            for kind in ["pupils", "classes", "staff"] {
                let file = "\(mis)-\(kind).csv"
                let mapping: ColumnMapping
                if kind == "classes" {
                    mapping = try MISPresetTests.preset(file.replacingOccurrences(of: ".csv", with: ""))
                        .mapping(combinedWith: Fixtures.url("mis/school.toml"))
                } else {
                    mapping = try MISPresetTests.mapping(file.replacingOccurrences(of: ".csv", with: ""))
                }
                Self.expectSameForAnyThreads(mapping, [(file, try Fixtures.data("mis/\(file)"))], file)
            }
        }
    }

    /// A quoted name holding a comma and a line break, on each row of the file in turn: wherever
    /// the splits fall, one of them lands inside it for some placement.
    @Test func quotedFieldOverEverySplit() throws {
        let mapping = try Fixtures.longMapping()
        let lines = try Fixtures.text("grades.csv").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        guard let forename = header.firstIndex(where: { $0 == mapping.columns.forename?.name }) else {
            Issue.record("grades.csv has no forename column")
            return
        }
        for row in 1..<lines.count where !lines[row].isEmpty {
            var copy = lines
            var fields = copy[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[forename] = "\"Ann,\nMarie\r\nJo\""
            copy[row] = fields.joined(separator: ",")
            Self.expectSameForAnyThreads(mapping, [("grades.csv", Data(copy.joined(separator: "\n").utf8))], "quoted field on row \(row)")
        }
    }

    /// Mutated files (the fuzz mutations: hostile bytes, dropped and repeated lines, cut ends).
    @Test func mutatedFiles() throws {
        let mapping = try Fixtures.longMapping()
        let seeds = try ["grades.csv", "multiline-notes.csv", "duplicate.csv"].map { Array(try Fixtures.data($0)) }
        var mutator = ImporterFuzzTests.Mutator(seed: 13)
        for n in 0..<300 {
            let bytes = mutator.mutate(seeds[n % seeds.count])
            Self.expectSameForAnyThreads(mapping, [("fuzz.csv", Data(bytes))], "mutation \(n) (seed 13)")
        }
    }
}
