import HeadwayAnalytics
import HeadwayCore
import Testing

/// Properties of Attainment 8 over seeded random cohorts (hand-rolled generator, no dependency):
/// the same seeds give the same pupils on every platform.
@Suite struct KS4PropertyTests {
    /// Subjects a random pupil draws from: both Englishes, maths, every kind of EBacc subject and
    /// open subjects, so that every slot rule is exercised.
    static let pool = [
        "english_language", "english_literature", "maths", "combined_science", "biology", "chemistry", "physics",
        "computer_science", "history", "geography", "french", "spanish", "latin", "art", "music", "drama", "pe",
        "business", "religious_studies", "media_studies", "statistics",
    ]

    static func randomGrade(_ subject: String, _ rng: inout SeededGenerator) -> KS4Grade {
        let roll = Int.random(in: 0..<20, using: &rng)
        if KS4Category(subjectKey: subject) == .combinedScience {
            if roll == 0 { return .absent(slots: 2) }
            if roll == 1 { return KS4Grade.combinedScience("U")! }
            let high = Int.random(in: 1...9, using: &rng)
            let low = high == 1 ? 1 : high - Int.random(in: 0...1, using: &rng)
            return KS4Grade.combinedScience("\(high)-\(low)")!
        }
        if roll == 0 { return .absent() }
        if roll == 1 { return KS4Grade.gcse("U")! }
        return KS4Grade.gcse(String(Int.random(in: 1...9, using: &rng)))!
    }

    /// A pupil with 0–14 results, sometimes repeating a subject (discounting).
    static func randomResults(_ rng: inout SeededGenerator) -> [KS4Result] {
        let count = Int.random(in: 0...14, using: &rng)
        return (0..<count).map { _ in
            let subject = pool.randomElement(using: &rng)!
            return KS4Result(pupil: "R", subject: subject, grade: randomGrade(subject, &rng))
        }
    }

    static let seeds: [UInt64] = [1, 2, 3, 2026, 0xDFE]

    @Test(arguments: seeds) func attainment8NeverExceedsNinety(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<2_000 {
            let a8 = Attainment8.compute(Self.randomResults(&rng))
            #expect(a8.totalHundredths <= 9_000)
            #expect(a8.englishHundredths <= 1_800 && a8.mathsHundredths <= 1_800)
            #expect(a8.ebaccHundredths <= 2_700 && a8.openHundredths <= 2_700)
            #expect(a8.qualificationsCounted <= 8)
        }
        // Ten 9s, both Englishes, triple science: exactly 90.
        let best = ["english_language", "english_literature", "maths", "biology", "chemistry", "physics", "history",
                    "french", "art", "music"].map { KS4Result(pupil: "R", subject: $0, grade: KS4Grade.gcse("9")!) }
        #expect(Attainment8.compute(best).total == 90)
    }

    @Test(arguments: seeds) func addingAQualificationNeverLowersAttainment8(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<2_000 {
            var results = Self.randomResults(&rng)
            let before = Attainment8.compute(results).totalHundredths
            let subject = Self.pool.randomElement(using: &rng)!
            let extra = KS4Result(pupil: "R", subject: subject, grade: Self.randomGrade(subject, &rng))
            results.insert(extra, at: Int.random(in: 0...results.count, using: &rng))
            let after = Attainment8.compute(results).totalHundredths
            #expect(after >= before, "adding \(subject) \(extra.grade.code) to \(results.map { "\($0.label)=\($0.grade.code)" })")
        }
    }

    @Test(arguments: seeds) func resultOrderNeverChangesAttainment8(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<2_000 {
            let results = Self.randomResults(&rng)
            let a = Attainment8.compute(results)
            let b = Attainment8.compute(results.shuffled(using: &rng))
            #expect(a.totalHundredths == b.totalHundredths)
            // Element totals too: ties only swap equal points between slots.
            #expect([a.englishHundredths, a.mathsHundredths, a.ebaccHundredths, a.openHundredths]
                == [b.englishHundredths, b.mathsHundredths, b.ebaccHundredths, b.openHundredths])
            #expect(a.englishDoubleWeighted == b.englishDoubleWeighted)
        }
    }

    /// The greedy order (EBacc first, then open) is optimal: no other choice of EBacc units gives
    /// more. Checked by trying every choice of at most three EBacc units, on pupils without a
    /// repeated subject (so discounting does not enter).
    @Test(arguments: seeds) func greedySlotFillingIsOptimal(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<500 {
            var seen = Set<String>()
            let results = Self.randomResults(&rng).filter { seen.insert($0.subject!).inserted }
            let a8 = Attainment8.compute(results)
            // Units: EBacc-eligible (may go EBacc or open) and open-only.
            var ebaccUnits: [Int] = [], openOnly: [Int] = []
            let taken = results.filter(\.grade.isTaken)
            let englishes = taken.filter { $0.category.element == .english }
            let doubled = englishes.contains { $0.category == .englishLanguage } && englishes.contains { $0.category == .englishLiterature }
            let bestEnglish = englishes.map(\.grade.hundredths).max()
            if doubled { openOnly.append(englishes.map(\.grade.hundredths).min()!) }
            for r in taken where r.category.element == .ebacc {
                ebaccUnits += Array(repeating: r.grade.hundredths, count: r.grade.slots)
            }
            for r in taken where r.category.element == .open {
                openOnly += Array(repeating: r.grade.hundredths, count: r.grade.slots)
            }
            let maths = taken.filter { $0.category == .maths }.map(\.grade.hundredths).max().map { 2 * $0 } ?? 0
            let english = bestEnglish.map { doubled ? 2 * $0 : $0 } ?? 0
            var best = 0
            let n = ebaccUnits.count
            for mask in 0..<(1 << n) where mask.nonzeroBitCount <= 3 {
                var ebacc = 0, rest = openOnly
                for i in 0..<n { if mask & (1 << i) != 0 { ebacc += ebaccUnits[i] } else { rest.append(ebaccUnits[i]) } }
                let open = rest.sorted(by: >).prefix(3).reduce(0, +)
                best = max(best, ebacc + open)
            }
            #expect(a8.totalHundredths == english + maths + best)
        }
    }
}
