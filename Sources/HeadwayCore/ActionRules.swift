/// The rules that turn a collection's data into action lists (issue 6, items 1 and 2): who is
/// below expected progress in several subjects, well below it in a core subject, falling since the last
/// collection, whose attitude to learning (ATL) is a concern, and whose ATL deserves reward.
/// Each rule can be switched off and has documented settings; ``standard`` holds the defaults.
///
/// A school writes its own in a TOML file (`data/rules/action-lists.toml`, read by HeadwayImport's
/// `ActionRulesFile`); HeadwayAnalytics' `ActionLists.compute` applies them. The value lives in
/// Core, beside ``TargetPlan``, because both the reader (HeadwayImport) and the lists
/// (HeadwayAnalytics) need it and neither may import the other (ARCHITECTURE.md).
///
/// Units: grade thresholds are points of the subject's grade scale (one GCSE grade = 1 point);
/// ATL thresholds are points of the ATL scale named by ``atlScale``. See `docs/action-lists.md`
/// for why each default is what it is.
public struct ActionRules: Hashable, Sendable {
    /// One rule, by the name used in the rules file, in exports and in file names.
    public enum Rule: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
        /// Below expected progress — status band `below` or `well_below`, i.e. working-at half a
        /// grade or more under the flight-path grade expected at the collection (not the end-of-year
        /// target) — in ``BelowExpected/minSubjects`` or more subjects. Named `below_target` until
        /// issue 12 (item 10): the old key is still read, with a warning.
        case belowExpected = "below_expected_progress"
        /// Well below expected progress (band `well_below`) in any of the school's core subjects
        /// (``WellBelowCore/subjects``).
        case wellBelowCore = "well_below_core"
        /// Working-at grade dropped by ``Falling/minDrop`` or more since the year group's previous
        /// collection, in ``Falling/minSubjects`` or more subjects.
        case falling
        /// Mean ATL at or beyond a concern threshold (the *ATL intervention* list).
        case atlConcern = "atl_concern"
        /// Mean ATL consistently at or better than an excellence threshold (the *ATL reward* list).
        case atlReward = "atl_reward"

        /// The rule's name: `below_target`, …
        public var description: String { rawValue }
        /// Words for headings: "below expected progress", "well below expected progress in core
        /// subjects", "falling", "ATL concern", "ATL reward".
        public var words: String {
            switch self {
            case .belowExpected: "below expected progress"
            case .wellBelowCore: "well below expected progress in core subjects"
            case .falling: "falling"
            case .atlConcern: "ATL concern"
            case .atlReward: "ATL reward"
            }
        }
        /// The name with dashes, for file names: `below-expected-progress`, `atl-reward`.
        public var slug: String { rawValue.replacingOccurrences(of: "_", with: "-") }

        /// Rule names used before issue 12 (item 10), by what they are now: `below_target`
        /// compared with the flight-path grade, never the target, so it was renamed.
        public static let formerNames: [String: Rule] = ["below_target": .belowExpected]

        /// The rule called `name` now or formerly (``formerNames``); nil for neither.
        public static func named(_ name: String) -> Rule? { Rule(rawValue: name) ?? formerNames[name] }
    }

    /// `below_expected_progress`: below expected progress in at least `minSubjects` subjects at the collection.
    public struct BelowExpected: Hashable, Sendable {
        /// Default true.
        public var enabled: Bool
        /// Subjects with a status of `below` or `well_below` needed; at least 1. Default 3.
        public var minSubjects: Int

        /// The rule; defaults as documented on each property.
        public init(enabled: Bool = true, minSubjects: Int = 3) {
            self.enabled = enabled
            self.minSubjects = minSubjects
        }
    }

    /// `well_below_core`: well below expected progress in any of `subjects`.
    public struct WellBelowCore: Hashable, Sendable {
        /// Default true.
        public var enabled: Bool
        /// The school's core subject codes; default `["EN", "MA"]` (English language and maths in
        /// the demo school). A school uses its own codes (e.g. `["ENG", "MAT"]`): codes the year
        /// does not have simply match nobody. At least one when enabled.
        public var subjects: [Subject.ID]

        /// The rule; defaults as documented on each property.
        public init(enabled: Bool = true, subjects: [Subject.ID] = ["EN", "MA"]) {
            self.enabled = enabled
            self.subjects = subjects
        }
    }

    /// `falling`: working-at dropped by at least `minDrop` points since the year group's previous
    /// collection in at least `minSubjects` subjects.
    public struct Falling: Hashable, Sendable {
        /// Default true.
        public var enabled: Bool
        /// The drop that counts, in points of the subject's scale (one GCSE grade = 1); greater
        /// than 0. Default 1.0.
        public var minDrop: Double
        /// Subjects that must have dropped; at least 1. Default 2.
        public var minSubjects: Int

        /// The rule; defaults as documented on each property.
        public init(enabled: Bool = true, minDrop: Double = 1.0, minSubjects: Int = 2) {
            self.enabled = enabled
            self.minDrop = minDrop
            self.minSubjects = minSubjects
        }
    }

    /// `atl_concern` and `atl_reward`: a pupil's mean ATL against a threshold, over at least
    /// `minSubjects` ATL grades.
    public struct ATLRule: Hashable, Sendable {
        /// Default true.
        public var enabled: Bool
        /// Mean ATL, in points of the ATL scale; must lie on the scale (between its lowest and
        /// highest points). Concern: 3.0 by default; reward: 1.25.
        public var threshold: Double
        /// ATL grades the mean must be taken over; at least 1. Concern: 3 by default; reward: 4.
        public var minSubjects: Int

        /// The rule; ``ActionRules/standard`` holds each ATL rule's defaults.
        public init(enabled: Bool = true, threshold: Double, minSubjects: Int) {
            self.enabled = enabled
            self.threshold = threshold
            self.minSubjects = minSubjects
        }
    }

    /// The ATL scale the ATL rules read (a subject's ``Subject/atlScale``); ATL grades of subjects
    /// on another ATL scale are ignored, and counted on each ATL list. Default
    /// ``GradeScale/atlID`` (1–4, 1 best).
    public var atlScale: GradeScale.ID
    /// `[below_expected_progress]`: 3 or more subjects by default.
    public var belowExpected: BelowExpected
    /// `[well_below_core]`: EN or MA by default.
    public var wellBelowCore: WellBelowCore
    /// `[falling]`: a grade or more in 2 or more subjects by default.
    public var falling: Falling
    /// "At or beyond" the threshold means at it or on the worse side of it, following the ATL
    /// scale's ``GradeScale/higherIsBetter`` (on the built-in scale: mean ≥ 3.0).
    public var atlConcern: ATLRule
    /// "At or better than" the threshold, in this collection and in the year group's previous
    /// collection when there is one (on the built-in scale: mean ≤ 1.25 both times).
    public var atlReward: ATLRule

    /// Rules; every parameter has the documented default.
    public init(atlScale: GradeScale.ID = GradeScale.atlID, belowExpected: BelowExpected = .init(), wellBelowCore: WellBelowCore = .init(),
                falling: Falling = .init(), atlConcern: ATLRule = .init(threshold: 3.0, minSubjects: 3),
                atlReward: ATLRule = .init(threshold: 1.25, minSubjects: 4)) {
        self.atlScale = atlScale
        self.belowExpected = belowExpected
        self.wellBelowCore = wellBelowCore
        self.falling = falling
        self.atlConcern = atlConcern
        self.atlReward = atlReward
    }

    /// The defaults: below expected progress in 3+ subjects; well below it in EN or MA; fell 1+ grade in 2+
    /// subjects; mean ATL ≥ 3.0 over 3+ subjects; mean ATL ≤ 1.25 over 4+ subjects now and at the
    /// previous collection — all on the built-in ATL scale, all enabled.
    public static let standard = ActionRules()

    /// Whether a rule is switched on.
    public func isEnabled(_ rule: Rule) -> Bool {
        switch rule {
        case .belowExpected: belowExpected.enabled
        case .wellBelowCore: wellBelowCore.enabled
        case .falling: falling.enabled
        case .atlConcern: atlConcern.enabled
        case .atlReward: atlReward.enabled
        }
    }

    /// The rules switched on, in ``Rule/allCases`` order.
    public var enabledRules: [Rule] { Rule.allCases.filter(isEnabled) }

    /// The rule with its settings in words, for headings and help. With the defaults: "below
    /// expected progress in 3 or more subjects", "well below expected progress in EN or MA", "fell 1 grade or more in 2
    /// or more subjects since the previous collection", "mean ATL 3 or higher over 3 or more
    /// subjects", "mean ATL 1.25 or lower over 4 or more subjects, now and at the previous
    /// collection". `higherIsBetter` is the ATL scale's direction (false on the built-in scale),
    /// which turns "higher" and "lower" round.
    public func summary(of rule: Rule, higherIsBetter: Bool = false) -> String {
        switch rule {
        case .belowExpected:
            return "below expected progress in \(belowExpected.minSubjects) or more subjects"
        case .wellBelowCore:
            return "well below expected progress in \(Self.orList(wellBelowCore.subjects.map(\.rawValue)))"
        case .falling:
            return "fell \(Self.grades(falling.minDrop)) or more in \(falling.minSubjects) or more subjects since the previous collection"
        case .atlConcern:
            return "mean ATL \(Self.format(atlConcern.threshold)) or \(higherIsBetter ? "lower" : "higher") over \(atlConcern.minSubjects) or more subjects"
        case .atlReward:
            return "mean ATL \(Self.format(atlReward.threshold)) or \(higherIsBetter ? "higher" : "lower") over \(atlReward.minSubjects) or more subjects,"
                + " now and at the previous collection"
        }
    }

    /// Something wrong with one setting: the key as written in the rules file (e.g.
    /// `falling.min_drop`), the value, and why.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// Key path in the rules file, e.g. `atl_concern.threshold`.
        public var key: String
        /// The value as text, e.g. `0`.
        public var value: String
        /// What is wrong and what to do.
        public var reason: String

        /// A problem with one key.
        public init(key: String, value: String, reason: String) {
            self.key = key
            self.value = value
            self.reason = reason
        }

        /// `key "falling.min_drop" value "0": must be greater than 0`.
        public var description: String { "key \"\(key)\" value \"\(value)\": \(reason)" }
    }

    /// Every invalid setting, all at once (empty when the rules can be used), whether or not its
    /// rule is enabled: `atl_scale` must be one of `scales`; each ATL threshold must lie between
    /// the lowest and highest points of that scale (inclusive); every `min_subjects` at least 1;
    /// `min_drop` a finite number greater than 0; `well_below_core.subjects` without blank or
    /// repeated codes, and at least one when the rule is enabled.
    ///
    /// - Parameter scales: the school's scales (``SchoolYear/scales``); the built-in ones by default.
    public func problems(scales: [GradeScale.ID: GradeScale] = GradeScale.builtIn) -> [Problem] {
        var out: [Problem] = []
        func add(_ key: String, _ value: String, _ reason: String) { out.append(Problem(key: key, value: value, reason: reason)) }
        for (key, n) in [("below_expected_progress.min_subjects", belowExpected.minSubjects), ("falling.min_subjects", falling.minSubjects),
                         ("atl_concern.min_subjects", atlConcern.minSubjects), ("atl_reward.min_subjects", atlReward.minSubjects)]
        where n < 1 {
            add(key, String(n), "must be 1 or more")
        }
        if !(falling.minDrop.isFinite && falling.minDrop > 0) {
            add("falling.min_drop", Self.format(falling.minDrop), "must be a number greater than 0 (points of the subject's scale: 1 is one GCSE grade)")
        }
        var seen = Set<Subject.ID>()
        for subject in wellBelowCore.subjects {
            if subject.rawValue.allSatisfy(\.isWhitespace) {
                add("well_below_core.subjects", subject.rawValue, "a subject code must not be blank")
            } else if !seen.insert(subject).inserted {
                add("well_below_core.subjects", subject.rawValue, "listed twice; list each subject code once")
            }
        }
        if wellBelowCore.enabled, wellBelowCore.subjects.isEmpty {
            add("well_below_core.subjects", "[]", "list at least one subject code (e.g. [\"EN\", \"MA\"]), or set enabled = false")
        }
        guard let scale = scales[atlScale] else {
            let known = scales.keys.map(\.rawValue).sorted().joined(separator: ", ")
            add("atl_scale", atlScale.rawValue, "unknown scale; known scales: \(known)")
            return out
        }
        guard let range = Self.pointsRange(of: scale) else {
            add("atl_scale", atlScale.rawValue, "the scale has no grades")
            return out
        }
        for (key, threshold) in [("atl_concern.threshold", atlConcern.threshold), ("atl_reward.threshold", atlReward.threshold)]
        where !(threshold.isFinite && range.contains(threshold)) {
            add(key, Self.format(threshold),
                "not on the ATL scale \(scale.id) (\(scale.name)): give a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
        }
        // A pupil must never be both rewarded and a concern: the reward threshold must be
        // strictly better than the concern threshold in the scale's direction.
        if atlConcern.enabled, atlReward.enabled, atlConcern.threshold.isFinite, atlReward.threshold.isFinite {
            let better = scale.higherIsBetter ? atlReward.threshold > atlConcern.threshold : atlReward.threshold < atlConcern.threshold
            if !better {
                add("atl_reward.threshold", Self.format(atlReward.threshold),
                    "must be better than atl_concern.threshold (\(Self.format(atlConcern.threshold))) on \(scale.id), where "
                    + (scale.higherIsBetter ? "higher" : "lower") + " is better: otherwise a pupil could be on both the reward and the concern list")
            }
        }
        return out
    }

    /// Lowest to highest points of a scale; nil for an enumerated scale without grades.
    public static func pointsRange(of scale: GradeScale) -> ClosedRange<Double>? {
        if let numeric = scale.numeric { return numeric.minimum...numeric.maximum }
        guard let low = scale.grades.first?.points, let high = scale.grades.last?.points else { return nil }
        return low...high
    }

    /// Shortest decimal form with at most four decimals, as settings are written and shown in
    /// reasons: `3`, `1.25`, `-1`, `0.5`.
    public static func format(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return String(value) }  // beyond Int's reach: Swift's own form
        let scaled = (value * 10_000).rounded()
        let whole = Int(scaled / 10_000)
        var fraction = Int(abs(scaled).truncatingRemainder(dividingBy: 10_000))
        guard fraction != 0 else { return String(whole) }
        var digits = 4
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let sign = value < 0 && whole == 0 ? "-" : ""
        let padded = String(repeating: "0", count: digits - String(fraction).count) + String(fraction)
        return "\(sign)\(whole).\(padded)"
    }

    /// "1 grade", "1.5 grades".
    static func grades(_ value: Double) -> String { "\(format(value)) grade\(value == 1 ? "" : "s")" }

    /// "EN", "EN or MA", "EN, MA or SC".
    static func orList(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "no subject" }
        return items.dropLast().joined(separator: ", ") + " or " + items.last!
    }
}
