import Foundation
import HeadwayCore
@testable import HeadwayImport
import Testing

/// `headway import results`'s reader: pupils matched by UPN or id, QN grades checked against the
/// DfE lists shipped in `data/dfe-ks4-qualifications-2019`, and every rejection named by line.
///
/// QNs used, with what the shipped lists say about them:
/// - `60142923` AQA GCSE (9-1) English Language: `performance-points.csv` grade 6 = 6 points;
///   `ebacc-qualifications.csv` sheet English (counts 2017–2021); discount code FK2B;
/// - `6018758X` AQA GCSE (9-1) Combined Science: Trilogy, type "GCSE (9-1) Full Course (Double
///   Award)": grade code 65 "Grade 6-5 (Double Award)" = 5.5 points in each of 2 slots; sheet
///   Science, indicator Double; discount code RA1E;
/// - `60303955` Pearson BTEC Tech Award in Health and Social Care: `*2` "L2 Distinction*" = 8.5
///   points, L2 Merit 5.5; not on the EBacc lists (open element only); discount code PA1;
/// - `60146084` AQA GCSE (9-1) Mathematics: grades 1–9 only (so `A*` is off its scale); RB1.
@Suite struct ExamResultsFileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func lists() throws -> KS4QualificationTable {
        try KS4QualificationTable.read(folder: repository.appendingPathComponent("data/dfe-ks4-qualifications-2019"))
    }

    /// The fictional Oakfield pupils of `Fixtures/grades.csv`: admission numbers with leading zeros.
    static let pupils = ExamResultsFile.KnownPupils([
        (id: "00123", upn: UPN("M856100125001")), (id: "00124", upn: UPN("B856100125002")), (id: "00125", upn: UPN("Q856100125003")),
    ])

    func read(_ text: String, lists: Bool = true) throws -> ExamResultsFile.Result {
        try ExamResultsFile(pupils: Self.pupils, qualifications: lists ? Self.lists() : nil, ks4Year: 2026)
            .read(name: "results.csv", contents: Data(text.utf8))
    }

    @Test func qnAndSubjectResultsAreReadWithTheDfEPoints() throws {
        let result = try read("""
            upn,pupil,candidate_number,qualification_number,subject,grade,date,series,subject_name,awarding_body
            M856100125001,,0042,60142923,,6,2026-08-20,June 2026,,AQA
            m856100125001,,0042,6018758x,,6/5,2026-08-20,June 2026,,AQA
            ,00123,0042,60303955,,L2 Distinction*,20/08/2026,June 2026,Health and social care,Pearson
            ,00124,0107,,Maths,5,2026-08-20,,,
            ,00124,0107,,combined science,4-4,2026-08-20,,,
            """)
        // The lower-case UPN is a warning (upper-cased), nothing else.
        #expect(result.issues.map(\.code) == [.upnWarning] && result.issues.first?.line == 3)
        #expect((result.rowsRead, result.rowsAccepted, result.rowsRejected) == (5, 5, 0))
        let r = result.results
        #expect(r.map(\.pupil) == ["00123", "00123", "00123", "00124", "00124"])
        #expect(r.map(\.resultKey) == ["60142923", "6018758X", "60303955", "maths", "combined_science"])
        // English language grade 6 = 6 points, one slot.
        #expect(r[0].ks4Grade == KS4Grade(code: "6", hundredths: 600))
        #expect(r[0].awardingBody == "AQA" && r[0].seriesName == "June 2026")
        // Trilogy 6-5: the grade as awarded is kept (6/5); the list's 5.5 points in each of 2 slots.
        #expect(r[1].grade == "6/5" && r[1].qualificationNumber == "6018758X")
        #expect(r[1].ks4Grade == KS4Grade(code: "6-5", hundredths: 550, slots: 2))
        // BTEC L2 Distinction* = 8.5; the dd/mm/yyyy date is the same series.
        #expect(r[2].ks4Grade?.hundredths == 850 && r[2].grade == "L2 Distinction*")
        #expect(r[2].series == CalendarDate(year: 2026, month: 8, day: 20) && r[2].subjectName == "Health and social care")
        // By subject: GCSE and combined-science scales.
        #expect(r[3].qualificationNumber == nil && r[3].subject == "maths" && r[3].ks4Grade?.hundredths == 500)
        #expect(r[4].ks4Grade == KS4Grade(code: "4-4", hundredths: 400, slots: 2))
        #expect(result.perQualification.map(\.key) == ["60142923", "6018758X", "60303955", "combined_science", "maths"])
        #expect(result.perQualification.first { $0.key == "60303955" }?.name == "Health and social care")
        #expect(result.perQualification.first { $0.key == "6018758X" }?.name == "AQA Level 1/Level 2 GCSE (9-1) in Combined Science: Trilogy")
    }

    @Test func identifiersKeepTheirLeadingZeros() throws {
        let result = try read("""
            pupil,candidate_number,subject,grade,date
            00125,0007,history,7,2026-08-20
            125,0008,history,7,2026-08-20
            """)
        #expect(result.results.count == 1)
        #expect(result.results.first?.pupil == "00125" && result.results.first?.candidateNumber == "0007")
        // 125 is not 00125: ids are text.
        let unknown = try #require(result.issues.first)
        #expect(unknown.code == .unknownPupil && unknown.line == 3 && unknown.column == "pupil" && unknown.value == "125")
    }

    @Test func anUnknownPupilIsAnErrorNamingTheLine() throws {
        // H801200001001 is a valid UPN (TestSupport's P001) but not one of this school's pupils.
        let result = try read("""
            upn,qualification_number,grade,date
            M856100125001,60146084,7,2026-08-20
            H801200001001,60146084,7,2026-08-20
            M856100125002,60146084,7,2026-08-20
            """)
        #expect(result.results.map(\.pupil) == ["00123"])
        let errors = result.errors
        #expect(errors.map(\.code) == [.unknownPupil, .invalidUPN])
        #expect(errors.map(\.line) == [3, 4])
        #expect(errors[0].description == "results.csv:3: column \"upn\" value \"H801200001001\": no pupil with this UPN at the school: import the pupil first, or check the UPN")
        #expect(errors[1].reason == "not a valid UPN: wrong check letter at character 1")
        #expect(result.rowsRejected == 2)
    }

    @Test func aDuplicateRejectsBothRowsNamingBothLines() throws {
        let result = try read("""
            upn,pupil,qualification_number,grade,date
            M856100125001,,60146084,7,2026-08-20
            ,00124,60146084,5,2026-08-20
            ,00123,60146084,8,2026-08-20
            ,00123,60146084,8,2025-11-12
            """)
        // Lines 2 and 4: the same pupil (by UPN, then by id), QN and series. The November re-sit
        // (line 5) is another series and is kept.
        let duplicate = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(duplicate.code == .duplicateEntry && duplicate.line == 4 && duplicate.column == "qualification_number" && duplicate.value == "60146084")
        #expect(duplicate.reason == "pupil 00123 has 60146084 in the 2026-08-20 series on line 2 too — both rows rejected: remove one")
        #expect(result.results.map { "\($0.pupil) \($0.series)" } == ["00124 2026-08-20", "00123 2025-11-12"])
        #expect((result.rowsAccepted, result.rowsRejected) == (2, 2))
    }

    @Test func badDatesAreRejected() throws {
        let result = try read("""
            pupil,subject,grade,date
            00123,maths,7,2026-02-30
            00123,history,7,20-08-2026
            00123,french,7,
            00123,art,7,2026-08-20
            """)
        #expect(result.errors.map(\.code) == [.invalidDate, .invalidDate, .missingValue])
        #expect(result.errors.map(\.line) == [2, 3, 4])
        #expect(result.errors.map(\.column) == ["date", "date", "date"])
        #expect(result.errors.first?.value == "2026-02-30")
        #expect(result.results.map(\.resultKey) == ["art"])
    }

    @Test func offScaleGradesAreRejected() throws {
        let result = try read("""
            pupil,qualification_number,subject,grade,date
            00123,,maths,10,2026-08-20
            00123,,combined_science,5-7,2026-08-20
            00123,60146084,,A*,2026-08-20
            00123,60303955,,L3 Distinction,2026-08-20
            00123,60303955,,L2 Merit,2026-11-12
            00123,,english,6,2026-08-20
            00123,,history,,2026-08-20
            """)
        #expect(result.errors.map(\.line) == [2, 3, 4, 5, 7, 8])
        #expect(result.errors.map(\.code) == [.offScale, .offScale, .offScale, .offScale, .unknownSubject, .missingValue])
        #expect(result.errors[2].reason.hasPrefix("not a grade of 60146084 (AQA Level 1/Level 2 GCSE (9-1) in Mathematics): expected one of 1, 2"))
        // L2 Merit is on the BTEC's list: 5.5 points.
        #expect(result.results.map(\.ks4Grade?.hundredths) == [550])
    }

    @Test func aQNNeedsTheListsOrASubject() throws {
        let text = """
            pupil,qualification_number,subject,grade,date
            00123,60146084,,7,2026-08-20
            00123,60146085,maths,7,2026-08-20
            """
        let without = try read(text, lists: false)
        #expect(without.errors.map(\.code) == [.unknownQualification] && without.errors.first?.line == 2)
        // A well-formed QN the lists do not know, with a subject: a warning; kept with its QN, read by subject.
        let with = try read(text)
        #expect(with.errors.isEmpty && with.warnings.map(\.code) == [.unknownQualification])
        #expect(with.results.map(\.resultKey) == ["60146084", "60146085"])
        #expect(with.results[1].subject == "maths" && with.results[1].ks4Grade?.hundredths == 700)
    }

    @Test func missingColumnsAreNamed() throws {
        let result = try read("candidate_number,subject,grade\n0042,maths,7\n")
        #expect(result.issues.map(\.code) == [.missingColumn])
        #expect(result.issues[0].column == "upn or pupil, date")
        #expect(result.rowsRejected == 1 && result.results.isEmpty)
    }

    /// Stored results (no points: the store keeps the grade as awarded) become KS4 results with
    /// the list's category, discount code and points, and each pupil's KS2.
    @Test func storedResultsBecomeKS4PupilsWithTheListsRules() throws {
        let date = CalendarDate(year: 2026, month: 8, day: 20)!
        let stored = [
            ExamResult(pupil: "00123", qualificationNumber: "6018758X", grade: "6-5", series: date),
            ExamResult(pupil: "00123", qualificationNumber: "60303955", grade: "L2 Distinction*", series: date),
            ExamResult(pupil: "00124", subject: "maths", grade: "5", series: date),
            ExamResult(pupil: "00124", qualificationNumber: "60146084", grade: "A*", series: date),
        ]
        let prior: [Pupil.ID: PriorAttainment] = ["00123": PriorAttainment(readingScaledScore: 104, mathsScaledScore: 99)]
        let input = ExamResultsFile.ks4Pupils(from: stored, prior: prior, qualifications: try Self.lists(), ks4Year: 2026)
        #expect(input.pupils.map(\.id) == ["00123", "00124"])
        let trilogy = input.pupils[0].results[0], btec = input.pupils[0].results[1]
        #expect(trilogy.category == .combinedScience && trilogy.discountCode == "RA1E" && trilogy.grade.totalHundredths == 1100)
        #expect(btec.category == .other && btec.discountCode == "PA1" && btec.grade.hundredths == 850)
        #expect(input.pupils[0].prior.average == 101.5)
        #expect(input.pupils[1].prior.average == nil)  // no KS2: in A8, not P8
        #expect(input.pupils[1].results.map(\.category) == [.maths])
        // A* is not a grade of 60146084: an error naming the pupil and series, the result left out.
        #expect(input.resultsUsed == 3 && input.resultsRejected == 1 && input.pupilsWithRejectedResults == ["00124"])
        #expect(input.issues.map(\.code) == [.offScale] && input.issues.first?.reason.hasPrefix("pupil 00124, 2026-08-20 series: not a grade of 60146084") == true)
    }
}
