import HeadwayCore

/// One action list: the pupils one rule picks out in one year group at one collection, with the
/// member of staff responsible for that year group (issue 6, items 1 and 2). A list with no
/// entries is still a list — "nobody is on it" is an answer a head of year needs to see.
public struct ActionList: Hashable, Sendable {
    /// One pupil on a list and why.
    public struct Entry: Hashable, Sendable {
        /// The pupil's record (names, UPN, tutor group for letters and certificates).
        public var pupil: Pupil
        /// The subjects behind the entry, in subject-code order: those below expected progress,
        /// well below it, fallen, or whose ATL grades made the mean. `subjects.count` is the
        /// entry's number of subjects.
        public var subjects: [Subject.ID]
        /// Plain English with the numbers, e.g. `below expected progress in 4 subjects, 3.6 grades
        /// in all: EN −1.2, HI −0.6, MA −0.8, SC −1.0` (residuals in grades, one decimal); `fell 1
        /// grade or more in 3 subjects since DC1: EN 5→4, MA 6→5, SC 5-5→4-4`; `mean ATL 3.4 over
        /// 8 subjects`.
        public var reason: String
        /// How far short, in grades (points of the subjects' scales), summed over ``subjects``:
        /// on the below- and well-below-expected-progress lists, the grades under the expected
        /// (flight-path) grade; on the falling list, the grades fallen. Nil on the ATL lists.
        public var shortfall: Double?

        /// An entry (``ActionLists/compute(_:evaluation:rules:collection:)`` builds these).
        public init(pupil: Pupil, subjects: [Subject.ID], reason: String, shortfall: Double? = nil) {
            self.pupil = pupil
            self.subjects = subjects
            self.reason = reason
            self.shortfall = shortfall
        }
    }

    /// The rule that made the list.
    public var rule: ActionRules.Rule
    /// The collection the list is for.
    public var collection: DataCollection
    /// National Curriculum year group, 7–13.
    public var yearGroup: Int
    /// The staff responsible for the year group this academic year
    /// (``SchoolYear/responsibleStaff(forYearGroup:)``: an explicit ``YearGroupResponsibility``
    /// wins over the head-of-year role); empty when nobody is named.
    public var responsible: [Staff]
    /// Pupils on the list, most severe first, so a head of year can start at the top (issue 12,
    /// item 10): on the expected-progress and falling lists, by number of subjects (most first),
    /// then ``Entry/shortfall`` (largest first); ties, and the ATL lists, by surname, forename
    /// (case ignored), then pupil id.
    public var entries: [Entry]
    /// The rule with its settings in words (``ActionRules/summary(of:higherIsBetter:)``), e.g.
    /// "below expected progress in 3 or more subjects".
    public var summary: String
    /// ATL lists only (0 on the others): ATL grades of the year group at the collection that were
    /// ignored because their subject's ATL is on a scale other than ``ActionRules/atlScale``.
    public var atlGradesOnOtherScales: Int

    /// A list (``ActionLists/compute(_:evaluation:rules:collection:)`` builds these).
    public init(rule: ActionRules.Rule, collection: DataCollection, yearGroup: Int, responsible: [Staff], entries: [Entry],
                summary: String, atlGradesOnOtherScales: Int = 0) {
        self.rule = rule
        self.collection = collection
        self.yearGroup = yearGroup
        self.responsible = responsible
        self.entries = entries
        self.summary = summary
        self.atlGradesOnOtherScales = atlGradesOnOtherScales
    }
}

/// Applies ``ActionRules`` to a school year: the lists a data lead hands to heads of year after
/// every collection (DOMAIN.md, "Act"; issue 6). Pure: no I/O.
///
/// What each rule reads (defaults in ``ActionRules/standard``; `docs/action-lists.md`):
/// - `below_expected_progress`, `well_below_core`: the ``ProgressStatus`` band of each working-at grade at the
///   collection; entries with no status (blank, `X`, `Z`, off-scale, no target, no flight path —
///   e.g. Years 12–13) never count.
/// - `falling`: the working-at grade now against the grade at the previous collection of the
///   pupil's year group (the collections covering it, in sequence order): the status's
///   ``ProgressStatus/previousWorkingAt`` where the entry has a status, otherwise the two grades in
///   the index — so the rule works without targets (sixth form). Both must be grades on the
///   subject's scale; the drop is in the scale's points. At a year group's first collection nobody
///   is falling.
/// - `atl_concern`, `atl_reward`: ATL grades of subjects whose ``Subject/atlScale`` is the rules'
///   ATL scale; blank, `X`, `Z` and off-scale scores never count. The scale's direction
///   (``GradeScale/higherIsBetter``, from the year's scales, else the built-in ones; lower is better
///   when the scale is unknown) decides what "beyond" and "better" mean.
///
/// Comparisons allow 1e-9 for rounding, so a value exactly on a threshold counts as on it.
public enum ActionLists {
    /// Every enabled rule's list for every year group on roll (a year group of at least one pupil
    /// record) that each collection covers (``DataCollection/yearGroups``; empty covers all).
    ///
    /// - Parameters:
    ///   - index: the year, indexed.
    ///   - evaluation: the year's progress statuses, from the same index
    ///     (``ProgressStatus/evaluate(_:flightPaths:thresholds:)``, or
    ///     `SchoolAnalysis.progress.evaluation`).
    ///   - rules: the rules; check them first with ``ActionRules/problems(scales:)`` (here a
    ///     `min_subjects` below 1 is taken as 1).
    ///   - collection: one collection's lists; nil (the default) for every collection's. An id the
    ///     year does not have gives no lists.
    /// - Returns: lists by collection (sequence order), then year group, then rule
    ///   (``ActionRules/Rule/allCases`` order); none when every rule is disabled.
    public static func compute(_ index: YearIndex, evaluation: ProgressStatus.Evaluation, rules: ActionRules = .standard,
                               collection: DataCollection.ID? = nil) -> [ActionList] {
        let enabled = rules.enabledRules
        guard !enabled.isEmpty else { return [] }
        let year = index.year
        let collections = year.collections.filter { collection == nil || $0.id == collection }
        guard !collections.isEmpty else { return [] }

        let subjectCount = index.subjectIDs.count, cellCount = index.cellCount
        let coreSubjects = Set(rules.wellBelowCore.subjects)
        let isCore = index.subjectIDs.map { coreSubjects.contains($0) }
        let atlOnScale = index.subjectIDs.map { index.subjects[$0]?.atlScale == rules.atlScale }
        let atlScale = year.scales[rules.atlScale] ?? GradeScale.builtIn[rules.atlScale]
        let higherIsBetter = atlScale?.higherIsBetter ?? false
        let statusAt = statusGrid(index, evaluation)
        let statuses = evaluation.statuses

        // Each pupil's run of studied pairs (studied is sorted by pupil, so each pupil is one run).
        var runs = [Range<Int>](repeating: 0..<0, count: index.pupilRecords.count)
        var start = 0
        while start < index.studied.count {
            let p = index.studied[start].pupilNumber
            var end = start + 1
            while end < index.studied.count, index.studied[end].pupilNumber == p { end += 1 }
            runs[Int(p)] = start..<end
            start = end
        }
        // Pupils on roll by year group, in list order.
        var pupilsOf: [Int: [Int]] = [:]
        let sortKeys = index.pupilRecords.map { $0.map { ($0.surname.lowercased(), $0.forename.lowercased(), $0.id.rawValue) } }
        for p in index.pupilRecords.indices {
            guard let pupil = index.pupilRecords[p] else { continue }
            pupilsOf[pupil.yearGroup, default: []].append(p)
        }
        for y in pupilsOf.keys {
            pupilsOf[y]!.sort { a, b in
                let ka = sortKeys[a]!, kb = sortKeys[b]!
                return (ka.0, ka.1, ka.2) < (kb.0, kb.1, kb.2)
            }
        }
        let onRoll = pupilsOf.keys.sorted()
        var responsible: [Int: [Staff]] = [:]
        for y in onRoll { responsible[y] = year.responsibleStaff(forYearGroup: y) }

        let belowMin = max(1, rules.belowExpected.minSubjects), fallingMin = max(1, rules.falling.minSubjects)
        let concernMin = max(1, rules.atlConcern.minSubjects), rewardMin = max(1, rules.atlReward.minSubjects)
        let minDrop = rules.falling.minDrop
        let tolerance = 1e-9
        let needsATL = rules.atlConcern.enabled || rules.atlReward.enabled
        func isConcern(_ mean: Double) -> Bool {
            higherIsBetter ? mean <= rules.atlConcern.threshold + tolerance : mean >= rules.atlConcern.threshold - tolerance
        }
        func isExcellent(_ mean: Double) -> Bool {
            higherIsBetter ? mean >= rules.atlReward.threshold - tolerance : mean <= rules.atlReward.threshold + tolerance
        }
        let summaries = Dictionary(uniqueKeysWithValues: enabled.map { ($0, rules.summary(of: $0, higherIsBetter: higherIsBetter)) })

        var lists: [ActionList] = []
        for current in collections {
            guard let c = index.collectionNumber(current.id) else { continue }
            let covered = current.yearGroups.isEmpty ? onRoll : onRoll.filter { current.yearGroups.contains($0) }
            for y in covered {
                // The year group's previous collection, if any.
                let sequence = year.collections.filter { $0.yearGroups.isEmpty || $0.yearGroups.contains(y) }
                let rank = sequence.firstIndex { $0.id == current.id } ?? 0
                let previous = rank > 0 ? sequence[rank - 1] : nil
                let p0 = previous.flatMap { index.collectionNumber($0.id) }

                var entries: [ActionRules.Rule: [ActionList.Entry]] = [:]
                var otherScale = 0
                for p in pupilsOf[y] ?? [] {
                    let pupil = index.pupilRecords[p]!
                    var below: [(subject: Subject.ID, residual: Double)] = []
                    var wellBelowCore: [(subject: Subject.ID, residual: Double)] = []
                    var fell: [(subject: Subject.ID, from: String, to: String, drop: Double)] = []
                    var atl: (sum: Double, subjects: [Subject.ID]) = (0, [])
                    var atlBefore: (sum: Double, count: Int) = (0, 0)
                    for k in runs[p] {
                        let s = Int(index.studied[k].subjectNumber), subject = index.studied[k].subject
                        let cell = p * subjectCount + s
                        // Fields are read in place: copying whole statuses costs more than the rules.
                        let st = Int(statusAt[c * cellCount + cell])
                        if st >= 0 {
                            let band = statuses[st].band
                            if band <= .below { below.append((subject, statuses[st].residual)) }
                            if band == .wellBelow, isCore[s] { wellBelowCore.append((subject, statuses[st].residual)) }
                        }
                        if let p0 {
                            var grades: (from: GradeScale.Grade, to: GradeScale.Grade)?
                            if st >= 0 {
                                if let before = statuses[st].previousWorkingAt, before.points - statuses[st].workingAt.points >= minDrop - tolerance {
                                    grades = (before, statuses[st].workingAt)
                                }
                            } else if let now = index.workingAtPoints(collection: c, cell: cell),
                                      let before = index.workingAtPoints(collection: p0, cell: cell), before - now >= minDrop - tolerance,
                                      case .grade(let nowGrade)?? = index.workingAt(collection: c, cell: cell),
                                      case .grade(let beforeGrade)?? = index.workingAt(collection: p0, cell: cell) {
                                grades = (beforeGrade, nowGrade)  // points first: grades are copied only for a drop
                            }
                            if let grades, grades.from.points - grades.to.points >= minDrop - tolerance {
                                fell.append((subject, grades.from.code, grades.to.code, grades.from.points - grades.to.points))
                            }
                        }
                        if needsATL {
                            if let points = index.atlPoints(collection: c, cell: cell) {
                                if atlOnScale[s] {
                                    atl.sum += points
                                    atl.subjects.append(subject)
                                } else {
                                    otherScale += 1
                                }
                            }
                            if let p0, atlOnScale[s], let points = index.atlPoints(collection: p0, cell: cell) {
                                atlBefore.sum += points
                                atlBefore.count += 1
                            }
                        }
                    }
                    func add(_ rule: ActionRules.Rule, _ subjects: [Subject.ID], _ reason: String, shortfall: Double? = nil) {
                        entries[rule, default: []].append(ActionList.Entry(pupil: pupil, subjects: subjects, reason: reason, shortfall: shortfall))
                    }
                    if rules.belowExpected.enabled, below.count >= belowMin {
                        let short = below.reduce(0) { $0 - $1.residual }
                        add(.belowExpected, below.map(\.subject),
                            "below expected progress in \(count(below.count, "subject")), \(grades(short)) in all: "
                                + below.map { "\($0.subject) \(residual($0.residual))" }.joined(separator: ", "), shortfall: short)
                    }
                    if rules.wellBelowCore.enabled, !wellBelowCore.isEmpty {
                        let short = wellBelowCore.reduce(0) { $0 - $1.residual }
                        add(.wellBelowCore, wellBelowCore.map(\.subject),
                            "well below expected progress in \(count(wellBelowCore.count, "core subject")): "
                                + wellBelowCore.map { "\($0.subject) \(residual($0.residual))" }.joined(separator: ", "), shortfall: short)
                    }
                    if rules.falling.enabled, let previous, fell.count >= fallingMin {
                        add(.falling, fell.map(\.subject),
                            "fell \(count(minDrop, "grade")) or more in \(count(fell.count, "subject")) since \(previous.id): "
                                + fell.map { "\($0.subject) \($0.from)→\($0.to)" }.joined(separator: ", "),
                            shortfall: fell.reduce(0) { $0 + $1.drop })
                    }
                    let n = atl.subjects.count
                    let mean = n > 0 ? atl.sum / Double(n) : 0
                    if rules.atlConcern.enabled, n >= concernMin, isConcern(mean) {
                        add(.atlConcern, atl.subjects, "mean ATL \(meanText(mean)) over \(count(n, "subject"))")
                    }
                    if rules.atlReward.enabled, n >= rewardMin, isExcellent(mean) {
                        if let previous {
                            let before = atlBefore.count > 0 ? atlBefore.sum / Double(atlBefore.count) : 0
                            if atlBefore.count >= rewardMin, isExcellent(before) {
                                add(.atlReward, atl.subjects,
                                    "mean ATL \(meanText(mean)) over \(count(n, "subject")), and \(meanText(before)) over \(atlBefore.count) at \(previous.id)")
                            }
                        } else {
                            add(.atlReward, atl.subjects, "mean ATL \(meanText(mean)) over \(count(n, "subject")) at the year group's first collection")
                        }
                    }
                }
                for rule in enabled {
                    let isATL = rule == .atlConcern || rule == .atlReward
                    lists.append(ActionList(rule: rule, collection: current, yearGroup: y, responsible: responsible[y] ?? [],
                                            entries: bySeverity(entries[rule] ?? []), summary: summaries[rule]!,
                                            atlGradesOnOtherScales: isATL ? otherScale : 0))
                }
            }
        }
        return lists
    }

    /// Position in `evaluation.statuses` per entry-grid cell (collection × cells + cell), -1 for
    /// none. Statuses come by collection, then in studied-pair order, so one walk lines them up
    /// without hashing; an evaluation from another index falls back to look-ups by id.
    static func statusGrid(_ index: YearIndex, _ evaluation: ProgressStatus.Evaluation) -> [Int32] {
        let statuses = evaluation.statuses
        var grid = [Int32](repeating: -1, count: index.gridCollectionCount * index.cellCount)
        var k = 0
        walk: for collection in index.collections {
            guard let c = index.collectionNumber(collection.id) else { continue }
            for pair in index.studied {
                guard k < statuses.count else { break walk }
                if statuses[k].collection == collection.id, statuses[k].pupil == pair.pupil, statuses[k].subject == pair.subject {
                    grid[c * index.cellCount + index.cell(pair)!] = Int32(k)
                    k += 1
                }
            }
        }
        guard k != statuses.count else { return grid }
        grid = [Int32](repeating: -1, count: grid.count)
        for (i, status) in statuses.enumerated() {
            guard let c = index.collectionNumber(status.collection), let pair = index.pair(status.pupil, status.subject),
                  let cell = index.cell(pair) else { continue }
            grid[c * index.cellCount + cell] = Int32(i)
        }
        return grid
    }

    /// Most severe first: more subjects, then a larger shortfall (compared to a hundredth of a
    /// grade, so rounding noise does not reorder equal pupils); otherwise the entries' name order
    /// (they arrive sorted by surname, forename, id) is kept. Entries without a shortfall (ATL
    /// lists) keep name order.
    static func bySeverity(_ entries: [ActionList.Entry]) -> [ActionList.Entry] {
        guard entries.contains(where: { $0.shortfall != nil }) else { return entries }
        func key(_ e: ActionList.Entry) -> (Int, Int) { (e.subjects.count, Int(((e.shortfall ?? 0) * 100).rounded())) }
        return entries.enumerated().sorted { a, b in
            let ka = key(a.element), kb = key(b.element)
            return ka != kb ? ka > kb : a.offset < b.offset
        }.map(\.element)
    }

    /// A shortfall in grades to one decimal: "1.0 grade", "3.5 grades".
    static func grades(_ value: Double) -> String {
        let tenths = Int((abs(value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) grade\(tenths == 10 ? "" : "s")"
    }

    /// A shortfall in grades to one decimal without the unit ("3.5"), for tables and CSV.
    public static func shortfallText(_ value: Double?) -> String {
        guard let value else { return "" }
        let tenths = Int((abs(value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// "1 subject", "3 subjects", "1 grade", "1.5 grades".
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
    static func count(_ n: Double, _ noun: String) -> String { "\(ActionRules.format(n)) \(noun)\(n == 1 ? "" : "s")" }

    /// A residual in grades to one decimal with a true minus sign: `−1.2`, `+0.5`, `0.0`.
    static func residual(_ value: Double) -> String {
        let tenths = Int((abs(value) * 10).rounded())
        let sign = tenths == 0 ? "" : value < 0 ? "\u{2212}" : "+"
        return "\(sign)\(tenths / 10).\(tenths % 10)"
    }

    /// A mean ATL to two decimals, the second dropped when 0: `3.0`, `3.4`, `1.25`.
    static func meanText(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100, fraction = abs(hundredths % 100)
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
