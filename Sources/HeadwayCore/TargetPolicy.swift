/// How a school generates targets for one year group and subject: the method, the aspiration and
/// the rounding, with the national tables each method reads. A value; ``TargetPlan`` says which
/// policy applies where, and HeadwayAnalytics' `TargetGeneration` applies it to a whole year.
///
/// ## Estimate method (``Target/Method/estimate``)
/// The DfE publishes, for each KS2 prior attainment group (PAG), the national mean Attainment 8
/// element scores (``AttainmentEstimates``; KS4 2023 by default). Dividing an element by the
/// slots it spans gives the grade an average pupil of that group gets per slot of that kind:
/// English ÷ 2, maths ÷ 2, EBacc ÷ 3, open ÷ 3. The subject's ``KS4Category`` (or ``element``
/// here) picks the element. Example, KS2 average 106 → PAG 20: English 10.28 ÷ 2 = 5.14, maths
/// 9.39 ÷ 2 = 4.695, EBacc 13.64 ÷ 3 = 4.547, open 14.37 ÷ 3 = 4.79.
///
/// Optionally (``adjustForDifficulty``) the subject's national difficulty is added: the mean grade
/// of the subject's national distribution minus the mean over all GCSE entries
/// (``NationalGradeDistribution/meanGrade(halfStep:)``; JCQ England age 16, 2024, all-subject
/// mean 4.754). Caution: this difference mixes how hard a subject is graded with who takes it
/// (triple sciences are taken by high attainers and have high means without being easy;
/// combined science the reverse: −0.60), so it is off by default. A subject without a national
/// distribution gets no adjustment (recorded as 0).
///
/// ## Percentile method (``Target/Method/percentile``)
/// The pupil's KS2 average is placed at a national percentile p by ``ks2Distribution`` (a normal
/// fitted to DfE published shares; see ``KS2Distribution``), and the target is the grade at the
/// same percentile of the subject's national grade distribution, interpolated linearly between
/// JCQ's key grades (``NationalGradeDistribution/grade(atPercentile:halfStep:)``).
///
/// ## Aspiration
/// - ``upliftGrades``: grades added to the method's result (both methods), e.g. +0.5.
/// - ``topShare``: "the grade reached by the top N% of similar pupils". Similar pupils (same KS2)
///   are modelled as reaching grades spread normally, in national percentile terms, around the
///   method's grade: with z = Φ⁻¹(national percentile of the method's grade), the aspiration grade
///   is the grade at percentile Φ(z + s·Φ⁻¹(1 − N)), where s = ``similarPupilSpread`` national
///   standard deviations (default 0.71 = √(1 − 0.7²), the residual spread if KS2 and GCSE
///   outcomes correlate at 0.7 — an assumption; published KS2–KS4 correlations are 0.6–0.75).
///   N = 0.5 gives the method's own grade; N = 0.2 lifts a median pupil from the 50th to about the
///   73rd percentile. Needs the subject's national distribution for both methods.
///
/// ## Rounding
/// The result, clamped to the scale's range, is rounded to the subject's scale (``Rounding``):
/// to the nearest whole grade by default (halves go up: 4.5 → 5), or up to the next whole grade,
/// or to the nearest or next grade of any kind (fine grades such as `5+`, `6/5`). On combined
/// science every double grade (`5-4`, `5-5`) is a whole grade, on a half-grade grid.
public struct TargetPolicy: Hashable, Sendable {
    /// The version of the arithmetic above, stored with each generated target (`estimate/1`).
    /// Bump it when a change would give a different target from the same inputs.
    public static let methodVersion = 1

    /// How the unrounded target becomes a grade on the subject's scale.
    public enum Rounding: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
        /// The nearest whole grade (a grade that is its own band: `5`, `U`; every combined-science
        /// double grade); a tie goes up. The default.
        case nearestWholeGrade = "nearest_whole"
        /// The lowest whole grade at or above the value (4.1 → 5).
        case upToWholeGrade = "up_whole"
        /// The nearest grade of any kind on the scale, fine and split grades included (4.4 → `4+`).
        case nearestGrade = "nearest_any"
        /// The lowest grade of any kind at or above the value (4.4 → `5/4`, 4.5 points).
        case upToGrade = "up_any"

        /// Words for explanations: `nearest whole grade`, `up to a whole grade`, ….
        public var description: String {
            switch self {
            case .nearestWholeGrade: "nearest whole grade"
            case .upToWholeGrade: "up to a whole grade"
            case .nearestGrade: "nearest grade"
            case .upToGrade: "up to a grade"
            }
        }

        /// The grade `value` rounds to among `grades` (lowest points first); nil when empty.
        /// Values are compared with a tolerance of 1e-9 so 13.64 ÷ 3 and its neighbours round as
        /// their decimal arithmetic says.
        public func round(_ value: Double, among grades: [GradeScale.Grade]) -> GradeScale.Grade? {
            let candidates = (self == .nearestWholeGrade || self == .upToWholeGrade) ? grades.filter { $0.band == $0.code } : grades
            guard let top = candidates.last else { return nil }
            switch self {
            case .nearestWholeGrade, .nearestGrade:
                var best = candidates[0]
                for grade in candidates.dropFirst() where abs(grade.points - value) <= abs(best.points - value) + 1e-9 {
                    best = grade  // ascending, so on a tie the higher grade wins
                }
                return best
            case .upToWholeGrade, .upToGrade:
                return candidates.first { $0.points >= value - 1e-9 } ?? top
            }
        }
    }

    /// Why a policy gives a pupil no target in a subject.
    public enum Skip: Error, Hashable, Sendable, CustomStringConvertible {
        /// The policy's method is imported or override: targets come from a file or a person.
        case notGenerated(Target.Method)
        /// The pupil has no KS2 reading or maths score: no target is made up.
        case noPriorAttainment
        /// The subject's scale is not in GCSE grades (a KS3 steps scale, a percentage, ATL).
        case unsuitableScale(GradeScale.ID)
        /// Estimate method: the subject has no KS4 category and the policy names no element.
        case noKS4Element
        /// Estimate method: the table is not by KS2 scaled score or gives no element estimates.
        case noElementEstimates(AttainmentEstimates.ID)
        /// Percentile method or top-share aspiration: no national grade distribution for the subject.
        case noNationalDistribution
        /// No policy in the plan covers the pupil's year group and subject.
        case noPolicy

        /// A sentence for lists and logs.
        public var description: String {
            switch self {
            case .notGenerated(let m): "targets are \(m.rawValue), not generated"
            case .noPriorAttainment: "no KS2 prior attainment"
            case .unsuitableScale(let s): "scale \(s) is not in GCSE grades"
            case .noKS4Element: "subject has no KS4 category: give the policy an element"
            case .noElementEstimates(let t): "estimates table \(t) has no element estimates by KS2 scaled score"
            case .noNationalDistribution: "no national grade distribution for the subject"
            case .noPolicy: "no target policy for this year group and subject"
            }
        }
    }

    /// ``Target/Method/estimate`` or ``Target/Method/percentile``; any other method generates
    /// nothing (``Skip/notGenerated(_:)``).
    public var method: Target.Method
    /// Grades added to the method's result (aspiration uplift); 0 for none.
    public var upliftGrades: Double
    /// "The grade reached by the top N of similar pupils", N a share 0 < N < 1 (0.2 = top 20%);
    /// nil for none. Values outside 0.001…0.999 are clamped.
    public var topShare: Double?
    /// Estimate method: add the subject's national difficulty (off by default; see above).
    public var adjustForDifficulty: Bool
    /// How the result is rounded to the subject's scale.
    public var rounding: Rounding
    /// Estimate method: the Attainment 8 estimates table (KS4 2023 by default).
    public var estimates: AttainmentEstimates
    /// Percentile method: the national KS2 distribution (KS2 2024 by default).
    public var ks2Distribution: KS2Distribution
    /// Top-share aspiration: spread of similar pupils' outcomes in national standard deviations.
    public var similarPupilSpread: Double
    /// Estimate method: the A8 element to use instead of the subject's KS4 category — for a
    /// subject with none, e.g. Key Stage 3 science → ``KS4Category/Element/ebacc``.
    public var element: KS4Category.Element?
    /// Difficulty adjustment: the all-subject distribution the subject is compared with.
    public var difficultyReference: NationalGradeDistribution

    /// A policy; every setting but the method has the documented default.
    public init(method: Target.Method, upliftGrades: Double = 0, topShare: Double? = nil, adjustForDifficulty: Bool = false,
                rounding: Rounding = .nearestWholeGrade, estimates: AttainmentEstimates = .ks4_2023,
                ks2Distribution: KS2Distribution = .england2024, similarPupilSpread: Double = (1 - 0.7 * 0.7).squareRoot(),
                element: KS4Category.Element? = nil,
                difficultyReference: NationalGradeDistribution = .allSubjectsEngland16_2024) {
        self.method = method
        self.upliftGrades = upliftGrades
        self.topShare = topShare
        self.adjustForDifficulty = adjustForDifficulty
        self.rounding = rounding
        self.estimates = estimates
        self.ks2Distribution = ks2Distribution
        self.similarPupilSpread = similarPupilSpread
        self.element = element
        self.difficultyReference = difficultyReference
    }

    /// The default estimate policy: KS4 2023 estimates, no difficulty adjustment, no aspiration,
    /// nearest whole grade.
    public static let estimate = TargetPolicy(method: .estimate)

    /// The default percentile policy: KS2 2024 distribution, same percentile, nearest whole grade.
    public static let percentile = TargetPolicy(method: .percentile)

    /// Slots an element spans in Attainment 8: English and maths 2 (double weighted), EBacc and
    /// open 3.
    public static func slots(of element: KS4Category.Element) -> Int {
        switch element {
        case .english, .maths: 2
        case .ebacc, .open: 3
        }
    }

    /// The target this policy gives `pupil` in `subject`, or why it gives none.
    ///
    /// - Parameters:
    ///   - scale: the subject's grade scale (must be in GCSE grades, enumerated, higher better).
    ///   - distribution: the subject's national grade distribution, where known (percentile
    ///     method, difficulty adjustment, top-share aspiration).
    public func target(for pupil: Pupil, in subject: Subject, scale: GradeScale,
                       distribution: NationalGradeDistribution?) -> Result<Target, Skip> {
        compute(ks2Average: pupil.priorAttainment?.average, subject: subject, scale: scale, distribution: distribution)
            .map { Target(pupil: pupil.id, subject: subject.id, grade: $0.grade, calculation: $0.calculation) }
    }

    /// The calculation for a KS2 average (nil: no prior attainment) in `subject`, or why there is
    /// none. See ``target(for:in:scale:distribution:)``.
    public func calculate(ks2Average: Double?, subject: Subject, scale: GradeScale,
                          distribution: NationalGradeDistribution?) -> Result<TargetCalculation, Skip> {
        compute(ks2Average: ks2Average, subject: subject, scale: scale, distribution: distribution).map(\.calculation)
    }

    private func compute(ks2Average: Double?, subject: Subject, scale: GradeScale,
                         distribution: NationalGradeDistribution?) -> Result<(grade: GradeScale.Grade, calculation: TargetCalculation), Skip> {
        guard method.isGenerated else { return .failure(.notGenerated(method)) }
        guard let ks2 = ks2Average else { return .failure(.noPriorAttainment) }
        guard scale.numeric == nil, scale.higherIsBetter, scale.pointsUnit == GradeScale.gcsePointsUnit,
              let lowest = scale.grades.first, let highest = scale.grades.last
        else { return .failure(.unsuitableScale(scale.id)) }
        let halfStep = NationalGradeDistribution.halfStep(for: scale.id)
        let share = topShare.map { min(max($0, 0.001), 0.999) }
        if share != nil, distribution == nil { return .failure(.noNationalDistribution) }

        var calculation: TargetCalculation
        switch method {
        case .estimate:
            guard let element = element ?? subject.ks4Category?.element else { return .failure(.noKS4Element) }
            let row = estimates.basis == .scaledScore ? estimates.row(for: ks2) : nil
            let points: Double? = switch element {
            case .english: row?.english
            case .maths: row?.maths
            case .ebacc: row?.ebacc
            case .open: row?.open
            }
            guard let row, let points else { return .failure(.noElementEstimates(estimates.id)) }
            let slots = TargetPolicy.slots(of: element)
            let difficulty = adjustForDifficulty
                ? (distribution.map { $0.meanGrade(halfStep: halfStep) - difficultyReference.meanGrade() } ?? 0) : 0
            calculation = TargetCalculation(
                method: .estimate, ks2Average: ks2, estimatesTable: estimates.id.rawValue, priorAttainmentGroup: row.group,
                element: element, elementEstimate: points, slots: slots,
                nationalDistribution: (adjustForDifficulty || share != nil) ? distribution?.jcqAlias : nil,
                base: points / Double(slots), difficulty: difficulty, expected: 0, rounding: rounding, grade: "")
        case .percentile:
            guard let distribution else { return .failure(.noNationalDistribution) }
            let percentile = ks2Distribution.percentile(of: ks2)
            calculation = TargetCalculation(
                method: .percentile, ks2Average: ks2, ks2Distribution: ks2Distribution.id, ks2Percentile: percentile,
                nationalDistribution: distribution.jcqAlias, base: distribution.grade(atPercentile: percentile, halfStep: halfStep),
                expected: 0, rounding: rounding, grade: "")
        default:
            return .failure(.notGenerated(method))
        }

        var value = calculation.base + calculation.difficulty
        if let share, let distribution {
            // Similar pupils spread around the method's grade: lift it to their top `share`.
            let p = min(max(distribution.percentile(ofGrade: value, halfStep: halfStep), 1e-9), 1 - 1e-9)
            let z = StandardNormal.quantile(p) + similarPupilSpread * StandardNormal.quantile(1 - share)
            value = distribution.grade(atPercentile: StandardNormal.cdf(z), halfStep: halfStep)
            calculation.aspirationShare = share
            calculation.similarPupilSpread = similarPupilSpread
            calculation.aspirationGrade = value
        }
        value += upliftGrades
        calculation.uplift = upliftGrades
        value = min(max(value, lowest.points), highest.points)
        calculation.expected = value
        guard let grade = rounding.round(value, among: scale.grades) else { return .failure(.unsuitableScale(scale.id)) }
        calculation.grade = grade.code
        return .success((grade, calculation))
    }
}
