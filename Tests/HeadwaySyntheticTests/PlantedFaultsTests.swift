import HeadwayCore
import HeadwaySynthetic
import Testing

/// Each planted fault is really in the data, and nothing like it is in the data by accident — for
/// the default school and two other seeds.
@Suite struct PlantedFaultsTests {
    static let schools: [DemoSchool] = [demo, DemoSchool.generate(.init(seed: 1)), DemoSchool.generate(.init(seed: 42))]

    @Test(arguments: 0..<3) func missingEntriesBelongToTheTwoNamedTeachersOnly(_ n: Int) throws {
        let school = Self.schools[n]
        let planted = school.planted
        #expect(planted.missingEntryTeachers.count == 2)
        #expect(Set(planted.missingEntryTeachers).count == 2)
        let blanks = school.year.assessments.filter { $0.workingAt == nil }
        #expect(Set(blanks.map { PlantedFaults.Cell(pupil: $0.pupil, subject: $0.subject, collection: $0.collection) })
            == Set(planted.missingEntries))
        #expect(blanks.allSatisfy { $0.collection == "DC3" && $0.predicted == nil && $0.atl == nil && $0.enteredBy == nil })
        // Who is missing: the class teacher of each blank cell.
        var teacherOf: [String: Staff.ID] = [:]
        for group in school.year.teachingGroups {
            for p in group.pupils { teacherOf["\(p)|\(group.subject)"] = group.teachers[0] }
        }
        var missingBy: [Staff.ID: Int] = [:]
        for blank in blanks { missingBy[teacherOf["\(blank.pupil)|\(blank.subject)"]!, default: 0] += 1 }
        #expect(Set(missingBy.keys) == Set(planted.missingEntryTeachers))
        #expect(missingBy.values.allSatisfy { $0 >= 20 }, "many missing: \(missingBy)")
        // Everyone else has finished: every other DC3 cell has a value.
        let entered = school.year.assessments.filter { $0.collection == "DC3" && $0.workingAt != nil }
        #expect(entered.count + blanks.count == school.year.assessments.count / 3)
        // The named teachers exist and are ordinary class teachers in two departments.
        for t in planted.missingEntryTeachers {
            let staff = try #require(school.year.staff.first { $0.id == t })
            #expect(staff.roles == [.teacher])
        }
    }

    @Test(arguments: 0..<3) func offScaleValuesAreExactlyThePlantedOnes(_ n: Int) throws {
        let school = Self.schools[n]
        let index = n == 0 ? demoIndex : Index(school.year)
        #expect((5...7).contains(school.planted.offScaleValues.count))
        var found: Set<String> = []
        for a in school.year.assessments {
            for (field, value) in [(PlantedFaults.Field.workingAt, a.workingAt), (.predicted, a.predicted), (.atl, a.atl)] {
                if case .offScale(let text)? = value { found.insert("\(a.pupil)|\(a.subject)|\(a.collection)|\(field)|\(text)") }
            }
        }
        let planted = Set(school.planted.offScaleValues.map {
            "\($0.cell.pupil)|\($0.cell.subject)|\($0.cell.collection)|\($0.field)|\($0.value)"
        })
        #expect(found == planted)
        for item in school.planted.offScaleValues {
            let subject = try #require(index.subjects[item.cell.subject])
            let scale = try #require(school.year.scales[item.field == .atl ? subject.atlScale : subject.scale])
            #expect(scale.grade(item.value) == nil, "\(item.value) must not be on \(scale.id)")
            #expect(throws: GradeScale.ParseError.self) { try scale.parse(item.value) }
            #expect(scale.value(stored: item.value) == .offScale(item.value))
        }
        #expect(Set(school.planted.offScaleValues.map(\.value)).isSuperset(of: ["10", "A*", "7++"]))
    }

    @Test(arguments: 0..<3) func oneClassHasDC3CopiedFromDC2(_ n: Int) throws {
        let school = Self.schools[n]
        let index = n == 0 ? demoIndex : Index(school.year)
        let copied = try #require(school.planted.copiedCollection)
        var identical: [TeachingGroup.ID] = []
        for group in school.year.teachingGroups {
            let same = group.pupils.allSatisfy {
                index.cell($0, group.subject, "DC3")?.workingAt == index.cell($0, group.subject, "DC2")?.workingAt
            }
            if same { identical.append(group.id) }
        }
        #expect(identical == [copied.teachingGroup])
        let group = try #require(school.year.teachingGroups.first { $0.id == copied.teachingGroup })
        #expect(group.teachers == [copied.teacher])
        #expect(group.pupils.count >= 20)
        #expect(group.pupils.allSatisfy { index.cell($0, group.subject, "DC3")?.workingAt?.points != nil })
        // A real copy: DC1 → DC2 did move for some of them.
        #expect(group.pupils.contains {
            index.cell($0, group.subject, "DC1")?.workingAt != index.cell($0, group.subject, "DC2")?.workingAt
        })
    }

    @Test(arguments: 0..<3) func swingsAreThreeGradesOrMoreAndTheOnlySwings(_ n: Int) throws {
        let school = Self.schools[n]
        let index = n == 0 ? demoIndex : Index(school.year)
        #expect((4...6).contains(school.planted.swings.count))
        for swing in school.planted.swings {
            let from = try #require(index.cell(swing.pupil, swing.subject, swing.from)?.workingAt)
            let to = try #require(index.cell(swing.pupil, swing.subject, swing.to)?.workingAt)
            #expect(from.stored == swing.fromGrade && to.stored == swing.toGrade)
            let change = try #require(to.points) - (try #require(from.points))
            #expect(abs(change - swing.change) < 1e-9)
            #expect(abs(swing.change) >= 3)
        }
        let planted = Set(school.planted.swings.map { "\($0.pupil)|\($0.subject)" })
        #expect(naturalSwings(in: school.year, excluding: planted).isEmpty)
        #expect(naturalSwings(in: school.year, excluding: []).count == school.planted.swings.count)
    }

    @Test(arguments: 0..<3) func strugglingPupilsFallAtEachCollection(_ n: Int) throws {
        let school = Self.schools[n]
        let index = n == 0 ? demoIndex : Index(school.year)
        #expect((5...6).contains(school.planted.strugglingPupils.count))
        #expect(Set(school.planted.strugglingPupils.map(\.pupil)).count == school.planted.strugglingPupils.count)
        for struggling in school.planted.strugglingPupils {
            #expect(struggling.subjects.count >= 3)
            for s in struggling.subjects {
                let wa = try ["DC1", "DC2", "DC3"].map { try #require(index.cell(struggling.pupil, s, DataCollection.ID($0))?.workingAt?.points) }
                #expect(wa[0] > wa[1] && wa[1] > wa[2], "\(struggling.pupil) \(s): \(wa)")
                #expect(wa[0] - wa[2] >= 2)
                let atl = try ["DC1", "DC3"].map { try #require(index.cell(struggling.pupil, s, DataCollection.ID($0))?.atl?.points) }
                #expect(atl[1] > atl[0], "ATL worsens (higher is worse)")
                let predicted = try ["DC1", "DC3"].map { try #require(index.cell(struggling.pupil, s, DataCollection.ID($0))?.predicted?.points) }
                #expect(predicted[1] < predicted[0])
            }
        }
    }

    @Test(arguments: 0..<3) func absentAndNotRequiredValuesArePresentAndNotFaults(_ n: Int) throws {
        let school = Self.schools[n]
        let index = n == 0 ? demoIndex : Index(school.year)
        #expect(!school.planted.notAssessed.isEmpty && !school.planted.notRequired.isEmpty)
        #expect(school.planted.absentPupils.count == 2)
        for cell in school.planted.notAssessed {
            #expect(index.cell(cell)?.workingAt == .notAssessed)
        }
        for cell in school.planted.notRequired {
            let a = try #require(index.cell(cell))
            #expect(a.workingAt == .notRequired && a.predicted == .notRequired && a.atl == .notRequired)
        }
        for absent in school.planted.absentPupils {
            let cells = school.year.assessments.filter { $0.pupil == absent.pupil && $0.collection == absent.collection }
            #expect(!cells.isEmpty && cells.allSatisfy { $0.workingAt == .notAssessed && $0.atl == .notAssessed })
        }
        let xs = school.year.assessments.filter { $0.workingAt == .notAssessed }.map {
            PlantedFaults.Cell(pupil: $0.pupil, subject: $0.subject, collection: $0.collection)
        }
        #expect(Set(xs) == Set(school.planted.notAssessed))
        let zs = school.year.assessments.filter { $0.workingAt == .notRequired }.map {
            PlantedFaults.Cell(pupil: $0.pupil, subject: $0.subject, collection: $0.collection)
        }
        #expect(Set(zs) == Set(school.planted.notRequired))
    }

    /// Planted items never share a pupil (so one cannot mask another), and none falls in a class
    /// of the teachers with missing entries or in the copied class.
    @Test(arguments: 0..<3) func plantedItemsAreKeptApart(_ n: Int) {
        let planted = Self.schools[n].planted
        let groups = Self.schools[n].year.teachingGroups
        var pupils: [Pupil.ID] = []
        pupils += planted.offScaleValues.map(\.cell.pupil)
        pupils += planted.swings.map(\.pupil)
        pupils += planted.strugglingPupils.map(\.pupil)
        pupils += planted.absentPupils.map(\.pupil)
        pupils += Set(planted.notRequired.map(\.pupil))
        pupils += Set(planted.notAssessed.map(\.pupil)).subtracting(planted.absentPupils.map(\.pupil))
        #expect(Set(pupils).count == pupils.count)
        var reserved = groups.filter { $0.teachers.contains { planted.missingEntryTeachers.contains($0) } }
        reserved += groups.filter { $0.id == planted.copiedCollection?.teachingGroup }
        let reservedPupils = Set(reserved.flatMap(\.pupils))
        #expect(Set(pupils).isDisjoint(with: reservedPupils))
    }

    @Test func defaultSchoolPlantsTheDocumentedItems() {
        let planted = demo.planted
        #expect(planted.offScaleValues.count == 6)
        #expect(planted.swings.count == 5)
        #expect(planted.strugglingPupils.count == 6)
        #expect(planted.notRequired.count == 6)
        #expect(planted.copiedCollection != nil)
        #expect(!planted.isEmpty)
    }
}
