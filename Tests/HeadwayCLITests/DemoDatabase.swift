import Foundation
import HeadwayCLI
import HeadwayCore
import HeadwayTestSupport

/// One `headway demo` database shared by the CLI suites that read the demo school, made once per
/// test run (a demo takes several seconds in a debug build). Suites that write work on a copy.
actor DemoDatabase {
    static let shared = DemoDatabase()
    static let school: School.ID = "DEMO"
    static let academicYear = AcademicYear(startYear: 2026)

    /// The folder `headway demo --out` wrote (database, report, lists, calendar).
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-cli-demo-\(UUID().uuidString)")
    private var made: Task<Int32, Never>?

    /// The database's path, after making it on first use.
    /// - Throws: when `headway demo` did not exit 0.
    func path() async throws -> String {
        let run = made ?? Task { [folder] in await Headway.run(arguments: ["demo", "--out", folder.path]) }
        made = run
        let status = await run.value
        guard status == 0 else { throw DemoFailed(status: status) }
        return folder.appendingPathComponent("headway.sqlite").path
    }

    /// The demo year as stored, to count expected values from.
    func storedYear() async throws -> SchoolYear {
        try await withSQLiteStore(try await path()) { try await $0.load(school: Self.school, year: Self.academicYear) }
    }

    struct DemoFailed: Error { var status: Int32 }
}
