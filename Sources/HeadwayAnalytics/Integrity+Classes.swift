import HeadwayCore

/// Checks on whole classes (issue 2's copied-forward check; issue 5's grades-equal-targets and
/// ATL-spread checks), computed in one pass per collection over the index's grids.
extension Integrity {
    /// The fewest graded pupils a class needs before its grades are judged as a whole.
    public static let minimumClassSize = 5

    /// ATL spread: a class's mean ATL is "far" from the same teacher's other classes when it
    /// differs from their pooled mean by at least this many ATL points *and* by more than twice
    /// the standard deviation of the other classes' means (so a teacher whose classes already
    /// vary widely is not flagged for one more).
    public static let atlMeanDifference = 1.0

    /// ATL spread: a class's spread is "far" when its standard deviation differs from the mean
    /// standard deviation of the teacher's other classes by at least this many ATL points *and*
    /// by a factor of at least ``atlSpreadRatio`` (every pupil given the same score, or scores
    /// scattered far more widely than the teacher's other classes).
    public static let atlSpreadDifference = 0.5

    /// ATL spread: the factor between standard deviations that counts as far (with
    /// ``atlSpreadDifference``).
    public static let atlSpreadRatio = 2.0

    /// ATL spread: how many other classes of the same teacher, each with at least
    /// ``minimumClassSize`` ATL scores in the collection, a class is compared with. With one
    /// other class there is no telling which of the two is the odd one.
    public static let atlOtherClasses = 2

    /// Copied forward, grades equal targets and ATL spread, per collection and class.
    ///
    /// A class's members are the pupils whose first class in its subject it is (as completion
    /// counts them). Working-at grades and targets are compared by points.
    static func classChecks(_ index: YearIndex, points: WorkingAtPoints, who: Responsibility) -> [Finding] {
        let groups = index.year.teachingGroups
        guard !groups.isEmpty else { return [] }
        // Grid cells of each class's members, with the points of their targets.
        var members = [[Int]](repeating: [], count: groups.count)
        var targets = [[Double?]](repeating: [], count: groups.count)
        for pair in index.studied {
            guard let cell = index.cell(pair), let g = index.groupNumber(cell: cell) else { continue }
            members[g].append(cell)
            targets[g].append(index.targetPoints(cell: cell))
        }
        // Each teacher's classes, teachers in code order.
        var classesOf: [Staff.ID: [Int]] = [:]
        for (g, group) in groups.enumerated() {
            for teacher in Set(group.teachers) { classesOf[teacher, default: []].append(g) }
        }
        let teachers = classesOf.keys.sorted()

        var findings: [Finding] = []
        let collections = index.collections
        for (k, collection) in collections.enumerated() {
            guard let c = index.collectionNumber(collection.id) else { continue }
            let previous = k > 0 ? collections[k - 1] : nil
            let p = previous.flatMap { index.collectionNumber($0.id) }
            var atl = [ATLTally](repeating: ATLTally(), count: groups.count)
            for g in groups.indices where !members[g].isEmpty {
                var graded = 0, compared = 0
                var sameAsBefore = true, equalToTarget = true
                for (j, cell) in members[g].enumerated() {
                    if let now = points[c, cell] {
                        graded += 1
                        if sameAsBefore, let p {
                            if let before = points[p, cell], abs(before - now) < 1e-9 {} else { sameAsBefore = false }
                        }
                        if let target = targets[g][j] {
                            compared += 1
                            if abs(target - now) > 1e-9 { equalToTarget = false }
                        }
                    }
                    if let score = index.atlPoints(collection: c, cell: cell) { atl[g].add(score) }
                }
                let group = groups[g]
                let half = (members[g].count + 1) / 2
                if let previous, sameAsBefore, graded >= max(minimumClassSize, half) {
                    let teachers = who.named(group.teachers)
                    findings.append(Finding(check: .copiedForward, severity: .warning, record: "\(collection.id) / \(group.id)",
                                            message: "all \(graded) working-at grades are the same as in \(previous.id): copied forward?",
                                            fixer: teachers.text, collection: collection.id, teachingGroup: group.id, subject: group.subject,
                                            fixers: teachers.staff))
                }
                if equalToTarget, compared >= max(minimumClassSize, half) {
                    let teachers = who.named(group.teachers)
                    findings.append(Finding(check: .gradesEqualTargets, severity: .warning, record: "\(collection.id) / \(group.id)",
                                            message: "all \(compared) working-at grades equal the pupils' targets: targets copied in?",
                                            fixer: teachers.text, collection: collection.id, teachingGroup: group.id, subject: group.subject,
                                            fixers: teachers.staff))
                }
            }
            for teacher in teachers {
                findings += atlSpread(teacher: teacher, classes: classesOf[teacher]!, tallies: atl, collection: collection.id, index: index, who: who)
            }
        }
        return findings
    }

    /// Count, sum and sum of squares of one class's ATL scores in one collection.
    struct ATLTally {
        var n = 0
        var sum = 0.0
        var squares = 0.0
        mutating func add(_ x: Double) {
            n += 1
            sum += x
            squares += x * x
        }
        var mean: Double { sum / Double(n) }
        /// Sample standard deviation (n − 1).
        var sd: Double { n < 2 ? 0 : (max(0, squares - Double(n) * mean * mean) / Double(n - 1)).squareRoot() }
    }

    /// The ATL-spread findings for one teacher's classes in one collection.
    static func atlSpread(teacher: Staff.ID, classes: [Int], tallies: [ATLTally], collection: DataCollection.ID,
                          index: YearIndex, who: Responsibility) -> [Finding] {
        let eligible = classes.filter { tallies[$0].n >= minimumClassSize }
        guard eligible.count >= atlOtherClasses + 1 else { return [] }
        var findings: [Finding] = []
        for g in eligible {
            let this = tallies[g]
            let others = eligible.filter { $0 != g }.map { tallies[$0] }
            let pooledN = others.reduce(0) { $0 + $1.n }
            let pooledMean = others.reduce(0) { $0 + $1.sum } / Double(pooledN)
            let means = others.map(\.mean)
            let meanOfMeans = means.reduce(0, +) / Double(means.count)
            let meansSD = (means.reduce(0) { $0 + ($1 - meanOfMeans) * ($1 - meanOfMeans) } / Double(means.count - 1)).squareRoot()
            let othersSD = others.reduce(0) { $0 + $1.sd } / Double(others.count)
            let meanGap = this.mean - pooledMean
            let meanFar = abs(meanGap) >= atlMeanDifference - 1e-9 && abs(meanGap) > 2 * meansSD
            let spreadGap = this.sd - othersSD
            let spreadFar = abs(spreadGap) >= atlSpreadDifference - 1e-9
                && (this.sd * atlSpreadRatio <= othersSD + 1e-9 || this.sd >= atlSpreadRatio * othersSD - 1e-9)
            guard meanFar || spreadFar else { continue }
            let group = index.year.teachingGroups[g]
            let name = index.staff[teacher]?.displayName ?? teacher.rawValue
            var reasons: [String] = []
            if meanFar { reasons.append("mean \(meanGap > 0 ? "higher" : "lower") by \(format2(abs(meanGap)))") }
            if spreadFar { reasons.append(spreadGap > 0 ? "far more spread out" : "far less spread out") }
            let fixer = who.named([teacher])
            findings.append(Finding(
                check: .atlSpread, severity: .warning, record: "\(collection) / \(group.id)",
                message: "ATL mean \(format2(this.mean)), SD \(format2(this.sd)) (\(this.n) pupils) against mean \(format2(pooledMean)), "
                    + "SD \(format2(othersSD)) in \(name)'s \(others.count) other classes: \(reasons.joined(separator: "; "))",
                fixer: fixer.text, collection: collection, teachingGroup: group.id, subject: group.subject, fixers: fixer.staff))
        }
        return findings
    }

    /// Two decimal places, as ATL means are read.
    static func format2(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        let whole = Int(r.magnitude)
        let hundredths = Int(((r.magnitude - Double(whole)) * 100).rounded())
        return (r < 0 ? "-" : "") + "\(whole)." + (hundredths < 10 ? "0" : "") + "\(hundredths)"
    }
}
