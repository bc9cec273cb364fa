import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayImport
import HeadwayStore

/// `headway import`: the importers, one subcommand per kind of file. `headway import --mapping M
/// FILE…` (no subcommand) is `headway import csv`.
///
/// Every importer follows the same rules (issue 4, item 6): `--dry-run` previews with the code
/// that commits; re-importing a file changes nothing; a value absent from the file never erases a
/// stored one; duplicates in one file are rejected naming both lines; identifiers stay text; one
/// transaction per run.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import data: CSV exports through a mapping (the default), and other formats by subcommand.",
        subcommands: [ImportCSV.self, ImportResults.self, ImportDfEPerformance.self, ImportCTF.self],
        defaultSubcommand: ImportCSV.self)
}

/// `headway import csv`: reads CSV exports through a saved column mapping, or through a ready
/// MIS preset (issue 4, item 2), and saves them.
///
/// Where the mapping comes from: `--mapping M.toml` alone; `--preset NAME` alone (the school and
/// year from `--school`/`--year` or the database, a class list's subjects from those stored for
/// the school); or both, the school's mapping giving the school, year, subjects and collections
/// and the preset the columns (``MappingPreset``).
struct ImportCSV: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Import CSV exports (MIS, spreadsheets, markbooks) through a saved column mapping or an MIS preset.",
        discussion: """
            The mapping (TOML) says which column holds what; see examples/uci-portuguese/mapping.toml. \
            For the pupil, class and staff lists of SIMS, Arbor and Bromcom, --preset NAME uses a ready \
            mapping (--list-presets lists them; docs/mis-presets.md explains them); with --mapping too, \
            the mapping gives the school, year and subjects and the preset the columns. \
            Every bad row is listed with file, line, column, value and reason. If any row has an error, \
            nothing is imported unless --accept-valid is given; either way nothing is half-written. \
            Re-importing the same file changes nothing, and a blank cell never erases a stored value.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: ImportOptions

    @Option(help: ArgumentHelp("The column mapping (TOML); with --preset, only its school, year, subjects and collections are used.",
                               valueName: "mapping.toml"))
    var mapping: String?

    @Option(help: ArgumentHelp("A ready mapping for an MIS export, by name (e.g. sims-pupils, arbor-classes, bromcom-staff; see --list-presets) or path.",
                               valueName: "name"))
    var preset: String?

    @Option(help: ArgumentHelp("The folder of presets (default: the presets built into Headway, data/presets in its sources).", valueName: "folder"))
    var presets: String?

    @Flag(help: "List the MIS presets, one line each, and exit.")
    var listPresets = false

    @OptionGroup var target: SchoolOptions

    @Argument(help: ArgumentHelp("CSV files to import.", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        if listPresets { return }
        if mapping == nil && preset == nil {
            throw ValidationError("Give --mapping M.toml, or --preset NAME for an MIS export (--list-presets lists them).")
        }
        if mapping != nil && (target.school != nil || target.year != nil) {
            throw ValidationError("--school and --year go with --preset alone: a mapping file names its own school and year.")
        }
        if files.isEmpty { throw ValidationError("Give at least one CSV file to import.") }
        try requireFiles(files)
    }

    func run() async throws {
        if listPresets {
            print(try presetListing(folder: presets), terminator: "")
            return
        }
        let (columnMapping, source) = try await resolveMapping()
        let progress = Terminal.Progress("Reading \(files.count) file(s)")
        let start = ContinuousClock.now
        let result = CSVImporter(mapping: columnMapping).read(contentsOf: files.map { URL(fileURLWithPath: $0) })
        progress.finish("\(result.rowsRead) rows in \(Terminal.seconds(since: start))")
        print(ImportCSV.describe(result, showIssues: options.showIssues, mapping: columnMapping))

        if result.rowsRead == 0 && !result.hasErrors {
            throw CLIError("Nothing imported: \(files.joined(separator: ", ")) \(files.count == 1 ? "has" : "have") no data rows, only a header (or nothing).")
        }
        if result.hasErrors && !options.acceptValid {
            if result.rowsAccepted == 0 {
                throw CLIError("Nothing imported: \(result.errors.count) error(s), listed above, and no valid row to import.")
            }
            throw CLIError("""
                Nothing imported: \(result.rowsRejected) row(s) have errors (listed above). Correct the file(s), or run again \
                with --accept-valid to import the \(result.rowsAccepted) valid row(s) and leave the rest out.
                """)
        }
        var year = result.year
        if columnMapping.kind == .classes { year = try await withoutUnknownPupils(year) }
        let context = ChangeContext(actor: options.actor, source: files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "),
                                    reason: "import with \(source)", at: Date())
        let summary = try await saveImported(year, global: global, context: context, dryRun: options.dryRun)
        print(describeSave(summary, dryRun: options.dryRun))
        if result.hasErrors {
            throw CLIError("\(result.rowsRejected) row(s) with errors were left out (listed above); the \(result.rowsAccepted) valid row(s) were \(options.dryRun ? "checked" : "imported").")
        }
    }

    /// A class list names pupils; it cannot create them (it has no names or year groups). Pupils
    /// the school does not hold — by id or UPN — are refused, naming a stored id that differs only
    /// in leading zeros (Excel drops them: `123` for `000123`); with `--accept-valid` they are
    /// left out of their classes instead.
    func withoutUnknownPupils(_ year: SchoolYear) async throws -> SchoolYear {
        let stored = try databaseExists(global) ? try await withStore(global) { try await $0.pupilIdentities(school: year.school.id) } : []
        let ids = Set(stored.map(\.id)), upns = Set(stored.compactMap(\.upn))
        let unknown = year.pupils.filter { !ids.contains($0.id) && !($0.upn.map(upns.contains) ?? false) }
        guard !unknown.isEmpty else { return year }
        func hint(_ id: Pupil.ID) -> String {
            let bare = id.rawValue.drop { $0 == "0" }
            let near = stored.first { $0.id != id && $0.id.rawValue.drop { $0 == "0" } == bare }
            return near.map { "\(id) (did you mean \($0.id)? leading zeros lost in Excel?)" } ?? id.rawValue
        }
        let listed = unknown.prefix(10).map { hint($0.id) }.joined(separator: ", ") + (unknown.count > 10 ? ", …" : "")
        guard options.acceptValid else {
            throw CLIError("Nothing imported: \(unknown.count) pupil(s) in the class list are not in \(year.school.name): \(listed). "
                + "Import the pupil list first, correct the ids, or run again with --accept-valid to leave them out of their classes.")
        }
        Terminal.error("warning: left out of their classes, not in \(year.school.name): \(listed)")
        let gone = Set(unknown.map(\.id))
        var kept = year
        kept.pupils.removeAll { gone.contains($0.id) }
        for i in kept.teachingGroups.indices { kept.teachingGroups[i].pupils.removeAll { gone.contains($0) } }
        return kept
    }

    /// The mapping to read the files with, and how the audit log names it (`school.toml`,
    /// `preset sims-pupils`, `school.toml + preset sims-pupils`).
    func resolveMapping() async throws -> (ColumnMapping, String) {
        if let mapping { guard FileManager.default.fileExists(atPath: mapping) else { throw ValidationError("There is no mapping file at \(mapping).") } }
        let mappingURL = mapping.map { URL(fileURLWithPath: $0) }
        guard let preset else {
            do {
                return (try ColumnMapping(contentsOf: mappingURL!), mappingURL!.lastPathComponent)
            } catch {
                throw CLIError(error.description)
            }
        }
        let chosen = try loadPreset(preset, folder: presets)
        if let mappingURL {
            do {
                return (try chosen.mapping(combinedWith: mappingURL), "\(mappingURL.lastPathComponent) + preset \(chosen.name)")
            } catch {
                throw CLIError(error.description)
            }
        }
        let (school, year, subjects, scales) = try await presetSchool(target, global: global, kind: chosen.kind)
        do {
            return (try chosen.mapping(school: school, academicYear: year, subjects: subjects, scales: scales), "preset \(chosen.name)")
        } catch {
            throw CLIError(error.description)
        }
    }

    /// The summary printed before saving: files, then what was read — pupils per subject for
    /// grade files, a count for a pupil list, classes per subject for a class list, a count for a
    /// staff list — then the issues.
    static func describe(_ result: ImportResult, showIssues: Int, mapping: ColumnMapping) -> String {
        let kind = mapping.kind
        guard kind != .pupils || mapping.gradeColumns.isEmpty else { return describe(result, showIssues: showIssues) }
        let pupilColumn = kind == .staff ? [] : ["pupils"]
        var out = "Files\n" + Terminal.table(
            ["file", "encoding", "separator", "rows", "accepted", "rejected"] + pupilColumn,
            result.files.map {
                [$0.name, $0.encoding.map { "\($0)" } ?? "unreadable", $0.separator.map { $0 == "\t" ? "tab" : String($0) } ?? "",
                 String($0.rowsRead), String($0.rowsAccepted), String($0.rowsRejected)] + (kind == .staff ? [] : [String($0.pupils)])
            }) + "\n"
        let year = result.year
        if kind == .pupils {
            out += "\n\(year.pupils.count) pupils in all; \(result.pupilsMatchedAcrossFiles) recognised as the same pupil in more than one file.\n"
        } else if kind == .classes {
            let groups = Dictionary(grouping: year.teachingGroups, by: \.subject)
            out += "\nClasses per subject\n" + Terminal.table(
                ["subject", "classes", "pupils"],
                year.subjects.filter { groups[$0.id] != nil }.map { subject in
                    let classes = groups[subject.id] ?? []
                    return ["\(subject.name) (\(subject.id))", String(classes.count), String(Set(classes.flatMap(\.pupils)).count)]
                }) + "\n"
            out += "\n\(year.teachingGroups.count) classes, \(year.pupils.count) pupils, \(year.staff.count) teachers named.\n"
        } else {
            out += "\n\(year.staff.count) members of staff.\n"
        }
        out += "\(result.rowsAccepted) of \(result.rowsRead) rows accepted; \(result.errors.count) error(s), \(result.warnings.count) warning(s).\n"
        out += issueList(result, showIssues: showIssues)
        return out
    }

    static func issueList(_ result: ImportResult, showIssues: Int) -> String {
        guard !result.issues.isEmpty else { return "" }
        return "\nIssues\n" + ImportIssue.listing(result.issues, limit: showIssues).joined(separator: "\n") + "\n"
    }

    static func describe(_ result: ImportResult, showIssues: Int) -> String {
        var out = "Files\n" + Terminal.table(
            ["file", "encoding", "separator", "rows", "accepted", "rejected", "pupils"],
            result.files.map {
                [$0.name, $0.encoding.map { "\($0)" } ?? "unreadable", $0.separator.map { $0 == "\t" ? "tab" : String($0) } ?? "",
                 String($0.rowsRead), String($0.rowsAccepted), String($0.rowsRejected), String($0.pupils)]
            }) + "\n"
        let year = result.year
        // Counted without copying a million entries into groups (issue 13).
        var pupilSets: [Subject.ID: Set<Pupil.ID>] = [:]
        for assessment in year.assessments { pupilSets[assessment.subject, default: []].insert(assessment.pupil) }
        let pupilsPerSubject = pupilSets.mapValues(\.count)
        out += "\nPupils per subject\n" + Terminal.table(
            ["subject", "pupils"],
            year.subjects.map { ["\($0.name) (\($0.id))", String(pupilsPerSubject[$0.id] ?? 0)] }) + "\n"
        out += "\n\(year.pupils.count) pupils in all; \(result.pupilsMatchedAcrossFiles) recognised as the same pupil in more than one file.\n"
        out += "\(result.rowsAccepted) of \(result.rowsRead) rows accepted; \(result.errors.count) error(s), \(result.warnings.count) warning(s).\n"
        out += issueList(result, showIssues: showIssues)
        return out
    }
}
