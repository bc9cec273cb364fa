import HeadwayCore

/// Reads and checks one CSV record against the mapping, for one file. A class: the checks are
/// nested functions, and capturing a struct this size copied it, mapping and all, on every row.
final class RowReader {
    let mapping: ColumnMapping
    let settings: ColumnMapping.FileSettings
    let fileName: String
    let headerCount: Int
    let columnIndex: [String: Int]
    /// `fileName`'s last path component, as rows name their file.
    let shortFileName: String
    /// Each subject of the mapping with its grade scale and ATL scale (nil when the mapping has
    /// no such scale), looked up once per file rather than per cell.
    let subjectScales: [Subject.ID: SubjectScales]

    /// A subject with its grade scale and ATL scale, shared (a class): looking one up per grade
    /// cell must not copy the subject and both scales (a seventh of reading a row, issue 13).
    final class SubjectScales {
        let subject: Subject
        let scale: GradeScale?
        let atlScale: GradeScale?

        init(_ subject: Subject, scale: GradeScale?, atlScale: GradeScale?) {
            self.subject = subject
            self.scale = scale
            self.atlScale = atlScale
        }
    }
    /// The mapping's columns where this file has them (nil where it does not), found once per
    /// file: looking each up by name and copying its mapping on every cell was half the time of
    /// reading a row (issue 13).
    let at: FileColumns
    /// The grade columns, in the mapping's order, with where this file has each.
    let grades: [(kind: ColumnMapping.EntryKind, subject: Subject.ID?, collection: DataCollection.ID?, column: FileColumn?)]
    /// The characteristic columns, in the mapping's order, with where this file has each.
    let characteristics: [(name: String, perSubject: Bool, column: FileColumn?)]
    /// The one subject the grade columns fix, when they fix exactly one (a row's subject for
    /// per-subject characteristics when it has no subject cell).
    let fixedGradeSubject: Subject.ID?
    /// ``ColumnMapping/kind``, worked out once.
    let kind: ColumnMapping.Kind

    /// A mapped column as one file has it: its position, header and value mapping.
    final class FileColumn {
        let index: Int
        let name: String
        let values: ColumnMapping.ValueMap

        init?(_ column: ColumnMapping.Column?, in columnIndex: [String: Int]) {
            guard let column, let index = columnIndex[column.name] else { return nil }
            self.index = index
            name = column.name
            values = column.values
        }
    }

    /// ``ColumnMapping/Columns`` as one file has them.
    struct FileColumns {
        let pupilID, upn, forename, surname, dateOfBirth, yearGroup, tutorGroup, subject, collection, ks2Reading, ks2Maths,
            teachingGroup, teachers, staffCode, staffTitle, staffForename, staffSurname, staffEmail: FileColumn?

        init(_ c: ColumnMapping.Columns, in index: [String: Int]) {
            pupilID = FileColumn(c.pupilID, in: index); upn = FileColumn(c.upn, in: index)
            forename = FileColumn(c.forename, in: index); surname = FileColumn(c.surname, in: index)
            dateOfBirth = FileColumn(c.dateOfBirth, in: index); yearGroup = FileColumn(c.yearGroup, in: index)
            tutorGroup = FileColumn(c.tutorGroup, in: index); subject = FileColumn(c.subject, in: index)
            collection = FileColumn(c.collection, in: index); ks2Reading = FileColumn(c.ks2Reading, in: index)
            ks2Maths = FileColumn(c.ks2Maths, in: index); teachingGroup = FileColumn(c.teachingGroup, in: index)
            teachers = FileColumn(c.teachers, in: index); staffCode = FileColumn(c.staffCode, in: index)
            staffTitle = FileColumn(c.staffTitle, in: index); staffForename = FileColumn(c.staffForename, in: index)
            staffSurname = FileColumn(c.staffSurname, in: index); staffEmail = FileColumn(c.staffEmail, in: index)
        }
    }

    init(mapping: ColumnMapping, settings: ColumnMapping.FileSettings, fileName: String, headerCount: Int, columnIndex: [String: Int]) {
        self.mapping = mapping
        self.settings = settings
        self.fileName = fileName
        self.headerCount = headerCount
        self.columnIndex = columnIndex
        shortFileName = ColumnMapping.fileName(fileName)
        var scales: [Subject.ID: SubjectScales] = [:]
        for subject in mapping.subjects where scales[subject.id] == nil {  // the first of a code, as a search finds it
            scales[subject.id] = SubjectScales(subject, scale: mapping.scales[subject.scale], atlScale: mapping.scales[subject.atlScale])
        }
        subjectScales = scales
        kind = mapping.kind
        at = FileColumns(mapping.columns, in: columnIndex)
        grades = mapping.gradeColumns.map { ($0.kind, $0.subject, $0.collection, FileColumn($0.column, in: columnIndex)) }
        characteristics = mapping.characteristics.map { ($0.name, $0.perSubject, FileColumn($0.column, in: columnIndex)) }
        let fixedSubjects = Set(mapping.gradeColumns.compactMap(\.subject))
        fixedGradeSubject = fixedSubjects.count == 1 ? fixedSubjects.first : nil
    }

    /// A cell: the trimmed text as found, and the same after the column's value mapping.
    struct Cell {
        var raw: String
        var value: String
        /// Unowned: a cell lives only while its row is read, its reader (which holds the column) longer.
        unowned(unsafe) var source: FileColumn
        var column: String { source.name }
        var isBlank: Bool { value.isEmpty }
    }

    /// A code read from a cell or a constant: resolved, absent, or present but not defined
    /// (already reported).
    enum Resolved<ID> {
        case some(ID)
        case none
        case invalid(String)

        var id: ID? { if case .some(let id) = self { id } else { nil } }
        /// The text for telling slots apart even when the code did not resolve.
        func text(_ describe: (ID) -> String) -> String? {
            switch self {
            case .some(let id): describe(id)
            case .none: nil
            case .invalid(let raw): raw
            }
        }
    }

    func read(_ record: CSVRecord, file: Int, issues: inout [ImportIssue]) -> ParsedRow {
        var row = ParsedRow(file: file, fileName: shortFileName, line: record.line)
        let line = record.line
        func reject(_ code: ImportIssue.Code, _ cell: Cell?, _ reason: String) {
            issues.append(ImportIssue(code, file: fileName, line: line, column: cell?.column, value: cell?.raw, reason: reason))
        }
        func warn(_ code: ImportIssue.Code, _ cell: Cell?, _ reason: String) {
            issues.append(ImportIssue(code, severity: .warning, file: fileName, line: line, column: cell?.column,
                                      value: cell?.raw, reason: reason))
        }

        // A short row (or a long one with text past the header) has shifted columns: reading it
        // would attach values to the wrong headers.
        if let reason = CSVText.fieldCountProblem(record, headerCount: headerCount) {
            reject(.fieldCount, nil, reason)
            return row
        }
        func cell(_ column: FileColumn?) -> Cell? {
            guard let column else { return nil }
            let raw = record.fields[column.index].trimmed
            return Cell(raw: raw, value: column.values.entries.isEmpty ? raw : column.values.apply(raw).trimmed, source: column)
        }
        func mappedNote(_ c: Cell) -> String { c.raw == c.value ? "" : " (read as \"\(c.value)\" through the value mapping)" }
        let fixed = settings.constants
        func text(_ c: Cell?) -> String? { c.flatMap { $0.isBlank ? nil : $0.value } }
        /// Names and codes reach terminals and pages: one with a control character, an escape
        /// sequence or a direction override is refused (issue 12, item 13).
        func refuseUnsafe(_ c: Cell?, _ what: String) {
            guard let c, let problem = c.value.unsafeCharacterProblem else { return }
            reject(.unsafeText, c, "the \(what) \(problem): correct it in the MIS and export again")
        }

        // A staff list row is one member of staff and nothing else (ColumnMapping rules).
        if kind == .staff {
            guard let c = cell(at.staffCode), !c.isBlank else {
                reject(.missingValue, cell(at.staffCode), "no staff code: every row of a staff list needs one")
                return row
            }
            if let separator = c.value.first(where: { ColumnMapping.teacherSeparators.contains($0) }) {
                reject(.invalidStaffCode, c, "a staff code cannot hold '\(separator)': class lists separate teachers' codes with "
                       + ColumnMapping.teacherSeparators.sorted().map { "'\($0)'" }.joined(separator: ", ")
                       + ", so this code would be read as two teachers; give the member of staff a code without it")
            }
            refuseUnsafe(c, "staff code")
            refuseUnsafe(cell(at.staffTitle), "title")
            refuseUnsafe(cell(at.staffForename), "forename")
            refuseUnsafe(cell(at.staffSurname), "surname")
            row.staff = Staff(id: Staff.ID(c.value), title: text(cell(at.staffTitle)),
                              forename: text(cell(at.staffForename)) ?? "", surname: text(cell(at.staffSurname)) ?? "",
                              email: text(cell(at.staffEmail)), roles: [])
            return row
        }

        // Subject and collection of the row: file constant, then cell, then mapping constant.
        var subject: Resolved<Subject.ID> = .none
        if let s = fixed.subject {
            subject = .some(s)
        } else if let c = cell(at.subject), !c.isBlank {
            if let s = resolveSubject(c.value) { subject = .some(s) } else {
                subject = .invalid(c.value)
                reject(.unknownSubject, c, "not a subject in \(mapping.file)\(mappedNote(c))"
                      + (nearestSubject(c.value).map { " (did you mean \($0)?)" } ?? "") + ": expected one of "
                      + mapping.subjects.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
                      + " — add the subject (a [[subject]] in a mapping), or a value mapping")
            }
        } else if let s = mapping.constants.subject {
            subject = .some(s)
        }
        var collection: Resolved<DataCollection.ID> = .none
        if let s = fixed.collection {
            collection = .some(s)
        } else if let c = cell(at.collection), !c.isBlank {
            if let s = resolveCollection(c.value) { collection = .some(s) } else {
                collection = .invalid(c.value)
                reject(.unknownCollection, c, "not a collection in \(mapping.file)\(mappedNote(c)): expected one of "
                      + mapping.collections.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
                      + " — add a [[collection]] or a value mapping")
            }
        } else if let s = mapping.constants.collection {
            collection = .some(s)
        }

        // Identity.
        if let c = cell(at.upn), !c.isBlank {
            let validation = UPN.validate(c.value)
            for problem in validation.problems {
                if problem.severity == .error {
                    reject(.invalidUPN, c, "not a valid UPN: \(problem.message)")
                } else {
                    warn(.upnWarning, c, "UPN \(problem.message)")
                }
            }
            row.upn = validation.upn
        }
        if mapping.columns.pupilID != nil {
            refuseUnsafe(cell(at.pupilID), "pupil id")
            if let c = cell(at.pupilID), !c.isBlank { row.pupil = Pupil.ID(c.value) } else {
                reject(.missingValue, cell(at.pupilID), "no pupil id: every row needs one")
            }
        } else if let key = mapping.pupilKey {
            let values = key.columns.map { name in
                columnIndex[name].map { record.fields[$0].trimmed } ?? ""
            }
            if values.allSatisfy(\.isEmpty) {
                reject(.missingValue, nil, "the pupil key columns (\(key.columns.joined(separator: ", "))) are all blank")
            } else {
                row.keyValues = values
            }
        } else if let upn = row.upn {
            row.pupil = Pupil.ID(upn.rawValue)
        } else if let c = cell(at.upn), c.isBlank {
            reject(.missingValue, c, "no UPN, and \(mapping.file) identifies pupils by UPN")
        }

        // The pupil's details.
        row.forename = text(cell(at.forename))
        row.surname = text(cell(at.surname))
        refuseUnsafe(cell(at.forename), "forename")
        refuseUnsafe(cell(at.surname), "surname")
        refuseUnsafe(cell(at.tutorGroup), "tutor group")
        row.tutorGroup = fixed.tutorGroup ?? text(cell(at.tutorGroup)) ?? mapping.constants.tutorGroup
        if let c = cell(at.dateOfBirth), !c.isBlank {
            if let date = CalendarDate(parsing: c.value) { row.dateOfBirth = date } else {
                reject(.invalidDate, c, "not a date\(mappedNote(c)): expected YYYY-MM-DD or DD/MM/YYYY, a day that exists")
            }
        }
        if let year = fixed.yearGroup {
            row.yearGroup = year
        } else if let c = cell(at.yearGroup), !c.isBlank {
            if let year = Int(c.value), ColumnMapping.yearGroups.contains(year) { row.yearGroup = year } else {
                reject(.invalidYearGroup, c, "not a year group\(mappedNote(c)): expected a whole number from 7 to 13 (map other forms, e.g. { \"Year 10\" = \"10\" })")
            }
        } else if let year = mapping.constants.yearGroup {
            row.yearGroup = year
        } else if kind != .classes {
            // A class list may leave it out: the pupil's stored year group stands (year group 0).
            reject(.missingValue, cell(at.yearGroup), "no year group: the cell is blank and no constant year_group is set")
        }
        func score(_ c: Cell?) -> Int? {
            guard let c, !c.isBlank else { return nil }
            if let n = Int(c.value), PriorAttainment.validScaledScores.contains(n) { return n }
            let range = PriorAttainment.validScaledScores
            reject(.invalidScaledScore, c, "not a KS2 scaled score\(mappedNote(c)): expected a whole number from \(range.lowerBound) to \(range.upperBound) (80–120, or a DfE nominal value below 80)")
            return nil
        }
        row.ks2Reading = score(cell(at.ks2Reading))
        row.ks2Maths = score(cell(at.ks2Maths))

        // Class membership.
        if kind == .classes {
            if let c = cell(at.teachingGroup), !c.isBlank {
                row.teachingGroup = TeachingGroup.ID(c.value)
            } else {
                reject(.missingValue, cell(at.teachingGroup), "no class code: every row of a class list needs one")
            }
            switch subject {
            case .some(let s): row.groupSubject = s
            case .none: reject(.missingValue, cell(at.subject), "no subject for the class: the subject cell is blank and no constant subject is set")
            case .invalid: break  // already reported
            }
            refuseUnsafe(cell(at.teachingGroup), "class code")
            refuseUnsafe(cell(at.teachers), "teachers' codes")
            if let c = cell(at.teachers), !c.isBlank {
                var seen = Set<String>()
                row.teachers = c.value.split(whereSeparator: { ColumnMapping.teacherSeparators.contains($0) })
                    .map { String($0).trimmed }.filter { !$0.isEmpty && seen.insert($0).inserted }.map { Staff.ID($0) }
            }
        }

        // Grades.
        let describeSubject: (Subject.ID) -> String = { $0.rawValue }
        let describeCollection: (DataCollection.ID) -> String = { $0.rawValue }
        var lastSlotText: (String, String)?
        let keyed = mapping.pupilKey != nil
        for g in grades {
            let gSubject: Resolved<Subject.ID> = g.subject.map { .some($0) } ?? subject
            let gCollection: Resolved<DataCollection.ID> = g.collection.map { .some($0) } ?? collection
            if keyed, let s = gSubject.text(describeSubject), let c = gCollection.text(describeCollection) {
                // Long format: every grade column of the row addresses the same slot.
                if lastSlotText.map({ $0 != s || $1 != c }) ?? true {
                    let text = "\(s)\u{1F}\(c)"
                    if !row.slotTexts.contains(text) { row.slotTexts.append(text) }
                }
                lastSlotText = (s, c)
            }
            let c = cell(g.column)
            guard let sID = gSubject.id, let cID = gCollection.id else {
                if let c, !c.isBlank, case .none = gSubject {
                    reject(.missingValue, c, "no subject for this grade: the subject cell is blank and no constant subject is set")
                } else if let c, !c.isBlank, case .none = gCollection {
                    reject(.missingValue, c, "no collection for this grade: the collection cell is blank and no constant collection is set")
                }
                continue
            }
            let slot = Slot(subject: sID, collection: cID)
            if !row.slots.contains(slot) { row.slots.append(slot) }
            guard let c, !c.isBlank else { continue }
            guard let scales = subjectScales[sID], let scale = g.kind == .atl ? scales.atlScale : scales.scale
            else { continue } // the mapping checked both exist
            do throws(GradeScale.ParseError) {
                if let value = try scale.parse(c.value) { row.entries.append((slot, g.kind, value)) }
            } catch {
                let what = g.kind == .atl ? "the ATL scale of \(scales.subject.name)" : scale.name
                issues.append(ImportIssue(.offScale, file: fileName, line: line, column: c.column, value: c.raw,
                                          reason: "not on \(what)\(mappedNote(c)) — expected \(error.expected)"))
            }
        }
        // Without grades a row addresses the pupil's record; in a class list, a class membership.
        if keyed, mapping.gradeColumns.isEmpty {
            row.slotTexts.append(kind == .classes ? "\u{1F}class\u{1F}\(row.teachingGroup?.rawValue ?? "")" : "\u{1F}pupil")
        }

        // Characteristics.
        let rowSubject = subject.id ?? fixedGradeSubject
        for ch in characteristics {
            guard let c = cell(ch.column), !c.isBlank else { continue }
            guard let value = checkedCharacteristic(ch.name, c, error: { reject(.invalidCharacteristic, c, $0) }) else { continue }
            if ch.perSubject {
                guard let s = rowSubject else {
                    if case .none = subject { reject(.missingValue, c, "characteristic \"\(ch.name)\" is per subject but the row has no subject") }
                    continue
                }
                row.characteristics.append(("\(ch.name):\(s.rawValue)", value, c.column))
            } else {
                row.characteristics.append((ch.name, value, c.column))
            }
        }
        return row
    }

    /// Standard characteristics hold fixed values (``Characteristic``); others any text.
    private func checkedCharacteristic(_ name: String, _ c: Cell, error: (String) -> Void) -> String? {
        switch name {
        case Characteristic.disadvantaged, Characteristic.eal, Characteristic.lookedAfter:
            let lower = c.value.lowercased()
            if lower == "true" || lower == "false" { return lower }
            error("\(name) must be true or false\(c.raw == c.value ? "" : " (read as \"\(c.value)\")"): add a value mapping, e.g. values = { Y = \"true\", N = \"false\" }")
            return nil
        case Characteristic.sen:
            if let status = SENStatus(rawValue: c.value.uppercased()) { return status.rawValue }
            error("sen must be N (none), K (SEN support) or E (EHC plan)\(c.raw == c.value ? "" : " (read as \"\(c.value)\")"): add a value mapping for other codes")
            return nil
        default:
            return c.value
        }
    }

    /// The subject code or name nearest a mistyped one, written `CODE (Name)`.
    private func nearestSubject(_ text: String) -> String? {
        let subjects = mapping.subjects
        guard let near = Spelling.nearest(text, in: subjects.map(\.id.rawValue) + subjects.map(\.name)) else { return nil }
        guard let subject = subjects.first(where: { $0.id.rawValue == near || $0.name == near }) else { return nil }
        return "\(subject.id) (\(subject.name))"
    }

    private func resolveSubject(_ text: String) -> Subject.ID? {
        let subjects = mapping.subjects
        if let s = subjects.first(where: { $0.id.rawValue == text }) { return s.id }
        let lower = text.lowercased()
        return (subjects.first { $0.id.rawValue.lowercased() == lower } ?? subjects.first { $0.name.lowercased() == lower })?.id
    }

    private func resolveCollection(_ text: String) -> DataCollection.ID? {
        let collections = mapping.collections
        if let c = collections.first(where: { $0.id.rawValue == text }) { return c.id }
        let lower = text.lowercased()
        return (collections.first { $0.id.rawValue.lowercased() == lower } ?? collections.first { $0.name.lowercased() == lower })?.id
    }
}
