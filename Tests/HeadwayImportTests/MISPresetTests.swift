import Foundation
import HeadwayCore
import Testing
@testable import HeadwayImport

/// The MIS presets (data/presets) reading their fixtures (Fixtures/mis, invented people), and
/// the class-list and staff-list rules of ColumnMapping. Every expected value is read off the
/// fixture rows by hand.
@Suite struct MISPresetTests {
    static let repository = Fixtures.folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let presetsFolder = repository.appendingPathComponent("data/presets")
    static let year = AcademicYear(startYear: 2026)
    static let school = School(id: "OAK", name: "Oakfield Academy (fictional)")
    /// The subjects a class list is matched against (as the database would hold them).
    static let subjects = [
        Subject(id: "EN", name: "English", scale: GradeScale.gcseID),
        Subject(id: "MA", name: "Mathematics", scale: GradeScale.gcseID),
        Subject(id: "SC", name: "Science", scale: GradeScale.combinedScienceID),
    ]

    static func preset(_ name: String) throws -> MappingPreset {
        try MappingPreset.named(name, in: presetsFolder)
    }

    static func mapping(_ name: String) throws -> ColumnMapping {
        try preset(name).mapping(school: school, academicYear: year, subjects: subjects)
    }

    /// Reads a fixture of Fixtures/mis with a preset.
    static func read(_ preset: String, _ file: String) throws -> ImportResult {
        CSVImporter(mapping: try mapping(preset)).read(files: [(file, try Fixtures.data("mis/\(file)"))])
    }

    /// Reads CSV text written in a test with a preset.
    static func read(_ preset: String, text: String, name: String = "export.csv") throws -> ImportResult {
        CSVImporter(mapping: try mapping(preset)).read(files: [(name, Data(text.utf8))])
    }

    static func group(_ result: ImportResult, _ id: String) -> TeachingGroup? {
        result.year.teachingGroups.first { $0.id.rawValue == id }
    }

    // MARK: The presets themselves

    @Test func nineOneLinePresetsOfEachKind() throws {
        let presets = try MappingPreset.all(in: Self.presetsFolder)
        #expect(presets.map(\.name) == ["arbor-classes", "arbor-pupils", "arbor-staff", "bromcom-classes", "bromcom-pupils", "bromcom-staff",
                                        "sims-classes", "sims-pupils", "sims-staff"])
        for preset in presets {
            let expected: ColumnMapping.Kind = preset.name.hasSuffix("pupils") ? .pupils : preset.name.hasSuffix("classes") ? .classes : .staff
            #expect(preset.kind == expected, "\(preset.name)")
            #expect(!preset.summary.isEmpty && !preset.summary.contains("\n"), "\(preset.name)")
        }
    }

    @Test func anUnknownPresetNameSuggestsTheNearest() throws {
        do throws(ImportIssue) {
            _ = try MappingPreset.named("sims-pupil", in: Self.presetsFolder)
            Issue.record("expected an error")
        } catch {
            #expect(error.reason.contains("did you mean sims-pupils?"))
            #expect(error.reason.contains("arbor-classes, arbor-pupils"))
        }
    }

    @Test func aPresetHoldsOnlyColumnsCharacteristicsAndValueMaps() throws {
        do throws(ImportIssue) {
            _ = try MappingPreset(toml: "academic_year = \"2026/27\"\n[columns]\npupil_id = \"Adno\"\n", file: "mine.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "mine.toml")
            #expect(error.column == "academic_year")
            #expect(error.reason.contains("a preset holds only [columns]"))
        }
        // A mistake in a preset's columns names the preset.
        do throws(ImportIssue) {
            _ = try MappingPreset(toml: "[columns]\npupil_id = \"Adno\"\nteaching_grup = \"Class\"\n", file: "mine.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "mine.toml")
            #expect(error.reason.contains("did you mean teaching_group?"))
        }
    }

    // MARK: Pupil lists

    @Test func simsPupilListReadsEveryFieldKeepingLeadingZeros() throws {
        let result = try Self.read("sims-pupils", "sims-pupils.csv")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.year.pupils.map(\.id.rawValue) == ["000040", "000123", "000124", "000125", "000131", "001002"])
        let tilly = try #require(result.pupil("000123"))
        #expect(tilly.upn?.rawValue == "T856400124001")
        #expect(tilly.forename == "Tilly" && tilly.surname == "Quorn")
        #expect(tilly.dateOfBirth == CalendarDate(year: 2015, month: 3, day: 14))
        #expect(tilly.yearGroup == 7 && tilly.tutorGroup == "7A")
        #expect(tilly.characteristics == ["gender": "F", "disadvantaged": "true", "fsm": "true", "sen": "N", "eal": "false"])
        #expect(tilly.priorAttainment == PriorAttainment(readingScaledScore: 104, mathsScaledScore: 99))
        // Niamh: no reading score, maths 112; EHC plan; EAL.
        let niamh = try #require(result.pupil("000125"))
        #expect(niamh.priorAttainment == PriorAttainment(readingScaledScore: nil, mathsScaledScore: 112))
        #expect(niamh.characteristics["sen"] == "E" && niamh.characteristics["eal"] == "true")
        // T/F and Yes/No are read as true/false; "SEN Support" as K; the pre-2014 S as E.
        #expect(result.pupil("000131")?.characteristics["disadvantaged"] == "true")
        #expect(result.pupil("000131")?.characteristics["fsm"] == "false")
        #expect(result.pupil("001002")?.characteristics["sen"] == "K")
        let oliver = try #require(result.pupil("000040"))
        #expect(oliver.characteristics == ["gender": "M", "disadvantaged": "true", "fsm": "false", "sen": "E", "eal": "false"])
        #expect(oliver.yearGroup == 9)
    }

    @Test func arborPupilListMapsYearsGenderAndSENWords() throws {
        let result = try Self.read("arbor-pupils", "arbor-pupils.csv")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.year.pupils.map(\.id.rawValue) == ["000201", "000202", "000203", "000204"])
        let amara = try #require(result.pupil("000201"))
        #expect(amara.forename == "Amara" && amara.surname == "Okafor")
        #expect(amara.dateOfBirth == CalendarDate(year: 2011, month: 10, day: 9))
        #expect(amara.yearGroup == 10 && amara.tutorGroup == "10R")
        #expect(amara.characteristics == ["gender": "F", "disadvantaged": "true", "fsm": "true", "sen": "N", "eal": "true"])
        #expect(amara.priorAttainment == PriorAttainment(readingScaledScore: 101, mathsScaledScore: 103))
        #expect(result.pupil("000202")?.characteristics["sen"] == "K")
        let zoe = try #require(result.pupil("000203"))
        #expect(zoe.forename == "Zoë" && zoe.yearGroup == 11)
        #expect(zoe.characteristics["sen"] == "E")  // "Education, Health and Care Plan", quoted with its comma
        #expect(zoe.priorAttainment == nil)
        let idris = try #require(result.pupil("000204"))
        #expect(idris.characteristics["sen"] == "E" && idris.characteristics["gender"] == "M")
        #expect(idris.priorAttainment == PriorAttainment(readingScaledScore: 110, mathsScaledScore: nil))
    }

    @Test func bromcomPupilListReadsBothYearFormsAndCodedSENWords() throws {
        let result = try Self.read("bromcom-pupils", "bromcom-pupils.csv")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.year.pupils.map(\.id.rawValue) == ["000301", "000302", "000303"])
        let kasia = try #require(result.pupil("000301"))
        #expect(kasia.upn?.rawValue == "R330400324001")
        #expect(kasia.forename == "Kasia" && kasia.surname == "Nowak")
        #expect(kasia.dateOfBirth == CalendarDate(year: 2013, month: 7, day: 15))
        #expect(kasia.yearGroup == 9 && kasia.tutorGroup == "9N")
        #expect(kasia.characteristics == ["gender": "F", "disadvantaged": "false", "fsm": "false", "sen": "N", "eal": "true"])
        let sam = try #require(result.pupil("000302"))
        #expect(sam.yearGroup == 9)  // "Year 9"
        #expect(sam.characteristics["sen"] == "K" && sam.characteristics["disadvantaged"] == "true")
        #expect(sam.priorAttainment == PriorAttainment(readingScaledScore: 88, mathsScaledScore: 91))
        #expect(result.pupil("000303")?.characteristics["sen"] == "E")
        #expect(result.pupil("000303")?.priorAttainment == PriorAttainment(readingScaledScore: 105, mathsScaledScore: nil))
    }

    @Test func aPupilTwiceInAPupilListRejectsBothRowsNamingBothLines() throws {
        let text = """
            Adno,UPN,Legal Surname,Legal Forename,DOB,Gender,Year,Reg,Pupil Premium Indicator,FSM Eligible,SEN Status,EAL,KS2 Reading Scaled Score,KS2 Maths Scaled Score
            000123,T856400124001,Quorn,Tilly,14/03/2015,F,7,7A,Y,Y,N,N,104,99
            000123,T856400124001,Quorn,Tilly,14/03/2015,F,7,7A,Y,Y,N,N,104,99
            000124,G856400124002,Fenwick-Lowe,Jasper,21/11/2014,M,7,7B,N,N,K,N,95,101
            """
        let result = try Self.read("sims-pupils", text: text)
        let issues = result.issues(.duplicateRecord)
        #expect(issues.map(\.line) == [3])
        #expect(issues.first?.reason == "pupil 000123 is also on line 2 — both rows rejected: remove one")
        #expect(result.year.pupils.map(\.id.rawValue) == ["000124"])
        #expect(result.rowsRejected == 2)
    }

    @Test func optionalColumnsMissingFromTheExportAreWarnedNotRefused() throws {
        // A SIMS report without KS2, EAL or FSM columns.
        let text = """
            Adno,UPN,Legal Surname,Legal Forename,DOB,Gender,Year,Reg,Pupil Premium Indicator,SEN Status
            000123,T856400124001,Quorn,Tilly,14/03/2015,F,7,7A,Y,N
            """
        let result = try Self.read("sims-pupils", text: text)
        #expect(!result.hasErrors)
        #expect(Set(result.issues(.missingColumn).map(\.column)) == ["KS2 Reading Scaled Score", "KS2 Maths Scaled Score", "FSM Eligible", "EAL"])
        #expect(result.issues(.missingColumn).allSatisfy { $0.severity == .warning && $0.reason.contains("it is optional") })
        #expect(result.pupil("000123")?.characteristics == ["gender": "F", "disadvantaged": "true", "sen": "N"])
        #expect(result.pupil("000123")?.priorAttainment == nil)
        // A required column missing still refuses the file.
        let noYear = try Self.read("sims-pupils", text: "Adno,Legal Surname,Legal Forename\n000123,Quorn,Tilly\n")
        #expect(noYear.errors.filter { $0.code == .missingColumn }.map(\.column) == ["Year"])
        #expect(noYear.year.pupils.isEmpty)
    }

    // MARK: Class lists

    @Test func simsClassListBuildsClassesTeachersAndPupils() throws {
        let result = try Self.read("sims-classes", "sims-classes.csv")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.year.teachingGroups == [
            TeachingGroup(id: "7A/En", subject: "EN", yearGroup: 7, teachers: ["DKH"], pupils: ["000123", "000125"]),
            TeachingGroup(id: "7x/Ma1", subject: "MA", yearGroup: 7, teachers: ["0JS", "RPA"], pupils: ["000123", "000124", "000125"]),
            TeachingGroup(id: "8C/Sc", subject: "SC", yearGroup: 8, teachers: ["DKH", "RPA"], pupils: ["000131", "001002"]),
        ])
        // Teachers named become code-only staff records, so the store's foreign keys hold.
        #expect(result.year.staff == ["0JS", "DKH", "RPA"].map { Staff(id: Staff.ID($0), forename: "", surname: "", roles: []) })
        #expect(result.year.pupils.map(\.id.rawValue) == ["000123", "000124", "000125", "000131", "001002"])
        #expect(result.pupil("000131")?.yearGroup == 8)
        #expect(result.pupil("000124")?.surname == "Fenwick-Lowe")
        #expect(result.year.assessments.isEmpty)
    }

    @Test func arborClassListSplitsTeacherCellsAndReadsYearWords() throws {
        let result = try Self.read("arbor-classes", "arbor-classes.csv")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.year.teachingGroups == [
            TeachingGroup(id: "10/Sc2", subject: "SC", yearGroup: 10, teachers: ["RPA"], pupils: ["000201"]),
            TeachingGroup(id: "10R/Ma", subject: "MA", yearGroup: 10, teachers: ["0JS", "RPA"], pupils: ["000201", "000202"]),
            TeachingGroup(id: "11/En1", subject: "EN", yearGroup: 11, teachers: ["DKH"], pupils: ["000203", "000204"]),
        ])
        #expect(result.year.staff.map(\.id.rawValue) == ["0JS", "DKH", "RPA"])
    }

    @Test func bromcomClassListMatchesSubjectsByName() throws {
        let result = try Self.read("bromcom-classes", "bromcom-classes.csv")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.year.teachingGroups == [
            TeachingGroup(id: "9E/En", subject: "EN", yearGroup: 9, teachers: ["DKH"], pupils: ["000302", "000303"]),
            TeachingGroup(id: "9N/Ma", subject: "MA", yearGroup: 9, teachers: ["0JS", "RPA"], pupils: ["000301", "000302"]),
        ])
    }

    static let classHeader = "Adno,Legal Surname,Legal Forename,Year,Reg,Class,Subject,Teacher Code"

    /// Issue 12, item 13: a name or code with a control character, a terminal escape sequence or
    /// a direction override never reaches a terminal or a page: the row is refused with the
    /// reason. A staff code holding a class-list separator is refused, not split in two.
    @Test func unsafeNamesAndSeparatorStaffCodesAreRefused() throws {
        let classes = try Self.read("sims-classes", text: """
            \(Self.classHeader)
            000123,Quorn\u{1B}[2J,Tilly,7,7A,7x/Ma1,Mathematics,0JS
            000124,Fenwick-Lowe,Jas\u{202E}rep,7,7B,7x/Ma1,Mathematics,0JS
            000125,Okoro,Ada,7,7C,7x/Ma1,Mathematics,0JS
            """)
        #expect(classes.errors.map(\.line) == [2, 3])
        #expect(classes.errors.map(\.code) == [.unsafeText, .unsafeText])
        #expect(classes.errors[0].column == "Legal Surname")
        #expect(classes.errors[0].reason == "the surname holds an escape character (U+001B), which can send commands to a terminal: correct it in the MIS and export again")
        #expect(classes.errors[1].reason.hasPrefix("the forename holds a right-to-left or left-to-right override (U+202E)"))
        // The message itself shows the escape visibly, never raw.
        #expect(!classes.errors[0].description.contains("\u{1B}") && classes.errors[0].description.contains("\\u{1B}"))
        #expect(classes.year.pupils.map(\.id) == ["000125"])

        let staff = try Self.read("sims-staff", text: """
            Staff Code,Title,Legal Forename,Legal Surname,Work Email
            J/SM,Ms,Jo,Smith,j.smith@oakfield.example
            RPA,Mr,Ravi,Pat\u{7}el,r.patel@oakfield.example
            DKH,Dr,Dev,Khan,d.khan@oakfield.example
            """)
        #expect(staff.errors.map(\.line) == [2, 3])
        #expect(staff.errors.map(\.code) == [.invalidStaffCode, .unsafeText])
        #expect(staff.errors[0].reason.hasPrefix("a staff code cannot hold '/': class lists separate teachers' codes with ',', '/', ';'"))
        #expect(staff.errors[1].reason == "the surname holds a control character (U+0007): correct it in the MIS and export again")
        #expect(staff.year.staff.map(\.id) == ["DKH"])
    }

    @Test func aClassWithTwoSubjectsRejectsTheLaterRowNamingBothLines() throws {
        let result = try Self.read("sims-classes", text: """
            \(Self.classHeader)
            000123,Quorn,Tilly,7,7A,7x/Ma1,Mathematics,0JS
            000124,Fenwick-Lowe,Jasper,7,7B,7x/Ma1,English,0JS
            """)
        let issue = try #require(result.issues(.conflictingClass).first)
        #expect(result.issues(.conflictingClass).count == 1)
        #expect(issue.line == 3 && issue.column == "Subject" && issue.value == "EN")
        #expect(issue.reason.contains("class 7x/Ma1 has subject MA on line 2"))
        #expect(result.year.teachingGroups.map(\.pupils) == [["000123"]])
        #expect(result.pupil("000124") == nil)  // a rejected row contributes nothing
    }

    @Test func aPupilTwiceInOneClassRejectsBothRows() throws {
        let result = try Self.read("sims-classes", text: """
            \(Self.classHeader)
            000123,Quorn,Tilly,7,7A,7x/Ma1,Mathematics,0JS
            000124,Fenwick-Lowe,Jasper,7,7B,7x/Ma1,Mathematics,0JS
            000123,Quorn,Tilly,7,7A,7x/Ma1,Mathematics,RPA
            000123,Quorn,Tilly,7,7A,7A/En,English,DKH
            """)
        let issues = result.issues(.duplicateRecord)
        #expect(issues.map(\.line) == [4])
        #expect(issues.first?.reason == "pupil 000123 in class 7x/Ma1 is also on line 2 — both rows rejected: remove one")
        #expect(result.rowsRejected == 2)
        // The same pupil in another class is not a duplicate.
        #expect(result.year.teachingGroups == [
            TeachingGroup(id: "7A/En", subject: "EN", yearGroup: 7, teachers: ["DKH"], pupils: ["000123"]),
            TeachingGroup(id: "7x/Ma1", subject: "MA", yearGroup: 7, teachers: ["0JS"], pupils: ["000124"]),
        ])
        #expect(result.year.staff.map(\.id.rawValue) == ["0JS", "DKH"])  // RPA was only on a rejected row
    }

    @Test func anUnknownSubjectNamesLineAndValueAndTheNearestSubject() throws {
        let result = try Self.read("sims-classes", text: "\(Self.classHeader)\n000123,Quorn,Tilly,7,7A,7x/Ma1,Mathematcs,0JS\n")
        let issue = try #require(result.issues(.unknownSubject).first)
        #expect(issue.line == 2 && issue.value == "Mathematcs")
        #expect(issue.reason.contains("did you mean MA (Mathematics)?"))
        #expect(result.year.teachingGroups.isEmpty)
    }

    @Test func aClassListWithoutYearGroupsLeavesThemAtZero() throws {
        // Year and Reg are optional in the preset: the pupils' stored year groups stand.
        let result = try Self.read("sims-classes", text: """
            Adno,Class,Subject,Teacher Code
            000123,7x/Ma1,MA,0JS
            000124,7x/Ma1,MA,0JS
            """)
        #expect(!result.hasErrors, "\(result.issues)")
        #expect(Set(result.issues(.missingColumn).compactMap(\.column)) == ["Legal Surname", "Legal Forename", "Year", "Reg"])
        #expect(result.year.pupils.map(\.yearGroup) == [0, 0])
        #expect(result.year.pupils.map(\.forename) == ["", ""])
        #expect(result.year.teachingGroups == [TeachingGroup(id: "7x/Ma1", subject: "MA", yearGroup: 0, teachers: ["0JS"], pupils: ["000123", "000124"])])
    }

    @Test func aClassRowWithoutClassOrSubjectIsRejected() throws {
        let result = try Self.read("sims-classes", text: """
            \(Self.classHeader)
            000123,Quorn,Tilly,7,7A,,Mathematics,0JS
            000124,Fenwick-Lowe,Jasper,7,7B,7x/Ma1,,0JS
            """)
        #expect(result.issues(.missingValue).map(\.line) == [2, 3])
        #expect(result.issues(.missingValue).map(\.column) == ["Class", "Subject"])
        #expect(result.year.teachingGroups.isEmpty && result.year.pupils.isEmpty)
    }

    // MARK: Staff lists

    @Test func staffListsKeepCodesAsTextAndBlankFieldsAsAbsent() throws {
        let sims = try Self.read("sims-staff", "sims-staff.csv")
        #expect(sims.issues.isEmpty, "\(sims.issues)")
        #expect(sims.year.staff == [
            Staff(id: "0JS", title: "Ms", forename: "Jo", surname: "Smith", email: "j.smith@oakfield.example", roles: []),
            Staff(id: "DKH", title: "Dr", forename: "Dana", surname: "Khan", email: nil, roles: []),
            Staff(id: "RPA", title: "Mr", forename: "Ravi", surname: "Patel", email: "r.patel@oakfield.example", roles: []),
        ])
        #expect(sims.year.pupils.isEmpty && sims.year.teachingGroups.isEmpty)
        #expect(sims.rowsAccepted == 3)

        let arbor = try Self.read("arbor-staff", "arbor-staff.csv")
        #expect(arbor.issues.isEmpty, "\(arbor.issues)")
        #expect(arbor.year.staff.map(\.id.rawValue) == ["0AB", "0JS", "DKH", "RPA"])
        #expect(arbor.year.staff[0] == Staff(id: "0AB", title: nil, forename: "Alex", surname: "Brook", email: "a.brook@oakfield.example", roles: []))

        let bromcom = try Self.read("bromcom-staff", "bromcom-staff.csv")
        #expect(bromcom.issues.isEmpty, "\(bromcom.issues)")
        #expect(bromcom.year.staff == [
            Staff(id: "0JS", title: "Ms", forename: "Jo", surname: "Smith", email: "j.smith@oakfield.example", roles: []),
            Staff(id: "DKH", title: "Dr", forename: "Dana", surname: "Khan", email: "d.khan@oakfield.example", roles: []),
        ])
    }

    @Test func aStaffCodeTwiceRejectsBothRowsNamingBothLines() throws {
        let result = try Self.read("sims-staff", text: """
            Staff Code,Title,Legal Forename,Legal Surname,Work Email
            0JS,Ms,Jo,Smith,
            RPA,Mr,Ravi,Patel,
            0JS,Mrs,Joanna,Smith,
            ,Mr,No,Code,
            """)
        let duplicate = try #require(result.issues(.duplicateRecord).first)
        #expect(duplicate.line == 4)
        #expect(duplicate.reason == "staff code 0JS is also on line 2 — both rows rejected: remove one")
        #expect(result.issues(.missingValue).map(\.line) == [5])
        #expect(result.year.staff.map(\.id.rawValue) == ["RPA"])
        #expect(result.rowsAccepted == 1 && result.rowsRejected == 3)
    }

    // MARK: The schema for class and staff lists

    private func issue(_ toml: String) -> ImportIssue? {
        do throws(ImportIssue) {
            _ = try ColumnMapping(toml: "academic_year = \"2026/27\"\n[school]\nid = \"OAK\"\nname = \"Oak\"\n" + toml, file: "m.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test func kindFollowsTheColumnsMapped() throws {
        let head = "academic_year = \"2026/27\"\n[school]\nid = \"OAK\"\nname = \"Oak\"\n"
        #expect(try ColumnMapping(toml: head + "[columns]\npupil_id = \"Adno\"\n", file: "m.toml").kind == .pupils)
        #expect(try ColumnMapping(toml: head + "[columns]\npupil_id = \"Adno\"\nteaching_group = \"Class\"\nsubject = \"Subject\"\n", file: "m.toml").kind == .classes)
        #expect(try ColumnMapping(toml: head + "[columns]\nstaff_code = \"Code\"\n", file: "m.toml").kind == .staff)
    }

    @Test func classAndStaffMistakesAreNamed() throws {
        let typo = try #require(issue("[columns]\npupil_id = \"Adno\"\nteaching_grup = \"Class\"\n"))
        #expect(typo.column == "columns.teaching_grup" && typo.reason.contains("did you mean teaching_group?"))

        let staffWithPupils = try #require(issue("[columns]\nstaff_code = \"Code\"\nupn = \"UPN\"\n[[characteristic]]\nname = \"eal\"\ncolumn = \"EAL\"\n"))
        #expect(staffWithPupils.description.contains("\"columns.upn\": a staff list (columns.staff_code) reads no pupil columns"))
        #expect(staffWithPupils.description.contains("\"characteristic\": a staff list (columns.staff_code) has no pupil characteristics"))

        let orphanStaff = try #require(issue("[columns]\npupil_id = \"Adno\"\nstaff_email = \"Email\"\n"))
        #expect(orphanStaff.column == "columns.staff_email" && orphanStaff.reason.contains("needs columns.staff_code"))

        let orphanTeachers = try #require(issue("[columns]\npupil_id = \"Adno\"\nteachers = \"Teacher\"\n"))
        #expect(orphanTeachers.column == "columns.teachers" && orphanTeachers.reason.contains("map columns.teaching_group"))

        let gradesInClassList = try #require(issue("[columns]\npupil_id = \"Adno\"\nteaching_group = \"Class\"\nworking_at = \"Grade\"\n"))
        #expect(gradesInClassList.column == "columns.working_at" && gradesInClassList.reason.contains("holds no grades"))

        let optionalID = try #require(issue("[columns]\npupil_id = { column = \"Adno\", optional = true }\n"))
        #expect(optionalID.column == "columns.pupil_id" && optionalID.reason.contains("cannot be optional"))

        let optionalUPNIdentity = try #require(issue("[columns]\nupn = { column = \"UPN\", optional = true }\n"))
        #expect(optionalUPNIdentity.reason.contains("the UPN is the pupils' identity"))
    }

    @Test func aClassListFileWithNoSubjectIsRefused() throws {
        let mapping = try ColumnMapping(toml: "academic_year = \"2026/27\"\n[school]\nid = \"OAK\"\nname = \"Oak\"\n[columns]\npupil_id = \"Adno\"\nteaching_group = \"Class\"\n",
                                        file: "m.toml")
        let result = CSVImporter(mapping: mapping).read(files: [("c.csv", Data("Adno,Class\n000123,7x/Ma1\n".utf8))])
        #expect(result.issues(.unusableFile).first?.reason.contains("gives no subject for the classes") == true)
        #expect(result.year.teachingGroups.isEmpty)
    }

    // MARK: A preset with the school's own mapping

    @Test func aSchoolMappingGivesSchoolYearAndSubjectsThePresetTheColumns() throws {
        let mapping = try Self.preset("sims-classes").mapping(combinedWith: Fixtures.url("mis/school.toml"))
        #expect(mapping.file == "school.toml + preset sims-classes.toml")
        #expect(mapping.school == Self.school)
        #expect(mapping.academicYear == Self.year)
        #expect(mapping.subjects.map(\.id.rawValue) == ["EN", "MA", "SC"])
        #expect(mapping.columns.teachingGroup?.name == "Class")  // the school mapping's [columns] are not used
        #expect(mapping.kind == .classes)
        let result = CSVImporter(mapping: mapping).read(files: [("sims-classes.csv", try Fixtures.data("mis/sims-classes.csv"))])
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.year.teachingGroups.count == 3)

        // Issues about the combination name both files.
        let missing = CSVImporter(mapping: mapping).read(files: [("x.csv", Data("Adno,Klass,Subject\n000123,7x/Ma1,MA\n".utf8))])
        #expect(missing.errors.first { $0.code == .missingColumn }?.reason
            .hasPrefix("school.toml + preset sims-classes.toml maps this column (columns.teaching_group)") == true)
        let pupils = try Self.preset("sims-pupils")
        do throws(ImportIssue) {
            _ = try pupils.mapping(combinedWith: "academic_year = \"2026/27\"\n[school]\nid = \"OAK\"\nname = \"Oak\"\n[[subject]]\ncode = \"MA\"\nname = \"Maths\"\nscale = \"gcse\"\n",
                              file: "school.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "school.toml + preset sims-pupils.toml")
            #expect(error.column == "subject[1].scale")
        }
    }
}
