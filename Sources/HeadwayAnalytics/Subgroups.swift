import HeadwayCore

/// Mean working-at grade and mean change since the first collection for each value of each
/// pupil characteristic (and the derived KS2 prior attainment band), overall and per subject.
///
/// Units: points of the subject's scale. Means are over pupil × subject pairs with a grade —
/// blanks, `X`, `Z` and off-scale values are left out, never counted as zero — and every mean
/// carries its count so a reader can judge it. Mixing subjects whose points mean different
/// things in one "all subjects" line would be meaningless, so that line is given only when
/// every subject's scale has the same ``GradeScale/pointsUnit``.
public struct SubgroupSummary: Hashable, Sendable {
    public var characteristic: String
    public var value: String
    /// Subject id, or nil for all subjects together.
    public var subject: Subject.ID?
    /// Pupil × subject pairs with a working-at grade in the latest collection.
    public var latestCount: Int
    public var latestMean: Double?
    /// Pairs with a grade in both the first and the last collection.
    public var changeCount: Int
    public var changeMean: Double?

    /// All summaries, sorted by characteristic, subject (all subjects first), value.
    public static func compute(_ index: YearIndex) -> [SubgroupSummary] {
        guard let latest = index.collections.last else { return [] }
        let sinceFirst = Dictionary(Progress.changesSinceFirst(index).map { (YearIndex.PupilSubject($0.pupil, $0.subject), $0.change) },
                                    uniquingKeysWith: { a, _ in a })
        let units = Set(index.year.subjects.map { index.year.scales[$0.scale]?.pointsUnit ?? $0.scale.rawValue })
        let withAll = units.count == 1
        struct Acc { var latest = RunningMoments(); var change = RunningMoments() }
        var acc: [String: [String: [Subject.ID?: Acc]]] = [:]
        // Each pupil's characteristics, read once: the general ones, and `name:SUBJECT` ones by subject.
        var general: [Pupil.ID: [(String, String)]] = [:]
        var perSubject: [Pupil.ID: [Subject.ID: [(String, String)]]] = [:]
        for pupil in index.year.pupils {
            var traits: [(String, String)] = [(Characteristic.priorAttainmentBand, pupil.priorAttainment?.band?.rawValue ?? "none")]
            var bySubject: [Subject.ID: [(String, String)]] = [:]
            for (key, value) in pupil.characteristics {
                if let colon = key.firstIndex(of: ":") {
                    bySubject[Subject.ID(String(key[key.index(after: colon)...])), default: []].append((String(key[..<colon]), value))
                } else {
                    traits.append((key, value))
                }
            }
            general[pupil.id] = traits
            if !bySubject.isEmpty { perSubject[pupil.id] = bySubject }
        }
        for pair in index.studied {
            guard let traits = general[pair.pupil] else { continue }
            let latestPoints = index.workingAt(latest.id, pair)?.points
            let change = sinceFirst[pair]
            guard latestPoints != nil || change != nil else { continue }
            let scopes: [Subject.ID?] = withAll ? [nil, pair.subject] : [pair.subject]
            for (name, value) in traits + (perSubject[pair.pupil]?[pair.subject] ?? []) {
                for scope in scopes {
                    if let latestPoints { acc[name, default: [:]][value, default: [:]][scope, default: Acc()].latest.add(latestPoints) }
                    if let change { acc[name, default: [:]][value, default: [:]][scope, default: Acc()].change.add(change) }
                }
            }
        }
        var out: [SubgroupSummary] = []
        for (name, values) in acc {
            for (value, scopes) in values {
                for (scope, a) in scopes {
                    out.append(SubgroupSummary(characteristic: name, value: value, subject: scope, latestCount: a.latest.count,
                                               latestMean: a.latest.count > 0 ? a.latest.mean : nil, changeCount: a.change.count,
                                               changeMean: a.change.count > 0 ? a.change.mean : nil))
                }
            }
        }
        // Bands read low → middle → high → none; other values alphabetically.
        func rank(_ s: SubgroupSummary) -> String {
            guard s.characteristic == Characteristic.priorAttainmentBand else { return s.value }
            return PriorAttainment.Band(rawValue: s.value).map { "\(PriorAttainment.Band.allCases.firstIndex(of: $0)!)" } ?? "9"
        }
        return out.sorted {
            ($0.characteristic, $0.subject?.rawValue ?? "", rank($0)) < ($1.characteristic, $1.subject?.rawValue ?? "", rank($1))
        }
    }
}
