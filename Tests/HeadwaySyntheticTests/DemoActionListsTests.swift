import HeadwayAnalytics
import HeadwayCore
import HeadwaySynthetic
import Testing

/// Action lists on the demo school (issue 6, "Done when"): every year group gets every list after
/// every collection with its head of year named, and the planted struggling pupils are on them.
@Suite struct DemoActionListsTests {
    static let demo = DemoSchool.generate()
    static let analysis = Task { await SchoolAnalysis.compute(demo.year) }

    static func lists() async -> [ActionList] {
        let analysis = await analysis.value
        return ActionLists.compute(analysis.index, evaluation: analysis.progress.evaluation)
    }

    @Test func everyYearGroupGetsEveryListAtEveryCollectionWithItsHeadOfYear() async {
        let lists = await Self.lists()
        // 3 collections × Years 7–11 × 5 rules, each exactly once, in that order.
        let expected = ["DC1", "DC2", "DC3"].flatMap { c in
            DemoSchool.yearGroups.flatMap { y in ActionRules.Rule.allCases.map { "\(c) Y\(y) \($0)" } }
        }
        #expect(lists.map { "\($0.collection.id) Y\($0.yearGroup) \($0.rule)" } == expected)
        for list in lists {
            #expect(!list.responsible.isEmpty, "nobody named for Y\(list.yearGroup)")
            #expect(list.responsible.allSatisfy { $0.roles.contains(.headOfYear(list.yearGroup)) })
            #expect(list.entries.allSatisfy { $0.pupil.yearGroup == list.yearGroup })
        }
        // Nobody falls at the first collection; at later ones somebody does in every year group.
        #expect(lists.filter { $0.rule == .falling && $0.collection.id == "DC1" }.allSatisfy { $0.entries.isEmpty })
        #expect(lists.filter { $0.rule == .falling && $0.collection.id != "DC1" }.allSatisfy { !$0.entries.isEmpty })
    }

    /// The six planted pupils fall a whole grade at each collection in their four planted subjects
    /// (`Faults.swift`), so they are on `falling` at DC2 and DC3 with every planted subject. The
    /// demo's natural data also moves by up to one grade between collections, so a pupil can fall a
    /// grade in a fifth subject too (seed 2026: RE at DC2 and GE at DC3 for the Year 8 pupil, PE at
    /// DC3 for Year 9, DR at DC3 for Year 11): the list's subjects are exactly the subjects whose
    /// working-at grade dropped by 1 or more, recomputed here from the raw entries.
    @Test func plantedStrugglingPupilsAreFallingAtDC2AndDC3() async throws {
        let lists = await Self.lists()
        let planted = Self.demo.planted.strugglingPupils
        #expect(planted.count == 6)
        let ids = Set(planted.map(\.pupil))
        var points: [String: Double] = [:]
        for a in Self.demo.year.assessments where ids.contains(a.pupil) {
            if case .grade(let grade)? = a.workingAt { points["\(a.pupil)/\(a.subject)/\(a.collection)"] = grade.points }
        }
        for (previous, current) in [("DC1", "DC2"), ("DC2", "DC3")] {
            for pupil in planted {
                let yearGroup = try #require(Self.demo.year.pupils.first { $0.id == pupil.pupil }).yearGroup
                let list = try #require(lists.first { $0.rule == .falling && $0.collection.id.rawValue == current && $0.yearGroup == yearGroup })
                let entry = try #require(list.entries.first { $0.pupil.id == pupil.pupil }, "\(pupil.pupil) not falling at \(current)")
                let dropped = Self.demo.year.subjects.map(\.id).filter { s in
                    guard let before = points["\(pupil.pupil)/\(s)/\(previous)"], let now = points["\(pupil.pupil)/\(s)/\(current)"] else { return false }
                    return before - now >= 1
                }.sorted()
                #expect(Set(entry.subjects).isSuperset(of: pupil.subjects), "\(pupil.pupil) at \(current): \(entry.subjects)")
                #expect(entry.subjects == dropped, "\(pupil.pupil) at \(current)")
                #expect(entry.reason.hasPrefix("fell 1 grade or more in \(dropped.count) subjects since \(previous): "))
            }
        }
    }

    /// By DC3 each planted pupil has fallen two grades in four subjects. Every one of them has
    /// targets (KS2) in seed 2026, and each is below or well below target in three or more
    /// subjects there — not always the planted four (a Year 10 pupil's history, 6→4 against a
    /// target of 5, is still within half a grade of the flight path), so the subjects are checked
    /// against the statuses themselves.
    @Test func plantedStrugglingPupilsAreBelowTargetAtDC3() async throws {
        let analysis = await Self.analysis.value
        let lists = ActionLists.compute(analysis.index, evaluation: analysis.progress.evaluation, collection: "DC3")
        for pupil in Self.demo.planted.strugglingPupils {
            let yearGroup = try #require(analysis.index.pupils[pupil.pupil]).yearGroup
            let list = try #require(lists.first { $0.rule == .belowExpected && $0.yearGroup == yearGroup })
            let entry = try #require(list.entries.first { $0.pupil.id == pupil.pupil }, "\(pupil.pupil) not below target at DC3")
            let below = analysis.progress.evaluation.statuses
                .filter { $0.pupil == pupil.pupil && $0.collection == "DC3" && ($0.band == .below || $0.band == .wellBelow) }
                .map(\.subject)
            #expect(below.count >= 3)
            #expect(entry.subjects == below.sorted())
        }
    }

    @Test func atlRewardListsAreNotEmptyAndNeverOverlapTheConcernLists() async {
        let lists = await Self.lists()
        let reward = lists.filter { $0.rule == .atlReward }
        #expect(reward.count == 15)
        #expect(reward.contains { !$0.entries.isEmpty })
        for list in reward {
            let concern = lists.first { $0.rule == .atlConcern && $0.collection.id == list.collection.id && $0.yearGroup == list.yearGroup }
            let concerned = Set(concern?.entries.map(\.pupil.id) ?? [])
            #expect(list.entries.allSatisfy { !concerned.contains($0.pupil.id) }, "\(list.collection.id) Y\(list.yearGroup)")
            // Every demo subject uses the built-in ATL scale: nothing is left out.
            #expect(list.atlGradesOnOtherScales == 0)
        }
    }
}
