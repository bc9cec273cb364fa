import Foundation
import HeadwayCore
import Testing
@testable import HeadwayImport

/// `headway mapping suggest`: the mapping proposed for each MIS fixture parses, imports the
/// fixture without an issue, and reads it as the matching preset does.
@Suite struct MappingSuggestionTests {
    static let fixtures = ["sims-pupils", "sims-classes", "sims-staff", "arbor-pupils", "arbor-classes", "arbor-staff",
                           "bromcom-pupils", "bromcom-classes", "bromcom-staff"]

    static func suggest(_ name: String) throws -> MappingSuggestion {
        MappingSuggestion(csv: try Fixtures.data("mis/\(name).csv"), fileName: "\(name).csv",
                          school: MISPresetTests.school, academicYear: MISPresetTests.year)
    }

    static func suggest(text: String) -> MappingSuggestion {
        MappingSuggestion(csv: Data(text.utf8), fileName: "export.csv", school: MISPresetTests.school, academicYear: MISPresetTests.year)
    }

    @Test(arguments: fixtures)
    func theProposalForEachFixtureParsesAndImportsIt(name: String) throws {
        let suggestion = try Self.suggest(name)
        let expectedKind: ColumnMapping.Kind = name.hasSuffix("pupils") ? .pupils : name.hasSuffix("classes") ? .classes : .staff
        #expect(suggestion.kind == expectedKind)
        #expect(suggestion.unplaced.isEmpty, "\(suggestion.unplaced)")
        let mapping = try ColumnMapping(toml: suggestion.toml, file: "suggested.toml")
        #expect(mapping.kind == expectedKind)
        let result = CSVImporter(mapping: mapping).read(files: [("\(name).csv", try Fixtures.data("mis/\(name).csv"))])
        #expect(result.issues.isEmpty, "\(result.issues)\n\(suggestion.toml)")
        #expect(result.rowsAccepted == result.rowsRead)

        // Read as the preset reads it (a class list's subjects are the cell values, not the
        // stored codes, so classes are compared without their subject).
        let preset = try MISPresetTests.read(name, "\(name).csv")
        #expect(result.year.pupils == preset.year.pupils)
        #expect(result.year.staff == preset.year.staff)
        let withoutSubject = { (g: TeachingGroup) in "\(g.id) \(g.yearGroup) \(g.teachers) \(g.pupils)" }
        #expect(result.year.teachingGroups.map(withoutSubject) == preset.year.teachingGroups.map(withoutSubject))
    }

    @Test func everyLineOfTheProposalSaysWhy() throws {
        for name in Self.fixtures {
            let toml = try Self.suggest(name).toml
            for line in toml.split(separator: "\n") where !line.hasPrefix("#") {
                #expect(line.contains(" # "), "\(name): \(line)")
            }
        }
    }

    @Test func reasonsComeFromTheHeaderAndTheSampleValues() throws {
        let sims = try Self.suggest("sims-pupils")
        #expect(sims.rowsSampled == 6 && sims.rowsInFile == 6)
        let upn = try #require(sims.columns.first { $0.key == "upn" })
        #expect(upn.header == "UPN" && upn.reason == "6 of 6 sample values are valid UPNs (UPN.validate)")
        #expect(sims.columns.first { $0.key == "ks2_reading" }?.reason.hasPrefix("5 of 5 sample values are whole numbers 80–120") == true)
        #expect(sims.columns.first { $0.key == "pupil_id" }?.reason.contains("leading zeros stay (e.g. 000123)") == true)
        #expect(sims.toml.contains("upn = \"UPN\"                             # 6 of 6 sample values are valid UPNs"))
        #expect(sims.characteristics.map(\.key) == ["gender", "disadvantaged", "fsm", "eal", "sen"])
        #expect(sims.characteristics.first { $0.key == "sen" }?.values == ["SEN Support": "K", "S": "E"])

        let arbor = try Self.suggest("arbor-pupils")
        let year = try #require(arbor.columns.first { $0.key == "year_group" })
        #expect(year.values == ["Year 10": "10", "Year 11": "11"])
        #expect(arbor.characteristics.first { $0.key == "gender" }?.values == ["Female": "F", "Male": "M"])

        let classes = try Self.suggest("sims-classes")
        #expect(classes.header(for: "teaching_group") == "Class")
        #expect(classes.header(for: "teachers") == "Teacher Code")
        #expect(classes.subjects == ["Mathematics", "English", "Science"])

        let staff = try Self.suggest("bromcom-staff")
        #expect(staff.columns.map(\.key) == ["staff_code", "staff_title", "staff_forename", "staff_surname", "staff_email"])
    }

    @Test func whatCannotBePlacedIsListedWithItsReason() throws {
        let suggestion = Self.suggest(text: """
            Adno,Forename,Surname,Year,Ethnicity,Parent Email,Score
            000123,Tilly,Quorn,Year 7,WBRI,parent@home.example,104
            000124,Jasper,Fenwick-Lowe,Year 7,AIND,carer@home.example,99
            """)
        #expect(suggestion.kind == .pupils)
        #expect(suggestion.unplaced.map(\.header) == ["Ethnicity", "Parent Email", "Score"])
        #expect(suggestion.unplaced[0].reason.contains("no Headway field recognised"))
        #expect(suggestion.unplaced[1].reason.contains("Headway keeps no pupil email"))
        #expect(suggestion.unplaced[2].reason.contains("perhaps KS2 scaled scores"))
        #expect(suggestion.toml.contains("#   \"Ethnicity\": no Headway field recognised"))
        // Still a mapping that imports the file.
        let mapping = try ColumnMapping(toml: suggestion.toml, file: "s.toml")
        let result = CSVImporter(mapping: mapping).read(files: [("e.csv", Data("Adno,Forename,Surname,Year,Ethnicity,Parent Email,Score\n000123,Tilly,Quorn,Year 7,WBRI,p@h.example,104\n".utf8))])
        #expect(!result.hasErrors, "\(result.issues)")
        #expect(result.pupil("000123")?.yearGroup == 7)
    }

    @Test func aColumnOfInvalidUPNsIsNotProposedAsValid() throws {
        let suggestion = Self.suggest(text: "UPN,Adno,Year\nA856100125001,000123,7\nB856100125002,000124,7\n")
        let upn = try #require(suggestion.columns.first { $0.key == "upn" })
        // B856100125002 is valid, A856100125001 has a wrong check letter: under 80%.
        #expect(upn.reason == "header names a UPN, but only 1 of 2 sample values are valid UPNs: check the column")
    }

    @Test func headerAndValuesNeedingEscapesStayValidTOML() throws {
        let suggestion = Self.suggest(text: "\"Adno \"\"MIS\"\"\",Year\n000123,7\n")
        let mapping = try ColumnMapping(toml: suggestion.toml, file: "s.toml")
        #expect(mapping.columns.pupilID?.name == "Adno \"MIS\"")
    }
}
