import HeadwayAnalytics
import HeadwayCore
import Mustache

/// Parent–carer meeting sheets (issue 7, item 2; "parents' evening sheets"): for each teacher,
/// a printed sheet per class they teach (each class starts a new page; a long class continues
/// with its name and column headings repeated), listing every pupil with what the teacher needs at the
/// table — tutor group, target, working-at now and at the previous collection, attitude to
/// learning, progress in words and symbol, the flags a teacher is expected to know (PP, K, E,
/// EAL), the interventions the pupil is in — and a blank column for notes.
///
/// A teacher sees only their own classes (DOMAIN.md, "Who may see what"). Pure: the caller
/// loads the year, evaluates progress and writes one file per teacher.
public enum MeetingSheets {
    /// One pupil's line.
    public struct Row: Hashable, Sendable {
        /// "Forename Surname".
        public var name: String
        /// The pupil's tutor group, `–` when none.
        public var tutorGroup: String
        /// Target grade (``LeaderPack`` text: code and label), `–` when none.
        public var target: String
        /// Working-at at the sheet's collection.
        public var workingAt: String
        /// Working-at at the previous collection of the pupil's year group; `–` when none.
        public var previous: String
        /// ATL with its label, e.g. `2 Good`.
        public var atl: String
        /// `above`, `on track`, `below`, `well below`, or why there is none (`no grade`, `no target`).
        public var progress: String
        /// ▲ ● ▽ ▼, or `–` when there is no status.
        public var symbol: String
        /// `PP` (disadvantaged: pupil premium), `K` (SEN support), `E` (EHC plan), `EAL`, in that order.
        public var flags: [String]
        /// The interventions the pupil is in this year: "title (type)".
        public var interventions: [String]
    }

    /// One class's page.
    public struct ClassSheet: Hashable, Sendable {
        /// The class code, e.g. `10X/Ma1`.
        public var code: String
        /// The subject's name.
        public var subject: String
        /// The class's year group.
        public var yearGroup: Int
        /// Every teacher of the class, e.g. "Ms Smith (JSM)".
        public var teachers: [String]
        /// The previous collection's name for this year group; nil at its first collection.
        public var previousCollection: String?
        /// Pupils sorted by surname, forename (case ignored), then id.
        public var rows: [Row]
    }

    /// One teacher's sheets.
    public struct Model: Hashable, Sendable {
        /// The school's name, for the heading.
        public var schoolName: String
        /// The academic year, e.g. `2026/27`.
        public var academicYear: String
        /// The collection whose data the sheets show.
        public var collection: String
        /// The meeting, e.g. "Y10 parents' evening, 17 March 2027"; nil when the sheets are for no
        /// particular event.
        public var event: String?
        /// "Ms Smith"; the staff code apart.
        public var teacherName: String
        /// The teacher's staff code, e.g. `JSM` (also the file name).
        public var teacherCode: String
        /// When the sheets were produced, as given by the caller (reports read no clock).
        public var generated: String
        /// The teacher's classes, by year group then class code.
        public var classes: [ClassSheet]
    }

    /// The sheets of every teacher with at least one class (or only `teacher`'s), one model per
    /// teacher in staff-code order.
    ///
    /// - Parameters:
    ///   - index: the indexed year.
    ///   - evaluation: its progress statuses (``ProgressStatus/evaluate(_:flightPaths:thresholds:)``).
    ///   - collection: the collection whose data the sheets show.
    ///   - yearGroups: only classes of these year groups (a parents' meeting's); nil for all.
    ///   - teacher: only this teacher; nil for everyone. A teacher with no class (in `yearGroups`)
    ///     gets no model.
    ///   - event: the meeting, for the heading (its name and date).
    ///   - generated: text for "generated …".
    public static func models(_ index: YearIndex, evaluation: ProgressStatus.Evaluation, collection: DataCollection,
                              yearGroups: Set<Int>? = nil, teacher: Staff.ID? = nil, event: ReportingEvent? = nil,
                              generated: String) -> [Model] {
        let year = index.year
        let groups = year.teachingGroups.filter { g in yearGroups.map { $0.contains(g.yearGroup) } ?? true }
        var byTeacher: [Staff.ID: [TeachingGroup]] = [:]
        for group in groups {
            for t in Set(group.teachers) where teacher == nil || t == teacher { byTeacher[t, default: []].append(group) }
        }
        let interventionsOf = Dictionary(grouping: year.interventions.flatMap { i in i.pupils.map { ($0, i) } }, by: \.0)
            .mapValues { $0.map(\.1).sorted { ($0.starts, $0.id) < ($1.starts, $1.id) } }
        let eventText = event.map { "\($0.name), \(LeaderPack.longDate($0.date))" }
        return byTeacher.keys.sorted().map { code in
            let classes = byTeacher[code]!.sorted { ($0.yearGroup, $0.id) < ($1.yearGroup, $1.id) }.map { group in
                sheet(group, index: index, evaluation: evaluation, collection: collection, interventionsOf: interventionsOf)
            }
            return Model(schoolName: year.school.name, academicYear: year.academicYear.description, collection: collection.name,
                         event: eventText, teacherName: index.staff[code]?.displayName ?? code.rawValue, teacherCode: code.rawValue,
                         generated: generated, classes: classes)
        }
    }

    static func sheet(_ group: TeachingGroup, index: YearIndex, evaluation: ProgressStatus.Evaluation, collection: DataCollection,
                      interventionsOf: [Pupil.ID: [Intervention]]) -> ClassSheet {
        let year = index.year
        let previous = LeaderPack.previous(collection, in: year, yearGroup: group.yearGroup)
        var seen = Set<Pupil.ID>()
        let pupils = group.pupils.filter { seen.insert($0).inserted }.map { id in
            index.pupils[id] ?? Pupil(id: id, yearGroup: group.yearGroup)
        }.sorted {
            ($0.surname.lowercased(), $0.forename.lowercased(), $0.id) < ($1.surname.lowercased(), $1.forename.lowercased(), $1.id)
        }
        let rows = pupils.map { pupil -> Row in
            let pair = index.pair(pupil.id, group.subject) ?? YearIndex.PupilSubject(pupil.id, group.subject)
            let entry = index.entry(collection.id, pair)
            let pupilPrevious = LeaderPack.previous(collection, in: year, yearGroup: pupil.yearGroup) ?? previous
            let status = evaluation.status(pupil: pupil.id, subject: group.subject, collection: collection.id)
            let target = index.target(of: pair)?.grade
            let progress: String, symbol: String
            if let status {
                progress = status.band.description
                symbol = status.band.symbol
            } else {
                symbol = "–"
                if case .grade? = entry?.workingAt {
                    progress = target == nil ? "no target" : "no status"
                } else {
                    progress = "no grade"
                }
            }
            return Row(name: pupil.displayName, tutorGroup: pupil.tutorGroup ?? "–", target: LeaderPack.text(target),
                       workingAt: LeaderPack.text(entry?.workingAt),
                       previous: pupilPrevious.map { LeaderPack.text(index.workingAt($0.id, pair)) } ?? "–",
                       atl: LeaderPack.text(entry?.atl), progress: progress, symbol: symbol, flags: flags(pupil),
                       interventions: (interventionsOf[pupil.id] ?? []).map { "\($0.title) (\($0.type.words))" })
        }
        return ClassSheet(code: group.id.rawValue, subject: index.subjects[group.subject]?.name ?? group.subject.rawValue,
                          yearGroup: group.yearGroup, teachers: group.teachers.map(index.staffName), previousCollection: previous?.name,
                          rows: rows)
    }

    /// `PP` when disadvantaged (pupil premium), `K` SEN support, `E` EHC plan, `EAL`.
    static func flags(_ pupil: Pupil) -> [String] {
        var out: [String] = []
        if pupil.isDisadvantaged == true { out.append("PP") }
        switch pupil.senStatus {
        case .senSupport?: out.append("K")
        case .ehcPlan?: out.append("E")
        default: break
        }
        if pupil.characteristics[Characteristic.eal] == "true" { out.append("EAL") }
        return out
    }

    /// Renders one teacher's sheets as one self-contained HTML page (A4 landscape). Printed, each
    /// class starts a new page; a class longer than a page continues on the next with the class
    /// name and the column headings repeated (a `<thead>` shown on every page), rows are never
    /// split, and the key sits above the table so it never lands on a page of its own.
    /// - Parameter template: a school's own Mustache template instead of ``defaultTemplate``.
    /// - Throws: the template's parse error.
    public static func render(_ model: Model, template: String = MeetingSheets.defaultTemplate) throws -> String {
        try LeaderPack.render(view(model), template: template)
    }

    /// The Mustache view: every value a display-ready string.
    static func view(_ model: Model) -> [String: Any] {
        [
            "schoolName": model.schoolName, "academicYear": model.academicYear, "collection": model.collection,
            // A list of 0 or 1 values: an empty string would still open a Mustache section.
            "event": model.event.map { [$0] } ?? [],
            "teacherName": model.teacherName, "teacherCode": model.teacherCode,
            "generated": model.generated, "bandsExplained": LeaderPack.bandsExplained,
            "classes": model.classes.map { c -> [String: Any] in
                [
                    "code": c.code, "subject": c.subject, "yearGroup": String(c.yearGroup), "teachers": c.teachers.joined(separator: ", "),
                    "previousCollection": c.previousCollection.map { [$0] } ?? [], "pupilCount": String(c.rows.count),
                    "rows": c.rows.map { r -> [String: Any] in
                        [
                            "name": r.name, "tutorGroup": r.tutorGroup, "target": r.target, "workingAt": r.workingAt,
                            "previous": r.previous, "atl": r.atl, "progress": r.progress, "symbol": r.symbol,
                            "flags": r.flags.joined(separator: " "), "interventions": r.interventions,
                            "hasInterventions": !r.interventions.isEmpty,
                        ]
                    },
                ]
            },
        ]
    }

    /// The built-in page. Every value is escaped (`{{ }}`); there is no chart, so nothing is
    /// inserted raw.
    public static let defaultTemplate = #"""
    <!DOCTYPE html>
    <html lang="en-GB">
    <head>
    <meta charset="utf-8">
    <title>Meeting sheets — {{teacherName}} ({{teacherCode}}) — {{collection}}</title>
    <style>
    \#(ReportStyle.base)
    @page { size: A4 landscape; margin: 12mm; }
    body { max-width: none; }
    section.sheet + section.sheet { break-before: page; }
    h1 { font-size: 1.4rem; break-after: avoid; }
    header, .key { break-inside: avoid; break-after: avoid; }
    table.pupils { width: 100%; table-layout: fixed; font-size: .8rem; line-height: 1.25; margin-bottom: .5rem; }
    table.pupils th, table.pupils td { padding: .1rem .3rem; }
    table.pupils td { overflow-wrap: anywhere; }
    table.pupils th { overflow-wrap: normal; word-break: normal; hyphens: manual; }
    table.pupils thead { display: table-header-group; }
    table.pupils tr { break-inside: avoid; page-break-inside: avoid; }
    table.pupils tr.class-name th { background: #1b4f72; color: #fff; font-weight: 600; }
    col.name { width: 13%; } col.tutor { width: 6%; } col.grade { width: 6.5%; } col.atl { width: 12%; } col.progress { width: 9%; }
    col.flags { width: 6%; } col.interventions { width: 18%; } col.notes { width: 16.5%; }
    td.progress { white-space: nowrap; }
    .key { font-size: .75rem; color: #333; }
    .flags { white-space: nowrap; font-weight: 600; }
    ul.interventions { margin: 0; padding-left: .9rem; }
    @media print {
      body { margin: 0; padding: 0; }
      h1 { font-size: 13pt; margin: 0; } .meta { font-size: 9pt; margin: 0 0 1mm; }
      table.pupils { font-size: 9pt; } caption { font-size: 9pt; padding: 0 0 1mm; } .key { font-size: 9pt; margin: 0 0 1mm; }
    }
    </style>
    </head>
    <body>
    {{#classes}}
    <section class="sheet">
    <header>
    <h1>{{code}} — {{subject}}, Year {{yearGroup}}</h1>
    <p class="meta">{{schoolName}} · {{academicYear}} · data from {{collection}}{{#previousCollection}} (previous: {{.}}){{/previousCollection}}{{#event}} · for {{.}}{{/event}} · sheets for {{teacherName}} ({{teacherCode}}) · class teachers: {{teachers}} · {{pupilCount}} pupils · generated {{generated}}</p>
    <p class="key">{{bandsExplained}} – no status: no grade entered yet, or no target. Flags: PP pupil premium (disadvantaged) · K SEN support · E EHC plan · EAL English as an additional language. Attitude to learning: 1 Excellent, 2 Good, 3 Requires improvement, 4 Cause for concern. Confidential: for the class teacher at the meeting; do not leave the sheet with a parent or carer.</p>
    </header>
    <table class="pupils">
    <caption>Pupils in {{code}}: key data for the parent–carer meeting</caption>
    <colgroup><col class="name"><col class="tutor"><col class="grade"><col class="grade"><col class="grade"><col class="atl"><col class="progress"><col class="flags"><col class="interventions"><col class="notes"></colgroup>
    <thead>
    <tr class="class-name"><th scope="colgroup" colspan="10">{{code}} — {{subject}}, Year {{yearGroup}} · {{teacherName}} ({{teacherCode}}) · {{pupilCount}} pupils</th></tr>
    <tr><th scope="col">Pupil</th><th scope="col">Tutor group</th><th scope="col">Target</th><th scope="col">Working at</th><th scope="col">Previous</th><th scope="col">Attitude to learning</th><th scope="col">Progress</th><th scope="col">Flags</th><th scope="col">Interventions</th><th scope="col">Notes</th></tr>
    </thead>
    <tbody>
    {{#rows}}<tr><th scope="row">{{name}}</th><td>{{tutorGroup}}</td><td>{{target}}</td><td>{{workingAt}}</td><td>{{previous}}</td><td>{{atl}}</td><td class="progress"><span aria-hidden="true">{{symbol}}</span> {{progress}}</td><td class="flags">{{flags}}</td><td>{{#hasInterventions}}<ul class="interventions">{{#interventions}}<li>{{.}}</li>{{/interventions}}</ul>{{/hasInterventions}}</td><td class="notes"></td></tr>
    {{/rows}}
    </tbody>
    </table>
    </section>
    {{/classes}}
    {{^classes}}<p>No classes.</p>{{/classes}}
    </body>
    </html>
    """#
}
