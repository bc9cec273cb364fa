import HeadwayAnalytics
import HeadwayCore

extension LeaderPack {
    /// The year-group pack (issue 7, item 3): one year group at one collection, for its head of
    /// year — progress (status counts by band, against the previous collection, and by subject),
    /// the action lists of the collection with each pupil's reason and the member of staff
    /// responsible, the interventions of the year group with their status and measured impact,
    /// and attitude to learning (distribution by subject, mean, ATL concern and reward counts).
    /// A head of year may see their year group's pupils by name.
    public enum YearGroup {
        /// One action list as shown: the rule, its settings in words, and its pupils.
        public struct ActionListSection: Hashable, Sendable {
            /// e.g. "below target".
            public var rule: String
            /// e.g. "below target in 3 or more subjects".
            public var summary: String
            /// Pupil, tutor group, reason; sorted as ``ActionList/entries``.
            public var pupils: Table
        }

        /// What the page shows, display-ready.
        public struct Model: Hashable, Sendable {
            /// The school's name, for the heading.
            public var schoolName: String
            /// The academic year, e.g. `2026/27`.
            public var academicYear: String
            /// When the pack was produced, as given by the caller (reports read no clock).
            public var generated: String
            /// National Curriculum year group, 7–13.
            public var yearGroup: Int
            /// The collection's name.
            public var collection: String
            /// The staff responsible for the year group ("Mr Patel (RPA)"); empty when nobody is named.
            public var responsible: [String]
            /// Status counts by band at the collection beside the previous collection (entries:
            /// pupil × subject).
            public var progress: Figure
            /// Status counts by band per subject (by subject name), with mean residual.
            public var progressBySubject: Table
            /// Rule, settings in words, pupils on it — one row per list.
            public var listCounts: Table
            /// Each non-empty list with its pupils and reasons.
            public var lists: [ActionListSection]
            /// Interventions with a pupil in the year group: status at the collection and impact.
            public var interventions: Table
            /// ATL grades of the year group at the collection beside the previous collection.
            public var atl: Figure
            /// ATL per subject (by subject name): n, count per ATL grade, mean.
            public var atlBySubject: Table
            /// Pupils on the ATL concern list.
            public var atlConcern: Int
            /// Pupils on the ATL reward list.
            public var atlReward: Int
            /// The impact method in a sentence (outcome, who is compared).
            public var impactNote: String
        }

        /// The pack of `yearGroup` at `collection`.
        ///
        /// - Parameters:
        ///   - index: the indexed year.
        ///   - evaluation: its progress statuses (``ProgressStatus/evaluate(_:flightPaths:thresholds:)``).
        ///   - yearGroup: the year group, 7–13.
        ///   - collection: the collection shown.
        ///   - rules: the action-list rules (``ActionRules/standard`` by default; docs/action-lists.md).
        ///   - impact: a measuring context to reuse across packs; nil builds one with default settings.
        ///
        /// Rules: statuses are entries (pupil × subject) with a ``ProgressStatus`` at the collection;
        /// lists are ``ActionLists/compute(_:evaluation:rules:collection:)`` for the year group; an
        /// intervention belongs to the year group when any of its pupils is in it, its status is
        /// ``Intervention/status(on:)`` on the collection's publish date for the year group (lock
        /// date, deadline when no publish date), and its impact is
        /// ``InterventionImpact/Context/measure(_:)`` over all its pupils as on the same day
        /// (``InterventionImpact/Settings/asOf``: status and impact agree on whether it has
        /// happened, issue 12); ATL counts are grades on the rules' ATL scale, X/Z/blank never counted.
        /// Disclosure control (``Disclosure``) over the counts of grades: 1–4 hidden, with
        /// complements where a collection's total or the subjects' rows would give them away;
        /// pupils in each intervention rounded to the nearest 5 (republished each collection). The
        /// action lists name their pupils to the head of year, and their counts are shown.
        public static func model(_ index: YearIndex, evaluation: ProgressStatus.Evaluation, yearGroup: Int, collection: DataCollection,
                                 rules: ActionRules = .standard, impact: InterventionImpact.Context? = nil, generated: String) -> Model {
            let year = index.year
            let previous = LeaderPack.previous(collection, in: year, yearGroup: yearGroup)
            let inYear = { (pupil: Pupil.ID) in index.pupils[pupil]?.yearGroup == yearGroup }
            let subjectName = { (id: Subject.ID) in index.subjects[id]?.name ?? id.rawValue }
            let bands = ProgressStatus.Band.allCases  // worst first, as the bar chart reads left to right

            // Progress.
            func bandCounts(_ c: DataCollection?) -> (counts: [Int], unrated: Int) {
                guard let c else { return (Array(repeating: 0, count: bands.count), 0) }
                var counts = Array(repeating: 0, count: bands.count)
                for s in evaluation.statuses where s.collection == c.id && inYear(s.pupil) { counts[bands.firstIndex(of: s.band)!] += 1 }
                return (counts, evaluation.unrated.filter { $0.collection == c.id && inYear($0.pupil) }.count)
            }
            let now = bandCounts(collection), before = bandCounts(previous)
            let columns: [(collection: DataCollection, counts: (counts: [Int], unrated: Int))] = (previous.map { [($0, before)] } ?? []) + [(collection, now)]
            let categories = bands.map { "\($0.symbol) \($0)" }
            let statusesNow = evaluation.statuses.filter { $0.collection == collection.id && inYear($0.pupil) }
            let bySubject = Dictionary(grouping: statusesNow, by: \.subject)
            let subjects = bySubject.keys.sorted { (subjectName($0), $0) < (subjectName($1), $1) }

            // ATL counts, needed by the disclosure problem below.
            let atlScale = year.scales[rules.atlScale] ?? GradeScale.builtIn[rules.atlScale]
            let atlGrades = atlScale?.grades ?? []
            let atlLabels = atlGrades.map { g in g.label.map { "\(g.code) \($0)" } ?? g.code }
            let expected = index.expected(in: collection).filter { inYear($0.pupil) && index.subjects[$0.subject]?.atlScale == rules.atlScale }
            func atlCounts(_ c: DataCollection?, _ pairs: [YearIndex.PupilSubject]) -> [Int] {
                var counts = Array(repeating: 0, count: atlGrades.count)
                guard let c else { return counts }
                for pair in pairs {
                    guard case .grade(let g)? = index.entry(c.id, pair)?.atl, let k = atlGrades.firstIndex(where: { $0.code == g.code }) else { continue }
                    counts[k] += 1
                }
                return counts
            }
            let atlColumns = (previous.map { [$0] } ?? []) + [collection]
            let atlAll = atlColumns.map { atlCounts($0, expected) }
            let atlSubjects = Dictionary(grouping: expected, by: \.subject).sorted { (subjectName($0.key), $0.key) < (subjectName($1.key), $1.key) }
                .map { (subject: $0.key, counts: atlCounts(collection, $0.value)) }.filter { $0.counts.reduce(0, +) > 0 }

            // Disclosure control (``Disclosure``) over the pack's counts of grades (pupil ×
            // subject): bands and ATL grades per collection add up to the collection's total (which
            // the percentages give away, so it counts as shown), and the subjects' rows add up to
            // this collection's.
            var page = Disclosure.Problem()
            for (c, counts) in columns {
                for (b, n) in zip(bands, counts.counts) { page.count("\(c.id) \(b)", n) }
                page.count("\(c.id) with a status", counts.counts.reduce(0, +))
                page.sum("\(c.id) with a status", of: bands.map { "\(c.id) \($0)" })
                page.count("\(c.id) no status", counts.unrated)
            }
            for s in subjects {
                let own = bySubject[s]!
                page.count("\(s) with a status", own.count)
                for b in bands { page.count("\(s) \(b)", own.count(where: { $0.band == b })) }
                page.sum("\(s) with a status", of: bands.map { "\(s) \($0)" })
            }
            page.sum("\(collection.id) with a status", of: subjects.map { "\($0) with a status" })
            for b in bands { page.sum("\(collection.id) \(b)", of: subjects.map { "\($0) \(b)" }) }
            for (c, counts) in zip(atlColumns, atlAll) {
                for (label, n) in zip(atlLabels, counts) { page.count("\(c.id) ATL \(label)", n) }
                page.count("\(c.id) ATL", counts.reduce(0, +))
                page.sum("\(c.id) ATL", of: atlLabels.map { "\(c.id) ATL \($0)" })
            }
            for (s, counts) in atlSubjects {
                for (label, n) in zip(atlLabels, counts) { page.count("\(s) ATL \(label)", n) }
                page.count("\(s) ATL", counts.reduce(0, +))
                page.sum("\(s) ATL", of: atlLabels.map { "\(s) ATL \($0)" })
            }
            page.sum("\(collection.id) ATL", of: atlSubjects.map { "\($0.subject) ATL" })
            for label in atlLabels { page.sum("\(collection.id) ATL \(label)", of: atlSubjects.map { "\($0.subject) ATL \(label)" }) }
            let hidden = page.solve()
            /// A count with its share of `total`: the reason's words when hidden, the count alone
            /// when the total is hidden.
            func cell(_ key: String, _ n: Int, of totalKey: String, _ total: Int) -> String {
                if let reason = hidden[key] { return reason.words }
                return hidden[totalKey] == nil ? "\(n) (\(LeaderPack.percent(n, of: total)))" : String(n)
            }

            let progressTitle = "Year \(yearGroup): grades by progress band at \(collection.name)"
            let progress = Figure(
                title: progressTitle,
                svg: SVG.groupedBars(
                    id: "progress-Y\(yearGroup)", title: progressTitle,
                    description: "Bar chart: the number of Year \(yearGroup) grades (pupil × subject) in each progress band — well below, below, on track, above, from left to right —"
                        + (previous.map { " at \($0.name) (first bar) and at \(collection.name) (second bar, hatched)." } ?? " at \(collection.name).")
                        + " Grades with no status (not graded, no target) are counted in the table only; figures hidden to protect a small group are not drawn.",
                    categories: categories,
                    series: columns.map { c, counts in (name: c.name, values: zip(bands, counts.counts).map { hidden["\(c.id) \($0)"] == nil ? Double($1) : .nan }) },
                    yLabel: "grades"),
                table: Table(name: "progress", caption: "Year \(yearGroup): grades in each progress band (percent of grades with a status)",
                             header: ["band"] + columns.map(\.collection.name),
                             rows: bands.enumerated().map { i, band in
                                 [categories[i]] + columns.map { c, counts in
                                     cell("\(c.id) \(band)", counts.counts[i], of: "\(c.id) with a status", counts.counts.reduce(0, +))
                                 }
                             } + [["no status"] + columns.map { c, counts in hidden["\(c.id) no status"]?.words ?? String(counts.unrated) }]))

            let progressBySubject = Table(
                name: "progress-by-subject", caption: "Year \(yearGroup): progress by subject at \(collection.name)",
                header: ["subject", "grades with a status"] + bands.reversed().map { "\($0.symbol) \($0)" } + ["mean residual"],
                rows: subjects.map { s -> [String] in
                    let own = bySubject[s]!
                    let counts: [String] = bands.reversed().map { b in hidden["\(s) \(b)"]?.words ?? String(own.count(where: { $0.band == b })) }
                    let mean = hidden["\(s) with a status"].map(\.otherWords)
                        ?? LeaderPack.signed(own.map(\.residual).reduce(0, +) / Double(own.count))
                    return [subjectName(s), hidden["\(s) with a status"]?.words ?? String(own.count)] + counts + [mean]
                })

            // Action lists.
            let lists = ActionLists.compute(index, evaluation: evaluation, rules: rules, collection: collection.id).filter { $0.yearGroup == yearGroup }
            let listCounts = Table(name: "action-lists", caption: "Year \(yearGroup): action lists at \(collection.name)",
                                   header: ["list", "rule", "pupils"],
                                   rows: lists.map { [$0.rule.words, $0.summary, String($0.entries.count)] })
            let sections = lists.filter { !$0.entries.isEmpty }.map { list in
                ActionListSection(rule: list.rule.words, summary: list.summary, pupils: Table(
                    name: "list-\(list.rule.slug)", caption: "\(list.rule.words): \(list.summary) — \(list.entries.count) pupil\(list.entries.count == 1 ? "" : "s")",
                    header: ["pupil", "tutor group", "reason"],
                    rows: list.entries.map { [$0.pupil.displayName, $0.pupil.tutorGroup ?? "–", $0.reason] }))
            }
            let responsible = year.responsibleStaff(forYearGroup: yearGroup).map { index.staffName($0.id) }

            // Interventions.
            let context = impact ?? InterventionImpact.Context(index)
            let date = LeaderPack.date(of: collection, yearGroup: yearGroup, in: year)
            let own = year.interventions.filter { $0.pupils.contains(where: inYear) }.sorted { ($0.starts, $0.id) < ($1.starts, $1.id) }
            let interventions = Table(
                name: "interventions", caption: "Interventions with Year \(yearGroup) pupils"
                    + (date.map { ": status and impact as on \(LeaderPack.longDate($0))" } ?? ""),
                header: ["intervention", "type", "owner", "Year \(yearGroup) pupils (all), to the nearest 5", "dates", "status", "impact", "effect", "95% low", "95% high"],
                rows: own.map { i in
                    let measured = context.asOf(date).measure(i)
                    let effect = [measured.overall.effect.map { LeaderPack.signed($0) } ?? "–"] + LeaderPack.bounds(measured.overall.interval)
                    let dates = "\(LeaderPack.longDate(i.starts)) to " + (i.ends.map(LeaderPack.longDate) ?? "no end date")
                    return ["\(i.id) \(i.title)", i.type.words, index.staffName(i.owner), "\(Disclosure.roundedCount(i.pupils.filter(inYear).count)) (\(Disclosure.roundedCount(i.pupils.count)))",
                            dates, date.map { i.status(on: $0).rawValue } ?? "–", verdictWords(measured.verdict, minimumPupils: context.settings.minimumPupils)]
                        + effect
                })
            let impactNote = "Impact: how much more the pupils' \(context.settings.outcome.words) changed, from the last collection before the intervention to the first after it, than that of matched pupils not in it (same year group, subject, KS2 band and starting grade); 95% intervals; fewer than \(context.settings.minimumPupils) matched pupils on either side is too few to judge. Method: docs/intervention-impact.md."

            // ATL.
            let atlTitle = "Year \(yearGroup): attitude to learning grades at \(collection.name)"
            let atl = Figure(
                title: atlTitle,
                svg: SVG.groupedBars(
                    id: "atl-Y\(yearGroup)", title: atlTitle,
                    description: "Bar chart: the number of Year \(yearGroup) attitude-to-learning grades (pupil × subject) at each grade, \(atlLabels.joined(separator: ", ")) from left to right,"
                        + (previous.map { " at \($0.name) (first bar) and at \(collection.name) (second bar, hatched)." } ?? " at \(collection.name).")
                        + " Figures hidden to protect a small group are not drawn.",
                    categories: atlLabels,
                    series: zip(atlColumns, atlAll).map { c, counts in
                        (name: c.name, values: zip(atlLabels, counts).map { hidden["\(c.id) ATL \($0)"] == nil ? Double($1) : .nan })
                    },
                    yLabel: "grades"),
                table: Table(name: "atl", caption: "Year \(yearGroup): attitude to learning grades (\(atlScale?.higherIsBetter == false ? "lower is better" : "higher is better"))",
                             header: ["ATL"] + atlColumns.map(\.name),
                             rows: atlLabels.enumerated().map { k, label in
                                 [label] + zip(atlColumns, atlAll).map { c, counts in cell("\(c.id) ATL \(label)", counts[k], of: "\(c.id) ATL", counts.reduce(0, +)) }
                             }))
            let atlBySubject = Table(
                name: "atl-by-subject", caption: "Year \(yearGroup): attitude to learning by subject at \(collection.name)",
                header: ["subject", "n"] + atlLabels + ["mean"],
                rows: atlSubjects.map { s, counts -> [String] in
                    let n = counts.reduce(0, +)
                    let mean = zip(atlGrades, counts).reduce(0.0) { $0 + $1.0.points * Double($1.1) } / Double(n)
                    let nHidden = hidden["\(s) ATL"]
                    return [subjectName(s), nHidden?.words ?? String(n)] + zip(atlLabels, counts).map { hidden["\(s) ATL \($0)"]?.words ?? String($1) }
                        + [nHidden.map(\.otherWords) ?? LeaderPack.decimal(mean)]
                })
            let count = { (rule: ActionRules.Rule) in lists.first { $0.rule == rule }?.entries.count ?? 0 }

            return Model(schoolName: year.school.name, academicYear: year.academicYear.description, generated: generated, yearGroup: yearGroup,
                         collection: collection.name, responsible: responsible, progress: progress, progressBySubject: progressBySubject,
                         listCounts: listCounts, lists: sections, interventions: interventions, atl: atl, atlBySubject: atlBySubject,
                         atlConcern: count(.atlConcern), atlReward: count(.atlReward), impactNote: impactNote)
        }

        /// A verdict in words for a table cell.
        static func verdictWords(_ verdict: InterventionImpact.Verdict, minimumPupils: Int) -> String {
            switch verdict {
            case .notYetMeasurable(let reason): "not yet measurable: \(reason)"
            case .tooFewToJudge: "too few pupils to judge (fewer than \(minimumPupils) matched on a side)"
            case .measured(.aboveZero): "gained more than matched pupils (measurable)"
            case .measured(.belowZero): "gained less than matched pupils (measurable)"
            case .measured(.spansZero): "no measurable difference"
            }
        }

        /// Renders the pack as one self-contained HTML page.
        /// - Parameter template: a school's own Mustache template instead of ``defaultTemplate``.
        /// - Throws: the template's parse error.
        public static func render(_ model: Model, template: String = YearGroup.defaultTemplate) throws -> String {
            try LeaderPack.render(view(model), template: template)
        }

        static func view(_ model: Model) -> [String: Any] {
            [
                "schoolName": model.schoolName, "academicYear": model.academicYear, "generated": model.generated,
                "yearGroup": String(model.yearGroup), "collection": model.collection,
                "responsible": model.responsible.isEmpty ? "nobody named (headway responsibility set)" : model.responsible.joined(separator: ", "),
                "bandsExplained": LeaderPack.bandsExplained,
                "progress": LeaderPack.view(model.progress), "progressBySubject": LeaderPack.view(model.progressBySubject),
                "listCounts": LeaderPack.view(model.listCounts),
                "lists": model.lists.map { ["rule": $0.rule, "summary": $0.summary, "pupils": LeaderPack.view($0.pupils)] as [String: Any] },
                "interventions": LeaderPack.view(model.interventions), "impactNote": model.impactNote,
                "atl": LeaderPack.view(model.atl), "atlBySubject": LeaderPack.view(model.atlBySubject),
                "atlConcern": String(model.atlConcern), "atlReward": String(model.atlReward),
            ]
        }

        /// The built-in page. Values are escaped (`{{ }}`); only the charts, drawn by ``SVG``
        /// with every text escaped, are inserted raw (`{{{svg}}}`).
        public static let defaultTemplate = #"""
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <title>Year {{yearGroup}} pack — {{collection}} — {{schoolName}}</title>
        <style>
        \#(LeaderPack.style)
        </style>
        </head>
        <body>
        <header>
        <h1>Year {{yearGroup}}: year-group pack</h1>
        <p class="meta">{{schoolName}} · {{academicYear}} · data from {{collection}} · responsible for Year {{yearGroup}}: {{responsible}} · generated {{generated}}</p>
        </header>
        <p class="note">{{bandsExplained}} Confidential: names pupils; for the head of year and senior leaders.</p>
        <section>
        <h2>Progress</h2>
        {{#progress}}\#(LeaderPack.figureMarkup){{/progress}}
        {{#progressBySubject}}\#(LeaderPack.tableMarkup){{/progressBySubject}}
        </section>
        <section class="page">
        <h2>Action lists</h2>
        <p class="note">The lists after this collection (rules in docs/action-lists.md), for the member of staff responsible for Year {{yearGroup}}: {{responsible}}.</p>
        {{#listCounts}}\#(LeaderPack.tableMarkup){{/listCounts}}
        {{#lists}}
        <h3>{{rule}}</h3>
        {{#pupils}}\#(LeaderPack.tableMarkup){{/pupils}}
        {{/lists}}
        </section>
        <section class="page">
        <h2>Interventions</h2>
        <p class="note">{{impactNote}}</p>
        {{#interventions}}\#(LeaderPack.tableMarkup){{/interventions}}
        </section>
        <section class="page">
        <h2>Attitude to learning</h2>
        <p>On the ATL concern list: <strong>{{atlConcern}}</strong> pupils · on the ATL reward list: <strong>{{atlReward}}</strong> pupils.</p>
        {{#atl}}\#(LeaderPack.figureMarkup){{/atl}}
        {{#atlBySubject}}\#(LeaderPack.tableMarkup){{/atlBySubject}}
        </section>
        </body>
        </html>
        """#
    }
}
