import HeadwayCore
import TOMLKit

/// A TOML document as plain Swift values, converted once from TOMLKit's tree (whose tables are
/// non-`Sendable` reference types over C++ storage) so that the rest of the module works on
/// values.
enum TOMLNode: Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case date(year: Int, month: Int, day: Int)
    /// A time or date-time: not used by Headway's files, kept so it can be named in an error.
    case other(String)
    case array([TOMLNode])
    case table([String: TOMLNode])

    /// Parses TOML text; a syntax error becomes an ``ImportIssue`` at the line TOMLKit reports.
    static func parse(_ text: String, file: String) throws(ImportIssue) -> [String: TOMLNode] {
        try rejectControlCharacters(text, file: file)
        try checkStructure(text, file: file)
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ImportIssue(.mappingSyntax, file: file, line: error.source.begin.line,
                              reason: "not valid TOML: \(error.description)")
        } catch {
            throw ImportIssue(.mappingSyntax, file: file, reason: "not valid TOML: \(error)")
        }
        return convert(table)
    }

    /// TOML allows no control character but tab anywhere, not even in strings (they must be
    /// escaped), and a carriage return only before a line feed (TOML 1.0.0, "Spec" and
    /// "String"). Checked here first, with line and column, because the parser underneath
    /// (toml++) stops the process on some of them — a bare CR inside a table header — instead of
    /// reporting an error.
    static func rejectControlCharacters(_ text: String, file: String) throws(ImportIssue) {
        var line = 1, column = 0
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            column += 1
            let v = scalar.value
            if v == 0x0A { line += 1; column = 0; continue }
            if v == 0x0D, i + 1 < scalars.count, scalars[i + 1].value == 0x0A { continue }
            if v == 0x09 || !(v < 0x20 || v == 0x7F) { continue }
            throw ImportIssue(.mappingSyntax, file: file, line: line, value: String(format: "U+%04X", v),
                              reason: "not valid TOML: a control character at column \(column) (only tab is allowed, and a carriage return only before a line feed); remove it")
        }
    }

    /// Checks, with their line, the shapes that make toml++ stop the process instead of reporting
    /// an error (found by fuzzing): every table header (`[a.b]`, `[[a]]`) must be brackets around
    /// dotted keys — bare keys of letters, digits, `_` and `-`, or quoted — then nothing but a
    /// comment (TOML 1.0.0, "Table"; `[[,name]]` stopped it); and a date followed by a space
    /// and a digit must be a date-time (`2026-11-30 0` stopped it). Brackets inside strings,
    /// comments and multi-line array values are not headers.
    static func checkStructure(_ text: String, file: String) throws(ImportIssue) {
        let chars = Array(text)
        var i = 0, line = 1, depth = 0  // depth: open [ and { of a value
        var atLineStart = true
        func skip(_ string: String) -> Bool {
            let s = Array(string)
            guard i + s.count <= chars.count, Array(chars[i..<(i + s.count)]) == s else { return false }
            i += s.count
            return true
        }
        func skipString(closing: String, escapes: Bool) {
            let close = Array(closing)
            while i < chars.count {
                if escapes, chars[i] == "\\" { i += 2; continue }
                if chars[i] == "\n" { line += 1 }
                if i + close.count <= chars.count, Array(chars[i..<(i + close.count)]) == close { i += close.count; return }
                i += 1
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" || c == "\r\n" { line += 1; i += 1; atLineStart = true; continue }
            if c == " " || c == "\t" { i += 1; continue }
            if c == "#" { while i < chars.count, chars[i] != "\n", chars[i] != "\r\n" { i += 1 }; continue }
            if atLineStart, depth == 0, c == "[" {
                let start = i
                var end = i
                while end < chars.count, chars[end] != "\n", chars[end] != "\r\n" { end += 1 }
                if !isTableHeader(chars[start..<end]) {
                    throw ImportIssue(.mappingSyntax, file: file, line: line, value: String(chars[start..<end]),
                                      reason: "not valid TOML: a table header is [name] or [[name]], names of letters, digits, _ and - (or quoted) joined by dots, then only a comment")
                }
                i = end
                continue
            }
            atLineStart = false
            if skip("\"\"\"") { skipString(closing: "\"\"\"", escapes: true); continue }
            if skip("'''") { skipString(closing: "'''", escapes: false); continue }
            if c == "\"" { i += 1; skipString(closing: "\"", escapes: true); continue }
            if c == "'" { i += 1; skipString(closing: "'", escapes: false); continue }
            if c == "[" || c == "{" { depth += 1 } else if c == "]" || c == "}" { depth = max(0, depth - 1) }
            // A date then a space must go on with a time (`2026-11-30 07:30:00`): toml++ stops the
            // process on `2026-11-30 0`.
            if c.isASCII, c.isNumber, i + 11 < chars.count, isDate(chars[i..<(i + 10)]), chars[i + 10] == " ", chars[i + 11].isNumber,
               !(i + 15 < chars.count && chars[i + 11].isNumber && chars[i + 12].isNumber && chars[i + 13] == ":" && chars[i + 14].isNumber) {
                throw ImportIssue(.mappingSyntax, file: file, line: line, value: String(chars[i..<min(chars.count, i + 16)]),
                                  reason: "not valid TOML: a date followed by a space and a number must be a date-time such as 2026-11-30 07:30:00; put a comment after a #")
            }
            i += 1
        }
    }

    /// `YYYY-MM-DD` in ASCII digits.
    private static func isDate(_ text: ArraySlice<Character>) -> Bool {
        text.count == 10 && text.enumerated().allSatisfy { n, c in n == 4 || n == 7 ? c == "-" : c.isASCII && c.isNumber }
    }

    /// `[a.b]` or `[[a."b c"]]`, then spaces and an optional comment.
    private static func isTableHeader(_ text: ArraySlice<Character>) -> Bool {
        var rest = text[...]
        let double = rest.starts(with: ["[", "["])
        rest = rest.dropFirst(double ? 2 : 1)
        func dropSpaces() { while let c = rest.first, c == " " || c == "\t" { rest = rest.dropFirst() } }
        while true {
            dropSpaces()
            guard let first = rest.first else { return false }
            if first == "\"" || first == "'" {
                rest = rest.dropFirst()
                var closed = false
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if first == "\"", c == "\\" { rest = rest.dropFirst(); continue }
                    if c == first { closed = true; break }
                }
                guard closed else { return false }
            } else {
                let bare = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                guard !bare.isEmpty else { return false }
                rest = rest.dropFirst(bare.count)
            }
            dropSpaces()
            guard rest.first == "." else { break }
            rest = rest.dropFirst()
        }
        guard rest.starts(with: double ? ["]", "]"] : ["]"]) else { return false }
        rest = rest.dropFirst(double ? 2 : 1)
        dropSpaces()
        return rest.isEmpty || rest.first == "#"
    }

    private static func convert(_ table: TOMLTable) -> [String: TOMLNode] {
        var out: [String: TOMLNode] = [:]
        for (key, value) in table { out[key] = convert(value) }
        return out
    }

    private static func convert(_ value: any TOMLValueConvertible) -> TOMLNode {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .int(value.int ?? 0)
        case .double: return .double(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .date:
            let d = value.date!
            return .date(year: d.year, month: d.month, day: d.day)
        case .time, .dateTime: return .other(value.debugDescription)
        case .array: return .array((value.array.map { Array($0) } ?? []).map(convert))
        case .table: return .table(value.table.map(convert) ?? [:])
        }
    }

    /// How the node is named in an error ("a string", "an integer", …).
    var kind: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .date: "a date"
        case .other: "a time"
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// The value as a CSV cell would hold it, for scalars.
    var scalarText: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        case .date(let y, let m, let d): CalendarDate(year: y, month: m, day: d)?.description
        case .other, .array, .table: nil
        }
    }
}

/// Collects every problem in a TOML file so that one error can list them all (STYLE.md §6:
/// start-up lists every missing or invalid key at once).
final class TOMLProblems {
    let file: String
    let code: ImportIssue.Code
    private(set) var issues: [ImportIssue] = []

    init(file: String, code: ImportIssue.Code) {
        self.file = file
        self.code = code
    }

    func add(_ path: String, value: String? = nil, _ reason: String) {
        issues.append(ImportIssue(code, file: file, column: path.isEmpty ? nil : path, value: value, reason: reason))
    }

    /// Throws when anything was found: the one problem itself, or a summary listing each.
    func throwIfAny() throws(ImportIssue) {
        guard let first = issues.first else { return }
        if issues.count == 1 { throw first }
        var summary = ImportIssue(code, file: file, reason: "\(issues.count) problems:")
        summary.details = issues.map { issue -> String in
            var text = ""
            if let column = issue.column { text += "\"\(column)\"" }
            if let value = issue.value { text += " = \"\(value.cutForMessage())\"" }
            if issue.column != nil || issue.value != nil { text += ": " }
            return (text + issue.reason).withVisibleControlCharacters
        }
        throw summary
    }
}

/// A view of one TOML table at a key path, reading typed keys and recording problems rather
/// than stopping at the first.
struct TOMLTableReader {
    let path: String
    let entries: [String: TOMLNode]
    let problems: TOMLProblems

    init(_ entries: [String: TOMLNode], path: String, problems: TOMLProblems) {
        self.entries = entries
        self.path = path
        self.problems = problems
    }

    func keyPath(_ key: String) -> String {
        let quoted = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } ? key : "\"\(key)\""
        return path.isEmpty ? quoted : "\(path).\(quoted)"
    }

    /// Reports keys the schema does not know: a misspelt key must never be silently ignored.
    func rejectUnknownKeys(allowed: [String]) {
        for key in entries.keys.sorted() where !allowed.contains(key) {
            let near = Spelling.nearest(key, in: allowed).map { "did you mean \($0)? " } ?? ""
            problems.add(keyPath(key), "unknown key; \(near)allowed here: \(allowed.joined(separator: ", "))")
        }
    }

    func has(_ key: String) -> Bool { entries[key] != nil }

    func string(_ key: String, required: Bool = false) -> String? {
        switch entries[key] {
        case nil:
            if required { problems.add(keyPath(key), "required: a string") }
            return nil
        case .string(let s)?:
            if s.trimmed.isEmpty {
                problems.add(keyPath(key), value: s, "must not be blank")
                return nil
            }
            return s
        case let node?:
            problems.add(keyPath(key), "must be a string, found \(node.kind)")
            return nil
        }
    }

    func int(_ key: String, required: Bool = false) -> Int? {
        switch entries[key] {
        case nil:
            if required { problems.add(keyPath(key), "required: an integer") }
            return nil
        case .int(let i)?: return i
        case let node?:
            problems.add(keyPath(key), "must be an integer, found \(node.kind)")
            return nil
        }
    }

    /// An integer or a floating-point number.
    func number(_ key: String, required: Bool = false) -> Double? {
        switch entries[key] {
        case nil:
            if required { problems.add(keyPath(key), "required: a number") }
            return nil
        case .int(let i)?: return Double(i)
        case .double(let d)?:
            guard d.isFinite else {
                problems.add(keyPath(key), "must be a finite number")
                return nil
            }
            return d
        case let node?:
            problems.add(keyPath(key), "must be a number, found \(node.kind)")
            return nil
        }
    }

    func bool(_ key: String) -> Bool? {
        switch entries[key] {
        case nil: return nil
        case .bool(let b)?: return b
        case let node?:
            problems.add(keyPath(key), "must be true or false, found \(node.kind)")
            return nil
        }
    }

    func stringArray(_ key: String, required: Bool = false) -> [String]? {
        switch entries[key] {
        case nil:
            if required { problems.add(keyPath(key), "required: an array of strings") }
            return nil
        case .array(let items)?:
            var out: [String] = []
            for (i, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    problems.add("\(keyPath(key))[\(i + 1)]", "must be a string, found \(item.kind)")
                    continue
                }
                out.append(s)
            }
            return out
        case let node?:
            problems.add(keyPath(key), "must be an array of strings, found \(node.kind)")
            return nil
        }
    }

    func intArray(_ key: String) -> [Int]? {
        switch entries[key] {
        case nil: return nil
        case .array(let items)?:
            var out: [Int] = []
            for (i, item) in items.enumerated() {
                guard case .int(let n) = item else {
                    problems.add("\(keyPath(key))[\(i + 1)]", "must be an integer, found \(item.kind)")
                    continue
                }
                out.append(n)
            }
            return out
        case let node?:
            problems.add(keyPath(key), "must be an array of integers, found \(node.kind)")
            return nil
        }
    }

    /// A TOML date (`2005-09-01`) or a string `CalendarDate(parsing:)` accepts.
    func date(_ key: String) -> CalendarDate? {
        switch entries[key] {
        case nil: return nil
        case .date(let y, let m, let d)?:
            if let date = CalendarDate(year: y, month: m, day: d) { return date }
            problems.add(keyPath(key), "not a valid date")
            return nil
        case .string(let s)?:
            if let date = CalendarDate(parsing: s) { return date }
            problems.add(keyPath(key), value: s, "not a date: write YYYY-MM-DD")
            return nil
        case let node?:
            problems.add(keyPath(key), "must be a date (YYYY-MM-DD), found \(node.kind)")
            return nil
        }
    }

    func table(_ key: String, required: Bool = false) -> TOMLTableReader? {
        switch entries[key] {
        case nil:
            if required { problems.add(keyPath(key), "required: a table") }
            return nil
        case .table(let t)?: return TOMLTableReader(t, path: keyPath(key), problems: problems)
        case let node?:
            problems.add(keyPath(key), "must be a table, found \(node.kind)")
            return nil
        }
    }

    /// An array of tables (`[[key]]`); reported paths are 1-based: `subject[1]`.
    func tables(_ key: String) -> [TOMLTableReader] {
        switch entries[key] {
        case nil: return []
        case .array(let items)?:
            return items.enumerated().compactMap { i, item in
                guard case .table(let t) = item else {
                    problems.add("\(keyPath(key))[\(i + 1)]", "must be a table, found \(item.kind)")
                    return nil
                }
                return TOMLTableReader(t, path: "\(keyPath(key))[\(i + 1)]", problems: problems)
            }
        case .table?:
            problems.add(keyPath(key), "must be an array of tables: write [[\(key)]], not [\(key)]")
            return []
        case let node?:
            problems.add(keyPath(key), "must be an array of tables ([[\(key)]]), found \(node.kind)")
            return []
        }
    }
}
