import Foundation
import HeadwayStore
import Logging
import PostgresKit

/// The database engines the store suite runs on: a fresh SQLite file per test, and a fresh
/// PostgreSQL database per test on the server named by `HEADWAY_TEST_POSTGRES_URL`.
///
/// PostgreSQL is included when that URL is set, or when `CI=true` — where a missing URL must
/// fail the run (the test reports why) rather than silently skip (ARCHITECTURE.md).
public enum TestDatabase: String, CustomStringConvertible, Sendable, CaseIterable {
    case sqlite
    case postgres

    public var description: String { rawValue }

    static let environment = ProcessInfo.processInfo.environment
    static var postgresURL: String? { environment["HEADWAY_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }

    /// The engines to test here.
    public static var available: [TestDatabase] {
        postgresURL != nil || environment["CI"] == "true" ? [.sqlite, .postgres] : [.sqlite]
    }

    /// A failure to set up an engine for a test.
    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `body` with a migrated store on a brand-new database, removed afterwards.
    public func withStore<T>(_ body: (Store) async throws -> T) async throws -> T {
        let (location, cleanUp) = try await makeDatabase()
        let store = try await Store.open(location)
        do {
            try await store.migrate()
            let result = try await body(store)
            try await store.close()
            try await cleanUp()
            return result
        } catch {
            try? await store.close()
            try? await cleanUp()
            throw error
        }
    }

    /// A new, empty database and the closure that removes it.
    public func makeDatabase() async throws -> (DatabaseLocation, @Sendable () async throws -> Void) {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("test.sqlite").path
            return (.sqlite(path: path), { try? FileManager.default.removeItem(at: folder) })
        case .postgres:
            guard let url = TestDatabase.postgresURL else {
                throw SetupError(description: "CI=true but HEADWAY_TEST_POSTGRES_URL is not set: the PostgreSQL store suite cannot run. .ci/run starts PostgreSQL and sets it.")
            }
            let name = "headway_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try await TestDatabase.admin(url, "CREATE DATABASE \(name)")
            guard var parts = URLComponents(string: url) else { throw SetupError(description: "bad HEADWAY_TEST_POSTGRES_URL") }
            parts.path = "/\(name)"
            return (.postgres(url: parts.string!), { try await TestDatabase.admin(url, "DROP DATABASE IF EXISTS \(name)") })
        }
    }

    /// Runs one statement on the server's maintenance database (outside any transaction).
    static func admin(_ url: String, _ sql: String) async throws {
        let configuration = try SQLPostgresConfiguration(url: url)
        let connection = try await PostgresConnection.connect(configuration: configuration.coreConfiguration, id: 0,
                                                              logger: Logger(label: "headway.test"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "headway.test"))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Opens (and migrates) the SQLite file a `headway` command wrote, runs `body`, and closes the
/// store whether or not `body` throws: how CLI tests read back what a command stored.
public func withSQLiteStore<T>(_ path: String, _ body: (Store) async throws -> T) async throws -> T {
    let store = try await Store.open(.sqlite(path: path))
    do {
        try await store.migrate()
        let result = try await body(store)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}
