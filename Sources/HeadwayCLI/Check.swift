import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayReports

/// `headway check`: the integrity report.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the integrity checks and list every finding with who can fix it.",
        discussion: "Exit status 1 when any finding is an error.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    @Option(help: "Output format: table (terminal) or csv.")
    var format: Format = .table

    @Option(help: "Show at most this many findings in the table (0 = all).")
    var limit = 40

    func run() async throws {
        let findings = Integrity.check(YearIndex(try await loadYear(global, schoolOptions)))
        switch format {
        case .csv:
            let table = CSVTable(name: "integrity", header: ["severity", "check", "record", "finding", "who can fix it"],
                                 rows: findings.map { [$0.severity.rawValue, $0.check.rawValue, $0.record, $0.message, $0.fixer] })
            FileHandle.standardOutput.write(Data(table.text.utf8))
        case .table:
            print(Check.describe(findings, limit: limit))
        }
        if findings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }

    /// Counts per check and severity, then the findings themselves.
    static func describe(_ findings: [Finding], limit: Int) -> String {
        let counts = Dictionary(grouping: findings) { "\($0.severity.rawValue)|\($0.check.rawValue)" }
            .map { key, list -> [String] in let p = key.split(separator: "|"); return [String(p[0]), String(p[1]), String(list.count)] }
            .sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        var out = "Integrity: \(errors) error(s), \(warnings) warning(s), \(findings.count - errors - warnings) note(s)\n"
        out += Terminal.table(["severity", "check", "findings"], counts) + "\n\n"
        let shown = limit > 0 ? Array(findings.prefix(limit)) : findings
        out += Terminal.table(["severity", "check", "record", "finding", "who can fix it"],
                              shown.map { [$0.severity.rawValue, $0.check.rawValue, $0.record, $0.message, $0.fixer] })
        if shown.count < findings.count { out += "\n  … \(findings.count - shown.count) more: use --limit 0 or --format csv" }
        return out
    }
}
