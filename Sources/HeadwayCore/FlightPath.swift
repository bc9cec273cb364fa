/// A flight path: the grade a pupil is expected to be working at in a subject at each data
/// collection from Year 7 to the end of Year 11, on the way to their KS4 target (DOMAIN.md).
/// HeadwayAnalytics' `FlightPathSettings` builds one, linear by default or from a school's
/// ``FlightPathTable``.
public struct FlightPath: Hashable, Sendable {
    /// One collection in the five-year course: a year group and the collection's place among
    /// that year group's collections in the academic year (1 = first). Ordered by year group,
    /// then collection.
    public struct Checkpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// National Curriculum year group, 7–11.
        public var yearGroup: Int
        /// 1 = the year group's first collection of the academic year.
        public var collection: Int

        /// A checkpoint.
        public init(yearGroup: Int, collection: Int) {
            self.yearGroup = yearGroup
            self.collection = collection
        }

        /// Course order.
        public static func < (a: Checkpoint, b: Checkpoint) -> Bool { (a.yearGroup, a.collection) < (b.yearGroup, b.collection) }

        /// `Y7 DC1`.
        public var description: String { "Y\(yearGroup) DC\(collection)" }

        /// Every checkpoint of the course, in order: `collectionsPerYear` collections in each of
        /// the year groups `years` (Y7 DC1 … Y11 DC3 for three a year).
        public static func course(years: ClosedRange<Int> = 7...11, collectionsPerYear: Int) -> [Checkpoint] {
            years.flatMap { y in (1...max(1, collectionsPerYear)).map { Checkpoint(yearGroup: y, collection: $0) } }
        }
    }

    /// The expected grade at one checkpoint.
    public struct Point: Hashable, Sendable {
        /// Where.
        public var checkpoint: Checkpoint
        /// Expected grade points (on the subject's scale; one GCSE grade = 1 point).
        public var expected: Double

        /// A point.
        public init(checkpoint: Checkpoint, expected: Double) {
            self.checkpoint = checkpoint
            self.expected = expected
        }
    }

    /// The target's points: where the path ends.
    public var target: Double
    /// The path in course order; the last point is the end of Year 11.
    public var points: [Point]

    /// A path ending at `target`.
    public init(target: Double, points: [Point]) {
        self.target = target
        self.points = points.sorted { $0.checkpoint < $1.checkpoint }
    }

    /// The expected grade points at a checkpoint; nil when the path has none there (e.g. Year 12).
    public func expected(at checkpoint: Checkpoint) -> Double? {
        points.first { $0.checkpoint == checkpoint }?.expected
    }
}

/// A school's own flight path for a subject, as a table: for each target grade, the expected
/// grade at every checkpoint.
///
/// Shape: ``checkpoints`` lists the columns in course order (e.g. 15 for Y7 DC1 … Y11 DC3);
/// ``rows`` maps a target's points (e.g. 5 for grade 5, 5.5 for combined science `6-5`) to
/// that many expected grade points, e.g. `5: [2.0, 2.2, 2.4, 2.6, 2.8, 3.0, …, 5.0]`. A target
/// between two rows is interpolated linearly between them, column by column; below the lowest
/// or above the highest row the nearest row is used. A school's spreadsheet with a row per
/// target grade and a column per collection maps onto this directly.
public struct FlightPathTable: Hashable, Sendable {
    /// The columns, in course order.
    public var checkpoints: [FlightPath.Checkpoint]
    /// Target points → expected points at each of ``checkpoints`` (same length).
    public var rows: [Double: [Double]]

    /// A table; rows whose length differs from the checkpoints' are ignored.
    public init(checkpoints: [FlightPath.Checkpoint], rows: [Double: [Double]]) {
        self.checkpoints = checkpoints
        self.rows = rows.filter { $0.value.count == checkpoints.count }
    }

    /// The path to `target`: the row, or the interpolation between the rows either side; nil for
    /// an empty table.
    public func path(to target: Double) -> FlightPath? {
        let keys = rows.keys.sorted()
        guard let first = keys.first, let last = keys.last else { return nil }
        let values: [Double]
        if target <= first {
            values = rows[first]!
        } else if target >= last {
            values = rows[last]!
        } else {
            let upper = keys.first { $0 >= target }!
            let lower = keys.last { $0 <= target }!
            let t = upper == lower ? 0 : (target - lower) / (upper - lower)
            values = zip(rows[lower]!, rows[upper]!).map { $0 + ($1 - $0) * t }
        }
        return FlightPath(target: target, points: zip(checkpoints, values).map { FlightPath.Point(checkpoint: $0, expected: $1) })
    }
}
