import HeadwayCore

extension SVG {
    /// One collection on a flight path chart: where it sits in the five-year course and what the
    /// pupil was expected to be working at and was working at there.
    ///
    /// Shape: `yearGroup` 7–11 and `collection` 1…`collectionsInYear` place the point on the x
    /// axis (each year group an equal band, its collections evenly spaced inside it); values are
    /// in points of the subject's scale (one GCSE grade = 1 point). A nil value is a gap — a
    /// blank, `X`, `Z` or off-scale entry, or a collection not reached — and is never drawn as 0.
    public struct FlightPathPoint: Hashable, Sendable {
        /// National Curriculum year group, 7–11.
        public var yearGroup: Int
        /// 1 = the year group's first collection of the academic year.
        public var collection: Int
        /// How many collections that year group has in the year (spacing within the year's band).
        public var collectionsInYear: Int
        /// The flight path's expected grade points here; nil when the path has none.
        public var expected: Double?
        /// The working-at grade's points; nil for a gap.
        public var workingAt: Double?
        /// What the point's tooltip says, e.g. `Year 9 DC1: working at 5, expected 4.6`.
        public var note: String

        /// A point.
        public init(yearGroup: Int, collection: Int, collectionsInYear: Int, expected: Double?, workingAt: Double?, note: String) {
            self.yearGroup = yearGroup
            self.collection = collection
            self.collectionsInYear = collectionsInYear
            self.expected = expected
            self.workingAt = workingAt
            self.note = note
        }
    }

    /// A pupil's flight path chart in one subject (issue 7, item 5): x is the course, year group
    /// by year group and collection by collection; y is the grade. Three series, each told apart
    /// by its line style and named in the legend, never by colour alone:
    /// - the flight path (expected grade at each collection): a dashed grey line;
    /// - the target: a dotted horizontal line, labelled with its grade at the right;
    /// - the working-at grades: a solid line with a round marker on each grade. A gap (nil) ends
    ///   the line and starts it again at the next grade, so a missing grade is never drawn as 0.
    /// A heavier dashed vertical line marks the move from Key Stage 3 to Key Stage 4 (between
    /// `keyStage4From − 1` and `keyStage4From`) when both sides are on the chart.
    ///
    /// Deterministic: the same input gives the same bytes (fixed number formatting, element ids
    /// from `id`). Every text is XML-escaped.
    ///
    /// - Parameters:
    ///   - id: the chart's id, unique on its page (ids of its `<title>` and `<desc>` derive from it).
    ///   - description: what the chart shows, in words (the `<desc>`); the page puts a table of
    ///     the same numbers beside it.
    ///   - points: in course order.
    ///   - target: the target's points and its label (e.g. `7`); nil for none.
    ///   - yTicks: grid lines with their labels (e.g. grade codes), lowest first; the y range covers
    ///     them and every value.
    public static func flightPath(id: String, title: String, description: String, points: [FlightPathPoint],
                                  target: (points: Double, label: String)?, yTicks: [(value: Double, label: String)],
                                  yLabel: String = "grade", keyStage4From: Int = 10) -> String {
        let width = 460.0, height = 290.0, left = 44.0, right = 64.0, top = 40.0, bottom = 44.0
        let plotW = width - left - right, plotH = height - top - bottom
        let years = Array(Set(points.map(\.yearGroup))).sorted()
        let bandW = plotW / Double(max(years.count, 1))
        func x(_ p: FlightPathPoint) -> Double {
            let band = Double(years.firstIndex(of: p.yearGroup) ?? 0)
            return left + (band + (Double(p.collection) - 0.5) / Double(max(p.collectionsInYear, p.collection, 1))) * bandW
        }
        let values = yTicks.map(\.value) + points.compactMap(\.expected) + points.compactMap(\.workingAt) + (target.map { [$0.points] } ?? [])
        var yMin = values.min() ?? 0, yMax = values.max() ?? 1
        if yMax - yMin < 1e-9 { yMin -= 0.5; yMax += 0.5 }
        func y(_ v: Double) -> Double { top + plotH - (v - yMin) / (yMax - yMin) * plotH }

        var s = header(id: id, width: width, height: height, title: title, description: description)
        // Grid and y labels.
        for tick in yTicks {
            let py = y(tick.value)
            s += "<line x1=\"\(number(left))\" y1=\"\(number(py))\" x2=\"\(number(left + plotW))\" y2=\"\(number(py))\" stroke=\"#e3e3e3\"/>"
            s += "<text x=\"\(number(left - 6))\" y=\"\(number(py + 4))\" text-anchor=\"end\" font-size=\"11\">\(escape(tick.label))</text>"
        }
        s += "<text x=\"12\" y=\"\(number(top + plotH / 2))\" transform=\"rotate(-90 12 \(number(top + plotH / 2)))\" text-anchor=\"middle\" font-size=\"11\">\(escape(yLabel))</text>"
        // Year bands, collection ticks and the key stage boundary.
        for (i, year) in years.enumerated() {
            let x0 = left + Double(i) * bandW
            if i > 0 {
                let boundary = year == keyStage4From && years[i - 1] == keyStage4From - 1
                s += "<line x1=\"\(number(x0))\" y1=\"\(number(top))\" x2=\"\(number(x0))\" y2=\"\(number(top + plotH + 30))\" stroke=\"\(boundary ? "#333" : "#ccc")\""
                    + (boundary ? " stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>" : "/>")
                if boundary {
                    s += "<text x=\"\(number(x0 - 4))\" y=\"\(number(top + 11))\" text-anchor=\"end\" font-size=\"10\">Key Stage 3</text>"
                    s += "<text x=\"\(number(x0 + 4))\" y=\"\(number(top + 11))\" font-size=\"10\">Key Stage 4</text>"
                }
            }
            s += "<text x=\"\(number(x0 + bandW / 2))\" y=\"\(number(top + plotH + 32))\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\">Year \(year)</text>"
            for p in points where p.yearGroup == year {
                let px = x(p)
                s += "<line x1=\"\(number(px))\" y1=\"\(number(top + plotH))\" x2=\"\(number(px))\" y2=\"\(number(top + plotH + 4))\" stroke=\"#333\"/>"
                s += "<text x=\"\(number(px))\" y=\"\(number(top + plotH + 15))\" text-anchor=\"middle\" font-size=\"9\">\(p.collection)</text>"
            }
        }
        s += "<line x1=\"\(number(left))\" y1=\"\(number(top + plotH))\" x2=\"\(number(left + plotW))\" y2=\"\(number(top + plotH))\" stroke=\"#333\"/>"
        s += "<line x1=\"\(number(left))\" y1=\"\(number(top))\" x2=\"\(number(left))\" y2=\"\(number(top + plotH))\" stroke=\"#333\"/>"

        // Target: dotted, labelled.
        if let target {
            let py = y(target.points)
            s += "<line x1=\"\(number(left))\" y1=\"\(number(py))\" x2=\"\(number(left + plotW))\" y2=\"\(number(py))\" stroke=\"#117864\" stroke-width=\"2\" stroke-dasharray=\"1 4\" stroke-linecap=\"round\"><title>Target: \(escape(target.label))</title></line>"
            s += "<text x=\"\(number(left + plotW + 6))\" y=\"\(number(py + 4))\" font-size=\"11\">Target \(escape(target.label))</text>"
        }
        // Runs of consecutive non-nil values: a nil breaks the line.
        func runs(_ value: (FlightPathPoint) -> Double?) -> [[(Double, Double)]] {
            var out: [[(Double, Double)]] = [], current: [(Double, Double)] = []
            for p in points {
                if let v = value(p) { current.append((x(p), y(v))) } else if !current.isEmpty { out.append(current); current = [] }
            }
            if !current.isEmpty { out.append(current) }
            return out
        }
        func path(_ run: [(Double, Double)]) -> String {
            run.enumerated().map { i, p in "\(i == 0 ? "M" : "L")\(number(p.0)) \(number(p.1))" }.joined(separator: " ")
        }
        for run in runs(\.expected) where run.count > 1 {
            s += "<path d=\"\(path(run))\" fill=\"none\" stroke=\"#666\" stroke-width=\"2\" stroke-dasharray=\"7 4\"/>"
        }
        for run in runs(\.workingAt) where run.count > 1 {
            s += "<path d=\"\(path(run))\" fill=\"none\" stroke=\"#1b4f72\" stroke-width=\"2.5\"/>"
        }
        for p in points {
            guard let v = p.workingAt else { continue }
            s += "<circle cx=\"\(number(x(p)))\" cy=\"\(number(y(v)))\" r=\"4\" fill=\"#1b4f72\" stroke=\"#fff\" stroke-width=\"1\"><title>\(escape(p.note))</title></circle>"
        }

        // Legend: a sample of each line with its name.
        let legend: [(String, String)] = [
            ("stroke=\"#1b4f72\" stroke-width=\"2.5\"", "Working at"),
            ("stroke=\"#666\" stroke-width=\"2\" stroke-dasharray=\"7 4\"", "Flight path (expected)"),
            ("stroke=\"#117864\" stroke-width=\"2\" stroke-dasharray=\"1 4\" stroke-linecap=\"round\"", "Target"),
        ]
        var lx = left
        for (i, item) in legend.enumerated() {
            s += "<line x1=\"\(number(lx))\" y1=\"14\" x2=\"\(number(lx + 24))\" y2=\"14\" \(item.0)/>"
            if i == 0 { s += "<circle cx=\"\(number(lx + 12))\" cy=\"14\" r=\"4\" fill=\"#1b4f72\" stroke=\"#fff\" stroke-width=\"1\"/>" }
            s += "<text x=\"\(number(lx + 30))\" y=\"18\" font-size=\"11\">\(escape(item.1))</text>"
            lx += [105.0, 175, 80][i]
        }
        return s + "</svg>"
    }
}
