import Foundation
import HeadwayCore

/// Reads a DfE Common Transfer File (CTF, XML) into ``Pupil`` values: who the pupils are, their
/// FSM and SEN history where the file has it, and their KS2 reading and maths results — the KS2
/// prior attainment behind ``PriorAttainment`` and every target. It never touches a database: the
/// caller saves ``Result/pupils``, after applying its own policy to ``Result/hasErrors``.
///
/// ## What is read
///
/// Element names from the DfE CTF structure (`shared/reference/dfe-rules.md` §6):
///
/// | element | becomes |
/// | --- | --- |
/// | `Header/CTFversion` | must be 19.0 or later (else the file is refused) |
/// | `Header/DateTime` | the date FSM "now" and "Ever 6" are worked out at |
/// | `Header/SourceSchool`, `Header/DestSchool` (`LEA`, `Estab`, `URN`, `SchoolName`, `AcademicYear`) | ``CTFHeader``, as text |
/// | `Pupil/UPN` | the pupil's id and UPN (checked with ``UPN/validate(_:)``) |
/// | `Pupil/Surname`, `Pupil/Forename`, `Pupil/DOB` | names and date of birth |
/// | `Pupil/Sex` (CTF 2022 on) or `Pupil/Gender` (earlier) | characteristic `gender`: `M` or `F` |
/// | `FSMhistory/FSMinstance` (`FSMstartDate`, `FSMendDate`) | characteristics `fsm` and `disadvantaged`, `true`/`false` |
/// | `SENhistory/SEN` (`StartDate`, `SENprovision`) | characteristic `sen`: the latest provision, `N`, `K` or `E` |
/// | `StageAssessments/KeyStage[Stage=KS2]/StageAssessment` | KS2 reading and maths scaled scores through the ``KS2CodeTable``, or the result code |
///
/// `Sex`/`Gender`, `FSMhistory` and `SENhistory` are read directly under `Pupil` or inside
/// `BasicDetails`. The element names inside the FSM and SEN histories (`FSMinstance`,
/// `FSMstartDate`, `FSMendDate`, `SEN`, `StartDate`, `SENprovision`) are Headway's best reading
/// of the CTF specification and **unverified**; the reader also accepts `StartDate`/`EndDate` in
/// an FSM instance and `SENstartDate`/`Provision` in a SEN entry.
///
/// - **FSM** (dfe-rules §7): `fsm` is `true` when an FSM instance covers the header's date;
///   `disadvantaged` is `true` when one overlaps the six years up to that date ("Ever 6": from
///   the same day six years earlier). Both are set — `true` or `false` — only for pupils whose
///   record has an `FSMhistory`. A CTF carries no looked-after or adopted-from-care status that
///   Headway reads, so `disadvantaged` from a CTF can undercount.
/// - **SEN**: the provision of the entry with the latest start date (the last in the file when
///   dates tie or are missing). Legacy codes are mapped with a warning: `S` (statement) → `E`,
///   `A`/`P` (School Action / Action Plus) → `K`.
/// - **KS2**: every `StageAssessment` of a `KeyStage` whose `Stage` is `KS2` is looked up in the
///   ``KS2CodeTable`` by its `Subject`, `Method`, `Component` and `ResultQualifier`. A matched
///   `Result` that is a whole number in ``PriorAttainment/validScaledScores`` is the score; a KS2
///   result code (``ks2ResultCodes``: A absent, B working below the test, …) gives no score and is
///   kept as characteristic `ks2_reading_result` / `ks2_maths_result`; anything else is an
///   error. GPS and writing teacher assessment rows the table recognises are counted
///   (``Counts/ks2OtherResults``), not stored. Rows the table does not match are reported once
///   per distinct combination of codes, with its count: as a warning when every pupil who has
///   them still has a reading and a maths result (science, a raw mark…), and as an **error**
///   (``ImportIssue/Code/unrecognisedKS2Result``) when pupils who have them are left with no KS2
///   reading or no maths result — the codes are then most likely that subject in a form the
///   table lacks (issue 12); the error names the codes, the number of pupils and the entry to
///   add. Other key stages
///   are counted (``Counts/otherKeyStages``) and not read.
/// - Any other element is skipped with its whole subtree and counted by name: in
///   ``Counts/unusedElements`` when it is a CTF element Headway knowingly does not use
///   (``unusedElementNames``: contacts, addresses, attendance…), else in
///   ``Counts/unknownElements``.
///
/// ## Checks
///
/// Each problem is an ``ImportIssue`` with the file, the line of the element, the element path
/// (in ``ImportIssue/column``, e.g. `CTfile/CTFpupilData/Pupil/UPN`), the value and a reason.
/// A pupil with any error contributes nothing. The whole file contributes nothing when it is
/// not well-formed XML (``ImportIssue/Code/malformedXML``: the parser's line, and its column in
/// the reason), is not a CTF (``ImportIssue/Code/notCTF``), or has no `CTFversion` or one older
/// than 19.0 (``ImportIssue/Code/unsupportedCTFVersion``). Per pupil: no UPN
/// (`missing_value`), an invalid UPN (`invalid_upn`), a UPN on two pupil records of the file —
/// both rejected, the error naming both lines (`conflicting_pupil`), a date that is not a date
/// (`invalid_date`), a KS2 result that is neither a score nor a code (`invalid_scaled_score`),
/// two different results for one measure (`conflicting_value`). Warnings: a `Sex`/`Gender`
/// other than M or F, an SEN code that is not N/K/E, FSM history with no usable header date, an
/// FSM instance without a start date, unmatched KS2 rows (``ImportIssue/Code/unrecognisedKS2Result``).
///
/// Streaming: the file is read once with `XMLParser` (SAX), holding one pupil at a time; a
/// 2,000-pupil file reads in well under a second (`HeadwayBenchmarks --suite ctf`).
public struct CTFFile: FileReader {
    /// The oldest `CTFversion` read: 19.0 (academic year 2019/20).
    public static let minimumVersion = 19
    /// Characteristic: FSM-eligible at the file's date, `true`/`false`.
    public static let fsmCharacteristic = "fsm"
    /// Characteristic: the KS2 reading result code (e.g. `B`) when the file gives a code, not a score.
    public static let ks2ReadingResultCharacteristic = "ks2_reading_result"
    /// Characteristic: the KS2 maths result code (e.g. `A`) when the file gives a code, not a score.
    public static let ks2MathsResultCharacteristic = "ks2_maths_result"

    /// KS2 test result codes that stand in place of a scaled score, with their meaning
    /// (STA codes, `shared/reference/dfe-rules.md` §4; `J` is from memory there, unverified).
    public static let ks2ResultCodes: [String: String] = [
        "A": "absent", "B": "working below the level of the test", "T": "unable to access the test", "M": "missing",
        "L": "left", "F": "will take the test in the future", "P": "took the test in the past", "H": "cheating",
        "Q": "maladministration", "D": "disapplied", "J": "just arrived",
    ]

    /// CTF elements Headway knows and deliberately does not read: counted in
    /// ``Counts/unusedElements`` rather than as unknown.
    public static let unusedElementNames: Set<String> = [
        "DocumentName", "DataQualifier", "DataDescriptor", "SupplierID", "SuppInfo", "UniqueLearnerNumber", "UCI",
        "ApplicationReference", "FormerUPN", "PreferredSurname", "FormerSurname", "MiddleNames", "PreferredForename",
        "NCyearActual", "Ethnicity", "EthnicitySource", "Languages", "MedicalFlag", "Disabilities", "EnrolStatus",
        "LookedAfter", "InCare", "Address", "Phones", "Email", "Contacts", "Attendance", "SchoolHistory", "NAWdetails",
        "Admissions", "FSMreviewDate", "UKcountry", "NeedsCategories", "NeedsCategory", "SENunitIndicator",
        "ResourcedProvisionIndicator",
    ]

    /// The KS2 code table rows are matched against.
    public var codes: KS2CodeTable
    /// The year group every pupil of the file is given (7 for a primary school's KS2 CTF).
    public var yearGroup: Int

    /// A reader.
    /// - Parameters:
    ///   - codes: which KS2 rows are reading and maths scaled scores.
    ///   - yearGroup: National Curriculum year group for every pupil, 7–13 (the CTF's own
    ///     `NCyearActual` is the year the pupil was in at the sending school).
    public init(codes: KS2CodeTable, yearGroup: Int = 7) {
        self.codes = codes
        self.yearGroup = yearGroup
    }

    /// What reading one file produced.
    public struct Result: Sendable {
        /// The file as named in issues.
        public var file: String
        /// The header as read; nil when the file was not well-formed before its header ended.
        public var header: CTFHeader?
        /// Pupils with no error, in file order; each with ``CTFFile/yearGroup``. Absent values
        /// stay absent (no names → empty strings, no KS2 → nil prior attainment), so saving never
        /// erases a stored value.
        public var pupils: [Pupil]
        /// The line of each accepted pupil's `UPN` element.
        public var lines: [Pupil.ID: Int]
        /// Every problem, in line order.
        public var issues: [ImportIssue]
        /// What was read, for the summary.
        public var counts: Counts
        /// True when the whole file was refused (malformed, not a CTF, version missing or too old).
        public var refused: Bool

        /// True when any issue is an error.
        public var hasErrors: Bool { issues.contains { $0.isError } }
        /// The issues that rejected something.
        public var errors: [ImportIssue] { issues.filter(\.isError) }
        /// The issues that did not.
        public var warnings: [ImportIssue] { issues.filter { !$0.isError } }
    }

    /// Tallies of one or more files.
    public struct Counts: Hashable, Sendable {
        /// `Pupil` elements read.
        public var pupilsRead = 0
        /// Pupils in ``Result/pupils``.
        public var pupilsAccepted = 0
        /// KS2 scaled scores of accepted pupils, per measure.
        public var ks2Scores: [KS2CodeTable.Measure: Int] = [:]
        /// KS2 result codes (no score) of accepted pupils, per measure and code.
        public var ks2ResultCodes: [KS2CodeTable.Measure: [String: Int]] = [:]
        /// KS2 results the table recognises but Headway does not store (GPS, writing teacher
        /// assessment), per measure (every pupil read).
        public var ks2OtherResults: [KS2CodeTable.Measure: Int] = [:]
        /// KS2 `StageAssessment` rows no entry of the code table matched, per combination of codes
        /// (every pupil read).
        public var unrecognisedKS2: [KS2Codes: Int] = [:]
        /// `StageAssessment` rows of other key stages, by `Stage` (not read).
        public var otherKeyStages: [String: Int] = [:]
        /// Elements Headway does not know, skipped with their content, by name.
        public var unknownElements: [String: Int] = [:]
        /// CTF elements Headway knowingly does not use (``CTFFile/unusedElementNames``), by name.
        public var unusedElements: [String: Int] = [:]

        /// No counts.
        public init() {}

        /// Pupils read with at least one error.
        public var pupilsRejected: Int { pupilsRead - pupilsAccepted }

        /// Adds another file's counts.
        public mutating func add(_ other: Counts) {
            pupilsRead += other.pupilsRead
            pupilsAccepted += other.pupilsAccepted
            ks2Scores.merge(other.ks2Scores, uniquingKeysWith: +)
            for (measure, codes) in other.ks2ResultCodes { ks2ResultCodes[measure, default: [:]].merge(codes, uniquingKeysWith: +) }
            unrecognisedKS2.merge(other.unrecognisedKS2, uniquingKeysWith: +)
            ks2OtherResults.merge(other.ks2OtherResults, uniquingKeysWith: +)
            otherKeyStages.merge(other.otherKeyStages, uniquingKeysWith: +)
            unknownElements.merge(other.unknownElements, uniquingKeysWith: +)
            unusedElements.merge(other.unusedElements, uniquingKeysWith: +)
        }
    }

    public func unreadable(_ issue: ImportIssue) -> Result {
        Result(file: issue.file, header: nil, pupils: [], lines: [:], issues: [issue], counts: Counts(), refused: true)
    }

    /// Reads a file's bytes; `name` names it in issues.
    public func read(name: String, contents: Data) -> Result {
        CTFParser(file: name, codes: codes, yearGroup: yearGroup).parse(InputStream(data: contents))
    }

    /// Reads a file from disk as a stream (never the whole file in memory); a path that is not a
    /// readable file gives one ``ImportIssue/Code/unreadableFile`` error.
    public func read(contentsOf url: URL) -> Result {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: url.path), let stream = InputStream(url: url)
        else { return unreadable(.unreadable(url)) }
        return CTFParser(file: url.relativePath, codes: codes, yearGroup: yearGroup).parse(stream)
    }

    /// Puts the results of several files together for one save: their pupils, and their issues
    /// in file order. A UPN accepted in more than one file is a `conflicting_pupil` error naming
    /// both files and lines, and every record of it is left out (which file is right cannot be
    /// told).
    public static func combine(_ results: [Result]) -> (pupils: [Pupil], issues: [ImportIssue]) {
        var issues = results.flatMap(\.issues)
        var first: [Pupil.ID: (file: String, line: Int)] = [:]
        var clashing = Set<Pupil.ID>()
        for result in results {
            for pupil in result.pupils {
                let line = result.lines[pupil.id] ?? 0
                if let earlier = first[pupil.id] {
                    clashing.insert(pupil.id)
                    issues.append(ImportIssue(.conflictingPupil, file: result.file, line: line, column: "CTfile/CTFpupilData/Pupil/UPN",
                                              value: pupil.id.rawValue,
                                              reason: "UPN \(pupil.id) is also in \(earlier.file) on line \(earlier.line): both records are left out — import one file at a time to take one of them"))
                } else {
                    first[pupil.id] = (result.file, line)
                }
            }
        }
        let pupils = results.flatMap(\.pupils).filter { !clashing.contains($0.id) }
        return (pupils, issues)
    }
}

extension ImportIssue.Code {
    /// The file is not well-formed XML; ``ImportIssue/line`` is the parser's line and the reason
    /// gives its column. Nothing from the file is imported.
    public static let malformedXML = ImportIssue.Code(rawValue: "malformed_xml")
    /// The XML is not a Common Transfer File (its root element is not `CTfile`, or it is empty).
    public static let notCTF = ImportIssue.Code(rawValue: "not_ctf")
    /// The CTF header has no `CTFversion`, or one older than ``CTFFile/minimumVersion`` or not a
    /// version number.
    public static let unsupportedCTFVersion = ImportIssue.Code(rawValue: "unsupported_ctf_version")
    /// A KS2 result that no entry of the ``KS2CodeTable`` matches (one issue per combination of
    /// codes, with its count): an error when it would leave pupils without a KS2 reading or maths
    /// result, else a warning.
    public static let unrecognisedKS2Result = ImportIssue.Code(rawValue: "unrecognised_ks2_result")
}
