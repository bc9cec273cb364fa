import HeadwayCore

/// Deterministic, accessible SVG charts: each has a `<title>` and `<desc>`, text labels on every
/// series (colour is never the only cue), fixed number formatting, and no scripts or external
/// assets. Every text value is XML-escaped.
public enum SVG {
    /// Escapes `& < > " '` for XML text and attributes (``Swift/String/xmlEscaped``).
    public static func escape(_ text: String) -> String { text.xmlEscaped }

    /// Fixed-point text for coordinates and values: up to `places` decimals, no trailing zeros.
    static func number(_ x: Double, places: Int = 1) -> String {
        let scale = Double([1, 10, 100, 1000][min(places, 3)])
        let r = (x * scale).rounded() / scale
        if r == r.rounded() { return String(Int(r)) }
        var s = String(r)
        if let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) - 1 > places {
            s = String(s[...s.index(dot, offsetBy: places)])
        }
        return s
    }

    /// Series fills, dark enough for white text and distinguishable in greyscale by their order;
    /// each series is also labelled in the legend and by hatching for the second and third.
    static let palette = ["#1b4f72", "#7d3c98", "#b9770e", "#117864", "#922b21"]

    /// A grouped vertical bar chart: for each category (grade band), one bar per series
    /// (collection), heights are counts.
    ///
    /// - Parameters:
    ///   - categories: x-axis labels, left to right.
    ///   - series: (name, one value per category); a value that is not a number (`.nan`) is a
    ///     figure hidden to protect a small group (``Disclosure``): no bar is drawn, its title says
    ///     so, and it plays no part in the scale.
    public static func groupedBars(id: String, title: String, description: String, categories: [String],
                                   series: [(name: String, values: [Double])], yLabel: String) -> String {
        let width = 640.0, height = 300.0, left = 48.0, right = 12.0, top = 36.0, bottom = 44.0
        let plotW = width - left - right, plotH = height - top - bottom
        let maxValue = max(1, series.flatMap(\.values).filter { !$0.isNaN }.max() ?? 1)
        let tick = niceStep(maxValue / 4)
        let yMax = (maxValue / tick).rounded(.up) * tick
        let groupW = plotW / Double(max(categories.count, 1))
        let barW = groupW * 0.8 / Double(max(series.count, 1))
        var s = header(id: id, width: width, height: height, title: title, description: description)
        s += patterns(id: id)
        var y = 0.0
        while y <= yMax + 1e-9 {
            let py = top + plotH - y / yMax * plotH
            s += "<line x1=\"\(number(left))\" y1=\"\(number(py))\" x2=\"\(number(width - right))\" y2=\"\(number(py))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(number(left - 4))\" y=\"\(number(py + 4))\" text-anchor=\"end\" font-size=\"11\">\(number(y))</text>"
            y += tick
        }
        for (ci, category) in categories.enumerated() {
            let gx = left + Double(ci) * groupW + groupW * 0.1
            for (si, serie) in series.enumerated() {
                let value = ci < serie.values.count ? serie.values[ci] : 0
                if value.isNaN {
                    s += "<title>\(escape(serie.name)), \(escape(category)): not shown, to protect a small group</title>"
                    continue
                }
                let h = value / yMax * plotH
                let x = gx + Double(si) * barW
                s += "<rect x=\"\(number(x))\" y=\"\(number(top + plotH - h))\" width=\"\(number(barW))\" height=\"\(number(h))\" fill=\"\(palette[si % palette.count])\"><title>\(escape(serie.name)), \(escape(category)): \(number(value))</title></rect>"
                if si > 0, h > 0 {
                    s += "<rect x=\"\(number(x))\" y=\"\(number(top + plotH - h))\" width=\"\(number(barW))\" height=\"\(number(h))\" fill=\"url(#\(id)-hatch\(min(si, 2)))\"/>"
                }
            }
            s += "<text x=\"\(number(left + (Double(ci) + 0.5) * groupW))\" y=\"\(number(top + plotH + 16))\" text-anchor=\"middle\" font-size=\"11\">\(escape(category))</text>"
        }
        s += "<line x1=\"\(number(left))\" y1=\"\(number(top + plotH))\" x2=\"\(number(width - right))\" y2=\"\(number(top + plotH))\" stroke=\"#333\"/>"
        s += "<text x=\"12\" y=\"\(number(top + plotH / 2))\" transform=\"rotate(-90 12 \(number(top + plotH / 2)))\" text-anchor=\"middle\" font-size=\"11\">\(escape(yLabel))</text>"
        for (si, serie) in series.enumerated() {
            let lx = left + Double(si) * 130
            s += "<rect x=\"\(number(lx))\" y=\"8\" width=\"14\" height=\"14\" fill=\"\(palette[si % palette.count])\"/>"
            if si > 0 { s += "<rect x=\"\(number(lx))\" y=\"8\" width=\"14\" height=\"14\" fill=\"url(#\(id)-hatch\(min(si, 2)))\"/>" }
            s += "<text x=\"\(number(lx + 18))\" y=\"19\" font-size=\"12\">\(escape(serie.name))</text>"
        }
        return s + "</svg>"
    }

    /// A horizontal bar chart of signed values around zero, one labelled row per item, with
    /// the value and count written beside each bar; rows may be grouped under headings.
    /// - Parameter rows: each may carry a 95% interval, drawn as a whisker across the bar end.
    public static func divergingBars(id: String, title: String, description: String,
                                     rows: [(group: String, label: String, value: Double, count: Int, interval: ClosedRange<Double>?)],
                                     unit: String) -> String {
        // Issue 12, item 8: the label column is as wide as the longest label and the drawing as
        // wide as the longest note needs, so no text is cut off at either edge.
        let rowH = 22.0, top = 30.0, plotW = 330.0
        let labelW = max(120, (rows.map { textWidth($0.label, fontSize: 11) }.max() ?? 0) + 12)
        var lines: [(heading: String?, row: (label: String, value: Double, count: Int, interval: ClosedRange<Double>?)?)] = []
        var lastGroup: String?
        for r in rows {
            if r.group != lastGroup { lines.append((r.group, nil)); lastGroup = r.group }
            lines.append((nil, (r.label, r.value, r.count, r.interval)))
        }
        let height = top + Double(lines.count) * rowH + 30
        let extent = max(0.5, rows.flatMap { [abs($0.value), abs($0.interval?.lowerBound ?? 0), abs($0.interval?.upperBound ?? 0)] }.max() ?? 0.5)
        let zero = labelW + plotW / 2
        // The note beside a bar starts right of the bar or interval, at most at the plot's right edge.
        let noteW = rows.map { r -> Double in
            var note = "\(r.value >= 0 ? "+" : "−")\(number(abs(r.value), places: 2)) (n = \(r.count))"
            if let ci = r.interval { note += " [\(number(ci.lowerBound, places: 2)), \(number(ci.upperBound, places: 2))]" }
            return textWidth(note, fontSize: 11) + 8
        }.max() ?? 0
        let headingW = (rows.map { textWidth($0.group, fontSize: 12, bold: true) + 8 }.max() ?? 0)
        let width = max(640, labelW + plotW + noteW, headingW)
        var s = header(id: id, width: width, height: height, title: title, description: description)
        s += "<text x=\"\(number(zero))\" y=\"20\" text-anchor=\"middle\" font-size=\"11\">0 (\(escape(unit)))</text>"
        for (i, line) in lines.enumerated() {
            let y = top + Double(i) * rowH
            if let heading = line.heading {
                s += "<text x=\"4\" y=\"\(number(y + 15))\" font-size=\"12\" font-weight=\"bold\">\(escape(heading))</text>"
            } else if let row = line.row {
                let w = abs(row.value) / extent * plotW / 2
                let x = row.value < 0 ? zero - w : zero
                s += "<text x=\"\(number(labelW - 6))\" y=\"\(number(y + 15))\" text-anchor=\"end\" font-size=\"11\">\(escape(row.label))</text>"
                s += "<rect x=\"\(number(x))\" y=\"\(number(y + 4))\" width=\"\(number(w))\" height=\"14\" fill=\"\(row.value < 0 ? palette[2] : palette[0])\"><title>\(escape(row.label)): \(number(row.value, places: 2)) (n = \(row.count))</title></rect>"
                var note = "\(row.value >= 0 ? "+" : "−")\(number(abs(row.value), places: 2)) (n = \(row.count))"
                var tx = row.value < 0 ? zero + 4 : zero + w + 4
                if let ci = row.interval {
                    let x0 = zero + ci.lowerBound / extent * plotW / 2, x1 = zero + ci.upperBound / extent * plotW / 2
                    s += "<line x1=\"\(number(x0))\" y1=\"\(number(y + 11))\" x2=\"\(number(x1))\" y2=\"\(number(y + 11))\" stroke=\"#111\" stroke-width=\"1.5\"/>"
                    for x in [x0, x1] {
                        s += "<line x1=\"\(number(x))\" y1=\"\(number(y + 6))\" x2=\"\(number(x))\" y2=\"\(number(y + 16))\" stroke=\"#111\" stroke-width=\"1.5\"/>"
                    }
                    note += " [\(number(ci.lowerBound, places: 2)), \(number(ci.upperBound, places: 2))]"
                    tx = max(tx, x1 + 4)
                }
                s += "<text x=\"\(number(tx))\" y=\"\(number(y + 15))\" font-size=\"11\">\(escape(note))</text>"
            }
        }
        s += "<line x1=\"\(number(zero))\" y1=\"\(number(top))\" x2=\"\(number(zero))\" y2=\"\(number(height - 24))\" stroke=\"#333\"/>"
        return s + "</svg>"
    }

    /// A safe upper estimate of a text's width in the drawing's units: 0.6 em per character
    /// (0.66 bold), wider than the average sans-serif letter, so a box sized with it holds the
    /// text in any common font.
    static func textWidth(_ text: String, fontSize: Double, bold: Bool = false) -> Double {
        Double(text.count) * fontSize * (bold ? 0.66 : 0.6)
    }

    static func header(id: String, width: Double, height: Double, title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(number(width)) \(number(height))\" width=\"\(number(width))\" height=\"\(number(height))\" role=\"img\" aria-labelledby=\"\(escape(id))-title \(escape(id))-desc\" font-family=\"sans-serif\"><title id=\"\(escape(id))-title\">\(escape(title))</title><desc id=\"\(escape(id))-desc\">\(escape(description))</desc>"
    }

    static func patterns(id: String) -> String {
        "<defs><pattern id=\"\(escape(id))-hatch1\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><path d=\"M0 6 L6 0\" stroke=\"#fff\" stroke-width=\"1.2\"/></pattern><pattern id=\"\(escape(id))-hatch2\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><circle cx=\"3\" cy=\"3\" r=\"1.2\" fill=\"#fff\"/></pattern></defs>"
    }

    /// 1, 2 or 5 × a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 else { return 1 }
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        for m in [1.0, 2, 5, 10] where m * power >= raw { return m * power }
        return 10 * power
    }
}
