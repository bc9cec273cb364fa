import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports
import HeadwayStore

/// `headway check`: the integrity report.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the integrity checks and list every finding with who can fix it.",
        discussion: """
            Every check of docs/integrity-checks.md: missing, late and not-sat entries, off-scale values, swings, \
            classes copied forward or equal to their targets, ATL spread, pupils with no class, target or valid UPN, \
            duplicates, changed characteristics, missing KS2. Exit status 1 when any finding is an error.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, html }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    @Option(help: "Output format: table (terminal), csv (every finding with its record's keys) or html (a self-contained page).")
    var format: Format = .table

    @Option(help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Option(help: "Show at most this many findings in the table (0 = all).")
    var limit = 40

    func run() async throws {
        let (year, history) = try await withStore(global) { store in
            let (school, academicYear) = try await selectYear(schoolOptions, in: store)
            let year = try await store.load(school: school, year: academicYear)
            let history = Integrity.History(characteristicChanges: try await store.characteristicChanges(school: school, year: academicYear),
                                            storedUPNs: try await store.storedUPNs(school: school, year: academicYear))
            return (year, history)
        }
        let findings = Integrity.check(YearIndex(year), history: history)
        let text: String
        switch format {
        case .csv: text = IntegrityReport.csv(findings).text(byteOrderMark: out != nil)  // none on standard output (issue 12)
        case .html: text = try IntegrityReport.html(IntegrityReport.model(findings, year: year, generated: nowText()))
        case .table: text = Check.describe(findings, limit: out == nil ? limit : 0) + "\n"
        }
        if let out {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw CLIError("Cannot write \(out): \(error.localizedDescription). Check the folder exists and is writable.")
            }
            Terminal.error("Wrote \(findings.count) findings to \(out)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
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
