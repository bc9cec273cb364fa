extension PupilRecord {
    /// The built-in page (`pupil-record`), A4 portrait. Mustache escapes every value (`{{ }}`);
    /// only the flight path charts, which ``SVG`` draws with every text escaped, are inserted raw
    /// (`{{{svg}}}`). Each year's table keeps together on a page where it fits; the flight paths
    /// start on a new page, one chart and its table per block.
    ///
    /// Values: `schoolName`, `generated`, `pupilID`, `pupilName`, `upn` (`hasUPN`), `current`,
    /// `ks2` (`recorded`, `reading`, `maths`, `average`, `band`), `progressKey` (`symbol`, `words`,
    /// `meaning`), `flightPathRule`, `years` (`academicYear`, `yearGroup`, `keyStage`,
    /// `hasTransition`, `transition`, `transitionNote`, `tutorGroup`, `responsible`,
    /// `responsibleSource`, `hasCollections`/`noCollections`, `collections` (`name`), `subjects`
    /// (`subject`, `classAndTeachers`, `target`, `cells` (`workingAt`, `progress`, `symbol`,
    /// `band`, `atl`)), `hasInterventions`, `interventions` (`title`, `type`, `dates`,
    /// `subjects`, `runBy`)), `hasFlightPaths`, `flightPaths` (`subject`, `title`, `svg`, `rows`
    /// (`collection`, `target`, `expected`, `workingAt`, `progress`)).
    public static let defaultTemplate = #"""
    <!DOCTYPE html>
    <html lang="en-GB">
    <head>
    <meta charset="utf-8">
    <title>{{pupilName}} — pupil record — {{schoolName}}</title>
    <style>
    \#(ReportStyle.base)
    @page { size: A4; margin: 12mm; }
    body { max-width: 56rem; font-size: 10pt; }
    h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin: 1.2rem 0 .3rem; border-bottom: 2px solid #1b4f72; }
    h3 { font-size: 1rem; margin: .8rem 0 .2rem; }
    dl.facts { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; margin: .3rem 0; }
    dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
    table { width: 100%; font-size: 9pt; break-inside: avoid; }
    th[scope=row] { font-weight: 600; background: none; } .sub { display: block; font-weight: normal; color: #555; font-size: 9pt; }
    .grade, td.target { font-weight: 700; font-size: 9.5pt; } .status { white-space: nowrap; } .symbol { font-size: 9pt; }
    .atl { display: block; color: #444; font-size: 9pt; }
    .above .symbol { color: #1e6b3a; } .on-track .symbol { color: #1b4f72; } .below .symbol { color: #9a5b00; } .well-below .symbol { color: #922b21; }
    .transition { border: 2px solid #333; border-left-width: 8px; padding: .3rem .6rem; margin: 1rem 0 .3rem; break-after: avoid; }
    .transition strong { font-size: 1.05rem; }
    .year { break-inside: auto; } .year > header { break-after: avoid; }
    .key td, .key th { font-size: 9pt; }
    figure.flight-path { margin: .8rem 0; break-inside: avoid; display: grid; grid-template-columns: minmax(0, 54fr) minmax(0, 46fr); gap: .8rem; align-items: start; }
    figure.flight-path svg { width: 100%; height: auto; }
    figure.flight-path table { font-size: 9pt; margin: 0; table-layout: fixed; }
    figure.flight-path td { overflow-wrap: break-word; }
    figure.flight-path th, figure.flight-path td { padding: .1rem .25rem; }
    figure.flight-path thead th { overflow-wrap: normal; word-break: normal; hyphens: manual; font-size: 9pt; }
    figure.flight-path col.collection { width: 27%; } figure.flight-path col.target { width: 14%; } figure.flight-path col.expected { width: 17%; }
    figure.flight-path col.working { width: 20%; } figure.flight-path col.progress { width: 22%; }
    figcaption { grid-column: 1 / -1; font-weight: 600; }
    footer { margin-top: 1.5rem; color: #555; font-size: 9pt; }
    @media print { .flight-paths { break-before: page; } body { font-size: 9.5pt; } }
    </style>
    </head>
    <body>
    <header>
    <p class="meta">{{schoolName}} · Pupil record</p>
    <h1>{{pupilName}}</h1>
    <p class="meta">{{current}}{{#hasUPN}} · UPN {{upn}}{{/hasUPN}}</p>
    </header>

    <section>
    <h2>How to read this record</h2>
    <p>Each year's table shows, for every subject, the grade the pupil was <strong>working at</strong> at each data collection (a point in the year when teachers record grades), the pupil's <strong>target</strong> (the grade we aim for by the end of Year 11), and their <strong>attitude to learning</strong> (ATL: 1 Excellent, 2 Good, 3 Requires improvement, 4 Cause for concern).</p>
    <p><strong>Progress</strong> compares the working-at grade with the <strong>expected grade</strong> for that point of the course: the step the pupil would have reached on a steady climb to their target (the "flight path"). {{flightPathRule}} A symbol and a word always go together:</p>
    <table class="key">
    <caption>Progress key</caption>
    <thead><tr><th scope="col">Symbol</th><th scope="col">Progress</th><th scope="col">Meaning</th></tr></thead>
    <tbody>{{#progressKey}}<tr><td>{{symbol}}</td><td>{{words}}</td><td>{{meaning}}</td></tr>{{/progressKey}}</tbody>
    </table>
    <p>X means not assessed (for example absent), Z means not required (the subject is not taken), and — means nothing was entered. None of these counts as a grade: they are gaps, never zeros.</p>
    </section>

    <section>
    <h2>Key Stage 2 (end of primary school)</h2>
    {{#ks2.recorded}}
    <dl class="facts">
    <dt>Reading test scaled score</dt><dd>{{ks2.reading}}</dd>
    <dt>Maths test scaled score</dt><dd>{{ks2.maths}}</dd>
    <dt>Average</dt><dd>{{ks2.average}}</dd>
    <dt>Prior attainment band</dt><dd>{{ks2.band}}</dd>
    </dl>
    <p>Scaled scores run from 80 to 120; 100 is the expected standard at the end of primary school.</p>
    {{/ks2.recorded}}
    {{^ks2.recorded}}<p>No Key Stage 2 results are recorded.</p>{{/ks2.recorded}}
    </section>

    {{#years}}
    {{#hasTransition}}<div class="transition"><strong>{{transition}}</strong><br>{{transitionNote}}</div>{{/hasTransition}}
    <section class="year">
    <header>
    <h2>Year {{yearGroup}} — {{academicYear}}</h2>
    <dl class="facts">
    <dt>Key stage</dt><dd>{{keyStage}}</dd>
    <dt>Tutor group</dt><dd>{{tutorGroup}}</dd>
    <dt>Responsible for progress</dt><dd>{{responsible}} <span class="sub">{{responsibleSource}}</span></dd>
    </dl>
    </header>
    {{#hasCollections}}
    <table>
    <caption>Year {{yearGroup}}, {{academicYear}}: at each data collection, the working-at grade, progress and attitude to learning (ATL)</caption>
    <thead>
    <tr><th scope="col">Subject</th><th scope="col">Target</th>{{#collections}}<th scope="col">{{name}}<span class="sub">working at · progress · attitude to learning</span></th>{{/collections}}</tr>
    </thead>
    <tbody>
    {{#subjects}}<tr><th scope="row">{{subject}}<span class="sub">{{classAndTeachers}}</span></th><td class="target">{{target}}</td>{{#cells}}<td class="{{band}}"><span class="grade">{{workingAt}}</span> <span class="status"><span class="symbol" aria-hidden="true">{{symbol}}</span> {{progress}}</span><span class="atl">ATL {{atl}}</span></td>{{/cells}}</tr>
    {{/subjects}}
    </tbody>
    </table>
    {{/hasCollections}}
    {{#noCollections}}<p>No data collections are recorded for Year {{yearGroup}} in {{academicYear}}.</p>{{/noCollections}}
    {{#hasInterventions}}
    <h3>Support in {{academicYear}}</h3>
    <ul>{{#interventions}}<li><strong>{{title}}</strong> ({{type}}; {{subjects}}): {{dates}}, run by {{runBy}}</li>{{/interventions}}</ul>
    {{/hasInterventions}}
    </section>
    {{/years}}

    {{#hasFlightPaths}}
    <section class="flight-paths">
    <h2>Flight paths</h2>
    <p>For each subject with a target: the expected grade at every data collection from Year 7 to Year 11 (dashed), the target (dotted), and the grades the pupil was working at (solid line with dots). A missing grade leaves a gap. The table beside each chart has the same numbers.</p>
    {{#flightPaths}}
    <figure class="flight-path">
    <figcaption>{{title}}</figcaption>
    {{{svg}}}
    <table>
    <caption>{{subject}}: the chart's numbers</caption>
    <colgroup><col class="collection"><col class="target"><col class="expected"><col class="working"><col class="progress"></colgroup>
    <thead><tr><th scope="col">Collection</th><th scope="col">Target</th><th scope="col">Expected</th><th scope="col">Working at</th><th scope="col">Progress</th></tr></thead>
    <tbody>{{#rows}}<tr><td>{{collection}}</td><td>{{target}}</td><td>{{expected}}</td><td>{{workingAt}}</td><td>{{progress}}</td></tr>{{/rows}}</tbody>
    </table>
    </figure>
    {{/flightPaths}}
    </section>
    {{/hasFlightPaths}}

    <footer>{{schoolName}} · pupil record of {{pupilName}} ({{pupilID}}) · generated {{generated}} · confidential: personal data about a child</footer>
    </body>
    </html>
    """#
}
