import SQLKit

/// The audit log: one row per created or changed assessment, target, pupil or characteristic
/// record — who, when, old and new value, why, and where from (file and line, or a user).
/// Written in the same transaction as the change; nothing updates or deletes its rows.
struct CreateAuditLog: Migration {
    let number = 5
    let name = "Create audit log"

    func apply(on db: any SQLDatabase) async throws {
        try await db.create(table: "audit_log")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("school_id", type: .text, .notNull)
            .column("at", type: .text, .notNull)
            .column("actor", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            .column("table_name", type: .text, .notNull)
            .column("record_key", type: .text, .notNull)
            .column("pupil_id", type: .text)
            .column("old_value", type: .text)
            .column("new_value", type: .text)
            .column("reason", type: .text)
            .column("source", type: .text, .notNull)
            .run()
        try await db.create(index: "audit_log_by_pupil")
            .on("audit_log")
            .column("school_id")
            .column("pupil_id")
            .run()
    }
}
