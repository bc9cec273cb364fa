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
