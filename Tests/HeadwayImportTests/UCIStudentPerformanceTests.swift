import Foundation
import HeadwayCore
import Testing
@testable import HeadwayImport

/// The real UCI "Student Performance" files (Cortez & Silva 2008), read with the example
/// mapping. Expected figures were counted independently with Python's csv module.
@Suite struct UCIStudentPerformanceTests {
    /// `shared` sits beside the repository (here and in CI).
    static let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/uci-student-performance").standardizedFileURL
    static let mappingURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/uci-portuguese/mapping.toml").standardizedFileURL

    private func read(_ names: [String]) throws -> ImportResult {
        let mapping = try ColumnMapping(contentsOf: Self.mappingURL)
        return CSVImporter(mapping: mapping).read(contentsOf: names.map { Self.dataFolder.appendingPathComponent($0) })
    }

    private func count(_ result: ImportResult, _ subject: String, _ collection: String, where test: (EntryValue?) -> Bool) -> Int {
        result.year.assessments.filter { $0.subject.rawValue == subject && $0.collection.rawValue == collection && test($0.workingAt) }.count
    }

    @Test func importsBothFilesAndMatches358Pupils() throws {
        let result = try read(["student-mat.csv", "student-por.csv"])
        #expect(!result.hasErrors, "\(result.errors.prefix(5))")
        #expect(result.rowsRead == 395 + 649)
        #expect(result.rowsAccepted == 1044)
        #expect(result.files.map(\.rowsRead) == [395, 649])
        #expect(result.files.map(\.separator) == [";", ";"])
        let mathsPupils = Set(result.year.assessments.filter { $0.subject == "MAT" }.map(\.pupil))
        let portuguesePupils = Set(result.year.assessments.filter { $0.subject == "POR" }.map(\.pupil))
        #expect(mathsPupils.count == 395)
        #expect(portuguesePupils.count == 649)
        #expect(result.pupilsMatchedAcrossFiles == 358)
        #expect(mathsPupils.intersection(portuguesePupils).count == 358)
        #expect(result.year.pupils.count == 686)
        #expect(result.year.assessments.count == 3 * 1044)
    }

    @Test func ambiguousKeysBecomeSeparateUnmatchedPupils() throws {
        let result = try read(["student-mat.csv", "student-por.csv"])
        let ambiguous = result.year.pupils.filter { $0.id.rawValue.contains("@") }
        // 8 maths rows (4 keys) and 23 Portuguese rows share a key within their file.
        #expect(ambiguous.filter { $0.id.rawValue.contains("@student-mat.csv:") }.count == 8)
        #expect(ambiguous.filter { $0.id.rawValue.contains("@student-por.csv:") }.count == 23)
        #expect(result.warnings.allSatisfy { $0.code == .ambiguousPupilKey })
        #expect(result.year.pupils.filter { !$0.id.rawValue.contains("@") }.allSatisfy {
            $0.id.rawValue.wholeMatch(of: /UCI-[0-9a-f]{12}/) != nil
        })
    }

    @Test func zerosInG2AndG3AreNotSatButZeroInG1IsAMark() throws {
        let result = try read(["student-mat.csv", "student-por.csv"])
        let isX: (EntryValue?) -> Bool = { $0 == .notAssessed }
        let isZero: (EntryValue?) -> Bool = { $0?.points == 0 }
        #expect(count(result, "MAT", "G2", where: isX) == 13)
        #expect(count(result, "MAT", "G3", where: isX) == 38)
        #expect(count(result, "POR", "G2", where: isX) == 7)
        #expect(count(result, "POR", "G3", where: isX) == 15)
        #expect(count(result, "POR", "G1", where: isZero) == 1)
        #expect(count(result, "POR", "G1", where: isX) == 0)
        #expect(count(result, "MAT", "G1", where: isX) == 0)
        #expect(result.year.assessments.allSatisfy { $0.workingAt?.points != 0 || $0.collection == "G1" })
    }

    /// Issue 5's done-when, counted from each raw file here rather than taken from above: the
    /// rows with 0 in G2 or G3 are exactly the pupils of that file's subject with X (not sat) in
    /// G2 or G3, and no G2 or G3 grade is 0.
    @Test func pupilsWithZeroInG2OrG3PerFileAreTheNotSatPupils() throws {
        let result = try read(["student-mat.csv", "student-por.csv"])
        for (file, subject) in [("student-mat.csv", "MAT"), ("student-por.csv", "POR")] {
            let text = try String(contentsOf: Self.dataFolder.appendingPathComponent(file), encoding: .utf8)
            let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ";").map { $0.replacingOccurrences(of: "\"", with: "") } }
            let g2 = try #require(lines[0].firstIndex(of: "G2")), g3 = try #require(lines[0].firstIndex(of: "G3"))
            let zeros = lines.dropFirst().filter { $0[g2] == "0" || $0[g3] == "0" }.count
            let notSat = Set(result.year.assessments.filter {
                $0.subject.rawValue == subject && ($0.collection == "G2" || $0.collection == "G3") && $0.workingAt == .notAssessed
            }.map(\.pupil))
            #expect(notSat.count == zeros, "\(file)")
        }
        #expect(!result.year.assessments.contains { $0.collection != "G1" && $0.workingAt?.points == 0 })
    }

    @Test func sameIdsWhateverTheFileOrderOrGrouping() throws {
        let forward = try read(["student-mat.csv", "student-por.csv"])
        let backward = try read(["student-por.csv", "student-mat.csv"])
        #expect(forward.year.pupils == backward.year.pupils)
        #expect(Set(forward.year.assessments) == Set(backward.year.assessments))
        let mathsAlone = try read(["student-mat.csv"])
        let portugueseAlone = try read(["student-por.csv"])
        #expect(Set(mathsAlone.year.pupils.map(\.id)) == Set(forward.year.assessments.filter { $0.subject == "MAT" }.map(\.pupil)))
        #expect(Set(portugueseAlone.year.pupils.map(\.id)) == Set(forward.year.assessments.filter { $0.subject == "POR" }.map(\.pupil)))
        #expect(mathsAlone.pupilsMatchedAcrossFiles == 0)
    }

    @Test func characteristicsAreMappedAndPerSubjectOnesKeptApart() throws {
        let result = try read(["student-mat.csv", "student-por.csv"])
        let mathsPupils = Set(result.year.assessments.filter { $0.subject == "MAT" }.map(\.pupil))
        let portuguesePupils = Set(result.year.assessments.filter { $0.subject == "POR" }.map(\.pupil))
        let both = result.year.pupils.filter { mathsPupils.contains($0.id) && portuguesePupils.contains($0.id) }
        #expect(both.count == 358)
        for pupil in both {
            for name in ["paid", "failures", "absences"] {
                #expect(pupil.characteristics["\(name):MAT"] != nil && pupil.characteristics["\(name):POR"] != nil)
                #expect(pupil.characteristics[name] == nil)
            }
        }
        // The first maths row: GP, F, 18, …, schoolsup yes, paid no, absences 6.
        let first = try #require(result.year.pupils.first { pupil in
            pupil.characteristics["absences:MAT"] == "6" && pupil.characteristics["age"] == "18"
                && pupil.characteristics["Mjob"] == "at_home" && pupil.characteristics["Fjob"] == "teacher"
        })
        #expect(first.characteristics[Characteristic.gender] == "F")
        #expect(first.characteristics["schoolsup"] == "true")
        #expect(first.characteristics["paid:MAT"] == "false")
        #expect(first.characteristics["Medu"] == "4")
        #expect(first.yearGroup == 12)
        #expect(Set(result.year.pupils.compactMap { $0.characteristics["schoolsup"] }) == ["true", "false"])
        // Only paid, failures and absences differ between a pupil's two rows: no other conflicts.
        #expect(result.issues(.conflictingValue).isEmpty)
    }

    @Test func definitionsComeFromTheMapping() throws {
        let result = try read(["student-por.csv"])
        #expect(result.year.school.id == "UCI")
        #expect(result.year.academicYear == AcademicYear(startYear: 2005))
        #expect(result.year.subjects.map(\.id) == ["MAT", "POR"])
        #expect(result.year.subjects.allSatisfy { $0.scale == GradeScale.zeroToTwentyID })
        #expect(result.year.collections.map(\.id) == ["G1", "G2", "G3"])
        #expect(result.year.collections.map(\.sequence) == [1, 2, 3])
    }
}
