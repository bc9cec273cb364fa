import Foundation
@testable import HeadwayCLI
import HeadwayCore
import HeadwayImport
import HeadwayStore
import HeadwayTestSupport
import Testing

/// Issue 12, item 14: the SQLite database holds pupils' personal data, and was created 0644 —
/// readable by every local user. A file Headway creates, and its WAL and shared-memory files, are
/// the owner's only (0600), whatever the umask.
@Suite(.serialized) struct DatabaseFileModeTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func aRealImportCreatesTheDatabaseAndItsWALFilesOwnerOnly() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-mode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("school.sqlite").path
        // The usual umask gives 0644 to a file created without a mode: set it so for the test.
        let previous = umask(0o022)
        defer { umask(previous) }

        let ctf = Self.repository.appendingPathComponent("Tests/HeadwayImportTests/Fixtures/ctf/v24-rea-scl.xml").path
        #expect(await Headway.run(arguments: ["import", "ctf", "--database", database, ctf]) == 0)
        #expect(try Self.mode(database) == 0o600)

        // While a connection is open (and has read), SQLite's -wal and -shm files exist: owner only too.
        let pupils = try await withSQLiteStore(database) { store in
            let count = try await store.load(school: "137001", year: AcademicYear(startYear: 2025)).pupils.count
            for suffix in ["-wal", "-shm"] {
                #expect(FileManager.default.fileExists(atPath: database + suffix), "\(suffix)")
                #expect(try Self.mode(database + suffix) == 0o600, "\(suffix)")
            }
            return count
        }
        #expect(pupils == 4)
        #expect(try Self.mode(database) == 0o600)
    }

    @Test func openingAnExistingFileKeepsItsMode() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-mode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("shared.sqlite").path
        #expect(FileManager.default.createFile(atPath: database, contents: nil, attributes: [.posixPermissions: 0o640]))
        try await withSQLiteStore(database) { _ in }
        #expect(try Self.mode(database) == 0o640)  // a mode the school chose is theirs to keep
    }
}
