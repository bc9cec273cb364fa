import HeadwayCore

/// Mean working-at grade and mean change since the first collection for each value of each
/// pupil characteristic (and the derived KS2 prior attainment band) in each year group, overall
/// and per subject.
///
/// Each summary belongs to one year group: a Year 7 and a Year 11 grade mean different things,
/// so means are never taken across year groups (issue 12, item 5). Each carries two counts: the
/// pupils it covers (each pupil once, however many subjects they take) and the entries (pupil ×
/// subject pairs) its mean is over.
///
/// Units: points of the subject's scale. Means are over pupil × subject pairs with a grade —
/// blanks, `X`, `Z` and off-scale values are left out, never counted as zero — and every mean
/// carries its count so a reader can judge it. Mixing subjects whose points mean different
/// things in one "all subjects" line would be meaningless, so that line is given only when
/// every subject's scale has the same ``GradeScale/pointsUnit``.
public struct SubgroupSummary: Hashable, Sendable {
    public var characteristic: String
    public var value: String
    /// The year group the summary covers.
    public var yearGroup: Int
    /// Subject id, or nil for all subjects together.
    public var subject: Subject.ID?
    /// Entries (pupil × subject pairs) with a working-at grade in the latest collection.
    public var latestCount: Int
    /// Pupils with at least one of those entries, each counted once.
    public var latestPupils: Int
    public var latestMean: Double?
    /// Entries (pupil × subject pairs) with a grade in both the first and the last collection.
    public var changeCount: Int
    /// Pupils with at least one of those entries, each counted once.
    public var changePupils: Int
    public var changeMean: Double?

    /// All summaries, sorted by characteristic, year group, subject (all subjects first), value.
    public static func compute(_ index: YearIndex) -> [SubgroupSummary] {
        guard let latest = index.collections.last else { return [] }
        let units = Set(index.year.subjects.map { index.year.scales[$0.scale]?.pointsUnit ?? $0.scale.rawValue })
        let withAll = units.count == 1
        let last = index.collectionNumber(latest.id)!
        let first = index.collections.first.flatMap { $0.id == latest.id ? nil : index.collectionNumber($0.id) }
        let subjectCount = index.subjectIDs.count

        // Every characteristic = value pair gets a number; each pupil's general ones are read
        // once, and `name:SUBJECT` ones are kept by grid cell.
        struct Trait: Hashable { var name: String; var value: String }
        var traitNumbers: [Trait: Int] = [:]
        var traits: [Trait] = []
        func number(_ trait: Trait) -> Int {
            if let n = traitNumbers[trait] { return n }
            traitNumbers[trait] = traits.count
            traits.append(trait)
            return traits.count - 1
        }
        var general = Array(repeating: [Int](), count: index.pupilRecords.count)
        var perCell: [Int: [Int]] = [:]
        for (p, pupil) in index.pupilRecords.enumerated() {
            guard let pupil else { continue }
            general[p].append(number(Trait(name: Characteristic.priorAttainmentBand, value: pupil.priorAttainment?.band?.rawValue ?? "none")))
            // Attendance is a measure (a percentage), not a group: one subgroup per value would swamp the tables.
            for (key, value) in pupil.characteristics where key != Characteristic.attendance {
                if let colon = key.firstIndex(of: ":") {
                    guard let pair = index.pair(pupil.id, Subject.ID(String(key[key.index(after: colon)...]))) else { continue }
                    perCell[index.cell(pair)!, default: []].append(number(Trait(name: String(key[..<colon]), value: value)))
                } else {
                    general[p].append(number(Trait(name: key, value: value)))
                }
            }
        }

        // Accumulators per trait × year group × scope (0 = all subjects, 1 + subject number).
        // `studied` is sorted by pupil, so a pupil is new to an accumulator when it differs from
        // the last one added.
        struct Acc {
            var latest = RunningMoments(), change = RunningMoments()
            var latestPupils = 0, changePupils = 0, lastLatest = -1, lastChange = -1
        }
        let yearGroups = Set(index.pupilRecords.compactMap { $0?.yearGroup }).sorted()
        let yearSlot = Dictionary(uniqueKeysWithValues: yearGroups.enumerated().map { ($1, $0) })
        // One flat array, trait × year group × scope, grown a trait at a time; values reach each
        // accumulator in the same order as ever, so the means are the same to the last bit.
        let scopes = subjectCount + 1, perTrait = yearGroups.count * scopes
        var acc: [Acc] = []
        func add(_ t: Int, _ y: Int, _ scope: Int, _ p: Int, _ latestPoints: Double?, _ change: Double?) {
            while acc.count < (t + 1) * perTrait { acc.append(contentsOf: repeatElement(Acc(), count: perTrait)) }
            let i = (t * yearGroups.count + y) * scopes + scope
            if let latestPoints {
                acc[i].latest.add(latestPoints)
                if acc[i].lastLatest != p { acc[i].lastLatest = p; acc[i].latestPupils += 1 }
            }
            if let change {
                acc[i].change.add(change)
                if acc[i].lastChange != p { acc[i].lastChange = p; acc[i].changePupils += 1 }
            }
        }
        let noTraits: [Int] = []
        for pair in index.studied {
            let p = Int(pair.pupilNumber)
            guard let record = index.pupilRecords[p], let y = yearSlot[record.yearGroup] else { continue }
            let cell = index.cell(pair)!
            let latestValue = index.workingAt(collection: last, cell: cell) ?? nil
            let latestPoints = latestValue?.points
            var change: Double?
            if let first, case .grade(let to)? = latestValue, case .grade(let from)?? = index.workingAt(collection: first, cell: cell) {
                change = to.points - from.points
            }
            guard latestPoints != nil || change != nil else { continue }
            let subjectScope = 1 + Int(pair.subjectNumber)
            for t in general[p] {
                if withAll { add(t, y, 0, p, latestPoints, change) }
                add(t, y, subjectScope, p, latestPoints, change)
            }
            for t in perCell.isEmpty ? noTraits : perCell[cell] ?? noTraits {
                if withAll { add(t, y, 0, p, latestPoints, change) }
                add(t, y, subjectScope, p, latestPoints, change)
            }
        }
        var out: [SubgroupSummary] = []
        for t in 0..<(acc.count / max(perTrait, 1)) {
            for y in 0..<yearGroups.count {
                for scope in 0..<scopes {
                    let a = acc[(t * yearGroups.count + y) * scopes + scope]
                    guard a.latest.count > 0 || a.change.count > 0 else { continue }
                    out.append(SubgroupSummary(characteristic: traits[t].name, value: traits[t].value, yearGroup: yearGroups[y],
                                               subject: scope == 0 ? nil : index.subjectIDs[scope - 1],
                                               latestCount: a.latest.count, latestPupils: a.latestPupils,
                                               latestMean: a.latest.count > 0 ? a.latest.mean : nil,
                                               changeCount: a.change.count, changePupils: a.changePupils,
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
            ($0.characteristic, $0.yearGroup, $0.subject?.rawValue ?? "", rank($0)) < ($1.characteristic, $1.yearGroup, $1.subject?.rawValue ?? "", rank($1))
        }
    }
}
