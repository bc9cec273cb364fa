/// What a subject counts as in the DfE KS4 accountability measures (Attainment 8, Progress 8,
/// EBacc): the subject's place in the slot structure, independent of the school's own code.
///
/// Source: DfE secondary accountability measures guidance (`shared/reference/dfe-rules.md` §1,
/// §3): English language and literature fill the English element; maths the maths element; the
/// sciences (biology, chemistry, physics, computer science, combined science), geography,
/// history and languages (modern and ancient) are EBacc subjects; everything else is open.
public enum KS4Category: String, CaseIterable, Hashable, Sendable, Codable {
    case englishLanguage = "english_language"
    case englishLiterature = "english_literature"
    case maths
    /// GCSE combined science, double award: fills two slots.
    case combinedScience = "combined_science"
    case biology, chemistry, physics
    case computerScience = "computer_science"
    case history, geography
    /// A modern or ancient language (French, Spanish, Latin, …).
    case language
    /// Any other qualification: counts in the open element only.
    case other

    /// The Attainment 8 element a result of this category is first placed in.
    public enum Element: String, CaseIterable, Hashable, Sendable, Codable {
        case english, maths, ebacc, open
    }

    /// English and maths fill their own elements; EBacc subjects the EBacc element (and
    /// overflow into open); everything else open.
    public var element: Element {
        switch self {
        case .englishLanguage, .englishLiterature: .english
        case .maths: .maths
        case .combinedScience, .biology, .chemistry, .physics, .computerScience, .history, .geography, .language: .ebacc
        case .other: .open
        }
    }

    /// Subject keys recognised for languages (as in `shared/reference/a8-p8-worked-examples.csv`).
    public static let languageKeys: Set<String> = [
        "french", "spanish", "german", "italian", "latin", "classical_greek", "ancient_greek", "arabic", "bengali",
        "chinese", "mandarin", "japanese", "polish", "portuguese", "russian", "urdu", "punjabi", "turkish",
        "modern_hebrew", "biblical_hebrew", "gujarati", "persian", "greek", "dutch", "welsh", "irish",
    ]

    /// The category for a subject key such as `english_language`, `maths`, `combined_science`,
    /// `french` or `art` (lower case, words joined by `_`; `mathematics` is accepted for `maths`).
    /// Any key not listed is `.other`.
    public init(subjectKey: String) {
        // Keys already in canonical form (lower-case ASCII, digits, `_`) skip the Foundation
        // round trip: results files hold millions of them (issue 3, 2026-11).
        let canonical = subjectKey.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        let key = canonical ? subjectKey : subjectKey.lowercased().replacingOccurrences(of: " ", with: "_")
        if let known = KS4Category(rawValue: key), known != .language, known != .other {
            self = known
        } else if key == "mathematics" {
            self = .maths
        } else if KS4Category.languageKeys.contains(key) {
            self = .language
        } else {
            self = .other
        }
    }
}
