import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayImport
import HeadwayReports
import HeadwayStore

/// `headway interventions`: the intervention log (issue 6, item 3) — list with status, add one,
/// import a CSV — and `impact`, what each intervention changed (item 4).
struct InterventionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interventions",
        abstract: "The intervention log: list it with status, add to it, import it from CSV, and measure impact.",
        discussion: """
            An intervention (mentoring, tutoring, parent meeting, revision sessions …) has an id, a type, an owner \
            (staff code), pupils, optional subjects, start and end dates, sessions and cost. Every change is audited. \
            `headway interventions impact` measures the change from the last collection before each one started to \
            the first after it ended, against matched pupils not in it. See docs/intervention-impact.md.
            """,
        subcommands: [List.self, Add.self, ImportFile.self, InterventionsImpact.self],
        defaultSubcommand: List.self)

    /// `headway interventions list`: the year's interventions with their status on a day.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the year's interventions with owner, pupils, dates, cost and status (planned, running, ended).")

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv }

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @Option(help: ArgumentHelp("Status on this day (YYYY-MM-DD; default today).", valueName: "date")) var today: String?
        @Option(help: ArgumentHelp("Only this type, e.g. tutoring.", valueName: "type")) var type: String?
        @Option(help: ArgumentHelp("Only interventions including this pupil (UPN, id or 'Surname, Forename').", valueName: "pupil")) var pupil: String?
        @Option(help: "table (default) or csv.") var format: Format = .table

        func validate() throws { _ = try dayOption(today) }

        func run() async throws {
            let day = try dayOption(today)
            let year = try await loadYear(global, schoolOptions)
            var shown = year.interventions
            if let type { shown = shown.filter { $0.type.rawValue == type } }
            if let pupil {
                let id = try resolvePupil(pupil, in: year)
                shown = shown.filter { $0.pupils.contains(id) }
            }
            print(Self.render(shown, in: year, on: day, format: format), terminator: "")
        }

        /// One row per intervention: id, type, title, owner, pupils, subjects, start, end,
        /// sessions, cost (£), pupil premium, status; in the terminal a closing line with the
        /// total cost and the number of distinct pupils.
        static func render(_ interventions: [Intervention], in year: SchoolYear, on day: CalendarDate, format: Format) -> String {
            let staff = Dictionary(year.staff.map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
            let header = ["id", "type", "title", "owner", "pupils", "subjects", "starts", "ends", "sessions", "cost", "pupil premium", "status"]
            let rows = interventions.map { i in
                [i.id.rawValue, i.type.words, i.title, "\(staff[i.owner] ?? i.owner.rawValue) (\(i.owner))", String(i.pupils.count),
                 i.subjects.isEmpty ? "all" : i.subjects.map(\.rawValue).joined(separator: " "), i.starts.description,
                 i.ends?.description ?? "", i.sessions.map(String.init) ?? "", i.costPence.map(LeaderPack.money) ?? "",
                 i.fundedByPupilPremium ? "yes" : "no", i.status(on: day).rawValue]
            }
            switch format {
            case .csv:
                return CSVTable(name: "interventions", header: header, rows: rows).text(byteOrderMark: false)  // standard output
            case .table:
                guard !interventions.isEmpty else {
                    return "No interventions logged for \(year.school.name) \(year.academicYear): add one with `headway interventions add` or import a CSV.\n"
                }
                let cost = interventions.compactMap(\.costPence).reduce(0, +)
                let pupils = Set(interventions.flatMap(\.pupils)).count
                return "Interventions, \(year.school.name) \(year.academicYear), status on \(day)\n" + Terminal.table(header, rows) + "\n"
                    + "\(interventions.count) intervention(s), \(pupils) pupil(s), total cost \(LeaderPack.money(cost)).\n"
            }
        }
    }

    /// `headway interventions add`: one intervention from the command line.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log an intervention: type, owner, pupils, subjects, dates, sessions and cost; audited.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @Option(help: ArgumentHelp("Its code (default: the next free INT-NNN).", valueName: "id")) var id: String?
        @Option(help: ArgumentHelp("Type: \(InterventionType.common.map(\.rawValue).joined(separator: ", ")), or the school's own (lower_case).",
                                   valueName: "type")) var type: String
        @Option(help: ArgumentHelp("A short description.", valueName: "text")) var title: String
        @Option(help: ArgumentHelp("The owner's staff code.", valueName: "code")) var owner: String
        @Option(name: .customLong("pupil"), parsing: .upToNextOption,
                help: ArgumentHelp("Pupils by UPN, id or name ('Surname, Forename'); repeat the flag, or list several UPNs or ids.", valueName: "pupil")) var pupils: [String]
        @Option(name: .customLong("subject"), parsing: .upToNextOption,
                help: ArgumentHelp("Subject codes it targets (none: all the pupils' subjects).", valueName: "code")) var subjects: [String] = []
        @Option(help: ArgumentHelp("First day, YYYY-MM-DD.", valueName: "date")) var starts: String
        @Option(help: ArgumentHelp("Last day, YYYY-MM-DD (leave out while it has no set end).", valueName: "date")) var ends: String?
        @Option(help: "Number of sessions.") var sessions: Int?
        @Option(help: ArgumentHelp("Total cost in pounds, e.g. 480 or 1,250.50.", valueName: "pounds")) var cost: String?
        @Flag(help: "Paid for from the pupil premium.") var pupilPremium = false
        @Option(help: ArgumentHelp("Notes.", valueName: "text")) var notes: String?
        @Option(help: "Who is logging it, for the audit log.") var actor = "data manager"

        func validate() throws {
            guard InterventionType(rawValue: type) != nil else {
                throw ValidationError("'\(type)' is not a type name: use lower case and underscores, e.g. \(InterventionType.common.map(\.rawValue).prefix(4).joined(separator: ", ")).")
            }
            if pupils.isEmpty { throw ValidationError("Name at least one pupil with --pupil.") }
            guard let start = CalendarDate(parsing: starts) else { throw ValidationError("--starts '\(starts)' is not a date: write it as 2026-11-30.") }
            if let ends {
                guard let end = CalendarDate(parsing: ends) else { throw ValidationError("--ends '\(ends)' is not a date: write it as 2027-02-26.") }
                if end < start { throw ValidationError("--ends \(end) is before --starts \(start).") }
            }
            if let sessions, sessions < 0 { throw ValidationError("--sessions takes a whole number, 0 or more.") }
            if let id, !Intervention.isValidCode(id) {
                throw ValidationError("--id '\(id)' is not an intervention code: use letters, digits, '-', '_', '/' or '.', starting with a letter or digit (at most 40), e.g. INT-014.")
            }
            if let cost, InterventionsFile.pence(cost) == nil {
                throw ValidationError("--cost '\(cost)' is not an amount in pounds: write e.g. 480, 480.50 or 1,250.50.")
            }
        }

        func run() async throws {
            try await withStore(global) { store in
                let (school, academicYear) = try await selectYear(schoolOptions, in: store)
                let year = try await store.load(school: school, year: academicYear)
                guard year.staff.contains(where: { $0.id.rawValue == owner }) else {
                    throw CLIError("No member of staff with code '\(owner)' at \(year.school.name).")
                }
                let known = Set(year.subjects.map(\.id))
                for subject in subjects where !known.contains(Subject.ID(subject)) {
                    throw CLIError("No subject '\(subject)'; the school's codes are \(known.map(\.rawValue).sorted().joined(separator: ", ")).")
                }
                try requireStart(CalendarDate(parsing: starts)!, in: year, what: "--starts")
                let pupilIDs = try pupils.flatMap { try Self.pupilIDs($0, in: year) }
                let existing = try await store.interventions(school: school)
                let newID = id.map { Intervention.ID($0) } ?? Self.nextID(after: existing.map(\.id))
                if existing.contains(where: { $0.id == newID }) {
                    throw CLIError("There is already an intervention \(newID): choose another --id, or change it through `headway interventions import`.")
                }
                let intervention = Intervention(
                    id: newID, type: InterventionType(rawValue: type)!, title: title, owner: Staff.ID(owner), pupils: unique(pupilIDs),
                    subjects: unique(subjects.flatMap(InterventionsFile.listItems).map { Subject.ID($0) }), starts: CalendarDate(parsing: starts)!,
                    ends: ends.flatMap(CalendarDate.init(parsing:)), sessions: sessions, costPence: cost.flatMap(InterventionsFile.pence),
                    fundedByPupilPremium: pupilPremium, notes: notes, source: "headway interventions add")
                let summary = try await store.save([intervention], school: school,
                                                   context: ChangeContext(actor: actor, source: "user", reason: "intervention logged", at: Date()))
                print("Logged \(newID): \(intervention.type.words), \(intervention.pupils.count) pupil(s), from \(intervention.starts); "
                      + "\(summary.auditRows) audit row(s) written.")
            }
        }

        /// One `--pupil` value: a pupil by UPN, id or name ("Surname, Forename" holds a comma and
        /// a space, so the whole value is tried first), else a list of UPNs or ids.
        static func pupilIDs(_ value: String, in year: SchoolYear) throws -> [Pupil.ID] {
            if let pupil = try pupilIfAny(value, in: year.pupils) { return [pupil.id] }
            return try InterventionsFile.listItems(value).map { try resolvePupil($0, in: year) }
        }

        /// `INT-NNN` one above the highest such code in use (`INT-001` when there is none).
        static func nextID(after ids: [Intervention.ID]) -> Intervention.ID {
            let highest = ids.compactMap { id -> Int? in
                guard id.rawValue.hasPrefix("INT-") else { return nil }
                return Int(id.rawValue.dropFirst(4))
            }.max() ?? 0
            return Intervention.ID("INT-" + String(format: "%03d", highest + 1))
        }
    }

    /// `headway interventions import FILE.csv`: the log from a spreadsheet.
    struct ImportFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import interventions from a CSV (id, type, title, owner, pupils, subjects, start, end, sessions, cost, pupil_premium, notes).",
            discussion: """
                One row per intervention (pupils separated by spaces or ;), or one row per pupil with the same id \
                repeated. Pupils are given by UPN or the school's pupil id and must be on roll this year; owners are \
                staff codes; subjects are the school's codes. Every bad row is listed with file, line, column, value \
                and reason; if any has an error nothing is imported unless --accept-valid. Re-importing changes \
                nothing; a blank cell keeps the stored value; pupils and subjects are added to those stored unless --replace; an intervention absent from the file is kept. See docs/intervention-log.md.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @OptionGroup var options: ImportOptions
        @Flag(help: "Replace each intervention's pupils and subjects with the file's (default: add the file's to those stored).")
        var replace = false
        @Argument(help: ArgumentHelp("The interventions CSV.", valueName: "file")) var file: String

        func validate() throws { try requireFiles([file]) }

        func run() async throws {
            let url = URL(fileURLWithPath: file)
            try await withStore(global) { store in
                let (school, academicYear) = try await selectYear(schoolOptions, in: store)
                let year = try await store.load(school: school, year: academicYear)
                let read = InterventionsFile().read(contentsOf: url)
                if read.rowsRead == 0 && !read.hasErrors {
                    throw CLIError("Nothing imported: \(file) has no data rows, only a header (or nothing).")
                }
                let (resolved, problems) = Self.resolve(read, in: year, file: url.lastPathComponent)
                let interventions = resolved.map { read in Self.merge(read, into: year.interventions.first { $0.id == read.id }, replace: replace) }
                let errors = read.errors.count + problems.count
                print("\(file): \(read.interventions.count) intervention(s) read; \(errors) error(s), \(read.warnings.count) warning(s).")
                let issues = read.errors + problems + read.warnings
                if !issues.isEmpty {
                    print("\nIssues\n" + ImportIssue.listing(issues, limit: options.showIssues).joined(separator: "\n"))
                }
                if errors > 0 && !options.acceptValid {
                    throw CLIError("Nothing imported: \(errors) error(s), listed above. Correct the file, or run again with --accept-valid to import the \(interventions.count) valid intervention(s).")
                }
                let context = ChangeContext(actor: options.actor, source: url.lastPathComponent, reason: "interventions import", at: Date())
                let summary = try await store.save(interventions, school: school, context: context, dryRun: options.dryRun)
                print((options.dryRun ? "\nDry run — nothing saved. Would save:\n" : "\nSaved:\n")
                      + Terminal.table(["records", "new", "changed", "unchanged"],
                                       [["interventions", String(summary.new), String(summary.changed), String(summary.unchanged)]]))
                print("\(summary.auditRows) audit row(s) \(options.dryRun ? "would be " : "")written.")
                if !summary.changes.isEmpty { print("Changes:\n" + summary.changes.map { "  \($0)" }.joined(separator: "\n")) }
                if errors > 0 { throw CLIError("\(errors) error(s) were left out (listed above).") }
            }
        }

        /// Replaces each pupil reference (UPN or id, as written) by the stored pupil's id and checks
        /// owners and subjects against the year. An intervention with any unknown reference is left
        /// out whole, with one issue per reference naming the file, the intervention's first line,
        /// the column and the value.
        static func resolve(_ read: InterventionsFile.Result, in year: SchoolYear, file: String) -> ([Intervention], [ImportIssue]) {
            let staff = Set(year.staff.map(\.id)), subjects = Set(year.subjects.map(\.id))
            var kept: [Intervention] = [], problems: [ImportIssue] = []
            for var intervention in read.interventions {
                var bad: [ImportIssue] = []
                func issue(_ code: ImportIssue.Code, _ column: String, _ value: String, _ reason: String) {
                    bad.append(ImportIssue(code, file: file, line: read.lines[intervention.id]?.first, column: column, value: value,
                                           reason: "intervention \(intervention.id): \(reason)"))
                }
                if !staff.contains(intervention.owner) {
                    issue(.unknownStaff, "owner", intervention.owner.rawValue, "not a staff code of \(year.school.name): import the staff list first")
                }
                for s in intervention.subjects where !subjects.contains(s) {
                    issue(.unknownSubject, "subjects", s.rawValue, "not one of the school's subject codes (\(subjects.map(\.rawValue).sorted().joined(separator: ", ")))")
                }
                var pupils: [Pupil.ID] = []
                for reference in intervention.pupils {
                    if let id = try? resolvePupil(reference.rawValue, in: year) { pupils.append(id) } else {
                        issue(.unknownPupil, "pupils", reference.rawValue,
                              "no pupil with this UPN or id on roll in \(year.academicYear): give a UPN or the school's pupil id (leading zeros count)")
                    }
                }
                if AcademicYear(containing: intervention.starts) != year.academicYear {
                    issue(.invalidDate, "start", intervention.starts.description,
                          "falls in \(AcademicYear(containing: intervention.starts)), not \(year.academicYear), the year being imported into "
                            + "(pupils are checked against its roll): import it with --year \(AcademicYear(containing: intervention.starts))")
                }
                guard bad.isEmpty else { problems += bad; continue }
                intervention.pupils = unique(pupils)
                kept.append(intervention)
            }
            return (kept, problems)
        }
    }
}

extension InterventionsCommand.ImportFile {
    /// What an imported intervention becomes when one with its code is stored (the importer rules:
    /// a value absent from a file never erases a stored one). A blank end, sessions, cost or notes,
    /// and an empty title, keep the stored value; pupils and subjects are the stored ones followed
    /// by the file's new ones, unless `replace`, when the file's lists replace them.
    static func merge(_ read: Intervention, into stored: Intervention?, replace: Bool) -> Intervention {
        guard let stored else { return read }
        var merged = read
        if merged.title.isEmpty { merged.title = stored.title }
        merged.ends = read.ends ?? stored.ends
        merged.sessions = read.sessions ?? stored.sessions
        merged.costPence = read.costPence ?? stored.costPence
        merged.notes = read.notes ?? stored.notes
        if !replace {
            merged.pupils = unique(stored.pupils + read.pupils)
            merged.subjects = unique(stored.subjects + read.subjects)
        }
        return merged
    }
}

/// Refuses a start date outside the academic year being worked on: an intervention is filed under
/// the year its start falls in, and its pupils are checked against that year's roll.
/// - Throws: ``CLIError`` naming the date, its year and what to do.
func requireStart(_ start: CalendarDate, in year: SchoolYear, what: String) throws {
    let filed = AcademicYear(containing: start)
    guard filed != year.academicYear else { return }
    throw CLIError("\(what) \(start) falls in \(filed), not \(year.academicYear): an intervention belongs to the academic year it starts in, "
                   + "and its pupils are checked against that year's roll. Use --year \(filed) (the year must be stored), or correct the date.")
}

/// The stored pupil a UPN or pupil id names in `year`.
/// - Throws: ``CLIError`` naming the reference when no pupil on roll matches.
func resolvePupil(_ reference: String, in year: SchoolYear) throws -> Pupil.ID {
    try findPupil(reference, in: year).id
}

/// The pupil a user named by UPN, pupil id (admission number) or name (``PupilLookup``), or an
/// error (exit 1) saying nobody matched, or listing the candidates when a name is ambiguous.
func findPupil(_ reference: String, in year: SchoolYear) throws -> Pupil {
    if let pupil = try pupilIfAny(reference, in: year.pupils) { return pupil }
    throw CLIError("No pupil with UPN, id or name '\(reference.trimmingCharacters(in: .whitespaces).withVisibleControlCharacters)' "
                   + "on roll at \(year.school.name) in \(year.academicYear). A name is written 'Surname, Forename' or 'Forename Surname'.")
}

/// The pupil `reference` names among `pupils` (``PupilLookup``), nil when nobody matches.
/// - Throws: the error listing the candidates (exit 1) when a name is ambiguous.
func pupilIfAny(_ reference: String, in pupils: [Pupil]) throws -> Pupil? {
    switch PupilLookup.find(reference, in: pupils) {
    case .found(let pupil): return pupil
    case .ambiguous(let candidates): throw ambiguousPupil(reference, candidates)
    case .notFound: return nil
    }
}

/// The error for a name several pupils share: each candidate on a line, to choose by UPN or id.
func ambiguousPupil(_ reference: String, _ candidates: [Pupil]) -> CLIError {
    CLIError("\(candidates.count) pupils match '\(reference.trimmingCharacters(in: .whitespaces).withVisibleControlCharacters)'; "
             + "give one's UPN or id:\n" + candidates.map { "  " + PupilLookup.candidateLine($0) }.joined(separator: "\n"))
}

/// A day given on the command line, or today (the CLI reads the clock; nothing below it does).
func dayOption(_ text: String?) throws -> CalendarDate {
    guard let text else { return MarkbookCommand.today() }
    guard let day = CalendarDate(parsing: text) else { throw ValidationError("'\(text)' is not a date: write it as 2026-11-30.") }
    return day
}

/// The elements in first-seen order, each once.
func unique<T: Hashable>(_ items: [T]) -> [T] {
    var seen = Set<T>()
    return items.filter { seen.insert($0).inserted }
}
