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

        /// One HTML page holding `models` one after another, a page break between pupils.
        public func render(_ models: [Model], title: String) -> String {
            template.render(ParentReport.view(models, title: title))
        }

        /// One pupil's page, titled "Report name — Pupil name — School".
        public func page(for model: Model) -> String {
            render([model], title: "\(model.reportName) — \(model.pupilName) — \(model.schoolName)")
        }

        /// A tutor group's page (`models` in order), titled "Report name — Tutor group 10A — School";
        /// `name` is the tutor group as shown.
        public func page(forTutorGroup name: String, _ models: [Model]) -> String {
            let reports = models.map(\.reportName).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return render(models, title: "\(reports.joined(separator: ", ")) — Tutor group \(name) — \(models.first?.schoolName ?? "")")
        }
    }

    /// The template's view: `title`, and `pupils`, one object per model with its fields by name
    /// (see ``defaultTemplate``). Absent values (no logo, no attendance, no tutor group, no date,
    /// no chart, no email) have no key, so `{{#name}}…{{/name}}` leaves them out.
    static func view(_ models: [Model], title: String) -> [String: Any] {
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
            put(&p, "collectionKey", m.collections.map { "\($0.label) — \($0.name)" }.joined(separator: "; "))
            return p
        }
        return ["title": title, "pupils": pupils]
    }

    /// The built-in report: A4 portrait, one pupil per page (a page break between pupils), every
    /// value escaped (`{{ }}`); only the trend charts, which ``SVG`` draws with every text
    /// escaped, are inserted raw (`{{{chart}}}`). Self-contained: inline CSS and SVG, no scripts,
    /// no external assets or web fonts. A school may replace it (`parent-report.mustache`).
    public static let defaultTemplate = #"""
    <!DOCTYPE html>
    <html lang="en-GB">
    <head>
    <meta charset="utf-8">
    <title>{{title}}</title>
    {{! Headway parent report. Fields: title; pupils (one per report): schoolName, logo (a data: URI), reportName, reportDate,
        collectionName, pupilName, yearGroup, tutorGroup, attendance, responsible (name, role, email), subjects (subject,
        teachers, target, workingAt, atl, progressSymbol, progressWords, progressKind, chart, trend: label, trendWorkingAt,
        trendExpected), collectionKey, gradeNotes, atlNotes. Keep double braces for every value: they escape it. }}
    <style>
    \#(ReportStyle.base)
    @page { size: A4; margin: 12mm; }
    body { max-width: 50rem; font-size: 10pt; line-height: 1.3; }
    article.pupil { break-after: page; page-break-after: always; }
    article.pupil:last-of-type { break-after: auto; page-break-after: auto; }
    header.school { display: flex; align-items: center; gap: 1rem; border-bottom: 2px solid #1b4f72; padding-bottom: .4rem; }
    header.school img.logo { max-height: 20mm; max-width: 40mm; }
    .school-name { font-size: 1.15rem; font-weight: 700; margin: 0; }
    header.school h1 { font-size: 1.3rem; margin: .1rem 0 0; }
    header.school .kind { margin: 0; color: #444; }
    dl.details { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; margin: .6rem 0; }
    dl.details dt { font-weight: 600; }
    dl.details dd { margin: 0; }
    table.subjects { width: 100%; font-size: 9pt; margin: .4rem 0 .6rem; }
    table.subjects caption { font-size: 10pt; }
    table.subjects tr { break-inside: avoid; page-break-inside: avoid; }
    table.subjects th[scope=row] { font-weight: 600; }
    table.subjects .teacher { display: block; font-weight: 400; color: #444; }
    td.progress { white-space: nowrap; }
    td.progress .symbol { font-size: 1.1em; }
    td.above { background: #e3f1e6; } td.on-track { background: #e6eef6; }
    td.below { background: #fbf0dc; } td.well-below { background: #f8e1df; } td.none { color: #444; }
    td.trend { padding: .1rem .3rem; }
    td.trend .pair { display: flex; align-items: center; gap: .3rem; }
    td.trend svg { flex: none; }
    table.trend-data { font-size: 7.5pt; margin: 0; border: 0; }
    table.trend-data th, table.trend-data td { border: 0; padding: 0 .25rem; background: none; font-weight: 400; }
    table.trend-data thead th { font-weight: 600; white-space: nowrap; }
    section.explain { font-size: 8.5pt; break-inside: avoid; page-break-inside: avoid; border-top: 1px solid #ccc; }
    section.explain h2 { font-size: 10pt; margin: .4rem 0 .2rem; }
    section.explain p, section.explain ul { margin: .15rem 0; }
    section.explain ul { padding-left: 1.2rem; }
    @media print { body { font-size: 9.5pt; } }
    </style>
    </head>
    <body>
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
    <li><strong>Working at</strong> is the grade your child's work shows now, from their teacher's assessment.</li>
    <li><strong>Target</strong> is the grade we aim for your child to reach by the end of Year 11, set from how they did at primary school (their Key Stage 2 tests) and aiming high.</li>
    <li><strong>Progress</strong> compares the working-at grade with the grade we would expect at this point in the course for a pupil on the way to that target: ▲ Above target — ahead of where we would expect; ● On track — about where we would expect; ▽ Below target — up to about a grade behind; ▼ Well below target — more than a grade behind. ○ means there is no measure this time, and the words say why; "Not assessed this time" means your child was not assessed (for example, they were absent).</li>
    <li><strong>This year so far</strong>: the small chart shows the grade your child was working at at each data collection this year (solid line with dots; a gap means no grade that time) and the grade expected at that point (dashed line with diamonds); the same numbers are in the table beside it.{{#collectionKey}} Collections: {{collectionKey}}.{{/collectionKey}}</li>
    {{#gradeNotes}}<li>{{.}}</li>{{/gradeNotes}}
    {{#atlNotes}}<li><strong>Attitude to learning</strong> shows how your child approaches learning in lessons: effort, focus, homework and behaviour. {{.}}</li>{{/atlNotes}}
    </ul>
    <p>If you have a question about a subject, please contact the teacher named beside it; about your child's progress overall, the member of staff responsible for their year.</p>
    </section>
    </article>
    {{/pupils}}
    </body>
    </html>
    """#
}
