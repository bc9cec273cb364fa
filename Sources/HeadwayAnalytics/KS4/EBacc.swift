import HeadwayCore

/// A pupil's English Baccalaureate measures: entry (all five pillars taken) and the EBacc
/// average point score (APS).
///
/// Definition (DfE; `dfe-rules.md` §3, ESD metric 10751 restating the DfE):
/// - **Pillars**: English — *both* English language and literature taken; maths; science —
///   combined science, or 3 of the 4 single sciences (biology, chemistry, physics, computer
///   science); a humanity — geography or history; a language. "Taken" means a graded result,
///   U included; X is not taken.
/// - **APS**: six slots — English (the better of language and literature, only when both were
///   taken), maths, two science slots, humanity, language; a missing pillar scores 0; the
///   total is divided by 6 (the oracle's divisor; NAHT's "five areas" is the looser wording).
/// - **Science slots**: combined science fills both (each worth the mean of its pair); single
///   sciences count only when 3 of the 4 were taken, and then the best two count. A pupil with
///   combined science *and* 3 single sciences gets the best two of all of them — Headway's
///   reading; how the DfE discounts the two routes against each other was not verified.
/// - Best result per pillar (and per single science), so a repeated subject never counts twice.
public struct EBacc: Hashable, Sendable {
    /// English pillar: English language *and* literature taken.
    public var english: Bool
    /// Maths pillar: maths taken.
    public var maths: Bool
    /// Science pillar: combined science, or 3 of biology, chemistry, physics, computer science.
    public var science: Bool
    /// Humanity pillar: geography or history taken.
    public var humanity: Bool
    /// Language pillar: a modern or ancient language taken.
    public var language: Bool

    /// APS English slot in hundredths: the better English when both were taken, else 0.
    public var englishHundredths: Int
    /// APS maths slot in hundredths (0 without maths).
    public var mathsHundredths: Int
    /// APS first (better) science slot in hundredths.
    public var science1Hundredths: Int
    /// APS second science slot in hundredths.
    public var science2Hundredths: Int
    /// APS humanity slot in hundredths: the better of geography and history.
    public var humanityHundredths: Int
    /// APS language slot in hundredths: the best language.
    public var languageHundredths: Int

    /// The six APS slots in hundredths, in order: English, maths, science 1, science 2,
    /// humanity, language.
    public var slotHundredths: [Int] {
        [englishHundredths, mathsHundredths, science1Hundredths, science2Hundredths, humanityHundredths, languageHundredths]
    }

    /// True when all five pillars were taken: the pupil is entered for the EBacc.
    public var entered: Bool { english && maths && science && humanity && language }

    /// Sum of the six slots in hundredths.
    public var totalHundredths: Int {
        englishHundredths + mathsHundredths + science1Hundredths + science2Hundredths + humanityHundredths + languageHundredths
    }

    /// EBacc APS = total ÷ 6, e.g. 5.25.
    public var averagePointScore: Double { Double(totalHundredths) / 600 }

    /// The EBacc measures of one pupil's results (discounting does not apply: each pillar takes
    /// its best result). No allocation.
    public static func compute(_ results: [KS4Result]) -> EBacc {
        var language = -1, literature = -1, maths = -1, humanity = -1, foreign = -1, combined = -1
        var biology = -1, chemistry = -1, physics = -1, computing = -1
        for i in results.indices where results[i].grade.isTaken {
            let h = results[i].grade.hundredths
            switch results[i].category {
            case .englishLanguage: language = max(language, h)
            case .englishLiterature: literature = max(literature, h)
            case .maths: maths = max(maths, h)
            case .history, .geography: humanity = max(humanity, h)
            case .language: foreign = max(foreign, h)
            case .combinedScience: combined = max(combined, h)
            case .biology: biology = max(biology, h)
            case .chemistry: chemistry = max(chemistry, h)
            case .physics: physics = max(physics, h)
            case .computerScience: computing = max(computing, h)
            case .other: break
            }
        }
        // Best two science units: combined science's two halves, and the single sciences when
        // three of the four were taken.
        var first = -1, second = -1
        func offer(_ h: Int) {
            guard h >= 0 else { return }
            if h > first { second = first; first = h } else if h > second { second = h }
        }
        offer(combined); offer(combined)
        let singlesTaken = (biology >= 0 ? 1 : 0) + (chemistry >= 0 ? 1 : 0) + (physics >= 0 ? 1 : 0) + (computing >= 0 ? 1 : 0)
        if singlesTaken >= 3 { offer(biology); offer(chemistry); offer(physics); offer(computing) }
        let bothEnglish = language >= 0 && literature >= 0
        return EBacc(english: bothEnglish, maths: maths >= 0, science: combined >= 0 || singlesTaken >= 3,
                     humanity: humanity >= 0, language: foreign >= 0,
                     englishHundredths: bothEnglish ? max(language, literature) : 0, mathsHundredths: max(maths, 0),
                     science1Hundredths: max(first, 0), science2Hundredths: max(second, 0),
                     humanityHundredths: max(humanity, 0), languageHundredths: max(foreign, 0))
    }
}

/// A pupil's English and maths "basics": grade 4+ (standard pass) and 5+ (strong pass) in both.
///
/// Definition (DfE; `dfe-rules.md` §3): the English part is met by *either* English language or
/// English literature (both need not be taken); maths by the maths grade. A grade counts by its
/// points (a legacy C, 4 points, is a 4; a B, 5.5, is a 5).
public struct Basics: Hashable, Sendable {
    /// Best English (language or literature) points in hundredths; nil if neither was taken.
    public var englishHundredths: Int?
    /// Maths points in hundredths; nil if maths was not taken.
    public var mathsHundredths: Int?

    /// Grade 4 or above in both English and maths.
    public var standardPass: Bool { passes(400) }
    /// Grade 5 or above in both English and maths (the headline measure since 2018).
    public var strongPass: Bool { passes(500) }

    private func passes(_ threshold: Int) -> Bool {
        (englishHundredths ?? -1) >= threshold && (mathsHundredths ?? -1) >= threshold
    }

    /// The basics of one pupil's results.
    public static func compute(_ results: [KS4Result]) -> Basics {
        var english: Int? = nil, maths: Int? = nil
        for i in results.indices where results[i].grade.isTaken {
            switch results[i].category {
            case .englishLanguage, .englishLiterature: english = max(english ?? 0, results[i].grade.hundredths)
            case .maths: maths = max(maths ?? 0, results[i].grade.hundredths)
            default: break
            }
        }
        return Basics(englishHundredths: english, mathsHundredths: maths)
    }
}
