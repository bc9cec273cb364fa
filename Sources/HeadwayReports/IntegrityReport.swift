import HeadwayAnalytics
import HeadwayCore
import Mustache

/// The integrity report (issue 5, item 5): every ``Finding`` with its severity, the record and
/// who can fix it, as one self-contained HTML page (grouped by severity, then check, with the
/// counts at the top) and as CSV with the record's keys. Pure: the caller runs the checks and
/// writes the files.
public enum IntegrityReport {
    /// What the page shows.
    public struct Model: Sendable {
        /// The school's name, for the heading.
        public var schoolName: String
        /// The academic year, e.g. `2026/27`.
        public var academicYear: String
        /// When the report was produced, as given by the caller (reports read no clock).
        public var generated: String
        /// Errors first, as ``Integrity/check(_:completions:history:)`` returns them.
        public var findings: [Finding]

        /// A model of the given findings.
        public init(schoolName: String, academicYear: String, generated: String, findings: [Finding]) {
            self.schoolName = schoolName
            self.academicYear = academicYear
            self.generated = generated
            self.findings = findings
        }

        /// Findings of one severity.
        public func count(_ severity: Finding.Severity) -> Int { findings.filter { $0.severity == severity }.count }
    }

    /// The model for a school year's findings.
    public static func model(_ findings: [Finding], year: SchoolYear, generated: String) -> Model {
        Model(schoolName: year.school.name, academicYear: year.academicYear.description, generated: generated, findings: findings)
    }

    /// The CSV header: what, where, who, then the record's keys (blank where the finding is not
    /// about one collection, class, pupil or subject).
    public static let csvHeader = ["severity", "check", "record", "finding", "who can fix it", "staff codes",
                                   "collection", "class", "pupil", "subject"]

    /// Every finding as one CSV row.
    public static func csv(_ findings: [Finding], name: String = "integrity") -> CSVTable {
        CSVTable(name: name, header: csvHeader, rows: findings.map {
            [$0.severity.rawValue, $0.check.rawValue, $0.record, $0.message, $0.fixer, $0.fixers.map(\.rawValue).joined(separator: " "),
             $0.collection?.rawValue ?? "", $0.teachingGroup?.rawValue ?? "", $0.pupil?.rawValue ?? "", $0.subject?.rawValue ?? ""]
        })
    }

    /// The page. Every value is escaped by Mustache (`{{ }}`); the template has no raw inserts.
    /// - Parameter template: a school's own Mustache template instead of ``defaultTemplate``.
    /// - Throws: the template's parse error, if a replacement template is malformed.
    public static func html(_ model: Model, template: String = IntegrityReport.defaultTemplate) throws -> String {
        try MustacheTemplate(string: template).render(view(model))
    }

    /// What each check looks for, in a few words, for headings.
    public static func title(of check: Finding.Check) -> String {
        switch check {
        case .missingEntries: "Working-at entries not yet made"
        case .offScale: "Values not on the subject's scale"
        case .duplicatePupil: "Duplicate pupil records"
        case .swing: "Swings since the last collection"
        case .copiedForward: "Classes whose grades equal the last collection's"
        case .noClass: "Pupils in no class"
        case .missingKS2: "Pupils without KS2 results"
        case .invalidUPN: "Invalid or temporary UPNs"
        case .noUPN: "Pupils without a UPN"
        case .noTarget: "Pupils without a target"
        case .late: "Entries made after the deadline"
        case .notSat: "Pupils who did not sit (X)"
        case .gradesEqualTargets: "Classes whose grades all equal their targets"
        case .atlSpread: "Classes whose ATL is far from the teacher's other classes"
        case .characteristicChanged: "Pupil characteristics changed this year"
        }
    }

    static func view(_ model: Model) -> [String: Any] {
        let headings: [Finding.Severity: String] = [.error: "Errors", .warning: "Warnings", .info: "Notes"]
        var counts: [[String: Any]] = []
        var groups: [[String: Any]] = []
        for severity in Finding.Severity.allCases {
            let ofSeverity = model.findings.filter { $0.severity == severity }
            guard !ofSeverity.isEmpty else { continue }
            var checks: [[String: Any]] = []
            for check in Finding.Check.allCases {
                let found = ofSeverity.filter { $0.check == check }
                guard !found.isEmpty else { continue }
                counts.append(["severity": severity.rawValue, "check": check.rawValue, "title": title(of: check), "count": "\(found.count)"])
                checks.append([
                    "check": check.rawValue, "title": title(of: check), "count": "\(found.count)",
                    "findings": found.map { ["record": $0.record, "message": $0.message, "fixer": $0.fixer] },
                ])
            }
            groups.append(["severity": severity.rawValue, "heading": headings[severity]!, "count": "\(ofSeverity.count)", "checks": checks])
        }
        return [
            "schoolName": model.schoolName, "academicYear": model.academicYear, "generated": model.generated,
            "errorCount": "\(model.count(.error))", "warningCount": "\(model.count(.warning))", "infoCount": "\(model.count(.info))",
            "none": model.findings.isEmpty, "counts": counts, "severities": groups,
        ]
    }

    /// The built-in page: Mustache, every value escaped; no scripts and no external assets.
    public static let defaultTemplate = #"""
    <!DOCTYPE html>
    <html lang="en-GB">
    <head>
    <meta charset="utf-8">
    <title>{{schoolName}} — {{academicYear}} — integrity report</title>
    <style>
    \#(ReportStyle.base)
    .error h2 { color: #a4001d; } .warning h2 { color: #8a5300; } .info h2 { color: #1f4e79; }
    </style>
    </head>
    <body>
    <header>
    <h1>{{schoolName}}</h1>
    <p class="meta">Integrity report · academic year {{academicYear}} · generated {{generated}}</p>
    <p class="counts"><strong>{{errorCount}} errors</strong>, {{warningCount}} warnings, {{infoCount}} notes. Errors must be fixed before the data is published; warnings need a look; notes are for information.</p>
    </header>
    {{#none}}<p>No findings: every check passed.</p>{{/none}}
    {{^none}}
    <table>
    <caption>Findings by severity and check</caption>
    <thead><tr><th scope="col">severity</th><th scope="col">check</th><th scope="col">what it looks for</th><th scope="col">findings</th></tr></thead>
    <tbody>{{#counts}}<tr><td>{{severity}}</td><td>{{check}}</td><td>{{title}}</td><td>{{count}}</td></tr>{{/counts}}</tbody>
    </table>
    {{/none}}
    {{#severities}}
    <section class="{{severity}}">
    <h2>{{heading}} ({{count}})</h2>
    {{#checks}}
    <table>
    <caption>{{title}} — {{check}} ({{count}})</caption>
    <thead><tr><th scope="col">record</th><th scope="col">finding</th><th scope="col">who can fix it</th></tr></thead>
    <tbody>{{#findings}}<tr><td>{{record}}</td><td>{{message}}</td><td>{{fixer}}</td></tr>{{/findings}}</tbody>
    </table>
    {{/checks}}
    </section>
    {{/severities}}
    </body>
    </html>
    """#
}
