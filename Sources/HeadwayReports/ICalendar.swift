import Foundation
import HeadwayAnalytics
import HeadwayCore

/// An iCalendar (RFC 5545) calendar of all-day events: the text of one `.ics` file that staff
/// subscribe to or import into Outlook, Google Calendar or Apple Calendar. Pure: the caller
/// passes the time stamp (`DTSTAMP`), nothing here reads the clock.
///
/// What is written (RFC 5545 §3.1, §3.3.11, §3.6.1, §3.8):
/// - lines end CRLF and are folded so that no line is longer than 75 octets: a continuation line
///   starts with one space; a fold never splits a UTF-8 sequence, nor a character (grapheme
///   cluster) unless that character alone is longer than a line;
/// - TEXT values (`SUMMARY`, `DESCRIPTION`, `CATEGORIES`, `X-WR-CALNAME`) escape `\` `;` `,` and
///   line breaks (`\\` `\;` `\,` `\n`); other control characters (not allowed in TEXT) are dropped;
/// - `VCALENDAR` with `VERSION:2.0`, `PRODID`, `CALSCALE:GREGORIAN`, `METHOD:PUBLISH` and
///   `X-WR-CALNAME` (the name calendar apps show for a subscription);
/// - one `VEVENT` per event: `UID`, `DTSTAMP`, `DTSTART;VALUE=DATE`, `DTEND;VALUE=DATE` — the day
///   *after* the last day, since an all-day `DTEND` is exclusive (§3.6.1) — `SUMMARY`, optional
///   `DESCRIPTION`, `CATEGORIES`, and `TRANSP:TRANSPARENT` (a deadline does not make anyone
///   busy).
public struct ICalendar: Hashable, Sendable {
    /// One all-day event, from ``starts`` to ``ends`` inclusive.
    public struct Event: Hashable, Sendable {
        /// Globally unique and stable across exports, so a subscribed calendar updates the event
        /// rather than adding a copy (RFC 5545 §3.8.4.7).
        public var uid: String
        /// The title calendar apps show (`SUMMARY`).
        public var summary: String
        /// Details shown when the event is opened (`DESCRIPTION`); line breaks allowed.
        public var description: String?
        /// E.g. `Assessment`, `Data collection`, `Report`.
        public var categories: [String]
        /// First day.
        public var starts: CalendarDate
        /// Last day, inclusive (written as `DTEND` = the next day).
        public var ends: CalendarDate

        /// An event from `starts` to `ends`, both inclusive (the same day for a one-day event).
        public init(uid: String, summary: String, description: String? = nil, categories: [String] = [], starts: CalendarDate, ends: CalendarDate) {
            self.uid = uid
            self.summary = summary
            self.description = description
            self.categories = categories
            self.starts = starts
            self.ends = ends
        }
    }

    /// The calendar's name (`X-WR-CALNAME`).
    public var name: String
    /// Events, written in this order.
    public var events: [Event]

    /// A calendar named `name` (`X-WR-CALNAME`) holding `events`.
    public init(name: String, events: [Event]) {
        self.name = name
        self.events = events
    }

    /// `PRODID` (RFC 5545 §3.7.3: a globally unique identifier of the product).
    public static let productID = "-//Headway//Headway school calendars//EN"

    /// The `.ics` text: CRLF line endings, folded, escaped (see the type's documentation).
    /// - Parameter stamp: when the file is made, written as every event's `DTSTAMP` in UTC.
    public func text(stamp: Date) -> String {
        let dtstamp = Self.utcStamp(stamp)
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(Self.productID)", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:\(Self.escape(name))"]
        for event in events {
            lines += ["BEGIN:VEVENT", "UID:\(Self.escape(event.uid))", "DTSTAMP:\(dtstamp)",
                      "DTSTART;VALUE=DATE:\(Self.basic(event.starts))", "DTEND;VALUE=DATE:\(Self.basic(Self.dayAfter(event.ends)))",
                      "SUMMARY:\(Self.escape(event.summary))"]
            if let description = event.description { lines.append("DESCRIPTION:\(Self.escape(description))") }
            if !event.categories.isEmpty { lines.append("CATEGORIES:\(event.categories.map(Self.escape).joined(separator: ","))") }
            lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A TEXT value escaped (RFC 5545 §3.3.11): `\` → `\\`, `;` → `\;`, `,` → `\,`, a line break
    /// (CRLF, LF or CR) → `\n`; other control characters but tab dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let s = pending {
            pending = scalars.next()
            switch s {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r":
                out += "\\n"
                if pending == "\n" { pending = scalars.next() }
            case "\n": out += "\\n"
            case "\t": out.unicodeScalars.append(s)
            default:
                if s.value < 0x20 || s.value == 0x7F { continue }
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// Folds one content line so that each physical line is at most 75 octets of UTF-8, not
    /// counting the CRLF; continuation lines start with a space (which counts). Breaks fall
    /// between characters; only a single character longer than 74 octets is broken, between
    /// its Unicode scalars, so a UTF-8 sequence is never split.
    public static func fold(_ line: String) -> String {
        let limit = 75
        var out = ""
        var used = 0
        func room(for octets: Int) {
            guard used + octets > limit else { return }
            out += "\r\n "
            used = 1
        }
        for character in line {
            let octets = character.utf8.count
            if octets <= limit - 1 {
                room(for: octets)
                out.append(character)
                used += octets
            } else {
                for scalar in character.unicodeScalars {
                    let n = String(scalar).utf8.count
                    room(for: n)
                    out.unicodeScalars.append(scalar)
                    used += n
                }
            }
        }
        return out
    }

    /// The next day (for an exclusive `DTEND`).
    public static func dayAfter(_ date: CalendarDate) -> CalendarDate {
        CalendarDate(year: date.year, month: date.month, day: date.day + 1)
            ?? CalendarDate(year: date.year, month: date.month + 1, day: 1)
            ?? CalendarDate(year: date.year + 1, month: 1, day: 1)!
    }

    /// `20261130` (RFC 5545 §3.3.4 DATE).
    static func basic(_ date: CalendarDate) -> String { date.description.replacingOccurrences(of: "-", with: "") }

    /// `20260901T083000Z` (RFC 5545 §3.3.5, UTC form).
    static func utcStamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ n: Int?, _ width: Int) -> String {
            let s = String(n ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(c.year, 4))\(pad(c.month, 2))\(pad(c.day, 2))T\(pad(c.hour, 2))\(pad(c.minute, 2))\(pad(c.second, 2))Z"
    }
}

/// A school's three calendars as iCalendar feeds (issue 5, item 1): `assessment.ics`,
/// `collections.ics`, `reporting.ics`, and `headway-calendar.ics` with every event.
///
/// The events, chosen for what a teacher wants to see in their own calendar:
/// - **assessment calendar**: one event per assessment window, over its days — "Autumn
///   assessments (Y7–Y10)" (the year groups added unless the name has them: "Y11 mock exams").
/// - **data collection calendar**: per collection, the year groups that share the same four dates
///   are one group (so Y7–Y10 on one timetable give one set of events, not four identical ones);
///   per group three events: the *entry window* from opening to lock, over those days, with every
///   date in its description — "DC1 Autumn 2026: data entry (Y7–Y10)"; the *deadline*, on its day —
///   "DC1 Autumn 2026: deadline (Y7–Y10)", the date that matters to teachers; and *published*, on
///   its day — when leaders and reports can use the data. The lock is the end of the entry
///   window, so it has no event of its own. A year group with no dates set has no events.
/// - **reporting calendar**: one event per report to parents and carers and per parent–carer
///   meeting, on its day, naming the collection whose data it uses.
///
/// UIDs are `headway-<school>-<start year>-<kind>-<id>[-y<year groups>]@headway`, kind one of
/// `assessment`, `entry`, `deadline`, `published`, `report`, `parents-meeting`; year groups
/// joined by `.` (`y7.8.9.10`); characters other than letters, digits, `-`, `.`, `_` and `~`
/// percent-encoded. They depend only on the records, so re-exporting updates subscribers'
/// events in place. (A year group that moves to dates of its own gets new UIDs for its group —
/// subscribers see the old events replaced.)
public enum CalendarExport {
    /// One of the files.
    public struct File: Hashable, Sendable {
        /// `assessment.ics`, `collections.ics`, `reporting.ics` or `headway-calendar.ics`.
        public var name: String
        /// Its calendar; ``ICalendar/text(stamp:)`` is the file's content.
        public var calendar: ICalendar
    }

    /// The four files, in that order; events in each sorted by first day, then summary.
    /// - Parameters:
    ///   - calendar: the year's calendars.
    ///   - collections: the year's collections (for their names and whole-school dates, see
    ///     ``SchoolCalendar/windows(for:)``).
    public static func files(_ calendar: SchoolCalendar, collections: [DataCollection], school: School) -> [File] {
        let year = calendar.academicYear
        func sorted(_ events: [ICalendar.Event]) -> [ICalendar.Event] {
            events.sorted { ($0.starts, $0.ends, $0.summary, $0.uid) < ($1.starts, $1.ends, $1.summary, $1.uid) }
        }
        let assessment = sorted(assessmentEvents(calendar, school: school))
        let collection = sorted(collectionEvents(calendar, collections: collections, school: school))
        let reporting = sorted(reportingEvents(calendar, collections: collections, school: school))
        return [
            File(name: "assessment.ics", calendar: ICalendar(name: "\(school.name): assessment calendar \(year)", events: assessment)),
            File(name: "collections.ics", calendar: ICalendar(name: "\(school.name): data collection calendar \(year)", events: collection)),
            File(name: "reporting.ics", calendar: ICalendar(name: "\(school.name): reporting calendar \(year)", events: reporting)),
            File(name: "headway-calendar.ics",
                 calendar: ICalendar(name: "\(school.name): Headway calendars \(year)", events: sorted(assessment + collection + reporting))),
        ]
    }

    static func assessmentEvents(_ calendar: SchoolCalendar, school: School) -> [ICalendar.Event] {
        calendar.assessmentWindows.map { w in
            ICalendar.Event(uid: uid(school, calendar.academicYear, "assessment", w.id.rawValue), summary: titled(w.name, w.yearGroups),
                            description: "Assessment window for \(yearLabel(w.yearGroups)): \(long(w.starts)) to \(long(w.ends)).",
                            categories: ["Assessment"], starts: w.starts, ends: w.ends)
        }
    }

    static func collectionEvents(_ calendar: SchoolCalendar, collections: [DataCollection], school: School) -> [ICalendar.Event] {
        var events: [ICalendar.Event] = []
        for collection in collections.sorted(by: { $0.sequence < $1.sequence }) {
            let windows = calendar.windows(for: [collection])
            // Year groups sharing all four dates, in order of their first year group.
            var groups: [(window: CollectionWindow, years: [Int])] = []
            for w in windows {
                if let i = groups.firstIndex(where: { same($0.window, w) }) { groups[i].years.append(w.yearGroup) } else { groups.append((w, [w.yearGroup])) }
            }
            for (w, years) in groups {
                let label = yearLabel(years), suffix = "y" + years.map(String.init).joined(separator: ".")
                let id = collection.id.rawValue
                let details = "Opens \(long(w.opens)); deadline \(long(w.deadline)) (entries after it are marked late); "
                    + "locks \(long(w.locks)) (changes after it need the data manager); published \(long(w.publishes))."
                events.append(ICalendar.Event(uid: uid(school, calendar.academicYear, "entry", id, suffix), summary: "\(collection.name): data entry (\(label))",
                                              description: "Data entry for \(collection.name), \(label). " + details,
                                              categories: ["Data collection"], starts: w.opens, ends: max(w.opens, w.locks)))
                events.append(ICalendar.Event(uid: uid(school, calendar.academicYear, "deadline", id, suffix), summary: "\(collection.name): deadline (\(label))",
                                              description: "Deadline for \(collection.name) data, \(label). " + details,
                                              categories: ["Data collection"], starts: w.deadline, ends: w.deadline))
                events.append(ICalendar.Event(uid: uid(school, calendar.academicYear, "published", id, suffix), summary: "\(collection.name): published (\(label))",
                                              description: "\(collection.name) data published to leaders and reports, \(label). " + details,
                                              categories: ["Data collection"], starts: w.publishes, ends: w.publishes))
            }
        }
        return events
    }

    static func reportingEvents(_ calendar: SchoolCalendar, collections: [DataCollection], school: School) -> [ICalendar.Event] {
        calendar.reportingEvents.map { e in
            let collection = collections.first { $0.id == e.collection }?.name ?? e.collection.rawValue
            let (kind, category, what) = switch e.kind {
            case .report: ("report", "Report", "Report to parents and carers")
            case .parentsMeeting: ("parents-meeting", "Parents' meeting", "Parent–carer meeting")
            }
            return ICalendar.Event(uid: uid(school, calendar.academicYear, kind, e.id.rawValue), summary: titled(e.name, e.yearGroups),
                                   description: "\(what) for \(yearLabel(e.yearGroups)), using \(collection) data.",
                                   categories: [category], starts: e.date, ends: e.date)
        }
    }

    static func same(_ a: CollectionWindow, _ b: CollectionWindow) -> Bool {
        (a.opens, a.deadline, a.locks, a.publishes) == (b.opens, b.deadline, b.locks, b.publishes)
    }

    /// `headway-DEMO-2026-entry-DC1-y7.8.9.10@headway`.
    static func uid(_ school: School, _ year: AcademicYear, _ kind: String, _ id: String, _ suffix: String? = nil) -> String {
        (["headway", encode(school.id.rawValue), String(year.startYear), kind, encode(id)] + (suffix.map { [$0] } ?? []))
            .joined(separator: "-") + "@headway"
    }

    /// Percent-encodes all but letters, digits, `-`, `.`, `_`, `~` (ASCII).
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    /// `Y11`; `Y7–Y10` for a run of consecutive years; `Y7, Y9, Y11` otherwise.
    public static func yearLabel(_ years: [Int]) -> String {
        let list = Set(years).sorted()
        guard let first = list.first, let last = list.last else { return "no year group" }
        if list.count > 2, last - first == list.count - 1 { return "Y\(first)–Y\(last)" }
        return list.map { "Y\($0)" }.joined(separator: ", ")
    }

    /// The name with its year groups in brackets — `Autumn report (Y7–Y10)` — unless the name
    /// names them already (`Y11 mock exams`).
    public static func titled(_ name: String, _ years: [Int]) -> String {
        let label = yearLabel(years)
        return name.contains(label) ? name : "\(name) (\(label))"
    }

    /// `30 November 2026`.
    static func long(_ date: CalendarDate) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(date.day) \(months[date.month - 1]) \(date.year)"
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
