import ArgumentParser
import Foundation
import HeadwayCore
import HeadwayStore

/// `headway responsibility`: who answers for each year group's progress in each academic year
/// (issue 6, item 5), and so, for a pupil, who was responsible for each year of their progress.
struct ResponsibilityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responsibility",
        abstract: "Name the head of year or progress leader responsible for a year group in an academic year, and show the record.",
        discussion: """
            A named record for a year group and year wins; where there is none, the staff holding the head of year \
            role (hoy:N in the staff list) are responsible. The action lists name these people, and a pupil's \
            record (`show --pupil UPN`) lists every year they were on roll with the person responsible that year.
            """,
        subcommands: [Show.self, Set.self],
        defaultSubcommand: Show.self)

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record who is responsible for a year group this academic year (or --year); replaces the previous holder of the role; audited.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @Option(help: ArgumentHelp("The year group, 7–13.", valueName: "n")) var yearGroup: Int
        @Option(help: ArgumentHelp("The staff code of the person responsible.", valueName: "code")) var staff: String
        @Option(help: ArgumentHelp("head_of_year (default) or progress_leader.", valueName: "role")) var role: String = YearGroupResponsibility.Role.headOfYear.rawValue
        @Option(help: "Who is recording it, for the audit log.") var actor = "data manager"

        func validate() throws {
            guard (7...13).contains(yearGroup) else { throw ValidationError("--year-group \(yearGroup) is not a secondary year group (7–13).") }
            guard YearGroupResponsibility.Role(rawValue: role) != nil else {
                throw ValidationError("--role '\(role)' is not a role: use head_of_year or progress_leader.")
            }
        }

        func run() async throws {
            try await withStore(global) { store in
                let (school, academicYear) = try await selectYear(schoolOptions, in: store)
                let year = try await store.load(school: school, year: academicYear)
                guard let person = year.staff.first(where: { $0.id.rawValue == staff }) else {
                    throw CLIError("No member of staff with code '\(staff)' at \(year.school.name).")
                }
                let record = YearGroupResponsibility(academicYear: academicYear, yearGroup: yearGroup, staff: person.id,
                                                     role: YearGroupResponsibility.Role(rawValue: role)!)
                let summary = try await store.save([record], school: school,
                                                   context: ChangeContext(actor: actor, source: "user", reason: "responsibility recorded", at: Date()))
                print("\(person.displayName) (\(person.id)) is \(record.role.words) for Year \(yearGroup) in \(academicYear); "
                      + "\(summary.auditRows) audit row(s) written.")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Who is responsible for each year group this year; with --pupil, for every year of that pupil's record.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @Option(help: ArgumentHelp("A pupil's UPN or id: their record year by year.", valueName: "upn-or-id")) var pupil: String?

        func run() async throws {
            try await withStore(global) { store in
                let (school, academicYear) = try await selectYear(schoolOptions, in: store)
                let year = try await store.load(school: school, year: academicYear)
                if let pupil {
                    let id = try resolvePupil(pupil, in: year)
                    let history = try await store.responsibilityHistory(pupil: id, school: school)
                    print("Responsible for pupil \(id)'s progress, year by year\n" + Terminal.table(
                        ["academic year", "year group", "responsible", "from"],
                        history.map { r in
                            [r.academicYear.description, String(r.yearGroup),
                             r.staff.isEmpty ? "nobody named" : r.staff.map { "\($0.displayName) (\($0.id))" }.joined(separator: ", "),
                             r.fromStoredRecord ? "recorded" : "head of year role"]
                        }))
                    return
                }
                let yearGroups = Array(Swift.Set(year.pupils.map(\.yearGroup))).sorted()
                print("Responsible for each year group, \(year.school.name) \(year.academicYear)\n" + Terminal.table(
                    ["year group", "pupils", "responsible", "from"],
                    yearGroups.map { y in
                        let people = year.responsibleStaff(forYearGroup: y)
                        let recorded = year.responsibilities.contains { $0.yearGroup == y }
                        return ["Year \(y)", String(year.pupils.filter { $0.yearGroup == y }.count),
                                people.isEmpty ? "nobody named" : people.map { "\($0.displayName) (\($0.id))" }.joined(separator: ", "),
                                recorded ? "recorded" : people.isEmpty ? "" : "head of year role"]
                    }))
            }
        }
    }
}
