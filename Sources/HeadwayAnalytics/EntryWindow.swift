import HeadwayCore

/// Whether an entry for a data collection is accepted on a given day, for one year group
/// (issue 5, item 3: windows enforced). Pure: the caller passes the day (the CLI reads the clock,
/// or takes `--today`).
///
/// The rule, with every date inclusive (``CollectionWindow``):
///
/// | day                              | without an override          | with a data manager's override |
/// | -------------------------------- | ---------------------------- | ------------------------------ |
/// | before `opens`                   | refused                      | refused                        |
/// | `opens` … `deadline`             | accepted, on time            | accepted, on time              |
/// | after `deadline` … `locks`       | accepted, **late**           | accepted, late                 |
/// | after `locks`                    | refused                      | accepted, late, reason audited |
/// | no window known                  | accepted (said so)           | accepted                       |
///
/// So a collection with deadline 13 November and lock 20 November takes on-time entries up to and
/// including the 13th, late ones from the 14th to the 20th, and from the 21st only with an
/// override. An override never opens a window early: data before opening day is refused outright.
public struct EntryWindow: Hashable, Sendable {
    /// The year group's window; nil when neither the calendar nor the collection gives dates.
    public var window: CollectionWindow?

    /// The window to enforce; nil for "no window known".
    public init(_ window: CollectionWindow?) {
        self.window = window
    }

    /// The window of `collection` for `yearGroup` in `year`: the calendar's own, else the
    /// collection's whole-school dates (``SchoolCalendar/window(of:yearGroup:)``).
    public init(_ collection: DataCollection, yearGroup: Int, in year: SchoolYear) {
        self.init(year.calendar.window(of: collection, yearGroup: yearGroup))
    }

    /// A data manager's permission to enter data after the lock date, with the reason that goes
    /// into the audit log.
    public struct Override: Hashable, Sendable {
        /// The data manager's staff code.
        public let by: Staff.ID
        /// Why the locked collection is being changed (non-blank, trimmed).
        public let reason: String

        /// An override by `staff`, who must hold the data-manager role, for a non-blank reason.
        /// - Throws: ``OverrideError`` `override-not-data-manager` or `override-no-reason`.
        public init(by staff: Staff, reason: String) throws(OverrideError) {
            guard staff.roles.contains(.dataManager) else {
                throw OverrideError(code: "override-not-data-manager",
                                    message: "\(staff.id) (\(staff.displayName)) does not have the data-manager role: only a data manager may enter data after a collection is locked")
            }
            let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else {
                throw OverrideError(code: "override-no-reason", message: "give a reason for entering data after the lock; it is kept in the audit log")
            }
            self.by = staff.id
            self.reason = reason
        }
    }

    /// An override that cannot be given.
    public struct OverrideError: Error, Hashable, Sendable, CustomStringConvertible {
        /// `override-not-data-manager` or `override-no-reason`.
        public var code: String
        /// What is wrong and what to do.
        public var message: String
        public var description: String { message }
    }

    /// What happens to an entry made on a given day.
    public enum Decision: Hashable, Sendable {
        /// From opening day to the deadline, inclusive.
        case onTime
        /// After the deadline, up to and including the lock date: accepted and marked late.
        case late
        /// After the lock date with a data manager's override: accepted, marked late, the
        /// override's reason audited.
        case lateWithOverride(Override)
        /// No dates for this collection and year group: accepted without a check.
        case noWindow
        /// Before opening day: refused (an override does not change this).
        case refusedBeforeOpening(opens: CalendarDate)
        /// After the lock date without an override: refused.
        case refusedAfterLock(locks: CalendarDate)

        /// True unless refused.
        public var isAccepted: Bool {
            switch self {
            case .onTime, .late, .lateWithOverride, .noWindow: true
            case .refusedBeforeOpening, .refusedAfterLock: false
            }
        }

        /// True when the entry is accepted and must be marked late.
        public var isLate: Bool {
            switch self {
            case .late, .lateWithOverride: true
            default: false
            }
        }
    }

    /// The decision for an entry made on `date` (see the type's table).
    public func decision(on date: CalendarDate, override: Override? = nil) -> Decision {
        guard let window else { return .noWindow }
        if date < window.opens { return .refusedBeforeOpening(opens: window.opens) }
        if date <= window.deadline { return .onTime }
        if date <= window.locks { return .late }
        if let override { return .lateWithOverride(override) }
        return .refusedAfterLock(locks: window.locks)
    }

    /// A sentence for a refused entry naming the collection and year group, saying what to do;
    /// nil for an accepted one.
    public static func refusal(_ decision: Decision, collection: DataCollection.ID, yearGroup: Int) -> String? {
        switch decision {
        case .refusedBeforeOpening(let opens):
            return "\(collection) for year \(yearGroup) opens on \(opens): entries are refused before then"
        case .refusedAfterLock(let locks):
            return "\(collection) for year \(yearGroup) was locked on \(locks): only a data manager may change it, with --override-by STAFFCODE --reason \"…\""
        default:
            return nil
        }
    }
}

extension EntryWindow {
    /// One of the three values of an entry, by its stored column name.
    public enum Field: String, Hashable, Sendable, CaseIterable {
        case workingAt = "working_at"
        case predicted
        case atl

        /// The field's value in an assessment.
        public func value(in assessment: Assessment) -> EntryValue? {
            switch self {
            case .workingAt: assessment.workingAt
            case .predicted: assessment.predicted
            case .atl: assessment.atl
            }
        }
    }

    /// One incoming entry once screened against what is stored and the window.
    public struct Screened: Hashable, Sendable {
        /// The entry as given, with ``Assessment/late`` set when it is accepted late and changes
        /// something.
        public var entry: Assessment
        /// The pupil's year group (0 when the pupil is not on roll in `year`).
        public var yearGroup: Int
        /// The fields whose non-blank value differs from the stored one, in ``Field`` order. A
        /// blank never changes anything; an entry with none changed is never refused.
        public var changed: [Field]
        /// The window's decision; ``Decision/onTime`` for an entry that changes nothing (there is
        /// nothing to refuse).
        public var decision: Decision
    }

    /// Screens incoming entries: finds what each would change against `year.assessments`, and
    /// applies the window of its collection and the pupil's year group on `date`. Entries that
    /// change nothing are always accepted (re-importing an untouched markbook after the lock
    /// changes nothing and is not an error). Order is kept.
    public static func screen(_ entries: [Assessment], against year: SchoolYear, on date: CalendarDate,
                              override: Override? = nil) -> [Screened] {
        struct Key: Hashable { var pupil: Pupil.ID; var subject: Subject.ID; var collection: DataCollection.ID }
        var stored: [Key: Assessment] = [:]
        for a in year.assessments { stored[Key(pupil: a.pupil, subject: a.subject, collection: a.collection)] = a }
        let yearOf = Dictionary(year.pupils.map { ($0.id, $0.yearGroup) }, uniquingKeysWith: { a, _ in a })
        let collections = Dictionary(year.collections.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return entries.map { entry in
            let old = stored[Key(pupil: entry.pupil, subject: entry.subject, collection: entry.collection)]
            let changed = Field.allCases.filter { field in
                guard let new = field.value(in: entry) else { return false }
                return old.flatMap { field.value(in: $0) }?.stored != new.stored
            }
            let yearGroup = yearOf[entry.pupil] ?? 0
            var screened = Screened(entry: entry, yearGroup: yearGroup, changed: changed, decision: .onTime)
            guard !changed.isEmpty else { return screened }
            let window = collections[entry.collection].map { EntryWindow($0, yearGroup: yearGroup, in: year) } ?? EntryWindow(nil)
            screened.decision = window.decision(on: date, override: override)
            if screened.decision.isLate { screened.entry.late = true }
            return screened
        }
    }
}
