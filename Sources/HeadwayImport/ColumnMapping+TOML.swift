import Foundation
import HeadwayCore

extension ColumnMapping {
    /// Reads a mapping from its TOML text (schema: ``ColumnMapping``).
    ///
    /// - Parameters:
    ///   - toml: the mapping file's text.
    ///   - file: the mapping's file name, used in issues.
    ///   - scales: school scales already loaded (e.g. from the mapping's `scale_files`); with the
    ///     built-in scales and any inline `[[scale]]` tables they are what subjects may name.
    /// - Throws: ``ImportIssue`` with code ``ImportIssue/Code/mappingSyntax`` (invalid TOML, at
    ///   the line the parser reports) or ``ImportIssue/Code/mappingInvalid`` /
    ///   ``ImportIssue/Code/scaleInvalid`` listing every problem found, each with its key path.
    public init(toml: String, file: String, scales extraScales: [GradeScale] = []) throws(ImportIssue) {
        try self.init(root: try TOMLNode.parse(toml, file: file), file: file, scales: extraScales)
    }

    /// Reads a mapping from a parsed TOML document: the one path every mapping takes, whether
    /// from one file or composed from a school's mapping and a preset (``MappingPreset``).
    init(root: [String: TOMLNode], file: String, scales extraScales: [GradeScale] = []) throws(ImportIssue) {
        let problems = TOMLProblems(file: file, code: .mappingInvalid)
        let t = TOMLTableReader(root, path: "", problems: problems)
        t.rejectUnknownKeys(allowed: [
            "version", "academic_year", "separator", "scale_files", "school", "subject", "collection", "scale",
            "columns", "pupil_key", "constants", "files", "value_maps", "grade_column", "characteristic",
        ])
        if let version = t.int("version"), version != 1 {
            problems.add("version", value: String(version), "only version 1 exists")
        }

        // The year and the school.
        var academicYear = AcademicYear(startYear: 2000)
        switch root["academic_year"] {
        case nil: problems.add("academic_year", "required, e.g. \"2025/26\"")
        case .string(let text)?:
            if let year = AcademicYear(parsing: text) { academicYear = year } else {
                problems.add("academic_year", value: text, "not an academic year: write e.g. \"2025/26\"")
            }
        case .int(let start)?:
            if let year = AcademicYear(parsing: String(start)) { academicYear = year } else {
                problems.add("academic_year", value: String(start), "not an academic year: write e.g. \"2025/26\"")
            }
        case let node?: problems.add("academic_year", "must be a string such as \"2025/26\", found \(node.kind)")
        }
        var school = School(id: "", name: "")
        if let s = t.table("school", required: true) {
            s.rejectUnknownKeys(allowed: ["id", "name"])
            school = School(id: School.ID(s.string("id", required: true) ?? ""), name: s.string("name", required: true) ?? "")
        }
        let separator = Self.separator(t, "separator")
        let scaleFiles = t.stringArray("scale_files") ?? []

        // Scales: built-in, passed in, inline.
        var scales = GradeScale.builtIn
        for scale in extraScales { scales[scale.id] = scale }
        for s in t.tables("scale") {
            guard let scale = GradeScaleFile.scale(from: s) else { continue }
            if scales[scale.id] != nil, GradeScale.builtIn[scale.id] == nil {
                problems.add(s.keyPath("id"), value: scale.id.rawValue, "a scale with this id is already defined")
            }
            scales[scale.id] = scale
        }
        // For "unknown scale" messages: what a subject could have named instead.
        var knownScales = "built-in: \(GradeScaleFile.builtInList)"
        let schoolScales = scales.keys.filter { GradeScale.builtIn[$0] == nil }.map(\.rawValue).sorted()
        if !schoolScales.isEmpty { knownScales += "; school: " + schoolScales.joined(separator: ", ") }
        if !scaleFiles.isEmpty, extraScales.isEmpty { knownScales += "; scale_files are loaded by ColumnMapping(contentsOf:)" }

        // Subjects and collections.
        var subjects: [Subject] = []
        for s in t.tables("subject") {
            s.rejectUnknownKeys(allowed: ["code", "name", "scale", "atl_scale", "qualification", "ks4_category"])
            let code = s.string("code", required: true)
            let name = s.string("name", required: true)
            let scale = s.string("scale", required: true)
            let atlScale = s.string("atl_scale") ?? GradeScale.atlID.rawValue
            for (key, id) in [("scale", scale), ("atl_scale", atlScale)] {
                if let id, scales[GradeScale.ID(id)] == nil {
                    problems.add(s.keyPath(key), value: id, "unknown scale (\(knownScales))")
                }
            }
            let category = s.string("ks4_category")
            if let category, KS4Category(rawValue: category) == nil {
                problems.add(s.keyPath("ks4_category"), value: category,
                             "must be one of \(KS4Category.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let code, let name, let scale else { continue }
            if subjects.contains(where: { $0.id.rawValue == code }) {
                problems.add(s.keyPath("code"), value: code, "subject defined twice")
            }
            subjects.append(Subject(id: Subject.ID(code), name: name, scale: GradeScale.ID(scale),
                                    atlScale: GradeScale.ID(atlScale), qualification: s.string("qualification"),
                                    ks4Category: category.flatMap(KS4Category.init(rawValue:))))
        }
        var collections: [DataCollection] = []
        for c in t.tables("collection") {
            c.rejectUnknownKeys(allowed: ["code", "name", "sequence", "year_groups", "opens", "deadline", "locks", "publishes"])
            let code = c.string("code", required: true)
            let name = c.string("name", required: true)
            let sequence = c.int("sequence", required: true)
            let yearGroups = c.intArray("year_groups") ?? []
            for year in yearGroups where !ColumnMapping.yearGroups.contains(year) {
                problems.add(c.keyPath("year_groups"), value: String(year), "a year group is 7 to 13")
            }
            let dates = (c.date("opens"), c.date("deadline"), c.date("locks"), c.date("publishes"))
            guard let code, let name, let sequence else { continue }
            if collections.contains(where: { $0.id.rawValue == code }) {
                problems.add(c.keyPath("code"), value: code, "collection defined twice")
            }
            if let other = collections.first(where: { $0.sequence == sequence }) {
                problems.add(c.keyPath("sequence"), value: String(sequence), "collection \(other.id) has the same sequence")
            }
            collections.append(DataCollection(id: DataCollection.ID(code), name: name, academicYear: academicYear,
                                              yearGroups: yearGroups.sorted(), sequence: sequence, opens: dates.0,
                                              deadline: dates.1, locks: dates.2, publishes: dates.3))
        }
        let subjectIDs = Set(subjects.map(\.id))
        let collectionIDs = Set(collections.map(\.id))
        func subject(_ r: TOMLTableReader, _ key: String) -> Subject.ID? {
            guard let code = r.string(key) else { return nil }
            if !subjectIDs.contains(Subject.ID(code)) {
                r.problems.add(r.keyPath(key), value: code,
                               "not a [[subject]] code (defined: \(subjectIDs.map(\.rawValue).sorted().joined(separator: ", ")))")
            }
            return Subject.ID(code)
        }
        func collection(_ r: TOMLTableReader, _ key: String) -> DataCollection.ID? {
            guard let code = r.string(key) else { return nil }
            if !collectionIDs.contains(DataCollection.ID(code)) {
                r.problems.add(r.keyPath(key), value: code,
                               "not a [[collection]] code (defined: \(collectionIDs.map(\.rawValue).sorted().joined(separator: ", ")))")
            }
            return DataCollection.ID(code)
        }
        func constants(_ r: TOMLTableReader) -> Constants {
            let year = r.int("year_group")
            if let year, !ColumnMapping.yearGroups.contains(year) {
                r.problems.add(r.keyPath("year_group"), value: String(year), "a year group is 7 to 13")
            }
            return Constants(subject: subject(r, "subject"), collection: collection(r, "collection"),
                             yearGroup: year, tutorGroup: r.string("tutor_group"))
        }

        // Value maps, then every column reference.
        var valueMaps: [String: ValueMap] = [:]
        if let maps = t.table("value_maps") {
            for name in maps.entries.keys.sorted() {
                if let map = Self.valueMap(maps, name, named: [:]) { valueMaps[name] = map }
            }
        }
        var constantsValue = Constants()
        if let c = t.table("constants") {
            c.rejectUnknownKeys(allowed: ["subject", "collection", "year_group", "tutor_group"])
            constantsValue = constants(c)
        }
        var files: [String: FileSettings] = [:]
        if let f = t.table("files") {
            for name in f.entries.keys.sorted() {
                guard let settings = f.table(name) else { continue }
                if settings.entries.values.contains(where: { if case .table = $0 { true } else { false } }) {
                    problems.add(f.keyPath(name), "a file name with a dot must be quoted: [files.\"name.csv\"], not [files.name.csv]")
                    continue
                }
                settings.rejectUnknownKeys(allowed: ["subject", "collection", "year_group", "tutor_group", "separator"])
                files[name] = FileSettings(constants: constants(settings), separator: Self.separator(settings, "separator"))
            }
        }

        var columns = Columns()
        var gradeColumns: [GradeColumn] = []
        if let c = t.table("columns") {
            let fields = ["pupil_id", "upn", "forename", "surname", "date_of_birth", "year_group", "tutor_group", "subject",
                          "collection", "working_at", "predicted", "atl", "ks2_reading", "ks2_maths", "teaching_group", "teachers",
                          "staff_code", "staff_title", "staff_forename", "staff_surname", "staff_email"]
            c.rejectUnknownKeys(allowed: fields)
            func column(_ key: String) -> Column? {
                let col = Self.column(c, key, valueMaps: valueMaps)
                if let col, col.isOptional, Self.neverOptional.contains(key) {
                    problems.add(c.keyPath(key), "cannot be optional: every row needs it")
                }
                return col
            }
            columns.pupilID = column("pupil_id")
            columns.upn = column("upn")
            columns.forename = column("forename")
            columns.surname = column("surname")
            columns.dateOfBirth = column("date_of_birth")
            columns.yearGroup = column("year_group")
            columns.tutorGroup = column("tutor_group")
            columns.subject = column("subject")
            columns.collection = column("collection")
            columns.ks2Reading = column("ks2_reading")
            columns.ks2Maths = column("ks2_maths")
            columns.teachingGroup = column("teaching_group")
            columns.teachers = column("teachers")
            columns.staffCode = column("staff_code")
            columns.staffTitle = column("staff_title")
            columns.staffForename = column("staff_forename")
            columns.staffSurname = column("staff_surname")
            columns.staffEmail = column("staff_email")
            for kind in EntryKind.allCases {
                if let col = column(kind.rawValue) {
                    gradeColumns.append(GradeColumn(column: col, kind: kind, collection: nil, subject: nil))
                }
            }
        }
        for g in t.tables("grade_column") {
            g.rejectUnknownKeys(allowed: ["column", "kind", "collection", "subject", "values"])
            let kindText = g.string("kind") ?? EntryKind.workingAt.rawValue
            let kind = EntryKind(rawValue: kindText)
            if kind == nil {
                problems.add(g.keyPath("kind"), value: kindText,
                             "must be one of \(EntryKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let col = Self.column(g, "column", valueMaps: valueMaps, required: true, valuesIn: g)
            if col?.isOptional == true { problems.add(g.keyPath("column"), "a grade column cannot be optional") }
            let fixedCollection = collection(g, "collection")
            let fixedSubject = subject(g, "subject")
            guard let col, let kind else { continue }
            let new = GradeColumn(column: col, kind: kind, collection: fixedCollection, subject: fixedSubject)
            if let clash = gradeColumns.first(where: { $0.kind == kind && $0.collection == new.collection && $0.subject == new.subject }) {
                problems.add(g.path, "fills the same \(kind.rawValue) value as \(clash.column.mappingKey) (\"\(clash.column.name)\"): give each its own collection or subject")
            }
            gradeColumns.append(new)
        }
        var characteristics: [CharacteristicColumn] = []
        for c in t.tables("characteristic") {
            c.rejectUnknownKeys(allowed: ["name", "column", "values", "per_subject", "optional"])
            let name = c.string("name", required: true)
            var col = Self.column(c, "column", valueMaps: valueMaps, required: true, valuesIn: c)
            if c.bool("optional") == true { col?.isOptional = true }
            let perSubject = c.bool("per_subject") ?? false
            if let name {
                if name == Characteristic.priorAttainmentBand {
                    problems.add(c.keyPath("name"), value: name, "derived from the KS2 scores, never imported: map ks2_reading and ks2_maths instead")
                } else if name.contains(":") {
                    problems.add(c.keyPath("name"), value: name, "\":\" is reserved for per-subject names (NAME:SUBJECT); use per_subject = true")
                } else if characteristics.contains(where: { $0.name == name }) {
                    problems.add(c.keyPath("name"), value: name, "characteristic mapped twice")
                }
            }
            guard let name, let col else { continue }
            characteristics.append(CharacteristicColumn(name: name, column: col, perSubject: perSubject))
        }

        // Pupil identity.
        var pupilKey: PupilKey?
        if let k = t.table("pupil_key") {
            k.rejectUnknownKeys(allowed: ["columns", "prefix"])
            let keyColumns = k.stringArray("columns", required: true) ?? []
            if k.has("columns"), keyColumns.isEmpty { problems.add(k.keyPath("columns"), "needs at least one column") }
            pupilKey = PupilKey(columns: keyColumns, prefix: k.string("prefix") ?? school.id.rawValue)
        }
        if columns.pupilID != nil, pupilKey != nil {
            problems.add("pupil_key", "set either columns.pupil_id or [pupil_key], not both")
        }
        Self.checkKind(columns: columns, pupilKey: pupilKey, hasGradeColumns: t.has("grade_column"),
                       gradeColumns: gradeColumns, characteristics: characteristics, problems: problems)

        try problems.throwIfAny()
        self.file = file
        self.school = school
        self.academicYear = academicYear
        self.separator = separator
        self.scaleFiles = scaleFiles
        self.scales = scales
        self.subjects = subjects
        self.collections = collections
        self.columns = columns
        self.pupilKey = pupilKey
        self.gradeColumns = gradeColumns
        self.characteristics = characteristics
        self.constants = constantsValue
        self.files = files
    }

    /// Reads a mapping file and the `scale_files` it lists (relative to its folder).
    /// - Throws: ``ImportIssue`` with code ``ImportIssue/Code/unreadableFile`` when a file cannot
    ///   be read, otherwise as ``init(toml:file:scales:)`` and ``GradeScaleFile``.
    public init(contentsOf url: URL) throws(ImportIssue) {
        let text = try GradeScaleFile.readText(url)
        let name = url.lastPathComponent
        // The scale files must be known before the subjects that name them are checked, so the
        // list is read first from the raw document.
        var scales: [GradeScale] = []
        if case .array(let paths)? = try TOMLNode.parse(text, file: name)["scale_files"] {
            for case .string(let path) in paths {
                let scaleURL = path.hasPrefix("/") ? URL(fileURLWithPath: path)
                    : url.deletingLastPathComponent().appendingPathComponent(path)
                scales.append(try GradeScaleFile.scale(contentsOf: scaleURL))
            }
        }
        try self.init(toml: text, file: name, scales: scales)
    }

    /// Year groups of an English secondary school, Y7 to Y13.
    static let yearGroups = 7...13

    /// `[columns]` keys that every row needs, so cannot be `optional = true`.
    static let neverOptional: Set<String> = ["pupil_id", "subject", "collection", "working_at", "predicted", "atl",
                                             "teaching_group", "staff_code"]

    /// The rules that depend on the kind of file (``ColumnMapping/Kind``): pupil identity for
    /// pupil files and class lists; no pupil columns in a staff list; no grades in a class list;
    /// staff detail columns only with `staff_code`, `teachers` only with `teaching_group`.
    private static func checkKind(columns: Columns, pupilKey: PupilKey?, hasGradeColumns: Bool, gradeColumns: [GradeColumn],
                                  characteristics: [CharacteristicColumn], problems: TOMLProblems) {
        let staffDetails: [(String, Column?)] = [("staff_title", columns.staffTitle), ("staff_forename", columns.staffForename),
                                                 ("staff_surname", columns.staffSurname), ("staff_email", columns.staffEmail)]
        if columns.staffCode != nil {
            let pupilColumns: [(String, Column?)] = [
                ("pupil_id", columns.pupilID), ("upn", columns.upn), ("forename", columns.forename), ("surname", columns.surname),
                ("date_of_birth", columns.dateOfBirth), ("year_group", columns.yearGroup), ("tutor_group", columns.tutorGroup),
                ("subject", columns.subject), ("collection", columns.collection), ("ks2_reading", columns.ks2Reading),
                ("ks2_maths", columns.ks2Maths), ("teaching_group", columns.teachingGroup), ("teachers", columns.teachers),
            ]
            for (key, column) in pupilColumns where column != nil {
                problems.add("columns.\(key)", "a staff list (columns.staff_code) reads no pupil columns: remove it, or import pupils with their own mapping")
            }
            for kind in EntryKind.allCases where gradeColumns.contains(where: { $0.column.mappingKey == "columns.\(kind.rawValue)" }) {
                problems.add("columns.\(kind.rawValue)", "a staff list (columns.staff_code) holds no grades")
            }
            if hasGradeColumns { problems.add("grade_column", "a staff list (columns.staff_code) holds no grades") }
            if pupilKey != nil { problems.add("pupil_key", "a staff list (columns.staff_code) has no pupils to key") }
            if !characteristics.isEmpty { problems.add("characteristic", "a staff list (columns.staff_code) has no pupil characteristics") }
            return
        }
        for (key, column) in staffDetails where column != nil {
            problems.add("columns.\(key)", "a staff column needs columns.staff_code (a staff list): map the staff code column too")
        }
        if columns.teachers != nil, columns.teachingGroup == nil {
            problems.add("columns.teachers", "teachers belong to a class: map columns.teaching_group (the class code) too")
        }
        if columns.teachingGroup != nil, !gradeColumns.isEmpty {
            problems.add(gradeColumns[0].column.mappingKey,
                         "a class list (columns.teaching_group) holds no grades: import grades with their own mapping")
        }
        if columns.pupilID == nil, pupilKey == nil, columns.upn == nil {
            problems.add("columns", "no pupil identity: map columns.pupil_id, or columns.upn, or add a [pupil_key] (or columns.staff_code for a staff list)")
        } else if columns.pupilID == nil, pupilKey == nil, columns.upn?.isOptional == true {
            problems.add("columns.upn", "cannot be optional: the UPN is the pupils' identity here (map columns.pupil_id too)")
        }
    }

    private static func separator(_ t: TOMLTableReader, _ key: String) -> Unicode.Scalar? {
        switch t.entries[key] {
        case nil: return nil
        case .string(let text)?:
            if text.lowercased() == "tab" || text == "\\t" { return "\t" }
            guard text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first,
                  !["\"", "\n", "\r", " "].contains(scalar)
            else {
                t.problems.add(t.keyPath(key), value: text, "must be one character, e.g. \",\", \";\" or \"tab\"")
                return nil
            }
            return scalar
        case let node?:
            t.problems.add(t.keyPath(key), "must be a string such as \";\" or \"tab\", found \(node.kind)")
            return nil
        }
    }

    /// A column reference: a header string, or `{ column = "…", values = … }`.
    private static func column(_ t: TOMLTableReader, _ key: String, valueMaps: [String: ValueMap], required: Bool = false,
                               valuesIn owner: TOMLTableReader? = nil) -> Column? {
        switch t.entries[key] {
        case .table(let entries)?:
            let inner = TOMLTableReader(entries, path: t.keyPath(key), problems: t.problems)
            inner.rejectUnknownKeys(allowed: ["column", "values", "optional"])
            guard let name = inner.string("column", required: true) else { return nil }
            return Column(name: name.trimmed,
                          values: valueMap(inner, "values", named: valueMaps) ?? ValueMap(), mappingKey: t.keyPath(key),
                          isOptional: inner.bool("optional") ?? false)
        default:
            guard let name = t.string(key, required: required) else { return nil }
            let values = owner.flatMap { valueMap($0, "values", named: valueMaps) } ?? ValueMap()
            return Column(name: name.trimmed, values: values, mappingKey: t.keyPath(key))
        }
    }

    /// A value mapping: an inline table of text → text (numbers and booleans are taken as their
    /// text), or the name of a `[value_maps]` entry.
    private static func valueMap(_ t: TOMLTableReader, _ key: String, named: [String: ValueMap]) -> ValueMap? {
        switch t.entries[key] {
        case nil: return nil
        case .string(let name)?:
            if let map = named[name] { return map }
            t.problems.add(t.keyPath(key), value: name,
                           "no [value_maps] entry of this name (defined: \(named.keys.sorted().joined(separator: ", ")))")
            return nil
        case .table(let entries)?:
            var out: [String: String] = [:]
            for (from, to) in entries {
                guard let text = to.scalarText else {
                    t.problems.add("\(t.keyPath(key)).\(from)", "must be text, found \(to.kind)")
                    continue
                }
                out[from] = text
            }
            return ValueMap(out)
        case let node?:
            t.problems.add(t.keyPath(key), "must be a table such as { yes = \"true\" } or a [value_maps] name, found \(node.kind)")
            return nil
        }
    }
}
