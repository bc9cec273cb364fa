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

    /// Runs the program in `folder` with no environment beyond PATH; returns its exit status and
    /// output. Output goes to files and the exit is awaited through a termination handler, so no
    /// thread of the test pool blocks on the child (and no full pipe can stall it).
    static func run(_ arguments: [String], in folder: URL) async throws -> (status: Int32, stdout: String, stderr: String) {
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("headway-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: capture) }
        let outURL = capture.appendingPathComponent("stdout"), errURL = capture.appendingPathComponent("stderr")
        for url in [outURL, errURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let process = Process()
        process.executableURL = try headway()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path]
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (status, String(decoding: try Data(contentsOf: outURL), as: UTF8.self), String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-binary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func importCTFWorksFromAnotherFolderWithTheBuiltInCodeTable() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path))
        let ctf = Self.repository.appendingPathComponent("Tests/HeadwayImportTests/Fixtures/ctf/v24-rea-scl.xml").path
        let result = try await Self.run(["import", "ctf", "--database", "school.sqlite", ctf], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        // v24-rea-scl.xml: reading for three pupils (one absent), maths for all four.
        #expect(result.stdout.contains("KS2 scaled scores found (accepted pupils): reading 3, maths 4."), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("school.sqlite").path))
    }

    @Test func printDefaultCodesGivesTheShippedTable() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await Self.run(["import", "ctf", "--print-default-codes"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let shipped = try String(contentsOf: Self.repository.appendingPathComponent(KS2CodeTable.defaultPath), encoding: .utf8)
        #expect(result.stdout == shipped)
    }

    @Test func demoFromAnotherFolderHasTheNationalComparison() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await Self.run(["demo", "--out", "demo"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        // England's state-funded row of the shipped 2019 provisional table: A8 46.5, P8 -0.03.
        #expect(result.stdout.contains("National context: England (state-funded schools), published KS4 2019: A8 46.5, P8 -0.03"),
                "\(result.stdout.suffix(2000))")
        #expect(!result.stderr.contains("none: "), "\(result.stderr)")
    }

    /// Issue 12, item 4: `headway ks4 f.csv | head -c 3` was the UTF-8 byte-order mark EF BB BF,
    /// which turns a CSV reader's first header into "\u{FEFF}pupil". Standard output has none; a
    /// file written with --out keeps it, for Excel.
    @Test func ks4WritesNoByteOrderMarkToStandardOutputButKeepsItInAFile() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // One pupil: English 5 and 6 (language and literature), maths 4.
        try "pupil,subject,grade,ks2_reading,ks2_maths\nP1,english_language,5,105,103\nP1,english_literature,6,,\nP1,maths,4,,\n"
            .write(to: folder.appendingPathComponent("f.csv"), atomically: true, encoding: .utf8)
        let piped = try await Self.run(["ks4", "f.csv"], in: folder)
        #expect(piped.status == 0, "\(piped.stderr)")
        let bytes = Array(piped.stdout.utf8.prefix(6))
        #expect(bytes == Array("pupil,".utf8), "first bytes \(bytes)")
        #expect(!piped.stdout.contains("\u{FEFF}"))

        let written = try await Self.run(["ks4", "f.csv", "--out", "a8p8.csv"], in: folder)
        #expect(written.status == 0, "\(written.stderr)")
        let file = try Data(contentsOf: folder.appendingPathComponent("a8p8.csv"))
        #expect(Array(file.prefix(3)) == [0xEF, 0xBB, 0xBF])
        // The same table either way, apart from the mark.
        #expect(String(decoding: file.dropFirst(3), as: UTF8.self) == piped.stdout)
    }
}
