import Foundation
import HeadwayAnalytics
import HeadwayCore
import Testing

/// The demo's headline report (issue 12, item 7): the headline first, plain words, and classes
/// and teachers ranked only with 5 or more pupils.
@Suite struct HeadlineReportCLITests {
    func file(_ name: String) async throws -> String {
        _ = try await DemoDatabase.shared.path()
        return try String(contentsOf: DemoDatabase.shared.folder.appendingPathComponent("report/\(name)"), encoding: .utf8)
    }

    @Test func demoHeadlineLeadsAndSpeaksPlainly() async throws {
        let html = try await file("index.html")
        let firstHeading = try #require(html.range(of: "<h2>")).upperBound
        #expect(html[firstHeading...].hasPrefix("Headline: forecast results against England and the local authority"))
        for raw in ["prior_attainment_band", "true vs false", "Gender F", "not F", "not M", "looked_after"] {
            #expect(!html.contains(raw), "\(raw)")
        }
        #expect(html.contains("girls vs boys") && html.contains("disadvantaged vs not disadvantaged"))
        let ks4 = try await file("csv/headline-ks4.csv")
        // Year 11 first: the cohort whose GCSEs come next.
        #expect(ks4.split(separator: "\r\n").dropFirst().map { String($0.prefix(7)) } == ["Year 11", "Year 10"])
    }

    @Test func classesAndTeachersAreRankedOnlyWithFiveOrMorePupils() async throws {
        let year = try await DemoDatabase.shared.storedYear()
        let analysis = await SchoolAnalysis.compute(year)
        // The demo has small classes (the fault generator plants them): the rule has work to do.
        let small = analysis.progress.residuals.filter { $0.level != .subject && $0.summary.count < 5 }
        #expect(!small.isEmpty)
        let lines = try await file("csv/residuals.csv").split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.contains { $0[0] == "class" })
        for line in lines where line[0] != "subject" {
            #expect(Int(line[3])! >= 5, "\(line)")
        }
        for residual in small { #expect(!lines.contains { $0[1] == residual.key }, "\(residual.key)") }
    }
}
