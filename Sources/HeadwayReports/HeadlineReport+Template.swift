extension HeadlineReport {
    /// The built-in page: Mustache, escaped by default (`{{ }}`); only the charts, which
    /// ``SVG`` builds with every text escaped, are inserted raw (`{{{ }}}`).
    public static let defaultTemplate = #"""
    <!DOCTYPE html>
    <html lang="en-GB">
    <head>
    <meta charset="utf-8">
    <title>{{schoolName}} — {{academicYear}} — Headway report</title>
    <style>
    \#(ReportStyle.base)
    dl.summary { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
    dl.summary dt { font-weight: 600; }
    .more { color: #555; font-size: .85rem; margin-top: -1rem; }
    figure { margin: 1rem 0; } figcaption { font-size: .9rem; color: #333; } svg { max-width: 100%; height: auto; }
    </style>
    </head>
    <body>
    <header>
    <h1>{{schoolName}}</h1>
    <p class="meta">Academic year {{academicYear}} · generated {{generated}} · integrity: {{errorCount}} errors, {{warningCount}} warnings</p>
    </header>
    {{#sections}}
    <section>
    <h2>{{title}}</h2>
    {{#note}}<p>{{note}}</p>{{/note}}
    {{#charts}}<figure>{{{svg}}}<figcaption>{{title}} — data in <a href="csv/{{table}}.csv">{{table}}.csv</a></figcaption></figure>{{/charts}}
    {{#tables}}
    <table>
    <caption>{{name}} (<a href="csv/{{name}}.csv">CSV</a>)</caption>
    <thead><tr>{{#header}}<th scope="col">{{.}}</th>{{/header}}</tr></thead>
    <tbody>{{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}</tbody>
    </table>
    {{#more}}<p class="more">{{more}}</p>{{/more}}
    {{/tables}}
    </section>
    {{/sections}}
    <section>
    <h2>The data behind this report</h2>
    <dl class="summary">{{#summary}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/summary}}</dl>
    <p>Grades are in points of each subject's scale (one GCSE grade is one point). Blank, X (not assessed) and Z (not required) entries are never counted as zero: they are left out of every mean, and every mean shows how many pupils or entries (one pupil in one subject) it is based on.</p>
    </section>
    </body>
    </html>
    """#
}
