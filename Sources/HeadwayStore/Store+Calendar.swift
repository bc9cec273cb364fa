import Foundation
import HeadwayCore
import SQLKit

/// What a calendar save did (or, for a dry run or a refused save, would do).
public struct CalendarSaveSummary: Hashable, Sendable {
    /// Data collections (a calendar file defines them): changed when the name, sequence, year
    /// groups or whole-school dates differ after merging (year groups are added, dates kept).
    public var collections = SaveSummary.Counts()
    /// Assessment windows, by id: changed when the name, year groups or dates differ.
    public var assessmentWindows = SaveSummary.Counts()
    /// Collection windows, counted per collection × year group.
    public var collectionWindows = SaveSummary.Counts()
    /// Reports and parents' meetings, by id.
    public var reportingEvents = SaveSummary.Counts()
    /// One line per changed (not new) value: `table key.field: old → new`.
    public var changes: [String] = []
    /// The year's calendar as it is (or would be) after the save: what was stored with the
    /// incoming records merged in — what `load` returns afterwards.
    public var resultingCalendar: SchoolCalendar
    /// The year's collections after the save, in `sequence` order.
    public var resultingCollections: [DataCollection]
    /// False when the save's `commitIf` check refused the result (nothing was kept).
    public var accepted = true

    /// A summary with nothing counted yet.
    public init(resultingCalendar: SchoolCalendar, resultingCollections: [DataCollection] = []) {
        self.resultingCalendar = resultingCalendar
        self.resultingCollections = resultingCollections
    }

    /// True when nothing would be created or changed.
    public var isUnchanged: Bool {
        [collections, assessmentWindows, collectionWindows, reportingEvents].allSatisfy { $0.new == 0 && $0.changed == 0 }
    }
}

extension Store {
    /// Saves a school's calendars for one academic year with the collections they use, in one
    /// transaction (issue 5, item 1).
    ///
    /// - Collections go through the same upsert as ``save(_:context:dryRun:)``: a stored collection
    ///   keeps its year groups (the incoming ones are added) and any whole-school date the incoming
    ///   record leaves out.
    /// - Assessment windows (by id), collection windows (by collection and year group) and
    ///   reporting events (by id) are created or replaced; one stored but absent from `calendar`
    ///   is kept — absent never erases.
    /// - Calendars are not pupil data: no audit rows; each row records its `source` and time.
    /// - The school is created (with `school.name`) when the store does not hold it; a stored
    ///   school keeps its name.
    ///
    /// - Parameters:
    ///   - calendar: the calendars; its academic year is the year saved.
    ///   - collections: the collections the calendar defines (may be empty when they are stored
    ///     already); each must be of `calendar.academicYear`.
    ///   - dryRun: compute everything, then roll back.
    ///   - commitIf: called once, inside the transaction, with the calendar and collections as
    ///     they would be after the save (before any collection window or reporting event is
    ///     written, so a window or event naming an unknown collection reaches it rather than
    ///     failing on the foreign key). Returning false rolls everything back and returns the
    ///     summary with ``CalendarSaveSummary/accepted`` false. The CLI validates here, so that a
    ///     calendar with errors is never stored, judged on the merged result.
    /// - Throws: ``StoreError`` `calendar-year` when a collection is of another academic year;
    ///   database errors (rolled back).
    @discardableResult
    public func save(_ calendar: SchoolCalendar, collections: [DataCollection], school: School, context: ChangeContext, dryRun: Bool = false,
                     commitIf accept: (_ calendar: SchoolCalendar, _ collections: [DataCollection]) -> Bool = { _, _ in true })
        async throws -> CalendarSaveSummary {
        let year = calendar.academicYear
        if let other = collections.first(where: { $0.academicYear != year }) {
            throw StoreError(code: "calendar-year", message: "Collection \(other.id) is of \(other.academicYear), the calendar of \(year): save each year's calendar with its own collections.")
        }
        struct Refused: Error { var summary: CalendarSaveSummary }
        let s = school.id.rawValue, y = year.startYear
        let at = Store.timestamp(context.at)
        do {
            return try await transaction(rollback: dryRun) { db in
                var summary = CalendarSaveSummary(resultingCalendar: calendar)
                try await db.insert(into: "schools").columns("id", "name").values(SQLBind(s), SQLBind(school.name))
                    .ignoringConflicts(with: ["id"]).run()
                try await db.insert(into: "academic_years").columns("school_id", "start_year").values(SQLBind(s), SQLBind(y))
                    .ignoringConflicts(with: ["school_id", "start_year"]).run()

                // Collections: the year save's own upsert (Store+Save), then compared with before.
                let before = Dictionary(uniqueKeysWithValues: try await storedCollections(school: school.id, year: year).map { ($0.id, $0) })
                var writer = SaveWriter(store: self, db: db, year: SchoolYear(school: school, academicYear: year, scales: [:], collections: collections),
                                        context: context)
                try await writer.saveReferenceData()
                let after = try await storedCollections(school: school.id, year: year)
                for incoming in collections {
                    guard let old = before[incoming.id], let new = after.first(where: { $0.id == incoming.id }) else {
                        summary.collections.new += 1
                        continue
                    }
                    let changes = Self.differences(old, new)
                    if changes.isEmpty { summary.collections.unchanged += 1; continue }
                    summary.collections.changed += 1
                    summary.changes += changes.map { "data_collections \(incoming.id).\($0.field): \($0.old) → \($0.new)" }
                }

                // Assessment windows.
                let stored = try await storedCalendar(school: school.id, year: year)
                var assessmentWindows = Dictionary(uniqueKeysWithValues: stored.assessmentWindows.map { ($0.id, $0) })
                let assessmentWritten = Self.merge(
                    calendar.assessmentWindows.map { var w = $0; w.yearGroups = Set(w.yearGroups).sorted(); return w },
                    into: &assessmentWindows, key: \.id, table: "assessment_windows", label: { "\($0.id)" }, differences: Self.differences,
                    counts: &summary.assessmentWindows, changes: &summary.changes)
                // A record given twice is written once, as last given (one upsert may not touch a row twice).
                let assessmentRows: [[any SQLExpression]] = assessmentWritten.map { id in
                    let window = assessmentWindows[id]!
                    return [SQLBind(s), SQLBind(y), SQLBind(window.id.rawValue), SQLBind(window.name),
                            SQLBind(Self.yearGroupList(window.yearGroups)), SQLBind(window.starts.description),
                            SQLBind(window.ends.description), SQLBind(context.source), SQLBind(at)]
                }
                try await writer.upsert("assessment_windows",
                                        ["school_id", "academic_year", "id", "name", "year_groups", "starts", "ends", "source", "saved_at"],
                                        key: ["school_id", "academic_year", "id"], rows: assessmentRows)

                // Collection windows and reporting events: merged in memory, checked, then written.
                struct WindowKey: Hashable { var collection: DataCollection.ID; var yearGroup: Int }
                var windows = Dictionary(uniqueKeysWithValues: stored.collectionWindows.map { (WindowKey(collection: $0.collection, yearGroup: $0.yearGroup), $0) })
                let windowsWritten = Self.merge(
                    calendar.collectionWindows, into: &windows, key: { WindowKey(collection: $0.collection, yearGroup: $0.yearGroup) },
                    table: "collection_windows", label: { "\($0.collection)/Y\($0.yearGroup)" }, differences: Self.differences,
                    counts: &summary.collectionWindows, changes: &summary.changes)
                var events = Dictionary(uniqueKeysWithValues: stored.reportingEvents.map { ($0.id, $0) })
                let eventsWritten = Self.merge(
                    calendar.reportingEvents.map { var e = $0; e.yearGroups = Set(e.yearGroups).sorted(); return e },
                    into: &events, key: \.id, table: "reporting_events", label: { "\($0.id)" }, differences: Self.differences,
                    counts: &summary.reportingEvents, changes: &summary.changes)
                summary.resultingCalendar = Self.ordered(SchoolCalendar(
                    academicYear: year, assessmentWindows: Array(assessmentWindows.values), collectionWindows: Array(windows.values),
                    reportingEvents: Array(events.values)))
                summary.resultingCollections = after
                guard accept(summary.resultingCalendar, after) else {
                    summary.accepted = false
                    throw Refused(summary: summary)
                }
                let windowRows: [[any SQLExpression]] = windowsWritten.map { key in
                    let window = windows[key]!
                    return [SQLBind(s), SQLBind(y), SQLBind(window.collection.rawValue), SQLBind(window.yearGroup),
                            SQLBind(window.opens.description), SQLBind(window.deadline.description), SQLBind(window.locks.description),
                            SQLBind(window.publishes.description), SQLBind(context.source), SQLBind(at)]
                }
                let eventRows: [[any SQLExpression]] = eventsWritten.map { id in
                    let event = events[id]!
                    return [SQLBind(s), SQLBind(y), SQLBind(event.id.rawValue), SQLBind(event.kind.rawValue), SQLBind(event.name),
                            SQLBind(Self.yearGroupList(event.yearGroups)), SQLBind(event.date.description),
                            SQLBind(event.collection.rawValue), SQLBind(context.source), SQLBind(at)]
                }
                try await writer.upsert("collection_windows",
                                        ["school_id", "academic_year", "collection_id", "year_group", "opens", "deadline", "locks", "publishes",
                                         "source", "saved_at"],
                                        key: ["school_id", "academic_year", "collection_id", "year_group"], rows: windowRows)
                try await writer.upsert("reporting_events",
                                        ["school_id", "academic_year", "id", "kind", "name", "year_groups", "date", "collection_id", "source", "saved_at"],
                                        key: ["school_id", "academic_year", "id"], rows: eventRows)
                return summary
            }
        } catch let refused as Refused {
            return refused.summary
        }
    }

    /// The calendars stored for a school's year, empty when none is: assessment windows by start
    /// date, collection windows by opening date (then collection and year group), reporting
    /// events by date (then id). ``load(school:year:)`` fills ``SchoolYear/calendar`` with it.
    public func calendar(school: School.ID, year: AcademicYear) async throws -> SchoolCalendar {
        try await storedCalendar(school: school, year: year)
    }

    func storedCalendar(school: School.ID, year: AcademicYear) async throws -> SchoolCalendar {
        let s = school.rawValue, y = year.startYear
        func date(_ row: any SQLRow, _ column: String) throws -> CalendarDate {
            let text = try row.decode(column: column, as: String.self)
            guard let date = CalendarDate(parsing: text) else {
                throw StoreError(code: "bad-date", message: "A stored calendar date is not YYYY-MM-DD: \(text) (column \(column)); re-import the calendar")
            }
            return date
        }
        let assessmentWindows = try await db.select().columns("id", "name", "year_groups", "starts", "ends").from("assessment_windows")
            .where("school_id", .equal, s).where("academic_year", .equal, y).all().map { row in
                AssessmentWindow(id: AssessmentWindow.ID(try row.decode(column: "id", as: String.self)), name: try row.decode(column: "name", as: String.self),
                                 yearGroups: Self.yearGroups(try row.decode(column: "year_groups", as: String.self)),
                                 starts: try date(row, "starts"), ends: try date(row, "ends"))
            }
        let collectionWindows = try await db.select().columns("collection_id", "year_group", "opens", "deadline", "locks", "publishes")
            .from("collection_windows").where("school_id", .equal, s).where("academic_year", .equal, y).all().map { row in
                CollectionWindow(collection: DataCollection.ID(try row.decode(column: "collection_id", as: String.self)),
                                 yearGroup: try row.decode(column: "year_group", as: Int.self), opens: try date(row, "opens"),
                                 deadline: try date(row, "deadline"), locks: try date(row, "locks"), publishes: try date(row, "publishes"))
            }
        let reportingEvents = try await db.select().columns("id", "kind", "name", "year_groups", "date", "collection_id").from("reporting_events")
            .where("school_id", .equal, s).where("academic_year", .equal, y).all().map { row in
                let kind = try row.decode(column: "kind", as: String.self)
                guard let k = ReportingEvent.Kind(rawValue: kind) else {
                    throw StoreError(code: "bad-kind", message: "A stored reporting event has kind '\(kind)', not report or parents_meeting")
                }
                return ReportingEvent(id: ReportingEvent.ID(try row.decode(column: "id", as: String.self)), name: try row.decode(column: "name", as: String.self),
                                      kind: k, yearGroups: Self.yearGroups(try row.decode(column: "year_groups", as: String.self)),
                                      date: try date(row, "date"), collection: DataCollection.ID(try row.decode(column: "collection_id", as: String.self)))
            }
        return Self.ordered(SchoolCalendar(academicYear: year, assessmentWindows: assessmentWindows, collectionWindows: collectionWindows,
                                           reportingEvents: reportingEvents))
    }

    /// The year's collections as stored, in `sequence` order.
    func storedCollections(school: School.ID, year: AcademicYear) async throws -> [DataCollection] {
        try await db.select().columns("id", "name", "sequence", "year_groups", "opens", "deadline", "locks", "publishes").from("data_collections")
            .where("school_id", .equal, school.rawValue).where("academic_year", .equal, year.startYear).orderBy("sequence").all().map { row in
                func date(_ column: String) throws -> CalendarDate? {
                    try row.decode(column: column, as: String?.self).flatMap(CalendarDate.init(parsing:))
                }
                return DataCollection(id: DataCollection.ID(try row.decode(column: "id", as: String.self)), name: try row.decode(column: "name", as: String.self),
                                      academicYear: year, yearGroups: Self.yearGroups(try row.decode(column: "year_groups", as: String.self)),
                                      sequence: try row.decode(column: "sequence", as: Int.self), opens: try date("opens"),
                                      deadline: try date("deadline"), locks: try date("locks"), publishes: try date("publishes"))
            }
    }

    /// The one order calendars are read in (see ``calendar(school:year:)``).
    static func ordered(_ calendar: SchoolCalendar) -> SchoolCalendar {
        var c = calendar
        c.assessmentWindows.sort { ($0.starts, $0.ends, $0.id) < ($1.starts, $1.ends, $1.id) }
        c.collectionWindows.sort { ($0.opens, $0.collection, $0.yearGroup) < ($1.opens, $1.collection, $1.yearGroup) }
        c.reportingEvents.sort { ($0.date, $0.id) < ($1.date, $1.id) }
        return c
    }

    /// `10,11` → [10, 11].
    static func yearGroups(_ text: String) -> [Int] { text.split(separator: ",").compactMap { Int($0) }.sorted() }
    static func yearGroupList(_ list: [Int]) -> String { list.map(String.init).joined(separator: ",") }

    /// The fields that differ between two records, as text, for the summary's change lines.
    /// Merges `incoming` records into `merged` (the stored ones, by key): counts each as new,
    /// changed or unchanged, lists each changed field in `changes` as `TABLE LABEL.FIELD: old → new`,
    /// and returns the keys to write — new or changed, in first-given order (a record given twice
    /// is written once, as last given: one upsert may not touch a row twice).
    static func merge<Key: Hashable, Record: Equatable>(
        _ incoming: [Record], into merged: inout [Key: Record], key: (Record) -> Key, table: String, label: (Record) -> String,
        differences: (Record, Record) -> [(field: String, old: String, new: String)],
        counts: inout SaveSummary.Counts, changes: inout [String]
    ) -> [Key] {
        var written: [Key] = []
        for record in incoming {
            let k = key(record)
            if let old = merged[k] {
                guard old != record else { counts.unchanged += 1; continue }
                counts.changed += 1
                changes += differences(old, record).map { "\(table) \(label(record)).\($0.field): \($0.old) → \($0.new)" }
            } else {
                counts.new += 1
            }
            merged[k] = record
            if !written.contains(k) { written.append(k) }
        }
        return written
    }

    static func differences(_ old: DataCollection, _ new: DataCollection) -> [(field: String, old: String, new: String)] {
        func text(_ d: CalendarDate?) -> String { d?.description ?? "blank" }
        return [("name", old.name, new.name), ("sequence", String(old.sequence), String(new.sequence)),
                ("year_groups", yearGroupList(old.yearGroups), yearGroupList(new.yearGroups)),
                ("opens", text(old.opens), text(new.opens)), ("deadline", text(old.deadline), text(new.deadline)),
                ("locks", text(old.locks), text(new.locks)), ("publishes", text(old.publishes), text(new.publishes))]
            .filter { $0.1 != $0.2 }.map { (field: $0.0, old: $0.1, new: $0.2) }
    }

    static func differences(_ old: AssessmentWindow, _ new: AssessmentWindow) -> [(field: String, old: String, new: String)] {
        [("name", old.name, new.name), ("year_groups", yearGroupList(old.yearGroups), yearGroupList(new.yearGroups)),
         ("starts", old.starts.description, new.starts.description), ("ends", old.ends.description, new.ends.description)]
            .filter { $0.1 != $0.2 }.map { (field: $0.0, old: $0.1, new: $0.2) }
    }

    static func differences(_ old: CollectionWindow, _ new: CollectionWindow) -> [(field: String, old: String, new: String)] {
        [("opens", old.opens, new.opens), ("deadline", old.deadline, new.deadline), ("locks", old.locks, new.locks),
         ("publishes", old.publishes, new.publishes)]
            .filter { $0.1 != $0.2 }.map { (field: $0.0, old: $0.1.description, new: $0.2.description) }
    }

    static func differences(_ old: ReportingEvent, _ new: ReportingEvent) -> [(field: String, old: String, new: String)] {
        [("kind", old.kind.rawValue, new.kind.rawValue), ("name", old.name, new.name),
         ("year_groups", yearGroupList(old.yearGroups), yearGroupList(new.yearGroups)), ("date", old.date.description, new.date.description),
         ("collection", old.collection.rawValue, new.collection.rawValue)]
            .filter { $0.1 != $0.2 }.map { (field: $0.0, old: $0.1, new: $0.2) }
    }
}
