import HeadwayAnalytics
import HeadwayCore
import Mustache

/// A file a report produces: a relative name (`index.html`, `csv/completion.csv`) and its text.
public struct ReportFile: Hashable, Sendable {
    public var name: String
    public var contents: String
}

/// The headline report for one school year after its collections: summary, completion,
/// integrity, grade distributions and progress by subgroup — one self-contained HTML page (no
/// network assets: styles inline, charts as inline SVG) and every table as CSV beside it.
public enum HeadlineReport {
    /// What the page shows, computed from analytics; every table is also a ``CSVTable``.
    public struct Model: Sendable {
        public var schoolName: String
        public var academicYear: String
        /// When the report was produced, as given by the caller (reports read no clock).
        public var generated: String
        public var summary: [(label: String, value: String)]
        public var tables: [CSVTable]
        /// Inline SVG charts, each with the name of the table that holds its data.
        public var charts: [(section: String, title: String, svg: String, table: String)]
        public var errorCount: Int
        public var warningCount: Int
        /// What the national-context section says above its table (forecast vs published); nil
        /// when the report has no context section.
        public var contextNote: String? = nil
    }

    /// Builds the model from the year's ``SchoolAnalysis``, so nothing is computed twice.
    /// - Parameter context: published England and LA figures to set the KS4 forecasts beside
    ///   (the "National and local context" section); nil or empty for none.
    public static func model(_ school: SchoolAnalysis, generated: String, context: NationalContext? = nil) -> Model {
        let index = school.index, findings = school.findings, analysis = school.progress, completions = school.completions
        let year = index.year
        var tables: [CSVTable] = []
        var charts: [(section: String, title: String, svg: String, table: String)] = []
        let subjectName = { (id: Subject.ID) in index.subjects[id]?.name ?? id.rawValue }

        tables.append(CSVTable(name: "completion", header: ["collection", "expected", "entered", "missing", "percent"],
                               rows: completions.map { [$0.collection.name, "\($0.overall.expected)", "\($0.overall.present)", "\($0.overall.missing)", pct($0.overall.percent)] }))
        if let latest = completions.last {
            for (name, lines, what) in [("completion-by-subject", latest.bySubject, "subject"), ("completion-by-teacher", latest.byTeacher, "teacher"),
                                         ("completion-by-class", latest.byClass, "class"), ("completion-by-year-group", latest.byYearGroup, "year group")] {
                tables.append(CSVTable(name: name, header: ["\(what) (\(latest.collection.name))", "expected", "entered", "missing", "percent"],
                                       rows: lines.map { [$0.label, "\($0.expected)", "\($0.present)", "\($0.missing)", pct($0.percent)] }))
            }
        }

        tables.append(integrityByOwner(findings))
        tables.append(CSVTable(name: "integrity", header: ["severity", "what", "record", "finding", "who can fix it"],
                               rows: findings.map { [$0.severity.rawValue, PlainLabel.check($0.check), $0.record, $0.message, $0.fixer] }))

        let distributions = GradeDistribution.compute(index)
        tables.append(CSVTable(name: "grade-distribution", header: ["collection", "subject", "grade", "pupils"],
                               rows: distributions.flatMap { d in
                                   d.counts.map { [d.collection.rawValue, subjectName(d.subject), $0.band, "\($0.count)"] }
                                       + [("X not assessed", d.notAssessed), ("Z not required", d.notRequired), ("off scale", d.offScale), ("blank", d.blank)]
                                       .map { [d.collection.rawValue, subjectName(d.subject), $0.0, "\($0.1)"] }
                               }))
        for (subject, items) in Dictionary(grouping: distributions, by: \.subject).sorted(by: { $0.key < $1.key }) {
            guard let bands = items.first?.counts.map(\.band) else { continue }
            let name = subjectName(subject)
            let title = "\(name): working-at grades by collection"
            let svg = SVG.groupedBars(
                id: "dist-\(subject)", title: title,
                description: "Number of pupils at each working-at grade in \(name), one bar per collection (\(items.map(\.collection.rawValue).joined(separator: ", "))). Data in grade-distribution.csv.",
                categories: bands, series: items.map { (name: $0.collection.rawValue, values: $0.counts.map { Double($0.count) }) },
                yLabel: "pupils")
            charts.append(("Grade distributions", title, svg, "grade-distribution"))
        }

        // Disclosure control (issue 12, item 11): small cells hidden, with complements; a
        // characteristic with one value in a subject ("all" of its pupils, "none" of the other
        // value) is left out, since the row's mere presence says it.
        let lone = loneValues(school.subgroups)
        let latestHidden = subgroupHidden(school.subgroups, lone: lone, count: \.latestPupils).enumerated().filter { !lone.contains($0.offset) }.map(\.element)
        let changeHidden = subgroupHidden(school.subgroups, lone: lone, count: \.changePupils).enumerated().filter { !lone.contains($0.offset) }.map(\.element)
        let subgroups = school.subgroups.enumerated().filter { !lone.contains($0.offset) }.map(\.element)
        tables.append(CSVTable(name: "subgroups",
                               header: ["year group", "characteristic", "value", "subject", "pupils graded (latest)",
                                        "mean working-at (latest)", "pupils graded first and last", "mean change first to last"],
                               rows: subgroups.enumerated().map { i, s in
                                   ["Y\(s.yearGroup)", PlainLabel.characteristic(s.characteristic), PlainLabel.value(s.value, of: s.characteristic),
                                    s.subject.map(subjectName) ?? "All subjects",
                                    latestHidden[i]?.words ?? "\(s.latestPupils)", latestHidden[i]?.otherWords ?? s.latestMean.map { fixed($0) } ?? "",
                                    changeHidden[i]?.words ?? "\(s.changePupils)", changeHidden[i]?.otherWords ?? s.changeMean.map { fixed($0) } ?? ""]
                               }))
        let valueCounts = Dictionary(grouping: subgroups.filter { $0.subject == nil }, by: \.characteristic)
        let overallScope = !valueCounts.isEmpty
        let chartRows = subgroups.enumerated().filter { changeHidden[$0.offset] == nil }.map(\.element)
            .filter { s in (overallScope ? s.subject == nil : true) && s.changeMean != nil
                && (Dictionary(grouping: subgroups.filter { $0.subject == s.subject && $0.yearGroup == s.yearGroup }, by: \.characteristic)[s.characteristic]?.count ?? 0) <= 5 }
            .map { (group: "Year \($0.yearGroup), " + PlainLabel.characteristic($0.characteristic) + (overallScope ? "" : " — \($0.subject.map(subjectName) ?? "")"),
                    label: PlainLabel.value($0.value, of: $0.characteristic), value: $0.changeMean!, count: $0.changeCount, interval: ClosedRange<Double>?.none) }
        if let first = index.collections.first, let last = index.collections.last, first.id != last.id, !chartRows.isEmpty {
            let title = "Mean change in working-at grade from \(first.name) to \(last.name), by subgroup"
            charts.append(("Progress by subgroup", title, SVG.divergingBars(
                id: "subgroup-change", title: title,
                description: "For each value of each characteristic with five values or fewer: the mean change in points, with the number of entries (pupil-subject pairs) graded in both collections, one bar per year group. Data in subgroups.csv.",
                rows: chartRows, unit: "points of the subject's scale"), "subgroups"))
        }

        tables.append(changeTable(Progress.consecutiveChanges(index), subjectName: subjectName))
        addProgress(analysis, index: index, subjectName: subjectName, tables: &tables, charts: &charts)
        addForecasts(analysis, tables: &tables)
        tables.insert(contentsOf: headlineTables(analysis, index: index, context: context), at: 0)
        var contextNote: String?
        if let context, !context.isEmpty, !analysis.forecasts.isEmpty {
            tables.append(contextTable(analysis.forecasts, context: context))
            contextNote = HeadlineReport.contextNote(context)
        } else if !analysis.forecasts.isEmpty {
            // Issue 12, item 3: say why there is no national comparison rather than leave it out.
            contextNote = "No national or local comparison. "
                + (context?.missingNote ?? "England is not shown: no DfE KS4 performance table has been imported (headway import dfe-performance FILE.csv).")
        }

        let summary: [(String, String)] = [
            ("Pupils", "\(year.pupils.count)"),
            ("Year groups", Set(year.pupils.map(\.yearGroup)).sorted().map(String.init).joined(separator: ", ")),
            ("Subjects", "\(year.subjects.count)"),
            ("Classes", "\(year.teachingGroups.count)"),
            ("Staff", "\(year.staff.count)"),
            ("Data collections", year.collections.map(\.name).joined(separator: ", ")),
            ("Assessment entries", "\(year.assessments.count)"),
            ("Pupils with KS2 prior attainment", "\(year.pupils.filter { $0.priorAttainment?.average != nil }.count)"),
        ]
        return Model(schoolName: year.school.name, academicYear: year.academicYear.description, generated: generated,
                     summary: summary, tables: tables, charts: charts,
                     errorCount: findings.filter { $0.severity == .error }.count,
                     warningCount: findings.filter { $0.severity == .warning }.count, contextNote: contextNote)
    }

    /// Renders `index.html` and `csv/NAME.csv` for every table.
    /// - Parameter template: a Mustache template replacing the built-in one (a school's own).
    /// - Throws: the template's parse error, if a replacement template is malformed.
    public static func render(_ model: Model, template: String = HeadlineReport.defaultTemplate) throws -> [ReportFile] {
        let html = try MustacheTemplate(string: template).render(view(model))
        return [ReportFile(name: "index.html", contents: html)]
            + model.tables.map { ReportFile(name: "csv/\($0.name).csv", contents: $0.text) }
    }

    /// The HTML table rows shown per table; the CSV always has every row.
    static let htmlRowLimit = 60

    static func view(_ model: Model) -> [String: Any] {
        func table(_ t: CSVTable) -> [String: Any] {
            [
                "name": t.name, "header": t.header, "rows": t.rows.prefix(htmlRowLimit).map { ["cells": $0] },
                // Mustache opens a section for any string, even an empty one: false leaves it closed.
                "more": t.rows.count > htmlRowLimit ? "\(t.rows.count - htmlRowLimit) more rows in csv/\(t.name).csv" as Any : false,
            ]
        }
        let byName = Dictionary(uniqueKeysWithValues: model.tables.map { ($0.name, $0) })
        func section(_ title: String, _ names: [String], charts: String? = nil, note: String? = nil) -> [String: Any] {
            [
                "title": title, "note": note.map { $0 as Any } ?? false,
                "charts": model.charts.filter { $0.section == charts }.map { ["svg": $0.svg, "title": $0.title, "table": $0.table] },
                "tables": names.compactMap { byName[$0] }.map(table),
            ]
        }
        let headlineNote = "Forecasts are what Years 10 and 11 would get if their latest predicted grades were their results; "
            + "England's and the local authority's figures are published results of another cohort. A gap or a Progress 8 whose "
            + "95% interval spans 0 is no evidence of a difference. Progress by year group: each pupil's mean residual (working-at "
            + "minus flight-path grade) over their subjects, averaged over the year group's pupils."
        return [
            "schoolName": model.schoolName, "academicYear": model.academicYear, "generated": model.generated,
            "summary": model.summary.map { ["label": $0.label, "value": $0.value] },
            "errorCount": "\(model.errorCount)", "warningCount": "\(model.warningCount)",
            "sections": [
                // Issue 12, item 7: what a senior leader asks first, then who must fix what.
                section("Headline: forecast results against England and the local authority, gaps, and progress by year group",
                        ["headline-ks4", "headline-gaps", "headline-progress"], note: headlineNote),
                section("Integrity: who must fix how many of what (each finding listed below the summary)", ["integrity-by-owner", "integrity"]),
                section("Forecast KS4 measures (from predicted grades; each pupil's slots in csv/ks4-forecast-pupils.csv)", ["ks4-forecast", "ks4-forecast-gaps"]),
            ] + (model.contextNote == nil ? [] : [
                section("National and local context: forecasts beside published results", ["national-context"], note: model.contextNote),
            ]) + [
                section("Progress against targets", ["progress-status", "residuals", "gaps"], charts: "Progress against targets",
                        note: "Classes and teachers are listed in the residual table only with \(SubgroupGap.minimumGroupSize) or more pupils: a mean over fewer says more about those pupils than about the teaching."),
                section("Transition matrices: pupils by KS2 band and working-at grade (all subjects in transition-matrices.csv)",
                        model.tables.map(\.name).filter { $0.hasPrefix("transition-matrix-") }),
                section("Completion", ["completion", "completion-by-subject", "completion-by-teacher", "completion-by-class", "completion-by-year-group"]),
                section("Grade distributions", ["grade-distribution"], charts: "Grade distributions"),
                section("Progress by subgroup", ["subgroups"], charts: "Progress by subgroup"),
                section("Change between collections", ["change-by-subject"]),
            ],
        ]
    }

    /// The headline tables (issue 12, item 7), first on the page:
    /// - `headline-ks4`: per forecast year group, forecast A8 and P8 with its 95% interval beside
    ///   England's and the local authority's published figures (when a DfE table is stored);
    /// - `headline-gaps`: the forecast P8 gaps with intervals, in plain words;
    /// - `headline-progress`: per year group, the share of entries in each status band and the
    ///   mean of pupils' mean residuals with its 95% interval (pupils counted once).
    static func headlineTables(_ analysis: YearAnalysis, index: YearIndex, context: NationalContext?) -> [CSVTable] {
        func f2(_ x: Double?) -> String { x.map { SVG.number($0, places: 2) } ?? "none" }
        func between(_ i: ClosedRange<Double>?) -> String { i.map { "between \(fixed($0.lowerBound)) and \(fixed($0.upperBound))" } ?? "none" }
        func published(_ row: PublishedKS4Row?, _ column: String) -> String {
            guard let row else { return context == nil || context!.isEmpty ? "no DfE table loaded" : "not known" }
            return row[column]?.display ?? "not in the file"
        }
        var tables: [CSVTable] = []
        if !analysis.forecasts.isEmpty {
            tables.append(CSVTable(
                name: "headline-ks4",
                header: ["year group", "GCSEs", "pupils", "forecast Attainment 8", "England Attainment 8", "LA Attainment 8",
                         "forecast Progress 8", "forecast Progress 8: 95% interval", "England Progress 8", "LA Progress 8"],
                rows: analysis.forecasts.map { f in
                    ["Year \(f.yearGroup)", String(f.cohortYear), String(f.cohort.pupils.count), f2(f.cohort.meanAttainment8),
                     published(context?.england, "ATT8SCR"), published(context?.localAuthority, "ATT8SCR"),
                     f.cohort.school.rounded.map(fixed) ?? "no pupils with KS2",
                     f.cohort.school.lower.flatMap { low in f.cohort.school.upper.map { low...$0 } }.map { between($0) } ?? "none",
                     published(context?.england, "P8MEA"), published(context?.localAuthority, "P8MEA")]
                }))
            tables.append(CSVTable(
                name: "headline-gaps",
                header: ["year group", "gap in forecast Progress 8", "pupils", "pupils compared with", "gap", "95% interval"],
                rows: analysis.forecasts.flatMap { f in
                    f.progress8Gaps.map { g in
                        ["Year \(f.yearGroup)", PlainLabel.gap(g), String(g.difference.group.count), String(g.difference.comparison.count),
                         fixed(g.difference.difference), between(g.difference.interval)]
                    }
                }))
        }
        guard let collection = analysis.collection else { return tables }
        // Each pupil's mean residual over their subjects, then per year group over pupils.
        var perPupil: [Pupil.ID: RunningMoments] = [:]
        for status in analysis.evaluation.statuses where status.collection == collection.id { perPupil[status.pupil, default: RunningMoments()].add(status.residual) }
        var perYear: [Int: RunningMoments] = [:]
        for (pupil, moments) in perPupil {
            guard let y = index.pupils[pupil]?.yearGroup else { continue }
            perYear[y, default: RunningMoments()].add(moments.mean)
        }
        let bands = ProgressStatus.Band.allCases
        tables.append(CSVTable(
            name: "headline-progress",
            header: ["year group", "pupils with a status", "entries with a status"] + bands.map { "% entries \($0.description)" }
                + ["mean residual per pupil (grades)", "95% interval"],
            rows: analysis.statusCounts.map { c in
                let summary = perYear[c.yearGroup].flatMap { MeanSummary($0) }
                return ["Year \(c.yearGroup)", String(summary?.count ?? 0), String(c.rated)]
                    + c.counts.map { c.rated == 0 ? "none" : pct(100 * Double($0) / Double(c.rated)) }
                    + [summary.map { fixed($0.mean) } ?? "none", between(summary?.interval)]
            }))
        return tables
    }

    /// Integrity as "who must fix how many of what": one row per person (or role) and check,
    /// with the number of findings by severity, most errors first. The detail table follows it.
    public static func integrityByOwner(_ findings: [Finding]) -> CSVTable {
        struct Key: Hashable { var fixer: String; var check: Finding.Check }
        let grouped = Dictionary(grouping: findings) { Key(fixer: $0.fixer, check: $0.check) }
        let rows = grouped.map { key, items in
            (key, items.filter { $0.severity == .error }.count, items.filter { $0.severity == .warning }.count,
             items.filter { $0.severity == .info }.count)
        }
        .sorted { ($1.1, $1.2, $1.3, $0.0.fixer, $0.0.check.rawValue) < ($0.1, $0.2, $0.3, $1.0.fixer, $1.0.check.rawValue) }
        return CSVTable(name: "integrity-by-owner", header: ["who can fix it", "what", "errors", "warnings", "notes"],
                        rows: rows.map { [$0.0.fixer, PlainLabel.check($0.0.check), String($0.1), String($0.2), String($0.3)] })
    }

    /// Forecast KS4 measures per year group, and each forecast pupil's A8/P8 with slots.
    static func addForecasts(_ analysis: YearAnalysis, tables: inout [CSVTable]) {
        guard !analysis.forecasts.isEmpty else { return }
        func f2(_ x: Double?) -> String { x.map { SVG.number($0, places: 2) } ?? "" }
        tables.append(CSVTable(
            name: "ks4-forecast",
            header: ["year group", "GCSEs", "pupils", "mean A8", "P8", "95% low", "95% high", "P8 pupils", "without KS2",
                     "EBacc entry %", "EBacc APS", "basics 4+ %", "basics 5+ %", "fewer than 8 predictions", "measured against"],
            rows: analysis.forecasts.map { f in
                let c = f.cohort
                return ["Y\(f.yearGroup)", String(f.cohortYear), String(c.pupils.count), f2(c.meanAttainment8), f2(c.school.rounded),
                        f2(c.school.lower), f2(c.school.upper), String(c.school.count), String(c.school.pupilsWithoutKS2),
                        f2(c.ebaccEntryPercent), f2(c.meanEBaccAPS), f2(c.standardPassPercent), f2(c.strongPassPercent),
                        String(f.pupilsWithFewerThanEight), c.basis.label]
            }))
        tables.append(CSVTable(
            name: "ks4-forecast-gaps",
            header: ["year group", "characteristic", "group", "pupils", "mean P8", "compared with", "pupils", "mean P8", "gap", "95% low", "95% high"],
            rows: analysis.forecasts.flatMap { f in
                f.progress8Gaps.map { g in
                    ["Y\(f.yearGroup)", PlainLabel.characteristic(g.characteristic), PlainLabel.value(g.group, of: g.characteristic),
                     String(g.difference.group.count), f2(g.difference.group.mean), PlainLabel.value(g.comparison, of: g.characteristic),
                     String(g.difference.comparison.count), f2(g.difference.comparison.mean), f2(g.difference.difference),
                     f2(g.difference.interval?.lowerBound), f2(g.difference.interval?.upperBound)]
                }
            }))
        tables.append(CSVTable(name: "ks4-forecast-pupils", header: ["year group"] + KS4Cohort.tableHeader,
                               rows: analysis.forecasts.flatMap { f in f.cohort.tableRows.map { ["Y\(f.yearGroup)"] + $0 } }))
    }

    /// Status against flight paths, residuals, gaps with intervals and transition matrices.
    static func addProgress(_ analysis: YearAnalysis, index: YearIndex, subjectName: (Subject.ID) -> String,
                            tables: inout [CSVTable], charts: inout [(section: String, title: String, svg: String, table: String)]) {
        guard let collection = analysis.collection else { return }
        tables.append(CSVTable(name: "progress-status", header: ["year group"] + ProgressStatus.Band.allCases.map(\.description) + ["no status"],
                               rows: analysis.statusCounts.map { ["Y\($0.yearGroup)"] + $0.counts.map(String.init) + [String($0.unrated)] }))
        func bounds(_ i: ClosedRange<Double>?) -> [String] { [i.map { fixed($0.lowerBound) } ?? "", i.map { fixed($0.upperBound) } ?? ""] }
        // Subjects, classes and teachers of fewer than 5 pupils are not shown individually, nor any
        // whose n would give one away (``Disclosure``); hidden rows go last in their level, since
        // a place in an order by mean would hint at theirs.
        var page = Disclosure.Problem()
        let residualKeys = LeaderPack.residualCounts(analysis.residuals, index: index, to: &page)
        let residualHidden = page.solve()
        let residualRows = zip(analysis.residuals, residualKeys).enumerated()
            .sorted { a, b in
                let ha = residualHidden[a.element.1] != nil, hb = residualHidden[b.element.1] != nil
                return (a.element.0.level.rawValue, ha ? 1 : 0, ha ? a.element.0.key : "", a.offset)
                    < (b.element.0.level.rawValue, hb ? 1 : 0, hb ? b.element.0.key : "", b.offset)
            }
            .map { _, item -> [String] in
                let (r, key) = item
                if let reason = residualHidden[key] {
                    return [r.level.rawValue, r.key, r.label, reason.words, reason.otherWords, "", ""]
                }
                return [r.level.rawValue, r.key, r.label, String(r.summary.count), fixed(r.summary.mean)] + bounds(r.summary.interval)
            }
        tables.append(CSVTable(name: "residuals", header: ["level", "key", "name", "n", "mean residual", "95% low", "95% high"], rows: residualRows))
        tables.append(CSVTable(name: "gaps", header: ["characteristic", "group", "n", "mean", "compared with", "n", "mean", "gap", "95% low", "95% high"],
                               rows: analysis.gaps.map { g in
                                   [PlainLabel.characteristic(g.characteristic), PlainLabel.value(g.group, of: g.characteristic),
                                    String(g.difference.group.count), fixed(g.difference.group.mean), PlainLabel.value(g.comparison, of: g.characteristic),
                                    String(g.difference.comparison.count), fixed(g.difference.comparison.mean), fixed(g.difference.difference)]
                                       + bounds(g.difference.interval)
                               }))
        for m in analysis.transitions where m.counts.joined().contains(where: { $0 > 0 }) {
            tables.append(CSVTable(name: "transition-matrix-\(m.subject)", header: ["\(subjectName(m.subject)): KS2 band"] + m.columns,
                                   rows: m.rows.enumerated().map { r, band in [band] + m.counts[r].map(String.init) }))
        }
        tables.append(CSVTable(name: "transition-matrices", header: ["subject", "KS2 band", "grade", "pupils"],
                               rows: analysis.transitions.flatMap { m in
                                   m.rows.enumerated().flatMap { r, band in
                                       m.columns.enumerated().map { c, grade in [subjectName(m.subject), band, grade, String(m.counts[r][c])] }
                                   }
                               }))
        if !analysis.gaps.isEmpty {
            let title = "Gaps in pupils' mean residual to flight path at \(collection.name), with 95% intervals"
            charts.append(("Progress against targets", title, SVG.divergingBars(
                id: "gaps", title: title,
                description: "For each subgroup, its mean residual (working-at minus flight-path grade, averaged over the pupil's subjects) minus its comparison group's, with the number of pupils and a 95% interval. An interval that crosses zero is no evidence of a gap. Data in gaps.csv.",
                rows: analysis.gaps.map { (group: PlainLabel.characteristic($0.characteristic), label: PlainLabel.gap($0), value: $0.difference.difference,
                                           count: $0.difference.group.count, interval: $0.difference.interval) },
                unit: "grades"), "gaps"))
        }
    }

    /// The characteristics whose values count as none/all (rule 2 of ``Disclosure``).
    static let sensitiveCharacteristics: Set<String> = [Characteristic.disadvantaged, Characteristic.sen, Characteristic.eal, Characteristic.lookedAfter]

    /// The positions of subgroup rows that are the only value of a characteristic of
    /// ``sensitiveCharacteristics`` in their year group and subject (or across all subjects).
    static func loneValues(_ rows: [SubgroupSummary]) -> Set<Int> {
        let groups = Dictionary(grouping: rows.indices.filter { sensitiveCharacteristics.contains(rows[$0].characteristic) }) {
            "Y\(rows[$0].yearGroup) \(rows[$0].characteristic) @\(rows[$0].subject?.rawValue ?? "")"
        }
        return Set(groups.values.filter { $0.count == 1 }.joined())
    }

    /// The subgroup rows to hide for one count of pupils (at the latest collection, or graded
    /// first and last), by ``Disclosure``: a group of 1–4 pupils, with complements, since a
    /// characteristic's values add up to the year group's graded pupils in the subject (one
    /// figure for every characteristic with the same total). The table shows pupils, not
    /// entries: a subject's entries are its pupils, and entries summed over subjects would give a
    /// hidden subject's pupils back. The `lone` rows (left out of the table) are figures a reader
    /// does not see.
    static func subgroupHidden(_ rows: [SubgroupSummary], lone: Set<Int>, count: KeyPath<SubgroupSummary, Int>) -> [Disclosure.Reason?] {
        func key(_ r: SubgroupSummary) -> String { "Y\(r.yearGroup) \(r.characteristic)=\(r.value) @\(r.subject?.rawValue ?? "")" }
        var page = Disclosure.Problem()
        let counted = rows.indices.filter { rows[$0][keyPath: count] > 0 }
        let groups = Dictionary(grouping: counted) { "Y\(rows[$0].yearGroup) \(rows[$0].characteristic) @\(rows[$0].subject?.rawValue ?? "")" }
        for name in groups.keys.sorted() {
            let members = groups[name]!
            let total = members.reduce(0) { $0 + rows[$1][keyPath: count] }
            for i in members {
                if lone.contains(i) { page.latent(key(rows[i]), rows[i][keyPath: count]) } else { page.count(key(rows[i]), rows[i][keyPath: count]) }
            }
            let r = rows[members[0]]
            let totalKey = "total \(total) Y\(r.yearGroup) @\(r.subject?.rawValue ?? "")"
            page.latent(totalKey, total)
            page.sum(totalKey, of: members.map { key(rows[$0]) })
        }
        let hidden = page.solve()
        return rows.map { $0[keyPath: count] > 0 ? hidden[key($0)] : nil }
    }

    /// Mean change per subject between each pair of consecutive collections, with how many rose,
    /// stayed the same and fell.
    static func changeTable(_ changes: [GradeChange], subjectName: (Subject.ID) -> String) -> CSVTable {
        let groups = Dictionary(grouping: changes) { "\($0.subject)|\($0.from)|\($0.to)" }.values
            .sorted { ($0[0].subject, $0[0].from) < ($1[0].subject, $1[0].from) }
        var rows: [[String]] = []
        for g in groups {
            let mean = g.map(\.change).reduce(0, +) / Double(g.count)
            let rose = g.filter { $0.change > 0 }.count
            let fell = g.filter { $0.change < 0 }.count
            rows.append([subjectName(g[0].subject), g[0].from.rawValue, g[0].to.rawValue, String(g.count), fixed(mean),
                         String(rose), String(g.count - rose - fell), String(fell)])
        }
        return CSVTable(name: "change-by-subject", header: ["subject", "from", "to", "pupils", "mean change", "rose", "same", "fell"], rows: rows)
    }

    static func pct(_ x: Double) -> String { SVG.number(x, places: 1) }
    static func fixed(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        let s = SVG.number(r, places: 2)
        return r > 0 ? "+" + s : s
    }
}
