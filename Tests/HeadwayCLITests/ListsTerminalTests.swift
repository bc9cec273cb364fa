import HeadwayAnalytics
@testable import HeadwayCLI
import HeadwayCore
import HeadwayTestSupport
import Testing

/// `headway lists --pupils` (issue 12, item 10): each pupil's number of subjects and shortfall in
/// grades on the terminal, in the list's order, under the list's new name.
@Suite struct ListsTerminalTests {
    @Test func detailsShowSubjectsAndShortfallInListOrder() throws {
        let year = Fixtures.smallSchool()
        let list = ActionList(
            rule: .belowExpected, collection: year.collections[1], yearGroup: 10, responsible: [],
            entries: [
                ActionList.Entry(pupil: year.pupils[2], subjects: ["EN", "MA", "SC"], reason: "below expected progress in 3 subjects", shortfall: 4.25),
                ActionList.Entry(pupil: year.pupils[0], subjects: ["MA", "SC"], reason: "below expected progress in 2 subjects", shortfall: 1.0),
            ],
            summary: ActionRules.standard.summary(of: .belowExpected))
        let text = ListsCommand.describe([list], details: true)
        #expect(text.contains("DC2 Year 10 — below_expected_progress: below expected progress in 3 or more subjects (2)"))
        let lines = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        let header = try #require(lines.first { $0.first == "pupil" })
        #expect(header.prefix(8) == ["pupil", "name", "tutor", "group", "subjects", "shortfall", "(grades)", "reason"])
        let rows = lines.filter { ["R674123101121", "H801200001001"].contains($0.first ?? "") }
        // Kwame (3 subjects, 4.25 → 4.3) before Aoife (2, 1.0): the list's order is kept.
        #expect(rows.map { [$0[0], $0[$0.firstIndex(of: "below")! - 2], $0[$0.firstIndex(of: "below")! - 1]] }
                == [["R674123101121", "3", "4.3"], ["H801200001001", "2", "1.0"]])
    }
}
