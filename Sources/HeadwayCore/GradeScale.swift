import Foundation

/// An ordered set of grades with points: the data that says what a subject's teachers may enter
/// and what each entry is worth. A scale is data, not code — the built-in scales
/// (``GradeScale/builtIn``) and a school's own (read from a file by HeadwayImport) are the same
/// type.
///
/// A scale is either *enumerated* (a list of grades, e.g. GCSE 9–1 with fine and split grades)
/// or *numeric* (any number in a range on a step grid, e.g. 0–20 or a percentage).
///
/// Points are a `Double` in memory only, for arithmetic; the store keeps the grade's canonical
/// code (text), never a floating-point number.
public struct GradeScale: Hashable, Sendable, Codable, Identifiable {
    public typealias ID = Identifier<GradeScale>

    /// One grade of an enumerated scale.
    public struct Grade: Hashable, Sendable, Codable {
        /// Canonical code as shown and stored, e.g. `7+`, `7/6`, `6-5`, `U`.
        public var code: String
        /// Points for averages and differences; on GCSE scales one grade = 1 point.
        public var points: Double
        /// Words for the grade where they help a reader (ATL `1` = "Excellent").
        public var label: String?
        /// Other spellings accepted on entry, e.g. `u` or `7a`. Compared case-insensitively.
        public var aliases: [String]
        /// The whole grade this one is counted under in grade distributions (`7-` → `7`).
        public var band: String
        /// Accountability slots the grade fills: 2 for a combined-science double award, else 1
        /// (DfE secondary accountability guidance: a double award fills two slots, each worth the
        /// mean of the pair).
        public var slots: Int

        public init(code: String, points: Double, label: String? = nil, aliases: [String] = [], band: String? = nil, slots: Int = 1) {
            self.code = code
            self.points = points
            self.label = label
            self.aliases = aliases
            self.band = band ?? code
            self.slots = slots
        }
    }

    /// The range of a numeric scale: any multiple of `step` from `minimum` to `maximum` inclusive.
    public struct NumericRange: Hashable, Sendable, Codable {
        public var minimum: Double
        public var maximum: Double
        public var step: Double
        /// Width of a bar in a grade distribution (e.g. 1 for 0–20, 10 for a percentage).
        public var binWidth: Double

        /// Most bars a distribution on a numeric scale has (issue 12: a tiny `bin_width` made
        /// `report` build bars for ever).
        public static let maximumBins = 200

        /// The bar width distributions use: ``binWidth``, widened when the range would need more
        /// than ``maximumBins`` bars, and the whole range (one bar) when ``binWidth`` is not a
        /// positive finite number. Never zero for a range with any width.
        public var effectiveBinWidth: Double {
            let span = maximum - minimum
            guard span.isFinite, span > 0 else { return binWidth > 0 && binWidth.isFinite ? binWidth : 1 }
            guard binWidth > 0, binWidth.isFinite else { return span }
            return Swift.max(binWidth, span / Double(Self.maximumBins))
        }

        public init(minimum: Double, maximum: Double, step: Double, binWidth: Double) {
            self.minimum = minimum
            self.maximum = maximum
            self.step = step
            self.binWidth = binWidth
        }
    }

    public var id: ID
    public var name: String
    /// Lowest to highest points for enumerated scales; empty for numeric scales.
    public var grades: [Grade]
    public var numeric: NumericRange?
    /// False where a smaller number is better (ATL 1 = excellent).
    public var higherIsBetter: Bool
    /// A change of at least this many points between two collections is a "swing" worth
    /// checking: two grades on a graded scale, a quarter of the range on a numeric one (issue 2).
    public var swingThreshold: Double
    /// What one point means. Scales sharing a unit can be averaged together (GCSE 9–1 and
    /// combined science are both in GCSE grades); others cannot. Defaults to the scale's id.
    public var pointsUnit: String

    private var lookup: [String: Int]
    /// `.grade(grades[i])` for each grade, made once: what ``parse(_:)`` returns.
    private var values: [EntryValue]

    public init(id: ID, name: String, grades: [Grade], higherIsBetter: Bool = true, swingThreshold: Double = 2, pointsUnit: String? = nil) {
        self.id = id
        self.pointsUnit = pointsUnit ?? id.rawValue
        self.name = name
        self.grades = grades.sorted { $0.points < $1.points }
        self.numeric = nil
        self.higherIsBetter = higherIsBetter
        self.swingThreshold = swingThreshold
        self.lookup = GradeScale.makeLookup(self.grades)
        self.values = self.grades.map { .grade($0) }
    }

    public init(id: ID, name: String, numeric: NumericRange, higherIsBetter: Bool = true, pointsUnit: String? = nil) {
        self.id = id
        self.pointsUnit = pointsUnit ?? id.rawValue
        self.name = name
        self.grades = []
        self.numeric = numeric
        self.higherIsBetter = higherIsBetter
        self.swingThreshold = (numeric.maximum - numeric.minimum) / 4
        self.lookup = [:]
        self.values = []
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, grades, numeric, higherIsBetter, swingThreshold, pointsUnit
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(ID.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        grades = try c.decodeIfPresent([Grade].self, forKey: .grades) ?? []
        numeric = try c.decodeIfPresent(NumericRange.self, forKey: .numeric)
        higherIsBetter = try c.decodeIfPresent(Bool.self, forKey: .higherIsBetter) ?? true
        swingThreshold = try c.decodeIfPresent(Double.self, forKey: .swingThreshold)
            ?? numeric.map { ($0.maximum - $0.minimum) / 4 } ?? 2
        pointsUnit = try c.decodeIfPresent(String.self, forKey: .pointsUnit) ?? id.rawValue
        grades.sort { $0.points < $1.points }
        lookup = GradeScale.makeLookup(grades)
        values = grades.map { .grade($0) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        if numeric == nil { try c.encode(grades, forKey: .grades) }
        try c.encodeIfPresent(numeric, forKey: .numeric)
        try c.encode(higherIsBetter, forKey: .higherIsBetter)
        try c.encode(swingThreshold, forKey: .swingThreshold)
        try c.encode(pointsUnit, forKey: .pointsUnit)
    }

    private static func makeLookup(_ grades: [Grade]) -> [String: Int] {
        var lookup: [String: Int] = [:]
        for (index, grade) in grades.enumerated() {
            for spelling in [grade.code] + grade.aliases {
                lookup[normalise(spelling)] = index
            }
        }
        return lookup
    }

    /// Case-folds and unifies the dashes people type (`−`, `–`, `—` → `-`) and removes spaces.
    static func normalise(_ text: String) -> String {
        var out = ""
        for ch in text.uppercased() where !ch.isWhitespace {
            switch ch {
            case "\u{2212}", "\u{2013}", "\u{2014}": out.append("-")
            default: out.append(ch)
            }
        }
        return out
    }

    /// The grade with this code or alias, if the scale is enumerated and has it.
    public func grade(_ text: String) -> Grade? {
        lookup[GradeScale.normalise(text)].map { grades[$0] }
    }

    /// Reads one cell as entered by a teacher or found in a file.
    ///
    /// - Returns: nil for a blank cell ("not yet entered"); ``EntryValue/notAssessed`` for `X`,
    ///   ``EntryValue/notRequired`` for `Z`; otherwise the grade with its canonical code.
    /// - Throws: ``GradeScale/ParseError`` naming the value and saying what the scale accepts.
    public func parse(_ text: String) throws(ParseError) -> EntryValue? {
        // Nearly every cell is a short code in visible ASCII: nothing to trim, and upper-casing
        // is normalising (issue 13: Foundation's trimming on every cell was a sixth of an import).
        if let upper = GradeScale.visibleASCIIUppercased(text) {
            switch upper {
            case EntryValue.notAssessedCode: return .notAssessed
            case EntryValue.notRequiredCode: return .notRequired
            default: break
            }
            if let index = lookup[upper] { return values[index] }
            if let grade = numericGrade(text) { return .grade(grade) }
            throw ParseError(value: text, scale: id, expected: expectedDescription)
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        switch trimmed.uppercased() {
        case EntryValue.notAssessedCode: return .notAssessed
        case EntryValue.notRequiredCode: return .notRequired
        default: break
        }
        if let index = lookup[GradeScale.normalise(trimmed)] { return values[index] }
        if let grade = numericGrade(trimmed) { return .grade(grade) }
        throw ParseError(value: trimmed, scale: id, expected: expectedDescription)
    }

    /// Reads a value as stored (canonical code, `X`, `Z`); a stored value that this scale does
    /// not know (the scale changed, or a legacy load) comes back as ``EntryValue/offScale(_:)``
    /// so integrity checks can report it rather than losing it.
    public func value(stored text: String) -> EntryValue {
        do {
            return try parse(text) ?? .offScale(text)
        } catch {
            return .offScale(text)
        }
    }

    /// `text` upper-cased when it is non-empty and every byte is visible ASCII (`!` to `~`);
    /// nil otherwise. For such text this is what ``normalise(_:)`` gives, without a `Character`
    /// walk.
    static func visibleASCIIUppercased(_ text: String) -> String? {
        let count = text.utf8.count
        guard count > 0, text.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else { return nil }
        guard text.utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else { return text }
        return String(unsafeUninitializedCapacity: count) { buffer in
            for (i, byte) in text.utf8.enumerated() {
                buffer[i] = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
            }
            return count
        }
    }

    private func numericGrade(_ text: String) -> Grade? {
        guard let range = numeric else { return nil }
        // A decimal comma reads as a point.
        let decimal = text.utf8.contains(UInt8(ascii: ",")) ? String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "," ? "." : $0 })) : text
        guard let value = Double(decimal),
              value.isFinite, value >= range.minimum, value <= range.maximum
        else { return nil }
        let steps = (value - range.minimum) / range.step
        guard abs(steps - steps.rounded()) < 1e-9 else { return nil }
        let code = GradeScale.format(value)
        let width = range.effectiveBinWidth
        let binLow = range.minimum + ((value - range.minimum) / width).rounded(.down) * width
        return Grade(code: code, points: value, band: GradeScale.format(min(binLow, range.maximum)))
    }

    /// Every bar of a grade distribution on this scale, lowest first: the distinct grade bands,
    /// or for a numeric scale the lower bound of each bin (at most
    /// ``NumericRange/maximumBins`` + 1, whatever the range and bin width: see
    /// ``NumericRange/effectiveBinWidth``).
    public var distributionBands: [String] {
        if let range = numeric {
            guard range.minimum.isFinite, range.maximum.isFinite, range.maximum >= range.minimum else {
                return [GradeScale.format(range.minimum)]
            }
            let width = range.effectiveBinWidth
            // Clamped as a Double first: an infinite ratio (a range wider than Double can hold) must not reach Int().
            let ratio = (range.maximum - range.minimum) / width
            let count = ratio.isFinite ? Int(Swift.min(ratio, Double(NumericRange.maximumBins)).rounded(.down)) : NumericRange.maximumBins
            // Distinct labels only: at magnitudes where a bar is narrower than a Double's spacing two
            // bars would coincide (and a dictionary keyed by band would trap).
            var seen = Set<String>()
            return (0...Swift.max(count, 0)).map { GradeScale.format(range.minimum + Double($0) * width) }
                .filter { seen.insert($0).inserted }
        }
        var seen = Set<String>()
        return grades.compactMap { seen.insert($0.band).inserted ? $0.band : nil }
    }

    /// What a user may type, for error messages: e.g. `9 to 1 or U, with + or - and split grades such as 7/6, or X / Z`.
    public var expectedDescription: String {
        if let range = numeric {
            return "a number from \(GradeScale.format(range.minimum)) to \(GradeScale.format(range.maximum)) in steps of \(GradeScale.format(range.step)), or X (not assessed) or Z (not required)"
        }
        let whole = grades.filter { $0.band == $0.code }.map(\.code)
        let sample = whole.count > 12 ? Array(whole.suffix(3).reversed()) + ["…"] + Array(whole.prefix(2).reversed()) : whole.reversed()
        return "one of \(sample.joined(separator: ", ")) on \(name), or X (not assessed) or Z (not required)"
    }

    /// Shortest decimal form: `12`, `12.5`; `1e+19` for a magnitude of 10¹⁵ or more (issue 12:
    /// `Int(1e19)` trapped); `nan`, `inf`, `-inf` as such. Never traps.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : value > 0 ? "inf" : "-inf" }
        if Swift.abs(value) >= 1e15 { return String(format: "%.17g", value) }  // exact: distinct values stay distinct
        if value == value.rounded() { return String(Int(value)) }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A value that is not on the scale.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var value: String
        public var scale: GradeScale.ID
        public var expected: String
        public var description: String { "'\(value)' is not on the scale: expected \(expected)" }
    }
}

/// One cell of an assessment entry (working-at, predicted or ATL), once read.
///
/// A blank cell is *not yet entered* and is represented by `nil`, never by a case here. None of
/// `notAssessed`, `notRequired`, `offScale` or blank ever counts as zero in an average: only
/// ``grade(_:)`` has points.
///
/// The grade is held by reference (`indirect`), and a scale hands out one value per grade
/// (``GradeScale/parse(_:)``), so an assessment's three values are three pointers, not three
/// copies of a grade's strings: a million entries copied and sorted as one import does (issue 13).
public enum EntryValue: Hashable, Sendable {
    /// A grade on the subject's scale.
    indirect case grade(GradeScale.Grade)
    /// `X`: not assessed — absent, or no evidence this time.
    case notAssessed
    /// `Z`: not required — the pupil does not take this subject or assessment.
    case notRequired
    /// A stored value that is not on the subject's current scale; kept as it was for review.
    case offScale(String)

    public static let notAssessedCode = "X"
    public static let notRequiredCode = "Z"

    /// The text kept in the store: the canonical grade code, `X`, `Z`, or the off-scale text.
    public var stored: String {
        switch self {
        case .grade(let g): g.code
        case .notAssessed: EntryValue.notAssessedCode
        case .notRequired: EntryValue.notRequiredCode
        case .offScale(let raw): raw
        }
    }

    /// Points when the value is a grade; nil otherwise (so it never enters an average).
    public var points: Double? {
        if case .grade(let g) = self { return g.points }
        return nil
    }
}
