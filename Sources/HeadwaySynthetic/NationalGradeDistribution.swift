/// A subject's national GCSE grade distribution as three cumulative percentages, and the mapping
/// from a national percentile to a grade that the demo school uses for its Year 11 end points.
///
/// Figures are JCQ's, for candidates in **England aged 16** (Year 11), **all students**, summer
/// **2024**: the percentage of entries at grade 7 or above, 4 or above and 1 or above (for
/// combined science, the double grades 7-7, 4-4 and 1-1 or above). Source: JCQ GCSE results as
/// compiled by FFT Education Datalab (repository `FFTEduDatalab/resultsday`, MIT licence),
/// `shared/data/jcq-gcse-results/gcse-grades.json`, records with `"scope": "EN16"`,
/// `"gender": "All students"` and names `7/A or above`, `4/C or above`, `1/G or above`, year 2024.
/// (`"EN"` there is England at all ages, resits included; `"16"` without a prefix is the UK.)
/// The table is embedded so the demo runs without the shared data; a test checks it against the
/// file.
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

    /// The grade, in grade points on a continuous scale, of the pupil at national percentile
    /// `percentile` (0…1, the share of pupils below them).
    ///
    /// The cumulative shares are interpolated linearly between the key grades: the top of the
    /// distribution sits at 9 + h, the boundary of grade 7 at 7 − h, of 4 at 4 − h, of 1 at 1 − h,
    /// and the bottom at −h, where h is half a step of the scale (0.5 for GCSE 9–1, whose whole
    /// grades round from ±0.5; 0.25 for combined science, whose double grades lie on a 0.5 grid).
    /// Rounding the result to the scale's grid therefore reproduces the national shares at 7, 4
    /// and 1, with the grades between spread evenly.
    public func grade(atPercentile percentile: Double, halfStep: Double = 0.5) -> Double {
        let above = 1 - min(max(percentile, 0), 1)  // share at or above this pupil
        let knots: [(share: Double, grade: Double)] = [
            (0, 9 + halfStep),
            (atOrAbove7 / 100, 7 - halfStep),
            (atOrAbove4 / 100, 4 - halfStep),
            (atOrAbove1 / 100, 1 - halfStep),
            (1, -halfStep),
        ]
        for i in 1..<knots.count where above <= knots[i].share {
            let (s0, g0) = knots[i - 1]
            let (s1, g1) = knots[i]
            guard s1 > s0 else { return g1 }
            return g0 + (g1 - g0) * (above - s0) / (s1 - s0)
        }
        return -halfStep
    }

    /// Every distribution the demo school uses (one per JCQ subject). Source and scope: see the
    /// type's documentation (JCQ, England, age 16, all students, 2024).
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
    ]

    /// ``jcqEngland16_2024`` by JCQ alias.
    public static func england16_2024(_ alias: String) -> NationalGradeDistribution? {
        jcqEngland16_2024.first { $0.jcqAlias == alias }
    }
}
