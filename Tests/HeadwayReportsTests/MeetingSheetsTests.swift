import HeadwayAnalytics
import HeadwayCore
@testable import HeadwayReports
import Testing

/// Parent–carer meeting sheets (issue 7, item 2) on ``PackFixtures/department(text:ids:)``: the
/// figures each row should show are read off the fixture's table (target 6; DC2 the last
/// checkpoint of Year 11, so the residual is working-at − 6).
@Suite struct MeetingSheetsTests {
    func models(_ year: SchoolYear = PackFixtures.department(), yearGroups: Set<Int>? = nil, teacher: Staff.ID? = nil,
                event: ReportingEvent? = nil) throws -> [MeetingSheets.Model] {
        let index = YearIndex(year)
        let dc2 = try #require(year.collections.first { $0.id == "DC2" })
        return MeetingSheets.models(index, evaluation: ProgressStatus.evaluate(index), collection: dc2, yearGroups: yearGroups,
                                    teacher: teacher, event: event, generated: "25 March 2027, 08:00")
    }

    @Test func eachTeacherGetsTheirOwnClassesOnly() throws {
        let all = try models()
        #expect(all.map(\.teacherCode) == ["ASH", "ROW"])
        #expect(all.map { $0.classes.map(\.code) } == [["11B/Ma"], ["11A/Ma"]])
        #expect(all[1].teacherName == "Ms Rowan")
        #expect(try models(teacher: "ROW").map(\.teacherCode) == ["ROW"])
        // A meeting for Year 10 has no Year 11 class: nobody gets sheets.
        #expect(try models(yearGroups: [10]).isEmpty)
        #expect(try models(yearGroups: [11]).count == 2)
    }

    @Test func rowsCarryTheKeyDataWorkedOutFromTheFixture() throws {
        let sheet = try #require(try models(teacher: "ROW").first?.classes.first)
        #expect(sheet.subject == "Mathematics" && sheet.yearGroup == 11 && sheet.teachers == ["Ms Rowan (ROW)"])
        #expect(sheet.previousCollection == "Autumn collection")
        // Sorted by surname: Abbott, Dunn, Eames, Ives, Jones, Marsh, O'Neil.
        #expect(sheet.rows.map(\.name) == ["Kit Abbott", "Ola Dunn", "Ivo Eames", "Nia Ives", "Sam Jones", "Zoë Marsh", "Aoife O'Neil"])
        let row = Dictionary(uniqueKeysWithValues: sheet.rows.map { ($0.name, $0) })
        // Zoë: target 6, DC2 4 (residual −2: well below), DC1 5, ATL 4, PP + EHC plan + EAL, tutoring.
        let zoe = try #require(row["Zoë Marsh"])
        #expect([zoe.tutorGroup, zoe.target, zoe.workingAt, zoe.previous, zoe.atl, zoe.progress, zoe.symbol]
                == ["11K", "6", "4", "5", "4 Cause for concern", "well below", "▼"])
        #expect(zoe.flags == ["PP", "E", "EAL"])
        #expect(zoe.interventions == ["Y11 maths tutoring (tutoring)"])
        // Aoife: 5 (−1: below), SEN support.
        let aoife = try #require(row["Aoife O'Neil"])
        #expect([aoife.workingAt, aoife.atl, aoife.progress, aoife.symbol] == ["5", "2 Good", "below", "▽"])
        #expect(aoife.flags == ["PP", "K"] && aoife.interventions.isEmpty)
        // Kit 6 (0: on track), Ivo 7 (+1: above).
        #expect([row["Kit Abbott"]?.progress, row["Kit Abbott"]?.symbol] == ["on track", "●"])
        #expect([row["Ivo Eames"]?.progress, row["Ivo Eames"]?.symbol, row["Ivo Eames"]?.atl] == ["above", "▲", "1 Excellent"])
        #expect(row["Ola Dunn"]?.flags == [])
        // Nia: X at DC2, no status; Sam: a grade but no target.
        #expect([row["Nia Ives"]?.workingAt, row["Nia Ives"]?.progress, row["Nia Ives"]?.symbol, row["Nia Ives"]?.atl]
                == ["X (not assessed)", "no grade", "–", "–"])
        #expect([row["Sam Jones"]?.target, row["Sam Jones"]?.progress] == ["–", "no target"])
    }

    @Test func thePageIsPrintableSelfContainedAndNamesTheMeeting() throws {
        let year = PackFixtures.department()
        let event = try #require(year.calendar.reportingEvents.first)
        let model = try #require(try models(year, yearGroups: Set(event.yearGroups), teacher: "ROW", event: event).first)
        #expect(model.event == "Y11 parents' evening, 25 March 2027")
        let html = try MeetingSheets.render(model)
        PackFixtures.expectSafe(html)
        #expect(html.contains("@page { size: A4 landscape; margin: 12mm; }"))
        #expect(html.contains("section.sheet + section.sheet { break-before: page; }"))
        // A class longer than a page: the heading row (class, subject, year, teacher) and the
        // column headings repeat on every printed page (a table header group), rows are never
        // split, and the key sits above the table so it can never be left alone on a page.
        #expect(html.contains("table.pupils thead { display: table-header-group; }"))
        #expect(html.contains("table.pupils tr { break-inside: avoid; page-break-inside: avoid; }"))
        let thead = try #require(html.components(separatedBy: "<thead>").last?.components(separatedBy: "</thead>").first)
        #expect(thead.contains("<tr class=\"class-name\"><th scope=\"colgroup\" colspan=\"10\">11A/Ma — Mathematics, Year 11 · Ms Rowan (ROW) · 7 pupils</th></tr>"))
        #expect(thead.contains("<th scope=\"col\">Pupil</th>"))
        let key = try #require(html.range(of: "<p class=\"key\">")), table = try #require(html.range(of: "<table class=\"pupils\">"))
        #expect(key.lowerBound < table.lowerBound)
        #expect(html.contains("for Y11 parents&#39; evening, 25 March 2027"))
        #expect(html.contains("data from Spring collection (previous: Autumn collection)"))
        #expect(html.contains("<title>Meeting sheets — Ms Rowan (ROW) — Spring collection</title>"))
        #expect(html.contains(" · sheets for Ms Rowan (ROW) · class teachers: Ms Rowan (ROW) · 7 pupils · generated 25 March 2027, 08:00</p>"))
        // Progress in words and symbol; a blank notes column; O'Neil and Zoë as written.
        #expect(html.contains("<td class=\"progress\"><span aria-hidden=\"true\">▼</span> well below</td>"))
        #expect(html.contains("<td class=\"notes\"></td>"))
        #expect(html.contains("<th scope=\"row\">Aoife O&#39;Neil</th>"))
        #expect(html.contains("<th scope=\"row\">Zoë Marsh</th>"))
        #expect(html.contains("<li>Y11 maths tutoring (tutoring)</li>"))
        // One page per class: two classes, two sections.
        let both = try MeetingSheets.render(MeetingSheets.Model(
            schoolName: model.schoolName, academicYear: model.academicYear, collection: model.collection, event: nil, teacherName: "T",
            teacherCode: "T", generated: "now", classes: model.classes + model.classes))
        #expect(both.components(separatedBy: "<section class=\"sheet\">").count - 1 == 2)
        #expect(!both.contains(" · for "))  // no event, no "for …"
        #expect(try MeetingSheets.render(model) == html)
    }

    @Test func hostileValuesAreEscapedInEveryField() throws {
        let hostile = PackFixtures.hostile
        let year = PackFixtures.department(text: { _ in hostile }, ids: { $0 + hostile })
        let event = try #require(year.calendar.reportingEvents.first)
        for model in try models(year, event: event) {
            let html = try MeetingSheets.render(model)
            PackFixtures.expectSafe(html)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x&#39; &amp; co"))
        }
    }
}
