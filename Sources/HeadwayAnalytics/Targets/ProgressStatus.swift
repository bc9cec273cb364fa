import HeadwayCore

/// Where one entry stands against the pupil's flight path (DOMAIN.md, `ProgressStatus`): the
/// residual — working-at minus the grade expected at that collection — and its band, with the
/// trend since the previous collection.
///
/// Only a working-at *grade* has a status: a blank, `X`, `Z` or off-scale entry has none (it is
/// listed in ``Evaluation/unrated``, never scored as zero), and so has an entry without a target
/// grade or outside the flight path (Years 12–13).
public struct ProgressStatus: Hashable, Sendable {
    /// How far from the flight path, in bands.
    public enum Band: String, CaseIterable, Hashable, Sendable, Comparable, CustomStringConvertible {
        /// Residual at or below the ``Thresholds/below`` boundary (−1.5 by default).
        case wellBelow = "well_below"
        /// Residual above ``Thresholds/below`` and up to ``Thresholds/onTrack`` (−1.5 < r ≤ −0.5).
        case below
        /// Residual above ``Thresholds/onTrack`` and below ``Thresholds/above`` (−0.5 < r < +0.5).
        case onTrack = "on_track"
        /// Residual at or above ``Thresholds/above`` (+0.5 by default).
        case above

        /// Worst first.
        public static func < (a: Band, b: Band) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

        /// `well below`, `below`, `on track`, `above`.
        public var description: String { rawValue.split(separator: "_").joined(separator: " ") }
    }

    /// The working-at grade's movement since the previous collection.
    public enum Trend: String, CaseIterable, Hashable, Sendable {
        /// A higher working-at grade than at the previous collection.
        case up
        /// The same grade.
        case same
        /// A lower grade.
        case down
    }

    /// The residual boundaries of the bands, in points of the subject's scale (GCSE grades).
    ///
    /// Defaults: **above** when the residual is ≥ +0.5; **on track** when > −0.5 (and < +0.5);
    /// **below** when > −1.5; **well below** otherwise (≤ −1.5). Why: most teachers enter whole
    /// grades, so an entry can only be read to within half a grade — a residual inside ±0.5 is the
    /// expected grade once rounded, and is on track. Beyond that, a pupil up to about one grade
    /// behind is below; more than a grade behind after rounding (−1.5 or worse) is well below, the
    /// list an intervention should start from. A residual within 1e-9 of a boundary counts as on it.
    public struct Thresholds: Hashable, Sendable {
        /// Lowest residual that is above (inclusive); +0.5 by default.
        public let above: Double
        /// Residuals greater than this (and below ``above``) are on track; −0.5 by default.
        public let onTrack: Double
        /// Residuals greater than this (and up to ``onTrack``) are below; −1.5 by default. The rest
        /// are well below.
        public let below: Double

        /// Thresholds; nil unless above > onTrack > below.
        public init?(above: Double = 0.5, onTrack: Double = -0.5, below: Double = -1.5) {
            guard above > onTrack, onTrack > below else { return nil }
            self.above = above
            self.onTrack = onTrack
            self.below = below
        }

        /// +0.5 / −0.5 / −1.5.
        public static let standard = Thresholds()!

        /// The band of a residual.
        public func band(for residual: Double) -> Band {
            let tolerance = 1e-9
            if residual >= above - tolerance { return .above }
            if residual > onTrack + tolerance { return .onTrack }
            if residual > below + tolerance { return .below }
            return .wellBelow
        }
    }

    /// An entry with no status, and why.
    public struct Unrated: Hashable, Sendable {
        /// Why an entry has no status.
        public enum Reason: String, Hashable, Sendable {
            /// Working-at is blank, `X`, `Z` or off the scale.
            case notGraded = "not_graded"
            /// The pupil has no target in the subject.
            case noTarget = "no_target"
            /// The target is not a grade (stored off-scale).
            case targetNotAGrade = "target_not_a_grade"
            /// The entry's year group or collection is outside the flight path (e.g. Year 12).
            case noFlightPath = "no_flight_path"
        }
        /// The pupil.
        public var pupil: Pupil.ID
        /// The subject.
        public var subject: Subject.ID
        /// The collection.
        public var collection: DataCollection.ID
        /// Why.
        public var reason: Reason
    }

    /// Every status of a year, and the entries without one.
    public struct Evaluation: Sendable {
        /// By collection (sequence order), then pupil, then subject.
        public let statuses: [ProgressStatus]
        /// Entries without a status, in the same order.
        public let unrated: [Unrated]
        private let index: YearIndex
        /// Position in `statuses` per entry-grid cell (collection × cells + cell), -1 for none.
        private let position: [Int32]

        init(statuses: [ProgressStatus], unrated: [Unrated], index: YearIndex, position: [Int32]) {
            self.statuses = statuses
            self.unrated = unrated
            self.index = index
            self.position = position
        }

        /// The status of one entry, if it has one.
        public func status(pupil: Pupil.ID, subject: Subject.ID, collection: DataCollection.ID) -> ProgressStatus? {
            guard let c = index.collectionNumber(collection), let pair = index.pair(pupil, subject), let cell = index.cell(pair) else { return nil }
            let i = position[c * index.cellCount + cell]
            return i < 0 ? nil : statuses[Int(i)]
        }
    }

    /// The pupil.
    public var pupil: Pupil.ID
    /// The subject.
    public var subject: Subject.ID
    /// The collection.
    public var collection: DataCollection.ID
    /// The collection's place in the course (year group, collection number).
    public var checkpoint: FlightPath.Checkpoint
    /// The working-at grade entered.
    public var workingAt: GradeScale.Grade
    /// The pupil's target in the subject.
    public var target: GradeScale.Grade
    /// Expected grade points at this collection on the flight path.
    public var expected: Double
    /// Working-at points minus expected points: positive is ahead of the path.
    public var residual: Double
    /// The band of ``residual``.
    public var band: Band
    /// The working-at grade at the previous collection of the pupil's year group this academic
    /// year, where it was a grade.
    public var previousWorkingAt: GradeScale.Grade?
    /// ``workingAt`` against ``previousWorkingAt``: up, same or down (any change of points counts);
    /// nil at the year's first collection or when the previous entry was not a grade.
    public var trend: Trend?
    /// The residual's change since the previous collection (negative: falling behind the path);
    /// nil where ``trend`` is nil or the previous collection had no expected grade.
    public var residualChange: Double?

    /// The status of every entry of the year, against the year's targets and flight paths.
    ///
    /// A collection's checkpoint is the pupil's year group and the collection's place among the
    /// collections of that year group this academic year (by ``DataCollection/sequence``); the
    /// flight path has as many collections a year (unless ``FlightPathSettings/collectionsPerYear``
    /// says otherwise).
    public static func evaluate(_ index: YearIndex, flightPaths: FlightPathSettings = .init(),
                                thresholds: Thresholds = .standard) -> Evaluation {
        // Each year group's collections, in sequence order.
        var collectionsOf: [Int: [DataCollection]] = [:]
        let yearGroups = Set(index.pupils.values.map(\.yearGroup))
        for y in yearGroups {
            collectionsOf[y] = index.collections.filter { $0.yearGroups.isEmpty || $0.yearGroups.contains(y) }
        }
        // Paths by subject number, each subject's few (target, collections a year) pairs searched
        // in turn: cheaper than hashing a key twice per entry (issue 13).
        var pathCache = Array(repeating: [(target: Double, perYear: Int, path: FlightPath)](), count: index.subjectIDs.count)
        func expected(_ pair: YearIndex.PupilSubject, _ target: Double, _ checkpoint: FlightPath.Checkpoint, perYear: Int) -> Double? {
            let s = Int(pair.subjectNumber)
            if let known = pathCache[s].first(where: { $0.target == target && $0.perYear == perYear }) { return known.path.expected(at: checkpoint) }
            let path = flightPaths.path(to: target, subject: pair.subject, collectionsPerYear: perYear)
            pathCache[s].append((target, perYear, path))
            return path.expected(at: checkpoint)
        }
        // Where a collection stands for a year group: its place among that year group's
        // collections (nil: not one of them), how many there are, and the previous one's number.
        struct Place { var rank: Int?; var count: Int; var previous: Int? }

        var statuses: [ProgressStatus] = []
        statuses.reserveCapacity(index.studied.count * index.collections.count)
        var unrated: [Unrated] = []
        var position = [Int32](repeating: -1, count: index.gridCollectionCount * index.cellCount)
        for collection in index.collections {
            let c = index.collectionNumber(collection.id)!
            var places: [Int: Place] = [:]
            for (y, sequence) in collectionsOf {
                let rank = sequence.firstIndex(where: { $0.id == collection.id })
                places[y] = Place(rank: rank, count: sequence.count,
                                  previous: rank.flatMap { $0 > 0 ? index.collectionNumber(sequence[$0 - 1].id) : nil })
            }
            var lastPlace: (yearGroup: Int, place: Place)?
            // Studied pairs are sorted by pupil then subject: statuses come out in that order.
            for pair in index.studied {
                let cell = index.cell(pair)!
                guard let entered = index.workingAt(collection: c, cell: cell), let yearGroup = index.pupilRecords[Int(pair.pupilNumber)]?.yearGroup else { continue }
                func skip(_ reason: Unrated.Reason) { unrated.append(Unrated(pupil: pair.pupil, subject: pair.subject, collection: collection.id, reason: reason)) }
                guard case .grade(let workingAt)? = entered else { skip(.notGraded); continue }
                guard let target = index.targetGrade(cell: cell) else { skip(.noTarget); continue }
                guard case .grade(let targetGrade) = target else { skip(.targetNotAGrade); continue }
                let place: Place
                if let last = lastPlace, last.yearGroup == yearGroup { place = last.place } else {
                    place = places[yearGroup] ?? Place(rank: nil, count: 0, previous: nil)
                    lastPlace = (yearGroup, place)
                }
                guard let rank = place.rank else { skip(.noFlightPath); continue }
                let checkpoint = FlightPath.Checkpoint(yearGroup: yearGroup, collection: rank + 1)
                guard let expectedNow = expected(pair, targetGrade.points, checkpoint, perYear: place.count) else {
                    skip(.noFlightPath); continue
                }
                let residual = workingAt.points - expectedNow
                var previous: GradeScale.Grade?, trend: Trend?, residualChange: Double?
                if let p = place.previous, case .grade(let before)?? = index.workingAt(collection: p, cell: cell) {
                    previous = before
                    let change = workingAt.points - before.points
                    trend = abs(change) < 1e-9 ? .same : change > 0 ? .up : .down
                    let previousCheckpoint = FlightPath.Checkpoint(yearGroup: yearGroup, collection: rank)
                    if let expectedBefore = expected(pair, targetGrade.points, previousCheckpoint, perYear: place.count) {
                        residualChange = residual - (before.points - expectedBefore)
                    }
                }
                position[c * index.cellCount + cell] = Int32(statuses.count)
                statuses.append(ProgressStatus(pupil: pair.pupil, subject: pair.subject, collection: collection.id, checkpoint: checkpoint,
                                               workingAt: workingAt, target: targetGrade, expected: expectedNow, residual: residual,
                                               band: thresholds.band(for: residual), previousWorkingAt: previous, trend: trend,
                                               residualChange: residualChange))
            }
        }
        return Evaluation(statuses: statuses, unrated: unrated, index: index, position: position)
    }

    /// A status (``evaluate(_:flightPaths:thresholds:)`` builds these).
    public init(pupil: Pupil.ID, subject: Subject.ID, collection: DataCollection.ID, checkpoint: FlightPath.Checkpoint,
                workingAt: GradeScale.Grade, target: GradeScale.Grade, expected: Double, residual: Double, band: Band,
                previousWorkingAt: GradeScale.Grade? = nil, trend: Trend? = nil, residualChange: Double? = nil) {
        self.pupil = pupil
        self.subject = subject
        self.collection = collection
        self.checkpoint = checkpoint
        self.workingAt = workingAt
        self.target = target
        self.expected = expected
        self.residual = residual
        self.band = band
        self.previousWorkingAt = previousWorkingAt
        self.trend = trend
        self.residualChange = residualChange
    }
}
