import Foundation
import HeadwayCore
import Logging
import PostgresKit
import SQLKit
import SQLiteKit

/// Headway's persistence: one database connection (SQLite file or PostgreSQL) with the schema
/// of ``allMigrations``, read and written through SQLKit so one set of queries serves both
/// engines.
///
/// A `Store` is one connection: use it from one task at a time (the CLI does). Every write runs
/// in a transaction together with its audit rows, so a failure leaves nothing half-written.
public final class Store: Sendable {
    let db: any SQLDatabase
    /// The SQLite connection under ``db``, for the bulk-insert fast path; nil on PostgreSQL.
    let sqlite: SQLiteConnection?
    public let location: DatabaseLocation
    private let closeConnection: @Sendable () async throws -> Void

    /// Largest number of bound values in one statement: SQLite's limit is 32,766, PostgreSQL's 65,535.
    let maxBindsPerStatement = 32_000

    private init(db: any SQLDatabase, sqlite: SQLiteConnection? = nil, location: DatabaseLocation,
                 close: @escaping @Sendable () async throws -> Void) {
        self.db = db
        self.sqlite = sqlite
        self.location = location
        self.closeConnection = close
    }

    /// Opens (creating a SQLite file if needed) and configures the connection. Does not migrate.
    ///
    /// SQLite runs with WAL journalling, `synchronous = NORMAL` and foreign keys on. A SQLite file
    /// Headway creates is readable and writable by its owner only (mode 0600), and so are its
    /// `-wal`, `-shm` and `-journal` files: it holds pupils' personal data (issue 12, item 14).
    /// An existing file keeps the mode it has.
    /// - Throws: ``StoreError`` with code `engine` when the database cannot be reached.
    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "headway.store")) async throws -> Store {
        do {
            switch location {
            case .sqlite(let path):
                let created = createPrivateSQLiteFile(path)
                let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                let db = connection.sql(queryLogLevel: nil)
                do {
                    for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] {
                        try await db.raw(SQLQueryString(pragma)).run()
                    }
                    // SQLite gives its side files the main file's mode; set it too, in case one was
                    // left behind by an earlier run.
                    if created {
                        for suffix in ["-wal", "-shm", "-journal"] { makeFilePrivate(path + suffix) }
                    }
                } catch {
                    try? await connection.close()
                    throw StoreError(code: "not-a-database", message: "\(path) is not a SQLite database: give the path of a Headway database, or a new file name")
                }
                return Store(db: db, sqlite: connection, location: location) { try await connection.close() }
            case .postgres(let url):
                let configuration = try SQLPostgresConfiguration(url: url)
                let connection = try await PostgresConnection.connect(
                    configuration: configuration.coreConfiguration, id: 1, logger: logger)
                return Store(db: connection.sql(queryLogLevel: nil), location: location) { try await connection.close() }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: "engine", message: "cannot open the database at \(location): \(String(reflecting: error))")
        }
    }

    /// Closes the connection. Call once, last.
    public func close() async throws { try await closeConnection() }

    /// The engine's name as SQLKit reports it: `sqlite` or `postgresql`.
    public var engine: String { db.dialect.name }

    /// Applies every migration not yet applied, each in its own transaction, in number order.
    /// - Returns: the numbers applied by this call (empty when the schema was current).
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await db.create(table: "schema_migrations")
            .ifNotExists()
            .column("number", type: .bigint, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("applied_at", type: .text, .notNull)
            .run()
        let done = Set(try await db.select().column("number").from("schema_migrations").all()
            .map { try $0.decode(column: "number", as: Int.self) })
        var applied: [Int] = []
        for migration in allMigrations where !done.contains(migration.number) {
            try await transaction { db in
                try await migration.apply(on: db)
                try await db.insert(into: "schema_migrations")
                    .columns("number", "name", "applied_at")
                    .values(SQLBind(migration.number), SQLBind(migration.name), SQLBind(Store.timestamp(Date())))
                    .run()
            }
            applied.append(migration.number)
        }
        return applied
    }

    /// Numbers of the migrations applied so far, ascending.
    public func appliedMigrations() async throws -> [Int] {
        try await db.select().column("number").from("schema_migrations").orderBy("number").all()
            .map { try $0.decode(column: "number", as: Int.self) }
    }

    /// Runs `body` inside BEGIN … COMMIT, rolling back if it throws or if `rollback` is true
    /// (a dry run: the same code path as a commit, with nothing kept).
    func transaction<T: Sendable>(rollback: Bool = false, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await db.raw("BEGIN").run()
        do {
            let result = try await body(db)
            try await db.raw(rollback ? "ROLLBACK" : "COMMIT").run()
            return result
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Inserts rows in as few statements as the engine's bind limit allows.
    ///
    /// The statement is the same plain multi-row `INSERT … VALUES (…), (…)` on both engines. On
    /// SQLite it goes straight to the driver with its values already converted, because SQLKit's
    /// per-value encoding made a 100,000-entry import take over a second (measured, issue 2).
    func insert(into table: String, columns: [String], rows: [[Cell]], on db: any SQLDatabase) async throws {
        try await insert(into: table, columns: columns, cells: rows.flatMap { $0 }, on: db)
    }

    /// ``insert(into:columns:rows:on:)`` of rows laid end to end: `cells.count` is a multiple of
    /// `columns.count` (a large save builds one array, not one per row).
    func insert(into table: String, columns: [String], cells: [Cell], on db: any SQLDatabase) async throws {
        let width = columns.count
        precondition(width > 0 && cells.count % width == 0, "\(cells.count) cells do not make rows of \(width)")
        for chunk in statementChunks(cells.count / width, columns: width) {
            let slice = cells[(chunk.lowerBound * width)..<(chunk.upperBound * width)]
            if let sqlite {
                let placeholders = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
                let sql = "INSERT INTO \"\(table)\" (\(columns.map { "\"\($0)\"" }.joined(separator: ","))) VALUES "
                    + Array(repeating: placeholders, count: chunk.count).joined(separator: ",")
                let binds: [SQLiteData] = slice.map { cell in
                    switch cell {
                    case .text(let t): .text(t)
                    case .int(let i): .integer(i)
                    case .null: .null
                    }
                }
                try await sqlite.query(sql, binds) { _ in }
            } else {
                let builder = db.insert(into: table).columns(columns)
                for start in stride(from: slice.startIndex, to: slice.endIndex, by: width) {
                    builder.values(slice[start..<(start + width)].map(\.expression))
                }
                try await builder.run()
            }
        }
    }

    /// Row ranges small enough for one statement each under ``maxBindsPerStatement``.
    func statementChunks(_ rowCount: Int, columns: Int) -> [Range<Int>] {
        let perStatement = max(1, maxBindsPerStatement / max(1, columns))
        return stride(from: 0, to: rowCount, by: perStatement).map { $0..<min($0 + perStatement, rowCount) }
    }

    /// ISO 8601 UTC with seconds, the stored form of an instant.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// One value of a row to insert: text, an integer or NULL — the only stored kinds (grades are
/// text codes, dates ISO text, counts integers).
enum Cell: Sendable {
    case text(String)
    case int(Int)
    case null

    init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    init(_ value: Int?) { self = value.map { .int($0) } ?? .null }

    var expression: any SQLExpression {
        switch self {
        case .text(let t): SQLBind(t)
        case .int(let i): SQLBind(i)
        case .null: SQLLiteral.null
        }
    }
}

/// A bound value or SQL NULL.
func bind(_ value: String?) -> any SQLExpression {
    value.map { SQLBind($0) } ?? SQLLiteral.null
}

func bind(_ value: Int?) -> any SQLExpression {
    value.map { SQLBind($0) } ?? SQLLiteral.null
}

extension Store {
    /// How many migrations this build of Headway knows.
    public static var migrationCount: Int { allMigrations.count }
}

/// Creates an empty file at `path` with mode 0600 when there is none, before SQLite opens it
/// (SQLite would create it 0644 under the usual umask; issue 12, item 14). Returns true when it
/// created it; false when the file exists or cannot be created here (SQLite then reports why).
/// Free functions: inside `Store`, `open` and `close` name its own methods.
func createPrivateSQLiteFile(_ path: String) -> Bool {
    guard !path.isEmpty, path != ":memory:", !FileManager.default.fileExists(atPath: path) else { return false }
    let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
    guard fd >= 0 else { return false }
    close(fd)
    return true
}

/// Sets an existing file to mode 0600 (owner read and write only); nothing when it is absent.
func makeFilePrivate(_ path: String) {
    guard FileManager.default.fileExists(atPath: path) else { return }
    _ = chmod(path, 0o600)
}
