import HeadwayCore
import SQLKit

extension Store {
    /// Every change to a pupil characteristic in one school's academic year, oldest first, read
    /// from the audit log's `update` rows on `pupil_characteristics` (whose record key is
    /// `PUPIL.STARTYEAR.NAME`, written by ``save(_:context:dryRun:)``). First values set by an
    /// import are creations, not changes, and are left out. The integrity report lists them
    /// (issue 5, item 5: "a characteristic that changed").
    public func characteristicChanges(school: School.ID, year: AcademicYear) async throws -> [CharacteristicChange] {
        let rows = try await db.select()
            .columns("at", "actor", "record_key", "pupil_id", "old_value", "new_value", "source")
            .from("audit_log")
            .where("school_id", .equal, school.rawValue)
            .where("table_name", .equal, "pupil_characteristics")
            .where("action", .equal, "update")
            .orderBy("id")
            .all()
        var changes: [CharacteristicChange] = []
        for row in rows {
            guard let pupil = try row.decode(column: "pupil_id", as: String?.self) else { continue }
            // The pupil id may itself contain dots (`UCI-…@student-mat.csv:12`), so the key is
            // split by the known prefix rather than at the first dot.
            let key = try row.decode(column: "record_key", as: String.self)
            let prefix = "\(pupil).\(year.startYear)."
            guard key.hasPrefix(prefix), key.count > prefix.count else { continue }
            changes.append(CharacteristicChange(
                pupil: Pupil.ID(pupil), name: String(key.dropFirst(prefix.count)),
                old: try row.decode(column: "old_value", as: String?.self), new: try row.decode(column: "new_value", as: String?.self),
                at: try row.decode(column: "at", as: String.self), by: try row.decode(column: "actor", as: String.self),
                source: try row.decode(column: "source", as: String?.self)))
        }
        return changes
    }

    /// The UPN text exactly as stored for each pupil on roll in the year who has one. ``load(school:year:)``
    /// keeps only UPNs that pass ``UPN/validate(_:)``, so an invalid one stored by an older
    /// version or by hand would otherwise vanish silently; the integrity report checks these.
    public func storedUPNs(school: School.ID, year: AcademicYear) async throws -> [Pupil.ID: String] {
        let rows = try await db.select()
            .columns(SQLColumn("id", table: "p"), SQLColumn("upn", table: "p"))
            .from(SQLAlias(SQLIdentifier("pupils"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("pupil_years"), as: SQLIdentifier("y")), method: SQLJoinMethod.inner,
                  on: SQLBinaryExpression(
                      SQLBinaryExpression(SQLColumn("school_id", table: "y"), .equal, SQLColumn("school_id", table: "p")), .and,
                      SQLBinaryExpression(SQLColumn("pupil_id", table: "y"), .equal, SQLColumn("id", table: "p"))))
            .where(SQLColumn("school_id", table: "p"), .equal, SQLBind(school.rawValue))
            .where(SQLColumn("academic_year", table: "y"), .equal, SQLBind(year.startYear))
            .all()
        var upns: [Pupil.ID: String] = [:]
        for row in rows {
            if let upn = try row.decode(column: "upn", as: String?.self) {
                upns[Pupil.ID(try row.decode(column: "id", as: String.self))] = upn
            }
        }
        return upns
    }
}
