import Foundation
import HeadwayCore
import Testing
@testable import HeadwayImport

/// Wide grade sheets: one row per pupil, a column per collection and kind, one file per subject.
@Suite struct WideFormatTests {
    private func readBoth() throws -> ImportResult {
        let mapping = try ColumnMapping(contentsOf: Fixtures.url("oakfield-wide.toml"))
        return CSVImporter(mapping: mapping).read(contentsOf: [Fixtures.url("history-y8.csv"), Fixtures.url("geography-y8.csv")])
    }

    @Test func readsEachColumnIntoItsCollectionAndKind() throws {
        let result = try readBoth()
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.rowsRead == 5 && result.rowsAccepted == 5)
        let autumn = try #require(result.assessment("007", "HI", "Y8AUT"))
        #expect(autumn.workingAt?.stored == "DE")
        #expect(autumn.atl?.stored == "2")
        #expect(autumn.predicted == nil)
        let spring = try #require(result.assessment("007", "HI", "Y8SPR"))
        #expect(spring.workingAt?.stored == "SE")
        #expect(spring.predicted?.stored == "SE+")
        // Aliases on the school's scale are stored as the canonical code.
        #expect(result.assessment("008", "HI", "Y8AUT")?.workingAt?.stored == "EM")
        #expect(result.assessment("008", "HI", "Y8SPR")?.workingAt?.stored == "DE")
        // A blank working-at cell is not entered; the predicted grade beside it still counts.
        let wren = try #require(result.assessment("009", "HI", "Y8SPR"))
        #expect(wren.workingAt == nil && wren.predicted?.stored == "MA")
    }

    @Test func fileConstantsGiveTheSubjectAndPupilsMatchAcrossFiles() throws {
        let result = try readBoth()
        #expect(Set(result.year.assessments.map(\.subject.rawValue)) == ["HI", "GE"])
        #expect(result.year.pupils.map(\.id.rawValue) == ["007", "008", "009"])
        #expect(result.pupilsMatchedAcrossFiles == 2)
        #expect(result.files.map(\.pupils) == [3, 2])
        #expect(result.year.scales["oak-ks3-steps"] != nil)
    }

    @Test func valueMappedYearGroupAndPerSubjectCharacteristic() throws {
        let result = try readBoth()
        let ottilie = try #require(result.pupil("007"))
        #expect(ottilie.yearGroup == 8)
        #expect(ottilie.tutorGroup == "8B")
        #expect(ottilie.characteristics["eal"] == "false")
        #expect(ottilie.characteristics["homework_club:HI"] == "yes")
        #expect(ottilie.characteristics["homework_club:GE"] == "no")
        #expect(ottilie.characteristics["homework_club"] == nil)
    }

    @Test func fileWithoutASubjectIsRefusedOnce() throws {
        let mapping = try ColumnMapping(contentsOf: Fixtures.url("oakfield-wide.toml"))
        let result = CSVImporter(mapping: mapping).read(files: [("music-y8.csv", try Fixtures.data("history-y8.csv"))])
        let issues = result.issues(.unusableFile)
        // One per grade column, plus the per-subject characteristic; no row-by-row flood.
        #expect(issues.count == 5)
        #expect(issues[0].reason.contains("[files.\"music-y8.csv\"]"))
        #expect(result.rowsRejected == 3)
        #expect(result.year.pupils.isEmpty)
    }
}
