/// One cell of a DfE KS4 performance table (`england_ks4*.csv`), read as what it means: a number,
/// a percentage, or one of the DfE's codes for a figure that is not there. A code is never a zero:
/// it has no ``numeric`` value, and every mean or comparison that meets one must say so.
///
/// Sources for the codes (issue 4, item 5; `docs/national-context.md`):
/// - `SUPP` — *suppressed*: "it is the policy of both the DfE and Ofsted not to publish results
///   data for groups of fewer than 6 children … where you see SUPP this stands for suppressed"
///   (Cosgrove Village Primary, *School performance data*,
///   https://mail.cosgroveprimary.org.uk/index.php/about-us/school-performance-data, restating
///   the DfE). The 2019 file agrees: every school with ATT8SCR `SUPP` has TPUP 1–5, and every
///   P8 `SUPP` beside a published A8 has P8PUP 1–5.
/// - `NE`, `NA`, `LOWCOV`, blank — the DfE's own key to these codes was not retrieved; the
///   meanings below are what the 2019 file shows, checked over all 5,652 rows (issue 4, item 5).
/// - `NP`, `NEW`, `SP` (issue 12, item 3) — codes of the DfE's performance-table key that the
///   final (revised) releases use: `NP` *not published* (the final 2019 KS4 release withholds
///   figures with it), `NEW` *new school*, `SP` *small percentage*. The DfE's key document itself
///   could not be retrieved while this was written; the meanings are the key's words as issue 12
///   gives them.
/// - `x`, `c`, `z`, `low` — the Government Statistical Service symbols the DfE's newer files
///   (Explore education statistics) use: `x` *not available*, `c` *confidential* (withheld to
///   protect individuals — the same idea as `SUPP`), `z` *not applicable*, `low` *rounds to zero
///   but is not zero*.
///
/// Every code is kept as itself (its published text round-trips), never merged into another and
/// never a number.
public enum PublishedValue: Hashable, Sendable {
    /// A number as published, e.g. `44.5`, `-0.03`, `605874`.
    case number(PublishedDecimal)
    /// A percentage, published as text with a percent sign (`59.5%`); the associated value is the
    /// number of percent (59.5), not a fraction.
    case percentage(PublishedDecimal)
    /// `NA` — *not applicable*: the measure does not apply to the row. In 2019 every `NA` row is an
    /// independent school (NFTYPE IND, INDSPEC, NMSS, FESI), for which the DfE publishes no KS4
    /// figures.
    case notApplicable
    /// `NE` — *no entries*: the row has pupils at the end of KS4 but none entered for the
    /// qualifications the measure counts (in 2019: 301 special schools, each with TPUP ≥ 6), so
    /// there is no result to average; it is not a result of zero.
    case noEntries
    /// `SUPP` — *suppressed*: withheld because it describes fewer than 6 pupils (see above).
    case suppressed
    /// `LOWCOV` — *low coverage*: a Progress 8 figure withheld because too few of the pupils have
    /// KS2 prior attainment. In 2019 it appears only in the P8 columns, on exactly the 7 schools
    /// where P8PUP is under half of TPUP (37%–48%); every school with a published P8 has 52% or more.
    case lowCoverage
    /// A blank cell — *not published*: no figure for the row (in 2019: 171 schools without a KS4
    /// cohort that year, mostly new free schools and academies, and 5 local-authority rows — 201
    /// City of London, 702, and 835–837, the Dorset, Poole and Bournemouth authorities reorganised
    /// in April 2019).
    case notPublished
    /// `NP` — *not published*: the DfE withholds the figure (the final 2019 KS4 release uses it).
    case withheld
    /// `NEW` — *new school*: no figure yet because the school is new.
    case newSchool
    /// `SP` — *small percentage*: a percentage too small to publish as a number.
    case smallPercentage
    /// `x` — *not available* (statistics symbol).
    case notAvailable
    /// `c` — *confidential*: withheld to protect individuals (statistics symbol).
    case confidential
    /// `z` — *not applicable* (statistics symbol; kept apart from `NA` so it is shown as published).
    case notApplicableSymbol
    /// `low` — *rounds to zero, but is not zero* (statistics symbol).
    case roundsToZero

    /// The kind of a value, as stored and counted: its raw value is the DfE code (`NA`, `NE`,
    /// `SUPP`, `LOWCOV`, `NP`, `NEW`, `SP`, `x`, `c`, `z`, `low`), `number`, `percentage`, or
    /// `blank`.
    public enum Kind: String, CaseIterable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
        /// ``PublishedValue/number(_:)``.
        case number
        /// ``PublishedValue/percentage(_:)``.
        case percentage
        /// ``PublishedValue/notApplicable`` (`NA`).
        case notApplicable = "NA"
        /// ``PublishedValue/noEntries`` (`NE`).
        case noEntries = "NE"
        /// ``PublishedValue/suppressed`` (`SUPP`).
        case suppressed = "SUPP"
        /// ``PublishedValue/lowCoverage`` (`LOWCOV`).
        case lowCoverage = "LOWCOV"
        /// ``PublishedValue/notPublished`` (a blank cell).
        case notPublished = "blank"
        /// ``PublishedValue/withheld`` (`NP`).
        case withheld = "NP"
        /// ``PublishedValue/newSchool`` (`NEW`).
        case newSchool = "NEW"
        /// ``PublishedValue/smallPercentage`` (`SP`).
        case smallPercentage = "SP"
        /// ``PublishedValue/notAvailable`` (`x`).
        case notAvailable = "x"
        /// ``PublishedValue/confidential`` (`c`).
        case confidential = "c"
        /// ``PublishedValue/notApplicableSymbol`` (`z`).
        case notApplicableSymbol = "z"
        /// ``PublishedValue/roundsToZero`` (`low`).
        case roundsToZero = "low"

        /// True for the codes (everything but a number or a percentage).
        public var isCode: Bool { self != .number && self != .percentage }

        /// What the kind means, for a reader: e.g. `suppressed: fewer than 6 pupils` for `SUPP`.
        public var meaning: String {
            switch self {
            case .number: "a number"
            case .percentage: "a percentage"
            case .notApplicable: "not applicable (e.g. an independent school)"
            case .noEntries: "no entries: pupils, but none entered for what the measure counts"
            case .suppressed: "suppressed: fewer than 6 pupils"
            case .lowCoverage: "low coverage: too few pupils with KS2 prior attainment for Progress 8"
            case .notPublished: "not published"
            case .withheld: "not published: withheld by the DfE"
            case .newSchool: "new school: no figure yet"
            case .smallPercentage: "small percentage: too small to publish as a number"
            case .notAvailable: "not available"
            case .confidential: "confidential: withheld to protect individuals"
            case .notApplicableSymbol: "not applicable"
            case .roundsToZero: "rounds to zero, but is not zero"
            }
        }

        /// The raw value.
        public var description: String { rawValue }

        /// In declaration order: numbers, percentages, then the codes.
        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Reads a cell's text (already trimmed of surrounding spaces). Returns nil for text that is
    /// none of the forms above (e.g. `X`, `N/A`, `12.5.3`), which a reader reports as an issue
    /// rather than guess at.
    ///
    /// Accepted: an optional `-`, digits, an optional `.` and digits (`44.5`, `-0.03`, `605874`);
    /// the same followed by `%`; `NA`, `NE`, `SUPP`, `LOWCOV`, `NP`, `NEW`, `SP` (upper case, as
    /// the DfE writes them); `x`, `c`, `z`, `low` (lower case, as the statistics symbols are
    /// written); and the empty string.
    public init?(parsing text: String) {
        switch text {
        case "": self = .notPublished
        case "NA": self = .notApplicable
        case "NE": self = .noEntries
        case "SUPP": self = .suppressed
        case "LOWCOV": self = .lowCoverage
        case "NP": self = .withheld
        case "NEW": self = .newSchool
        case "SP": self = .smallPercentage
        case "x": self = .notAvailable
        case "c": self = .confidential
        case "z": self = .notApplicableSymbol
        case "low": self = .roundsToZero
        default:
            if text.hasSuffix("%") {
                guard let number = PublishedDecimal(String(text.dropLast())) else { return nil }
                self = .percentage(number)
            } else {
                guard let number = PublishedDecimal(text) else { return nil }
                self = .number(number)
            }
        }
    }

    /// Rebuilds a stored value from its kind and its text as published; nil when they disagree.
    public init?(kind: Kind, published: String) {
        guard let value = PublishedValue(parsing: published), value.kind == kind else { return nil }
        self = value
    }

    /// The kind of the value.
    public var kind: Kind {
        switch self {
        case .number: .number
        case .percentage: .percentage
        case .notApplicable: .notApplicable
        case .noEntries: .noEntries
        case .suppressed: .suppressed
        case .lowCoverage: .lowCoverage
        case .notPublished: .notPublished
        case .withheld: .withheld
        case .newSchool: .newSchool
        case .smallPercentage: .smallPercentage
        case .notAvailable: .notAvailable
        case .confidential: .confidential
        case .notApplicableSymbol: .notApplicableSymbol
        case .roundsToZero: .roundsToZero
        }
    }

    /// The text exactly as the DfE published it: `44.5`, `59.5%`, `SUPP`, or the empty string.
    public var published: String {
        switch self {
        case .number(let n): n.text
        case .percentage(let n): n.text + "%"
        case .notApplicable: "NA"
        case .noEntries: "NE"
        case .suppressed: "SUPP"
        case .lowCoverage: "LOWCOV"
        case .notPublished: ""
        case .withheld, .newSchool, .smallPercentage, .notAvailable, .confidential, .notApplicableSymbol, .roundsToZero: kind.rawValue
        }
    }

    /// The number (a percentage as its number of percent: `59.5%` → 59.5); nil for every code.
    public var numeric: PublishedDecimal? {
        switch self {
        case .number(let n), .percentage(let n): n
        default: nil
        }
    }

    /// For a reader: the number as published (`44.5`, `59.5%`), or the code with its meaning
    /// (`SUPP (suppressed: fewer than 6 pupils)`, `blank (not published)`). Never `0` for a code.
    public var display: String {
        numeric != nil ? published : "\(kind == .notPublished ? "blank" : published) (\(kind.meaning))"
    }
}

/// A decimal number kept exactly as published: its text (`-0.03`, `605874`) is what is stored and
/// shown; ``doubleValue`` is for arithmetic and display only, and ``tenThousandths`` is the exact
/// integer form the store keeps beside the text.
public struct PublishedDecimal: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The digits as published: an optional `-`, digits, an optional `.` and digits.
    public let text: String

    /// Wraps text of the form `-?[0-9]+(\.[0-9]+)?`; nil otherwise (no exponent, no thousands
    /// separator, no leading `+` or `.`).
    public init?(_ text: String) {
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } })
        else { return nil }
        self.text = text
    }

    /// The value as a `Double` (for display and comparison; exact for every published figure to
    /// 2 decimal places' precision).
    public var doubleValue: Double { Double(text)! }

    /// The value × 10,000 as an exact integer (`-0.03` → −300, `59.5` → 595,000); nil when the
    /// text has more than 4 decimal places or does not fit in 64 bits.
    public var tenThousandths: Int? {
        let negative = text.hasPrefix("-")
        let parts = text.dropFirst(negative ? 1 : 0).split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 4, let whole = Int(parts[0]),
              let frac = Int(fraction + String(repeating: "0", count: 4 - fraction.count)) else { return nil }
        let (scaled, overflow1) = whole.multipliedReportingOverflow(by: 10_000)
        let (sum, overflow2) = scaled.addingReportingOverflow(frac)
        guard !overflow1, !overflow2 else { return nil }
        return negative ? -sum : sum
    }

    /// The text.
    public var description: String { text }
}

/// One row of a DfE KS4 performance table: a school, a local authority, or England, with its
/// published measures by DfE column name (`ATT8SCR`, `P8MEA`, `PTL2BASICS_94`, …).
///
/// Identifiers (URN, LEA, ESTAB) are text, exactly as published — leading zeros kept, never a
/// number. A measure the file does not have is absent from ``measures``; a measure the file has
/// but leaves blank is ``PublishedValue/notPublished``.
public struct PublishedKS4Row: Hashable, Sendable {
    /// `RECTYPE`: what the row describes. Source: the 2019 file itself (SOURCE.txt: "1 mainstream,
    /// 2 special, 4 local authority, 5 and 7 England") — its only RECTYPE 5 row has A8 44.5 and no
    /// Progress 8, its only RECTYPE 7 row A8 46.5 and P8 −0.03; the DfE publishes one national
    /// average with and one without independent schools (DfE, *Secondary school performance
    /// tables 2014: about these tables*), and independent schools have no P8, so 5 is all schools
    /// and 7 state-funded schools. (Other years' files have numbered these differently, e.g. 2013
    /// KS2: 3 LA, 4 and 5 national — check a new year's file before importing it.)
    public enum RecordType: Int, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
        /// A mainstream school.
        case mainstreamSchool = 1
        /// A special school.
        case specialSchool = 2
        /// A local authority: the mean over its state-funded schools (LA rows exclude
        /// independent schools).
        case localAuthority = 4
        /// England, all schools (independent schools included).
        case englandAllSchools = 5
        /// England, state-funded schools: the national figure schools are compared with, and the
        /// only national row with Progress 8.
        case englandStateFunded = 7

        /// True for a school row (1 or 2).
        public var isSchool: Bool { self == .mainstreamSchool || self == .specialSchool }
        /// True for an England row (5 or 7).
        public var isEngland: Bool { self == .englandAllSchools || self == .englandStateFunded }

        /// E.g. `mainstream school (1)`.
        public var description: String {
            switch self {
            case .mainstreamSchool: "mainstream school (1)"
            case .specialSchool: "special school (2)"
            case .localAuthority: "local authority (4)"
            case .englandAllSchools: "England, all schools (5)"
            case .englandStateFunded: "England, state-funded schools (7)"
            }
        }
    }

    /// What identifies a row within one KS4 year: a school by URN, a local authority by LEA, England
    /// by record type. Two rows of one file with the same key are duplicates.
    public struct Key: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// `school`, `la` or `england`.
        public var scope: String
        /// The URN, the LEA, or the RECTYPE (`5`, `7`) for England.
        public var id: String

        /// A key.
        public init(scope: String, id: String) {
            self.scope = scope
            self.id = id
        }

        /// `URN 100003`, `LA 202`, `England (7)`.
        public var description: String {
            switch scope {
            case "school": "URN \(id)"
            case "la": "LA \(id)"
            default: "England (\(id))"
            }
        }

        /// By scope, then id.
        public static func < (lhs: Key, rhs: Key) -> Bool { (lhs.scope, lhs.id) < (rhs.scope, rhs.id) }
    }

    /// The record type.
    public var recordType: RecordType
    /// `LEA`: the three-digit DfE local-authority number as text (`201`); nil for England.
    public var lea: String?
    /// `ESTAB`: the establishment number as text (`6007`, leading zeros kept); nil when not a school.
    public var estab: String?
    /// `URN`: the school's unique reference number as text; nil when not a school.
    public var urn: String?
    /// `SCHNAME`: the school's name (blank for LA and England rows in 2019, so nil).
    public var name: String?
    /// The summer of the cohort's exams the table describes, e.g. 2019 for 2018/19.
    public var ks4Year: Int
    /// Descriptive text columns that are not measures (`NFTYPE` school type, `ICLOSE` closed flag),
    /// by DfE column name, as published.
    public var attributes: [String: String]
    /// The published measures by DfE column name.
    public var measures: [String: PublishedValue]

    /// A row.
    public init(recordType: RecordType, lea: String?, estab: String?, urn: String?, name: String?, ks4Year: Int,
                attributes: [String: String] = [:], measures: [String: PublishedValue]) {
        self.recordType = recordType
        self.lea = lea
        self.estab = estab
        self.urn = urn
        self.name = name
        self.ks4Year = ks4Year
        self.attributes = attributes
        self.measures = measures
    }

    /// The row's identity within its KS4 year; nil for a school without a URN or an LA without an
    /// LEA (which a reader rejects).
    public var key: Key? {
        switch recordType {
        case .mainstreamSchool, .specialSchool: urn.map { Key(scope: "school", id: $0) }
        case .localAuthority: lea.map { Key(scope: "la", id: $0) }
        case .englandAllSchools, .englandStateFunded: Key(scope: "england", id: String(recordType.rawValue))
        }
    }

    /// The published value of a DfE column; nil when the file had no such column.
    public subscript(_ column: String) -> PublishedValue? { measures[column] }

    /// A name to show: the school's name, `LA 202`, or `England (state-funded schools)`.
    public var label: String {
        switch recordType {
        case .mainstreamSchool, .specialSchool: name ?? "URN \(urn ?? "?")"
        case .localAuthority: "LA \(lea ?? "?")" + (name.map { " \($0)" } ?? "")
        case .englandAllSchools: "England (all schools)"
        case .englandStateFunded: "England (state-funded schools)"
        }
    }

    /// The local authority most of `upns` were allocated in (UPN characters 2–4, the DfE LA
    /// number), or nil for no UPNs. A school's pupils mostly come from primary schools in and
    /// around its own authority, so this is a guess at the school's LA, to be labelled as one;
    /// ties go to the lower number.
    public static func likelyLocalAuthority(of upns: [UPN]) -> String? {
        var counts: [String: Int] = [:]
        for upn in upns { counts[String(upn.rawValue.dropFirst().prefix(3)), default: 0] += 1 }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }
}
