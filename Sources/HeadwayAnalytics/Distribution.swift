import HeadwayCore

/// How many pupils are at each grade band in one subject at one collection, with the cells
/// that are not grades counted separately (never as a grade of zero).
public struct GradeDistribution: Hashable, Sendable {
    /// One bar: a band and how many pupils are in it.
    public struct BandCount: Hashable, Sendable {
        public var band: String
        public var count: Int
    }

    public var collection: DataCollection.ID
    public var subject: Subject.ID
    /// Bands lowest first, as ``GradeScale/distributionBands``, with their counts.
    public var counts: [BandCount]
    public var notAssessed: Int
    public var notRequired: Int
    public var offScale: Int
    public var blank: Int

    /// Graded pupils in the distribution.
    public var graded: Int { counts.reduce(0) { $0 + $1.count } }

    /// One distribution per collection × subject, collections in sequence, subjects by id.
    public static func compute(_ index: YearIndex) -> [GradeDistribution] {
        let bySubject = Dictionary(grouping: index.studied, by: \.subject)
        var out: [GradeDistribution] = []
        for collection in index.collections {
            let expected = Set(index.expected(in: collection))
            for subject in index.year.subjects.sorted(by: { $0.id < $1.id }) {
                guard let scale = index.year.scales[subject.scale] else { continue }
                let pairs = (bySubject[subject.id] ?? []).filter { expected.contains($0) }
                guard !pairs.isEmpty else { continue }
                var bands = Dictionary(uniqueKeysWithValues: scale.distributionBands.map { ($0, 0) })
                var d = GradeDistribution(collection: collection.id, subject: subject.id, counts: [], notAssessed: 0, notRequired: 0, offScale: 0, blank: 0)
                for pair in pairs {
                    switch index.workingAt(collection.id, pair) {
                    case .grade(let g)?: bands[g.band, default: 0] += 1
                    case .notAssessed?: d.notAssessed += 1
                    case .notRequired?: d.notRequired += 1
                    case .offScale?: d.offScale += 1
                    case nil: d.blank += 1
                    }
                }
                d.counts = scale.distributionBands.map { BandCount(band: $0, count: bands[$0] ?? 0) }
                out.append(d)
            }
        }
        return out
    }
}
