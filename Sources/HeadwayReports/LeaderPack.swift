import HeadwayAnalytics
import HeadwayCore
import Mustache

/// The packs for leaders and governors (issue 7, item 3): a department pack per subject
/// (``Department``), a year-group pack per year group (``YearGroup``) and the governors' summary
/// (``Governors``), each for one data collection. Each is a model (display-ready text, built from
/// the indexed year and its progress statuses), a Mustache view and a built-in template a school
/// can replace; every chart is an accessible SVG with its numbers in a table beside it.
///
/// Pure: the caller loads the year, evaluates progress and writes the files; nothing here reads a
/// file or the clock ("generated" is text the caller passes).
public enum LeaderPack {
    /// A table as shown on a page: a caption, a header row and text cells (display-ready).
    public struct Table: Hashable, Sendable {
        /// A short key, unique on its page, used for the CSV file name and ids, e.g. `residuals-class`.
        public var name: String
        /// What the table shows, in words.
        public var caption: String
        /// Column headings.
        public var header: [String]
        /// Rows of cells, each as many as ``header``.
        public var rows: [[String]]

        /// A table; `rows` should each have as many cells as `header`.
        public init(name: String, caption: String, header: [String], rows: [[String]]) {
            self.name = name
            self.caption = caption
            self.header = header
            self.rows = rows
        }

        /// The same table as CSV (``CSVTable``: RFC 4180, BOM, formula cells defused).
        public var csv: CSVTable { CSVTable(name: name, header: header, rows: rows) }
    }

    /// A chart and the table of its numbers, shown side by side (issue 7, item 5: every chart has
    /// its data beside it).
    public struct Figure: Hashable, Sendable {
        /// The chart's title (also its SVG `<title>`).
        public var title: String
        /// Inline SVG drawn by ``SVG`` (every text in it escaped when drawn).
        public var svg: String
        /// The numbers the chart shows.
        public var table: Table

        /// A figure: a chart and the table of its numbers.
        public init(title: String, svg: String, table: Table) {
            self.title = title
            self.svg = svg
            self.table = table
        }
    }

    // MARK: Shared view pieces

    /// The Mustache view of a table.
    static func view(_ table: Table) -> [String: Any] {
        ["name": table.name, "caption": table.caption, "header": table.header, "rows": table.rows.map { ["cells": $0] },
         "empty": table.rows.isEmpty]
    }

    /// The Mustache view of a figure.
    static func view(_ figure: Figure) -> [String: Any] {
        ["title": figure.title, "svg": figure.svg, "table": view(figure.table)]
    }

    /// Mustache markup of a table, in the context of a ``view(_:)-(Table)`` (no partials, so
    /// that each built-in template is one file a school can edit); interpolated into templates.
    static let tableMarkup = #"<table><caption>{{caption}}</caption><thead><tr>{{#header}}<th scope="col">{{.}}</th>{{/header}}</tr></thead><tbody>{{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}</tbody></table>{{#empty}}<p class="note">None.</p>{{/empty}}"#

    /// Mustache markup of a figure: its title, the chart (inserted raw: ``SVG`` escapes its
    /// text) and its table beside it.
    static let figureMarkup = #"<figure><figcaption>{{title}}</figcaption>{{{svg}}}{{#table}}"# + tableMarkup + #"{{/table}}</figure>"#

    /// CSS every pack shares: the base look, A4 print rules, figures with their tables beside.
    static let style = ReportStyle.base + """

        @page { size: A4; margin: 12mm; }
        figure { margin: 1rem 0; display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; break-inside: avoid; }
        figure svg { max-width: 100%; height: auto; flex: 1 1 26rem; }
        figure table { flex: 0 1 auto; }
        figcaption { flex-basis: 100%; font-weight: 600; }
        table, .card { break-inside: avoid; }
        .note { color: #444; font-size: .9rem; max-width: 60rem; }
        .key { font-size: .9rem; }
        dl.summary { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
        dl.summary dt { font-weight: 600; }
        @media print { section.page { break-before: page; } section.page:first-of-type { break-before: auto; } }
        """

    // MARK: Shared helpers

    /// An id for SVG elements derived from content: letters and digits kept, anything else
    /// replaced by `-`; when anything was replaced, an FNV-1a hash of the original (6 hex digits)
    /// is appended so that two texts differing only in replaced characters stay apart. Never
    /// contains a character that needs escaping in an attribute or a `url(#…)` reference.
    static func slug(_ text: String) -> String {
        var out = ""
        var changed = false
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "-"
                changed = true
            }
        }
        guard changed || out.isEmpty else { return out }
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash & 0xFF_FFFF, radix: 16)
        return out + "-" + String(repeating: "0", count: 6 - hex.count) + hex
    }

    /// `x` with exactly `places` decimals (0–4), rounded half away from zero, ASCII `-` for
    /// negatives and no sign for a value that rounds to zero: `2.50`, `-0.07`, `0.00`. Integer
    /// arithmetic, so the same value always gives the same text whatever the locale.
    static func fixed(_ x: Double, places: Int = 2) -> String {
        let scale = [1, 10, 100, 1000, 10000][min(max(places, 0), 4)]
        let scaled = Int((abs(x) * Double(scale)).rounded())
        var text = String(scaled / scale)
        if places > 0 {
            let fraction = String(scaled % scale)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return (x < 0 && scaled > 0 ? "-" : "") + text
    }

    /// A number with a sign and two decimals: `+0.42`, `-1.50`, `0.00`.
    static func signed(_ x: Double, places: Int = 2) -> String {
        let text = fixed(x, places: places)
        return x > 0 && text != fixed(0, places: places) ? "+" + text : text
    }

    /// A percentage with one decimal: `42.9%`; `–` of nothing.
    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "–" : fixed(Double(part) * 100 / Double(whole), places: 1) + "%"
    }

    /// A mean with two decimals: `2.13`; `–` for none.
    static func decimal(_ x: Double?, places: Int = 2) -> String {
        x.map { fixed($0, places: places) } ?? "–"
    }

    /// `[-0.80, -0.05]`, or `–` when there is no interval.
    static func interval(_ i: ClosedRange<Double>?) -> String {
        i.map { "[\(signed($0.lowerBound)), \(signed($0.upperBound))]" } ?? "–"
    }

    /// The two ends of an interval as table cells (numbers stay numbers in a spreadsheet), `–`
    /// for none.
    static func bounds(_ i: ClosedRange<Double>?) -> [String] {
        i.map { [signed($0.lowerBound), signed($0.upperBound)] } ?? ["–", "–"]
    }

    /// Pence as pounds for people: `£1,234.56` (every page and terminal table that shows money).
    public static func money(_ pence: Int) -> String {
        let pounds = abs(pence) / 100, rest = abs(pence) % 100
        var digits = String(pounds)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        return (pence < 0 ? "-" : "") + "£" + digits + grouped + "." + (rest < 10 ? "0" : "") + String(rest)
    }

    /// `14 January 2027`.
    static func longDate(_ date: CalendarDate) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(date.day) \(months[date.month - 1]) \(date.year)"
    }

    /// A working-at, predicted, target or ATL value as a reader sees it: the grade code with its
    /// label where the scale gives one (`SEC Secure`, `1 Excellent`), `X (not assessed)`,
    /// `Z (not required)`, the stored text with `(not on the scale)`, or `–` when blank.
    static func text(_ value: EntryValue?) -> String {
        switch value {
        case .grade(let g)?: g.label.map { $0 == g.code ? g.code : "\(g.code) \($0)" } ?? g.code
        case .notAssessed?: "X (not assessed)"
        case .notRequired?: "Z (not required)"
        case .offScale(let raw)?: "\(raw) (not on the scale)"
        case nil: "–"
        }
    }

    /// The collections covering a year group (``DataCollection/yearGroups``; empty covers all),
    /// in sequence order.
    static func collections(_ year: SchoolYear, yearGroup: Int) -> [DataCollection] {
        year.collections.filter { $0.yearGroups.isEmpty || $0.yearGroups.contains(yearGroup) }
    }

    /// The collection before `collection` among those covering `yearGroup`; nil at its first.
    static func previous(_ collection: DataCollection, in year: SchoolYear, yearGroup: Int) -> DataCollection? {
        let own = collections(year, yearGroup: yearGroup)
        guard let i = own.firstIndex(where: { $0.id == collection.id }), i > 0 else { return nil }
        return own[i - 1]
    }

    /// The date a collection's data stands for, for a year group: its publish date in the
    /// calendar (the year group's window, else the collection's own dates), else its lock date,
    /// else its deadline; nil when none is known.
    static func date(of collection: DataCollection, yearGroup: Int, in year: SchoolYear) -> CalendarDate? {
        year.calendar.window(of: collection, yearGroup: yearGroup)?.publishes ?? collection.publishes ?? collection.locks ?? collection.deadline
    }

    /// The sentence every pack prints once to explain the progress bands.
    static let bandsExplained = "Progress compares each working-at grade with the grade expected at this point on the way to the pupil's target (the \"flight path\"): ▲ above (half a grade or more ahead), ● on track (within half a grade), ▽ below (half a grade to a grade and a half behind), ▼ well below (a grade and a half or more behind). Residual = working-at minus expected, in grades."

    /// Renders a view with a template.
    /// - Throws: the template's parse error (a school's own template that is not valid Mustache).
    static func render(_ view: [String: Any], template: String) throws -> String {
        try MustacheTemplate(string: template).render(view)
    }

    /// Statuses at one collection, optionally for one subject or year group.
    static func statuses(_ evaluation: ProgressStatus.Evaluation, collection: DataCollection.ID) -> [ProgressStatus] {
        evaluation.statuses.filter { $0.collection == collection }
    }

    /// The characteristics of the standard gap comparisons (``SubgroupGap``), in its order.
    static let standardGapCharacteristics = [Characteristic.disadvantaged, Characteristic.sen, Characteristic.eal, Characteristic.lookedAfter,
                                             Characteristic.gender, Characteristic.priorAttainmentBand]

    /// Adds the n of each class and teacher row of `rows` (one subject's, or several subjects')
    /// to `page` under `PREFIX` + `class KEY` / `teacher KEY`, returning each row's key, with the
    /// sums a reader could use: a teacher's n is the sum of their classes' (``ResidualSummary``
    /// gives a teacher their classes' values); a subject row's n is its classes' plus the entries
    /// in no class; when `yearTotals` names a year group's figure, its classes (with the entries
    /// in no class) add up to it.
    static func residualCounts(_ rows: [ResidualSummary], index: YearIndex, prefix: String = "", yearTotals: ((Int) -> String)? = nil,
                               to page: inout Disclosure.Problem) -> [String] {
        let keys = rows.map { "\(prefix)\($0.level.rawValue) \($0.key)" }
        for (row, key) in zip(rows, keys) { page.count(key, row.summary.count) }
        let classes = Dictionary(uniqueKeysWithValues: index.year.teachingGroups.map { ($0.id.rawValue, $0) })
        let classRows = rows.filter { $0.level == .teachingGroup }
        for row in rows where row.level == .teacher {
            page.sum("\(prefix)teacher \(row.key)", of: classRows.filter { classes[$0.key]?.teachers.contains(Staff.ID(row.key)) == true }
                .map { "\(prefix)class \($0.key)" })
        }
        func addUp(_ total: String, _ n: Int, _ parts: [ResidualSummary], _ name: String) {
            let classed = parts.reduce(0) { $0 + $1.summary.count }
            var keys = parts.map { "\(prefix)class \($0.key)" }
            if classed < n {
                page.latent("\(prefix)in no class \(name)", n - classed)
                keys.append("\(prefix)in no class \(name)")
            }
            page.sum(total, of: keys)
        }
        for row in rows where row.level == .subject {
            addUp("\(prefix)subject \(row.key)", row.summary.count, classRows.filter { classes[$0.key]?.subject.rawValue == row.key }, row.key)
        }
        if let yearTotals {
            let byYear = Dictionary(grouping: classRows) { classes[$0.key]?.yearGroup ?? 0 }
            for (y, parts) in byYear.sorted(by: { $0.key < $1.key }) where y > 0 {
                guard let n = page.values[yearTotals(y)] else { continue }
                addUp(yearTotals(y), n, parts, "Y\(y)")
            }
        }
        return keys
    }

    /// A gap comparison with the keys of its two groups' counts in a ``Disclosure/Problem``.
    struct GapCounts: Hashable, Sendable {
        var gap: SubgroupGap
        var groupKey: String
        var comparisonKey: String
    }

    /// The gaps on `outcome` for `characteristics`, each group's count added to `page` (keys
    /// `PREFIX` + `characteristic=value`, or `characteristic≠value` for "not F"), with the sums a
    /// reader could use: a characteristic's groups add up to the pupils with it recorded, which is
    /// `totalKey` (a latent figure, added if missing) when every pupil with an outcome has it
    /// recorded; a group and its "not" group add up to the same. Comparisons with a side under
    /// `minimumGroupSize` are left out (1 keeps them, for the page to hide).
    static func gapCounts(_ pupils: [Pupil], outcome: [Pupil.ID: Double], characteristics: [String], minimumGroupSize: Int,
                          prefix: String = "", totalKey: String = "pupils", to page: inout Disclosure.Problem) -> [GapCounts] {
        func value(_ pupil: Pupil, _ c: String) -> String? {
            c == Characteristic.priorAttainmentBand ? pupil.priorAttainment?.band?.rawValue : pupil.characteristics[c]
        }
        var valueCounts: [String: [String: Int]] = [:]
        var withOutcome = 0
        for pupil in pupils where outcome[pupil.id] != nil {
            withOutcome += 1
            for c in characteristics { if let v = value(pupil, c) { valueCounts[c, default: [:]][v, default: 0] += 1 } }
        }
        page.latent(totalKey, withOutcome)
        var allKeys: [String: String] = [:]
        for c in characteristics {
            guard let counts = valueCounts[c] else { continue }
            let recorded = counts.values.reduce(0, +)
            // Equal counts are summed as one figure: an intruder may assume the same pupils.
            let allKey = recorded == withOutcome ? totalKey : "\(prefix)recorded \(recorded)"
            page.latent(allKey, recorded)
            allKeys[c] = allKey
            let values = counts.keys.sorted()
            for v in values { page.count("\(prefix)\(c)=\(v)", counts[v]!) }
            page.sum(allKey, of: values.map { "\(prefix)\(c)=\($0)" })
        }
        let gaps = SubgroupGap.compute(pupils: pupils, outcome: outcome, minimumGroupSize: minimumGroupSize).filter { characteristics.contains($0.characteristic) }
        return gaps.map { g in
            let c = g.characteristic
            let groupKey = "\(prefix)\(c)=\(g.group)"
            var comparisonKey = "\(prefix)\(c)=\(g.comparison)"
            if valueCounts[c]?[g.comparison] == nil {
                comparisonKey = "\(prefix)\(c)≠\(g.group)"
                page.count(comparisonKey, g.difference.comparison.count)
                page.sum(allKeys[c] ?? totalKey, of: [groupKey, comparisonKey])
            }
            return GapCounts(gap: g, groupKey: groupKey, comparisonKey: comparisonKey)
        }
    }

    /// The gap table's rows and the chart's rows, with `hidden` applied: a group's n and mean read
    /// its reason when it is hidden; the gap and its interval when either group is (the chart
    /// then writes the reason instead of drawing the row).
    static func gapRows(_ rows: [GapCounts], hidden: [String: Disclosure.Reason]) -> (table: [[String]], chart: [SVG.GapRow]) {
        var table: [[String]] = []
        var chart: [SVG.GapRow] = []
        for row in rows {
            let g = row.gap, d = row.gap.difference
            let label = gapLabel(g)
            let group = hidden[row.groupKey], comparison = hidden[row.comparisonKey]
            if let reason = group ?? comparison {
                table.append([label, group?.words ?? String(d.group.count), group?.otherWords ?? signed(d.group.mean),
                              comparison?.words ?? String(d.comparison.count), comparison?.otherWords ?? signed(d.comparison.mean)]
                             + Array(repeating: reason.otherWords, count: 3))
                chart.append(SVG.GapRow(label: label, difference: nil, note: "\(reason.words): not shown to protect a small group"))
                continue
            }
            table.append([label, String(d.group.count), signed(d.group.mean), String(d.comparison.count), signed(d.comparison.mean),
                          signed(d.difference)] + bounds(d.interval))
            chart.append(SVG.GapRow(label: label, difference: d.difference, interval: d.interval, groupCount: d.group.count,
                                    comparisonCount: d.comparison.count))
        }
        return (table, chart)
    }

    static let gapHeader = ["comparison", "n", "mean residual", "compared with n", "mean residual", "gap", "95% low", "95% high"]

    /// A gap's row label, from ``PlainLabel`` (the one place the CLI, CSV and pages share):
    /// "disadvantaged vs not disadvantaged", "SEN support vs no SEN", "girls vs boys".
    static func gapLabel(_ g: SubgroupGap) -> String { PlainLabel.gap(g) }
}
