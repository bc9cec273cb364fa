import Foundation
@testable import HeadwayCLI
import HeadwayCore
@testable import HeadwayImport
import HeadwayStore
import HeadwaySynthetic
import Testing

/// What a newcomer's break test of the importers found (issue 4), each now a test: a pupil is
/// matched by UPN rather than duplicated; a CTF does not move a pupil on roll to Year 7; imported
/// targets do not replace an override or lose their provider; a class list cannot create pupils;
/// a picture is not read as a CSV. On the Oakfield fixture (Tests/HeadwayImportTests/Fixtures).
@Suite(.serialized) struct ImportSafetyTests {
    static let fixtures = CLITests.fixtures

    func oakfield() async throws -> (folder: URL, database: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-safety-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("oak.sqlite").path
        #expect(await Headway.run(arguments: ["import", "--database", database, "--mapping", Self.fixtures.appendingPathComponent("oakfield-long.toml").path,
                                              Self.fixtures.appendingPathComponent("grades.csv").path]) == 0)
        return (folder, database)
    }

    func load(_ database: String) async throws -> SchoolYear {
        let store = try await Store.open(.sqlite(path: database))
        let year = try await store.load(school: "OAK", year: AcademicYear(startYear: 2025))
        try await store.close()
        return year
    }

    /// A CTF (version 25.0) holding one pupil.
    static func ctf(upn: String, surname: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <CTfile><Header><DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion>
        <DateTime>2025-07-11T10:00:00</DateTime><DocumentQualifier>partial</DocumentQualifier>
        <SourceSchool><LEA>856</LEA><Estab>2001</Estab><URN>120001</URN><SchoolName>Elm Primary</SchoolName><AcademicYear>2024/25</AcademicYear></SourceSchool>
        <DestSchool><LEA>856</LEA><Estab>4001</Estab><URN>OAK</URN></DestSchool></Header>
        <CTFpupilData><Pupil><UPN>\(upn)</UPN><Surname>\(surname)</Surname><Forename>Tilly</Forename><DOB>2010-03-14</DOB><Sex>F</Sex>
        <FSMhistory/></Pupil></CTFpupilData></CTfile>
        """
    }

    @Test func aCTFMatchesTheStoredPupilByUPNAndKeepsTheirYearGroup() async throws {
        let (folder, database) = try await oakfield()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try await load(database)
        let tilly = try #require(before.pupils.first { $0.upn?.rawValue == "M856100125001" })
        #expect((tilly.id, tilly.yearGroup) == ("00123", 10))
        let file = folder.appendingPathComponent("tilly.xml")
        try Self.ctf(upn: "M856100125001", surname: "Quorn-Hale").write(to: file, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["import", "ctf", "--database", database, "--school", "OAK",
                                              "--ks2-codes", CLITests.repository.appendingPathComponent(KS2CodeTable.defaultPath).path, file.path]) == 0)
        let after = try await load(database)
        #expect(after.pupils.count == before.pupils.count)  // no second record under the UPN
        let updated = try #require(after.pupils.first { $0.id == "00123" })
        #expect(updated.surname == "Quorn-Hale" && updated.yearGroup == 10)  // matched, renamed, still Year 10
        // An empty FSM history says "never FSM", not "not disadvantaged": the MIS's "true" (PP = Y) stands.
        #expect(updated.characteristics[Characteristic.disadvantaged] == tilly.characteristics[Characteristic.disadvantaged])
    }

    @Test func importedTargetsKeepOverridesAndWhatTheFileLeavesOut() async throws {
        let (folder, database) = try await oakfield()
        defer { try? FileManager.default.removeItem(at: folder) }
        func targets() async throws -> [String: Target] {
            Dictionary(uniqueKeysWithValues: try await load(database).targets.map { ("\($0.pupil)/\($0.subject)", $0) })
        }
        let first = folder.appendingPathComponent("fft.csv")
        try "pupil,subject,target,set_by,percentile_band\n00123,MA,7,FFT,FFT20\n00123,EN,6,FFT,FFT20\n".write(to: first, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["targets", "import", "--database", database, first.path]) == 0)
        #expect(await Headway.run(arguments: ["targets", "override", "--database", database, "--pupil", "00123", "--subject", "MA",
                                              "--grade", "8", "--by", "JSM", "--reason", "moved to set 1"]) == 0)
        // The same targets, re-sorted, renamed, without set_by or band: nothing changes.
        let second = folder.appendingPathComponent("fft-again.csv")
        try "pupil,subject,target\n00123,EN,6\n00123,MA,7\n".write(to: second, atomically: true, encoding: .utf8)
        let auditBefore = try await auditCount(database)
        #expect(await Headway.run(arguments: ["targets", "import", "--database", database, second.path]) == 0)
        let stored = try await targets()
        #expect(stored["00123/MA"]?.method == .override && stored["00123/MA"]?.grade.stored == "8")
        #expect(stored["00123/EN"]?.setBy == "FFT" && stored["00123/EN"]?.percentileBand == "FFT20")
        #expect(try await auditCount(database) == auditBefore)
        // Asked for, the override is replaced.
        #expect(await Headway.run(arguments: ["targets", "import", "--database", database, "--replace-overrides", second.path]) == 0)
        #expect(try await targets()["00123/MA"]?.method == .imported)
    }

    func auditCount(_ database: String) async throws -> Int {
        let store = try await Store.open(.sqlite(path: database))
        let count = try await store.auditLog(school: "OAK").count
        try await store.close()
        return count
    }

    @Test func aClassListCannotCreatePupilsAndNamesTheLostZeros() async throws {
        let (folder, database) = try await oakfield()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("classes.csv")
        // 124 is 00124 with its zeros lost in Excel; 00123 is known.
        try "Adno,Legal Surname,Legal Forename,Year,Reg,Class,Subject,Teacher Code\n00123,Quorn,Tilly,10,10Q,10x/Ma1,Mathematics,JSM\n124,Fenwick-Lowe,Jasper,10,10F,10x/Ma1,Mathematics,JSM\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let presets = CLITests.repository.appendingPathComponent("data/presets").path
        let before = try await load(database)
        #expect(await Headway.run(arguments: ["import", "--database", database, "--preset", "sims-classes", "--presets", presets, file.path]) == 1)
        #expect(try await load(database).teachingGroups.count == before.teachingGroups.count)  // nothing saved
        #expect(await Headway.run(arguments: ["import", "--database", database, "--preset", "sims-classes", "--presets", presets,
                                              "--accept-valid", file.path]) == 0)
        let after = try await load(database)
        #expect(after.pupils.count == before.pupils.count)  // no nameless pupil "124"
        #expect(after.teachingGroups.first { $0.id == "10x/Ma1" }?.pupils == ["00123"])
    }

    /// Issue 12, item 13: a pupil row whose admission number lost its zeros (`123` for `00123`)
    /// and has no UPN is the stored pupil, not a second one; if its surname is another pupil's,
    /// the import is refused and nothing is saved.
    @Test func aPupilRowWhoseIdLostItsZerosIsTheStoredPupilOrRefused() async throws {
        let (folder, database) = try await oakfield()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mapping = Self.fixtures.appendingPathComponent("oakfield-long.toml").path
        let header = "Adno,UPN,Forename,Surname,DOB,Year,Reg,Gender,PP,SEN,KS2 Reading,KS2 Maths,Subject,Collection,Grade,Predicted,ATL\n"
        let before = try await load(database)
        let same = folder.appendingPathComponent("same.csv")
        try (header + "123,,Tilly,Quorn,2010-03-14,10,10Q,F,Y,N,104,99,EN,Y10DC1,7,7,1\n").write(to: same, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["import", "--database", database, "--mapping", mapping, same.path]) == 0)
        let after = try await load(database)
        #expect(after.pupils.count == before.pupils.count)
        #expect(!after.pupils.contains { $0.id == "123" })
        #expect(after.assessments.first { $0.pupil == "00123" && $0.subject == "EN" && $0.collection == "Y10DC1" }?.workingAt?.stored == "7")

        let other = folder.appendingPathComponent("other.csv")
        try (header + "123,,Tilly,Marlowe,2010-03-14,10,10Q,F,Y,N,104,99,EN,Y10DC1,8,7,1\n").write(to: other, atomically: true, encoding: .utf8)
        let audit = try await auditCount(database)
        #expect(await Headway.run(arguments: ["import", "--database", database, "--mapping", mapping, other.path]) == 1)
        let refused = try await load(database)
        #expect(refused.pupils == after.pupils && refused.assessments == after.assessments)
        #expect(try await auditCount(database) == audit)
    }

    @Test func aPictureOrAWorkbookIsNotReadAsACSV() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = KS4ResultsFile().read(contentsOf: file)
        #expect(result.pupils.isEmpty && result.issues.map(\.code) == [.unusableFile])
        #expect(result.issues.first?.reason.hasPrefix("not a text file") == true)
        #expect(TextDecoding.binaryIssue(Data([0x50, 0x4B, 0x03, 0x04, 1, 2]), file: "book.xlsx")?.reason.contains("Excel") == true)
        #expect(TextDecoding.binaryIssue(Data("a,b\n1,2\n".utf8), file: "ok.csv") == nil)
        #expect(TextDecoding.binaryIssue(Data([0xFF, 0xFE, 0x61, 0]), file: "utf16.csv") == nil)  // UTF-16 has NULs and is text
    }

    @Test func aMisspeltResultSubjectIsWarnedAbout() {
        let known = ExamResultsFile.KnownPupils([(id: "00123", upn: nil)])
        let text = "pupil,subject,grade,date\n00123,englsh_language,9,2026-08-20\n00123,art,7,2026-08-20\n"
        let result = ExamResultsFile(pupils: known).read(name: "results.csv", contents: Data(text.utf8))
        #expect(result.results.count == 2)  // still counted, as any other subject (DfE open element)
        let warning = result.warnings.first { $0.code == .unknownSubject }
        #expect(warning?.line == 2 && warning?.value == "englsh_language")
        #expect(warning?.reason.hasSuffix("did you mean english_language?") == true)
        #expect(result.warnings.count == 1)  // art is a real subject: no warning
    }

    /// libxml2 refused a CTF of 10 MB or more handed over whole; the reader now streams.
    @Test func aCTFOver10MBIsRead() throws {
        let generated = DemoCTF.generate(.init(pupils: 7_500))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).xml")
        try generated.text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0 > 10_000_000)
        let result = CTFFile(codes: .shipped).read(contentsOf: file)
        #expect(!result.refused && result.errors.isEmpty)
        #expect(result.pupils.map(\.id.rawValue) == generated.upns)
    }

    /// Issue 5, item 6: pupil records and targets name the file and line they came from.
    @Test func auditRowsNameTheFileAndLine() async throws {
        let (folder, database) = try await oakfield()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("fft.csv")
        try "pupil,subject,target\n00124,MA,6\n00123,MA,7\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["targets", "import", "--database", database, file.path]) == 0)
        try "pupil,subject,target\n00123,MA,8\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["targets", "import", "--database", database, file.path]) == 0)
        let store = try await Store.open(.sqlite(path: database))
        let tilly = try await store.auditLog(school: "OAK", pupil: "00123")
        try await store.close()
        // Tilly's first row in grades.csv is line 2; her target was line 3, then line 2 of the new file.
        #expect(tilly.first { $0.table == "pupils" }?.source == "grades.csv:2")
        let targets = tilly.filter { $0.table == "targets" }
        #expect(targets.map(\.action) == ["create", "update"])
        #expect(targets[0].newValue?.hasSuffix("[fft.csv:3]") == true)
        #expect(targets[1].source == "fft.csv:2" && targets[1].oldValue == "7 (imported)" && targets[1].newValue == "8 (imported)")
    }

    /// A path that is not there, or a folder, is misuse (2) for every importer; a file with only a
    /// header imports nothing and says so (1).
    @Test func missingFilesAreMisuseAndEmptyFilesSaySo() async throws {
        let (folder, database) = try await oakfield()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nope.csv").path
        let mapping = Self.fixtures.appendingPathComponent("oakfield-long.toml").path
        for arguments in [["import", "--mapping", mapping, missing], ["import", "--mapping", mapping, folder.path],
                          ["import", "ctf", missing], ["import", "results", missing], ["import", "dfe-performance", "--ks4-year", "2019", missing],
                          ["markbook", "import", "--collection", "Y10DC1", missing]] {
            #expect(await Headway.run(arguments: arguments + ["--database", database]) == 2, "\(arguments)")
        }
        #expect(await Headway.run(arguments: ["mapping", "suggest", missing]) == 2)
        let headerOnly = folder.appendingPathComponent("header.csv")
        try "Adno,UPN,Forename,Surname,DOB,Year,Reg,Gender,PP,SEN,KS2 Reading,KS2 Maths,Subject,Collection,Grade,Predicted,ATL\n"
            .write(to: headerOnly, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["import", "--database", database, "--mapping", mapping, headerOnly.path]) == 1)
    }
}
