import Foundation
import HeadwayCore

/// Reads an intervention log kept in a spreadsheet (issue 6, item 3) into ``Intervention``
/// values, for `headway interventions import`.
///
/// Columns (header names compared ignoring case, surrounding spaces, and spaces or `-` vs `_`;
/// aliases in brackets):
///
/// | column | required | holds |
/// | --- | --- | --- |
/// | `id` (`intervention_id`) | yes | the school's code for the intervention, e.g. `INT-2026-014` |
/// | `type` (`intervention_type`) | yes | an ``InterventionType`` name: `mentoring`, `tutoring`, `parent_meeting` …, or the school's own (`literacy_catch_up`); case, spaces and `-` are read as lower case and `_` (`Parent meeting` → `parent_meeting`) |
/// | `title` | no | a short description (blank: empty) |
/// | `owner` (`staff`) | yes | the staff code of the member of staff who runs it |
/// | `pupils` (`pupil`, `upn`, `upns`) | yes | pupils by UPN or the school's pupil id, as many as wanted |
/// | `subjects` (`subject`) | no | subject codes; blank when it is not about one subject |
/// | `start` (`starts`, `start_date`) | yes | first day, `YYYY-MM-DD` or `DD/MM/YYYY` |
/// | `end` (`ends`, `end_date`) | no | last day (inclusive), same forms; blank while it has no set end |
/// | `sessions` | no | a whole number, 0 or more |
/// | `cost` | no | total cost in pounds: `480`, `480.5`, `480.00`, `£1,250.50` (→ pence: 48000, 48050, 48000, 125050); thousands separated by `,` in groups of three; at most 2 decimal places; not negative |
/// | `pupil_premium` (`pp`) | no | paid for from the pupil premium: `yes`/`no`, `true`/`false`, `y`/`n`, `1`/`0` (any case); blank = no |
/// | `notes` (`note`) | no | free text |
///
/// Lists (`pupils`, `subjects`): items separated by spaces, `;` or `|`; a comma separates too —
/// decided 2026-11 (issue 6) because a cell can only hold a comma when it is quoted (or the file
/// is `;`- or tab-separated), which only happens when someone meant a list, and neither UPNs,
/// pupil ids nor subject codes contain commas.
///
/// One row per intervention, or several rows with the same `id` (one pupil per row, say): the
/// rows are merged in file order, their pupils appended (a pupil listed twice is a warning and
/// counted once). Their other cells must agree: each may be left blank on the later rows or
/// repeat the same value (compared as read: `480` agrees with `£480.00`, subjects as a set); two
/// different values are a `conflicting_intervention` error on the later row naming both lines.
///
/// Form (as every Headway reader): UTF-8 with or without BOM, UTF-16, Windows-1252 (so `£` from
/// Excel's plain CSV reads as `£`); `,` `;` or tab; physical line numbers with the header as line 1.
///
/// Checks, each an ``ImportIssue`` with file, line, column, value and reason. An intervention is
/// accepted whole or not at all: an error on any of its rows leaves it out (its pupils must not be
/// saved half-listed). Rows without an id belong to no intervention and are rejected alone.
/// - header: `missing_column` (a required column; with a did-you-mean when a header is close),
///   `duplicate_header` (two headers for one column) — the file is not read; an unknown column is
///   an `unknown_column` warning (ignored), with a did-you-mean when close to a known one;
/// - `field_count`: the row's fields do not match the header;
/// - `missing_value`: blank id on a row; no type, owner, start or pupil on any row of an intervention;
/// - `invalid_intervention_id`: an id that is not a code (``Intervention/isValidCode(_:)``: letters,
///   digits, `-` `_` `/` `.`, never starting a spreadsheet formula);
/// - `invalid_intervention_type`: not a type name; `uncommon_intervention_type` (warning): a valid
///   name that is not one of ``InterventionType/common`` but close to one (`mentorng`: did you
///   mean mentoring?) — accepted as the school's own type;
/// - `invalid_date`; `invalid_date_range`: the end is before the start;
/// - `invalid_number`: sessions not a whole number ≥ 0; `invalid_amount`: cost not an amount of
///   pounds as above; `invalid_flag`: pupil_premium not one of the words above;
/// - `conflicting_intervention`: rows of one id disagree; `duplicate_entry` (warning): a pupil or
///   subject listed twice for one intervention.
///
/// Pupil references are returned as written, in ``Intervention/pupils`` as `Pupil.ID` values
/// holding the UPN or pupil id the file gives (trimmed; a UPN keeps the case written): the reader
/// knows no school, so the caller resolves each to a stored pupil id — and checks owners and
/// subjects against the school — before saving (`Store.save(_:school:context:)` refuses unknown
/// ids). Each intervention's ``Intervention/source`` is `FILE:LINE`, the file's name and the
/// intervention's first line, for the audit log and for messages about it.
public struct InterventionsFile: FileReader {
    /// What a read produced.
    public struct Result: Sendable {
        /// Accepted interventions, in order of first row.
        public var interventions: [Intervention]
        /// Every problem, in line order.
        public var issues: [ImportIssue]
        /// Data rows (blank lines and the header not counted).
        public var rowsRead: Int
        /// Rows of accepted interventions.
        public var rowsAccepted: Int
        /// Rows left out (`rowsRead = rowsAccepted + rowsRejected`): every row when the file could
        /// not be used.
        public var rowsRejected: Int
        /// The lines each accepted intervention was read from, in file order.
        public var lines: [Intervention.ID: [Int]] = [:]
        /// The encoding detected; nil when the file could not be read.
        public var encoding: TextEncoding?
        /// The separator detected; nil when the file could not be read.
        public var separator: Unicode.Scalar?

        /// True when any issue is an error.
        public var hasErrors: Bool { issues.contains { $0.isError } }
        /// The errors, in line order.
        public var errors: [ImportIssue] { issues.filter(\.isError) }
        /// The warnings, in line order.
        public var warnings: [ImportIssue] { issues.filter { !$0.isError } }
    }

    /// A reader.
    public init() {}

    /// The columns, canonical name first, then the aliases read as it.
    static let columnNames: [(name: String, aliases: [String])] = [
        ("id", ["intervention_id"]), ("type", ["intervention_type"]), ("title", []), ("owner", ["staff"]),
        ("pupils", ["pupil", "upn", "upns"]), ("subjects", ["subject"]), ("start", ["starts", "start_date"]),
        ("end", ["ends", "end_date"]), ("sessions", []), ("cost", []), ("pupil_premium", ["pp"]), ("notes", ["note"]),
    ]
    static let required = ["id", "type", "owner", "pupils", "start"]

    public func unreadable(_ issue: ImportIssue) -> Result {
        Result(interventions: [], issues: [issue], rowsRead: 0, rowsAccepted: 0, rowsRejected: 0)
    }

    /// One row's cells as read; nil where blank or in error.
    struct Row {
        var line: Int
        var id: String
        var type: (value: InterventionType, text: String)?
        var title: String?
        var owner: String?
        var pupils: [String] = []
        var subjects: [String] = []
        var start: (value: CalendarDate, text: String)?
        var end: (value: CalendarDate, text: String)?
        var sessions: (value: Int, text: String)?
        var cost: (value: Int, text: String)?
        var pupilPremium: (value: Bool, text: String)?
        var notes: String?
    }

    /// Reads a file's bytes; `name` names it in issues.
    public func read(name: String, contents: Data) -> Result {
        let (records, encoding, separator) = CSVText.decodedRecords(contents)
        var issues: [ImportIssue] = []
        func result(_ interventions: [Intervention] = [], read: Int, accepted: Int = 0, lines: [Intervention.ID: [Int]] = [:]) -> Result {
            let ordered = issues.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
            return Result(interventions: interventions, issues: ordered, rowsRead: read, rowsAccepted: accepted, rowsRejected: read - accepted,
                          lines: lines, encoding: encoding, separator: separator)
        }
        guard let header = records.first else {
            issues.append(ImportIssue(.unusableFile, file: name, reason: "the file is empty: expected a header row with id, type, owner, pupils, start (and title, subjects, end, sessions, cost, pupil_premium, notes)"))
            return result(read: 0)
        }
        let data = records.dropFirst()

        // Header.
        var columns: [String: (index: Int, name: String)] = [:]
        var unknown: [(index: Int, name: String)] = []
        let known = Self.columnNames.flatMap { [$0.name] + $0.aliases }
        for (i, raw) in header.fields.enumerated() {
            let written = raw.trimmed
            let key = Self.headerKey(written)
            guard !key.isEmpty else { continue }
            guard let canonical = Self.columnNames.first(where: { $0.name == key || $0.aliases.contains(key) })?.name else {
                unknown.append((i, written))
                continue
            }
            if let first = columns[canonical] {
                issues.append(ImportIssue(.duplicateHeader, file: name, line: header.line, column: written,
                                          reason: "both \"\(first.name)\" and \"\(written)\" are the \(canonical) column: keep one"))
            } else {
                columns[canonical] = (i, written)
            }
        }
        var suggested: [String: String] = [:]  // canonical column → the unknown header close to it
        for column in unknown {
            let near = Spelling.nearest(Self.headerKey(column.name), in: known)
                .flatMap { n in Self.columnNames.first { $0.name == n || $0.aliases.contains(n) }?.name }
            if let near, columns[near] == nil, suggested[near] == nil { suggested[near] = column.name }
            issues.append(ImportIssue(.unknownColumn, severity: .warning, file: name, line: header.line, column: column.name,
                                      reason: "not a column of an interventions file, so ignored" + (near.map { "; did you mean \($0)?" } ?? "")
                                          + " — the columns are \(Self.columnNames.map(\.name).joined(separator: ", "))"))
        }
        let missing = Self.required.filter { columns[$0] == nil }
        if !missing.isEmpty {
            let hints = missing.compactMap { m in suggested[m].map { "\"\($0)\" for \(m)?" } }
            issues.append(ImportIssue(.missingColumn, file: name, line: header.line, column: missing.joined(separator: ", "),
                                      reason: "the header has no column \(missing.joined(separator: ", "))"
                                          + (hints.isEmpty ? "" : " (did you mean \(hints.joined(separator: ", ")))")
                                          + "; its columns are: \(ImportIssue.headerList(header.fields.map(\.trimmed)))"))
        }
        if issues.contains(where: \.isError) { return result(read: data.count) }

        // Rows.
        let headerCount = header.fields.count
        var rows: [Row] = []
        var tainted = Set<String>()  // ids with an error on some row
        for record in data {
            let line = record.line
            var errors = 0
            func issue(_ code: ImportIssue.Code, _ column: String?, _ value: String?, _ reason: String) {
                errors += 1
                issues.append(ImportIssue(code, file: name, line: line, column: column.flatMap { columns[$0]?.name }, value: value, reason: reason))
            }
            let idIndex = columns["id"]!.index
            let idText = idIndex < record.fields.count ? record.fields[idIndex].trimmed : ""
            if let reason = CSVText.fieldCountProblem(record, headerCount: headerCount) {
                issue(.fieldCount, nil, nil, reason)
                if !idText.isEmpty { tainted.insert(idText) }
                continue
            }
            func cell(_ column: String) -> String { columns[column].map { record.fields[$0.index].trimmed } ?? "" }
            guard !idText.isEmpty else {
                issue(.missingValue, "id", "", "no id: every row needs the id of the intervention it belongs to (rows with the same id are one intervention)")
                continue
            }
            guard Intervention.isValidCode(idText) else {
                issue(.invalidInterventionID, "id", idText,
                      "not an intervention code: letters, digits, '-', '_', '/' or '.', starting with a letter or digit (at most 40), e.g. INT-014")
                tainted.insert(idText)
                continue
            }
            var row = Row(line: line, id: idText)

            let typeText = cell("type")
            if !typeText.isEmpty {
                let normalised = Self.headerKey(typeText)
                if let type = InterventionType(rawValue: normalised) {
                    row.type = (type, typeText)
                } else {
                    let near = Spelling.nearest(normalised, in: InterventionType.common.map(\.rawValue)).map { "; did you mean \($0)?" } ?? ""
                    issue(.invalidInterventionType, "type", typeText,
                          "not a type name: lower-case letters, digits and _ starting with a letter, at most 40 — e.g. \(InterventionType.common.map(\.rawValue).joined(separator: ", ")), or the school's own\(near)")
                }
            }
            row.title = Self.nonBlank(cell("title"))
            row.owner = Self.nonBlank(cell("owner"))
            row.pupils = Self.listItems(cell("pupils"))
            row.subjects = Self.listItems(cell("subjects"))
            for (column, keyPath) in [("start", \Row.start), ("end", \Row.end)] as [(String, WritableKeyPath<Row, (value: CalendarDate, text: String)?>)] {
                let text = cell(column)
                guard !text.isEmpty else { continue }
                if let date = CalendarDate(parsing: text) {
                    row[keyPath: keyPath] = (date, text)
                } else {
                    issue(.invalidDate, column, text, "not a date: expected YYYY-MM-DD (2026-11-02) or DD/MM/YYYY (02/11/2026), a day that exists")
                }
            }
            let sessionsText = cell("sessions")
            if !sessionsText.isEmpty {
                if sessionsText.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(sessionsText) {
                    row.sessions = (n, sessionsText)
                } else {
                    issue(.invalidNumber, "sessions", sessionsText, "not a number of sessions: a whole number, 0 or more (e.g. 12), or blank")
                }
            }
            let costText = cell("cost")
            if !costText.isEmpty {
                switch Self.parsePence(costText) {
                case .success(let pence): row.cost = (pence, costText)
                case .failure(let problem): issue(.invalidAmount, "cost", costText, problem.reason)
                }
            }
            let ppText = cell("pupil_premium")
            if !ppText.isEmpty {
                if let flag = Self.flag(ppText) {
                    row.pupilPremium = (flag, ppText)
                } else {
                    issue(.invalidFlag, "pupil_premium", ppText, "not yes or no: write yes/no (also true/false, y/n, 1/0), or leave blank for no")
                }
            }
            row.notes = Self.nonBlank(cell("notes"))
            if errors > 0 { tainted.insert(idText) }
            rows.append(row)
        }

        // Interventions: the rows of each id merged, in order of first row.
        var order: [String] = []
        var byID: [String: [Row]] = [:]
        for row in rows {
            if byID[row.id] == nil { order.append(row.id) }
            byID[row.id, default: []].append(row)
        }
        let file = URL(fileURLWithPath: name).lastPathComponent
        var accepted: [Intervention] = []
        var acceptedRows = 0
        var lines: [Intervention.ID: [Int]] = [:]
        for id in order {
            let group = byID[id]!
            var errors = 0
            func issue(_ code: ImportIssue.Code, _ line: Int, _ column: String, _ value: String?, _ reason: String, warning: Bool = false) {
                if !warning { errors += 1 }
                issues.append(ImportIssue(code, severity: warning ? .warning : .error, file: name, line: line, column: columns[column]?.name ?? column,
                                          value: value, reason: reason))
            }
            /// The first non-blank value of a column over the rows; a later different one is an error.
            func agreed<T>(_ column: String, _ value: (Row) -> T?, text: (Row) -> String, same: (T, T) -> Bool) -> (value: T, line: Int)? {
                var first: (value: T, line: Int, text: String)?
                for row in group {
                    guard let v = value(row) else { continue }
                    guard let f = first else { first = (v, row.line, text(row)); continue }
                    if !same(f.value, v) {
                        issue(.conflictingIntervention, row.line, column, text(row),
                              "intervention \(id) has \(column) \"\(f.text)\" on line \(f.line): rows of one intervention must agree (repeat the value or leave it blank on later rows)")
                    }
                }
                return first.map { ($0.value, $0.line) }
            }
            let type = agreed("type", { $0.type }, text: { $0.type?.text ?? "" }, same: { $0.value == $1.value })
            let title = agreed("title", { $0.title }, text: { $0.title ?? "" }, same: ==)
            let owner = agreed("owner", { $0.owner }, text: { $0.owner ?? "" }, same: ==)
            let subjects = agreed("subjects", { $0.subjects.isEmpty ? nil : $0.subjects }, text: { $0.subjects.joined(separator: " ") },
                                  same: { Set($0) == Set($1) })
            let start = agreed("start", { $0.start }, text: { $0.start?.text ?? "" }, same: { $0.value == $1.value })
            let end = agreed("end", { $0.end }, text: { $0.end?.text ?? "" }, same: { $0.value == $1.value })
            let sessions = agreed("sessions", { $0.sessions }, text: { $0.sessions?.text ?? "" }, same: { $0.value == $1.value })
            let cost = agreed("cost", { $0.cost }, text: { $0.cost?.text ?? "" }, same: { $0.value == $1.value })
            let pupilPremium = agreed("pupil_premium", { $0.pupilPremium }, text: { $0.pupilPremium?.text ?? "" }, same: { $0.value == $1.value })
            let notes = agreed("notes", { $0.notes }, text: { $0.notes ?? "" }, same: ==)

            var pupils: [String] = []
            var pupilLine: [String: Int] = [:]
            for row in group {
                for pupil in row.pupils {
                    if let earlier = pupilLine[pupil] {
                        issue(.duplicateEntry, row.line, "pupils", pupil,
                              "pupil \(pupil) is already in intervention \(id)" + (earlier == row.line ? " on this row" : " (line \(earlier))") + ": counted once",
                              warning: true)
                        continue
                    }
                    pupilLine[pupil] = row.line
                    pupils.append(pupil)
                }
            }
            var subjectList: [String] = []
            for subject in subjects?.value ?? [] where !subjectList.contains(subject) { subjectList.append(subject) }
            if let subjects, subjectList.count < subjects.value.count {
                issue(.duplicateEntry, subjects.line, "subjects", subjects.value.joined(separator: " "), "a subject is listed twice: counted once", warning: true)
            }

            let firstLine = group[0].line
            let anyRow = group.count == 1 ? "" : " on any of its rows (lines \(group.map { String($0.line) }.joined(separator: ", ")))"
            for (column, present, what) in [("type", type != nil, "a type (e.g. mentoring, tutoring)"), ("owner", owner != nil, "an owner (a staff code)"),
                                            ("start", start != nil, "a start date"), ("pupils", !pupils.isEmpty, "at least one pupil (UPN or pupil id)")]
                where !present && !tainted.contains(id) {
                issue(.missingValue, firstLine, column, "", "intervention \(id) has no \(column)\(anyRow): every intervention needs \(what)")
            }
            if let start, let end, end.value.value < start.value.value {
                issue(.invalidDateRange, end.line, "end", end.value.text,
                      "intervention \(id) ends before it starts (\(start.value.text)\(start.line == end.line ? "" : " on line \(start.line)")): correct the dates")
            }
            if let type, !InterventionType.common.contains(type.value.value),
               let near = Spelling.nearest(type.value.value.rawValue, in: InterventionType.common.map(\.rawValue)) {
                issue(.uncommonInterventionType, type.line, "type", type.value.text,
                      "not one of the common types, so accepted as the school's own type; did you mean \(near)?", warning: true)
            }
            guard errors == 0, !tainted.contains(id), let type, let owner, let start, !pupils.isEmpty else { continue }
            accepted.append(Intervention(
                id: Intervention.ID(id), type: type.value.value, title: title?.value ?? "", owner: Staff.ID(owner.value),
                pupils: pupils.map { Pupil.ID($0) }, subjects: subjectList.map { Subject.ID($0) }, starts: start.value.value,
                ends: end?.value.value, sessions: sessions?.value.value, costPence: cost?.value.value,
                fundedByPupilPremium: pupilPremium?.value.value ?? false, notes: notes?.value, source: "\(file):\(firstLine)"))
            acceptedRows += group.count
            lines[Intervention.ID(id)] = group.map(\.line)
        }
        return result(accepted, read: data.count, accepted: acceptedRows, lines: lines)
    }
}

// MARK: - Cells

extension InterventionsFile {
    /// Why a cost cell is not an amount (``parsePence(_:)``).
    public struct AmountProblem: Error, Hashable, Sendable {
        /// What is wrong and how to write it.
        public var reason: String
    }

    /// A cost in pounds as pence: `480` → 48000, `480.5` → 48050, `480.00` → 48000,
    /// `£1,250.50` → 125050; nil for anything else (see ``parsePence(_:)``).
    public static func pence(_ text: String) -> Int? {
        try? parsePence(text).get()
    }

    /// A cost in pounds as pence, or why it is not one. Accepted: optional `£`, whole pounds
    /// written plainly (`1250`) or with `,` between groups of three digits (`1,250`), and
    /// optionally `.` and one or two decimal digits. Refused: a negative amount, more than two
    /// decimal places (pence are the smallest unit), other grouping (`1,25` — a decimal comma?),
    /// more than 12 digits of pounds.
    public static func parsePence(_ text: String) -> Swift.Result<Int, AmountProblem> {
        var t = Substring(text.trimmed)
        let example = "write pounds such as 480, 480.50 or £1,250.50"
        if t.hasPrefix("-") || t.hasPrefix("−") || t.hasPrefix("£-") || t.hasPrefix("£−") || (t.hasPrefix("(") && t.hasSuffix(")")) {
            return .failure(AmountProblem(reason: "a negative cost: a cost is 0 or more — \(example)"))
        }
        if t.hasPrefix("£") { t = t.dropFirst().drop { $0 == " " } }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty else {
            return .failure(AmountProblem(reason: "not an amount: \(example)"))
        }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        let digitsOnly = { (s: Substring) in !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
        guard groups.allSatisfy(digitsOnly),
              groups.count == 1 || (groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 }) else {
            return .failure(AmountProblem(reason: "not an amount: \(example) (thousands separated by commas in groups of three, decimals after a point)"))
        }
        let poundDigits = groups.joined()
        guard poundDigits.count <= 12, let pounds = Int(poundDigits) else {
            return .failure(AmountProblem(reason: "too large for a cost: \(example)"))
        }
        var pence = 0
        if parts.count == 2 {
            let decimals = parts[1]
            guard digitsOnly(decimals) else { return .failure(AmountProblem(reason: "not an amount: \(example)")) }
            guard decimals.count <= 2 else {
                return .failure(AmountProblem(reason: "more than 2 decimal places: pence are the smallest unit — \(example)"))
            }
            pence = Int(decimals)! * (decimals.count == 1 ? 10 : 1)
        }
        return .success(pounds * 100 + pence)
    }

    /// `yes`/`no`, `true`/`false`, `y`/`n`, `1`/`0` in any case; nil for anything else.
    public static func flag(_ text: String) -> Bool? {
        switch text.trimmed.lowercased() {
        case "yes", "true", "y", "1": true
        case "no", "false", "n", "0": false
        default: nil
        }
    }

    /// The items of a `pupils` or `subjects` cell: separated by white space, `;`, `|` or `,`;
    /// blanks dropped, order kept.
    public static func listItems(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace || $0 == ";" || $0 == "|" || $0 == "," }).map(String.init)
    }

    /// A header (or type) as a key: trimmed, lower case, spaces and `-` as `_`.
    static func headerKey(_ text: String) -> String {
        text.trimmed.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 }.reduce(into: "") { $0.append($1) }
    }

    static func nonBlank(_ text: String) -> String? { text.isEmpty ? nil : text }
}

extension ImportIssue.Code {
    /// An unknown column in a file whose columns are fixed (``InterventionsFile``): a warning,
    /// the column is ignored.
    public static let unknownColumn = ImportIssue.Code(rawValue: "unknown_column")
    /// An intervention type that is not a valid ``InterventionType`` name.
    public static let invalidInterventionType = ImportIssue.Code(rawValue: "invalid_intervention_type")
    /// A valid intervention type name that is not a common type but is close to one (a warning).
    public static let uncommonInterventionType = ImportIssue.Code(rawValue: "uncommon_intervention_type")
    /// A count that is not a whole number of at least 0.
    public static let invalidNumber = ImportIssue.Code(rawValue: "invalid_number")
    /// A sum of money that is not an amount of pounds with at most two decimal places, or is negative.
    public static let invalidAmount = ImportIssue.Code(rawValue: "invalid_amount")
    /// A yes/no cell with another value.
    public static let invalidFlag = ImportIssue.Code(rawValue: "invalid_flag")
    /// An end date before the start date.
    public static let invalidDateRange = ImportIssue.Code(rawValue: "invalid_date_range")
    /// Rows of the same intervention that give different values for one of its fields.
    public static let conflictingIntervention = ImportIssue.Code(rawValue: "conflicting_intervention")
    /// An intervention id that is not a valid code (``Intervention/isValidCode(_:)``).
    public static let invalidInterventionID = ImportIssue.Code(rawValue: "invalid_intervention_id")
    /// A staff code that is not one of the school's staff.
    public static let unknownStaff = ImportIssue.Code(rawValue: "unknown_staff")
}
