import Foundation
import HeadwayCore
import Testing
@testable import HeadwayImport

/// Every bad row is reported with file, line, column, value and reason, and contributes nothing.
@Suite struct ValidationTests {
    private let header = "Adno,UPN,Forename,Surname,DOB,Year,Reg,Gender,PP,SEN,KS2 Reading,KS2 Maths,Subject,Collection,Grade,Predicted,ATL"

    private func read(_ rows: String...) throws -> ImportResult {
        try Fixtures.readLong(bytes: Array(([header] + rows).joined(separator: "\n").utf8), name: "pupils.csv")
    }

    @Test func offScaleGradeIsReportedWithFileLineColumnAndValue() throws {
        let result = try Fixtures.readLong("off-scale.csv")
        #expect(result.hasErrors)
        let issue = try #require(result.issues(.offScale).first)
        #expect(issue.file == "off-scale.csv")
        #expect(issue.line == 3)
        #expect(issue.column == "Grade")
        #expect(issue.value == "7++")
        #expect(issue.severity == .error)
        #expect(issue.description.hasPrefix("off-scale.csv:3: column \"Grade\" value \"7++\": not on GCSE 9–1 — expected one of 9, 8, 7"))
        #expect(result.rowsRead == 3)
        #expect(result.rowsAccepted == 2)
        #expect(result.rowsRejected == 1)
        #expect(result.pupil("00124") == nil)
        #expect(result.pupil("00123") != nil && result.pupil("00125") != nil)
    }

    @Test func offScaleATLNamesTheATLScale() throws {
        let result = try read("00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,EN,Y10DC1,6,7,5")
        let issue = try #require(result.issues(.offScale).first)
        #expect(issue.column == "ATL")
        #expect(issue.reason.contains("ATL scale of English"))
    }

    @Test func invalidUPNRejectsTheRow() throws {
        let result = try Fixtures.readLong("invalid-upn.csv")
        let issue = try #require(result.issues(.invalidUPN).first)
        #expect(issue.line == 2)
        #expect(issue.column == "UPN")
        #expect(issue.value == "A856100125001")
        #expect(issue.reason.contains("wrong check letter"))
        #expect(result.pupil("00123") == nil)
        #expect(result.year.assessments.map(\.pupil.rawValue) == ["00125"])
    }

    @Test func lowerCaseUPNIsAcceptedWithWarning() throws {
        let result = try Fixtures.readLong("lowercase-upn.csv")
        #expect(!result.hasErrors)
        let warning = try #require(result.issues(.upnWarning).first)
        #expect(warning.severity == .warning)
        #expect(warning.line == 2)
        #expect(warning.value == "m856100125001")
        #expect(warning.description.hasPrefix("lowercase-upn.csv:2: warning: column \"UPN\""))
        #expect(result.pupil("00123")?.upn?.rawValue == "M856100125001")
        #expect(result.rowsAccepted == 1)
    }

    @Test func duplicatePupilSubjectCollectionRejectsBothRowsNamingBothLines() throws {
        // Line 5 says "Autumn", which the mapping's value map reads as Y10DC1: same as line 2.
        let result = try Fixtures.readLong("duplicate.csv")
        let issues = result.issues(.duplicateEntry)
        #expect(issues.count == 1)
        let issue = try #require(issues.first)
        #expect(issue.line == 5)
        #expect(issue.reason.contains("also on line 2"))
        #expect(issue.reason.contains("pupil 00123, subject EN, collection Y10DC1"))
        #expect(result.pupil("00123") == nil)
        #expect(result.rowsRejected == 2)
        #expect(Set(result.year.pupils.map(\.id.rawValue)) == ["00124", "00125"])
    }

    @Test func missingMappedColumnNamesMappingHeaderAndTheHeadersThereAre() throws {
        let result = try Fixtures.readLong("missing-column.csv")
        let issue = try #require(result.issues(.missingColumn).first)
        #expect(result.issues(.missingColumn).count == 1)
        #expect(issue.file == "missing-column.csv")
        #expect(issue.line == 1)
        #expect(issue.column == "Grade")
        #expect(issue.reason.contains("oakfield-long.toml maps this column (columns.working_at)"))
        #expect(issue.reason.contains("did you mean \"grade\"?"))
        #expect(issue.reason.contains("\"Adno\", \"UPN\""))
        #expect(result.year.pupils.isEmpty)
        #expect(result.rowsRead == 1 && result.rowsRejected == 1)
    }

    @Test func ks2ScoreOutOfRangeOrNotWholeIsRejected() throws {
        let result = try Fixtures.readLong("ks2-out-of-range.csv")
        let issues = result.issues(.invalidScaledScore)
        #expect(issues.map(\.line) == [2, 3])
        #expect(issues.map(\.value) == ["121", "100.5"])
        #expect(issues.map(\.column) == ["KS2 Reading", "KS2 Maths"])
        #expect(issues[0].reason.contains("from 59 to 120"))
        // 59 is the lowest DfE nominal value: accepted.
        #expect(result.pupil("00125")?.priorAttainment?.readingScaledScore == 59)
        #expect(result.year.pupils.map(\.id.rawValue) == ["00125"])
    }

    @Test func yearGroupMustBeSevenToThirteen() throws {
        let result = try read(
            "00123,M856100125001,Tilly,Quorn,2010-03-14,14,10Q,F,Y,N,104,99,EN,Y10DC1,6,7,1",
            "00124,B856100125002,Jasper,Fenwick-Lowe,2009-11-21,Y10,10F,M,N,K,95,101,EN,Y10DC1,4,5,2")
        #expect(result.issues(.invalidYearGroup).map(\.value) == ["14", "Y10"])
        #expect(result.year.pupils.isEmpty)
    }

    @Test func invalidDateIsRejected() throws {
        let result = try read("00123,M856100125001,Tilly,Quorn,31/02/2010,10,10Q,F,Y,N,104,99,EN,Y10DC1,6,7,1")
        let issue = try #require(result.issues(.invalidDate).first)
        #expect(issue.column == "DOB" && issue.value == "31/02/2010")
        #expect(result.year.pupils.isEmpty)
    }

    @Test func unknownSubjectAndCollectionAreRejected() throws {
        let result = try read(
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,FR,Y10DC1,6,7,1",
            "00124,B856100125002,Jasper,Fenwick-Lowe,2009-11-21,10,10F,M,N,K,95,101,mathematics,Summer,4,5,2")
        #expect(result.issues(.unknownSubject).map(\.value) == ["FR"])
        #expect(result.issues(.unknownCollection).map(\.value) == ["Summer"])
        #expect(result.year.pupils.isEmpty)
    }

    @Test func subjectMatchesCaseInsensitivelyOnCodeOrName() throws {
        let result = try read(
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,en,Y10DC1,6,7,1",
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,Mathematics,Y10DC1,6,7,1")
        #expect(!result.hasErrors, "\(result.issues)")
        #expect(result.assessment("00123", "EN", "Y10DC1") != nil)
        #expect(result.assessment("00123", "MA", "Y10DC1") != nil)
    }

    @Test func standardCharacteristicsAreChecked() throws {
        let result = try read(
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,maybe,N,104,99,EN,Y10DC1,6,7,1",
            "00124,B856100125002,Jasper,Fenwick-Lowe,2009-11-21,10,10F,M,N,S,95,101,EN,Y10DC1,4,5,2")
        #expect(result.issues(.invalidCharacteristic).map(\.column) == ["PP", "SEN"])
        #expect(result.year.pupils.isEmpty)
    }

    @Test func rejectedRowContributesNothing() throws {
        let result = try read(
            // Tilly: English fine, maths off-scale → Tilly exists with English only.
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,EN,Y10DC1,6,7,1",
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,MA,Y10DC1,6,7,9",
            // Jasper's only row has a bad SEN code but good grades → no pupil, no entries.
            "00124,B856100125002,Jasper,Fenwick-Lowe,2009-11-21,10,10F,M,N,Q,95,101,EN,Y10DC1,4,5,2")
        #expect(result.rowsAccepted == 1)
        #expect(result.rowsRejected == 2)
        #expect(result.year.pupils.map(\.id.rawValue) == ["00123"])
        #expect(result.year.assessments.map(\.subject.rawValue) == ["EN"])
        #expect(result.year.assessments.allSatisfy { $0.pupil.rawValue == "00123" })
    }

    @Test func rowsDisagreeingOnIdentityRejectTheLaterRow() throws {
        let result = try read(
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,EN,Y10DC1,6,7,1",
            "00123,M856100125001,Tilly,Quorn,2010-03-14,11,10Q,F,Y,N,104,99,MA,Y10DC1,6,7,1",
            "00124,M856100125001,Jasper,Fenwick-Lowe,2009-11-21,10,10F,M,N,K,95,101,EN,Y10DC1,4,5,2")
        let issues = result.issues(.conflictingPupil)
        #expect(issues.map(\.line) == [3, 4])
        #expect(issues[0].reason.contains("year group 10 on line 2"))
        #expect(issues[1].reason.contains("UPN already belongs to pupil 00123"))
        #expect(result.year.pupils.map(\.id.rawValue) == ["00123"])
        #expect(result.year.assessments.count == 1)
    }

    @Test func differingCharacteristicKeepsTheFirstWithWarning() throws {
        let result = try read(
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,EN,Y10DC1,6,7,1",
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,N,N,104,99,MA,Y10DC1,6,7,1")
        #expect(!result.hasErrors)
        #expect(result.issues(.conflictingValue).map(\.line) == [3])
        #expect(result.pupil("00123")?.isDisadvantaged == true)
        #expect(result.year.assessments.count == 2)
    }

    @Test func blankGradeIsNotEnteredAndXIsNotAssessed() throws {
        let result = try read(
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,EN,Y10DC1,,7,1",
            "00123,M856100125001,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,MA,Y10DC1,x,,")
        #expect(!result.hasErrors)
        let english = try #require(result.assessment("00123", "EN", "Y10DC1"))
        #expect(english.workingAt == nil && english.predicted?.stored == "7")
        let maths = try #require(result.assessment("00123", "MA", "Y10DC1"))
        #expect(maths.workingAt == .notAssessed && maths.predicted == nil && maths.atl == nil)
    }

    @Test func collectionsWithoutYearGroupsTakeThemFromThePupils() throws {
        let result = try Fixtures.readLong("grades.csv")
        let collections = result.year.collections
        #expect(collections.map(\.id.rawValue) == ["Y10DC1", "Y10DC2"])
        #expect(collections.map(\.yearGroups) == [[10], [10]])
        #expect(collections[1].deadline == CalendarDate(year: 2026, month: 3, day: 20))
        #expect(result.year.academicYear == AcademicYear(startYear: 2025))
        #expect(result.year.school.id == "OAK")
    }

    @Test func issueDescriptionFollowsCompilerForm() {
        let issue = ImportIssue(.offScale, file: "pupils.csv", line: 14, column: "Grade", value: "7++", reason: "not on GCSE 9–1 — expected …")
        #expect(issue.description == "pupils.csv:14: column \"Grade\" value \"7++\": not on GCSE 9–1 — expected …")
        let whole = ImportIssue(.unusableFile, file: "a.csv", reason: "empty")
        #expect(whole.description == "a.csv: empty")
        let multiline = ImportIssue(.offScale, file: "a.csv", line: 2, column: "Notes", value: "x\ny", reason: "r")
        #expect(multiline.description == "a.csv:2: column \"Notes\" value \"x\\ny\": r")
    }

    @Test func unreadableFileIsAnIssueNotACrash() throws {
        let mapping = try Fixtures.longMapping()
        let result = CSVImporter(mapping: mapping).read(contentsOf: [Fixtures.url("no-such-file.csv"), Fixtures.url("grades.csv")])
        #expect(result.issues(.unreadableFile).count == 1)
        #expect(result.year.pupils.count == 3)
        #expect(result.files.map(\.encoding) == [nil, .utf8])
    }
}
