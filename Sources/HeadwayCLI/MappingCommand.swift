import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayImport

/// `headway mapping`: help with column mappings (issue 4, item 2) — propose one from a CSV
/// file (`suggest`), or list the ready MIS presets (`presets`).
struct MappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping",
        abstract: "Column mappings: propose one from a CSV file's headers and values, or list the MIS presets.",
        subcommands: [Suggest.self, Presets.self])

    /// `headway mapping suggest FILE.csv [--out mapping.toml]`.
    struct Suggest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Propose a mapping from a CSV file's header and up to 50 sample rows, for you to confirm.",
            discussion: """
                Each line of the proposal says why (e.g. "12 of 12 sample values are valid UPNs"), and the \
                headers it could not place are listed at the end. Check every line, then import with \
                `headway import --mapping mapping.toml FILE.csv --dry-run` before importing for real.
                """)

        @Argument(help: ArgumentHelp("The CSV export to read.", valueName: "file.csv"))
        var file: String

        @Option(help: ArgumentHelp("Write the proposal here instead of printing it (an existing file is not overwritten).",
                                   valueName: "mapping.toml"))
        var out: String?

        @Option(help: "The school id to write into the proposal (default: SCHOOL, to be replaced).")
        var school: String?

        @Option(help: ArgumentHelp("The academic year to write into the proposal (default: the current one).", valueName: "year"))
        var year: String?

        func validate() throws {
            if let year, AcademicYear(parsing: year) == nil { throw ValidationError("'\(year)' is not an academic year: write it as 2026/27.") }
        }

        func run() throws {
            try requireFiles([file])
            if let out, FileManager.default.fileExists(atPath: out) {
                throw ValidationError("\(out) exists already: choose another --out, or remove it first.")
            }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw CLIError("Cannot read \(file): \(error.localizedDescription)")
            }
            let academicYear = year.flatMap(AcademicYear.init(parsing:)) ?? Self.currentAcademicYear()
            let id = school ?? "SCHOOL"
            let suggestion = MappingSuggestion(csv: data, fileName: URL(fileURLWithPath: file).lastPathComponent,
                                               school: School(id: School.ID(id), name: id), academicYear: academicYear)
            guard let out else {
                print(suggestion.toml, terminator: "")
                return
            }
            do {
                try suggestion.toml.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("Cannot write \(out): \(error.localizedDescription)")
            }
            let kind = switch suggestion.kind {
            case .pupils: "a pupil list"
            case .classes: "a class list"
            case .staff: "a staff list"
            }
            print("Wrote \(out): \(kind), \(suggestion.columns.count) column(s) and \(suggestion.characteristics.count) characteristic(s) placed from \(suggestion.rowsSampled) sample row(s).")
            if !suggestion.unplaced.isEmpty {
                print("Not placed: " + suggestion.unplaced.map { "\"\($0.header)\"" }.joined(separator: ", ") + " (reasons in the file).")
            }
            print("Confirm every line (each says why), then: headway import --mapping \(out) --dry-run \(file)")
        }

        /// The academic year today falls in (the CLI may read the clock; the suggestion does not).
        static func currentAcademicYear() -> AcademicYear {
            let parts = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
            guard let today = CalendarDate(year: parts.year ?? 2026, month: parts.month ?? 9, day: parts.day ?? 1) else {
                return AcademicYear(startYear: parts.year ?? 2026)
            }
            return AcademicYear(containing: today)
        }
    }

    /// `headway mapping presets`: the same list as `headway import --list-presets`.
    struct Presets: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the MIS presets (for `headway import --preset NAME`), one line each.")

        @Option(help: ArgumentHelp("The folder of presets (default: the presets built into Headway, data/presets in its sources).", valueName: "folder"))
        var presets: String?

        func run() throws {
            print(try presetListing(folder: presets), terminator: "")
        }
    }
}
