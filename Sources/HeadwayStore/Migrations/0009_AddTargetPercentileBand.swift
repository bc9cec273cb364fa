import SQLKit

/// `targets.percentile_band`: an imported target's percentile band as the provider wrote it
/// (e.g. `FFT20`), NULL for other targets (issue 4, item 4: external targets).
struct AddTargetPercentileBand: Migration {
    let number = 9
    let name = "Add the percentile band of imported targets"

    func apply(on db: any SQLDatabase) async throws {
        try await db.alter(table: "targets").column("percentile_band", type: .text).run()
    }
}
