import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayImport
import HeadwayReports
import HeadwayStore

/// `headway calendar`: the three calendars of a school year (issue 5, item 1) — import from TOML,
/// check, show, export as iCalendar. docs/calendars.md explains the file and the rules.
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "The assessment, data collection and reporting calendars: import, check, show, export (.ics).",
        subcommands: [ImportCalendar.self, CheckCalendar.self, ShowCalendar.self, ExportCalendar.self])

    /// The findings as a terminal table under a one-line count; empty text when there are none.
    static func describe(_ findings: [CalendarFinding]) -> String {
        guard !findings.isEmpty else { return "" }
        let errors = findings.filter { $0.severity == .error }.count
        return "Calendar: \(errors) error(s), \(findings.count - errors) warning(s)\n"
            + Terminal.table(["severity", "rule", "record", "finding"], findings.map { [$0.severity.rawValue, $0.rule.rawValue, $0.record, $0.message] })
            + "\n"
    }

    /// Writes the four `.ics` files (``CalendarExport/files(_:collections:school:)``) into
    /// `folder`, creating it. Returns each file's name and event count, in order.
    static func writeFiles(_ year: SchoolYear, to folder: URL, stamp: Date) throws -> [(name: String, events: Int)] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try CalendarExport.files(year.calendar, collections: year.collections, school: year.school).map { file in
            try Data(file.calendar.text(stamp: stamp).utf8).write(to: folder.appendingPathComponent(file.name), options: .atomic)
            return (file.name, file.calendar.events.count)
        }
    }

    /// True when the year has no calendar records and no collection with dates.
    static func isEmpty(_ year: SchoolYear) -> Bool {
        year.calendar.assessmentWindows.isEmpty && year.calendar.reportingEvents.isEmpty
            && year.calendar.windows(for: year.collections).isEmpty
    }
}

/// `headway calendar import FILE.toml`.
struct ImportCalendar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a calendar file (TOML): assessment windows, collections with dates per year group, reports and parents' meetings.",
        discussion: """
            The file's schema is in docs/calendars.md. Every problem in the file is listed with its key. \
            The calendar is then checked as it would be stored (with what is stored already): any error \
            refuses the whole import; warnings are shown and the calendar is saved. Re-importing the same \
            file changes nothing; records stored but absent from the file are kept.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "School id (needed when the database holds no school or several; a new school is created with this id).")
    var school: String?

    @Flag(help: "Show what would be created and changed, and the findings, and save nothing.")
    var dryRun = false

    @Option(help: "Who is importing, recorded as the source's actor.")
    var actor = "data manager"

    @Argument(help: ArgumentHelp("The calendar file.", valueName: "calendar.toml"))
    var file: String

    func run() async throws {
        let (read, issues) = CalendarFile.read(contentsOf: URL(fileURLWithPath: file))
        guard let read else {
            for line in ImportIssue.listing(issues, limit: 0) { print(String(line.dropFirst(2))) }
            throw CLIError("\(file): \(issues.count) problem(s); nothing imported.")
        }
        let context = ChangeContext(actor: actor, source: URL(fileURLWithPath: file).lastPathComponent, at: Date())
        var findings: [CalendarFinding] = []
        let summary = try await withImportStore(global, dryRun: dryRun) { store in
            let stored = try await store.schools()
            let target: School
            if let id = school {
                target = stored.first { $0.id.rawValue == id } ?? School(id: School.ID(id), name: id)
            } else if stored.count == 1 {
                target = stored[0]
            } else if stored.isEmpty {
                throw ValidationError("\(store.location) holds no school yet: give --school ID (the school is created with that id).")
            } else {
                throw ValidationError("This database holds several schools; choose one with --school (\(stored.map(\.id.rawValue).joined(separator: ", "))).")
            }
            return try await store.save(read.calendar, collections: read.collections, school: target, context: context, dryRun: dryRun) { calendar, collections in
                findings = CalendarValidation.validate(calendar, collections: collections)
                return !findings.contains { $0.severity == .error }
            }
        }
        if !findings.isEmpty { print(CalendarCommand.describe(findings)) }
        guard summary.accepted else {
            throw CLIError("\(file): the calendar has \(findings.filter { $0.severity == .error }.count) error(s); nothing imported.")
        }
        print(Self.describe(summary, dryRun: dryRun), terminator: "")
    }

    /// The new / changed / unchanged table of a calendar save, with the changed values.
    static func describe(_ summary: CalendarSaveSummary, dryRun: Bool) -> String {
        func line(_ name: String, _ c: SaveSummary.Counts) -> [String] { [name, String(c.new), String(c.changed), String(c.unchanged)] }
        var out = (dryRun ? "Dry run — nothing saved. Would save:\n" : "Saved:\n") + Terminal.table(
            ["records", "new", "changed", "unchanged"],
            [line("collections", summary.collections), line("assessment windows", summary.assessmentWindows),
             line("collection windows (per year group)", summary.collectionWindows), line("reporting events", summary.reportingEvents)]) + "\n"
        if !summary.changes.isEmpty {
            out += "Changes:\n" + summary.changes.map { "  \($0)" }.joined(separator: "\n") + "\n"
        }
        return out
    }
}

/// `headway calendar check`.
struct CheckCalendar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the stored calendars against each other; exit status 1 when there are errors.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    func run() async throws {
        let year = try await loadYear(global, schoolOptions)
        if CalendarCommand.isEmpty(year) {
            print("No calendar is stored for \(year.school.id) \(year.academicYear): import one with `headway calendar import calendar.toml`.")
            return
        }
        let findings = CalendarValidation.validate(year.calendar, collections: year.collections)
        if findings.isEmpty {
            print("Calendar \(year.academicYear): no errors, no warnings.")
        } else {
            print(CalendarCommand.describe(findings), terminator: "")
        }
        if findings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}

/// `headway calendar show`.
struct ShowCalendar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List the stored calendars' events in date order.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    func run() async throws {
        let year = try await loadYear(global, schoolOptions)
        print(Self.describe(year), terminator: "")
    }

    /// The combined calendar's events (the same as `headway-calendar.ics`) as a table: first
    /// day, last day (blank for one day), calendar, event.
    static func describe(_ year: SchoolYear) -> String {
        guard !CalendarCommand.isEmpty(year) else {
            return "No calendar is stored for \(year.school.id) \(year.academicYear): import one with `headway calendar import calendar.toml`.\n"
        }
        let combined = CalendarExport.files(year.calendar, collections: year.collections, school: year.school).last!.calendar
        let rows = combined.events.map { e in
            [e.starts.description, e.ends == e.starts ? "" : e.ends.description, e.categories.first ?? "", e.summary]
        }
        var out = "\(combined.name)\n" + Terminal.table(["from", "to", "calendar", "event"], rows) + "\n"
        let findings = CalendarValidation.validate(year.calendar, collections: year.collections)
        if !findings.isEmpty {
            let errors = findings.filter { $0.severity == .error }.count
            out += "\(errors) error(s), \(findings.count - errors) warning(s): see `headway calendar check`.\n"
        }
        return out
    }
}

/// `headway calendar export --out DIR`.
struct ExportCalendar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the calendars as iCalendar files: assessment.ics, collections.ics, reporting.ics and headway-calendar.ics (all).",
        discussion: "Publish the folder on a web server and subscribe to the .ics address in Outlook, Google or Apple Calendar (docs/calendars.md).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    @Option(help: ArgumentHelp("Folder to write the .ics files into (created if missing).", valueName: "folder"))
    var out: String

    func run() async throws {
        let year = try await loadYear(global, schoolOptions)
        if CalendarCommand.isEmpty(year) {
            throw CLIError("No calendar is stored for \(year.school.id) \(year.academicYear): import one with `headway calendar import calendar.toml` first.")
        }
        let written = try CalendarCommand.writeFiles(year, to: URL(fileURLWithPath: out), stamp: Date())
        for file in written { print("  \(out)/\(file.name)  \(file.events) event(s)") }
        let errors = CalendarValidation.validate(year.calendar, collections: year.collections).filter { $0.severity == .error }.count
        if errors > 0 { Terminal.error("warning: the stored calendar has \(errors) error(s): see `headway calendar check`.") }
    }
}
