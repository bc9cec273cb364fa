import Foundation
import HeadwayCore

/// A school's action-list rules (issue 6, item 1), written as a TOML file and read into Core's
/// ``ActionRules``. `data/rules/action-lists.toml` is the documented default file; every key is
/// optional and a missing key keeps its default (``ActionRules/standard``), so an empty file is the
/// defaults.
///
/// Schema:
///
/// ```toml
/// atl_scale = "atl-1-4"       # the ATL scale the ATL rules read (a scale id)
///
/// [below_expected_progress]  # was [below_target] (still read, with a warning)
/// enabled = true
/// min_subjects = 3            # integer ≥ 1
///
/// [well_below_core]
/// enabled = true
/// subjects = ["EN", "MA"]     # the school's own core subject codes
///
/// [falling]
/// enabled = true
/// min_drop = 1.0              # number > 0, points of the subject's scale
/// min_subjects = 2            # integer ≥ 1
///
/// [atl_concern]
/// enabled = true
/// threshold = 3.0             # on the ATL scale
/// min_subjects = 3
///
/// [atl_reward]
/// enabled = true
/// threshold = 1.25            # on the ATL scale
/// min_subjects = 4
/// ```
///
/// Every problem is reported at once, each an ``ImportIssue`` with code
/// ``ImportIssue/Code/mappingInvalid`` naming the file, the line of the key (found in the text;
/// TOMLKit reports lines only for syntax errors), the key path (e.g. `falling.min_drop`), the
/// value and the reason: unknown keys (with a did-you-mean), wrong types, and the checks of
/// ``ActionRules/problems(scales:)``. Text that is not TOML gives one
/// ``ImportIssue/Code/mappingSyntax`` issue at the line the parser reports.
public enum ActionRulesFile {
    /// The rule tables and their keys, in file order.
    static let ruleKeys: [(table: String, keys: [String])] = [
        ("below_expected_progress", ["enabled", "min_subjects"]),
        ("well_below_core", ["enabled", "subjects"]),
        ("falling", ["enabled", "min_drop", "min_subjects"]),
        ("atl_concern", ["enabled", "threshold", "min_subjects"]),
        ("atl_reward", ["enabled", "threshold", "min_subjects"]),
    ]
    static let rootKeys = ["atl_scale"] + ruleKeys.map(\.table)
    /// Tables renamed in issue 12 (item 10), by their new names: a school's file that still uses
    /// one is read as the new one, with a warning saying what to write instead.
    static let formerTables = ["below_target": "below_expected_progress"]

    /// Reads a rules file's text; `file` names it in issues.
    ///
    /// - Parameter scales: the scales `atl_scale` may name and thresholds are checked against:
    ///   the school's (``SchoolYear/scales``), the built-in ones by default.
    /// - Returns: the rules when the file has no problem; otherwise nil and every problem.
    public static func read(toml: String, file: String,
                            scales: [GradeScale.ID: GradeScale] = GradeScale.builtIn) -> (rules: ActionRules?, issues: [ImportIssue]) {
        let root: [String: TOMLNode]
        do {
            root = try TOMLNode.parse(toml, file: file)
        } catch {
            return (nil, [error])
        }
        var reader = Reader(file: file, lines: KeyLines(toml))
        let rules = reader.rules(root, scales: scales)
        // Warnings (a former key name) do not stop the rules being used; errors do.
        return reader.issues.contains(where: \.isError) ? (nil, reader.issues) : (rules, reader.issues)
    }

    /// Reads a rules file from disk (see ``read(toml:file:scales:)``); a file that cannot be read
    /// gives one ``ImportIssue/Code/unreadableFile`` issue. Issues name the file by its path as given.
    public static func read(contentsOf url: URL,
                            scales: [GradeScale.ID: GradeScale] = GradeScale.builtIn) -> (rules: ActionRules?, issues: [ImportIssue]) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return (nil, [ImportIssue.unreadable(url, error)])
        }
        return read(toml: TextDecoding.decode(data).text, file: url.relativePath, scales: scales)
    }

    /// Reads typed keys, collecting issues.
    private struct Reader {
        let file: String
        let lines: KeyLines
        var issues: [ImportIssue] = []

        mutating func add(_ key: String, value: String?, _ reason: String) {
            issues.append(ImportIssue(.mappingInvalid, file: file, line: lines.line(of: key), column: key, value: value, reason: reason))
        }

        mutating func rules(_ root: [String: TOMLNode], scales: [GradeScale.ID: GradeScale]) -> ActionRules {
            var rules = ActionRules.standard
            var root = root
            for (former, now) in ActionRulesFile.formerTables.sorted(by: { $0.key < $1.key }) {
                guard let node = root.removeValue(forKey: former) else { continue }
                if root[now] != nil {
                    add(former, value: nil, "the same rule as [\(now)], which is also in the file: keep [\(now)] and delete [\(former)]")
                } else {
                    root[now] = node
                    issues.append(ImportIssue(.mappingInvalid, severity: .warning, file: file, line: lines.line(of: former), column: former, value: nil,
                                              reason: "[\(former)] is now called [\(now)] (it compares with the expected flight-path grade, not the target); read as [\(now)] — rename it in the file"))
                }
            }
            rejectUnknown(root, path: "", allowed: ActionRulesFile.rootKeys)
            if let scale = string(root, "atl_scale", path: "") { rules.atlScale = GradeScale.ID(scale) }
            for (name, keys) in ActionRulesFile.ruleKeys {
                guard let node = root[name] else { continue }
                guard case .table(let table) = node else {
                    add(name, value: ActionRulesFile.text(node), "must be a table: write [\(name)] with its keys on the lines below")
                    continue
                }
                rejectUnknown(table, path: name, allowed: keys)
                let enabled = bool(table, "enabled", path: name)
                let minSubjects = int(table, "min_subjects", path: name)
                switch name {
                case "below_expected_progress":
                    if let enabled { rules.belowExpected.enabled = enabled }
                    if let minSubjects { rules.belowExpected.minSubjects = minSubjects }
                case "well_below_core":
                    if let enabled { rules.wellBelowCore.enabled = enabled }
                    if let subjects = strings(table, "subjects", path: name) { rules.wellBelowCore.subjects = subjects.map { Subject.ID($0) } }
                case "falling":
                    if let enabled { rules.falling.enabled = enabled }
                    if let minDrop = number(table, "min_drop", path: name) { rules.falling.minDrop = minDrop }
                    if let minSubjects { rules.falling.minSubjects = minSubjects }
                case "atl_concern":
                    if let enabled { rules.atlConcern.enabled = enabled }
                    if let threshold = number(table, "threshold", path: name) { rules.atlConcern.threshold = threshold }
                    if let minSubjects { rules.atlConcern.minSubjects = minSubjects }
                default:
                    if let enabled { rules.atlReward.enabled = enabled }
                    if let threshold = number(table, "threshold", path: name) { rules.atlReward.threshold = threshold }
                    if let minSubjects { rules.atlReward.minSubjects = minSubjects }
                }
            }
            // Values of the right type, checked together (a key with the wrong type kept its
            // default and is already reported).
            for problem in rules.problems(scales: scales) { add(problem.key, value: problem.value, problem.reason) }
            return rules
        }

        mutating func rejectUnknown(_ table: [String: TOMLNode], path: String, allowed: [String]) {
            for key in table.keys.sorted() where !allowed.contains(key) {
                let near = Spelling.nearest(key, in: allowed).map { "did you mean \($0)? " } ?? ""
                add(path.isEmpty ? key : "\(path).\(key)", value: ActionRulesFile.text(table[key]!),
                    "unknown key; \(near)allowed here: \(allowed.joined(separator: ", "))")
            }
        }

        mutating func bool(_ table: [String: TOMLNode], _ key: String, path: String) -> Bool? {
            switch table[key] {
            case nil: return nil
            case .bool(let b)?: return b
            case let node?:
                add("\(path).\(key)", value: ActionRulesFile.text(node), "must be true or false, found \(node.kind)")
                return nil
            }
        }

        mutating func int(_ table: [String: TOMLNode], _ key: String, path: String) -> Int? {
            switch table[key] {
            case nil: return nil
            case .int(let n)?: return n
            case .double(let d)? where d.isFinite && d == d.rounded() && abs(d) < 1e9: return Int(d)  // `3.0` is 3
            case let node?:
                add("\(path).\(key)", value: ActionRulesFile.text(node), "must be a whole number, found \(node.kind)")
                return nil
            }
        }

        mutating func number(_ table: [String: TOMLNode], _ key: String, path: String) -> Double? {
            switch table[key] {
            case nil: return nil
            case .int(let n)?: return Double(n)
            case .double(let d)?: return d  // not finite: reported by the value checks
            case let node?:
                add("\(path).\(key)", value: ActionRulesFile.text(node), "must be a number, found \(node.kind)")
                return nil
            }
        }

        mutating func string(_ table: [String: TOMLNode], _ key: String, path: String) -> String? {
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            switch table[key] {
            case nil: return nil
            case .string(let s)?:
                guard !s.trimmed.isEmpty else {
                    add(keyPath, value: s, "must not be blank")
                    return nil
                }
                return s.trimmed
            case let node?:
                add(keyPath, value: ActionRulesFile.text(node), "must be a string, found \(node.kind)")
                return nil
            }
        }

        mutating func strings(_ table: [String: TOMLNode], _ key: String, path: String) -> [String]? {
            switch table[key] {
            case nil: return nil
            case .array(let items)?:
                var out: [String] = []
                for (i, item) in items.enumerated() {
                    guard case .string(let s) = item else {
                        add("\(path).\(key)[\(i + 1)]", value: ActionRulesFile.text(item), "must be a subject code in quotes, found \(item.kind)")
                        continue
                    }
                    out.append(s.trimmed)
                }
                return out
            case let node?:
                add("\(path).\(key)", value: ActionRulesFile.text(node), "must be an array of subject codes such as [\"EN\", \"MA\"], found \(node.kind)")
                return nil
            }
        }
    }

    /// A value as it reads in the file, for issues: `3`, `1.25`, `true`, `three`, `[EN, 4]`.
    static func text(_ node: TOMLNode) -> String {
        switch node {
        case .double(let d): ActionRules.format(d)
        case .other(let s): s
        case .array(let items): "[" + items.map(text).joined(separator: ", ") + "]"
        case .table(let t): "{" + t.keys.sorted().joined(separator: ", ") + "}"
        default: node.scalarText ?? ""
        }
    }

    /// The line of each key path in the text (`falling.min_drop`, and `falling` for its table
    /// header), found by reading table headers and `key =` lines; TOMLKit's values carry no
    /// position. The first line wins; array indices (`subjects[2]`) take the array's line.
    struct KeyLines {
        private var lines: [String: Int] = [:]

        init(_ text: String) {
            var table = ""
            var inMultiline: String?  // the quotes that close an open multi-line string
            for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if let closing = inMultiline {
                    if line.components(separatedBy: closing).count % 2 == 0 { inMultiline = nil }
                    continue
                }
                if line.hasPrefix("[") {
                    let name = line.drop { $0 == "[" }.prefix { $0 != "]" }
                    table = KeyLines.path(String(name))
                    if lines[table] == nil { lines[table] = n + 1 }
                    continue
                }
                guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
                let key = KeyLines.path(String(line[..<equals]))
                let full = table.isEmpty ? key : "\(table).\(key)"
                if lines[full] == nil { lines[full] = n + 1 }
                let value = line[line.index(after: equals)...]
                for quotes in ["\"\"\"", "'''"] where value.components(separatedBy: quotes).count % 2 == 0 { inMultiline = quotes }
            }
        }

        /// `a . "b"` → `a.b`.
        private static func path(_ text: String) -> String {
            text.split(separator: ".").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
                .joined(separator: ".")
        }

        /// The line of a key path, nil when it is not written in the text (a default).
        func line(of key: String) -> Int? {
            let bare = key.firstIndex(of: "[").map { String(key[..<$0]) } ?? key
            if let line = lines[bare] { return line }
            // A key of a renamed table, written under its former name.
            for (former, now) in ActionRulesFile.formerTables where bare == now || bare.hasPrefix(now + ".") {
                if let line = lines[former + bare.dropFirst(now.count)] { return line }
            }
            return nil
        }
    }
}
