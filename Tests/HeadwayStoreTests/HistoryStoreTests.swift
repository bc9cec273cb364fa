import Foundation
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// What the integrity report reads from the store beyond the year (Store+History): changes to
/// characteristics from the audit log, and UPNs as stored. Run on every engine in
/// ``TestDatabase/available``.
@Suite struct HistoryStoreTests {
    static let first = ChangeContext(actor: "headway import", source: "pupils.csv", at: Date(timeIntervalSince1970: 1_795_000_000))
    static let second = ChangeContext(actor: "DMG", source: "user", reason: "FSM confirmed", at: Date(timeIntervalSince1970: 1_795_086_400))

    @Test(arguments: TestDatabase.available)
    func characteristicChangesComeFromTheAuditLogForTheYear(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            var year = Fixtures.smallSchool()
            // A pupil id with dots in it, as the UCI import makes for ambiguous keys.
            year.pupils.append(Pupil(id: "UCI-1@student-mat.csv:12", yearGroup: 10, characteristics: ["schoolsup": "false"]))
            try await store.save(year, context: Self.first)
            #expect(try await store.characteristicChanges(school: year.school.id, year: year.academicYear).isEmpty)  // creations are not changes

            year.pupils[0].characteristics[Characteristic.disadvantaged] = "false"
            year.pupils[4].characteristics["schoolsup"] = "true"
            try await store.save(year, context: Self.second)
            let changes = try await store.characteristicChanges(school: year.school.id, year: year.academicYear)
            #expect(Set(changes) == [
                CharacteristicChange(pupil: "P001", name: "disadvantaged", old: "true", new: "false", at: "2026-11-19T11:06:40Z", by: "DMG", source: "user"),
                CharacteristicChange(pupil: "UCI-1@student-mat.csv:12", name: "schoolsup", old: "false", new: "true", at: "2026-11-19T11:06:40Z",
                                     by: "DMG", source: "user"),
            ])
            // Another academic year's changes are not this year's.
            #expect(try await store.characteristicChanges(school: year.school.id, year: AcademicYear(startYear: 2027)).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func storedUPNsOfThePupilsOnRoll(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let year = Fixtures.smallSchool()
            try await store.save(year, context: Self.first)
            let upns = try await store.storedUPNs(school: year.school.id, year: year.academicYear)
            #expect(upns == ["P001": "H801200001001", "P002": "B801200005001", "P003": "R674123101121"])  // P004 has none
        }
    }
}
