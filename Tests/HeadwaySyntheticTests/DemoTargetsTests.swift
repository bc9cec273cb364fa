import HeadwayAnalytics
import HeadwayCore
import HeadwaySynthetic
import Testing

/// The demo school's targets: estimate-based, for every pupil with KS2 in every subject they
/// study, identical to what HeadwayAnalytics generates from ``DemoSchool/targetPlan``.
@Suite struct DemoTargetsTests {
    let year = demo.year

    /// Subjects each pupil studies (classes), by pupil.
    var studied: [Pupil.ID: Set<Subject.ID>] {
        var out: [Pupil.ID: Set<Subject.ID>] = [:]
        for group in year.teachingGroups { for p in group.pupils { out[p, default: []].insert(group.subject) } }
        return out
    }

    @Test func subjectsCarryTheirKS4Category() {
        let categories = Dictionary(uniqueKeysWithValues: year.subjects.map { ($0.id.rawValue, $0.ks4Category) })
        #expect(categories == [
            "EN": .englishLanguage, "EL": .englishLiterature, "MA": .maths, "SC": nil, "CS": .combinedScience, "HI": .history, "GE": .geography,
            "FR": .language, "SP": .language, "AR": .other, "CO": .computerScience, "PE": .other, "RE": .other,
            "DR": .other, "BS": .other,
        ])
    }

    @Test func everyPupilWithKS2HasATargetInEverySubjectAndNoOneElseHasAny() {
        let targeted = Dictionary(grouping: year.targets, by: \.pupil).mapValues { Set($0.map(\.subject)) }
        for pupil in year.pupils {
            if pupil.priorAttainment?.average == nil {
                #expect(targeted[pupil.id] == nil, "\(pupil.id) has no KS2 but has targets")
            } else {
                #expect(targeted[pupil.id] == studied[pupil.id], "\(pupil.id)")
            }
        }
        #expect(year.targets.allSatisfy { $0.method == .estimate && $0.generated == $0.grade && $0.calculation?.estimatesTable == "ks4-2023" })
        #expect(year.targets.count == 9_759)
    }

    @Test func analyticsGeneratesTheSameTargets() {
        var untargeted = year
        untargeted.targets = []
        let result = TargetGeneration.generate(untargeted, plan: DemoSchool.targetPlan, distributions: DemoSchool.nationalDistributions)
        #expect(result.targets == year.targets)
        #expect(result.withoutPriorAttainment == year.pupils.filter { $0.priorAttainment?.average == nil }.map(\.id).sorted())
        #expect(result.skipped.allSatisfy { $0.reason == .noPriorAttainment })
        // Run again over the demo's own targets: all regenerated identically.
        #expect(TargetGeneration.generate(year, plan: DemoSchool.targetPlan, distributions: DemoSchool.nationalDistributions).targets == year.targets)
    }

    /// Hand-worked: KS2 average 106 → PAG 20: English (and, in KS4, English literature) 10.28/2 =
    /// 5.14 → 5; maths 9.39/2 = 4.695 → 5; KS3 science and combined science on EBacc 13.64/3 =
    /// 4.547 → 5 and 5-4.
    @Test func aKS2106PupilsTargets() throws {
        func targets(_ pupil: Pupil) -> [String: String] {
            Dictionary(uniqueKeysWithValues: year.targets.filter { $0.pupil == pupil.id }.map { ($0.subject.rawValue, $0.grade.stored) })
        }
        let ks3 = try #require(year.pupils.first { $0.priorAttainment?.average == 106 && $0.yearGroup <= 9 })
        #expect(targets(ks3)["EN"] == "5" && targets(ks3)["MA"] == "5" && targets(ks3)["SC"] == "5")
        let ks4 = try #require(year.pupils.first { $0.priorAttainment?.average == 106 && $0.yearGroup >= 10 })
        #expect(targets(ks4)["EN"] == "5" && targets(ks4)["EL"] == "5" && targets(ks4)["MA"] == "5" && targets(ks4)["CS"] == "5-4")
    }

    /// English literature's targets are on the English element, like English language's: the
    /// element estimate over its two slots, so the same grade as the pupil's English target.
    @Test func englishLiteratureTargetsAreHalfTheEnglishElement() throws {
        let literature = year.targets.filter { $0.subject == "EL" }
        #expect(literature.count == 411)
        let english = Dictionary(uniqueKeysWithValues: year.targets.filter { $0.subject == "EN" }.map { ($0.pupil, $0) })
        for target in literature {
            let calculation = try #require(target.calculation)
            #expect(calculation.element == .english && calculation.slots == 2)
            #expect(calculation.base == (calculation.elementEstimate ?? .nan) / 2)
            #expect(target.grade == english[target.pupil]?.grade, "\(target.pupil)")
        }
    }

    /// Every graded entry of a targeted pupil gets a status; the bands all occur in every year
    /// group, so the demo's lists have something in them.
    @Test func everyYearGroupHasEveryStatus() {
        let evaluation = ProgressStatus.evaluate(YearIndex(year))
        let targetedPairs = Set(year.targets.map { "\($0.pupil)/\($0.subject)" })
        let graded = year.assessments.filter { $0.workingAt?.points != nil && targetedPairs.contains("\($0.pupil)/\($0.subject)") }
        #expect(evaluation.statuses.count == graded.count)
        #expect(evaluation.unrated.allSatisfy { $0.reason == .notGraded || $0.reason == .noTarget })
        for y in 7...11 {
            let bands = Set(evaluation.statuses.filter { demoIndex.pupils[$0.pupil]?.yearGroup == y }.map(\.band))
            #expect(bands == Set(ProgressStatus.Band.allCases), "Y\(y)")
        }
        // The planted struggling pupils fall at each collection.
        for struggling in demo.planted.strugglingPupils {
            for subject in struggling.subjects {
                let dc3 = evaluation.status(pupil: struggling.pupil, subject: subject, collection: "DC3")
                #expect(dc3 == nil || dc3?.trend == .down, "\(struggling.pupil)/\(subject)")
            }
        }
    }
}
