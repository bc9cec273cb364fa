/// Everything Headway holds for one school in one academic year: the unit an import produces,
/// the store saves and loads, and analytics and reports read. Plain values, no I/O.
public struct SchoolYear: Sendable {
    public var school: School
    public var academicYear: AcademicYear
    /// Scales used by this year's subjects, built-in and the school's own, by id.
    public var scales: [GradeScale.ID: GradeScale]
    public var subjects: [Subject]
    public var staff: [Staff]
    public var pupils: [Pupil]
    public var teachingGroups: [TeachingGroup]
    /// In ``DataCollection/sequence`` order.
    public var collections: [DataCollection]
    public var assessments: [Assessment]
    public var targets: [Target]
    /// The year's calendars; empty when none has been set.
    public var calendar: SchoolCalendar
    /// Where imported records came from, for the audit log (issue 5, item 6).
    public var sources = RecordSources()
    /// Interventions starting this academic year. Loaded with the year; saved on their own
    /// (`Store.save(_:interventions:…)`), never by saving the year.
    public var interventions: [Intervention] = []
    /// Who is responsible for each year group this academic year, where named; see
    /// ``responsibleStaff(forYearGroup:)``. Loaded with the year; saved on their own.
    public var responsibilities: [YearGroupResponsibility] = []

    public init(school: School, academicYear: AcademicYear, scales: [GradeScale.ID: GradeScale] = GradeScale.builtIn,
                subjects: [Subject] = [], staff: [Staff] = [], pupils: [Pupil] = [], teachingGroups: [TeachingGroup] = [],
                collections: [DataCollection] = [], assessments: [Assessment] = [], targets: [Target] = [],
                calendar: SchoolCalendar? = nil) {
        self.school = school
        self.academicYear = academicYear
        self.scales = scales
        self.subjects = subjects
        self.staff = staff
        self.pupils = pupils
        self.teachingGroups = teachingGroups
        self.collections = collections.sorted { $0.sequence < $1.sequence }
        self.assessments = assessments
        self.targets = targets
        self.calendar = calendar ?? SchoolCalendar(academicYear: academicYear)
    }

    /// The scale of a subject's working-at grades; nil when the subject or scale is unknown.
    public func scale(of subject: Subject.ID) -> GradeScale? {
        subjects.first { $0.id == subject }.flatMap { scales[$0.scale] }
    }
}

/// Where the records of a school year came from — `file.csv:12`, the line a pupil's details or a
/// target were read from — so that every audit row names its source. Set by importers; empty for
/// what a person entered (the audit row then names the person and the command).
public struct RecordSources: Hashable, Sendable {
    /// A pupil's record (details, year group, characteristics, KS2): the first line it was read from.
    public var pupils: [Pupil.ID: String] = [:]
    /// A target, keyed `PUPIL/SUBJECT`.
    public var targets: [String: String] = [:]

    public init() {}

    /// The source of a pupil's target in a subject.
    public func target(_ pupil: Pupil.ID, _ subject: Subject.ID) -> String? { targets["\(pupil)/\(subject)"] }
}
