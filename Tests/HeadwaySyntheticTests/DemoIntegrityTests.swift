import HeadwayAnalytics
import HeadwayCore
import HeadwaySynthetic
import Testing

/// The integrity pass on the demo school finds exactly what was planted — no more, no less.
@Suite struct DemoIntegrityTests {
    static let demo = DemoSchool.generate()
    static let findings = Integrity.check(YearIndex(demo.year))

    @Test func offScaleValuesAreTheErrors() {
        let errors = Self.findings.filter { $0.severity == .error }
        #expect(errors.allSatisfy { $0.check == .offScale })
        let found = Set(errors.map { "\($0.collection!)|\($0.pupil!)|\($0.subject!)" })
        let planted = Set(Self.demo.planted.offScaleValues.map { "\($0.cell.collection)|\($0.cell.pupil)|\($0.cell.subject)" })
        #expect(found == planted)
        #expect(planted.count == 6)
    }

    @Test func theCopiedClassIsTheOnlyOneFound() throws {
        let copied = try #require(Self.demo.planted.copiedCollection)
        #expect(Self.findings.filter { $0.check == .copiedForward }.map(\.record) == ["\(copied.copy) / \(copied.teachingGroup)"])
    }

    @Test func swingsAreThePlantedOnes() {
        let found = Set(Self.findings.filter { $0.check == .swing }.map { "\($0.pupil!)|\($0.subject!)" })
        #expect(found == Set(Self.demo.planted.swings.map { "\($0.pupil)|\($0.subject)" }))
    }

    @Test func missingEntriesNameTheTwoTeachers() {
        let missing = Self.findings.filter { $0.check == .missingEntries }
        #expect(missing.count == 2)
        for teacher in Self.demo.planted.missingEntryTeachers {
            #expect(missing.contains { $0.fixer.hasSuffix("(\(teacher))") && $0.record.hasPrefix("DC3") })
        }
        let total = missing.compactMap { Int($0.message.split(separator: " ")[0]) }.reduce(0, +)
        #expect(total == Self.demo.planted.missingEntries.count)
        // X and Z are entered, not missing; pupils absent for a whole collection are not chased.
        #expect(!Self.findings.contains { $0.check == .noClass || $0.check == .duplicatePupil })
    }
}
