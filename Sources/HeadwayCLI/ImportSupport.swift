import Foundation
import HeadwayCore
import HeadwayStore

// Steps every importer shares (issue 4, item 6): the same code previews (`--dry-run`) and
// commits, in one transaction per run.

/// Saves an imported school year through ``Store/save(_:context:dryRun:)``, or with `dryRun`
/// computes exactly what would be saved and rolls back. A dry run against a SQLite file that does
/// not exist yet previews against an empty scratch file, so nothing is created where the user
/// pointed.
func saveImported(_ year: SchoolYear, global: GlobalOptions, context: ChangeContext, dryRun: Bool) async throws -> SaveSummary {
    var scratch: URL?
    if dryRun, case .sqlite(let path) = try Configuration.resolve(global).database, !FileManager.default.fileExists(atPath: path) {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("headway-dry-run-\(UUID().uuidString).sqlite")
    }
    defer {
        if let scratch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch.path + suffix) }
        }
    }
    return try await withStore(global, location: scratch.map { .sqlite(path: $0.path) }, create: true) { store in
        try await store.save(year, context: context, dryRun: dryRun)
    }
}

/// The new / changed / unchanged table of a save (or of a dry run), with the changed values.
func describeSave(_ summary: SaveSummary, dryRun: Bool) -> String {
    func line(_ name: String, _ c: SaveSummary.Counts) -> [String] { [name, String(c.new), String(c.changed), String(c.unchanged)] }
    var out = (dryRun ? "\nDry run — nothing saved. Would save:\n" : "\nSaved:\n") + Terminal.table(
        ["records", "new", "changed", "unchanged"],
        [line("pupils", summary.pupils), line("characteristics", summary.characteristics), line("KS2 prior attainment", summary.priorAttainment),
         line("assessment entries", summary.assessments), line("targets", summary.targets)]) + "\n"
    out += "\(summary.auditRows) audit row(s) \(dryRun ? "would be " : "")written.\n"
    if !summary.changes.isEmpty {
        out += "Changes:\n" + summary.changes.prefix(50).map { "  \($0)" }.joined(separator: "\n") + "\n"
        if summary.changes.count > 50 { out += "  … \(summary.changes.count - 50) more\n" }
    }
    return out
}
