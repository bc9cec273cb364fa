import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

/// The checks issue 5 adds to the integrity report, each on a small fixture with values worked
/// by hand, and a case where each must find nothing.
@Suite struct IntegrityChecksTests {
    // MARK: Fixtures

    static let gcse = GradeScale.gcse
    static let atl = GradeScale.atl

    /// One pupil in a class: working-at in DC1, target, ATL in DC1 (nil for none).
    struct Row {
        var workingAt: String?
        var target: String?
        var atl: String?
    }

    /// A year-10 maths school: classes given as (code, teacher, rows); pupils numbered per class
    /// (`A1`, `A2`, … for class `A`); one collection DC1; data manager DMG.
    static func school(_ classes: [(id: String, teacher: String, rows: [Row])]) -> SchoolYear {
        var pupils: [Pupil] = [], groups: [TeachingGroup] = [], assessments: [Assessment] = [], targets: [Target] = []
        for klass in classes {
            var members: [Pupil.ID] = []
            for (i, row) in klass.rows.enumerated() {
                let id = Pupil.ID("\(klass.id)\(i + 1)")
                members.append(id)
                pupils.append(Pupil(id: id, yearGroup: 10))
                if row.workingAt != nil || row.atl != nil {
                    assessments.append(Assessment(pupil: id, subject: "MA", collection: "DC1", workingAt: row.workingAt.map { gcse.value(stored: $0) },
                                                  atl: row.atl.map { atl.value(stored: $0) }, enteredBy: Staff.ID(klass.teacher)))
                }
                if let target = row.target { targets.append(Target(pupil: id, subject: "MA", grade: gcse.value(stored: target), method: .imported)) }
            }
            groups.append(TeachingGroup(id: TeachingGroup.ID(klass.id), subject: "MA", yearGroup: 10, teachers: [Staff.ID(klass.teacher)], pupils: members))
        }
        let staff = [Staff(id: "TAN", title: "Ms", forename: "Tara", surname: "Ng", email: "t.ng@school.example"),
                     Staff(id: "BOB", title: "Mr", forename: "Bob", surname: "Ode"),
                     Staff(id: "DMG", forename: "Dana", surname: "Green", roles: [.dataManager])]
        return SchoolYear(school: School(id: "T1", name: "Test school"), academicYear: Fixtures.year,
                          subjects: [Subject(id: "MA", name: "Mathematics", scale: GradeScale.gcseID)], staff: staff, pupils: pupils,
                          teachingGroups: groups,
                          collections: [DataCollection(id: "DC1", name: "Autumn", academicYear: Fixtures.year, yearGroups: [10], sequence: 1)],
                          assessments: assessments, targets: targets)
    }

    static func rows(atl scores: [String]) -> [Row] { scores.map { Row(workingAt: "5", target: "5", atl: $0) } }

    func findings(_ year: SchoolYear, _ check: Finding.Check, history: Integrity.History = .init()) -> [Finding] {
        Integrity.check(YearIndex(year), history: history).filter { $0.check == check }
    }

    // MARK: UPN

    /// H801200001001 is valid: 8·2 + 1·4 + 2·5 + 1·10 + 1·13 = 53 ≡ 7 (mod 23) → H. Changing the
    /// last digit to 2 gives 66 ≡ 20 → X, so `H801200001002` has the wrong check letter.
    /// `U80120000100A`: 40 + A (0) · 13 = 40 ≡ 17 → U, a valid temporary UPN. `Z999200001001`:
    /// 9·2 + 9·3 + 9·4 + 2·5 + 10 + 13 = 114 ≡ 22 → Z, valid, but LA 999 does not exist.
    @Test func invalidTemporaryAndUnknownAuthorityUPNs() throws {
        var year = Fixtures.smallSchool()
        let temporary = try #require(UPN("U80120000100A"))
        #expect(temporary.isTemporary)
        year.pupils[1].upn = temporary  // P002
        year.pupils[2].upn = UPN("Z999200001001")  // P003
        let stored: [Pupil.ID: String] = ["P001": "H801200001002", "P002": "U80120000100A", "P003": "Z999200001001", "P004": "H8012"]
        let found = findings(year, .invalidUPN, history: .init(storedUPNs: stored))
        #expect(found.map { "\($0.severity) \($0.record): \($0.message)" } == [
            "error pupil P001 (Aoife O'Neil, year 10): stored UPN 'H801200001002' is not valid: wrong check letter at character 1",
            "error pupil P004 (Tom <script>alert(1)</script>, year 7): stored UPN 'H8012' is not valid: must be 13 characters, found 5",
            "warning pupil P002 (Zoë Marsh, year 10): UPN U80120000100A is temporary (a letter in position 13): replace it with the pupil's permanent UPN",
            "info pupil P003 (Kwame Adeyemi-Hart, year 10): UPN Z999200001001: characters 2-4 (999) are not a recognised local-authority number",
        ])
        #expect(found.allSatisfy { $0.fixer == "Dana Green (DMG)" && $0.fixers == ["DMG"] && $0.pupil != nil })
        // P004's UPN is stored (if invalid): no pupil is without one.
        #expect(findings(year, .noUPN, history: .init(storedUPNs: stored)).isEmpty)
    }

    @Test func validUPNsFindNothingAndPupilsWithoutOneAreCountedPerYearGroup() {
        let year = Fixtures.smallSchool()
        let stored: [Pupil.ID: String] = ["P001": "H801200001001", "P002": "B801200005001", "P003": "R674123101121"]
        #expect(findings(year, .invalidUPN, history: .init(storedUPNs: stored)).isEmpty)
        #expect(findings(year, .invalidUPN).isEmpty)
        // P004 (year 7) has no UPN; every year 10 pupil has one.
        let none = findings(year, .noUPN)
        #expect(none.map { "\($0.severity) \($0.record): \($0.message)" } == ["info year 7: 1 of 1 pupils have no UPN"])
    }

    // MARK: Targets

    /// Only P001 has a maths target. With KS2 and no target: P002 (KS2 maths 98 alone, average
    /// 98) in maths and science, P001 in science, P004 (year 7) in history — warnings per year
    /// group and subject. P003 has no KS2, so no target could be generated in maths or science:
    /// one note for year 10.
    @Test func pupilsWithoutATargetPerYearGroupAndSubject() {
        let found = findings(Fixtures.smallSchool(), .noTarget)
        #expect(found.map { "\($0.severity) \($0.record): \($0.message)" } == [
            "warning year 10 / MA: 1 of 3 pupils have no target in Mathematics (10X/Ma1 1): P002",
            "warning year 10 / SC: 2 of 3 pupils have no target in Combined science (10X/Sc1 2): P001, P002",
            "warning year 7 / HI7: 1 of 1 pupils have no target in History (KS3) (7C/Hi 1): P004",
            "info year 10: 1 pupil without KS2 has no target (2 pupil-subject pairs; Mathematics, Combined science): P003; generated targets need KS2: import or set them",
        ])
        #expect(found.allSatisfy { $0.fixers == ["DMG"] })
        #expect(found.map(\.subject) == ["MA", "SC", "HI7", nil])
    }

    @Test func noTargetFindsNothingWhenEveryPupilHasOneAndOneLinePerYearWhenNoneHas() {
        var year = Fixtures.smallSchool()
        for (pupil, subject) in [("P002", "MA"), ("P003", "MA"), ("P001", "SC"), ("P002", "SC"), ("P003", "SC"), ("P004", "HI7")] {
            year.targets.append(Target(pupil: Pupil.ID(pupil), subject: Subject.ID(subject), grade: .notRequired, method: .imported))
        }
        #expect(findings(year, .noTarget).isEmpty)
        // Only pupils without KS2 lack a target: a note, not a warning.
        year.targets.removeAll { $0.pupil == "P003" && $0.subject == "MA" }
        #expect(findings(year, .noTarget).map(\.severity) == [.info])

        year.targets = []
        #expect(findings(year, .noTarget).map { "\($0.record): \($0.message)" } == [
            "year 10: no pupil has a target (3 pupils): generate them (`headway targets generate`) or import them",
            "year 7: no pupil has a target (1 pupils): generate them (`headway targets generate`) or import them",
        ])
    }

    // MARK: Late entries

    /// DC1's deadline is 13 November 2026 (the collection's own dates).
    @Test func lateEntriesPerPersonAndCollection() {
        var year = Fixtures.smallSchool()
        for i in year.assessments.indices {
            let a = year.assessments[i]
            if (a.collection == "DC1" && a.subject == "MA" && a.pupil != "P003") || (a.collection == "DC2" && a.pupil == "P004") {
                year.assessments[i].late = true
            }
        }
        year.assessments[year.assessments.firstIndex { $0.collection == "DC2" && $0.pupil == "P004" }!].enteredBy = nil
        let found = findings(year, .late)
        #expect(found.map { "\($0.severity) \($0.record): \($0.message) — \($0.fixer)" } == [
            "info DC1 / 10X/Ma1: 2 entries made after the deadline (deadline 2026-11-13) — Ms Smith (JSM)",
            "info DC2 / 7C/Hi: 1 entry made after the deadline — Mr Patel (RPA)",  // entered by nobody recorded: the class teacher
        ])
        #expect(found.map(\.fixers) == [["JSM"], ["RPA"]])
        #expect(findings(Fixtures.smallSchool(), .late).isEmpty)
    }

    // MARK: Not sat

    /// P002's maths in DC2 is X; P002's science in DC1 is Z (not required), which is not "not sat".
    @Test func notSatIsReportedPerPupilAndSubjectAndZIsNot() {
        let found = findings(Fixtures.smallSchool(), .notSat)
        #expect(found.map { "\($0.severity) \($0.record) — \($0.fixer)" } == ["info DC2 / 10X/Ma1 / pupil P002 (Zoë Marsh) / MA — Ms Smith (JSM)"])
        #expect(found.first?.message == "not sat (X) in DC2: no grade, so left out of every mean, never a 0")
        var year = Fixtures.smallSchool()
        year.assessments[3].workingAt = GradeScale.gcse.value(stored: "4")
        #expect(findings(year, .notSat).isEmpty)
    }

    // MARK: Grades equal targets

    @Test func aClassWhoseGradesAllEqualTheirTargets() {
        let copied = ["4", "5", "6", "5", "7"].map { Row(workingAt: $0, target: $0, atl: nil) }
        let found = findings(Self.school([("A", "TAN", copied)]), .gradesEqualTargets)
        #expect(found.map { "\($0.severity) \($0.record): \($0.message) — \($0.fixer)" } == [
            "warning DC1 / A: all 5 working-at grades equal the pupils' targets: targets copied in? — Ms Ng (TAN)",
        ])
        #expect(found.first?.teachingGroup == "A" && found.first?.fixers == ["TAN"])
    }

    @Test func gradesEqualTargetsNeedsEveryGradeAndFivePupils() {
        var oneDiffers = ["4", "5", "6", "5", "7"].map { Row(workingAt: $0, target: $0, atl: nil) }
        oneDiffers[2].workingAt = "6+"
        #expect(findings(Self.school([("A", "TAN", oneDiffers)]), .gradesEqualTargets).isEmpty)
        var four = ["4", "5", "6", "5", "7"].map { Row(workingAt: $0, target: $0, atl: nil) }
        four[4].target = nil  // 4 compared pupils: too few to judge
        #expect(findings(Self.school([("A", "TAN", four)]), .gradesEqualTargets).isEmpty)
    }

    // MARK: ATL spread

    /// Classes A [2,2,2,3,3] and B [2,2,3,3,2]: mean 2.4; squares of deviations 3·0.16 + 2·0.36 =
    /// 1.2, sample SD √(1.2/4) = 0.548. Class C [4,4,4,4,4]: mean 4, SD 0. For C: the others'
    /// pooled mean is 2.4, their means' SD 0, so the gap 1.6 ≥ 1 is far; and SD 0 against 0.548
    /// differs by ≥ 0.5 and by a factor ≥ 2: far too. For A: the others' pooled mean is
    /// (12 + 20) / 10 = 3.2, a gap of 0.8 (< 1); their mean SD (0.548 + 0) / 2 = 0.274 differs
    /// from 0.548 by 0.274 (< 0.5). B likewise. Only C is found.
    @Test func aClassWhoseATLIsFarFromTheTeachersOtherClasses() {
        let year = Self.school([("A", "TAN", Self.rows(atl: ["2", "2", "2", "3", "3"])), ("B", "TAN", Self.rows(atl: ["2", "2", "3", "3", "2"])),
                                ("C", "TAN", Self.rows(atl: ["4", "4", "4", "4", "4"])), ("D", "BOB", Self.rows(atl: ["1", "1", "1", "1", "1"]))])
        let found = findings(year, .atlSpread)
        #expect(found.map { "\($0.severity) \($0.record): \($0.message) — \($0.fixer)" } == [
            "warning DC1 / C: ATL mean 4.00, SD 0.00 (5 pupils) against mean 2.40, SD 0.55 in Ms Ng's 2 other classes: mean higher by 1.60; far less spread out — Ms Ng (TAN)",
        ])
        #expect(found.first?.fixers == ["TAN"])
    }

    @Test func atlSpreadNeedsAFarClassTwoOtherClassesAndFivePupils() {
        // C [3,2,3,2,3]: mean 2.6, SD 0.548 — within 1 point and the same spread as A and B.
        let near = Self.school([("A", "TAN", Self.rows(atl: ["2", "2", "2", "3", "3"])), ("B", "TAN", Self.rows(atl: ["2", "2", "3", "3", "2"])),
                                ("C", "TAN", Self.rows(atl: ["3", "2", "3", "2", "3"]))])
        #expect(findings(near, .atlSpread).isEmpty)
        // Only one other class: no telling which is odd.
        let two = Self.school([("A", "TAN", Self.rows(atl: ["2", "2", "2", "3", "3"])), ("C", "TAN", Self.rows(atl: ["4", "4", "4", "4", "4"]))])
        #expect(findings(two, .atlSpread).isEmpty)
        // C has four ATL scores: too few to judge, and A and B alone are too few to compare.
        let small = Self.school([("A", "TAN", Self.rows(atl: ["2", "2", "2", "3", "3"])), ("B", "TAN", Self.rows(atl: ["2", "2", "3", "3", "2"])),
                                 ("C", "TAN", Self.rows(atl: ["4", "4", "4", "4"]))])
        #expect(findings(small, .atlSpread).isEmpty)
    }

    // MARK: Characteristics changed

    @Test func characteristicChangesArePerPupilAndCharacteristic() {
        let changes = [
            CharacteristicChange(pupil: "P001", name: Characteristic.disadvantaged, old: "true", new: "false", at: "2026-11-03T09:12:00Z", by: "DMG"),
            CharacteristicChange(pupil: "P002", name: "schoolsup", old: nil, new: "true", at: "2026-11-04T10:00:00Z", by: "headway import", source: "pupils.csv:3"),
            CharacteristicChange(pupil: "P001", name: Characteristic.disadvantaged, old: "false", new: "true", at: "2026-11-20T15:30:00Z", by: "JSM"),
        ]
        let found = findings(Fixtures.smallSchool(), .characteristicChanged, history: .init(characteristicChanges: changes))
        #expect(found.map { "\($0.severity) \($0.record): \($0.message) — \($0.fixer)" } == [
            "warning pupil P001 (Aoife O'Neil, year 10) / disadvantaged: changed 2 times: true → false → true; last on 2026-11-20 by JSM — Dana Green (DMG)",
            "info pupil P002 (Zoë Marsh, year 10) / schoolsup: changed from blank to true on 2026-11-04 by headway import (pupils.csv:3) — Dana Green (DMG)",
        ])
        #expect(found.map(\.pupil) == ["P001", "P002"])
        #expect(findings(Fixtures.smallSchool(), .characteristicChanged).isEmpty)
    }

    // MARK: Who can fix it

    /// A record with no class goes to the subject's head of department (JSM heads maths), else
    /// to the data manager.
    @Test func recordsWithoutAClassGoToTheHeadOfDepartmentElseTheDataManager() {
        var year = Fixtures.smallSchool()
        year.pupils.append(Pupil(id: "P005", yearGroup: 10))
        year.assessments.append(Assessment(pupil: "P005", subject: "MA", collection: "DC1", workingAt: .offScale("A*")))
        year.assessments.append(Assessment(pupil: "P005", subject: "SC", collection: "DC1", workingAt: .offScale("B")))
        let offScale = findings(year, .offScale).filter { $0.pupil == "P005" }
        #expect(offScale.map { "\($0.record) — \($0.fixer)" } == ["DC1 / pupil P005 / MA — Ms Smith (JSM)", "DC1 / pupil P005 / SC — Dana Green (DMG)"])
        // P005's DC2 cells are blank: maths goes to the head of maths (with P003's maths in her
        // class, one finding for her), science to the data manager.
        let missing = findings(year, .missingEntries).filter { $0.record.contains("no class") }
        #expect(missing.map { "\($0.record): \($0.message) — \($0.fixer)" } == [
            "DC2 / 10X/Ma1, no class: 2 working-at entries not yet entered — Ms Smith (JSM)",
            "DC2 / no class: 1 working-at entry not yet entered — Dana Green (DMG)",
        ])
    }

    // MARK: Completion

    /// DC1: maths 3 of 3 (5, 4+, 7/6), science 2 of 3 (6-5, Z; P003 blank), history 1 of 1.
    /// DC2: maths 2 of 3 (6-, X), science 1 of 3 (P003 off scale), history 1 of 1.
    @Test func completionByDepartment() throws {
        var year = Fixtures.smallSchool()
        let index = YearIndex(year)
        let departments = Completion.Department.all(index)
        #expect(departments.map { "\($0.key)=\($0.subjects.map(\.rawValue).joined(separator: "+"))" } == ["HI7=HI7", "JSM=MA", "SC=SC"])
        let dc1 = Completion(index, collection: year.collections[0])
        #expect(dc1.byDepartment.map { "\($0.label) \($0.present)/\($0.expected) X\($0.notSat)" } == [
            "Combined science 2/3 X0", "History (KS3) 1/1 X0", "Mathematics — Ms Smith (JSM) 3/3 X0",  // least complete first
        ])
        let dc2 = Completion(index, collection: year.collections[1])
        let maths = try #require(dc2.byDepartment.first { $0.key == "JSM" })
        #expect((maths.expected, maths.present, maths.notSat, maths.missing) == (3, 2, 1, 1))
        #expect((dc2.overall.expected, dc2.overall.present, dc2.overall.notSat) == (7, 4, 1))

        // Ms Smith heads science too: one department of both subjects (DC1: 5 of 6).
        year.staff[0].roles.append(.headOfDepartment("SC"))
        let both = YearIndex(year)
        #expect(Completion.Department.all(both).map(\.key) == ["HI7", "JSM"])
        let joined = try #require(Completion(both, collection: year.collections[0]).byDepartment.first { $0.key == "JSM" })
        #expect(joined.label == "Mathematics, Combined science — Ms Smith (JSM)")
        #expect((joined.expected, joined.present) == (6, 5))
    }

    /// DC2 misses P003 maths (10X/Ma1, JSM) and P001, P002 science (10X/Sc1, JSM and RPA); P005
    /// (no class) misses maths: the head of maths, JSM, is chased for it.
    @Test func chaseListPerPersonWithClassesPupilsAndDeadline() throws {
        var year = Fixtures.smallSchool()
        year.pupils.append(Pupil(id: "P005", forename: "Ola", surname: "Berg", yearGroup: 10))
        year.assessments.append(Assessment(pupil: "P005", subject: "MA", collection: "DC1", workingAt: GradeScale.gcse.value(stored: "5")))
        let index = YearIndex(year)
        let dc2 = Completion(index, collection: year.collections[1]).chaseList(index)
        #expect(dc2.map { "\($0.staff?.rawValue ?? "-") \($0.role.rawValue) \($0.count)" } == [
            "JSM class teacher 3", "RPA class teacher 2", "JSM head of department 1",
        ])
        let jsm = dc2[0]
        #expect(jsm.name == "Ms Smith" && jsm.email == "j.smith@school.example")
        #expect(jsm.classes.map { "\($0.teachingGroup?.rawValue ?? "-"): \($0.pupils.map(\.rawValue).joined(separator: ","))" } == [
            "10X/Ma1: P003", "10X/Sc1: P001,P002",
        ])
        #expect(jsm.deadline == nil)  // DC2 has no dates and the calendar is empty
        #expect(dc2[2].classes.map(\.subject) == ["MA"] && dc2[2].classes[0].teachingGroup == nil)

        // DC1 has a deadline, 13 November 2026, for year 10; only P003's science is missing.
        let dc1 = Completion(index, collection: year.collections[0]).chaseList(index)
        #expect(dc1.map { "\($0.staff?.rawValue ?? "-") \($0.count) \($0.deadline?.description ?? "-")" } == ["JSM 1 2026-11-13", "RPA 1 2026-11-13"])
    }

    @Test func chaseListIsEmptyWhenNothingIsMissing() {
        var year = Fixtures.smallSchool()
        year.assessments.append(Assessment(pupil: "P003", subject: "SC", collection: "DC1", workingAt: .notAssessed))
        let index = YearIndex(year)
        #expect(Completion(index, collection: year.collections[0]).chaseList(index).isEmpty)
    }
}
