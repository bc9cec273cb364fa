import HeadwayCore

extension ImportRun {
    /// Where a row is, as an issue about another row names it: `line 5` in the same file,
    /// `other.csv:5` in another.
    func location(of row: ParsedRow, from other: ParsedRow) -> String {
        row.file == other.file ? "line \(row.line)" : "\(fileDisplayName(row.file)):\(row.line)"
    }

    func fileDisplayName(_ file: Int) -> String {
        file < summaries.count ? summaries[file].name : "file \(file + 1)"
    }

    /// Combines the rows of every file: rejects duplicates and identity conflicts, merges each
    /// pupil's rows, and builds the result.
    mutating func finish() -> ImportResult {
        rejectDuplicateEntries()
        rejectDuplicateRecords()
        rejectHashCollisions()
        rejectClassSubjectConflicts()

        // Merge accepted rows into pupils and assessments, in file and line order.
        var pupils: [Pupil.ID: PupilDraft] = [:]
        var upnOwners: [UPN: Int] = [:] // row index of the first pupil with this UPN
        // Assessments in the order first filled. After ``rejectDuplicateEntries()`` a pupil ×
        // subject × collection is addressed by one accepted row at most, so an assessment is
        // only ever filled by the row that creates it: no lookup across rows is needed.
        var assessments: [Assessment] = []
        assessments.reserveCapacity(rows.count)
        var rowSlots: [(slot: Slot, index: Int)] = []
        for i in rows.indices where !rows[i].rejected {
            guard let id = rows[i].pupil else { continue }
            let row = rows[i]
            var reasons: [(column: String?, value: String?, reason: String)] = []
            if let draft = pupils[id] {
                func conflict<T: Equatable & CustomStringConvertible>(_ name: String, _ mine: T?, _ theirs: (T, Int)?, column: ColumnMapping.Column?) {
                    guard let mine, let (value, at) = theirs, mine != value else { return }
                    reasons.append((column?.name, mine.description,
                                    "pupil \(id) has \(name) \(value) on \(location(of: rows[at], from: row)); correct one of the rows"))
                }
                // Compared as values (text only for a message): a UPN's and a date's text are one-to-one with them.
                conflict("UPN", row.upn, draft.upn.map { ($0.value, $0.row) }, column: mapping.columns.upn)
                conflict("date of birth", row.dateOfBirth, draft.dateOfBirth.map { ($0.value, $0.row) }, column: mapping.columns.dateOfBirth)
                conflict("year group", row.yearGroup, draft.yearGroup.map { ($0.value, $0.row) }, column: mapping.columns.yearGroup)
                conflict("KS2 reading score", row.ks2Reading, draft.ks2Reading.map { ($0.value, $0.row) }, column: mapping.columns.ks2Reading)
                conflict("KS2 maths score", row.ks2Maths, draft.ks2Maths.map { ($0.value, $0.row) }, column: mapping.columns.ks2Maths)
            }
            if let upn = row.upn, let owner = upnOwners[upn], rows[owner].pupil != id {
                reasons.append((mapping.columns.upn?.name, upn.rawValue,
                                "UPN already belongs to pupil \(rows[owner].pupil!) on \(location(of: rows[owner], from: row)); a UPN identifies one pupil"))
            }
            if !reasons.isEmpty {
                for r in reasons {
                    addIssue(ImportIssue(.conflictingPupil, file: fileDisplayName(row.file), line: row.line, column: r.column,
                                         value: r.value, reason: r.reason), file: row.file)
                }
                rows[i].rejected = true
                continue
            }

            // Taken out while it changes, so its sets and dictionaries are not copied per row.
            var draft = pupils.removeValue(forKey: id) ?? PupilDraft(firstRow: i)
            if let upn = row.upn, upnOwners[upn] == nil { upnOwners[upn] = i }
            func keep<T>(_ field: inout (value: T, row: Int)?, _ value: T?) {
                if field == nil, let value { field = (value, i) }
            }
            keep(&draft.upn, row.upn)
            keep(&draft.dateOfBirth, row.dateOfBirth)
            keep(&draft.yearGroup, row.yearGroup)
            keep(&draft.ks2Reading, row.ks2Reading)
            keep(&draft.ks2Maths, row.ks2Maths)
            // Names, tutor group and characteristics: the first value read is kept; a different
            // later one is worth a warning, not a rejection (a nickname, a class move).
            func soft(_ name: String, _ field: inout (value: String, row: Int)?, _ value: String?, column: String?) {
                guard let value else { return }
                if let existing = field {
                    if existing.value != value {
                        addIssue(ImportIssue(.conflictingValue, severity: .warning, file: fileDisplayName(row.file), line: row.line,
                                             column: column, value: value,
                                             reason: "pupil \(id) has \(name) \"\(existing.value)\" on \(location(of: rows[existing.row], from: row)); kept that"),
                                 file: row.file)
                    }
                } else {
                    field = (value, i)
                }
            }
            soft("forename", &draft.forename, row.forename, column: mapping.columns.forename?.name)
            soft("surname", &draft.surname, row.surname, column: mapping.columns.surname?.name)
            soft("tutor group", &draft.tutorGroup, row.tutorGroup, column: mapping.columns.tutorGroup?.name)
            for ch in row.characteristics {
                soft(ch.name, &draft.characteristics[ch.name], ch.value, column: ch.column)
            }
            draft.files.insert(row.file)
            pupils[id] = draft

            // A row's grades for one slot (working-at, predicted, ATL) fill one assessment; a
            // wide row's several slots are told apart among the row's own.
            rowSlots.removeAll(keepingCapacity: true)
            for entry in row.entries {
                let index: Int
                if let known = rowSlots.last(where: { $0.slot == entry.slot }) {
                    index = known.index
                } else {
                    index = assessments.count
                    rowSlots.append((entry.slot, index))
                    assessments.append(Assessment(pupil: id, subject: entry.slot.subject, collection: entry.slot.collection))
                }
                switch entry.kind {
                case .workingAt: assessments[index].workingAt = entry.value
                case .predicted: assessments[index].predicted = entry.value
                case .atl: assessments[index].atl = entry.value
                }
            }
        }
        return build(pupils: pupils, assessments: assessments)
    }

    /// Every row that fills a pupil × subject × collection another row fills is rejected; the
    /// error, on the later row, names the first.
    private mutating func rejectDuplicateEntries() {
        var firstRow: [AssessmentKey: Int] = [:]
        firstRow.reserveCapacity(rows.count)
        var duplicates = Set<Int>()
        for i in rows.indices {
            guard let id = rows[i].pupil else { continue }
            let slots = rows[i].slots
            for slot in slots.count < 2 ? slots : slots.sorted(by: { ($0.subject, $0.collection) < ($1.subject, $1.collection) }) {
                let key = AssessmentKey(pupil: id, slot: slot)
                guard let first = firstRow[key] else { firstRow[key] = i; continue }
                let row = rows[i]
                addIssue(ImportIssue(
                    .duplicateEntry, file: fileDisplayName(row.file), line: row.line,
                    reason: "pupil \(id), subject \(slot.subject), collection \(slot.collection) is also on \(location(of: rows[first], from: row)) — both rows rejected: remove one"),
                         file: row.file)
                duplicates.insert(i)
                duplicates.insert(first)
            }
        }
        for i in duplicates { rows[i].rejected = true }
    }

    /// Two different pupil keys with the same 48-bit id would merge two pupils: reject the later.
    private mutating func rejectHashCollisions() {
        var keyOf: [Pupil.ID: (values: [String], row: Int)] = [:]
        for i in rows.indices {
            guard let values = rows[i].keyValues, let id = rows[i].pupil else { continue }
            if let first = keyOf[id] {
                if first.values != values {
                    addIssue(ImportIssue(
                        .conflictingPupil, file: fileDisplayName(rows[i].file), line: rows[i].line, value: values.joined(separator: ";"),
                        reason: "this pupil key and the different key on \(location(of: rows[first.row], from: rows[i])) hash to the same id \(id); add a column to [pupil_key]"),
                             file: rows[i].file)
                    rows[i].rejected = true
                }
            } else {
                keyOf[id] = (values, i)
            }
        }
    }

    private mutating func build(pupils drafts: [Pupil.ID: PupilDraft], assessments: [Assessment]) -> ImportResult {
        let pupils = drafts.keys.sorted().map { id -> Pupil in
            let d = drafts[id]!
            let prior = d.ks2Reading != nil || d.ks2Maths != nil
                ? PriorAttainment(readingScaledScore: d.ks2Reading?.value, mathsScaledScore: d.ks2Maths?.value) : nil
            return Pupil(id: id, upn: d.upn?.value, forename: d.forename?.value ?? "", surname: d.surname?.value ?? "",
                         dateOfBirth: d.dateOfBirth?.value, yearGroup: d.yearGroup?.value ?? 0, tutorGroup: d.tutorGroup?.value,
                         characteristics: d.characteristics.mapValues(\.value), priorAttainment: prior)
        }
        let sequence = Dictionary(uniqueKeysWithValues: mapping.collections.map { ($0.id, $0.sequence) })
        // Sorted by pupil, subject and collection sequence. Pupils and subjects are ranked once
        // in the order of their ids, so a million entries compare integers, not text.
        func ranks(_ ids: some Sequence<String>) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: Set(ids).sorted().enumerated().map { ($1, $0) })
        }
        let pupilRank = ranks(drafts.keys.lazy.map(\.rawValue)), subjectRank = ranks(assessments.lazy.map(\.subject.rawValue))
        // The sort moves small keys, not a million assessments; each key ends with its index, so
        // equal keys keep their order. Assessments with nothing filled are left out.
        let order = assessments.indices.lazy
            .filter { assessments[$0].workingAt != nil || assessments[$0].predicted != nil || assessments[$0].atl != nil }
            .map { i in (pupilRank[assessments[i].pupil.rawValue]!, subjectRank[assessments[i].subject.rawValue]!, sequence[assessments[i].collection] ?? 0, i) }
            .sorted { $0 < $1 }
        let kept = order.map { assessments[$0.3] }

        var collections = mapping.collections
        let yearOf = Dictionary(uniqueKeysWithValues: pupils.map { ($0.id, $0.yearGroup) })
        let groups = teachingGroups(yearOf: yearOf)
        let staff = staffRecords(groups: groups)
        // A collection the mapping gives no year groups takes those of the pupils it has entries for (one pass).
        let open = Set(collections.filter { $0.yearGroups.isEmpty }.map(\.id))
        if !open.isEmpty {
            var years: [DataCollection.ID: Set<Int>] = [:]
            for i in kept.indices where open.contains(kept[i].collection) {
                if let year = yearOf[kept[i].pupil] { years[kept[i].collection, default: []].insert(year) }
            }
            for i in collections.indices where open.contains(collections[i].id) {
                collections[i].yearGroups = (years[collections[i].id] ?? []).sorted()
            }
        }

        // Per-file counts.
        // Rows are counted where they lie: copying a million of them per file was a tenth of an import.
        var pupilsPerFile: [Int: Set<Pupil.ID>] = [:]
        for i in rows.indices where !rows[i].rejected {
            if let id = rows[i].pupil { pupilsPerFile[rows[i].file, default: []].insert(id) }
        }
        for f in summaries.indices {
            var fileRows = 0, accepted = 0
            for i in rows.indices where rows[i].file == f {
                fileRows += 1
                if !rows[i].rejected { accepted += 1 }
            }
            guard fileRows > 0 else { continue }
            summaries[f].rowsAccepted = accepted
            summaries[f].rowsRejected = summaries[f].rowsRead - summaries[f].rowsAccepted
            summaries[f].pupils = pupilsPerFile[f]?.count ?? 0
        }

        var year = SchoolYear(school: mapping.school, academicYear: mapping.academicYear, scales: mapping.scales,
                              subjects: mapping.subjects, staff: staff, pupils: pupils, teachingGroups: groups,
                              collections: collections, assessments: kept)
        for (id, draft) in drafts { year.sources.pupils[id] = "\(rows[draft.firstRow].fileName):\(rows[draft.firstRow].line)" }
        for entry in issues where entry.file < summaries.count {
            if entry.issue.severity == .error { summaries[entry.file].errors += 1 } else { summaries[entry.file].warnings += 1 }
        }
        let sortedIssues = issues.sorted { ($0.file, $0.line, $0.seq) < ($1.file, $1.line, $1.seq) }.map(\.issue)
        return ImportResult(
            year: year, issues: sortedIssues, files: summaries,
            rowsRead: summaries.reduce(0) { $0 + $1.rowsRead },
            rowsAccepted: summaries.reduce(0) { $0 + $1.rowsAccepted },
            rowsRejected: summaries.reduce(0) { $0 + $1.rowsRejected },
            pupilsMatchedAcrossFiles: drafts.values.filter { $0.files.count > 1 }.count)
    }
}

struct AssessmentKey: Hashable {
    var pupil: Pupil.ID
    var slot: Slot
}

/// A pupil being assembled from rows; each field remembers the row it came from so that a
/// conflict can name it.
struct PupilDraft {
    var firstRow: Int
    var upn: (value: UPN, row: Int)?
    var dateOfBirth: (value: CalendarDate, row: Int)?
    var yearGroup: (value: Int, row: Int)?
    var ks2Reading: (value: Int, row: Int)?
    var ks2Maths: (value: Int, row: Int)?
    var forename: (value: String, row: Int)?
    var surname: (value: String, row: Int)?
    var tutorGroup: (value: String, row: Int)?
    var characteristics: [String: (value: String, row: Int)] = [:]
    var files: Set<Int> = []
}
