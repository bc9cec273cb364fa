import Foundation
import HeadwayCore
@testable import HeadwayImport
import HeadwayTestSupport
import Testing

/// The database-free path's readers: the long KS4 results file (`headway ks4 RESULTS.csv`) and
/// the DfE qualification lists shipped in `data/dfe-ks4-qualifications-2019`.
@Suite struct KS4ResultsFileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let listsFolder = repository.appendingPathComponent("data/dfe-ks4-qualifications-2019")

    static func lists() throws -> KS4QualificationTable { try KS4QualificationTable.read(folder: listsFolder) }

    // MARK: The worked examples as a long file

    /// `a8-p8-worked-examples.csv` written as the long file `headway ks4` reads (one row per
    /// subject, KS2 on every row), read back: the same pupils, KS2 and results.
    @Test func workedExamplesRoundTripThroughTheLongFile() throws {
        let examples = try SharedFiles.referenceRows("reference/a8-p8-worked-examples.csv")
        var csv = "pupil,subject,grade,ks2_reading,ks2_maths\n"
        var expected: [(id: String, reading: Int?, maths: Int?, results: [(String, String)])] = []
        for row in examples {
            let pairs = row["subjects_grades"]!.split(separator: ";").map { p -> (String, String) in
                let parts = p.split(separator: "=").map(String.init)
                return (parts[0], parts[1])
            }
            for (subject, grade) in pairs {
                csv += "\(row["pupil_id"]!),\(subject),\(grade),\(row["ks2_reading"]!),\(row["ks2_maths"]!)\n"
            }
            expected.append((row["pupil_id"]!, Int(row["ks2_reading"]!), Int(row["ks2_maths"]!), pairs))
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ks4-worked-\(UUID().uuidString).csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let result = KS4ResultsFile().read(contentsOf: file)
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.rowsRead == expected.reduce(0) { $0 + $1.results.count })
        #expect(result.rowsAccepted == result.rowsRead)
        #expect(result.pupils.map(\.id.rawValue) == expected.map(\.id))
        for (pupil, want) in zip(result.pupils, expected) {
            #expect(pupil.prior.readingScaledScore == want.reading, "\(want.id)")
            #expect(pupil.prior.mathsScaledScore == want.maths, "\(want.id)")
            #expect(pupil.results.map { $0.subject! } == want.results.map(\.0), "\(want.id)")
            #expect(pupil.results.map(\.grade.code) == want.results.map(\.1), "\(want.id)")
            for r in pupil.results {
                #expect(r.category == KS4Category(subjectKey: r.subject!))
                #expect(r.qualificationNumber == nil && r.discountCode == nil)
            }
        }
        let p01 = result.pupils[0].results
        #expect(p01[3].grade == KS4Grade(code: "6-5", hundredths: 550, slots: 2))
        let p08 = result.pupils[7].results
        #expect(p08[0].grade.code == "U" && p08[0].grade.isTaken && p08[0].grade.hundredths == 0)
    }

    // MARK: Bad rows

    @Test func badRowsAreReportedWithLineColumnValueAndReason() throws {
        let result = KS4ResultsFile().read(contentsOf: Fixtures.url("ks4/bad-rows.csv"))
        let errors = result.issues.filter(\.isError)
        #expect(errors.map(\.line) == [5, 6, 7, 8, 9, 10, 11, 13, 16, 17])
        func issue(_ line: Int) -> ImportIssue? { result.issues.first { $0.line == line } }
        #expect(issue(5)?.code == .missingValue && issue(5)?.column == "pupil")
        #expect(issue(6)?.code == .unknownSubject && issue(6)?.value == "english")
        #expect(issue(6)?.reason.contains("english_language or english_literature") == true)
        #expect(issue(7)?.code == .missingValue && issue(7)?.column == "grade")
        #expect(issue(8)?.code == .offScale && issue(8)?.value == "5-7")
        #expect(issue(9)?.code == .offScale && issue(9)?.reason.contains("qualification_number") == true)
        #expect(issue(10)?.code == .offScale && issue(10)?.value == "10")
        #expect(issue(11)?.code == .invalidScaledScore && issue(11)?.column == "ks2_reading" && issue(11)?.value == "121")
        #expect(issue(13)?.code == .conflictingPupil && issue(13)?.reason == "pupil A3 has KS2 reading 101 on an earlier row")
        #expect(issue(16)?.code == .fieldCount)
        #expect(issue(17)?.code == .missingValue && issue(17)?.column == "subject")
        let warnings = result.issues.filter { !$0.isError }
        #expect(warnings.map(\.code) == [.duplicateEntry] && warnings.first?.line == 15)
        #expect(issue(8)?.description == "bad-rows.csv:8: column \"grade\" value \"5-7\": not a combined science grade: expected a pair from 9-9 to 1-1, equal or adjacent with the higher first (e.g. 6-5), U, or X"
            || issue(8)?.description.hasSuffix("ks4/bad-rows.csv:8: column \"grade\" value \"5-7\": not a combined science grade: expected a pair from 9-9 to 1-1, equal or adjacent with the higher first (e.g. 6-5), U, or X") == true)

        #expect((result.rowsRead, result.rowsAccepted, result.rowsRejected) == (16, 6, 10))
        #expect(result.pupils.map(\.id.rawValue) == ["A1", "A3"])
        let a1 = result.pupils[0], a3 = result.pupils[1]
        #expect(a1.prior == PriorAttainment(readingScaledScore: 105, mathsScaledScore: 107))
        #expect(a1.results.map(\.label) == ["english_language", "english_literature", "maths"])
        #expect(a3.prior == PriorAttainment(readingScaledScore: 101, mathsScaledScore: nil))
        #expect(a3.results.map { "\($0.label)=\($0.grade.code)" } == ["art=4", "french=X", "french=6"])
        #expect(a3.results[1].grade.isTaken == false)
    }

    /// Any key Headway does not know counts in the open element (DfE: "any other qualification"),
    /// which is right for art and wrong for a typo of history: near-misses are warned about, and
    /// every open-only key is counted for the summary.
    @Test func openOnlySubjectsAreCountedAndNearMissesWarned() {
        let text = "pupil,subject,grade\nA,art,6\nA,hsitory,5\nB,art,4\nB,Drama,7\nB,mathmatics,5\nC,history,5\n"
        let result = KS4ResultsFile().read(name: "r.csv", contents: Data(text.utf8))
        #expect(result.openElementOnly.map(\.key) == ["art", "drama", "hsitory", "mathmatics"])
        #expect(result.openElementOnly.map(\.rows) == [2, 1, 1, 1])
        let warnings = result.issues.filter { $0.code == .unknownSubject }
        #expect(warnings.map(\.line) == [3, 6])
        #expect(warnings.allSatisfy { $0.severity == .warning && $0.column == "subject" })
        #expect(warnings.first?.reason.hasSuffix("did you mean history?") == true)
        #expect(warnings.last?.value == "mathmatics" && warnings.last?.reason.hasSuffix("did you mean mathematics?") == true)
        // Still counted, as the rules say: the typo is a warning, not a guess.
        #expect(result.pupils.first?.results.map(\.category) == [.other, .other])
    }

    @Test func spellingSuggestsOnlyNearWords() {
        #expect(Spelling.nearest("hsitory", in: ["history", "geography"]) == "history")
        #expect(Spelling.nearest("art", in: ["maths", "latin"]) == nil)
        #expect(Spelling.nearest("Pupil_ID", in: ["pupil_id", "upn"]) == nil)  // the same word in another case is not a typo
        #expect(Spelling.nearest("UPM", in: ["UPN", "DOB"]) == "UPN")
        #expect(Spelling.distance(Array("abcd"), Array("acbd")) == 1)
    }

    @Test func missingColumnsAreNamed() {
        let result = KS4ResultsFile().read(name: "r.csv", contents: Data("pupil,grade\nA,6\n".utf8))
        #expect(result.issues.map(\.code) == [.missingColumn])
        #expect(result.issues[0].reason.hasPrefix("the header has no column subject or qualification_number"))
        #expect(result.rowsRejected == 1 && result.pupils.isEmpty)
        let noKS2 = KS4ResultsFile().read(name: "r.csv", contents: Data("Pupil, Subject ,GRADE\nA,maths,6\n".utf8))
        #expect(noKS2.issues.map(\.severity) == [.warning, .warning])
        #expect(noKS2.pupils.first?.results.first?.category == .maths)
        #expect(noKS2.pupils.first?.prior.average == nil)
    }

    // MARK: Qualification numbers

    @Test func qualificationListsGiveCategoryPointsAndDiscountCode() throws {
        let table = try Self.lists()
        #expect(table.ks4Year == 2019)
        #expect(table.qualifications.count >= 506)
        #expect(table.source.hasPrefix("DfE KS4 qualification lists for the 2019 performance tables ("))
        let trilogy = try #require(table.qualification("6018758x"))
        #expect(trilogy.slots == 2 && trilogy.discountCode == "RA1E")
        #expect(trilogy.category(ks4Year: 2019) == .combinedScience)
        #expect(trilogy.grade("6-5") == KS4Grade(code: "6-5", hundredths: 550, slots: 2))
        #expect(trilogy.grade("65")?.hundredths == 550)
        #expect(trilogy.grades.count == 17)
        #expect(table.qualification("60142923")?.category(ks4Year: 2019) == .englishLanguage)
        #expect(table.qualification("60144476")?.category(ks4Year: 2019) == .englishLiterature)
        #expect(table.qualification("60146084")?.discountCode == "RB1")
        #expect(table.qualification("60183019")?.category(ks4Year: 2019) == .computerScience)
        #expect(table.qualification("60182179")?.category(ks4Year: 2019) == .history)
        #expect(table.qualification("60181345")?.category(ks4Year: 2019) == .geography)
        #expect(table.qualification("60311770")?.category(ks4Year: 2019) == .other)  // statistics: not EBacc
        let btec = try #require(table.qualification("60303955"))
        #expect(btec.grade("L2 Distinction*")?.hundredths == 850)
        #expect(btec.grade("*2")?.code == "L2 Distinction*")
        #expect(btec.grade("L1 pass")?.hundredths == 125)
        #expect(btec.category(ks4Year: 2019) == .other && btec.discountCode == "PA1")
        // A legacy GCSE: A* is 8.5, and it counts in the EBacc in 2019 but not after.
        let hebrew = try #require(table.qualification("50044394"))
        #expect(hebrew.grade("A*")?.hundredths == 850)
        #expect(hebrew.category(ks4Year: 2019) == .language && hebrew.category(ks4Year: 2021) == .other)
        // Several syllabuses with different codes: no single code, so discounting falls back to the QN.
        #expect(table.qualification("50026161")?.discountCodes.count == 5)
        #expect(table.qualification("50026161")?.discountCode == nil)
        #expect(table.discountCodeDescriptions["FK2B"] == "English Language")
    }

    /// The lists in the repository are the shared DfE files, unchanged.
    @Test func shippedListsAreTheSharedDfEFiles() throws {
        for name in ["performance-points.csv", "ebacc-qualifications.csv", "discount-codes.csv", "discount-code-descriptions.csv"] {
            let ours = try Data(contentsOf: Self.listsFolder.appendingPathComponent(name))
            let theirs = try Data(contentsOf: SharedFiles.url("data/dfe-ks4-qualifications-2019/\(name)"))
            #expect(ours == theirs, "\(name)")
        }
    }

    @Test func resultsByQualificationNumberUseTheLists() throws {
        let result = KS4ResultsFile(qualifications: try Self.lists()).read(contentsOf: Fixtures.url("ks4/qualification-numbers.csv"))
        #expect(result.separator == ";" && result.encoding == .utf8WithBOM)
        #expect(result.issues.filter(\.isError).map(\.line) == [12, 14, 15])
        #expect(result.issues.filter(\.isError).map(\.code) == [.offScale, .unknownQualification, .unknownQualification])
        #expect(result.issues.first { $0.line == 12 }?.reason.hasPrefix("not a grade of 60146084 (AQA Level 1/Level 2 GCSE (9-1) in Mathematics): expected one of 1, 2, 3") == true)
        let warning = try #require(result.issues.first { !$0.isError })
        #expect(warning.line == 13 && warning.code == .unknownQualification && warning.reason.hasSuffix("read by its subject instead"))

        let q1 = try #require(result.pupils.first)
        #expect(q1.prior == PriorAttainment(readingScaledScore: 105, mathsScaledScore: 107))
        #expect(q1.results.map(\.category) == [.englishLanguage, .englishLiterature, .maths, .combinedScience, .history, .language, .other, .other])
        #expect(q1.results.map { $0.discountCode ?? "-" } == ["FK2B", "FC4", "RB1", "RA1E", "DB", "FKF", "PA1", "RB71"])
        #expect(q1.results.map(\.grade.hundredths) == [600, 500, 700, 550, 600, 500, 850, 400])
        #expect(q1.results[3].qualificationNumber == "6018758X" && q1.results[3].grade.slots == 2)
        #expect(q1.results[6].subjectName == "Health and social care")
        #expect(q1.results[0].subjectName == "AQA Level 1/Level 2 GCSE (9-1) in English Language")
        #expect(q1.results[0].label == "60142923")

        let q2 = try #require(result.pupils.last)
        #expect(q2.results.map(\.label) == ["60142923", "60145754", "art", "50044394"])
        #expect(q2.results[0].overlaps(q2.results[1]), "two English language GCSEs share FK2B")
        #expect(q2.results[3].category == .language && q2.results[3].grade.hundredths == 850)
    }

    @Test func qualificationNumbersNeedTheLists() {
        let csv = Data("pupil,qualification_number,grade\nA,60142923,6\n".utf8)
        let result = KS4ResultsFile().read(name: "r.csv", contents: csv)
        let error = result.issues.first(where: \.isError)
        #expect(error?.code == .unknownQualification && error?.line == 2 && error?.column == "qualification_number")
        #expect(error?.reason.contains("--qualifications") == true)
        #expect(result.pupils.isEmpty)
    }
}
