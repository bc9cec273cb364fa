import Foundation

/// Where the store lives, parsed once from `--database` or `HEADWAY_DATABASE_URL`.
///
/// Accepted forms: a file path (`./headway.sqlite`) or `sqlite:PATH` → one SQLite file;
/// `postgres://user:password@host:port/database` (also `postgresql://`, with `?sslmode=`)
/// → PostgreSQL.
public enum DatabaseLocation: Hashable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// The default for a single school: `./headway.sqlite`.
    public static let defaultLocation = DatabaseLocation.sqlite(path: "./headway.sqlite")

    /// - Throws: ``StoreError`` (code `database-location`) for an empty string or an unknown scheme.
    public init(parsing text: String) throws(StoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            self = .postgres(url: trimmed)
        } else if trimmed.hasPrefix("sqlite:") {
            let path = String(trimmed.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreError.badLocation(text) }
            self = .sqlite(path: path.hasPrefix("//") ? String(path.dropFirst(2)) : path)
        } else if trimmed.isEmpty || trimmed.contains("://") {
            throw StoreError.badLocation(text)
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    /// For messages: the path, or the PostgreSQL URL with any password hidden.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url):
            guard let at = url.firstIndex(of: "@"), let schemeEnd = url.range(of: "://") else { return url }
            let credentials = url[schemeEnd.upperBound..<at]
            guard let colon = credentials.firstIndex(of: ":") else { return url }
            return String(url[..<colon]) + ":***" + String(url[at...])
        }
    }
}
