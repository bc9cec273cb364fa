import Foundation
@testable import HeadwayCLI
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// Issue 4, items 6 and 7, at the database: a mutated file that an importer refuses leaves the
/// store exactly as it was (every record and the audit log), whatever the mutation. Each case
/// starts from a copy of the same database. The readers themselves get thousands of cases in
/// `ImporterFuzzTests`; here each case is a whole `headway` run, so there are fewer.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ImportFuzzTests {
    static let cases = ProcessInfo.processInfo.environment["HEADWAY_FUZZ_STORE_CASES"].flatMap(Int.init) ?? 200

    /// Everything stored for the Oakfield fixture school, as values: equal means unchanged.
    struct Snapshot: Equatable {
        var pupils: [Pupil], staff: [Staff], subjects: [Subject], groups: [TeachingGroup], collections: [DataCollection]
        var assessments: [Assessment], targets: [Target], auditRows: Int
    }

    static func snapshot(_ database: String) async throws -> Snapshot {
        try await withSQLiteStore(database) { store in
            let y = try await store.load(school: "OAK", year: AcademicYear(startYear: 2025))
            let audit = try await store.auditLog(school: "OAK").count
            return Snapshot(pupils: y.pupils, staff: y.staff, subjects: y.subjects, groups: y.teachingGroups, collections: y.collections,
                            assessments: y.assessments, targets: y.targets, auditRows: audit)
        }
    }

    /// xorshift64*, as in ImporterFuzzTests: flip, delete or insert hostile bytes.
    static func mutate(_ input: [UInt8], seed: inout UInt64) -> [UInt8] {
        func next() -> Int {
            seed ^= seed >> 12; seed ^= seed << 25; seed ^= seed >> 27
            return Int(truncatingIfNeeded: (seed &* 0x2545_F491_4F6C_DD1D) >> 1)
        }
        let hostile: [[UInt8]] = [Array("\"".utf8), Array(",".utf8), [10], [13], [0], [0xC3], Array("10".utf8), Array("A*".utf8),
                                  Array("X".utf8), Array("99999".utf8), Array("Z801200001001".utf8), Array(",,,,".utf8)]
        var bytes = input
        for _ in 0..<(1 + next() % 3) {
            let at = next() % (bytes.count + 1)
            switch next() % 3 {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(truncatingIfNeeded: 1 << (next() % 8))
            case 1 where !bytes.isEmpty: bytes.removeSubrange(min(at, bytes.count - 1)..<min(bytes.count, at + 1 + next() % 20))
            default: bytes.insert(contentsOf: hostile[next() % hostile.count], at: at)
            }
        }
        return bytes
    }

    @Test func refusedFilesLeaveTheStoreAsItWas() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixtures = CLITests.fixtures
        let mapping = fixtures.appendingPathComponent("oakfield-long.toml").path
        let pristine = folder.appendingPathComponent("pristine.sqlite").path
        #expect(await Headway.run(arguments: ["import", "--database", pristine, "--mapping", mapping, fixtures.appendingPathComponent("grades.csv").path]) == 0)
        #expect(await Headway.run(arguments: ["targets", "generate", "--database", pristine]) == 0)
        let before = try await Self.snapshot(pristine)
        #expect(before.assessments.count > 0 && before.targets.count > 0)

        let grades = Array(try Data(contentsOf: fixtures.appendingPathComponent("grades.csv")))
        let targets = Array("pupil,subject,target,percentile_band\n00123,MA,7,FFT20\n00123,EN,6,\n".utf8)
        var seed: UInt64 = 0x5EED
        var refused = 0
        for n in 0..<Self.cases {
            let database = folder.appendingPathComponent("case.sqlite").path
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            try FileManager.default.copyItem(atPath: pristine, toPath: database)
            let input = folder.appendingPathComponent(n % 2 == 0 ? "grades.csv" : "targets.csv")
            try Data(Self.mutate(n % 2 == 0 ? grades : targets, seed: &seed)).write(to: input)
            let arguments = n % 2 == 0
                ? ["import", "--database", database, "--mapping", mapping, input.path]
                : ["targets", "import", "--database", database, input.path]
            let status = await Headway.run(arguments: arguments)
            #expect([0, 1].contains(status), "case \(n): exit \(status)")
            guard status != 0 else { continue }  // the mutation was still a valid file
            refused += 1
            let after = try await Self.snapshot(database)
            #expect(after == before, "case \(n): a refused \(input.lastPathComponent) changed the store")
        }
        #expect(refused > Self.cases / 4)  // the mutations do break most files
    }
}
