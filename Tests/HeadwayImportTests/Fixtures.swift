import Foundation
import HeadwayCore
@testable import HeadwayImport

/// Test files, found beside this source file (not bundled: the test target declares no resources).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    static func text(_ name: String) throws -> String { try String(contentsOf: url(name), encoding: .utf8) }

    /// The long-format mapping of the fictional Oakfield Academy.
    static func longMapping() throws -> ColumnMapping { try ColumnMapping(contentsOf: url("oakfield-long.toml")) }

    /// Reads one fixture file with the long mapping.
    static func readLong(_ name: String) throws -> ImportResult {
        CSVImporter(mapping: try longMapping()).read(files: [(name, try data(name))])
    }

    /// Reads bytes built in a test, named as a file would be.
    static func readLong(bytes: [UInt8], name: String = "grades.csv") throws -> ImportResult {
        CSVImporter(mapping: try longMapping()).read(files: [(name, Data(bytes))])
    }
}

extension ImportResult {
    func pupil(_ id: String) -> Pupil? { year.pupils.first { $0.id.rawValue == id } }

    func assessment(_ pupil: String, _ subject: String, _ collection: String) -> Assessment? {
        year.assessments.first { $0.pupil.rawValue == pupil && $0.subject.rawValue == subject && $0.collection.rawValue == collection }
    }

    func issues(_ code: ImportIssue.Code) -> [ImportIssue] { issues.filter { $0.code == code } }
}
