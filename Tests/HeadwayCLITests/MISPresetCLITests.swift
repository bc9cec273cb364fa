import Foundation
@testable import HeadwayCLI
import HeadwayCore
import HeadwayStore
import Testing

/// `headway import --preset` and `headway mapping` end to end on the SIMS fixtures
/// (Tests/HeadwayImportTests/Fixtures/mis, invented people): a pupil list, then a class list,
/// then a staff list into one SQLite file; re-imports that change nothing; a dry run that saves
/// nothing; a staff name that survives a later class list.
@Suite(.serialized) struct MISPresetCLITests {
    static let mis = CLITests.fixtures.appendingPathComponent("mis")
    static let presets = CLITests.repository.appendingPathComponent("data/presets").path
    static let year = AcademicYear(startYear: 2026)

    func file(_ name: String) -> String { Self.mis.appendingPathComponent(name).path }

    func run(_ arguments: [String]) async -> Int32 {
        await Headway.run(arguments: arguments)
    }

    func load(_ database: String, school: School.ID = "OAK") async throws -> SchoolYear {
        let store = try await Store.open(.sqlite(path: database))
        do {
            let year = try await store.load(school: school, year: Self.year)
            try await store.close()
            return year
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Audit rows about pupils (entries, targets, pupil records).
    func auditCount(_ database: String) async throws -> Int {
        try await auditRows(database).filter { $0.pupil != nil }.count
    }

    func auditRows(_ database: String) async throws -> [AuditEntry] {
        let store = try await Store.open(.sqlite(path: database))
        let rows = try await store.auditLog(school: "OAK")
        try await store.close()
        return rows
    }

    @Test func pupilThenClassThenStaffListsThroughPresets() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("oak.sqlite").path
        let base = ["import", "--database", database, "--presets", Self.presets]

        // 1. The pupil list: the school's mapping gives school, year and subjects; the preset the columns.
        let pupils = base + ["--mapping", file("school.toml"), "--preset", "sims-pupils", file("sims-pupils.csv")]
        #expect(await run(pupils) == 0)
        var year = try await load(database)
        #expect(year.school.name == "Oakfield Academy (fictional)")
        #expect(year.subjects.map(\.id.rawValue) == ["EN", "MA", "SC"])
        #expect(year.pupils.map(\.id.rawValue) == ["000040", "000123", "000124", "000125", "000131", "001002"])
        #expect(year.pupils.first { $0.id == "000123" }?.characteristics["sen"] == "N")
        let auditAfterPupils = try await auditCount(database)
        #expect(await run(pupils) == 0)
        #expect(try await auditCount(database) == auditAfterPupils)  // re-import: nothing changes

        // 2. A dry run of the class list saves nothing.
        let classes = base + ["--preset", "sims-classes", file("sims-classes.csv")]
        #expect(await run(classes + ["--dry-run"]) == 0)
        year = try await load(database)
        #expect(year.teachingGroups.isEmpty && year.staff.isEmpty)

        // 3. The class list: the preset alone, school, year and subjects from the database
        // (subjects matched by name: "Mathematics" is MA).
        #expect(await run(classes) == 0)
        year = try await load(database)
        #expect(year.teachingGroups == [
            TeachingGroup(id: "7A/En", subject: "EN", yearGroup: 7, teachers: ["DKH"], pupils: ["000123", "000125"]),
            TeachingGroup(id: "7x/Ma1", subject: "MA", yearGroup: 7, teachers: ["0JS", "RPA"], pupils: ["000123", "000124", "000125"]),
            TeachingGroup(id: "8C/Sc", subject: "SC", yearGroup: 8, teachers: ["DKH", "RPA"], pupils: ["000131", "001002"]),
        ])
        #expect(year.staff == ["0JS", "DKH", "RPA"].map { Staff(id: Staff.ID($0), forename: "", surname: "", roles: []) })
        #expect(try await auditCount(database) == auditAfterPupils)  // same pupils, same values: no pupil change
        // The classes and their code-only teachers are audited as created (issue 12, item 13).
        let created = try await auditRows(database).filter { $0.pupil == nil && $0.action == "create" }
        #expect(created.map { "\($0.table) \($0.recordKey)" }.suffix(2) == ["staff 3 new", "teaching_groups 3 new"])

        // 4. The staff list fills in the names.
        let staff = base + ["--preset", "sims-staff", file("sims-staff.csv")]
        #expect(await run(staff) == 0)
        year = try await load(database)
        let smith = Staff(id: "0JS", title: "Ms", forename: "Jo", surname: "Smith", email: "j.smith@oakfield.example", roles: [])
        #expect(year.staff == [
            smith,
            Staff(id: "DKH", title: "Dr", forename: "Dana", surname: "Khan", email: nil, roles: []),
            Staff(id: "RPA", title: "Mr", forename: "Ravi", surname: "Patel", email: "r.patel@oakfield.example", roles: []),
        ])

        // 5. A later class list (code-only teachers) never blanks a name; re-importing changes nothing.
        #expect(await run(classes) == 0)
        #expect(await run(staff) == 0)
        year = try await load(database)
        #expect(year.staff.first { $0.id == "0JS" } == smith)
        #expect(year.teachingGroups.count == 3)
        #expect(try await auditCount(database) == auditAfterPupils)
        // The staff list's names and emails are audited, once: re-importing wrote nothing more.
        let staffChanges = try await auditRows(database).filter { $0.table == "staff" && $0.action == "update" }
        #expect(staffChanges.map(\.recordKey) == ["0JS.title", "0JS.forename", "0JS.surname", "0JS.email", "DKH.title", "DKH.forename",
                                                   "DKH.surname", "RPA.title", "RPA.forename", "RPA.surname", "RPA.email"])
        #expect(staffChanges.first.map { [$0.oldValue ?? "blank", $0.newValue ?? "blank"] } == ["blank", "Ms"])

        // 6. A class list without year or reg columns keeps the pupils' stored year groups.
        let partial = folder.appendingPathComponent("classes-no-year.csv")
        try "Adno,Class,Subject,Teacher Code\n000131,8C/Sc,SC,RPA;DKH\n001002,8C/Sc,SC,RPA\n".write(to: partial, atomically: true, encoding: .utf8)
        #expect(await run(base + ["--preset", "sims-classes", partial.path]) == 0)
        year = try await load(database)
        #expect(year.pupils.first { $0.id == "000131" }?.yearGroup == 8)
        #expect(year.pupils.first { $0.id == "000131" }?.tutorGroup == "8C")
        #expect(year.teachingGroups.first { $0.id == "8C/Sc" }?.yearGroup == 8)
        #expect(try await auditCount(database) == auditAfterPupils)
    }

    @Test func aPresetAloneIntoANewDatabaseNeedsSchoolAndYear() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("new.sqlite").path
        let base = ["import", "--database", database, "--presets", Self.presets, "--preset", "arbor-pupils"]
        #expect(await run(base + [file("arbor-pupils.csv")]) == 2)  // no database yet: which school?
        #expect(!FileManager.default.fileExists(atPath: database))
        #expect(await run(base + ["--school", "OAK", "--year", "2026/27", "--dry-run", file("arbor-pupils.csv")]) == 0)
        #expect(!FileManager.default.fileExists(atPath: database))  // a dry run creates nothing
        #expect(await run(base + ["--school", "OAK", "--year", "2026/27", file("arbor-pupils.csv")]) == 0)
        let year = try await load(database)
        #expect(year.pupils.map(\.id.rawValue) == ["000201", "000202", "000203", "000204"])
        #expect(year.pupils.first { $0.id == "000203" }?.forename == "Zoë")
        // A class list needs stored subjects: none here.
        #expect(await run(["import", "--database", database, "--presets", Self.presets, "--preset", "arbor-classes", file("arbor-classes.csv")]) == 1)
        // Now the school is stored, the preset alone finds it.
        #expect(await run(["import", "--database", database, "--presets", Self.presets, "--preset", "arbor-staff", file("arbor-staff.csv")]) == 0)
        #expect(try await load(database).staff.count == 4)
    }

    @Test func misuseAndListing() async throws {
        #expect(await run(["import", "--list-presets", "--presets", Self.presets]) == 0)
        #expect(await run(["mapping", "presets", "--presets", Self.presets]) == 0)
        #expect(try presetListing(folder: Self.presets).split(separator: "\n").count == 9)
        #expect(try presetListing(folder: Self.presets).contains("  sims-classes     class list  SIMS class list:"))
        // Neither a mapping nor a preset; --school with a mapping; an unknown preset.
        #expect(await run(["import", file("sims-pupils.csv")]) == 2)
        #expect(await run(["import", "--mapping", file("school.toml"), "--school", "OAK", file("sims-pupils.csv")]) == 2)
        #expect(await run(["import", "--presets", Self.presets, "--preset", "sims-pupil", "--school", "OAK", "--year", "2026/27", file("sims-pupils.csv")]) == 2)  // misuse, like a mistyped option
    }

    @Test func suggestWritesAMappingThatImportsTheFile() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("suggested.toml").path
        #expect(await run(["mapping", "suggest", file("bromcom-pupils.csv"), "--out", out, "--school", "OAK", "--year", "2026/27"]) == 0)
        let toml = try String(contentsOfFile: out, encoding: .utf8)
        #expect(toml.contains("pupil_id = \"Admission Number\""))
        #expect(await run(["mapping", "suggest", file("bromcom-pupils.csv"), "--out", out]) == 2)  // never overwrites
        let database = folder.appendingPathComponent("s.sqlite").path
        #expect(await run(["import", "--database", database, "--mapping", out, file("bromcom-pupils.csv")]) == 0)
        #expect(try await load(database).pupils.count == 3)
    }
}
