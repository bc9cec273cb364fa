import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports
import HeadwayStore

/// `headway report`: the reports of the cycle. `headway report --out DIR` (no subcommand) is the
/// headline report, as before; the others are reports to parents and carers, meeting sheets,
/// packs for leaders and governors, and a pupil's longitudinal record (issue 7). Every page is a
/// Mustache template a school can replace (`--templates DIR`; `headway report templates` writes
/// the built-in ones to start from).
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write reports: the headline report (default), parent reports, meeting sheets, leader and governor packs, pupil records.",
        subcommands: reportSubcommands,
        defaultSubcommand: Headline.self)

    /// Every `report` subcommand, the headline report first.
    static let reportSubcommands: [any ParsableCommand.Type] = [
        Headline.self,
        ReportTemplatesCommand.self,
        MeetingSheetsCommand.self, DepartmentCommand.self, YearGroupCommand.self, GovernorsCommand.self,
        Parents.self,
        PupilRecordCommand.self,
    ]

    struct Headline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the headline report: index.html (self-contained, with charts) and every table as CSV.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions

        @Option(help: ArgumentHelp("Folder to write the report into (created if missing).", valueName: "folder"))
        var out = "headway-report"

        @Option(help: ArgumentHelp("A Mustache template to use instead of the built-in page.", valueName: "file"))
        var template: String?

        @Option(name: .customLong("la"), help: ArgumentHelp(
            "The school's local authority (3-digit DfE number) for the national-context section (default: the most common LA in pupils' UPNs).",
            valueName: "code"))
        var localAuthority: String?

        func validate() throws {
            if let localAuthority, localAuthority.count != 3 || !localAuthority.allSatisfy(\.isASCII) || !localAuthority.allSatisfy(\.isNumber) {
                throw ValidationError("--la \(localAuthority) is not a local-authority number: give the three-digit DfE number, e.g. 202.")
            }
        }

        func run() async throws {
            // Published England and LA figures (`headway import dfe-performance`), when stored.
            let (year, context) = try await withStore(global) { store in
                let (school, academicYear) = try await selectYear(schoolOptions, in: store)
                let year = try await store.load(school: school, year: academicYear)
                return (year, try await HeadlineReport.NationalContext.load(from: store, pupils: year.pupils, localAuthority: localAuthority))
            }
            let analysis = await SchoolAnalysis.compute(year)
            let files = try Report.write(analysis, to: URL(fileURLWithPath: out), templateFile: template, context: context)
            print("Wrote \(files) files to \(out)/ — open \(out)/index.html")
        }
    }

    /// Renders the report and writes its files under `folder`. Returns how many were written.
    /// - Parameter context: published figures for the national-context section; nil for none.
    static func write(_ analysis: SchoolAnalysis, to folder: URL, templateFile: String? = nil,
                      context: HeadlineReport.NationalContext? = nil) throws -> Int {
        let template: String
        if let templateFile {
            do { template = try String(contentsOfFile: templateFile, encoding: .utf8) } catch {
                throw CLIError("cannot read the template \(templateFile): \(error.localizedDescription)")
            }
        } else {
            template = HeadlineReport.defaultTemplate
        }
        let files = try HeadlineReport.render(HeadlineReport.model(analysis, generated: nowText(), context: context), template: template)
        for file in files {
            let url = folder.appendingPathComponent(file.name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: url, options: .atomic)
        }
        return files.count
    }
}
