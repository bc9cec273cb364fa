import HeadwayCore

/// The change in working-at grade for one pupil in one subject between two collections, in
/// points of the subject's scale (one GCSE grade = 1 point; one mark on a 0–20 scale = 1).
public struct GradeChange: Hashable, Sendable {
    public var pupil: Pupil.ID
    public var subject: Subject.ID
    public var from: DataCollection.ID
    public var to: DataCollection.ID
    public var fromGrade: GradeScale.Grade
    public var toGrade: GradeScale.Grade
    /// `toGrade.points − fromGrade.points`; positive is better on a higher-is-better scale.
    public var change: Double { toGrade.points - fromGrade.points }
}

/// Changes between collections (issue 2, first slice of progress).
public enum Progress {
    /// Every change between consecutive collections (1→2, 2→3, …) where both are grades.
    /// A blank, `X`, `Z` or off-scale value at either end gives no change: it is never a zero.
    public static func consecutiveChanges(_ index: YearIndex) -> [GradeChange] {
        let collections = index.collections
        guard collections.count > 1 else { return [] }
        var out: [GradeChange] = []
        for pair in index.studied {
            for (a, b) in zip(collections, collections.dropFirst()) {
                if let change = change(index, pair, from: a.id, to: b.id) { out.append(change) }
            }
        }
        return out
    }

    /// The change from the year's first collection to its last, for each pupil × subject with a
    /// grade in both (DOMAIN: "movement since the first collection"). Pairs missing either end
    /// are left out rather than counted as zero.
    public static func changesSinceFirst(_ index: YearIndex) -> [GradeChange] {
        guard let first = index.collections.first, let last = index.collections.last, first.id != last.id else { return [] }
        return index.studied.compactMap { change(index, $0, from: first.id, to: last.id) }
    }

    static func change(_ index: YearIndex, _ pair: YearIndex.PupilSubject, from: DataCollection.ID, to: DataCollection.ID) -> GradeChange? {
        guard case .grade(let a)? = index.workingAt(from, pair), case .grade(let b)? = index.workingAt(to, pair) else { return nil }
        return GradeChange(pupil: pair.pupil, subject: pair.subject, from: from, to: to, fromGrade: a, toGrade: b)
    }
}
