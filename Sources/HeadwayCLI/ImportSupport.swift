import ArgumentParser
import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayImport
import HeadwayStore

// Steps every importer shares (issue 4, item 6): the same code previews (`--dry-run`) and
// commits, in one transaction per run.

/// Misuse (exit 2), before anything is read: a path that is not there, or is a folder.
func requireFiles(_ paths: [String]) throws {
    for path in paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ValidationError("There is no file at \(path).") }
        if isDirectory.boolValue { throw ValidationError("\(path) is a folder: give the file itself.") }
    }
}

/// Whether the configured database exists already (a PostgreSQL URL always counts as existing).
/// Importers that look up what is stored before saving skip the look-up for a SQLite file not
/// yet created, so that a dry run leaves no file behind.
func databaseExists(_ global: GlobalOptions) throws -> Bool {
    if case .sqlite(let path) = try Configuration.resolve(global).database { return FileManager.default.fileExists(atPath: path) }
    return true
}

/// Runs an importer's save in the configured store, creating the database if needed — except in
/// a dry run against a SQLite file that does not exist yet, which previews against an empty
/// scratch file (deleted afterwards) so that nothing is created where the user pointed.
func withImportStore<T>(_ global: GlobalOptions, dryRun: Bool, _ body: (Store) async throws -> T) async throws -> T {
    var scratch: URL?
    if dryRun, case .sqlite(let path) = try Configuration.resolve(global).database, !FileManager.default.fileExists(atPath: path) {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("headway-dry-run-\(UUID().uuidString).sqlite")
    }
    defer {
        if let scratch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch.path + suffix) }
        }
    }
    return try await withStore(global, location: scratch.map { .sqlite(path: $0.path) }, create: true, body)
}

/// Saves an imported school year through ``Store/save(_:context:dryRun:)``, or with `dryRun`
/// computes exactly what would be saved and rolls back (``withImportStore(_:dryRun:_:)``).
func saveImported(_ year: SchoolYear, global: GlobalOptions, context: ChangeContext, dryRun: Bool) async throws -> SaveSummary {
    try await withImportStore(global, dryRun: dryRun) { store in
        try await store.save(year, context: context, dryRun: dryRun)
    }
}

/// The new / changed / unchanged table of a save (or of a dry run), with the changed values.
func describeSave(_ summary: SaveSummary, dryRun: Bool) -> String {
    func line(_ name: String, _ c: SaveSummary.Counts) -> [String] { [name, String(c.new), String(c.changed), String(c.unchanged)] }
    var rows = [line("pupils", summary.pupils), line("characteristics", summary.characteristics), line("KS2 prior attainment", summary.priorAttainment),
                line("assessment entries", summary.assessments), line("targets", summary.targets)]
    // Staff and classes only when the save touched them (class and staff lists, the demo).
    if summary.staff != .init() { rows.append(line("staff", summary.staff)) }
    if summary.teachingGroups != .init() { rows.append(line("classes", summary.teachingGroups)) }
    var out = (dryRun ? "\nDry run — nothing saved. Would save:\n" : "\nSaved:\n") + Terminal.table(
        ["records", "new", "changed", "unchanged"], rows) + "\n"
    if !summary.matchedToStored.isEmpty {
        out += "\(summary.matchedToStored.count) pupil(s) of the file matched to a stored pupil and saved under the stored id: "
            + summary.matchedToStored.prefix(10).joined(separator: ", ") + (summary.matchedToStored.count > 10 ? ", …" : "") + "\n"
    }
    out += "\(summary.auditRows) audit row(s) \(dryRun ? "would be " : "")written.\n"
    if !summary.changes.isEmpty {
        out += "Changes:\n" + summary.changes.prefix(50).map { "  \($0)" }.joined(separator: "\n") + "\n"
        if summary.changes.count > 50 { out += "  … \(summary.changes.count - 50) more\n" }
    }
    return out
}

// MIS presets (issue 4, item 2): where they live, how they are listed, and what a preset used
// without a school mapping takes from the command line and the database.

/// The folder of presets: `--presets` when given; else `data/presets` under the working folder
/// (a checkout); else the `data/presets` of the source tree this binary was built from.
func presetsFolder(_ option: String?) throws -> URL {
    if let option {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: option, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("There is no presets folder at \(option).")
        }
        return URL(fileURLWithPath: option)
    }
    // Issue 12, item 2: the presets ship inside the program, whatever the working folder.
    guard let found = MappingPreset.shippedFolder else {
        throw CLIError("The presets shipped with Headway are missing (reinstall it with its Headway_HeadwayImport.resources folder): give --presets DIR.")
    }
    return found
}

/// A preset by name (`sims-pupils`) from the presets folder, or by path (`my/preset.toml`).
func loadPreset(_ name: String, folder option: String?) throws -> MappingPreset {
    do {
        if name.hasSuffix(".toml") || name.contains("/") {
            guard FileManager.default.fileExists(atPath: name) else { throw ValidationError("There is no preset file at \(name).") }
            return try MappingPreset(contentsOf: URL(fileURLWithPath: name))
        }
        let folder = try presetsFolder(option)
        // A name that is no preset is misuse (exit 2), like a mistyped option.
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(name).toml").path) else {
            do throws(ImportIssue) { _ = try MappingPreset.named(name, in: folder) } catch { throw ValidationError(error.reason) }
            throw ValidationError("no preset named \"\(name)\"")
        }
        return try MappingPreset.named(name, in: folder)
    } catch let issue as ImportIssue {
        throw CLIError(issue.description)
    }
}

/// One line per preset: name, kind, summary.
func presetListing(folder option: String?) throws -> String {
    let presets: [MappingPreset]
    do {
        presets = try MappingPreset.all(in: try presetsFolder(option))
    } catch let issue as ImportIssue {
        throw CLIError(issue.description)
    }
    let width = presets.map(\.name.count).max() ?? 0
    return presets.map { preset in
        let kind = switch preset.kind {
        case .pupils: "pupil list"
        case .classes: "class list"
        case .staff: "staff list"
        }
        return "  " + preset.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + kind.padding(toLength: 10, withPad: " ", startingAt: 0)
            + "  " + preset.summary
    }.joined(separator: "\n") + "\n"
}

/// The school, academic year, subjects and school scales a preset is used with when no school
/// mapping is given: the school from `--school` or the only one stored; the year from `--year`
/// or the school's latest; the subjects (and the school's own scales) stored for the school.
/// With no database yet, `--school` and `--year` are required, and the school's name is its id
/// until a mapping names it.
func presetSchool(_ options: SchoolOptions, global: GlobalOptions, kind: ColumnMapping.Kind)
    async throws -> (school: School, year: AcademicYear, subjects: [Subject], scales: [GradeScale]) {
    let givenYear = options.year.flatMap(AcademicYear.init(parsing:))
    if case .sqlite(let path) = try Configuration.resolve(global).database, !FileManager.default.fileExists(atPath: path) {
        guard let id = options.school, let year = givenYear else {
            throw ValidationError("There is no database at \(path) yet, so the school and year cannot be looked up: give --school and --year (or --mapping school.toml).")
        }
        if kind == .classes {
            throw CLIError("A class list is matched against the school's subjects, and there is no database at \(path) yet: import a mapping with [[subject]] tables first, or combine the preset with --mapping school.toml.")
        }
        return (School(id: School.ID(id), name: id), year, [], [])
    }
    return try await withStore(global) { store in
        let schools = try await store.schools()
        let school: School
        if let id = options.school {
            school = schools.first { $0.id.rawValue == id } ?? School(id: School.ID(id), name: id)
        } else if schools.count == 1 {
            school = schools[0]
        } else if schools.isEmpty {
            throw ValidationError("\(store.location) holds no school yet: give --school and --year (or --mapping school.toml).")
        } else {
            throw ValidationError("This database holds several schools; choose one with --school (\(schools.map(\.id.rawValue).joined(separator: ", "))).")
        }
        let years = schools.contains(school) ? try await store.academicYears(of: school.id) : []
        guard let year = givenYear ?? years.last else {
            throw ValidationError("School \(school.id) has no academic year stored yet: give --year, e.g. --year 2026/27.")
        }
        var subjects: [Subject] = []
        var scales: [GradeScale] = []
        if let stored = years.contains(year) ? year : years.last {
            let loaded = try await store.load(school: school.id, year: stored)
            subjects = loaded.subjects
            scales = loaded.scales.values.filter { GradeScale.builtIn[$0.id] == nil }.sorted { $0.id < $1.id }
        }
        if kind == .classes, subjects.isEmpty {
            throw CLIError("School \(school.id) has no subjects stored, and a class list is matched against them: import a mapping with [[subject]] tables first, or combine the preset with --mapping school.toml.")
        }
        return (school, year, subjects, scales)
    }
}

/// The options every importer takes (issue 4, item 6).
struct ImportOptions: ParsableArguments {
    @Flag(help: "Import the valid records even when others have errors (without it, any error imports nothing).")
    var acceptValid = false

    @Flag(help: "Show what would be created and changed, computed by the code that saves, and save nothing.")
    var dryRun = false

    @Option(help: "Who is importing, for the audit log.")
    var actor = "data manager"

    @Option(help: "Show at most this many issues (0 = all).")
    var showIssues = 30

    func validate() throws {
        if showIssues < 0 { throw ValidationError("--show-issues takes 0 (all) or a positive number.") }
    }
}
