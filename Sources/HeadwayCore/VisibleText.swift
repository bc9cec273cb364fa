extension String {
    /// The text on one line with every control character made visible: `\n`, `\r`, `\t`, and
    /// any other (NUL, ESC, DEL, C1 controls) as `\u{1B}`. For echoing values from files to a
    /// terminal or a message: a value can then neither break the line nor send terminal escape
    /// sequences.
    public var withVisibleControlCharacters: String {
        guard unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.properties.generalCategory == .control {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

extension String {
    /// The text safe inside an XML or HTML element or attribute: `& < > " '` as entities
    /// (`'` as `&#39;`, which HTML and XML both read). For SVG charts and generated XML.
    public var xmlEscaped: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for ch in self {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}

extension String {
    /// The text cut to at most `limit` characters for a message, with how long it was:
    /// `Adno,UPN,Surname,…(cut: 52,428,800 bytes in all)`. Unchanged when short enough. One helper
    /// for every message that quotes a value, a header or a line from a file (issue 12: a 50 MB
    /// one-line file once printed its whole header in every message).
    public func cutForMessage(_ limit: Int = 120) -> String {
        // Cheap test first: the UTF-8 length of a native string is known without a scan.
        guard utf8.count > limit else { return self }
        var end = startIndex
        var kept = 0
        while kept < limit, end < endIndex {
            formIndex(after: &end)
            kept += 1
        }
        guard end < endIndex else { return self }
        return String(self[..<end]) + "…(cut: \(utf8.count) bytes in all)"
    }
}
