import HeadwayAnalytics
import HeadwayCore
import Testing

/// Forecasts from predicted grades use the same rules as results: worked example P01
/// (shared/reference/a8-p8-worked-examples.csv) entered as a Year 11 pupil's predicted grades
/// gives A8 60 and P8 1.23 against the KS4 2023 table.
@Suite struct KS4ForecastTests {
    static func p01Year() -> (SchoolYear, DataCollection) {
        let year = AcademicYear(startYear: 2026)
        let subjects: [(String, String, KS4Category, GradeScale.ID, String)] = [
            ("EN", "English language", .englishLanguage, GradeScale.gcseID, "6"),
            ("EL", "English literature", .englishLiterature, GradeScale.gcseID, "5"),
            ("MA", "Maths", .maths, GradeScale.gcseID, "7"),
            ("CS", "Combined science", .combinedScience, GradeScale.combinedScienceID, "6-5"),
            ("HI", "History", .history, GradeScale.gcseID, "6"),
            ("FR", "French", .language, GradeScale.gcseID, "5"),
            ("AR", "Art", .other, GradeScale.gcseID, "7"),
            ("MU", "Music", .other, GradeScale.gcseID, "4"),
            ("PE", "Core PE", .other, GradeScale.gcseID, "X"),
        ]
        let pupil = Pupil(id: "P01", yearGroup: 11, priorAttainment: PriorAttainment(readingScaledScore: 105, mathsScaledScore: 107))
        let other = Pupil(id: "P02", yearGroup: 9)  // not in Years 10–11: no forecast
        let collection = DataCollection(id: "DC1", name: "DC1", academicYear: year, yearGroups: [9, 11], sequence: 1)
        let assessments = subjects.map { s in
            Assessment(pupil: "P01", subject: Subject.ID(s.0), collection: "DC1",
                       predicted: GradeScale.builtIn[s.3]!.value(stored: s.4))
        }
        return (SchoolYear(
            school: School(id: "T", name: "Test"), academicYear: year,
            subjects: subjects.map { Subject(id: Subject.ID($0.0), name: $0.1, scale: $0.3, ks4Category: $0.2) },
            pupils: [pupil, other], collections: [collection], assessments: assessments), collection)
    }

    @Test func predictedGradesOfWorkedExampleP01() throws {
        let (schoolYear, collection) = Self.p01Year()
        let forecasts = KS4Forecast.compute(YearIndex(schoolYear), collection: collection)
        #expect(forecasts.map(\.yearGroup) == [11])
        let forecast = try #require(forecasts.first)
        #expect(forecast.cohortYear == 2027)
        #expect(forecast.pupilsWithFewerThanEight == 0)  // 8 graded results (PE's X is not one)
        let measures = try #require(forecast.cohort.pupils.first)
        #expect(measures.attainment8.totalHundredths == 6000)
        #expect(measures.progress8?.overall.roundedText == "1.23")
        #expect(forecast.cohort.school.count == 1)
    }
}

@Suite struct WhatIfTests {
    /// P01 with French predicted 8 instead of 5: French (EBacc-eligible) takes an EBacc slot —
    /// EBacc French 8 + history 6 + combined science 5.5 = 19.5; open art 7 + combined science 5.5
    /// + English literature 5 = 17.5; A8 = 12 + 14 + 19.5 + 17.5 = 63; P8 = (63 − 47.68) ÷ 10 = 1.532.
    @Test func changingOnePredictedGradeMovesA8AndP8() throws {
        let (year, collection) = KS4ForecastTests.p01Year()
        let changed = try WhatIf.apply(year, pupil: "P01", subject: "FR", grade: "8")
        let after = try #require(KS4Forecast.compute(YearIndex(changed), collection: collection).first?.cohort.pupils.first)
        #expect(after.attainment8.totalHundredths == 6300)
        #expect(after.progress8?.overall.roundedText == "1.53")
        // The original is untouched.
        #expect(KS4Forecast.compute(YearIndex(year), collection: collection).first?.cohort.pupils.first?.attainment8.totalHundredths == 6000)
    }

    @Test func offScaleOrUnknownChangesAreRefused() {
        let (year, _) = KS4ForecastTests.p01Year()
        #expect(throws: WhatIf.Problem.self) { try WhatIf.apply(year, pupil: "P01", subject: "FR", grade: "10") }
        #expect(throws: WhatIf.Problem.self) { try WhatIf.apply(year, pupil: "NOPE", subject: "FR", grade: "5") }
        #expect(throws: WhatIf.Problem.self) { try WhatIf.apply(year, pupil: "P01", subject: "NOPE", grade: "5") }
    }
}
