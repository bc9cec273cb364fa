import HeadwayCore

/// One problem with a school's calendars: the rule broken, how serious, the record, and what is
/// wrong in words a data lead can act on.
public struct CalendarFinding: Hashable, Sendable, CustomStringConvertible {
    /// `error`: the calendar contradicts itself and is not stored (`headway calendar import`
    /// refuses it; `headway calendar check` exits 1). `warning`: worth a look, stored anyway.
    public enum Severity: String, Hashable, Sendable, Comparable, CaseIterable {
        case error, warning
        /// Errors sort before warnings.
        public static func < (a: Self, b: Self) -> Bool { a == .error && b == .warning }
    }

    /// The rules of ``CalendarValidation/validate(_:collections:)``, each with its severity.
    public enum Rule: String, Hashable, Sendable, CaseIterable {
        /// A collection window's dates not in the order opens ≤ deadline ≤ locks ≤ publishes, or an
        /// assessment window ending before it starts (error).
        case datesOutOfOrder = "dates-out-of-order"
        /// A date outside the academic year, 1 September to 31 August (warning).
        case outsideAcademicYear = "outside-academic-year"
        /// A collection with no assessment window for that year group since the previous one (warning).
        case noAssessmentBefore = "no-assessment-before"
        /// Two collections whose entry windows (open to lock) overlap for one year group (warning).
        case overlappingCollections = "overlapping-collections"
        /// A reporting event before its collection is published for one of its year groups (error).
        case reportBeforePublish = "report-before-publish"
        /// A reporting event or collection window naming a collection the year does not have (error).
        case unknownCollection = "unknown-collection"
        /// A reporting event for a year group its collection does not cover (error).
        case yearGroupNotCovered = "year-group-not-covered"
        /// A collection covers a year group but no dates are set for it, neither a window nor
        /// whole-school dates (warning).
        case noDates = "no-dates"

        /// The rule's severity.
        public var severity: Severity {
            switch self {
            case .datesOutOfOrder, .reportBeforePublish, .unknownCollection, .yearGroupNotCovered: .error
            case .outsideAcademicYear, .noAssessmentBefore, .overlappingCollections, .noDates: .warning
            }
        }
    }

    /// The rule broken.
    public var rule: Rule
    /// The rule's severity.
    public var severity: Severity { rule.severity }
    /// The record, e.g. `collection DC1 / Y11`, `assessment window Y11-MOCK1`, `report R1 / Y10`.
    public var record: String
    /// What is wrong, with the dates involved, and what would put it right.
    public var message: String

    /// A finding; its severity is the rule's.
    public init(rule: Rule, record: String, message: String) {
        self.rule = rule
        self.record = record
        self.message = message
    }

    /// `error: collection DC1 / Y11: …`.
    public var description: String { "\(severity.rawValue): \(record): \(message)" }
}

extension SchoolCalendar {
    /// Every collection window in force, in collection `sequence` order then year group: for each
    /// collection and each year group it covers (its ``DataCollection/yearGroups`` and those of the
    /// calendar's windows for it), ``window(of:yearGroup:)`` — the calendar's own window, else one
    /// from the collection's whole-school dates. A year group with neither has no window.
    /// Calendar windows of collections not in `collections` are left out.
    public func windows(for collections: [DataCollection]) -> [CollectionWindow] {
        collections.sorted { $0.sequence < $1.sequence }.flatMap { collection in
            coveredYearGroups(of: collection).compactMap { window(of: collection, yearGroup: $0) }
        }
    }

    /// The year groups a collection covers: its own and those of the calendar's windows for it.
    public func coveredYearGroups(of collection: DataCollection) -> [Int] {
        Set(collection.yearGroups).union(collectionWindows.filter { $0.collection == collection.id }.map(\.yearGroup)).sorted()
    }
}

/// Checks a school's calendars against each other (issue 5, item 1; DOMAIN.md, the yearly cycle:
/// "collections sit after the assessments they summarise", reports tied to the collection whose
/// data they use). Pure: calendars and collections in, findings out.
public enum CalendarValidation {
    /// Every finding, errors first, otherwise in the order checked (the rules as listed below,
    /// records in calendar order).
    ///
    /// A collection's window for a year group is ``SchoolCalendar/window(of:yearGroup:)`` (see
    /// ``SchoolCalendar/windows(for:)``). The rules:
    /// - **dates out of order** (error): a collection window needs opens ≤ deadline ≤ locks ≤
    ///   publishes; an assessment window starts ≤ ends.
    /// - **outside the academic year** (warning): any date before 1 September or after 31 August
    ///   of the calendar's academic year.
    /// - **unknown collection** (error): a reporting event, or a calendar window, names a
    ///   collection not in `collections`.
    /// - **no dates** (warning): a collection covers a year group and nothing gives its dates.
    /// - **no assessment before** (warning): for each collection window (collection C, year group
    ///   Y), some assessment window for Y must end on or before C opens for Y — and, when an
    ///   earlier collection (by `sequence`) has a window for Y, after that one opened: an
    ///   assessment that ended before the previous collection opened is summarised by that
    ///   collection, not by this one (decision, issue 5: a collection summarises the assessments
    ///   since the last). An assessment window still running when C opens does not count.
    /// - **overlapping collections** (warning): two collections' entry windows for one year group,
    ///   each from opens to locks inclusive, share a day.
    /// - **year group not covered** (error): a reporting event for a year group its collection
    ///   does not cover.
    /// - **report before publish** (error): a reporting event (report or parents' meeting) dated
    ///   before its collection's publish date for one of its year groups; on the publish date is
    ///   fine.
    public static func validate(_ calendar: SchoolCalendar, collections: [DataCollection]) -> [CalendarFinding] {
        var findings: [CalendarFinding] = []
        func add(_ rule: CalendarFinding.Rule, _ record: String, _ message: String) {
            findings.append(CalendarFinding(rule: rule, record: record, message: message))
        }
        let byID = Dictionary(collections.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let windows = calendar.windows(for: collections)
        func record(_ w: CollectionWindow) -> String { "collection \(w.collection) / Y\(w.yearGroup)" }
        func years(_ list: [Int]) -> String { list.map { "Y\($0)" }.joined(separator: ", ") }

        // Dates out of order.
        for w in windows {
            let dates = [("opens", w.opens), ("deadline", w.deadline), ("locks", w.locks), ("publishes", w.publishes)]
            let wrong = zip(dates, dates.dropFirst()).filter { earlier, later in later.1 < earlier.1 }
            if !wrong.isEmpty {
                add(.datesOutOfOrder, record(w),
                    wrong.map { earlier, later in "\(earlier.0) \(earlier.1) is after \(later.0) \(later.1)" }.joined(separator: "; ")
                        + ": the dates must run opens ≤ deadline ≤ locks ≤ publishes")
            }
        }
        for a in calendar.assessmentWindows where a.ends < a.starts {
            add(.datesOutOfOrder, "assessment window \(a.id)", "ends \(a.ends) before it starts \(a.starts)")
        }

        // Outside the academic year.
        let first = CalendarDate(year: calendar.academicYear.startYear, month: 9, day: 1)!
        let last = CalendarDate(year: calendar.academicYear.startYear + 1, month: 8, day: 31)!
        func outside(_ record: String, _ dates: [(String, CalendarDate)]) {
            let out = dates.filter { $0.1 < first || last < $0.1 }
            guard !out.isEmpty else { return }
            add(.outsideAcademicYear, record, out.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
                + " \(out.count == 1 ? "is" : "are") outside the academic year \(calendar.academicYear) (\(first) to \(last))")
        }
        for a in calendar.assessmentWindows { outside("assessment window \(a.id)", [("starts", a.starts), ("ends", a.ends)]) }
        for w in windows {
            outside(record(w), [("opens", w.opens), ("deadline", w.deadline), ("locks", w.locks), ("publishes", w.publishes)])
        }
        for e in calendar.reportingEvents { outside(eventName(e), [("date", e.date)]) }

        // Unknown collections, and year groups with no dates.
        let known = collections.map(\.id.rawValue).sorted().joined(separator: ", ")
        for w in calendar.collectionWindows where byID[w.collection] == nil {
            add(.unknownCollection, record(w), "there is no collection \(w.collection) this year (collections: \(known.isEmpty ? "none" : known))")
        }
        for e in calendar.reportingEvents where byID[e.collection] == nil {
            add(.unknownCollection, eventName(e), "uses collection \(e.collection), which this year does not have (collections: \(known.isEmpty ? "none" : known))")
        }
        for c in collections.sorted(by: { $0.sequence < $1.sequence }) {
            for y in calendar.coveredYearGroups(of: c) where calendar.window(of: c, yearGroup: y) == nil {
                add(.noDates, "collection \(c.id) / Y\(y)",
                    "no dates: add a [[collection.window]] for Y\(y), or whole-school opens, deadline and locks to the collection")
            }
        }

        // Assessments before each collection, and overlapping collections, per year group.
        let sequence = Dictionary(collections.map { ($0.id, $0.sequence) }, uniquingKeysWith: { first, _ in first })
        let perYear = Dictionary(grouping: windows, by: \.yearGroup)
        for y in perYear.keys.sorted() {
            let list = perYear[y]!.sorted { (sequence[$0.collection] ?? 0, $0.opens) < (sequence[$1.collection] ?? 0, $1.opens) }
            let assessments = calendar.assessmentWindows.filter { $0.yearGroups.contains(y) }
            for (i, w) in list.enumerated() {
                let previous = i > 0 ? list[i - 1] : nil
                let found = assessments.contains { a in a.ends <= w.opens && (previous.map { a.ends > $0.opens } ?? true) }
                if !found {
                    let since = previous.map { " and after \($0.collection) opened (\($0.opens))" } ?? ""
                    add(.noAssessmentBefore, record(w),
                        "no assessment window for Y\(y) ends on or before the collection opens (\(w.opens))\(since): add the assessments it summarises to the assessment calendar")
                }
            }
            for (i, a) in list.enumerated() {
                for b in list[(i + 1)...] where a.opens <= b.locks && b.opens <= a.locks {
                    add(.overlappingCollections, "collections \(a.collection) and \(b.collection) / Y\(y)",
                        "entry windows overlap: \(a.collection) \(a.opens) to \(a.locks), \(b.collection) \(b.opens) to \(b.locks) — teachers would enter both at once")
                }
            }
        }

        // Reporting events against their collection.
        for e in calendar.reportingEvents {
            guard let c = byID[e.collection] else { continue }
            let covered = calendar.coveredYearGroups(of: c)
            for y in e.yearGroups {
                guard covered.contains(y) else {
                    add(.yearGroupNotCovered, "\(eventName(e)) / Y\(y)",
                        "\(c.id) does not cover Y\(y) (it covers \(covered.isEmpty ? "no year group" : years(covered))): tie the event to a collection that does, or take Y\(y) out")
                    continue
                }
                guard let w = calendar.window(of: c, yearGroup: y), e.date < w.publishes else { continue }
                add(.reportBeforePublish, "\(eventName(e)) / Y\(y)",
                    "on \(e.date), before \(c.id) is published for Y\(y) (\(w.publishes)): move it to \(w.publishes) or later")
            }
        }

        return findings.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
    }

    /// `report R1` / `parents' meeting PM1`.
    static func eventName(_ e: ReportingEvent) -> String {
        switch e.kind {
        case .report: "report \(e.id)"
        case .parentsMeeting: "parents' meeting \(e.id)"
        }
    }
}
