/// A subject's national GCSE grade distribution as three cumulative percentages, the mapping
/// between a national percentile and a grade, and the distribution's mean grade. Used by
/// percentile-based targets, the national-difficulty adjustment of estimate-based targets and
/// the demo school's Year 11 end points.
///
/// Figures are JCQ's, for candidates in **England aged 16** (Year 11), **all students**, summer
/// **2024**: the percentage of entries at grade 7 or above, 4 or above and 1 or above (for
/// combined science, the double grades 7-7, 4-4 and 1-1 or above). Source: JCQ GCSE results as
/// compiled by FFT Education Datalab (repository `FFTEduDatalab/resultsday`, MIT licence),
/// `shared/data/jcq-gcse-results/gcse-grades.json`, records with `"scope": "EN16"`,
/// `"gender": "All students"` and names `7/A or above`, `4/C or above`, `1/G or above`, year 2024.
/// (`"EN"` there is England at all ages, resits included; `"16"` without a prefix is the UK.)
/// The table is embedded so nothing reads the shared data at run time; a test checks it against
/// the file.
///
/// Moved here from HeadwaySynthetic (issue 3) so that HeadwayAnalytics can use it.
public struct NationalGradeDistribution: Hashable, Sendable {
    /// The subject's alias in the JCQ/Datalab files, e.g. `MATH`, `ENLA`, `SCID`.
    public var jcqAlias: String
    /// The subject name in `gcse-subjects.json` (`subject_name_clean`).
    public var jcqName: String
    /// Percentage (0–100) of entries at grade 7 or above (7-7 or above for combined science).
    public var atOrAbove7: Double
    /// Percentage (0–100) of entries at grade 4 or above (4-4 or above for combined science).
    public var atOrAbove4: Double
    /// Percentage (0–100) of entries at grade 1 or above (1-1 or above for combined science).
    public var atOrAbove1: Double

    /// A distribution from the three cumulative percentages.
    public init(jcqAlias: String, jcqName: String, atOrAbove7: Double, atOrAbove4: Double, atOrAbove1: Double) {
        self.jcqAlias = jcqAlias
        self.jcqName = jcqName
        self.atOrAbove7 = atOrAbove7
        self.atOrAbove4 = atOrAbove4
        self.atOrAbove1 = atOrAbove1
    }

    /// Half a step of the grid a scale's grades lie on, in grade points: 0.5 for GCSE 9–1 (whole
    /// grades round from ±0.5), 0.25 for combined science (double grades lie on a 0.5 grid).
    public static func halfStep(for scale: GradeScale.ID) -> Double {
        scale == GradeScale.combinedScienceID ? 0.25 : 0.5
    }

    /// The knots of the piecewise-linear quantile function: (share of entries at or above, grade
    /// points), from the top of the distribution down.
    private func knots(halfStep: Double) -> [(share: Double, grade: Double)] {
        [
            (0, 9 + halfStep),
            (atOrAbove7 / 100, 7 - halfStep),
            (atOrAbove4 / 100, 4 - halfStep),
            (atOrAbove1 / 100, 1 - halfStep),
            (1, -halfStep),
        ]
    }

    /// The grade, in grade points on a continuous scale, of the pupil at national percentile
    /// `percentile` (0…1, the share of pupils below them).
    ///
    /// The cumulative shares are interpolated linearly between the key grades: the top of the
    /// distribution sits at 9 + h, the boundary of grade 7 at 7 − h, of 4 at 4 − h, of 1 at 1 − h,
    /// and the bottom at −h, where h is half a step of the scale (``halfStep(for:)``). Rounding the
    /// result to the scale's grid therefore reproduces the national shares at 7, 4 and 1, with the
    /// grades between spread evenly.
    public func grade(atPercentile percentile: Double, halfStep: Double = 0.5) -> Double {
        let above = 1 - min(max(percentile, 0), 1)  // share at or above this pupil
        let knots = knots(halfStep: halfStep)
        for i in 1..<knots.count where above <= knots[i].share {
            let (s0, g0) = knots[i - 1]
            let (s1, g1) = knots[i]
            guard s1 > s0 else { return g1 }
            return g0 + (g1 - g0) * (above - s0) / (s1 - s0)
        }
        return -halfStep
    }

    /// The national percentile (0…1, the share of entries below) of grade points `grade`: the
    /// inverse of ``grade(atPercentile:halfStep:)`` on the same knots. A grade at or above 9 + h
    /// is at percentile 1; at or below −h, 0.
    public func percentile(ofGrade grade: Double, halfStep: Double = 0.5) -> Double {
        let knots = knots(halfStep: halfStep)
        if grade >= knots[0].grade { return 1 }
        for i in 1..<knots.count where grade >= knots[i].grade {
            let (s0, g0) = knots[i - 1]
            let (s1, g1) = knots[i]
            guard g0 > g1 else { return 1 - s1 }
            return 1 - (s0 + (s1 - s0) * (g0 - grade) / (g0 - g1))
        }
        return 0
    }

    /// The mean grade (grade points) of the distribution as ``grade(atPercentile:halfStep:)``
    /// models it: grades spread evenly within each band between key grades, so each band
    /// contributes its share times its midpoint.
    ///
    /// With shares s7, s4, s1 (fractions at or above 7, 4, 1) and half-step h, the bands
    /// [7 − h, 9 + h], [4 − h, 7 − h], [1 − h, 4 − h] and [−h, 1 − h] have midpoints 8, 5.5 − h,
    /// 2.5 − h and 0.5 − h, so
    ///
    ///     mean = 8·s7 + (5.5 − h)(s4 − s7) + (2.5 − h)(s1 − s4) + (0.5 − h)(1 − s1)
    ///          = (2.5 + h)·s7 + 3·s4 + 2·s1 + 0.5 − h
    ///
    /// which for GCSE 9–1 (h = 0.5) is 3·s7 + 3·s4 + 2·s1 (maths 2024: 3 × 0.212 + 3 × 0.720 +
    /// 2 × 0.981 = 4.758). The even spread within a band is an approximation (the true mean
    /// within 7–9 is nearer 7.8 than 8); it affects every subject alike, so differences between
    /// subjects are little affected.
    public func meanGrade(halfStep: Double = 0.5) -> Double {
        (2.5 + halfStep) * atOrAbove7 / 100 + 3 * atOrAbove4 / 100 + 2 * atOrAbove1 / 100 + 0.5 - halfStep
    }

    /// Every embedded subject distribution (one per JCQ subject). Source and scope: see the type's
    /// documentation (JCQ, England, age 16, all students, 2024).
    public static let jcqEngland16_2024: [NationalGradeDistribution] = [
        .init(jcqAlias: "ENLA", jcqName: "English language", atOrAbove7: 19.0, atOrAbove4: 71.2, atOrAbove1: 98.7),
        .init(jcqAlias: "MATH", jcqName: "Mathematics", atOrAbove7: 21.2, atOrAbove4: 72.0, atOrAbove1: 98.1),
        .init(jcqAlias: "SCID", jcqName: "Science: double award", atOrAbove7: 8.8, atOrAbove4: 57.1, atOrAbove1: 97.5),
        .init(jcqAlias: "HIST", jcqName: "History", atOrAbove7: 25.8, atOrAbove4: 63.8, atOrAbove1: 96.4),
        .init(jcqAlias: "GEOG", jcqName: "Geography", atOrAbove7: 24.5, atOrAbove4: 65.0, atOrAbove1: 98.2),
        .init(jcqAlias: "FREN", jcqName: "French", atOrAbove7: 27.2, atOrAbove4: 70.8, atOrAbove1: 98.5),
        .init(jcqAlias: "SPAN", jcqName: "Spanish", atOrAbove7: 25.5, atOrAbove4: 69.2, atOrAbove1: 98.1),
        .init(jcqAlias: "ARTD", jcqName: "Art and design subjects", atOrAbove7: 23.5, atOrAbove4: 76.4, atOrAbove1: 99.5),
        .init(jcqAlias: "COMP", jcqName: "Computing", atOrAbove7: 28.1, atOrAbove4: 68.2, atOrAbove1: 96.6),
        .init(jcqAlias: "PHED", jcqName: "Physical education", atOrAbove7: 23.1, atOrAbove4: 72.2, atOrAbove1: 99.4),
        .init(jcqAlias: "RELS", jcqName: "Religious studies", atOrAbove7: 30.9, atOrAbove4: 72.3, atOrAbove1: 98.0),
        .init(jcqAlias: "DRAM", jcqName: "Drama", atOrAbove7: 27.0, atOrAbove4: 76.8, atOrAbove1: 99.5),
        .init(jcqAlias: "BUSS", jcqName: "Business studies", atOrAbove7: 19.6, atOrAbove4: 66.6, atOrAbove1: 98.7),
        .init(jcqAlias: "ENLI", jcqName: "English literature", atOrAbove7: 20.2, atOrAbove4: 73.9, atOrAbove1: 97.8),
        .init(jcqAlias: "BIOL", jcqName: "Biology", atOrAbove7: 42.8, atOrAbove4: 90.0, atOrAbove1: 99.4),
        .init(jcqAlias: "CHEM", jcqName: "Chemistry", atOrAbove7: 44.9, atOrAbove4: 90.7, atOrAbove1: 99.5),
        .init(jcqAlias: "PHYS", jcqName: "Physics", atOrAbove7: 44.1, atOrAbove4: 90.4, atOrAbove1: 99.3),
        .init(jcqAlias: "GERM", jcqName: "German", atOrAbove7: 30.7, atOrAbove4: 76.9, atOrAbove1: 99.1),
    ]

    /// Every GCSE entry in England at age 16, 2024, all subjects together (JCQ alias `ALLS`):
    /// the reference for the national-difficulty adjustment of estimate-based targets.
    public static let allSubjectsEngland16_2024 = NationalGradeDistribution(
        jcqAlias: "ALLS", jcqName: "All subjects", atOrAbove7: 22.6, atOrAbove4: 70.4, atOrAbove1: 98.2)

    /// ``jcqEngland16_2024`` by JCQ alias.
    public static func england16_2024(_ alias: String) -> NationalGradeDistribution? {
        jcqEngland16_2024.first { $0.jcqAlias == alias }
    }

    /// The usual distribution for a subject of this KS4 category, where the category names one
    /// JCQ subject: English language `ENLA`, literature `ENLI`, maths `MATH`, combined science
    /// `SCID`, biology `BIOL`, chemistry `CHEM`, physics `PHYS`, computer science `COMP`, history
    /// `HIST`, geography `GEOG`. Nil for `language` and `other`, which span many JCQ subjects: give
    /// those subjects their distribution explicitly.
    public static func england16_2024(for category: KS4Category) -> NationalGradeDistribution? {
        let alias: String? = switch category {
        case .englishLanguage: "ENLA"
        case .englishLiterature: "ENLI"
        case .maths: "MATH"
        case .combinedScience: "SCID"
        case .biology: "BIOL"
        case .chemistry: "CHEM"
        case .physics: "PHYS"
        case .computerScience: "COMP"
        case .history: "HIST"
        case .geography: "GEOG"
        case .language, .other: nil
        }
        return alias.flatMap(england16_2024)
    }
}
