/// A KS4 result's grade as the DfE accountability measures count it: the code as awarded, the
/// points it is worth in *each* slot it fills, how many slots it fills, and whether the pupil
/// took the qualification at all.
///
/// Points are held in hundredths of a point (`hundredths`), an integer, so that Attainment 8
/// totals, Progress 8 scores and their rounding are exact: DfE points are multiples of 0.01
/// (GCSE 9–1 whole points, combined science halves, legacy 8.5/5.5/1.5, non-GCSE tables such as
/// 1.25 or 5.13). ``points`` gives the same value as a `Double` for display.
///
/// Rules (`shared/reference/dfe-rules.md` §1.2, §1.4; `gcse-point-scores.csv`,
/// `combined-science-points.csv`):
/// - reformed GCSE 9–1: the grade is the points (9 → 9 … 1 → 1), U → 0;
/// - combined science double award (`9-9` … `1-1`, `U`): fills 2 slots, each worth the mean of
///   the pair (`6-5` → 5.5 + 5.5); the two grades are equal or adjacent, higher first;
/// - legacy A*–G GCSE: 2016 A* = 8 … G = 1; 2017–2019 A* = 8.5, A = 7, B = 5.5, C = 4, D = 3,
///   E = 2, F = 1.5, G = 1;
/// - U is a result: the qualification was *taken* (it makes English double weighted) and scores
///   0; X (absent, no result) is *not taken* and counts nowhere.
public struct KS4Grade: Hashable, Sendable, Codable {
    /// The grade as awarded, canonical: `7`, `U`, `6-5`, `A*`, `X`, or a DfE table's grade text
    /// such as `L2 Distinction*`.
    public var code: String
    // Compact storage (24 bytes, not 40): a national cohort holds six million results.
    private var hundredths32: Int32
    private var slots8: UInt8
    private var taken: Bool

    /// Points per slot in hundredths (550 = 5.5 points). Zero for U and X.
    public var hundredths: Int {
        get { Int(hundredths32) }
        set { hundredths32 = Int32(newValue) }
    }
    /// Slots the result fills when it counts: 2 for a combined-science double award, else 1.
    public var slots: Int {
        get { Int(slots8) }
        set { slots8 = UInt8(newValue) }
    }
    /// False for X (absent or no result): the result is ignored by every measure.
    public var isTaken: Bool {
        get { taken }
        set { taken = newValue }
    }

    private enum CodingKeys: String, CodingKey { case code, hundredths, slots, isTaken }

    /// Decodes `{code, hundredths, slots, isTaken}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        hundredths32 = try c.decode(Int32.self, forKey: .hundredths)
        slots8 = try c.decode(UInt8.self, forKey: .slots)
        taken = try c.decode(Bool.self, forKey: .isTaken)
    }

    /// Encodes `{code, hundredths, slots, isTaken}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(hundredths, forKey: .hundredths)
        try c.encode(slots, forKey: .slots)
        try c.encode(isTaken, forKey: .isTaken)
    }

    /// A taken grade worth `points` per slot (rounded to the nearest hundredth).
    /// - Parameters:
    ///   - code: the grade as shown.
    ///   - points: points per slot, e.g. 5.5 for combined science `6-5`.
    ///   - slots: 1, or 2 for a double award.
    public init(code: String, points: Double, slots: Int = 1) {
        self.init(code: code, hundredths: Int((points * 100).rounded()), slots: slots)
    }

    /// A taken grade worth `hundredths` / 100 points per slot.
    public init(code: String, hundredths: Int, slots: Int = 1) {
        self.code = code
        hundredths32 = Int32(hundredths)
        slots8 = UInt8(slots)
        taken = true
    }

    /// X: entered but absent, or no result. Not taken; worth nothing; fills nothing.
    /// - Parameter slots: the slots the qualification would have filled (2 for combined science).
    public static func absent(slots: Int = 1) -> KS4Grade {
        var grade = KS4Grade(code: "X", hundredths: 0, slots: slots)
        grade.isTaken = false
        return grade
    }

    /// A grade on a school's scale (working-at or predicted), e.g. a forecast `6+` worth 6⅓:
    /// points rounded to hundredths, slots from the scale (2 for combined science).
    public init(_ grade: GradeScale.Grade) {
        self.init(code: grade.code, points: grade.points, slots: grade.slots)
    }

    /// Points per slot, e.g. 5.5.
    public var points: Double { Double(hundredths) / 100 }

    /// Points for all the slots the grade fills (a double award counts twice), in hundredths:
    /// the value compared when discounting keeps the better of two qualifications.
    public var totalHundredths: Int { hundredths * slots }

    /// Reads a reformed GCSE grade: `9`…`1`, `U` (taken, 0 points) or `X` (not taken).
    /// Surrounding spaces and letter case are ignored.
    /// - Returns: nil for anything else (e.g. `10`, `A*`, `6-5`, blank).
    public static func gcse(_ text: String) -> KS4Grade? {
        let t = KS4Grade.normalise(text)
        if t == "X" { return .absent() }
        if t == "U" { return KS4Grade(code: "U", hundredths: 0) }
        guard t.utf8.count == 1, let g = Int(t), (1...9).contains(g) else { return nil }
        return KS4Grade(code: t, hundredths: g * 100)
    }

    /// Reads a combined-science double-award grade: `6-5` (also `6/5`, `65`, `6 - 5`), `U` or
    /// `U-U` (taken, 0), or `X` (not taken). The pair must be equal or adjacent with the higher
    /// grade first (`5-6` is rejected): AQA's 17-point scale.
    /// - Returns: a 2-slot grade worth the mean of the pair per slot; nil if not on the scale.
    public static func combinedScience(_ text: String) -> KS4Grade? {
        let t = KS4Grade.normalise(text, slashAsDash: true)
        if t == "X" || t == "X-X" { return .absent(slots: 2) }
        if t == "U" || t == "U-U" { return KS4Grade(code: "U", hundredths: 0, slots: 2) }
        let chars = Array(t)
        let pair: (Character, Character)
        switch chars.count {
        case 2: pair = (chars[0], chars[1])
        case 3 where chars[1] == "-": pair = (chars[0], chars[2])
        default: return nil
        }
        guard let high = pair.0.wholeNumberValue, let low = pair.1.wholeNumberValue, pair.0.isASCII, pair.1.isASCII,
              (1...9).contains(high), low >= 1, high - low == 0 || high - low == 1
        else { return nil }
        return KS4Grade(code: "\(high)-\(low)", hundredths: (high + low) * 50, slots: 2)
    }

    /// Reads a legacy A*–G GCSE letter grade (`A*`, `A`, …, `G`, `U`, `X`) with the points of
    /// the given KS4 year: 2016 A* = 8 … G = 1; 2017 onward A* = 8.5 … G = 1
    /// (`gcse-point-scores.csv`). Legacy GCSEs last counted in 2019.
    /// - Returns: nil for anything else.
    public static func legacyGCSE(_ text: String, ks4Year: Int) -> KS4Grade? {
        let t = KS4Grade.normalise(text)
        if t == "X" { return .absent() }
        if t == "U" { return KS4Grade(code: "U", hundredths: 0) }
        let letters = ["A*", "A", "B", "C", "D", "E", "F", "G"]
        guard let i = letters.firstIndex(of: t) else { return nil }
        let table = ks4Year <= 2016 ? [800, 700, 600, 500, 400, 300, 200, 100] : [850, 700, 550, 400, 300, 200, 150, 100]
        return KS4Grade(code: t, hundredths: table[i])
    }

    /// Upper case, without spaces; typographic dashes become `-`, and `/` too when asked.
    static func normalise(_ text: String, slashAsDash: Bool = false) -> String {
        var out = ""
        for ch in text.uppercased() where !ch.isWhitespace {
            switch ch {
            case "\u{2212}", "\u{2013}", "\u{2014}": out.append("-")
            case "/" where slashAsDash: out.append("-")
            default: out.append(ch)
            }
        }
        return out
    }
}
