import HeadwayCore

extension DemoSchool {
    /// The demo school's intervention log for the year (issue 6, item 3): what a school might set
    /// up after its first and second collections, chosen from the generated data so that every
    /// run with the same seed logs the same pupils.
    ///
    /// No effect is planted in the synthetic grades: measured impacts should be near zero, with
    /// intervals spanning zero — the honest answer for pupils who were given nothing that worked.
    ///
    /// | id | type | year | pupils | dates (2026/27) | measured between |
    /// | --- | --- | --- | --- | --- | --- |
    /// | INT-001 | tutoring, maths, pupil premium | 11 | 24 furthest below their maths target at DC1 | 7 Dec – 26 Feb | DC1 → DC2 |
    /// | INT-002 | mentoring, no subject | 10 | 20 furthest below in English and maths at DC1 | 11 Jan – 30 Apr | DC1 → DC3 |
    /// | INT-003 | literacy, English | 9 | 30 lowest English working-at at DC1 | 14 Dec – 5 Mar | DC1 → DC2 |
    /// | INT-004 | parent meeting | 7–11 | the planted struggling pupils | 22 – 26 Mar | DC2 → DC3 (too few to judge) |
    /// | INT-005 | revision sessions, pupil premium | 11 | 30 disadvantaged pupils | 15 Mar – 30 Apr | DC2 → DC3 |
    /// | INT-006 | homework club, no end | 8 | 15 lowest mean working-at at DC1 | from 11 Jan | not yet measurable |
    ///
    /// Owners are the head of maths (INT-001), the heads of year (INT-002, 004–006) and the head of
    /// English (INT-003).
    public var interventions: [Intervention] {
        let start = options.academicYear.startYear
        func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }
        let first = year.collections.first?.id
        let byPair: [String: Assessment] = Dictionary(
            year.assessments.filter { $0.collection == first }.map { ("\($0.pupil)/\($0.subject)", $0) }, uniquingKeysWith: { a, _ in a })
        let targets: [String: Target] = Dictionary(year.targets.map { ("\($0.pupil)/\($0.subject)", $0) }, uniquingKeysWith: { a, _ in a })
        func points(_ value: EntryValue?) -> Double? { if case .grade(let g)? = value { g.points } else { nil } }
        func dc1(_ pupil: Pupil, _ subject: Subject.ID) -> Double? { points(byPair["\(pupil.id)/\(subject)"]?.workingAt) }
        /// Target minus DC1 working-at: how far below the target the pupil was at DC1.
        func gap(_ pupil: Pupil, _ subject: Subject.ID) -> Double? {
            guard let now = dc1(pupil, subject), let target = points(targets["\(pupil.id)/\(subject)"]?.grade) else { return nil }
            return target - now
        }
        /// The `count` pupils of `yearGroup` with the highest `score` (ties by id), skipping pupils without one.
        func top(_ yearGroup: Int, _ count: Int, where keep: (Pupil) -> Bool = { _ in true }, _ score: (Pupil) -> Double?) -> [Pupil.ID] {
            year.pupils.filter { $0.yearGroup == yearGroup && keep($0) }
                .compactMap { p in score(p).map { (p.id, $0) } }
                .sorted { ($0.1, $1.0) > ($1.1, $0.0) }
                .prefix(count).map(\.0)
        }
        func staff(_ role: Staff.Role) -> Staff.ID { year.staff.first { $0.roles.contains(role) }?.id ?? year.staff[0].id }

        return [
            Intervention(id: "INT-001", type: .tutoring, title: "Y11 maths small-group tutoring", owner: staff(.headOfDepartment("MA")),
                         pupils: top(11, 24) { gap($0, "MA") }, subjects: ["MA"], starts: date(start, 12, 7), ends: date(start + 1, 2, 26),
                         sessions: 10, costPence: 120_000, fundedByPupilPremium: true, source: "headway demo"),
            Intervention(id: "INT-002", type: .mentoring, title: "Y10 progress mentoring", owner: staff(.headOfYear(10)),
                         pupils: top(10, 20) { p in gap(p, "EN").flatMap { en in gap(p, "MA").map { en + $0 } } },
                         starts: date(start + 1, 1, 11), ends: date(start + 1, 4, 30), sessions: 12, costPence: 0, source: "headway demo"),
            Intervention(id: "INT-003", type: .literacy, title: "Y9 reading catch-up", owner: staff(.headOfDepartment("EN")),
                         pupils: top(9, 30) { dc1($0, "EN").map { -$0 } }, subjects: ["EN"], starts: date(start, 12, 14), ends: date(start + 1, 3, 5),
                         sessions: 20, costPence: 45_000, source: "headway demo"),
            Intervention(id: "INT-004", type: .parentMeeting, title: "Meetings with parents of pupils falling behind", owner: staff(.headOfYear(10)),
                         pupils: planted.strugglingPupils.map(\.pupil), starts: date(start + 1, 3, 22), ends: date(start + 1, 3, 26),
                         sessions: 1, costPence: 0, notes: "After DC2: grades falling in four subjects.", source: "headway demo"),
            Intervention(id: "INT-005", type: .revisionSessions, title: "Y11 Easter revision sessions", owner: staff(.headOfYear(11)),
                         pupils: top(11, 30, where: { $0.isDisadvantaged == true }) { p in
                             let gaps = ["EN", "MA"].compactMap { gap(p, $0) }
                             return gaps.isEmpty ? nil : gaps.reduce(0, +)
                         },
                         starts: date(start + 1, 3, 15), ends: date(start + 1, 4, 30), sessions: 8, costPence: 60_000,
                         fundedByPupilPremium: true, source: "headway demo"),
            Intervention(id: "INT-006", type: .homeworkClub, title: "Y8 homework club", owner: staff(.headOfYear(8)),
                         pupils: top(8, 15) { p in
                             let grades = ["EN", "MA", "SC"].compactMap { dc1(p, $0) }
                             return grades.isEmpty ? nil : -grades.reduce(0, +) / Double(grades.count)
                         },
                         starts: date(start + 1, 1, 11), sessions: nil, costPence: 30_000, fundedByPupilPremium: true, source: "headway demo"),
        ]
    }

    /// Who is responsible for each year group this year (issue 6, item 5): the head of year of
    /// each of Years 7–11, as named by the generated staff roles.
    public var responsibilities: [YearGroupResponsibility] {
        DemoSchool.yearGroups.flatMap { y in
            year.staff.filter { $0.roles.contains(.headOfYear(y)) }
                .map { YearGroupResponsibility(academicYear: options.academicYear, yearGroup: y, staff: $0.id, role: .headOfYear) }
        }
    }
}
