import HeadwayCore

/// A deterministic synthetic English secondary school (Years 7–11) for one academic year: the
/// data behind `headway demo`, the benchmarks and many tests.
///
/// Everything is fictional and generated from ``Options/seed``: the same options give identical
/// data, value for value and in the same order, on every platform; another seed gives another
/// school. With the default options the school has about 1,100 pupils (≈220 per year group, in
/// eight tutor groups `7A`–`7H`), about 60 staff, 15 subjects, about 390 classes and three data
/// collections (DC1 autumn, DC2 spring, DC3 summer) with a working-at grade, a predicted grade
/// and an attitude-to-learning score for every pupil in every subject: about 32,000 assessments
/// (seed 2026: 1,106 pupils, 387 classes, 31,839 assessments, 9,759 targets).
///
/// How the data is made (all figures are the generator's parameters, chosen to look like an
/// ordinary English comprehensive):
/// - **Characteristics** per year group, as quotas: disadvantaged 25% (every looked-after pupil is
///   disadvantaged, DfE definition), looked after 0.5%, SEN support (K) 13% and EHC plan (E) 2.5%
///   (both more likely for disadvantaged pupils and for boys), EAL 18%, gender F/M at random.
/// - **KS2** reading and maths scaled scores: a latent ability, lower for disadvantaged
///   (≈0.5 SD), SEN support (≈1 SD) and EHC plan (≈2 SD) pupils, centred so the school matches the
///   national mean ≈105, SD ≈7, with reading–maths correlation ≈0.7, rounded and clipped to
///   80–120. About 8% of pupils (weighted towards EAL new arrivals and EHC plans) have neither
///   score; about 1% have only one.
/// - **Grades**: each pupil's Year 11 end point in a subject is the grade at their national
///   percentile in that subject's JCQ 2024 distribution (``NationalGradeDistribution``), where
///   the percentile comes from KS2 (correlation ≈0.7) plus a pupil factor and a subject factor.
///   Working-at grades follow a flight path from about half the end point at the start of Year 7
///   to the end point in the Year 11 summer, plus modest, persistent noise; about a third of
///   teachers enter fine grades (`6+`, `6`, `6-`), the rest whole grades. Consecutive
///   collections never differ by two grades or more (the swing threshold) except where planted.
///   Predicted grades (every year group) are the end point plus a teacher's slight optimism, in
///   whole grades. ATL (1 best – 4) is about 30% 1, 45% 2, 19% 3, 6% 4, and follows the pupil's
///   attitude. Subjects: English, maths, science (KS3, GCSE 9–1 scale), combined science (KS4,
///   double-grade scale), history, geography, French or Spanish, art, computing, PE, RE; in
///   KS4 English (English language), English literature, maths, combined science and RE for
///   everyone, and four options from the humanities, the language, art, computing, PE, drama and
///   business. English literature is taught in the English classes (`10X/En1` → `10X/El1`, same
///   pupils and teachers); its grades come from the JCQ English literature distribution and share
///   most of the pupil's own English factor, so the two correlate strongly.
/// - **Targets**: for every pupil with KS2, in every subject they study, by ``targetPlan`` — the
///   estimate method on the DfE KS4 2023 element estimates, rounded to the nearest whole grade, no
///   aspiration (see `TargetPolicy`). Pupils without KS2 (about 8%) have no targets.
/// - **Calendars** (``SchoolYear/calendar``; issue 5): the collections' windows per year group —
///   Y7–Y10 on each collection's own dates, Y11 a week earlier (2026/27: DC1 opens 30 November,
///   Y11 23 November) — seven assessment windows (Y7–Y10 assessments and Y11 mocks or practice
///   papers before each collection, Y10 end-of-year exams in June), and ten reporting events
///   (five reports to parents and carers, five parents' evenings), each on or after its
///   collection's publish date. Consistent: calendar validation finds nothing in it.
/// - **Faults**, unless ``Options/plantFaults`` is false: see ``PlantedFaults``.
public struct DemoSchool: Sendable {
    /// What to generate.
    public struct Options: Sendable, Hashable {
        /// Seed of every random draw; the same seed gives the same school.
        public var seed: UInt64
        /// The academic year generated (collections' dates, pupils' dates of birth, UPNs).
        public var academicYear: AcademicYear
        /// Target number of pupils per year group; each year group gets this ± about 3%.
        /// Clamped to 40…2,000. Staffing scales with it.
        public var pupilsPerYearGroup: Int
        /// Whether to plant the faults listed in ``PlantedFaults``; false gives clean data.
        public var plantFaults: Bool

        /// Options with the demo defaults: seed 2026, academic year 2026/27, 220 pupils per year
        /// group, faults planted.
        public init(seed: UInt64 = 2026, academicYear: AcademicYear = AcademicYear(startYear: 2026),
                    pupilsPerYearGroup: Int = 220, plantFaults: Bool = true) {
            self.seed = seed
            self.academicYear = academicYear
            self.pupilsPerYearGroup = pupilsPerYearGroup
            self.plantFaults = plantFaults
        }
    }

    /// The options the school was generated with.
    public var options: Options
    /// Everything about the school this year: pupils, staff, subjects, classes, the three
    /// collections, every assessment, and estimate-based targets for pupils with KS2.
    public var year: SchoolYear
    /// What was deliberately broken (and what looks odd but is not a fault), so that tests can
    /// check the integrity pass finds it. Empty when ``Options/plantFaults`` is false.
    public var planted: PlantedFaults

    /// The year groups the demo school has.
    public static let yearGroups: ClosedRange<Int> = 7...11

    /// The demo school's id and name.
    public static let school = School(id: "DEMO", name: "Headway Demo School")

    /// Domain of every staff e-mail address (`j.smith@demo-school.example`; `.example` is
    /// reserved for documentation by RFC 2606, so no mail can ever be delivered).
    public static let emailDomain = "demo-school.example"

    /// The national GCSE distribution each subject's grades are drawn from, by demo subject code
    /// (`EN` → English language, `EL` → English literature, `SC` and `CS` → combined science, …).
    public static var nationalDistributions: [Subject.ID: NationalGradeDistribution] {
        Dictionary(uniqueKeysWithValues: SubjectSpec.catalogue.map { ($0.id, $0.distribution) })
    }

    /// How the demo school's targets are set: ``TargetPolicy/estimate`` (KS4 2023 element
    /// estimates, no difficulty adjustment, no aspiration, nearest whole grade) for every year
    /// group and subject, with Key Stage 3 science (`SC`, no KS4 category of its own) on the
    /// EBacc element, as the combined science it leads to. HeadwayAnalytics' `TargetGeneration`
    /// with this plan and ``nationalDistributions`` gives the same targets.
    public static let targetPlan: TargetPlan = {
        var science = TargetPolicy.estimate
        science.element = .ebacc
        return TargetPlan(standard: .estimate, policies: [TargetPlan.Scope(subject: "SC"): science])
    }()

    /// Generates the school. Deterministic: depends on `options` only.
    ///
    /// - Parameters:
    ///   - options: seed, year and size.
    ///   - progress: called on the calling thread with the fraction done, 0…1, increasing, first
    ///     0 and last exactly 1 (the CLI draws a progress bar from it).
    /// - Returns: the school. Takes well under a second in a release build at the default size.
    public static func generate(_ options: Options = .init(), progress: ((Double) -> Void)? = nil) -> DemoSchool {
        var generator = Generator(options: options, progress: progress)
        return generator.run()
    }
}

/// What ``DemoSchool`` deliberately broke or made unusual, with exact ids, so tests can check that
/// the integrity pass and the intervention lists find each item. Every planted item is kept clear
/// of the others (no planted cell lies in another planted item's class or pupil–subject pair), and
/// the generator makes sure the natural data has none of these faults: no blank entries other than
/// the missing ones, no off-scale values, no swing of two or more grades between collections, and
/// no other class whose latest working-at grades all equal the previous collection's.
public struct PlantedFaults: Hashable, Sendable {
    /// One assessment: pupil × subject × collection.
    public struct Cell: Hashable, Sendable, CustomStringConvertible {
        /// The pupil.
        public var pupil: Pupil.ID
        /// The subject.
        public var subject: Subject.ID
        /// The collection.
        public var collection: DataCollection.ID

        /// A cell.
        public init(pupil: Pupil.ID, subject: Subject.ID, collection: DataCollection.ID) {
            self.pupil = pupil
            self.subject = subject
            self.collection = collection
        }

        /// `pupil/subject/collection`.
        public var description: String { "\(pupil)/\(subject)/\(collection)" }
    }

    /// Which value of an assessment.
    public enum Field: String, Hashable, Sendable, CaseIterable {
        /// ``Assessment/workingAt``.
        case workingAt
        /// ``Assessment/predicted``.
        case predicted
        /// ``Assessment/atl``.
        case atl
    }

    /// A value stored that is not on the subject's scale (``EntryValue/offScale(_:)``).
    public struct OffScaleValue: Hashable, Sendable {
        /// Where it is.
        public var cell: Cell
        /// Which of the three values.
        public var field: Field
        /// The text stored, e.g. `10`, `A*`, `7++`.
        public var value: String
    }

    /// A class whose working-at grades in one collection are a copy of the previous collection's.
    public struct CopiedCollection: Hashable, Sendable {
        /// The class.
        public var teachingGroup: TeachingGroup.ID
        /// Its teacher.
        public var teacher: Staff.ID
        /// The collection copied from (DC2).
        public var source: DataCollection.ID
        /// The collection holding the copy (DC3).
        public var copy: DataCollection.ID
    }

    /// A change of working-at grade of three or more grades between two consecutive collections.
    public struct Swing: Hashable, Sendable {
        /// The pupil.
        public var pupil: Pupil.ID
        /// The subject.
        public var subject: Subject.ID
        /// The earlier collection (DC2).
        public var from: DataCollection.ID
        /// The later collection (DC3).
        public var to: DataCollection.ID
        /// The working-at grade code in `from`.
        public var fromGrade: String
        /// The working-at grade code in `to`.
        public var toGrade: String
        /// `to` − `from` in grade points (negative for a fall); |change| ≥ 3.
        public var change: Double
    }

    /// A pupil whose working-at grade falls by a whole grade at each collection (DC1 → DC2 → DC3)
    /// in several subjects, with predicted grades falling and ATL worsening: the pupils an
    /// intervention list should find.
    public struct StrugglingPupil: Hashable, Sendable {
        /// The pupil.
        public var pupil: Pupil.ID
        /// The subjects in which the grades fall, in subject order.
        public var subjects: [Subject.ID]
    }

    /// A pupil absent for a whole collection.
    public struct AbsentPupil: Hashable, Sendable {
        /// The pupil.
        public var pupil: Pupil.ID
        /// The collection in which every value is `X`.
        public var collection: DataCollection.ID
    }

    /// The two teachers who have not finished entering DC3: many of their pupils have no
    /// working-at grade (nor predicted grade nor ATL) in DC3.
    public var missingEntryTeachers: [Staff.ID] = []
    /// Every blank DC3 cell of those teachers' classes (working-at, predicted and ATL all nil,
    /// ``Assessment/enteredBy`` nil). No other cell in the data is blank.
    public var missingEntries: [Cell] = []
    /// Values not on the subject's scale (about six).
    public var offScaleValues: [OffScaleValue] = []
    /// The class whose DC3 working-at grades were pasted from DC2 (identical for every pupil).
    public var copiedCollection: CopiedCollection?
    /// Pupils with a swing of 3+ grades between DC2 and DC3 in one subject (about five).
    public var swings: [Swing] = []
    /// Pupils whose grades fall across DC1 → DC3 in several subjects (about six).
    public var strugglingPupils: [StrugglingPupil] = []
    /// Cells with working-at `X` (not assessed, e.g. absent). Not a fault: must not be reported as
    /// missing. Includes every subject of the pupils in ``absentPupils``.
    public var notAssessed: [Cell] = []
    /// Pupils absent for a whole collection: `X` for working-at, predicted and ATL in every subject.
    public var absentPupils: [AbsentPupil] = []
    /// Cells with `Z` (not required, e.g. disapplied from a language) for working-at, predicted and
    /// ATL. Not a fault.
    public var notRequired: [Cell] = []

    /// No faults.
    public init() {}

    /// True when nothing was planted.
    public var isEmpty: Bool {
        missingEntryTeachers.isEmpty && missingEntries.isEmpty && offScaleValues.isEmpty && copiedCollection == nil
            && swings.isEmpty && strugglingPupils.isEmpty && notAssessed.isEmpty && notRequired.isEmpty
    }
}
