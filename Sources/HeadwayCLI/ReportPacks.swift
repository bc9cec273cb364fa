import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports

// `headway report meeting-sheets | department | year-group | governors` (issue 7, items 2 and 3):
// parent–carer meeting sheets for each teacher, and the packs for heads of department, heads of
// year and governors. Each loads the year, evaluates progress once, builds pure models
// (HeadwayReports) and writes self-contained HTML files.

extension Report {
    /// `headway report meeting-sheets`: one HTML file per teacher, a page per class.
    struct MeetingSheetsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "meeting-sheets",
            abstract: "Write parent–carer meeting sheets: one HTML file per teacher, a printed page per class with each pupil's key data.",
            discussion: """
                The sheets show a collection's data (--collection DC2, default the latest with grades entered). With --event \
                (a parents' meeting of the calendar, e.g. PM-Y10) only classes of the meeting's year groups are included, the \
                meeting names the sheets, and its collection is used. Files: OUT/meeting-sheets-<staff code>.html, one per \
                teacher with at least one class included.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @OptionGroup var templateOptions: TemplateOptions

        @Option(help: ArgumentHelp("The collection whose data the sheets show, e.g. DC2 (default: the event's, else the latest with grades).",
                                   valueName: "code"))
        var collection: String?

        @Option(help: ArgumentHelp("Only this teacher's sheets (staff code).", valueName: "code"))
        var teacher: String?

        @Option(help: ArgumentHelp("A parents' meeting of the calendar, e.g. PM-Y10: its year groups, name and date.", valueName: "id"))
        var event: String?

        @Option(help: ArgumentHelp("Folder to write the sheets into (created if missing).", valueName: "folder"))
        var out = "headway-meeting-sheets"

        func validate() throws {
            for (flag, value) in [("--teacher", teacher), ("--event", event), ("--collection", collection)] {
                if let value, value.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("\(flag) is empty: give a code.") }
            }
        }

        func run() async throws {
            let start = ContinuousClock.now
            let template = try templateOptions.load().text("meeting-sheets")
            let year = try await loadYear(global, schoolOptions)
            var meeting: ReportingEvent?
            if let event {
                guard let found = year.calendar.reportingEvents.first(where: { $0.id.rawValue == event }) else {
                    let meetings = year.calendar.reportingEvents.filter { $0.kind == .parentsMeeting }.map(\.id.rawValue)
                    throw CLIError("No reporting event '\(event)' in the calendar of \(year.school.name) \(year.academicYear); its parents' meetings are "
                                   + (meetings.isEmpty ? "none (import a calendar with `headway calendar import`)" : meetings.joined(separator: ", ")) + ".")
                }
                guard found.kind == .parentsMeeting else {
                    throw ValidationError("\(event) is a report to parents, not a parents' meeting: give a parents' meeting (kind parents_meeting) to --event.")
                }
                if let collection, collection != found.collection.rawValue {
                    throw ValidationError("--collection \(collection) is not the collection of \(event) (\(found.collection)): leave out --collection, or give \(found.collection).")
                }
                meeting = found
            }
            let chosen = try PackSupport.collection(collection ?? meeting?.collection.rawValue, in: year)
            if let teacher, !year.staff.contains(where: { $0.id.rawValue == teacher }) {
                throw CLIError("No member of staff '\(teacher)' in \(year.school.name) \(year.academicYear): give a staff code, e.g. "
                               + year.staff.prefix(5).map(\.id.rawValue).joined(separator: ", ") + ".")
            }
            let index = YearIndex(year)
            let models = MeetingSheets.models(index, evaluation: ProgressStatus.evaluate(index), collection: chosen,
                                              yearGroups: meeting.map { Set($0.yearGroups) }, teacher: teacher.map { Staff.ID($0) },
                                              event: meeting, generated: nowText())
            if models.isEmpty {
                let scope = meeting.map { " in " + $0.yearGroups.map { "Y\($0)" }.joined(separator: ", ") } ?? ""
                throw CLIError(teacher.map { "\($0) teaches no class\(scope): no sheets to write." } ?? "No teacher has a class\(scope): no sheets to write.")
            }
            let folder = try PackSupport.folder(out)
            let progress = Terminal.Progress("Writing meeting sheets")
            for (i, model) in models.enumerated() {
                progress.update(Double(i) / Double(models.count))
                let html = try PackSupport.render("meeting-sheets") { try MeetingSheets.render(model, template: template) }
                try PackSupport.save(html, to: folder.appendingPathComponent("meeting-sheets-\(ParentReport.fileSafe(model.teacherCode)).html"))
            }
            progress.finish("\(models.count) teachers")
            let classes = models.reduce(0) { $0 + $1.classes.count }
            print("Wrote \(models.count) meeting-sheet files (\(classes) class pages) to \(out)/ for \(meeting?.name ?? chosen.name) "
                  + "(collection \(chosen.id)) in \(Terminal.seconds(since: start)).")
        }
    }

    /// `headway report department`: one department pack per subject.
    struct DepartmentCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "department",
            abstract: "Write department packs: per subject, grade distributions, residuals by class and teacher, gaps, transition matrices.",
            discussion: "Files: OUT/department-<subject code>.html, one per subject (or only --subject's).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @OptionGroup var templateOptions: TemplateOptions

        @Option(help: ArgumentHelp("Only this subject (its code, e.g. MA).", valueName: "code"))
        var subject: String?

        @Option(help: ArgumentHelp("The collection shown, e.g. DC3 (default: the latest with grades entered).", valueName: "code"))
        var collection: String?

        @Option(help: ArgumentHelp("Folder to write the packs into (created if missing).", valueName: "folder"))
        var out = "headway-packs"

        func validate() throws {
            if let subject, subject.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--subject is empty: give a subject code, e.g. MA.") }
        }

        func run() async throws {
            let start = ContinuousClock.now
            let template = try templateOptions.load().text("department-pack")
            let year = try await loadYear(global, schoolOptions)
            let chosen = try PackSupport.collection(collection, in: year)
            let subjects = year.subjects.map(\.id).sorted()
            if let subject, !subjects.contains(Subject.ID(subject)) {
                throw CLIError("No subject '\(subject)' in \(year.school.name) \(year.academicYear); its subjects are \(subjects.map(\.rawValue).joined(separator: ", ")).")
            }
            let index = YearIndex(year)
            let evaluation = ProgressStatus.evaluate(index)
            let folder = try PackSupport.folder(out)
            let chosenSubjects = subject.map { [Subject.ID($0)] } ?? subjects
            let progress = Terminal.Progress("Writing department packs")
            for (i, id) in chosenSubjects.enumerated() {
                progress.update(Double(i) / Double(chosenSubjects.count))
                let model = LeaderPack.Department.model(index, evaluation: evaluation, subject: id, collection: chosen, generated: nowText())
                let html = try PackSupport.render("department-pack") { try LeaderPack.Department.render(model, template: template) }
                try PackSupport.save(html, to: folder.appendingPathComponent("department-\(ParentReport.fileSafe(id.rawValue)).html"))
            }
            progress.finish("\(chosenSubjects.count) subjects")
            print("Wrote \(chosenSubjects.count) department pack(s) to \(out)/ for \(chosen.name) in \(Terminal.seconds(since: start)).")
        }
    }

    /// `headway report year-group`: one year-group pack per year group.
    struct YearGroupCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "year-group",
            abstract: "Write year-group packs: progress, action lists with reasons, interventions and their impact, attitude to learning.",
            discussion: "Files: OUT/year-group-<n>.html, one per year group on roll that the collection covers (or only --year-group's).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @OptionGroup var templateOptions: TemplateOptions

        @Option(help: ArgumentHelp("Only this year group.", valueName: "n"))
        var yearGroup: Int?

        @Option(help: ArgumentHelp("The collection shown, e.g. DC3 (default: the latest with grades entered).", valueName: "code"))
        var collection: String?

        @Option(help: ArgumentHelp("The action-list rules file (TOML; default: the documented defaults).", valueName: "file"))
        var rules: String?

        @Option(help: ArgumentHelp("Folder to write the packs into (created if missing).", valueName: "folder"))
        var out = "headway-packs"

        func validate() throws {
            if let yearGroup, !(7...13).contains(yearGroup) {
                throw ValidationError("--year-group \(yearGroup) is not a secondary year group: give 7 to 13.")
            }
            if let rules { try requireFiles([rules]) }
        }

        func run() async throws {
            let start = ContinuousClock.now
            let template = try templateOptions.load().text("year-group-pack")
            let year = try await loadYear(global, schoolOptions)
            let chosen = try PackSupport.collection(collection, in: year)
            let settings = try ListsCommand.rules(rules, scales: year.scales)
            let onRoll = Set(year.pupils.map(\.yearGroup))
            let covered = onRoll.filter { chosen.yearGroups.isEmpty || chosen.yearGroups.contains($0) }.sorted()
            if let yearGroup, !covered.contains(yearGroup) {
                throw CLIError(onRoll.contains(yearGroup)
                               ? "\(chosen.id) does not cover Year \(yearGroup); it covers \(covered.map { "Y\($0)" }.joined(separator: ", "))."
                               : "No pupil on roll in Year \(yearGroup); the year groups are \(onRoll.sorted().map { "Y\($0)" }.joined(separator: ", ")).")
            }
            let index = YearIndex(year)
            let evaluation = ProgressStatus.evaluate(index)
            let impact = InterventionImpact.Context(index)
            let folder = try PackSupport.folder(out)
            let chosenYears = yearGroup.map { [$0] } ?? covered
            let progress = Terminal.Progress("Writing year-group packs")
            for (i, y) in chosenYears.enumerated() {
                progress.update(Double(i) / Double(chosenYears.count))
                let model = LeaderPack.YearGroup.model(index, evaluation: evaluation, yearGroup: y, collection: chosen, rules: settings,
                                                       impact: impact, generated: nowText())
                let html = try PackSupport.render("year-group-pack") { try LeaderPack.YearGroup.render(model, template: template) }
                try PackSupport.save(html, to: folder.appendingPathComponent("year-group-\(y).html"))
            }
            progress.finish("\(chosenYears.count) year groups")
            print("Wrote \(chosenYears.count) year-group pack(s) to \(out)/ for \(chosen.name) in \(Terminal.seconds(since: start)).")
        }
    }

    /// `headway report governors`: the governors' summary, aggregates only.
    struct GovernorsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "governors",
            abstract: "Write the governors' summary: aggregates only, every group of fewer than 5 pupils suppressed.",
            discussion: "Files: OUT/governors-summary.html and OUT/csv/governors-*.csv (the same tables, suppressed cells included as words).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @OptionGroup var templateOptions: TemplateOptions

        @Option(help: ArgumentHelp("The collection shown, e.g. DC3 (default: the latest with grades entered).", valueName: "code"))
        var collection: String?

        @Option(help: ArgumentHelp("Folder to write the summary into (created if missing).", valueName: "folder"))
        var out = "headway-governors"

        func run() async throws {
            let start = ContinuousClock.now
            let template = try templateOptions.load().text("governors-summary")
            let year = try await loadYear(global, schoolOptions)
            let chosen = try PackSupport.collection(collection, in: year)
            let index = YearIndex(year)
            let model = LeaderPack.Governors.model(index, evaluation: ProgressStatus.evaluate(index), collection: chosen, generated: nowText())
            let files = try PackSupport.render("governors-summary") { try LeaderPack.Governors.render(model, template: template) }
            let folder = try PackSupport.folder(out)
            for file in files {
                let url = folder.appendingPathComponent(file.name)
                try PackSupport.folder(url.deletingLastPathComponent().path)
                try PackSupport.save(file.contents, to: url)
            }
            print("Wrote the governors' summary (\(files.count) files) to \(out)/ for \(chosen.name) in \(Terminal.seconds(since: start)) — open \(out)/governors-summary.html")
        }
    }
}

/// What the pack commands share: choosing the collection, naming and writing files.
enum PackSupport {
    /// The collection `code`, or when nil the latest (in sequence) with at least one working-at
    /// grade entered, else the year's last.
    /// - Throws: `ValidationError` (misuse, exit 2) naming the year's collections when `code` is not
    ///   one of them; ``CLIError`` when the year has none.
    static func collection(_ code: String?, in year: SchoolYear) throws -> DataCollection {
        if let code { return try requireCollection(code, in: year) }
        var graded = Set<DataCollection.ID>()
        for a in year.assessments { if case .grade? = a.workingAt { graded.insert(a.collection) } }
        guard let latest = year.collections.last(where: { graded.contains($0.id) }) ?? year.collections.last else {
            throw CLIError("\(year.school.name) \(year.academicYear) has no data collection yet: import a calendar or grades first.")
        }
        return latest
    }

    /// Creates the folder (and parents) if missing.
    @discardableResult
    static func folder(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("--out \(path) is a file: give a folder for the reports.")
        }
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw CLIError("cannot create the folder \(path): \(error.localizedDescription)")
        }
        return url
    }

    /// Writes text as UTF-8, atomically.
    static func save(_ text: String, to file: URL) throws {
        do { try Data(text.utf8).write(to: file, options: .atomic) } catch {
            throw CLIError("cannot write \(file.path): \(error.localizedDescription)")
        }
    }

    /// Runs a render, turning a template failure into a ``CLIError`` that names the template.
    static func render<T>(_ template: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as CLIError { throw error } catch {
            throw CLIError("the \(template) template could not be rendered: \(error)")
        }
    }
}
