import Foundation
import HeadwayCore
@testable import HeadwayImport
import Testing

/// The Common Transfer File reader (`headway import ctf`) on the hand-written fixtures in
/// `Fixtures/ctf/`. Every expected value below was read off the fixture by eye (scores, codes,
/// FSM dates against the header date, line numbers), not copied from the reader's output.
@Suite struct CTFFileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ name: String, codes: KS2CodeTable = .shipped, yearGroup: Int = 7) throws -> CTFFile.Result {
        CTFFile(codes: codes, yearGroup: yearGroup).read(name: name, contents: try Fixtures.data("ctf/\(name)"))
    }

    static func read(xml: String, name: String = "inline.xml") -> CTFFile.Result {
        CTFFile(codes: .shipped).read(name: name, contents: Data(xml.utf8))
    }

    /// A minimal CTF 25.0 around `pupils` (XML of `<Pupil>` elements).
    static func ctf(_ pupils: String, version: String = "25.0", dateTime: String = "2025-07-11T09:30:00") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <CTfile>
          <Header>
            <CTFversion>\(version)</CTFversion>
            <DateTime>\(dateTime)</DateTime>
          </Header>
          <CTFpupilData>
        \(pupils)
          </CTFpupilData>
        </CTfile>
        """
    }

    // MARK: CTF 19.0 with Gender

    @Test func v19FileWithGenderGivesEveryPupilAndKS2Result() throws {
        let result = try Self.read("v19-gender.xml")
        #expect(!result.refused)
        #expect(!result.hasErrors, "\(result.errors)")
        #expect(result.pupils.map(\.id.rawValue) == ["E938412312001", "U938412312002", "H938412312003", "X938412312004"])
        #expect(result.pupils.map(\.upn?.rawValue) == ["E938412312001", "U938412312002", "H938412312003", "X938412312004"])
        #expect(result.pupils.map(\.forename) == ["Maisie", "Tomás", "Zuzanna", "Yusuf"])
        #expect(result.pupils.map(\.surname) == ["Ashworth", "O'Connor-Lee", "Nowak", "Begum"])
        #expect(result.pupils.map { $0.dateOfBirth?.description } == ["2007-10-14", "2008-03-02", "2007-09-01", "2008-08-31"])
        #expect(result.pupils.map { $0.characteristics[Characteristic.gender] } == ["F", "M", "F", "M"])
        #expect(result.pupils.allSatisfy { $0.yearGroup == 7 })

        let prior = result.pupils.map(\.priorAttainment)
        #expect(prior == [
            PriorAttainment(readingScaledScore: 105, mathsScaledScore: 107),
            PriorAttainment(readingScaledScore: nil, mathsScaledScore: 94),   // reading B
            PriorAttainment(readingScaledScore: 118, mathsScaledScore: nil),  // maths A
            PriorAttainment(readingScaledScore: 100, mathsScaledScore: 110),
        ])
        #expect(prior.map { $0?.average } == [106, 94, 118, 105])
        #expect(prior.map { $0?.band } == [.middle, .low, .high, .middle])
        #expect(result.pupils[1].characteristics[CTFFile.ks2ReadingResultCharacteristic] == "B")
        #expect(result.pupils[2].characteristics[CTFFile.ks2MathsResultCharacteristic] == "A")
        #expect(result.pupils[0].characteristics[CTFFile.ks2ReadingResultCharacteristic] == nil)
        // No FSM or SEN history in this file: nothing is said about them.
        for pupil in result.pupils {
            #expect(pupil.characteristics[CTFFile.fsmCharacteristic] == nil)
            #expect(pupil.characteristics[Characteristic.disadvantaged] == nil)
            #expect(pupil.characteristics[Characteristic.sen] == nil)
        }

        let counts = result.counts
        #expect(counts.pupilsRead == 4 && counts.pupilsAccepted == 4)
        #expect(counts.ks2Scores == [.readingScaledScore: 3, .mathsScaledScore: 3])
        #expect(counts.ks2ResultCodes == [.readingScaledScore: ["B": 1], .mathsScaledScore: ["A": 1]])
        // Writing TA (ENG/TA/WRI) twice and GPS (ENG/TT/GPS) once: recognised, counted, not stored.
        #expect(counts.ks2OtherResults == [.writingTeacherAssessment: 2, .gpsScaledScore: 1])
        #expect(counts.unrecognisedKS2.isEmpty)
        #expect(counts.otherKeyStages == ["KS1": 1])
        #expect(counts.unknownElements == ["ExportNote": 1, "FavouriteColour": 1])
        #expect(counts.unusedElements == ["DocumentName": 1, "DataDescriptor": 1, "SupplierID": 1, "NCyearActual": 1])
    }

    /// The shipped table without its entries for `entries` (by measure), to see what a table
    /// that lacks a form does.
    static func shipped(without measures: Set<KS2CodeTable.Measure>) -> KS2CodeTable {
        KS2CodeTable(entries: KS2CodeTable.shipped.entries.filter { !measures.contains($0.measure) })
    }

    @Test func unmatchedKS2ResultsOnPupilsWithReadingAndMathsAreOneWarningPerCodeCombinationWithItsCount() throws {
        let result = try Self.read("v19-gender.xml", codes: Self.shipped(without: [.writingTeacherAssessment, .gpsScaledScore]))
        let warnings = result.issues.filter { $0.code == .unrecognisedKS2Result }
        #expect(warnings.count == 2)
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(warnings.map(\.line) == [57, 179])  // the first writing TA row, the GPS row
        #expect(warnings.map(\.value) == ["Subject=ENG Method=TA Component=WRI ResultQualifier=TA",
                                          "Subject=ENG Method=TT Component=GPS ResultQualifier=SS"])
        #expect(warnings[0].reason.hasPrefix("2 KS2 result(s)"))
        #expect(warnings[1].reason.hasPrefix("1 KS2 result(s)"))
        #expect(warnings[0].column == "CTfile/CTFpupilData/Pupil/StageAssessments/KeyStage/StageAssessment")
        #expect(result.issues.count == 2, "\(result.issues)")
    }

    // MARK: KS2 in the REA/SCL form (issue 12, item 1)

    @Test func reaSclCodedCTFImportsReadingAndMathsForEveryPupil() throws {
        let result = try Self.read("v24-rea-scl.xml")
        #expect(!result.hasErrors, "\(result.errors)")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.pupils.map(\.id.rawValue) == ["F886201119101", "V886201119102", "J886201119103", "Y886201119104"])
        // Reading from Subject REA / Component SCL, maths from MAT / SCL, as written in the fixture.
        #expect(result.pupils.map(\.priorAttainment) == [
            PriorAttainment(readingScaledScore: 104, mathsScaledScore: 99),
            PriorAttainment(readingScaledScore: 92, mathsScaledScore: 111),
            PriorAttainment(readingScaledScore: nil, mathsScaledScore: 87),  // reading A: absent
            PriorAttainment(readingScaledScore: 117, mathsScaledScore: 120),
        ])
        #expect(result.pupils[2].characteristics[CTFFile.ks2ReadingResultCharacteristic] == "A")
        #expect(result.counts.ks2Scores == [.readingScaledScore: 3, .mathsScaledScore: 4])
        #expect(result.counts.ks2ResultCodes == [.readingScaledScore: ["A": 1]])
        // GPS and writing TA for all four, one multiplication tables check (not a maths score).
        #expect(result.counts.ks2OtherResults == [.gpsScaledScore: 4, .writingTeacherAssessment: 4, .multiplicationTablesCheck: 1])
        #expect(result.counts.unrecognisedKS2.isEmpty)
    }

    @Test func aKS2FormTheTableLacksThatLeavesReadingEmptyIsAnErrorNamingCodesPupilsAndTheEntryToAdd() throws {
        // The table as it was before issue 12: no REA entry, so REA/SCL matches nothing and every
        // pupil would lose their reading.
        let result = try Self.read("v24-rea-scl.xml", codes: Self.shipped(without: [.readingScaledScore]))
        let errors = result.errors
        #expect(errors.count == 1, "\(errors)")
        let error = try #require(errors.first)
        #expect(error.code == .unrecognisedKS2Result)
        #expect(error.value == "Subject=REA Method=TT Component=SCL ResultQualifier=SS")
        #expect(error.line == 35)  // the first pupil's REA StageAssessment
        #expect(error.reason.hasPrefix("4 pupil(s) have a KS2 result with these codes (4 in the file, the first here) and no KS2 reading result"))
        #expect(error.reason.contains(#"[[match]] measure = "reading_scaled_score" subject = "REA" method = "TT" component = "SCL" result_qualifier = "SS""#))
        #expect(error.reason.contains("--accept-valid"))
        // Maths is still read, and the pupils are there for --accept-valid.
        #expect(result.pupils.map { $0.priorAttainment?.mathsScaledScore } == [99, 111, 87, 120])
        #expect(result.pupils.allSatisfy { $0.priorAttainment?.readingScaledScore == nil })
    }

    @Test func anUnknownFormLeavingBothSubjectsEmptySuggestsBySubjectCode() throws {
        let row = { (subject: String, result: String) in
            "<StageAssessment><Subject>\(subject)</Subject><Method>TT</Method><Component>XS</Component><Result>\(result)</Result></StageAssessment>"
        }
        let result = Self.read(xml: Self.ctf("""
            <Pupil><UPN>F886201119101</UPN><StageAssessments><KeyStage><Stage>KS2</Stage>\(row("MATHS", "101"))\(row("RDG", "99"))</KeyStage></StageAssessments></Pupil>
            <Pupil><UPN>V886201119102</UPN><StageAssessments><KeyStage><Stage>KS2</Stage>\(row("MATHS", "97"))</KeyStage></StageAssessments></Pupil>
            """))
        // Both first appear on one line, so look them up by their codes.
        let errors = Dictionary(uniqueKeysWithValues: result.errors.map { ($0.value ?? "", $0) })
        #expect(Set(errors.keys) == ["Subject=MATHS Method=TT Component=XS ResultQualifier=(none)",
                                     "Subject=RDG Method=TT Component=XS ResultQualifier=(none)"])
        let maths = try #require(errors["Subject=MATHS Method=TT Component=XS ResultQualifier=(none)"])
        #expect(maths.reason.hasPrefix("2 pupil(s) have a KS2 result with these codes (2 in the file, the first here) and no KS2 reading or maths result"))
        #expect(maths.reason.contains(#"measure = "maths_scaled_score" subject = "MATHS""#))
        let reading = try #require(errors["Subject=RDG Method=TT Component=XS ResultQualifier=(none)"])
        #expect(reading.reason.hasPrefix("1 pupil(s)"))
        #expect(reading.reason.contains(#"measure = "reading_scaled_score" subject = "RDG""#))
    }

    @Test func headerIdentifiersStayText() throws {
        let header = try #require(try Self.read("v19-gender.xml").header)
        #expect(header.version == "19.0")
        #expect(header.majorVersion == 19)
        #expect(header.dateTime == "2019-07-12T15:20:00")
        #expect(header.date == CalendarDate(year: 2019, month: 7, day: 12))
        #expect(header.documentQualifier == "partial")
        #expect(header.source == CTFHeader.School(lea: "938", estab: "0123", urn: "012345", schoolName: "Brookfield Primary School",
                                                  academicYear: "2018/19"))
        #expect(header.destination == CTFHeader.School(lea: "938", estab: "4321", urn: "137001"))
        #expect(header.sourceAcademicYear == AcademicYear(startYear: 2018))
    }

    // MARK: CTF 25.0 with Sex, FSM and SEN

    /// Header date 2025-07-11, so "Ever 6" runs from 2019-07-11.
    @Test func v25FileWithSexReadsFSMAndSENHistory() throws {
        let result = try Self.read("v25-sex.xml")
        #expect(!result.hasErrors, "\(result.errors)")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.pupils.map(\.id.rawValue) == ["N886201118014", "U886201118027", "X886201118031", "R886201118045"])
        #expect(result.pupils.map { $0.characteristics[Characteristic.gender] } == ["F", "M", "F", "M"])
        #expect(result.pupils.map(\.forename) == ["Amira", "Callum", "Mei Ling", "Harvey"])
        // FSM 2018-09-03 → 2019-08-30: ended before the file date, but within six years of it.
        // FSM from 2023-01-09, open: eligible now. FSM 2016-09-01 → 2019-03-31: ended before 2019-07-11.
        // No FSM history: nothing set. Not Ever 6 does not make a pupil not disadvantaged (looked
        // after, adopted from care: not in a CTF), so the third pupil's disadvantaged is not set.
        #expect(result.pupils.map { $0.characteristics[CTFFile.fsmCharacteristic] } == ["false", "true", "false", nil])
        #expect(result.pupils.map { $0.characteristics[Characteristic.disadvantaged] } == ["true", "true", nil, nil])
        #expect(result.pupils.map(\.isDisadvantaged) == [true, true, nil, nil])
        // SEN: K then E (latest E); N; K then N (latest N); no history.
        #expect(result.pupils.map { $0.characteristics[Characteristic.sen] } == ["E", "N", "N", nil])
        #expect(result.pupils.map(\.senStatus) == [.ehcPlan, SENStatus.none, SENStatus.none, nil])

        #expect(result.pupils.map(\.priorAttainment) == [
            PriorAttainment(readingScaledScore: 96, mathsScaledScore: 101),
            PriorAttainment(readingScaledScore: 112, mathsScaledScore: 110),
            PriorAttainment(readingScaledScore: 104, mathsScaledScore: nil),
            nil,
        ])
        #expect(result.pupils.map { $0.priorAttainment?.average } == [98.5, 111, 104, nil])
        #expect(result.pupils.map { $0.priorAttainment?.band } == [.low, .high, .middle, nil])
        #expect(result.pupils[2].characteristics[CTFFile.ks2MathsResultCharacteristic] == "A")
        #expect(result.counts.unusedElements == ["DocumentName": 1, "SupplierID": 1, "NCyearActual": 1, "UKcountry": 2,
                                                 "FSMreviewDate": 1, "Contacts": 1])
        #expect(result.counts.unknownElements.isEmpty)
        #expect(result.header?.destination == CTFHeader.School(lea: "886", estab: "4055", urn: "137001", schoolName: "Hilltop Academy"))
        #expect(result.header?.sourceAcademicYear == AcademicYear(startYear: 2024))
    }

    @Test func callerChoosesTheYearGroup() throws {
        let result = try Self.read("v25-sex.xml", yearGroup: 8)
        #expect(result.pupils.allSatisfy { $0.yearGroup == 8 })
    }

    // MARK: Refused files

    @Test func malformedFileIsRefusedWithLineAndColumn() throws {
        let result = try Self.read("malformed.xml")
        #expect(result.refused)
        #expect(result.pupils.isEmpty)
        #expect(result.issues.count == 1)
        let issue = try #require(result.issues.first)
        #expect(issue.code == .malformedXML)
        #expect(issue.isError)
        #expect(issue.file == "malformed.xml")
        #expect(issue.line == 14)  // `<Surname>Haddad</Surnme>`
        // `      <Surname>Haddad</Surnme>` is 30 characters; the parser reports the column after
        // the mismatched end tag, 1-based: 31.
        #expect(issue.reason.contains("line 14, column 31"), "\(issue.reason)")
        #expect(issue.reason.contains("end tag does not match"))
        #expect(issue.column == "CTfile/CTFpupilData/Pupil/Surname")
        #expect(result.counts == CTFFile.Counts())
    }

    @Test func versionOlderThan19IsRefusedNamingTheVersion() throws {
        let result = try Self.read("old-version-18.xml")
        #expect(result.refused)
        #expect(result.pupils.isEmpty)
        let issue = try #require(result.issues.first)
        #expect(result.issues.count == 1)
        #expect(issue.code == .unsupportedCTFVersion)
        #expect(issue.line == 6)
        #expect(issue.value == "18.0")
        #expect(issue.reason.contains("18.0"))
        #expect(issue.reason.contains("19.0"))
    }

    @Test func missingOrNonNumericVersionIsRefused() {
        let missing = Self.read(xml: """
            <CTfile><Header><DateTime>2025-07-11T09:30:00</DateTime></Header>
            <CTFpupilData><Pupil><UPN>N886201118014</UPN></Pupil></CTFpupilData></CTfile>
            """)
        #expect(missing.refused && missing.pupils.isEmpty)
        #expect(missing.issues.map(\.code) == [.unsupportedCTFVersion])
        #expect(missing.issues.first?.reason.contains("no CTFversion") == true)

        let noHeader = Self.read(xml: "<CTfile><CTFpupilData><Pupil><UPN>N886201118014</UPN></Pupil></CTFpupilData></CTfile>")
        #expect(noHeader.refused && noHeader.issues.map(\.code) == [.unsupportedCTFVersion])

        let words = Self.read(xml: Self.ctf("", version: "twenty-five"))
        #expect(words.refused && words.issues.first?.value == "twenty-five")

        // Version 19.0 onward is read, including minor versions.
        #expect(!Self.read(xml: Self.ctf("", version: "19.1")).refused)
        #expect(!Self.read(xml: Self.ctf("", version: "26.0")).refused)
    }

    @Test func xmlThatIsNotACTFIsRefused() {
        let other = Self.read(xml: "<?xml version=\"1.0\"?>\n<ATfile><Header/></ATfile>")
        #expect(other.refused && other.issues.map(\.code) == [.notCTF])
        #expect(other.issues.first?.reason.contains("<ATfile>") == true)
        let empty = Self.read(xml: "")
        #expect(empty.refused && empty.issues.map(\.code) == [.notCTF])
        let unreadable = CTFFile(codes: .shipped).read(contentsOf: URL(fileURLWithPath: "/nonexistent/headway/ctf.xml"))
        #expect(unreadable.refused && unreadable.issues.map(\.code) == [.unreadableFile])
    }

    // MARK: Pupil errors

    @Test func duplicateUPNRejectsBothRecordsNamingBothLinesAndInvalidUPNIsRejected() throws {
        let result = try Self.read("duplicate-and-invalid-upn.xml")
        #expect(!result.refused)
        #expect(result.pupils.map(\.id.rawValue) == ["Q212345615009"])
        #expect(result.counts.pupilsRead == 4)
        #expect(result.counts.pupilsAccepted == 1)
        #expect(result.counts.pupilsRejected == 3)
        let errors = result.errors
        #expect(errors.map(\.code) == [.invalidUPN, .conflictingPupil])
        #expect(errors[0].line == 21)
        #expect(errors[0].value == "A212345615008")
        #expect(errors[0].reason.contains("wrong check letter at character 1"))
        #expect(errors[0].column == "CTfile/CTFpupilData/Pupil/UPN")
        #expect(errors[1].line == 29)
        #expect(errors[1].value == "M212345615007")
        #expect(errors[1].reason.contains("line 14"))
        #expect(errors[1].description.hasPrefix("duplicate-and-invalid-upn.xml:29: element \"CTfile/CTFpupilData/Pupil/UPN\" value \"M212345615007\": UPN M212345615007 is also on line 14"))
    }

    @Test func aKS2ResultThatIsNeitherScoreNorCodeIsAnErrorForThatPupil() {
        let row = { (subject: String, component: String, result: String) in
            "<StageAssessment><Subject>\(subject)</Subject><Method>TT</Method><Component>\(component)</Component><ResultQualifier>SS</ResultQualifier><Result>\(result)</Result></StageAssessment>"
        }
        let xml = Self.ctf("""
            <Pupil>
            <UPN>N886201118014</UPN>
            <StageAssessments><KeyStage><Stage>KS2</Stage>
            \(row("ENG", "RD", "10S"))
            </KeyStage></StageAssessments>
            </Pupil>
            <Pupil>
            <UPN>U886201118027</UPN>
            <StageAssessments><KeyStage><Stage>KS2</Stage>
            \(row("ENG", "RD", "121"))
            </KeyStage></StageAssessments>
            </Pupil>
            <Pupil>
            <UPN>X886201118031</UPN>
            <StageAssessments><KeyStage><Stage>KS2</Stage>
            \(row("MAT", "", "101"))
            \(row("MAT", "", "A"))
            </KeyStage></StageAssessments>
            </Pupil>
            <Pupil>
            <UPN>R886201118045</UPN>
            <StageAssessments><KeyStage><Stage>ks2</Stage>
            \(row("MAT", "", " 79 "))
            \(row("MAT", "", "79"))
            \(row("ENG", "RD", "x"))
            </KeyStage></StageAssessments>
            </Pupil>
            """)
        let result = Self.read(xml: xml)
        #expect(result.errors.map(\.code) == [.invalidScaledScore, .invalidScaledScore, .conflictingValue, .invalidScaledScore])
        #expect(result.errors.map(\.value) == ["10S", "121", "A", "x"])
        #expect(result.errors[2].reason.contains("\"101\""))
        // Every pupil with an error is left out whole; a repeated equal score is no conflict,
        // and a result code is case-insensitive but "x" is not a code.
        #expect(result.pupils.isEmpty)
        #expect(result.counts.pupilsRejected == 4)
    }

    @Test func missingUPNAndBadDateAreErrorsOddSexIsAWarning() {
        let result = Self.read(xml: Self.ctf("""
            <Pupil><Surname>Nobody</Surname></Pupil>
            <Pupil><UPN>N886201118014</UPN><DOB>2014-02-30</DOB></Pupil>
            <Pupil><UPN>u886201118027</UPN><Sex>X</Sex></Pupil>
            """))
        #expect(result.errors.map(\.code) == [.missingValue, .invalidDate])
        #expect(result.errors[1].value == "2014-02-30")
        #expect(result.warnings.map(\.code) == [.upnWarning, .invalidCharacteristic])
        #expect(result.pupils.map(\.id.rawValue) == ["U886201118027"])
        #expect(result.pupils.first?.characteristics[Characteristic.gender] == nil)
    }

    @Test func legacySENCodesAreMappedWithAWarning() {
        let result = Self.read(xml: Self.ctf("""
            <Pupil><UPN>N886201118014</UPN><SENhistory><SEN><StartDate>2016-01-01</StartDate><SENprovision>S</SENprovision></SEN></SENhistory></Pupil>
            <Pupil><UPN>U886201118027</UPN><SENhistory><SEN><StartDate>2013-01-01</StartDate><SENprovision>P</SENprovision></SEN></SENhistory></Pupil>
            <Pupil><UPN>X886201118031</UPN><SENhistory><SEN><SENprovision>Z</SENprovision></SEN></SENhistory></Pupil>
            """))
        #expect(!result.hasErrors)
        #expect(result.pupils.map { $0.characteristics[Characteristic.sen] } == ["E", "K", nil])
        #expect(result.warnings.count == 3)
    }

    @Test func fsmWithoutAHeaderDateIsNotGuessed() {
        let result = Self.read(xml: Self.ctf("""
            <Pupil><UPN>N886201118014</UPN><FSMhistory><FSMinstance><FSMstartDate>2024-01-01</FSMstartDate></FSMinstance></FSMhistory></Pupil>
            """, dateTime: "soon"))
        #expect(!result.hasErrors)
        #expect(result.pupils.first?.characteristics[CTFFile.fsmCharacteristic] == nil)
        #expect(result.warnings.map(\.code) == [.invalidDate])
    }

    @Test func anEmptyFSMHistoryMeansNoFSMButSaysNothingOfDisadvantage() {
        let result = Self.read(xml: Self.ctf("<Pupil><UPN>N886201118014</UPN><FSMhistory/></Pupil>"))
        #expect(result.pupils.first?.characteristics[CTFFile.fsmCharacteristic] == "false")
        #expect(result.pupils.first?.characteristics[Characteristic.disadvantaged] == nil)  // a stored `true` (e.g. looked after) stands
    }

    @Test func combineRejectsAUPNFoundInTwoFiles() throws {
        let a = try Self.read("v25-sex.xml")
        let b = try Self.read("v25-later-no-ks2.xml")
        let (pupils, issues) = CTFFile.combine([a, b])
        #expect(pupils.map(\.id.rawValue) == ["U886201118027", "X886201118031", "R886201118045"])
        let clash = try #require(issues.first { $0.code == .conflictingPupil })
        #expect(clash.file == "v25-later-no-ks2.xml")
        #expect(clash.line == 24)
        #expect(clash.reason.contains("v25-sex.xml on line 26"))
    }

    // MARK: The KS2 code table

    @Test func shippedCodeTableFileEqualsTheBuiltInCopyAndNamesItsSources() throws {
        let url = Self.repository.appendingPathComponent(KS2CodeTable.defaultPath)
        let table = try KS2CodeTable(contentsOf: url)
        #expect(table == KS2CodeTable.shipped)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("# Sources"))
        #expect(text.contains("How to check"))
        // Every KS2 test and teacher assessment issue 12 names has an entry.
        #expect(Set(table.entries.map(\.measure)) == Set(KS2CodeTable.Measure.allCases))
    }

    @Test func codeTableMatchesFirstEntryAndOmittedCodesMatchAnything() throws {
        let table = try KS2CodeTable(toml: """
            [[match]]
            measure = "maths_scaled_score"
            subject = "mat"
            [[match]]
            measure = "reading_scaled_score"
            subject = "ENG"
            component = "RD"
            """, file: "codes.toml")
        #expect(table.measure(subject: "MAT", method: "TT", component: nil, resultQualifier: "SS") == .mathsScaledScore)
        #expect(table.measure(subject: " Mat ", method: nil, component: "X", resultQualifier: nil) == .mathsScaledScore)
        #expect(table.measure(subject: "ENG", method: "TA", component: "rd", resultQualifier: "TA") == .readingScaledScore)
        #expect(table.measure(subject: "ENG", method: "TT", component: "GPS", resultQualifier: "SS") == nil)
    }

    @Test func codeTableErrorsNameTheirKeyPaths() {
        #expect(throws: ImportIssue.self) { try KS2CodeTable(toml: "[[match]\n", file: "codes.toml") }
        do {
            _ = try KS2CodeTable(toml: """
                [[match]]
                measure = "reading_scaled_scores"
                subjcet = "ENG"
                [[match]]
                measure = "maths_scaled_score"
                [[match]]
                measure = "maths_scaled_score"
                subject = "MAT"
                [[match]]
                measure = "maths_scaled_score"
                subject = "mat"
                """, file: "codes.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .mappingInvalid)
            #expect(error.file == "codes.toml")
            #expect(error.description.contains("\"match[1].measure\" = \"reading_scaled_scores\": unknown measure; did you mean reading_scaled_score?"), "\(error.reason)")
            #expect(error.description.contains("\"match[1].subjcet\": unknown key; did you mean subject?"))
            #expect(error.description.contains("\"match[2]\": names no code"))
            #expect(error.description.contains("\"match[4]\": the same codes as match[3]"))
        }
        #expect(throws: ImportIssue.self) { try KS2CodeTable(toml: "# nothing\n", file: "codes.toml") }
    }
}
