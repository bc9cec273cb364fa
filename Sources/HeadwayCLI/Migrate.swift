import ArgumentParser
import HeadwayStore

/// `headway migrate`: brings the database schema up to date.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or update the database schema (every other command does this too).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (applied, now) = try await withStore(global, migrate: false, create: true) { store in
            (try await store.migrate(), try await store.appliedMigrations())
        }
        print("Applied \(applied.count) migration(s)\(applied.isEmpty ? "" : " (\(applied.map(String.init).joined(separator: ", ")))"); schema at \(now.last ?? 0) of \(Store.migrationCount).")
    }
}
