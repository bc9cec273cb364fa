/// A store failure: a code for scripts and tests, and a message that says what to do.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable identifier, e.g. `database-location`, `not-found`, `engine`.
    public var code: String
    public var message: String

    public var description: String { message }

    static func badLocation(_ text: String) -> StoreError {
        StoreError(code: "database-location",
                   message: "'\(text)' is not a database location: give a file path for SQLite (e.g. ./headway.sqlite) or a postgres:// URL")
    }

    static func notFound(_ what: String) -> StoreError {
        StoreError(code: "not-found", message: "\(what) is not in this database: import it first, or check --school and --year")
    }
}
