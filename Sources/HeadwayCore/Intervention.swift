/// An intervention: what was done, for which pupils, by whom, when and at what cost
/// (DOMAIN.md, "Act"). Its impact is measured from the collections before it started and after
/// it ended (`InterventionImpact` in HeadwayAnalytics); the record itself holds no result.
///
/// Stored per school, under the academic year it starts in; every change writes an audit row.
public struct Intervention: Hashable, Sendable, Codable, Identifiable {
    public typealias ID = Identifier<Intervention>

    /// The school's code for the intervention, e.g. `INT-2026-014`.
    public var id: ID
    /// What kind of intervention it is; impact and pupil premium spend are summarised per type.
    public var type: InterventionType
    /// A short description, e.g. "Y11 maths small-group tutoring".
    public var title: String
    /// The member of staff who runs it and answers for it.
    public var owner: Staff.ID
    /// The pupils in it (each once, in the order given).
    public var pupils: [Pupil.ID]
    /// The subjects it targets; empty when it is not about one subject (mentoring, attendance):
    /// its impact is then measured over all of each pupil's subjects.
    public var subjects: [Subject.ID]
    /// First day (inclusive).
    public var starts: CalendarDate
    /// Last day (inclusive); nil while it runs with no set end.
    public var ends: CalendarDate?
    /// Number of sessions delivered or planned; nil when not counted.
    public var sessions: Int?
    /// Total cost in pence (never floating point): £480.00 is 48000. Nil when not costed.
    public var costPence: Int?
    /// Paid for from the pupil premium grant: counted in the pupil premium summary.
    public var fundedByPupilPremium: Bool
    /// Free text.
    public var notes: String?
    /// Where the record came from for the audit log: `interventions.csv:4`, or the person.
    public var source: String?

    public init(id: ID, type: InterventionType, title: String, owner: Staff.ID, pupils: [Pupil.ID], subjects: [Subject.ID] = [],
                starts: CalendarDate, ends: CalendarDate? = nil, sessions: Int? = nil, costPence: Int? = nil,
                fundedByPupilPremium: Bool = false, notes: String? = nil, source: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
        self.owner = owner
        self.pupils = pupils
        self.subjects = subjects
        self.starts = starts
        self.ends = ends
        self.sessions = sessions
        self.costPence = costPence
        self.fundedByPupilPremium = fundedByPupilPremium
        self.notes = notes
        self.source = source
    }

    /// Whether `text` can be an intervention code: 1–40 characters of letters, digits, `-`, `_`,
    /// `/` and `.`, starting with a letter or digit (so a code is never blank and never starts a
    /// spreadsheet formula).
    public static func isValidCode(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.count <= 40, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_/.".unicodeScalars.contains($0)) }
    }

    /// The academic year the intervention belongs to: the one its start date falls in
    /// (1 September to 31 August).
    public var academicYear: AcademicYear { AcademicYear(containing: starts) }

    /// Where the intervention stands on `date`.
    public func status(on date: CalendarDate) -> Status {
        if date < starts { return .planned }
        if let ends, date > ends { return .ended }
        return .running
    }

    /// Planned (not started), running, or ended.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        case planned
        case running
        case ended
    }
}

/// The kind of an intervention: one of the common types below, or a school's own, named in
/// lower case with underscores (`literacy_catch_up`). Stored as the name.
public struct InterventionType: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    /// Accepts a name of lower-case letters, digits and underscores, starting with a letter
    /// (at most 40 characters); nil otherwise.
    public init?(rawValue: String) {
        guard let first = rawValue.unicodeScalars.first, ("a"..."z").contains(first), rawValue.count <= 40,
              rawValue.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else { return nil }
        self.rawValue = rawValue
    }

    /// For the constants below and literals in tests; the name must be valid.
    public init(stringLiteral value: String) {
        guard let valid = InterventionType(rawValue: value) else { preconditionFailure("invalid intervention type \(value)") }
        self = valid
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let valid = InterventionType(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid intervention type \(text)"))
        }
        self = valid
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    /// "parent meeting" for `parent_meeting`.
    public var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// One-to-one or small-group mentoring by a member of staff.
    public static let mentoring: InterventionType = "mentoring"
    /// Subject tutoring (school-led or National Tutoring Programme style).
    public static let tutoring: InterventionType = "tutoring"
    /// A meeting with parents or carers about progress.
    public static let parentMeeting: InterventionType = "parent_meeting"
    /// Revision sessions before examinations.
    public static let revisionSessions: InterventionType = "revision_sessions"
    /// Homework or study club.
    public static let homeworkClub: InterventionType = "homework_club"
    /// Reading and literacy support.
    public static let literacy: InterventionType = "literacy"
    /// Numeracy support.
    public static let numeracy: InterventionType = "numeracy"
    /// Attendance support.
    public static let attendance: InterventionType = "attendance"
    /// Pastoral or behaviour support.
    public static let pastoral: InterventionType = "pastoral"

    /// The common types, for help text and spelling suggestions.
    public static let common: [InterventionType] = [
        .mentoring, .tutoring, .parentMeeting, .revisionSessions, .homeworkClub, .literacy, .numeracy, .attendance, .pastoral,
    ]
}

/// Who answered for a year group's progress in one academic year: the head of year or progress
/// leader (issue 6, item 5). A pupil's record names, for every year they were on roll, the
/// person responsible for their year group that year.
public struct YearGroupResponsibility: Hashable, Sendable, Codable {
    /// The role held.
    public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
        case headOfYear = "head_of_year"
        case progressLeader = "progress_leader"

        /// "head of year", "progress leader".
        public var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
    }

    public var academicYear: AcademicYear
    /// National Curriculum year group, 7–13.
    public var yearGroup: Int
    public var staff: Staff.ID
    public var role: Role

    public init(academicYear: AcademicYear, yearGroup: Int, staff: Staff.ID, role: Role = .headOfYear) {
        self.academicYear = academicYear
        self.yearGroup = yearGroup
        self.staff = staff
        self.role = role
    }
}

extension SchoolYear {
    /// The staff responsible for `yearGroup` this academic year: the year's stored
    /// ``responsibilities`` for it, or, when there are none, every member of staff holding the
    /// ``Staff/Role/headOfYear(_:)`` role for it. Heads of year come before progress leaders; then
    /// in staff code order. Empty when nobody is named.
    public func responsibleStaff(forYearGroup yearGroup: Int) -> [Staff] {
        let byID = Dictionary(staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let named = responsibilities
            .filter { $0.yearGroup == yearGroup && $0.academicYear == academicYear }
            .sorted { ($0.role == .headOfYear ? 0 : 1, $0.staff) < ($1.role == .headOfYear ? 0 : 1, $1.staff) }
            .compactMap { byID[$0.staff] }
        if !named.isEmpty { return named }
        return staff.filter { $0.roles.contains(.headOfYear(yearGroup)) }.sorted { $0.id < $1.id }
    }
}
