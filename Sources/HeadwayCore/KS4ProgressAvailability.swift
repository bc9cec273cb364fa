/// Whether the DfE publishes Progress 8 for a KS4 cohort, and what its prior attainment is
/// measured in: the table in `shared/reference/p8-availability-by-ks4-year.csv`, embedded.
///
/// Source: DfE Secondary accountability measures guidance (2019; 2022–2025 editions; gov.uk
/// page update log of 5 Dec 2024), FFT Education Datalab (Jan and Oct 2025), Pupil Progress blog
/// (Dec 2024); `dfe-rules.md` §2.6. 2027 is inferred (the KS2 2022 cohort), not confirmed.
///
/// Headway's rule (issue 3): for a cohort without published P8, any P8 figure Headway shows is an
/// *estimate* measured against the latest estimates table it holds, and is labelled so, with the
/// table's year.
public struct KS4ProgressAvailability: Hashable, Sendable {
    /// What the cohort's KS2 prior attainment is.
    public enum PriorBasis: Int, Hashable, Sendable, Codable {
        /// No KS2 tests for the cohort (cancelled in 2020 and 2021).
        case none = 0
        /// KS2 fine levels (KS4 2016–2021).
        case fineLevels = 1
        /// KS2 scaled scores (KS4 2022 onward).
        case scaledScores = 2
    }

    /// Why a year is notable (`note_code` of the CSV).
    public enum Note: Int, Hashable, Sendable, Codable, CustomStringConvertible {
        /// Nothing to note.
        case none = 0
        /// 2016: the first Progress 8 year (KS2 English and maths fine levels).
        case firstYear = 1
        /// 2018: extremely negative pupil scores capped from this year.
        case cappingIntroduced = 2
        /// 2020, 2021: no performance tables (centre- and teacher-assessed grades).
        case noPerformanceTables = 3
        /// 2022: the first year with KS2 scaled-score prior attainment (34 groups).
        case firstScaledScoreYear = 4
        /// 2025, 2026: no KS2 tests for the cohort (COVID), so no Progress 8.
        case noKS2Tests = 5
        /// 2027: Progress 8 expected back (inferred).
        case expectedReturn = 6

        /// One sentence for a reader.
        public var description: String {
            switch self {
            case .none: ""
            case .firstYear: "first Progress 8 year (KS2 English and maths fine levels)"
            case .cappingIntroduced: "extremely negative pupil scores capped from this year"
            case .noPerformanceTables: "no performance tables: grades were centre- or teacher-assessed (COVID)"
            case .firstScaledScoreYear: "first year with KS2 scaled-score prior attainment (34 groups)"
            case .noKS2Tests: "the cohort sat no KS2 tests: cancelled in 2020 and 2021 (COVID)"
            case .expectedReturn: "Progress 8 expected to return (inferred, not confirmed by the DfE)"
            }
        }
    }

    /// Summer of the GCSE exams, e.g. 2023.
    public var ks4Year: Int
    /// Summer of the cohort's KS2 tests.
    public var ks2Year: Int
    /// True when the DfE published (or is expected to publish) Progress 8 for the cohort.
    public var isPublished: Bool
    /// What the cohort's prior attainment is measured in.
    public var priorBasis: PriorBasis
    /// Why the year is notable, if it is.
    public var note: Note

    /// A row of the table.
    public init(ks4Year: Int, ks2Year: Int, isPublished: Bool, priorBasis: PriorBasis, note: Note) {
        self.ks4Year = ks4Year
        self.ks2Year = ks2Year
        self.isPublished = isPublished
        self.priorBasis = priorBasis
        self.note = note
    }

    /// KS4 2016–2027, one row a year, as in the CSV.
    public static let table: [KS4ProgressAvailability] = [
        .init(ks4Year: 2016, ks2Year: 2011, isPublished: true, priorBasis: .fineLevels, note: .firstYear),
        .init(ks4Year: 2017, ks2Year: 2012, isPublished: true, priorBasis: .fineLevels, note: .none),
        .init(ks4Year: 2018, ks2Year: 2013, isPublished: true, priorBasis: .fineLevels, note: .cappingIntroduced),
        .init(ks4Year: 2019, ks2Year: 2014, isPublished: true, priorBasis: .fineLevels, note: .none),
        .init(ks4Year: 2020, ks2Year: 2015, isPublished: false, priorBasis: .fineLevels, note: .noPerformanceTables),
        .init(ks4Year: 2021, ks2Year: 2016, isPublished: false, priorBasis: .scaledScores, note: .noPerformanceTables),
        .init(ks4Year: 2022, ks2Year: 2017, isPublished: true, priorBasis: .scaledScores, note: .firstScaledScoreYear),
        .init(ks4Year: 2023, ks2Year: 2018, isPublished: true, priorBasis: .scaledScores, note: .none),
        .init(ks4Year: 2024, ks2Year: 2019, isPublished: true, priorBasis: .scaledScores, note: .none),
        .init(ks4Year: 2025, ks2Year: 2020, isPublished: false, priorBasis: .none, note: .noKS2Tests),
        .init(ks4Year: 2026, ks2Year: 2021, isPublished: false, priorBasis: .none, note: .noKS2Tests),
        .init(ks4Year: 2027, ks2Year: 2022, isPublished: true, priorBasis: .scaledScores, note: .expectedReturn),
    ]

    /// Where the numbers come from, for display beside a label.
    public static let source = "shared/reference/p8-availability-by-ks4-year.csv (DfE secondary accountability guidance 2019–2025; gov.uk update of 5 Dec 2024)"

    /// The row for a KS4 year; nil before 2016 (no Progress 8) or after 2027 (not known).
    public static func year(_ ks4Year: Int) -> KS4ProgressAvailability? {
        table.first { $0.ks4Year == ks4Year }
    }
}
