import Mustache

extension ParentReport {
    /// Renders reports through one compiled template: parse once, render every pupil and tutor
    /// group with it (the speed target of issue 7: ~1,100 reports in under 10 s).
    public struct Renderer: Sendable {
        let template: MustacheTemplate

        /// Compiles `template` (the school's own, or ``ParentReport/defaultTemplate``).
        /// - Throws: the Mustache parser's error (it names the line) for a malformed template.
        public init(template: String = ParentReport.defaultTemplate) throws {
            self.template = try MustacheTemplate(string: template)
        }

        /// One HTML page holding `models` one after another, a page break between pupils; with
        /// `cover`, a cover page before them (``page(forTutorGroup:_:)``).
        public func render(_ models: [Model], title: String, cover: Cover? = nil) -> String {
            template.render(ParentReport.view(models, title: title, cover: cover))
        }

        /// One pupil's page, titled "Report name — Pupil name — School".
        public func page(for model: Model) -> String {
            render([model], title: "\(model.reportName) — \(model.pupilName) — \(model.schoolName)")
        }

        /// A tutor group's page (`models` in order), titled "Report name — Tutor group 10A — School";
        /// `name` is the tutor group as shown. It opens with a cover page (``Cover``) saying the
        /// file is for printing at school and holds N pupils' reports, so it is never sent to one
        /// family by mistake; the cover is a page of its own, so no pupil's page carries it.
        public func page(forTutorGroup name: String, _ models: [Model]) -> String {
            let reports = models.map(\.reportName).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let heading = "\(reports.joined(separator: ", ")) — Tutor group \(name)"
            let cover = Cover(heading: heading, schoolName: models.first?.schoolName ?? "",
                              count: models.count == 1 ? "1 pupil's report" : "\(models.count) pupils' reports",
                              pupils: models.map(\.pupilName))
            return render(models, title: "\(heading) — \(models.first?.schoolName ?? "")", cover: cover)
        }
    }

    /// The cover page of a file holding several pupils' reports (a tutor group's).
    public struct Cover: Hashable, Sendable {
        /// "Spring report — Tutor group 10A".
        public var heading: String
        /// The school's name.
        public var schoolName: String
        /// "28 pupils' reports" or "1 pupil's report".
        public var count: String
        /// The pupils' names in the file's order.
        public var pupils: [String]

        /// A cover page.
        public init(heading: String, schoolName: String, count: String, pupils: [String]) {
            self.heading = heading
            self.schoolName = schoolName
            self.count = count
            self.pupils = pupils
        }
    }

    /// The template's view: `title`, `cover` (a list of one object — heading, schoolName, count,
    /// pupils — for a tutor group's file, absent otherwise), and `pupils`, one object per model
    /// with its fields by name (see ``defaultTemplate``). Absent values (no logo, no attendance,
    /// no tutor group, no date, no chart, no email) have no key, so `{{#name}}…{{/name}}` leaves
    /// them out; `decimalExpected` is present (true) only when a trend shows a decimal.
    static func view(_ models: [Model], title: String, cover: Cover? = nil) -> [String: Any] {
        func put(_ d: inout [String: Any], _ key: String, _ value: String?) {
            if let value, !value.isEmpty { d[key] = value }
        }
        let pupils: [[String: Any]] = models.map { m in
            var p: [String: Any] = [
                "schoolName": m.schoolName, "pupilName": m.pupilName, "yearGroup": m.yearGroup,
                "reportName": m.reportName, "collectionName": m.collectionName,
                "responsible": m.responsible.map { r -> [String: Any] in
                    var d: [String: Any] = ["name": r.name, "role": r.role]
                    put(&d, "email", r.email)
                    return d
                },
                "subjects": m.subjects.map { s -> [String: Any] in
                    var d: [String: Any] = [
                        "subject": s.subject, "teachers": s.teachers, "target": s.target, "workingAt": s.workingAt, "atl": s.atl,
                        "progressSymbol": s.progress.symbol, "progressWords": s.progress.words, "progressKind": s.progress.kind,
                        "trend": s.trend.map { ["label": $0.label, "trendWorkingAt": $0.workingAt, "trendExpected": $0.expected] },
                    ]
                    put(&d, "chart", s.chart)
                    return d
                },
                "gradeNotes": m.gradeNotes, "atlNotes": m.atlNotes,
            ]
            put(&p, "logo", m.logo)
            put(&p, "tutorGroup", m.tutorGroup)
            put(&p, "attendance", m.attendance)
            put(&p, "reportDate", m.reportDate)
            put(&p, "collectionKey", ParentReport.listInWords(m.collections.map(\.name)))
            if m.decimalExpected { p["decimalExpected"] = true }
            return p
        }
        var view: [String: Any] = ["title": title, "pupils": pupils]
        if let cover {
            view["cover"] = [["heading": cover.heading, "schoolName": cover.schoolName, "count": cover.count, "coverPupils": cover.pupils] as [String: Any]]
        }
        return view
    }

    /// Items joined as a sentence would: "A", "A and B", "A, B and C"; "" for none.
    public static func listInWords(_ items: [String]) -> String {
        items.count <= 2 ? items.joined(separator: " and ") : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// The built-in report: A4 portrait, each pupil on two printed pages — one sheet double-sided:
    /// the grades, then "How to read this report" (issue 12, item 8: at 9 pt or more the key no
    /// longer fits under ten subjects; before, one page at 7 pt). A pupil with ten subjects fits
    /// their first page, in a pupil's own file and in a
    /// tutor group's alike: the print layout has fixed column widths, so nothing overflows and
    /// Chromium never shrinks one file differently from another); a tutor group's file opens
    /// with a cover page saying it is for printing at school. Every value escaped (`{{ }}`); only
    /// the trend charts, which ``SVG`` draws with every text escaped, are inserted raw
    /// (`{{{chart}}}`). Self-contained: inline CSS and SVG, no scripts, no external assets or web
    /// fonts. A school may replace it (`parent-report.mustache`).
    public static let defaultTemplate = #"""
    <!DOCTYPE html>
    <html lang="en-GB">
    <head>
    <meta charset="utf-8">
    <title>{{title}}</title>
    {{! Headway parent report. Fields: title; cover (tutor-group files only: heading, schoolName, count, coverPupils);
        pupils (one per report): schoolName, logo (a data: URI), reportName, reportDate, collectionName, pupilName, yearGroup,
        tutorGroup, attendance, responsible (name, role, email), subjects (subject, teachers, target, workingAt, atl,
        progressSymbol, progressWords, progressKind, chart, trend: label, trendWorkingAt, trendExpected), collectionKey,
        decimalExpected, gradeNotes, atlNotes. Keep double braces for every value: they escape it. }}
    <style>
    \#(ReportStyle.base)
    @page { size: A4; margin: 12mm; }
    body { max-width: 50rem; font-size: 10pt; line-height: 1.3; }
    section.cover { border: 3px solid #922b21; padding: .8rem 1rem; margin-bottom: 1.5rem; break-after: page; page-break-after: always; }
    section.cover .warning { font-size: 1.2rem; font-weight: 700; color: #922b21; margin: .3rem 0; }
    section.cover ol { columns: 2; font-size: 9pt; }
    article.pupil { break-after: page; page-break-after: always; }
    article.pupil:last-of-type { break-after: auto; page-break-after: auto; }
    header.school { display: flex; align-items: center; gap: 1rem; border-bottom: 2px solid #1b4f72; padding-bottom: .3rem; }
    header.school img.logo { max-height: 16mm; max-width: 40mm; }
    .school-name { font-size: 1.1rem; font-weight: 700; margin: 0; }
    header.school h1 { font-size: 1.25rem; margin: .1rem 0 0; }
    header.school .kind { margin: 0; color: #444; }
    dl.details { display: grid; grid-template-columns: max-content auto; gap: .05rem 1rem; margin: .4rem 0; }
    dl.details dt { font-weight: 600; }
    dl.details dd { margin: 0; overflow-wrap: anywhere; }
    table.subjects { width: 100%; table-layout: fixed; font-size: 9pt; line-height: 1.2; margin: .3rem 0 .4rem; }
    table.subjects caption { font-size: 10pt; padding: .1rem 0; }
    table.subjects > * > tr > th, table.subjects > * > tr > td { padding: .1rem .3rem; }
    table.subjects > * > tr > td { overflow-wrap: break-word; }
    table.subjects col.subject { width: 15%; } table.subjects col.target { width: 7%; } table.subjects col.working { width: 8%; }
    table.subjects col.atl { width: 11%; } table.subjects col.progress { width: 12%; } table.subjects col.trend { width: 47%; }
    table.subjects > thead th { font-size: 9pt; overflow-wrap: normal; word-break: normal; hyphens: manual; }
    table.subjects tr { break-inside: avoid; page-break-inside: avoid; }
    table.subjects th[scope=row] { font-weight: 600; }
    table.subjects .teacher { display: block; font-weight: 400; color: #444; }
    td.progress .symbol { font-size: 1.1em; }
    td.above { background: #e3f1e6; } td.on-track { background: #e6eef6; }
    td.below { background: #fbf0dc; } td.well-below { background: #f8e1df; } td.none { color: #444; }
    td.trend { padding: 0 .2rem; }
    td.trend .pair { display: flex; align-items: center; gap: .3rem; }
    td.trend svg { flex: none; }
    table.trend-data { font-size: 9pt; line-height: 1.1; margin: 0; border: 0; width: auto; }
    table.trend-data th, table.trend-data td { border: 0; padding: 0 .15rem; background: none; font-weight: 400; }
    table.trend-data tbody th, table.trend-data td { white-space: nowrap; }
    table.trend-data thead th { font-weight: 600; white-space: normal; vertical-align: bottom; }
    section.explain { font-size: 9pt; line-height: 1.2; break-inside: avoid; page-break-inside: avoid; border-top: 1px solid #ccc; }
    section.explain h2 { font-size: 10pt; margin: .3rem 0 .1rem; }
    section.explain p, section.explain ul { margin: .1rem 0; }
    section.explain ul { padding-left: 1.1rem; }
    @media screen { article.pupil + article.pupil { border-top: 4px double #999; margin-top: 2rem; padding-top: 1rem; } }
    @media print {
      body { font-size: 9pt; max-width: none; margin: 0; padding: 0; }
      /* Issue 12, item 8: nothing under 9 pt, so the key no longer fits under ten subjects; it
         starts the pupil's second page, and every pupil is exactly two pages: one sheet printed
         double-sided. */
      section.explain { break-before: page; page-break-before: always; border-top: 0; }
      section.cover { margin: 0; }
    }
    </style>
    </head>
    <body>
    {{#cover}}
    <section class="cover" aria-label="About this file">
    <p class="school-name">{{schoolName}}</p>
    <h1>{{heading}}</h1>
    <p class="warning">For printing at school — this file contains {{count}}; do not send this file to parents or carers.</p>
    <p>Each family should receive only their own child's report: send each pupil's own file (one file per pupil), or hand out the printed pages one per pupil. The pupils in this file, one page each, in order:</p>
    <ol>{{#coverPupils}}<li>{{.}}</li>{{/coverPupils}}</ol>
    </section>
    {{/cover}}
    {{#pupils}}
    <article class="pupil">
    <header class="school">
    {{#logo}}<img class="logo" src="{{logo}}" alt="{{schoolName}} logo">{{/logo}}
    <div>
    <p class="school-name">{{schoolName}}</p>
    <h1>{{reportName}}</h1>
    <p class="kind">Report to parents and carers{{#reportDate}} · {{reportDate}}{{/reportDate}}</p>
    </div>
    </header>
    <dl class="details">
    <dt>Pupil</dt><dd>{{pupilName}}</dd>
    <dt>Year group</dt><dd>{{yearGroup}}{{#tutorGroup}}, tutor group {{tutorGroup}}{{/tutorGroup}}</dd>
    {{#attendance}}<dt>Attendance this year</dt><dd>{{attendance}}</dd>{{/attendance}}
    <dt>Responsible for progress</dt><dd>{{#responsible}}{{name}}, {{role}}{{#email}} ({{email}}){{/email}}<br>{{/responsible}}{{^responsible}}Please contact the school office.{{/responsible}}</dd>
    </dl>
    <table class="subjects">
    <caption>Subjects — grades from {{collectionName}}</caption>
    <colgroup><col class="subject"><col class="target"><col class="working"><col class="atl"><col class="progress"><col class="trend"></colgroup>
    <thead><tr><th scope="col">Subject and teacher</th><th scope="col">Target</th><th scope="col">Working at</th><th scope="col">Attitude to learning</th><th scope="col">Progress</th><th scope="col">This year so far</th></tr></thead>
    <tbody>
    {{#subjects}}
    <tr>
    <th scope="row">{{subject}}<span class="teacher">{{teachers}}</span></th>
    <td>{{target}}</td>
    <td>{{workingAt}}</td>
    <td>{{atl}}</td>
    <td class="progress {{progressKind}}"><span class="symbol">{{progressSymbol}}</span> {{progressWords}}</td>
    <td class="trend"><div class="pair">{{#chart}}{{{chart}}}{{/chart}}
    <table class="trend-data"><thead><tr><th scope="col"></th><th scope="col">Working at</th><th scope="col">Expected</th></tr></thead>
    <tbody>{{#trend}}<tr><th scope="row">{{label}}</th><td>{{trendWorkingAt}}</td><td>{{trendExpected}}</td></tr>{{/trend}}</tbody></table></div></td>
    </tr>
    {{/subjects}}
    {{^subjects}}<tr><td colspan="6">No subjects are recorded for this pupil yet.</td></tr>{{/subjects}}
    </tbody>
    </table>
    <section class="explain">
    <h2>How to read this report</h2>
    <ul>
    <li><strong>Working at</strong> is the grade your child's work shows now, from their teacher's assessment. "Not yet assessed": no grade has been recorded in that subject for this report yet. "Not assessed this time": your child could not be assessed, for example because they were absent.</li>
    <li><strong>Target</strong> is the grade we aim for your child to reach by the end of Year 11, set high from their Key Stage 2 results (the tests at the end of primary school). "No target": none is set in that subject yet, usually because we have no Key Stage 2 results for your child or targets are still being set; progress cannot then be measured, but the teacher can tell you how your child is doing.</li>
    <li><strong>Expected</strong> is the grade a pupil on course for their target would be working at by now. It starts well below the target in Year 7 and rises a little each time grades are recorded, reaching the target at the end of Year 11 — so in the early years your child can be ahead of expected progress while still working below their target.{{#decimalExpected}} An expected grade with a decimal lies between two grades: 2.5 is halfway between a 2 and a 3.{{/decimalExpected}}</li>
    <li><strong>Progress</strong> compares the working-at grade with the expected grade: ▲ Ahead of expected progress — half a grade or more above it; ● On track — within half a grade of it; ▽ Behind expected progress — half a grade to a grade and a half below it; ▼ Well behind expected progress — a grade and a half or more below it. ○: progress could not be measured this time; the words beside it say why.</li>
    <li><strong>This year so far</strong>: the grade your child was working at each time grades were recorded this year{{#collectionKey}} ({{collectionKey}}){{/collectionKey}}, as a solid line with dots (a gap means no grade that time), and the expected grade as a dashed line with diamonds; the table beside the chart gives the same grades.</li>
    {{#gradeNotes}}<li>{{.}}</li>{{/gradeNotes}}
    {{#atlNotes}}<li><strong>Attitude to learning</strong> shows how your child approaches learning in lessons: effort, focus, homework and behaviour. {{.}} "Not recorded" means the teacher has not given one yet.</li>{{/atlNotes}}
    </ul>
    <p>If you have a question about a subject, please contact the teacher named beside it; about your child's progress overall, the member of staff responsible for their year.</p>
    </section>
    </article>
    {{/pupils}}
    </body>
    </html>
    """#
}
