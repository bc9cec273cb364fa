import Foundation
import HeadwayCore
import SQLKit

/// What saving published KS4 rows did (or, for a dry run, would do).
public struct PublishedKS4SaveSummary: Hashable, Sendable {
    /// Rows (schools, local authorities, England): new, changed (any field or value), unchanged.
    public var rows = SaveSummary.Counts()
    /// Single published values (one measure of one row).
    public var values = SaveSummary.Counts()
    /// Audit rows written.
    public var auditRows = 0
    /// One line per changed (not new) value: `2019 URN 100003 ATT8SCR: 44.5 → SUPP`.
    public var changes: [String] = []

    /// An empty summary.
    public init() {}
}

extension Store {
    /// The `school_id` of audit rows about published measures, which belong to no school: read
    /// them with `auditLog(school: School.ID(Store.publishedAuditScope))`.
    public static let publishedAuditScope = "dfe-published"

    /// Saves rows of a DfE KS4 performance table (``PublishedKS4Row``) in one transaction: creates
    /// what is new, updates what changed, leaves the rest, and writes audit rows (one per created
    /// row, listing its values; one per changed field or value, with old and new text).
    ///
    /// Absent never erases: a measure the rows do not have, an identifier or name they leave out,
    /// and a blank (`notPublished`) cell over a stored value all keep what is stored. A DfE code
    /// replacing a number (say `SUPP` in a revised release) is a change, and is audited.
    ///
    /// - Parameters:
    ///   - rows: rows with distinct keys per KS4 year (``KS4PerformanceTableFile`` rejects duplicates).
    ///   - context: who, from which file, when — written to every audit row; `source` also to each row.
    ///   - dryRun: compute everything, then roll back; the summary says what would change.
    @discardableResult
    public func savePublishedKS4(_ rows: [PublishedKS4Row], context: ChangeContext, dryRun: Bool = false) async throws -> PublishedKS4SaveSummary {
        try await transaction(rollback: dryRun) { db in
            var writer = PublishedKS4Writer(store: self, db: db, context: context)
            for year in Set(rows.map(\.ks4Year)).sorted() {
                try await writer.save(rows.filter { $0.ks4Year == year }, year: year)
            }
            try await writer.finish()
            return writer.summary
        }
    }

    /// The KS4 years with published measures stored, oldest first.
    public func publishedKS4Years() async throws -> [Int] {
        try await db.select().distinct().column("ks4_year").from("published_ks4_rows").orderBy("ks4_year").all()
            .map { try $0.decode(column: "ks4_year", as: Int.self) }
    }

    /// England's published row: state-funded schools (RECTYPE 7, the national figure schools are
    /// compared with), or all schools including independent ones (RECTYPE 5) when `allSchools`.
    /// - Parameter year: the KS4 year; nil for the latest stored.
    /// - Returns: nil when none is stored.
    public func publishedKS4England(year: Int? = nil, allSchools: Bool = false) async throws -> PublishedKS4Row? {
        let type: PublishedKS4Row.RecordType = allSchools ? .englandAllSchools : .englandStateFunded
        return try await publishedKS4Row(PublishedKS4Row.Key(scope: "england", id: String(type.rawValue)), year: year)
    }

    /// One local authority's published row, by its three-digit DfE number (`202`, as text).
    /// - Parameter year: the KS4 year; nil for the latest stored for that authority.
    public func publishedKS4LocalAuthority(_ lea: String, year: Int? = nil) async throws -> PublishedKS4Row? {
        try await publishedKS4Row(PublishedKS4Row.Key(scope: "la", id: lea), year: year)
    }

    /// One school's published row, by URN (text).
    /// - Parameter year: the KS4 year; nil for the latest stored for that school.
    public func publishedKS4School(urn: String, year: Int? = nil) async throws -> PublishedKS4Row? {
        try await publishedKS4Row(PublishedKS4Row.Key(scope: "school", id: urn), year: year)
    }

    /// The stored row with `key` in `year` (the latest year when nil), with its values.
    func publishedKS4Row(_ key: PublishedKS4Row.Key, year: Int?) async throws -> PublishedKS4Row? {
        let query = db.select().columns("ks4_year", "record_type", "lea", "estab", "urn", "name", "attributes").from("published_ks4_rows")
            .where("scope", .equal, key.scope).where("scope_id", .equal, key.id)
        if let year { query.where("ks4_year", .equal, year) }
        guard let row = try await query.orderBy("ks4_year", .descending).limit(1).first() else { return nil }
        let ks4Year = try row.decode(column: "ks4_year", as: Int.self)
        let typeCode = try row.decode(column: "record_type", as: Int.self)
        guard let recordType = PublishedKS4Row.RecordType(rawValue: typeCode) else {
            throw StoreError(code: "corrupt", message: "published_ks4_rows \(ks4Year) \(key) has record type \(typeCode), which this build of Headway does not know")
        }
        var measures: [String: PublishedValue] = [:]
        for value in try await db.select().columns("measure", "kind", "published").from("published_ks4_values")
            .where("ks4_year", .equal, ks4Year).where("scope", .equal, key.scope).where("scope_id", .equal, key.id).all() {
            let measure = try value.decode(column: "measure", as: String.self)
            let kindText = try value.decode(column: "kind", as: String.self)
            let published = try value.decode(column: "published", as: String.self)
            guard let kind = PublishedValue.Kind(rawValue: kindText), let parsed = PublishedValue(kind: kind, published: published) else {
                throw StoreError(code: "corrupt", message: "published_ks4_values \(ks4Year) \(key) \(measure) holds kind \(kindText) with text \"\(published)\", which do not agree")
            }
            measures[measure] = parsed
        }
        return PublishedKS4Row(recordType: recordType, lea: try row.decode(column: "lea", as: String?.self),
                               estab: try row.decode(column: "estab", as: String?.self), urn: try row.decode(column: "urn", as: String?.self),
                               name: try row.decode(column: "name", as: String?.self), ks4Year: ks4Year,
                               attributes: try PublishedKS4Writer.attributes(try row.decode(column: "attributes", as: String?.self)),
                               measures: measures)
    }
}

/// The steps of one save of published rows, sharing the transaction's connection.
struct PublishedKS4Writer {
    let store: Store
    let db: any SQLDatabase
    let context: ChangeContext
    let at: String
    var summary = PublishedKS4SaveSummary()
    var audit: [[Cell]] = []

    static let valueColumns = ["ks4_year", "scope", "scope_id", "measure", "kind", "published", "value_e4"]
    static let auditColumns = ["school_id", "at", "actor", "action", "table_name", "record_key", "pupil_id", "old_value", "new_value", "reason", "source"]

    init(store: Store, db: any SQLDatabase, context: ChangeContext) {
        self.store = store
        self.db = db
        self.context = context
        self.at = Store.timestamp(context.at)
    }

    /// The stored form of one row's identity and text columns.
    struct StoredRow: Equatable {
        var recordType: Int
        var lea: String?
        var estab: String?
        var urn: String?
        var name: String?
        var attributes: String?
    }

    /// Attributes as JSON text with sorted keys; nil when there are none.
    static func attributesText(_ attributes: [String: String]) throws -> String? {
        guard !attributes.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(attributes), as: UTF8.self)
    }

    static func attributes(_ text: String?) throws -> [String: String] {
        guard let text else { return [:] }
        return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    static func valueCells(_ year: Int, _ key: PublishedKS4Row.Key, _ measure: String, _ value: PublishedValue) -> [Cell] {
        [.int(year), .text(key.scope), .text(key.id), .text(measure), .text(value.kind.rawValue), .text(value.published),
         Cell(value.numeric?.tenThousandths)]
    }

    mutating func save(_ rows: [PublishedKS4Row], year: Int) async throws {
        var storedRows: [PublishedKS4Row.Key: StoredRow] = [:]
        for row in try await db.select().columns("scope", "scope_id", "record_type", "lea", "estab", "urn", "name", "attributes")
            .from("published_ks4_rows").where("ks4_year", .equal, year).all() {
            let key = PublishedKS4Row.Key(scope: try row.decode(column: "scope", as: String.self), id: try row.decode(column: "scope_id", as: String.self))
            storedRows[key] = StoredRow(recordType: try row.decode(column: "record_type", as: Int.self), lea: try row.decode(column: "lea", as: String?.self),
                                        estab: try row.decode(column: "estab", as: String?.self), urn: try row.decode(column: "urn", as: String?.self),
                                        name: try row.decode(column: "name", as: String?.self),
                                        attributes: try row.decode(column: "attributes", as: String?.self))
        }
        var storedValues: [PublishedKS4Row.Key: [String: (kind: String, published: String)]] = [:]
        for row in try await db.select().columns("scope", "scope_id", "measure", "kind", "published")
            .from("published_ks4_values").where("ks4_year", .equal, year).all() {
            let key = PublishedKS4Row.Key(scope: try row.decode(column: "scope", as: String.self), id: try row.decode(column: "scope_id", as: String.self))
            storedValues[key, default: [:]][try row.decode(column: "measure", as: String.self)] =
                (try row.decode(column: "kind", as: String.self), try row.decode(column: "published", as: String.self))
        }

        var newRows: [[Cell]] = []
        var newValues: [[Cell]] = []
        for row in rows {
            guard let key = row.key else { continue }
            let recordKey = "KS4 \(year) \(key)"
            let incoming = StoredRow(recordType: row.recordType.rawValue, lea: row.lea, estab: row.estab, urn: row.urn, name: row.name,
                                     attributes: try Self.attributesText(row.attributes))
            let measures = row.measures.sorted { $0.key < $1.key }
            guard let old = storedRows[key] else {
                summary.rows.new += 1
                summary.values.new += measures.count
                newRows.append([.int(year), .text(key.scope), .text(key.id), .int(incoming.recordType), Cell(incoming.lea), Cell(incoming.estab),
                                Cell(incoming.urn), Cell(incoming.name), Cell(incoming.attributes), .text(context.source), .text(at)])
                newValues += measures.map { Self.valueCells(year, key, $0.key, $0.value) }
                try await flush(&newRows, &newValues, atLeast: Self.batch)
                let identity = [row.recordType.description, row.lea.map { "LEA \($0)" }, row.estab.map { "ESTAB \($0)" },
                                row.urn.map { "URN \($0)" }, row.name].compactMap { $0 }.joined(separator: " ")
                record("create", "published_ks4_rows", recordKey, old: nil,
                       new: ([identity] + measures.map { "\($0.key)=\($0.value.published)" }).joined(separator: "; "))
                continue
            }

            var changed = false
            // Identity and text: a value absent from the file keeps the stored one.
            let merged = StoredRow(recordType: incoming.recordType, lea: incoming.lea ?? old.lea, estab: incoming.estab ?? old.estab,
                                   urn: incoming.urn ?? old.urn, name: incoming.name ?? old.name,
                                   attributes: try Self.attributesText(try Self.attributes(old.attributes).merging(row.attributes) { $1 }))
            let fields: [(String, String?, String?)] = [
                ("record_type", String(old.recordType), String(merged.recordType)), ("lea", old.lea, merged.lea), ("estab", old.estab, merged.estab),
                ("urn", old.urn, merged.urn), ("name", old.name, merged.name), ("attributes", old.attributes, merged.attributes),
            ]
            for (field, before, after) in fields where before != after {
                changed = true
                let value: any SQLExpression = field == "record_type" ? SQLBind(merged.recordType) : bind(after)
                try await db.update("published_ks4_rows").set(SQLIdentifier(field), to: value)
                    .where("ks4_year", .equal, year).where("scope", .equal, key.scope).where("scope_id", .equal, key.id).run()
                record("update", "published_ks4_rows", "\(recordKey).\(field)", old: before, new: after)
                summary.changes.append("\(recordKey) \(field): \(before ?? "blank") → \(after ?? "blank")")
            }

            let oldValues = storedValues[key] ?? [:]
            var created: [String] = []
            for (measure, value) in measures {
                guard let before = oldValues[measure] else {
                    summary.values.new += 1
                    newValues.append(Self.valueCells(year, key, measure, value))
                    created.append("\(measure)=\(value.published)")
                    continue
                }
                // A blank cell is absent: it never erases what is stored.
                if value.kind == .notPublished || (before.kind == value.kind.rawValue && before.published == value.published) {
                    summary.values.unchanged += 1
                    continue
                }
                summary.values.changed += 1
                changed = true
                try await db.update("published_ks4_values").set("kind", to: SQLBind(value.kind.rawValue))
                    .set("published", to: SQLBind(value.published)).set("value_e4", to: bind(value.numeric?.tenThousandths))
                    .where("ks4_year", .equal, year).where("scope", .equal, key.scope).where("scope_id", .equal, key.id)
                    .where("measure", .equal, measure).run()
                record("update", "published_ks4_values", "\(recordKey).\(measure)", old: before.published, new: value.published)
                summary.changes.append("\(recordKey) \(measure): \(before.published.isEmpty ? "blank" : before.published) → \(value.published)")
            }
            if !created.isEmpty { record("create", "published_ks4_values", recordKey, old: nil, new: created.joined(separator: "; ")) }
            try await flush(&newRows, &newValues, atLeast: Self.batch)
            if changed || !created.isEmpty {
                summary.rows.changed += 1
                try await db.update("published_ks4_rows").set("source", to: SQLBind(context.source)).set("imported_at", to: SQLBind(at))
                    .where("ks4_year", .equal, year).where("scope", .equal, key.scope).where("scope_id", .equal, key.id).run()
            } else {
                summary.rows.unchanged += 1
            }
        }
        try await flush(&newRows, &newValues, atLeast: 0)
    }

    /// Values held before they are written: a national table has millions, and holding them all
    /// as cells took gigabytes (issue 13, item 2).
    static let batch = 20_000

    /// Inserts the new rows, then their values, once `atLeast` values are waiting (0: always),
    /// and the audit rows noted so far; empties what it wrote.
    private mutating func flush(_ rows: inout [[Cell]], _ values: inout [[Cell]], atLeast: Int) async throws {
        guard values.count >= atLeast || atLeast == 0 else { return }
        try await store.insert(into: "published_ks4_rows",
                               columns: ["ks4_year", "scope", "scope_id", "record_type", "lea", "estab", "urn", "name", "attributes", "source", "imported_at"],
                               rows: rows, on: db)
        try await store.insert(into: "published_ks4_values", columns: Self.valueColumns, rows: values, on: db)
        rows.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        try await writeAudit()
    }

    /// Writes the audit rows noted so far.
    private mutating func writeAudit() async throws {
        summary.auditRows += audit.count
        try await store.insert(into: "audit_log", columns: Self.auditColumns, rows: audit, on: db)
        audit.removeAll(keepingCapacity: true)
    }

    /// Notes one audit row.
    mutating func record(_ action: String, _ table: String, _ key: String, old: String?, new: String?) {
        audit.append([.text(Store.publishedAuditScope), .text(at), .text(context.actor), .text(action), .text(table), .text(key), .null,
                      Cell(old), Cell(new), Cell(context.reason), .text(context.source)])
    }

    /// Writes the audit rows noted and not yet written.
    mutating func finish() async throws {
        try await writeAudit()
    }
}
