import HeadwayAnalytics
import HeadwayCore
import HeadwayReports
import HeadwayTestSupport
import Testing

@Suite struct ReportsTests {
    static let hostile = #"x" onmouseover="alert(1)" <script>alert('x')</script>"#

    func render(_ year: SchoolYear) async throws -> [ReportFile] {
        try await HeadlineReport.render(HeadlineReport.model(SchoolAnalysis.compute(year), generated: "29 November 2026, 09:00"))
    }

    @Test func writesOnePageAndEveryTableAsCSV() async throws {
        let files = try await render(Fixtures.smallSchool())
        #expect(files.map(\.name) == ["index.html", "csv/headline-progress.csv", "csv/completion.csv", "csv/completion-by-subject.csv",
                                      "csv/completion-by-teacher.csv", "csv/completion-by-class.csv", "csv/completion-by-year-group.csv",
                                      "csv/integrity-by-owner.csv", "csv/integrity.csv",
                                      "csv/grade-distribution.csv", "csv/subgroups.csv", "csv/change-by-subject.csv",
                                      "csv/progress-status.csv", "csv/residuals.csv", "csv/gaps.csv", "csv/transition-matrix-HI7.csv",
                                      "csv/transition-matrix-MA.csv", "csv/transition-matrices.csv"])
        // At DC2 only P001 (KS2 106, middle band) has a maths grade: 6- counts under 6. No science
        // pupil has a grade at DC2, so science has no matrix.
        let ma = try #require(files.first { $0.name == "csv/transition-matrix-MA.csv" }).contents
        #expect(ma.contains("\r\nmiddle,0,0,0,0,0,0,1,0,0,0\r\n"))
        #expect(ma.contains("\r\nlow,0,0,0,0,0,0,0,0,0,0\r\n"))
        let html = files[0].contents
        #expect(html.contains("<h1>Riverside Academy</h1>"))
        #expect(html.contains("integrity: 1 errors"))
        // Self-contained: no scripts, no external assets.
        #expect(!html.contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("href=\"http"))
        // No empty paragraphs where a section has no note and a table no more rows.
        #expect(!html.contains("<p></p>") && !html.contains("<p class=\"more\"></p>"))
        // At least two SVG charts, each accessible.
        #expect(html.components(separatedBy: "<svg ").count - 1 >= 3)
        #expect(html.contains("<title id=\"dist-MA-title\">Mathematics: working-at grades by collection</title>"))
        // Every subgroup of this four-pupil school is fewer than 5 pupils: hidden, so nothing to chart.
        #expect(!html.contains("<desc id=\"subgroup-change-desc\">"))
        #expect(try #require(files.first { $0.name == "csv/subgroups.csv" }).contents.contains(",fewer than 5,group of fewer than 5,"))
        // P001's maths target is 7 (imported); Year 10 at DC2, the second of 2 collections.
        let status = try #require(files.first { $0.name == "csv/progress-status.csv" }).contents
        // Flight path: half the target (3.5) at Y7 DC1, straight to 7 at Y11 DC2 over 10 checkpoints;
        // Y10 DC2 is checkpoint 8: 3.5 + 7/9 × 3.5 = 6.222. Working at 6- (5.667): residual −0.556, below.
        // No status: P002 (X) and P003 (off-scale) in Year 10, P004 (no target) in Year 7.
        #expect(status == "\u{FEFF}year group,well below,below,on track,above,no status\r\nY7,0,0,0,0,1\r\nY10,0,1,0,0,2\r\n")
        let completion = try #require(files.first { $0.name == "csv/completion.csv" }).contents
        #expect(completion == "\u{FEFF}collection,expected,entered,missing,percent\r\nAutumn data collection,7,6,1,85.7\r\nSpring data collection,7,4,3,57.1\r\n")
    }

    /// Issue 12, item 7: the page opens with the headline (progress by year group here: the
    /// small school has no Year 10–11 predictions, so no forecast tables), then integrity as a
    /// summary by owner with the detail below it; the school facts come last.
    @Test func headlineComesFirstThenIntegrityByOwner() async throws {
        let files = try await render(Fixtures.smallSchool())
        let html = files[0].contents
        func at(_ text: String) throws -> String.Index { try #require(html.range(of: text), "\(text)").lowerBound }
        let headline = try at("<h2>Headline: "), integrity = try at("<h2>Integrity: who must fix how many of what")
        let byOwner = try at("<caption>integrity-by-owner "), detail = try at("<caption>integrity ")
        let progress = try at("<h2>Progress against targets"), facts = try at("<h2>The data behind this report")
        #expect(headline < integrity && integrity < byOwner && byOwner < detail && detail < progress && progress < facts)
        #expect(html.range(of: "<h2>")!.lowerBound == headline)
        // Year 10: only P001's maths has a status at DC2: residual 5.667 − 6.222 = −0.56, below
        // (one pupil: no interval). Year 7: P004 has no target, so no status.
        let progressTable = try #require(files.first { $0.name == "csv/headline-progress.csv" }).contents
        #expect(progressTable == "\u{FEFF}year group,pupils with a status,entries with a status,% entries well below,% entries below,"
                + "% entries on track,% entries above,mean residual per pupil (grades),95% interval\r\n"
                + "Year 7,0,0,none,none,none,none,none,none\r\nYear 10,1,1,0,100,0,0,-0.56,none\r\n")
    }

    /// Who must fix how many of what: one row per person and check, most errors first, then warnings.
    @Test func integrityIsSummarisedByOwner() {
        let findings = [
            Finding(check: .missingEntries, severity: .warning, record: "DC2 / 10X/Ma1", message: "3 missing", fixer: "Ms Smith (JSM)"),
            Finding(check: .offScale, severity: .error, record: "DC2 / 10X/Ma1 / P001", message: "7++", fixer: "Ms Smith (JSM)"),
            Finding(check: .missingEntries, severity: .warning, record: "DC2 / 10X/Sc1", message: "1 missing", fixer: "Ms Smith (JSM)"),
            Finding(check: .invalidUPN, severity: .error, record: "pupil P002", message: "bad check letter", fixer: "data manager"),
            Finding(check: .invalidUPN, severity: .error, record: "pupil P003", message: "temporary", fixer: "data manager"),
            Finding(check: .noUPN, severity: .info, record: "year 7", message: "1 pupil", fixer: "data manager"),
        ]
        let table = HeadlineReport.integrityByOwner(findings)
        #expect(table.header == ["who can fix it", "what", "errors", "warnings", "notes"])
        #expect(table.rows == [
            ["data manager", "invalid or temporary UPNs", "2", "0", "0"],
            ["Ms Smith (JSM)", "grades not on the subject's scale", "1", "0", "0"],
            ["Ms Smith (JSM)", "missing entries", "0", "2", "0"],
            ["data manager", "pupils without a UPN", "0", "0", "1"],
        ])
    }

    @Test func hostileValuesAreEscapedEverywhere() async throws {
        var year = Fixtures.smallSchool()
        year.school.name = Self.hostile
        year.subjects[0].name = Self.hostile
        year.collections[0].name = Self.hostile
        let files = try await render(year)
        let html = files[0].contents
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("\" onmouseover=\"alert"))
        #expect(html.contains("&lt;script&gt;"))
    }

    @Test func csvCellsAreQuotedAndDefused() {
        let table = CSVTable(name: "t", header: ["name", "value"], rows: [["O'Neil, Zoë", "=HYPERLINK(\"x\")"], ["Marsh \"Jr\"", "-0.5"]])
        #expect(table.text == "\u{FEFF}name,value\r\n\"O'Neil, Zoë\",\"'=HYPERLINK(\"\"x\"\")\"\r\n\"Marsh \"\"Jr\"\"\",-0.5\r\n")
    }

    /// Issue 13, item 3: quoting and defusing decided on bytes, cell by cell, as RFC 4180 and
    /// the formula rule say: numbers with a sign stay numbers, other text starting = + - @ gets '.
    @Test func csvCellsAreQuotedAndDefusedOnBytes() {
        let cells = ["-1.25", "+3", "-1e5", "-", "+44 20 7946 0000", "@SUM(A1)", "-x", "a,b", "line\nbreak", "cr\rhere", "", "Zoë", "say \"hi\""]
        var writer = CSVWriter()
        writer.write(cells)
        #expect(String(decoding: writer.bytes, as: UTF8.self)
                == "-1.25,+3,-1e5,'-,'+44 20 7946 0000,'@SUM(A1),'-x,\"a,b\",\"line\nbreak\",\"cr\rhere\",,Zoë,\"say \"\"hi\"\"\"\r\n")
        var bom = CSVWriter(byteOrderMark: true)
        bom.write(["a"])
        #expect(bom.bytes == [0xEF, 0xBB, 0xBF, 0x61, 13, 10])
    }

    @Test func chartsAreDeterministic() async throws {
        let a = try await render(Fixtures.smallSchool())
        let b = try await render(Fixtures.smallSchool())
        #expect(a == b)
        let svg = SVG.groupedBars(id: "t", title: "T", description: "D", categories: ["4", "5"], series: [("DC1", [1, 2]), ("DC2", [3, 0])], yLabel: "pupils")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 300\""))
        #expect(svg.contains("<title>DC2, 4: 3</title>"))
        #expect(SVG.escape(Self.hostile) == "x&quot; onmouseover=&quot;alert(1)&quot; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
    }
}

/// The checks behind a school's own templates: what a template inserts unescaped, what it names,
/// and a parse error in words with its place.
@Suite struct TemplateCheckTests {
    @Test func unescapedAndReferencedNames() {
        let text = "<h1>{{name}}</h1>{{#rows}}<td>{{ cell }}</td>{{/rows}}{{^rows}}none{{/rows}}{{{svg}}}{{& logo }}{{! a comment }}{{> partial}}"
        #expect(ReportStyle.unescapedNames(text) == ["svg", "logo"])
        #expect(ReportStyle.referencedNames(text) == ["name", "rows", "cell", "svg", "logo"])
        // Every built-in template inserts raw only what Headway draws itself.
        #expect(ReportStyle.unescapedNames(HeadlineReport.defaultTemplate) == ["svg"])
        #expect(ReportStyle.unescapedNames(IntegrityReport.defaultTemplate).isEmpty)
    }

    @Test func aParseErrorSaysWhereAndWhat() {
        // Line 2 is `{{#a}}x{{/b}}`: `{{#a}}` is columns 1–6, `x` 7, `{{/` 8–10; the wrong name `b` is column 11.
        #expect(throws: TemplateProblem(message: "line 2, column 11: a closing tag {{/…}} does not match the section it closes: {{#a}}x{{/b}}")) {
            try ReportStyle.checkTemplate("<p>\n{{#a}}x{{/b}}\n</p>")
        }
    }
}
