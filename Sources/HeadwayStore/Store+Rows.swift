import HeadwayCore
import SQLKit
import SQLiteKit

/// One row of a query, its values read by the position of their column in the query's
/// `columns(…)` (0 first).
///
/// Loading a school reads tens of thousands of rows. Through SQLKit each row took an event-loop
/// hop and each cell a lookup by name and a `Decodable` decoder; reading SQLite's values by
/// position takes neither (issue 13, item 5). On PostgreSQL the values still come through
/// SQLKit, by name, exactly as before. The conversions are SQLKit's own: text is text (an
/// integer stored in a text column reads as its digits), an integer must be stored as one, and
/// NULL is only accepted where the value is optional.
struct StoredRow {
    private enum Source {
        case sqlite([SQLiteColumn])
        case sql(any SQLRow, names: [String])
    }
    private let source: Source

    fileprivate init(sqlite columns: [SQLiteColumn]) { source = .sqlite(columns) }
    fileprivate init(_ row: any SQLRow, names: [String]) { source = .sql(row, names: names) }

    /// The text at `index`; NULL is an error.
    func text(_ index: Int) throws -> String {
        switch source {
        case .sqlite(let columns):
            guard let text = columns[index].data.string else { throw StoredRow.mismatch(columns[index], "text") }
            return text
        case .sql(let row, let names):
            return try row.decode(column: names[index], as: String.self)
        }
    }

    /// The text at `index`, nil for NULL.
    func optionalText(_ index: Int) throws -> String? {
        switch source {
        case .sqlite(let columns):
            let data = columns[index].data
            if data == .null { return nil }
            guard let text = data.string else { throw StoredRow.mismatch(columns[index], "text") }
            return text
        case .sql(let row, let names):
            return try row.decode(column: names[index], as: String?.self)
        }
    }

    /// The integer at `index`; NULL or text is an error.
    func int(_ index: Int) throws -> Int {
        switch source {
        case .sqlite(let columns):
            guard case .integer(let value) = columns[index].data else { throw StoredRow.mismatch(columns[index], "an integer") }
            return value
        case .sql(let row, let names):
            return try row.decode(column: names[index], as: Int.self)
        }
    }

    /// The integer at `index`, nil for NULL.
    func optionalInt(_ index: Int) throws -> Int? {
        switch source {
        case .sqlite(let columns):
            let data = columns[index].data
            if data == .null { return nil }
            guard case .integer(let value) = data else { throw StoredRow.mismatch(columns[index], "an integer") }
            return value
        case .sql(let row, let names):
            return try row.decode(column: names[index], as: Int?.self)
        }
    }

    private static func mismatch(_ column: SQLiteColumn, _ expected: String) -> StoreError {
        StoreError(code: "engine", message: "column \(column.name) holds \(column.data), expected \(expected)")
    }
}

/// Rows gathered by the SQLite driver's callback, which runs on its thread while the query is
/// awaited (never concurrently with the reader).
private final class GatheredRows: @unchecked Sendable {
    var rows: [SQLiteRow] = []
}

extension Store {
    /// Runs a SELECT and reads each row with `read`, in the order the query gives them.
    /// - Parameters:
    ///   - query: the query; its columns, in order, are the positions ``StoredRow`` reads.
    ///   - names: the result names of those columns in the same order (used on PostgreSQL, where
    ///     values are read by name).
    /// - Throws: ``StoreError`` `engine` when a bound value is neither text nor an integer or a
    ///   value has the wrong kind; the engine's error when the query fails.
    func rows<T>(_ query: SQLSelectBuilder, names: [String], _ read: (StoredRow) throws -> T) async throws -> [T] {
        guard let sqlite else {
            return try await query.all().map { try read(StoredRow($0, names: names)) }
        }
        let (sql, binds) = db.serialize(query.query)
        let values: [SQLiteData] = try binds.map { bind in
            switch bind {
            case let text as String: .text(text)
            case let number as Int: .integer(number)
            default: throw StoreError(code: "engine", message: "cannot bind \(bind) in a query: only text and integers are stored")
            }
        }
        let gathered = GatheredRows()
        try await sqlite.query(sql, values) { gathered.rows.append($0) }
        var result: [T] = []
        result.reserveCapacity(gathered.rows.count)
        for row in gathered.rows { result.append(try read(StoredRow(sqlite: row.columns))) }
        return result
    }

    /// Like ``rows(_:names:_:)`` for a query whose columns are plain names.
    func rows<T>(_ columns: [String], of query: SQLSelectBuilder, _ read: (StoredRow) throws -> T) async throws -> [T] {
        try await rows(query.columns(columns), names: columns, read)
    }
}
