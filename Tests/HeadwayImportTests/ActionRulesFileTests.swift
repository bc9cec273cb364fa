import Foundation
import HeadwayCore
import Testing
@testable import HeadwayImport

/// Action-list rules files (issue 6, item 1): the shipped default file is exactly the defaults,
/// missing keys keep them, and every mistake is named with file, line, key, value and reason.
@Suite struct ActionRulesFileTests {
    static let defaultFile = KS4ResultsFileTests.repository.appendingPathComponent("data/rules/action-lists.toml")

    /// The issues of a file that should not read.
    private func issues(_ toml: String, file: String = "rules.toml", scales: [GradeScale.ID: GradeScale] = GradeScale.builtIn) -> [ImportIssue] {
        let (rules, issues) = ActionRulesFile.read(toml: toml, file: file, scales: scales)
        #expect(rules == nil)
        return issues
    }

    @Test func theShippedFileIsExactlyTheStandardRules() throws {
        let (rules, issues) = ActionRulesFile.read(contentsOf: Self.defaultFile)
        #expect(issues.isEmpty, "\(issues)")
        #expect(try #require(rules) == ActionRules.standard)
        // And the standard rules are the documented defaults.
        let standard = ActionRules.standard
        #expect(standard.atlScale == GradeScale.atlID)
        #expect(standard.belowExpected == .init(enabled: true, minSubjects: 3))
        #expect(standard.wellBelowCore == .init(enabled: true, subjects: ["EN", "MA"]))
        #expect(standard.falling == .init(enabled: true, minDrop: 1.0, minSubjects: 2))
        #expect(standard.atlConcern == .init(enabled: true, threshold: 3.0, minSubjects: 3))
        #expect(standard.atlReward == .init(enabled: true, threshold: 1.25, minSubjects: 4))
    }

    @Test func missingKeysKeepTheirDefaults() throws {
        #expect(ActionRulesFile.read(toml: "", file: "empty.toml").rules == .standard)
        let text = """
            [falling]
            min_drop = 2          # two grades
            [well_below_core]
            subjects = ["ENG", "MAT", "SCI"]
            [atl_reward]
            enabled = false
            """
        let (rules, issues) = ActionRulesFile.read(toml: text, file: "school.toml")
        #expect(issues.isEmpty)
        var expected = ActionRules.standard
        expected.falling.minDrop = 2
        expected.wellBelowCore.subjects = ["ENG", "MAT", "SCI"]
        expected.atlReward.enabled = false
        #expect(rules == expected)
    }

    @Test func aSchoolScaleCanBeNamedWhenGiven() {
        let effort = GradeScale(id: "effort-1-5", name: "Effort 1–5", grades: (1...5).map { GradeScale.Grade(code: String($0), points: Double($0)) },
                                higherIsBetter: false)
        var scales = GradeScale.builtIn
        scales[effort.id] = effort
        let text = "atl_scale = \"effort-1-5\"\n[atl_concern]\nthreshold = 5\n[atl_reward]\nthreshold = 1\n"
        #expect(ActionRulesFile.read(toml: text, file: "r.toml", scales: scales).rules?.atlScale == "effort-1-5")
        // Without the school's scales it is unknown; the thresholds cannot be checked then.
        let found = issues(text)
        #expect(found.map(\.description) == [
            "rules.toml:1: key \"atl_scale\" value \"effort-1-5\": unknown scale; known scales: atl-1-4, gcse-9-1, gcse-combined-science, numeric-0-20, percentage",
        ])
    }

    @Test func negativeMinSubjectsNamesLineKeyAndValue() throws {
        let found = issues("# rules\n[below_expected_progress]\nenabled = true\nmin_subjects = -1\n")
        let issue = try #require(found.first)
        #expect(found.count == 1)
        #expect(issue.code == .mappingInvalid && issue.file == "rules.toml" && issue.line == 4)
        #expect(issue.column == "below_expected_progress.min_subjects" && issue.value == "-1")
        #expect(issue.description == "rules.toml:4: key \"below_expected_progress.min_subjects\" value \"-1\": must be 1 or more")
    }

    /// Issue 12, item 10: `[below_target]` was renamed `[below_expected_progress]` (it compares with
    /// the flight-path grade, not the target). A school's file with the old name still reads, as
    /// the new one, with a warning naming the line; its mistakes are found at their lines.
    @Test func theFormerBelowTargetTableIsReadWithAWarning() throws {
        let (rules, found) = ActionRulesFile.read(toml: "# ours\n[below_target]\nmin_subjects = 4\n", file: "rules.toml")
        #expect(rules?.belowExpected.minSubjects == 4)
        let warning = try #require(found.first)
        #expect(found.count == 1 && warning.severity == .warning && warning.line == 2 && warning.column == "below_target")
        #expect(warning.reason.hasPrefix("[below_target] is now called [below_expected_progress]"))
        // An error inside the old table is found at its line, under the new key.
        let bad = issues("[below_target]\nmin_subjects = 0\n")
        #expect(bad.filter(\.isError).map(\.description) == ["rules.toml:2: key \"below_expected_progress.min_subjects\" value \"0\": must be 1 or more"])
        // Both names at once: which one is meant is not guessed.
        let both = issues("[below_target]\nmin_subjects = 4\n[below_expected_progress]\nmin_subjects = 2\n")
        #expect(both.map(\.description) == ["rules.toml:1: key \"below_target\": the same rule as [below_expected_progress], which is also in the file: keep [below_expected_progress] and delete [below_target]"])
    }

    @Test func thresholdOffTheATLScale() {
        let found = issues("[atl_concern]\nthreshold = 5\n\n[atl_reward]\nthreshold = 0.75\n[falling]\nmin_drop = 0\n")
        #expect(found.map(\.description) == [
            "rules.toml:7: key \"falling.min_drop\" value \"0\": must be a number greater than 0 (points of the subject's scale: 1 is one GCSE grade)",
            "rules.toml:2: key \"atl_concern.threshold\" value \"5\": not on the ATL scale atl-1-4 (Attitude to learning 1–4): give a number from 1 to 4",
            "rules.toml:5: key \"atl_reward.threshold\" value \"0.75\": not on the ATL scale atl-1-4 (Attitude to learning 1–4): give a number from 1 to 4",
        ])
    }

    @Test func unknownKeysSuggestTheNearest() {
        let found = issues("atl_scael = \"atl-1-4\"\n[falling]\nmin_dorp = 1.5\n[atl_rewards]\nthreshold = 1\n")
        #expect(found.map(\.description) == [
            "rules.toml:4: key \"atl_rewards\" value \"{threshold}\": unknown key; did you mean atl_reward? allowed here: atl_scale, below_expected_progress, well_below_core, falling, atl_concern, atl_reward",
            "rules.toml:1: key \"atl_scael\" value \"atl-1-4\": unknown key; did you mean atl_scale? allowed here: atl_scale, below_expected_progress, well_below_core, falling, atl_concern, atl_reward",
            "rules.toml:3: key \"falling.min_dorp\" value \"1.5\": unknown key; did you mean min_drop? allowed here: enabled, min_drop, min_subjects",
        ])
    }

    @Test func wrongTypesNameTheValueFound() {
        let found = issues("""
            [below_expected_progress]
            min_subjects = "three"
            enabled = "yes"
            [well_below_core]
            subjects = "EN"
            [atl_concern]
            min_subjects = 2.5
            [atl_reward]
            threshold = "1.25"
            """)
        #expect(found.map(\.description) == [
            "rules.toml:3: key \"below_expected_progress.enabled\" value \"yes\": must be true or false, found a string",
            "rules.toml:2: key \"below_expected_progress.min_subjects\" value \"three\": must be a whole number, found a string",
            "rules.toml:5: key \"well_below_core.subjects\" value \"EN\": must be an array of subject codes such as [\"EN\", \"MA\"], found a string",
            "rules.toml:7: key \"atl_concern.min_subjects\" value \"2.5\": must be a whole number, found a number",
            "rules.toml:9: key \"atl_reward.threshold\" value \"1.25\": must be a number, found a string",
        ])
        // A rule that is not a table, and a subject code that is not a string.
        #expect(issues("falling = 2\n[well_below_core]\nsubjects = [\"EN\", 4]\n").map(\.description) == [
            "rules.toml:3: key \"well_below_core.subjects[2]\" value \"4\": must be a subject code in quotes, found an integer",
            "rules.toml:1: key \"falling\" value \"2\": must be a table: write [falling] with its keys on the lines below",
        ])
    }

    @Test func emptyCoreSubjectsWhileEnabled() {
        #expect(issues("[well_below_core]\nsubjects = []\n").map(\.description) == [
            "rules.toml:2: key \"well_below_core.subjects\" value \"[]\": list at least one subject code (e.g. [\"EN\", \"MA\"]), or set enabled = false",
        ])
        #expect(ActionRulesFile.read(toml: "[well_below_core]\nenabled = false\nsubjects = []\n", file: "r.toml").issues.isEmpty)
    }

    @Test func notTOMLIsOneSyntaxIssueWithItsLine() throws {
        let found = issues("[falling]\nmin_drop = = 1\n")
        let issue = try #require(found.first)
        #expect(found.count == 1 && issue.code == .mappingSyntax && issue.line == 2)
    }

    @Test func aMissingFileIsOneIssue() {
        let (rules, issues) = ActionRulesFile.read(contentsOf: URL(fileURLWithPath: "/nonexistent/action-lists.toml"))
        #expect(rules == nil)
        #expect(issues.map(\.code) == [.unreadableFile])
    }
}
