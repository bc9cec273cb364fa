import Foundation
import HeadwayCore

/// A school's three calendars for one academic year (issue 5, item 1), written as a TOML file:
/// assessment windows, data collections with their dates per year group, and reporting events.
/// Read into Core's ``SchoolCalendar`` plus the ``DataCollection``s the file defines.
///
/// Schema (every key is checked; an unknown key is an error with a did-you-mean suggestion):
///
/// ```toml
/// academic_year = "2026/27"        # required: "2026/27" (also 2026, "2026-27")
///
/// [[assessment_window]]            # when pupils sit assessments; any number
/// id = "Y11-MOCK1"                 # required, unique among assessment windows
/// name = "Y11 mock exams"          # required
/// year_groups = [11]               # required, 7–13, at least one
/// starts = 2026-11-09              # required: a TOML date or a "YYYY-MM-DD" string
/// ends = 2026-11-20                # required, inclusive
///
/// [[collection]]                   # a data collection; defines (or updates) a DataCollection
/// code = "DC1"                     # required, unique in the file
/// name = "DC1 Autumn 2026"         # required
/// sequence = 1                     # required: order in the year, 1 first, unique
/// year_groups = [7, 8, 9, 10, 11]  # optional: the year groups it covers (the windows' year
///                                  # groups are added); at least one overall
/// opens = 2026-11-30               # optional whole-school dates (the DataCollection's own):
/// deadline = 2026-12-07            #   a year group with no [[collection.window]] uses them,
/// locks = 2026-12-09               #   and a window that leaves one of its dates out takes it
/// publishes = 2026-12-14
///
///   [[collection.window]]          # the collection's dates for some year groups; any number
///   year_groups = [11]             # required, 7–13; a year group in one window per collection
///   opens = 2026-11-23             # each required unless the collection gives it whole-school;
///   deadline = 2026-11-30          #   inclusive: on time up to the deadline, late until the
///   locks = 2026-12-02             #   lock, then published
///   publishes = 2026-12-07
///
/// [[report]]                       # a report to parents and carers; any number
/// id = "R1-Y11"                    # required, unique among reports and parents' meetings
/// name = "Y11 autumn report"       # required
/// year_groups = [11]               # required, 7–13, at least one
/// date = 2026-12-11                # required: the day it goes home
/// collection = "DC1"               # required: the collection whose data it uses (defined here
///                                  # or already stored)
///
/// [[parents_meeting]]              # a parent–carer meeting (parents' evening); same keys
/// id = "PM-Y11"
/// name = "Y11 parents' evening"
/// year_groups = [11]
/// date = 2027-01-14
/// collection = "DC1"
/// ```
///
/// The reader checks the file's shape only: types, required keys, year groups 7–13, real dates,
/// unique ids. Whether the calendars make sense together (dates in order, assessments before
/// collections, reports after publishing, a reporting event's collection known) is
/// `CalendarValidation`'s job (HeadwayAnalytics), run on the calendar as it will be stored.
public struct CalendarFile: Hashable, Sendable {
    /// The calendars read: assessment windows, the collection windows of every `[[collection.window]]`
    /// (one per year group), and the reporting events, in file order.
    public var calendar: SchoolCalendar
    /// The collections the file defines, in `sequence` order, with the whole-school dates it gives
    /// (nil where it gives none) and as year groups the union of `year_groups` and its windows'.
    public var collections: [DataCollection]

    /// Top-level keys.
    static let rootKeys = ["academic_year", "assessment_window", "collection", "report", "parents_meeting"]
    static let dateKeys = ["opens", "deadline", "locks", "publishes"]

    /// Reads a calendar file's text; `file` names it in issues.
    ///
    /// - Returns: the calendar when the file has no problem; otherwise nil and every problem found,
    ///   each an ``ImportIssue`` naming `file`, the key path (e.g. `collection[2].window[1].opens`),
    ///   the value where there is one, and the reason — code ``ImportIssue/Code/mappingSyntax``
    ///   for text that is not TOML (with its line), else ``ImportIssue/Code/mappingInvalid``.
    public static func read(toml: String, file: String) -> (file: CalendarFile?, issues: [ImportIssue]) {
        let root: [String: TOMLNode]
        do {
            root = try TOMLNode.parse(toml, file: file)
        } catch {
            return (nil, [error])
        }
        let problems = TOMLProblems(file: file, code: .mappingInvalid)
        let result = read(root: root, problems: problems)
        return problems.issues.isEmpty ? (result, []) : (nil, problems.issues)
    }

    /// Reads a calendar file from disk (see ``read(toml:file:)``); a file that cannot be read gives
    /// one ``ImportIssue/Code/unreadableFile`` issue. Issues name the file by its path as given.
    public static func read(contentsOf url: URL) -> (file: CalendarFile?, issues: [ImportIssue]) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return (nil, [ImportIssue.unreadable(url, error)])
        }
        return read(toml: TextDecoding.decode(data).text, file: url.relativePath)
    }

    private static func read(root: [String: TOMLNode], problems: TOMLProblems) -> CalendarFile {
        let t = TOMLTableReader(root, path: "", problems: problems)
        t.rejectUnknownKeys(allowed: rootKeys)
        var academicYear = AcademicYear(startYear: 2000)
        switch root["academic_year"] {
        case nil: problems.add("academic_year", "required, e.g. \"2026/27\"")
        case .string(let text)?:
            if let year = AcademicYear(parsing: text) { academicYear = year } else {
                problems.add("academic_year", value: text, "not an academic year: write e.g. \"2026/27\"")
            }
        case .int(let start)?:
            if let year = AcademicYear(parsing: String(start)) { academicYear = year } else {
                problems.add("academic_year", value: String(start), "not an academic year: write e.g. \"2026/27\"")
            }
        case let node?: problems.add("academic_year", "must be a string such as \"2026/27\", found \(node.kind)")
        }

        var calendar = SchoolCalendar(academicYear: academicYear)
        var seen = Set<String>()
        for w in t.tables("assessment_window") {
            w.rejectUnknownKeys(allowed: ["id", "name", "year_groups", "starts", "ends"])
            let id = w.string("id", required: true)
            let name = w.string("name", required: true)
            let yearGroups = Self.yearGroups(w, required: true)
            let starts = requiredDate(w, "starts"), ends = requiredDate(w, "ends")
            if let id, !seen.insert(id).inserted { problems.add(w.keyPath("id"), value: id, "assessment window defined twice") }
            guard let id, let name, let yearGroups, let starts, let ends else { continue }
            calendar.assessmentWindows.append(AssessmentWindow(id: AssessmentWindow.ID(id), name: name, yearGroups: yearGroups,
                                                               starts: starts, ends: ends))
        }

        var collections: [DataCollection] = []
        for c in t.tables("collection") {
            c.rejectUnknownKeys(allowed: ["code", "name", "sequence", "year_groups"] + dateKeys + ["window"])
            let code = c.string("code", required: true)
            let name = c.string("name", required: true)
            let sequence = c.int("sequence", required: true)
            var yearGroups = Set(Self.yearGroups(c, required: false) ?? [])
            let wholeSchool = dateKeys.map { c.date($0) }
            var windows: [CollectionWindow] = []
            var windowOf: [Int: String] = [:]  // year group → the window's key path that set it
            for w in c.tables("window") {
                w.rejectUnknownKeys(allowed: ["year_groups"] + dateKeys)
                let groups = Self.yearGroups(w, required: true)
                let dates = dateKeys.enumerated().map { i, key -> CalendarDate? in
                    if w.has(key) { return w.date(key) }
                    if let fallback = wholeSchool[i] { return fallback }
                    problems.add(w.keyPath(key), "required: a date (YYYY-MM-DD), unless the collection gives \(key) for the whole school")
                    return nil
                }
                guard let groups else { continue }
                for year in groups {
                    if let earlier = windowOf[year] {
                        problems.add(w.keyPath("year_groups"), value: String(year), "year \(year) already has a window in this collection (\(earlier))")
                    }
                    windowOf[year] = w.path
                }
                yearGroups.formUnion(groups)
                guard let code, let opens = dates[0], let deadline = dates[1], let locks = dates[2], let publishes = dates[3] else { continue }
                for year in groups {
                    windows.append(CollectionWindow(collection: DataCollection.ID(code), yearGroup: year, opens: opens, deadline: deadline,
                                                    locks: locks, publishes: publishes))
                }
            }
            if yearGroups.isEmpty, !c.has("year_groups") {
                problems.add(c.path, "no year groups: give year_groups, or [[collection.window]] tables with year_groups")
            }
            if let code, collections.contains(where: { $0.id.rawValue == code }) {
                problems.add(c.keyPath("code"), value: code, "collection defined twice")
            }
            if let sequence, let other = collections.first(where: { $0.sequence == sequence }) {
                problems.add(c.keyPath("sequence"), value: String(sequence), "collection \(other.id) has the same sequence")
            }
            guard let code, let name, let sequence else { continue }
            collections.append(DataCollection(id: DataCollection.ID(code), name: name, academicYear: academicYear, yearGroups: yearGroups.sorted(),
                                              sequence: sequence, opens: wholeSchool[0], deadline: wholeSchool[1], locks: wholeSchool[2],
                                              publishes: wholeSchool[3]))
            calendar.collectionWindows += windows.sorted { $0.yearGroup < $1.yearGroup }
        }

        var eventIDs: [String: String] = [:]  // id → the key path that defined it
        for (key, kind) in [("report", ReportingEvent.Kind.report), ("parents_meeting", .parentsMeeting)] {
            for e in t.tables(key) {
                e.rejectUnknownKeys(allowed: ["id", "name", "year_groups", "date", "collection"])
                let id = e.string("id", required: true)
                let name = e.string("name", required: true)
                let yearGroups = Self.yearGroups(e, required: true)
                let date = requiredDate(e, "date")
                let collection = e.string("collection", required: true)
                if let id {
                    if let earlier = eventIDs[id] {
                        problems.add(e.keyPath("id"), value: id, "already the id of \(earlier): reports and parents' meetings need distinct ids")
                    }
                    eventIDs[id] = e.path
                }
                guard let id, let name, let yearGroups, let date, let collection else { continue }
                calendar.reportingEvents.append(ReportingEvent(id: ReportingEvent.ID(id), name: name, kind: kind, yearGroups: yearGroups,
                                                               date: date, collection: DataCollection.ID(collection)))
            }
        }
        return CalendarFile(calendar: calendar, collections: collections.sorted { $0.sequence < $1.sequence })
    }

    /// A date that must be there.
    private static func requiredDate(_ t: TOMLTableReader, _ key: String) -> CalendarDate? {
        guard t.has(key) else {
            t.problems.add(t.keyPath(key), "required: a date (YYYY-MM-DD)")
            return nil
        }
        return t.date(key)
    }

    /// `year_groups`: integers 7–13, each once, sorted; nil (with a problem) when unusable.
    private static func yearGroups(_ t: TOMLTableReader, required: Bool) -> [Int]? {
        guard t.has("year_groups") else {
            if required { t.problems.add(t.keyPath("year_groups"), "required: an array of year groups, e.g. [10, 11]") }
            return nil
        }
        guard let list = t.intArray("year_groups") else { return nil }
        var ok = true
        if list.isEmpty {
            t.problems.add(t.keyPath("year_groups"), "list at least one year group, e.g. [10, 11]")
            ok = false
        }
        for year in list where !ColumnMapping.yearGroups.contains(year) {
            t.problems.add(t.keyPath("year_groups"), value: String(year), "a year group is 7 to 13")
            ok = false
        }
        for year in Set(list).sorted() where list.filter({ $0 == year }).count > 1 {
            t.problems.add(t.keyPath("year_groups"), value: String(year), "listed twice")
            ok = false
        }
        return ok ? list.sorted() : nil
    }
}
