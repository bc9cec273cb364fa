import HeadwayCore

/// Small hand-built school years with known contents, fictional people only.
public enum Fixtures {
    public static let year = AcademicYear(startYear: 2026)

    /// A custom school scale (KS3 steps) so stored scale definitions are exercised.
    public static let ks3Steps = GradeScale(
        id: "ks3-steps", name: "KS3 steps",
        grades: [
            GradeScale.Grade(code: "EMG", points: 1, label: "Emerging", aliases: ["E"]),
            GradeScale.Grade(code: "DEV", points: 2, label: "Developing", aliases: ["D"]),
            GradeScale.Grade(code: "SEC", points: 3, label: "Secure", aliases: ["S"]),
            GradeScale.Grade(code: "MAS", points: 4, label: "Mastered", aliases: ["M"]),
        ],
        swingThreshold: 2)

    /// Two year groups, four pupils, three subjects (one on the custom scale), two classes with
    /// teachers, two collections, entries including fine grades, X, Z and an off-scale value,
    /// characteristics, KS2 and a target.
    public static func smallSchool() -> SchoolYear {
        let gcse = GradeScale.gcse
        let pupils = [
            Pupil(id: "P001", upn: UPN("H801200001001"), forename: "Aoife", surname: "O'Neil", dateOfBirth: CalendarDate(year: 2011, month: 3, day: 4),
                  yearGroup: 10, tutorGroup: "10A", characteristics: [Characteristic.disadvantaged: "true", Characteristic.sen: "K", Characteristic.gender: "F"],
                  priorAttainment: PriorAttainment(readingScaledScore: 105, mathsScaledScore: 107)),
            Pupil(id: "P002", upn: UPN("B801200005001"), forename: "Zoë", surname: "Marsh", dateOfBirth: CalendarDate(year: 2011, month: 7, day: 19),
                  yearGroup: 10, tutorGroup: "10B", characteristics: [Characteristic.disadvantaged: "false", Characteristic.sen: "N", Characteristic.gender: "F"],
                  priorAttainment: PriorAttainment(readingScaledScore: nil, mathsScaledScore: 98)),
            Pupil(id: "P003", upn: UPN("R674123101121"), forename: "Kwame", surname: "Adeyemi-Hart", dateOfBirth: CalendarDate(year: 2011, month: 11, day: 30),
                  yearGroup: 10, tutorGroup: "10A", characteristics: [Characteristic.disadvantaged: "false", Characteristic.sen: "E", Characteristic.gender: "M"]),
            Pupil(id: "P004", forename: "Tom", surname: "<script>alert(1)</script>", yearGroup: 7, tutorGroup: "7C",
                  characteristics: [Characteristic.gender: "M"], priorAttainment: PriorAttainment(readingScaledScore: 111, mathsScaledScore: 113)),
        ]
        let staff = [
            Staff(id: "JSM", title: "Ms", forename: "Jo", surname: "Smith", email: "j.smith@school.example", roles: [.teacher, .headOfDepartment("MA")]),
            Staff(id: "RPA", title: "Mr", forename: "Ravi", surname: "Patel", email: "r.patel@school.example", roles: [.teacher, .headOfYear(10)]),
            Staff(id: "DMG", forename: "Dana", surname: "Green", roles: [.dataManager]),
        ]
        let subjects = [
            Subject(id: "MA", name: "Mathematics", scale: GradeScale.gcseID, qualification: "GCSE"),
            Subject(id: "SC", name: "Combined science", scale: GradeScale.combinedScienceID, qualification: "GCSE"),
            Subject(id: "HI7", name: "History (KS3)", scale: ks3Steps.id),
        ]
        let groups = [
            TeachingGroup(id: "10X/Ma1", subject: "MA", yearGroup: 10, teachers: ["JSM"], pupils: ["P001", "P002", "P003"]),
            TeachingGroup(id: "10X/Sc1", subject: "SC", yearGroup: 10, teachers: ["JSM", "RPA"], pupils: ["P001", "P002", "P003"]),
            TeachingGroup(id: "7C/Hi", subject: "HI7", yearGroup: 7, teachers: ["RPA"], pupils: ["P004"]),
        ]
        let collections = [
            DataCollection(id: "DC1", name: "Autumn data collection", academicYear: year, yearGroups: [7, 10], sequence: 1,
                           opens: CalendarDate(year: 2026, month: 11, day: 2), deadline: CalendarDate(year: 2026, month: 11, day: 13),
                           locks: CalendarDate(year: 2026, month: 11, day: 20), publishes: CalendarDate(year: 2026, month: 12, day: 1)),
            DataCollection(id: "DC2", name: "Spring data collection", academicYear: year, yearGroups: [7, 10], sequence: 2),
        ]
        func g(_ scale: GradeScale, _ code: String) -> EntryValue { scale.value(stored: code) }
        let atl = GradeScale.atl
        let cs = GradeScale.combinedScience
        let assessments = [
            Assessment(pupil: "P001", subject: "MA", collection: "DC1", workingAt: g(gcse, "5"), predicted: g(gcse, "6"), atl: g(atl, "2"), enteredBy: "JSM"),
            Assessment(pupil: "P001", subject: "MA", collection: "DC2", workingAt: g(gcse, "6-"), predicted: g(gcse, "6"), atl: g(atl, "1"), enteredBy: "JSM"),
            Assessment(pupil: "P002", subject: "MA", collection: "DC1", workingAt: g(gcse, "4+"), atl: g(atl, "3"), enteredBy: "JSM"),
            Assessment(pupil: "P002", subject: "MA", collection: "DC2", workingAt: .notAssessed, enteredBy: "JSM"),
            Assessment(pupil: "P003", subject: "MA", collection: "DC1", workingAt: g(gcse, "7/6"), enteredBy: "JSM"),
            Assessment(pupil: "P001", subject: "SC", collection: "DC1", workingAt: g(cs, "6-5"), enteredBy: "RPA"),
            Assessment(pupil: "P002", subject: "SC", collection: "DC1", workingAt: .notRequired, enteredBy: "RPA"),
            Assessment(pupil: "P003", subject: "SC", collection: "DC2", workingAt: .offScale("A*"), enteredBy: "RPA"),
            Assessment(pupil: "P004", subject: "HI7", collection: "DC1", workingAt: g(ks3Steps, "DEV"), atl: g(atl, "1"), enteredBy: "RPA"),
            Assessment(pupil: "P004", subject: "HI7", collection: "DC2", workingAt: g(ks3Steps, "MAS"), atl: g(atl, "1"), enteredBy: "RPA"),
        ]
        let targets = [
            Target(pupil: "P001", subject: "MA", grade: g(gcse, "7"), method: .imported, setBy: "DMG"),
        ]
        var scales = GradeScale.builtIn
        scales[ks3Steps.id] = ks3Steps
        return SchoolYear(school: School(id: "100001", name: "Riverside Academy"), academicYear: year, scales: scales,
                          subjects: subjects, staff: staff, pupils: pupils, teachingGroups: groups, collections: collections,
                          assessments: assessments, targets: targets)
    }

    // MARK: A calendar (issue 5)

    static func date(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    /// 2026/27, the year of ``calendar``.
    public static let calendarYear = AcademicYear(startYear: 2026)

    /// DC1 (Y10, Y11; whole-school dates) and DC2 (Y10, Y11; none).
    public static let calendarCollections = [
        DataCollection(id: "DC1", name: "DC1 Autumn", academicYear: calendarYear, yearGroups: [10, 11], sequence: 1,
                       opens: date("2026-11-30"), deadline: date("2026-12-07"), locks: date("2026-12-09"), publishes: date("2026-12-14")),
        DataCollection(id: "DC2", name: "DC2 Spring", academicYear: calendarYear, yearGroups: [10, 11], sequence: 2),
    ]

    /// Two assessment windows, three collection windows and two reporting events, already in the
    /// order the store reads them back (assessment windows by start, collection windows by
    /// opening then collection and year group, events by date).
    public static let calendar = SchoolCalendar(
        academicYear: calendarYear,
        assessmentWindows: [
            AssessmentWindow(id: "A1", name: "Autumn assessments", yearGroups: [10, 11], starts: date("2026-11-09"), ends: date("2026-11-20")),
            AssessmentWindow(id: "A2", name: "Spring assessments; Zoë's group, too", yearGroups: [10, 11], starts: date("2027-02-22"), ends: date("2027-03-05")),
        ],
        collectionWindows: [
            CollectionWindow(collection: "DC1", yearGroup: 11, opens: date("2026-11-23"), deadline: date("2026-11-30"), locks: date("2026-12-02"),
                             publishes: date("2026-12-07")),
            CollectionWindow(collection: "DC2", yearGroup: 10, opens: date("2027-03-08"), deadline: date("2027-03-15"), locks: date("2027-03-17"),
                             publishes: date("2027-03-22")),
            CollectionWindow(collection: "DC2", yearGroup: 11, opens: date("2027-03-08"), deadline: date("2027-03-15"), locks: date("2027-03-17"),
                             publishes: date("2027-03-22")),
        ],
        reportingEvents: [
            ReportingEvent(id: "R1", name: "Autumn report", kind: .report, yearGroups: [10, 11], date: date("2026-12-14"), collection: "DC1"),
            ReportingEvent(id: "PM1", name: "Y11 parents' evening", kind: .parentsMeeting, yearGroups: [11], date: date("2027-03-22"), collection: "DC2"),
        ])
}
