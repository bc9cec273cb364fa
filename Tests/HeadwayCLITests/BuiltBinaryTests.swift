import Foundation
import HeadwayCore
import HeadwayImport
import Testing

/// The built `headway` program run as a user runs it: from a folder that is not the checkout
/// (issue 12, item 2). Before, `import ctf` refused to start without --ks2-codes and `demo`
/// quietly left out the national comparison, because both looked for `data/…` in the working
/// directory.
@Suite(.serialized) struct BuiltBinaryTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `headway` executable in the build products folder: the folder holding the test bundle
    /// (walking up from it, as the bundle is a folder on macOS and a file on Linux).
    static func headway() throws -> URL {
        var folder = Bundle.main.bundleURL
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("headway")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
            folder.deleteLastPathComponent()
        }
        throw BinaryMissing(from: Bundle.main.bundleURL.path)
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var from: String
        var description: String { "no built headway executable beside the test bundle (\(from)): run `swift build` first" }
    }

    /// Runs the program in `folder` with no environment beyond PATH; returns its exit status and output.
    static func run(_ arguments: [String], in folder: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try headway()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting, so a full pipe cannot block the program.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-binary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func importCTFWorksFromAnotherFolderWithTheBuiltInCodeTable() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path))
        let ctf = Self.repository.appendingPathComponent("Tests/HeadwayImportTests/Fixtures/ctf/v24-rea-scl.xml").path
        let result = try Self.run(["import", "ctf", "--database", "school.sqlite", ctf], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        // v24-rea-scl.xml: reading for three pupils (one absent), maths for all four.
        #expect(result.stdout.contains("KS2 scaled scores found (accepted pupils): reading 3, maths 4."), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("school.sqlite").path))
    }

    @Test func printDefaultCodesGivesTheShippedTable() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.run(["import", "ctf", "--print-default-codes"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let shipped = try String(contentsOf: Self.repository.appendingPathComponent(KS2CodeTable.defaultPath), encoding: .utf8)
        #expect(result.stdout == shipped)
    }

    @Test func demoFromAnotherFolderHasTheNationalComparison() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.run(["demo", "--out", "demo"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        // England's state-funded row of the shipped 2019 provisional table: A8 46.5, P8 -0.03.
        #expect(result.stdout.contains("National context: England (state-funded schools), published KS4 2019: A8 46.5, P8 -0.03"),
                "\(result.stdout.suffix(2000))")
        #expect(!result.stderr.contains("none: "), "\(result.stderr)")
    }
}
