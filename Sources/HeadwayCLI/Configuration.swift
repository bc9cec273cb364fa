import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayStore

/// Options every command shares.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Database: a SQLite file path or a postgres:// URL. Default: $HEADWAY_DATABASE_URL, else ./headway.sqlite.",
        valueName: "path-or-url"))
    var database: String?

    public init() {}
}

/// Which school and academic year a command works on.
struct SchoolOptions: ParsableArguments {
    @Option(name: .long, help: "School id (needed only when the database holds more than one school).")
    var school: String?

    @Option(name: .long, help: ArgumentHelp("Academic year, e.g. 2026/27 (default: the latest the school has).", valueName: "year"))
    var year: String?

    func validate() throws {
        if let year, AcademicYear(parsing: year) == nil {
            throw ValidationError("'\(year)' is not an academic year: write it as 2026/27.")
        }
    }
}

/// The one place where flags and the environment become typed configuration (ARCHITECTURE.md:
/// nothing else reads the environment).
///
/// Keys: `--database` (flag) > `HEADWAY_DATABASE_URL` (environment) > `./headway.sqlite`.
struct Configuration {
    var database: DatabaseLocation
    /// True when the user chose the database (flag or environment) rather than the default.
    var databaseChosen: Bool

    static func resolve(_ options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Configuration {
        let chosen = options.database ?? environment["HEADWAY_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            return Configuration(database: try chosen.map { try DatabaseLocation(parsing: $0) } ?? .defaultLocation,
                                 databaseChosen: chosen != nil)
        } catch let error as StoreError {
            throw ValidationError(error.message)
        }
    }
}
