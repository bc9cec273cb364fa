import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayImport
import HeadwayStore

/// `headway import ctf FILE.xml…`: reads DfE Common Transfer Files — pupils, FSM and SEN history,
/// KS2 reading and maths scaled scores — and saves them (issue 4, item 1). The reading is
/// ``CTFFile``'s; this command chooses the school and year, applies the "errors import nothing"
/// rule and saves through ``saveImported(_:global:context:dryRun:)``.
struct ImportCTF: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctf",
        abstract: "Import Common Transfer Files (CTF XML): pupils, FSM and SEN history, and KS2 reading and maths scaled scores.",
        discussion: """
            Reads CTF 19.0 onward (Sex or the older Gender). KS2 results are recognised through an editable table of \
            CTF codes (Headway's own table by default: every form of the DfE's KS2 reading, maths, GPS and writing codes it \
            knows; its sources and how to check it against your MIS are in the table). KS2 results the table does not \
            recognise are listed with a count, never dropped silently, and are an error when they would leave a pupil's \
            KS2 reading or maths empty. See docs/ctf-import.md.

            School: --school, else the only school in the database, else the file's DestSchool URN. Academic year: \
            --year, else the school's latest stored year, else the year after the SourceSchool AcademicYear (a July \
            2025 CTF from a primary school, academic year 2024/25, is imported into 2025/26).

            If any pupil record has an error, nothing is imported unless --accept-valid is given; a malformed file, or one \
            older than CTF 19.0, contributes nothing either way. Re-importing a file changes nothing, and a value absent \
            from the file (a KS2 score, FSM history) never erases a stored one.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: ImportOptions

    @Option(help: ArgumentHelp("Year group of the pupils new to the school this year (default 7: a primary school's CTF is the Year 7 intake). "
                               + "Pupils already on roll keep their year group unless this is given.", valueName: "7-13"))
    var yearGroup: Int?

    @Option(help: ArgumentHelp("School id (default: the only school in the database, else the CTF's DestSchool URN).", valueName: "id"))
    var school: String?

    @Option(help: ArgumentHelp("Academic year, e.g. 2026/27 (default: the school's latest stored year, else the year after the CTF's SourceSchool AcademicYear).",
                               valueName: "year"))
    var year: String?

    @Option(help: ArgumentHelp("The table of KS2 CTF codes (TOML). Default: the table built into Headway (\(KS2CodeTable.defaultPath) in its sources; "
                               + "--print-default-codes prints it).", valueName: "file"))
    var ks2Codes: String?

    @Flag(help: "Print the KS2 code table built into Headway (TOML), to save and edit a copy for --ks2-codes, and exit.")
    var printDefaultCodes = false

    @Argument(help: ArgumentHelp("CTF files to import.", valueName: "file.xml"))
    var files: [String] = []

    func validate() throws {
        if printDefaultCodes { return }
        if files.isEmpty { throw ValidationError("Give at least one CTF file (.xml) to import.") }
        try requireFiles(files)
        if let yearGroup, !(7...13).contains(yearGroup) { throw ValidationError("--year-group \(yearGroup): a year group is 7 to 13.") }
        if let year, AcademicYear(parsing: year) == nil {
            throw ValidationError("'\(year)' is not an academic year: write it as 2026/27.")
        }
    }

    func run() async throws {
        if printDefaultCodes {
            do {
                print(try KS2CodeTable.shippedText(), terminator: "")
            } catch {
                throw CLIError(error.description)
            }
            return
        }
        let codes = try loadCodes()
        let progress = Terminal.Progress("Reading \(files.count) CTF file(s)")
        let start = ContinuousClock.now
        let reader = CTFFile(codes: codes.table, yearGroup: yearGroup ?? 7)
        let results = files.map { reader.read(contentsOf: URL(fileURLWithPath: $0)) }
        var (pupils, issues) = CTFFile.combine(results)
        var counts = CTFFile.Counts()
        for result in results { counts.add(result.counts) }
        progress.finish("\(counts.pupilsRead) pupil record(s) in \(Terminal.seconds(since: start))")
        print(Self.describe(results, counts: counts, issues: issues, codesFile: codes.path, showIssues: options.showIssues))

        let errors = issues.filter(\.isError)
        if !errors.isEmpty && !options.acceptValid {
            if pupils.isEmpty {
                throw CLIError("Nothing imported: \(errors.count) error(s), listed above, and no valid pupil record to import.")
            }
            throw CLIError("""
                Nothing imported: \(errors.count) error(s) (listed above). Correct the file(s), or run again with --accept-valid \
                to import the \(pupils.count) valid pupil record(s) and leave the rest out.
                """)
        }
        if pupils.isEmpty {
            if !errors.isEmpty { throw CLIError("Nothing imported: no valid pupil record (the errors are listed above).") }
            print("No pupil records to import.")
            return
        }

        let (school, academicYear) = try await target(headers: results.compactMap { $0.refused ? nil : $0.header })
        print("Into \(school.name) (\(school.id)), \(academicYear), new pupils in Year \(yearGroup ?? 7).")
        // A pupil already on roll this year (matched by UPN) keeps their year group: year group 0
        // is "not in the file" to the store, which never overwrites with it.
        if yearGroup == nil, try databaseExists(global) {
            let onRoll = try await withStore(global) { store in
                try await store.academicYears(of: school.id).contains(academicYear)
                    ? Set(try await store.load(school: school.id, year: academicYear).pupils.compactMap(\.upn)) : []
            }
            for i in pupils.indices where pupils[i].upn.map(onRoll.contains) ?? false { pupils[i].yearGroup = 0 }
        }
        let context = ChangeContext(actor: options.actor, source: files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "),
                                    reason: "CTF import", at: Date())
        var year = SchoolYear(school: school, academicYear: academicYear, pupils: pupils)
        for result in results {
            for (id, line) in result.lines { year.sources.pupils[id] = "\(URL(fileURLWithPath: result.file).lastPathComponent):\(line)" }
        }
        let summary = try await saveImported(year, global: global, context: context, dryRun: options.dryRun)
        print(describeSave(summary, dryRun: options.dryRun))
        if !errors.isEmpty {
            throw CLIError("\(errors.count) error(s) left records out (listed above); the \(pupils.count) valid pupil record(s) were \(options.dryRun ? "checked" : "imported").")
        }
    }

    /// The KS2 code table: `--ks2-codes`, else the one built into the program (issue 12, item 2:
    /// found whatever the working folder).
    func loadCodes() throws -> (table: KS2CodeTable, path: String) {
        guard let path = ks2Codes else {
            do {
                return (try KS2CodeTable(toml: try KS2CodeTable.shippedText(), file: KS2CodeTable.defaultPath),
                        "Headway's built-in table (\(KS2CodeTable.defaultPath))")
            } catch {
                throw CLIError("The KS2 code table built into Headway cannot be used: \(error.description)")
            }
        }
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("There is no KS2 code table at \(path).") }
        do {
            return (try KS2CodeTable(contentsOf: URL(fileURLWithPath: path)), path)
        } catch {
            throw CLIError("The KS2 code table cannot be used: \(error.description)")
        }
    }

    /// The school and academic year to import into (see the command's discussion).
    func target(headers: [CTFHeader]) async throws -> (School, AcademicYear) {
        // What the store holds; a SQLite file that does not exist yet holds nothing (and is not
        // created here: a dry run must leave no file behind).
        var stored: [School] = []
        var years: [School.ID: [AcademicYear]] = [:]
        if try databaseExists(global) {
            (stored, years) = try await withStore(global) { store in
                let schools = try await store.schools()
                var years: [School.ID: [AcademicYear]] = [:]
                for school in schools { years[school.id] = try await store.academicYears(of: school.id) }
                return (schools, years)
            }
        }

        let destinations = Set(headers.compactMap { $0.destination.urn })
        func headerName(_ urn: String) -> String? {
            headers.first { $0.destination.urn == urn && $0.destination.schoolName != nil }?.destination.schoolName
        }
        let school: School
        if let given = self.school {
            // A school not in the database is created only into an empty database: a mistyped
            // --school must not start a second school.
            if let found = stored.first(where: { $0.id.rawValue == given }) {
                school = found
            } else if stored.isEmpty {
                let name = headerName(given) ?? (destinations.count == 1 ? destinations.first.flatMap(headerName) : nil)
                school = School(id: School.ID(given), name: name ?? "School \(given)")
            } else {
                throw ValidationError("School '\(given)' is not in the database, which holds \(stored.map(\.id.rawValue).joined(separator: ", ")).")
            }
        } else if stored.count == 1 {
            school = stored[0]
        } else if destinations.count == 1, let urn = destinations.first {
            school = stored.first { $0.id.rawValue == urn } ?? School(id: School.ID(urn), name: headerName(urn) ?? "School URN \(urn)")
        } else if destinations.count > 1 {
            throw ValidationError("The files are for different schools (DestSchool URN \(destinations.sorted().joined(separator: ", "))): import them one school at a time, or give --school.")
        } else {
            let held = stored.isEmpty ? "" : " (the database holds \(stored.map(\.id.rawValue).joined(separator: ", ")))"
            throw ValidationError("The CTF names no DestSchool URN: choose the school with --school\(held).")
        }

        if !destinations.isEmpty, !destinations.contains(school.id.rawValue) {
            Terminal.error("warning: the file(s) are addressed to DestSchool URN \(destinations.sorted().joined(separator: ", ")), "
                + "not to \(school.name) (\(school.id)): check that this is the right school.")
        }
        if let text = year, let given = AcademicYear(parsing: text) { return (school, given) }
        if let latest = years[school.id]?.last { return (school, latest) }
        let sourceYears = Set(headers.compactMap(\.sourceAcademicYear))
        guard let latestSource = sourceYears.max() else {
            throw ValidationError("School \(school.id) has no year stored and the CTF gives no SourceSchool AcademicYear: choose the year with --year (e.g. 2026/27).")
        }
        if sourceYears.count > 1 {
            throw ValidationError("The files are from different academic years (\(sourceYears.sorted().map(\.description).joined(separator: ", "))): choose the year with --year.")
        }
        return (school, AcademicYear(startYear: latestSource.startYear + 1))
    }

    /// The read summary: files, pupils, KS2 found, what was not read, and the issues.
    static func describe(_ results: [CTFFile.Result], counts: CTFFile.Counts, issues: [ImportIssue], codesFile: String, showIssues: Int) -> String {
        var out = "Files\n" + Terminal.table(
            ["file", "CTF version", "date", "from", "pupils", "accepted", "rejected"],
            results.map { r in
                let h = r.header
                let from = [h?.source.schoolName, h?.source.urn.map { "URN \($0)" }].compactMap { $0 }.joined(separator: ", ")
                return [r.file, h?.version ?? "", h?.dateTime ?? "", from, String(r.counts.pupilsRead),
                        r.refused ? "refused" : String(r.counts.pupilsAccepted), String(r.counts.pupilsRejected)]
            }) + "\n"
        out += "\n\(counts.pupilsRead) pupil record(s) read, \(counts.pupilsAccepted) accepted, \(counts.pupilsRejected) rejected.\n"
        let scores = KS2CodeTable.Measure.priorAttainment.map { "\($0.subjectName) \(counts.ks2Scores[$0] ?? 0)" }
        out += "KS2 scaled scores found (accepted pupils): \(scores.joined(separator: ", ")).\n"
        let others = KS2CodeTable.Measure.allCases.filter { !$0.isPriorAttainment }.map { "\($0.subjectName) \(counts.ks2OtherResults[$0] ?? 0)" }
        out += "Other KS2 results recognised, not stored (all pupil records): \(others.joined(separator: ", ")).\n"
        let codeParts = KS2CodeTable.Measure.priorAttainment.compactMap { measure -> String? in
            guard let codes = counts.ks2ResultCodes[measure], !codes.isEmpty else { return nil }
            return "\(measure.subjectName) " + codes.sorted { $0.key < $1.key }.map {
                "\($0.key) (\(CTFFile.ks2ResultCodes[$0.key] ?? "?")) \($0.value)"
            }.joined(separator: ", ")
        }
        out += "KS2 result codes in place of a score: \(codeParts.isEmpty ? "none" : codeParts.joined(separator: "; ")).\n"
        if counts.unrecognisedKS2.isEmpty {
            out += "KS2 results not recognised by \(codesFile): none.\n"
        } else {
            out += "\nKS2 results not recognised by \(codesFile) (not read)\n" + Terminal.table(
                ["codes", "results"], counts.unrecognisedKS2.sorted { $0.key < $1.key }.map { [$0.key.description, String($0.value)] }) + "\n"
        }
        func list(_ tally: [String: Int]) -> String {
            tally.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        if !counts.otherKeyStages.isEmpty { out += "Other key stages, not read (results): \(list(counts.otherKeyStages)).\n" }
        out += "Unknown elements, ignored: \(counts.unknownElements.isEmpty ? "none" : list(counts.unknownElements)).\n"
        if !counts.unusedElements.isEmpty { out += "CTF elements Headway does not use: \(list(counts.unusedElements)).\n" }
        let errors = issues.filter(\.isError), warnings = issues.filter { !$0.isError }
        out += "\(errors.count) error(s), \(warnings.count) warning(s).\n"
        if !issues.isEmpty {
            out += "\nIssues\n" + ImportIssue.listing(issues, limit: showIssues).joined(separator: "\n") + "\n"
        }
        return out
    }
}
