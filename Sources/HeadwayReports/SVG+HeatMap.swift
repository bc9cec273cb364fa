extension SVG {
    /// Cell fills of the heat map, lightest (no pupils) to darkest; see ``heatMap(id:title:description:rowHeading:columnHeading:rows:columns:counts:)``.
    static let heatShades = ["#ffffff", "#deebf7", "#9ecae1", "#4292c6", "#08306b"]

    /// The shade level (0–4) of a count: 0 for none; otherwise 1–4 by its share of the largest
    /// count in the map (under a quarter, under a half, under three quarters, the rest).
    static func heatLevel(_ count: Int, largest: Int) -> Int {
        guard count > 0, largest > 0 else { return 0 }
        return 1 + min(3, count * 4 / largest)
    }

    /// A heat map of counts, e.g. a transition matrix (issue 7, item 5): rows (KS2 prior
    /// attainment bands) × columns (working-at grades), each cell shaded by its count relative to
    /// the largest and **always showing its number**, so the shading is never the only cue; each
    /// cell also has a `<title>` naming its row, column and count. Text on the two darkest shades
    /// is white, elsewhere near-black (contrast above 4.5:1 on every shade).
    ///
    /// - Parameters:
    ///   - rowHeading: what the rows are, e.g. "KS2 band".
    ///   - columnHeading: what the columns are, e.g. "working-at grade at DC3".
    ///   - counts: `counts[row][column]`; missing cells count 0.
    ///   - hidden: `hidden[row][column]`, the words of a cell hidden to protect a small group
    ///     (``Disclosure/Reason/words``): drawn grey with "–" and the words in its title, never its
    ///     number, and left out of the largest count the shading is relative to.
    /// - Returns: the SVG text; every text in it is XML-escaped; same input, same bytes.
    public static func heatMap(id: String, title: String, description: String, rowHeading: String, columnHeading: String,
                               rows: [String], columns: [String], counts: [[Int]], hidden: [[String?]] = []) -> String {
        let labelW = 92.0, top = 52.0, cellH = 28.0
        let cellW = max(30.0, min(56.0, 600.0 / Double(max(columns.count, 1))))
        let width = max(560, labelW + cellW * Double(columns.count) + 16)  // room for the legend line
        let height = top + cellH * Double(rows.count) + 40
        func count(_ r: Int, _ c: Int) -> Int { r < counts.count && c < counts[r].count ? counts[r][c] : 0 }
        func words(_ r: Int, _ c: Int) -> String? { r < hidden.count && c < hidden[r].count ? hidden[r][c] : nil }
        let largest = rows.indices.flatMap { r in columns.indices.filter { words(r, $0) == nil }.map { count(r, $0) } }.max() ?? 0

        var s = header(id: id, width: width, height: height, title: title, description: description)
        s += "<text x=\"\(number(labelW + cellW * Double(columns.count) / 2))\" y=\"16\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">\(escape(columnHeading))</text>"
        s += "<text x=\"4\" y=\"\(number(top - 8))\" font-size=\"12\" font-weight=\"bold\">\(escape(rowHeading))</text>"
        for (c, column) in columns.enumerated() {
            s += "<text x=\"\(number(labelW + (Double(c) + 0.5) * cellW))\" y=\"\(number(top - 8))\" text-anchor=\"middle\" font-size=\"11\">\(escape(column))</text>"
        }
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * cellH
            s += "<text x=\"\(number(labelW - 6))\" y=\"\(number(y + cellH / 2 + 4))\" text-anchor=\"end\" font-size=\"11\">\(escape(row))</text>"
            for (c, column) in columns.enumerated() {
                let x = labelW + Double(c) * cellW
                if let words = words(r, c) {
                    s += "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(cellW))\" height=\"\(number(cellH))\" fill=\"#eeeeee\" stroke=\"#999\" stroke-width=\"0.5\"><title>\(escape(row)), \(escape(column)): \(escape(words))</title></rect>"
                    s += "<text x=\"\(number(x + cellW / 2))\" y=\"\(number(y + cellH / 2 + 4))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#111\">–</text>"
                    continue
                }
                let n = count(r, c), level = heatLevel(n, largest: largest)
                s += "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(cellW))\" height=\"\(number(cellH))\" fill=\"\(heatShades[level])\" stroke=\"#999\" stroke-width=\"0.5\"><title>\(escape(row)), \(escape(column)): \(n) pupil\(n == 1 ? "" : "s")</title></rect>"
                s += "<text x=\"\(number(x + cellW / 2))\" y=\"\(number(y + cellH / 2 + 4))\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(level >= 3 ? "#fff" : "#111")\">\(n)</text>"
            }
        }
        let legendY = top + cellH * Double(rows.count) + 16
        s += "<text x=\"4\" y=\"\(number(legendY + 10))\" font-size=\"11\">Shading: darker = more pupils (share of the largest cell, \(largest)); every cell shows its number\(hidden.joined().contains { $0 != nil } ? " or – where hidden to protect a small group" : "").</text>"
        return s + "</svg>"
    }
}
