import HeadwayAnalytics
import HeadwayCore

extension LeaderPack {
    /// The disclosure rules of every aggregate page (``Disclosure``), under the name the packs
    /// first used.
    public typealias Suppression = Disclosure

    /// The governors' summary (issue 7, item 3): aggregates only — completion, progress by year
    /// group, subgroup gaps with 95% intervals, KS4 forecasts and the pupil premium summary — with
    /// every group of fewer than 5 pupils suppressed (``Suppression``). No pupil's name, id, UPN
    /// or tutor group, and no per-pupil row, appears in the page or in its CSV files.
    public enum Governors {
        /// What the page shows, display-ready; suppressed cells already read "fewer than 5" or
        /// "suppressed".
        public struct Model: Hashable, Sendable {
            /// The school's name, for the heading.
            public var schoolName: String
            /// The academic year, e.g. `2026/27`.
            public var academicYear: String
            /// When the summary was produced, as given by the caller (reports read no clock).
            public var generated: String
            /// The collection's name.
            public var collection: String
            /// Entries expected and entered by year group, with the whole school.
            public var completion: Table
            /// Pupils by progress band (of their mean residual) per year group.
            public var progress: Table
            /// Gaps (disadvantaged, SEN, EAL, gender) across the school, chart and table.
            public var gaps: Figure
            /// Forecast A8, P8, EBacc and basics for Years 10 and 11.
            public var forecasts: Table
            /// What the forecasts are measured against (``ProgressBasis/label``), one line per year group.
            public var forecastBasis: [String]
            /// Spend, pupils reached and effect per intervention type.
            public var pupilPremium: Table
            /// The suppression rule in words, as printed on the page.
            public var suppressionNote: String
        }

        /// The summary at `collection`.
        ///
        /// - Parameters:
        ///   - index: the indexed year.
        ///   - evaluation: its progress statuses (``ProgressStatus/evaluate(_:flightPaths:thresholds:)``).
        ///   - collection: the collection shown.
        ///   - thresholds: the band boundaries that placed each status (``ProgressStatus/Thresholds/standard``
        ///     by default), used again to band each pupil's mean residual.
        ///   - impact: a measuring context to reuse; nil builds one with default settings.
        ///
        /// Rules: completion is ``Completion`` at the collection; a pupil's progress is the band of
        /// their mean residual over their subjects with a status (each pupil counted once); gaps are
        /// ``SubgroupGap`` on the same mean residual, whole school; forecasts are
        /// ``KS4Forecast/compute(_:collection:estimates:)`` from predicted grades; the pupil premium
        /// summary is ``PupilPremiumSummary`` over the year's interventions. Disclosure control
        /// follows ``Disclosure``: the progress and gap tables count the same pupils and are audited
        /// together (a year group's n and each characteristic's groups add up to the same total);
        /// completion is audited with its whole-school line; pupils reached by interventions are
        /// rounded to the nearest 5.
        public static func model(_ index: YearIndex, evaluation: ProgressStatus.Evaluation, collection: DataCollection,
                                 thresholds: ProgressStatus.Thresholds = .standard, impact: InterventionImpact.Context? = nil,
                                 generated: String) -> Model {
            let year = index.year
            let onRoll = Dictionary(grouping: year.pupils, by: \.yearGroup).mapValues(\.count)

            // Completion by year group: entries, hidden for a year group of 1–4 pupils on roll,
            // with complements so that the whole-school line does not give them away.
            let completion = Completion(index, collection: collection)
            let lines = completion.byYearGroup.compactMap { line in Int(line.key).map { ($0, line) } }.sorted { $0.0 < $1.0 }
            let overall = completion.overall
            var entries = Disclosure.Problem()
            for (y, line) in lines {
                let small: Disclosure.Reason? = Disclosure.isSmall(onRoll[y] ?? 0) ? .group : nil
                entries.count("Y\(y) expected", line.expected, reason: small, pupils: false)
                entries.count("Y\(y) entered", line.present, reason: small, pupils: false)
            }
            entries.count("school expected", overall.expected, pupils: false)
            entries.count("school entered", overall.present, pupils: false)
            entries.sum("school expected", of: lines.map { "Y\($0.0) expected" })
            entries.sum("school entered", of: lines.map { "Y\($0.0) entered" })
            let entriesHidden = entries.solve()
            func completionRow(_ label: String, _ key: String, _ line: Completion.Line) -> [String] {
                let expected = entriesHidden["\(key) expected"], entered = entriesHidden["\(key) entered"]
                let percent = expected ?? entered
                return [label, expected?.words ?? String(line.expected), entered?.words ?? String(line.present),
                        percent?.words ?? LeaderPack.fixed(line.percent, places: 1) + "%"]
            }
            let completionRows = lines.map { completionRow("Year \($0.0)", "Y\($0.0)", $0.1) } + [completionRow("Whole school", "school", overall)]
            let completionTable = Table(name: "governors-completion", caption: "Completion at \(collection.name): working-at grades entered by teachers",
                                        header: ["year group", "entries expected", "entries made", "complete"], rows: completionRows)

            // Each pupil's mean residual at the collection.
            var sums: [Pupil.ID: (sum: Double, count: Int)] = [:]
            for s in evaluation.statuses where s.collection == collection.id {
                sums[s.pupil, default: (0, 0)].sum += s.residual
                sums[s.pupil, default: (0, 0)].count += 1
            }
            let outcome = sums.mapValues { $0.sum / Double($0.count) }

            // Progress by year group: pupils per band. The progress and gap tables count the same
            // pupils (those with an outcome), so they are one problem: a year group's n, its bands,
            // and each characteristic's groups all add up to the school's pupils.
            let bands = Array(ProgressStatus.Band.allCases.reversed())  // above first
            var perYear: [Int: [Int]] = [:]
            for (pupil, mean) in outcome {
                guard let y = index.pupils[pupil]?.yearGroup else { continue }
                perYear[y, default: Array(repeating: 0, count: bands.count)][bands.firstIndex(of: thresholds.band(for: mean))!] += 1
            }
            let years = perYear.keys.sorted()
            var page = Disclosure.Problem()
            page.latent("pupils", outcome.count)
            for y in years {
                let counts = perYear[y]!
                let n = counts.reduce(0, +)
                page.count("Y\(y)", n)
                for (band, count) in zip(bands, counts) { page.count("Y\(y) \(band)", count, reason: Disclosure.isSmall(n) ? .group : nil) }
                page.sum("Y\(y)", of: bands.map { "Y\(y) \($0)" })
            }
            page.sum("pupils", of: years.map { "Y\($0)" })
            let gapRows = addGaps(year.pupils, outcome: outcome, to: &page)
            let hidden = page.solve()
            let progressRows: [[String]] = years.map { y in
                let counts = perYear[y]!
                let n = counts.reduce(0, +)
                let nHidden = hidden["Y\(y)"]
                return ["Year \(y)", nHidden?.words ?? String(n)] + zip(bands, counts).map { band, count in
                    // A share of a hidden n would give the n away: counts only.
                    hidden["Y\(y) \(band)"]?.words ?? (nHidden == nil ? "\(count) (\(LeaderPack.percent(count, of: n)))" : String(count))
                }
            }
            let progress = Table(
                name: "governors-progress", caption: "Pupils by progress at \(collection.name): each pupil once, in the band of their average across their subjects (percent of n). n counts pupils with at least one grade measured against a target; pupils with no target (for example without KS2 results) or no grade entered are not in it",
                header: ["year group", "n (pupils)"] + bands.map { "\($0.symbol) \($0)" }, rows: progressRows)

            // Gaps, whole school.
            let gaps = gapsFigure(gapRows, hidden: hidden, collection: collection)

            // KS4 forecasts.
            let forecasts = KS4Forecast.compute(index, collection: collection)
            let forecastRows: [[String]] = forecasts.map { f in
                let c = f.cohort, n = c.pupils.count
                if Disclosure.isSmall(n) {
                    return ["Year \(f.yearGroup) (\(f.cohortYear))", Disclosure.fewerThanFive] + Array(repeating: Disclosure.smallGroup, count: 7)
                }
                func share(_ test: (KS4Cohort.PupilMeasures) -> Bool) -> String {
                    let part = c.pupils.count(where: test)
                    return Disclosure.hidesShare(part, of: n) ? Disclosure.suppressed : LeaderPack.percent(part, of: n)
                }
                let p8: [String]
                if Disclosure.isSmall(c.school.count) {
                    p8 = Array(repeating: Disclosure.smallGroup, count: 3)
                } else if let score = c.school.rounded {
                    // P8's n beside the year group's would give the 1–4 pupils without KS2 results.
                    let count = Disclosure.isSmall(n - c.school.count) ? "n \(Disclosure.suppressed)" : "n = \(c.school.count)"
                    p8 = [LeaderPack.signed(score) + " (\(count))", c.school.lower.map { LeaderPack.signed($0) } ?? "–", c.school.upper.map { LeaderPack.signed($0) } ?? "–"]
                } else {
                    p8 = ["–", "–", "–"]
                }
                return ["Year \(f.yearGroup) (\(f.cohortYear))", String(n), LeaderPack.decimal(c.meanAttainment8)] + p8
                    + [share { $0.ebacc.entered }, share { $0.basics.standardPass }, share { $0.basics.strongPass }]
            }
            let forecastTable = Table(
                name: "governors-ks4-forecasts",
                caption: "KS4 forecasts at \(collection.name): estimates from teachers' predicted grades, not results; Progress 8 counts only pupils with KS2 results (its n)",
                header: ["year group (GCSEs in)", "pupils", "forecast Attainment 8", "forecast Progress 8", "95% low", "95% high", "forecast EBacc entry",
                         "forecast grade 4+ in English and maths", "forecast grade 5+ in English and maths"],
                rows: forecastRows)
            let basis = forecasts.map { "Year \($0.yearGroup): \($0.cohort.basis.label)" }

            // Pupil premium summary. Pupils reached accumulate through the year and the summary is
            // published again after each collection, so they (and the disadvantaged among them)
            // are rounded to the nearest 5 (rule 4): two editions never differ by an exact group.
            // Reached pupils are distinct across types, so the total is not a sum of the rows.
            let context = impact ?? InterventionImpact.Context(index)
            let summary = PupilPremiumSummary(year.interventions, context: context)
            func ppRow(_ line: PupilPremiumSummary.Line) -> [String] {
                let name = line.type?.words ?? "All interventions"
                let spend = [String(line.interventions) + (line.uncosted > 0 ? " (\(line.uncosted) uncosted)" : ""),
                             LeaderPack.money(line.spendPence), LeaderPack.money(line.pupilPremiumPence)]
                let reached: [String]
                if Disclosure.isSmall(line.pupilsReached) {
                    reached = [Disclosure.fewerThanFive, Disclosure.smallGroup, Disclosure.smallGroup]
                } else {
                    let shown = Disclosure.rounded(line.pupilsReached)
                    let disadvantaged = Disclosure.revealsCharacteristic(line.disadvantagedReached, of: line.pupilsReached)
                        ? Disclosure.suppressed : Disclosure.roundedCount(line.disadvantagedReached)
                    // Per pupil as shown: the exact count divided into the spend would give it back.
                    let perPupil = shown > 0 ? LeaderPack.money((line.spendPence * 2 + shown) / (shown * 2)) : "–"
                    reached = [Disclosure.roundedCount(line.pupilsReached), disadvantaged, line.pupilsReached > 0 ? perPupil : "–"]
                }
                var effect = ["–", "–", "–", "–"]
                if let impact = line.impact {
                    effect = [YearGroup.verdictWords(impact.verdict, minimumPupils: context.settings.minimumPupils),
                              impact.overall.effect.map { LeaderPack.signed($0) } ?? "–"] + LeaderPack.bounds(impact.overall.interval)
                }
                return [name] + spend + reached + effect
            }
            var ppRows = summary.lines.map(ppRow)
            if !summary.lines.isEmpty { ppRows.append(ppRow(summary.total)) }
            let pupilPremium = Table(
                name: "governors-pupil-premium", caption: "Interventions this year by type: spend, pupils reached (to the nearest 5) and measured effect",
                header: ["type", "interventions", "spend", "of which pupil premium", "pupils reached (nearest 5)", "of them disadvantaged (nearest 5)",
                         "cost per pupil (spend ÷ pupils as shown)", "impact", "effect", "95% low", "95% high"],
                rows: ppRows)

            let note = "To protect individual pupils, no group of fewer than \(Disclosure.minimumGroupSize) pupils is shown: its count reads \"\(Disclosure.fewerThanFive)\" and anything else about it \"\(Disclosure.smallGroup)\"; a true 0 reads 0. So is a count of pupils with a characteristic (such as disadvantaged) when none, all, or all but fewer than \(Disclosure.minimumGroupSize) of a group have it. Where a hidden figure could still be worked out from the others — by subtraction from a total, here or in another table — more figures are hidden, each the smallest that is not 0, and read \"\(Disclosure.suppressed)\"; so is a percentage that would reveal a group of fewer than \(Disclosure.minimumGroupSize) (the few pupils left out of 97%). Pupils reached by interventions are rounded to the nearest 5, since this summary is published again after each collection. This page names no pupil."
            return Model(schoolName: year.school.name, academicYear: year.academicYear.description, generated: generated,
                         collection: collection.name, completion: completionTable, progress: progress, gaps: gaps,
                         forecasts: forecastTable, forecastBasis: basis, pupilPremium: pupilPremium, suppressionNote: note)
        }

        /// The characteristics governors see gaps for (issue 7): disadvantaged (pupil premium),
        /// SEN, EAL, gender.
        static let gapCharacteristics = [Characteristic.disadvantaged, Characteristic.sen, Characteristic.eal, Characteristic.gender]

        /// Adds the counts of the governors' gap comparisons to `page` (``LeaderPack/gapCounts(_:outcome:characteristics:minimumGroupSize:to:)``
        /// with the governors' characteristics, every comparison kept: the small ones are hidden, not left out).
        static func addGaps(_ pupils: [Pupil], outcome: [Pupil.ID: Double], to page: inout Disclosure.Problem) -> [GapCounts] {
            LeaderPack.gapCounts(pupils, outcome: outcome, characteristics: gapCharacteristics, minimumGroupSize: 1, to: &page)
        }

        /// The gap figure with `hidden` applied: a comparison is hidden when either of its groups
        /// is (its means, gap and interval with it).
        static func gapsFigure(_ rows: [GapCounts], hidden: [String: Disclosure.Reason], collection: DataCollection) -> Figure {
            let (tableRows, chartRows) = LeaderPack.gapRows(rows, hidden: hidden)
            let title = "Gaps in progress at \(collection.name), with 95% intervals"
            let svg = SVG.gaps(
                id: "governors-gaps", title: title,
                description: "Forest plot: for each comparison of pupil groups across the school (disadvantaged, SEN, EAL, gender), the gap between the groups' average residuals (working-at minus expected grade, averaged over each pupil's subjects) at \(collection.name), in grades, as a square with its 95% interval as a line; left of zero the first group is behind. Comparisons involving a group of fewer than 5 pupils, or hidden so that one cannot be worked out, are not drawn.",
                rows: chartRows, unit: "grades")
            return Figure(title: title, svg: svg, table: Table(
                name: "governors-gaps", caption: "Gaps in average residual, group minus comparison (Welch 95% interval); an interval that includes 0 is no evidence of a gap",
                header: LeaderPack.gapHeader, rows: tableRows))
        }

        /// Renders `governors-summary.html` and every table as `csv/NAME.csv` (the same cells,
        /// suppressed cells included as words).
        /// - Parameter template: a school's own Mustache template instead of ``defaultTemplate``.
        /// - Throws: the template's parse error.
        public static func render(_ model: Model, template: String = Governors.defaultTemplate) throws -> [ReportFile] {
            let html = try LeaderPack.render(view(model), template: template)
            let tables = [model.completion, model.progress, model.gaps.table, model.forecasts, model.pupilPremium]
            return [ReportFile(name: "governors-summary.html", contents: html)] + tables.map { ReportFile(name: "csv/\($0.name).csv", contents: $0.csv.text) }
        }

        static func view(_ model: Model) -> [String: Any] {
            [
                "schoolName": model.schoolName, "academicYear": model.academicYear, "generated": model.generated,
                "collection": model.collection, "bandsExplained": LeaderPack.bandsExplained, "suppressionNote": model.suppressionNote,
                "completion": LeaderPack.view(model.completion), "progress": LeaderPack.view(model.progress),
                "gaps": LeaderPack.view(model.gaps), "forecasts": LeaderPack.view(model.forecasts), "forecastBasis": model.forecastBasis,
                "noForecasts": model.forecasts.rows.isEmpty, "pupilPremium": LeaderPack.view(model.pupilPremium),
            ]
        }

        /// The built-in page. Values are escaped (`{{ }}`); only the chart, drawn by ``SVG`` with
        /// every text escaped, is inserted raw (`{{{svg}}}`).
        public static let defaultTemplate = #"""
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <title>Governors' summary — {{collection}} — {{schoolName}}</title>
        <style>
        \#(LeaderPack.style)
        </style>
        </head>
        <body>
        <header>
        <h1>{{schoolName}}: governors' summary</h1>
        <p class="meta">{{academicYear}} · data from {{collection}} · generated {{generated}}</p>
        </header>
        <p class="note"><strong>Aggregates only.</strong> {{suppressionNote}}</p>
        <section>
        <h2>Completion</h2>
        {{#completion}}\#(LeaderPack.tableMarkup){{/completion}}
        </section>
        <section>
        <h2>Progress by year group</h2>
        <p class="note">{{bandsExplained}} Here each pupil is counted once, in the band of their average residual across their subjects.</p>
        {{#progress}}\#(LeaderPack.tableMarkup){{/progress}}
        </section>
        <section class="page">
        <h2>Gaps between groups of pupils</h2>
        {{#gaps}}\#(LeaderPack.figureMarkup){{/gaps}}
        </section>
        <section class="page">
        <h2>KS4 forecasts (estimates)</h2>
        <p class="note">Forecasts, not results: computed as if teachers' latest predicted grades were the GCSE results. Attainment 8 and Progress 8 follow the DfE's secondary accountability guidance; Progress 8 is an estimate against published national figures, as stated below.</p>
        {{#forecasts}}\#(LeaderPack.tableMarkup){{/forecasts}}
        {{#noForecasts}}<p>No Year 10 or 11 predicted grades at this collection.</p>{{/noForecasts}}
        <ul class="note">{{#forecastBasis}}<li>{{.}}</li>{{/forecastBasis}}</ul>
        </section>
        <section>
        <h2>Pupil premium and other interventions</h2>
        <p class="note">Spend and reach per type of intervention; the effect is how much more the pupils' progress changed than that of matched pupils not in it, with its 95% interval, where enough pupils were measured.</p>
        {{#pupilPremium}}\#(LeaderPack.tableMarkup){{/pupilPremium}}
        </section>
        </body>
        </html>
        """#
    }
}
