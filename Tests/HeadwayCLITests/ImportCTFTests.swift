import Foundation
@testable import HeadwayCLI
import HeadwayCore
import HeadwayImport
import HeadwayStore
import HeadwayTestSupport
import HeadwaySynthetic
import Testing

/// `headway import ctf` end to end: the CTF fixtures imported into a fresh SQLite file and read
/// back through the store. Expected values are the fixtures' own, worked out by hand (see
/// `Tests/HeadwayImportTests/Fixtures/ctf/`).
@Suite(.serialized) struct ImportCTFTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/HeadwayImportTests/Fixtures/ctf")
    static let codes = repository.appendingPathComponent(KS2CodeTable.defaultPath).path
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// CTF 25.0: DestSchool URN 137001 "Hilltop Academy", SourceSchool academic year 2024/25.
    static let year = AcademicYear(startYear: 2025)
    static let school: School.ID = "137001"

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-ctf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func importCTF(_ database: String, _ arguments: [String]) async -> Int32 {
        await Headway.run(arguments: ["import", "ctf", "--database", database, "--ks2-codes", Self.codes] + arguments)
    }

    func withStore<T>(_ database: String, _ body: (Store) async throws -> T) async throws -> T {
        try await withSQLiteStore(database, body)
    }

    func load(_ database: String, school: School.ID = ImportCTFTests.school, year: AcademicYear = ImportCTFTests.year) async throws -> SchoolYear {
        try await withStore(database) { try await $0.load(school: school, year: year) }
    }

    /// One pupil as the fixtures give it.
    struct Expected {
        var upn: String
        var forename: String
        var surname: String
        var dob: String
        var characteristics: [String: String]
        var reading: Int?
        var maths: Int?
        var average: Double?
        var band: PriorAttainment.Band?
    }

    static let gender = Characteristic.gender, fsm = CTFFile.fsmCharacteristic, disadvantaged = Characteristic.disadvantaged
    static let sen = Characteristic.sen, readingCode = CTFFile.ks2ReadingResultCharacteristic, mathsCode = CTFFile.ks2MathsResultCharacteristic

    /// v19-gender.xml: scores and codes; no FSM or SEN history.
    static let v19: [Expected] = [
        Expected(upn: "E938412312001", forename: "Maisie", surname: "Ashworth", dob: "2007-10-14", characteristics: [gender: "F"],
                 reading: 105, maths: 107, average: 106, band: .middle),
        Expected(upn: "U938412312002", forename: "Tomás", surname: "O'Connor-Lee", dob: "2008-03-02",
                 characteristics: [gender: "M", readingCode: "B"], reading: nil, maths: 94, average: 94, band: .low),
        Expected(upn: "H938412312003", forename: "Zuzanna", surname: "Nowak", dob: "2007-09-01",
                 characteristics: [gender: "F", mathsCode: "A"], reading: 118, maths: nil, average: 118, band: .high),
        Expected(upn: "X938412312004", forename: "Yusuf", surname: "Begum", dob: "2008-08-31", characteristics: [gender: "M"],
                 reading: 100, maths: 110, average: 105, band: .middle),
    ]

    /// v25-sex.xml, dated 2025-07-11 ("Ever 6" from 2019-07-11).
    static let v25: [Expected] = [
        Expected(upn: "N886201118014", forename: "Amira", surname: "Haddad", dob: "2014-01-20",
                 characteristics: [gender: "F", fsm: "false", disadvantaged: "true", sen: "E"], reading: 96, maths: 101, average: 98.5, band: .low),
        Expected(upn: "U886201118027", forename: "Callum", surname: "Price", dob: "2013-09-15",
                 characteristics: [gender: "M", fsm: "true", disadvantaged: "true", sen: "N"], reading: 112, maths: 110, average: 111, band: .high),
        Expected(upn: "X886201118031", forename: "Mei Ling", surname: "Chen", dob: "2014-05-05",
                 characteristics: [gender: "F", fsm: "false", sen: "N", mathsCode: "A"],
                 reading: 104, maths: nil, average: 104, band: .middle),
        Expected(upn: "R886201118045", forename: "Harvey", surname: "Fisher", dob: "2014-08-30", characteristics: [gender: "M"],
                 reading: nil, maths: nil, average: nil, band: nil),
    ]

    func check(_ year: SchoolYear, has expected: [Expected]) {
        for e in expected {
            guard let pupil = year.pupils.first(where: { $0.id.rawValue == e.upn }) else {
                Issue.record("pupil \(e.upn) is not in the store")
                continue
            }
            #expect(pupil.upn?.rawValue == e.upn)
            #expect(pupil.forename == e.forename, "\(e.upn)")
            #expect(pupil.surname == e.surname, "\(e.upn)")
            #expect(pupil.dateOfBirth?.description == e.dob, "\(e.upn)")
            #expect(pupil.yearGroup == 7, "\(e.upn)")
            #expect(pupil.characteristics == e.characteristics, "\(e.upn)")
            #expect(pupil.priorAttainment?.readingScaledScore == e.reading, "\(e.upn)")
            #expect(pupil.priorAttainment?.mathsScaledScore == e.maths, "\(e.upn)")
            #expect(pupil.priorAttainment?.average == e.average, "\(e.upn)")
            #expect(pupil.priorAttainment?.band == e.band, "\(e.upn)")
        }
    }

    // MARK: Round trip

    @Test func ctfFixturesRoundTripIntoTheStore() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("ctf.sqlite").path

        // An empty database: the school is the DestSchool (URN and name), the year the one after
        // the SourceSchool's 2024/25.
        #expect(await importCTF(database, [Self.fixture("v25-sex.xml")]) == 0)
        let schools = try await withStore(database) { try await $0.schools() }
        #expect(schools == [School(id: "137001", name: "Hilltop Academy")])
        #expect(try await withStore(database) { try await $0.academicYears(of: Self.school) } == [Self.year])

        // Now the only school, and its latest year.
        #expect(await importCTF(database, [Self.fixture("v19-gender.xml")]) == 0)
        let year = try await load(database)
        #expect(year.pupils.count == 8)
        #expect(Set(year.pupils.map(\.id.rawValue)) == Set((Self.v19 + Self.v25).map(\.upn)))
        check(year, has: Self.v19 + Self.v25)
        #expect(try await withStore(database) { try await $0.schools() } == [School(id: "137001", name: "Hilltop Academy")])
    }

    /// v24-rea-scl.xml: reading coded REA / SCL (issue 12, item 1), DestSchool 137001, 2024/25.
    static let reaScl: [(upn: String, reading: Int?, maths: Int)] = [
        ("F886201119101", 104, 99), ("V886201119102", 92, 111), ("J886201119103", nil, 87), ("Y886201119104", 117, 120),
    ]

    @Test func reaSclCTFImportsReadingAndMathsForEveryPupilAndATableWithoutItSavesNothing() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A table without the REA entries (as before issue 12): an error, nothing saved.
        let old = folder.appendingPathComponent("old-codes.toml")
        try """
            [[match]]
            measure = "reading_scaled_score"
            subject = "ENG"
            method = "TT"
            component = "RD"
            result_qualifier = "SS"
            [[match]]
            measure = "maths_scaled_score"
            subject = "MAT"
            method = "TT"
            result_qualifier = "SS"
            """.write(to: old, atomically: true, encoding: .utf8)
        let refused = folder.appendingPathComponent("refused.sqlite").path
        #expect(await Headway.run(arguments: ["import", "ctf", "--database", refused, "--ks2-codes", old.path, Self.fixture("v24-rea-scl.xml")]) == 1)
        #expect(!FileManager.default.fileExists(atPath: refused))

        // The shipped table: reading and maths for every pupil.
        let database = folder.appendingPathComponent("ctf.sqlite").path
        #expect(await importCTF(database, [Self.fixture("v24-rea-scl.xml")]) == 0)
        let year = try await load(database)
        #expect(year.pupils.map(\.id.rawValue).sorted() == Self.reaScl.map(\.upn).sorted())
        for e in Self.reaScl {
            let pupil = year.pupils.first { $0.id.rawValue == e.upn }
            #expect(pupil?.priorAttainment?.readingScaledScore == e.reading, "\(e.upn)")
            #expect(pupil?.priorAttainment?.mathsScaledScore == e.maths, "\(e.upn)")
        }
        #expect(year.pupils.first { $0.id.rawValue == "J886201119103" }?.characteristics[Self.readingCode] == "A")
    }

    @Test func secondImportChangesNothing() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("ctf.sqlite").path
        // Two files from different academic years (2024/25, 2018/19): the year must be given.
        let files = [Self.fixture("v25-sex.xml"), Self.fixture("v19-gender.xml")]
        #expect(await importCTF(database, files) == 2)
        #expect(!FileManager.default.fileExists(atPath: database))
        #expect(await importCTF(database, ["--year", "2025/26"] + files) == 0)
        let before = try await load(database)
        let audit = try await withStore(database) { try await $0.auditLog(school: Self.school).count }
        #expect(audit > 0)

        #expect(await importCTF(database, ["--year", "2025/26"] + files) == 0)
        let after = try await load(database)
        #expect(after.pupils == before.pupils)
        #expect(try await withStore(database) { try await $0.auditLog(school: Self.school).count } == audit)
        check(after, has: Self.v19 + Self.v25)
    }

    @Test func dryRunSavesNothing() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("ctf.sqlite").path
        // Against a database that does not exist yet: nothing is created.
        #expect(await importCTF(database, ["--dry-run", Self.fixture("v25-sex.xml")]) == 0)
        #expect(!FileManager.default.fileExists(atPath: database))

        // Against a stored school: nothing added.
        #expect(await importCTF(database, [Self.fixture("v25-sex.xml")]) == 0)
        let audit = try await withStore(database) { try await $0.auditLog(school: Self.school).count }
        #expect(await importCTF(database, ["--dry-run", Self.fixture("v19-gender.xml")]) == 0)
        let year = try await load(database)
        #expect(year.pupils.count == 4)
        #expect(try await withStore(database) { try await $0.auditLog(school: Self.school).count } == audit)
    }

    @Test func laterCTFWithoutKS2LeavesTheStoredKS2InPlace() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("ctf.sqlite").path
        #expect(await importCTF(database, [Self.fixture("v25-sex.xml")]) == 0)
        // The later file has Amira Haddad with names, DOB and sex only.
        #expect(await importCTF(database, [Self.fixture("v25-later-no-ks2.xml")]) == 0)
        let year = try await load(database)
        #expect(year.pupils.count == 4)
        check(year, has: Self.v25)
    }

    // MARK: Errors

    @Test func malformedOrOldFilesImportNothing() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("ctf.sqlite").path
        #expect(await importCTF(database, [Self.fixture("malformed.xml")]) == 1)
        #expect(await importCTF(database, [Self.fixture("old-version-18.xml")]) == 1)
        // One bad file among good ones: nothing from any of them, even with --accept-valid from the bad one.
        #expect(await importCTF(database, [Self.fixture("v25-sex.xml"), Self.fixture("malformed.xml")]) == 1)
        #expect(!FileManager.default.fileExists(atPath: database))

        #expect(await importCTF(database, ["--accept-valid", Self.fixture("v25-sex.xml"), Self.fixture("malformed.xml")]) == 1)
        let year = try await load(database)
        #expect(Set(year.pupils.map(\.id.rawValue)) == Set(Self.v25.map(\.upn)))
    }

    @Test func pupilErrorsImportNothingUnlessAcceptValid() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("ctf.sqlite").path
        let file = Self.fixture("duplicate-and-invalid-upn.xml")
        #expect(await importCTF(database, ["--school", "137001", file]) == 1)
        #expect(!FileManager.default.fileExists(atPath: database))

        // --accept-valid saves the one valid pupil and still exits 1. The file names no
        // DestSchool, so --school is needed; the year follows the SourceSchool's 2022/23.
        #expect(await importCTF(database, ["--accept-valid", file]) == 2)
        #expect(await importCTF(database, ["--accept-valid", "--school", "137001", file]) == 1)
        let schools = try await withStore(database) { try await $0.schools() }
        #expect(schools == [School(id: "137001", name: "School 137001")])  // the file names no DestSchool
        let year = try await load(database, year: AcademicYear(startYear: 2023))
        #expect(year.pupils.map(\.id.rawValue) == ["Q212345615009"])
    }

    @Test func misuseExitsWithTwo() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("ctf.sqlite").path
        #expect(await Headway.run(arguments: ["import", "ctf", "--database", database]) == 2)
        #expect(await importCTF(database, ["--year-group", "6", Self.fixture("v25-sex.xml")]) == 2)
        #expect(await importCTF(database, ["--year", "2025", Self.fixture("v25-sex.xml"), "--year", "next"]) == 2)
        #expect(await Headway.run(arguments: ["import", "ctf", "--database", database, "--ks2-codes", folder.appendingPathComponent("none.toml").path,
                                              Self.fixture("v25-sex.xml")]) == 2)
        // A code table with an error is a data problem: exit 1.
        let badCodes = folder.appendingPathComponent("codes.toml")
        try "[[match]]\nmeasure = \"writing\"\nsubject = \"ENG\"\n".write(to: badCodes, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["import", "ctf", "--database", database, "--ks2-codes", badCodes.path, Self.fixture("v25-sex.xml")]) == 1)
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    @Test func yearGroupSchoolAndYearCanBeGiven() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("ctf.sqlite").path
        #expect(await importCTF(database, ["--school", "TRUST-A", "--year", "2026/27", "--year-group", "8", Self.fixture("v25-sex.xml")]) == 0)
        let year = try await load(database, school: "TRUST-A", year: AcademicYear(startYear: 2026))
        #expect(year.school.name == "Hilltop Academy")  // the file's DestSchool name
        #expect(year.pupils.count == 4 && year.pupils.allSatisfy { $0.yearGroup == 8 })
    }

    // MARK: Synthetic files

    @Test func syntheticCTFImportsEveryPupilTheGeneratorWrote() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let generated = DemoCTF.generate(.init(pupils: 300, seed: 7))
        #expect(DemoCTF.generate(.init(pupils: 300, seed: 7)).text == generated.text)  // deterministic
        let file = folder.appendingPathComponent("synthetic.xml")
        try generated.text.write(to: file, atomically: true, encoding: .utf8)

        // The reader against the generator's own bookkeeping.
        let read = CTFFile(codes: .shipped).read(contentsOf: file)
        #expect(!read.hasErrors, "\(read.errors.prefix(3))")
        #expect(read.pupils.map(\.id.rawValue) == generated.upns)
        #expect(read.counts.ks2Scores == [.readingScaledScore: generated.readingScores, .mathsScaledScore: generated.mathsScores])
        #expect(read.counts.ks2ResultCodes[.readingScaledScore] ?? [:] == generated.readingCodes)
        #expect(read.counts.ks2ResultCodes[.mathsScaledScore] ?? [:] == generated.mathsCodes)
        #expect(read.pupils.count(where: { $0.characteristics[CTFFile.fsmCharacteristic] != nil }) == generated.fsmHistories)
        #expect(read.pupils.count(where: { $0.characteristics[CTFFile.fsmCharacteristic] == "true" }) == generated.fsmNow)
        #expect(read.pupils.count(where: { $0.characteristics[Characteristic.sen] == "K" }) == generated.senSupport)
        #expect(read.pupils.count(where: { $0.characteristics[Characteristic.sen] == "E" }) == generated.ehcPlans)
        #expect(read.counts.unrecognisedKS2.isEmpty)
        #expect(read.counts.ks2OtherResults == [.writingTeacherAssessment: 300, .gpsScaledScore: 300])  // every pupil
        #expect(read.counts.unusedElements["Contacts"] == 300)
        #expect(read.counts.unknownElements.isEmpty)

        // And through the CLI into a store.
        let database = folder.appendingPathComponent("ctf.sqlite").path
        #expect(await importCTF(database, [file.path]) == 0)
        let year = try await load(database, school: "100001", year: AcademicYear(startYear: 2025))
        #expect(year.pupils.count == 300)
        #expect(year.pupils.count(where: { $0.priorAttainment?.readingScaledScore != nil }) == generated.readingScores)
        #expect(year.pupils.count(where: { $0.priorAttainment?.mathsScaledScore != nil }) == generated.mathsScores)

        // An older version writes Gender rather than Sex.
        let old = DemoCTF.generate(.init(pupils: 5, version: "19.0"))
        #expect(old.text.contains("<Gender>") && !old.text.contains("<Sex>"))
        #expect(CTFFile(codes: .shipped).read(name: "old.xml", contents: Data(old.text.utf8)).pupils.count == 5)
    }
}
