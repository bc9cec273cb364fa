import HeadwayCore

/// A transition matrix: how many pupils of each KS2 prior attainment band (low, middle, high,
/// or none) are at each working-at grade band in one subject at one collection. Rows are
/// bands, columns the scale's distribution bands lowest first; `X`, `Z`, blank and off-scale
/// cells are not counted (they are not grades).
public struct TransitionMatrix: Hashable, Sendable {
    public var collection: DataCollection.ID
    public var subject: Subject.ID
    /// Row labels: `low`, `middle`, `high`, `none`.
    public var rows: [String]
    /// Column labels: the subject scale's grade bands.
    public var columns: [String]
    /// counts[row][column].
    public var counts: [[Int]]

    /// One matrix per subject for a collection (subjects in id order).
    public static func compute(_ index: YearIndex, collection: DataCollection) -> [TransitionMatrix] {
        let rows = PriorAttainment.Band.allCases.map(\.rawValue) + ["none"]
        let expected = index.expected(in: collection)
        let bySubject = Dictionary(grouping: expected, by: \.subject)
        return index.year.subjects.sorted { $0.id < $1.id }.compactMap { subject in
            guard let scale = index.year.scales[subject.scale], let pairs = bySubject[subject.id] else { return nil }
            let columns = scale.distributionBands
            let column = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
            var counts = Array(repeating: Array(repeating: 0, count: columns.count), count: rows.count)
            for pair in pairs {
                guard case .grade(let g)? = index.workingAt(collection.id, pair), let c = column[g.band] else { continue }
                let band = index.pupils[pair.pupil]?.priorAttainment?.band
                let r = band.map { PriorAttainment.Band.allCases.firstIndex(of: $0)! } ?? rows.count - 1
                counts[r][c] += 1
            }
            return TransitionMatrix(collection: collection.id, subject: subject.id, rows: rows, columns: columns, counts: counts)
        }
    }
}
