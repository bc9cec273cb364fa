import Foundation
import HeadwayCore
import SQLKit

/// What saving a list of separately saved records did (or, for a dry run, would do): the
/// intervention log and year group responsibilities (issue 6).
public struct MergeSummary: Hashable, Sendable {
    /// Records not stored before.
    public var new = 0
    /// Stored records that differ in at least one field.
    public var changed = 0
    /// Stored records given again as they are.
    public var unchanged = 0
    /// Audit rows written: one `create` row per new record, one `update` row per changed field.
    public var auditRows = 0
    /// One line per changed field of a changed (not new) record: `TABLE KEY.FIELD: old → new`
    /// (`blank` for no value), e.g. `interventions INT-014.pupils: P001 P002 → P001 P002 P003`.
    public var changes: [String] = []

    /// Nothing counted yet.
    public init() {}

    /// The counts as the other save summaries give them.
    public var counts: SaveSummary.Counts { SaveSummary.Counts(new: new, changed: changed, unchanged: unchanged) }

    /// True when nothing would be created or changed.
    public var isUnchanged: Bool { new == 0 && changed == 0 }
}

extension Store {
    // MARK: Interventions (issue 6, item 3)

    /// Saves interventions to a school's log (tables `interventions`, `intervention_pupils`,
    /// `intervention_subjects`, migration 12): creates what is new, replaces what changed, leaves
    /// the rest — in one transaction with the audit rows.
    ///
    /// - An intervention is identified by its id within the school. An intervention stored but
    ///   absent from `interventions` is kept: a save never deletes.
    /// - Pupils and subjects are compared as sets: the same pupils in another order are unchanged
    ///   (the stored order is kept); a different set replaces the stored list as a whole, in the
    ///   order given, and is audited as one field (`pupils: P001 P002 → P001 P002 P003`).
    /// - ``Intervention/source`` is where the record came from, not part of it: a record that
    ///   differs only in its source (the same file renamed) is unchanged. A new or changed record
    ///   stores its source (else the context's) and the audit rows name it.
    /// - The academic year it is stored (and loaded) under is the one its start date falls in.
    /// - Audit rows (table `interventions`, no pupil): a new intervention is one `create` row keyed
    ///   by its id, its non-blank fields as `field=value; …`; each changed field is one `update`
    ///   row keyed `ID.field` with the old and new value (text; dates `YYYY-MM-DD`, cost in pence,
    ///   pupil premium `yes`/`no`, lists space-separated). Field names: type, title, owner,
    ///   pupils, subjects, starts, ends, sessions, cost_pence, pupil_premium, notes.
    /// - An id given twice is written once, as last given.
    ///
    /// - Parameters:
    ///   - interventions: pupils, owner and subjects by their stored ids (the CLI resolves UPNs).
    ///   - school: the school; its staff, pupils and subjects must be stored already.
    ///   - dryRun: compute everything, then roll back; the summary says what would change.
    /// - Throws: ``StoreError``, and nothing is written: `not-found` when the school is not stored;
    ///   `unknown-staff`, `unknown-pupil` or `unknown-subject` naming the intervention and the id
    ///   the school does not have; `duplicate` when an intervention lists a pupil or subject twice;
    ///   `bad-dates` when one ends before it starts; database errors (rolled back).
    @discardableResult
    public func save(_ interventions: [Intervention], school: School.ID, context: ChangeContext,
                     dryRun: Bool = false) async throws -> MergeSummary {
        let s = school.rawValue
        return try await transaction(rollback: dryRun) { db in
            try await requireSchool(school, on: db)
            let staff = try await ids(of: "staff", school: s, on: db)
            let pupils = try await ids(of: "pupils", school: s, on: db)
            let subjects = try await ids(of: "subjects", school: s, on: db)
            for i in interventions {
                guard staff.contains(i.owner.rawValue) else {
                    throw StoreError(code: "unknown-staff", message: "Intervention \(i.id) names owner \(i.owner), who is not a member of staff of school \(s): import the staff list first, or correct the owner")
                }
                if let p = i.pupils.first(where: { !pupils.contains($0.rawValue) }) {
                    throw StoreError(code: "unknown-pupil", message: "Intervention \(i.id) names pupil \(p), who is not a pupil of school \(s): import the pupil first, or correct the intervention")
                }
                if let c = i.subjects.first(where: { !subjects.contains($0.rawValue) }) {
                    throw StoreError(code: "unknown-subject", message: "Intervention \(i.id) names subject \(c), which is not a subject of school \(s): import the subject first, or correct the intervention")
                }
                if let p = Self.firstRepeated(i.pupils) {
                    throw StoreError(code: "duplicate", message: "Intervention \(i.id) lists pupil \(p) twice: list each pupil once")
                }
                if let c = Self.firstRepeated(i.subjects) {
                    throw StoreError(code: "duplicate", message: "Intervention \(i.id) lists subject \(c) twice: list each subject once")
                }
                if let ends = i.ends, ends < i.starts {
                    throw StoreError(code: "bad-dates", message: "Intervention \(i.id) ends on \(ends), before it starts on \(i.starts): correct the dates")
                }
            }

            let at = Store.timestamp(context.at)
            var summary = MergeSummary()
            var audit: [[Cell]] = []
            var merged = Dictionary(uniqueKeysWithValues: try await self.interventions(school: school).map { stored -> (Intervention.ID, Intervention) in
                var record = stored
                record.source = nil
                return (record.id, record)
            })
            var written: [Intervention.ID] = []
            var sources: [Intervention.ID: String] = [:]
            for incoming in interventions {
                var record = incoming
                record.source = nil
                let source = incoming.source ?? context.source
                if let old = merged[record.id] {
                    if Set(record.pupils) == Set(old.pupils) { record.pupils = old.pupils }
                    if Set(record.subjects) == Set(old.subjects) { record.subjects = old.subjects }
                    guard record != old else { summary.unchanged += 1; continue }
                    summary.changed += 1
                    for (before, after) in zip(Self.fields(old), Self.fields(record)) where before.text != after.text {
                        audit.append([.text(s), .text(at), .text(context.actor), .text("update"), .text("interventions"),
                                      .text("\(record.id).\(before.name)"), .null, Cell(before.text), Cell(after.text), Cell(context.reason), .text(source)])
                        summary.changes.append("interventions \(record.id).\(before.name): \(before.text ?? "blank") → \(after.text ?? "blank")")
                    }
                } else {
                    summary.new += 1
                    let created = Self.fields(record).compactMap { f in f.text.map { "\(f.name)=\($0)" } }.joined(separator: "; ")
                    audit.append([.text(s), .text(at), .text(context.actor), .text("create"), .text("interventions"), .text(record.id.rawValue),
                                  .null, .null, .text(created), Cell(context.reason), .text(source)])
                }
                merged[record.id] = record
                sources[record.id] = source
                if !written.contains(record.id) { written.append(record.id) }
            }

            let writer = SaveWriter(store: self, db: db, year: SchoolYear(school: School(id: school, name: s), academicYear: Fixed.year, scales: [:]),
                                    context: context)
            try await writer.upsert(
                "interventions",
                ["school_id", "id", "academic_year", "type", "title", "owner_id", "starts", "ends", "sessions", "cost_pence", "pupil_premium",
                 "notes", "source", "saved_at"],
                key: ["school_id", "id"],
                rows: written.map { id in
                    let i = merged[id]!
                    return [SQLBind(s), SQLBind(id.rawValue), SQLBind(i.academicYear.startYear), SQLBind(i.type.rawValue), SQLBind(i.title),
                            SQLBind(i.owner.rawValue), SQLBind(i.starts.description), bind(i.ends?.description), bind(i.sessions), bind(i.costPence),
                            SQLBind(i.fundedByPupilPremium ? 1 : 0), bind(i.notes), SQLBind(sources[id]!), SQLBind(at)]
                })
            for table in ["intervention_pupils", "intervention_subjects"] {
                for id in written {
                    try await db.delete(from: table).where("school_id", .equal, s).where("intervention_id", .equal, id.rawValue).run()
                }
                let column = table == "intervention_pupils" ? "pupil_id" : "subject_id"
                try await insert(into: table, columns: ["school_id", "intervention_id", column, "position"], rows: written.flatMap { id in
                    let i = merged[id]!
                    let members = table == "intervention_pupils" ? i.pupils.map(\.rawValue) : i.subjects.map(\.rawValue)
                    return members.enumerated().map { [.text(s), .text(id.rawValue), .text($0.element), .int($0.offset)] as [Cell] }
                }, on: db)
            }
            summary.auditRows = audit.count
            try await insert(
                into: "audit_log",
                columns: ["school_id", "at", "actor", "action", "table_name", "record_key", "pupil_id", "old_value", "new_value", "reason", "source"],
                rows: audit, on: db)
            return summary
        }
    }

    /// A school's stored interventions — all, or those starting in `academicYear` — sorted by
    /// start date, then id; each with its pupils and subjects in the order stored and
    /// ``Intervention/source`` the source stored with its last change.
    /// - Throws: ``StoreError`` `corrupt` when a stored date or type cannot be read.
    public func interventions(school: School.ID, academicYear: AcademicYear? = nil) async throws -> [Intervention] {
        let s = school.rawValue
        var pupils: [String: [Pupil.ID]] = [:]
        for row in try await db.select().columns("intervention_id", "pupil_id").from("intervention_pupils").where("school_id", .equal, s)
            .orderBy("intervention_id").orderBy("position").all() {
            pupils[try row.decode(column: "intervention_id", as: String.self), default: []].append(Pupil.ID(try row.decode(column: "pupil_id", as: String.self)))
        }
        var subjects: [String: [Subject.ID]] = [:]
        for row in try await db.select().columns("intervention_id", "subject_id").from("intervention_subjects").where("school_id", .equal, s)
            .orderBy("intervention_id").orderBy("position").all() {
            subjects[try row.decode(column: "intervention_id", as: String.self), default: []].append(Subject.ID(try row.decode(column: "subject_id", as: String.self)))
        }
        let query = db.select()
            .columns("id", "type", "title", "owner_id", "starts", "ends", "sessions", "cost_pence", "pupil_premium", "notes", "source")
            .from("interventions").where("school_id", .equal, s)
        if let academicYear { query.where("academic_year", .equal, academicYear.startYear) }
        return try await query.orderBy("starts").orderBy("id").all().map { row in
            let id = try row.decode(column: "id", as: String.self)
            func date(_ column: String, _ text: String) throws -> CalendarDate {
                guard let date = CalendarDate(parsing: text) else {
                    throw StoreError(code: "corrupt", message: "interventions holds \(column) \(text) for intervention \(id), which is not a date: correct it in the database")
                }
                return date
            }
            let typeText = try row.decode(column: "type", as: String.self)
            guard let type = InterventionType(rawValue: typeText) else {
                throw StoreError(code: "corrupt", message: "interventions holds the type '\(typeText)' for intervention \(id), which is not a type name: correct it in the database")
            }
            return Intervention(
                id: Intervention.ID(id), type: type, title: try row.decode(column: "title", as: String.self),
                owner: Staff.ID(try row.decode(column: "owner_id", as: String.self)), pupils: pupils[id] ?? [], subjects: subjects[id] ?? [],
                starts: try date("starts", try row.decode(column: "starts", as: String.self)),
                ends: try row.decode(column: "ends", as: String?.self).map { try date("ends", $0) },
                sessions: try row.decode(column: "sessions", as: Int?.self), costPence: try row.decode(column: "cost_pence", as: Int?.self),
                fundedByPupilPremium: try row.decode(column: "pupil_premium", as: Int.self) != 0,
                notes: try row.decode(column: "notes", as: String?.self), source: try row.decode(column: "source", as: String.self))
        }
    }

    // MARK: Responsibility over time (issue 6, item 5)

    /// Saves who holds a role for a year group in an academic year (table
    /// `year_group_responsibilities`, migration 12), in one transaction with the audit rows.
    ///
    /// A record is identified by academic year, year group and role: naming another person for
    /// them replaces the previous holder (a change, audited `old → new`); the same person again is
    /// unchanged; a record stored but absent from `responsibilities` is kept. Audit rows (table
    /// `year_group_responsibilities`, no pupil) are keyed `2026/27/Y10/head_of_year` and hold the
    /// staff code: one `create` row per new record, one `update` row per replaced person. A key
    /// given twice is written once, as last given.
    ///
    /// - Throws: ``StoreError``, and nothing is written: `not-found` when the school is not stored;
    ///   `unknown-staff` naming the year group and the staff code the school does not have;
    ///   `bad-year-group` for a year group outside 7–13.
    @discardableResult
    public func save(_ responsibilities: [YearGroupResponsibility], school: School.ID, context: ChangeContext,
                     dryRun: Bool = false) async throws -> MergeSummary {
        let s = school.rawValue
        return try await transaction(rollback: dryRun) { db in
            try await requireSchool(school, on: db)
            let staff = try await ids(of: "staff", school: s, on: db)
            for r in responsibilities {
                guard (7...13).contains(r.yearGroup) else {
                    throw StoreError(code: "bad-year-group", message: "Year group \(r.yearGroup) (\(r.role.words) in \(r.academicYear)) is not a year group from 7 to 13: correct it")
                }
                guard staff.contains(r.staff.rawValue) else {
                    throw StoreError(code: "unknown-staff", message: "The \(r.role.words) of Year \(r.yearGroup) in \(r.academicYear) is \(r.staff), who is not a member of staff of school \(s): import the staff list first, or correct the code")
                }
            }
            struct Key: Hashable { var year: Int; var yearGroup: Int; var role: YearGroupResponsibility.Role }
            func key(_ r: YearGroupResponsibility) -> Key { Key(year: r.academicYear.startYear, yearGroup: r.yearGroup, role: r.role) }
            func label(_ r: YearGroupResponsibility) -> String { "\(r.academicYear)/Y\(r.yearGroup)/\(r.role.rawValue)" }
            let at = Store.timestamp(context.at)
            var summary = MergeSummary()
            var audit: [[Cell]] = []
            var merged = Dictionary(uniqueKeysWithValues: try await self.responsibilities(school: school).map { (key($0), $0) })
            var written: [Key] = []
            for r in responsibilities {
                let k = key(r)
                if let old = merged[k] {
                    guard old.staff != r.staff else { summary.unchanged += 1; continue }
                    summary.changed += 1
                    audit.append([.text(s), .text(at), .text(context.actor), .text("update"), .text("year_group_responsibilities"), .text(label(r)),
                                  .null, .text(old.staff.rawValue), .text(r.staff.rawValue), Cell(context.reason), .text(context.source)])
                    summary.changes.append("year_group_responsibilities \(label(r)): \(old.staff) → \(r.staff)")
                } else {
                    summary.new += 1
                    audit.append([.text(s), .text(at), .text(context.actor), .text("create"), .text("year_group_responsibilities"), .text(label(r)),
                                  .null, .null, .text(r.staff.rawValue), Cell(context.reason), .text(context.source)])
                }
                merged[k] = r
                if !written.contains(k) { written.append(k) }
            }
            let writer = SaveWriter(store: self, db: db, year: SchoolYear(school: School(id: school, name: s), academicYear: Fixed.year, scales: [:]),
                                    context: context)
            try await writer.upsert(
                "year_group_responsibilities", ["school_id", "academic_year", "year_group", "role", "staff_id", "source", "saved_at"],
                key: ["school_id", "academic_year", "year_group", "role"],
                rows: written.map { k in
                    [SQLBind(s), SQLBind(k.year), SQLBind(k.yearGroup), SQLBind(k.role.rawValue), SQLBind(merged[k]!.staff.rawValue),
                     SQLBind(context.source), SQLBind(at)]
                })
            summary.auditRows = audit.count
            try await insert(
                into: "audit_log",
                columns: ["school_id", "at", "actor", "action", "table_name", "record_key", "pupil_id", "old_value", "new_value", "reason", "source"],
                rows: audit, on: db)
            return summary
        }
    }

    /// Every stored year group responsibility of a school (all academic years), sorted by
    /// academic year, year group, then role (head of year first).
    /// - Throws: ``StoreError`` `corrupt` for a stored role that is not `head_of_year` or
    ///   `progress_leader`.
    public func responsibilities(school: School.ID) async throws -> [YearGroupResponsibility] {
        try await db.select().columns("academic_year", "year_group", "role", "staff_id").from("year_group_responsibilities")
            .where("school_id", .equal, school.rawValue).orderBy("academic_year").orderBy("year_group").all()
            .map { row in
                let roleText = try row.decode(column: "role", as: String.self)
                guard let role = YearGroupResponsibility.Role(rawValue: roleText) else {
                    throw StoreError(code: "corrupt", message: "year_group_responsibilities holds the role '\(roleText)', not head_of_year or progress_leader: correct it in the database")
                }
                return YearGroupResponsibility(academicYear: AcademicYear(startYear: try row.decode(column: "academic_year", as: Int.self)),
                                               yearGroup: try row.decode(column: "year_group", as: Int.self),
                                               staff: Staff.ID(try row.decode(column: "staff_id", as: String.self)), role: role)
            }
            .sorted { ($0.academicYear, $0.yearGroup, $0.role == .headOfYear ? 0 : 1) < ($1.academicYear, $1.yearGroup, $1.role == .headOfYear ? 0 : 1) }
    }

    /// Who was responsible for a pupil's progress in each academic year the pupil is on roll
    /// (has a `pupil_years` row), oldest first: the year group that year and its staff — the
    /// responsibilities stored for that year and year group, or, when none is stored, the staff
    /// whose roles include `hoy:N` for the year group (``SchoolYear/responsibleStaff(forYearGroup:)``).
    ///
    /// Staff roles are stored as they are now, not per year: the fallback names the *current*
    /// head of year even for a past year (``ResponsibilityRecord/fromStoredRecord`` is then false).
    /// Store past years' responsibilities to name who truly held them.
    /// - Throws: ``StoreError`` `not-found` when the school has no pupil with this id.
    public func responsibilityHistory(pupil: Pupil.ID, school: School.ID) async throws -> [ResponsibilityRecord] {
        let s = school.rawValue
        guard try await db.select().column("id").from("pupils").where("school_id", .equal, s).where("id", .equal, pupil.rawValue).first() != nil else {
            throw StoreError.notFound("Pupil \(pupil) of school \(s)")
        }
        let years = try await db.select().columns("academic_year", "year_group").from("pupil_years")
            .where("school_id", .equal, s).where("pupil_id", .equal, pupil.rawValue).orderBy("academic_year").all()
            .map { (AcademicYear(startYear: try $0.decode(column: "academic_year", as: Int.self)), try $0.decode(column: "year_group", as: Int.self)) }
        guard !years.isEmpty else { return [] }
        let staff = try await storedStaff(school: school)
        let responsibilities = try await self.responsibilities(school: school)
        return years.map { academicYear, yearGroup in
            // The rule is Core's, applied to the year's responsibilities and today's staff.
            var year = SchoolYear(school: School(id: school, name: s), academicYear: academicYear, scales: [:], staff: staff)
            year.responsibilities = responsibilities.filter { $0.academicYear == academicYear }
            let named = year.responsibilities.contains { $0.yearGroup == yearGroup }
            return ResponsibilityRecord(academicYear: academicYear, yearGroup: yearGroup, staff: year.responsibleStaff(forYearGroup: yearGroup),
                                        fromStoredRecord: named)
        }
    }

    /// `year` with its ``SchoolYear/interventions`` (those starting in its academic year) and
    /// ``SchoolYear/responsibilities`` (its academic year's) read from the store: the part of
    /// ``load(school:year:)`` that belongs to issue 6.
    func withInterventionsAndResponsibilities(_ year: SchoolYear) async throws -> SchoolYear {
        var year = year
        year.interventions = try await interventions(school: year.school.id, academicYear: year.academicYear)
        year.responsibilities = try await responsibilities(school: year.school.id).filter { $0.academicYear == year.academicYear }
        return year
    }

    // MARK: Helpers

    /// A year for the ``SaveWriter`` whose `upsert` the saves above borrow (it writes no year data).
    private enum Fixed { static let year = AcademicYear(startYear: 2000) }

    private func requireSchool(_ school: School.ID, on db: any SQLDatabase) async throws {
        guard try await db.select().column("id").from("schools").where("id", .equal, school.rawValue).first() != nil else {
            throw StoreError.notFound("School \(school)")
        }
    }

    /// The `id` column of a school's rows of `table`.
    private func ids(of table: String, school: String, on db: any SQLDatabase) async throws -> Set<String> {
        Set(try await db.select().column("id").from(table).where("school_id", .equal, school).all().map { try $0.decode(column: "id", as: String.self) })
    }

    /// A school's staff as stored (current roles), by code.
    private func storedStaff(school: School.ID) async throws -> [Staff] {
        try await db.select().columns("id", "title", "forename", "surname", "email", "roles").from("staff")
            .where("school_id", .equal, school.rawValue).orderBy("id").all().map {
                Staff(id: Staff.ID(try $0.decode(column: "id", as: String.self)), title: try $0.decode(column: "title", as: String?.self),
                      forename: try $0.decode(column: "forename", as: String.self), surname: try $0.decode(column: "surname", as: String.self),
                      email: try $0.decode(column: "email", as: String?.self),
                      roles: try $0.decode(column: "roles", as: String.self).split(separator: " ").compactMap { Staff.Role(String($0)) })
            }
    }

    private static func firstRepeated<T: Hashable>(_ items: [T]) -> T? {
        var seen = Set<T>()
        return items.first { !seen.insert($0).inserted }
    }

    /// An intervention's audited fields as text (nil for no value), in a fixed order.
    private static func fields(_ i: Intervention) -> [(name: String, text: String?)] {
        func list(_ items: [String]) -> String? { items.isEmpty ? nil : items.joined(separator: " ") }
        return [("type", i.type.rawValue), ("title", i.title.isEmpty ? nil : i.title), ("owner", i.owner.rawValue),
                ("pupils", list(i.pupils.map(\.rawValue))), ("subjects", list(i.subjects.map(\.rawValue))),
                ("starts", i.starts.description), ("ends", i.ends?.description), ("sessions", i.sessions.map(String.init)),
                ("cost_pence", i.costPence.map(String.init)), ("pupil_premium", i.fundedByPupilPremium ? "yes" : "no"), ("notes", i.notes)]
    }
}
