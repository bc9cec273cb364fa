/// A school. Every stored row belongs to one, so a multi-academy trust keeps many in one store.
public struct School: Hashable, Sendable, Codable, Identifiable {
    public typealias ID = Identifier<School>
    /// The school's key in Headway: its URN or DfE number where it has one, or a short code.
    public var id: ID
    public var name: String

    public init(id: ID, name: String) {
        self.id = id
        self.name = name
    }
}

/// A characteristic of a pupil in one academic year, by name: the standard ones below, or any
/// other an import mapping names (e.g. `schoolsup` in the UCI data). Values are text;
/// yes/no characteristics are stored as `true` / `false`.
public enum Characteristic {
    /// Disadvantaged for KS4 measures: FSM in the last 6 years, looked after, or left care
    /// (DfE; `shared/reference/dfe-rules.md` §7). Pupil premium in reports.
    public static let disadvantaged = "disadvantaged"
    /// SEN provision: `N` none, `K` SEN support, `E` EHC plan (school census codes).
    public static let sen = "sen"
    /// English as an additional language.
    public static let eal = "eal"
    /// Looked after by a local authority.
    public static let lookedAfter = "looked_after"
    /// Gender as recorded by the school's MIS (`F`, `M`, …).
    public static let gender = "gender"
    /// KS2 prior attainment band (`low`, `middle`, `high`), derived, never imported.
    public static let priorAttainmentBand = "prior_attainment_band"
    /// Attendance for the academic year so far, as a percentage such as 94.6 (filled by a school's import mapping; shown on reports to parents when present). A measure, not a group: subgroup summaries leave it out.
    public static let attendance = "attendance"
}

/// SEN provision code from the school census: N no SEN, K SEN support, E EHC plan.
public enum SENStatus: String, CaseIterable, Hashable, Sendable, Codable {
    case none = "N"
    case senSupport = "K"
    case ehcPlan = "E"
}

/// A pupil: one child on roll.
public struct Pupil: Hashable, Sendable, Codable, Identifiable {
    public typealias ID = Identifier<Pupil>
    /// The school's key for the pupil: the UPN where known, else the MIS id, else a key the
    /// import mapping builds (documented with the mapping).
    public var id: ID
    public var upn: UPN?
    public var forename: String
    public var surname: String
    public var dateOfBirth: CalendarDate?
    /// National Curriculum year group, 7–13.
    public var yearGroup: Int
    public var tutorGroup: String?
    /// Characteristics for the current academic year, by ``Characteristic`` name.
    public var characteristics: [String: String]
    public var priorAttainment: PriorAttainment?

    public init(id: ID, upn: UPN? = nil, forename: String = "", surname: String = "", dateOfBirth: CalendarDate? = nil,
                yearGroup: Int, tutorGroup: String? = nil, characteristics: [String: String] = [:],
                priorAttainment: PriorAttainment? = nil) {
        self.id = id
        self.upn = upn
        self.forename = forename
        self.surname = surname
        self.dateOfBirth = dateOfBirth
        self.yearGroup = yearGroup
        self.tutorGroup = tutorGroup
        self.characteristics = characteristics
        self.priorAttainment = priorAttainment
    }

    /// "Forename Surname", or the id when the record has no names.
    public var displayName: String {
        let name = [forename, surname].filter { !$0.isEmpty }.joined(separator: " ")
        return name.isEmpty ? id.rawValue : name
    }

    public var isDisadvantaged: Bool? { characteristics[Characteristic.disadvantaged].flatMap(Bool.init) }
    public var senStatus: SENStatus? { characteristics[Characteristic.sen].flatMap(SENStatus.init(rawValue:)) }
}

/// A member of staff, with the roles that decide what they may see.
public struct Staff: Hashable, Sendable, Codable, Identifiable {
    public typealias ID = Identifier<Staff>

    /// A role; a person may hold several.
    public enum Role: Hashable, Sendable, Codable, CustomStringConvertible {
        case teacher
        case headOfDepartment(Subject.ID)
        case headOfYear(Int)
        case senco
        case seniorLeader
        case dataManager

        /// Stored form: `teacher`, `hod:MAT`, `hoy:10`, `senco`, `slt`, `data_manager`.
        public var description: String {
            switch self {
            case .teacher: "teacher"
            case .headOfDepartment(let s): "hod:\(s)"
            case .headOfYear(let y): "hoy:\(y)"
            case .senco: "senco"
            case .seniorLeader: "slt"
            case .dataManager: "data_manager"
            }
        }

        /// Parses the stored form; nil when unknown.
        public init?(_ text: String) {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            switch (parts.first, parts.count) {
            case ("teacher", 1): self = .teacher
            case ("hod", 2): self = .headOfDepartment(Subject.ID(parts[1]))
            case ("hoy", 2): guard let y = Int(parts[1]) else { return nil }; self = .headOfYear(y)
            case ("senco", 1): self = .senco
            case ("slt", 1): self = .seniorLeader
            case ("data_manager", 1): self = .dataManager
            default: return nil
            }
        }
    }

    /// The school's staff code, e.g. initials `JSM`.
    public var id: ID
    public var title: String?
    public var forename: String
    public var surname: String
    public var email: String?
    public var roles: [Role]

    public init(id: ID, title: String? = nil, forename: String, surname: String, email: String? = nil, roles: [Role] = [.teacher]) {
        self.id = id
        self.title = title
        self.forename = forename
        self.surname = surname
        self.email = email
        self.roles = roles
    }

    /// "Ms Smith" where a title is known, else "Jo Smith".
    public var displayName: String {
        if let title, !title.isEmpty { return "\(title) \(surname)" }
        return "\(forename) \(surname)"
    }
}

/// A subject taught at the school, with the scale its grades are entered on.
public struct Subject: Hashable, Sendable, Codable, Identifiable {
    public typealias ID = Identifier<Subject>
    /// The school's subject code, e.g. `MA`, `EN`, `SC`.
    public var id: ID
    public var name: String
    /// Scale of working-at and predicted grades.
    public var scale: GradeScale.ID
    /// Scale of the attitude-to-learning score.
    public var atlScale: GradeScale.ID
    /// KS4 qualification type, e.g. `GCSE`, where the subject leads to one.
    public var qualification: String?
    /// What the subject counts as in Attainment 8 / Progress 8 / EBacc; nil when it leads to
    /// no KS4 qualification (or is not yet classified).
    public var ks4Category: KS4Category?

    public init(id: ID, name: String, scale: GradeScale.ID, atlScale: GradeScale.ID = GradeScale.atlID, qualification: String? = nil,
                ks4Category: KS4Category? = nil) {
        self.id = id
        self.name = name
        self.scale = scale
        self.atlScale = atlScale
        self.qualification = qualification
        self.ks4Category = ks4Category
    }
}

/// A class: pupils of one year group taught one subject by one or more teachers.
public struct TeachingGroup: Hashable, Sendable, Codable, Identifiable {
    public typealias ID = Identifier<TeachingGroup>
    /// The MIS class code, e.g. `10X/Ma1`.
    public var id: ID
    public var subject: Subject.ID
    public var yearGroup: Int
    public var teachers: [Staff.ID]
    public var pupils: [Pupil.ID]

    public init(id: ID, subject: Subject.ID, yearGroup: Int, teachers: [Staff.ID], pupils: [Pupil.ID]) {
        self.id = id
        self.subject = subject
        self.yearGroup = yearGroup
        self.teachers = teachers
        self.pupils = pupils
    }
}

/// A data collection point, e.g. "Y10 DC1": when teachers enter grades for some year groups.
public struct DataCollection: Hashable, Sendable, Codable, Identifiable {
    public typealias ID = Identifier<DataCollection>
    public var id: ID
    public var name: String
    public var academicYear: AcademicYear
    public var yearGroups: [Int]
    /// Order within the academic year, 1 first; "since the last collection" follows this order.
    public var sequence: Int
    public var opens: CalendarDate?
    public var deadline: CalendarDate?
    public var locks: CalendarDate?
    public var publishes: CalendarDate?

    public init(id: ID, name: String, academicYear: AcademicYear, yearGroups: [Int], sequence: Int,
                opens: CalendarDate? = nil, deadline: CalendarDate? = nil, locks: CalendarDate? = nil, publishes: CalendarDate? = nil) {
        self.id = id
        self.name = name
        self.academicYear = academicYear
        self.yearGroups = yearGroups
        self.sequence = sequence
        self.opens = opens
        self.deadline = deadline
        self.locks = locks
        self.publishes = publishes
    }
}

/// One mark entry: pupil × subject × collection → working-at, predicted and ATL.
/// Each of the three is nil while not yet entered.
public struct Assessment: Hashable, Sendable {
    public var pupil: Pupil.ID
    public var subject: Subject.ID
    public var collection: DataCollection.ID
    /// Current attainment on the subject's scale.
    public var workingAt: EntryValue?
    /// Forecast end-of-course grade on the subject's scale.
    public var predicted: EntryValue?
    /// Attitude to learning on the subject's ATL scale.
    public var atl: EntryValue?
    public var enteredBy: Staff.ID?
    /// Entered after the collection's deadline for the pupil's year group (and before its lock,
    /// or after it by a data manager with a reason): shown in integrity and completion.
    public var late: Bool
    /// Where the values came from, for the audit log: `file.csv:12`, or the person.
    public var source: String?

    public init(pupil: Pupil.ID, subject: Subject.ID, collection: DataCollection.ID,
                workingAt: EntryValue? = nil, predicted: EntryValue? = nil, atl: EntryValue? = nil, enteredBy: Staff.ID? = nil,
                late: Bool = false, source: String? = nil) {
        self.pupil = pupil
        self.subject = subject
        self.collection = collection
        self.workingAt = workingAt
        self.predicted = predicted
        self.atl = atl
        self.enteredBy = enteredBy
        self.late = late
        self.source = source
    }
}
