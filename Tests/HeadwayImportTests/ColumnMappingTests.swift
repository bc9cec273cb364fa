import Foundation
import HeadwayCore
import Testing
@testable import HeadwayImport

/// Mapping and scale files: read in full, and every mistake named with its key.
@Suite struct ColumnMappingTests {
    private let minimal = """
        academic_year = "2025/26"
        [school]
        id = "OAK"
        name = "Oakfield Academy (fictional)"
        [[subject]]
        code = "EN"
        name = "English"
        scale = "gcse-9-1"
        [[collection]]
        code = "DC1"
        name = "DC1"
        sequence = 1
        [columns]
        pupil_id = "Adno"
        """

    private func issue(_ toml: String, file: String = "m.toml") -> ImportIssue? {
        do throws(ImportIssue) {
            _ = try ColumnMapping(toml: toml, file: file)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheLongFixture() throws {
        let mapping = try Fixtures.longMapping()
        #expect(mapping.file == "oakfield-long.toml")
        #expect(mapping.school == School(id: "OAK", name: "Oakfield Academy (fictional)"))
        #expect(mapping.subjects.map(\.id.rawValue) == ["EN", "MA", "SC"])
        #expect(mapping.subjects[2].scale == GradeScale.combinedScienceID)
        #expect(mapping.gradeColumns.map(\.kind) == [.workingAt, .predicted, .atl])
        #expect(mapping.columns.collection?.values.apply("autumn") == "Y10DC1")
        #expect(mapping.characteristics.map(\.name) == ["gender", "disadvantaged", "sen"])
        #expect(mapping.characteristics[1].column.values.apply("Y") == "true")
    }

    @Test func minimalMappingIsValid() throws {
        let mapping = try ColumnMapping(toml: minimal, file: "m.toml")
        #expect(mapping.academicYear == AcademicYear(startYear: 2025))
        #expect(mapping.separator == nil)
        #expect(mapping.scales.count == GradeScale.builtIn.count)
    }

    @Test func syntaxErrorGivesTheLine() throws {
        let found = try #require(issue("academic_year = \"2025/26\"\n[school\nid = 1\n"))
        #expect(found.code == .mappingSyntax)
        #expect(found.line == 2)
        #expect(found.file == "m.toml")
    }

    @Test func unknownKeyIsAnError() throws {
        let found = try #require(issue(minimal + "\n[[characteristic]]\nname = \"eal\"\ncolumn = \"EAL\"\nper_subjet = true\n"))
        #expect(found.code == .mappingInvalid)
        #expect(found.column == "characteristic[1].per_subjet")
        #expect(found.reason.contains("unknown key"))
        #expect(found.description.hasPrefix("m.toml: key \"characteristic[1].per_subjet\": unknown key"))
        #expect(found.reason.contains("did you mean per_subject?"))
    }

    @Test func everyProblemIsListedAtOnce() throws {
        let toml = minimal.replacingOccurrences(of: "scale = \"gcse-9-1\"", with: "scale = \"gcse\"")
            + "\n[constants]\nyear_group = 14\nsubject = \"FR\"\n"
        let found = try #require(issue(toml))
        #expect(found.reason == "3 problems:")
        #expect(found.details.count == 3)
        #expect(found.details.contains { $0.hasPrefix("\"subject[1].scale\" = \"gcse\": unknown scale (built-in: atl-1-4, gcse-9-1") })
        #expect(found.details.contains { $0.hasPrefix("\"constants.year_group\" = \"14\": a year group is 7 to 13") })
        #expect(found.details.contains { $0.hasPrefix("\"constants.subject\" = \"FR\": not a [[subject]] code (defined: EN)") })
        // Printed with real line breaks, one problem a line (issue 12, item 9), never a literal "\n".
        let lines = found.description.components(separatedBy: "\n")
        #expect(lines.count == 4 && lines[0] == "m.toml: 3 problems:" && lines.dropFirst().allSatisfy { $0.hasPrefix("  - \"") })
        #expect(!found.description.contains("\\n"))
    }

    @Test func identityMustBeMappedOnce() throws {
        let neither = try #require(issue(minimal.replacingOccurrences(of: "pupil_id = \"Adno\"", with: "forename = \"F\"")))
        #expect(neither.reason.contains("no pupil identity"))
        let both = try #require(issue(minimal + "\n[pupil_key]\ncolumns = [\"a\", \"b\"]\n"))
        #expect(both.reason.contains("either columns.pupil_id or [pupil_key]"))
    }

    @Test func unknownValueMapNameIsAnError() throws {
        let found = try #require(issue(minimal + "\n[[characteristic]]\nname = \"eal\"\ncolumn = \"EAL\"\nvalues = \"yes_no\"\n"))
        #expect(found.column == "characteristic[1].values")
        #expect(found.reason.contains("no [value_maps] entry"))
    }

    @Test func derivedCharacteristicCannotBeImported() throws {
        let found = try #require(issue(minimal + "\n[[characteristic]]\nname = \"prior_attainment_band\"\ncolumn = \"Band\"\n"))
        #expect(found.reason.contains("derived from the KS2 scores"))
    }

    @Test func twoGradeColumnsFillingTheSameValueAreAnError() throws {
        let toml = minimal.replacingOccurrences(of: "pupil_id = \"Adno\"", with: "pupil_id = \"Adno\"\nworking_at = \"Grade\"")
            + "\n[[grade_column]]\ncolumn = \"Grade 2\"\n"
        let found = try #require(issue(toml))
        #expect(found.column == "grade_column[1]")
        #expect(found.reason.contains("fills the same working_at value as columns.working_at"))
    }

    @Test func inlineScaleIsAvailableToSubjects() throws {
        let toml = minimal.replacingOccurrences(of: "scale = \"gcse-9-1\"", with: "scale = \"pct-whole\"") + """

            [[scale]]
            id = "pct-whole"
            name = "Whole percentages"
            [scale.numeric]
            minimum = 0
            maximum = 100
            bin_width = 10
            """
        let mapping = try ColumnMapping(toml: toml, file: "m.toml")
        let scale = try #require(mapping.scales["pct-whole"])
        #expect(try scale.parse("57")?.stored == "57")
        #expect(throws: GradeScale.ParseError.self) { try scale.parse("57.5") }
    }

    @Test func scaleFileIsReadIntoAGradeScale() throws {
        let scale = try GradeScaleFile.scale(contentsOf: Fixtures.url("ks3-steps.toml"))
        #expect(scale.id == "oak-ks3-steps")
        #expect(scale.name == "Oakfield KS3 steps")
        #expect(scale.grades.map(\.code) == ["EM", "DE", "SE", "SE+", "MA"])
        #expect(scale.grade("secure")?.code == "SE")
        #expect(scale.grade("SE+")?.band == "SE")
        #expect(scale.grade("MA")?.label == "Mastered")
        #expect(scale.higherIsBetter)
        #expect(scale.swingThreshold == 2)
        #expect(scale.distributionBands == ["EM", "DE", "SE", "MA"])
    }

    @Test func scaleFileMistakesAreAllNamed() throws {
        let toml = """
            id = "gcse-9-1"
            name = "Mine"
            [[grade]]
            code = "A"
            points = 1
            aliases = ["x"]
            [[grade]]
            code = "B"
            points = 2
            aliases = ["a"]
            colour = "red"
            """
        do throws(ImportIssue) {
            _ = try GradeScaleFile.scale(toml: toml, file: "mine.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .scaleInvalid)
            #expect(error.description.contains("built-in scale's id"))
            #expect(error.description.contains("X and Z are reserved"))
            #expect(error.description.contains("\"grade[2].colour\": unknown key"))
            #expect(error.description.contains("spelling used by two grades"))
        }
    }

    @Test func scaleFileNeedsGradesOrARangeButNotBoth() throws {
        do throws(ImportIssue) {
            _ = try GradeScaleFile.scale(toml: "id = \"s\"\nname = \"S\"\n", file: "s.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.reason.contains("either [[grade]] entries or a [numeric] range"))
        }
        let numeric = try GradeScaleFile.scale(toml: "id = \"s\"\nname = \"S\"\nhigher_is_better = false\n[numeric]\nminimum = 1\nmaximum = 5\nstep = 0.5\n", file: "s.toml")
        #expect(numeric.numeric == GradeScale.NumericRange(minimum: 1, maximum: 5, step: 0.5, binWidth: 0.5))
        #expect(!numeric.higherIsBetter)
        #expect(numeric.swingThreshold == 1)
    }

    @Test func mappingWithScaleFilesNeedsThemLoaded() throws {
        // From text alone the scale file is not read, so the subject's scale is unknown.
        let text = try Fixtures.text("oakfield-wide.toml")
        let found = try #require(issue(text, file: "oakfield-wide.toml"))
        #expect(found.description.contains("unknown scale"))
        #expect(found.description.contains("scale_files are loaded by ColumnMapping(contentsOf:)"))
        // Loaded from disk, or given the scale, it is.
        #expect(try ColumnMapping(contentsOf: Fixtures.url("oakfield-wide.toml")).scales["oak-ks3-steps"] != nil)
        let scale = try GradeScaleFile.scale(contentsOf: Fixtures.url("ks3-steps.toml"))
        #expect(try ColumnMapping(toml: text, file: "oakfield-wide.toml", scales: [scale]).subjects.count == 2)
    }

    @Test func pupilKeyIdIsStableFNV1a() {
        // Reference values of 64-bit FNV-1a (draft-eastlake-fnv test vectors).
        #expect(ColumnMapping.PupilKey.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(ColumnMapping.PupilKey.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(ColumnMapping.PupilKey.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
        let key = ColumnMapping.PupilKey(columns: ["a", "b"], prefix: "UCI")
        #expect(key.id(for: ["GP", "F"]).count == "UCI-".count + 12)
        #expect(key.id(for: ["GP", "F"]) == key.id(for: ["GP", "F"]))
        #expect(key.id(for: ["GP", "F"]) != key.id(for: ["GPF", ""]))
    }
}
