import HeadwayAnalytics
import HeadwayCore

extension LeaderPack {
    /// Small-group suppression for pages that leave the school's leadership (DOMAIN.md, "Who may
    /// see what": governors see aggregates only, "no cell for a group of fewer than 5 pupils").
    ///
    /// The rule, applied to every count of pupils Headway shows governors:
    /// 1. **Primary**: a count of 1 to 4 pupils (``minimumGroupSize`` − 1) is never shown, nor
    ///    anything computed from it (its percentage, its mean, its gap, its interval). It reads
    ///    "fewer than 5". A count of 0 is shown: it describes no pupil.
    /// 2. **Secondary**: within one breakdown (the cells of one row, or the values of one
    ///    characteristic) whose total is shown or can be worked out, a single hidden cell could be
    ///    recovered by subtracting the others from the total; so when exactly one cell is hidden by
    ///    rule 1, the smallest other cell (the first of equals) is hidden too. It reads
    ///    "suppressed".
    /// 3. **Shares**: a percentage of a group is hidden when the pupils it counts, or the pupils it
    ///    leaves out, number 1 to 4 (97% of 150 would name a group of 4 by subtraction).
    ///
    /// Source: the Office for National Statistics and DfE statistical disclosure control practice
    /// (primary and secondary suppression of small cells); the threshold of 5 is DOMAIN.md's.
    public enum Suppression {
        /// Groups smaller than this are never shown (DOMAIN.md).
        public static let minimumGroupSize = 5
        /// What a cell hidden by the primary rule reads.
        public static let fewerThanFive = "fewer than 5"
        /// What a cell hidden by the secondary or the shares rule reads.
        public static let suppressed = "suppressed"

        /// Why a cell is hidden.
        public enum Reason: String, Hashable, Sendable {
            /// The cell counts 1–4 pupils.
            case small
            /// Hidden so that a small cell of the same breakdown cannot be worked out.
            case secondary

            /// "fewer than 5" or "suppressed".
            public var words: String { self == .small ? Suppression.fewerThanFive : Suppression.suppressed }
        }

        /// True for 1 to 4 pupils.
        public static func isSmall(_ pupils: Int) -> Bool { pupils > 0 && pupils < minimumGroupSize }

        /// The cells to hide in one breakdown whose total is shown (rules 1 and 2): nil for a
        /// cell shown. E.g. `[4, 5, 6, 7]` → `[.small, .secondary, nil, nil]`; `[3, 2, 40]` →
        /// `[.small, .small, nil]` (two hidden cells: neither can be recovered).
        public static func apply(_ counts: [Int]) -> [Reason?] {
            var out: [Reason?] = counts.map { isSmall($0) ? .small : nil }
            let hidden = out.compactMap { $0 }.count
            if hidden == 1, counts.count > 1 {
                let candidates = counts.indices.filter { out[$0] == nil }
                if let next = candidates.min(by: { (counts[$0], $0) < (counts[$1], $1) }) { out[next] = .secondary }
            }
            return out
        }

        /// Whether a share of `whole` pupils that counts `part` of them must be hidden (rule 3).
        public static func hidesShare(_ part: Int, of whole: Int) -> Bool { isSmall(part) || isSmall(whole - part) }
    }

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
        /// summary is ``PupilPremiumSummary`` over the year's interventions. Suppression follows
        /// ``Suppression``; year groups are one breakdown (the school's total can be worked out
        /// from the gap table), so rule 2 applies across them too.
        public static func model(_ index: YearIndex, evaluation: ProgressStatus.Evaluation, collection: DataCollection,
                                 thresholds: ProgressStatus.Thresholds = .standard, impact: InterventionImpact.Context? = nil,
                                 generated: String) -> Model {
            let year = index.year
            let onRoll = Dictionary(grouping: year.pupils, by: \.yearGroup).mapValues(\.count)

            // Completion by year group, hidden by the year group's pupils on roll.
            let completion = Completion(index, collection: collection)
            let lines = completion.byYearGroup.compactMap { line in Int(line.key).map { ($0, line) } }.sorted { $0.0 < $1.0 }
            let rowHidden = Suppression.apply(lines.map { onRoll[$0.0] ?? 0 })
            var completionRows: [[String]] = zip(lines, rowHidden).map { item, hidden in
                let (y, line) = item
                if let hidden { return ["Year \(y)", hidden.words, hidden.words, hidden.words] }
                return ["Year \(y)", String(line.expected), String(line.present), LeaderPack.fixed(line.percent, places: 1) + "%"]
            }
            let overall = completion.overall
            completionRows.append(["Whole school", String(overall.expected), String(overall.present), LeaderPack.fixed(overall.percent, places: 1) + "%"])
            let completionTable = Table(name: "governors-completion", caption: "Completion at \(collection.name): working-at grades entered by teachers",
                                        header: ["year group", "entries expected", "entries made", "complete"], rows: completionRows)

            // Each pupil's mean residual at the collection.
            var sums: [Pupil.ID: (sum: Double, count: Int)] = [:]
            for s in evaluation.statuses where s.collection == collection.id {
                sums[s.pupil, default: (0, 0)].sum += s.residual
                sums[s.pupil, default: (0, 0)].count += 1
            }
            let outcome = sums.mapValues { $0.sum / Double($0.count) }

            // Progress by year group: pupils per band.
            let bands = Array(ProgressStatus.Band.allCases.reversed())  // above first
            var perYear: [Int: [Int]] = [:]
            for (pupil, mean) in outcome {
                guard let y = index.pupils[pupil]?.yearGroup else { continue }
                perYear[y, default: Array(repeating: 0, count: bands.count)][bands.firstIndex(of: thresholds.band(for: mean))!] += 1
            }
            let years = perYear.keys.sorted()
            let yearHidden = Suppression.apply(years.map { perYear[$0]!.reduce(0, +) })
            let progressRows: [[String]] = zip(years, yearHidden).map { y, hidden in
                let counts = perYear[y]!
                let n = counts.reduce(0, +)
                if let hidden { return ["Year \(y)", hidden.words] + counts.map { _ in hidden.words } }
                let cells = Suppression.apply(counts)
                return ["Year \(y)", String(n)] + zip(counts, cells).map { count, hidden in
                    hidden?.words ?? "\(count) (\(LeaderPack.percent(count, of: n)))"
                }
            }
            let progress = Table(
                name: "governors-progress", caption: "Pupils by progress at \(collection.name): each pupil once, in the band of their average across their subjects (percent of n). n counts pupils with at least one grade measured against a target; pupils with no target (for example without KS2 results) or no grade entered are not in it",
                header: ["year group", "n (pupils)"] + bands.map { "\($0.symbol) \($0)" }, rows: progressRows)

            // Gaps, whole school.
            let gaps = gapsFigure(year.pupils, outcome: outcome, collection: collection)

            // KS4 forecasts.
            let forecasts = KS4Forecast.compute(index, collection: collection)
            let forecastRows: [[String]] = forecasts.map { f in
                let c = f.cohort, n = c.pupils.count
                if Suppression.isSmall(n) { return ["Year \(f.yearGroup) (\(f.cohortYear))"] + Array(repeating: Suppression.fewerThanFive, count: 8) }
                func share(_ test: (KS4Cohort.PupilMeasures) -> Bool) -> String {
                    let part = c.pupils.count(where: test)
                    return Suppression.hidesShare(part, of: n) ? Suppression.suppressed : LeaderPack.percent(part, of: n)
                }
                let p8: [String]
                if Suppression.isSmall(c.school.count) {
                    p8 = Array(repeating: Suppression.fewerThanFive, count: 3)
                } else if let score = c.school.rounded {
                    p8 = [LeaderPack.signed(score) + " (n = \(c.school.count))", c.school.lower.map { LeaderPack.signed($0) } ?? "–", c.school.upper.map { LeaderPack.signed($0) } ?? "–"]
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

            // Pupil premium summary.
            let context = impact ?? InterventionImpact.Context(index)
            let summary = PupilPremiumSummary(year.interventions, context: context)
            let reachedHidden = Suppression.apply(summary.lines.map(\.pupilsReached))
            // A disadvantaged count hidden on a type's row could be recovered from the total's, so
            // the total's is hidden too whenever any type's is.
            let typeDisadvantagedHidden = zip(summary.lines, reachedHidden).contains { line, hidden in
                hidden == nil && Suppression.hidesShare(line.disadvantagedReached, of: line.pupilsReached)
            }
            func ppRow(_ line: PupilPremiumSummary.Line, hidden: Suppression.Reason?) -> [String] {
                let name = line.type?.words ?? "All interventions"
                let spend = [String(line.interventions) + (line.uncosted > 0 ? " (\(line.uncosted) uncosted)" : ""),
                             LeaderPack.money(line.spendPence), LeaderPack.money(line.pupilPremiumPence)]
                let reached: [String]
                if let hidden {
                    reached = [hidden.words, hidden.words, hidden.words]
                } else {
                    let hideDisadvantaged = Suppression.hidesShare(line.disadvantagedReached, of: line.pupilsReached)
                        || (line.type == nil && typeDisadvantagedHidden)
                    let disadvantaged = hideDisadvantaged ? Suppression.suppressed : String(line.disadvantagedReached)
                    reached = [String(line.pupilsReached), disadvantaged, line.costPerPupilPence.map(LeaderPack.money) ?? "–"]
                }
                var effect = ["–", "–", "–", "–"]
                if let impact = line.impact {
                    effect = [YearGroup.verdictWords(impact.verdict, minimumPupils: context.settings.minimumPupils),
                              impact.overall.effect.map { LeaderPack.signed($0) } ?? "–"] + LeaderPack.bounds(impact.overall.interval)
                }
                return [name] + spend + reached + effect
            }
            var ppRows = zip(summary.lines, reachedHidden).map { ppRow($0, hidden: $1) }
            if !summary.lines.isEmpty {
                ppRows.append(ppRow(summary.total, hidden: Suppression.isSmall(summary.total.pupilsReached) ? .small : nil))
            }
            let pupilPremium = Table(
                name: "governors-pupil-premium", caption: "Interventions this year by type: spend, pupils reached and measured effect",
                header: ["type", "interventions", "spend", "of which pupil premium", "pupils reached", "of them disadvantaged", "cost per pupil",
                         "impact", "effect", "95% low", "95% high"],
                rows: ppRows)

            let note = "To protect individual pupils, no group of fewer than \(Suppression.minimumGroupSize) pupils is shown: such a figure reads \"\(Suppression.fewerThanFive)\". Where hiding one figure would still let it be worked out by subtraction from a total, the next-smallest figure of the same row or breakdown is hidden too and reads \"\(Suppression.suppressed)\"; so is a percentage that would reveal a group of fewer than \(Suppression.minimumGroupSize) (for example the few pupils left out of 97%). This page names no pupil."
            return Model(schoolName: year.school.name, academicYear: year.academicYear.description, generated: generated,
                         collection: collection.name, completion: completionTable, progress: progress, gaps: gaps,
                         forecasts: forecastTable, forecastBasis: basis, pupilPremium: pupilPremium, suppressionNote: note)
        }

        /// The characteristics governors see gaps for (issue 7): disadvantaged (pupil premium),
        /// SEN, EAL, gender.
        static let gapCharacteristics = [Characteristic.disadvantaged, Characteristic.sen, Characteristic.eal, Characteristic.gender]

        /// Gaps in pupils' mean residual with suppression: each characteristic's values are a
        /// breakdown (rules 1–2 on pupils per value); a comparison is hidden when its group's value
        /// is hidden, when its comparison is one hidden value, or when its comparison group (e.g.
        /// "not F") has 1–4 pupils.
        static func gapsFigure(_ pupils: [Pupil], outcome: [Pupil.ID: Double], collection: DataCollection) -> Figure {
            var valueCounts: [String: [String: Int]] = [:]
            for pupil in pupils where outcome[pupil.id] != nil {
                for c in gapCharacteristics { if let v = pupil.characteristics[c] { valueCounts[c, default: [:]][v, default: 0] += 1 } }
            }
            var hidden: [String: [String: Suppression.Reason]] = [:]
            for (c, counts) in valueCounts {
                let values = counts.keys.sorted()
                for (v, reason) in zip(values, Suppression.apply(values.map { counts[$0]! })) { if let reason { hidden[c, default: [:]][v] = reason } }
            }
            let all = SubgroupGap.compute(pupils: pupils, outcome: outcome, minimumGroupSize: 1).filter { gapCharacteristics.contains($0.characteristic) }
            var tableRows: [[String]] = []
            var chartRows: [SVG.GapRow] = []
            for g in all {
                let label = LeaderPack.gapLabel(g)
                let reason = hidden[g.characteristic]?[g.group] ?? hidden[g.characteristic]?[g.comparison]
                    ?? (Suppression.isSmall(g.difference.comparison.count) ? .small : nil)
                if let reason {
                    tableRows.append([label] + Array(repeating: reason.words, count: LeaderPack.gapHeader.count - 1))
                    chartRows.append(SVG.GapRow(label: label, difference: nil, note: "\(reason.words): not shown to protect a small group"))
                    continue
                }
                let d = g.difference
                tableRows.append([label, String(d.group.count), LeaderPack.signed(d.group.mean), String(d.comparison.count), LeaderPack.signed(d.comparison.mean),
                                  LeaderPack.signed(d.difference)] + LeaderPack.bounds(d.interval))
                chartRows.append(SVG.GapRow(label: label, difference: d.difference, interval: d.interval, groupCount: d.group.count,
                                            comparisonCount: d.comparison.count))
            }
            let title = "Gaps in progress at \(collection.name), with 95% intervals"
            let svg = SVG.gaps(
                id: "governors-gaps", title: title,
                description: "Forest plot: for each comparison of pupil groups across the school (disadvantaged, SEN, EAL, gender), the gap between the groups' average residuals (working-at minus expected grade, averaged over each pupil's subjects) at \(collection.name), in grades, as a square with its 95% interval as a line; left of zero the first group is behind. Comparisons involving a group of fewer than 5 pupils are not drawn.",
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
