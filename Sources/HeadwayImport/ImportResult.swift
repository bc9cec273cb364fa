import HeadwayCore

/// What an import produced: the values read from every fully valid row, and every issue found.
///
/// The importer never applies the policy "a file with errors imports nothing": the caller does
/// (the CLI refuses to save when ``hasErrors`` unless `--accept-valid` is given). Either way
/// ``year`` holds only rows that passed every check — a rejected row contributes nothing: no
/// pupil, no characteristic, no entry.
public struct ImportResult: Sendable {
    /// The school, year, scales, subjects and collections the mapping defines, with the pupils
    /// and assessments of the accepted rows. Pupils are sorted by id; assessments by pupil,
    /// subject and collection sequence. A class list adds its ``SchoolYear/teachingGroups``
    /// (sorted by class code) and a minimal ``Staff`` record (code only) per teacher they name;
    /// a staff list gives ``SchoolYear/staff`` (sorted by code) and no pupils. A pupil whose year
    /// group the file does not give (a class list without one) has year group 0.
    public var year: SchoolYear
    /// Every problem, in file order then line order.
    public var issues: [ImportIssue]
    /// One summary per file, in the order the files were given.
    public var files: [FileSummary]
    /// Data rows read (blank lines and the header not counted).
    public var rowsRead: Int
    /// Rows that passed every check and are in ``year``.
    public var rowsAccepted: Int
    /// Rows with at least one error (`rowsRead = rowsAccepted + rowsRejected`).
    public var rowsRejected: Int
    /// Pupils whose accepted rows come from more than one file: the same pupil recognised in
    /// several exports (by id, UPN or pupil key). For the UCI data: 358.
    public var pupilsMatchedAcrossFiles: Int

    /// True when any issue is an error (some row or file was rejected).
    public var hasErrors: Bool { issues.contains { $0.severity == .error } }
    /// The issues that rejected something.
    public var errors: [ImportIssue] { issues.filter { $0.severity == .error } }
    /// The issues that did not.
    public var warnings: [ImportIssue] { issues.filter { $0.severity == .warning } }

    /// How one file was read.
    public struct FileSummary: Hashable, Sendable {
        /// The name as given to the importer.
        public var name: String
        /// Nil when the file could not be read at all.
        public var encoding: TextEncoding?
        /// The separator used (set by the mapping or detected).
        public var separator: Unicode.Scalar?
        /// Data rows in the file (blank lines and the header not counted).
        public var rowsRead: Int
        /// Rows in ``ImportResult/year``.
        public var rowsAccepted: Int
        /// Rows with an error, or every row when the file as a whole could not be used.
        public var rowsRejected: Int
        /// Issues of severity error about this file (a duplicate across files counts in the
        /// file of the later row). The caller's "a file with errors imports nothing" rule reads this.
        public var errors: Int
        /// Issues of severity warning about this file.
        public var warnings: Int
        /// Distinct pupils with at least one accepted row in this file.
        public var pupils: Int
    }
}
