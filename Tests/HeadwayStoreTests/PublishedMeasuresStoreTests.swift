import Foundation
import HeadwayCore
@testable import HeadwayStore
import HeadwayTestSupport
import SQLKit
import Testing

/// Published KS4 measures (DfE performance tables) in the store — on every engine in
/// ``TestDatabase/available`` (SQLite always; PostgreSQL when HEADWAY_TEST_POSTGRES_URL is set,
/// and always under CI=true). Rows are those of `england_ks4provisional_2019.csv` (lines 5653,
/// 5652, 24 and 97), plus a made-up school with a leading-zero ESTAB.
@Suite struct PublishedMeasuresStoreTests {
    static let context = ChangeContext(actor: "test", source: "england_ks4provisional_2019.csv", reason: "DfE KS4 2019",
                                       at: Date(timeIntervalSince1970: 1_795_000_000))

    static func values(_ pairs: KeyValuePairs<String, String>) -> [String: PublishedValue] {
        Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, PublishedValue(parsing: $0.value)!) })
    }

    static let england = PublishedKS4Row(recordType: .englandStateFunded, lea: nil, estab: nil, urn: nil, name: nil, ks4Year: 2019,
                                         measures: values(["TPUP": "542831", "ATT8SCR": "46.5", "P8MEA": "-0.03", "P8CILOW": "",
                                                           "PTL2BASICS_94": "64.4%", "EBACCAPS": "4.06"]))
    static let englandAll = PublishedKS4Row(recordType: .englandAllSchools, lea: nil, estab: nil, urn: nil, name: nil, ks4Year: 2019,
                                            measures: values(["TPUP": "605874", "ATT8SCR": "44.5", "P8MEA": ""]))
    static let camden = PublishedKS4Row(recordType: .localAuthority, lea: "202", estab: nil, urn: nil, name: nil, ks4Year: 2019,
                                        measures: values(["TPUP": "1571", "ATT8SCR": "48.5", "P8MEA": "0.09", "P8CILOW": "0.03",
                                                          "P8CIUPP": "0.16", "PTL2BASICS_94": "67.4%"]))
    static let jackTizard = PublishedKS4Row(recordType: .specialSchool, lea: "205", estab: "7203", urn: "100381", name: "Jack Tizard School",
                                            ks4Year: 2019, attributes: ["NFTYPE": "CYS", "ICLOSE": "0"],
                                            measures: values(["TPUP": "2", "ATT8SCR": "SUPP", "P8MEA": "SUPP", "PTL2BASICS_94": "SUPP"]))
    static let leadingZeros = PublishedKS4Row(recordType: .mainstreamSchool, lea: "201", estab: "0123", urn: "012345", name: "O'Neil Academy",
                                              ks4Year: 2019, measures: values(["TPUP": "120", "ATT8SCR": "NE", "P8MEA": "LOWCOV", "PTL2BASICS_94": "NA"]))
    static let rows = [england, englandAll, camden, jackTizard, leadingZeros]
    static let valueCount = rows.reduce(0) { $0 + $1.measures.count }

    static var auditScope: School.ID { School.ID(Store.publishedAuditScope) }

    @Test(arguments: TestDatabase.available)
    func publishedRowsRoundTrip(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let summary = try await store.savePublishedKS4(Self.rows, context: Self.context)
            #expect(summary.rows == .init(new: 5, changed: 0, unchanged: 0))
            #expect(summary.values == .init(new: Self.valueCount, changed: 0, unchanged: 0))
            #expect(summary.auditRows == 5)  // one creation row per stored row

            #expect(try await store.publishedKS4Years() == [2019])
            #expect(try await store.publishedKS4England() == Self.england)
            #expect(try await store.publishedKS4England(allSchools: true) == Self.englandAll)
            #expect(try await store.publishedKS4LocalAuthority("202") == Self.camden)
            #expect(try await store.publishedKS4School(urn: "100381") == Self.jackTizard)
            #expect(try await store.publishedKS4School(urn: "012345") == Self.leadingZeros)
            #expect(try await store.publishedKS4School(urn: "12345") == nil)  // text: the leading zero matters
            #expect(try await store.publishedKS4LocalAuthority("999") == nil)
            #expect(try await store.publishedKS4England(year: 2018) == nil)

            let england = try #require(try await store.publishedKS4England())
            #expect(england["ATT8SCR"]?.published == "46.5")
            #expect(england["P8MEA"]?.numeric?.doubleValue == -0.03)
            #expect(england["P8CILOW"] == .notPublished)
            #expect(try await store.publishedKS4School(urn: "100381")?["ATT8SCR"] == .suppressed)

            let audit = try await store.auditLog(school: Self.auditScope)
            #expect(audit.count == 5)
            let created = try #require(audit.first { $0.recordKey == "KS4 2019 URN 100381" })
            #expect(created.action == "create" && created.table == "published_ks4_rows" && created.pupil == nil)
            #expect(created.newValue == "special school (2) LEA 205 ESTAB 7203 URN 100381 Jack Tizard School; ATT8SCR=SUPP; P8MEA=SUPP; PTL2BASICS_94=SUPP; TPUP=2")
            #expect(created.actor == "test" && created.source == "england_ks4provisional_2019.csv" && created.at == "2026-11-18T11:06:40Z")
        }
    }

    /// Stored form: kind and text exactly as published, the number × 10,000 as an integer, NULL
    /// (never 0) for every code, and identifiers as text.
    @Test(arguments: TestDatabase.available)
    func valuesAreStoredExactlyAndCodesHaveNoNumber(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.savePublishedKS4(Self.rows, context: Self.context)
            var stored: [String: (kind: String, published: String, e4: Int?)] = [:]
            for row in try await store.db.select().columns("scope_id", "measure", "kind", "published", "value_e4").from("published_ks4_values").all() {
                stored["\(try row.decode(column: "scope_id", as: String.self)).\(try row.decode(column: "measure", as: String.self))"] =
                    (try row.decode(column: "kind", as: String.self), try row.decode(column: "published", as: String.self),
                     try row.decode(column: "value_e4", as: Int?.self))
            }
            #expect(stored.count == Self.valueCount)
            #expect(stored["7.P8MEA"]! == ("number", "-0.03", -300))
            #expect(stored["7.PTL2BASICS_94"]! == ("percentage", "64.4%", 644_000))
            #expect(stored["7.TPUP"]! == ("number", "542831", 5_428_310_000))
            #expect(stored["7.P8CILOW"]! == ("blank", "", nil))
            #expect(stored["100381.ATT8SCR"]! == ("SUPP", "SUPP", nil))
            #expect(stored["012345.ATT8SCR"]! == ("NE", "NE", nil))
            #expect(stored["012345.P8MEA"]! == ("LOWCOV", "LOWCOV", nil))
            #expect(stored["012345.PTL2BASICS_94"]! == ("NA", "NA", nil))
            let school = try #require(try await store.db.select().columns("lea", "estab", "urn").from("published_ks4_rows")
                .where("scope_id", .equal, "012345").first())
            #expect(try school.decode(column: "estab", as: String.self) == "0123")
            #expect(try school.decode(column: "urn", as: String.self) == "012345")
            #expect(try school.decode(column: "lea", as: String.self) == "201")
        }
    }

    @Test(arguments: TestDatabase.available)
    func savingTheSameRowsTwiceChangesNothing(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.savePublishedKS4(Self.rows, context: Self.context)
            let again = try await store.savePublishedKS4(Self.rows, context: Self.context)
            #expect(again.rows == .init(new: 0, changed: 0, unchanged: 5))
            #expect(again.values == .init(new: 0, changed: 0, unchanged: Self.valueCount))
            #expect(again.auditRows == 0 && again.changes.isEmpty)
            #expect(try await store.auditLog(school: Self.auditScope).count == 5)
        }
    }

    /// A blank cell, a measure the file lacks and a name left out keep what is stored; a changed
    /// figure and a code replacing a number are changes, audited with old and new text.
    @Test(arguments: TestDatabase.available)
    func aBlankNeverErasesAndAChangeIsAudited(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            try await store.savePublishedKS4(Self.rows, context: Self.context)
            var england = Self.england
            england.measures["ATT8SCR"] = .notPublished                       // blank in the new file
            england.measures["EBACCAPS"] = nil                                // column not in the new file
            england.measures["P8MEA"] = PublishedValue(parsing: "-0.02")      // revised
            england.measures["PT5EM_94"] = PublishedValue(parsing: "60.0%")   // a new column
            var school = Self.jackTizard
            school.name = nil                                                 // name left out
            school.measures["TPUP"] = PublishedValue(parsing: "NA")          // a code replacing a number
            let revised = ChangeContext(actor: "JSM", source: "england_ks4revised_2019.csv", reason: "revised tables",
                                        at: Date(timeIntervalSince1970: 1_795_100_000))
            let summary = try await store.savePublishedKS4([england, school], context: revised)
            #expect(summary.rows == .init(new: 0, changed: 2, unchanged: 0))
            #expect(summary.values == .init(new: 1, changed: 2, unchanged: 7))
            #expect(summary.changes == ["KS4 2019 England (7) P8MEA: -0.03 → -0.02", "KS4 2019 URN 100381 TPUP: 2 → NA"])

            let stored = try #require(try await store.publishedKS4England())
            #expect(stored["ATT8SCR"]?.published == "46.5")   // kept
            #expect(stored["EBACCAPS"]?.published == "4.06")  // kept
            #expect(stored["P8MEA"]?.published == "-0.02")
            #expect(stored["PT5EM_94"]?.published == "60.0%")
            let storedSchool = try #require(try await store.publishedKS4School(urn: "100381"))
            #expect(storedSchool.name == "Jack Tizard School")  // kept
            #expect(storedSchool["TPUP"] == .notApplicable)

            let audit = try await store.auditLog(school: Self.auditScope)
            #expect(audit.count == 8)  // 5 created + 2 value updates + 1 created value
            let update = try #require(audit.first { $0.recordKey == "KS4 2019 England (7).P8MEA" })
            #expect(update.action == "update" && update.table == "published_ks4_values")
            #expect(update.oldValue == "-0.03" && update.newValue == "-0.02")
            #expect(update.actor == "JSM" && update.reason == "revised tables" && update.source == "england_ks4revised_2019.csv")
            #expect(audit.contains { $0.action == "create" && $0.table == "published_ks4_values" && $0.newValue == "PT5EM_94=60.0%" })
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDryRunSavesNothing(engine: TestDatabase) async throws {
        try await engine.withStore { (store: Store) async throws -> Void in
            let preview = try await store.savePublishedKS4(Self.rows, context: Self.context, dryRun: true)
            #expect(preview.rows.new == 5 && preview.auditRows == 5)
            #expect(try await store.publishedKS4Years().isEmpty)
            #expect(try await store.publishedKS4England() == nil)
            #expect(try await store.auditLog(school: Self.auditScope).isEmpty)
            // The real save, after the preview, finds the same.
            #expect(try await store.savePublishedKS4(Self.rows, context: Self.context) == preview)
        }
    }

    @Test(arguments: TestDatabase.available)
    func yearsAreKeptApartAndTheLatestIsTheDefault(engine: TestDatabase) async throws {
        var older = Self.england
        older.ks4Year = 2018
        older.measures["ATT8SCR"] = PublishedValue(parsing: "46.6")
        try await engine.withStore { (store: Store) async throws -> Void in
            let summary = try await store.savePublishedKS4(Self.rows + [older], context: Self.context)
            #expect(summary.rows.new == 6)
            #expect(try await store.publishedKS4Years() == [2018, 2019])
            #expect(try await store.publishedKS4England()?.ks4Year == 2019)
            #expect(try await store.publishedKS4England(year: 2018)?["ATT8SCR"]?.published == "46.6")
            #expect(try await store.publishedKS4LocalAuthority("202", year: 2018) == nil)
        }
    }
}
