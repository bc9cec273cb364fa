import HeadwayAnalytics
import HeadwayCore
@testable import HeadwayReports
import HeadwayTestSupport
import Testing

/// Reports to parents and carers (issue 7, item 1) on a hand-built Year 10 whose every value is
/// known. Fictional people only.
///
/// Flight paths (FlightPathSettings defaults): linear from half the target at Y7 DC1 to the
/// target at Y11 DC3, three collections a year, so 15 checkpoints 0…14; Y10 DC1, DC2, DC3 are
/// checkpoints 9, 10, 11: expected(i) = T/2 + (T/2)·i/14.
/// - target 7: DC1 3.5 + 3.5·9/14 = 5.75 (shown 5.8), DC2 6.0 (shown 6), DC3 6.25;
/// - target 6: DC1 3 + 3·9/14 = 4.929 (4.9), DC2 5.143 (5.1);
/// - target 6-6 (combined science, 6 points): the same as 6, shown as the nearest pair, 5-5;
/// - target 5: DC1 2.5 + 2.5·9/14 = 4.107 (4.1), DC2 4.286 (4.3).
/// Year 7 DC1 and DC2 are checkpoints 0 and 1: target 5 gives 2.5 and 2.5 + 2.5/14 = 2.679 (2.7).
/// Bands (ProgressStatus.Thresholds.standard): above ≥ +0.5; on track > −0.5; below > −1.5; else well below.
/// The collections are named without their codes ("Autumn data collection"), so the chart labels
/// are the names' first words: Autumn, Spring.
@Suite struct ParentReportTests {
    static let hostile = #"<script>alert(1)</script>" onmouseover="x' & "#

    static func date(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }

    /// Year 10 (10A: Aoife O'Neil, Zoë Marsh; 10B: Kwame Adeyemi-Hart) and one Year 7 pupil,
    /// maths, English and combined science; DC1–DC3 for Years 7 and 10; the Spring report (R2)
    /// uses DC2.
    static func year() -> SchoolYear {
        let gcse = GradeScale.gcse, cs = GradeScale.combinedScience, atl = GradeScale.atl
        let y = AcademicYear(startYear: 2026)
        let pupils = [
            Pupil(id: "P1", forename: "Aoife", surname: "O'Neil", yearGroup: 10, tutorGroup: "10A",
                  characteristics: [Characteristic.attendance: "94.6"]),
            Pupil(id: "P2", forename: "Zoë", surname: "Marsh", yearGroup: 10, tutorGroup: "10A"),
            Pupil(id: "P3", forename: "Kwame", surname: "Adeyemi-Hart", yearGroup: 10, tutorGroup: "10B",
                  characteristics: [Characteristic.attendance: "not known"]),
            Pupil(id: "P7", forename: "Tom", surname: "Reed", yearGroup: 7, tutorGroup: "7C"),
        ]
        let staff = [
            Staff(id: "JSM", title: "Ms", forename: "Jo", surname: "Smith", email: "j.smith@school.example"),
            Staff(id: "RPA", title: "Mr", forename: "Ravi", surname: "Patel", email: "r.patel@school.example", roles: [.teacher, .headOfYear(10)]),
        ]
        let subjects = [
            Subject(id: "MA", name: "Mathematics", scale: GradeScale.gcseID),
            Subject(id: "EN", name: "English", scale: GradeScale.gcseID),
            Subject(id: "SC", name: "Combined science", scale: GradeScale.combinedScienceID),
        ]
        let groups = [
            TeachingGroup(id: "10/Ma", subject: "MA", yearGroup: 10, teachers: ["JSM"], pupils: ["P1", "P2", "P3"]),
            TeachingGroup(id: "10/En", subject: "EN", yearGroup: 10, teachers: ["RPA", "JSM"], pupils: ["P1", "P2"]),
            TeachingGroup(id: "10/Sc", subject: "SC", yearGroup: 10, teachers: ["RPA"], pupils: ["P1", "P2"]),
            TeachingGroup(id: "7/Ma", subject: "MA", yearGroup: 7, teachers: ["JSM"], pupils: ["P7"]),
        ]
        let collections = (1...3).map {
            DataCollection(id: DataCollection.ID("DC\($0)"), name: ["Autumn", "Spring", "Summer"][$0 - 1] + " data collection",
                           academicYear: y, yearGroups: [7, 10], sequence: $0)
        }
        func g(_ scale: GradeScale, _ code: String) -> EntryValue { scale.value(stored: code) }
        func entry(_ p: Pupil.ID, _ s: Subject.ID, _ c: DataCollection.ID, _ w: EntryValue?, _ a: String? = nil) -> Assessment {
            Assessment(pupil: p, subject: s, collection: c, workingAt: w, atl: a.map { g(atl, $0) })
        }
        let assessments = [
            entry("P1", "MA", "DC1", g(gcse, "6"), "2"), entry("P1", "MA", "DC2", g(gcse, "7"), "2"),
            entry("P1", "EN", "DC1", .notAssessed), entry("P1", "EN", "DC2", g(gcse, "4"), "3"),
            entry("P1", "SC", "DC1", g(cs, "5-4")), entry("P1", "SC", "DC2", g(cs, "5-5"), "1"),
            entry("P1", "MA", "DC3", g(gcse, "8")),  // after the report: never shown at DC2
            entry("P2", "MA", "DC1", g(gcse, "4")), entry("P2", "MA", "DC2", g(gcse, "2"), "4"),
            entry("P2", "EN", "DC2", g(gcse, "5")),
            entry("P2", "SC", "DC2", .notAssessed, "X"),
        ]
        let targets = [
            Target(pupil: "P1", subject: "MA", grade: g(gcse, "7"), method: .imported),
            Target(pupil: "P1", subject: "EN", grade: g(gcse, "6"), method: .imported),
            Target(pupil: "P1", subject: "SC", grade: g(cs, "6-6"), method: .imported),
            Target(pupil: "P2", subject: "MA", grade: g(gcse, "5"), method: .imported),
        ]
        let calendar = SchoolCalendar(academicYear: y, reportingEvents: [
            ReportingEvent(id: "R2", name: "Spring report", kind: .report, yearGroups: [10], date: date("2027-03-22"), collection: "DC2"),
            ReportingEvent(id: "R2-Y7", name: "Y7 spring report", kind: .report, yearGroups: [7], date: date("2027-03-24"), collection: "DC2"),
            ReportingEvent(id: "PM10", name: "Y10 parents' evening", kind: .parentsMeeting, yearGroups: [10], date: date("2027-03-25"), collection: "DC2"),
        ])
        return SchoolYear(school: School(id: "100001", name: "Riverside Academy"), academicYear: y, subjects: subjects, staff: staff,
                          pupils: pupils, teachingGroups: groups, collections: collections, assessments: assessments, targets: targets,
                          calendar: calendar)
    }

    static func models(_ year: SchoolYear, collection: String = "DC2", event: String? = nil, logo: String? = nil) throws -> [ParentReport.Model] {
        let index = YearIndex(year)
        let point = try ParentReport.ReportingPoint.resolve(in: year, collection: collection, event: event)
        return ParentReport.models(index, evaluation: ProgressStatus.evaluate(index), point: point, logo: logo)
    }

    /// The `<tr>…</tr>` of the subject table whose row header is `subject`.
    static func row(_ html: String, _ subject: String) -> String? {
        html.components(separatedBy: "<tr>\n").first { $0.hasPrefix("<th scope=\"row\">\(subject)<span") }
    }

    @Test func theModelHoldsEachSubjectsKnownValues() throws {
        let models = try Self.models(Self.year())
        // Everyone on roll in Years 7 and 10 (DC2's year groups), by year group, tutor group, surname.
        #expect(models.map(\.pupil) == ["P7", "P2", "P1", "P3"])
        let aoife = try #require(models.first { $0.pupil == "P1" })
        #expect(aoife.schoolName == "Riverside Academy")
        #expect(aoife.pupilName == "Aoife O'Neil" && aoife.yearGroup == "Year 10" && aoife.tutorGroup == "10A")
        #expect(aoife.reportName == "Spring report" && aoife.reportDate == "22 March 2027" && aoife.collectionName == "Spring data collection")
        #expect(aoife.responsible == [ParentReport.Person(name: "Mr Patel", role: "Head of Year 10", email: "r.patel@school.example")])
        #expect(aoife.attendance == "94.6%")
        #expect(aoife.subjects.map(\.subject) == ["Mathematics", "English", "Combined science"])  // the school's subject order
        let (ma, en, sc) = (aoife.subjects[0], aoife.subjects[1], aoife.subjects[2])
        // Maths: 7 at DC2 against 6.0 expected: residual +1.0, above — "ahead of expected
        // progress", the words true for a parent (the band compares with the expected grade).
        #expect(ma.teachers == "Ms Smith" && ma.target == "7" && ma.workingAt == "7" && ma.atl == "2 — Good")
        #expect(ma.progress == ParentReport.Indicator(symbol: "▲", words: "Ahead of expected progress", kind: "above"))
        // DC1 6 against 5.75, shown to one decimal (5.8, not rounded to a whole 6); DC2 7 against
        // 6.0, a whole grade (6); DC3 is after the report.
        #expect(ma.trend == [.init(label: "Autumn", workingAt: "6", expected: "5.8"), .init(label: "Spring", workingAt: "7", expected: "6")])
        // English: 4 against 5.143: residual −1.14, below. X at DC1 is a gap.
        #expect(en.teachers == "Mr Patel, Ms Smith" && en.target == "6" && en.workingAt == "4" && en.atl == "3 — Requires improvement")
        #expect(en.progress == ParentReport.Indicator(symbol: "▽", words: "Behind expected progress", kind: "below"))
        #expect(en.trend == [.init(label: "Autumn", workingAt: "not assessed", expected: "4.9"), .init(label: "Spring", workingAt: "4", expected: "5.1")])
        // Combined science: 5-5 (5 points) against 5.143: residual −0.14, on track. Its grades are
        // pairs, not numbers, half a point apart: expected is shown as the nearest pair, 5-5 (5.0,
        // 0.07 and 0.14 away) rather than 6-5 (5.5), never further than a quarter of a grade.
        #expect(sc.target == "6-6" && sc.workingAt == "5-5" && sc.atl == "1 — Excellent")
        #expect(sc.progress == ParentReport.Indicator(symbol: "●", words: "On track", kind: "on-track"))
        #expect(sc.trend.map(\.expected) == ["5-5", "5-5"])

        let zoe = try #require(models.first { $0.pupil == "P2" })
        #expect(zoe.pupilName == "Zoë Marsh" && zoe.attendance == nil)
        // Maths: 2 against 4.286: residual −2.29, well below. English: a grade but no target.
        // Science: X at DC2, with ATL X.
        #expect(zoe.subjects.map(\.progress.words) == ["Well behind expected progress", "No target", "Not assessed this time"])
        #expect(zoe.subjects[0].trend.map(\.expected) == ["4.1", "4.3"])
        #expect(zoe.subjects.map(\.progress.symbol) == ["▼", "○", "○"])
        #expect(zoe.subjects[1].target == "No target" && zoe.subjects[1].trend.map(\.expected) == ["–", "–"])
        #expect(zoe.subjects[2].workingAt == "Not assessed this time" && zoe.subjects[2].atl == "Not assessed this time")
        // Kwame: attendance "not known" is no percentage, so the line is left out; maths has no entry yet.
        let kwame = try #require(models.first { $0.pupil == "P3" })
        #expect(kwame.attendance == nil)
        #expect(kwame.subjects.map(\.workingAt) == ["Not yet assessed"] && kwame.subjects[0].progress.words == "Not yet assessed")
        #expect(kwame.subjects[0].chart == "")  // no grade and no target: no chart, only the table
        // Year 7 takes its name from its own event; nobody is responsible for Year 7.
        let tom = try #require(models.first { $0.pupil == "P7" })
        #expect(tom.reportName == "Y7 spring report" && tom.reportDate == "24 March 2027" && tom.responsible.isEmpty)
        #expect(aoife.collections == [.init(label: "Autumn", name: "Autumn data collection"), .init(label: "Spring", name: "Spring data collection")])
        // Aoife's trends show decimals (5.8, 4.9, 5.1), so her key explains them; Kwame's and Tom's
        // show no expected grade at all (no target).
        #expect(aoife.decimalExpected && !kwame.decimalExpected && !tom.decimalExpected)
        // One scale note per scale, the one with most subjects last; the ATL scale from best.
        #expect(aoife.gradeNotes.count == 2 && aoife.gradeNotes[0].hasPrefix("Combined science: grades come in pairs, because the course is worth two GCSEs")
                && aoife.gradeNotes[1].hasPrefix("All other subjects: grades run from 9 (highest) to 1 (lowest)"))
        #expect(aoife.atlNotes == ["Attitude to learning is scored from 1 to 4: 1 (Excellent) is best, then 2 (Good), 3 (Requires improvement), 4 (Cause for concern)."])
    }

    @Test func thePageShowsThoseValuesWithSymbolAndWords() throws {
        let models = try Self.models(Self.year())
        let renderer = try ParentReport.Renderer()
        let html = renderer.page(for: try #require(models.first { $0.pupil == "P1" }))
        #expect(html.contains("<title>Spring report — Aoife O&#39;Neil — Riverside Academy</title>"))
        #expect(html.contains("<dt>Pupil</dt><dd>Aoife O&#39;Neil</dd>"))
        #expect(html.contains("<dd>Year 10, tutor group 10A</dd>"))
        #expect(html.contains("<dt>Attendance this year</dt><dd>94.6%</dd>"))
        #expect(html.contains("<dd>Mr Patel, Head of Year 10 (r.patel@school.example)<br></dd>"))
        #expect(html.contains("Report to parents and carers · 22 March 2027"))
        let ma = try #require(Self.row(html, "Mathematics"))
        #expect(ma.contains("<span class=\"teacher\">Ms Smith</span>"))
        #expect(ma.contains("<td>7</td>\n<td>7</td>\n<td>2 — Good</td>"))
        #expect(ma.contains("<td class=\"progress above\"><span class=\"symbol\">▲</span> Ahead of expected progress</td>"))
        #expect(ma.contains("<tr><th scope=\"row\">Autumn</th><td>6</td><td>5.8</td></tr><tr><th scope=\"row\">Spring</th><td>7</td><td>6</td></tr>"))
        let en = try #require(Self.row(html, "English"))
        #expect(en.contains("<td class=\"progress below\"><span class=\"symbol\">▽</span> Behind expected progress</td>"))
        #expect(en.contains("<th scope=\"row\">Autumn</th><td>not assessed</td><td>4.9</td>"))
        let sc = try #require(Self.row(html, "Combined science"))
        #expect(sc.contains("<span class=\"symbol\">●</span> On track"))
        // One article: this pupil only. Self-contained, printable on A4.
        #expect(html.components(separatedBy: "<article class=\"pupil\">").count == 2)
        #expect(!html.contains("Zoë") && !html.contains("Kwame"))
        #expect(html.contains("@page { size: A4; margin: 12mm; }"))
        #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("@import"))
        // The key: the four bands in the parent's words with their symbols; that the expected grade
        // rises through the years to the target; what a decimal, "Not yet assessed", "No target"
        // and "Not recorded" mean; the collections by name, never by code.
        let key = try #require(html.components(separatedBy: "<h2>How to read this report</h2>").last)
        for words in ["▲ Ahead of expected progress", "● On track", "▽ Behind expected progress", "▼ Well behind expected progress"] {
            #expect(key.contains(words), "\(words)")
        }
        #expect(key.contains("It starts well below the target in Year 7 and rises a little each time grades are recorded, reaching the target at the end of Year 11"))
        #expect(key.contains("ahead of expected progress while still working below their target"))
        #expect(key.contains("An expected grade with a decimal lies between two grades: 2.5 is halfway between a 2 and a 3."))
        #expect(key.contains("\"Not yet assessed\": no grade has been recorded in that subject for this report yet."))
        #expect(key.contains("\"No target\": none is set in that subject yet, usually because we have no Key Stage 2 results for your child"))
        #expect(key.contains("\"Not recorded\" means the teacher has not given one yet."))
        #expect(key.contains("(Autumn data collection and Spring data collection)"))
        #expect(!html.contains("Above target") && !html.contains("Below target") && !html.contains("DC1") && !html.contains("DC2"))
        // A pupil's own page has no cover page and no "for printing at school" banner.
        #expect(!html.contains("<section class=\"cover\"") && !html.contains("For printing at school"))

        let zoe = renderer.page(for: try #require(models.first { $0.pupil == "P2" }))
        #expect(zoe.contains("<dd>Zoë Marsh</dd>"))
        #expect(!zoe.contains("Attendance this year"))  // left out, not shown as 0
        #expect(try #require(Self.row(zoe, "Mathematics")).contains("<span class=\"symbol\">▼</span> Well behind expected progress"))
        #expect(try #require(Self.row(zoe, "English")).contains("<span class=\"symbol\">○</span> No target"))
        #expect(try #require(Self.row(zoe, "Combined science")).contains("<td>Not assessed this time</td>"))
        let tom = renderer.page(for: try #require(models.first { $0.pupil == "P7" }))
        #expect(tom.contains("<dt>Responsible for progress</dt><dd>Please contact the school office.</dd>"))
        #expect(!tom.contains("An expected grade with a decimal"))  // no decimal shown, so no sentence about one
    }

    @Test func aTutorGroupFileHasEveryPupilOfTheGroupAPageEach() throws {
        let models = try Self.models(Self.year()).filter { $0.tutorGroupKey == "10A" }
        let html = try ParentReport.Renderer().page(forTutorGroup: "10A", models)
        #expect(html.contains("<title>Spring report — Tutor group 10A — Riverside Academy</title>"))
        #expect(html.components(separatedBy: "<article class=\"pupil\">").count == 3)
        #expect(html.contains("<dd>Zoë Marsh</dd>") && html.contains("<dd>Aoife O&#39;Neil</dd>") && !html.contains("Kwame"))
        #expect(html.contains("article.pupil { break-after: page; page-break-after: always; }"))
        // A cover page first, on a page of its own, before any pupil: for printing at school, with
        // the number of reports (2) and the pupils in order; so no pupil's page carries the banner.
        let cover = try #require(html.components(separatedBy: "<article class=\"pupil\">").first?.components(separatedBy: "<section class=\"cover\"").last)
        #expect(cover.contains("<h1>Spring report — Tutor group 10A</h1>"))
        #expect(cover.contains("For printing at school — this file contains 2 pupils&#39; reports; do not send this file to parents or carers."))
        #expect(cover.contains("<ol><li>Zoë Marsh</li><li>Aoife O&#39;Neil</li></ol>"))
        #expect(html.contains("section.cover { border: 3px solid #922b21; padding: .8rem 1rem; margin-bottom: 1.5rem; break-after: page; page-break-after: always; }"))
        #expect(html.components(separatedBy: "For printing at school").count == 2)
        let one = try ParentReport.Renderer().page(forTutorGroup: "10A", Array(models.prefix(1)))
        #expect(one.contains("this file contains 1 pupil&#39;s report;"))
    }

    @Test func theTrendChartIsAccessibleAndLeavesAGapForX() throws {
        let aoife = try #require(try Self.models(Self.year()).first { $0.pupil == "P1" })
        let en = aoife.subjects[1].chart
        #expect(en.contains("role=\"img\""))
        #expect(en.contains("<title id=\"trend-P1-EN-title\">English: working-at grade this year</title>"))
        #expect(en.contains("<desc id=\"trend-P1-EN-desc\">English: the grade Aoife O&#39;Neil was working at"))
        #expect(en.contains("Autumn data collection: not assessed, expected 4.9; Spring data collection: working at 4, expected 5.1.</desc>"))
        // X at DC1: the working-at series has one point (DC2) and no line; the expected series has both.
        #expect(en.components(separatedBy: "<circle").count == 2)
        #expect(!en.contains("stroke=\"#1b4f72\""))
        #expect(en.components(separatedBy: "<polyline").count == 2)

        // The chart's geometry (issue 12, item 8: 140 × 64 with 12 px text): plot 8…132 across
        // and 7…47 down (bottom margin 12 + 5), 0–9 points. y(5) = 47 − 5/9·40 = 24.8,
        // y(6) = 20.3, y(4) = 29.2, y(4.5) = 27; x = 8, 70, 132.
        let svg = SVG.trend(id: "t", title: "T", description: "D", labels: ["DC1", "DC2", "DC3"],
                            workingAt: [5, nil, 6], expected: [4, 4.5, 5], range: 0...9)
        #expect(svg.contains("<circle cx=\"8\" cy=\"24.8\" r=\"2.6\" fill=\"#1b4f72\"/>"))
        #expect(svg.contains("<circle cx=\"132\" cy=\"20.3\" r=\"2.6\" fill=\"#1b4f72\"/>"))
        #expect(svg.contains("<polyline points=\"8,29.2 70,27 132,24.8\" fill=\"none\" stroke=\"#555\""))
        #expect(svg.components(separatedBy: "<polyline").count == 2)  // no working-at line across the gap
        #expect(svg.contains(">DC2</text>"))
    }

    @Test func renderingIsDeterministic() throws {
        let a = try ParentReport.Renderer().page(forTutorGroup: "10A", try Self.models(Self.year()))
        let b = try ParentReport.Renderer().page(forTutorGroup: "10A", try Self.models(Self.year()))
        #expect(a == b)
        #expect(a.utf8.count > 5_000)
    }

    /// The expected grade as shown (ParentReport.TrendPoint.expected): one decimal on the GCSE
    /// scale where it is not whole, the nearest grade on a scale of named grades when within a
    /// quarter of a grade, else "between A and B".
    @Test func expectedGradesShowADecimalTheNearestGradeOrBetween() throws {
        var year = Self.year()
        // Tom (Year 7): maths target 5, working at 3 at DC1 and DC2. Year 7 DC1 is checkpoint 0:
        // expected 5/2 = 2.5 — residual +0.5, ahead (the break-test's case: it must not read
        // "expected 3" beside a 3). DC2, checkpoint 1: 2.5 + 2.5/14 = 2.679, shown 2.7; residual
        // +0.32, on track.
        let steps = GradeScale(id: "steps", name: "Steps", grades: [
            GradeScale.Grade(code: "EMG", points: 1, label: "Emerging"), GradeScale.Grade(code: "DEV", points: 2, label: "Developing"),
            GradeScale.Grade(code: "SEC", points: 3, label: "Secure"), GradeScale.Grade(code: "EXC", points: 4, label: "Excelling"),
        ])
        year.scales[steps.id] = steps
        year.subjects.append(Subject(id: "DT", name: "Design technology", scale: steps.id))
        year.teachingGroups.append(TeachingGroup(id: "7/Dt", subject: "DT", yearGroup: 7, teachers: ["JSM"], pupils: ["P7"]))
        year.teachingGroups.append(TeachingGroup(id: "10/Dt", subject: "DT", yearGroup: 10, teachers: ["JSM"], pupils: ["P1"]))
        year.targets += [
            Target(pupil: "P7", subject: "MA", grade: GradeScale.gcse.value(stored: "5"), method: .imported),
            Target(pupil: "P7", subject: "DT", grade: steps.value(stored: "EXC"), method: .imported),
            Target(pupil: "P1", subject: "DT", grade: steps.value(stored: "SEC"), method: .imported),
        ]
        year.assessments += [
            Assessment(pupil: "P7", subject: "MA", collection: "DC1", workingAt: GradeScale.gcse.value(stored: "3"), atl: nil),
            Assessment(pupil: "P7", subject: "MA", collection: "DC2", workingAt: GradeScale.gcse.value(stored: "3"), atl: nil),
        ]
        let atDC1 = try #require(try Self.models(year, collection: "DC1").first { $0.pupil == "P7" })
        #expect(atDC1.subjects[0].trend == [.init(label: "Autumn", workingAt: "3", expected: "2.5")])
        #expect(atDC1.subjects[0].progress.words == "Ahead of expected progress" && atDC1.decimalExpected)
        let models = try Self.models(year)
        let tom = try #require(models.first { $0.pupil == "P7" })
        #expect(tom.subjects.map(\.subject) == ["Mathematics", "Design technology"])
        #expect(tom.subjects[0].trend.map(\.expected) == ["2.5", "2.7"] && tom.subjects[0].progress.words == "On track")
        // Design technology, target EXC (4 points): DC1 4/2 = 2.0, exactly DEV; DC2 2 + 2/14 =
        // 2.143, 0.14 from DEV: the nearest grade, DEV.
        #expect(tom.subjects[1].trend.map(\.expected) == ["DEV", "DEV"])
        // Aoife (Year 10), target SEC (3): DC1 1.5 + 1.5·9/14 = 2.464, DC2 1.5 + 1.5·10/14 = 2.571:
        // both more than a quarter of a grade from DEV and SEC, so "between DEV and SEC".
        let aoife = try #require(models.first { $0.pupil == "P1" })
        let dt = try #require(aoife.subjects.first { $0.subject == "Design technology" })
        #expect(dt.trend.map(\.expected) == ["between DEV and SEC", "between DEV and SEC"])
    }

    @Test func collectionsAndReportsAreNamedInParentsWords() throws {
        var year = Self.year()
        for i in year.collections.indices {
            year.collections[i].name = "DC\(i + 1) " + ["Autumn 2026", "Spring 2027", "Summer 2027"][i]
        }
        // DC3 has no report event: the report takes the collection's name without its code.
        let models = try Self.models(year, collection: "DC3")
        let aoife = try #require(models.first { $0.pupil == "P1" })
        #expect(aoife.reportName == "Summer 2027 report" && aoife.collectionName == "Summer 2027")
        #expect(aoife.collections.map(\.name) == ["Autumn 2026", "Spring 2027", "Summer 2027"])
        #expect(aoife.collections.map(\.label) == ["Autumn", "Spring", "Summer"])
        #expect(aoife.subjects[0].trend.map(\.label) == ["Autumn", "Spring", "Summer"])
        let page = try ParentReport.Renderer().page(for: aoife)
        #expect(page.contains("<h1>Summer 2027 report</h1>") && page.contains("<caption>Subjects — grades from Summer 2027</caption>"))
        #expect(page.contains("(Autumn 2026, Spring 2027 and Summer 2027)"))
        #expect(!page.contains("DC1") && !page.contains("DC2") && !page.contains("DC3"))

        func collection(_ code: String, _ name: String) -> DataCollection {
            DataCollection(id: DataCollection.ID(code), name: name, academicYear: year.academicYear, yearGroups: [], sequence: 1)
        }
        #expect(ParentReport.collectionTitle(collection("DC2", "DC2: Spring")) == "Spring")
        #expect(ParentReport.collectionTitle(collection("DC2", "dc2 – Spring 2027")) == "Spring 2027")
        #expect(ParentReport.collectionTitle(collection("DC1", "DC10 Autumn")) == "DC10 Autumn")  // not its code
        #expect(ParentReport.collectionTitle(collection("DC1", "DC1")) == "DC1")
        #expect(ParentReport.collectionTitle(collection("DC1", "")) == "DC1")
        #expect(ParentReport.reportTitle(collection("DC3", "DC3 Summer report")) == "Summer report")
        // Short names: first words when short and different, else none (the table gives the names).
        #expect(ParentReport.shortNames(["Autumn 2026", "Spring 2027"]) == ["Autumn", "Spring"])
        #expect(ParentReport.shortNames(["Term 1", "Term 2"]) == ["", ""])
        #expect(ParentReport.shortNames(["Christmas assessment"]) == [""])
        #expect(ParentReport.shortNames(["A", "B", "C", "D", "E"]) == ["", "", "", "", ""])
        // The chart's x labels: three letters each, so three fit under the small chart.
        #expect(ParentReport.chartTicks(["Autumn", "Spring", "Summer"]) == ["Aut", "Spr", "Sum"])
        #expect(ParentReport.chartTicks(["Summer", "Summit"]) == ["", ""])
        #expect(ParentReport.chartTicks(["", ""]) == ["", ""])
        #expect(aoife.subjects[0].chart.contains(">Aut</text>") && aoife.subjects[0].chart.contains(">Sum</text>"))
    }

    /// At DC2 (studied pairs: P1 MA, EN, SC; P2 MA, EN, SC; P3 MA; P7 MA): P3's maths (10/Ma,
    /// Ms Smith) and P7's maths (7/Ma, Ms Smith) have no entry — 2 subjects, 2 pupils; P2's X in
    /// science is an entry, not missing. With P2's English made off-scale: 1 off-scale.
    @Test func missingEntriesAreCountedByClass() throws {
        var year = Self.year()
        let index = YearIndex(year)
        let point = try ParentReport.ReportingPoint.resolve(in: year, collection: "DC2", event: nil)
        let all = ParentReport.missingEntries(index, point: point, pupils: year.pupils.map(\.id))
        #expect(all.entries == 2 && all.pupils == 2 && all.offScale == 0)
        #expect(all.classes == [.init(code: "10/Ma", teachers: "Ms Smith (JSM)", count: 1), .init(code: "7/Ma", teachers: "Ms Smith (JSM)", count: 1)])
        // Only the pupils asked about.
        #expect(ParentReport.missingEntries(index, point: point, pupils: ["P1", "P2"]).entries == 0)
        // A blank working-at is missing like no entry; an off-scale value is counted apart.
        year.assessments = year.assessments.map { a in
            var a = a
            if a.pupil == "P2" && a.collection == "DC2" && a.subject == "EN" { a.workingAt = .offScale("Q") }
            if a.pupil == "P2" && a.collection == "DC2" && a.subject == "MA" { a.workingAt = nil }
            return a
        }
        let changed = ParentReport.missingEntries(YearIndex(year), point: point, pupils: year.pupils.map(\.id))
        #expect(changed.entries == 3 && changed.pupils == 3 && changed.offScale == 1)
        // 10/Ma now has two (P2, P3), so it comes first.
        #expect(changed.classes.map(\.code) == ["10/Ma", "7/Ma"] && changed.classes.map(\.count) == [2, 1])
    }

    @Test func anEventChoosesItsYearGroupsAndName() throws {
        let models = try Self.models(Self.year(), collection: "DC2", event: "R2")
        #expect(models.map(\.pupil) == ["P2", "P1", "P3"])
        #expect(Set(models.map(\.reportName)) == ["Spring report"])
        let y = Self.year()
        func code(_ collection: String?, _ event: String?) -> String? {
            do { _ = try ParentReport.ReportingPoint.resolve(in: y, collection: collection, event: event); return nil } catch { return error.code }
        }
        #expect(code(nil, nil) == "no-reporting-point")
        #expect(code("DC9", nil) == "unknown-collection")
        #expect(code(nil, "R9") == "unknown-event")
        #expect(code(nil, "PM10") == "not-a-report")
        #expect(code("DC1", "R2") == "event-collection-mismatch")
        #expect(code(nil, "R2") == nil)
        // A stored responsibility names a progress leader.
        var year = Self.year()
        year.responsibilities = [YearGroupResponsibility(academicYear: year.academicYear, yearGroup: 7, staff: "JSM", role: .progressLeader)]
        let tom = try #require(try Self.models(year).first { $0.pupil == "P7" })
        #expect(tom.responsible == [ParentReport.Person(name: "Ms Smith", role: "Progress leader for Year 7", email: "j.smith@school.example")])
    }

    @Test func onlyADataImageLogoIsShown() throws {
        let png = "data:image/png;base64,iVBORw0KGgo="
        let shown = try ParentReport.Renderer().page(for: try Self.models(Self.year(), logo: png)[0])
        #expect(shown.contains("<img class=\"logo\" src=\"\(png)\" alt=\"Riverside Academy logo\">"))
        for refused in ["https://example.com/logo.png", "javascript:alert(1)", "/etc/logo.png"] {
            let models = try Self.models(Self.year(), logo: refused)
            #expect(models.allSatisfy { $0.logo == nil })
            #expect(!(try ParentReport.Renderer().page(for: models[0])).contains("<img"))
        }
    }

    @Test func fileNamesAreSafeAndDistinct() {
        #expect(ParentReport.fileSafe("10A") == "10A")
        #expect(ParentReport.fileSafe("H801200001001") == "H801200001001")
        let slash = ParentReport.fileSafe("10/A"), underscore = ParentReport.fileSafe("10_A")
        #expect(underscore == "10_A" && slash.hasPrefix("10_A-") && slash.count == 13 && slash != underscore)
        #expect(ParentReport.fileSafe("../x").hasPrefix("___x-"))
        #expect(ParentReport.fileSafe("").count == 9)
    }

    @Test func aPupilsFileCarriesTheNameBesideTheId() {
        #expect(ParentReport.pupilFileName(id: "000123", name: "Zoë O'Neil") == "000123.Zoe-O-Neil")
        #expect(ParentReport.pupilFileName(id: "H801200001001", name: "Aoife  Ní Bhriain") == "H801200001001.Aoife-Ni-Bhriain")
        #expect(ParentReport.pupilFileName(id: "P1", name: "李") == "P1")  // no ASCII letters: the id alone
        // The id part is fileSafe's and ends at the first ".", so ids that differ never share a file.
        let a = ParentReport.pupilFileName(id: "10_A", name: "B C"), b = ParentReport.pupilFileName(id: "10", name: "A B C")
        #expect(a == "10_A.B-C" && b == "10.A-B-C" && a != b)
        #expect(ParentReport.pupilFileName(id: "../x", name: "../../etc").hasPrefix("___x-"))
        #expect(!ParentReport.pupilFileName(id: "../x", name: "../../etc").contains("/"))
    }

    @Test func hostileValuesAreEscapedInEveryField() throws {
        let h = Self.hostile
        var year = Self.year()
        year.school.name = h
        for i in year.pupils.indices {
            year.pupils[i].forename = h
            year.pupils[i].surname = h
            year.pupils[i].tutorGroup = h
            year.pupils[i].characteristics[Characteristic.attendance] = h
        }
        year.pupils[0].id = Pupil.ID(h)
        for i in year.subjects.indices { year.subjects[i].name = h }
        for i in year.staff.indices {
            year.staff[i].title = h
            year.staff[i].surname = h
            year.staff[i].email = h
        }
        for i in year.collections.indices { year.collections[i].name = h }
        for i in year.calendar.reportingEvents.indices { year.calendar.reportingEvents[i].name = h }
        // A school's own ATL scale and working-at scale with hostile codes and labels.
        let atl = GradeScale(id: "atl-h", name: h, grades: [GradeScale.Grade(code: "1", points: 1, label: h), GradeScale.Grade(code: h, points: 2, label: h)],
                             higherIsBetter: false)
        let steps = GradeScale(id: "steps-h", name: h, grades: [GradeScale.Grade(code: h, points: 1, label: h), GradeScale.Grade(code: "B", points: 2)])
        year.scales[atl.id] = atl
        year.scales[steps.id] = steps
        year.subjects[0].atlScale = atl.id
        year.subjects[1].scale = steps.id
        let renamed = Pupil.ID(h)
        year.teachingGroups = year.teachingGroups.map { var g = $0; g.pupils = g.pupils.map { $0 == "P1" ? renamed : $0 }; return g }
        year.assessments = year.assessments.map { var a = $0; if a.pupil == "P1" { a.pupil = renamed }; return a }
        year.targets = year.targets.map { var t = $0; if t.pupil == "P1" { t.pupil = renamed }; return t }
        year.assessments.append(Assessment(pupil: renamed, subject: "EN", collection: "DC1", workingAt: .grade(steps.grades[0]), atl: nil))
        year.assessments.append(Assessment(pupil: "P2", subject: "MA", collection: "DC1", workingAt: GradeScale.gcse.value(stored: "5"), atl: .grade(atl.grades[1])))
        let models = try Self.models(year, logo: "\"><script>alert(1)</script>")
        #expect(models.count == 4 && models.allSatisfy { $0.attendance == nil && $0.logo == nil })
        let html = try ParentReport.Renderer().page(forTutorGroup: h, models)
            + models.map { (try? ParentReport.Renderer().page(for: $0)) ?? "" }.joined()
        #expect(!html.contains("<script"))
        #expect(!html.contains("onmouseover=\""))
        #expect(!html.contains("' & "))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x&#39; &amp; "))
        // Chart ids come from the pupil id through fileSafe: only letters, digits, - and _.
        #expect(!html.contains("id=\"trend-<"))
    }

    @Test func namesWithApostrophesAndAccentsRenderCorrectly() throws {
        let models = try Self.models(Self.year())
        let page = try ParentReport.Renderer().page(forTutorGroup: "10A", models.filter { $0.tutorGroupKey == "10A" })
        // HTML: the apostrophe as the entity &#39; (read as '), ë as itself in UTF-8.
        #expect(page.contains("<dd>Aoife O&#39;Neil</dd>"))
        #expect(page.contains("<dd>Zoë Marsh</dd>"))
        #expect(page.contains("the grade Aoife O&#39;Neil was working at"))
        #expect(page.contains("the grade Zoë Marsh was working at"))
        #expect(page.contains("<meta charset=\"utf-8\">"))
        #expect(!page.contains("O'Neil") && !page.contains("&amp;#39;"))
    }
}
