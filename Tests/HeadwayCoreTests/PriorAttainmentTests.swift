import HeadwayCore
import HeadwayTestSupport
import Testing

@Suite struct PriorAttainmentTests {
    @Test func meanOfReadingAndMaths() {
        // Worked example P01 (shared/reference/dfe-rules.md §1.6): (105 + 107) / 2 = 106.
        #expect(PriorAttainment(readingScaledScore: 105, mathsScaledScore: 107).average == 106)
        #expect(PriorAttainment(readingScaledScore: 100, mathsScaledScore: 101).average == 100.5)
    }

    @Test func oneMissingUsesTheOther() {
        #expect(PriorAttainment(readingScaledScore: nil, mathsScaledScore: 97).average == 97)
        #expect(PriorAttainment(readingScaledScore: 112, mathsScaledScore: nil).average == 112)
    }

    @Test func neitherMeansNoBaselineAndNoBand() {
        let none = PriorAttainment(readingScaledScore: nil, mathsScaledScore: nil)
        #expect(none.average == nil)
        #expect(none.band == nil)
    }

    /// Bands from shared/reference/prior-attainment-bands.csv (scaled-score era): lower bound
    /// inclusive, upper exclusive. Checked at and either side of each boundary.
    @Test func bandsFollowTheReferenceTable() throws {
        let rows = try SharedFiles.referenceRows("reference/prior-attainment-bands.csv").filter { $0["era"] == "scaled_score" }
        #expect(rows.count == 3)
        for row in rows {
            let band = try #require(PriorAttainment.Band(rawValue: row["band"]!))
            if let lower = Double(row["ks2_lower_inclusive"] ?? "") {
                #expect(PriorAttainment.Band(average: lower) == band)
                #expect(PriorAttainment.Band(average: lower - 0.5) != band)
            }
            if let upper = Double(row["ks2_upper_exclusive"] ?? "") {
                #expect(PriorAttainment.Band(average: upper - 0.5) == band)
                #expect(PriorAttainment.Band(average: upper) != band)
            }
        }
        #expect(PriorAttainment(readingScaledScore: 99, mathsScaledScore: 100).band == .low)  // 99.5
        #expect(PriorAttainment(readingScaledScore: 109, mathsScaledScore: 111).band == .high)  // 110
    }
}
