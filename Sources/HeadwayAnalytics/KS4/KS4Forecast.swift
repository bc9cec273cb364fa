import HeadwayCore

/// Forecast KS4 measures for a year group from its predicted grades: Attainment 8, Progress 8
/// with its interval, EBacc and basics, as if the latest predicted grades were the results.
///
/// Each subject with a ``Subject/ks4Category`` and a predicted *grade* at the collection gives
/// one result (`X`, `Z`, blank and off-scale predictions give none, so a missing forecast lowers
/// A8 as a missing result would — the number of pupils with fewer than 8 forecasts is reported).
/// Progress 8 is against `estimates` and is always labelled with that table's year; it is an
/// estimate, since the cohort's own national estimates do not exist until its results do.
public struct KS4Forecast: Sendable {
    public var yearGroup: Int
    /// Summer of the cohort's GCSEs: the academic year's end for Year 11, a year later for Year 10.
    public var cohortYear: Int
    public var collection: DataCollection.ID
    public var cohort: KS4Cohort
    /// Pupils with predictions for fewer than 8 qualifications.
    public var pupilsWithFewerThanEight: Int
    /// Subgroup gaps in forecast pupil Progress 8 (exact values; pupils without KS2 are not in it).
    public var progress8Gaps: [SubgroupGap]

    /// Forecasts for Years 10 and 11 (those present) at `collection`.
    public static func compute(_ index: YearIndex, collection: DataCollection, estimates: AttainmentEstimates = .ks4_2023) -> [KS4Forecast] {
        let subjects = index.year.subjects.filter { $0.ks4Category != nil }
        guard !subjects.isEmpty else { return [] }
        // Each subject's result key, worked out once rather than per pupil (Foundation's
        // replacing was a tenth of the whole analysis; issue 13).
        let subjectKeys = subjects.map { $0.name.lowercased().replacingOccurrences(of: " ", with: "_") }
        var byYear: [Int: [KS4Pupil]] = [:]
        var fewer: [Int: Int] = [:]
        for pupil in index.year.pupils.sorted(by: { $0.id < $1.id }) where pupil.yearGroup == 10 || pupil.yearGroup == 11 {
            var results: [KS4Result] = []
            for (subject, key) in zip(subjects, subjectKeys) {
                guard let category = subject.ks4Category,
                      case .grade(let grade)? = index.entry(collection.id, YearIndex.PupilSubject(pupil.id, subject.id))?.predicted
                else { continue }
                results.append(KS4Result(pupil: pupil.id, subject: key,
                                         qualificationNumber: nil, category: category, discountCode: nil,
                                         grade: KS4Grade(grade), subjectName: subject.name))
            }
            guard !results.isEmpty else { continue }
            // A double award counts as two of the eight qualifications.
            if results.reduce(0, { $0 + $1.grade.slots }) < 8 { fewer[pupil.yearGroup, default: 0] += 1 }
            byYear[pupil.yearGroup, default: []].append(
                KS4Pupil(id: pupil.id, prior: pupil.priorAttainment ?? PriorAttainment(readingScaledScore: nil, mathsScaledScore: nil), results: results))
        }
        return byYear.keys.sorted(by: >).map { year in
            let cohortYear = index.year.academicYear.startYear + 1 + (11 - year)
            let cohort = KS4Cohort(byYear[year]!, estimates: estimates, cohortYear: cohortYear)
            var p8: [Pupil.ID: Double] = [:]
            for measures in cohort.pupils { if let score = measures.progress8 { p8[measures.id] = score.overall.exact } }
            return KS4Forecast(yearGroup: year, cohortYear: cohortYear, collection: collection.id, cohort: cohort,
                               pupilsWithFewerThanEight: fewer[year] ?? 0,
                               progress8Gaps: SubgroupGap.compute(pupils: index.year.pupils.filter { $0.yearGroup == year }, outcome: p8))
        }
    }
}
