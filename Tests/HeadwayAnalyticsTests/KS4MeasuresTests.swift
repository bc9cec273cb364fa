import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

/// EBacc entry and APS, basics, discounting, X and U, rounding and the P8 availability label, on
/// cases worked by hand from `dfe-rules.md` §1–§3.
@Suite struct KS4MeasuresTests {
    static func results(_ spec: String) -> [KS4Result] {
        spec.split(separator: ";").map { pair in
            let p = pair.split(separator: "=").map(String.init)
            return KS4Result(pupil: "T", subject: p[0], grade: WorkedExample.grade(subject: p[0], p[1]))
        }
    }

    // MARK: EBacc

    @Test func ebaccEntryAndAPSForAFullEBaccPupil() {
        // P01: both Englishes, maths, combined science, history, French.
        let e = EBacc.compute(Self.results("english_language=6;english_literature=5;maths=7;combined_science=6-5;history=6;french=5;art=7;music=4"))
        #expect(e.entered)
        #expect(e.slotHundredths == [600, 700, 550, 550, 600, 500])  // English 6, maths 7, science 5.5 + 5.5, history 6, French 5
        #expect(e.totalHundredths == 3_500)
        #expect(abs(e.averagePointScore - 35.0 / 6) < 1e-12)
    }

    @Test func ebaccEnglishPillarNeedsBothEnglishes() {
        // P02: literature only — no English pillar (APS English slot 0); triple science counts its best two.
        let e = EBacc.compute(Self.results("english_literature=5;maths=5;biology=5;chemistry=4;physics=4;geography=5;pe=6;design_technology=4;religious_studies=3"))
        #expect(!e.english && e.maths && e.science && e.humanity && !e.language)
        #expect(!e.entered)
        #expect(e.slotHundredths == [0, 500, 500, 400, 500, 0])
        #expect(abs(e.averagePointScore - 19.0 / 6) < 1e-12)
    }

    @Test func singleSciencesCountOnlyWhenThreeOfFourWereTaken() {
        // P11: combined science 7-7 and computer science 8 alone — CS is one single science, so
        // the science slots are combined science's 7 + 7.
        let p11 = EBacc.compute(Self.results("english_language=7;maths=7;combined_science=7-7;history=6;spanish=5;business=6;computer_science=8"))
        #expect(p11.slotHundredths == [0, 700, 700, 700, 600, 500])
        #expect(abs(p11.averagePointScore - 32.0 / 6) < 1e-12)
        #expect(!p11.entered)  // language only
        // Two single sciences and no combined: no science pillar, science slots 0.
        let two = EBacc.compute(Self.results("english_language=6;english_literature=6;maths=6;biology=9;chemistry=9;history=6;french=6"))
        #expect(!two.science && !two.entered)
        #expect(two.slotHundredths == [600, 600, 0, 0, 600, 600])
        // Three singles: the pillar is met and the best two count.
        let three = EBacc.compute(Self.results("english_language=6;english_literature=6;maths=6;biology=9;chemistry=7;computer_science=8;history=6;french=6"))
        #expect(three.entered)
        #expect(three.slotHundredths == [600, 600, 900, 800, 600, 600])
        // Combined 4-4 with three singles: the best two of all of them.
        let both = EBacc.compute(Self.results("combined_science=4-4;biology=9;chemistry=8;physics=7"))
        #expect(both.slotHundredths[2...3] == [900, 800])
    }

    @Test func xIsNotAnEntryButUIs() {
        let x = EBacc.compute(Self.results("english_language=5;english_literature=X;maths=U;combined_science=2-1;geography=3;french=2"))
        #expect(!x.english, "literature X: not taken")
        #expect(x.maths, "maths U: taken")
        #expect(!x.entered)
        let u = EBacc.compute(Self.results("english_language=U;english_literature=1;maths=U;combined_science=1-1;geography=U;french=U"))
        #expect(u.entered, "every pillar taken, U included")
        #expect(u.slotHundredths == [100, 0, 100, 100, 0, 0])
    }

    // MARK: Basics

    @Test func basicsTakeEitherEnglish() {
        let p02 = Basics.compute(Self.results("english_literature=5;maths=5"))
        #expect(p02.standardPass && p02.strongPass)
        let boundary = Basics.compute(Self.results("english_language=3;english_literature=4;maths=4"))
        #expect(boundary.standardPass && !boundary.strongPass)
        let noMaths = Basics.compute(Self.results("english_language=5;english_literature=6;geography=4"))  // P10
        #expect(!noMaths.standardPass && noMaths.mathsHundredths == nil)
        let mathsU = Basics.compute(Self.results("english_language=U;english_literature=1;maths=U"))  // P08
        #expect(!mathsU.standardPass && mathsU.mathsHundredths == 0)
        let absent = Basics.compute(Self.results("english_language=X;maths=9"))
        #expect(!absent.standardPass && absent.englishHundredths == nil)
    }

    @Test func cohortPercentagesAreOverEveryPupil() {
        let cohort = KS4Cohort(WorkedExample.all.map(\.pupil), estimates: .ks4_2023)
        // Entered: P01, P03, P05 (P05 = P01's results), P12? P12 has no humanity? It has geography and spanish.
        let entered = cohort.pupils.filter(\.ebacc.entered).map(\.id.rawValue)
        #expect(entered == ["P01", "P03", "P05", "P09", "P12"])
        #expect(abs(cohort.ebaccEntryPercent! - 500.0 / 12) < 1e-9)
        let fourPlus = cohort.pupils.filter(\.basics.standardPass).map(\.id.rawValue)
        #expect(fourPlus == ["P01", "P02", "P03", "P05", "P06", "P07", "P09", "P11", "P12"])
        let fivePlus = cohort.pupils.filter(\.basics.strongPass).map(\.id.rawValue)
        #expect(fivePlus == ["P01", "P02", "P03", "P05", "P06", "P09", "P11"])
    }

    // MARK: Attainment 8 rules beyond the worked examples

    @Test func sameSubjectTwiceCountsTheBetterOnce() {
        let a8 = Attainment8.compute(Self.results("french=5;french=7;maths=4"))
        #expect(a8.labels(.ebacc) == ["french"])
        #expect(a8.ebaccHundredths == 700)
        #expect(a8.unused.count == 1 && a8.unused[0].resultIndex == 0 && a8.unused[0].reason == .discounted(by: 1))
        #expect(a8.explanation.contains { $0.hasPrefix("Not counted: french 5 — discounted: overlaps french") })
    }

    @Test func sharedDiscountCodeCountsOnceDifferentCodesBoth() {
        func qn(_ number: String, _ code: String?, _ category: KS4Category, _ grade: String) -> KS4Result {
            KS4Result(pupil: "T", subject: nil, qualificationNumber: number, category: category, discountCode: code,
                      grade: KS4Grade.gcse(grade)!)
        }
        // Two qualifications sharing FKF (French): only the higher counts, whatever their subjects.
        let shared = Attainment8.compute([qn("60181576", "FKF", .language, "4"), qn("60000001", "FKF", .other, "6")])
        #expect(shared.totalHundredths == 600)
        #expect(shared.labels(.open) == ["60000001"])
        #expect(shared.unused.first?.reason == .discounted(by: 1))
        // Different codes: both count.
        let distinct = Attainment8.compute([qn("60181576", "FKF", .language, "4"), qn("60311770", "RB71", .other, "6")])
        #expect(distinct.totalHundredths == 1_000)
        // Codes decide over subject keys when both results carry codes.
        var a = KS4Result(pupil: "T", subject: "art", grade: KS4Grade.gcse("5")!)
        var b = KS4Result(pupil: "T", subject: "art", grade: KS4Grade.gcse("6")!)
        #expect(a.overlaps(b))
        a.discountCode = "JA2"; b.discountCode = "KJ1"
        #expect(!a.overlaps(b))
    }

    @Test func loneEnglishNeverMovesToOpen() {
        let a8 = Attainment8.compute(Self.results("english_literature=9;maths=5;art=2"))
        #expect(!a8.englishDoubleWeighted)
        #expect(a8.englishHundredths == 900)
        #expect(a8.labels(.open) == ["art"])
        #expect(a8.slots[1].isEmpty && a8.slots[1].hundredths == 0)
        // X literature is not taken: language single weighted.
        let x = Attainment8.compute(Self.results("english_language=6;english_literature=X;maths=5"))
        #expect(!x.englishDoubleWeighted && x.englishHundredths == 600)
        #expect(x.unused.map(\.reason) == [.notTaken])
        // The lower English never takes an EBacc slot, even with the EBacc element empty.
        let lower = Attainment8.compute(Self.results("english_language=9;english_literature=8;maths=5"))
        #expect(lower.labels(.ebacc).isEmpty && lower.labels(.open) == ["english_literature"])
    }

    @Test func englishTieGoesToLanguage() {
        let a8 = Attainment8.compute(Self.results("english_literature=4;english_language=4"))
        #expect(a8.content(a8.slots[0])?.label == "english_language")
        #expect(a8.labels(.open) == ["english_literature"])
    }

    @Test func noResultsScoreZero() {
        let a8 = Attainment8.compute([])
        #expect(a8.totalHundredths == 0 && a8.slots.allSatisfy(\.isEmpty) && a8.slots.count == 10)
        #expect(Progress8.compute(a8, prior: PriorAttainment(readingScaledScore: 100, mathsScaledScore: 100), estimates: .ks4_2023)?.overall.roundedText == "-3.63")
    }

    // MARK: Grades

    @Test func gradesParseAsTheDfEPointTables() throws {
        // gcse-point-scores.csv
        let rows = try SharedFiles.referenceRows("reference/gcse-point-scores.csv")
        for row in rows {
            let code = row["grade_code"]!
            if code.hasPrefix("legacy_") {
                let letter = code.dropFirst("legacy_".count).replacingOccurrences(of: "star", with: "*")
                #expect(KS4Grade.legacyGCSE(letter, ks4Year: 2016)?.hundredths == hundredths(row["points_legacy_2016"]!), "\(code)")
                #expect(KS4Grade.legacyGCSE(letter, ks4Year: 2019)?.hundredths == hundredths(row["points_legacy_2017_to_2019"]!), "\(code)")
            } else {
                #expect(KS4Grade.gcse(code)?.hundredths == hundredths(row["points_reformed_9to1_from_2017"]!), "\(code)")
            }
        }
        // combined-science-points.csv
        for row in try SharedFiles.referenceRows("reference/combined-science-points.csv") {
            let g = try #require(KS4Grade.combinedScience(row["grade_pair"]!), "\(row["grade_pair"]!)")
            #expect(g.hundredths == hundredths(row["points_per_slot"]!))
            #expect(g.totalHundredths == hundredths(row["points_if_both_slots_used"]!))
            #expect(g.slots == 2 && g.isTaken)
        }
        #expect(KS4Grade.combinedScience("6/5")?.code == "6-5")
        #expect(KS4Grade.combinedScience("5-6") == nil)
        #expect(KS4Grade.combinedScience("7-5") == nil)
        #expect(KS4Grade.combinedScience("-65") == nil)
        #expect(KS4Grade.gcse("x")?.isTaken == false)
        #expect(KS4Grade.gcse("10") == nil)
        #expect(KS4Grade(GradeScale.gcse.grade("6+")!).hundredths == 633)
    }

    // MARK: Progress 8

    @Test func roundingIsHalfAwayFromZeroOnExactValues() {
        // -1.495 (P04) and 2.305 (P01 maths) are where floating point rounds the wrong way.
        #expect(ProgressScore(differenceHundredths: -1_495, divisor: 10).roundedText == "-1.50")
        #expect(ProgressScore(differenceHundredths: 461, divisor: 2).roundedText == "2.31")
        #expect(ProgressScore(differenceHundredths: -79, divisor: 2).roundedText == "-0.40")
        #expect(ProgressScore(differenceHundredths: 898, divisor: 3).roundedText == "2.99")
        #expect(ProgressScore(differenceHundredths: 898, divisor: 3).exactText == "2.993333")
        #expect(ProgressScore(differenceHundredths: 600, divisor: 10).exactText == "0.6")
        #expect(ProgressScore(differenceHundredths: -4, divisor: 10).roundedText == "0.00")
        #expect(ProgressScore(differenceHundredths: -5, divisor: 10).roundedText == "-0.01")
    }

    @Test func pupilsWithOnlyOneKS2ScoreUseIt() throws {
        let a8 = Attainment8.compute(Self.results("maths=5"))
        let p = try #require(Progress8.compute(a8, prior: PriorAttainment(readingScaledScore: nil, mathsScaledScore: 104), estimates: .ks4_2023))
        #expect(p.estimate.group == 18)
        #expect(Progress8.compute(a8, prior: PriorAttainment(readingScaledScore: nil, mathsScaledScore: nil), estimates: .ks4_2023) == nil)
        // A totals-only table gives P8 without element scores.
        let early = try #require(Progress8.compute(a8, prior: PriorAttainment(readingScaledScore: 4, mathsScaledScore: 4), estimates: .ks4_2019Early))
        #expect(early.english == nil && early.overall.differenceHundredths == 1_000 - 3_051)
    }

    @Test func bandsFollowTheDfERule() {
        typealias Band = SchoolProgress8.Band
        #expect(Band(score: 0.5, lower: 0.01, upper: 0.99) == .wellAbove)
        #expect(Band(score: 0.49, lower: 0.01, upper: 0.97) == .above)
        #expect(Band(score: 0.6, lower: -0.1, upper: 1.3) == .average)
        #expect(Band(score: -0.3, lower: -0.5, upper: -0.1) == .below)
        #expect(Band(score: -0.5, lower: -0.9, upper: -0.1) == .wellBelow)
        #expect(Band(score: -0.4999, lower: -0.9, upper: -0.1) == .below)
        #expect(Band.wellBelow.rawValue == 5 && Band.wellAbove.description == "well above average")
    }

    @Test func schoolWithoutKS2PupilsHasNoScore() {
        let school = SchoolProgress8([nil, nil])
        #expect(school.count == 0 && school.pupilsWithoutKS2 == 2 && school.score == nil && school.band == nil)
        #expect(school.summary == "no pupils with KS2 (n = 0)")
    }

    // MARK: Availability

    @Test func availabilityTableIsTheReferenceCSV() throws {
        let rows = try SharedFiles.referenceRows("reference/p8-availability-by-ks4-year.csv")
        #expect(rows.count == KS4ProgressAvailability.table.count)
        for (row, year) in zip(rows, KS4ProgressAvailability.table) {
            #expect(String(year.ks4Year) == row["ks4_year"])
            #expect(String(year.ks2Year) == row["ks2_year"])
            #expect((year.isPublished ? "1" : "0") == row["p8_published"])
            #expect(String(year.priorBasis.rawValue) == row["prior_basis"])
            #expect(String(year.note.rawValue) == row["note_code"])
        }
        #expect(KS4ProgressAvailability.table.filter { !$0.isPublished }.map(\.ks4Year) == [2020, 2021, 2025, 2026])
    }

    @Test func p8IsLabelledAnEstimateWhereTheDfEPublishesNone() {
        for year in [2020, 2021, 2025, 2026] {
            let basis = ProgressBasis(estimates: .ks4_2023, cohortYear: year)
            #expect(basis.isEstimate)
            #expect(basis.label.hasPrefix("ESTIMATE: the DfE publishes no Progress 8 for KS4 \(year)"))
            #expect(basis.label.contains("KS4 2023"))
        }
        let own = ProgressBasis(estimates: .ks4_2023, cohortYear: 2023)
        #expect(!own.isEstimate && own.label == "Progress 8 against KS4 2023 national A8 estimates (DfE), KS4 2023")
        let later = ProgressBasis(estimates: .ks4_2023, cohortYear: 2024)
        #expect(later.isEstimate && later.label.contains("not the KS4 2024 cohort's own estimates"))
        #expect(ProgressBasis(estimates: .ks4_2023, cohortYear: 2031).isEstimate)
        #expect(!ProgressBasis(estimates: .ks4_2023, cohortYear: nil).isEstimate)
        // The cohort table marks every P8 row so.
        let cohort = KS4Cohort([WorkedExample.all[0].pupil], estimates: .ks4_2023, cohortYear: 2025)
        #expect(cohort.tableRows[0][KS4Cohort.tableHeader.firstIndex(of: "estimate_table")!].hasSuffix("(estimate)"))
        #expect(cohort.summaryLines[1].hasPrefix("ESTIMATE"))
    }
}
