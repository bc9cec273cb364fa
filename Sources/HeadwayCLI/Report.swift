import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports

/// `headway report`: writes the headline report folder.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the headline report: index.html (self-contained, with charts) and every table as CSV.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    @Option(help: ArgumentHelp("Folder to write the report into (created if missing).", valueName: "folder"))
    var out = "headway-report"

    @Option(help: ArgumentHelp("A Mustache template to use instead of the built-in page.", valueName: "file"))
    var template: String?

    func run() async throws {
        let analysis = await SchoolAnalysis.compute(try await loadYear(global, schoolOptions))
        let files = try Report.write(analysis, to: URL(fileURLWithPath: out), templateFile: template)
        print("Wrote \(files) files to \(out)/ — open \(out)/index.html")
    }

    /// Renders the report and writes its files under `folder`. Returns how many were written.
    static func write(_ analysis: SchoolAnalysis, to folder: URL, templateFile: String? = nil) throws -> Int {
        let template: String
        if let templateFile {
            do { template = try String(contentsOfFile: templateFile, encoding: .utf8) } catch {
                throw CLIError("cannot read the template \(templateFile): \(error.localizedDescription)")
            }
        } else {
            template = HeadlineReport.defaultTemplate
        }
        let files = try HeadlineReport.render(HeadlineReport.model(analysis, generated: nowText()), template: template)
        for file in files {
            let url = folder.appendingPathComponent(file.name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: url, options: .atomic)
        }
        return files.count
    }
}
