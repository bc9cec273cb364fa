import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

/// Intervention impact (issue 6, item 4): matched difference in differences with a 95% interval,
/// on hand-built cohorts whose answer is known from how they were built or worked out by hand.
@Suite struct InterventionImpactTests {
    // MARK: Building cohorts

    /// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator, so a cohort is the
    /// same on every run and platform.
    struct Dice {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform on [0, 1).
        mutating func uniform() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
        /// Standard normal (Box–Muller).
        mutating func normal() -> Double {
            let u = max(uniform(), 1e-12), v = uniform()
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
    }

    static func day(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    static func gcse(_ code: String) -> EntryValue { GradeScale.gcse.value(stored: code) }
    static func percent(_ x: Double) -> EntryValue { GradeScale.percentage.value(stored: String(format: "%.1f", x)) }

    /// Year 10's three collections: DC1 deadline 2026-11-13, DC2 2027-02-12, DC3 2027-04-30.
    static let collections = [
        DataCollection(id: "DC1", name: "Autumn", academicYear: Fixtures.year, yearGroups: [10], sequence: 1, deadline: day("2026-11-13")),
        DataCollection(id: "DC2", name: "Spring", academicYear: Fixtures.year, yearGroups: [10], sequence: 2, deadline: day("2027-02-12")),
        DataCollection(id: "DC3", name: "Summer", academicYear: Fixtures.year, yearGroups: [10], sequence: 3, deadline: day("2027-04-30")),
    ]

    static let subjects = [
        Subject(id: "MA", name: "Mathematics", scale: GradeScale.gcseID),
        Subject(id: "EN", name: "English", scale: GradeScale.gcseID),
        Subject(id: "PC", name: "Percentage test", scale: GradeScale.percentageID),
    ]

    static func year(pupils: [Pupil], assessments: [Assessment], targets: [Target] = [], calendar: SchoolCalendar? = nil,
                     collections: [DataCollection] = InterventionImpactTests.collections,
                     subjects: [Subject] = InterventionImpactTests.subjects) -> SchoolYear {
        return SchoolYear(school: School(id: "T", name: "Test School"), academicYear: Fixtures.year, subjects: subjects,
                          staff: [Staff(id: "JSM", forename: "Jo", surname: "Smith")], pupils: pupils, collections: collections,
                          assessments: assessments, targets: targets, calendar: calendar)
    }

    /// From DC1 (before: 2026-11-13 ≤ 16 Nov) to DC2 (after: the first dated on or after 5 Feb).
    static func intervention(_ id: Intervention.ID = "INT-1", type: InterventionType = .tutoring, pupils: [Pupil.ID],
                             subjects: [Subject.ID] = ["MA"], starts: String = "2026-11-16", ends: String? = "2027-02-05",
                             cost: Int? = nil, pupilPremium: Bool = false) -> Intervention {
        Intervention(id: id, type: type, title: "Y10 \(type.words)", owner: "JSM", pupils: pupils, subjects: subjects,
                     starts: day(starts), ends: ends.map(day), costPence: cost, fundedByPupilPremium: pupilPremium)
    }

    /// KS2 scaled scores giving each band: low (95), middle (105), high (115).
    static let ks2: [PriorAttainment] = [95, 105, 115].map { PriorAttainment(readingScaledScore: $0, mathsScaledScore: $0) }

    /// 60 treated and 300 comparison pupils on a 0–100 scale (steps of 0.1), each in a KS2 band
    /// (uniform) and a starting whole point 50 + k. Everyone's DC1 → DC2 change is
    /// 1.0 + 0.4·k + N(0, 1) noise, plus `effect` for the treated. The treated are chosen from
    /// lower starts (k in 0–2; the others 0–4), so a plain difference of means is biased by
    /// 0.4 × (1 − 2) = −0.4 and only matching on the starting band recovers `effect`.
    static func cohort(effect: Double, seed: UInt64) -> (year: SchoolYear, treated: [Pupil.ID]) {
        var dice = Dice(state: seed)
        var pupils: [Pupil] = [], assessments: [Assessment] = [], treated: [Pupil.ID] = []
        for i in 0..<360 {
            let isTreated = i < 60
            let id = Pupil.ID((isTreated ? "T" : "C") + String(format: "%03d", i))
            let band = min(2, Int(dice.uniform() * 3))
            let k = min(isTreated ? 2 : 4, Int(dice.uniform() * (isTreated ? 3 : 5)))
            let before = 50 + Double(k) + Double(min(9, Int(dice.uniform() * 10))) / 10
            let change = 1.0 + 0.4 * Double(k) + dice.normal() + (isTreated ? effect : 0)
            pupils.append(Pupil(id: id, yearGroup: 10, priorAttainment: ks2[band]))
            assessments.append(Assessment(pupil: id, subject: "PC", collection: "DC1", workingAt: percent(before)))
            assessments.append(Assessment(pupil: id, subject: "PC", collection: "DC2", workingAt: percent(before + change)))
            if isTreated { treated.append(id) }
        }
        return (year(pupils: pupils, assessments: assessments), treated)
    }

    static let grade = InterventionImpact.Settings(outcome: .grade)

    // MARK: (a)–(c) known effect, null, tiny group

    /// Built with an effect of 1.0: the 95% interval contains 1.0 and lies above zero, every
    /// treated pupil is matched (each of the 9 treated strata has ~20 comparison pupils), and
    /// the plain difference of means (biased by about −0.4, see ``cohort(effect:seed:)``) is further
    /// from 1.0 than the matched estimate. One entry per pupil: the cluster-robust variance is a
    /// heteroskedasticity-robust one, and its Welch–Satterthwaite df lies between
    /// min(G_T − 1, G_C − 1) and (G_T − 1) + (G_C − 1).
    @Test func aKnownEffectIsRecoveredWithinItsInterval() throws {
        let (year, treated) = Self.cohort(effect: 1.0, seed: 2026)
        let impact = InterventionImpact.measure(Self.intervention(pupils: treated, subjects: ["PC"]), in: YearIndex(year), settings: Self.grade)
        let o = impact.overall
        let ci = try #require(o.interval)
        #expect(ci.contains(1.0), "\(ci)")
        #expect(ci.lowerBound > 0)
        #expect(impact.verdict == .measured(.aboveZero))
        #expect(o.treatedPupils == 60 && o.treatedEntries == 60 && o.matchedPupils == 60 && o.unmatchedEntries == 0 && o.excludedEntries == 0)
        // Comparison pupils starting at 53 or 54 share no stratum with a treated pupil (k ≤ 2).
        let startsBelow53 = year.assessments.filter { $0.pupil.rawValue.hasPrefix("C") && $0.collection == "DC1" && $0.workingAt!.points! < 53 }
        #expect(o.comparisonPupils == startsBelow53.count && o.comparisonEntries == startsBelow53.count)
        #expect(impact.periods == [InterventionImpact.Period(yearGroup: 10, before: "DC1", beforeDate: Self.day("2026-11-13"),
                                                             after: "DC2", afterDate: Self.day("2027-02-12"))])
        // 9 strata (3 KS2 bands × starts 50–52); G_T = 60 pupils, G_C = the comparison pupils.
        #expect(o.strata == 9)
        let df = try #require(o.degreesOfFreedom)
        #expect(df >= min(60, o.comparisonPupils) - 1 && df <= (60 - 1) + (o.comparisonPupils - 1), "\(df)")
        let (vT, vC, se) = (try #require(o.varianceTreated), try #require(o.varianceComparison), try #require(o.standardError))
        #expect(abs(se * se - (vT + vC)) < 1e-12)

        let changes = Dictionary(uniqueKeysWithValues: year.pupils.map { p in
            (p.id, year.assessments.filter { $0.pupil == p.id }.sorted { $0.collection < $1.collection }.compactMap(\.workingAt?.points))
        }).mapValues { $0[1] - $0[0] }
        let plain = treated.map { changes[$0]! }.reduce(0, +) / 60 - year.pupils.filter { $0.id.rawValue.hasPrefix("C") }.map { changes[$0.id]! }.reduce(0, +) / 300
        let matched = try #require(o.effect)
        #expect(abs(matched - 1.0) < abs(plain - 1.0), "matched \(matched) vs plain \(plain)")
        // One subject: the per-subject row is the overall one.
        #expect(impact.bySubject.count == 1 && impact.bySubject[0].effect == o.effect && impact.bySubject[0].subject == "PC")
    }

    /// Built with no effect: the interval spans zero.
    @Test func aNullCohortGivesAnIntervalSpanningZero() throws {
        let (year, treated) = Self.cohort(effect: 0, seed: 7)
        let impact = InterventionImpact.measure(Self.intervention(pupils: treated, subjects: ["PC"]), in: YearIndex(year), settings: Self.grade)
        let ci = try #require(impact.overall.interval)
        #expect(ci.contains(0), "\(ci)")
        #expect(impact.verdict == .measured(.spansZero))
    }

    /// 5 treated pupils (< 10): too few to judge — counts and means, no effect or interval; with
    /// the minimum lowered to 5 the same pupils are measured.
    @Test func aTinyGroupIsTooFewToJudge() throws {
        let (year, treated) = Self.cohort(effect: 1.0, seed: 2026)
        let index = YearIndex(year)
        let small = Self.intervention(pupils: Array(treated.prefix(5)), subjects: ["PC"])
        let impact = InterventionImpact.measure(small, in: index, settings: Self.grade)
        #expect(impact.verdict == .tooFewToJudge)
        #expect(impact.overall.matchedPupils == 5)
        #expect(impact.overall.effect == nil && impact.overall.interval == nil && impact.overall.degreesOfFreedom == nil)
        #expect(impact.overall.meanChangeTreated != nil && impact.overall.meanChangeComparison != nil)
        let lowered = InterventionImpact.measure(small, in: index, settings: .init(outcome: .grade, minimumPupils: 5))
        #expect(lowered.overall.effect != nil)
        if case .measured = lowered.verdict {} else { Issue.record("expected a measured verdict, got \(lowered.verdict)") }
    }

    // MARK: (d), (f) an example worked by hand; exclusions and unmatched entries

    /// Year 10 maths, all KS2 middle (105) unless said, DC1 → DC2 in grades.
    ///
    /// Stratum A (start 4): treated T1–T3 change +2, +1, +3 (mean 2); comparison C1–C4
    /// change 0, +1, +1, +2 (mean 1). Stratum B (start 6): treated T4, T5 change +1, +2
    /// (mean 1.5); comparison C5–C7 change 0, 0, +1 (mean 1/3).
    /// N_T = 5, w_A = 3/5, w_B = 2/5. Mean treated = 0.6·2 + 0.4·1.5 = 1.8; mean comparison =
    /// 0.6·1 + 0.4·(1/3) = 11/15; effect = 1.8 − 11/15 = 16/15.
    ///
    /// Cluster-robust variance (one entry per pupil here). Treated, u_p = (y − ȳ_Cₛ − effect)/5:
    /// differences from the stratum's comparison mean y − ȳ_Cₛ are T1 2 − 1 = 1, T2 0, T3 2,
    /// T4 1 − 1/3 = 2/3, T5 5/3 (their mean is the effect: (1 + 0 + 2 + 2/3 + 5/3)/5 = 16/15);
    /// minus 16/15: T1 −1/15, T2 −16/15, T3 +14/15, T4 −6/15, T5 +9/15 (sum 0); u = those / 5
    /// = −1/75, −16/75, +14/75, −6/75, +9/75; Σu² = (1 + 256 + 196 + 36 + 81)/5625 = 570/5625
    /// = 38/375; G_T = 5, V_T = (5/4)(38/375) = 19/150. (Against the strata's treated means it was
    /// 1/8: this form also counts how far each stratum's treated − comparison difference, 1 in A
    /// and 7/6 in B, lies from the effect.)
    /// Comparison, v_q = (wₛ/n_Cₛ)(y − ȳ_Cₛ): in A the factor is (3/5)/4 = 3/20, deviations
    /// −1, 0, 0, +1 → C1 −3/20, C2 0, C3 0, C4 +3/20; in B the factor is (2/5)/3 = 2/15,
    /// deviations −1/3, −1/3, +2/3 → C5 −2/45, C6 −2/45, C7 +4/45.
    /// Σv² = 9/400 + 9/400 + (4 + 4 + 16)/2025 = 243/5400 + 64/5400 = 307/5400; G_C = 7,
    /// V_C = (7/6)(307/5400) = 2149/32400.
    /// Var = 19/150 + 2149/32400 = 4104/32400 + 2149/32400 = 6253/32400 = 0.192994, √Var = 0.439311.
    /// df = Var² / (V_T²/4 + V_C²/6) = 0.0372466 / (0.00401111 + 0.00073322) = 7.851 → 7,
    /// t(7) = 2.365 → 16/15 ± 2.365 × 0.439311 = 1.0667 ± 1.0390 = +0.028 to +2.106: above
    /// zero. (The old pooled-variance interval, ±1.137 on df 8, spanned zero: with five treated
    /// pupils either answer rests on very little, which is why the default minimum is 10.)
    ///
    /// Also: T6 starts at 8, where no comparison pupil is (unmatched); T7 has X at DC2, T8 no
    /// DC1 entry, T9 Z at DC1, T10 an off-scale value at DC2 (excluded, one reason each).
    /// C8 starts at 4 but is KS2 low (another stratum), C9 starts at 5 (no treated there), C10
    /// has X at DC2: none of them is a comparison entry. Everyone also has English entries,
    /// which an intervention about maths leaves out.
    static func handWorked() -> SchoolYear {
        let middle = ks2[1]
        var pupils: [Pupil] = [], assessments: [Assessment] = []
        func add(_ id: Pupil.ID, _ dc1: EntryValue?, _ dc2: EntryValue?, ks2: PriorAttainment? = middle) {
            pupils.append(Pupil(id: id, yearGroup: 10, priorAttainment: ks2))
            if let dc1 { assessments.append(Assessment(pupil: id, subject: "MA", collection: "DC1", workingAt: dc1)) }
            if let dc2 { assessments.append(Assessment(pupil: id, subject: "MA", collection: "DC2", workingAt: dc2)) }
            assessments.append(Assessment(pupil: id, subject: "EN", collection: "DC1", workingAt: gcse("5")))
            assessments.append(Assessment(pupil: id, subject: "EN", collection: "DC2", workingAt: gcse("5")))
        }
        add("T1", gcse("4"), gcse("6")); add("T2", gcse("4"), gcse("5")); add("T3", gcse("4"), gcse("7"))
        add("T4", gcse("6"), gcse("7")); add("T5", gcse("6"), gcse("8"))
        add("T6", gcse("8"), gcse("9"))
        add("T7", gcse("5"), .notAssessed); add("T8", nil, gcse("5")); add("T9", .notRequired, gcse("5")); add("T10", gcse("5"), .offScale("A*"))
        add("C1", gcse("4"), gcse("4")); add("C2", gcse("4"), gcse("5")); add("C3", gcse("4"), gcse("5")); add("C4", gcse("4"), gcse("6"))
        add("C5", gcse("6"), gcse("6")); add("C6", gcse("6"), gcse("6")); add("C7", gcse("6"), gcse("7"))
        add("C8", gcse("4"), gcse("9"), ks2: ks2[0]); add("C9", gcse("5"), gcse("9")); add("C10", gcse("4"), .notAssessed)
        return year(pupils: pupils, assessments: assessments)
    }

    static let treatedByHand: [Pupil.ID] = (1...10).map { Pupil.ID("T\($0)") }

    @Test func handWorkedExampleToTheLastDigit() throws {
        let index = YearIndex(Self.handWorked())
        let settings = InterventionImpact.Settings(outcome: .grade, minimumPupils: 2)
        let impact = InterventionImpact.measure(Self.intervention(pupils: Self.treatedByHand), in: index, settings: settings)
        let o = impact.overall
        let effect = 16.0 / 15, vT = 19.0 / 150, vC = 2149.0 / 32400, variance = 6253.0 / 32400, half = 2.365 * variance.squareRoot()
        let (gotEffect, gotSE) = (try #require(o.effect), try #require(o.standardError))
        #expect(abs(gotEffect - effect) < 1e-9)
        #expect(abs(gotSE - variance.squareRoot()) < 1e-9)
        #expect(abs((o.varianceTreated ?? .nan) - vT) < 1e-9 && abs((o.varianceComparison ?? .nan) - vC) < 1e-9)
        #expect(o.degreesOfFreedom == 7)
        let ci = try #require(o.interval)
        #expect(abs(ci.lowerBound - (effect - half)) < 1e-9 && abs(ci.upperBound - (effect + half)) < 1e-9)
        #expect(String(format: "%+.3f to %+.3f", ci.lowerBound, ci.upperBound) == "+0.028 to +2.106")
        let (meanT, meanC) = (try #require(o.meanChangeTreated), try #require(o.meanChangeComparison))
        #expect(abs(meanT - 1.8) < 1e-9)
        #expect(abs(meanC - 11.0 / 15) < 1e-9)
        #expect(impact.verdict == .measured(.aboveZero))

        // Counts: 10 treated entries = 5 matched + 1 unmatched + 4 excluded; 7 comparison pupils.
        #expect(o.treatedPupils == 10 && o.treatedEntries == 10)
        #expect(o.matchedPupils == 5 && o.matchedEntries == 5 && o.unmatchedEntries == 1)
        #expect(o.excluded == [.notAssessedAfter: 1, .blankBefore: 1, .notRequiredBefore: 1, .offScaleAfter: 1])
        #expect(o.treatedEntries == o.matchedEntries + o.unmatchedEntries + o.excludedEntries)
        #expect(o.comparisonPupils == 7 && o.comparisonEntries == 7 && o.strata == 2)
        // Strata listed: A, B and the unmatched start-8 cell, in starting-band order.
        #expect(impact.strata.map(\.startingBand) == [4, 6, 8])
        #expect(impact.strata.map(\.treated.count) == [3, 2, 1])
        #expect(impact.strata.map(\.comparison.count) == [4, 3, 0])
        #expect(impact.strata.allSatisfy { $0.priorAttainment == .middle && $0.subject == "MA" })
        #expect(impact.bySubject.map(\.subject) == ["MA"])

        // With no subjects named, English counts too: 10 more entries, all changing by 0 against
        // comparison changes of 0 (start 5, middle band; C8 is KS2 low and not in that stratum):
        // the English effect is exactly 0, and T8 (who has English entries) is measured there.
        // Every deviation is 0, so Var = 0 and Welch–Satterthwaite is 0/0: df falls back to
        // min(G_T, G_C) − 1 = min(10, 9) − 1 = 8 and the interval is the single point 0.
        let all = InterventionImpact.measure(Self.intervention(pupils: Self.treatedByHand, subjects: []), in: index, settings: settings)
        #expect(all.overall.treatedEntries == 20)
        let english = try #require(all.bySubject.first { $0.subject == "EN" })
        #expect(english.matchedEntries == 10 && english.comparisonPupils == 9)
        #expect(english.effect == 0)
        #expect(english.standardError == 0 && english.degreesOfFreedom == 8 && english.interval == 0...0)
        #expect(english.verdict == .measured(.spansZero))
        #expect(all.bySubject.first { $0.subject == "MA" }?.effect == o.effect)
        // Asking about maths only (Settings.subjects) gives the maths intervention's figures.
        let mathsOnly = InterventionImpact.Settings(outcome: .grade, minimumPupils: 2, subjects: ["MA"])
        let filtered = InterventionImpact.measure(Self.intervention(pupils: Self.treatedByHand, subjects: []), in: index, settings: mathsOnly)
        #expect(filtered.overall == o)
    }

    /// The residual removes the flight path's climb. Year 10 with three collections sits at
    /// checkpoints 9 and 10 of 15 on the linear path 0.5T + 0.5T·i/14: target 7 → 5.75 then 6.0;
    /// target 5 → 4.1071 then 4.2857 (a climb of 5/28).
    /// Treated R1 (target 7) 5 → 6: residual −0.75 → 0, change +0.75; R2 (target 5) 4 → 5:
    /// change 1 − 5/28. Comparison Q1 (target 7) 5 → 5: change −0.25; Q2 (target 5) 4 → 4:
    /// change −5/28. All start in band ⌊−0.75⌋ = ⌊−0.107⌋ = −1, KS2 unknown: one stratum.
    /// Effect = ((0.75 + 1 − 5/28) − (−0.25 − 5/28)) / 2 = 1. On each side the two changes
    /// differ by 1/14, so each deviates from its side's mean by ±1/28 (one stratum: ȳ_C + effect
    /// is the treated mean, so measuring treated changes against it is the same). Treated: u = ±(1/28)/2 =
    /// ±1/56, V_T = (2/1)(2/56²) = 1/784. Comparison (w = 1, n_C = 2): v = ±1/56, V_C = 1/784.
    /// Var = 2/784 = 1/392; df = (1/392)² / ((1/784)²/1 + (1/784)²/1) = 2, t = 4.303.
    /// R3 has no target: excluded.
    @Test func residualOutcomeRemovesTheExpectedClimb() throws {
        let pupils = ["R1", "R2", "R3", "Q1", "Q2"].map { Pupil(id: Pupil.ID($0), yearGroup: 10) }
        let grades: [(Pupil.ID, String, String)] = [("R1", "5", "6"), ("R2", "4", "5"), ("R3", "4", "5"), ("Q1", "5", "5"), ("Q2", "4", "4")]
        let assessments = grades.flatMap { p, a, b in
            [Assessment(pupil: p, subject: "MA", collection: "DC1", workingAt: Self.gcse(a)),
             Assessment(pupil: p, subject: "MA", collection: "DC2", workingAt: Self.gcse(b))]
        }
        let targets = [("R1", "7"), ("R2", "5"), ("Q1", "7"), ("Q2", "5")].map {
            Target(pupil: Pupil.ID($0.0), subject: "MA", grade: Self.gcse($0.1), method: .imported)
        }
        let year = Self.year(pupils: pupils, assessments: assessments, targets: targets)
        let impact = InterventionImpact.measure(Self.intervention(pupils: ["R1", "R2", "R3"]), in: YearIndex(year),
                                                settings: .init(outcome: .residual, minimumPupils: 2))
        let o = impact.overall
        #expect(impact.outcome == .residual)
        let climb: Double = 5.0 / 28
        let expectedT: Double = (0.75 + 1 - climb) / 2, expectedC: Double = (-0.25 - climb) / 2
        let (meanT, meanC, effect) = (try #require(o.meanChangeTreated), try #require(o.meanChangeComparison), try #require(o.effect))
        #expect(abs(meanT - expectedT) < 1e-9)
        #expect(abs(meanC - expectedC) < 1e-9)
        #expect(abs(effect - 1) < 1e-9)
        let half = 4.303 * (1.0 / 392).squareRoot()
        let ci = try #require(o.interval)
        #expect(abs(ci.lowerBound - (1 - half)) < 1e-9 && abs(ci.upperBound - (1 + half)) < 1e-9)
        #expect(o.excluded == [.noTarget: 1])
        #expect(impact.strata.map(\.startingBand) == [-1] && impact.strata[0].priorAttainment == nil)
        #expect(impact.verdict == .measured(.aboveZero))
    }

    // MARK: (e) before and after from the calendar

    /// DC1 2026-11-13 and DC3 2027-04-30 from the collections; DC2's Year 10 deadline comes from
    /// the calendar window (2027-02-12) although the collection itself says 2027-03-01; a DC4
    /// with no date anywhere cannot be placed.
    static func calendarYear(dc3Entered: Bool = true) -> SchoolYear {
        var collections = Self.collections
        collections[1].deadline = day("2027-03-01")
        collections.append(DataCollection(id: "DC4", name: "Undated", academicYear: Fixtures.year, yearGroups: [10], sequence: 4))
        let window = CollectionWindow(collection: "DC2", yearGroup: 10, opens: day("2027-02-01"), deadline: day("2027-02-12"),
                                      locks: day("2027-02-19"), publishes: day("2027-02-26"))
        let calendar = SchoolCalendar(academicYear: Fixtures.year, collectionWindows: [window])
        let ids: [DataCollection.ID] = dc3Entered ? ["DC1", "DC2", "DC3", "DC4"] : ["DC1", "DC2", "DC4"]
        let assessments = ids.map { Assessment(pupil: "P1", subject: "MA", collection: $0, workingAt: gcse("5")) }
        return year(pupils: [Pupil(id: "P1", yearGroup: 10)], assessments: assessments, calendar: calendar, collections: collections)
    }

    @Test func beforeAndAfterComeFromTheDatesIncludingTheBoundaryDays() throws {
        let context = InterventionImpact.Context(YearIndex(Self.calendarYear()), settings: Self.grade)
        #expect(context.datedCollections(yearGroup: 10).map(\.collection.id) == ["DC1", "DC2", "DC3"])
        #expect(context.datedCollections(yearGroup: 10).map(\.date) == ["2026-11-13", "2027-02-12", "2027-04-30"].map(Self.day))
        func place(_ starts: String, _ ends: String?) -> String {
            switch context.placement(starts: Self.day(starts), ends: ends.map(Self.day), yearGroup: 10) {
            case .success(let p): "\(p.before)→\(p.after)"
            case .failure(let u): u.reason.rawValue
            }
        }
        #expect(place("2026-11-13", "2027-02-12") == "DC1→DC2")  // start on DC1's deadline day; end on DC2's (calendar) deadline day
        #expect(place("2026-11-14", "2027-02-13") == "DC1→DC3")  // a day later each: DC2 is now the first after the end
        #expect(place("2026-11-12", "2027-02-01") == "no_collection_before")  // starts before the first collection
        #expect(place("2027-02-12", "2027-02-28") == "DC2→DC3")  // the collection's own 1 March deadline is not used for Year 10
        #expect(place("2026-11-13", "2026-11-13") == "DC1→DC2")  // a one-day intervention on a deadline day: after is the next
        #expect(place("2027-03-01", "2027-05-01") == "no_collection_after")  // DC4 has no date: it cannot be after
        #expect(place("2026-12-01", nil) == "ongoing")
    }

    @Test func ongoingOrNotYetCollectedIsNotYetMeasurable() throws {
        let context = InterventionImpact.Context(YearIndex(Self.calendarYear(dc3Entered: false)), settings: Self.grade)
        let ongoing = context.measure(Self.intervention(pupils: ["P1"], starts: "2026-12-01", ends: nil))
        #expect(ongoing.verdict == .notYetMeasurable("it is ongoing (no end date yet)"))
        #expect(ongoing.overall.excluded == [.ongoing: 1])
        let waiting = context.measure(Self.intervention(pupils: ["P1"], starts: "2027-02-12", ends: "2027-03-20"))
        #expect(waiting.verdict == .notYetMeasurable("DC3 (2027-04-30), the first Year 10 collection after its end, has no grades entered yet"))
        let beyond = context.measure(Self.intervention(pupils: ["P1"], starts: "2027-02-12", ends: "2027-06-01"))
        #expect(beyond.verdict == .notYetMeasurable("no Year 10 collection is dated on or after its end, 2027-06-01, yet"))
        // Starting before any collection can never be measured: excluded, not "not yet".
        let early = context.measure(Self.intervention(pupils: ["P1"], starts: "2026-09-10", ends: "2027-01-10"))
        #expect(early.verdict == .tooFewToJudge && early.overall.excluded == [.noCollectionBefore: 1])
        // A pupil not on roll is counted per named subject.
        let stranger = context.measure(Self.intervention(pupils: ["P1", "GONE"], subjects: ["MA", "EN"], starts: "2026-11-13", ends: "2027-02-12"))
        #expect(stranger.overall.excluded[.notOnRoll] == 2 && stranger.overall.excluded[.notStudied] == 1)
    }

    /// The explicit form: a group from DC1 to DC2, comparison everyone else.
    @Test func anExplicitGroupUsesTheGivenCollections() throws {
        let context = InterventionImpact.Context(YearIndex(Self.handWorked()), settings: .init(outcome: .grade, minimumPupils: 2))
        let group = context.measure(group: Set(Self.treatedByHand), label: "tutored", from: "DC1", to: "DC2", subjects: ["MA"])
        let logged = context.measure(Self.intervention(pupils: Self.treatedByHand))
        #expect(group.overall == logged.overall)
        #expect(group.label == "tutored" && group.interventions.isEmpty)
        let later = context.measure(group: Set(Self.treatedByHand), label: "tutored", from: "DC1", to: "DC3", subjects: ["MA"])
        #expect(later.verdict == .notYetMeasurable("DC3 has no grades entered for Year 10 yet"))
    }

    // MARK: (g) pupil premium summary

    /// Two tutoring interventions (£480.00 funded by the pupil premium for T1–T5; £120.50 not,
    /// for T4–T7) and one uncosted mentoring for T1 and C1. Tutoring reached T1–T7: 7 pupils, of
    /// whom T1, T3 and T5 are disadvantaged (3); spend 60050p, 48000p of it pupil premium; cost
    /// per pupil 60050 / 7 = 8578.57 → 8579p. Total: 8 pupils (T1–T7, C1), 4 disadvantaged
    /// (C1 too), 60050p, 7506.25 → 7506p per pupil. Pooled tutoring impact: T1–T7's maths,
    /// T4 and T5 once each; comparison pupils are those in no tutoring (C1 counts: mentoring
    /// is another type).
    @Test func pupilPremiumSummarySumsSpendAndCountsDistinctPupils() throws {
        var year = Self.handWorked()
        for i in year.pupils.indices where ["T1", "T3", "T5", "C1"].contains(year.pupils[i].id) {
            year.pupils[i].characteristics[Characteristic.disadvantaged] = "true"
        }
        let interventions = [
            Self.intervention("INT-1", pupils: ["T1", "T2", "T3", "T4", "T5"], cost: 48000, pupilPremium: true),
            Self.intervention("INT-2", pupils: ["T4", "T5", "T6", "T7"], cost: 12050),
            Self.intervention("INT-3", type: .mentoring, pupils: ["T1", "C1"], subjects: []),
        ]
        let context = InterventionImpact.Context(YearIndex(year), settings: .init(outcome: .grade, minimumPupils: 2))
        let summary = PupilPremiumSummary(interventions, context: context)
        #expect(summary.lines.map(\.type) == [.mentoring, .tutoring])
        let tutoring = summary.lines[1]
        #expect(tutoring.interventions == 2 && tutoring.uncosted == 0)
        #expect(tutoring.spendPence == 60050 && tutoring.pupilPremiumPence == 48000)
        #expect(tutoring.pupilsReached == 7 && tutoring.disadvantagedReached == 3)
        #expect(tutoring.costPerPupilPence == 8579)
        let mentoring = summary.lines[0]
        #expect(mentoring.uncosted == 1 && mentoring.spendPence == 0 && mentoring.costPerPupilPence == 0)
        #expect(mentoring.pupilsReached == 2 && mentoring.disadvantagedReached == 2)
        #expect(summary.total.pupilsReached == 8 && summary.total.disadvantagedReached == 4)
        #expect(summary.total.spendPence == 60050 && summary.total.pupilPremiumPence == 48000 && summary.total.costPerPupilPence == 7506)
        #expect(summary.total.impact == nil)

        // Pooled: the 7 tutored pupils' maths entries once each (T4, T5 are in both with the same
        // period); 5 measured in strata A/B as in the hand-worked example, T6 unmatched, T7 X.
        let pooled = try #require(tutoring.impact)
        #expect(pooled.interventions == ["INT-1", "INT-2"])
        #expect(pooled.overall.treatedEntries == 7 && pooled.overall.matchedEntries == 5 && pooled.overall.unmatchedEntries == 1)
        #expect(pooled.overall.excluded == [.notAssessedAfter: 1])
        #expect(pooled.overall.comparisonPupils == 7)  // C1–C7 (C1 is in mentoring only)
        #expect(abs((pooled.overall.effect ?? .nan) - 16.0 / 15) < 1e-9)
    }

    /// Two tutoring interventions pooled, maths, KS2 middle for all. INT-A (16 Nov – 5 Feb)
    /// measures DC1 → DC2 for P1, P2; INT-B (15 Feb – 20 Apr) measures DC2 → DC3 for P1, P3. P1
    /// is in both: two entries, one cluster. Grades DC1, DC2, DC3:
    /// P1 5, 7, 8; P2 5, 6, 6; P3 8, 7, 9; Q1 5, 7, 7; Q2 5, 5, 5; Q3 8, 7, 8.
    ///
    /// Stratum 1 (DC1 → DC2, start 5): treated P1 +2, P2 +1 (mean 1.5); comparison Q1 +2, Q2 0
    /// (mean 1). Stratum 2 (DC2 → DC3, start 7): treated P1 +1, P3 +2 (mean 1.5); comparison
    /// Q1 0, Q3 +1 (mean 0.5). (Q2 starts DC2 on 5 and Q3 starts DC1 on 8: no treated there.)
    /// N_T = 4, w₁ = w₂ = 1/2; effect = ½(1.5 − 1) + ½(1.5 − 0.5) = 0.75.
    /// Treated, u_p = Σ (y − ȳ_Cₛ − 0.75)/4: P1 stratum 1 2 − 1 − 0.75 = +0.25, stratum 2
    /// 1 − 0.5 − 0.75 = −0.25, so u = (0.25 − 0.25)/4 = 0; P2 (1 − 1 − 0.75)/4 = −3/16; P3
    /// (2 − 0.5 − 0.75)/4 = +3/16; Σu² = 18/256 = 9/128, G_T = 3, V_T = (3/2)(9/128) = 27/256.
    /// (Were P1's two entries two pupils, u = +1/16, −1/16, −3/16, +3/16: Σu² = 20/256 over 4 clusters,
    /// (4/3)(20/256) = 5/48 = 26.67/256 — not the same.)
    /// Comparison, factor wₛ/n_Cₛ = (1/2)/2 = 1/4 in both: Q1 (1/4)(+1) + (1/4)(−0.5) = +0.125,
    /// Q2 (1/4)(−1) = −0.25, Q3 (1/4)(+0.5) = +0.125; Σv² = (1 + 4 + 1)/64 = 3/32, G_C = 3,
    /// V_C = (3/2)(3/32) = 9/64 = 36/256. Var = 63/256, √Var = √63/16 = 0.496078.
    /// df = (63/256)² / ((27/256)²/2 + (36/256)²/2) = 3969 / ((729 + 1296)/2) = 3969/1012.5
    /// = 3.92 → 3, t(3) = 3.182: 0.75 ± 3.182 × 0.496078 = 0.75 ± 1.578521 = −0.829 to +2.329,
    /// spanning zero.
    @Test func aPupilInTwoPooledInterventionsIsOneCluster() throws {
        let grades: [(Pupil.ID, [String])] = [
            ("P1", ["5", "7", "8"]), ("P2", ["5", "6", "6"]), ("P3", ["8", "7", "9"]),
            ("Q1", ["5", "7", "7"]), ("Q2", ["5", "5", "5"]), ("Q3", ["8", "7", "8"]),
        ]
        let pupils = grades.map { Pupil(id: $0.0, yearGroup: 10, priorAttainment: Self.ks2[1]) }
        let assessments = grades.flatMap { p, g in
            zip(["DC1", "DC2", "DC3"] as [DataCollection.ID], g).map { Assessment(pupil: p, subject: "MA", collection: $0, workingAt: Self.gcse($1)) }
        }
        let interventions = [
            Self.intervention("INT-A", pupils: ["P1", "P2"]),
            Self.intervention("INT-B", pupils: ["P1", "P3"], starts: "2027-02-15", ends: "2027-04-20"),
        ]
        let context = InterventionImpact.Context(YearIndex(Self.year(pupils: pupils, assessments: assessments)),
                                                 settings: .init(outcome: .grade, minimumPupils: 2))
        let summary = PupilPremiumSummary(interventions, context: context)
        #expect(summary.lines.map(\.type) == [.tutoring] && summary.lines[0].pupilsReached == 3)
        let pooled = try #require(summary.lines[0].impact)
        #expect(pooled.periods.map(\.label) == ["Y10 DC1 → DC2", "Y10 DC2 → DC3"])
        let o = pooled.overall
        #expect(o.matchedEntries == 4 && o.matchedPupils == 3 && o.comparisonEntries == 4 && o.comparisonPupils == 3 && o.strata == 2)
        #expect(abs((o.effect ?? .nan) - 0.75) < 1e-9)
        #expect(abs((o.varianceTreated ?? .nan) - 27.0 / 256) < 1e-9)
        #expect(abs((o.varianceComparison ?? .nan) - 9.0 / 64) < 1e-9)
        #expect(abs((o.standardError ?? .nan) - (63.0 / 256).squareRoot()) < 1e-9)
        #expect(o.degreesOfFreedom == 3)
        let half = 3.182 * (63.0 / 256).squareRoot(), ci = try #require(o.interval)
        #expect(abs(ci.lowerBound - (0.75 - half)) < 1e-9 && abs(ci.upperBound - (0.75 + half)) < 1e-9)
        #expect(String(format: "%+.3f to %+.3f", ci.lowerBound, ci.upperBound) == "-0.829 to +2.329")
        #expect(o.verdict == .measured(.spansZero))
        // One subject: the maths row is the overall row, P1 still one cluster.
        #expect(pooled.bySubject.count == 1 && pooled.bySubject[0].standardError == o.standardError)
    }

    /// Every stratum holds one treated entry — common when a few dozen pupils are matched on a
    /// residual band — and each still adds its spread to V_T. Year 10 maths DC1 → DC2, KS2 middle
    /// for all, grades (before → after):
    /// start 4: T1 4 → 7 (+3), C1, C2 4 → 5 (+1, +1; mean 1), T1's difference y − ȳ_C = 2;
    /// start 5: T2 5 → 6 (+1), C3 5 → 5 (0), C4 5 → 7 (+2; mean 1), difference 0;
    /// start 6: T3 6 → 8 (+2), C5, C6 6 → 6 (0, 0; mean 0), difference 2;
    /// start 7: T4 7 → 8 (+1), C7, C8 7 → 8 (+1, +1; mean 1), difference 0.
    /// N_T = 4, wₛ = 1/4: effect = (2 + 0 + 2 + 0)/4 = 1.
    /// Treated, u = (y − ȳ_Cₛ − 1)/4 = +1/4, −1/4, +1/4, −1/4; Σu² = 4/16 = 1/4, G_T = 4,
    /// V_T = (4/3)(1/4) = 1/3. (Each entry is its stratum's treated mean: measured against that,
    /// every u would be 0 and V_T = 0.)
    /// Comparison, factor wₛ/n_Cₛ = (1/4)/2 = 1/8; only C3 (−1) and C4 (+1) deviate from their
    /// stratum's mean: v = ∓1/8, Σv² = 2/64 = 1/32, G_C = 8, V_C = (8/7)(1/32) = 1/28.
    /// Var = 1/3 + 1/28 = 31/84 = 0.369048, √Var = 0.607493; df = (31/84)² / ((1/3)²/3 + (1/28)²/7)
    /// = 0.136196 / (0.0370370 + 0.0001822) = 3.659 → 3, t(3) = 3.182: 1 ± 1.933042 = −0.933 to
    /// +2.933, spanning zero — four pupils whose differences are 2, 0, 2, 0 do not show an effect.
    /// (With V_T = 0 the interval would have been 1 ± 2.365 × √(1/28) = +0.553 to +1.447 on df 7:
    /// "measurable".)
    @Test func aStratumWithOneTreatedEntryStillAddsItsSpread() throws {
        let grades: [(Pupil.ID, String, String)] = [
            ("T1", "4", "7"), ("C1", "4", "5"), ("C2", "4", "5"),
            ("T2", "5", "6"), ("C3", "5", "5"), ("C4", "5", "7"),
            ("T3", "6", "8"), ("C5", "6", "6"), ("C6", "6", "6"),
            ("T4", "7", "8"), ("C7", "7", "8"), ("C8", "7", "8"),
        ]
        let pupils = grades.map { Pupil(id: $0.0, yearGroup: 10, priorAttainment: Self.ks2[1]) }
        let assessments = grades.flatMap { p, a, b in
            [Assessment(pupil: p, subject: "MA", collection: "DC1", workingAt: Self.gcse(a)),
             Assessment(pupil: p, subject: "MA", collection: "DC2", workingAt: Self.gcse(b))]
        }
        let impact = InterventionImpact.measure(Self.intervention(pupils: ["T1", "T2", "T3", "T4"]),
                                                in: YearIndex(Self.year(pupils: pupils, assessments: assessments)),
                                                settings: .init(outcome: .grade, minimumPupils: 2))
        #expect(impact.strata.map(\.startingBand) == [4, 5, 6, 7] && impact.strata.allSatisfy { $0.treated.count == 1 && $0.comparison.count == 2 })
        let o = impact.overall
        #expect(o.matchedPupils == 4 && o.matchedEntries == 4 && o.comparisonPupils == 8 && o.strata == 4)
        #expect(abs((o.effect ?? .nan) - 1) < 1e-9)
        #expect(abs((o.varianceTreated ?? .nan) - 1.0 / 3) < 1e-9)
        #expect(abs((o.varianceComparison ?? .nan) - 1.0 / 28) < 1e-9)
        #expect(abs((o.standardError ?? .nan) - (31.0 / 84).squareRoot()) < 1e-9)
        #expect(o.degreesOfFreedom == 3)
        let half = 3.182 * (31.0 / 84).squareRoot(), ci = try #require(o.interval)
        #expect(abs(ci.lowerBound - (1 - half)) < 1e-9 && abs(ci.upperBound - (1 + half)) < 1e-9)
        #expect(String(format: "%+.3f to %+.3f", ci.lowerBound, ci.upperBound) == "-0.933 to +2.933")
        #expect(impact.verdict == .measured(.spansZero))
    }

    // MARK: (h) several correlated entries per pupil

    /// 40 treated and 200 comparison Year 10 pupils, all KS2 middle, each studying 8 subjects
    /// (percentage scale) and starting on 50.0–50.9 in each, so there are 8 strata (one per
    /// subject), every treated entry matched. Each pupil's DC1 → DC2 change in subject j is
    /// 1.0 + shock_p + noise_pj (+ `effect` if treated), shock_p ~ N(0, 1) shared by all 8 of the
    /// pupil's subjects, noise ~ N(0, 0.5²): within a pupil the changes correlate at
    /// 1 / (1 + 0.25) = 0.8, so 8 entries carry little more information than one. An intervention
    /// naming no subject (mentoring) covers all 8.
    static func clusteredCohort(effect: Double, seed: UInt64, shock: Double = 1) -> (year: SchoolYear, treated: [Pupil.ID]) {
        var dice = Dice(state: seed)
        let subjects = (1...8).map { Subject(id: Subject.ID("S\($0)"), name: "Subject \($0)", scale: GradeScale.percentageID) }
        var pupils: [Pupil] = [], assessments: [Assessment] = [], treated: [Pupil.ID] = []
        for i in 0..<240 {
            let isTreated = i < 40
            let id = Pupil.ID((isTreated ? "T" : "C") + String(format: "%03d", i))
            pupils.append(Pupil(id: id, yearGroup: 10, priorAttainment: ks2[1]))
            let pupilShock = shock * dice.normal()
            for subject in subjects {
                let before = 50 + Double(min(9, Int(dice.uniform() * 10))) / 10
                // Rounded to the scale's 0.1 steps at both ends, so the change the code reads is this one.
                let change = ((1.0 + pupilShock + 0.5 * dice.normal() + (isTreated ? effect : 0)) * 10).rounded() / 10
                assessments.append(Assessment(pupil: id, subject: subject.id, collection: "DC1", workingAt: percent(before)))
                assessments.append(Assessment(pupil: id, subject: subject.id, collection: "DC2", workingAt: percent(before + change)))
            }
            if isTreated { treated.append(id) }
        }
        return (year(pupils: pupils, assessments: assessments, subjects: subjects), treated)
    }

    /// The standard error the old method's assumption gives — every entry its own cluster (the
    /// same formula with each entry a "pupil"): V_T = N/(N − 1) Σ_e ((y_e − ȳ_Cₛ − effect)/N)²,
    /// V_C = M/(M − 1) Σ_c ((wₛ/n_Cₛ)(y_c − ȳ_Cₛ))², effect = Σ wₛ (ȳ_Tₛ − ȳ_Cₛ), recomputed
    /// from the assessments here. Strata are subjects (one starting band, one KS2 band).
    static func entriesAsIndependentStandardError(_ year: SchoolYear, treated: Set<Pupil.ID>) -> Double {
        var changes: [String: (t: [Double], c: [Double])] = [:]
        let dc1 = Dictionary(year.assessments.filter { $0.collection == "DC1" }.map { ("\($0.pupil)|\($0.subject)", $0.workingAt!.points!) },
                             uniquingKeysWith: { a, _ in a })
        for a in year.assessments where a.collection == "DC2" {
            let change = a.workingAt!.points! - dc1["\(a.pupil)|\(a.subject)"]!
            if treated.contains(a.pupil) { changes[a.subject.rawValue, default: ([], [])].t.append(change) } else { changes[a.subject.rawValue, default: ([], [])].c.append(change) }
        }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        let n = Double(changes.values.map(\.t.count).reduce(0, +)), m = Double(changes.values.map(\.c.count).reduce(0, +))
        let effect = changes.values.map { Double($0.t.count) / n * (mean($0.t) - mean($0.c)) }.reduce(0, +)
        var sumT = 0.0, sumC = 0.0
        for (t, c) in changes.values {
            let (mc, factor) = (mean(c), Double(t.count) / n / Double(c.count))
            sumT += t.map { ($0 - mc - effect) / n * ($0 - mc - effect) / n }.reduce(0, +)
            sumC += c.map { factor * ($0 - mc) * factor * ($0 - mc) }.reduce(0, +)
        }
        return (n / (n - 1) * sumT + m / (m - 1) * sumC).squareRoot()
    }

    /// With a shared pupil-level shock the cluster-robust interval is much wider than the one that
    /// counts 320 treated entries as independent (the design effect is about 1 + 7 × 0.8 = 6.6, so
    /// about 2.6 times the standard error; asserted > 1.8). A null cohort's interval spans zero; the
    /// same cohort with +1 for the treated is detected, with the interval moved by exactly 1 (the
    /// shift moves every treated change and the effect by 1 and no comparison change, so no
    /// y − ȳ_Cₛ − effect or y − ȳ_Cₛ changes, and Var and df are unchanged).
    /// Without the shock the entries are independent and the two standard errors agree (within 25%).
    @Test func correlatedEntriesOfOnePupilWidenTheInterval() throws {
        let mentoring = { (treated: [Pupil.ID]) in Self.intervention(type: .mentoring, pupils: treated, subjects: []) }
        let (null, treated) = Self.clusteredCohort(effect: 0, seed: 11)
        let nullImpact = InterventionImpact.measure(mentoring(treated), in: YearIndex(null), settings: Self.grade)
        let o = nullImpact.overall
        #expect(o.matchedPupils == 40 && o.matchedEntries == 320 && o.comparisonPupils == 200 && o.comparisonEntries == 1600 && o.strata == 8)
        let ci = try #require(o.interval), se = try #require(o.standardError)
        #expect(ci.contains(0), "\(ci)")
        #expect(nullImpact.verdict == .measured(.spansZero))
        let naive = Self.entriesAsIndependentStandardError(null, treated: Set(treated))
        #expect(se > 1.8 * naive, "cluster-robust \(se) vs entries as independent \(naive)")
        // df: between min(G_T, G_C) − 1 = 39 and 39 + 199 — far fewer than the 1,920 entries.
        let df = try #require(o.degreesOfFreedom)
        #expect(df >= 39 && df <= 238, "\(df)")

        let (real, _) = Self.clusteredCohort(effect: 1, seed: 11)
        let realImpact = InterventionImpact.measure(mentoring(treated), in: YearIndex(real), settings: Self.grade)
        let r = realImpact.overall
        let realCI = try #require(r.interval)
        #expect(realImpact.verdict == .measured(.aboveZero))
        #expect(realCI.contains(1.0), "\(realCI)")
        #expect(abs((r.effect ?? .nan) - ((o.effect ?? .nan) + 1)) < 1e-6)
        #expect(abs(realCI.lowerBound - (ci.lowerBound + 1)) < 1e-6 && abs(realCI.upperBound - (ci.upperBound + 1)) < 1e-6)
        #expect(r.degreesOfFreedom == o.degreesOfFreedom)

        let (independent, _) = Self.clusteredCohort(effect: 0, seed: 11, shock: 0)
        let plain = InterventionImpact.measure(mentoring(treated), in: YearIndex(independent), settings: Self.grade).overall
        let plainNaive = Self.entriesAsIndependentStandardError(independent, treated: Set(treated))
        let ratio = (plain.standardError ?? .nan) / plainNaive
        #expect(ratio > 0.75 && ratio < 1.25, "\(ratio)")
    }
}
