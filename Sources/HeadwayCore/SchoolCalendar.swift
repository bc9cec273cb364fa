/// The three calendars of a school's academic year (DOMAIN.md, "the data cycle"; issue 5):
/// assessment windows, data collection windows, and reporting events — fixed before September
/// and kept in step: a collection follows the assessments it summarises, a report follows the
/// collection it uses.
///
/// Dates are ``CalendarDate``s (whole days, the school's own calendar, no time zone). A window's
/// dates are inclusive: a collection open from 2 November with deadline 13 November accepts
/// on-time entries on both days.
public struct SchoolCalendar: Hashable, Sendable {
    public var academicYear: AcademicYear
    /// When pupils sit assessments, per year group.
    public var assessmentWindows: [AssessmentWindow]
    /// When teachers enter each collection's data, per year group.
    public var collectionWindows: [CollectionWindow]
    /// Reports to parents and carers and parent–carer meetings, each tied to a collection.
    public var reportingEvents: [ReportingEvent]

    public init(academicYear: AcademicYear, assessmentWindows: [AssessmentWindow] = [], collectionWindows: [CollectionWindow] = [],
                reportingEvents: [ReportingEvent] = []) {
        self.academicYear = academicYear
        self.assessmentWindows = assessmentWindows
        self.collectionWindows = collectionWindows
        self.reportingEvents = reportingEvents
    }

    /// The window of a collection for one year group: the calendar's own, else one built from
    /// the collection's whole-school dates when it has them; nil when neither says.
    public func window(of collection: DataCollection, yearGroup: Int) -> CollectionWindow? {
        if let own = collectionWindows.first(where: { $0.collection == collection.id && $0.yearGroup == yearGroup }) { return own }
        guard let opens = collection.opens, let deadline = collection.deadline, let locks = collection.locks else { return nil }
        return CollectionWindow(collection: collection.id, yearGroup: yearGroup, opens: opens, deadline: deadline, locks: locks,
                                publishes: collection.publishes ?? locks)
    }
}

/// A period when a year group sits assessments (e.g. "Y11 mock exams").
public struct AssessmentWindow: Hashable, Sendable, Identifiable {
    public typealias ID = Identifier<AssessmentWindow>
    public var id: ID
    public var name: String
    public var yearGroups: [Int]
    public var starts: CalendarDate
    public var ends: CalendarDate

    public init(id: ID, name: String, yearGroups: [Int], starts: CalendarDate, ends: CalendarDate) {
        self.id = id
        self.name = name
        self.yearGroups = yearGroups
        self.starts = starts
        self.ends = ends
    }
}

/// When one year group's data for one collection is entered: open → deadline (on time) → lock
/// (late until then; after it, only a data manager with a reason) → publish (to leaders and the
/// reports). Dates inclusive; `opens ≤ deadline ≤ locks ≤ publishes`.
public struct CollectionWindow: Hashable, Sendable {
    public var collection: DataCollection.ID
    public var yearGroup: Int
    public var opens: CalendarDate
    public var deadline: CalendarDate
    public var locks: CalendarDate
    public var publishes: CalendarDate

    public init(collection: DataCollection.ID, yearGroup: Int, opens: CalendarDate, deadline: CalendarDate, locks: CalendarDate,
                publishes: CalendarDate) {
        self.collection = collection
        self.yearGroup = yearGroup
        self.opens = opens
        self.deadline = deadline
        self.locks = locks
        self.publishes = publishes
    }
}

/// A report to parents and carers, or a parent–carer meeting, for some year groups, using one
/// collection's data.
public struct ReportingEvent: Hashable, Sendable, Identifiable {
    public typealias ID = Identifier<ReportingEvent>
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case report
        case parentsMeeting = "parents_meeting"
    }

    public var id: ID
    public var name: String
    public var kind: Kind
    public var yearGroups: [Int]
    public var date: CalendarDate
    /// The collection whose data it uses: the event must fall on or after its publish date.
    public var collection: DataCollection.ID

    public init(id: ID, name: String, kind: Kind, yearGroups: [Int], date: CalendarDate, collection: DataCollection.ID) {
        self.id = id
        self.name = name
        self.kind = kind
        self.yearGroups = yearGroups
        self.date = date
        self.collection = collection
    }
}
