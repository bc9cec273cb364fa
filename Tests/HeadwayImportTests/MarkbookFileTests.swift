import Foundation
import HeadwayCore
@testable import HeadwayImport
import HeadwayTestSupport
import Testing

/// Markbook import (issue 5, item 2), one test per rule, on the fixture school's class 10X/Ma1
/// for DC2. Stored before: DC1 MA — P001 5, P002 4+, P003 7/6; DC2 MA — P001 6- / 6 / 1,
/// P002 X / – / –, P003 nothing; target P001 MA 7; DC2 SC — P003 `A*` (off the scale).
@Suite struct MarkbookFileTests {
    let year = HeadwayTestSupport.Fixtures.smallSchool()

    static let header = "upn,pupil_id,surname,forename,class,subject,collection,previous_working_at (DC1 read only),target (read only),working_at,predicted,atl"
    /// The three rows as exported (sorted by surname), lines 2, 3 and 4.
    static let exported = [
        "R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,,,",
        "B801200005001,P002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,X,,",
        "H801200001001,P001,O'Neil,Aoife,10X/Ma1,MA,DC2,5,7,6-,6,1",
    ]

    func read(_ rows: [String], name: String = "10X-Ma1.csv", header: String = Self.header) -> MarkbookFile.Result {
        MarkbookFile(year: year, collection: "DC2").read(name: name, contents: Data(([header] + rows).joined(separator: "\r\n").utf8))
    }

    @Test func anUntouchedMarkbookGivesTheStoredValuesBack() {
        let result = read(Self.exported)
        #expect(result.issues.isEmpty)
        #expect(result.files == [MarkbookFile.FileSummary(name: "10X-Ma1.csv", rowsRead: 3, rowsAccepted: 3)])
        // P003's row is all blank: nothing to say, no entry.
        #expect(result.entries.map(\.assessment) == [
            Assessment(pupil: "P002", subject: "MA", collection: "DC2", workingAt: .notAssessed, source: "10X-Ma1.csv:3"),
            Assessment(pupil: "P001", subject: "MA", collection: "DC2", workingAt: GradeScale.gcse.value(stored: "6-"),
                       predicted: GradeScale.gcse.value(stored: "6"), atl: GradeScale.atl.value(stored: "1"), source: "10X-Ma1.csv:4"),
        ])
    }

    @Test func filledCellsAreReadWithTheirFileAndLineAndXAndZAsSuch() {
        var rows = Self.exported
        rows[0] = "R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,6+,z,2"   // line 2
        rows[1] = "B801200005001,P002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,x,5,"               // line 3: lower-case x
        let result = read(rows)
        #expect(result.issues.isEmpty)
        let p003 = result.entries[0]
        #expect(p003.line == 2 && p003.file == "10X-Ma1.csv")
        #expect(p003.assessment.source == "10X-Ma1.csv:2")
        #expect(p003.assessment.workingAt == GradeScale.gcse.value(stored: "6+"))
        #expect(p003.assessment.predicted == .notRequired)
        #expect(p003.assessment.atl == GradeScale.atl.value(stored: "2"))
        #expect(p003.cells.map(\.column) == ["working_at", "predicted", "atl"])
        #expect(p003.cells.map(\.text) == ["6+", "z", "2"])
        #expect(result.entries[1].assessment.workingAt == .notAssessed)
        #expect(result.entries[1].assessment.predicted == GradeScale.gcse.value(stored: "5"))
    }

    @Test func aBlankCellIsNotEnteredAndNeverAValue() {
        // P001's working_at and atl emptied: only predicted is read; the store keeps 6- and 1.
        let result = read(["H801200001001,P001,O'Neil,Aoife,10X/Ma1,MA,DC2,5,7,,7,"])
        #expect(result.issues.isEmpty)
        #expect(result.entries.map(\.assessment) == [
            Assessment(pupil: "P001", subject: "MA", collection: "DC2", predicted: GradeScale.gcse.value(stored: "7"), source: "10X-Ma1.csv:2"),
        ])
    }

    @Test func anOffScaleValueNamesFileLineColumnValueAndTheAcceptedCodes() {
        let result = read(["R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,7++,,", "H801200001001,P001,O'Neil,Aoife,10X/Ma1,MA,DC2,5,7,6,6,5"])
        #expect(result.entries.isEmpty)
        #expect(result.files[0].rowsRejected == 2)
        #expect(result.issues.map(\.description) == [
            "10X-Ma1.csv:2: column \"working_at\" value \"7++\": not on GCSE 9–1 for Mathematics (MA): accepted: "
                + "9, 9-, 9/8, 8+, 8, 8-, 8/7, 7+, 7, 7-, 7/6, 6+, 6, 6-, 6/5, 5+, 5, 5-, 5/4, 4+, 4, 4-, 4/3, 3+, 3, 3-, 3/2, "
                + "2+, 2, 2-, 2/1, 1+, 1, 1-, 1/U, U, or X (not assessed) or Z (not required)",
            "10X-Ma1.csv:3: column \"atl\" value \"5\": not on Attitude to learning 1–4 for Mathematics (MA): accepted: 1, 2, 3, 4, "
                + "or X (not assessed) or Z (not required)",
        ])
        #expect(result.issues.allSatisfy { $0.code == .offScale && $0.isError })
    }

    @Test func aPupilTwiceInOneFileIsRejectedNamingBothLines() {
        var rows = Self.exported
        rows.append("B801200005001,P002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,5,,")  // line 5: P002 again
        rows[0] = "R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,6,,"
        let result = read(rows)
        #expect(result.issues.count == 1)
        let issue = result.issues[0]
        #expect(issue.code == .duplicateEntry && issue.isError && issue.line == 5)
        #expect(issue.description == "10X-Ma1.csv:5: column \"pupil_id\" value \"P002\": pupil P002, subject MA, DC2 is also on line 3 — both rows rejected: remove one")
        #expect(result.entries.map(\.assessment.pupil) == ["P003", "P001"])
        #expect(result.files[0].rowsRead == 4 && result.files[0].rowsAccepted == 2)
    }

    @Test func readOnlyColumnsAreIgnoredButAChangeIsAWarning() {
        // Surname, target and previous grade typed over; class changed to one P001 is not in.
        let result = read(["H801200001001,P001,ONeil,Aoife,10X/Sc1,MA,DC2,6,8,6,6,1"])
        #expect(!result.hasErrors)
        #expect(result.issues.map(\.code) == [.readOnlyChanged, .readOnlyChanged, .readOnlyChanged, .readOnlyChanged])
        #expect(result.issues.map(\.column) == ["surname", "class", "previous_working_at (DC1 read only)", "target (read only)"])
        #expect(result.issues[0].description == "10X-Ma1.csv:2: warning: column \"surname\" value \"ONeil\": read-only column changed (the stored surname is O'Neil): the change is ignored, nothing is saved from it")
        #expect(result.issues[3].reason == "read-only column changed (the stored target is 7): the change is ignored, nothing is saved from it")
        // The values are still read.
        #expect(result.entries.map(\.assessment.workingAt) == [GradeScale.gcse.value(stored: "6")])
    }

    @Test func unknownPupilSubjectAndCollectionAreErrors() {
        let result = read([
            "R674123101121,NOBODY,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,6,,",       // 2: unknown id
            "R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,XX,DC2,7/6,,6,,",         // 3: unknown subject
            "R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC9,7/6,,6,,",         // 4: unknown collection
            "R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC1,7/6,,6,,",         // 5: another collection
            "H801200001001,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,6,,",         // 6: id and UPN disagree
            "R674123101121,,Adeyemi-Hart,Kwame,10X/Ma1,MA,,7/6,,6,,",                // 7: by UPN, collection blank: fine
        ])
        #expect(result.errors.map(\.line) == [2, 3, 4, 5, 6])
        #expect(result.errors.map(\.code) == [.unknownPupil, .unknownSubject, .unknownCollection, .otherCollection, .conflictingPupil])
        #expect(result.errors[3].reason == "this row is for DC1, but DC2 is being imported: import it with --collection DC1")
        #expect(result.errors[4].reason == "pupil P003 has UPN R674123101121: the row's pupil_id and upn name different pupils; correct one")
        #expect(result.entries.map(\.assessment) == [
            Assessment(pupil: "P003", subject: "MA", collection: "DC2", workingAt: GradeScale.gcse.value(stored: "6"), source: "10X-Ma1.csv:7"),
        ])
    }

    /// The fixture school with admission numbers for ids (P001 → 000001 …), as SIMS exports them.
    static func withAdmissionNumbers(_ year: SchoolYear) -> SchoolYear {
        var year = year
        func renamed(_ id: Pupil.ID) -> Pupil.ID { Pupil.ID("0000" + id.rawValue.dropFirst(2)) }
        for i in year.pupils.indices { year.pupils[i].id = renamed(year.pupils[i].id) }
        for i in year.assessments.indices { year.assessments[i].pupil = renamed(year.assessments[i].pupil) }
        for i in year.targets.indices { year.targets[i].pupil = renamed(year.targets[i].pupil) }
        for i in year.teachingGroups.indices { year.teachingGroups[i].pupils = year.teachingGroups[i].pupils.map(renamed) }
        return year
    }

    @Test func anIdThatLostItsLeadingZerosIsMatchedByItsUPNOrItsDigits() {
        let year = Self.withAdmissionNumbers(year)
        #expect(year.pupils.map(\.id).contains("000001"))
        let result = MarkbookFile(year: year, collection: "DC2").read(name: "10X-Ma1.csv", contents: Data(([Self.header] + [
            "H801200001001,1,O'Neil,Aoife,10X/Ma1,MA,DC2,5,7,6,6,1",          // 2: zeros lost, UPN is P001's: matched
            "B801200005001,00002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,5,,",           // 3: some zeros lost, UPN is P002's: matched
            ",3,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,6,,",                   // 4: no UPN, one pupil has the digits: matched
            "H801200001001,2,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,5,,",               // 5: digits of 000002 but P001's UPN: conflict
            ",9,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,5,,",                             // 6: nobody has the digits 9
        ]).joined(separator: "\r\n").utf8))
        let lostZeros = result.warnings.filter { $0.code == .pupilIDLostZeros }
        #expect(lostZeros.map(\.line) == [2, 3, 4])
        #expect(lostZeros[0].reason == "matched to pupil 000001 by UPN H801200001001: the id has lost its leading zeros; format the column as text to keep them")
        #expect(lostZeros[2].reason == "matched to pupil 000003: the id has lost its leading zeros; format the column as text to keep them")
        #expect(result.errors.map(\.line) == [5, 6])
        #expect(result.errors.map(\.code) == [.unknownPupil, .unknownPupil])
        #expect(result.entries.map(\.assessment.pupil) == ["000001", "000002", "000003"])
    }

    @Test func aStoredOffScaleValueLeftAsItIsIsAWarningNotAnError() {
        let header = "upn,pupil_id,surname,forename,class,subject,collection,working_at"
        let untouched = read(["R674123101121,P003,Adeyemi-Hart,Kwame,10X/Sc1,SC,DC2,A*"], name: "10X-Sc1.csv", header: header)
        #expect(!untouched.hasErrors && untouched.entries.isEmpty)
        #expect(untouched.issues.map(\.code) == [.storedOffScale])
        let other = read(["R674123101121,P003,Adeyemi-Hart,Kwame,10X/Sc1,SC,DC2,A**"], name: "10X-Sc1.csv", header: header)
        #expect(other.errors.map(\.code) == [.offScale])
        let corrected = read(["R674123101121,P003,Adeyemi-Hart,Kwame,10X/Sc1,SC,DC2,6/5"], name: "10X-Sc1.csv", header: header)
        #expect(corrected.issues.isEmpty)
        #expect(corrected.entries[0].assessment.workingAt == GradeScale.combinedScience.value(stored: "6-5"))
    }

    @Test func aFileWithoutTheKeyOrValueColumnsIsUnusable() {
        let result = read(["P001,MA"], header: "pupil,subject")
        #expect(result.entries.isEmpty && result.files[0].rowsAccepted == 0)
        #expect(result.issues.map(\.code) == [.missingColumn])
        #expect(result.issues[0].reason.hasPrefix("a markbook needs the columns pupil_id or upn; working_at, predicted or atl"))
        #expect(read([], header: "").issues.map(\.code) == [.unusableFile])
        #expect(read(["P001,MA,5,6"], header: "pupil_id,subject,working_at,Working At").issues.map(\.code) == [.duplicateHeader])
    }

    /// Two files read together: values that agree, or a blank in one, combine; values that
    /// differ reject both rows.
    @Test func filesReadTogetherConflictOnlyWhereTheyDisagree() {
        let reader = MarkbookFile(year: year, collection: "DC2")
        let a = read(["R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,6,,2", "B801200005001,P002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,X,5,"],
                     name: "JSM/10X-Ma1.csv")
        let b = read(["R674123101121,P003,Adeyemi-Hart,Kwame,10X/Ma1,MA,DC2,7/6,,6,7,", "B801200005001,P002,Marsh,Zoë,10X/Ma1,MA,DC2,4+,,X,4,"],
                     name: "RPA/10X-Ma1.csv")
        let both = reader.combine([a, b])
        #expect(both.errors.map(\.description) == [
            "RPA/10X-Ma1.csv:3: column \"predicted\" value \"4\": JSM/10X-Ma1.csv:3 gives 5 for pupil P002, subject MA, DC2 predicted — both rows rejected: correct one file",
        ])
        #expect(both.files.map(\.rowsAccepted) == [1, 1])
        #expect(both.entries.map(\.assessment.source) == ["JSM/10X-Ma1.csv:2", "RPA/10X-Ma1.csv:2"])
        let merged = MarkbookFile.merge(both.entries.map(\.assessment))
        #expect(merged == [
            Assessment(pupil: "P003", subject: "MA", collection: "DC2", workingAt: GradeScale.gcse.value(stored: "6"),
                       predicted: GradeScale.gcse.value(stored: "7"), atl: GradeScale.atl.value(stored: "2"),
                       source: "JSM/10X-Ma1.csv:2; RPA/10X-Ma1.csv:2"),
        ])
    }

    @Test func headersAreMatchedLoosely() {
        #expect(MarkbookFile.columnKey(" Pupil ID ") == "pupil_id")
        #expect(MarkbookFile.columnKey("previous_working_at (DC1 read only)") == "previous_working_at")
        #expect(MarkbookFile.columnKey("Working-At") == "working_at")
        #expect(MarkbookFile.columnKey("Target (read only)") == "target")
    }
}
