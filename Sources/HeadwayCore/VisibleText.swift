extension String {
    /// The text on one line with every control character made visible: `\n`, `\r`, `\t`, and
    /// any other (NUL, ESC, DEL, C1 controls), line and paragraph separators and direction
    /// overrides (``isInvisibleControl``) as `\u{1B}`. For echoing values from files to a
    /// terminal or a message: a value can then neither break the line, send terminal escape
    /// sequences, nor reverse the text around it.
    public var withVisibleControlCharacters: String {
        guard unicodeScalars.contains(where: \.isInvisibleControl) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.isInvisibleControl {
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
    /// Why the text cannot be a name or code that staff read on a terminal or a page, or nil
    /// when it can (issue 12, item 13): a control character (C0, DEL or C1, which includes ESC
    /// and so terminal escape sequences; tab and line breaks too), a line or paragraph separator,
    /// or a bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069, U+061C),
    /// which can make a name display as another ("Trojan Source", CVE-2021-42574). Joiners and
    /// marks that scripts need (ZWJ, ZWNJ, combining accents) are allowed.
    public var unsafeCharacterProblem: String? {
        // Printable ASCII (nearly every name and code) holds none of them.
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        for scalar in unicodeScalars where scalar.isInvisibleControl {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            if scalar.properties.generalCategory == .control {
                return scalar.value == 0x1B
                    ? "holds an escape character (\(code)), which can send commands to a terminal"
                    : "holds a control character (\(code))"
            }
            return scalar.isDirectionControl
                ? "holds a right-to-left or left-to-right override (\(code)), which can make it display as something else"
                : "holds a line or paragraph separator (\(code))"
        }
        return nil
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

extension Unicode.Scalar {
    /// A bidirectional embedding, override or isolate, or the Arabic letter mark: U+202A–U+202E,
    /// U+2066–U+2069, U+061C (Unicode Standard Annex #9, explicit directional formatting).
    var isDirectionControl: Bool {
        switch value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x061C: true
        default: false
        }
    }

    /// A character that changes how text around it displays without showing itself: a control
    /// character (C0, DEL, C1), a line or paragraph separator (U+2028, U+2029), or a direction
    /// control (``isDirectionControl``).
    var isInvisibleControl: Bool {
        properties.generalCategory == .control || value == 0x2028 || value == 0x2029 || isDirectionControl
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
