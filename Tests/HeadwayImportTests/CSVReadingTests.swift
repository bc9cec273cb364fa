import Foundation
import HeadwayCore
import Testing
@testable import HeadwayImport

/// The form of a file — encoding, separators, quoting, line ends — must not change what is read.
@Suite struct CSVReadingTests {
    /// What the clean fixture `grades.csv` holds, whatever form it arrives in.
    private func expectCleanGrades(_ result: ImportResult, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.issues.isEmpty, "\(result.issues)", sourceLocation: sourceLocation)
        #expect(result.rowsRead == 6, sourceLocation: sourceLocation)
        #expect(result.rowsAccepted == 6, sourceLocation: sourceLocation)
        #expect(result.year.pupils.map(\.id.rawValue) == ["00123", "00124", "00125"], sourceLocation: sourceLocation)
        #expect(result.year.assessments.count == 6, sourceLocation: sourceLocation)
        let jasper = try #require(result.pupil("00124"), sourceLocation: sourceLocation)
        #expect(jasper.surname == "Fenwick-Lowe", sourceLocation: sourceLocation)
        #expect(jasper.yearGroup == 10, sourceLocation: sourceLocation)
        #expect(jasper.dateOfBirth == CalendarDate(year: 2009, month: 11, day: 21), sourceLocation: sourceLocation)
        #expect(jasper.priorAttainment == PriorAttainment(readingScaledScore: 95, mathsScaledScore: 101), sourceLocation: sourceLocation)
        #expect(jasper.characteristics == ["gender": "M", "disadvantaged": "false", "sen": "K"], sourceLocation: sourceLocation)
        let science = try #require(result.assessment("00124", "SC", "Y10DC1"), sourceLocation: sourceLocation)
        #expect(science.workingAt?.stored == "5-4", sourceLocation: sourceLocation)
        #expect(science.predicted?.stored == "5-5", sourceLocation: sourceLocation)
        #expect(science.atl?.stored == "3", sourceLocation: sourceLocation)
    }

    @Test func readsUnquotedAndQuotedNumbersAlike() throws {
        let result = try Fixtures.readLong("grades.csv")
        try expectCleanGrades(result)
        // Line 4 is fully quoted ("00124","10","95",…), line 5 is not: same pupil, same values.
        let english = try #require(result.assessment("00124", "EN", "Y10DC1"))
        #expect(english.workingAt?.stored == "4-")
        #expect(english.predicted?.stored == "5")
        #expect(result.files.first?.separator == ",")
        #expect(result.files.first?.encoding == .utf8)
    }

    @Test func keepsLeadingZerosInIds() throws {
        let result = try Fixtures.readLong("grades.csv")
        #expect(result.pupil("00123") != nil)
        #expect(result.pupil("123") == nil)
        #expect(result.year.assessments.allSatisfy { $0.pupil.rawValue.hasPrefix("00") })
    }

    @Test func detectsSemicolonSeparator() throws {
        let result = try Fixtures.readLong("grades-semicolon.csv")
        try expectCleanGrades(result)
        #expect(result.files.first?.separator == ";")
    }

    @Test func detectsTabSeparator() throws {
        let result = try Fixtures.readLong("grades-tab.tsv")
        try expectCleanGrades(result)
        #expect(result.files.first?.separator == "\t")
    }

    @Test func mappingSeparatorOverridesDetection() throws {
        let toml = try Fixtures.text("oakfield-long.toml").replacingOccurrences(of: "version = 1", with: "version = 1\nseparator = \"tab\"")
        let mapping = try ColumnMapping(toml: toml, file: "oakfield-long.toml")
        #expect(mapping.separator == "\t")
        let result = CSVImporter(mapping: mapping).read(files: [("grades.csv", try Fixtures.data("grades.csv"))])
        // Read as tab-separated, the comma file has one column per line: the mapped headers are missing.
        #expect(result.issues(.missingColumn).count > 0)
        #expect(result.year.pupils.isEmpty)
    }

    @Test func stripsUTF8ByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(try Fixtures.data("grades.csv"))
        let result = try Fixtures.readLong(bytes: bytes)
        // Without stripping, the first header would be "\u{FEFF}Adno" and reported missing.
        try expectCleanGrades(result)
        #expect(result.files.first?.encoding == .utf8WithBOM)
    }

    @Test func readsCRLFLineEnds() throws {
        let text = try Fixtures.text("grades.csv").replacingOccurrences(of: "\n", with: "\r\n")
        let result = try Fixtures.readLong(bytes: Array(text.utf8))
        try expectCleanGrades(result)
        #expect(result.pupil("00125")?.tutorGroup == "10Q") // no stray \r at a line end
        #expect(result.assessment("00125", "EN", "Y10DC1")?.atl?.stored == "1")
    }

    @Test func decodesWindows1252WhenNotUTF8() throws {
        // Excel's plain "CSV" on Windows: ë is 0xEB and the apostrophe ’ is 0x92 — invalid UTF-8.
        let header = Array("Adno,UPN,Forename,Surname,DOB,Year,Reg,Gender,PP,SEN,KS2 Reading,KS2 Maths,Subject,Collection,Grade,Predicted,ATL\r\n".utf8)
        let row = Array("00126,E856100125004,".utf8) + [0x5A, 0x6F, 0xEB] + Array(",".utf8) // Zoë
            + [0x4F, 0x92, 0x4E, 0x65, 0x69, 0x6C] // O’Neil
            + Array(",2010-01-05,10,10F,F,N,N,100,100,EN,Y10DC1,5,6,2\r\n".utf8)
        let result = try Fixtures.readLong(bytes: header + row)
        #expect(result.issues.isEmpty, "\(result.issues)")
        let pupil = try #require(result.pupil("00126"))
        #expect(pupil.forename == "Zoë")
        #expect(pupil.surname == "O\u{2019}Neil")
        #expect(result.files.first?.encoding == .windows1252)
    }

    @Test func decodesEveryWindows1252Byte() {
        // Including the five bytes Windows leaves undefined, which Foundation's converter refuses.
        let text = TextDecoding.windows1252(ArraySlice([0x80, 0x81, 0x8D, 0x9F, 0xA0, 0xFF]))
        #expect(text.unicodeScalars.map(\.value) == [0x20AC, 0x81, 0x8D, 0x178, 0xA0, 0xFF])
    }

    @Test func readsUTF16WithByteOrderMark() throws {
        let text = try Fixtures.text("grades-tab.tsv")
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let result = try Fixtures.readLong(bytes: bytes, name: "grades.txt")
        try expectCleanGrades(result)
        #expect(result.files.first?.encoding == .utf16)
    }

    @Test func ignoresBlankAndSeparatorOnlyLines() throws {
        let text = try Fixtures.text("grades.csv") + "\n,,,,,,,,,,,,,,,,\n\n"
        let result = try Fixtures.readLong(bytes: Array(text.utf8))
        try expectCleanGrades(result)
    }

    @Test func lineNumbersCountLinesInsideQuotedFields() throws {
        let result = try Fixtures.readLong("multiline-notes.csv")
        // The first record spans lines 2–4, line 6 is blank: the bad grade is on physical line 7.
        let issue = try #require(result.issues(.offScale).first)
        #expect(issue.line == 7)
        #expect(issue.value == "7++")
        #expect(result.rowsRead == 3)
        #expect(result.rowsAccepted == 2)
    }

    @Test func lineNumbersCountCRLFInsideQuotedFieldsOnce() throws {
        let text = try Fixtures.text("multiline-notes.csv").replacingOccurrences(of: "\n", with: "\r\n")
        let result = try Fixtures.readLong(bytes: Array(text.utf8), name: "multiline-notes.csv")
        #expect(result.issues(.offScale).map(\.line) == [7])
    }

    @Test func recordsReportTheirStartingLine() {
        let text = "a,b\n1,\"x\ny\"\n\n2,\"p\r\nq\r\nr\"\r3,z"
        let records = CSVText.records(in: text, separator: ",")
        #expect(records.map(\.line) == [1, 2, 4, 5, 8])
        #expect(records[3].fields == ["2", "p\r\nq\r\nr"])
        #expect(records[4].fields == ["3", "z"])
    }

    @Test func detectsSeparatorOutsideQuotesOnly() {
        #expect(CSVText.detectSeparator(in: "\"a;b;c\",d,e\n1;2") == ",")
        #expect(CSVText.detectSeparator(in: "a;b;c\n1,2,3,4,5") == ";")
        #expect(CSVText.detectSeparator(in: "single\n1") == ",")
    }

    @Test func shortRowIsRejectedWithAHint() throws {
        let text = "Adno,UPN,Forename,Surname,DOB,Year,Reg,Gender,PP,SEN,KS2 Reading,KS2 Maths,Subject,Collection,Grade,Predicted,ATL\n00123,M856100125001,Tilly\n"
        let result = try Fixtures.readLong(bytes: Array(text.utf8))
        let issue = try #require(result.issues(.fieldCount).first)
        #expect(issue.line == 2)
        #expect(issue.reason.contains("3 fields but the header has 17"))
        #expect(result.year.pupils.isEmpty)
    }
}
