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
        let subjects = try await db.select().columns("id", "name", "scale_id", "atl_scale_id", "qualification", "ks4_category").from("subjects")
            .where("school_id", .equal, s).orderBy("id").all().map {
                Subject(id: Subject.ID(try $0.decode(column: "id", as: String.self)), name: try $0.decode(column: "name", as: String.self),
                        scale: GradeScale.ID(try $0.decode(column: "scale_id", as: String.self)),
                        atlScale: GradeScale.ID(try $0.decode(column: "atl_scale_id", as: String.self)),
                        qualification: try $0.decode(column: "qualification", as: String?.self),
                        ks4Category: try $0.decode(column: "ks4_category", as: String?.self).flatMap(KS4Category.init(rawValue:)))
            }
        let staff = try await db.select().columns("id", "title", "forename", "surname", "email", "roles").from("staff")
            .where("school_id", .equal, s).orderBy("id").all().map {
                Staff(id: Staff.ID(try $0.decode(column: "id", as: String.self)), title: try $0.decode(column: "title", as: String?.self),
                      forename: try $0.decode(column: "forename", as: String.self), surname: try $0.decode(column: "surname", as: String.self),
                      email: try $0.decode(column: "email", as: String?.self),
                      roles: try $0.decode(column: "roles", as: String.self).split(separator: " ").compactMap { Staff.Role(String($0)) })
            }

        var characteristics: [String: [String: String]] = [:]
        for row in try await db.select().columns("pupil_id", "name", "value").from("pupil_characteristics")
            .where("school_id", .equal, s).where("academic_year", .equal, y).all() {
            characteristics[try row.decode(column: "pupil_id", as: String.self), default: [:]][try row.decode(column: "name", as: String.self)] =
                try row.decode(column: "value", as: String.self)
        }
        var prior: [String: PriorAttainment] = [:]
        for row in try await db.select().columns("pupil_id", "ks2_reading", "ks2_maths").from("prior_attainment")
            .where("school_id", .equal, s).all() {
            prior[try row.decode(column: "pupil_id", as: String.self)] = PriorAttainment(
                readingScaledScore: try row.decode(column: "ks2_reading", as: Int?.self),
                mathsScaledScore: try row.decode(column: "ks2_maths", as: Int?.self))
        }
        let pupils = try await db.select()
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
            .orderBy(SQLColumn("id", table: "p"))
            .all().map { row in
                let pid = try row.decode(column: "id", as: String.self)
                return Pupil(id: Pupil.ID(pid), upn: try row.decode(column: "upn", as: String?.self).flatMap(UPN.init),
                             forename: try row.decode(column: "forename", as: String.self),
                             surname: try row.decode(column: "surname", as: String.self),
                             dateOfBirth: try row.decode(column: "date_of_birth", as: String?.self).flatMap(CalendarDate.init(parsing:)),
                             yearGroup: try row.decode(column: "year_group", as: Int.self),
                             tutorGroup: try row.decode(column: "tutor_group", as: String?.self),
                             characteristics: characteristics[pid] ?? [:], priorAttainment: prior[pid])
            }

        var teachers: [String: [Staff.ID]] = [:]
        for row in try await db.select().columns("group_id", "staff_id").from("teaching_group_teachers")
            .where("school_id", .equal, s).where("academic_year", .equal, y).orderBy("staff_id").all() {
            teachers[try row.decode(column: "group_id", as: String.self), default: []].append(Staff.ID(try row.decode(column: "staff_id", as: String.self)))
        }
        var members: [String: [Pupil.ID]] = [:]
        for row in try await db.select().columns("group_id", "pupil_id").from("teaching_group_pupils")
            .where("school_id", .equal, s).where("academic_year", .equal, y).orderBy("pupil_id").all() {
            members[try row.decode(column: "group_id", as: String.self), default: []].append(Pupil.ID(try row.decode(column: "pupil_id", as: String.self)))
        }
        let groups = try await db.select().columns("id", "subject_id", "year_group").from("teaching_groups")
            .where("school_id", .equal, s).where("academic_year", .equal, y).orderBy("id").all().map { row in
                let gid = try row.decode(column: "id", as: String.self)
                return TeachingGroup(id: TeachingGroup.ID(gid), subject: Subject.ID(try row.decode(column: "subject_id", as: String.self)),
                                     yearGroup: try row.decode(column: "year_group", as: Int.self),
                                     teachers: teachers[gid] ?? [], pupils: members[gid] ?? [])
            }
        let collections = try await db.select()
            .columns("id", "name", "sequence", "year_groups", "opens", "deadline", "locks", "publishes").from("data_collections")
            .where("school_id", .equal, s).where("academic_year", .equal, y).orderBy("sequence").all().map { row in
                func date(_ column: String) throws -> CalendarDate? {
                    try row.decode(column: column, as: String?.self).flatMap(CalendarDate.init(parsing:))
                }
                return DataCollection(
                    id: DataCollection.ID(try row.decode(column: "id", as: String.self)), name: try row.decode(column: "name", as: String.self),
                    academicYear: academicYear,
                    yearGroups: try row.decode(column: "year_groups", as: String.self).split(separator: ",").compactMap { Int($0) },
                    sequence: try row.decode(column: "sequence", as: Int.self),
                    opens: try date("opens"), deadline: try date("deadline"), locks: try date("locks"), publishes: try date("publishes"))
            }

        let subjectScales = Dictionary(uniqueKeysWithValues: subjects.map { ($0.id.rawValue, (scales[$0.scale], scales[$0.atlScale])) })
        func value(_ text: String?, _ scale: GradeScale?) -> EntryValue? {
            guard let text else { return nil }
            return scale?.value(stored: text) ?? .offScale(text)
        }
        let assessments = try await db.select()
            .columns("collection_id", "pupil_id", "subject_id", "working_at", "predicted", "atl", "entered_by", "late").from("assessments")
            .where("school_id", .equal, s).where("academic_year", .equal, y).all().map { row in
                let subject = try row.decode(column: "subject_id", as: String.self)
                let (scale, atlScale) = subjectScales[subject] ?? (nil, nil)
                return Assessment(
                    pupil: Pupil.ID(try row.decode(column: "pupil_id", as: String.self)), subject: Subject.ID(subject),
                    collection: DataCollection.ID(try row.decode(column: "collection_id", as: String.self)),
                    workingAt: value(try row.decode(column: "working_at", as: String?.self), scale),
                    predicted: value(try row.decode(column: "predicted", as: String?.self), scale),
                    atl: value(try row.decode(column: "atl", as: String?.self), atlScale),
                    enteredBy: try row.decode(column: "entered_by", as: String?.self).map(Staff.ID.init(rawValue:)),
                    late: try row.decode(column: "late", as: Int.self) != 0)
            }
        // A calculation stored by a later version that this build cannot read is left out
        // (the target and its grade still load).
        let targets = try await db.select()
            .columns("pupil_id", "subject_id", "grade", "method", "set_by", "reason", "generated_grade", "method_inputs", "percentile_band")
            .from("targets")
            .where("school_id", .equal, s).where("academic_year", .equal, y).orderBy("pupil_id").orderBy("subject_id").all().map { row in
                let subject = try row.decode(column: "subject_id", as: String.self)
                let scale = subjectScales[subject]?.0
                return Target(pupil: Pupil.ID(try row.decode(column: "pupil_id", as: String.self)), subject: Subject.ID(subject),
                              grade: value(try row.decode(column: "grade", as: String.self), scale) ?? .offScale(""),
                              method: Target.Method(rawValue: try row.decode(column: "method", as: String.self)) ?? .imported,
                              setBy: try row.decode(column: "set_by", as: String?.self), reason: try row.decode(column: "reason", as: String?.self),
                              generated: value(try row.decode(column: "generated_grade", as: String?.self), scale),
                              calculation: try row.decode(column: "method_inputs", as: String?.self).flatMap {
                                  try? decoder.decode(TargetCalculation.self, from: Data($0.utf8))
                              }, percentileBand: try row.decode(column: "percentile_band", as: String?.self))
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
