import Foundation
import HeadwayCore
import SQLKit

/// Who is making a change, when, why and from where: written to every audit row of a save.
public struct ChangeContext: Sendable {
    /// The person or process, e.g. a staff code, `data manager`, or `headway demo`.
    public var actor: String
    /// Where the values came from: a file (and line, per record, where the import knows it), or `user`.
    public var source: String
    public var reason: String?
    public var at: Date

    public init(actor: String, source: String, reason: String? = nil, at: Date) {
        self.actor = actor
        self.source = source
        self.reason = reason
        self.at = at
    }
}

/// What a save did (or, for a dry run, would do), counted per kind of record.
public struct SaveSummary: Hashable, Sendable {
    public struct Counts: Hashable, Sendable {
        public var new = 0
        public var changed = 0
        public var unchanged = 0
        public init(new: Int = 0, changed: Int = 0, unchanged: Int = 0) {
            self.new = new
            self.changed = changed
            self.unchanged = unchanged
        }
    }
    public var pupils = Counts()
    public var characteristics = Counts()
    public var priorAttainment = Counts()
    public var assessments = Counts()
    public var targets = Counts()
    /// Staff records (a class list's minimal teacher records count as unchanged when the stored
    /// record already has the names they lack).
    public var staff = Counts()
    /// Classes: changed when the subject, year group, teachers or pupils differ.
    public var teachingGroups = Counts()
    /// Pupils of the file matched to a stored pupil by UPN or by their id without its lost
    /// leading zeros, saved under the stored id: `123 → 000123 (UPN)`
    /// (``Store/matchingStoredPupils(_:on:)``).
    public var matchedToStored: [String] = []
    /// Audit rows written.
    public var auditRows = 0
    /// One line per changed (not new) value: `table key: old → new`.
    public var changes: [String] = []
}

extension Store {
    /// Saves a school's year: creates what is new, updates what changed, leaves the rest, and
    /// writes an audit row for every created or changed pupil, characteristic, prior attainment,
    /// assessment and target — all in one transaction.
    ///
    /// A value absent from `year` (a nil grade, an empty name, a missing characteristic) never
    /// erases a stored one. Subjects, staff, scales, classes and collections are upserted. In
    /// particular (issue 4, item 2):
    /// - a member of staff keeps a stored title, forename, surname, email and roles wherever the
    ///   incoming record has none (blank, nil or empty), so a class list's code-only teacher
    ///   records never blank a name a staff list gave;
    /// - a class's stored teachers, and its stored pupils, are replaced only when the incoming
    ///   class lists some; a class with year group 0 keeps its stored year group, and a new one
    ///   takes the most common stored year group of its pupils that year (0 when none is known);
    /// - a pupil's year group 0 (the CSV importer's "not in the file") never overwrites a stored
    ///   year group, and a pupil with year group 0 and none stored gets no year record (is not on
    ///   roll that year) until a file gives it.
    ///
    /// - Parameter dryRun: compute everything, then roll back; the summary says what would change.
    @discardableResult
    public func save(_ year: SchoolYear, context: ChangeContext, dryRun: Bool = false) async throws -> SaveSummary {
        try await transaction(rollback: dryRun) { db in
            let (matched, matches) = try await Self.matchingStoredPupils(year, on: db)
            var writer = SaveWriter(store: self, db: db, year: matched, context: context)
            writer.summary.matchedToStored = matches.map { "\($0.from) → \($0.to) (\($0.by))" }
            try await writer.run()
            return writer.summary
        }
    }
}

/// The steps of one save, sharing the transaction's connection and the running summary.
struct SaveWriter {
    let store: Store
    let db: any SQLDatabase
    let year: SchoolYear
    let context: ChangeContext
    let school: String
    let academicYear: Int
    let at: String
    var summary = SaveSummary()
    var audit: [[Cell]] = []
    /// Records created by this save, per table and pupil, in order: written as one audit row
    /// per table and pupil (`DC1/MA working_at=6 predicted=7 atl=2; …`), so a first import of
    /// 100,000 entries writes one audit row per pupil, not 100,000.
    var created: [(key: CreatedKey, items: [String])] = []
    /// Where each key is in ``created``; ``lastCreated`` spares the lookup for a pupil's next
    /// record (a save's records come pupil by pupil).
    var createdIndex: [CreatedKey: Int] = [:]
    var lastCreated: Int?

    struct CreatedKey: Hashable {
        var table: String
        var pupil: Pupil.ID
    }

    init(store: Store, db: any SQLDatabase, year: SchoolYear, context: ChangeContext) {
        self.store = store
        self.db = db
        self.year = year
        self.context = context
        self.school = year.school.id.rawValue
        self.academicYear = year.academicYear.startYear
        self.at = Store.timestamp(context.at)
    }

    mutating func run() async throws {
        let storedName = try await db.select().column("name").from("schools").where("id", .equal, school).first()
            .map { try $0.decode(column: "name", as: String.self) }
        if let storedName, storedName != year.school.name {
            recordChange("schools", key: "\(school).name", old: storedName, new: year.school.name)
        } else if storedName == nil {
            recordCreatedRecords("schools", ["\(school) \(year.school.name)"])
        }
        try await db.insert(into: "schools").columns("id", "name")
            .values(SQLBind(school), SQLBind(year.school.name))
            .onConflict(with: ["id"]) { $0.set(excludedValueOf: "name") }
            .run()
        try await db.insert(into: "academic_years").columns("school_id", "start_year")
            .values(SQLBind(school), SQLBind(academicYear))
            .ignoringConflicts(with: ["school_id", "start_year"])
            .run()
        try await saveReferenceData()
        try await savePupils()
        try await saveCharacteristics()
        try await savePriorAttainment()
        try await saveTeachingGroups()
        try await saveAssessments()
        try await saveTargets()
        for (key, items) in created {
            // A new pupil's rows name the line the pupil was read from; new targets name theirs per item.
            let source = key.table == "targets" ? context.source : year.sources.pupils[key.pupil] ?? context.source
            audit.append([.text(school), .text(at), .text(context.actor), .text("create"), .text(key.table), .text(key.pupil.rawValue),
                          .text(key.pupil.rawValue), .null, .text(items.joined(separator: "; ")), Cell(context.reason), .text(source)])
        }
        summary.auditRows = audit.count
        try await store.insert(
            into: "audit_log",
            columns: ["school_id", "at", "actor", "action", "table_name", "record_key", "pupil_id", "old_value", "new_value", "reason", "source"],
            rows: audit, on: db)
    }

    /// Audits a change to one stored value (one row per field changed): `action` `update` (or
    /// `create` for a value of a new record audited on its own), `source` the context's unless
    /// given (a markbook's `FILE:LINE`); the summary's change line ends ` (late)` for a late entry.
    mutating func recordUpdate(_ table: String, key: String, pupil: Pupil.ID, old: String?, new: String?, reason: String? = nil,
                               action: String = "update", source: String? = nil, late: Bool = false) {
        audit.append([.text(school), .text(at), .text(context.actor), .text(action), .text(table), .text(key),
                      .text(pupil.rawValue), Cell(old), Cell(new), Cell(reason ?? context.reason), .text(source ?? context.source)])
        summary.changes.append("\(table) \(key): \(old ?? "blank") → \(new ?? "blank")" + (late ? " (late)" : ""))
    }

    /// Notes a created record for the pupil's grouped creation audit row.
    mutating func recordCreate(_ table: String, pupil: Pupil.ID, _ item: String) {
        let key = CreatedKey(table: table, pupil: pupil)
        let index: Int
        if let last = lastCreated, created[last].key == key {
            index = last
        } else if let found = createdIndex[key] {
            index = found
        } else {
            index = created.count
            createdIndex[key] = index
            created.append((key, []))
        }
        lastCreated = index
        created[index].items.append(item)
    }

    /// Audits a change to a record that is not one pupil's (school, subject, staff, class; issue
    /// 12, item 13): one row per field, `pupil_id` null, and a line in the summary.
    /// `summary` replaces the summary's `table key: old → new` line (a class list's change is
    /// summarised by who was added and removed; the audit row keeps both lists whole).
    mutating func recordChange(_ table: String, key: String, old: String?, new: String?, summary line: String? = nil) {
        audit.append([.text(school), .text(at), .text(context.actor), .text("update"), .text(table), .text(key),
                      .null, Cell(old), Cell(new), Cell(context.reason), .text(context.source)])
        summary.changes.append(line ?? "\(table) \(key): \(old ?? "blank") → \(new ?? "blank")")
    }

    /// Audits the records of a table that is not one pupil's created by this save: one row per
    /// table (`record_key` `N new`, the new value each record described, `; `-separated), so a
    /// first import of 400 classes writes one row, not 400.
    mutating func recordCreatedRecords(_ table: String, _ descriptions: [String]) {
        guard !descriptions.isEmpty else { return }
        audit.append([.text(school), .text(at), .text(context.actor), .text("create"), .text(table), .text("\(descriptions.count) new"),
                      .null, .null, .text(descriptions.joined(separator: "; ")), Cell(context.reason), .text(context.source)])
    }

    /// Scales, subjects, staff and collections: upserted. Subjects and staff are audited (their
    /// creation and every changed field); scales and collections are not (collections' dates are
    /// the calendar's, audited there).
    mutating func saveReferenceData() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let usedScales = Set(year.subjects.flatMap { [$0.scale, $0.atlScale] })
        let scaleRows: [[any SQLExpression]] = try year.scales.values.filter { usedScales.contains($0.id) }.sorted { $0.id < $1.id }.map {
            [SQLBind(school), SQLBind($0.id.rawValue), SQLBind($0.name), SQLBind(String(decoding: try encoder.encode($0), as: UTF8.self))]
        }
        try await upsert("grade_scales", ["school_id", "id", "name", "definition"], key: ["school_id", "id"], rows: scaleRows)
        let subjectFields = ["name", "scale_id", "atl_scale_id", "qualification", "ks4_category"]
        var storedSubjects: [String: [String?]] = [:]
        for row in try await db.select().columns(["id"] + subjectFields).from("subjects").where("school_id", .equal, school).all() {
            storedSubjects[try row.decode(column: "id", as: String.self)] = try subjectFields.map { try row.decode(column: $0, as: String?.self) }
        }
        var newSubjects: [String] = []
        for subject in year.subjects {
            let values = [subject.name, subject.scale.rawValue, subject.atlScale.rawValue, subject.qualification, subject.ks4Category?.rawValue]
            guard let old = storedSubjects[subject.id.rawValue] else {
                newSubjects.append("\(subject.id) \(subject.name) (\(subject.scale))")
                storedSubjects[subject.id.rawValue] = values
                continue
            }
            for (i, field) in subjectFields.enumerated() where old[i] != values[i] {
                recordChange("subjects", key: "\(subject.id).\(field)", old: old[i], new: values[i])
            }
            storedSubjects[subject.id.rawValue] = values
        }
        recordCreatedRecords("subjects", newSubjects)
        try await upsert("subjects", ["school_id", "id", "name", "scale_id", "atl_scale_id", "qualification", "ks4_category"],
                         key: ["school_id", "id"],
                         rows: year.subjects.map {
                             [SQLBind(school), SQLBind($0.id.rawValue), SQLBind($0.name), SQLBind($0.scale.rawValue),
                              SQLBind($0.atlScale.rawValue), bind($0.qualification), bind($0.ks4Category?.rawValue)]
                         })
        try await saveStaff()
        // A collection already stored keeps the year groups and dates it has: a file that covers
        // one year group adds it, and a date absent from the file never erases a stored one.
        var stored: [String: (yearGroups: Set<Int>, dates: [String?])] = [:]
        for row in try await db.select().columns("id", "year_groups", "opens", "deadline", "locks", "publishes").from("data_collections")
            .where("school_id", .equal, school).where("academic_year", .equal, academicYear).all() {
            stored[try row.decode(column: "id", as: String.self)] = (
                Set(try row.decode(column: "year_groups", as: String.self).split(separator: ",").compactMap { Int($0) }),
                try ["opens", "deadline", "locks", "publishes"].map { try row.decode(column: $0, as: String?.self) })
        }
        try await upsert("data_collections",
                         ["school_id", "academic_year", "id", "name", "sequence", "year_groups", "opens", "deadline", "locks", "publishes"],
                         key: ["school_id", "academic_year", "id"],
                         rows: year.collections.map { c in
                             let old = stored[c.id.rawValue]
                             let yearGroups = Set(c.yearGroups).union(old?.yearGroups ?? []).sorted()
                             let dates = [c.opens, c.deadline, c.locks, c.publishes].enumerated().map { i, d in d?.description ?? old?.dates[i] ?? nil }
                             return [SQLBind(school), SQLBind(academicYear), SQLBind(c.id.rawValue), SQLBind(c.name), SQLBind(c.sequence),
                                     SQLBind(yearGroups.map(String.init).joined(separator: ","))] + dates.map { bind($0) }
                         })
    }

    /// Staff: created, or merged field by field with the stored record — an incoming blank
    /// title, forename, surname or email, or an empty role list, keeps the stored one.
    mutating func saveStaff() async throws {
        let fields = ["title", "forename", "surname", "email", "roles"]
        var stored: [String: [String?]] = [:]
        for row in try await db.select().columns(["id"] + fields).from("staff").where("school_id", .equal, school).all() {
            // A code-only record stores its names as "": read back as absent.
            stored[try row.decode(column: "id", as: String.self)] = try fields.map {
                try row.decode(column: $0, as: String?.self).flatMap { $0.isEmpty ? nil : $0 }
            }
        }
        var rows: [[any SQLExpression]] = []
        var created: [String] = []
        for person in year.staff {
            func given(_ text: String?) -> String? { text.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
            let roles = person.roles.map(\.description).joined(separator: " ")
            let incoming = [given(person.title), given(person.forename), given(person.surname), given(person.email), given(roles)]
            let old = stored[person.id.rawValue]
            let merged = incoming.enumerated().map { i, value in value ?? old?[i] ?? nil }
            if let old {
                guard merged != old else { summary.staff.unchanged += 1; continue }
                summary.staff.changed += 1
                for (i, field) in fields.enumerated() where merged[i] != old[i] {
                    recordChange("staff", key: "\(person.id).\(field)", old: old[i], new: merged[i])
                }
            } else {
                summary.staff.new += 1
                created.append(([person.id.rawValue] + merged.compactMap { $0 }).joined(separator: " "))
            }
            stored[person.id.rawValue] = merged
            // forename, surname and roles are NOT NULL: a code-only record stores them empty.
            rows.append([SQLBind(school), SQLBind(person.id.rawValue), bind(merged[0]), SQLBind(merged[1] ?? ""), SQLBind(merged[2] ?? ""),
                         bind(merged[3]), SQLBind(merged[4] ?? "")])
        }
        recordCreatedRecords("staff", created)
        try await upsert("staff", ["school_id", "id"] + fields, key: ["school_id", "id"], rows: rows)
    }

    /// Inserts rows, replacing the non-key columns of rows whose key already exists.
    func upsert(_ table: String, _ columns: [String], key: [String], rows: [[any SQLExpression]]) async throws {
        guard !rows.isEmpty else { return }
        let others = columns.filter { !key.contains($0) }
        for chunk in store.statementChunks(rows.count, columns: columns.count) {
            let builder = db.insert(into: table).columns(columns)
            for row in rows[chunk] { builder.values(row) }
            if others.isEmpty {
                builder.ignoringConflicts(with: key)
            } else {
                builder.onConflict(with: key) { update in
                    for column in others { update.set(excludedValueOf: column) }
                    return update
                }
            }
            try await builder.run()
        }
    }

    mutating func savePupils() async throws {
        struct Stored { var upn: String?; var forename: String; var surname: String; var dob: String?; var yearGroup: Int?; var tutorGroup: String? }
        var stored: [String: Stored] = [:]
        for row in try await db.select().columns("id", "upn", "forename", "surname", "date_of_birth").from("pupils")
            .where("school_id", .equal, school).all() {
            stored[try row.decode(column: "id", as: String.self)] = Stored(
                upn: try row.decode(column: "upn", as: String?.self), forename: try row.decode(column: "forename", as: String.self),
                surname: try row.decode(column: "surname", as: String.self), dob: try row.decode(column: "date_of_birth", as: String?.self))
        }
        for row in try await db.select().columns("pupil_id", "year_group", "tutor_group").from("pupil_years")
            .where("school_id", .equal, school).where("academic_year", .equal, academicYear).all() {
            let id = try row.decode(column: "pupil_id", as: String.self)
            stored[id]?.yearGroup = try row.decode(column: "year_group", as: Int.self)
            stored[id]?.tutorGroup = try row.decode(column: "tutor_group", as: String?.self)
        }
        var newRows: [[Cell]] = []
        var yearRows: [[Cell]] = []
        for pupil in year.pupils {
            let id = pupil.id.rawValue
            guard let old = stored[id] else {
                summary.pupils.new += 1
                newRows.append([.text(school), .text(id), Cell(pupil.upn?.rawValue), .text(pupil.forename), .text(pupil.surname),
                                Cell(pupil.dateOfBirth?.description)])
                if pupil.yearGroup != 0 {
                    yearRows.append([.text(school), .text(id), .int(academicYear), .int(pupil.yearGroup), Cell(pupil.tutorGroup)])
                }
                recordCreate("pupils", pupil: pupil.id, Self.describe(pupil))
                continue
            }
            // Absent values never erase stored ones.
            let merged = Stored(upn: pupil.upn?.rawValue ?? old.upn, forename: pupil.forename.isEmpty ? old.forename : pupil.forename,
                                surname: pupil.surname.isEmpty ? old.surname : pupil.surname,
                                dob: pupil.dateOfBirth?.description ?? old.dob,
                                yearGroup: pupil.yearGroup == 0 ? old.yearGroup : pupil.yearGroup,
                                tutorGroup: pupil.tutorGroup ?? old.tutorGroup)
            var changed = false
            for (field, before, after) in [("upn", old.upn, merged.upn), ("forename", old.forename, merged.forename),
                                           ("surname", old.surname, merged.surname), ("date_of_birth", old.dob, merged.dob)]
                where before != after {
                changed = true
                try await db.update("pupils").set(SQLIdentifier(field), to: bind(after))
                    .where("school_id", .equal, school).where("id", .equal, id).run()
                recordUpdate("pupils", key: "\(id).\(field)", pupil: pupil.id, old: before, new: after, source: year.sources.pupils[pupil.id])
            }
            if merged.yearGroup == nil {
                // Year group 0 and none stored for this year: nothing to record yet.
            } else if old.yearGroup == nil {
                yearRows.append([.text(school), .text(id), .int(academicYear), .int(merged.yearGroup!), Cell(merged.tutorGroup)])
                changed = true
                recordCreate("pupil_years", pupil: pupil.id, "\(academicYear): year \(merged.yearGroup!) \(merged.tutorGroup ?? "")")
            } else {
                for (field, before, after) in [("year_group", old.yearGroup.map(String.init), merged.yearGroup.map(String.init)),
                                               ("tutor_group", old.tutorGroup, merged.tutorGroup)] where before != after {
                    changed = true
                    let value: any SQLExpression = field == "year_group" ? bind(merged.yearGroup) : bind(after)
                    try await db.update("pupil_years").set(SQLIdentifier(field), to: value)
                        .where("school_id", .equal, school).where("pupil_id", .equal, id).where("academic_year", .equal, academicYear).run()
                    recordUpdate("pupil_years", key: "\(id).\(academicYear).\(field)", pupil: pupil.id, old: before, new: after,
                                 source: year.sources.pupils[pupil.id])
                }
            }
            if changed { summary.pupils.changed += 1 } else { summary.pupils.unchanged += 1 }
        }
        try await store.insert(into: "pupils", columns: ["school_id", "id", "upn", "forename", "surname", "date_of_birth"], rows: newRows, on: db)
        try await store.insert(into: "pupil_years", columns: ["school_id", "pupil_id", "academic_year", "year_group", "tutor_group"],
                               rows: yearRows, on: db)
    }

    static func describe(_ pupil: Pupil) -> String {
        [pupil.upn?.rawValue, pupil.displayName, pupil.dateOfBirth?.description, pupil.yearGroup == 0 ? nil : "year \(pupil.yearGroup)",
         pupil.tutorGroup]
            .compactMap { $0 }.joined(separator: " ")
    }

    mutating func saveCharacteristics() async throws {
        var stored: [String: String] = [:]
        for row in try await db.select().columns("pupil_id", "name", "value").from("pupil_characteristics")
            .where("school_id", .equal, school).where("academic_year", .equal, academicYear).all() {
            stored["\(try row.decode(column: "pupil_id", as: String.self))\u{1F}\(try row.decode(column: "name", as: String.self))"] =
                try row.decode(column: "value", as: String.self)
        }
        var newRows: [[Cell]] = []
        for pupil in year.pupils {
            for (name, value) in pupil.characteristics.sorted(by: { $0.key < $1.key }) {
                let key = "\(pupil.id.rawValue)\u{1F}\(name)"
                switch stored[key] {
                case nil:
                    summary.characteristics.new += 1
                    newRows.append([.text(school), .text(pupil.id.rawValue), .int(academicYear), .text(name), .text(value)])
                    recordCreate("pupil_characteristics", pupil: pupil.id, "\(academicYear) \(name)=\(value)")
                case value?:
                    summary.characteristics.unchanged += 1
                case let old?:
                    summary.characteristics.changed += 1
                    try await db.update("pupil_characteristics").set("value", to: SQLBind(value))
                        .where("school_id", .equal, school).where("pupil_id", .equal, pupil.id.rawValue)
                        .where("academic_year", .equal, academicYear).where("name", .equal, name).run()
                    recordUpdate("pupil_characteristics", key: "\(pupil.id).\(academicYear).\(name)", pupil: pupil.id, old: old, new: value,
                                 source: year.sources.pupils[pupil.id])
                }
            }
        }
        try await store.insert(into: "pupil_characteristics", columns: ["school_id", "pupil_id", "academic_year", "name", "value"],
                               rows: newRows, on: db)
    }

    mutating func savePriorAttainment() async throws {
        var stored: [String: PriorAttainment] = [:]
        for row in try await db.select().columns("pupil_id", "ks2_reading", "ks2_maths").from("prior_attainment")
            .where("school_id", .equal, school).all() {
            stored[try row.decode(column: "pupil_id", as: String.self)] = PriorAttainment(
                readingScaledScore: try row.decode(column: "ks2_reading", as: Int?.self),
                mathsScaledScore: try row.decode(column: "ks2_maths", as: Int?.self))
        }
        func text(_ p: PriorAttainment?) -> String? {
            p.map { "reading \($0.readingScaledScore.map(String.init) ?? "none"), maths \($0.mathsScaledScore.map(String.init) ?? "none")" }
        }
        var newRows: [[Cell]] = []
        for pupil in year.pupils {
            guard let incoming = pupil.priorAttainment else { continue }
            let old = stored[pupil.id.rawValue]
            let merged = PriorAttainment(readingScaledScore: incoming.readingScaledScore ?? old?.readingScaledScore,
                                         mathsScaledScore: incoming.mathsScaledScore ?? old?.mathsScaledScore)
            if old == nil {
                summary.priorAttainment.new += 1
                newRows.append([.text(school), .text(pupil.id.rawValue), Cell(merged.readingScaledScore), Cell(merged.mathsScaledScore)])
                recordCreate("prior_attainment", pupil: pupil.id, text(merged)!)
            } else if old != merged {
                summary.priorAttainment.changed += 1
                try await db.update("prior_attainment").set("ks2_reading", to: bind(merged.readingScaledScore))
                    .set("ks2_maths", to: bind(merged.mathsScaledScore))
                    .where("school_id", .equal, school).where("pupil_id", .equal, pupil.id.rawValue).run()
                recordUpdate("prior_attainment", key: pupil.id.rawValue, pupil: pupil.id, old: text(old), new: text(merged),
                             source: year.sources.pupils[pupil.id])
            } else {
                summary.priorAttainment.unchanged += 1
            }
        }
        try await store.insert(into: "prior_attainment", columns: ["school_id", "pupil_id", "ks2_reading", "ks2_maths"], rows: newRows, on: db)
    }

    /// Classes: created, or updated where the subject, year group, teachers or pupils differ.
    /// A class's stored teachers (pupils) are replaced only when the incoming class lists some;
    /// year group 0 keeps the stored one, or for a new class takes the most common year group
    /// its pupils have stored this year (runs after ``savePupils()``, so this save's count).
    mutating func saveTeachingGroups() async throws {
        guard !year.teachingGroups.isEmpty else { return }
        var stored: [String: (subject: String, yearGroup: Int)] = [:]
        for row in try await db.select().columns("id", "subject_id", "year_group").from("teaching_groups")
            .where("school_id", .equal, school).where("academic_year", .equal, academicYear).all() {
            stored[try row.decode(column: "id", as: String.self)] = (try row.decode(column: "subject_id", as: String.self),
                                                                   try row.decode(column: "year_group", as: Int.self))
        }
        var members: [String: [String: Set<String>]] = [:]  // table → group → ids
        for (table, column) in [("teaching_group_teachers", "staff_id"), ("teaching_group_pupils", "pupil_id")] {
            for row in try await db.select().columns("group_id", column).from(table)
                .where("school_id", .equal, school).where("academic_year", .equal, academicYear).all() {
                members[table, default: [:]][try row.decode(column: "group_id", as: String.self), default: []]
                    .insert(try row.decode(column: column, as: String.self))
            }
        }
        var pupilYear: [String: Int] = [:]
        if year.teachingGroups.contains(where: { $0.yearGroup == 0 && stored[$0.id.rawValue] == nil }) {
            for row in try await db.select().columns("pupil_id", "year_group").from("pupil_years")
                .where("school_id", .equal, school).where("academic_year", .equal, academicYear).all() {
                pupilYear[try row.decode(column: "pupil_id", as: String.self)] = try row.decode(column: "year_group", as: Int.self)
            }
        }
        var groupRows: [[any SQLExpression]] = []
        var newGroups: [String] = []
        var replace: [(table: String, group: String, ids: [String])] = []
        for group in year.teachingGroups {
            let id = group.id.rawValue
            let old = stored[id]
            var yearGroup = group.yearGroup
            if yearGroup == 0 {
                if let old {
                    yearGroup = old.yearGroup
                } else {
                    var counts: [Int: Int] = [:]
                    for pupil in group.pupils { if let y = pupilYear[pupil.rawValue], y != 0 { counts[y, default: 0] += 1 } }
                    yearGroup = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 0
                }
            }
            var changed = false
            if old == nil || old!.subject != group.subject.rawValue || old!.yearGroup != yearGroup {
                groupRows.append([SQLBind(school), SQLBind(academicYear), SQLBind(id), SQLBind(group.subject.rawValue), SQLBind(yearGroup)])
                if let old {
                    changed = true
                    if old.subject != group.subject.rawValue { recordChange("teaching_groups", key: "\(id).subject", old: old.subject, new: group.subject.rawValue) }
                    if old.yearGroup != yearGroup { recordChange("teaching_groups", key: "\(id).year_group", old: String(old.yearGroup), new: String(yearGroup)) }
                }
            }
            for (table, ids, label) in [("teaching_group_teachers", group.teachers.map(\.rawValue), "teachers"),
                                        ("teaching_group_pupils", group.pupils.map(\.rawValue), "pupils")] where !ids.isEmpty {
                let before = members[table]?[id] ?? []
                let after = Set(ids)
                guard before != after else { continue }
                replace.append((table, id, after.sorted()))
                if old != nil {
                    changed = true
                    let added = after.subtracting(before).sorted(), removed = before.subtracting(after).sorted()
                    recordChange("teaching_groups", key: "\(id).\(label)", old: before.sorted().joined(separator: " "),
                                 new: after.sorted().joined(separator: " "),
                                 summary: "teaching_groups \(id).\(label): \(before.count) → \(after.count)"
                                     + (added.isEmpty ? "" : " (added \(added.joined(separator: ", ")))")
                                     + (removed.isEmpty ? "" : " (removed \(removed.joined(separator: ", ")))"))
                }
            }
            if old == nil {
                summary.teachingGroups.new += 1
                newGroups.append("\(id) \(group.subject) year \(yearGroup) taught by \(group.teachers.map(\.rawValue).joined(separator: " ")), \(group.pupils.count) pupils")
            } else if changed { summary.teachingGroups.changed += 1 } else { summary.teachingGroups.unchanged += 1 }
        }
        recordCreatedRecords("teaching_groups", newGroups)
        try await upsert("teaching_groups", ["school_id", "academic_year", "id", "subject_id", "year_group"],
                         key: ["school_id", "academic_year", "id"], rows: groupRows)
        for item in replace {
            try await db.delete(from: item.table).where("school_id", .equal, school).where("academic_year", .equal, academicYear)
                .where("group_id", .equal, item.group).run()
        }
        for table in ["teaching_group_teachers", "teaching_group_pupils"] {
            let column = table == "teaching_group_teachers" ? "staff_id" : "pupil_id"
            try await store.insert(into: table, columns: ["school_id", "academic_year", "group_id", column],
                                   rows: replace.filter { $0.table == table }.flatMap { item in
                                       item.ids.map { [.text(school), .int(academicYear), .text(item.group), .text($0)] }
                                   }, on: db)
        }
    }

    /// Assessments: created, or updated field by field where a non-blank incoming value differs
    /// (a blank never erases), each change audited. Issue 5 (items 3 and 6):
    /// - `late` is stored with a new entry and, when a change is made by a late entry, set; it is
    ///   never cleared by a later change (an entry once late stays late), and an entry that changes
    ///   nothing changes no flag;
    /// - an entry with its own ``Assessment/source`` (a markbook's `FILE:LINE`) is audited per
    ///   value with that source — a new record gets one `create` row per non-blank value, listed in
    ///   the summary's changes too, instead of joining the pupil's grouped creation row — and the
    ///   stored `source` column takes it; other entries use the context's source;
    /// - the audit rows of a late entry say so in their reason (`…; entered late`).
    mutating func saveAssessments() async throws {
        typealias Cells = (workingAt: String?, predicted: String?, atl: String?)
        struct Key: Hashable { var collection: String; var pupil: String; var subject: String }
        var stored: [Key: Cells] = [:]
        var storedLate = Set<Key>()
        for row in try await db.select().columns("collection_id", "pupil_id", "subject_id", "working_at", "predicted", "atl", "late")
            .from("assessments").where("school_id", .equal, school).where("academic_year", .equal, academicYear).all() {
            let key = Key(collection: try row.decode(column: "collection_id", as: String.self), pupil: try row.decode(column: "pupil_id", as: String.self),
                          subject: try row.decode(column: "subject_id", as: String.self))
            stored[key] = (try row.decode(column: "working_at", as: String?.self), try row.decode(column: "predicted", as: String?.self),
                           try row.decode(column: "atl", as: String?.self))
            if try row.decode(column: "late", as: Int.self) != 0 { storedLate.insert(key) }
        }
        var newRows: [Cell] = []
        newRows.reserveCapacity(year.assessments.count * 12)
        stored.reserveCapacity(stored.count + year.assessments.count)
        for entry in year.assessments {
            let key = Key(collection: entry.collection.rawValue, pupil: entry.pupil.rawValue, subject: entry.subject.rawValue)
            let incoming: Cells = (entry.workingAt?.stored, entry.predicted?.stored, entry.atl?.stored)
            let source = entry.source ?? context.source
            // Worked out only for entries audited field by field (a million new entries need none).
            var reason: String? { entry.late ? [context.reason, "entered late"].compactMap { $0 }.joined(separator: "; ") : context.reason }
            var recordKey: String { "\(entry.collection)/\(entry.pupil)/\(entry.subject)" }
            guard let old = stored[key] else {
                summary.assessments.new += 1
                newRows += [.text(school), .int(academicYear), .text(entry.collection.rawValue), .text(entry.pupil.rawValue),
                            .text(entry.subject.rawValue), Cell(incoming.workingAt), Cell(incoming.predicted), Cell(incoming.atl),
                            Cell(entry.enteredBy?.rawValue), .text(at), .text(source), .int(entry.late ? 1 : 0)]
                if entry.source != nil {
                    let fields = [("working_at", incoming.workingAt), ("predicted", incoming.predicted), ("atl", incoming.atl)]
                    for case let (field, value?) in fields {
                        recordUpdate("assessments", key: "\(recordKey).\(field)", pupil: entry.pupil, old: nil, new: value, reason: reason,
                                     action: "create", source: source, late: entry.late)
                    }
                } else {
                    recordCreate("assessments", pupil: entry.pupil,
                                 "\(entry.collection.rawValue)/\(entry.subject.rawValue) working_at=\(incoming.workingAt ?? "") predicted=\(incoming.predicted ?? "") atl=\(incoming.atl ?? "")")
                }
                stored[key] = incoming
                if entry.late { storedLate.insert(key) }
                continue
            }
            var changed = false
            for (field, before, after) in [("working_at", old.workingAt, incoming.workingAt), ("predicted", old.predicted, incoming.predicted),
                                           ("atl", old.atl, incoming.atl)] {
                guard let after, after != before else { continue }  // a blank never erases
                changed = true
                let late = storedLate.contains(key) || entry.late
                try await db.update("assessments").set(SQLIdentifier(field), to: SQLBind(after))
                    .set("entered_by", to: bind(entry.enteredBy?.rawValue)).set("entered_at", to: SQLBind(at))
                    .set("source", to: SQLBind(source)).set("late", to: SQLBind(late ? 1 : 0))
                    .where("school_id", .equal, school).where("academic_year", .equal, academicYear)
                    .where("collection_id", .equal, entry.collection.rawValue).where("pupil_id", .equal, entry.pupil.rawValue)
                    .where("subject_id", .equal, entry.subject.rawValue).run()
                recordUpdate("assessments", key: "\(recordKey).\(field)", pupil: entry.pupil, old: before, new: after, reason: reason,
                             source: source, late: entry.late)
            }
            if changed {
                summary.assessments.changed += 1
                stored[key] = (incoming.workingAt ?? old.workingAt, incoming.predicted ?? old.predicted, incoming.atl ?? old.atl)
                if entry.late { storedLate.insert(key) }
            } else {
                summary.assessments.unchanged += 1
            }
        }
        try await store.insert(
            into: "assessments",
            columns: ["school_id", "academic_year", "collection_id", "pupil_id", "subject_id", "working_at", "predicted", "atl",
                      "entered_by", "entered_at", "source", "late"],
            cells: newRows, on: db)
    }

    /// One stored target row, as text.
    struct StoredTarget: Equatable {
        var grade: String
        var method: String
        var setBy: String?
        var reason: String?
        var generated: String?
        var version: String?
        var inputs: String?
        var percentileBand: String?

        /// What the audit log shows: `6 (override by JSM; generated 5)`, `5 (estimate)`, `7 (imported)`,
        /// `7 (imported; band FFT20)`.
        var description: String {
            var text = "\(grade) (\(method)"
            if method == Target.Method.override.rawValue, let setBy { text += " by \(setBy)" }
            if let generated, generated != grade { text += "; generated \(generated)" }
            if let percentileBand { text += "; band \(percentileBand)" }
            return text + ")"
        }

        /// The method details, for an audit row when only they changed.
        var details: String? {
            guard version != nil || inputs != nil else { return nil }
            return "\(version ?? "?") \(inputs ?? "")"
        }
    }

    /// Targets: created, or updated when anything differs (grade, method, who, why, generated
    /// value, method version or inputs), each change audited. An override saved without the value
    /// it replaced keeps the stored one in `generated_grade` (with its method details), so the
    /// generated value is never lost; the audit row's reason is the override's own.
    mutating func saveTargets() async throws {
        var stored: [String: StoredTarget] = [:]
        for row in try await db.select().columns("pupil_id", "subject_id", "grade", "method", "set_by", "reason", "generated_grade",
                                                 "method_version", "method_inputs", "percentile_band")
            .from("targets").where("school_id", .equal, school).where("academic_year", .equal, academicYear).all() {
            stored["\(try row.decode(column: "pupil_id", as: String.self))/\(try row.decode(column: "subject_id", as: String.self))"] =
                StoredTarget(grade: try row.decode(column: "grade", as: String.self), method: try row.decode(column: "method", as: String.self),
                             setBy: try row.decode(column: "set_by", as: String?.self), reason: try row.decode(column: "reason", as: String?.self),
                             generated: try row.decode(column: "generated_grade", as: String?.self),
                             version: try row.decode(column: "method_version", as: String?.self),
                             inputs: try row.decode(column: "method_inputs", as: String?.self),
                             percentileBand: try row.decode(column: "percentile_band", as: String?.self))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var newRows: [[Cell]] = []
        for target in year.targets {
            let key = "\(target.pupil)/\(target.subject)"
            var incoming = StoredTarget(grade: target.grade.stored, method: target.method.rawValue, setBy: target.setBy, reason: target.reason,
                                        generated: target.generated?.stored, version: target.calculation?.versionLabel,
                                        inputs: try target.calculation.map { String(decoding: try encoder.encode($0), as: UTF8.self) },
                                        percentileBand: target.percentileBand)
            let reason = target.reason ?? context.reason
            let targetSource = year.sources.target(target.pupil, target.subject)
            guard let old = stored[key] else {
                summary.targets.new += 1
                newRows.append([.text(school), .int(academicYear), .text(target.pupil.rawValue), .text(target.subject.rawValue),
                                .text(incoming.grade), .text(incoming.method), Cell(incoming.setBy), Cell(incoming.reason), .text(at),
                                Cell(incoming.generated), Cell(incoming.version), Cell(incoming.inputs), Cell(incoming.percentileBand)])
                recordCreate("targets", pupil: target.pupil,
                             "\(target.subject) \(incoming.description)" + (year.sources.target(target.pupil, target.subject).map { " [\($0)]" } ?? ""))
                continue
            }
            if target.method == .override, incoming.generated == nil {
                // Keep the value the override replaces: the stored generated value, or the stored
                // grade when it was generated or imported (not itself an override).
                incoming.generated = old.generated ?? (old.method == Target.Method.override.rawValue ? nil : old.grade)
                if incoming.inputs == nil {
                    incoming.version = old.version
                    incoming.inputs = old.inputs
                }
            }
            // A file without a band, provider or note never erases what an earlier file gave the
            // same imported target.
            if target.method == .imported, old.method == Target.Method.imported.rawValue {
                incoming.percentileBand = incoming.percentileBand ?? old.percentileBand
                incoming.setBy = incoming.setBy ?? old.setBy
                incoming.reason = incoming.reason ?? old.reason
            }
            guard incoming != old else { summary.targets.unchanged += 1; continue }
            summary.targets.changed += 1
            try await db.update("targets").set("grade", to: SQLBind(incoming.grade)).set("method", to: SQLBind(incoming.method))
                .set("set_by", to: bind(incoming.setBy)).set("reason", to: bind(incoming.reason)).set("set_at", to: SQLBind(at))
                .set("generated_grade", to: bind(incoming.generated)).set("method_version", to: bind(incoming.version))
                .set("method_inputs", to: bind(incoming.inputs)).set("percentile_band", to: bind(incoming.percentileBand))
                .where("school_id", .equal, school).where("academic_year", .equal, academicYear)
                .where("pupil_id", .equal, target.pupil.rawValue).where("subject_id", .equal, target.subject.rawValue).run()
            if old.description != incoming.description {
                recordUpdate("targets", key: key, pupil: target.pupil, old: old.description, new: incoming.description, reason: reason, source: targetSource)
            } else if old.details != incoming.details {
                recordUpdate("targets", key: "\(key).method_inputs", pupil: target.pupil, old: old.details, new: incoming.details, reason: reason,
                             source: targetSource)
            } else if old.setBy != incoming.setBy {
                recordUpdate("targets", key: "\(key).set_by", pupil: target.pupil, old: old.setBy, new: incoming.setBy, reason: reason, source: targetSource)
            } else {
                recordUpdate("targets", key: "\(key).reason", pupil: target.pupil, old: old.reason, new: incoming.reason, reason: reason, source: targetSource)
            }
        }
        try await store.insert(into: "targets",
                               columns: ["school_id", "academic_year", "pupil_id", "subject_id", "grade", "method", "set_by", "reason", "set_at",
                                         "generated_grade", "method_version", "method_inputs", "percentile_band"],
                               rows: newRows, on: db)
    }
}
