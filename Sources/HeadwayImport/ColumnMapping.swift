import Foundation
import HeadwayCore

/// A saved column mapping: how to read one kind of CSV export (an MIS pupil list, a grade sheet,
/// a spreadsheet someone keeps) into Headway's values without writing code. Written by the data
/// lead once per export as a TOML file and kept beside the exports.
///
/// # Schema (version 1)
///
/// Every key is listed here with its default; an unknown key is an error (a typo must not be
/// ignored silently). Column names are CSV headers, compared exactly after trimming spaces.
///
/// ```toml
/// version = 1                      # optional; the schema version, only 1 exists
/// academic_year = "2025/26"        # required; also 2025-26, 2025/2026 or 2025
/// separator = ","                  # optional: ",", ";", "\t" or "tab", "|"; default: detected
///                                  # per file from its header line (, ; or tab)
/// scale_files = ["ks3-steps.toml"] # optional; GradeScaleFile files, paths relative to this file
///                                  # (loaded by ColumnMapping(contentsOf:))
///
/// [school]                         # required
/// id = "137000"                    # the school's URN or a short code
/// name = "Example Academy"
///
/// [[subject]]                      # one per subject the files may contain
/// code = "MA"                      # required; matched against the subject column / constants
/// name = "Mathematics"             # required
/// scale = "gcse-9-1"               # required; a built-in id (gcse-9-1, gcse-combined-science,
///                                  # numeric-0-20, percentage, atl-1-4) or a school scale's id
/// atl_scale = "atl-1-4"            # optional, default atl-1-4
/// qualification = "GCSE"           # optional
/// ks4_category = "maths"           # optional: what it counts as in A8/P8/EBacc (KS4Category raw values:
///                                  # english_language, english_literature, maths, combined_science, biology,
///                                  # chemistry, physics, computer_science, history, geography, language, other)
///
/// [[collection]]                   # one per data collection the files may contain
/// code = "Y10DC1"                  # required; matched against the collection column / constants
/// name = "Y10 DC1"                 # required
/// sequence = 1                     # required; order within the year, distinct
/// year_groups = [10]               # optional; default: the year groups of the pupils imported into it
/// opens = 2025-11-03               # optional dates: opens, deadline, locks, publishes
///
/// [[scale]]                        # optional; a school scale written inline, same keys as a
/// id = "ks3-steps"                 # GradeScaleFile (grades as [[scale.grade]], or [scale.numeric])
///
/// [columns]                        # which CSV column holds what; every key optional
/// pupil_id = "Adno"                # the MIS id (kept as text: leading zeros stay)
/// upn = "UPN"                      # validated with UPN.validate
/// forename = "Legal Forename"
/// surname = "Legal Surname"
/// date_of_birth = "DOB"            # YYYY-MM-DD or DD/MM/YYYY
/// year_group = "Year"              # integer 7–13
/// tutor_group = "Reg"
/// subject = "Subject"              # long format: the subject code of the row
/// collection = "Collection"        # long format: the collection code of the row
/// working_at = "Grade"             # long format: the grade columns of the row
/// predicted = "Predicted"
/// atl = "ATL"
/// ks2_reading = "KS2 Reading"      # integer scaled scores, PriorAttainment.validScaledScores
/// ks2_maths = "KS2 Maths"
/// teaching_group = "Class"         # class list: the class code, kept as text (TeachingGroup id, e.g. 10X/Ma1)
/// teachers = "Teacher Code"        # class list: staff codes; a cell may list several, split on , ; or /
/// staff_code = "Staff Code"        # staff list: the staff code, kept as text (0JS stays 0JS)
/// staff_title = "Title"            # staff list: Ms, Mr, Dr …
/// staff_forename = "Forename"      # staff list
/// staff_surname = "Surname"        # staff list
/// staff_email = "Email"            # staff list: work email, kept as text
/// # Any column may be a table with a value mapping: year_group = { column = "NC Yr", values = { R = "7" } }
/// # and may be optional: tutor_group = { column = "Reg", optional = true } — a file without that
/// # header is read without it, with a warning, instead of being refused (not allowed for
/// # pupil_id, subject, collection, working_at, predicted, atl, teaching_group or staff_code, nor
/// # for upn when the UPN is the pupil's identity).
///
/// [pupil_key]                      # optional: build the pupil id from columns when there is none
/// columns = ["Surname", "Forename", "DOB"]
/// prefix = "EXA"                   # optional, default the school id
///
/// [constants]                      # optional; values for every row, for what no column holds
/// subject = "MA"                   # also: collection, year_group, tutor_group
///
/// [files."maths-sheet.csv"]        # optional; per file (matched on the file's name, not its folder)
/// subject = "MA"                   # subject, collection, year_group, tutor_group, separator
///
/// [value_maps]                     # optional; named value mappings, referred to by name
/// yes_no = { yes = "true", no = "false" }
///
/// [[grade_column]]                 # wide format: one per grade column
/// column = "Autumn"                # required
/// collection = "Y10DC1"            # optional; default the row's collection (column or constant)
/// subject = "MA"                   # optional; default the row's subject (column or constant)
/// kind = "working_at"              # optional: working_at (default), predicted, atl
/// values = { "0" = "X" }           # optional value mapping, inline or a value_maps name
///
/// [[characteristic]]               # any number
/// name = "disadvantaged"           # required; a Characteristic name or any other
/// column = "PP"                    # required
/// values = "yes_no"                # optional value mapping, inline or a value_maps name
/// per_subject = false              # optional; true stores it as NAME:SUBJECTCODE
/// optional = false                 # optional; true: a file without the column is read without it
/// ```
///
/// # Rules
///
/// - **Long and wide format.** A long file has one row per pupil × subject × collection with
///   `columns.subject`, `columns.collection` and `columns.working_at` (and/or `predicted`,
///   `atl`). A wide file has one row per pupil (or per pupil × subject) and a `[[grade_column]]`
///   per grade column, each naming its collection. Both can be combined.
/// - **Where a row's subject, collection, year group and tutor group come from**, first found:
///   the file's `[files."NAME"]` value; the mapped column when its cell is not blank; the
///   `[constants]` value. A grade column's own `subject`/`collection` beats all three. A column
///   that a file constant replaces need not exist in that file.
/// - **Subject and collection codes** in cells are matched to `[[subject]]` / `[[collection]]`
///   codes exactly, else case-insensitively on code, else on name; anything else rejects the row.
/// - **Value mappings** apply to the trimmed cell before it is checked: an exact key first, then
///   a case-insensitive one; a value not in the map is used as it is. A map may send a value to
///   `""` (blank: not entered).
/// - **Pupil identity**, first that applies: `columns.pupil_id`; else `[pupil_key]`; else the UPN
///   (upper-cased). A mapping sets at most one of `pupil_id` and `[pupil_key]`, and at least one of
///   them or `upn`.
/// - **Pupil key** (exports with no id, e.g. the UCI data): the trimmed cell text of the key
///   columns (before any value mapping) joined by U+001F, hashed with 64-bit FNV-1a; the id is `PREFIX-` and the first 12 hex digits
///   (e.g. `UCI-1a2b3c4d5e6f`), so it does not depend on file order, on which files are imported
///   together, or on column names. Within one file a key that occurs on two rows addressing the
///   same subject × collection (for a file without grades: on two rows at all; in a class list:
///   on two rows of the same class) is *ambiguous*:
///   each such row becomes its own pupil, `PREFIX-HASH@FILE:LINE`, never matched with another
///   file, and a warning says so. An unambiguous key is the same pupil in every file it occurs in.
///   Rows rejected for other reasons still count when deciding whether a key is ambiguous: the
///   row is there, only its values are wrong.
/// - **Characteristics** are text; blank cells are not stored. `disadvantaged`, `eal` and
///   `looked_after` must read `true`/`false` after mapping, `sen` `N`/`K`/`E`;
///   `prior_attainment_band` is derived and cannot be imported. `per_subject = true` stores the
///   value under `NAME:SUBJECTCODE` using the row's subject (or the one subject its grade
///   columns share).
/// - **Three kinds of file** (``Kind``), decided by the columns mapped (issue 4, item 2):
///   - a *staff list* maps `columns.staff_code`: each row is one ``Staff`` (code, title, names,
///     email). Pupil identity is then not required, and every pupil column (`pupil_id`, `upn`,
///     names, `date_of_birth`, `year_group`, `tutor_group`, `subject`, `collection`, grades,
///     `ks2_*`, `teaching_group`, `teachers`), `[pupil_key]`, `[[grade_column]]` and
///     `[[characteristic]]` are errors. A staff code on two rows rejects both (the error names
///     both lines). Staff roles are not read from CSV: a record keeps the roles it has.
///   - a *class list* maps `columns.teaching_group`: each row is pupil + subject + class (+
///     teachers). The import builds one ``TeachingGroup`` per class code: its subject from the
///     rows (`columns.subject` or a constant; matched like any subject code or name), its
///     teachers and pupils the union over its rows (each sorted), its year group the most common
///     year group of its pupils in the file (the lowest on a tie; 0 when the file gives none, and
///     the store then keeps or derives it). A year group is optional on a class list (a pupil
///     without one is read with year group 0: "not in the file"). A class on two rows with two
///     different subjects rejects the later row, naming both lines; the same pupil in the same
///     class on two rows rejects both. Grade columns are not allowed. Teacher codes named by the
///     rows become minimal ``Staff`` records (code only, no names or roles) so that the store's
///     foreign keys hold; the store never lets such a record blank a stored name.
///     `staff_title`, `staff_forename`, `staff_surname` and `staff_email` need `staff_code`, and
///     `teachers` needs `teaching_group`.
///   - otherwise a *pupil file*: a pupil list (no grade columns) or grades (long or wide). In a
///     pupil list the same pupil on two rows rejects both, naming both lines.
///   In every kind, a duplicate is found across all the files of one import.
public struct ColumnMapping: Sendable {
    /// The mapping's file name, used in every issue about it.
    public var file: String
    /// `[school]`: every pupil and entry read belongs to it.
    public var school: School
    /// `academic_year`: the year of the collections and of the pupils' year groups.
    public var academicYear: AcademicYear
    /// The separator set for every file; nil to detect it from each file's header line.
    public var separator: Unicode.Scalar?
    /// Paths of school scale files, relative to the mapping file, as written in `scale_files`.
    public var scaleFiles: [String]
    /// Every scale subjects may use: the built-in ones, the mapping's `[[scale]]` tables and
    /// those passed in (from `scale_files`).
    public var scales: [GradeScale.ID: GradeScale]
    /// In mapping order.
    public var subjects: [Subject]
    /// In mapping order; an empty ``DataCollection/yearGroups`` is filled from the import.
    public var collections: [DataCollection]
    /// `[columns]`: where the pupil's details and a long-format row's codes are.
    public var columns: Columns
    /// `[pupil_key]`: how to build pupil ids when the export has none.
    public var pupilKey: PupilKey?
    /// Every grade column: those from `[[grade_column]]` and the `working_at`, `predicted` and
    /// `atl` shorthands of `[columns]`.
    public var gradeColumns: [GradeColumn]
    /// `[[characteristic]]`, in mapping order.
    public var characteristics: [CharacteristicColumn]
    /// Values for every row (`[constants]`).
    public var constants: Constants
    /// Per-file settings (`[files."NAME"]`), keyed by file name.
    public var files: [String: FileSettings]

    /// A reference to one CSV column, with the value mapping applied to its cells.
    public struct Column: Hashable, Sendable {
        /// The CSV header.
        public var name: String
        /// Applied to every cell of the column before it is checked.
        public var values: ValueMap
        /// Where the mapping says it (`columns.upn`, `grade_column[2].column`), for messages.
        public var mappingKey: String
        /// `optional = true`: a file without this header is read without it (with a warning)
        /// rather than refused.
        public var isOptional: Bool

        /// A column reference; `mappingKey` is the TOML key it was read from.
        public init(name: String, values: ValueMap = ValueMap(), mappingKey: String, isOptional: Bool = false) {
            self.name = name
            self.values = values
            self.mappingKey = mappingKey
            self.isOptional = isOptional
        }
    }

    /// What one row of the files stands for, decided by the columns mapped (see the rules above).
    public enum Kind: String, Hashable, Sendable {
        /// Pupils, with or without grades: the default.
        case pupils
        /// A class list: `columns.teaching_group` is mapped.
        case classes
        /// A staff list: `columns.staff_code` is mapped.
        case staff
    }

    /// The kind of file this mapping reads: staff list when `columns.staff_code` is mapped, class
    /// list when `columns.teaching_group` is, pupils otherwise.
    public var kind: Kind {
        if columns.staffCode != nil { return .staff }
        if columns.teachingGroup != nil { return .classes }
        return .pupils
    }

    /// Text-to-text replacements for cells: exact match first, then case-insensitive; anything
    /// else unchanged.
    public struct ValueMap: Hashable, Sendable {
        /// Cell text → replacement, as written in the mapping.
        public var entries: [String: String]
        private var folded: [String: String]

        /// A value mapping; the empty one leaves every cell as it is.
        public init(_ entries: [String: String] = [:]) {
            self.entries = entries
            self.folded = Dictionary(entries.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        }

        /// The mapped value of a trimmed cell.
        public func apply(_ text: String) -> String {
            // Most columns have no value mapping: no lookup, no lower-casing per cell.
            if entries.isEmpty { return text }
            return entries[text] ?? folded[text.lowercased()] ?? text
        }
    }

    /// The CSV columns of the pupil and of a long-format row (`[columns]`); nil when not mapped.
    public struct Columns: Hashable, Sendable {
        /// `pupil_id`: the MIS id, kept as text.
        public var pupilID: Column?
        /// `upn`: checked with `UPN.validate`.
        public var upn: Column?
        /// `forename`: legal forename.
        public var forename: Column?
        /// `surname`: legal surname.
        public var surname: Column?
        /// `date_of_birth`: `YYYY-MM-DD` or `DD/MM/YYYY`.
        public var dateOfBirth: Column?
        /// `year_group`: an integer 7–13.
        public var yearGroup: Column?
        /// `tutor_group`: free text, e.g. `10Q`.
        public var tutorGroup: Column?
        /// `subject`: a `[[subject]]` code or name (long format).
        public var subject: Column?
        /// `collection`: a `[[collection]]` code or name (long format).
        public var collection: Column?
        /// `ks2_reading`: KS2 reading scaled score, an integer in `PriorAttainment.validScaledScores`.
        public var ks2Reading: Column?
        /// `ks2_maths`: KS2 maths scaled score, an integer in `PriorAttainment.validScaledScores`.
        public var ks2Maths: Column?
        /// `teaching_group`: the class code of a class list row (kept as text).
        public var teachingGroup: Column?
        /// `teachers`: the staff codes teaching the row's class; several in one cell are split on
        /// `,` `;` or `/` (``ColumnMapping/teacherSeparators``).
        public var teachers: Column?
        /// `staff_code`: the staff code of a staff list row (kept as text).
        public var staffCode: Column?
        /// `staff_title`: e.g. `Ms`.
        public var staffTitle: Column?
        /// `staff_forename`: the member of staff's forename.
        public var staffForename: Column?
        /// `staff_surname`: the member of staff's surname.
        public var staffSurname: Column?
        /// `staff_email`: the member of staff's work email.
        public var staffEmail: Column?

        /// No column mapped.
        public init() {}
    }

    /// `[pupil_key]`: the id built from several columns when the export has none.
    public struct PupilKey: Hashable, Sendable {
        /// Headers whose values, in this order, make the key.
        public var columns: [String]
        /// Start of every id, e.g. `UCI`.
        public var prefix: String
    }

    /// Which of an assessment's three values a grade column fills.
    public enum EntryKind: String, Hashable, Sendable, CaseIterable {
        /// Current attainment on the subject's scale.
        case workingAt = "working_at"
        /// Forecast grade on the subject's scale.
        case predicted
        /// Attitude to learning on the subject's ATL scale.
        case atl
    }

    /// One column of grades.
    public struct GradeColumn: Hashable, Sendable {
        /// The column of grades (with its value mapping, e.g. `0` → `X`).
        public var column: Column
        /// Which value of the assessment it fills.
        public var kind: EntryKind
        /// Fixed collection (wide format); nil to take the row's.
        public var collection: DataCollection.ID?
        /// Fixed subject; nil to take the row's.
        public var subject: Subject.ID?
    }

    /// One characteristic read from a column.
    public struct CharacteristicColumn: Hashable, Sendable {
        /// The stored name, e.g. ``Characteristic/gender`` or `schoolsup`.
        public var name: String
        /// The column it is read from (with its value mapping, e.g. `yes` → `true`).
        public var column: Column
        /// Store as `NAME:SUBJECTCODE` (an attribute that differs between a pupil's courses).
        public var perSubject: Bool
    }

    /// The characters that separate several staff codes in one `teachers` cell.
    public static let teacherSeparators: Set<Character> = [",", ";", "/"]

    /// Values that hold for every row of the mapping, or of one file.
    public struct Constants: Hashable, Sendable {
        /// A `[[subject]]` code.
        public var subject: Subject.ID?
        /// A `[[collection]]` code.
        public var collection: DataCollection.ID?
        /// 7–13.
        public var yearGroup: Int?
        /// A tutor group for every pupil read.
        public var tutorGroup: String?

        /// Constants; nil for each value not fixed.
        public init(subject: Subject.ID? = nil, collection: DataCollection.ID? = nil, yearGroup: Int? = nil, tutorGroup: String? = nil) {
            self.subject = subject
            self.collection = collection
            self.yearGroup = yearGroup
            self.tutorGroup = tutorGroup
        }
    }

    /// `[files."NAME"]`: constants and a separator for one file.
    public struct FileSettings: Hashable, Sendable {
        /// Values for every row of the file; they beat the mapped column and `[constants]`.
        public var constants: Constants
        /// The file's separator; nil to use the mapping's or detect it.
        public var separator: Unicode.Scalar?
    }

    /// The settings for a file, by its name as given to the importer (the folder is ignored).
    public func settings(forFile name: String) -> FileSettings {
        files[Self.fileName(name)] ?? FileSettings(constants: Constants(), separator: nil)
    }

    /// The last path component, with either slash.
    static func fileName(_ name: String) -> String {
        String(name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? Substring(name))
    }
}
