import Foundation
import HeadwayCore
@testable import HeadwayImport
import HeadwayTestSupport
import Testing

/// External targets (issue 4, item 4): pupil, subject, target, optional set_by and
/// percentile_band, stored as the imported method.
@Suite struct TargetsFileTests {
    let year = HeadwayTestSupport.Fixtures.smallSchool()

    func read(_ text: String) -> TargetsFile.Result {
        TargetsFile().read(name: "targets.csv", contents: Data(text.utf8), for: year)
    }

    @Test func providerTargetsKeepTheirBand() throws {
        // P001 by id, P002 by its UPN; a header with spaces and capitals.
        let result = read("Pupil,Subject,Target,Set By,Percentile Band\nP001,MA,7,FFT,FFT20\nB801200005001,MA,6-,FFT,50%\nP003,MA,5,,\n")
        #expect(!result.hasErrors)
        #expect(result.targets.map(\.pupil) == ["P001", "P002", "P003"])
        #expect(result.targets.map(\.percentileBand) == ["FFT20", "50%", nil])
        #expect(result.targets.allSatisfy { $0.method == .imported })
        #expect(result.targets.map(\.grade.stored) == ["7", "6-", "5"])
        #expect(result.targets[0].setBy == "FFT" && result.targets[2].setBy == nil)
    }

    @Test func eachBadRowIsNamed() {
        let result = read("pupil,subject,target,percentile_band\nP001,MA,7,FFT120\nP001,MA,10,\nNOBODY,MA,5,\nP002,MA,5,\nP002,MA,6,\nP003,XX,5,\n")
        let errors = result.issues.filter(\.isError)
        #expect(errors.map(\.line) == [2, 3, 4, 6, 7])
        #expect(errors.map(\.code) == [.invalidPercentileBand, .offScale, .unknownPupil, .duplicateEntry, .unknownSubject])
        #expect(errors[0].column == "percentile_band" && errors[0].value == "FFT120")
        #expect(errors[3].reason.contains("line 5"))  // the duplicate names the first line
        #expect(result.targets.map(\.pupil) == ["P002"])
    }

    @Test func percentileBands() {
        for good in ["FFT20", "20", "20%", "P5", "fft50", "99"] { #expect(TargetsFile.isPercentileBand(good), "\(good)") }
        for bad in ["FFT", "0", "100", "20.5", "top", "FFT20x", "-5", "٢٠"] { #expect(!TargetsFile.isPercentileBand(bad), "\(bad)") }
    }
}
