import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayStore

/// The `headway` command tree. Exit codes: 0 all well, 1 the data has errors (or a command could
/// not finish because of the data or the database), 2 misuse (bad flags or arguments).
public struct Headway: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "headway",
        abstract: "Run a secondary school's assessment data cycle: import, check, analyse, report.",
        discussion: """
            Start with `headway demo`, which builds a synthetic school and runs every step.
            Exit status: 0 all well; 1 the data has errors; 2 misuse.
            """,
        subcommands: [Demo.self, Import.self, MappingCommand.self, Check.self, CompletionCommand.self, Analyse.self, Report.self, Explain.self, Targets.self, KS4Command.self, CalendarCommand.self, MarkbookCommand.self, ListsCommand.self, InterventionsCommand.self, ResponsibilityCommand.self, AuditCommand.self, Migrate.self])

    public init() {}

    /// Parses `arguments`, runs the command and returns the process exit code, printing any
    /// error first. Usage errors map to 2, data errors to 1.
    public static func run(arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                return 0
            }
            if !message.isEmpty { Terminal.error(message) }
            if error is CLIError || code.rawValue == 1 { return 1 }
            return 2
        }
    }
}

/// A failure caused by the data or the database rather than by the command line: exit code 1,
/// with a message that says what to do.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Opens the configured store (migrating it unless told not to) and runs `body`, closing the store afterwards.
///
/// - Parameter create: whether a SQLite file that does not exist yet may be created (import,
///   demo, migrate); commands that only read refuse a missing file rather than create an empty
///   database from a mistyped path.
func withStore<T>(_ options: GlobalOptions, location override: DatabaseLocation? = nil, migrate: Bool = true, create: Bool = false,
                  _ body: (Store) async throws -> T) async throws -> T {
    let configuration = try Configuration.resolve(options)
    let location = override ?? configuration.database
    if case .sqlite(let path) = location {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue { throw ValidationError("\(path) is a folder, not a database file.") }
        if !exists && !create {
            throw ValidationError("There is no database at \(path): run `headway import` or `headway demo` first, or give --database.")
        }
    }
    let store: Store
    do {
        store = try await Store.open(location)
    } catch let error as StoreError {
        throw CLIError(error.message)
    }
    do {
        // A store that fails to migrate is closed too: an open connection must never be dropped.
        if migrate { try await store.migrate() }
        let result = try await body(store)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        if let error = error as? StoreError { throw CLIError(error.message) }
        throw error
    }
}

/// Resolves `--school` and `--year` against what the store holds: the only school when there is
/// one, the latest year when none is given.
func selectYear(_ options: SchoolOptions, in store: Store) async throws -> (School.ID, AcademicYear) {
    let schools = try await store.schools()
    let school: School.ID
    if let given = options.school {
        guard schools.contains(where: { $0.id.rawValue == given }) else {
            throw ValidationError("School '\(given)' is not in \(store.location). Schools there: \(schools.map(\.id.rawValue).joined(separator: ", ")).")
        }
        school = School.ID(given)
    } else if schools.count == 1 {
        school = schools[0].id
    } else if schools.isEmpty {
        throw CLIError("\(store.location) holds no school yet: run `headway import` (or `headway demo`) first.")
    } else {
        throw ValidationError("This database holds several schools; choose one with --school (\(schools.map(\.id.rawValue).joined(separator: ", "))).")
    }
    let years = try await store.academicYears(of: school)
    if let text = options.year {
        guard let year = AcademicYear(parsing: text) else { throw ValidationError("'\(text)' is not an academic year: write it as 2026/27.") }
        guard years.contains(year) else {
            throw CLIError("School \(school) has no data for \(year); it has \(years.map(\.description).joined(separator: ", ")).")
        }
        return (school, year)
    }
    guard let latest = years.last else { throw CLIError("School \(school) has no academic year stored yet.") }
    return (school, latest)
}

/// The collection a user named on the command line; an unknown code is misuse (exit 2), as in
/// every command (issue 12, item 9), with the year's codes listed.
func requireCollection(_ code: String, in year: SchoolYear) throws -> DataCollection {
    if let found = year.collections.first(where: { $0.id.rawValue == code }) { return found }
    let codes = year.collections.map(\.id.rawValue).joined(separator: ", ")
    throw ValidationError("No collection '\(code.withVisibleControlCharacters)' in \(year.school.name) \(year.academicYear); "
                          + "its collections are \(codes.isEmpty ? "none" : codes).")
}

/// Loads the school year chosen by `--school` / `--year` from the configured store.
func loadYear(_ global: GlobalOptions, _ options: SchoolOptions) async throws -> SchoolYear {
    try await withStore(global) { store in
        let (school, year) = try await selectYear(options, in: store)
        return try await store.load(school: school, year: year)
    }
}

/// Now, as text for report headers (the CLI reads the clock; reports do not).
func nowText() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_GB")
    formatter.dateFormat = "d MMMM yyyy, HH:mm"
    return formatter.string(from: Date())
}
