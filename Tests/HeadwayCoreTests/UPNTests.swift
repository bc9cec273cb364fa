import HeadwayCore
import HeadwayTestSupport
import Testing

@Suite struct UPNTests {
    /// Every example in shared/reference/upn-examples.csv (DfE guidance examples, python-stdnum
    /// doctests, a DfE MTC fixture): valid rows pass with no error, invalid rows fail on the check letter.
    @Test func referenceExamples() throws {
        let rows = try SharedFiles.referenceRows("reference/upn-examples.csv")
        #expect(rows.count == 11)
        for row in rows {
            let upn = try #require(row["upn"])
            let result = UPN.validate(upn)
            if row["valid"] == "1" {
                #expect(result.errors.isEmpty, "\(upn): \(result.problems)")
                #expect(result.upn?.rawValue == upn)
                #expect(upn.first.map(String.init) == row["expected_check_letter"])
            } else {
                #expect(result.upn == nil, "\(upn) should be rejected")
                #expect(result.errors.map(\.message) == ["wrong check letter at character 1"])
            }
        }
    }

    @Test func checkLetterTableMatchesReference() throws {
        let rows = try SharedFiles.referenceRows("reference/upn-check-letter-table.csv")
        #expect(rows.map { $0["letter"]! } == UPN.checkLetters.map(String.init))
    }

    @Test func temporaryUPNEndsInALetter() throws {
        let upn = try #require(UPN("G80120000101A"))
        #expect(upn.isTemporary)
        #expect(UPN("H801200001001")?.isTemporary == false)
    }

    @Test func lowerCaseIsUpperCasedWithAWarning() {
        let result = UPN.validate(" h801200001001 ")
        #expect(result.upn?.rawValue == "H801200001001")
        #expect(result.warnings.map(\.message) == ["lower-case letters upper-cased"])
        #expect(result.errors.isEmpty)
    }

    /// R900400001001 has a correct check letter (sum 61, remainder 15 = R) but 900 is no LA
    /// number (rejected by DfE MTC): Headway keeps it, with a warning.
    @Test func unknownLocalAuthorityIsAWarning() {
        let result = UPN.validate("R900400001001")
        #expect(result.upn != nil)
        #expect(result.warnings.map(\.message) == ["characters 2-4 not a recognised LA code"])
    }

    @Test(arguments: [
        ("H80120000100", "must be 13 characters, found 12"),
        ("H8012000010011", "must be 13 characters, found 14"),
        ("H8012000A1001", "characters 5-12 not all numeric"),
        ("H80120000100I", "character 13 not a recognised value"),
        ("H80120000100S", "character 13 not a recognised value"),
    ])
    func malformedUPNsAreErrors(upn: String, message: String) {
        let result = UPN.validate(upn)
        #expect(result.upn == nil)
        #expect(result.errors.map(\.message) == [message])
    }
}
