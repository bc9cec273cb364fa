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
        // A class or teacher is shown with figures only with 5 or more pupils; a smaller one is
        // listed without n or mean (disclosure control, item 11), never ranked by a figure.
        for line in lines where line[0] != "subject" {
            if let n = Int(line[3]) { #expect(n >= 5, "\(line)") } else { #expect(Double(line[4]) == nil, "\(line)") }
        }
        for residual in small {
            let row = lines.first { $0[0] == residual.level.rawValue && $0[1] == residual.key }
            #expect(row.map { Int($0[3]) == nil && Double($0[4]) == nil } ?? true, "\(residual.key)")
        }
    }
}
