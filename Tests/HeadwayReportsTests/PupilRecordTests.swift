import HeadwayAnalytics
import HeadwayCore
import HeadwayReports
import Testing

/// The longitudinal pupil record (issue 7, item 4) and its flight path chart (item 5) on a
/// hand-built two-year history. Expected values are worked out by hand from the data below and
/// the rules (FlightPathSettings' linear path, ProgressStatus.Thresholds), never copied from output.
@Suite struct PupilRecordTests {
    static let y2025 = AcademicYear(startYear: 2025), y2026 = AcademicYear(startYear: 2026)
    static let hostile = #"x" onmouseover="alert(1)" <script>alert('x')</script>"#

    /// Aoife O'Neil (P001): Year 9, tutor group 9A in 2025/26; Year 10, 10A in 2026/27. Zoë Marsh
    /// (P002) alongside her, in 9B and 10B. Three collections a year; English and maths.
    ///
    /// - Targets: maths 6 (2025/26), 7 (2026/27); English 5 both years.
    /// - Maths working at: Y9 4, X, 5-; Y10 5, 6, 7. English: Y9 4, 4, 4+; Y10 4, 3, 3-.
    /// - Responsible: 2025/26 nobody recorded, Mrs Lomas holds hoy:9; 2026/27 Ms Okafor recorded
    ///   as head of Year 10 (Mr Patel holds hoy:10, and the record wins).
    /// - Interventions: maths tutoring in 2025/26 (P001); literacy mentoring in 2026/27 (P001,
    ///   no end); a Y10 homework club with only P002.
    static func history(names: (school: String, forename: String, subject: String, collection: String, staff: String,
                                tutorGroup: String, intervention: String, group: String)? = nil) -> (years: [SchoolYear], responsibilities: [ResponsibilityRecord]) {
        let gcse = GradeScale.gcse, atl = GradeScale.atl
        func g(_ code: String) -> EntryValue { gcse.value(stored: code) }
        func a(_ code: String) -> EntryValue { atl.value(stored: code) }
        let school = School(id: "100001", name: names?.school ?? "Riverside Academy")
        let subjects = [
            Subject(id: "MA", name: "Mathematics", scale: GradeScale.gcseID, qualification: "GCSE", ks4Category: .maths),
            Subject(id: "EN", name: names?.subject ?? "English language", scale: GradeScale.gcseID, qualification: "GCSE", ks4Category: .englishLanguage),
        ]
        let staff = [
            Staff(id: "JSM", title: "Ms", forename: "Jo", surname: "Smith", roles: [.teacher]),
            Staff(id: "KLM", title: "Mrs", forename: "Kate", surname: names?.staff ?? "Lomas", roles: [.teacher, .headOfYear(9)]),
            Staff(id: "RPA", title: "Mr", forename: "Ravi", surname: "Patel", roles: [.teacher, .headOfYear(10)]),
            Staff(id: "AOK", title: "Ms", forename: "Amara", surname: "Okafor", roles: [.teacher]),
        ]
        func pupils(_ yearGroup: Int) -> [Pupil] {
            [
                Pupil(id: "P001", upn: UPN("H801200001001"), forename: names?.forename ?? "Aoife", surname: "O'Neil", yearGroup: yearGroup,
                      tutorGroup: yearGroup == 9 ? "9A" : names?.tutorGroup ?? "10A",
                      priorAttainment: PriorAttainment(readingScaledScore: 105, mathsScaledScore: 107)),
                Pupil(id: "P002", upn: UPN("B801200005001"), forename: "Zoë", surname: "Marsh", yearGroup: yearGroup, tutorGroup: "\(yearGroup)B",
                      priorAttainment: PriorAttainment(readingScaledScore: nil, mathsScaledScore: 98)),
            ]
        }
        func collections(_ year: AcademicYear, _ yearGroup: Int) -> [DataCollection] {
            [("DC1", "Autumn", year.startYear), ("DC2", "Spring", year.startYear + 1), ("DC3", "Summer", year.startYear + 1)].enumerated().map { i, c in
                DataCollection(id: DataCollection.ID(c.0), name: i == 0 && names != nil && year == y2026 ? names!.collection : "\(c.0) \(c.1) \(c.2)",
                               academicYear: year, yearGroups: [yearGroup], sequence: i + 1)
            }
        }
        func entries(_ subject: Subject.ID, _ pupil: Pupil.ID, _ values: [(String, String?)]) -> [Assessment] {
            values.enumerated().map { i, v in
                Assessment(pupil: pupil, subject: subject, collection: DataCollection.ID("DC\(i + 1)"), workingAt: g(v.0), atl: v.1.map(a))
            }
        }
        var year9 = SchoolYear(
            school: school, academicYear: y2025, subjects: subjects, staff: staff, pupils: pupils(9),
            teachingGroups: [TeachingGroup(id: "9X/Ma1", subject: "MA", yearGroup: 9, teachers: ["JSM"], pupils: ["P001", "P002"]),
                             TeachingGroup(id: "9X/En1", subject: "EN", yearGroup: 9, teachers: ["KLM"], pupils: ["P001", "P002"])],
            collections: collections(y2025, 9),
            assessments: entries("MA", "P001", [("4", "2"), ("X", nil), ("5-", "1")]) + entries("EN", "P001", [("4", "2"), ("4", "2"), ("4+", "2")])
                + entries("MA", "P002", [("3", "3"), ("3", "3"), ("3", "3")]),
            targets: [Target(pupil: "P001", subject: "MA", grade: g("6"), method: .imported), Target(pupil: "P001", subject: "EN", grade: g("5"), method: .imported),
                      Target(pupil: "P002", subject: "MA", grade: g("4"), method: .imported)])
        year9.interventions = [
            Intervention(id: "INT-001", type: .tutoring, title: "Y9 maths catch-up", owner: "JSM", pupils: ["P001"], subjects: ["MA"],
                         starts: CalendarDate(year: 2026, month: 1, day: 12)!, ends: CalendarDate(year: 2026, month: 3, day: 27)!),
        ]
        var year10 = SchoolYear(
            school: school, academicYear: y2026, subjects: subjects, staff: staff, pupils: pupils(10),
            teachingGroups: [TeachingGroup(id: TeachingGroup.ID(names?.group ?? "10X/Ma1"), subject: "MA", yearGroup: 10, teachers: ["JSM"], pupils: ["P001", "P002"]),
                             TeachingGroup(id: "10X/En1", subject: "EN", yearGroup: 10, teachers: ["RPA"], pupils: ["P001", "P002"])],
            collections: collections(y2026, 10),
            assessments: entries("MA", "P001", [("5", "1"), ("6", "1"), ("7", "1")]) + entries("EN", "P001", [("4", "3"), ("3", "4"), ("3-", "4")])
                + entries("MA", "P002", [("4", "2"), ("4", "2"), ("4", "2")]),
            targets: [Target(pupil: "P001", subject: "MA", grade: g("7"), method: .imported), Target(pupil: "P001", subject: "EN", grade: g("5"), method: .imported),
                      Target(pupil: "P002", subject: "MA", grade: g("4"), method: .imported)])
        year10.interventions = [
            Intervention(id: "INT-002", type: .mentoring, title: names?.intervention ?? "Literacy mentoring", owner: "AOK", pupils: ["P001"],
                         starts: CalendarDate(year: 2026, month: 11, day: 2)!),
            Intervention(id: "INT-003", type: .homeworkClub, title: "Y10 homework club", owner: "RPA", pupils: ["P002"],
                         starts: CalendarDate(year: 2026, month: 10, day: 5)!),
        ]
        year10.responsibilities = [YearGroupResponsibility(academicYear: y2026, yearGroup: 10, staff: "AOK")]
        // As Store.responsibilityHistory gives them.
        let responsibilities = [
            ResponsibilityRecord(academicYear: y2025, yearGroup: 9, staff: [staff[1]], fromStoredRecord: false),
            ResponsibilityRecord(academicYear: y2026, yearGroup: 10, staff: [staff[3]], fromStoredRecord: true),
        ]
        return ([year10, year9], responsibilities)
    }

    func model(_ pupil: Pupil.ID = "P001", names: (school: String, forename: String, subject: String, collection: String, staff: String,
                                                   tutorGroup: String, intervention: String, group: String)? = nil) throws -> PupilRecord.Model {
        let (years, responsibilities) = Self.history(names: names)
        return try #require(PupilRecord.model(pupil: pupil, history: PupilRecord.History(years), responsibilities: responsibilities,
                                              generated: "30 June 2027, 09:00"))
    }

    @Test func theRecordRunsYearByYearWithEachYearsResponsibleStaffAndKeyStages() throws {
        let record = try model()
        #expect(record.pupilName == "Aoife O'Neil" && record.upn == "H801200001001" && record.pupilID == "P001")
        #expect(record.current == "Year 10, tutor group 10A, 2026/27")
        // KS2 105 and 107: average 106, middle band (100 to below 110).
        #expect(record.ks2.recorded && [record.ks2.reading, record.ks2.maths, record.ks2.average, record.ks2.band]
            == ["105", "107", "106", "middle (average 100 to 109.5)"])

        #expect(record.years.map(\.academicYear) == ["2025/26", "2026/27"])
        let (y9, y10) = (record.years[0], record.years[1])
        #expect(y9.yearGroup == 9 && y9.tutorGroup == "9A" && y10.yearGroup == 10 && y10.tutorGroup == "10A")
        // 2025/26: nothing recorded, so the holder of hoy:9; 2026/27: the record, not Mr Patel's role.
        #expect(y9.responsible == "Mrs Lomas (head of year)")
        #expect(y9.responsibleSource == "holds the Year 9 head of year role in the staff list (no record for 2025/26)")
        #expect(y10.responsible == "Ms Okafor (head of year)" && y10.responsibleSource == "recorded for 2026/27")
        // The record starts in Year 9, after KS2 (Key Stage 3); Year 10 starts Key Stage 4.
        #expect(y9.transition == "Key Stage 2 → Key Stage 3" && y9.transitionNote.hasSuffix("This record starts in Year 9 (2025/26)."))
        #expect(y10.transition == "Key Stage 3 → Key Stage 4" && y10.keyStage == "Key Stage 4 (Years 10–11)")
        #expect(y9.collections == ["DC1 Autumn 2025", "DC2 Spring 2026", "DC3 Summer 2026"])
        #expect(y10.collections == ["DC1 Autumn 2026", "DC2 Spring 2027", "DC3 Summer 2027"])

        // English first (English element), then maths.
        #expect(y9.subjects.map(\.subject) == ["English language", "Mathematics"])
        #expect(y9.subjects.map(\.target) == ["5", "6"] && y10.subjects.map(\.target) == ["5", "7"])
        #expect(y9.subjects[1].classAndTeachers == "9X/Ma1 · Ms Smith" && y10.subjects[0].classAndTeachers == "10X/En1 · Mr Patel")
        // Linear flight path: start S = T/2 at Y7 DC1 (checkpoint 0), T at Y11 DC3 (checkpoint 14):
        // expected(i) = T/2 + (T/2)·i/14. Bands: above r ≥ 0.5; on track −0.5 < r < 0.5; below
        // −1.5 < r ≤ −0.5; well below r ≤ −1.5.
        // Maths Y9 (T 6; Y9 is checkpoints 6–8): 4.286, 4.5, 4.714. 4 → −0.29 on track; X: none;
        // 5- (4.667) → −0.05 on track.
        let ma9 = y9.subjects[1].cells
        #expect(ma9.map(\.workingAt) == ["4", "X", "5-"])
        #expect(ma9.map(\.progress) == ["on track", "not assessed", "on track"] && ma9.map(\.symbol) == ["●", "–", "●"])
        #expect(ma9.map(\.atl) == ["2 Good", "—", "1 Excellent"])
        // Maths Y10 (T 7; checkpoints 9–11): 5.75, 6, 6.25. 5 → −0.75 below; 6 → 0 on track; 7 → +0.75 above.
        let ma10 = y10.subjects[1].cells
        #expect(ma10.map(\.progress) == ["below", "on track", "above"] && ma10.map(\.symbol) == ["▽", "●", "▲"])
        #expect(ma10.map(\.band) == ["below", "on-track", "above"])
        // English (T 5, both years): Y9 3.571, 3.75, 3.929 against 4, 4, 4+ (4.333): +0.43, +0.25,
        // +0.40, all on track. Y10 4.107, 4.286, 4.464 against 4, 3, 3- (2.667): −0.11 on track,
        // −1.29 below, −1.80 well below.
        #expect(y9.subjects[0].cells.map(\.progress) == ["on track", "on track", "on track"])
        #expect(y10.subjects[0].cells.map(\.progress) == ["on track", "below", "well below"])
        #expect(y10.subjects[0].cells.map(\.atl) == ["3 Requires improvement", "4 Cause for concern", "4 Cause for concern"])

        // Interventions by the year they start in, only the pupil's own.
        func fields(_ i: PupilRecord.InterventionLine) -> [String] { [i.title, i.type, i.dates, i.subjects, i.runBy] }
        #expect(y9.interventions.map(fields) == [["Y9 maths catch-up", "tutoring", "12 January 2026 to 27 March 2026", "Mathematics", "Ms Smith"]])
        #expect(y10.interventions.map(fields) == [["Literacy mentoring", "mentoring", "from 2 November 2026", "all subjects", "Ms Okafor"]])
    }

    @Test func theFlightPathChartFollowsEachYearsTargetAndLeavesAGapForX() throws {
        let record = try model()
        #expect(record.flightPaths.map(\.subject) == ["English language", "Mathematics"])
        let maths = record.flightPaths[1]
        #expect(maths.rows.count == 15)
        // Y7–Y9 take the 2025/26 target 6 (Y7, Y8: the nearest year on roll, Year 9): 3 + 3i/14 for
        // i = 0…8: 3, 3.21, 3.43, 3.64, 3.86, 4.07, 4.29, 4.5, 4.71. Y10–Y11 take the 2026/27 target 7
        // (Y11: the nearest year, Year 10): 3.5 + 3.5i/14 for i = 9…14: 5.75, 6, 6.25, 6.5, 6.75, 7.
        #expect(maths.rows.map(\.expected) == ["3", "3.21", "3.43", "3.64", "3.86", "4.07", "4.29", "4.5", "4.71",
                                               "5.75", "6", "6.25", "6.5", "6.75", "7"])
        #expect(maths.rows.map(\.target) == Array(repeating: "6", count: 9) + Array(repeating: "7", count: 6))
        #expect(maths.rows.map(\.workingAt) == Array(repeating: "not on roll", count: 6)
            + ["4", "X (not assessed)", "5- (4.67)", "5", "6", "7"] + Array(repeating: "still to come", count: 3))
        #expect(maths.rows[6].collection == "Year 9 · DC1 Autumn 2025 (2025/26)" && maths.rows[0].collection == "Year 7 · 1")
        #expect(maths.rows[7].progress == "– not assessed" && maths.rows[11].progress == "▲ above" && maths.rows[14].progress == "")

        let svg = maths.svg
        #expect(svg.hasPrefix("<svg ") && svg.contains("role=\"img\"") && svg.hasSuffix("</svg>"))
        #expect(svg.contains("<title id=\"flight-path-2-MA-title\">Mathematics: flight path, target and working-at grades</title>"))
        #expect(svg.contains("Year 9 DC2 Spring 2026 X (not assessed), no point"))
        // Plot: x from 44 over 460 − 44 − 64 = 352 (five year bands of 70.4), y from 40 over 206 for
        // grades 0–9. Y9 DC1 at x = 44 + (2 + 0.5/3)·70.4 = 196.53; grade 4 at y = 246 − 4/9·206 = 154.44.
        #expect(svg.contains("<circle cx=\"196.5\" cy=\"154.4\" r=\"4\""))
        // Five grades drawn (X is none); nothing at grade 0 (y = 246).
        #expect(svg.components(separatedBy: "\"><title>Year ").count - 1 == 5)
        #expect(!svg.contains("cy=\"246\""))
        // The X breaks the working-at line: Y9 DC1 stands alone; one line joins Y9 DC3 … Y10 DC3.
        #expect(svg.components(separatedBy: "stroke=\"#1b4f72\" stroke-width=\"2.5\"/>").count - 1 == 2)  // the line and the legend sample
        // Target line at the latest target, 7: y = 246 − 7/9·206 = 85.78.
        #expect(svg.contains("y1=\"85.8\"") && svg.contains(">Target 7</text>"))
        // The KS3 / KS4 boundary between Year 9 and Year 10: x = 44 + 3·70.4 = 255.2.
        #expect(svg.contains("<line x1=\"255.2\" y1=\"40\" x2=\"255.2\""))
        #expect(svg.contains(">Key Stage 3</text>") && svg.contains(">Key Stage 4</text>"))
    }

    @Test func thePageShowsBothYearsTheKeyAndEveryChartWithItsTable() throws {
        let html = try PupilRecord.html(try model())
        #expect(html.contains("<h1>Aoife O&#39;Neil</h1>"))
        #expect(html.contains("@page { size: A4; margin: 12mm; }"))
        #expect(html.contains("<h2>Year 9 — 2025/26</h2>") && html.contains("<h2>Year 10 — 2026/27</h2>"))
        #expect(html.contains("<strong>Key Stage 3 → Key Stage 4</strong>"))
        #expect(html.contains("Mrs Lomas (head of year)") && html.contains("Ms Okafor (head of year)"))
        #expect(html.contains("<td class=\"above\"><span class=\"grade\">7</span> <span class=\"status\"><span class=\"symbol\" aria-hidden=\"true\">▲</span> above</span><span class=\"atl\">ATL 1 Excellent</span></td>"))
        #expect(html.contains("<dt>Average</dt><dd>106</dd>"))
        #expect(html.components(separatedBy: "<figure class=\"flight-path\">").count - 1 == 2)
        #expect(html.components(separatedBy: "the chart's numbers</caption>").count - 1 == 2)
        // Another pupil's data stays out: Zoë Marsh and her homework club.
        #expect(!html.contains("Marsh") && !html.contains("Zoë") && !html.contains("homework club"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=\"http"))
        // Zoë's own record renders her name intact.
        let zoe = try PupilRecord.html(try model("P002"))
        #expect(zoe.contains("<h1>Zoë Marsh</h1>") && !zoe.contains("O&#39;Neil"))
        // No KS2 reading score: the maths score alone is the average (98, low).
        #expect(zoe.contains("<dt>Reading test scaled score</dt><dd>not recorded</dd>") && zoe.contains("<dd>low (average below 100)</dd>"))
    }

    @Test func theSameHistoryGivesTheSameBytes() throws {
        let first = try PupilRecord.html(try model())
        let second = try PupilRecord.html(try model())
        #expect(first == second)
        #expect(try model() == model())
    }

    @Test func aPupilOnRollInNoYearHasNoRecord() {
        let (years, responsibilities) = Self.history()
        #expect(PupilRecord.model(pupil: "P999", history: PupilRecord.History(years), responsibilities: responsibilities, generated: "") == nil)
    }

    @Test(arguments: [Self.hostile, "<script>alert(1)</script>", "\" onmouseover=\"x", "'", "&"])
    func hostileValuesAreEscapedEverywhere(value: String) throws {
        let record = try model(names: (school: value, forename: value, subject: value, collection: value, staff: value,
                                       tutorGroup: value, intervention: value, group: value))
        // Every hostile field reaches the page: school, pupil, subject (also inside the chart),
        // collection, staff surname, tutor group, intervention, class.
        #expect(record.schoolName == value && record.pupilName == "\(value) O'Neil" && record.years[1].tutorGroup == value)
        #expect(record.years[0].responsible == "Mrs \(value) (head of year)" && record.years[1].collections[0] == value)
        let html = try PupilRecord.html(record)
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("\" onmouseover=\""))
        #expect(!html.contains("onmouseover=\"x"))
        let escaped = value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
        #expect(html.contains("<h1>\(escaped) O&#39;Neil</h1>"))
        #expect(html.contains("<title id=\"flight-path-1-EN-title\">\(escaped): flight path"))
        if value == "&" { #expect(!html.contains("& O")) }
    }
}
