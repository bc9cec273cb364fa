import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayImport
import HeadwayReports
import HeadwayStore

/// `headway lists`: the action lists after each collection (issue 6, items 1 and 2) — below
/// expected progress, well below it in English or maths, falling, ATL concern and ATL reward — for every year
/// group, each with the member of staff responsible, on the terminal and as mail-merge CSV.
struct ListsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists",
        abstract: "Intervention and ATL reward lists for every year group after each collection, with the member of staff responsible.",
        discussion: """
            The rules (below expected progress in 3+ subjects, well below it in English or maths, fallen a grade in 2+ subjects \
            since the last collection, mean ATL of 3 or worse, consistently excellent ATL) are documented in \
            docs/action-lists.md; change them with a TOML file (--rules; data/rules/action-lists.toml is the \
            default, with every key explained). --out writes one CSV per list with mail-merge fields for letters \
            and certificates (pupil, tutor group, reason, number of subjects, shortfall in grades, the responsible member of staff's \
            title, name and email). Each list is in order of severity: most subjects first, then the largest shortfall.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions
    @Option(help: ArgumentHelp("Only this collection, e.g. DC2 (default: every collection).", valueName: "code")) var collection: String?
    @Option(help: ArgumentHelp("Only this year group.", valueName: "n")) var yearGroup: Int?
    @Option(help: ArgumentHelp("Only this rule: \(ActionRules.Rule.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "rule"))
    var rule: String?
    @Option(help: ArgumentHelp("The rules file (TOML; default: the documented defaults).", valueName: "file")) var rules: String?
    @Option(help: ArgumentHelp("Write each list as a CSV (mail-merge fields) into this folder.", valueName: "folder")) var out: String?
    @Flag(help: "Print every pupil on every list shown, with the reason (default: only when one year group and collection are chosen).")
    var pupils = false

    func validate() throws {
        if let rule, ActionRules.Rule.named(rule) == nil {
            throw ValidationError("--rule '\(rule)' is not a rule: use one of \(ActionRules.Rule.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if let rules { try requireFiles([rules]) }
        if let yearGroup, !(7...13).contains(yearGroup) {
            throw ValidationError("--year-group \(yearGroup) is not a secondary year group (7–13).")
        }
        if let out {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw ValidationError("--out \(out) is a file: give a folder for the lists.")
            }
        }
    }

    func run() async throws {
        let year = try await loadYear(global, schoolOptions)
        let settings = try Self.rules(rules, scales: year.scales)
        if let collection { _ = try requireCollection(collection, in: year) }
        if let rule, ActionRules.Rule(rawValue: rule) == nil, let now = ActionRules.Rule.named(rule) {
            Terminal.error("warning: --rule \(rule) is now called \(now.rawValue); listing \(now.rawValue).")
        }
        for warning in Self.warnings(settings, year: year) { Terminal.error("warning: \(warning)") }
        let index = YearIndex(year)
        let lists = ActionLists.compute(index, evaluation: ProgressStatus.evaluate(index), rules: settings,
                                        collection: collection.map { DataCollection.ID($0) })
            .filter { yearGroup == nil || $0.yearGroup == yearGroup }
            .filter { rule == nil || $0.rule == ActionRules.Rule.named(rule!) }
        print(Self.describe(lists, details: pupils || (yearGroup != nil && collection != nil)), terminator: "")
        if let out {
            let written = try Self.write(lists, school: year.school, to: URL(fileURLWithPath: out))
            print("\(written) list(s) written to \(out)/ as CSV with mail-merge fields.")
        }
    }

    /// The rules from a file, or ``ActionRules/standard``; a file with problems is refused with every issue.
    static func rules(_ path: String?, scales: [GradeScale.ID: GradeScale]) throws -> ActionRules {
        guard let path else { return .standard }
        let read = ActionRulesFile.read(contentsOf: URL(fileURLWithPath: path), scales: scales)
        for warning in read.issues where !warning.isError { Terminal.error("\(warning)") }
        guard let rules = read.rules else {
            let errors = read.issues.filter(\.isError)
            throw CLIError("The rules file has \(errors.count) problem(s); nothing was listed:\n"
                           + errors.map { "  \($0)" }.joined(separator: "\n"))
        }
        return rules
    }

    /// What the school should know before trusting the lists: core subject codes it does not have,
    /// year groups on roll with nobody responsible.
    static func warnings(_ rules: ActionRules, year: SchoolYear) -> [String] {
        var out: [String] = []
        let subjects = Set(year.subjects.map(\.id))
        let missing = rules.wellBelowCore.subjects.filter { !subjects.contains($0) }
        if rules.wellBelowCore.enabled, !missing.isEmpty {
            out.append("well_below_core names \(missing.map(\.rawValue).joined(separator: ", ")), which \(year.school.name) has no subject for: "
                       + "set `subjects` under [well_below_core] in a rules file (--rules) to the school's English and maths codes.")
        }
        let atlRules = [ActionRules.Rule.atlConcern, .atlReward].filter(rules.isEnabled)
        if !atlRules.isEmpty, !year.subjects.contains(where: { $0.atlScale == rules.atlScale }) {
            out.append("no subject records ATL on \(rules.atlScale) (the rules' atl_scale), so the \(atlRules.map(\.description).joined(separator: " and ")) "
                       + "lists are empty: set atl_scale to the scale your subjects use (\(Set(year.subjects.map(\.atlScale.rawValue)).sorted().joined(separator: ", "))).")
        }
        for y in Set(year.pupils.map(\.yearGroup)).sorted() where year.responsibleStaff(forYearGroup: y).isEmpty {
            out.append("nobody is named responsible for Year \(y): `headway responsibility set --year-group \(y) --staff CODE`, or give someone the hoy:\(y) role.")
        }
        return out
    }

    /// A table of list sizes per collection and year group (one column per rule) with the people
    /// responsible; with `details`, each non-empty list's pupils and reasons.
    static func describe(_ lists: [ActionList], details: Bool) -> String {
        guard !lists.isEmpty else { return "No lists: no collection, year group or enabled rule matches.\n" }
        let rules = ActionRules.Rule.allCases.filter { r in lists.contains { $0.rule == r } }
        var groups: [(key: String, lists: [ActionList])] = []
        for list in lists {
            let key = "\(list.collection.id)|\(list.yearGroup)"
            if groups.last?.key == key { groups[groups.count - 1].lists.append(list) } else { groups.append((key, [list])) }
        }
        var out = "Action lists (pupils on each)\n" + Terminal.table(
            ["collection", "year"] + rules.map(\.description) + ["responsible"],
            groups.map { group in
                let first = group.lists[0]
                return [first.collection.id.rawValue, "Y\(first.yearGroup)"]
                    + rules.map { r in group.lists.first { $0.rule == r }.map { String($0.entries.count) } ?? "" }
                    + [first.responsible.isEmpty ? "nobody named" : first.responsible.map(\.displayName).joined(separator: ", ")]
            }) + "\n"
        if details {
            for list in lists where !list.entries.isEmpty {
                out += "\n\(list.collection.id) Year \(list.yearGroup) — \(list.rule): \(list.summary) (\(list.entries.count))\n"
                let shortfall = list.entries.contains { $0.shortfall != nil }
                out += Terminal.table(["pupil", "name", "tutor group", "subjects"] + (shortfall ? ["shortfall (grades)"] : []) + ["reason"],
                                      list.entries.map { e in
                    [e.pupil.upn?.rawValue ?? e.pupil.id.rawValue, e.pupil.displayName, e.pupil.tutorGroup ?? "", String(e.subjects.count)]
                        + (shortfall ? [ActionLists.shortfallText(e.shortfall)] : []) + [e.reason]
                }) + "\n"
            }
        }
        return out
    }

    /// Writes each list's CSV into `folder` (created if needed) and returns how many were written.
    ///
    /// The files are written to a new folder beside it first, so a failure leaves `folder` as it
    /// was; then the list files already in `folder` (named like ``ActionListExport/fileName(_:)``,
    /// any rule) are removed — a list no longer produced must not stay behind to be mail-merged —
    /// and the new ones moved in. Other files in `folder` are left alone.
    /// - Throws: ``CLIError`` naming the path and the reason.
    static func write(_ lists: [ActionList], school: School, to folder: URL) throws -> Int {
        let manager = FileManager.default
        let staging = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent)-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: staging) }
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            for list in lists {
                try Data(ActionListExport.csv(list, school: school).utf8).write(to: staging.appendingPathComponent(ActionListExport.fileName(list)))
            }
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            // Former names' files too (below-target, before issue 12), so none is left to be mail-merged.
            let slugs = (ActionRules.Rule.allCases.map(\.slug) + ActionRules.Rule.formerNames.keys.map { $0.replacingOccurrences(of: "_", with: "-") })
                .map { "-\($0).csv" }
            for name in try manager.contentsOfDirectory(atPath: folder.path)
            where name.contains("-Y") && slugs.contains(where: name.hasSuffix) {
                try manager.removeItem(at: folder.appendingPathComponent(name))
            }
            for name in try manager.contentsOfDirectory(atPath: staging.path) {
                try manager.moveItem(at: staging.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
        } catch {
            throw CLIError("cannot write the lists to \(folder.path): \((error as NSError).localizedDescription)")
        }
        return lists.count
    }
}
