extension SVG {
    /// A small line chart of one pupil's working-at grade over the year's collections against
    /// the grade expected at each on the way to their target (issue 7, item 1: the parent
    /// report's trend chart).
    ///
    /// Shape: one x position per collection (`labels`, left to right, written under the plot);
    /// the y axis runs over `range` in points of the subject's scale, `range.lowerBound` at the
    /// bottom. The working-at series is a solid line with filled circles; a nil value (blank, `X`
    /// not assessed, `Z` not required) is a gap in the line, never a zero. The expected series is
    /// a dashed line with open diamonds, so the two differ by line style and marker shape as well
    /// as colour. Values outside `range` are drawn at its edge.
    ///
    /// The chart carries `role="img"`, a `<title>` and a `<desc>` (``header(id:width:height:title:description:)``);
    /// every text is XML-escaped and every number written with fixed formatting, so the same
    /// input gives the same bytes.
    ///
    /// - Parameters:
    ///   - id: unique within the page; used for the title and description ids (escaped).
    ///   - labels: one per collection.
    ///   - workingAt: points per label, nil for a gap; shorter arrays are padded with gaps.
    ///   - expected: expected points per label, nil where there is none (no target).
    ///   - range: the y axis, in points; a range of zero width is widened by one point each way.
    ///   - axis: text for the bottom and top of the y axis (e.g. the lowest and highest grade),
    ///     written at the left of the plot; nil for none.
    ///   - width, height: the drawing's size in CSS pixels.
    public static func trend(id: String, title: String, description: String, labels: [String],
                             workingAt: [Double?], expected: [Double?], range: ClosedRange<Double>,
                             axis: (low: String, high: String)? = nil, width: Double = 140, height: Double = 64) -> String {
        let fontSize = SVG.trendFontSize
        let low = range.lowerBound == range.upperBound ? range.lowerBound - 1 : range.lowerBound
        let high = range.lowerBound == range.upperBound ? range.upperBound + 1 : range.upperBound
        // Text at 12 px (9 pt) so it prints readably (issue 12, item 8).
        let left = axis == nil ? 8.0 : 8.0 + max(SVG.textWidth(axis!.low, fontSize: fontSize), SVG.textWidth(axis!.high, fontSize: fontSize)),
            right = 8.0, top = 7.0, bottom = fontSize + 5
        let plotW = width - left - right, plotH = height - top - bottom
        let n = labels.count
        func x(_ i: Int) -> Double { n <= 1 ? left + plotW / 2 : left + plotW * Double(i) / Double(n - 1) }
        func y(_ v: Double) -> Double { top + plotH - (min(max(v, low), high) - low) / (high - low) * plotH }
        func value(_ values: [Double?], _ i: Int) -> Double? { i < values.count ? values[i] : nil }

        var s = header(id: id, width: width, height: height, title: title, description: description)
        // The plot's frame: top and bottom of the scale.
        for v in [low, high] {
            s += "<line x1=\"\(number(left))\" y1=\"\(number(y(v)))\" x2=\"\(number(width - right))\" y2=\"\(number(y(v)))\" stroke=\"#bbb\" stroke-width=\"0.6\"/>"
        }
        if let axis {
            for (v, text) in [(low, axis.low), (high, axis.high)] {
                s += "<text x=\"\(number(left - 5))\" y=\"\(number(y(v) + 4))\" text-anchor=\"end\" font-size=\"\(number(fontSize))\">\(escape(text))</text>"
            }
        }
        // Expected: dashed, open diamonds.
        s += polylines((0..<n).map { i in value(expected, i).map { (x(i), y($0)) } },
                       style: "fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\" stroke-dasharray=\"3 2\"")
        for i in 0..<n {
            guard let v = value(expected, i) else { continue }
            let cx = x(i), cy = y(v)
            s += "<path d=\"M\(number(cx)) \(number(cy - 3.2)) L\(number(cx + 3.2)) \(number(cy)) L\(number(cx)) \(number(cy + 3.2)) L\(number(cx - 3.2)) \(number(cy)) Z\" fill=\"#fff\" stroke=\"#555\" stroke-width=\"1\"/>"
        }
        // Working at: solid, filled circles; a gap breaks the line.
        s += polylines((0..<n).map { i in value(workingAt, i).map { (x(i), y($0)) } },
                       style: "fill=\"none\" stroke=\"\(palette[0])\" stroke-width=\"1.8\"")
        for i in 0..<n {
            guard let v = value(workingAt, i) else { continue }
            s += "<circle cx=\"\(number(x(i)))\" cy=\"\(number(y(v)))\" r=\"2.6\" fill=\"\(palette[0])\"/>"
        }
        for (i, label) in labels.enumerated() {
            let anchor = n <= 1 ? "middle" : i == 0 ? "start" : i == n - 1 ? "end" : "middle"
            s += "<text x=\"\(number(x(i)))\" y=\"\(number(height - 2))\" text-anchor=\"\(anchor)\" font-size=\"\(number(fontSize))\">\(escape(label))</text>"
        }
        return s + "</svg>"
    }

    /// The trend chart's text size in CSS pixels: 12 px is 9 pt, the smallest size Headway prints.
    public static let trendFontSize = 12.0

    /// One `<polyline>` per run of consecutive points (nil ends a run); a run of one point draws
    /// no line (its marker shows it).
    static func polylines(_ points: [(Double, Double)?], style: String) -> String {
        var out = "", run: [(Double, Double)] = []
        func flush() {
            if run.count > 1 {
                out += "<polyline points=\"" + run.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " ") + "\" \(style)/>"
            }
            run = []
        }
        for point in points {
            if let point { run.append(point) } else { flush() }
        }
        flush()
        return out
    }
}
