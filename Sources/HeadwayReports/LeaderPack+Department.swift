import HeadwayAnalytics
import HeadwayCore

extension LeaderPack {
    /// The department pack (issue 7, item 3): one subject at one collection, for its head of
    /// department — progress by year group, grade distributions per year group (against the
    /// previous collection), mean residual by class and by teacher with n and 95% intervals,
    /// subgroup gaps with 95% intervals, and a transition matrix (KS2 band × working-at grade) per
    /// year group. A head of department may see their subject's pupils; the pack itself shows
    /// groups, not pupils.
    public enum Department {
        /// What the page shows, display-ready.
        public struct Model: Hashable, Sendable {
            /// The school's name, for the heading.
            public var schoolName: String
            /// The academic year, e.g. `2026/27`.
            public var academicYear: String
            /// When the pack was produced, as given by the caller (reports read no clock).
            public var generated: String
            /// The subject's name and code.
            public var subject: String
            /// The subject's code, e.g. `MA`.
            public var subjectCode: String
            /// The collection's name.
            public var collection: String
            /// Heads of the department, "Ms Smith (JSM)"; empty when nobody holds the role.
            public var heads: [String]
            /// Statuses by year group: n, each band, no status, mean residual.
            public var progress: Table
            /// One per year group with pupils expected at the collection: this collection's
            /// grades beside the previous collection's (the same pupils).
            public var distributions: [Figure]
            /// Mean residual by class and by teacher; nil when no entry has a status.
            public var residuals: Figure?
            /// Gaps in the subject's residual; nil when no comparison has 5 or more pupils each side.
            public var gaps: Figure?
            /// One per year group with a graded pupil.
            public var transitions: [Figure]
        }

        /// The pack of `subject` at `collection`.
        ///
        /// - Parameters:
        ///   - index: the indexed year.
        ///   - evaluation: its progress statuses (``ProgressStatus/evaluate(_:flightPaths:thresholds:)``,
        ///     or `SchoolAnalysis.progress.evaluation`).
        ///   - subject: the subject; one the year does not have gives an empty pack.
        ///   - collection: the collection shown.
        ///
        /// Rules (each shown on the page):
        /// - Pupils are those the collection expects an entry for in the subject
        ///   (``YearIndex/expected(in:)``); X, Z, blank and off-scale values are counted apart, never
        ///   as a grade.
        /// - Residuals, gaps and statuses come from ``ProgressStatus`` at the collection: residual =
        ///   working-at − flight-path grade, in grades. Class and teacher means are
        ///   ``ResidualSummary`` (a class with two teachers counts for both); gaps are
        ///   ``SubgroupGap`` on each pupil's residual in the subject.
        /// - Disclosure control (``Disclosure``) over every count of the pack as one problem: a
        ///   group of 1–4 pupils (a band, a grade, a class, a teacher, a side of a gap) is hidden,
        ///   and more figures where a hidden one could be worked out from the pack's totals (a
        ///   year group's pupils, its statuses, its grades at each collection, the transition
        ///   matrix's rows and columns, a teacher's classes).
        /// - Transition matrices follow ``TransitionMatrix`` (KS2 band × the scale's bands), one
        ///   per year group rather than all year groups together, since grades mean different
        ///   things in Year 7 and Year 11.
        public static func model(_ index: YearIndex, evaluation: ProgressStatus.Evaluation, subject: Subject.ID,
                                 collection: DataCollection, generated: String) -> Model {
            let year = index.year
            let subjectName = index.subjects[subject]?.name ?? subject.rawValue
            let scale = year.scale(of: subject)
            let bands = scale?.distributionBands ?? []
            let expected = index.expected(in: collection).filter { $0.subject == subject }
            let yearGroupOf = { (pair: YearIndex.PupilSubject) in index.pupils[pair.pupil]?.yearGroup ?? 0 }
            let byYear = Dictionary(grouping: expected, by: yearGroupOf)
            let yearGroups = byYear.keys.sorted()
            let statuses = LeaderPack.statuses(evaluation, collection: collection.id).filter { $0.subject == subject }
            let slug = LeaderPack.slug(subject.rawValue)

            // Every count of the pack is one disclosure problem (``Disclosure``): a year group's
            // pupils are those with and without a status, and those at each grade of each
            // collection; its transition matrix's columns are this collection's grades; its
            // classes add up to its statuses, and a teacher's classes to the teacher.
            let bandOrder = Array(ProgressStatus.Band.allCases.reversed())
            let statusByYear = Dictionary(grouping: statuses) { index.pupils[$0.pupil]?.yearGroup ?? 0 }
            var page = Disclosure.Problem()
            let nonGrades: [(label: String, key: KeyPath<Counts, Int>)] = [("X not assessed", \Counts.notAssessed), ("Z not required", \Counts.notRequired),
                                                                         ("off the scale", \Counts.offScale), ("blank (not entered)", \Counts.blank)]
            var distributionCounts: [Int: [(collection: DataCollection, counts: Counts)]] = [:]
            for y in yearGroups {
                let own = statusByYear[y] ?? []
                let pupils = byYear[y]?.count ?? 0
                let group: Disclosure.Reason? = Disclosure.isSmall(pupils) ? .group : nil
                page.count("Y\(y) pupils", pupils)
                page.count("Y\(y) with a status", own.count, reason: group)
                for b in bandOrder { page.count("Y\(y) \(b)", own.count(where: { $0.band == b }), reason: group) }
                page.count("Y\(y) no status", pupils - own.count, reason: group)
                page.sum("Y\(y) pupils", of: ["Y\(y) with a status", "Y\(y) no status"])
                page.sum("Y\(y) with a status", of: bandOrder.map { "Y\(y) \($0)" })

                let previous = LeaderPack.previous(collection, in: year, yearGroup: y)
                let columns = [collection] + (previous.map { [$0] } ?? [])
                distributionCounts[y] = columns.map { c in (collection: c, counts: distribution(byYear[y] ?? [], index: index, collection: c.id, bands: bands)) }
                for (c, counts) in distributionCounts[y]! {
                    let cells: [(String, Int)] = bands.enumerated().map { i, band in ("Y\(y) \(c.id) \(band)", counts.grades[i]) }
                        + nonGrades.map { ("Y\(y) \(c.id) \($0.label)", counts[keyPath: $0.key]) }
                    for (key, value) in cells { page.count(key, value, reason: group) }
                    page.sum("Y\(y) pupils", of: cells.map { $0.0 })
                }
            }
            page.latent("subject with a status", statuses.count)
            page.sum("subject with a status", of: yearGroups.map { "Y\($0) with a status" })

            // Transition matrices' counts.
            let rowsLabels = PriorAttainment.Band.allCases.map(\.rawValue) + ["none"]
            var transitionCounts: [Int: [[Int]]] = [:]
            for y in yearGroups {
                var counts = Array(repeating: Array(repeating: 0, count: bands.count), count: rowsLabels.count)
                let column = Dictionary(uniqueKeysWithValues: bands.enumerated().map { ($1, $0) })
                for pair in byYear[y] ?? [] {
                    guard case .grade(let g)? = index.workingAt(collection.id, pair), let c = column[g.band] else { continue }
                    let band = index.pupils[pair.pupil]?.priorAttainment?.band
                    counts[band.map { PriorAttainment.Band.allCases.firstIndex(of: $0)! } ?? rowsLabels.count - 1][c] += 1
                }
                let total = counts.joined().reduce(0, +)
                guard total > 0 else { continue }
                transitionCounts[y] = counts
                let group: Disclosure.Reason? = Disclosure.isSmall(byYear[y]?.count ?? 0) ? .group : nil
                page.count("Y\(y) graded", total, reason: group)
                for (r, label) in rowsLabels.enumerated() {
                    for (c, band) in bands.enumerated() { page.count("Y\(y) KS2 \(label) \(band)", counts[r][c], reason: group) }
                    page.count("Y\(y) KS2 \(label)", counts[r].reduce(0, +), reason: group)
                    page.sum("Y\(y) KS2 \(label)", of: bands.map { "Y\(y) KS2 \(label) \($0)" })
                }
                page.sum("Y\(y) graded", of: rowsLabels.map { "Y\(y) KS2 \($0)" })
                page.sum("Y\(y) graded", of: bands.map { "Y\(y) \(collection.id) \($0)" })
                for band in bands { page.sum("Y\(y) \(collection.id) \(band)", of: rowsLabels.map { "Y\(y) KS2 \($0) \(band)" }) }
            }

            // Residuals by class and by teacher: classes and teachers of fewer than 5 pupils are
            // not shown individually, and the sums through them are audited.
            let summaries = ResidualSummary.compute(statuses.map { (pair: YearIndex.PupilSubject($0.pupil, $0.subject), residual: $0.residual) },
                                                    index: index)
                .filter { $0.level != .subject }
            let residualKeys = LeaderPack.residualCounts(summaries, index: index, yearTotals: { "Y\($0) with a status" }, to: &page)

            // Gaps in each pupil's residual in the subject: every comparison, the small ones hidden.
            var outcome: [Pupil.ID: Double] = [:]
            for s in statuses { outcome[s.pupil] = s.residual }
            let found = LeaderPack.gapCounts(year.pupils, outcome: outcome, characteristics: LeaderPack.standardGapCharacteristics, minimumGroupSize: 1,
                                             totalKey: "subject with a status", to: &page)

            let hidden = page.solve()
            func shown(_ key: String, _ value: Int) -> String { hidden[key]?.words ?? String(value) }

            // Progress by year group.
            let progress = Table(
                name: "progress", caption: "\(subjectName): progress against the flight path at \(collection.name), by year group",
                header: ["year group", "pupils", "with a status"] + bandOrder.map { "\($0.symbol) \($0)" } + ["no status", "mean residual"],
                rows: yearGroups.map { y -> [String] in
                    let own = statusByYear[y] ?? []
                    let pupils = byYear[y]?.count ?? 0
                    let bandCounts: [String] = bandOrder.map { b in shown("Y\(y) \(b)", own.count(where: { $0.band == b })) }
                    let mean: String = hidden["Y\(y) with a status"].map(\.otherWords)
                        ?? (own.isEmpty ? "–" : LeaderPack.signed(own.map(\.residual).reduce(0, +) / Double(own.count)))
                    return ["Year \(y)", shown("Y\(y) pupils", pupils), shown("Y\(y) with a status", own.count)] + bandCounts
                        + [shown("Y\(y) no status", pupils - own.count), mean]
                })

            // Grade distributions per year group, this collection beside the previous one.
            var distributions: [Figure] = []
            for y in yearGroups {
                let pairs = byYear[y] ?? []
                let columns = distributionCounts[y]!
                let previous = columns.count > 1 ? columns[1].collection : nil
                let series = columns.reversed().map { c, counts in
                    (name: c.name, values: bands.enumerated().map { i, band in hidden["Y\(y) \(c.id) \(band)"] == nil ? Double(counts.grades[i]) : .nan })
                }
                let title = "\(subjectName), Year \(y): pupils at each working-at grade"
                let howMany = hidden["Y\(y) pupils"] == nil ? "the \(pairs.count) " : "the "
                let svg = SVG.groupedBars(
                    id: "dist-\(slug)-Y\(y)", title: title,
                    description: "Bar chart: for each working-at grade of \(subjectName) (lowest on the left), the number of \(howMany)Year \(y) pupils expected at \(collection.name) who were at it"
                        + (previous.map { " at \($0.name) (first bar) and at \(collection.name) (second bar, hatched)" } ?? " at \(collection.name)")
                        + ". X, Z, blank and off-scale entries are not grades and are counted in the table only. Figures hidden to protect a small group are not drawn.",
                    categories: bands, series: series, yLabel: "pupils")
                let header = ["grade"] + series.map(\.name)
                var rows = bands.enumerated().map { i, band in [band] + columns.reversed().map { shown("Y\(y) \($0.collection.id) \(band)", $0.counts.grades[i]) } }
                for (label, key) in nonGrades {
                    rows.append([label] + columns.reversed().map { shown("Y\(y) \($0.collection.id) \(label)", $0.counts[keyPath: key]) })
                }
                distributions.append(Figure(title: title, svg: svg, table: Table(
                    name: "distribution-Y\(y)", caption: "\(subjectName), Year \(y): pupils by working-at grade", header: header, rows: rows)))
            }

            // Residuals by class and by teacher: hidden rows last, in key order (an order by mean
            // would place them).
            var residuals: Figure?
            if !summaries.isEmpty {
                let visible = zip(summaries, residualKeys).filter { hidden[$0.1] == nil }.map { $0.0 }
                let concealed = zip(summaries, residualKeys).filter { hidden[$0.1] != nil }.sorted { ($0.0.level.rawValue, $0.0.key) < ($1.0.level.rawValue, $1.0.key) }
                let title = "\(subjectName): mean residual at \(collection.name) by class and by teacher"
                let levelName = { (level: ResidualSummary.Level) in level == .teacher ? "By teacher" : "By class" }
                let svg = SVG.divergingBars(
                    id: "residuals-\(slug)", title: title,
                    description: "Horizontal bars: for each class, then each teacher, of \(subjectName), the mean residual (working-at minus the flight-path grade, in grades) at \(collection.name), lowest first; bars left of zero are behind the flight path, right of zero ahead. The number of pupils (n) and a 95% interval are written beside each bar. Classes and teachers of fewer than 5 pupils, and those hidden so that one cannot be worked out, are in the table only, without figures.",
                    rows: visible.map { (group: levelName($0.level), label: $0.label, value: $0.summary.mean, count: $0.summary.count,
                                         interval: $0.summary.interval) },
                    unit: "grades")
                let level = { (s: ResidualSummary) in s.level == .teacher ? "teacher" : "class" }
                residuals = Figure(title: title, svg: svg, table: Table(
                    name: "residuals", caption: "\(subjectName): mean residual by class and by teacher (a class with two teachers counts for both)",
                    header: ["level", "class or teacher", "n", "mean residual", "95% low", "95% high"],
                    rows: visible.map { [level($0), $0.label, String($0.summary.count), LeaderPack.signed($0.summary.mean)] + LeaderPack.bounds($0.summary.interval) }
                        + concealed.map { s, key in
                            let words = hidden[key]!.words
                            return [level(s), s.label, words, hidden[key]!.otherWords, "–", "–"]
                        }))
            }

            // Gaps.
            var gaps: Figure?
            if !found.isEmpty {
                let (rows, chartRows) = LeaderPack.gapRows(found, hidden: hidden)
                let title = "\(subjectName): gaps in residual at \(collection.name), with 95% intervals"
                gaps = Figure(title: title, svg: SVG.gaps(
                    id: "gaps-\(slug)", title: title,
                    description: "Forest plot: for each comparison of pupil groups in \(subjectName), the gap between the groups' mean residuals at \(collection.name) in grades, as a square, with its 95% interval as a line; left of zero the first group is behind. The gap, interval and both groups' sizes are written beside each row. Comparisons involving a group of fewer than 5 pupils, or hidden so that one cannot be worked out, are not drawn.",
                    rows: chartRows, unit: "grades"),
                    table: Table(name: "gaps", caption: "\(subjectName): gaps in mean residual (group minus comparison; Welch 95% interval)",
                                 header: LeaderPack.gapHeader, rows: rows))
            }

            // Transition matrices, one per year group.
            var transitions: [Figure] = []
            for y in yearGroups {
                guard let counts = transitionCounts[y] else { continue }
                let total = counts.joined().reduce(0, +)
                let cellWords = rowsLabels.map { label in bands.map { hidden["Y\(y) KS2 \(label) \($0)"]?.words } }
                let title = "\(subjectName), Year \(y): KS2 prior attainment band × working-at grade at \(collection.name)"
                let howMany = hidden["Y\(y) graded"] == nil ? "the \(total) " : "the "
                let svg = SVG.heatMap(
                    id: "transition-\(slug)-Y\(y)", title: title,
                    description: "Heat map: \(howMany)Year \(y) pupils with a \(subjectName) grade at \(collection.name), in rows by KS2 prior attainment band (low, middle, high, none) and columns by working-at grade (lowest on the left). Each cell shows its number of pupils; darker cells hold more; a cell hidden to protect a small group shows –.",
                    rowHeading: "KS2 band", columnHeading: "working-at grade at \(collection.name)", rows: rowsLabels, columns: bands, counts: counts,
                    hidden: cellWords)
                transitions.append(Figure(title: title, svg: svg, table: Table(
                    name: "transition-Y\(y)", caption: "\(subjectName), Year \(y): pupils by KS2 band (rows) and working-at grade (columns)",
                    header: ["KS2 band"] + bands + ["total"],
                    rows: rowsLabels.enumerated().map { r, label in
                        [label] + zip(bands, counts[r]).map { shown("Y\(y) KS2 \(label) \($0)", $1) } + [shown("Y\(y) KS2 \(label)", counts[r].reduce(0, +))]
                    })))
            }

            let heads = year.staff.filter { $0.roles.contains(.headOfDepartment(subject)) }.sorted { $0.id < $1.id }.map { index.staffName($0.id) }
            return Model(schoolName: year.school.name, academicYear: year.academicYear.description, generated: generated,
                         subject: subjectName, subjectCode: subject.rawValue, collection: collection.name, heads: heads,
                         progress: progress, distributions: distributions, residuals: residuals, gaps: gaps, transitions: transitions)
        }

        /// Counts of one set of pupils at one collection: per band, and the values that are not grades.
        struct Counts {
            var grades: [Int]
            var notAssessed = 0, notRequired = 0, offScale = 0, blank = 0
        }

        static func distribution(_ pairs: [YearIndex.PupilSubject], index: YearIndex, collection: DataCollection.ID, bands: [String]) -> Counts {
            let column = Dictionary(uniqueKeysWithValues: bands.enumerated().map { ($1, $0) })
            var counts = Counts(grades: Array(repeating: 0, count: bands.count))
            for pair in pairs {
                switch index.workingAt(collection, pair) {
                case .grade(let g)?: if let c = column[g.band] { counts.grades[c] += 1 } else { counts.offScale += 1 }
                case .notAssessed?: counts.notAssessed += 1
                case .notRequired?: counts.notRequired += 1
                case .offScale?: counts.offScale += 1
                case nil: counts.blank += 1
                }
            }
            return counts
        }

        /// Renders the pack as one self-contained HTML page.
        /// - Parameter template: a school's own Mustache template instead of ``defaultTemplate``.
        /// - Throws: the template's parse error.
        public static func render(_ model: Model, template: String = Department.defaultTemplate) throws -> String {
            try LeaderPack.render(view(model), template: template)
        }

        static func view(_ model: Model) -> [String: Any] {
            [
                "schoolName": model.schoolName, "academicYear": model.academicYear, "generated": model.generated,
                "subject": model.subject, "subjectCode": model.subjectCode, "collection": model.collection,
                "heads": model.heads.isEmpty ? "nobody named (give someone the hod role)" : model.heads.joined(separator: ", "),
                "bandsExplained": LeaderPack.bandsExplained,
                "progress": LeaderPack.view(model.progress),
                "distributions": model.distributions.map(LeaderPack.view),
                "residuals": model.residuals.map { [LeaderPack.view($0)] } ?? [],
                "noResiduals": model.residuals == nil,
                "gaps": model.gaps.map { [LeaderPack.view($0)] } ?? [],
                "noGaps": model.gaps == nil,
                "transitions": model.transitions.map(LeaderPack.view),
                "noTransitions": model.transitions.isEmpty,
            ]
        }

        /// The built-in page. Values are escaped (`{{ }}`); only the charts, drawn by ``SVG``
        /// with every text escaped, are inserted raw (`{{{svg}}}`).
        public static let defaultTemplate = #"""
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <title>{{subject}} department pack — {{collection}} — {{schoolName}}</title>
        <style>
        \#(LeaderPack.style)
        </style>
        </head>
        <body>
        <header>
        <h1>{{subject}} ({{subjectCode}}): department pack</h1>
        <p class="meta">{{schoolName}} · {{academicYear}} · data from {{collection}} · head of department: {{heads}} · generated {{generated}}</p>
        </header>
        <p class="note">{{bandsExplained}} Grades are in points of the subject's scale (one GCSE grade is one point). X (not assessed), Z (not required), blank and off-scale entries are never counted as a grade.</p>
        <section>
        <h2>Progress by year group</h2>
        {{#progress}}\#(LeaderPack.tableMarkup){{/progress}}
        </section>
        <section class="page">
        <h2>Grade distributions</h2>
        {{#distributions}}\#(LeaderPack.figureMarkup){{/distributions}}
        </section>
        <section class="page">
        <h2>Residuals by class and by teacher</h2>
        <p class="note">A residual is a pupil's working-at grade minus the grade expected of them at this point. A class or teacher whose mean is below zero has pupils behind their flight paths on average; n is the number of pupils behind each mean, and the 95% interval shows how sure the mean is — an interval that crosses zero is no evidence of a difference.</p>
        {{#residuals}}\#(LeaderPack.figureMarkup){{/residuals}}
        {{#noResiduals}}<p>No entry has a progress status at this collection (no grades, or no targets).</p>{{/noResiduals}}
        </section>
        <section class="page">
        <h2>Subgroup gaps</h2>
        {{#gaps}}\#(LeaderPack.figureMarkup){{/gaps}}
        {{#noGaps}}<p>No comparison has 5 or more pupils with a status on each side, so no gap is shown.</p>{{/noGaps}}
        </section>
        <section class="page">
        <h2>Transition matrices</h2>
        <p class="note">How pupils of each KS2 prior attainment band (low, middle, high; none when no KS2 result) are spread over the working-at grades.</p>
        {{#transitions}}\#(LeaderPack.figureMarkup){{/transitions}}
        {{#noTransitions}}<p>No pupil has a grade at this collection.</p>{{/noTransitions}}
        </section>
        </body>
        </html>
        """#
    }
}
