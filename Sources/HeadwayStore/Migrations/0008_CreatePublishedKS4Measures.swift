import SQLKit

/// Published KS4 measures from the DfE performance tables (issue 4, item 5): national and local
/// context for a school's own figures. Not a school's data, so not keyed by school.
///
/// - `published_ks4_rows`: one row per KS4 year and school (by URN), local authority (by LEA) or
///   England (by record type) — `scope` is `school`, `la` or `england`, `scope_id` the URN, LEA or
///   RECTYPE; identifiers are text, leading zeros kept; `attributes` holds descriptive columns
///   (`NFTYPE`, `ICLOSE`) as JSON text with sorted keys; `source` is the file it came from.
/// - `published_ks4_values`: one row per measure (DfE column name) of a stored row: `kind` is
///   `number`, `percentage`, `NA`, `NE`, `SUPP`, `LOWCOV` or `blank`; `published` the text exactly
///   as published (`44.5`, `59.5%`, `SUPP`, empty); `value_e4` the number × 10,000 as an exact
///   integer (`-0.03` → −300, `59.5%` → 595000), NULL for every code — never 0, never floating point.
struct CreatePublishedKS4Measures: Migration {
    let number = 8
    let name = "Create published KS4 measures (DfE performance tables)"

    func apply(on db: any SQLDatabase) async throws {
        try await db.create(table: "published_ks4_rows")
            .column("ks4_year", type: .bigint, .notNull)
            .column("scope", type: .text, .notNull)
            .column("scope_id", type: .text, .notNull)
            .column("record_type", type: .bigint, .notNull)
            .column("lea", type: .text)
            .column("estab", type: .text)
            .column("urn", type: .text)
            .column("name", type: .text)
            .column("attributes", type: .text)
            .column("source", type: .text, .notNull)
            .column("imported_at", type: .text, .notNull)
            .primaryKey("ks4_year", "scope", "scope_id")
            .run()
        try await db.create(table: "published_ks4_values")
            .column("ks4_year", type: .bigint, .notNull)
            .column("scope", type: .text, .notNull)
            .column("scope_id", type: .text, .notNull)
            .column("measure", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("published", type: .text, .notNull)
            .column("value_e4", type: .bigint)
            .primaryKey("ks4_year", "scope", "scope_id", "measure")
            .foreignKey(["ks4_year", "scope", "scope_id"], references: "published_ks4_rows", ["ks4_year", "scope", "scope_id"])
            .run()
        try await db.create(index: "published_ks4_rows_by_lea")
            .on("published_ks4_rows")
            .column("lea")
            .run()
    }
}
