import Foundation
import HeadwayCore
import SQLKit

/// What saving exam results did (or, for a dry run, would do).
public struct ExamResultsSaveSummary: Hashable, Sendable {
    /// Results created, changed, and found as stored.
    public var results = SaveSummary.Counts()
    /// Audit rows written: one per pupil with new results, one per changed field.
    public var auditRows = 0
    /// One line per changed value: `exam_results PUPIL/KEY/DATE.field: old → new`.
    public var changes: [String] = []

    /// An empty summary.
    public init() {}
}

extension Store {
    /// Saves a school's exam results (table `exam_results`, migration 7): creates what is new,
    /// updates what changed, leaves the rest — in one transaction with the audit rows.
    ///
    /// A result is identified by pupil, ``ExamResult/resultKey`` (QN, else subject key) and
    /// series date. A value absent from `results` (nil candidate number, series label, awarding
    /// body, subject name or subject) never erases a stored one; the grade is always given and
    /// replaces the stored grade when it differs. ``ExamResult/ks4Grade`` is not stored: points
    /// come from the qualification's DfE list when the measures are computed.
    ///
    /// Audit (as ``save(_:context:dryRun:)``): new results are written as one `create` row per
    /// pupil (`2026-08-20 60146084 7; 2026-08-20 history 6`); each changed field is one `update`
    /// row with its old and new value, keyed `PUPIL/KEY/DATE.field`.
    ///
    /// - Parameters:
    ///   - results: at most one result per pupil, key and series (the readers reject duplicates).
    ///   - school: the school; its pupils must be stored already.
    ///   - dryRun: compute everything, then roll back; the summary says what would change.
    /// - Throws: ``StoreError`` `not-found` when the school is not stored; `unknown-pupil` when a
    ///   result names a pupil the school does not have; `duplicate` when two results share a key.
    ///   Nothing is written then.
    @discardableResult
    public func save(examResults results: [ExamResult], school: School.ID, context: ChangeContext,
                     dryRun: Bool = false) async throws -> ExamResultsSaveSummary {
        try await transaction(rollback: dryRun) { db in
            var writer = ExamResultsWriter(store: self, db: db, school: school.rawValue, context: context)
            try await writer.run(results)
            return writer.summary
        }
    }

    /// A school's stored exam results, ordered by pupil, series date and key; only one series
    /// when `series` is given. ``ExamResult/ks4Grade`` is nil: the store keeps the grade as
    /// awarded (see HeadwayImport's `ExamResultsFile.ks4Pupils` for points).
    public func examResults(school: School.ID, series: CalendarDate? = nil) async throws -> [ExamResult] {
        let query = db.select()
            .columns("pupil_id", "series_date", "qualification_number", "subject", "grade", "candidate_number", "series",
                     "awarding_body", "subject_name")
            .from("exam_results").where("school_id", .equal, school.rawValue)
        if let series { query.where("series_date", .equal, series.description) }
        return try await query.orderBy("pupil_id").orderBy("series_date").orderBy("result_key").all().map { row in
            let dateText = try row.decode(column: "series_date", as: String.self)
            guard let date = CalendarDate(parsing: dateText) else {
                throw StoreError(code: "corrupt", message: "exam_results holds the series date \(dateText), which is not a date: correct it in the database")
            }
            return ExamResult(pupil: Pupil.ID(try row.decode(column: "pupil_id", as: String.self)),
                              candidateNumber: try row.decode(column: "candidate_number", as: String?.self),
                              qualificationNumber: try row.decode(column: "qualification_number", as: String?.self),
                              subject: try row.decode(column: "subject", as: String?.self),
                              grade: try row.decode(column: "grade", as: String.self), series: date,
                              seriesName: try row.decode(column: "series", as: String?.self),
                              awardingBody: try row.decode(column: "awarding_body", as: String?.self),
                              subjectName: try row.decode(column: "subject_name", as: String?.self))
        }
    }

    /// Every pupil a school has stored (in any academic year), by id, with their UPN when known:
    /// what an exam results file is matched against.
    public func pupilIdentities(school: School.ID) async throws -> [(id: Pupil.ID, upn: UPN?)] {
        try await db.select().columns("id", "upn").from("pupils").where("school_id", .equal, school.rawValue).orderBy("id").all().map {
            (Pupil.ID(try $0.decode(column: "id", as: String.self)), try $0.decode(column: "upn", as: String?.self).flatMap(UPN.init))
        }
    }

    /// KS2 prior attainment of every pupil of a school that has it (it does not depend on the
    /// academic year).
    public func priorAttainment(school: School.ID) async throws -> [Pupil.ID: PriorAttainment] {
        var prior: [Pupil.ID: PriorAttainment] = [:]
        for row in try await db.select().columns("pupil_id", "ks2_reading", "ks2_maths").from("prior_attainment")
            .where("school_id", .equal, school.rawValue).all() {
            prior[Pupil.ID(try row.decode(column: "pupil_id", as: String.self))] = PriorAttainment(
                readingScaledScore: try row.decode(column: "ks2_reading", as: Int?.self),
                mathsScaledScore: try row.decode(column: "ks2_maths", as: Int?.self))
        }
        return prior
    }
}

/// The steps of one exam-results save, sharing the transaction's connection.
struct ExamResultsWriter {
    let store: Store
    let db: any SQLDatabase
    let school: String
    let context: ChangeContext
    let at: String
    var summary = ExamResultsSaveSummary()
    var audit: [[Cell]] = []

    init(store: Store, db: any SQLDatabase, school: String, context: ChangeContext) {
        self.store = store
        self.db = db
        self.school = school
        self.context = context
        self.at = Store.timestamp(context.at)
    }

    /// The stored columns other than the key, as text.
    struct Fields: Equatable {
        var qualificationNumber: String?
        var subject: String?
        var grade: String
        var candidateNumber: String?
        var series: String?
        var awardingBody: String?
        var subjectName: String?

        init(_ r: ExamResult) {
            qualificationNumber = r.qualificationNumber
            subject = r.subject
            grade = r.grade
            candidateNumber = r.candidateNumber
            series = r.seriesName
            awardingBody = r.awardingBody
            subjectName = r.subjectName
        }

        init(row: any SQLRow) throws {
            qualificationNumber = try row.decode(column: "qualification_number", as: String?.self)
            subject = try row.decode(column: "subject", as: String?.self)
            grade = try row.decode(column: "grade", as: String.self)
            candidateNumber = try row.decode(column: "candidate_number", as: String?.self)
            series = try row.decode(column: "series", as: String?.self)
            awardingBody = try row.decode(column: "awarding_body", as: String?.self)
            subjectName = try row.decode(column: "subject_name", as: String?.self)
        }

        /// Column name, stored value, incoming value — the fields a file may change.
        func pairs(_ incoming: Fields) -> [(column: String, old: String?, new: String?)] {
            [("grade", grade, incoming.grade), ("qualification_number", qualificationNumber, incoming.qualificationNumber),
             ("subject", subject, incoming.subject), ("candidate_number", candidateNumber, incoming.candidateNumber),
             ("series", series, incoming.series), ("awarding_body", awardingBody, incoming.awardingBody),
             ("subject_name", subjectName, incoming.subjectName)]
        }
    }

    struct Key: Hashable {
        var pupil: String
        var result: String
        var series: String
    }

    mutating func run(_ results: [ExamResult]) async throws {
        guard try await db.select().column("id").from("schools").where("id", .equal, school).first() != nil else {
            throw StoreError.notFound("School \(school)")
        }
        let pupils = Set(try await db.select().column("id").from("pupils").where("school_id", .equal, school).all()
            .map { try $0.decode(column: "id", as: String.self) })
        var seen = Set<Key>()
        for r in results {
            guard pupils.contains(r.pupil.rawValue) else {
                throw StoreError(code: "unknown-pupil", message: "Pupil \(r.pupil) is not a pupil of school \(school): import the pupil first")
            }
            guard seen.insert(Key(pupil: r.pupil.rawValue, result: r.resultKey, series: r.series.description)).inserted else {
                throw StoreError(code: "duplicate", message: "Pupil \(r.pupil) has \(r.resultKey) in the \(r.series) series twice: keep one")
            }
        }

        var stored: [Key: Fields] = [:]
        for row in try await db.select()
            .columns("pupil_id", "result_key", "series_date", "qualification_number", "subject", "grade", "candidate_number", "series",
                     "awarding_body", "subject_name")
            .from("exam_results").where("school_id", .equal, school).all() {
            let key = Key(pupil: try row.decode(column: "pupil_id", as: String.self), result: try row.decode(column: "result_key", as: String.self),
                          series: try row.decode(column: "series_date", as: String.self))
            stored[key] = try Fields(row: row)
        }

        var newRows: [[Cell]] = []
        var created: [String: [String]] = [:]
        var createdOrder: [String] = []
        for r in results {
            let key = Key(pupil: r.pupil.rawValue, result: r.resultKey, series: r.series.description)
            let incoming = Fields(r)
            guard let old = stored[key] else {
                summary.results.new += 1
                newRows.append([.text(school), .text(key.pupil), .text(key.result), .text(key.series), Cell(incoming.qualificationNumber),
                                Cell(incoming.subject), .text(incoming.grade), Cell(incoming.candidateNumber), Cell(incoming.series),
                                Cell(incoming.awardingBody), Cell(incoming.subjectName), .text(at), .text(context.source)])
                if created[key.pupil] == nil { createdOrder.append(key.pupil) }
                created[key.pupil, default: []].append("\(key.series) \(key.result) \(incoming.grade)")
                continue
            }
            var changed = false
            for (column, before, after) in old.pairs(incoming) {
                guard let after, after != before else { continue }  // a value absent from the file never erases
                changed = true
                try await db.update("exam_results").set(SQLIdentifier(column), to: SQLBind(after))
                    .set("entered_at", to: SQLBind(at)).set("source", to: SQLBind(context.source))
                    .where("school_id", .equal, school).where("pupil_id", .equal, key.pupil)
                    .where("result_key", .equal, key.result).where("series_date", .equal, key.series).run()
                let recordKey = "\(key.pupil)/\(key.result)/\(key.series).\(column)"
                audit.append([.text(school), .text(at), .text(context.actor), .text("update"), .text("exam_results"), .text(recordKey),
                              .text(key.pupil), Cell(before), .text(after), Cell(context.reason), .text(context.source)])
                summary.changes.append("exam_results \(recordKey): \(before ?? "blank") → \(after)")
            }
            if changed { summary.results.changed += 1 } else { summary.results.unchanged += 1 }
        }
        try await store.insert(
            into: "exam_results",
            columns: ["school_id", "pupil_id", "result_key", "series_date", "qualification_number", "subject", "grade", "candidate_number",
                      "series", "awarding_body", "subject_name", "entered_at", "source"],
            rows: newRows, on: db)
        for pupil in createdOrder {
            audit.append([.text(school), .text(at), .text(context.actor), .text("create"), .text("exam_results"), .text(pupil),
                          .text(pupil), .null, .text((created[pupil] ?? []).joined(separator: "; ")), Cell(context.reason), .text(context.source)])
        }
        summary.auditRows = audit.count
        try await store.insert(
            into: "audit_log",
            columns: ["school_id", "at", "actor", "action", "table_name", "record_key", "pupil_id", "old_value", "new_value", "reason", "source"],
            rows: audit, on: db)
    }
}
