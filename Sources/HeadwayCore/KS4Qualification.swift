/// One qualification on the DfE's KS4 lists, by qualification number (QN): its grades and their
/// points, the EBacc pillar it counts in (and in which years), and its discount code.
///
/// Source: the DfE workbooks "Performance points for qualifications counting in the 2019 key
/// stage 4 performance tables", "Qualifications counting in the English Baccalaureate"
/// (October 2019) and "List of 2014 - 2021 qualifications and discount codes" (October 2019);
/// Crown copyright, Open Government Licence v3.0. HeadwayImport's `KS4QualificationTable`
/// reads them from `data/dfe-ks4-qualifications-2019/`.
public struct KS4Qualification: Hashable, Sendable, Codable {
    /// One pass grade and its points.
    public struct Grade: Hashable, Sendable, Codable {
        /// The workbook's grade code, e.g. `9`, `65` (combined science 6-5), `*` (A*), `*2`.
        public var code: String
        /// The workbook's grade text, e.g. `Grade 6-5 (Double Award)`, `L2 Distinction*`.
        public var text: String
        /// Points per slot in hundredths (e.g. 850 = 8.5).
        public var hundredths: Int

        /// A grade as the workbook lists it.
        public init(code: String, text: String, hundredths: Int) {
            self.code = code
            self.text = text
            self.hundredths = hundredths
        }

        /// The grade as shown on results: the text without `Grade ` and `(Double Award)`
        /// (`Grade 6-5 (Double Award)` → `6-5`, `Grade A*` → `A*`, `L2 Distinction*` unchanged).
        public var shortText: String {
            var t = KS4Qualification.trimmed(text)
            if t.lowercased().hasPrefix("grade ") { t = String(t.dropFirst(6)) }
            if t.hasSuffix("(Double Award)") { t = String(t.dropLast("(Double Award)".count)) }
            return KS4Qualification.trimmed(t)
        }
    }

    /// The EBacc pillar sheets of the DfE EBacc workbook.
    public enum EBaccSlot: String, CaseIterable, Hashable, Sendable, Codable {
        /// English language (and, in 2016, the combined GCSE English; AS English).
        case english = "English"
        /// English literature.
        case englishLiterature = "English Literature"
        /// Mathematics (GCSE, AS, AS further maths).
        case maths = "Maths"
        /// Sciences: single (biology, chemistry, physics, computer science), double (combined).
        case science = "Science"
        /// Geography, history, ancient history, classics.
        case humanities = "Humanities"
        /// Modern and ancient languages.
        case languages = "Languages"
    }

    /// QN, upper case, e.g. `6018758X`.
    public var number: String
    /// e.g. "AQA Level 1/Level 2 GCSE (9-1) in Combined Science: Trilogy".
    public var title: String
    /// The workbook's qualification type, e.g. "GCSE (9-1) Full Course (Double Award)".
    public var type: String
    /// Pass grades, as listed (U is not listed: it is a fail worth 0).
    public var grades: [Grade]
    /// The EBacc sheet the QN is on; nil when it is not an EBacc qualification.
    public var ebaccSlot: EBaccSlot?
    /// The workbook's science indicator: `Single`, `Double`, `Core`, `Additional`; nil otherwise.
    public var scienceType: String?
    /// KS4 years in which the QN counts in the EBacc (the workbook's `counts_2016` …
    /// `counts_2021` columns marked Y).
    public var ebaccYears: [Int]
    /// Every distinct 2019 KS4 discount code listed for the QN (one per syllabus; usually one).
    public var discountCodes: [String]

    /// A qualification as the DfE lists describe it.
    public init(number: String, title: String, type: String, grades: [Grade], ebaccSlot: EBaccSlot?, scienceType: String?,
                ebaccYears: [Int], discountCodes: [String]) {
        self.number = number
        self.title = title
        self.type = type
        self.grades = grades
        self.ebaccSlot = ebaccSlot
        self.scienceType = scienceType
        self.ebaccYears = ebaccYears.sorted()
        self.discountCodes = discountCodes
    }

    /// The discount code when the lists give exactly one; nil when none or several (several
    /// syllabuses of one QN with different codes: the result is then discounted by QN only).
    public var discountCode: String? { discountCodes.count == 1 ? discountCodes[0] : nil }

    /// Slots a result fills: 2 for a GCSE (9-1) double award (combined science), else 1 — every
    /// other qualification is capped at the size of one GCSE in KS4 measures from 2014
    /// (footnote 1 of the DfE points workbook).
    public var slots: Int {
        type.hasPrefix("GCSE") && type.contains("Double Award") ? 2 : 1
    }

    /// True when the QN counts in the EBacc in `ks4Year`. Years after the last listed
    /// (2021) use the last listed year's flag: the lists are the latest Headway holds.
    public func countsInEBacc(ks4Year: Int) -> Bool {
        guard ebaccSlot != nil else { return false }
        let lastListed = 2021
        return ebaccYears.contains(min(ks4Year, lastListed))
    }

    /// Where a result in this qualification counts in `ks4Year`:
    /// - English sheet → English language (the English element; the combined "GCSE in English"
    ///   counted only in 2016); English Literature sheet → English literature;
    /// - Maths → maths;
    /// - Science: `Double` → combined science; `Single` → biology, chemistry, physics or
    ///   computer science by title; `Core`/`Additional` (counted up to 2017) → open;
    /// - Humanities: geography by title, otherwise history (history, ancient history,
    ///   classics count in the humanities pillar);
    /// - Languages → a language;
    /// - not on the EBacc lists, or not counting in that year → other (open element only).
    public func category(ks4Year: Int) -> KS4Category {
        guard let slot = ebaccSlot, countsInEBacc(ks4Year: ks4Year) else { return .other }
        let lower = title.lowercased()
        switch slot {
        case .english: return .englishLanguage
        case .englishLiterature: return .englishLiterature
        case .maths: return .maths
        case .humanities: return lower.contains("geograph") ? .geography : .history
        case .languages: return .language
        case .science:
            switch scienceType?.lowercased() {
            case "double": return .combinedScience
            case "single":
                if lower.contains("biology") { return .biology }
                if lower.contains("chemistry") { return .chemistry }
                if lower.contains("physics") { return .physics }
                if lower.contains("comput") { return .computerScience }
                return .other
            default: return .other
            }
        }
    }

    /// Reads a grade as written on a results file against this qualification's grades:
    /// the workbook code (`65`, `*2`, `A`) or the grade text with or without `Grade ` and
    /// `(Double Award)` (`6-5`, `6/5`, `A*`, `L2 Distinction*`), ignoring case and spaces; `U`
    /// (taken, 0 points) and `X` (not taken) on every qualification.
    /// - Returns: nil when the grade is not one of this qualification's.
    public func grade(_ text: String) -> KS4Grade? {
        let t = KS4Grade.normalise(text, slashAsDash: true)
        if t == "X" || t == "X-X" { return .absent(slots: slots) }
        if t == "U" || t == "U-U" { return KS4Grade(code: "U", hundredths: 0, slots: slots) }
        for g in grades {
            let short = g.shortText
            if KS4Grade.normalise(g.code) == t || KS4Grade.normalise(short) == t
                || KS4Grade.normalise(g.text) == t {
                return KS4Grade(code: short.isEmpty ? g.code : short, hundredths: g.hundredths, slots: slots)
            }
        }
        return nil
    }

    /// Without leading and trailing white space.
    static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = text.lastIndex(where: { !$0.isWhitespace })!
        return String(text[first...last])
    }
}
