import HeadwayCore

/// How a school's flight paths are drawn: the expected grade at each collection from Year 7 DC1
/// to the end of Year 11, on the way to the KS4 target (issue 3).
///
/// ## Linear (the default)
/// The course is a list of checkpoints, `collectionsPerYear` in each of Years 7–11 (15 for three
/// collections a year): Y7 DC1 is checkpoint 0, the last collection of Year 11 checkpoint N − 1.
/// The path starts at S at Y7 DC1 and rises in equal steps per collection to the target T at the
/// end of Year 11:
///
///     expected(i) = S + (T − S) · i / (N − 1)
///
/// Steps are equal per *collection*, not per week: schools read progress collection by
/// collection, and collections are roughly evenly spread over the year.
///
/// The start S is ``Start/fractionOfTarget(_:)`` 0.5 by default: half the target, so a pupil
/// targeted a 6 is expected to work at a 3 in their first Year 7 collection and a 4.6 at Y9 DC2.
/// It is KS2-derived through the target (itself from KS2), and matches the common reading of
/// GCSE grades in Year 7 as about half the eventual grade (the demo school's working-at grades
/// follow the same shape). ``Start/grade(_:)`` starts everyone at a fixed grade instead, e.g. 1.
///
/// ## A school's own table
/// ``tables`` gives a subject a ``FlightPathTable`` (expected grade per target grade and
/// checkpoint), used instead of the line for that subject.
public struct FlightPathSettings: Hashable, Sendable {
    /// Where a linear flight path starts at Year 7 DC1.
    public enum Start: Hashable, Sendable {
        /// A fraction of the target's points (0.5: half the target).
        case fractionOfTarget(Double)
        /// A fixed grade's points, e.g. 1; a target below it gives a flat path at the target.
        case grade(Double)
    }

    /// The start of linear paths; half the target by default.
    public var start: Start
    /// The year groups the course runs over; 7…11. Collections of other year groups (the sixth
    /// form) have no expected grade.
    public var years: ClosedRange<Int>
    /// Collections in each year of the course; nil to take the number the pupil's year group has
    /// this academic year (the usual case: every year group on the same calendar).
    public var collectionsPerYear: Int?
    /// A school's own flight paths, by subject; subjects not listed are linear.
    public var tables: [Subject.ID: FlightPathTable]

    /// Settings; every parameter has the documented default.
    public init(start: Start = .fractionOfTarget(0.5), years: ClosedRange<Int> = 7...11, collectionsPerYear: Int? = nil,
                tables: [Subject.ID: FlightPathTable] = [:]) {
        self.start = start
        self.years = years
        self.collectionsPerYear = collectionsPerYear
        self.tables = tables
    }

    /// The flight path to a target of `target` points in `subject`, with `collectionsPerYear`
    /// collections a year (``collectionsPerYear`` wins when set): the subject's table where it has
    /// one, else linear.
    public func path(to target: Double, subject: Subject.ID, collectionsPerYear: Int) -> FlightPath {
        if let table = tables[subject], let path = table.path(to: target) { return path }
        let checkpoints = FlightPath.Checkpoint.course(years: years, collectionsPerYear: self.collectionsPerYear ?? collectionsPerYear)
        return FlightPathSettings.linear(to: target, start: start, checkpoints: checkpoints)
    }

    /// The straight line from the start to `target` over `checkpoints` (see the type's
    /// documentation); a single checkpoint is the target itself.
    public static func linear(to target: Double, start: Start, checkpoints: [FlightPath.Checkpoint]) -> FlightPath {
        let s: Double = switch start {
        case .fractionOfTarget(let f): f * target
        case .grade(let g): min(g, target)
        }
        let steps = Double(max(checkpoints.count - 1, 1))
        let points = checkpoints.enumerated().map { i, checkpoint in
            FlightPath.Point(checkpoint: checkpoint,
                             expected: checkpoints.count == 1 ? target : s + (target - s) * Double(i) / steps)
        }
        return FlightPath(target: target, points: points)
    }
}
