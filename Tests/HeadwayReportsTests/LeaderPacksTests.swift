import Foundation
import HeadwayAnalytics
import HeadwayCore
@testable import HeadwayReports
import Testing

/// Hand-built schools for the meeting sheets and the leader packs, with fictional pupils only,
/// whose figures are worked out by hand in the comments.
enum PackFixtures {
    static let year = AcademicYear(startYear: 2026)
    static let hostile = #"<script>alert(1)</script>" onmouseover="x' & co"#

    static func date(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    static func grade(_ code: String) -> EntryValue { GradeScale.gcse.value(stored: code) }
    static func atl(_ code: String) -> EntryValue { GradeScale.atl.value(stored: code) }

    /// A valid UPN: check letter computed as the DfE defines it (digits × positions 2–12, plus the
    /// 13th character's value × 13, mod 23).
    static func upn(_ n: Int) -> UPN {
        let digits = "80120000" + String(format: "%03d", n) + "0"
        var sum = 0
        for (i, ch) in digits.enumerated() where i < 11 { sum += ch.wholeNumberValue! * (i + 2) }
        return UPN(String(UPN.checkLetters[sum % 23]) + digits)!
    }

    /// Fernbrook School, Year 11 maths at DC2 ("Spring collection"), target 6 for everyone with a
    /// target. DC1 and DC2 cover Year 11 only, so Year 11 DC2 is the last checkpoint of the flight
    /// path: the expected grade is the target and the residual is working-at − 6. At DC1 (the
    /// checkpoint before) the expected grade is 6·17/18 = 5.667, so DC1's working-at 5 is −0.667:
    /// below.
    ///
    /// | pupil | name | class | PP | SEN | DC2 | residual | band |
    /// | P01 | Aoife O'Neil | 11A | yes | K | 5 | −1 | below |
    /// | P02 | Zoë Marsh | 11A | yes | E, EAL | 4 | −2 | well below |
    /// | P03 | Kit Abbott | 11A | yes | | 6 | 0 | on track |
    /// | P04 | Rhys Brennan | 11B | yes | | 5 | −1 | below |
    /// | P05 | Mina Cole | 11B | yes | | 5 | −1 | below |
    /// | P06 | Ola Dunn | 11A | no | | 6 | 0 | on track |
    /// | P07 | Ivo Eames | 11A | no | | 7 | +1 | above |
    /// | P08 | Jude Frost | 11B | no | | 6 | 0 | on track |
    /// | P09 | Lena Gray | 11B | no | | 7 | +1 | above |
    /// | P10 | Omar Hale | 11B | no | | 7 | +1 | above |
    /// | P11 | Nia Ives | 11A | – | | X | – | no grade |
    /// | P12 | Sam Jones | 11A | – | | 6 | – | no target |
    ///
    /// KS2: P02 high (112), P10 and P12 none, the rest middle (104). ATL at DC2: P01 2, P02 4,
    /// P11 none, P12 3, the rest 1; at DC1 2 for everyone. P02 and P05 are in INT-1 (maths
    /// tutoring, 10 January to 20 February 2027). Classes: 11A/Ma taught by Ms Rowan (ROW, head of
    /// maths), 11B/Ma by Mr Ashby (ASH, head of Year 11).
    ///
    /// - Parameters:
    ///   - text: applied to every display text (names, titles, tutor groups), to make them hostile.
    ///   - ids: applied to the subject and class codes.
    static func department(text: (String) -> String = { $0 }, ids: (String) -> String = { $0 }) -> SchoolYear {
        let ma = Subject.ID(ids("MA"))
        let classA = TeachingGroup.ID(ids("11A/Ma")), classB = TeachingGroup.ID(ids("11B/Ma"))
        let rows: [(id: String, forename: String, surname: String, tutor: String, pp: Bool?, sen: String?, eal: Bool, ks2: Int?, dc2: String, atl: String?, target: Bool)] = [
            ("P01", "Aoife", "O'Neil", "11K", true, "K", false, 104, "5", "2", true),
            ("P02", "Zoë", "Marsh", "11K", true, "E", true, 112, "4", "4", true),
            ("P03", "Kit", "Abbott", "11L", true, nil, false, 104, "6", "1", true),
            ("P04", "Rhys", "Brennan", "11L", true, nil, false, 104, "5", "1", true),
            ("P05", "Mina", "Cole", "11K", true, nil, false, 104, "5", "1", true),
            ("P06", "Ola", "Dunn", "11L", false, nil, false, 104, "6", "1", true),
            ("P07", "Ivo", "Eames", "11K", false, nil, false, 104, "7", "1", true),
            ("P08", "Jude", "Frost", "11L", false, nil, false, 104, "6", "1", true),
            ("P09", "Lena", "Gray", "11K", false, nil, false, 104, "7", "1", true),
            ("P10", "Omar", "Hale", "11L", false, nil, false, nil, "7", "1", true),
            ("P11", "Nia", "Ives", "11K", nil, nil, false, 104, "X", nil, true),
            ("P12", "Sam", "Jones", "11L", nil, nil, false, nil, "6", "3", false),
        ]
        let pupils = rows.enumerated().map { i, r in
            var characteristics: [String: String] = [:]
            if let pp = r.pp { characteristics[Characteristic.disadvantaged] = String(pp) }
            if let sen = r.sen { characteristics[Characteristic.sen] = sen }
            if r.eal { characteristics[Characteristic.eal] = "true" }
            return Pupil(id: Pupil.ID(r.id), upn: upn(i + 1), forename: text(r.forename), surname: text(r.surname), yearGroup: 11,
                         tutorGroup: text(r.tutor), characteristics: characteristics,
                         priorAttainment: r.ks2.map { PriorAttainment(readingScaledScore: $0, mathsScaledScore: $0) })
        }
        let staff = [
            Staff(id: "ROW", title: text("Ms"), forename: text("Ruth"), surname: text("Rowan"), roles: [.teacher, .headOfDepartment(ma)]),
            Staff(id: "ASH", title: text("Mr"), forename: text("Alan"), surname: text("Ashby"), roles: [.teacher, .headOfYear(11)]),
        ]
        let collections = [
            DataCollection(id: "DC1", name: text("Autumn collection"), academicYear: year, yearGroups: [11], sequence: 1, deadline: date("2026-11-20")),
            DataCollection(id: "DC2", name: text("Spring collection"), academicYear: year, yearGroups: [11], sequence: 2,
                           deadline: date("2027-03-15"), publishes: date("2027-03-22")),
        ]
        var assessments: [Assessment] = []
        for r in rows {
            assessments.append(Assessment(pupil: Pupil.ID(r.id), subject: ma, collection: "DC1", workingAt: grade("5"), atl: atl("2")))
            assessments.append(Assessment(pupil: Pupil.ID(r.id), subject: ma, collection: "DC2", workingAt: grade(r.dc2), atl: r.atl.map(atl)))
        }
        var year = SchoolYear(
            school: School(id: "900001", name: text("Fernbrook School")), academicYear: year,
            subjects: [Subject(id: ma, name: text("Mathematics"), scale: GradeScale.gcseID, qualification: "GCSE", ks4Category: .maths)],
            staff: staff, pupils: pupils,
            teachingGroups: [
                TeachingGroup(id: classA, subject: ma, yearGroup: 11, teachers: ["ROW"], pupils: ["P01", "P02", "P03", "P06", "P07", "P11", "P12"]),
                TeachingGroup(id: classB, subject: ma, yearGroup: 11, teachers: ["ASH"], pupils: ["P04", "P05", "P08", "P09", "P10"]),
            ],
            collections: collections, assessments: assessments,
            targets: rows.filter(\.target).map { Target(pupil: Pupil.ID($0.id), subject: ma, grade: grade("6"), method: .imported) })
        year.calendar.reportingEvents = [
            ReportingEvent(id: "PM-Y11", name: text("Y11 parents' evening"), kind: .parentsMeeting, yearGroups: [11], date: date("2027-03-25"), collection: "DC2"),
        ]
        year.interventions = [
            Intervention(id: "INT-1", type: .tutoring, title: text("Y11 maths tutoring"), owner: "ROW", pupils: ["P02", "P05"], subjects: [ma],
                         starts: date("2027-01-10"), ends: date("2027-02-20"), costPence: 30000),
        ]
        return year
    }

    /// Fernbrook School for governors: 32 pupils, Year 9 (6), Year 10 (4), Year 11 (22). Maths
    /// (target 6) at DC2; English (no targets, so no status) for Year 11 with predictions.
    ///
    /// Year 11 maths residuals (working-at − 6 at the last checkpoint): G01–G04 −2 (well below),
    /// G05–G09 −1 (below), G10–G15 0 (on track), G16–G22 +1 (above). Maths is each pupil's only
    /// subject with a status, so a pupil's mean residual is their maths residual.
    ///
    /// Characteristics, Year 11 only (Years 9 and 10 have none recorded, so they are in no gap):
    /// disadvantaged G01, G02, G05, G10, G16 (5) and not (17); EAL G03, G06, G11, G17 (4) and not
    /// (18); SEN N 13 (G01–G13), K 5 (G14–G18), E 4 (G19–G22); gender F G01–G11, M G12–G22.
    ///
    /// Forecasts: maths predicted 6 for every Year 10 and 11 pupil; English predicted 4 for G01–G03
    /// and 3 for the rest of Year 11, so 3 of 22 have grade 4+ in both and none 5+.
    ///
    /// Interventions: mentoring G01–G04 (4 pupils, £400), revision sessions G05–G09 (5, £250),
    /// tutoring G10–G21 (12, £600 from the pupil premium; disadvantaged among them G10, G16).
    static func governors(text: (String) -> String = { $0 }) -> SchoolYear {
        let ma: Subject.ID = "MA", en: Subject.ID = "EN"
        let y11Residuals = Array(repeating: -2, count: 4) + Array(repeating: -1, count: 5) + Array(repeating: 0, count: 6) + Array(repeating: 1, count: 7)
        let forenames = ["Briony", "Cassius", "Delphine", "Evander", "Fenella", "Gideon", "Hermia", "Ignatius", "Juniper", "Lysander", "Marigold",
                         "Niamh", "Orlando", "Perpetua", "Quillon", "Rosalind", "Septimus", "Tamsin", "Ulysses", "Verity", "Wilfred", "Xanthe",
                         "Yannick", "Zenobia", "Alaric", "Bathsheba", "Cosimo", "Drusilla", "Evadne", "Florian", "Griselda", "Hyacinth"]
        var pupils: [Pupil] = []
        var assessments: [Assessment] = []
        var targets: [Target] = []
        var enGroup: [Pupil.ID] = []
        var groups: [Int: [Pupil.ID]] = [:]
        for (k, (yearGroup, count)) in [(9, 6), (10, 4), (11, 22)].enumerated() {
            for i in 1...count {
                let n = pupils.count + 1
                let id = Pupil.ID("PUPIL-Y\(yearGroup)-\(i)")
                var characteristics: [String: String] = [:]
                var dc2 = "5"
                if yearGroup == 11 {
                    characteristics[Characteristic.disadvantaged] = String([1, 2, 5, 10, 16].contains(i))
                    characteristics[Characteristic.eal] = String([3, 6, 11, 17].contains(i))
                    characteristics[Characteristic.sen] = i <= 13 ? "N" : i <= 18 ? "K" : "E"
                    characteristics[Characteristic.gender] = i <= 11 ? "F" : "M"
                    dc2 = String(6 + y11Residuals[i - 1])
                    enGroup.append(id)
                    assessments.append(Assessment(pupil: id, subject: en, collection: "DC2", workingAt: grade("4"), predicted: grade(i <= 3 ? "4" : "3")))
                }
                pupils.append(Pupil(id: id, upn: upn(100 + n), forename: text(forenames[n - 1]), surname: text("Quennell-\(k)\(i)"),
                                    yearGroup: yearGroup, tutorGroup: text("\(yearGroup)Kestrel"), characteristics: characteristics))
                groups[yearGroup, default: []].append(id)
                assessments.append(Assessment(pupil: id, subject: ma, collection: "DC2", workingAt: grade(dc2),
                                              predicted: yearGroup >= 10 ? grade("6") : nil))
                targets.append(Target(pupil: id, subject: ma, grade: grade("6"), method: .imported))
            }
        }
        var year = SchoolYear(
            school: School(id: "900001", name: text("Fernbrook School")), academicYear: year,
            subjects: [Subject(id: ma, name: text("Mathematics"), scale: GradeScale.gcseID, qualification: "GCSE", ks4Category: .maths),
                       Subject(id: en, name: text("English language"), scale: GradeScale.gcseID, qualification: "GCSE", ks4Category: .englishLanguage)],
            staff: [Staff(id: "ROW", title: "Ms", forename: "Ruth", surname: "Rowan", roles: [.teacher])],
            pupils: pupils,
            teachingGroups: groups.keys.sorted().map { TeachingGroup(id: TeachingGroup.ID("\($0)/Ma"), subject: ma, yearGroup: $0, teachers: ["ROW"], pupils: groups[$0]!) }
                + [TeachingGroup(id: "11/En", subject: en, yearGroup: 11, teachers: ["ROW"], pupils: enGroup)],
            collections: [
                DataCollection(id: "DC1", name: "Autumn collection", academicYear: year, yearGroups: [9, 10, 11], sequence: 1),
                DataCollection(id: "DC2", name: text("Spring collection"), academicYear: year, yearGroups: [9, 10, 11], sequence: 2),
            ],
            assessments: assessments, targets: targets)
        let y11 = groups[11]!
        year.interventions = [
            Intervention(id: "INT-M", type: .mentoring, title: text("Mentoring"), owner: "ROW", pupils: Array(y11[0..<4]),
                         starts: date("2027-01-10"), ends: date("2027-02-20"), costPence: 40000),
            Intervention(id: "INT-R", type: .revisionSessions, title: text("Revision"), owner: "ROW", pupils: Array(y11[4..<9]),
                         starts: date("2027-01-10"), ends: date("2027-02-20"), costPence: 25000),
            Intervention(id: "INT-T", type: .tutoring, title: text("Tutoring"), owner: "ROW", pupils: Array(y11[9..<21]),
                         starts: date("2027-01-10"), ends: date("2027-02-20"), costPence: 60000, fundedByPupilPremium: true),
        ]
        return year
    }

    /// Whether `name` occurs in `text` with no letter or digit either side (so `11K` is not found
    /// inside `211Kb`), as written raw or HTML-escaped.
    static func mentions(_ text: String, _ name: String) -> Bool {
        for form in [name, name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&#39;")] {
            var search = text.startIndex..<text.endIndex
            while let found = text.range(of: form, range: search) {
                let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
                let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
                if !(before.map { $0.isLetter || $0.isNumber } ?? false) && !(after.map { $0.isLetter || $0.isNumber } ?? false) { return true }
                search = found.upperBound..<text.endIndex
            }
        }
        return false
    }

    /// Checks a page for the page rules and for hostile text that got out unescaped.
    static func expectSafe(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!html.contains("<script"), sourceLocation: sourceLocation)
        #expect(!html.contains("onmouseover=\""), sourceLocation: sourceLocation)
        #expect(!html.contains("\" onmouseover"), sourceLocation: sourceLocation)
        #expect(!html.contains(" src="), sourceLocation: sourceLocation)
        // No external asset: the only address is the SVG namespace.
        let stripped = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!stripped.contains("http:") && !stripped.contains("https:") && !stripped.contains("url(http"), sourceLocation: sourceLocation)
    }
}

@Suite struct LeaderPacksTests {
    func department(_ year: SchoolYear = PackFixtures.department(), collection: DataCollection.ID = "DC2") throws -> LeaderPack.Department.Model {
        let index = YearIndex(year)
        let chosen = try #require(year.collections.first { $0.id == collection })
        return LeaderPack.Department.model(index, evaluation: ProgressStatus.evaluate(index), subject: year.subjects[0].id, collection: chosen,
                                           generated: "25 March 2027, 08:00")
    }

    // MARK: Department pack

    @Test func departmentPackHasTheProgressDistributionsAndTransitionsWorkedOutByHand() throws {
        let model = try department()
        #expect(model.subject == "Mathematics" && model.collection == "Spring collection")
        #expect(model.heads == ["Ms Rowan (ROW)"])
        // 12 pupils, 10 with a status (P11 X, P12 no target): above P07 P09 P10, on track P03 P06
        // P08, below P01 P04 P05, well below P02 — every band, and the 2 with no status, a group
        // of fewer than 5. The 10 is the classes' 5 + 5 (shown below), so 12 − 10 would give the
        // 2 back: the 12 and the 10 are suppressed, and with the 10 its mean.
        let (small, suppressed) = (Disclosure.fewerThanFive, Disclosure.suppressed)
        #expect(model.progress.rows == [["Year 11", suppressed, suppressed, small, small, small, small, small, suppressed]])
        // DC2 grades: 4 ×1 (P02), 5 ×3 (P01 P04 P05), 6 ×4 (P03 P06 P08 P12), 7 ×3; X ×1 (P11):
        // all fewer than 5. DC1: all twelve at 5, which is the hidden 12: suppressed. Zeros shown.
        // Previous collection first.
        let distribution = try #require(model.distributions.first)
        #expect(model.distributions.count == 1)
        #expect(distribution.table.header == ["grade", "Autumn collection", "Spring collection"])
        let rows = Dictionary(uniqueKeysWithValues: distribution.table.rows.map { ($0[0], Array($0.dropFirst())) })
        #expect(rows["4"] == ["0", small] && rows["5"] == [suppressed, small] && rows["6"] == ["0", small] && rows["7"] == ["0", small])
        #expect(rows["8"] == ["0", "0"] && rows["X not assessed"] == ["0", small] && rows["blank (not entered)"] == ["0", "0"])
        #expect(distribution.svg.contains("<title>Spring collection, 6: not shown, to protect a small group</title>"))
        #expect(!distribution.svg.contains("Spring collection, 6: 4"))
        // Transition at DC2: middle 5 ×3 (P01 P04 P05), 6 ×3 (P03 P06 P08), 7 ×2 (P07 P09) — 8,
        // suppressed since its cells are hidden; high: 4 (P02); none: 6 (P12), 7 (P10); P11's X
        // is not a grade. Columns U, 1, …, 9.
        let transition = try #require(model.transitions.first)
        #expect(transition.table.rows == [
            ["low", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
            ["middle", "0", "0", "0", "0", "0", small, small, small, "0", "0", suppressed],
            ["high", "0", "0", "0", "0", small, "0", "0", "0", "0", "0", small],
            ["none", "0", "0", "0", "0", "0", "0", small, small, "0", "0", small],
        ])
        #expect(transition.svg.contains("<title>middle, 5: fewer than 5</title>") && !transition.svg.contains("middle, 5: 3 pupils"))
    }

    @Test func residualsByClassAndTeacherHaveTheirMeansCountsAndIntervals() throws {
        let model = try department()
        let residuals = try #require(model.residuals)
        // 11A: P01 −1, P02 −2, P03 0, P06 0, P07 +1 → mean −0.4, n 5, s² = 5.2/4 = 1.3, se = √0.26 =
        // 0.5099, t(4) 2.776 → ±1.4155: [−1.82, +1.02]. 11B: P04 −1, P05 −1, P08 0, P09 +1, P10 +1
        // → mean 0, s² = 1, se = √0.2 = 0.4472 → ±1.2415: [−1.24, +1.24]. Teachers as their classes.
        // Lowest mean first within each level.
        #expect(residuals.table.rows == [
            ["class", "11A/Ma", "5", "-0.40", "-1.82", "+1.02"],
            ["class", "11B/Ma", "5", "0.00", "-1.24", "+1.24"],
            ["teacher", "Ms Rowan (ROW)", "5", "-0.40", "-1.82", "+1.02"],
            ["teacher", "Mr Ashby (ASH)", "5", "0.00", "-1.24", "+1.24"],
        ])
        #expect(residuals.svg.contains("By class") && residuals.svg.contains("By teacher"))
    }

    @Test func theDisadvantagedGapIsTheHandComputedWelchInterval() throws {
        let model = try department()
        let gaps = try #require(model.gaps)
        // Disadvantaged P01–P05: −1, −2, 0, −1, −1 → mean −1.00, s² 0.5; others P06–P10: 0, +1,
        // 0, +1, +1 → mean +0.60, s² 0.3. Gap −1.60; se = √(0.1 + 0.06) = 0.4; Welch df =
        // 0.16² / (0.1²/4 + 0.06²/4) = 7.53; t = 2.365 + (2.306 − 2.365) × 0.562 = 2.332 (tables,
        // interpolated in 1/df); ± 0.933 → [−2.53, −0.67]. KS2 high is P02 alone: fewer than 5,
        // its mean and gap hidden; middle, P01 and P03–P09: (−1 + 0 − 1 − 1 + 0 + 1 + 0 + 1) / 8 =
        // −0.13. No other comparison has pupils on both sides.
        let group = Disclosure.smallGroup
        #expect(gaps.table.rows == [["disadvantaged vs not disadvantaged", "5", "-1.00", "5", "+0.60", "-1.60", "-2.53", "-0.67"],
                                    ["high vs middle prior attainment", Disclosure.fewerThanFive, group, "8", "-0.13", group, group, group]])
        #expect(gaps.svg.contains("-1.60 [-2.53, -0.67] n 5 / 5"))
        // The interval excludes 0: a filled square.
        #expect(gaps.svg.contains("width=\"9\" height=\"9\" fill=\"#1b4f72\" stroke=\"#1b4f72\" stroke-width=\"1.5\"><title>"))
    }

    @Test func departmentPageIsSelfContainedAccessibleAndDeterministic() throws {
        let a = try LeaderPack.Department.render(department())
        let b = try LeaderPack.Department.render(department())
        #expect(a == b)
        PackFixtures.expectSafe(a)
        #expect(a.contains("@page { size: A4; margin: 12mm; }"))
        #expect(a.contains("break-inside: avoid"))
        // Four charts (distribution, residuals, gaps, transition), each with role, title and desc.
        #expect(a.components(separatedBy: "<svg ").count - 1 == 4)
        #expect(a.components(separatedBy: "role=\"img\"").count - 1 == 4)
        for id in ["dist-MA-Y11", "residuals-MA", "gaps-MA", "transition-MA-Y11"] {
            #expect(a.contains("<title id=\"\(id)-title\">"), "\(id)")
            #expect(a.contains("<desc id=\"\(id)-desc\">"), "\(id)")
        }
        // Progress in words and symbol; numbers in tables beside every chart.
        #expect(a.contains("▲ above") && a.contains("▼ well below"))
        #expect(a.contains("<td>11A/Ma</td><td>5</td><td>-0.40</td>"))
    }

    @Test func departmentPackEscapesHostileValuesEverywhere() throws {
        let hostile = PackFixtures.hostile
        let year = PackFixtures.department(text: { _ in hostile }, ids: { $0 + hostile })
        let html = try LeaderPack.Department.render(department(year))
        PackFixtures.expectSafe(html)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x&#39; &amp; co"))
        // Chart ids are made from the subject code but never carry its quotes or brackets.
        #expect(!html.contains("id=\"dist-MA<"))
        #expect(html.contains("id=\"dist-MA-script-alert-1---script---onmouseover--x----co-"))
    }

    @Test func namesSuchAsONeilAndZoeRenderAsWritten() throws {
        var year = PackFixtures.department()
        year.subjects[0].name = "Zoë's O'Neil & Co maths"
        let html = try LeaderPack.Department.render(department(year))
        // Mustache escapes ' and & as entities a browser shows as written; UTF-8 is kept.
        #expect(html.contains("Zoë&#39;s O&#39;Neil &amp; Co maths"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
    }

    // MARK: Year-group pack

    func yearGroup(_ year: SchoolYear = PackFixtures.department()) throws -> LeaderPack.YearGroup.Model {
        let index = YearIndex(year)
        let chosen = try #require(year.collections.first { $0.id == "DC2" })
        return LeaderPack.YearGroup.model(index, evaluation: ProgressStatus.evaluate(index), yearGroup: 11, collection: chosen,
                                          generated: "25 March 2027, 08:00")
    }

    @Test func yearGroupPackCountsBandsListsInterventionsAndATL() throws {
        let model = try yearGroup()
        #expect(model.responsible == ["Mr Ashby (ASH)"])
        // DC1: every graded pupil with a target is below (−0.667): 11 (P12 has no target).
        // DC2: well below 1, below 3, on track 3, above 3 of 10 — each fewer than 5; no status 1
        // and 2 (P11 X, P12 no target).
        let (small, suppressed) = (Disclosure.fewerThanFive, Disclosure.suppressed)
        #expect(model.progress.table.rows == [
            ["▼ well below", "0 (0.0%)", small],
            ["▽ below", "11 (100.0%)", small],
            ["● on track", "0 (0.0%)", small],
            ["▲ above", "0 (0.0%)", small],
            ["no status", small, small],
        ])
        #expect(model.progressBySubject.rows == [["Mathematics", "10", small, small, small, small, "-0.20"]])
        // One subject: nobody can be below in 3, fall in 2, or have ATL over 3 or 4 subjects; P02
        // is well below in MA, a core subject.
        #expect(model.listCounts.rows.map { [$0[0], $0[2]] } == [["below expected progress", "0"], ["well below expected progress in core subjects", "1"], ["falling", "0"],
                                                                 ["ATL concern", "0"], ["ATL reward", "0"]])
        #expect(model.lists.count == 1)
        #expect(model.lists[0].pupils.rows.map { Array($0.prefix(2)) } == [["Zoë Marsh", "11K"]])
        // INT-1: both its pupils in Year 11 (2 of 2: fewer than 5); ended by DC2's publish date
        // (22 March 2027); 2 pupils are fewer than the 10 needed to judge.
        #expect(model.interventions.rows.count == 1)
        let intervention = model.interventions.rows[0]
        #expect(Array(intervention.prefix(6)) == ["INT-1 Y11 maths tutoring", "tutoring", "Ms Rowan (ROW)", "fewer than 5 (fewer than 5)",
                                                  "10 January 2027 to 20 February 2027", "ended"])
        #expect(intervention[6].hasPrefix("too few pupils to judge"))
        // ATL at DC2: 1 ×8 (P03–P10), 2 ×1 (P01), 3 ×1 (P12), 4 ×1 (P02); n 11; mean 17/11 = 1.55.
        // The three 1s are fewer than 5, and 11 − 8 = 3 would make each exactly 1: the 8 is
        // suppressed too. DC1: 2 ×12.
        #expect(model.atlBySubject.rows == [["Mathematics", "11", suppressed, small, small, small, "1.55"]])
        #expect(model.atl.table.rows == [
            ["1 Excellent", "0 (0.0%)", suppressed],
            ["2 Good", "12 (100.0%)", small],
            ["3 Requires improvement", "0 (0.0%)", small],
            ["4 Cause for concern", "0 (0.0%)", small],
        ])
        #expect(model.atlConcern == 0 && model.atlReward == 0)
    }

    @Test func yearGroupPageIsSafeDeterministicAndEscapesHostileValues() throws {
        let a = try LeaderPack.YearGroup.render(yearGroup())
        #expect(a == (try LeaderPack.YearGroup.render(yearGroup())))
        PackFixtures.expectSafe(a)
        #expect(a.contains("Zoë Marsh"))
        #expect(a.components(separatedBy: "role=\"img\"").count - 1 == 2)
        for id in ["progress-Y11", "atl-Y11"] { #expect(a.contains("<desc id=\"\(id)-desc\">"), "\(id)") }

        let hostile = PackFixtures.hostile
        let html = try LeaderPack.YearGroup.render(yearGroup(PackFixtures.department(text: { _ in hostile }, ids: { $0 + hostile })))
        PackFixtures.expectSafe(html)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x&#39; &amp; co"))
    }

    // MARK: Governors' summary

    func governors(_ year: SchoolYear = PackFixtures.governors()) throws -> LeaderPack.Governors.Model {
        let index = YearIndex(year)
        let chosen = try #require(year.collections.first { $0.id == "DC2" })
        return LeaderPack.Governors.model(index, evaluation: ProgressStatus.evaluate(index), collection: chosen, generated: "25 March 2027, 08:00")
    }

    @Test func governorsSummarySuppressesTheGroupOfFourButNotFive() throws {
        let model = try governors()
        let small = Disclosure.fewerThanFive, group = Disclosure.smallGroup, suppressed = Disclosure.suppressed
        // Completion by year group (entries), hidden by pupils on roll: Y9 6, Y10 4 → Y10's
        // figures are about a group of fewer than 5; the whole-school line (6 + 4 + 44 = 54) would
        // give them back, so Y9's (the smallest non-zero others) are suppressed too.
        #expect(model.completion.rows == [
            ["Year 9", suppressed, suppressed, suppressed],
            ["Year 10", group, group, group],
            ["Year 11", "44", "44", "100.0%"],
            ["Whole school", "54", "54", "100.0%"],
        ])
        // Progress (pupils): Y10 (4) fewer than 5, its bands with it. Y9's 6 stay: the school's
        // total of pupils with a residual is shown nowhere. Y11 (22): above 7 (31.8%), on track
        // 6 (27.3%), below 5 → suppressed (the smallest non-zero cell besides the 4), well below 4.
        #expect(model.progress.rows.count == 3)
        #expect(model.progress.rows[0][1] == "6")
        #expect(model.progress.rows[1] == ["Year 10", small, group, group, group, group])
        #expect(model.progress.rows[2] == ["Year 11", "22", "7 (31.8%)", "6 (27.3%)", suppressed, small])
        // Gaps: disadvantaged 5 vs 17 shown — G01 −2, G02 −2, G05 −1, G10 0, G16 +1: mean −0.80,
        // s² 1.7; the 17 others: mean −2/17 = −0.12, s² 17.765/16 = 1.110. Gap −0.68; se =
        // √(0.34 + 0.0653) = 0.6366; Welch df 5.63; t = 2.571 − 0.124 × 0.674 = 2.487; ±1.584 →
        // [−2.27, +0.90]. Every characteristic is recorded for the same 22 pupils (5 + 17 = 11 +
        // 11): SEN E 4 is fewer than 5, and 22 − 13 − 5 would give it back, so K (5) is
        // suppressed — the disadvantaged 5 would not do, gender pins the 22; EAL 4 likewise takes
        // its other 18 with it. No SEN (13) stays in both its rows.
        let rows = Dictionary(uniqueKeysWithValues: model.gaps.table.rows.map { ($0[0], Array($0.dropFirst())) })
        #expect(rows["disadvantaged vs not disadvantaged"] == ["5", "-0.80", "17", "-0.12", "-0.68", "-2.27", "+0.90"])
        let k = try #require(rows["SEN support vs no SEN"]), e = try #require(rows["EHC plan vs no SEN"])
        #expect(Array(k[0...2]) == [suppressed, suppressed, "13"] && Array(k[4...]) == [suppressed, suppressed, suppressed])
        #expect(Array(e[0...2]) == [small, group, "13"] && Array(e[4...]) == [group, group, group])
        #expect(rows["EAL vs not EAL"] == [small, group, suppressed, suppressed, group, group, group])
        // Two recorded genders are one comparison (issue 12, item 7), not "F vs not F" and "M vs not M".
        #expect(rows["girls vs boys"]?.first == "11" && rows["girls vs boys"]?[2] == "11")
        #expect(rows.count == 5)  // looked-after and prior attainment are not governors' comparisons
        #expect(model.gaps.svg.contains("fewer than 5: not shown to protect a small group"))
        // Forecasts: Y11 has 22 pupils with predictions.
        let y11 = try #require(model.forecasts.rows.first { $0[0] == "Year 11 (2027)" })
        #expect(y11[1] == "22")
        // 3 of 22 with 4+ in both: a group of 3 → suppressed; 5+: 0 of 22 → 0.0%; EBacc 0.0%.
        #expect(y11[6] == "0.0%" && y11[7] == suppressed && y11[8] == "0.0%")
        let y10 = try #require(model.forecasts.rows.first { $0[0] == "Year 10 (2028)" })
        #expect(y10 == ["Year 10 (2028)", small] + Array(repeating: group, count: 7))
        // Pupil premium, pupils rounded to the nearest 5 (republished each collection): mentoring
        // reached 4, fewer than 5; revision 5, of them 1 disadvantaged (G05) → suppressed, £250 / 5
        // = £50.00; tutoring 12 → 10, 2 disadvantaged (G10, G16) → suppressed, £600 / 10 as shown
        // = £60.00. Total: 21 → 20 pupils, 5 disadvantaged (G01, G02, G05, G10, G16; 16 others) →
        // 5, £1,250 / 20 = £62.50.
        let pp = Dictionary(uniqueKeysWithValues: model.pupilPremium.rows.map { ($0[0], Array($0.dropFirst())) })
        #expect(pp["mentoring"].map { Array($0[0..<6]) } == ["1", "£400.00", "£0.00", small, group, group])
        #expect(pp["revision sessions"].map { Array($0[0..<6]) } == ["1", "£250.00", "£0.00", "5", suppressed, "£50.00"])
        #expect(pp["tutoring"].map { Array($0[0..<6]) } == ["1", "£600.00", "£600.00", "10", suppressed, "£60.00"])
        #expect(pp["All interventions"].map { Array($0[0..<6]) } == ["3", "£1,250.00", "£600.00", "20", "5", "£62.50"])
    }

    @Test func governorsPageAndCSVNameNoPupil() throws {
        let year = PackFixtures.governors()
        let files = try LeaderPack.Governors.render(governors(year))
        #expect(files.map(\.name) == ["governors-summary.html", "csv/governors-completion.csv", "csv/governors-progress.csv",
                                      "csv/governors-gaps.csv", "csv/governors-ks4-forecasts.csv", "csv/governors-pupil-premium.csv"])
        for file in files {
            for pupil in year.pupils {
                for text in [pupil.displayName, pupil.forename, pupil.surname, pupil.id.rawValue, pupil.upn?.rawValue ?? "-", pupil.tutorGroup ?? "-"] {
                    #expect(!PackFixtures.mentions(file.contents, text), "\(file.name) mentions \(text)")
                }
            }
        }
        PackFixtures.expectSafe(files[0].contents)
        #expect(files[0].contents.contains("fewer than 5"))
        #expect(files[0].contents.contains("<desc id=\"governors-gaps-desc\">"))
        let again = try LeaderPack.Governors.render(governors(year))
        #expect(files == again)
    }

    @Test func governorsSummaryEscapesHostileValues() throws {
        let files = try LeaderPack.Governors.render(governors(PackFixtures.governors(text: { _ in PackFixtures.hostile })))
        PackFixtures.expectSafe(files[0].contents)
        #expect(files[0].contents.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x&#39; &amp; co"))
    }

    // MARK: Charts

    @Test func heatMapShowsEveryCountAndShadesByShareOfTheLargest() {
        let svg = SVG.heatMap(id: "t", title: "T <1>", description: "D & d", rowHeading: "KS2 band", columnHeading: "grade",
                              rows: ["low", "high"], columns: ["4", "5"], counts: [[0, 2], [4, 8]])
        #expect(svg == SVG.heatMap(id: "t", title: "T <1>", description: "D & d", rowHeading: "KS2 band", columnHeading: "grade",
                                   rows: ["low", "high"], columns: ["4", "5"], counts: [[0, 2], [4, 8]]))
        #expect(svg.contains("role=\"img\"") && svg.contains("<title id=\"t-title\">T &lt;1&gt;</title><desc id=\"t-desc\">D &amp; d</desc>"))
        // Largest 8: 0 → white; 2 → level 1 + ⌊2·4/8⌋ = 2; 4 → 3 (white text); 8 → 4.
        #expect(svg.contains("fill=\"#ffffff\" stroke=\"#999\" stroke-width=\"0.5\"><title>low, 4: 0 pupils</title>"))
        #expect(svg.contains("fill=\"#9ecae1\" stroke=\"#999\" stroke-width=\"0.5\"><title>low, 5: 2 pupils</title>"))
        #expect(svg.contains("fill=\"#4292c6\" stroke=\"#999\" stroke-width=\"0.5\"><title>high, 4: 4 pupils</title>"))
        #expect(svg.contains("fill=\"#08306b\" stroke=\"#999\" stroke-width=\"0.5\"><title>high, 5: 8 pupils</title>"))
        #expect(svg.contains("fill=\"#fff\">8</text>") && svg.contains("fill=\"#111\">2</text>"))
    }

    @Test func gapChartMarksIntervalsByShapeAndWritesSuppressedRowsAsText() {
        let rows = [
            SVG.GapRow(label: "A vs B", difference: -0.5, interval: -0.9 ... -0.1, groupCount: 30, comparisonCount: 100),
            SVG.GapRow(label: "C vs D", difference: 0.2, interval: -0.3 ... 0.7, groupCount: 12, comparisonCount: 90),
            SVG.GapRow(label: "E vs F", difference: nil, note: "fewer than 5"),
        ]
        let svg = SVG.gaps(id: "g", title: "Gaps", description: "Three rows", rows: rows, unit: "grades")
        #expect(svg == SVG.gaps(id: "g", title: "Gaps", description: "Three rows", rows: rows, unit: "grades"))
        #expect(svg.contains("<title id=\"g-title\">Gaps</title><desc id=\"g-desc\">Three rows</desc>"))
        #expect(svg.contains("fill=\"#1b4f72\" stroke=\"#1b4f72\" stroke-width=\"1.5\"><title>A vs B: -0.50 [-0.90, -0.10] n 30 / 100</title>"))
        #expect(svg.contains("fill=\"#fff\" stroke=\"#1b4f72\" stroke-width=\"1.5\"><title>C vs D: +0.20 [-0.30, +0.70] n 12 / 90</title>"))
        #expect(svg.contains(">fewer than 5</text>"))
        #expect(!svg.contains("E vs F: "))
    }

    @Test func numbersAreFormattedWithFixedDecimals() {
        #expect(LeaderPack.fixed(2.5) == "2.50" && LeaderPack.fixed(-0.004) == "0.00" && LeaderPack.fixed(-0.676, places: 2) == "-0.68")
        #expect(LeaderPack.signed(0.4) == "+0.40" && LeaderPack.signed(-1.6) == "-1.60" && LeaderPack.signed(0.001) == "0.00")
        #expect(LeaderPack.percent(1, of: 3) == "33.3%" && LeaderPack.percent(0, of: 0) == "–")
        #expect(LeaderPack.money(125_000) == "£1,250.00" && LeaderPack.money(5) == "£0.05" && LeaderPack.money(123_456_789) == "£1,234,567.89")
        #expect(LeaderPack.slug("MA") == "MA")
        #expect(LeaderPack.slug("11A/Ma") != LeaderPack.slug("11A-Ma") && LeaderPack.slug("11A/Ma").hasPrefix("11A-Ma-"))
    }
}
