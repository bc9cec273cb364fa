import Foundation
import HeadwayCore

/// The KS4 accountability measures of a cohort: per pupil Attainment 8, Progress 8, EBacc and
/// basics; for the cohort the means, school P8 with its interval, and the basis label. What
/// `headway ks4` computes, and what a data lead's forecast for Y10–11 shows.
///
/// Sources and rules: ``Attainment8``, ``Progress8``, ``SchoolProgress8``, ``EBacc``,
/// ``Basics``, ``ProgressBasis``; `docs/attainment-8.md`, `docs/progress-8.md`.
public struct KS4Cohort: Sendable {
    /// One pupil's measures.
    public struct PupilMeasures: Hashable, Sendable {
        /// The pupil.
        public var id: Pupil.ID
        /// KS2 reading and maths.
        public var prior: PriorAttainment
        /// Slots and totals.
        public var attainment8: Attainment8
        /// Nil without KS2 prior attainment.
        public var progress8: Progress8?
        /// EBacc entry and APS.
        public var ebacc: EBacc
        /// Grade 4+ / 5+ in English and maths.
        public var basics: Basics

        /// Every measure of one pupil.
        public init(_ pupil: KS4Pupil, estimates: AttainmentEstimates) {
            id = pupil.id
            prior = pupil.prior
            attainment8 = Attainment8.compute(pupil.results)
            progress8 = Progress8.compute(attainment8, prior: pupil.prior, estimates: estimates)
            ebacc = EBacc.compute(pupil.results)
            basics = Basics.compute(pupil.results)
        }
    }

    /// In the order given.
    public var pupils: [PupilMeasures]
    /// School (cohort) P8 and interval.
    public var school: SchoolProgress8
    /// What P8 is measured against and whether it is an estimate.
    public var basis: ProgressBasis

    /// Computes every measure.
    /// - Parameters:
    ///   - pupils: the cohort (results in each pupil's order: it decides ties, see ``Attainment8``).
    ///   - estimates: the table P8 is measured against.
    ///   - cohortYear: the cohort's KS4 year, when known, for the estimate label.
    ///   - standardDeviation: national σ of pupil P8 for the interval.
    public init(_ pupils: [KS4Pupil], estimates: AttainmentEstimates, cohortYear: Int? = nil,
                standardDeviation: SchoolProgress8.StandardDeviation = .ks4_2019) {
        var measures: [PupilMeasures] = []
        measures.reserveCapacity(pupils.count)
        var sums = SchoolProgress8.Accumulator()
        for p in pupils {
            let m = PupilMeasures(p, estimates: estimates)
            sums.add(m.progress8)
            measures.append(m)
        }
        self.pupils = measures
        school = SchoolProgress8(sums, standardDeviation: standardDeviation)
        basis = ProgressBasis(estimates: estimates, cohortYear: cohortYear)
    }

    /// Mean A8 over every pupil (with or without KS2); nil for an empty cohort.
    public var meanAttainment8: Double? {
        pupils.isEmpty ? nil : Double(pupils.reduce(0) { $0 + $1.attainment8.totalHundredths }) / Double(100 * pupils.count)
    }

    /// % of pupils entered for the EBacc (all five pillars).
    public var ebaccEntryPercent: Double? { percent { $0.ebacc.entered } }
    /// Mean EBacc APS over the cohort (every pupil; DfE: "the mean over the KS4 cohort").
    public var meanEBaccAPS: Double? {
        pupils.isEmpty ? nil : Double(pupils.reduce(0) { $0 + $1.ebacc.totalHundredths }) / Double(600 * pupils.count)
    }
    /// % with grade 4+ in English and maths.
    public var standardPassPercent: Double? { percent { $0.basics.standardPass } }
    /// % with grade 5+ in English and maths.
    public var strongPassPercent: Double? { percent { $0.basics.strongPass } }

    private func percent(_ test: (PupilMeasures) -> Bool) -> Double? {
        pupils.isEmpty ? nil : 100 * Double(pupils.count(where: test)) / Double(pupils.count)
    }

    /// The school summary, e.g.
    ///
    ///     12 pupils, mean A8 49.17; P8 0.37 (95% CI -0.39 to 1.12, n = 11), average, 1 pupil without KS2 (in A8, not P8); EBacc entry 41.7%, EBacc APS 4.49; basics 4+ 75.0%, 5+ 58.3%
    ///     Progress 8 against KS4 2023 national A8 estimates (DfE), KS4 2023; σ 1.2827: …
    ///
    /// (the worked examples). Means and percentages are over every pupil; P8 over pupils with KS2.
    public var summaryLines: [String] {
        func f2(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "–" }
        func pc(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0) } ?? "–" }
        let without = school.pupilsWithoutKS2
        let band = school.band.map { ", \($0)" } ?? ""
        let first = "\(pupils.count) pupil\(pupils.count == 1 ? "" : "s"), mean A8 \(f2(meanAttainment8)); "
            + "P8 \(school.summary)\(band), \(without) pupil\(without == 1 ? "" : "s") without KS2 (in A8, not P8); "
            + "EBacc entry \(pc(ebaccEntryPercent)), EBacc APS \(f2(meanEBaccAPS)); "
            + "basics 4+ \(pc(standardPassPercent)), 5+ \(pc(strongPassPercent))"
        return [first, "\(basis.label); \(school.standardDeviation.source)"]
    }
}

// MARK: - Table

extension KS4Cohort {
    /// The per-pupil table `headway ks4` writes, as text cells (the columns of
    /// `shared/reference/a8-p8-worked-examples.csv` where they exist, so the two compare
    /// directly, then EBacc, basics and each slot's content):
    ///
    /// `pupil, ks2_reading, ks2_maths, ks2_avg, pag, english_double_weighted (1/0), english_elem,
    /// maths_elem, ebacc_elem, ebacc_slots (labels joined by |), open_elem, open_slots, a8,
    /// a8_estimate, est_english, est_maths, est_ebacc, est_open, p8_exact, p8_2dp, p8_english,
    /// p8_maths, p8_ebacc, p8_open, estimate_table, ebacc_entered (1/0), ebacc_aps (2 dp),
    /// basics_4 (1/0), basics_5 (1/0), english_1, english_2, maths_1, maths_2, ebacc_1 … ebacc_3,
    /// open_1 … open_3` — a slot cell is `label grade (points)`, e.g. `combined_science#1 6-5 (5.5)`,
    /// blank when empty. P8 cells are blank for a pupil without KS2, and `estimate_table` says so.
    public static let tableHeader: [String] = [
        "pupil", "ks2_reading", "ks2_maths", "ks2_avg", "pag", "english_double_weighted", "english_elem", "maths_elem",
        "ebacc_elem", "ebacc_slots", "open_elem", "open_slots", "a8", "a8_estimate", "est_english", "est_maths", "est_ebacc",
        "est_open", "p8_exact", "p8_2dp", "p8_english", "p8_maths", "p8_ebacc", "p8_open", "estimate_table",
        "ebacc_entered", "ebacc_aps", "basics_4", "basics_5",
        "english_1", "english_2", "maths_1", "maths_2", "ebacc_1", "ebacc_2", "ebacc_3", "open_1", "open_2", "open_3",
    ]

    /// One row per pupil, in cohort order, matching ``tableHeader``.
    public var tableRows: [[String]] {
        pupils.map { KS4Cohort.row($0, basis: basis) }
    }

    static func row(_ p: PupilMeasures, basis: ProgressBasis) -> [String] {
        let a8 = p.attainment8
        func pts(_ h: Int) -> String { KS4Format.points(h) }
        func est(_ x: Double?) -> String { x.map { pts(Int(($0 * 100).rounded())) } ?? "" }
        func bit(_ b: Bool) -> String { b ? "1" : "0" }
        let p8 = p.progress8
        let tableCell = p8 == nil ? "n/a - excluded from P8 (no KS2)"
            : "\(basis.tableName), KS4 \(basis.tableYear)\(basis.isEstimate ? " (estimate)" : "")"
        let aps = KS4Format.decimal(ProgressScore.divideRoundingHalfAwayFromZero(p.ebacc.totalHundredths, 6), places: 2, trim: false)
        var row: [String] = []
        row.reserveCapacity(tableHeader.count)
        row.append(p.id.rawValue)
        row.append(p.prior.readingScaledScore.map(String.init) ?? "")
        row.append(p.prior.mathsScaledScore.map(String.init) ?? "")
        row.append(p.prior.average.map { pts(Int(($0 * 100).rounded())) } ?? "")
        row.append(p8.map { String($0.estimate.group) } ?? "")
        row.append(bit(a8.englishDoubleWeighted))
        row.append(pts(a8.englishHundredths))
        row.append(pts(a8.mathsHundredths))
        row.append(pts(a8.ebaccHundredths))
        row.append(a8.labels(.ebacc).joined(separator: "|"))
        row.append(pts(a8.openHundredths))
        row.append(a8.labels(.open).joined(separator: "|"))
        row.append(pts(a8.totalHundredths))
        let e = p8?.estimate
        row += [est(e?.total), est(e?.english), est(e?.maths), est(e?.ebacc), est(e?.open)]
        row.append(p8?.overall.exactText ?? "")
        row.append(p8?.overall.roundedText ?? "")
        for score in [p8?.english, p8?.maths, p8?.ebacc, p8?.open] {
            row.append(score?.roundedText ?? "")
        }
        row.append(tableCell)
        row += [bit(p.ebacc.entered), aps, bit(p.basics.standardPass), bit(p.basics.strongPass)]
        for slot in a8.slots {
            if let c = a8.content(slot) {
                row.append("\(c.label) \(c.grade) (\(pts(slot.hundredths)))")
            } else {
                row.append("")
            }
        }
        return row
    }
}
