import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports
import HeadwayStore
import HeadwaySynthetic

/// `headway demo`: the whole cycle on a synthetic school, end to end.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a synthetic secondary school and run the whole cycle: store, check, analyse, report.",
        discussion: """
            The demo school (about 1,100 fictional pupils in Years 7–11, three data collections) is \
            generated from a seed, so every run with the same seed gives the same data. Faults are \
            planted on purpose — two teachers with missing entries, a few off-scale values, a class \
            whose grades were copied forward — so the integrity report has something true to find. \
            By default everything goes into a fresh folder (./headway-demo: headway.sqlite, \
            report/ and calendar/, the .ics files); with --database the demo school is added to that database instead.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Random seed; the same seed always gives the same school.")
    var seed: UInt64 = 2026

    @Option(help: ArgumentHelp("Folder for the demo database and report (replaced on each run).", valueName: "folder"))
    var out = "headway-demo"

    func run() async throws {
        let started = ContinuousClock.now
        let folder = URL(fileURLWithPath: out)
        let configuration = try Configuration.resolve(global)
        let location: DatabaseLocation
        if configuration.databaseChosen {
            location = configuration.database
        } else {
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            location = .sqlite(path: folder.appendingPathComponent("headway.sqlite").path)
        }

        var step = Terminal.Progress("Generating the demo school")
        var clock = ContinuousClock.now
        let demo = DemoSchool.generate(DemoSchool.Options(seed: seed), progress: step.update)
        step.finish("\(demo.year.pupils.count) pupils, \(demo.year.assessments.count) entries in \(Terminal.seconds(since: clock))")

        step = Terminal.Progress("Saving to \(location.shortName)")
        clock = ContinuousClock.now
        let (loaded, context) = try await withStore(global, location: location, create: true) { store in
            if try await store.schools().contains(where: { $0.id == demo.year.school.id }) {
                throw CLIError("\(location) already holds the demo school (\(demo.year.school.id)): use a new database, or leave out --database.")
            }
            step.update(0.1)
            let summary = try await store.save(demo.year, context: ChangeContext(actor: "headway demo", source: "synthetic (seed \(seed))", at: Date()))
            step.finish("\(summary.assessments.new) entries, \(summary.auditRows) audit rows in \(Terminal.seconds(since: clock))")
            let synthetic = ChangeContext(actor: "headway demo", source: "synthetic (seed \(seed))", at: Date())
            try await store.save(demo.year.calendar, collections: demo.year.collections, school: demo.year.school, context: synthetic)
            // Issue 6: who answers for each year group, and the year's intervention log.
            try await store.save(demo.responsibilities, school: demo.year.school.id, context: synthetic)
            try await store.save(demo.interventions, school: demo.year.school.id, context: synthetic)
            // Everything after this reads back from the store, as a real school's run would.
            let year = try await store.load(school: demo.year.school.id, year: demo.year.academicYear)
            // National context (issue 4, item 5): the DfE KS4 tables shipped inside the program
            // (issue 12, item 2: found from any folder).
            let contextStep = Terminal.Progress("Importing DfE KS4 tables"), contextClock = ContinuousClock.now
            let shipped = ImportDfEPerformance.shippedFolder
            var imported: [(file: String, summary: PublishedKS4SaveSummary)] = []
            if let shipped { imported = try await ImportDfEPerformance.importFolder(shipped, into: store, actor: "headway demo") }
            contextStep.finish(imported.isEmpty ? "none: the DfE tables shipped with Headway (\(ImportDfEPerformance.defaultFolder)) are missing — reinstall it with its resources"
                               : imported.map { "\($0.file): \($0.summary.rows.new) new, \($0.summary.rows.unchanged) unchanged rows" }.joined(separator: "; ")
                                 + " in \(Terminal.seconds(since: contextClock))")
            return (year, try await HeadlineReport.NationalContext.load(from: store, pupils: year.pupils, localAuthority: nil))
        }

        step = Terminal.Progress("Checking and analysing")
        clock = ContinuousClock.now
        let analysis = await SchoolAnalysis.compute(loaded)
        let findings = analysis.findings
        let summary = Analyse.describe(analysis.index, characteristics: [], perSubject: false, analysis: analysis.progress)
        step.finish("done in \(Terminal.seconds(since: clock))")

        step = Terminal.Progress("Writing the report")
        clock = ContinuousClock.now
        let reportFolder = folder.appendingPathComponent("report")
        let written = try Report.write(analysis, to: reportFolder, context: context)
        step.finish("\(written) files in \(Terminal.seconds(since: clock))")
        let calendarFolder = folder.appendingPathComponent("calendar")
        let calendarFiles = try CalendarCommand.writeFiles(loaded, to: calendarFolder, stamp: Date())
        // Issue 6: the action lists after every collection, as mail-merge CSV.
        let listsFolder = folder.appendingPathComponent("lists")
        let lists = ActionLists.compute(analysis.index, evaluation: analysis.progress.evaluation)
        _ = try ListsCommand.write(lists, school: loaded.school, to: listsFolder)

        print(summary)
        print(Check.describe(findings, limit: 12))
        print(Demo.impactLines(loaded, index: analysis.index))
        if let line = context?.line(beside: analysis.progress.forecasts) { print("\n" + line) }
        print("""

            Planted on purpose: missing entries for \(demo.planted.missingEntryTeachers.map(\.rawValue).joined(separator: " and ")), \
            \(demo.planted.offScaleValues.count) off-scale values, class \(demo.planted.copiedCollection?.teachingGroup.rawValue ?? "–") copied forward, \
            \(demo.planted.swings.count) swings.
            Database: \(location)
            Report:   \(reportFolder.path)/index.html (tables as CSV in \(reportFolder.path)/csv/)
            Calendar: \(calendarFolder.path)/ (\(calendarFiles.map(\.name).joined(separator: ", ")); \(calendarFiles.last?.events ?? 0) events)
            Lists:    \(listsFolder.path)/ (\(lists.count) action lists as mail-merge CSV: \(Demo.listsLine(lists, planted: demo.planted)))
            Next:     headway report parents --database \(location.shortPath) --collection DC3 --out parents   (reports to parents and carers)
                      headway report department|year-group|governors|meeting-sheets --database \(location.shortPath)
            Demo finished in \(Terminal.seconds(since: started)).
            """)
    }
}

extension Demo {
    /// One line per logged intervention: its measured impact on the residual to target, or why
    /// there is none. No effect is planted in the synthetic data, so intervals should span zero.
    static func impactLines(_ year: SchoolYear, index: YearIndex) -> String {
        let asOf = Self.asOf(year)
        let context = InterventionImpact.Context(index, settings: .init(asOf: asOf))
        let rows = year.interventions.map { intervention -> [String] in
            let e = context.measure(intervention).overall
            return [intervention.id.rawValue, intervention.type.words, String(intervention.pupils.count),
                    InterventionsImpact.number(e.effect), InterventionsImpact.interval(e.interval), InterventionsImpact.shortVerdict(e.verdict)]
        }
        let day = asOf.map { " as on \($0), the demo year's last collection" } ?? ""
        return "\nIntervention impact\(day) (residual to target; matched difference in differences, 95% CI clustered by pupil; the demo plants no effect)\n"
            + Terminal.table(["intervention", "type", "pupils", "effect", "95% CI", "verdict"], rows)
            + "\n  Details: headway interventions impact --database …\(asOf.map { " --today \($0)" } ?? ""); pupil premium: --pupil-premium"
    }

    /// The day the demo's year is looked at for interventions: the last day any collection is due
    /// (its publish date, else lock, else deadline). The synthetic year holds every collection's
    /// grades already, so "today" would call them all not yet measurable (issue 12, item 9).
    static func asOf(_ year: SchoolYear) -> CalendarDate? {
        year.collections.compactMap { $0.publishes ?? $0.locks ?? $0.deadline }.max()
    }

    /// Where the planted struggling pupils are found: how many are on the falling list of the last
    /// collection, and how many pupils are on each rule's lists at that collection.
    static func listsLine(_ lists: [ActionList], planted: PlantedFaults) -> String {
        guard let last = lists.last?.collection.id else { return "none" }
        let latest = lists.filter { $0.collection.id == last }
        let falling = Set(latest.filter { $0.rule == .falling }.flatMap { $0.entries.map(\.pupil.id) })
        let found = planted.strugglingPupils.filter { falling.contains($0.pupil) }.count
        let counts = ActionRules.Rule.allCases.map { rule in
            "\(latest.filter { $0.rule == rule }.reduce(0) { $0 + $1.entries.count }) \(rule)"
        }
        return "at \(last) " + counts.joined(separator: ", ")
            + "; \(found) of the \(planted.strugglingPupils.count) planted struggling pupils on the falling list"
    }
}

extension DatabaseLocation {
    /// What to pass as `--database` to reach this database again: the path for SQLite, the URL
    /// `postgres://…` (the same URL, not repeated so its password is not printed) for PostgreSQL.
    var shortPath: String {
        switch self {
        case .sqlite(let path):
            let here = FileManager.default.currentDirectoryPath + "/"
            return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
        case .postgres:
            return "postgres://…"
        }
    }

    /// The file name or the host part, for progress lines.
    var shortName: String {
        switch self {
        case .sqlite(let path): URL(fileURLWithPath: path).lastPathComponent
        case .postgres: "PostgreSQL"
        }
    }
}
