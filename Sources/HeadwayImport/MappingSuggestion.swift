import Foundation
import HeadwayCore

/// A column mapping proposed from a CSV file's header and its first sample rows (issue 4, item
/// 2: `headway mapping suggest FILE.csv`), for the data manager to confirm. Pure: it reads the
/// bytes it is given and writes nothing.
///
/// How each field is recognised (the reason is written beside every line of ``toml``):
/// - `upn`: at least 80% of the column's non-blank sample values pass `UPN.validate`;
/// - `pupil_id`: a header naming an admission number or pupil/student id (`Adno`, `Admission
///   No`, `Pupil ID`…), kept as text;
/// - `forename` / `surname`: header words (`forename`, `first name`, `surname`, `last name`…),
///   preferring the legal name over a preferred or "known as" one;
/// - `date_of_birth`: a header naming a birth date whose values are dates Headway reads
///   (`YYYY-MM-DD` or `DD/MM/YYYY`), or else the only date-shaped column;
/// - `year_group`: at least 90% of the values are 7–13, bare or written `Year 10` / `Y10`
///   (those are given a value map);
/// - `tutor_group`: a header naming a registration, tutor or form group;
/// - `ks2_reading` / `ks2_maths`: at least 80% of the values are whole numbers 80–120 and the
///   header names reading or maths;
/// - characteristics by header words: `gender`, `disadvantaged` (pupil premium), `fsm`, `sen`
///   (with the MIS's words mapped to N / K / E), `eal`, `looked_after`, yes/no-like values
///   (Y/N, Yes/No, True/False, T/F, 1/0) being mapped to `true` / `false`;
/// - a class list when a header names a class (`Class`, `Teaching Group`, `Cohort`):
///   `teaching_group`, `subject` (a `[[subject]]` per value seen) and `teachers`;
/// - a staff list when there is no pupil identity and a header names a staff code: `staff_code`,
///   `staff_title`, `staff_forename`, `staff_surname`, `staff_email` (values with an `@`).
///
/// Anything else is listed as not placed, with the reason. The school and academic year are
/// written as given, marked `CONFIRM`.
public struct MappingSuggestion: Sendable {
    /// One proposed line: a `[columns]` key or a characteristic, the header it reads, and why.
    public struct Placement: Hashable, Sendable {
        /// A `[columns]` key (`upn`, `teaching_group`…) or a characteristic name (`sen`).
        public var key: String
        /// The CSV header.
        public var header: String
        /// Why, in words for the user: e.g. `12 of 12 sample values are valid UPNs`.
        public var reason: String
        /// A value mapping to write with it (cell text → Headway's value); empty for none.
        public var values: [String: String]
    }

    /// A header the suggestion could not place, and why.
    public struct Unplaced: Hashable, Sendable {
        /// The CSV header.
        public var header: String
        /// Why it was left out.
        public var reason: String
    }

    /// The file's name, as given.
    public var fileName: String
    /// Pupil file, class list or staff list.
    public var kind: ColumnMapping.Kind
    /// The separator detected from the header line.
    public var separator: Unicode.Scalar
    /// Data rows read as samples (at most the sample size).
    public var rowsSampled: Int
    /// Data rows in the file.
    public var rowsInFile: Int
    /// `[columns]` placements, in schema order.
    public var columns: [Placement]
    /// `[[characteristic]]` placements.
    public var characteristics: [Placement]
    /// Class list: the distinct subject values of the sample rows, in order of first appearance.
    public var subjects: [String]
    /// Headers not placed.
    public var unplaced: [Unplaced]
    /// Written as `[school]`.
    public var school: School
    /// Written as `academic_year`.
    public var academicYear: AcademicYear

    /// The header a `[columns]` key was placed on, if any.
    public func header(for key: String) -> String? { columns.first { $0.key == key }?.header }

    /// Proposes a mapping for a CSV file.
    /// - Parameters:
    ///   - data: the file's bytes (any encoding ``CSVImporter`` reads).
    ///   - fileName: used in the comments.
    ///   - school: written as `[school]` (marked CONFIRM).
    ///   - academicYear: written as `academic_year` (marked CONFIRM).
    ///   - sampleSize: data rows read for the values (default 50).
    public init(csv data: Data, fileName: String, school: School, academicYear: AcademicYear, sampleSize: Int = 50) {
        let (text, _) = TextDecoding.decode(data)
        let separator = CSVText.detectSeparator(in: text)
        let records = CSVText.records(in: text, separator: separator).filter { !$0.isBlank }
        let headers = records.first?.fields.map(\.trimmed) ?? []
        let dataRows = Array(records.dropFirst())
        let samples = Array(dataRows.prefix(sampleSize))
        self.fileName = fileName
        self.separator = separator
        self.rowsSampled = samples.count
        self.rowsInFile = dataRows.count
        self.school = school
        self.academicYear = academicYear
        let profiles = headers.enumerated().map { i, header in
            Profile(header: header, values: samples.compactMap { i < $0.fields.count ? $0.fields[i].trimmed : nil }.filter { !$0.isEmpty })
        }
        var guesser = Guesser(profiles: profiles)
        guesser.run()
        self.kind = guesser.kind
        self.columns = guesser.columns.sorted { Self.columnOrder.firstIndex(of: $0.key)! < Self.columnOrder.firstIndex(of: $1.key)! }
        self.characteristics = guesser.characteristics
        self.subjects = guesser.subjects
        self.unplaced = guesser.unplaced
    }

    /// The `[columns]` keys in the order the schema lists them (and the TOML is written in).
    static let columnOrder = ["pupil_id", "upn", "forename", "surname", "date_of_birth", "year_group", "tutor_group", "subject",
                              "ks2_reading", "ks2_maths", "teaching_group", "teachers", "staff_code", "staff_title",
                              "staff_forename", "staff_surname", "staff_email"]

    // MARK: The TOML

    /// The proposed mapping file: every line carries a comment saying why, and what could not
    /// be placed is listed at the end.
    public var toml: String {
        var lines: [String] = []
        func line(_ text: String, _ why: String) {
            let pad = max(1, 40 - text.count)
            lines.append(text + String(repeating: " ", count: pad) + "# " + why.replacingOccurrences(of: "\n", with: " "))
        }
        let kindName = switch kind {
        case .pupils: "pupil list"
        case .classes: "class list"
        case .staff: "staff list"
        }
        lines.append("# Proposed by `headway mapping suggest` from \(fileName): a \(kindName), judged from its header and")
        lines.append("# \(rowsSampled) sample row(s) of \(rowsInFile). CONFIRM every line before importing: the reasons are guesses.")
        lines.append("# Schema: the doc comment of ColumnMapping (Sources/HeadwayImport/ColumnMapping.swift).")
        lines.append("")
        line("version = 1", "the mapping schema version")
        line("academic_year = \(Self.quote(academicYear.description))", "CONFIRM: the academic year the file belongs to")
        if separator != "," {
            line("separator = \(Self.quote(separator == "\t" ? "tab" : String(separator)))", "detected from the header line")
        }
        lines.append("")
        line("[school]", "CONFIRM: the school every row belongs to")
        line("id = \(Self.quote(school.id.rawValue))", "CONFIRM: the school's URN or short code")
        line("name = \(Self.quote(school.name))", "CONFIRM: the school's name")
        if kind == .classes {
            for subject in subjects {
                lines.append("")
                line("[[subject]]", "a value of column \"\(header(for: "subject") ?? "")\" in the sample rows")
                line("code = \(Self.quote(subject))", "CONFIRM: matched against the subject cells (code, or name)")
                line("name = \(Self.quote(subject))", "CONFIRM: the subject's name")
                line("scale = \"gcse-9-1\"", "CONFIRM: the scale its grades are entered on")
            }
            if subjects.isEmpty {
                lines.append("# No subject values in the sample rows: add a [[subject]] for each subject of the file.")
            }
        }
        lines.append("")
        line("[columns]", "which CSV column holds what")
        for placement in columns {
            if placement.values.isEmpty {
                line("\(placement.key) = \(Self.quote(placement.header))", placement.reason)
            } else {
                line("\(placement.key) = { column = \(Self.quote(placement.header)), values = \(Self.inlineTable(placement.values)) }",
                     placement.reason)
            }
        }
        if kind == .pupils, header(for: "year_group") == nil {
            lines.append("# No year-group column found: map year_group, or add [constants] year_group = 7 (a pupil needs one).")
        }
        if kind != .staff, header(for: "pupil_id") == nil, header(for: "upn") == nil {
            lines.append("# No pupil identity found: map pupil_id (the MIS id) or upn before importing.")
        }
        for placement in characteristics {
            lines.append("")
            line("[[characteristic]]", placement.reason)
            line("name = \(Self.quote(placement.key))", Self.characteristicNote[placement.key] ?? "a characteristic kept as text")
            line("column = \(Self.quote(placement.header))", "the CSV header")
            if !placement.values.isEmpty {
                line("values = \(Self.inlineTable(placement.values))", "the file's values, read as Headway's")
            }
        }
        if !unplaced.isEmpty {
            lines.append("")
            lines.append("# Not placed (add them yourself if Headway should read them):")
            for item in unplaced { lines.append("#   \(Self.quote(item.header)): \(item.reason)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let characteristicNote: [String: String] = [
        Characteristic.gender: "standard characteristic: gender as the MIS records it",
        Characteristic.disadvantaged: "standard characteristic: pupil premium / disadvantaged, true or false",
        Characteristic.sen: "standard characteristic: SEN provision N, K or E",
        Characteristic.eal: "standard characteristic: English as an additional language, true or false",
        Characteristic.lookedAfter: "standard characteristic: looked after, true or false",
        "fsm": "free school meals, kept as true or false",
    ]

    /// A TOML basic string.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `{ "a" = "b", … }`, keys sorted.
    static func inlineTable(_ values: [String: String]) -> String {
        "{ " + values.keys.sorted().map { "\(quote($0)) = \(quote(values[$0]!))" }.joined(separator: ", ") + " }"
    }
}

/// One column's header and non-blank sample values, with the header as lower-case words.
private struct Profile {
    var header: String
    var values: [String]
    /// The header lower-cased, non-alphanumerics as spaces, words single-spaced, padded with a
    /// space each side so that ``names(_:)`` matches whole words.
    var words: String

    init(header: String, values: [String]) {
        self.header = header
        self.values = values
        let lowered = header.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }
        words = " " + String(lowered).split(separator: " ").joined(separator: " ") + " "
    }

    /// True when the header holds any of the phrases as whole words.
    func names(_ phrases: String...) -> Bool { phrases.contains { words.contains(" \($0) ") } }

    /// How many values satisfy `test`.
    func count(_ test: (String) -> Bool) -> Int { values.filter(test).count }

    /// True when at least `share` of the values (and at least one) satisfy `test`.
    func mostly(_ share: Double, _ test: (String) -> Bool) -> Bool {
        !values.isEmpty && Double(count(test)) >= share * Double(values.count)
    }

    /// `N of M sample values`.
    func tally(_ test: (String) -> Bool) -> String { "\(count(test)) of \(values.count) sample values" }

    /// Up to five distinct values, quoted, for a comment.
    var examples: String {
        var seen = Set<String>()
        let distinct = values.filter { seen.insert($0).inserted }
        return distinct.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (distinct.count > 5 ? ", …" : "")
    }
}

/// The guessing itself: each header is placed at most once, each key at most once.
private struct Guesser {
    let profiles: [Profile]
    var placed = Set<Int>()
    var kind = ColumnMapping.Kind.pupils
    var columns: [MappingSuggestion.Placement] = []
    var characteristics: [MappingSuggestion.Placement] = []
    var subjects: [String] = []
    var unplaced: [MappingSuggestion.Unplaced] = []

    init(profiles: [Profile]) { self.profiles = profiles }

    // Value tests.
    static func isUPN(_ v: String) -> Bool { UPN.validate(v).upn != nil }
    static func isDate(_ v: String) -> Bool { CalendarDate(parsing: v) != nil }
    static func isScaledScore(_ v: String) -> Bool { Int(v).map { (80...120).contains($0) } ?? false }
    static func yearGroup(_ v: String) -> Int? {
        var text = v.lowercased()
        for prefix in ["year ", "year", "yr ", "yr", "y"] where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        return Int(text).flatMap { ColumnMapping.yearGroups.contains($0) ? $0 : nil }
    }
    static let yesWords: Set<String> = ["y", "yes", "true", "t", "1"]
    static let noWords: Set<String> = ["n", "no", "false", "f", "0"]
    static let yesNoMap = ["Y": "true", "N": "false", "Yes": "true", "No": "false", "True": "true", "False": "false", "T": "true", "F": "false"]
    static let characteristicWords = [Characteristic.disadvantaged: "pupil premium / disadvantaged", "fsm": "free school meals",
                                      Characteristic.eal: "EAL", Characteristic.lookedAfter: "looked after"]
    static func isYesNo(_ v: String) -> Bool { yesWords.contains(v.lowercased()) || noWords.contains(v.lowercased()) }
    static func isEmail(_ v: String) -> Bool {
        let parts = v.split(separator: "@")
        return parts.count == 2 && parts[1].contains(".") && !v.contains(" ")
    }

    /// The SEN code a value stands for: N, K or E from the code itself (`K`, `K - SEN Support`)
    /// or from the words (`SEN Support`, `EHC Plan`, `Statement`, `No Special Educational Need`).
    static func senCode(_ v: String) -> String? {
        let upper = v.uppercased()
        if ["N", "K", "E"].contains(upper) { return upper }
        // Codes from before the 2014 SEND reforms, still on old records: A (School Action) and
        // P (School Action Plus) were support without a plan, S a statement (now an EHC plan).
        if upper == "A" || upper == "P" { return "K" }
        if upper == "S" { return "E" }
        if let first = upper.first, ["N", "K", "E"].contains(first), upper.dropFirst().first.map({ $0 == " " || $0 == "-" }) == true,
           upper.contains("-") {
            return String(first)
        }
        let lower = v.lowercased()
        if lower.contains("ehc") || lower.contains("health and care") || lower.contains("statement") { return "E" }
        if lower.contains("no special") || lower.contains("no sen") || lower == "none" || lower == "no" { return "N" }
        if lower.contains("support") { return "K" }
        return nil
    }

    mutating func place(_ index: Int, key: String, reason: String, values: [String: String] = [:]) {
        placed.insert(index)
        columns.append(.init(key: key, header: profiles[index].header, reason: reason, values: values))
    }

    func has(_ key: String) -> Bool { columns.contains { $0.key == key } }

    /// The first unplaced header (in file order) that the test accepts, preferring one the
    /// `better` test also accepts.
    func find(_ test: (Profile) -> Bool, better: ((Profile) -> Bool)? = nil) -> Int? {
        let candidates = profiles.indices.filter { !placed.contains($0) && test(profiles[$0]) }
        if let better, let best = candidates.first(where: { better(profiles[$0]) }) { return best }
        return candidates.first
    }

    mutating func run() {
        // Identity first: a UPN column, a pupil id header, a birth date.
        if let i = find({ $0.mostly(0.8, Self.isUPN) }, better: { $0.names("upn") }) {
            place(i, key: "upn", reason: "\(profiles[i].tally(Self.isUPN)) are valid UPNs (UPN.validate)")
        } else if let i = find({ $0.names("upn", "unique pupil number") }) {
            let p = profiles[i]
            place(i, key: "upn", reason: p.values.isEmpty ? "header names a UPN; no sample values to check"
                  : "header names a UPN, but only \(p.tally(Self.isUPN)) are valid UPNs: check the column")
        }
        let pupilID = find({ $0.names("adno", "admission number", "admission no", "admissions number", "adm no", "pupil id", "student id",
                                      "mis id", "pupil number", "student number", "id") && !$0.names("upn", "staff", "teacher") })
        let staffCode = find({ $0.names("staff code", "staff id", "teacher code", "initials", "code") && !$0.names("subject", "class") })
        let pupilish = has("upn") || pupilID != nil
            || profiles.contains { $0.names("dob", "birth") }
        let classHeader = find({ $0.names("class", "class name", "class code", "teaching group", "cohort", "set")
                                   && !$0.names("reg", "registration", "tutor", "year", "form") })
        if !pupilish, staffCode != nil {
            kind = .staff
        } else if classHeader != nil, pupilish {
            kind = .classes
        }

        if kind == .staff {
            placeStaff(code: staffCode!)
        } else {
            if let i = pupilID {
                let p = profiles[i]
                let distinct = Set(p.values).count
                var reason = "header names the MIS id (admission number); kept as text, so leading zeros stay"
                if p.values.contains(where: { $0.hasPrefix("0") && $0.count > 1 }) { reason += " (e.g. \(p.values.first { $0.hasPrefix("0") }!))" }
                if kind == .pupils, distinct < p.values.count { reason += "; WARNING: only \(distinct) of \(p.values.count) sample values are distinct" }
                place(i, key: "pupil_id", reason: reason)
            }
            placeNames(forename: "forename", surname: "surname")
            placeDateOfBirth()
            placeYearGroup()
            if let i = find({ ($0.names("reg", "registration", "tutor group", "tutor", "form", "reg group", "form group")) && !$0.names("number", "date") }) {
                place(i, key: "tutor_group", reason: "header names a registration (tutor) group; sample values: \(profiles[i].examples)")
            }
            if kind == .classes { placeClass(classHeader!) }
            placeKS2()
            placeCharacteristics()
        }
        for i in profiles.indices where !placed.contains(i) {
            let p = profiles[i]
            let reason: String
            if p.values.isEmpty {
                reason = "no values in the sample rows"
            } else if p.mostly(0.8, Self.isEmail) {
                reason = kind == .staff ? "email addresses, but an email column is already placed" : "email addresses: Headway keeps no pupil email"
            } else if p.mostly(0.8, Self.isScaledScore) {
                reason = "whole numbers 80–120 (\(p.tally(Self.isScaledScore))), perhaps KS2 scaled scores, but the header names neither reading nor maths"
            } else if p.names("name", "student", "pupil", "full name") {
                reason = "a whole name? Headway reads forename and surname from separate columns"
            } else {
                reason = "no Headway field recognised from the header or the sample values (\(p.examples)); add a [[characteristic]] to keep it"
            }
            unplaced.append(.init(header: p.header, reason: reason))
        }
    }

    mutating func placeNames(forename: String, surname: String) {
        func legal(_ p: Profile) -> Bool { p.names("legal") || !p.names("preferred", "known", "known as", "chosen") }
        if let i = find({ $0.names("forename", "first name", "firstname", "given name", "first names") }, better: { $0.names("legal") }) {
            let p = profiles[i]
            place(i, key: forename, reason: "header names a forename" + (legal(p) ? (p.names("legal") ? " (legal)" : "")
                                                                             : " — a preferred name: map the legal one if the file has it"))
        }
        if let i = find({ $0.names("surname", "last name", "lastname", "family name") }, better: { $0.names("legal") }) {
            let p = profiles[i]
            place(i, key: surname, reason: "header names a surname" + (legal(p) ? (p.names("legal") ? " (legal)" : "")
                                                                           : " — a preferred name: map the legal one if the file has it"))
        }
    }

    mutating func placeDateOfBirth() {
        if let i = find({ $0.names("dob", "birth", "date of birth", "birthday") && $0.mostly(0.8, Self.isDate) })
            ?? find({ $0.mostly(0.8, Self.isDate) && !$0.names("start", "entry", "leaving", "admission", "left") }) {
            let p = profiles[i]
            let hint = p.names("dob", "birth", "birthday") ? "; header names a date of birth" : "; the only date-shaped column — CONFIRM it is the date of birth"
            place(i, key: "date_of_birth", reason: "\(p.tally(Self.isDate)) are dates (YYYY-MM-DD or DD/MM/YYYY)\(hint)")
        }
    }

    mutating func placeYearGroup() {
        let isYear: (String) -> Bool = { Self.yearGroup($0) != nil }
        guard let i = find({ $0.mostly(0.9, isYear) && !$0.names("reg", "registration", "tutor", "form", "id", "adno", "code", "class") },
                           better: { $0.names("year", "yr", "nc year", "year group") }) else { return }
        let p = profiles[i]
        var map: [String: String] = [:]
        for value in Set(p.values) where Int(value) == nil {
            if let year = Self.yearGroup(value) { map[value] = String(year) }
        }
        var reason = "\(p.tally(isYear)) are year groups 7–13"
        if !map.isEmpty { reason += "; values such as \"\(map.keys.sorted()[0])\" are read as \(map[map.keys.sorted()[0]]!)" }
        place(i, key: "year_group", reason: reason, values: map)
    }

    mutating func placeKS2() {
        for (key, words) in [("ks2_reading", ["read", "reading", "rd"]), ("ks2_maths", ["maths", "math", "mathematics", "ma", "mat"])] {
            guard let i = find({ p in p.mostly(0.8, Self.isScaledScore) && words.contains { p.names($0) } },
                               better: { $0.names("ks2", "scaled", "ss") }) else { continue }
            place(i, key: key, reason: "\(profiles[i].tally(Self.isScaledScore)) are whole numbers 80–120 (KS2 scaled scores); header names \(key == "ks2_reading" ? "reading" : "maths")")
        }
    }

    mutating func placeClass(_ classIndex: Int) {
        place(classIndex, key: "teaching_group", reason: "header names a class; sample values: \(profiles[classIndex].examples) (kept as text)")
        if let i = find({ $0.names("subject", "course", "subject name", "subject code") }) {
            let p = profiles[i]
            var seen = Set<String>()
            subjects = p.values.filter { seen.insert($0).inserted }
            place(i, key: "subject", reason: "header names the subject; \(subjects.count) distinct value(s) in the sample, each given a [[subject]] above")
        }
        if let i = find({ $0.names("teacher", "teachers", "staff", "staff code", "staff codes", "teacher code", "teacher codes") }) {
            let p = profiles[i]
            let namesLike = p.count { $0.contains(" ") && !$0.contains(",") && !$0.contains(";") && !$0.contains("/") }
            var reason = "header names the teacher(s); several codes in one cell are split on , ; or /"
            if namesLike * 2 > p.values.count { reason += " — WARNING: the values look like names, and Headway needs staff codes" }
            place(i, key: "teachers", reason: reason)
        }
    }

    mutating func placeStaff(code: Int) {
        let p = profiles[code]
        var reason = "header names a staff code; kept as text (0JS stays 0JS)"
        if Set(p.values).count < p.values.count { reason += "; WARNING: some sample values repeat" }
        place(code, key: "staff_code", reason: reason)
        if let i = find({ $0.names("title", "salutation", "prefix") }) {
            place(i, key: "staff_title", reason: "header names a title; sample values: \(profiles[i].examples)")
        }
        placeNames(forename: "staff_forename", surname: "staff_surname")
        if let i = find({ $0.mostly(0.8, Self.isEmail) }, better: { $0.names("email", "e mail", "work email") })
            ?? find({ $0.names("email", "e mail") }) {
            place(i, key: "staff_email", reason: "\(profiles[i].tally(Self.isEmail)) are email addresses")
        }
    }

    mutating func placeCharacteristics() {
        if let i = find({ $0.names("gender", "sex") }) {
            let p = profiles[i]
            var map: [String: String] = [:]
            for value in Set(p.values) {
                switch value.lowercased() {
                case "female", "girl": map[value] = "F"
                case "male", "boy": map[value] = "M"
                default: break
                }
            }
            addCharacteristic(i, name: Characteristic.gender, reason: "header names gender; sample values: \(p.examples)", values: map)
        }
        let yesNo: [(String, (Profile) -> Bool)] = [
            (Characteristic.disadvantaged, { $0.names("pupil premium", "pp", "disadvantaged", "disadvantage", "ever 6 fsm", "pp eligible") }),
            ("fsm", { $0.names("fsm", "free school meals", "free school meal", "fsm eligible") }),
            (Characteristic.eal, { $0.names("eal", "english as an additional language", "additional language") }),
            (Characteristic.lookedAfter, { $0.names("looked after", "lac", "cla", "in care", "looked after child") }),
        ]
        for (name, test) in yesNo {
            guard let i = find(test) else { continue }
            let p = profiles[i]
            // The usual spellings (matched case-insensitively), and any other yes/no-like value seen.
            var map = Self.yesNoMap
            let covered = Set(map.keys.map { $0.lowercased() })
            for value in Set(p.values) where !covered.contains(value.lowercased()) {
                if Self.yesWords.contains(value.lowercased()) { map[value] = "true" }
                if Self.noWords.contains(value.lowercased()) { map[value] = "false" }
            }
            let what = Self.characteristicWords[name] ?? name
            let reason = p.mostly(1, Self.isYesNo)
                ? "header names \(what); \(p.tally(Self.isYesNo)) are yes/no-like"
                : "header names \(what); WARNING: values \(p.examples) are not all yes/no-like — map each to true or false"
            addCharacteristic(i, name: name, reason: reason, values: map)
        }
        if let i = find({ $0.names("sen", "send", "special educational needs", "sen status", "sen provision") }) {
            let p = profiles[i]
            var map: [String: String] = [:]
            var unknown: [String] = []
            for value in Set(p.values).sorted() {
                if let code = Self.senCode(value) {
                    if value != code { map[value] = code }
                } else {
                    unknown.append(value)
                }
            }
            var reason = "header names SEN provision; sample values: \(p.examples)"
            if p.values.contains(where: { ["A", "P", "S"].contains($0.uppercased()) }) {
                reason += "; pre-2014 codes A and P are read as K, S as E — check those pupils"
            }
            if !unknown.isEmpty { reason += "; WARNING: could not read \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")) as N, K or E — add them to the map" }
            addCharacteristic(i, name: Characteristic.sen, reason: reason, values: map)
        }
    }

    mutating func addCharacteristic(_ index: Int, name: String, reason: String, values: [String: String]) {
        placed.insert(index)
        characteristics.append(.init(key: name, header: profiles[index].header, reason: reason, values: values))
    }
}
