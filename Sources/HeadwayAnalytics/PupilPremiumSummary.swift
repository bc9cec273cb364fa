import HeadwayCore

/// The pupil premium summary (issue 6, item 4): for a set of interventions, per
/// ``InterventionType``, what was spent, whom it reached and what it measurably did — the figures
/// a school's pupil premium strategy statement asks for, computed rather than written by hand.
///
/// Per type: the number of interventions; spend = Σ ``Intervention/costPence`` (uncosted ones
/// count 0 and are counted apart), and the part ``Intervention/fundedByPupilPremium``; pupils
/// reached (distinct over the type's interventions) and, of them, the disadvantaged
/// (``Pupil/isDisadvantaged`` true; a pupil not on roll or without the flag is not counted as
/// disadvantaged); cost per pupil reached = spend ÷ pupils reached, rounded to the nearest penny
/// (half up); and the pooled impact of the type (``InterventionImpact/Context/measure(pooled:label:)``:
/// every intervention's treated entries with its own before/after collections, compared with
/// pupils in no intervention of that type; a pupil in two of the type's interventions is one
/// cluster in the cluster-robust interval, their entries from both summed together, and one
/// pupil in the counts). Money is in pence (`Int`), never floating point.
public struct PupilPremiumSummary: Hashable, Sendable {
    /// One type's figures, or the total over all types (``type`` and ``impact`` nil).
    public struct Line: Hashable, Sendable {
        /// The type; nil on the total line.
        public var type: InterventionType?
        /// Interventions of the type.
        public var interventions: Int
        /// Of them, without a cost (counted as 0 in ``spendPence``).
        public var uncosted: Int
        /// Σ cost, pence.
        public var spendPence: Int
        /// Σ cost of those funded by the pupil premium, pence.
        public var pupilPremiumPence: Int
        /// Distinct pupils in any of them.
        public var pupilsReached: Int
        /// Of those, disadvantaged.
        public var disadvantagedReached: Int
        /// spend ÷ pupils reached to the nearest penny (half up); nil when no pupil was reached.
        public var costPerPupilPence: Int? {
            pupilsReached > 0 ? (spendPence * 2 + pupilsReached) / (pupilsReached * 2) : nil
        }
        /// The type's pooled impact; nil on the total line (different types are not pooled).
        public var impact: InterventionImpact?
    }

    /// One line per type present, in type name order.
    public var lines: [Line]
    /// All the interventions together (pupils distinct across types).
    public var total: Line

    /// The summary of `interventions`, measuring impact in `context`.
    public init(_ interventions: [Intervention], context: InterventionImpact.Context) {
        let pupils = context.index.pupils
        func line(_ type: InterventionType?, _ group: [Intervention]) -> Line {
            let reached = Set(group.flatMap(\.pupils))
            let label = type.map { "\($0.words) (\(group.count) intervention\(group.count == 1 ? "" : "s"))" } ?? ""
            return Line(type: type, interventions: group.count, uncosted: group.filter { $0.costPence == nil }.count,
                        spendPence: group.compactMap(\.costPence).reduce(0, +),
                        pupilPremiumPence: group.filter(\.fundedByPupilPremium).compactMap(\.costPence).reduce(0, +),
                        pupilsReached: reached.count,
                        disadvantagedReached: reached.filter { pupils[$0]?.isDisadvantaged == true }.count,
                        impact: type == nil ? nil : context.measure(pooled: group, label: label))
        }
        lines = Dictionary(grouping: interventions, by: \.type).sorted { $0.key < $1.key }.map { line($0.key, $0.value) }
        total = line(nil, interventions)
    }
}
