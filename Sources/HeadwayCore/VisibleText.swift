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
