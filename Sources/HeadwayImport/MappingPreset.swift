import Foundation
import HeadwayCore

/// A ready column mapping for one kind of MIS export (issue 4, item 2): a TOML file in
/// `data/presets/` (e.g. `sims-pupils.toml`) that holds only `[columns]`, `[[characteristic]]`
/// and `[value_maps]` (the ``ColumnMapping`` schema for those keys), so that a data manager can
/// import a pupil list, class list or staff list in the header style of SIMS, Arbor or Bromcom
/// without writing a mapping.
///
/// What a preset does not hold comes from elsewhere, because it belongs to the school:
/// - alone (``mapping(school:academicYear:subjects:scales:)``): the school and academic year from
///   the command line or the database, and for a class list the subjects stored for the school;
/// - combined with the school's own mapping (``mapping(combinedWith:)``): that mapping's
///   `version`, `academic_year`, `[school]`, `[[subject]]`, `[[collection]]`, `[[scale]]` and
///   `scale_files` (``schoolKeys``); its other tables (`[columns]`, `[constants]`, `[files]`,
///   `[pupil_key]`, `[value_maps]`, `[[grade_column]]`, `[[characteristic]]`) are not used, the
///   preset's columns replacing them. Issues about the combination name both files
///   (`school.toml + preset sims-classes.toml`).
///
/// The preset's first comment line is its one-line ``summary``.
public struct MappingPreset: Sendable {
    /// The file name without `.toml`, as given to `--preset`: e.g. `sims-pupils`.
    public var name: String
    /// The file name, e.g. `sims-pupils.toml`.
    public var file: String
    /// The text of the file's first comment line, e.g. `SIMS pupil list: …`.
    public var summary: String
    /// Pupil list, class list or staff list, from the columns it maps.
    public var kind: ColumnMapping.Kind
    let root: [String: TOMLNode]

    /// Where Headway keeps its presets in the source tree: `data/presets`; built into the program
    /// (``shippedFolder``).
    public static let defaultFolder = "data/presets"

    /// The shipped presets inside the program's resources (``ShippedData``); nil when missing.
    public static var shippedFolder: URL? { ShippedData.url(defaultFolder) }

    /// The top-level keys a preset may hold.
    public static let presetKeys = ["version", "columns", "characteristic", "value_maps"]

    /// The top-level keys taken from a school's mapping when it is combined with a preset.
    public static let schoolKeys = ["version", "academic_year", "school", "subject", "collection", "scale", "scale_files"]

    /// Reads a preset from its text.
    /// - Throws: ``ImportIssue`` with code ``ImportIssue/Code/mappingSyntax`` or
    ///   ``ImportIssue/Code/mappingInvalid`` (a key a preset may not hold, or any mapping error in
    ///   its columns), naming `file`.
    public init(toml: String, file: String) throws(ImportIssue) {
        let root = try TOMLNode.parse(toml, file: file)
        let problems = TOMLProblems(file: file, code: .mappingInvalid)
        for key in root.keys.sorted() where !Self.presetKeys.contains(key) {
            problems.add(key, "a preset holds only [columns], [[characteristic]] and [value_maps]: the school, year, subjects and collections come from --school/--year, the database or --mapping")
        }
        try problems.throwIfAny()
        self.root = root
        self.file = ColumnMapping.fileName(file)
        self.name = self.file.hasSuffix(".toml") ? String(self.file.dropLast(5)) : self.file
        self.summary = toml.split(separator: "\n", omittingEmptySubsequences: true)
            .first { $0.hasPrefix("#") }
            .map { $0.drop { $0 == "#" || $0 == " " }.trimmingCharacters(in: .whitespaces) } ?? ""
        self.kind = .pupils
        // Reading it once with a stand-in school checks every column now, naming the preset.
        let probe = try ColumnMapping(root: root.merging(Self.schoolRoot(school: School(id: "PRESET", name: "preset check"),
                                                                            academicYear: AcademicYear(startYear: 2000), subjects: []),
                                                         uniquingKeysWith: { preset, _ in preset }),
                                      file: self.file)
        self.kind = probe.kind
    }

    /// Reads a preset file.
    /// - Throws: ``ImportIssue`` ``ImportIssue/Code/unreadableFile`` when it cannot be read, else
    ///   as ``init(toml:file:)``.
    public init(contentsOf url: URL) throws(ImportIssue) {
        try self.init(toml: try GradeScaleFile.readText(url), file: url.lastPathComponent)
    }

    /// Every `*.toml` preset in a folder, by name.
    /// - Throws: ``ImportIssue`` ``ImportIssue/Code/unreadableFile`` when the folder cannot be
    ///   listed, or the first preset that cannot be read.
    public static func all(in folder: URL) throws(ImportIssue) -> [MappingPreset] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw ImportIssue(.unreadableFile, file: folder.path, reason: "cannot list the presets folder: \(error.localizedDescription)")
        }
        var presets: [MappingPreset] = []
        for name in names.sorted() where name.hasSuffix(".toml") {
            presets.append(try MappingPreset(contentsOf: folder.appendingPathComponent(name)))
        }
        return presets
    }

    /// The preset `NAME.toml` in a folder.
    /// - Throws: ``ImportIssue`` ``ImportIssue/Code/unreadableFile`` when there is none, naming
    ///   the nearest preset name and listing them all; else as ``init(contentsOf:)``.
    public static func named(_ name: String, in folder: URL) throws(ImportIssue) -> MappingPreset {
        let url = folder.appendingPathComponent("\(name).toml")
        guard FileManager.default.fileExists(atPath: url.path) else {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
            let near = Spelling.nearest(name, in: names).map { " (did you mean \($0)?)" } ?? ""
            throw ImportIssue(.unreadableFile, file: url.path,
                              reason: "no preset named \"\(name)\"\(near); the presets are: \(names.joined(separator: ", "))")
        }
        return try MappingPreset(contentsOf: url)
    }

    /// The preset as a complete mapping for one school and year. `subjects` (with `scales`, the
    /// school's own scales they use) are those a class list's subject cells are matched against:
    /// the subjects stored for the school.
    /// - Throws: ``ImportIssue`` ``ImportIssue/Code/mappingInvalid`` (e.g. a subject whose scale
    ///   is not in `scales`).
    public func mapping(school: School, academicYear: AcademicYear, subjects: [Subject] = [],
                        scales: [GradeScale] = []) throws(ImportIssue) -> ColumnMapping {
        let schoolRoot = Self.schoolRoot(school: school, academicYear: academicYear, subjects: subjects)
        return try ColumnMapping(root: root.merging(schoolRoot, uniquingKeysWith: { preset, _ in preset }),
                                 file: "preset \(file)", scales: scales)
    }

    /// The preset combined with a school's mapping file, whose ``schoolKeys`` it keeps (and
    /// whose `scale_files` it reads, relative to that file).
    /// - Throws: ``ImportIssue`` as ``ColumnMapping/init(contentsOf:)``; the issue's file names
    ///   both files.
    public func mapping(combinedWith url: URL) throws(ImportIssue) -> ColumnMapping {
        let text = try GradeScaleFile.readText(url)
        let schoolName = url.lastPathComponent
        let school = try TOMLNode.parse(text, file: schoolName)
        var scales: [GradeScale] = []
        if case .array(let paths)? = school["scale_files"] {
            for case .string(let path) in paths {
                let scaleURL = path.hasPrefix("/") ? URL(fileURLWithPath: path) : url.deletingLastPathComponent().appendingPathComponent(path)
                scales.append(try GradeScaleFile.scale(contentsOf: scaleURL))
            }
        }
        return try mapping(combinedWith: school, file: schoolName, scales: scales)
    }

    /// The preset combined with a school's mapping given as text (`file` names it in issues).
    /// - Throws: ``ImportIssue`` as ``ColumnMapping/init(toml:file:scales:)``.
    public func mapping(combinedWith toml: String, file schoolFile: String, scales: [GradeScale] = []) throws(ImportIssue) -> ColumnMapping {
        try mapping(combinedWith: try TOMLNode.parse(toml, file: schoolFile), file: schoolFile, scales: scales)
    }

    private func mapping(combinedWith school: [String: TOMLNode], file schoolFile: String, scales: [GradeScale]) throws(ImportIssue) -> ColumnMapping {
        var merged = school.filter { Self.schoolKeys.contains($0.key) }
        for (key, value) in root where key != "version" { merged[key] = value }
        return try ColumnMapping(root: merged, file: "\(schoolFile) + preset \(file)", scales: scales)
    }

    /// `academic_year`, `[school]` and `[[subject]]` as a mapping file would write them.
    static func schoolRoot(school: School, academicYear: AcademicYear, subjects: [Subject]) -> [String: TOMLNode] {
        var root: [String: TOMLNode] = [
            "academic_year": .string(academicYear.description),
            "school": .table(["id": .string(school.id.rawValue), "name": .string(school.name)]),
        ]
        if !subjects.isEmpty {
            root["subject"] = .array(subjects.map { s in
                var table: [String: TOMLNode] = ["code": .string(s.id.rawValue), "name": .string(s.name), "scale": .string(s.scale.rawValue),
                                                 "atl_scale": .string(s.atlScale.rawValue)]
                if let q = s.qualification { table["qualification"] = .string(q) }
                if let c = s.ks4Category { table["ks4_category"] = .string(c.rawValue) }
                return .table(table)
            })
        }
        return root
    }
}
