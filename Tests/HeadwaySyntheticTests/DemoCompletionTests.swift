import HeadwayAnalytics
import HeadwayCore
import HeadwaySynthetic
import Testing

/// Issue 5's done-when on the demo school: the integrity report finds the planted faults and
/// names the teachers who can fix them; completion and the chase list match what was planted.
@Suite struct DemoCompletionTests {
    static let demo = DemoSchool.generate()
    static let index = YearIndex(demo.year)
    static let findings = Integrity.check(index)

    func teachers(_ pupil: Pupil.ID, _ subject: Subject.ID) -> [Staff.ID] {
        Self.index.teachers(of: YearIndex.PupilSubject(pupil, subject))
    }

    @Test func everyPlantedFaultNamesTheTeacherWhoCanFixIt() throws {
        for planted in Self.demo.planted.offScaleValues {
            let finding = try #require(Self.findings.first {
                $0.check == .offScale && $0.pupil == planted.cell.pupil && $0.subject == planted.cell.subject && $0.collection == planted.cell.collection
            })
            let expected = teachers(planted.cell.pupil, planted.cell.subject)
            #expect(!expected.isEmpty && finding.fixers == expected, "\(planted.cell)")
            #expect(expected.allSatisfy { finding.fixer.contains("(\($0))") })
        }
        for swing in Self.demo.planted.swings {
            let finding = try #require(Self.findings.first { $0.check == .swing && $0.pupil == swing.pupil && $0.subject == swing.subject })
            #expect(finding.fixers == teachers(swing.pupil, swing.subject) && !finding.fixers.isEmpty)
        }
        let copied = try #require(Self.demo.planted.copiedCollection)
        #expect(Self.findings.filter { $0.check == .copiedForward }.map(\.fixers) == [[copied.teacher]])
        let missing = Self.findings.filter { $0.check == .missingEntries }
        #expect(Set(missing.flatMap(\.fixers)) == Set(Self.demo.planted.missingEntryTeachers))
    }

    /// The planted X cells (two pupils absent for all of DC2, eight single X) are exactly the
    /// not-sat findings; Z cells are not among them.
    @Test func notSatIsExactlyThePlantedX() {
        let found = Self.findings.filter { $0.check == .notSat }
        let byPair = Dictionary(grouping: Self.demo.planted.notAssessed) { "\($0.pupil)|\($0.subject)" }
        #expect(Set(found.map { "\($0.pupil!)|\($0.subject!)" }) == Set(byPair.keys))
        for finding in found {
            let collections = byPair["\(finding.pupil!)|\(finding.subject!)"]!.map(\.collection.rawValue).sorted()
            #expect(finding.record.hasPrefix(collections.joined(separator: ", ") + " / "))
        }
        #expect(found.allSatisfy { $0.severity == .info })
    }

    /// Nothing was planted for the new class and record checks, and the natural data has none.
    @Test func theNewChecksRaiseNoFalseAlarms() {
        let checks: Set<Finding.Check> = [.gradesEqualTargets, .atlSpread, .invalidUPN, .noUPN, .characteristicChanged]
        #expect(!Self.findings.contains { checks.contains($0.check) })
        // Every pupil with KS2 has a target in every subject: the no-target notes are only about
        // pupils without KS2.
        let noTarget = Self.findings.filter { $0.check == .noTarget }
        #expect(!noTarget.isEmpty && noTarget.allSatisfy { $0.severity == .info })
    }

    @Test func completionAndChaseListOfDC3MatchThePlantedMissingEntries() throws {
        let planted = Self.demo.planted
        let dc3 = try #require(Self.demo.year.collections.last)
        let completion = Completion(Self.index, collection: dc3)
        #expect(completion.overall.missing == planted.missingEntries.count)
        #expect(completion.overall.notSat == planted.notAssessed.filter { $0.collection == dc3.id }.count)
        #expect(Set(completion.missing.map { "\($0.pupil)|\($0.subject)" }) == Set(planted.missingEntries.map { "\($0.pupil)|\($0.subject)" }))

        let chase = completion.chaseList(Self.index)
        #expect(Set(chase.compactMap(\.staff)) == Set(planted.missingEntryTeachers))
        #expect(chase.count == 2)
        for line in chase {
            let staff = try #require(line.staff)
            #expect(line.role == .classTeacher)
            #expect(line.email?.hasSuffix("@\(DemoSchool.emailDomain)") == true)
            let theirs = planted.missingEntries.filter { teachers($0.pupil, $0.subject).contains(staff) }
            #expect(line.count == theirs.count)
            #expect(Set(line.classes.flatMap { c in c.pupils.map { "\($0)|\(c.subject)" } }) == Set(theirs.map { "\($0.pupil)|\($0.subject)" }))
        }
        #expect(chase.map(\.count).reduce(0, +) == planted.missingEntries.count)

        // By department: only the departments of the two teachers' subjects are incomplete, and
        // the missing cells add up.
        let departmentOf = Dictionary(uniqueKeysWithValues: Completion.Department.all(Self.index).flatMap { d in d.subjects.map { ($0, d.key) } })
        let incomplete = Set(completion.byDepartment.filter { $0.missing > 0 }.map(\.key))
        #expect(incomplete == Set(planted.missingEntries.map { departmentOf[$0.subject]! }))
        #expect(completion.byDepartment.map(\.missing).reduce(0, +) == planted.missingEntries.count)
        #expect(completion.byDepartment.map(\.expected).reduce(0, +) == completion.overall.expected)
    }
}
