import HeadwayCore

/// A gap between a subgroup of pupils and its comparison group on one pupil-level outcome
/// (e.g. mean working-at grade, mean residual to target, forecast Attainment 8), with n,
/// both means, the difference and its 95% interval (Welch).
///
/// The standard comparisons (DfE convention for gaps): disadvantaged vs other pupils; SEN support
/// (K) vs no SEN (N); EHC plan (E) vs no SEN; EAL vs other; girls vs boys (with three or more
/// recorded genders, each vs the others); low and high
/// prior attainment vs middle. A pupil without the characteristic recorded is in neither group.
public struct SubgroupGap: Hashable, Sendable {
    public var characteristic: String
    /// e.g. `true` (disadvantaged), `K`, `low`.
    public var group: String
    /// e.g. `false`, `N`, `middle`, or `not F` for each-vs-rest comparisons.
    public var comparison: String
    public var difference: MeanDifference

    /// The standard comparisons as (characteristic, group value, comparison values).
    public static let standardComparisons: [(characteristic: String, group: String, comparison: Set<String>, label: String)] = [
        (Characteristic.disadvantaged, "true", ["false"], "false"),
        (Characteristic.sen, SENStatus.senSupport.rawValue, [SENStatus.none.rawValue], SENStatus.none.rawValue),
        (Characteristic.sen, SENStatus.ehcPlan.rawValue, [SENStatus.none.rawValue], SENStatus.none.rawValue),
        (Characteristic.eal, "true", ["false"], "false"),
        (Characteristic.lookedAfter, "true", ["false"], "false"),
        (Characteristic.priorAttainmentBand, PriorAttainment.Band.low.rawValue, [PriorAttainment.Band.middle.rawValue], PriorAttainment.Band.middle.rawValue),
        (Characteristic.priorAttainmentBand, PriorAttainment.Band.high.rawValue, [PriorAttainment.Band.middle.rawValue], PriorAttainment.Band.middle.rawValue),
    ]

    /// Groups smaller than this are not compared: a gap for 1–4 pupils says more about those
    /// pupils than about the group, and could identify them (DOMAIN.md: no cell under 5).
    public static let minimumGroupSize = 5

    /// The characteristics the standard comparisons read, in a fixed order.
    static let characteristics = [Characteristic.disadvantaged, Characteristic.sen, Characteristic.eal, Characteristic.lookedAfter,
                                  Characteristic.gender, Characteristic.priorAttainmentBand]

    /// Running moments of an outcome for each value of each standard characteristic: fed one
    /// pupil at a time, mergeable across chunks (so a national cohort can be split over cores),
    /// and turned into gaps at the end. Each pupil's characteristics are read once.
    public struct Accumulator: Sendable {
        /// values[c] = the values seen for characteristic c with their moments (a handful: linear search).
        var values: [[(value: String, moments: RunningMoments)]] = Array(repeating: [], count: SubgroupGap.characteristics.count)

        public init() {}

        /// Adds one pupil's outcome under each of their standard characteristics.
        public mutating func add(_ pupil: Pupil, _ outcome: Double) {
            for (c, name) in SubgroupGap.characteristics.enumerated() {
                let value = name == Characteristic.priorAttainmentBand ? pupil.priorAttainment?.band?.rawValue : pupil.characteristics[name]
                guard let value else { continue }
                if let k = values[c].firstIndex(where: { $0.value == value }) {
                    values[c][k].moments.add(outcome)
                } else {
                    var m = RunningMoments()
                    m.add(outcome)
                    values[c].append((value, m))
                }
            }
        }

        public mutating func merge(_ other: Accumulator) {
            for c in other.values.indices {
                for (value, m) in other.values[c] {
                    if let k = values[c].firstIndex(where: { $0.value == value }) { values[c][k].moments.merge(m) } else { values[c].append((value, m)) }
                }
            }
        }

        func moments(_ c: Int, _ accept: (String) -> Bool) -> RunningMoments {
            var m = RunningMoments()
            for v in values[c] where accept(v.value) { m.merge(v.moments) }
            return m
        }

        /// The standard comparisons, then girls vs boys (or each of 3+ recorded genders against the others); comparisons
        /// where either side has fewer than ``SubgroupGap/minimumGroupSize`` pupils are omitted.
        public var gaps: [SubgroupGap] { gaps(minimumGroupSize: SubgroupGap.minimumGroupSize) }

        /// As ``gaps``, with another smallest group size (at least 1).
        public func gaps(minimumGroupSize: Int) -> [SubgroupGap] {
            var comparisons = SubgroupGap.standardComparisons
            let g = SubgroupGap.characteristics.firstIndex(of: Characteristic.gender)!
            let genders = values[g].map(\.value).sorted()
            // Two recorded genders are one comparison, not two mirror images ("F vs not F" and
            // "M vs not M" say the same twice; issue 12, item 7): girls vs boys, or the first
            // value vs the second. Three or more: each against the rest.
            if genders.count == 2 {
                let (a, b) = genders == ["F", "M"] ? ("F", "M") : (genders[0], genders[1])
                comparisons.append((Characteristic.gender, a, [b], b))
            } else if genders.count > 2 {
                for v in genders { comparisons.append((Characteristic.gender, v, Set(genders).subtracting([v]), "not \(v)")) }
            }
            return comparisons.compactMap { cmp in
                guard let c = SubgroupGap.characteristics.firstIndex(of: cmp.characteristic),
                      let a = MeanSummary(moments(c, { $0 == cmp.group })), let b = MeanSummary(moments(c, cmp.comparison.contains)),
                      a.count >= minimumGroupSize, b.count >= minimumGroupSize
                else { return nil }
                return SubgroupGap(characteristic: cmp.characteristic, group: cmp.group, comparison: cmp.label,
                                   difference: MeanDifference(group: a, comparison: b))
            }
        }
    }

    /// Gaps on `outcome` (one value per pupil; pupils absent from it are left out) for the
    /// standard comparisons, plus girls vs boys (or each of 3+ recorded genders vs the others); comparisons with a
    /// side smaller than `minimumGroupSize` are omitted.
    public static func compute(pupils: [Pupil], outcome: [Pupil.ID: Double], minimumGroupSize: Int = SubgroupGap.minimumGroupSize) -> [SubgroupGap] {
        var accumulator = Accumulator()
        for pupil in pupils {
            if let x = outcome[pupil.id] { accumulator.add(pupil, x) }
        }
        return accumulator.gaps(minimumGroupSize: max(1, minimumGroupSize))
    }
}
