import Foundation
@testable import HeadwayCLI
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// `headway report pupil` end to end (issue 7, item 4): a two-year history saved in a SQLite
/// store, one record per pupil with both years, each year's head of year, and nobody else's data.
@Suite(.serialized) struct PupilRecordCLITests {
    static let context = ChangeContext(actor: "DMG", source: "user", reason: "set-up", at: Date(timeIntervalSince1970: 1_795_000_000))
    static let y2025 = AcademicYear(startYear: 2025), y2026 = AcademicYear(startYear: 2026)

    /// Aoife O'Neil (P001): Year 9 in 9A in 2025/26, Year 10 in 10A in 2026/27. Zoë Marsh (P002):
    /// 9B then 10B. Maths, three collections a year, targets 6 then 7. Nobody is recorded for
    /// Year 9 in 2025/26 (Mrs Lomas holds hoy:9); Ms Okafor is recorded for Year 10 in 2026/27
    /// (Mr Patel holds hoy:10). Zoë alone is in a homework club.
    func database(in folder: URL) async throws -> String {
        let path = folder.appendingPathComponent("history.sqlite").path
        let gcse = GradeScale.gcse
        let school = School(id: "100001", name: "Riverside Academy")
        let subjects = [Subject(id: "MA", name: "Mathematics", scale: GradeScale.gcseID, qualification: "GCSE", ks4Category: .maths)]
        let staff = [
            Staff(id: "JSM", title: "Ms", forename: "Jo", surname: "Smith", roles: [.teacher]),
            Staff(id: "KLM", title: "Mrs", forename: "Kate", surname: "Lomas", roles: [.teacher, .headOfYear(9)]),
            Staff(id: "RPA", title: "Mr", forename: "Ravi", surname: "Patel", roles: [.teacher, .headOfYear(10)]),
            Staff(id: "AOK", title: "Ms", forename: "Amara", surname: "Okafor", roles: [.teacher]),
        ]
        func year(_ academicYear: AcademicYear, _ yearGroup: Int, working: [String], target: String) -> SchoolYear {
            let pupils = [
                Pupil(id: "P001", upn: UPN("H801200001001"), forename: "Aoife", surname: "O'Neil", yearGroup: yearGroup, tutorGroup: "\(yearGroup)A",
                      priorAttainment: PriorAttainment(readingScaledScore: 105, mathsScaledScore: 107)),
                Pupil(id: "P002", upn: UPN("B801200005001"), forename: "Zoë", surname: "Marsh", yearGroup: yearGroup, tutorGroup: "\(yearGroup)B"),
            ]
            let collections = (1...3).map {
                DataCollection(id: DataCollection.ID("DC\($0)"), name: "DC\($0) \(academicYear)", academicYear: academicYear, yearGroups: [yearGroup], sequence: $0)
            }
            let assessments = working.enumerated().flatMap { i, code in
                [Assessment(pupil: "P001", subject: "MA", collection: DataCollection.ID("DC\(i + 1)"), workingAt: gcse.value(stored: code)),
                 Assessment(pupil: "P002", subject: "MA", collection: DataCollection.ID("DC\(i + 1)"), workingAt: gcse.value(stored: "3"))]
            }
            return SchoolYear(school: school, academicYear: academicYear, subjects: subjects, staff: staff, pupils: pupils,
                              teachingGroups: [TeachingGroup(id: TeachingGroup.ID("\(yearGroup)X/Ma1"), subject: "MA", yearGroup: yearGroup,
                                                             teachers: ["JSM"], pupils: ["P001", "P002"])],
                              collections: collections, assessments: assessments,
                              targets: [Target(pupil: "P001", subject: "MA", grade: gcse.value(stored: target), method: .imported),
                                        Target(pupil: "P002", subject: "MA", grade: gcse.value(stored: "4"), method: .imported)])
        }
        try await withSQLiteStore(path) { store in
            try await store.save(year(Self.y2025, 9, working: ["4", "X", "5-"], target: "6"), context: Self.context)
            try await store.save(year(Self.y2026, 10, working: ["5", "6", "7"], target: "7"), context: Self.context)
            try await store.save([YearGroupResponsibility(academicYear: Self.y2026, yearGroup: 10, staff: "AOK")], school: school.id, context: Self.context)
            try await store.save([Intervention(id: "INT-001", type: .homeworkClub, title: "Homework club", owner: "RPA", pupils: ["P002"],
                                               starts: CalendarDate(year: 2026, month: 10, day: 5)!)],
                                 school: school.id, context: Self.context)
        }
        return path
    }

    @Test func aPupilsRecordHoldsBothYearsAndBothHeadsOfYearAndNoOtherPupil() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await database(in: folder)
        let out = folder.appendingPathComponent("records")
        #expect(await Headway.run(arguments: ["report", "pupil", "--database", database, "--pupil", "H801200001001", "--out", out.path]) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["P001.Aoife-O-Neil.html"])
        let html = try String(contentsOf: out.appendingPathComponent("P001.Aoife-O-Neil.html"), encoding: .utf8)
        #expect(html.contains("<h1>Aoife O&#39;Neil</h1>"))
        #expect(html.contains("<h2>Year 9 — 2025/26</h2>") && html.contains("<h2>Year 10 — 2026/27</h2>"))
        // 2025/26 from the head of year role; 2026/27 from the record (Mr Patel's role does not count).
        #expect(html.contains("Mrs Lomas (head of year)") && html.contains("holds the Year 9 head of year role"))
        #expect(html.contains("Ms Okafor (head of year)") && html.contains("recorded for 2026/27"))
        #expect(!html.contains("Mr Patel"))
        // Maths Y10 DC3: 7 against 6.25 on the path to 7 (3.5 + 3.5·11/14): +0.75, above.
        #expect(html.contains("<td class=\"above\"><span class=\"grade\">7</span> <span class=\"status\">"))
        #expect(html.contains("<td>Year 9 · DC2 2025/26 (2025/26)</td><td>6</td><td>4.5</td><td>X (not assessed)</td>"))
        #expect(!html.contains("Marsh") && !html.contains("Zoë") && !html.contains("Homework club"))

        // By id, in an earlier year's terms: the same record.
        #expect(await Headway.run(arguments: ["report", "pupil", "--database", database, "--pupil", "P001", "--year", "2025/26",
                                              "--out", out.path]) == 0)
        #expect(try String(contentsOf: out.appendingPathComponent("P001.Aoife-O-Neil.html"), encoding: .utf8).contains("<h2>Year 10 — 2026/27</h2>"))

        // By name, as staff know the child: "Surname, Forename", "Forename Surname", any case,
        // curly apostrophe, no accents — each writes P001's record and only it.
        for name in ["O'Neil, Aoife", "aoife o’neil", "O'NEIL"] {
            let byName = folder.appendingPathComponent("by-name-\(UUID().uuidString)")
            #expect(await Headway.run(arguments: ["report", "pupil", "--database", database, "--pupil", name, "--out", byName.path]) == 0, "\(name)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: byName.path) == ["P001.Aoife-O-Neil.html"], "\(name)")
        }
        let zoe = folder.appendingPathComponent("zoe")
        #expect(await Headway.run(arguments: ["report", "pupil", "--database", database, "--pupil", "zoe marsh", "--out", zoe.path]) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: zoe.path) == ["P002.Zoe-Marsh.html"])
    }

    @Test func aTutorGroupWritesOneRecordPerPupilAndASchoolTemplateIsUsed() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await database(in: folder)
        let out = folder.appendingPathComponent("10B")
        #expect(await Headway.run(arguments: ["report", "pupil", "--database", database, "--tutor-group", "10B", "--out", out.path]) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["P002.Zoe-Marsh.html"])
        let html = try String(contentsOf: out.appendingPathComponent("P002.Zoe-Marsh.html"), encoding: .utf8)
        #expect(html.contains("<h1>Zoë Marsh</h1>") && html.contains("Homework club") && !html.contains("O&#39;Neil"))

        let templates = folder.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "<p>{{pupilName}}: {{#years}}[{{academicYear}} {{responsible}}]{{/years}}</p>".write(
            to: templates.appendingPathComponent("pupil-record.mustache"), atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["report", "pupil", "--database", database, "--pupil", "P001", "--out", out.path,
                                              "--templates", templates.path]) == 0)
        #expect(try String(contentsOf: out.appendingPathComponent("P001.Aoife-O-Neil.html"), encoding: .utf8)
            == "<p>Aoife O&#39;Neil: [2025/26 Mrs Lomas (head of year)][2026/27 Ms Okafor (head of year)]</p>")
    }

    @Test(arguments: [
        (["--pupil", "NOBODY"], Int32(1)),
        (["--pupil", "B801200005001", "--year", "2024/25"], Int32(1)),  // a year the school has no data for
        (["--tutor-group", "11Z"], Int32(1)),
        ([], Int32(2)),
        (["--pupil", "P001", "--tutor-group", "10A"], Int32(2)),
        (["--pupil", " "], Int32(2)),
        (["--pupil", "P001", "--year", "last year"], Int32(2)),
        (["--pupil", "P001", "--templates", "/nonexistent/templates"], Int32(2)),
    ])
    func unknownPupilsExitOneAndMisuseExitsTwo(arguments: [String], code: Int32) async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await database(in: folder)
        let out = folder.appendingPathComponent("out")
        #expect(await Headway.run(arguments: ["report", "pupil", "--database", database, "--out", out.path] + arguments) == code)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
