/// A table of Attainment 8 estimates: the national mean A8 (and, where published, its four
/// element means) of pupils in each KS2 prior attainment group, for one KS4 year. Progress 8 is
/// measured against it, and estimate-based targets are read from it.
///
/// Rules (DfE secondary accountability guidance; `shared/reference/dfe-rules.md` §2): the
/// estimate is the mean A8 of pupils nationally in the same prior attainment group in the same
/// KS4 year, so it is only known after results; a table from another year is an *estimate* of the
/// estimate and is always labelled with its year.
public struct AttainmentEstimates: Hashable, Sendable, Identifiable {
    public typealias ID = Identifier<AttainmentEstimates>

    /// What the prior attainment groups are measured in.
    public enum Basis: String, Hashable, Sendable, Codable {
        /// KS2 reading and maths scaled scores, mean of the two (KS4 2022 onward).
        case scaledScore = "scaled_score"
        /// KS2 fine levels (KS4 2016–2019).
        case fineLevel = "fine_level"
    }

    /// One prior attainment group (PAG).
    public struct Row: Hashable, Sendable {
        /// 1 = lowest.
        public var group: Int
        /// Inclusive bounds of the KS2 average for this group.
        public var ks2Minimum: Double
        public var ks2Maximum: Double
        /// Element estimates in A8 points (English and maths double weighted, so out of 18; EBacc and
        /// open out of 27); nil where the table gives only a total.
        public var english: Double?
        public var maths: Double?
        public var ebacc: Double?
        public var open: Double?
        /// The A8 estimate, 0–90: the sum of the elements where they are given.
        public var total: Double

        public init(group: Int, ks2Minimum: Double, ks2Maximum: Double, english: Double, maths: Double, ebacc: Double, open: Double) {
            self.group = group
            self.ks2Minimum = ks2Minimum
            self.ks2Maximum = ks2Maximum
            self.english = english
            self.maths = maths
            self.ebacc = ebacc
            self.open = open
            // Sum in hundredths so 36.30 is 36.30, not 36.300000000000004.
            self.total = Double([english, maths, ebacc, open].map { Int(($0 * 100).rounded()) }.reduce(0, +)) / 100
        }

        public init(group: Int, ks2Minimum: Double, ks2Maximum: Double, total: Double) {
            self.group = group
            self.ks2Minimum = ks2Minimum
            self.ks2Maximum = ks2Maximum
            self.total = total
        }
    }

    public var id: ID
    /// Shown beside every figure computed from the table, e.g. "KS4 2023 national estimates (DfE)".
    public var name: String
    /// The KS4 year (summer of the exams) the estimates describe.
    public var ks4Year: Int
    public var basis: Basis
    /// Where the numbers come from.
    public var source: String
    /// Lowest group first.
    public var rows: [Row]

    public init(id: ID, name: String, ks4Year: Int, basis: Basis, source: String, rows: [Row]) {
        self.id = id
        self.name = name
        self.ks4Year = ks4Year
        self.basis = basis
        self.source = source
        self.rows = rows.sorted { $0.ks2Minimum < $1.ks2Minimum }
    }

    /// The group whose range holds `ks2Average`. An average below the lowest group's minimum
    /// falls in the lowest group, above the highest in the highest; between two groups (a gap in
    /// a table on a 0.5 grid) it falls in the lower one. Nil for an empty table.
    public func row(for ks2Average: Double) -> Row? {
        guard let first = rows.first else { return nil }
        if ks2Average < first.ks2Minimum { return first }
        return rows.last { $0.ks2Minimum <= ks2Average + 1e-9 }
    }

    /// The KS4 2023 estimates by KS2 scaled-score prior attainment group (34 groups), as in
    /// `shared/reference/a8-estimates-2023-ks4.csv` (DfE, transcribed by school_kit; total = sum
    /// of the four elements).
    public static let ks4_2023 = AttainmentEstimates(
        id: "ks4-2023", name: "KS4 2023 national A8 estimates (DfE)", ks4Year: 2023, basis: .scaledScore,
        source: "DfE KS4 2023 Attainment 8 estimates by KS2 prior attainment group, as transcribed in shared/reference/a8-estimates-2023-ks4.csv",
        rows: [
            Row(group: 1, ks2Minimum: 59.0, ks2Maximum: 82.0, english: 3.81, maths: 2.29, ebacc: 4.19, open: 5.55),
            Row(group: 2, ks2Minimum: 82.5, ks2Maximum: 86.0, english: 4.08, maths: 2.37, ebacc: 4.13, open: 5.86),
            Row(group: 3, ks2Minimum: 86.5, ks2Maximum: 87.5, english: 4.74, maths: 3.03, ebacc: 4.89, open: 6.57),
            Row(group: 4, ks2Minimum: 88.0, ks2Maximum: 89.0, english: 5.02, maths: 3.34, ebacc: 5.33, open: 7.03),
            Row(group: 5, ks2Minimum: 89.5, ks2Maximum: 90.5, english: 5.35, maths: 3.63, ebacc: 5.77, open: 7.40),
            Row(group: 6, ks2Minimum: 91.0, ks2Maximum: 92.0, english: 5.65, maths: 4.07, ebacc: 6.20, open: 7.90),
            Row(group: 7, ks2Minimum: 92.5, ks2Maximum: 93.0, english: 6.00, maths: 4.50, ebacc: 6.73, open: 8.43),
            Row(group: 8, ks2Minimum: 93.5, ks2Maximum: 94.0, english: 6.31, maths: 4.79, ebacc: 7.08, open: 8.77),
            Row(group: 9, ks2Minimum: 94.5, ks2Maximum: 95.0, english: 6.56, maths: 5.10, ebacc: 7.42, open: 9.07),
            Row(group: 10, ks2Minimum: 95.5, ks2Maximum: 96.0, english: 6.88, maths: 5.44, ebacc: 7.90, open: 9.51),
            Row(group: 11, ks2Minimum: 96.5, ks2Maximum: 97.0, english: 7.13, maths: 5.77, ebacc: 8.29, open: 9.86),
            Row(group: 12, ks2Minimum: 97.5, ks2Maximum: 98.0, english: 7.52, maths: 6.21, ebacc: 8.88, open: 10.42),
            Row(group: 13, ks2Minimum: 98.5, ks2Maximum: 99.0, english: 7.81, maths: 6.59, ebacc: 9.34, open: 10.83),
            Row(group: 14, ks2Minimum: 99.5, ks2Maximum: 100.0, english: 8.15, maths: 6.94, ebacc: 9.89, open: 11.32),
            Row(group: 15, ks2Minimum: 100.5, ks2Maximum: 101.0, english: 8.46, maths: 7.35, ebacc: 10.42, open: 11.77),
            Row(group: 16, ks2Minimum: 101.5, ks2Maximum: 102.0, english: 8.80, maths: 7.75, ebacc: 11.02, open: 12.25),
            Row(group: 17, ks2Minimum: 102.5, ks2Maximum: 103.0, english: 9.12, maths: 8.09, ebacc: 11.57, open: 12.70),
            Row(group: 18, ks2Minimum: 103.5, ks2Maximum: 104.0, english: 9.53, maths: 8.53, ebacc: 12.28, open: 13.30),
            Row(group: 19, ks2Minimum: 104.5, ks2Maximum: 105.0, english: 9.88, maths: 8.90, ebacc: 12.90, open: 13.79),
            Row(group: 20, ks2Minimum: 105.5, ks2Maximum: 106.0, english: 10.28, maths: 9.39, ebacc: 13.64, open: 14.37),
            Row(group: 21, ks2Minimum: 106.5, ks2Maximum: 107.0, english: 10.73, maths: 9.95, ebacc: 14.56, open: 15.07),
            Row(group: 22, ks2Minimum: 107.5, ks2Maximum: 108.0, english: 11.18, maths: 10.47, ebacc: 15.40, open: 15.72),
            Row(group: 23, ks2Minimum: 108.5, ks2Maximum: 109.0, english: 11.65, maths: 11.09, ebacc: 16.32, open: 16.43),
            Row(group: 24, ks2Minimum: 109.5, ks2Maximum: 110.0, english: 12.11, maths: 11.65, ebacc: 17.23, open: 17.15),
            Row(group: 25, ks2Minimum: 110.5, ks2Maximum: 111.0, english: 12.54, maths: 12.15, ebacc: 18.01, open: 17.81),
            Row(group: 26, ks2Minimum: 111.5, ks2Maximum: 112.0, english: 13.00, maths: 12.74, ebacc: 18.98, open: 18.54),
            Row(group: 27, ks2Minimum: 112.5, ks2Maximum: 113.0, english: 13.44, maths: 13.36, ebacc: 19.91, open: 19.31),
            Row(group: 28, ks2Minimum: 113.5, ks2Maximum: 114.0, english: 13.88, maths: 13.85, ebacc: 20.73, open: 19.99),
            Row(group: 29, ks2Minimum: 114.5, ks2Maximum: 115.0, english: 14.22, maths: 14.47, ebacc: 21.56, open: 20.64),
            Row(group: 30, ks2Minimum: 115.5, ks2Maximum: 116.0, english: 14.60, maths: 14.93, ebacc: 22.32, open: 21.34),
            Row(group: 31, ks2Minimum: 116.5, ks2Maximum: 117.0, english: 14.97, maths: 15.40, ebacc: 23.08, open: 22.02),
            Row(group: 32, ks2Minimum: 117.5, ks2Maximum: 118.0, english: 15.36, maths: 15.75, ebacc: 23.64, open: 22.62),
            Row(group: 33, ks2Minimum: 118.5, ks2Maximum: 119.0, english: 15.71, maths: 16.26, ebacc: 24.37, open: 23.29),
            Row(group: 34, ks2Minimum: 119.5, ks2Maximum: 120.0, english: 16.16, maths: 16.60, ebacc: 24.98, open: 24.11)
        ])

    /// Early 2019 estimates by KS2 fine level (totals only), published by ASCL from SISRA's
    /// collaborative collection in August 2019 — *not* the DfE's final 2019 table; an
    /// illustration for levels-era cohorts (`shared/reference/a8-estimates-2019-early-sisra.csv`).
    public static let ks4_2019Early = AttainmentEstimates(
        id: "ks4-2019-early", name: "KS4 2019 early A8 estimates by fine level (SISRA/ASCL, not DfE final)", ks4Year: 2019,
        basis: .fineLevel,
        source: "ASCL 'Attainment 8 estimates for 2019' (29 Aug 2019), SISRA early collaborative estimates",
        rows: [
            Row(group: 1, ks2Minimum: 1.5, ks2Maximum: 1.5, total: 18.96),
            Row(group: 2, ks2Minimum: 2.0, ks2Maximum: 2.0, total: 17.49),
            Row(group: 3, ks2Minimum: 2.5, ks2Maximum: 2.5, total: 17.64),
            Row(group: 4, ks2Minimum: 2.8, ks2Maximum: 2.8, total: 18.47),
            Row(group: 5, ks2Minimum: 2.9, ks2Maximum: 2.9, total: 19.75),
            Row(group: 6, ks2Minimum: 3.0, ks2Maximum: 3.0, total: 20.39),
            Row(group: 7, ks2Minimum: 3.1, ks2Maximum: 3.1, total: 21.83),
            Row(group: 8, ks2Minimum: 3.2, ks2Maximum: 3.2, total: 22.66),
            Row(group: 9, ks2Minimum: 3.3, ks2Maximum: 3.3, total: 23.07),
            Row(group: 10, ks2Minimum: 3.4, ks2Maximum: 3.4, total: 23.59),
            Row(group: 11, ks2Minimum: 3.5, ks2Maximum: 3.5, total: 24.85),
            Row(group: 12, ks2Minimum: 3.6, ks2Maximum: 3.6, total: 25.39),
            Row(group: 13, ks2Minimum: 3.7, ks2Maximum: 3.7, total: 26.58),
            Row(group: 14, ks2Minimum: 3.8, ks2Maximum: 3.8, total: 27.39),
            Row(group: 15, ks2Minimum: 4.0, ks2Maximum: 4.0, total: 30.51),
            Row(group: 16, ks2Minimum: 4.1, ks2Maximum: 4.1, total: 31.53),
            Row(group: 17, ks2Minimum: 4.2, ks2Maximum: 4.2, total: 32.96),
            Row(group: 18, ks2Minimum: 4.3, ks2Maximum: 4.3, total: 34.39),
            Row(group: 19, ks2Minimum: 4.4, ks2Maximum: 4.4, total: 36.06),
            Row(group: 20, ks2Minimum: 4.5, ks2Maximum: 4.5, total: 37.72),
            Row(group: 21, ks2Minimum: 4.6, ks2Maximum: 4.6, total: 39.82),
            Row(group: 22, ks2Minimum: 4.7, ks2Maximum: 4.7, total: 42.03),
            Row(group: 23, ks2Minimum: 4.8, ks2Maximum: 4.8, total: 44.36),
            Row(group: 24, ks2Minimum: 4.9, ks2Maximum: 4.9, total: 46.63),
            Row(group: 25, ks2Minimum: 5.0, ks2Maximum: 5.0, total: 49.29),
            Row(group: 26, ks2Minimum: 5.1, ks2Maximum: 5.1, total: 52.22),
            Row(group: 27, ks2Minimum: 5.2, ks2Maximum: 5.2, total: 54.72),
            Row(group: 28, ks2Minimum: 5.3, ks2Maximum: 5.3, total: 58.03),
            Row(group: 29, ks2Minimum: 5.4, ks2Maximum: 5.4, total: 61.73),
            Row(group: 30, ks2Minimum: 5.5, ks2Maximum: 5.5, total: 65.07),
            Row(group: 31, ks2Minimum: 5.6, ks2Maximum: 5.6, total: 69.35),
            Row(group: 32, ks2Minimum: 5.7, ks2Maximum: 5.7, total: 73.64),
            Row(group: 33, ks2Minimum: 5.8, ks2Maximum: 5.8, total: 77.87)
        ])

    /// Every built-in table, newest first.
    public static let builtIn: [AttainmentEstimates] = [ks4_2023, ks4_2019Early]
}
