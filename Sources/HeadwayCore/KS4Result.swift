/// One KS4 result of one pupil, as the DfE accountability measures see it: what it is (a
/// subject key and/or a DfE qualification number), where it may count (its ``KS4Category``),
/// what it overlaps with (its discount code) and its grade.
///
/// Either `subject` or `qualificationNumber` is set, or both:
/// - from a school's subjects or a results spreadsheet: a subject key such as `english_language`,
///   `combined_science`, `french`, `art` (the keys of `shared/reference/a8-p8-worked-examples.csv`);
///   the category comes from the key (``KS4Category/init(subjectKey:)``);
/// - from exam-board results: a DfE qualification number (QN, 8 characters, e.g. `60142923`);
///   its category, points and discount code come from the DfE lists (HeadwayImport's
///   `KS4QualificationTable`).
///
/// Discounting (DfE "KS4 qualifications, discount codes and point scores"; `dfe-rules.md` §1.5):
/// two results that share a discount code overlap, and only the one with more points counts.
/// When the results do not carry codes, two results with the same subject key overlap instead.
public struct KS4Result: Hashable, Sendable, Codable {
    /// The pupil who sat it.
    public var pupil: Pupil.ID
    /// Subject key, lower case with `_` (e.g. `english_literature`); nil for a result known only
    /// by its qualification number.
    public var subject: String?
    /// DfE qualification number (QN), upper case, e.g. `6018758X`; nil when not known.
    public var qualificationNumber: String?
    /// Where the result may count in Attainment 8 and the EBacc.
    public var category: KS4Category
    /// The DfE discount code (e.g. `FK2B` English language, `RA1E` combined science); nil when
    /// not known or ambiguous.
    public var discountCode: String?
    /// The grade and its points.
    public var grade: KS4Grade
    /// A name to show (e.g. "AQA GCSE (9-1) in History"); nil to show the subject key or QN.
    public var subjectName: String?

    /// A result known by its subject key; the category is read from the key.
    /// - Parameters:
    ///   - subject: e.g. `english_language`, `Combined Science` (normalised to `combined_science`).
    public init(pupil: Pupil.ID, subject: String, grade: KS4Grade, subjectName: String? = nil) {
        let key = KS4Result.subjectKey(subject)
        self.init(pupil: pupil, subject: key, qualificationNumber: nil, category: KS4Category(subjectKey: key),
                  discountCode: nil, grade: grade, subjectName: subjectName)
    }

    /// A result with every part given (as a DfE table resolves it).
    public init(pupil: Pupil.ID, subject: String?, qualificationNumber: String?, category: KS4Category,
                discountCode: String?, grade: KS4Grade, subjectName: String? = nil) {
        self.pupil = pupil
        self.subject = subject
        self.qualificationNumber = qualificationNumber
        self.category = category
        self.discountCode = discountCode
        self.grade = grade
        self.subjectName = subjectName
    }

    /// How slot lists name the result: the subject key, else the QN, else the category.
    public var label: String { subject ?? qualificationNumber ?? category.rawValue }

    /// What to show a reader: the subject name, else ``label``.
    public var displayName: String { subjectName ?? label }

    /// True when the two results overlap, so that only one may count (DfE discounting):
    /// the same discount code when both carry one; otherwise the same subject key when both have
    /// one; otherwise the same qualification number. Results that cannot be compared do not
    /// overlap.
    public func overlaps(_ other: KS4Result) -> Bool {
        if let a = discountCode, let b = other.discountCode { return a == b }
        if let a = subject, let b = other.subject { return a == b }
        if let a = qualificationNumber, let b = other.qualificationNumber { return a == b }
        return false
    }

    /// A subject key as results files write it: trimmed, lower case, spaces and `-` as `_`
    /// (`Combined Science` → `combined_science`).
    public static func subjectKey(_ text: String) -> String {
        // Fast path: already lower-case ASCII words joined by single `_`.
        let bytes = text.utf8
        if let first = bytes.first, let last = bytes.last, first != 0x5F, last != 0x5F {
            var previousUnderscore = false, canonical = true
            for b in bytes {
                let underscore = b == 0x5F
                if !((b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || underscore) || (underscore && previousUnderscore) {
                    canonical = false
                    break
                }
                previousUnderscore = underscore
            }
            if canonical { return text }
        }
        var out = ""
        var pendingSeparator = false
        for ch in text.lowercased() {
            if ch.isWhitespace || ch == "-" || ch == "_" {
                pendingSeparator = !out.isEmpty
            } else {
                if pendingSeparator { out.append("_"); pendingSeparator = false }
                out.append(ch)
            }
        }
        return out
    }
}

/// One pupil's KS4 results with the KS2 prior attainment that Progress 8 is measured from: the
/// unit the KS4 measures are computed over.
public struct KS4Pupil: Hashable, Sendable, Codable {
    /// The pupil.
    public var id: Pupil.ID
    /// KS2 reading and maths; a pupil with neither counts in Attainment 8 but not in Progress 8.
    public var prior: PriorAttainment
    /// In the order given: where two results score the same, the earlier one is named first in
    /// the slots (``KS4Result`` order decides ties only, never the total).
    public var results: [KS4Result]

    /// A pupil with their results.
    public init(id: Pupil.ID, prior: PriorAttainment, results: [KS4Result]) {
        self.id = id
        self.prior = prior
        self.results = results
    }
}
