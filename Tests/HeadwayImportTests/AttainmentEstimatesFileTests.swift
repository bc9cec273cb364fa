import Foundation
import HeadwayCore
import HeadwayImport
import HeadwayTestSupport
import Testing

@Suite struct AttainmentEstimatesFileTests {
    /// The reference CSV read through the loader gives exactly the embedded KS4 2023 table — which
    /// checks the embedded numbers against their source as well.
    @Test func referenceTableLoadsAndMatchesTheEmbeddedOne() throws {
        let (table, issues) = AttainmentEstimatesFile.read(contentsOf: SharedFiles.url("reference/a8-estimates-2023-ks4.csv"),
                                                           ks4Year: 2023, name: "KS4 2023 (file)")
        #expect(issues.isEmpty)
        let loaded = try #require(table)
        #expect(loaded.rows == AttainmentEstimates.ks4_2023.rows)
        #expect(loaded.rows.count == 34)
        #expect(loaded.row(for: 106)?.total == 47.68)  // worked example P01
        #expect(loaded.ks4Year == 2023)
    }

    @Test func badValuesAreNamed() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("est-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try "pag,ks2_avg_min,ks2_avg_max,english_est,maths_est,ebacc_est,open_est\n1,59,82,3.81,2.29,4.19,5.55\n2,82.5,86,4.08,n/a,4.13,5.86\n"
            .write(to: url, atomically: true, encoding: .utf8)
        let (table, issues) = AttainmentEstimatesFile.read(contentsOf: url, ks4Year: 2024, name: "x")
        #expect(table == nil)
        #expect(issues.map { "\($0.line ?? 0) \($0.column ?? "") \($0.value ?? "")" } == ["3 maths_est n/a"])
    }
}
