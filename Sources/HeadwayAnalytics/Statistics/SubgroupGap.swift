import HeadwayCore

/// A gap between a subgroup of pupils and its comparison group on one pupil-level outcome
/// (e.g. mean working-at grade, mean residual to target, forecast Attainment 8), with n,
/// both means, the difference and its 95% interval (Welch).
///
/// The standard comparisons (DfE convention for gaps): disadvantaged vs other pupils; SEN support
/// (K) vs no SEN (N); EHC plan (E) vs no SEN; EAL vs other; each gender vs the others; low and high
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

    /// Gaps on `outcome` (one value per pupil; pupils absent from it are left out) for the
    /// standard comparisons, plus each recorded gender against the others. Comparisons where
    /// either side has no pupil are omitted.
    public static func compute(pupils: [Pupil], outcome: [Pupil.ID: Double]) -> [SubgroupGap] {
        func traits(_ p: Pupil) -> [String: String] {
            var t = p.characteristics
            if let band = p.priorAttainment?.band { t[Characteristic.priorAttainmentBand] = band.rawValue }
            return t
        }
        let rows = pupils.compactMap { p in outcome[p.id].map { (traits(p), $0) } }
        var comparisons = standardComparisons
        let genders = Set(rows.compactMap { $0.0[Characteristic.gender] }).sorted()
        if genders.count > 1 {
            for g in genders {
                comparisons.append((Characteristic.gender, g, Set(genders).subtracting([g]), "not \(g)"))
            }
        }
        return comparisons.compactMap { c in
            let inGroup = rows.filter { $0.0[c.characteristic] == c.group }.map(\.1)
            let inComparison = rows.filter { $0.0[c.characteristic].map(c.comparison.contains) ?? false }.map(\.1)
            guard let a = MeanSummary(inGroup), let b = MeanSummary(inComparison) else { return nil }
            return SubgroupGap(characteristic: c.characteristic, group: c.group, comparison: c.label,
                               difference: MeanDifference(group: a, comparison: b))
        }
    }
}
