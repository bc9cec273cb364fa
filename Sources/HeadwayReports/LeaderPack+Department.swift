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
        ///   ``SubgroupGap`` on each pupil's residual in the subject (comparisons with fewer than 5
        ///   pupils on a side are left out).
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

            // Progress by year group.
            let statusByYear = Dictionary(grouping: statuses) { index.pupils[$0.pupil]?.yearGroup ?? 0 }
            let progress = Table(
                name: "progress", caption: "\(subjectName): progress against the flight path at \(collection.name), by year group",
                header: ["year group", "pupils", "with a status"] + ProgressStatus.Band.allCases.reversed().map { "\($0.symbol) \($0)" }
                    + ["no status", "mean residual"],
                rows: yearGroups.map { y -> [String] in
                    let own = statusByYear[y] ?? []
                    let pupils = byYear[y]?.count ?? 0
                    let bandCounts: [String] = ProgressStatus.Band.allCases.reversed().map { b in String(own.filter { $0.band == b }.count) }
                    let mean: String = own.isEmpty ? "–" : LeaderPack.signed(own.map(\.residual).reduce(0, +) / Double(own.count))
                    return ["Year \(y)", String(pupils), String(own.count)] + bandCounts + [String(pupils - own.count), mean]
                })

            // Grade distributions per year group, this collection beside the previous one.
            var distributions: [Figure] = []
            for y in yearGroups {
                let pairs = byYear[y] ?? []
                let previous = LeaderPack.previous(collection, in: year, yearGroup: y)
                let columns = [collection] + (previous.map { [$0] } ?? [])
                let counts = columns.map { c in distribution(pairs, index: index, collection: c.id, bands: bands) }
                let series = zip(columns, counts).reversed().map { (name: $0.0.name, values: $0.1.grades.map(Double.init)) }
                let title = "\(subjectName), Year \(y): pupils at each working-at grade"
                let svg = SVG.groupedBars(
                    id: "dist-\(slug)-Y\(y)", title: title,
                    description: "Bar chart: for each working-at grade of \(subjectName) (lowest on the left), the number of the \(pairs.count) Year \(y) pupils expected at \(collection.name) who were at it"
                        + (previous.map { " at \($0.name) (first bar) and at \(collection.name) (second bar, hatched)" } ?? " at \(collection.name)")
                        + ". X, Z, blank and off-scale entries are not grades and are counted in the table only.",
                    categories: bands, series: series, yLabel: "pupils")
                let header = ["grade"] + series.map(\.name)
                var rows = bands.enumerated().map { i, band in [band] + zip(columns, counts).reversed().map { String($0.1.grades[i]) } }
                for (label, key) in [("X not assessed", \Counts.notAssessed), ("Z not required", \Counts.notRequired),
                                     ("off the scale", \Counts.offScale), ("blank (not entered)", \Counts.blank)] {
                    rows.append([label] + zip(columns, counts).reversed().map { String($0.1[keyPath: key]) })
                }
                distributions.append(Figure(title: title, svg: svg, table: Table(
                    name: "distribution-Y\(y)", caption: "\(subjectName), Year \(y): pupils by working-at grade", header: header, rows: rows)))
            }

            // Residuals by class and by teacher.
            let summaries = ResidualSummary.compute(statuses.map { (pair: YearIndex.PupilSubject($0.pupil, $0.subject), residual: $0.residual) },
                                                    index: index)
                // Classes and teachers are ranked only with 5 or more pupils (issue 12, item 7).
                .filter { $0.level != .subject && $0.summary.count >= SubgroupGap.minimumGroupSize }
            var residuals: Figure?
            if !summaries.isEmpty {
                let title = "\(subjectName): mean residual at \(collection.name) by class and by teacher"
                let levelName = { (level: ResidualSummary.Level) in level == .teacher ? "By teacher" : "By class" }
                let svg = SVG.divergingBars(
                    id: "residuals-\(slug)", title: title,
                    description: "Horizontal bars: for each class, then each teacher, of \(subjectName), the mean residual (working-at minus the flight-path grade, in grades) at \(collection.name), lowest first; bars left of zero are behind the flight path, right of zero ahead. The number of pupils (n) and a 95% interval are written beside each bar.",
                    rows: summaries.map { (group: levelName($0.level), label: $0.label, value: $0.summary.mean, count: $0.summary.count,
                                           interval: $0.summary.interval) },
                    unit: "grades")
                residuals = Figure(title: title, svg: svg, table: Table(
                    name: "residuals", caption: "\(subjectName): mean residual by class and by teacher with \(SubgroupGap.minimumGroupSize) or more pupils (a class with two teachers counts for both)",
                    header: ["level", "class or teacher", "n", "mean residual", "95% low", "95% high"],
                    rows: summaries.map { [$0.level == .teacher ? "teacher" : "class", $0.label, String($0.summary.count),
                                           LeaderPack.signed($0.summary.mean)] + LeaderPack.bounds($0.summary.interval) }))
            }

            // Gaps in each pupil's residual in the subject.
            var outcome: [Pupil.ID: Double] = [:]
            for s in statuses { outcome[s.pupil] = s.residual }
            let found = SubgroupGap.compute(pupils: year.pupils, outcome: outcome)
            var gaps: Figure?
            if !found.isEmpty {
                let (rows, chartRows) = LeaderPack.gapRows(found)
                let title = "\(subjectName): gaps in residual at \(collection.name), with 95% intervals"
                gaps = Figure(title: title, svg: SVG.gaps(
                    id: "gaps-\(slug)", title: title,
                    description: "Forest plot: for each comparison of pupil groups in \(subjectName) (each with 5 or more pupils), the gap between the groups' mean residuals at \(collection.name) in grades, as a square, with its 95% interval as a line; left of zero the first group is behind. The gap, interval and both groups' sizes are written beside each row.",
                    rows: chartRows, unit: "grades"),
                    table: Table(name: "gaps", caption: "\(subjectName): gaps in mean residual (group minus comparison; Welch 95% interval)",
                                 header: LeaderPack.gapHeader, rows: rows))
            }

            // Transition matrices, one per year group.
            let rowsLabels = PriorAttainment.Band.allCases.map(\.rawValue) + ["none"]
            var transitions: [Figure] = []
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
                let title = "\(subjectName), Year \(y): KS2 prior attainment band × working-at grade at \(collection.name)"
                let svg = SVG.heatMap(
                    id: "transition-\(slug)-Y\(y)", title: title,
                    description: "Heat map: the \(total) Year \(y) pupils with a \(subjectName) grade at \(collection.name), in rows by KS2 prior attainment band (low, middle, high, none) and columns by working-at grade (lowest on the left). Each cell shows its number of pupils; darker cells hold more.",
                    rowHeading: "KS2 band", columnHeading: "working-at grade at \(collection.name)", rows: rowsLabels, columns: bands, counts: counts)
                transitions.append(Figure(title: title, svg: svg, table: Table(
                    name: "transition-Y\(y)", caption: "\(subjectName), Year \(y): pupils by KS2 band (rows) and working-at grade (columns)",
                    header: ["KS2 band"] + bands + ["total"],
                    rows: rowsLabels.enumerated().map { r, label in [label] + counts[r].map(String.init) + [String(counts[r].reduce(0, +))] })))
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
