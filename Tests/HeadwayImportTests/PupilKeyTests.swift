import Foundation
import HeadwayCore
import Testing
@testable import HeadwayImport

/// Pupil ids built from columns, for exports without an id.
@Suite struct PupilKeyTests {
    private let mapping = """
        academic_year = "2025/26"
        [school]
        id = "OAK"
        name = "Oakfield Academy (fictional)"
        [[subject]]
        code = "EN"
        name = "English"
        scale = "gcse-9-1"
        [[subject]]
        code = "MA"
        name = "Mathematics"
        scale = "gcse-9-1"
        [[collection]]
        code = "DC1"
        name = "DC1"
        sequence = 1
        [constants]
        collection = "DC1"
        year_group = 9
        [columns]
        forename = "Forename"
        surname = "Surname"
        subject = "Subject"
        working_at = "Grade"
        [pupil_key]
        columns = ["Surname", "Forename", "DOB"]
        """

    private func read(_ csv: String, name: String = "sheet.csv") throws -> ImportResult {
        CSVImporter(mapping: try ColumnMapping(toml: mapping, file: "key.toml")).read(files: [(name, Data(csv.utf8))])
    }

    @Test func sameKeyOnRowsForDifferentSubjectsIsOnePupil() throws {
        let result = try read("""
            Surname,Forename,DOB,Subject,Grade
            Quorn,Tilly,2010-03-14,EN,6
            Quorn,Tilly,2010-03-14,MA,5
            """)
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.year.pupils.count == 1)
        let id = try #require(result.year.pupils.first?.id.rawValue)
        #expect(id == "OAK-" + ColumnMapping.PupilKey.hashText(["Quorn", "Tilly", "2010-03-14"]))
        #expect(result.year.assessments.count == 2)
        #expect(result.year.pupils.first?.yearGroup == 9)
    }

    @Test func sameKeyForTheSameSubjectAndCollectionIsAmbiguous() throws {
        let result = try read("""
            Surname,Forename,DOB,Subject,Grade
            Quorn,Tilly,2010-03-14,EN,6
            Haddad,Noor,2010-07-02,EN,7
            Haddad,Noor,2010-07-02,EN,8
            """)
        #expect(!result.hasErrors) // not a duplicate: two pupils who share a key
        let warning = try #require(result.issues(.ambiguousPupilKey).first)
        #expect(warning.line == 3)
        #expect(warning.reason.contains("lines 3, 4"))
        let ids = result.year.pupils.map(\.id.rawValue).filter { $0.contains("@") }
        let base = "OAK-" + ColumnMapping.PupilKey.hashText(["Haddad", "Noor", "2010-07-02"])
        #expect(ids.sorted() == ["\(base)@sheet.csv:3", "\(base)@sheet.csv:4"])
        #expect(result.year.pupils.count == 3)
    }

    @Test func idDoesNotDependOnTheFolder() throws {
        let csv = "Surname,Forename,DOB,Subject,Grade\nQuorn,Tilly,2010-03-14,EN,6\n"
        let here = try read(csv, name: "sheet.csv")
        let there = try read(csv, name: "exports/2026/sheet.csv")
        #expect(here.year.pupils.map(\.id) == there.year.pupils.map(\.id))
    }

    @Test func unquotedDottedFileNameGetsAHint() throws {
        do throws(ImportIssue) {
            _ = try ColumnMapping(toml: mapping + "\n[files.maths.csv]\nsubject = \"MA\"\n", file: "key.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.reason.contains("must be quoted"))
        }
    }
}
