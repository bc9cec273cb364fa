extension SVG {
    /// One row of a gap chart: a comparison, its gap (group mean − comparison mean) and its 95%
    /// interval, with both groups' sizes; or, with no gap, a note saying why none is shown (e.g.
    /// suppressed because a group has fewer than 5 pupils).
    public struct GapRow: Hashable, Sendable {
        /// What is compared, e.g. "Disadvantaged (pupil premium) vs other pupils".
        public var label: String
        /// The gap in the chart's unit; nil when not shown.
        public var difference: Double?
        /// Its 95% interval; nil when it cannot be estimated.
        public var interval: ClosedRange<Double>?
        /// Pupils in the group; nil when not shown.
        public var groupCount: Int?
        /// Pupils in the comparison group; nil when not shown.
        public var comparisonCount: Int?
        /// Shown instead of the gap when ``difference`` is nil.
        public var note: String?

        /// A row; give `note` when `difference` is nil.
        public init(label: String, difference: Double?, interval: ClosedRange<Double>? = nil, groupCount: Int? = nil,
                    comparisonCount: Int? = nil, note: String? = nil) {
            self.label = label
            self.difference = difference
            self.interval = interval
            self.groupCount = groupCount
            self.comparisonCount = comparisonCount
            self.note = note
        }
    }

    /// A forest plot of subgroup gaps (issue 7, item 5): one row per comparison, the gap as a
    /// square on a horizontal axis centred on zero, its 95% interval as a line with end caps,
    /// and the numbers written beside it (`-0.42 [-0.80, -0.05] n 30 / 500`).
    ///
    /// The square is filled when the interval lies wholly on one side of zero (evidence of a gap)
    /// and hollow when the interval includes zero or cannot be estimated — a shape cue, and the
    /// legend and the written interval say the same, so colour is never the only cue. The axis
    /// runs to the largest |value| or interval end, at least 0.5, rounded up to a tick step.
    ///
    /// - Parameters:
    ///   - id: a content-derived id, unique on the page; used for the `<title>`/`<desc>` ids.
    ///   - unit: the axis unit in words, e.g. "grades".
    /// - Returns: the SVG text; every text in it is XML-escaped; same input, same bytes.
    public static func gaps(id: String, title: String, description: String, rows: [GapRow], unit: String) -> String {
        let width = 720.0, labelW = 250.0, plotLeft = 262.0, plotW = 230.0, top = 34.0, rowH = 24.0
        let zero = plotLeft + plotW / 2
        let plotBottom = top + Double(max(rows.count, 1)) * rowH
        let height = plotBottom + 58
        let largest = rows.flatMap { r in [r.difference, r.interval?.lowerBound, r.interval?.upperBound].compactMap { $0.map(abs) } }.max() ?? 0
        let step = niceStep(max(largest, 0.5) / 2)
        let extent = (max(largest, 0.5) / step).rounded(.up) * step
        func x(_ value: Double) -> Double { zero + value / extent * plotW / 2 }

        var s = header(id: id, width: width, height: height, title: title, description: description)
        s += "<text x=\"\(number(zero))\" y=\"18\" text-anchor=\"middle\" font-size=\"11\">gap (\(escape(unit))): left of 0 the group is behind, right of 0 ahead</text>"
        // Grid and ticks.
        var tick = -extent
        while tick <= extent + 1e-9 {
            let tx = x(tick)
            s += "<line x1=\"\(number(tx))\" y1=\"\(number(top))\" x2=\"\(number(tx))\" y2=\"\(number(plotBottom))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(number(tx))\" y=\"\(number(plotBottom + 14))\" text-anchor=\"middle\" font-size=\"10\">\(escape(LeaderPack.signed(tick)))</text>"
            tick += step
        }
        s += "<line x1=\"\(number(zero))\" y1=\"\(number(top))\" x2=\"\(number(zero))\" y2=\"\(number(plotBottom))\" stroke=\"#333\" stroke-width=\"1.2\"/>"
        for (i, row) in rows.enumerated() {
            let y = top + Double(i) * rowH, mid = y + rowH / 2
            s += "<text x=\"\(number(labelW))\" y=\"\(number(mid + 4))\" text-anchor=\"end\" font-size=\"11\">\(escape(row.label))</text>"
            guard let d = row.difference else {
                s += "<text x=\"\(number(plotLeft + 4))\" y=\"\(number(mid + 4))\" font-size=\"11\" font-style=\"italic\" fill=\"#444\">\(escape(row.note ?? "not shown"))</text>"
                continue
            }
            var note = LeaderPack.signed(d)
            var excludesZero = false
            if let ci = row.interval {
                let x0 = x(ci.lowerBound), x1 = x(ci.upperBound)
                s += "<line x1=\"\(number(x0))\" y1=\"\(number(mid))\" x2=\"\(number(x1))\" y2=\"\(number(mid))\" stroke=\"#111\" stroke-width=\"1.5\"/>"
                for cap in [x0, x1] {
                    s += "<line x1=\"\(number(cap))\" y1=\"\(number(mid - 5))\" x2=\"\(number(cap))\" y2=\"\(number(mid + 5))\" stroke=\"#111\" stroke-width=\"1.5\"/>"
                }
                note += " [\(LeaderPack.signed(ci.lowerBound)), \(LeaderPack.signed(ci.upperBound))]"
                excludesZero = ci.lowerBound > 0 || ci.upperBound < 0
            } else {
                note += " (no interval)"
            }
            if let a = row.groupCount, let b = row.comparisonCount { note += " n \(a) / \(b)" }
            let fill = excludesZero ? palette[0] : "#fff"
            s += "<rect x=\"\(number(x(d) - 4.5))\" y=\"\(number(mid - 4.5))\" width=\"9\" height=\"9\" fill=\"\(fill)\" stroke=\"\(palette[0])\" stroke-width=\"1.5\"><title>\(escape(row.label)): \(escape(note))</title></rect>"
            s += "<text x=\"\(number(plotLeft + plotW + 10))\" y=\"\(number(mid + 4))\" font-size=\"11\">\(escape(note))</text>"
        }
        let legendY = plotBottom + 36
        s += "<rect x=\"\(number(plotLeft))\" y=\"\(number(legendY - 9))\" width=\"9\" height=\"9\" fill=\"\(palette[0])\" stroke=\"\(palette[0])\" stroke-width=\"1.5\"/>"
        s += "<text x=\"\(number(plotLeft + 14))\" y=\"\(number(legendY))\" font-size=\"11\">95% interval excludes 0: evidence of a gap</text>"
        s += "<rect x=\"\(number(plotLeft))\" y=\"\(number(legendY + 6))\" width=\"9\" height=\"9\" fill=\"#fff\" stroke=\"\(palette[0])\" stroke-width=\"1.5\"/>"
        s += "<text x=\"\(number(plotLeft + 14))\" y=\"\(number(legendY + 15))\" font-size=\"11\">interval includes 0 (or none): no evidence of a gap</text>"
        return s + "</svg>"
    }
}
