import Foundation
import HeadwayCore
import SQLKit

/// One row of the audit log, as read back.
public struct AuditEntry: Hashable, Sendable {
    public var at: String
    public var actor: String
    /// `create` or `update`.
    public var action: String
    public var table: String
    public var recordKey: String
    public var pupil: Pupil.ID?
    public var oldValue: String?
    public var newValue: String?
    public var reason: String?
    public var source: String
}

extension Store {
    /// Every school in the store, by id.
    public func schools() async throws -> [School] {
        try await db.select().columns("id", "name").from("schools").orderBy("id").all().map {
            School(id: School.ID(try $0.decode(column: "id", as: String.self)), name: try $0.decode(column: "name", as: String.self))
        }
    }

    /// The academic years a school has data for, oldest first.
    public func academicYears(of school: School.ID) async throws -> [AcademicYear] {
        try await db.select().column("start_year").from("academic_years").where("school_id", .equal, school.rawValue)
            .orderBy("start_year").all().map { AcademicYear(startYear: try $0.decode(column: "start_year", as: Int.self)) }
    }

    /// Loads one school's year: pupils on roll that year with their characteristics and KS2,
    /// staff, subjects and scales, classes, collections, assessments, targets, the calendars
    /// (``calendar(school:year:)``), and the interventions starting that year with its year group
    /// responsibilities (``interventions(school:academicYear:)``).
    /// - Throws: ``StoreError`` `not-found` when the school or year is not stored.
    public func load(school id: School.ID, year academicYear: AcademicYear) async throws -> SchoolYear {
        let s = id.rawValue
        let y = academicYear.startYear
        guard let schoolRow = try await db.select().columns("id", "name").from("schools").where("id", .equal, s).first() else {
            throw StoreError.notFound("School \(s)")
        }
        guard try await academicYears(of: id).contains(academicYear) else {
            throw StoreError.notFound("Academic year \(academicYear) for school \(s)")
        }
        let school = School(id: id, name: try schoolRow.decode(column: "name", as: String.self))

        var scales = GradeScale.builtIn
        let decoder = JSONDecoder()
        for row in try await db.select().columns("id", "definition").from("grade_scales").where("school_id", .equal, s).all() {
            let scale = try decoder.decode(GradeScale.self, from: Data(try row.decode(column: "definition", as: String.self).utf8))
            scales[scale.id] = scale
        }
        let subjects = try await rows(["id", "name", "scale_id", "atl_scale_id", "qualification", "ks4_category"],
                                      of: db.select().from("subjects").where("school_id", .equal, s).orderBy("id")) {
            Subject(id: Subject.ID(try $0.text(0)), name: try $0.text(1), scale: GradeScale.ID(try $0.text(2)),
                    atlScale: GradeScale.ID(try $0.text(3)), qualification: try $0.optionalText(4),
                    ks4Category: try $0.optionalText(5).flatMap(KS4Category.init(rawValue:)))
        }
        let staff = try await rows(["id", "title", "forename", "surname", "email", "roles"],
                                   of: db.select().from("staff").where("school_id", .equal, s).orderBy("id")) {
            Staff(id: Staff.ID(try $0.text(0)), title: try $0.optionalText(1), forename: try $0.text(2), surname: try $0.text(3),
                  email: try $0.optionalText(4), roles: try $0.text(5).split(separator: " ").compactMap { Staff.Role(String($0)) })
        }

        var characteristics: [String: [String: String]] = [:]
        for (pupil, name, value) in try await rows(["pupil_id", "name", "value"], of: db.select().from("pupil_characteristics")
            .where("school_id", .equal, s).where("academic_year", .equal, y), { (try $0.text(0), try $0.text(1), try $0.text(2)) }) {
            characteristics[pupil, default: [:]][name] = value
        }
        var prior: [String: PriorAttainment] = [:]
        for (pupil, scores) in try await rows(["pupil_id", "ks2_reading", "ks2_maths"], of: db.select().from("prior_attainment")
            .where("school_id", .equal, s), {
                (try $0.text(0), PriorAttainment(readingScaledScore: try $0.optionalInt(1), mathsScaledScore: try $0.optionalInt(2)))
            }) {
            prior[pupil] = scores
        }
        let pupils = try await rows(db.select()
            .columns(SQLColumn("id", table: "p"), SQLColumn("upn", table: "p"), SQLColumn("forename", table: "p"),
                     SQLColumn("surname", table: "p"), SQLColumn("date_of_birth", table: "p"),
                     SQLColumn("year_group", table: "y"), SQLColumn("tutor_group", table: "y"))
            .from(SQLAlias(SQLIdentifier("pupils"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("pupil_years"), as: SQLIdentifier("y")), method: SQLJoinMethod.inner,
                  on: SQLBinaryExpression(
                      SQLBinaryExpression(SQLColumn("school_id", table: "y"), .equal, SQLColumn("school_id", table: "p")), .and,
                      SQLBinaryExpression(SQLColumn("pupil_id", table: "y"), .equal, SQLColumn("id", table: "p"))))
            .where(SQLColumn("school_id", table: "p"), .equal, SQLBind(s))
            .where(SQLColumn("academic_year", table: "y"), .equal, SQLBind(y))
            .orderBy(SQLColumn("id", table: "p")),
            names: ["id", "upn", "forename", "surname", "date_of_birth", "year_group", "tutor_group"]) { row in
                let pid = try row.text(0)
                return Pupil(id: Pupil.ID(pid), upn: try row.optionalText(1).flatMap(UPN.init),
                             forename: try row.text(2), surname: try row.text(3),
                             dateOfBirth: try row.optionalText(4).flatMap(CalendarDate.init(parsing:)),
                             yearGroup: try row.int(5), tutorGroup: try row.optionalText(6),
                             characteristics: characteristics[pid] ?? [:], priorAttainment: prior[pid])
            }

        var teachers: [String: [Staff.ID]] = [:]
        for (group, teacher) in try await rows(["group_id", "staff_id"], of: db.select().from("teaching_group_teachers")
            .where("school_id", .equal, s).where("academic_year", .equal, y).orderBy("staff_id"), { (try $0.text(0), try $0.text(1)) }) {
            teachers[group, default: []].append(Staff.ID(teacher))
        }
        var members: [String: [Pupil.ID]] = [:]
        for (group, pupil) in try await rows(["group_id", "pupil_id"], of: db.select().from("teaching_group_pupils")
            .where("school_id", .equal, s).where("academic_year", .equal, y).orderBy("pupil_id"), { (try $0.text(0), try $0.text(1)) }) {
            members[group, default: []].append(Pupil.ID(pupil))
        }
        let groups = try await rows(["id", "subject_id", "year_group"], of: db.select().from("teaching_groups")
            .where("school_id", .equal, s).where("academic_year", .equal, y).orderBy("id")) { row in
                let gid = try row.text(0)
                return TeachingGroup(id: TeachingGroup.ID(gid), subject: Subject.ID(try row.text(1)), yearGroup: try row.int(2),
                                     teachers: teachers[gid] ?? [], pupils: members[gid] ?? [])
            }
        let collections = try await rows(["id", "name", "sequence", "year_groups", "opens", "deadline", "locks", "publishes"],
                                         of: db.select().from("data_collections")
            .where("school_id", .equal, s).where("academic_year", .equal, y).orderBy("sequence")) { row in
                func date(_ index: Int) throws -> CalendarDate? { try row.optionalText(index).flatMap(CalendarDate.init(parsing:)) }
                return DataCollection(
                    id: DataCollection.ID(try row.text(0)), name: try row.text(1), academicYear: academicYear,
                    yearGroups: try row.text(3).split(separator: ",").compactMap { Int($0) }, sequence: try row.int(2),
                    opens: try date(4), deadline: try date(5), locks: try date(6), publishes: try date(7))
            }

        // Grades are read once per scale and stored text: a school's entries repeat a few dozen
        // codes (issue 13, item 5: parsing every cell was a quarter of `headway analyse`).
        var grades = StoredGrades(scales: scales)
        let subjectScales = Dictionary(uniqueKeysWithValues: subjects.map {
            ($0.id.rawValue, (grades.scaleIndex($0.scale), grades.scaleIndex($0.atlScale)))
        })
        let assessments = try await rows(["collection_id", "pupil_id", "subject_id", "working_at", "predicted", "atl", "entered_by", "late"],
                                         of: db.select().from("assessments")
            .where("school_id", .equal, s).where("academic_year", .equal, y)) { row in
                let subject = try row.text(2)
                let (scale, atlScale) = subjectScales[subject] ?? (nil, nil)
                return Assessment(
                    pupil: Pupil.ID(try row.text(1)), subject: Subject.ID(subject), collection: DataCollection.ID(try row.text(0)),
                    workingAt: grades.value(try row.optionalText(3), scale), predicted: grades.value(try row.optionalText(4), scale),
                    atl: grades.value(try row.optionalText(5), atlScale),
                    enteredBy: try row.optionalText(6).map(Staff.ID.init(rawValue:)), late: try row.int(7) != 0)
            }
        // A calculation stored by a later version that this build cannot read is left out
        // (the target and its grade still load). Identical stored calculations are decoded once.
        var calculations: [String: TargetCalculation?] = [:]
        func calculation(_ text: String?) -> TargetCalculation? {
            guard let text else { return nil }
            if let known = calculations[text] { return known }
            let decoded = try? decoder.decode(TargetCalculation.self, from: Data(text.utf8))
            calculations[text] = .some(decoded)
            return decoded
        }
        let targets = try await rows(["pupil_id", "subject_id", "grade", "method", "set_by", "reason", "generated_grade", "method_inputs",
                                      "percentile_band"],
                                     of: db.select().from("targets")
            .where("school_id", .equal, s).where("academic_year", .equal, y).orderBy("pupil_id").orderBy("subject_id")) { row in
                let subject = try row.text(1)
                let scale: Int? = subjectScales[subject]?.0 ?? nil
                return Target(pupil: Pupil.ID(try row.text(0)), subject: Subject.ID(subject),
                              grade: grades.value(try row.text(2), scale) ?? .offScale(""),
                              method: Target.Method(rawValue: try row.text(3)) ?? .imported,
                              setBy: try row.optionalText(4), reason: try row.optionalText(5),
                              generated: grades.value(try row.optionalText(6), scale),
                              calculation: calculation(try row.optionalText(7)), percentileBand: try row.optionalText(8))
            }
        return try await withInterventionsAndResponsibilities(SchoolYear(
            school: school, academicYear: academicYear, scales: scales, subjects: subjects, staff: staff, pupils: pupils,
            teachingGroups: groups, collections: collections, assessments: assessments, targets: targets,
            calendar: try await calendar(school: id, year: academicYear)))
    }

    /// The audit log for a school, oldest first; only rows about `pupil` when given, only rows
    /// of table `table` (e.g. `staff`, `teaching_groups`) when given.
    public func auditLog(school: School.ID, pupil: Pupil.ID? = nil, table: String? = nil) async throws -> [AuditEntry] {
        let query = db.select()
            .columns("at", "actor", "action", "table_name", "record_key", "pupil_id", "old_value", "new_value", "reason", "source")
            .from("audit_log").where("school_id", .equal, school.rawValue)
        if let pupil { query.where("pupil_id", .equal, pupil.rawValue) }
        if let table { query.where("table_name", .equal, table) }
        return try await query.orderBy("id").all().map {
            AuditEntry(at: try $0.decode(column: "at", as: String.self), actor: try $0.decode(column: "actor", as: String.self),
                       action: try $0.decode(column: "action", as: String.self), table: try $0.decode(column: "table_name", as: String.self),
                       recordKey: try $0.decode(column: "record_key", as: String.self),
                       pupil: try $0.decode(column: "pupil_id", as: String?.self).map(Pupil.ID.init(rawValue:)),
                       oldValue: try $0.decode(column: "old_value", as: String?.self), newValue: try $0.decode(column: "new_value", as: String?.self),
                       reason: try $0.decode(column: "reason", as: String?.self), source: try $0.decode(column: "source", as: String.self))
        }
    }
}

/// Stored grade text read on each of a school's scales, each distinct (scale, text) parsed once
/// with ``GradeScale/value(stored:)``; text on no known scale (a subject whose scale is gone) is
/// ``EntryValue/offScale(_:)``, as when each cell was read on its own.
struct StoredGrades {
    private var scales: [GradeScale]
    private var positions: [GradeScale.ID: Int] = [:]
    private var read: [[String: EntryValue]]

    init(scales: [GradeScale.ID: GradeScale]) {
        self.scales = scales.values.sorted { $0.id.rawValue < $1.id.rawValue }
        for (i, scale) in self.scales.enumerated() { positions[scale.id] = i }
        read = Array(repeating: [:], count: self.scales.count)
    }

    /// The position of a scale, nil when the school has no such scale.
    func scaleIndex(_ id: GradeScale.ID) -> Int? { positions[id] }

    /// The value of stored `text` on the scale at `scale`: nil for NULL.
    mutating func value(_ text: String?, _ scale: Int?) -> EntryValue? {
        guard let text else { return nil }
        guard let scale else { return .offScale(text) }
        if let known = read[scale][text] { return known }
        let value = scales[scale].value(stored: text)
        read[scale][text] = value
        return value
    }
}
