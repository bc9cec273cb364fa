import Foundation
import HeadwayCore
@testable import HeadwayImport
import Testing

/// The DfE KS4 performance-table reader (`headway import dfe-performance`) on the real 2019 file
/// shipped in `data/dfe-ks4-performance-tables-2019` (Crown copyright, OGL v3) and on small
/// hostile files. Expected values were read from the CSV by hand (line numbers are physical lines,
/// the header being line 1).
@Suite struct KS4PerformanceTableFileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let realFile = repository.appendingPathComponent("data/dfe-ks4-performance-tables-2019/england_ks4provisional_2019.csv")

    static let real: KS4PerformanceTableFile.Result = KS4PerformanceTableFile(ks4Year: 2019).read(contentsOf: realFile)

    static func row(_ urn: String) -> PublishedKS4Row? { real.rows.first { $0.urn == urn } }

    static func read(_ text: String, name: String = "table_2019.csv") -> KS4PerformanceTableFile.Result {
        KS4PerformanceTableFile(ks4Year: 2019).read(name: name, contents: Data(text.utf8))
    }

    static let header = "RECTYPE,LEA,ESTAB,URN,SCHNAME,ICLOSE,NFTYPE,TPUP,ATT8SCR,P8MEA,PTL2BASICS_94\n"

    // MARK: The real file

    @Test func theRealFileReadsWithoutIssues() {
        let result = Self.real
        #expect(result.issues.isEmpty, "\(result.issues.prefix(5))")
        #expect(result.encoding == .utf8WithBOM)
        #expect(result.rowsRead == 5_652 && result.rowsAccepted == 5_652 && result.rowsRejected == 0)
        #expect(result.rowsPerRecordType == [.mainstreamSchool: 4_296, .specialSchool: 1_199, .localAuthority: 155,
                                             .englandAllSchools: 1, .englandStateFunded: 1])
        #expect(result.measureColumns.count == 18)
        #expect(result.measureColumns.first == "TPUP" && result.measureColumns.last == "P8_BANDING")
        // The BOM is not part of the first header.
        #expect(!result.measureColumns.contains { $0.hasPrefix("\u{FEFF}") })
    }

    /// Line 5653: `7,,,,,,,542831,46.5,513055,4888,-0.03,,,-0.03,,,64.4%,43.0%,4.06,…`.
    @Test func theEnglandRowHoldsThePublishedFigures() throws {
        let england = try #require(Self.real.rows.first { $0.recordType == .englandStateFunded })
        #expect(england.key == PublishedKS4Row.Key(scope: "england", id: "7"))
        #expect(england.lea == nil && england.urn == nil && england.name == nil)
        #expect(england["ATT8SCR"] == .number(PublishedDecimal("46.5")!))
        #expect(england["P8MEA"]?.numeric?.doubleValue == -0.03)
        #expect(england["P8MEA"]?.published == "-0.03")
        #expect(england["TPUP"]?.published == "542831")
        #expect(england["P8CILOW"] == .notPublished)  // blank: no interval for England
        #expect(england["PTL2BASICS_94"] == .percentage(PublishedDecimal("64.4")!))
        #expect(england["PTL2BASICS_94"]?.published == "64.4%")
        #expect(england["EBACCAPS"]?.published == "4.06")

        // Line 5652, all schools (independent included): A8 44.5 and no Progress 8.
        let all = try #require(Self.real.rows.first { $0.recordType == .englandAllSchools })
        #expect(all["ATT8SCR"]?.published == "44.5")
        #expect(all["P8MEA"] == .notPublished)
    }

    /// Line 97: Jack Tizard School (URN 100381), 2 pupils — every figure `SUPP`, none of them 0.
    @Test func aSuppressedSchoolIsSuppressedNotZero() throws {
        let school = try #require(Self.row("100381"))
        #expect(school.name == "Jack Tizard School" && school.recordType == .specialSchool)
        #expect(school["TPUP"]?.published == "2")
        #expect(school["ATT8SCR"] == .suppressed)
        #expect(school["ATT8SCR"]?.numeric == nil)
        #expect(school["PTL2BASICS_94"] == .suppressed)
        #expect(school["ATT8SCR"]?.display == "SUPP (suppressed: fewer than 6 pupils)")
    }

    /// Line 20: Swiss Cottage School (URN 100096), 12 pupils, no entries; line 173: Trinity
    /// Academy (URN 140966), P8 `LOWCOV` beside a published A8 of 36.4; line 2: City of London
    /// School (URN 100003), independent, `NA`.
    @Test func noEntriesLowCoverageAndNotApplicable() throws {
        let swiss = try #require(Self.row("100096"))
        #expect(swiss["TPUP"]?.published == "12")
        #expect(swiss["ATT8SCR"] == .noEntries && swiss["ATT8SCR"]?.numeric == nil)
        #expect(swiss["P8_BANDING"] == .notPublished)

        let trinity = try #require(Self.row("140966"))
        #expect(trinity["P8MEA"] == .lowCoverage)
        #expect(trinity["ATT8SCR"]?.published == "36.4")
        #expect(trinity["P8PUP"]?.published == "29")

        let city = try #require(Self.row("100003"))
        #expect(city["ATT8SCR"] == .notApplicable)
        #expect(city.lea == "201" && city.estab == "6007")
        #expect(city.attributes == ["NFTYPE": "IND", "ICLOSE": "0"])
    }

    /// Line 61: a quoted name with a comma; line 24: LA 202's percentages and interval.
    @Test func quotedNamesAndLocalAuthorityRows() throws {
        let hackney = try #require(Self.row("135835"))
        #expect(hackney.name == "The City Academy, Hackney")
        #expect(hackney["P8CILOW"]?.published == "-0.13")

        let la = try #require(Self.real.rows.first { $0.recordType == .localAuthority && $0.lea == "202" })
        #expect(la.key == PublishedKS4Row.Key(scope: "la", id: "202"))
        #expect(la.urn == nil && la.estab == nil)
        #expect(la["ATT8SCR"]?.published == "48.5")
        #expect(la["PTL2BASICS_95"] == .percentage(PublishedDecimal("46.2")!))
        #expect(la["PTL2BASICS_95"]?.numeric?.tenThousandths == 462_000)

        // Line 4: LA 201 (City of London) has no figures at all: blank, not zero.
        let city = try #require(Self.real.rows.first { $0.recordType == .localAuthority && $0.lea == "201" })
        #expect(Set(city.measures.values) == [.notPublished])
    }

    /// Counted by hand from the file (a scan of the 18 measure columns of all 5,652 rows).
    @Test func countsPerCodeOverallAndPerColumn() {
        let counts = Self.real.counts
        #expect(counts == [.number: 44_451, .percentage: 22_146, .notApplicable: 24_768, .noEntries: 4_655,
                           .notPublished: 3_597, .suppressed: 2_070, .lowCoverage: 49])
        #expect(counts.values.reduce(0, +) == 5_652 * 18)
        #expect(Self.real.countsByColumn["P8MEA"] == [.number: 3_676, .notApplicable: 1_376, .noEntries: 278, .notPublished: 177,
                                                      .suppressed: 138, .lowCoverage: 7])
        #expect(Self.real.countsByColumn["ATT8SCR"]?[.lowCoverage] == nil)
    }

    // MARK: Hostile files

    @Test func identifiersStayTextWithLeadingZeros() throws {
        let result = Self.read("LAESTAB," + Self.header + "2010123,1,201,0123,012345,\"Zero, Leading\",0,AC,120,50.1,0.25,70.0%\n")
        #expect(result.issues.isEmpty, "\(result.issues)")
        let row = try #require(result.rows.first)
        #expect(row.lea == "201" && row.estab == "0123" && row.urn == "012345")
        #expect(row.attributes["LAESTAB"] == "2010123" && row["LAESTAB"] == nil)  // an identifier, not a measure
        #expect(row.name == "Zero, Leading")
        #expect(row["PTL2BASICS_94"] == .percentage(PublishedDecimal("70.0")!))
        #expect(row["PTL2BASICS_94"]?.published == "70.0%")
    }

    @Test func anUnknownCodeIsReportedNotReadAsZero() throws {
        // Codes outside the DfE's key, in the wrong case or made up: never guessed at.
        let result = Self.read(Self.header + "1,201,4001,100001,A School,0,AC,120,X,0.25,5.9%\n1,201,4002,100002,B School,0,AC,90,47.0,N/A,5.9%\n")
        let issues = result.issues.filter { $0.code == .unknownCode }
        #expect(issues.count == 2)
        #expect(issues.map(\.line) == [2, 3])
        #expect(issues.map(\.column) == ["ATT8SCR", "P8MEA"])
        #expect(issues.map(\.value) == ["X", "N/A"])
        #expect(issues[0].description.hasPrefix("table_2019.csv:2: column \"ATT8SCR\" value \"X\": not a number, a percentage"))
        #expect(issues[0].reason.contains("NP not published: withheld by the DfE"))
        #expect(result.rows.isEmpty && result.rowsRejected == 2)
    }

    @Test func aDuplicateURNRejectsBothRowsNamingBothLines() throws {
        let result = Self.read(Self.header
            + "1,201,4001,100001,A School,0,AC,120,50.1,0.25,70.0%\n"
            + "1,202,4002,100002,B School,0,AC,90,47.0,0.10,60.0%\n"
            + "1,203,4003,100001,A School again,0,AC,110,40.0,-0.5,50.0%\n")
        let issue = try #require(result.issues.first { $0.code == .duplicateEntry })
        #expect(issue.line == 4 && issue.column == "URN" && issue.value == "100001")
        #expect(issue.reason.contains("line 2") && issue.reason.contains("line 4"))
        #expect(result.rows.map(\.urn) == ["100002"])
        #expect(result.rowsAccepted == 1 && result.rowsRejected == 2)
    }

    @Test func aDuplicateLocalAuthorityIsRejectedToo() throws {
        let result = Self.read(Self.header + "4,202,,,,,,1571,48.5,0.09,67.4%\n4,202,,,,,,1500,48.0,0.08,67.0%\n7,,,,,,,542831,46.5,-0.03,64.4%\n")
        let issue = try #require(result.issues.first { $0.code == .duplicateEntry })
        #expect(issue.line == 3 && issue.column == "LEA" && issue.value == "202")
        #expect(issue.description.contains("LA 202 is on line 2 and line 3"))
        #expect(result.rows.map(\.recordType) == [.englandStateFunded])
    }

    @Test func badRecordTypesAndIdentifiersAreRejected() throws {
        let result = Self.read(Self.header
            + "3,201,4001,100001,A,0,AC,1,2,3,4%\n"        // no record type 3
            + "1,20,4001,100002,B,0,AC,1,2,3,4%\n"         // LEA of two digits
            + "1,201,40O1,100003,C,0,AC,1,2,3,4%\n"        // a letter O in ESTAB
            + "1,201,4001,,D,0,AC,1,2,3,4%\n"              // a school without a URN
            + "4,,,,,,,1,2,3,4%\n"                         // an LA without an LEA
            + "1,201,4001,100004,E,0,AC,1,2\n")            // short row
        #expect(result.issues.map(\.code) == [.unknownRecordType, .invalidIdentifier, .invalidIdentifier, .missingValue, .missingValue, .fieldCount])
        #expect(result.issues.map(\.line) == [2, 3, 4, 5, 6, 7])
        #expect(result.issues[1].column == "LEA" && result.issues[1].value == "20")
        #expect(result.issues[2].column == "ESTAB" && result.issues[2].value == "40O1")
        #expect(result.rows.isEmpty)
    }

    @Test func aFileThatIsNotAPerformanceTableIsRefused() {
        let result = Self.read("pupil,subject,grade\nP1,maths,5\n")
        #expect(result.issues.map(\.code) == [.missingColumn])
        #expect(result.issues[0].column == "URN")
        #expect(result.rows.isEmpty && result.rowsRejected == 1)
    }

    // MARK: Values and names

    @Test func publishedValuesParseExactly() {
        #expect(PublishedValue(parsing: "5.9%") == .percentage(PublishedDecimal("5.9")!))
        #expect(PublishedValue(parsing: "-0.03")?.numeric?.tenThousandths == -300)
        #expect(PublishedValue(parsing: "605874")?.numeric?.tenThousandths == 6_058_740_000)
        #expect(PublishedValue(parsing: "")?.kind == .notPublished)
        for code in ["NA", "NE", "SUPP", "LOWCOV", "NP", "NEW", "SP", "x", "c", "z", "low"] {
            #expect(PublishedValue(parsing: code)?.kind.rawValue == code)
            #expect(PublishedValue(parsing: code)?.numeric == nil)
            #expect(PublishedValue(parsing: code)?.published == code)
        }
        for bad in ["X", "np", "New", "C", "LOW", "supp", "1e3", "+1", ".5", "5.", "1,200", "5.9 %", "%", "-"] {
            #expect(PublishedValue(parsing: bad) == nil, "\(bad)")
        }
        #expect(PublishedDecimal("1.23456")?.tenThousandths == nil)
        #expect(PublishedValue(kind: .suppressed, published: "SUPP") == .suppressed)
        #expect(PublishedValue(kind: .number, published: "SUPP") == nil)
    }

    @Test func theKS4YearComesFromTheFileName() {
        #expect(KS4PerformanceTableFile.ks4Year(fromFileName: "england_ks4provisional_2019.csv") == 2019)
        #expect(KS4PerformanceTableFile.ks4Year(fromFileName: "2022-2023_england_ks4final.csv") == nil)  // two years
        #expect(KS4PerformanceTableFile.ks4Year(fromFileName: "ks4.csv") == nil)
    }

    @Test func theLikelyLocalAuthorityIsTheMostCommonInTheUPNs() {
        // Valid UPNs (check letters computed) from LAs 202, 202 and 305.
        let upns = ["A202400119001", "A202400119002", "A305400119001"].compactMap { body -> UPN? in
            let digits = Array(body.dropFirst())
            var sum = 0
            for (i, d) in digits.enumerated() { sum += d.wholeNumberValue! * (i + 2) }
            return UPN(String(UPN.checkLetters[sum % 23]) + String(digits))
        }
        #expect(upns.count == 3)
        #expect(PublishedKS4Row.likelyLocalAuthority(of: upns) == "202")
        #expect(PublishedKS4Row.likelyLocalAuthority(of: []) == nil)
    }

    // MARK: A final-release table with NP and the rest of the DfE's key (issue 12, item 3)

    /// `Fixtures/dfe/england_ks4final_2019.csv`: fictional schools in the final-release form (NP
    /// for a withheld school, NEW, SP, the statistics symbols x, c, z, low, and the provisional
    /// codes), with England's row as the real provisional 2019 file gives it.
    static let final = KS4PerformanceTableFile(ks4Year: 2019).read(contentsOf: Fixtures.url("dfe/england_ks4final_2019.csv"))

    @Test func aFinalReleaseFileWithNPAndEveryCodeImportsCountedPerCode() throws {
        let result = Self.final
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.rowsAccepted == 11)
        // Counted by hand from the fixture: 11 rows × 9 measure columns = 99 cells.
        #expect(result.counts == [.number: 37, .percentage: 4, .withheld: 9, .newSchool: 9, .smallPercentage: 1,
                                  .notAvailable: 2, .confidential: 2, .notApplicableSymbol: 3, .roundsToZero: 1,
                                  .suppressed: 7, .noEntries: 7, .lowCoverage: 4, .notApplicable: 9, .notPublished: 4])
        #expect(result.counts.values.reduce(0, +) == 99)
        #expect(result.countsByColumn["P8MEA"] == [.number: 4, .withheld: 1, .newSchool: 1, .confidential: 1, .suppressed: 1,
                                                   .noEntries: 1, .lowCoverage: 1, .notApplicable: 1])
    }

    @Test func everyCodeIsKeptAsWhatItMeansNeverZero() throws {
        let rows = Dictionary(uniqueKeysWithValues: Self.final.rows.compactMap { row in row.urn.map { ($0, row) } })
        let withheld = try #require(rows["990002"])
        #expect(withheld["ATT8SCR"] == .withheld && withheld["ATT8SCR"]?.numeric == nil)
        #expect(withheld["ATT8SCR"]?.published == "NP")
        #expect(withheld["ATT8SCR"]?.display == "NP (not published: withheld by the DfE)")
        #expect(rows["990003"]?["P8MEA"] == .newSchool)
        #expect(rows["990004"]?["PTL2BASICS_94"] == .smallPercentage)
        #expect(rows["990004"]?["ATT8SCR"] == .number(PublishedDecimal("44.0")!))
        let special = try #require(rows["990005"])
        #expect(special.recordType == .specialSchool)
        #expect([special["ATT8SCR"], special["P8PUP"], special["P8CILOW"], special["PTL2BASICS_94"]]
                == [.notAvailable, .confidential, .notApplicableSymbol, .roundsToZero])
        #expect(special["P8CILOW"]?.published == "z" && special["PTL2BASICS_94"]?.display == "low (rounds to zero, but is not zero)")
        // No code anywhere reads as a number.
        for row in Self.final.rows {
            for (_, value) in row.measures where value.kind.isCode { #expect(value.numeric == nil) }
        }
        // A stored value round-trips through its kind and published text.
        for kind in PublishedValue.Kind.allCases where kind.isCode && kind != .notPublished {
            #expect(PublishedValue(kind: kind, published: kind.rawValue)?.kind == kind)
        }
        let england = try #require(Self.final.rows.first { $0.recordType == .englandStateFunded })
        #expect(england["P8MEA"]?.published == "-0.03" && england["P8PUP"]?.published == "513055")
    }

    @Test func aSubsetOfTheColumnsWithoutLEAOrRECTYPEImportsWhenItHasURN() throws {
        let result = Self.read("URN,SCHNAME,ATT8SCR,P8MEA\n990001,Harbour View Academy,47.3,0.12\n990002,Quarry Lane School,NP,NP\n,No URN,40.0,0.0\n")
        #expect(result.rows.map(\.urn) == ["990001", "990002"])
        #expect(result.rows.allSatisfy { $0.lea == nil && $0.recordType == .mainstreamSchool })
        #expect(result.rows[0]["P8MEA"]?.published == "0.12")
        #expect(result.counts == [.number: 2, .withheld: 2])
        // Without RECTYPE every row is a school, so one with no URN is refused.
        #expect(result.issues.map(\.code) == [.missingValue])
        #expect(result.issues.first?.line == 4 && result.issues.first?.column == "URN")

        // With RECTYPE but no LEA: schools and England read; a local-authority row cannot be told apart.
        let noLEA = Self.read("RECTYPE,URN,ATT8SCR\n1,990001,47.3\n4,,45.1\n7,,46.5\n")
        #expect(noLEA.rows.map(\.recordType) == [.mainstreamSchool, .englandStateFunded])
        #expect(noLEA.issues.map(\.code) == [.missingValue])
        #expect(noLEA.issues.first?.line == 3 && noLEA.issues.first?.column == "LEA")
    }
}
