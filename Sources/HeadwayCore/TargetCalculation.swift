import Foundation

/// How a generated target was worked out: the method and its version, every input, each
/// intermediate value and the unrounded result — enough to reproduce the target and to explain
/// it to a parent. Stored with the target (as JSON text in `targets.method_inputs`).
///
/// All values are in GCSE grade points (one grade = 1 point) unless stated.
public struct TargetCalculation: Hashable, Sendable, Codable {
    /// ``Target/Method/estimate`` or ``Target/Method/percentile``.
    public var method: Target.Method
    /// ``TargetPolicy/methodVersion`` when the target was generated.
    public var version: Int
    /// The pupil's KS2 average (mean of reading and maths scaled scores, or the one present).
    public var ks2Average: Double

    /// Estimate method: the id of the Attainment 8 estimates table (e.g. `ks4-2023`).
    public var estimatesTable: String?
    /// Estimate method: the pupil's KS2 prior attainment group in that table (1 = lowest).
    public var priorAttainmentGroup: Int?
    /// Estimate method: the A8 element whose estimate was used.
    public var element: KS4Category.Element?
    /// Estimate method: the element estimate for the group, in A8 points (e.g. English 10.28).
    public var elementEstimate: Double?
    /// Estimate method: slots the element spans (English and maths 2, EBacc and open 3).
    public var slots: Int?

    /// Percentile method: the id of the KS2 distribution (e.g. `ks2-england-2024`).
    public var ks2Distribution: String?
    /// Percentile method: the pupil's national KS2 percentile, 0…1 (share of pupils below).
    public var ks2Percentile: Double?

    /// JCQ alias of the subject's national grade distribution used (percentile method, difficulty
    /// adjustment or top-share aspiration); nil when none was used.
    public var nationalDistribution: String?
    /// The method's grade before adjustments: element estimate ÷ slots (estimate), or the grade at
    /// the pupil's percentile of the subject's national distribution (percentile).
    public var base: Double
    /// National-difficulty adjustment added (estimate method; 0 when off or unavailable): the
    /// subject's national mean grade minus the all-subject mean.
    public var difficulty: Double
    /// Aspiration as a share: the grade reached by the top `aspirationShare` of similar pupils
    /// (e.g. 0.2); nil when not used.
    public var aspirationShare: Double?
    /// The spread of similar pupils' outcomes assumed for ``aspirationShare``, in national standard
    /// deviations; nil when not used.
    public var similarPupilSpread: Double?
    /// The grade after the top-share aspiration; nil when not used.
    public var aspirationGrade: Double?
    /// Aspiration uplift added, in grades (0 when none).
    public var uplift: Double
    /// The unrounded target: after every adjustment, clamped to the scale's range.
    public var expected: Double
    /// How ``expected`` was rounded to the scale.
    public var rounding: TargetPolicy.Rounding
    /// The target's grade code on the subject's scale (the rounded result).
    public var grade: String

    /// A calculation record; ``TargetPolicy`` builds these.
    public init(method: Target.Method, version: Int = TargetPolicy.methodVersion, ks2Average: Double,
                estimatesTable: String? = nil, priorAttainmentGroup: Int? = nil, element: KS4Category.Element? = nil,
                elementEstimate: Double? = nil, slots: Int? = nil, ks2Distribution: String? = nil, ks2Percentile: Double? = nil,
                nationalDistribution: String? = nil, base: Double, difficulty: Double = 0, aspirationShare: Double? = nil,
                similarPupilSpread: Double? = nil, aspirationGrade: Double? = nil, uplift: Double = 0, expected: Double,
                rounding: TargetPolicy.Rounding, grade: String) {
        self.method = method
        self.version = version
        self.ks2Average = ks2Average
        self.estimatesTable = estimatesTable
        self.priorAttainmentGroup = priorAttainmentGroup
        self.element = element
        self.elementEstimate = elementEstimate
        self.slots = slots
        self.ks2Distribution = ks2Distribution
        self.ks2Percentile = ks2Percentile
        self.nationalDistribution = nationalDistribution
        self.base = base
        self.difficulty = difficulty
        self.aspirationShare = aspirationShare
        self.similarPupilSpread = similarPupilSpread
        self.aspirationGrade = aspirationGrade
        self.uplift = uplift
        self.expected = expected
        self.rounding = rounding
        self.grade = grade
    }

    /// The stored method version, e.g. `estimate/1`.
    public var versionLabel: String { "\(method.rawValue)/\(version)" }

    /// The working in one line, e.g. `KS2 106.0 → group 20 (ks4-2023): English 10.28 ÷ 2 = 5.14
    /// → 5 (nearest whole grade)`, or with adjustments `…: EBacc 13.64 ÷ 3 = 4.55; difficulty −0.14
    /// (HIST) = 4.41 → 4 (nearest whole grade)`.
    public var explanation: String {
        func f(_ x: Double) -> String { String(format: "%.2f", x) }
        func signed(_ x: Double) -> String { (x < 0 ? "−" : "+") + f(abs(x)) }
        var parts: [String] = []
        switch method {
        case .percentile:
            parts.append("KS2 \(String(format: "%.1f", ks2Average)) → national percentile \(String(format: "%.1f", 100 * (ks2Percentile ?? 0)))"
                         + " (\(ks2Distribution ?? "?")) → \(nationalDistribution ?? "?") grade at that percentile \(f(base))")
        default:
            let name = switch element {
            case .english: "English"
            case .maths: "Maths"
            case .ebacc: "EBacc"
            case .open: "Open"
            case nil: "?"
            }
            let estimate = elementEstimate.map(f) ?? "?"
            parts.append("KS2 \(String(format: "%.1f", ks2Average)) → group \(priorAttainmentGroup.map(String.init) ?? "?")"
                         + " (\(estimatesTable ?? "?")): \(name) \(estimate) ÷ \(slots.map(String.init) ?? "?") = \(f(base))")
        }
        if difficulty != 0 { parts.append("difficulty \(signed(difficulty)) (\(nationalDistribution ?? "?"))") }
        if let share = aspirationShare, let grade = aspirationGrade {
            parts.append("top \(String(format: "%g", 100 * share))% of similar pupils → \(f(grade))")
        }
        if uplift != 0 { parts.append("aspiration \(signed(uplift))") }
        let total = parts.count > 1 || abs(expected - base) > 1e-9 ? " = \(f(expected))" : ""  // clamped, or adjusted
        return parts.joined(separator: "; ") + total + " → \(grade) (\(rounding.description))"
    }
}
