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
    public private(set) var pupils: [PupilMeasures]
    /// The cohort's totals: means, percentages and school P8 come from these.
    public private(set) var summary: Summary
    /// School (cohort) P8 and interval.
    public var school: SchoolProgress8 { summary.school }
    /// What P8 is measured against and whether it is an estimate.
    public var basis: ProgressBasis { summary.basis }

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
        var summary = Summary(basis: ProgressBasis(estimates: estimates, cohortYear: cohortYear), standardDeviation: standardDeviation)
        for p in pupils {
            let m = PupilMeasures(p, estimates: estimates)
            summary.add(m)
            measures.append(m)
        }
        self.pupils = measures
        self.summary = summary
    }

    /// A cohort's totals, added up pupil by pupil: what the cohort figures and summary lines
    /// need, without holding the pupils (`headway ks4` streams a national file through one).
    public struct Summary: Sendable {
        /// What P8 is measured against.
        public var basis: ProgressBasis
        /// National σ of pupil P8 for the interval.
        public var standardDeviation: SchoolProgress8.StandardDeviation
        /// Pupils added.
        public private(set) var count = 0
        private var attainment8Hundredths = 0, ebaccHundredths = 0, ebaccEntered = 0, standardPasses = 0, strongPasses = 0
        private var progress8 = SchoolProgress8.Accumulator()

        /// No pupils yet.
        public init(basis: ProgressBasis, standardDeviation: SchoolProgress8.StandardDeviation = .ks4_2019) {
            self.basis = basis
            self.standardDeviation = standardDeviation
        }

        /// Adds one pupil's measures.
        public mutating func add(_ m: PupilMeasures) {
            count += 1
            attainment8Hundredths += m.attainment8.totalHundredths
            ebaccHundredths += m.ebacc.totalHundredths
            if m.ebacc.entered { ebaccEntered += 1 }
            if m.basics.standardPass { standardPasses += 1 }
            if m.basics.strongPass { strongPasses += 1 }
            progress8.add(m.progress8)
        }

        /// Adds the pupils of another summary (work split across threads; same basis).
        public mutating func add(_ other: Summary) {
            count += other.count
            attainment8Hundredths += other.attainment8Hundredths
            ebaccHundredths += other.ebaccHundredths
            ebaccEntered += other.ebaccEntered
            standardPasses += other.standardPasses
            strongPasses += other.strongPasses
            progress8.add(other.progress8)
        }

        /// School P8 and interval.
        public var school: SchoolProgress8 { SchoolProgress8(progress8, standardDeviation: standardDeviation) }
        /// Mean A8 over every pupil; nil for no pupils.
        public var meanAttainment8: Double? { count == 0 ? nil : Double(attainment8Hundredths) / Double(100 * count) }
        /// Mean EBacc APS over every pupil (DfE: "the mean over the KS4 cohort").
        public var meanEBaccAPS: Double? { count == 0 ? nil : Double(ebaccHundredths) / Double(600 * count) }
        /// % entered for the EBacc (all five pillars).
        public var ebaccEntryPercent: Double? { percent(ebaccEntered) }
        /// % with grade 4+ in English and maths.
        public var standardPassPercent: Double? { percent(standardPasses) }
        /// % with grade 5+ in English and maths.
        public var strongPassPercent: Double? { percent(strongPasses) }

        private func percent(_ n: Int) -> Double? { count == 0 ? nil : 100 * Double(n) / Double(count) }
    }

    /// Mean A8 over every pupil (with or without KS2); nil for an empty cohort.
    public var meanAttainment8: Double? { summary.meanAttainment8 }
    /// % of pupils entered for the EBacc (all five pillars).
    public var ebaccEntryPercent: Double? { summary.ebaccEntryPercent }
    /// Mean EBacc APS over the cohort (every pupil; DfE: "the mean over the KS4 cohort").
    public var meanEBaccAPS: Double? { summary.meanEBaccAPS }
    /// % with grade 4+ in English and maths.
    public var standardPassPercent: Double? { summary.standardPassPercent }
    /// % with grade 5+ in English and maths.
    public var strongPassPercent: Double? { summary.strongPassPercent }

    /// The school summary (``Summary/lines``).
    public var summaryLines: [String] { summary.lines }
}

extension KS4Cohort.Summary {
    /// The school summary, e.g.
    ///
    ///     12 pupils, mean A8 49.17; P8 0.37 (95% CI -0.39 to 1.12, n = 11), average, 1 pupil without KS2 (in A8, not P8); EBacc entry 41.7%, EBacc APS 4.49; basics 4+ 75.0%, 5+ 58.3%
    ///     Progress 8 against KS4 2023 national A8 estimates (DfE), KS4 2023; σ 1.2827: …
    ///
    /// (the worked examples). Means and percentages are over every pupil; P8 over pupils with KS2.
    public var lines: [String] {
        func f2(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "–" }
        func pc(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0) } ?? "–" }
        let without = school.pupilsWithoutKS2
        let band = school.band.map { ", \($0)" } ?? ""
        let first = "\(count) pupil\(count == 1 ? "" : "s"), mean A8 \(f2(meanAttainment8)); "
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
    public static var tableHeader: [String] { Column.allCases.map(\.rawValue) }

    /// One row per pupil, in cohort order, matching ``tableHeader``.
    public var tableRows: [[String]] { tableRows(Column.allCases) }

    /// A column of the per-pupil table, named by its header (see ``tableHeader`` for each).
    public enum Column: String, CaseIterable, Sendable {
        case pupil, ks2Reading = "ks2_reading", ks2Maths = "ks2_maths", ks2Average = "ks2_avg", pag
        case englishDoubleWeighted = "english_double_weighted", englishElement = "english_elem", mathsElement = "maths_elem"
        case ebaccElement = "ebacc_elem", ebaccSlots = "ebacc_slots", openElement = "open_elem", openSlots = "open_slots"
        case attainment8 = "a8", estimate = "a8_estimate", estimateEnglish = "est_english", estimateMaths = "est_maths"
        case estimateEBacc = "est_ebacc", estimateOpen = "est_open", progress8Exact = "p8_exact", progress8 = "p8_2dp"
        case progress8English = "p8_english", progress8Maths = "p8_maths", progress8EBacc = "p8_ebacc", progress8Open = "p8_open"
        case estimateTable = "estimate_table", ebaccEntered = "ebacc_entered", ebaccAPS = "ebacc_aps"
        case basics4 = "basics_4", basics5 = "basics_5"
        case english1 = "english_1", english2 = "english_2", maths1 = "maths_1", maths2 = "maths_2"
        case ebacc1 = "ebacc_1", ebacc2 = "ebacc_2", ebacc3 = "ebacc_3", open1 = "open_1", open2 = "open_2", open3 = "open_3"

        /// What `headway ks4` writes unless asked for the detail: the pupil, KS2, A8 and its
        /// elements, P8 (2 dp) and its elements, EBacc entry and APS, basics (issue 13, item 3).
        public static let essential: [Column] = [
            .pupil, .ks2Reading, .ks2Maths, .attainment8, .englishElement, .mathsElement, .ebaccElement, .openElement,
            .progress8, .progress8English, .progress8Maths, .progress8EBacc, .progress8Open, .ebaccEntered, .ebaccAPS, .basics4, .basics5,
        ]

        /// The A8 slot a slot column shows (0 = english_1 … 9 = open_3); nil for other columns.
        var slot: Int? {
            let all = Column.allCases
            let i = all.firstIndex(of: self)!, first = all.firstIndex(of: .english1)!
            return i >= first ? i - first : nil
        }
    }

    /// One row per pupil, in cohort order, with `columns` only.
    public func tableRows(_ columns: [Column]) -> [[String]] {
        pupils.map { KS4Cohort.row($0, basis: basis, columns: columns) }
    }

    /// One pupil's cells for `columns`: each worked out only when asked for.
    public static func row(_ p: PupilMeasures, basis: ProgressBasis, columns: [Column]) -> [String] {
        var cells = TextCells()
        write(p, basis: basis, columns: columns, to: &cells)
        return cells.cells
    }

    /// One pupil's cells for `columns`, handed to `writer` in order: the same cells as
    /// ``row(_:basis:columns:)``, numbers as their digits (a national cohort's table has ten
    /// million cells: a `String` each was a tenth of `headway ks4`, issue 13).
    public static func write(_ p: PupilMeasures, basis: ProgressBasis, columns: [Column], to writer: inout some KS4CellWriter) {
        for column in columns { write(column, p, basis: basis, to: &writer) }
    }

    private struct TextCells: KS4CellWriter {
        var cells: [String] = []
        mutating func text(_ cell: String) { cells.append(cell) }
        mutating func number(_ ascii: UnsafeBufferPointer<UInt8>) { cells.append(String(decoding: ascii, as: UTF8.self)) }
    }

    private static func write(_ column: Column, _ p: PupilMeasures, basis: ProgressBasis, to w: inout some KS4CellWriter) {
        let a8 = p.attainment8, p8 = p.progress8, e = p8?.estimate
        func pts(_ h: Int) { KS4Format.withDecimal(h, places: 2, trim: true) { w.number($0) } }
        func dp2(_ h: Int?) {
            guard let h else { return w.text("") }
            KS4Format.withDecimal(h, places: 2, trim: false) { w.number($0) }
        }
        func whole(_ n: Int?) {
            guard let n else { return w.text("") }
            KS4Format.withDecimal(n, places: 0, trim: false) { w.number($0) }
        }
        func est(_ x: Double?) {
            guard let x else { return w.text("") }
            pts(Int((x * 100).rounded()))
        }
        func bit(_ b: Bool) { whole(b ? 1 : 0) }
        switch column {
        case .pupil: w.text(p.id.rawValue)
        case .ks2Reading: whole(p.prior.readingScaledScore)
        case .ks2Maths: whole(p.prior.mathsScaledScore)
        case .ks2Average: est(p.prior.average)
        case .pag: whole(p8?.estimate.group)
        case .englishDoubleWeighted: bit(a8.englishDoubleWeighted)
        case .englishElement: pts(a8.englishHundredths)
        case .mathsElement: pts(a8.mathsHundredths)
        case .ebaccElement: pts(a8.ebaccHundredths)
        case .ebaccSlots: w.text(a8.labels(.ebacc).joined(separator: "|"))
        case .openElement: pts(a8.openHundredths)
        case .openSlots: w.text(a8.labels(.open).joined(separator: "|"))
        case .attainment8: pts(a8.totalHundredths)
        case .estimate: est(e?.total)
        case .estimateEnglish: est(e?.english)
        case .estimateMaths: est(e?.maths)
        case .estimateEBacc: est(e?.ebacc)
        case .estimateOpen: est(e?.open)
        case .progress8Exact: w.text(p8?.overall.exactText ?? "")
        case .progress8: dp2(p8?.overall.roundedHundredths)
        case .progress8English: dp2(p8?.english?.roundedHundredths)
        case .progress8Maths: dp2(p8?.maths?.roundedHundredths)
        case .progress8EBacc: dp2(p8?.ebacc?.roundedHundredths)
        case .progress8Open: dp2(p8?.open?.roundedHundredths)
        case .estimateTable:
            w.text(p8 == nil ? "n/a - excluded from P8 (no KS2)"
                : "\(basis.tableName), KS4 \(basis.tableYear)\(basis.isEstimate ? " (estimate)" : "")")
        case .ebaccEntered: bit(p.ebacc.entered)
        case .ebaccAPS: dp2(ProgressScore.divideRoundingHalfAwayFromZero(p.ebacc.totalHundredths, 6))
        case .basics4: bit(p.basics.standardPass)
        case .basics5: bit(p.basics.strongPass)
        default:
            let slot = a8.slots[column.slot!]
            w.text(a8.content(slot).map { "\($0.label) \($0.grade) (\(KS4Format.points(slot.hundredths)))" } ?? "")
        }
    }
}

/// Where ``KS4Cohort/write(_:basis:columns:to:)`` puts a pupil's cells, one call a cell in
/// column order: a text cell, or a number as the ASCII bytes of a decimal (`-0.25`, `47.5`, `1`),
/// which never needs quoting.
public protocol KS4CellWriter {
    mutating func text(_ cell: String)
    mutating func number(_ ascii: UnsafeBufferPointer<UInt8>)
}
