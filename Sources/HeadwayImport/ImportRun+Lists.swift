import HeadwayCore

// Class lists and staff lists (issue 4, item 2): the checks and the assembly that pupil files
// do not need. The rules are in ColumnMapping's doc comment ("Three kinds of file").

extension ImportIssue.Code {
    /// The same record on two rows of one import: a pupil twice in a pupil list, a pupil twice in
    /// the same class of a class list, or a staff code twice in a staff list. Both rows are
    /// rejected; the error, on the later row, names the first.
    public static let duplicateRecord = ImportIssue.Code(rawValue: "duplicate_record")
    /// A class on two rows with two different subjects; the later row is rejected.
    public static let conflictingClass = ImportIssue.Code(rawValue: "conflicting_class")
}

extension ImportRun {
    /// False for a file whose rows are never records of their own: a pupil file with grades
    /// (``rejectDuplicateEntries`` covers it) or whose ids are built from a `[pupil_key]` (an
    /// ambiguous key already makes each of its rows a pupil of its own).
    private var rowsAreRecords: Bool {
        mapping.kind != .pupils || (mapping.gradeColumns.isEmpty && mapping.pupilKey == nil)
    }

    /// What makes two rows the same record for ``ImportIssue/Code/duplicateRecord``, and how to
    /// name it; nil for rows that cannot be duplicates.
    private func recordKey(_ row: ParsedRow) -> (key: String, name: String)? {
        guard rowsAreRecords else { return nil }
        switch mapping.kind {
        case .staff:
            return row.staff.map { ($0.id.rawValue, "staff code \($0.id)") }
        case .classes:
            guard let pupil = row.pupil, let group = row.teachingGroup else { return nil }
            return ("\(pupil)\u{1F}\(group)", "pupil \(pupil) in class \(group)")
        case .pupils:
            guard let pupil = row.pupil else { return nil }
            return (pupil.rawValue, "pupil \(pupil)")
        }
    }

    /// Every row holding a record another row of the import holds is rejected, both rows; the
    /// error, on the later row, names the first.
    mutating func rejectDuplicateRecords() {
        guard rowsAreRecords else { return }  // not a million rows walked for none
        var firstRow: [String: Int] = [:]
        var duplicates = Set<Int>()
        for i in rows.indices {
            guard let (key, name) = recordKey(rows[i]) else { continue }
            guard let first = firstRow[key] else { firstRow[key] = i; continue }
            let row = rows[i]
            addIssue(ImportIssue(
                .duplicateRecord, file: fileDisplayName(row.file), line: row.line,
                reason: "\(name) is also on \(location(of: rows[first], from: row)) — both rows rejected: remove one"),
                     file: row.file)
            duplicates.insert(i)
            duplicates.insert(first)
        }
        for i in duplicates { rows[i].rejected = true }
    }

    /// A class teaches one subject: a row giving its class another subject than an earlier
    /// (accepted) row is rejected, the error naming both lines.
    mutating func rejectClassSubjectConflicts() {
        guard mapping.kind == .classes else { return }
        var subjectOf: [TeachingGroup.ID: (subject: Subject.ID, row: Int)] = [:]
        for i in rows.indices where !rows[i].rejected {
            guard let group = rows[i].teachingGroup, let subject = rows[i].groupSubject else { continue }
            guard let first = subjectOf[group] else { subjectOf[group] = (subject, i); continue }
            guard first.subject != subject else { continue }
            let row = rows[i]
            addIssue(ImportIssue(
                .conflictingClass, file: fileDisplayName(row.file), line: row.line, column: mapping.columns.subject?.name,
                value: subject.rawValue,
                reason: "class \(group) has subject \(first.subject) on \(location(of: rows[first.row], from: row)); a class teaches one subject — correct one of the rows"),
                     file: row.file)
            rows[i].rejected = true
        }
    }

    /// The classes of the accepted rows of a class list, with their teachers and pupils (each
    /// sorted), and a year group: the most common one among its pupils' (the lowest on a tie),
    /// 0 when no pupil of the class has one in the file.
    func teachingGroups(yearOf: [Pupil.ID: Int]) -> [TeachingGroup] {
        guard mapping.kind == .classes else { return [] }
        var groups: [TeachingGroup.ID: TeachingGroup] = [:]
        for row in rows where !row.rejected {
            guard let id = row.teachingGroup, let subject = row.groupSubject, let pupil = row.pupil else { continue }
            var group = groups[id] ?? TeachingGroup(id: id, subject: subject, yearGroup: 0, teachers: [], pupils: [])
            for teacher in row.teachers where !group.teachers.contains(teacher) { group.teachers.append(teacher) }
            if !group.pupils.contains(pupil) { group.pupils.append(pupil) }
            groups[id] = group
        }
        return groups.keys.sorted().map { id in
            var group = groups[id]!
            group.teachers.sort()
            group.pupils.sort()
            var counts: [Int: Int] = [:]
            for pupil in group.pupils {
                if let year = yearOf[pupil], year != 0 { counts[year, default: 0] += 1 }
            }
            group.yearGroup = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 0
            return group
        }
    }

    /// Staff of the import: each accepted row of a staff list, or, for a class list, a minimal
    /// record (code only, no names or roles) for every teacher its classes name, so that the
    /// store's foreign keys hold. Sorted by code.
    func staffRecords(groups: [TeachingGroup]) -> [Staff] {
        switch mapping.kind {
        case .staff:
            return rows.filter { !$0.rejected }.compactMap(\.staff).sorted { $0.id < $1.id }
        case .classes:
            return Set(groups.flatMap(\.teachers)).sorted().map { Staff(id: $0, forename: "", surname: "", roles: []) }
        case .pupils:
            return []
        }
    }
}
