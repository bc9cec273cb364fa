import HeadwayCore

/// Generates the year's targets from a ``TargetPlan`` (issue 3): one per pupil × subject studied,
/// by the policy for the pupil's year group and subject, keeping imported and overridden targets.
///
/// Rules:
/// - A pair whose stored target was *imported* or *overridden* keeps it, unless `replacing` names
///   that method: generation never overwrites a provider's or a person's target unasked.
/// - A pupil with no KS2 reading or maths score gets no generated target — none is made up — and
///   is listed in ``Result/withoutPriorAttainment``.
/// - A target that can no longer be generated (KS2 removed, policy withdrawn) is kept, never
///   deleted; the pair is listed in ``Result/skipped``.
/// - Pure and deterministic: the same year and plan give the same targets in the same order.
public enum TargetGeneration {
    /// A pupil × subject with no generated target, and why.
    public struct Skipped: Hashable, Sendable {
        /// The pupil.
        public var pupil: Pupil.ID
        /// The subject.
        public var subject: Subject.ID
        /// Why no target was generated.
        public var reason: TargetPolicy.Skip
    }

    /// What generation produced.
    public struct Result: Sendable {
        /// Every target of the year after generation — kept and generated — ordered by pupil,
        /// then subject: the list to save.
        public var targets: [Target]
        /// The targets generated this run (new, or regenerated over an estimate or percentile
        /// target; the store counts an identical one as unchanged).
        public var generated: [Target]
        /// Stored targets kept as they were (imported, overridden, or not regenerable).
        public var kept: [Target]
        /// Pupils with no KS2 prior attainment who would otherwise have had a generated target,
        /// ordered by id. They have none: a data lead must find their KS2 or set targets by hand.
        public var withoutPriorAttainment: [Pupil.ID]
        /// Pupil × subject pairs with no generated target and why, ordered by pupil, then subject.
        public var skipped: [Skipped]
    }

    /// The national grade distribution for a subject: the one given for its id, else the usual one
    /// for its KS4 category (``NationalGradeDistribution/england16_2024(for:)``), else nil.
    public static func distribution(for subject: Subject, given: [Subject.ID: NationalGradeDistribution]) -> NationalGradeDistribution? {
        given[subject.id] ?? subject.ks4Category.flatMap(NationalGradeDistribution.england16_2024(for:))
    }

    /// Generates targets for every pupil × subject studied in `year` (class memberships and
    /// entries, as ``YearIndex/studied``).
    ///
    /// - Parameters:
    ///   - year: pupils (with KS2), subjects, scales, classes, and the targets stored so far.
    ///   - plan: the policy for each year group and subject.
    ///   - distributions: national grade distributions by subject, for subjects whose KS4 category
    ///     does not name one (languages, open subjects) or to override it.
    ///   - replacing: the methods of stored targets that may be regenerated; by default estimate
    ///     and percentile only. Add ``Target/Method/imported`` or ``Target/Method/override`` to
    ///     replace those too — only when the school asks.
    public static func generate(_ year: SchoolYear, plan: TargetPlan, distributions: [Subject.ID: NationalGradeDistribution] = [:],
                                replacing: Set<Target.Method> = [.estimate, .percentile]) -> Result {
        let index = YearIndex(year)
        var existing: [YearIndex.PupilSubject: Target] = [:]
        for target in year.targets { existing[YearIndex.PupilSubject(target.pupil, target.subject)] = target }

        var generated: [Target] = []
        var kept: [Target] = []
        var skipped: [Skipped] = []
        var withoutPriorAttainment = Set<Pupil.ID>()
        var handled = Set<YearIndex.PupilSubject>()

        for pair in index.studied {
            guard let pupil = index.pupils[pair.pupil], let subject = index.subjects[pair.subject],
                  let scale = year.scales[subject.scale] else { continue }
            handled.insert(pair)
            let stored = existing[pair]
            if let stored, !replacing.contains(stored.method) {
                kept.append(stored)
                continue
            }
            guard let policy = plan.policy(yearGroup: pupil.yearGroup, subject: subject.id) else {
                skipped.append(Skipped(pupil: pupil.id, subject: subject.id, reason: .noPolicy))
                if let stored { kept.append(stored) }
                continue
            }
            switch policy.target(for: pupil, in: subject, scale: scale, distribution: distribution(for: subject, given: distributions)) {
            case .success(let target):
                generated.append(target)
            case .failure(let reason):
                if reason == .noPriorAttainment { withoutPriorAttainment.insert(pupil.id) }
                skipped.append(Skipped(pupil: pupil.id, subject: subject.id, reason: reason))
                if let stored { kept.append(stored) }
            }
        }
        // Targets for pairs not studied this year (a dropped subject) are kept, never deleted.
        for target in year.targets where !handled.contains(YearIndex.PupilSubject(target.pupil, target.subject)) {
            kept.append(target)
        }
        let order = { (a: Target, b: Target) in (a.pupil, a.subject) < (b.pupil, b.subject) }
        return Result(targets: (generated + kept).sorted(by: order), generated: generated, kept: kept.sorted(by: order),
                      withoutPriorAttainment: withoutPriorAttainment.sorted(), skipped: skipped)
    }
}
