import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports

/// `headway completion`: how complete a collection is, by teacher, class, department or year
/// group, the missing cells per teacher, and the chase list (issue 5, item 4).
struct CompletionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Show how complete a data collection is and who still has entries to make.",
        discussion: """
            Expected: every pupil × subject studied by the collection's year groups. Entered: a working-at value, \
            including X (not sat) and Z (not required); X is also counted on its own, as not sat. Missing: blank. \
            Departments are named by their head of department; a subject with none is its own department.
            """)

    enum Grouping: String, ExpressibleByArgument, CaseIterable {
        case teacher, `class`, department, subject
        case yearGroup = "year-group"
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    @Option(help: ArgumentHelp("The collection, e.g. DC3 (default: the latest with any entry).", valueName: "code"))
    var collection: String?

    @Option(name: .customLong("by"), help: "Break completion down by teacher, class, department, subject or year-group.")
    var grouping: Grouping = .teacher

    @Option(name: .customLong("chase-list"), help: ArgumentHelp(
        "Also write the chase list: one CSV row per teacher with missing cells (code, name, email, classes, pupils, deadline).",
        valueName: "file.csv"))
    var chaseList: String?

    func run() async throws {
        let year = try await loadYear(global, schoolOptions)
        guard !year.collections.isEmpty else { throw CLIError("\(year.school.id) has no data collections in \(year.academicYear) yet.") }
        let chosen: DataCollection
        if let collection {
            chosen = try requireCollection(collection, in: year)
        } else {
            let entered = Set(year.assessments.map(\.collection))
            chosen = year.collections.last { entered.contains($0.id) } ?? year.collections[0]
        }
        let index = YearIndex(year)
        let completion = Completion(index, collection: chosen)
        print(CompletionCommand.describe(completion, by: grouping, index: index))
        if let chaseList {
            let lines = completion.chaseList(index)
            let table = CompletionReport.chaseList(lines, index: index)
            do {
                try Data(table.text.utf8).write(to: URL(fileURLWithPath: chaseList), options: .atomic)
            } catch {
                throw CLIError("Cannot write \(chaseList): \(error.localizedDescription). Check the folder exists and is writable.")
            }
            Terminal.error("Wrote the chase list (\(lines.count) \(lines.count == 1 ? "person" : "people"), \(completion.missing.count) missing cells) to \(chaseList)")
        }
    }

    /// The headline, the table for `grouping`, then each person's missing cells per class.
    static func describe(_ completion: Completion, by grouping: Grouping, index: YearIndex, pupilsShown: Int = 8) -> String {
        let o = completion.overall
        var out = "Completion of \(completion.collection.id) (\(completion.collection.name)): \(o.present) of \(o.expected) entered "
            + "(\(String(format: "%.1f", o.percent))%), \(o.notSat) not sat (X), \(o.missing) missing\n"
        let (lines, heading): ([Completion.Line], String) = switch grouping {
        case .teacher: (completion.byTeacher, "teacher")
        case .class: (completion.byClass, "class")
        case .department: (completion.byDepartment, "department")
        case .subject: (completion.bySubject, "subject")
        case .yearGroup: (completion.byYearGroup, "year group")
        }
        out += Terminal.table([heading, "expected", "entered", "not sat (X)", "missing", "%"],
                              lines.map { [$0.label, "\($0.expected)", "\($0.present)", "\($0.notSat)", "\($0.missing)", String(format: "%.1f", $0.percent)] })
        let chase = completion.chaseList(index)
        guard !chase.isEmpty else { return out + "\n\nNothing missing." }
        out += "\n\nMissing cells per teacher\n"
        for line in chase {
            let person = line.staff.map { "\(line.name) (\($0))" } ?? line.name
            let role = line.role == .classTeacher ? "" : ", \(line.role.rawValue)"
            let deadline = CompletionReport.deadline(line)
            out += "  \(person)\(role): \(line.count) missing\(deadline.isEmpty ? "" : ", deadline \(deadline)")\n"
            for cells in line.classes {
                let names = CompletionReport.pupilNames(Array(cells.pupils.prefix(pupilsShown)), index: index)
                let more = cells.pupils.count > pupilsShown ? " and \(cells.pupils.count - pupilsShown) more" : ""
                out += "    \(CompletionReport.label(cells)) (\(cells.pupils.count)): \(names)\(more)\n"
            }
        }
        return out + "  (every cell: --chase-list FILE.csv)"
    }
}
