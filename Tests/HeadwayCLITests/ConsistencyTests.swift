import ArgumentParser
import Foundation
@testable import HeadwayCLI
import HeadwayTestSupport
import Testing

/// Issue 12, item 9: the same misuse gives the same exit status in every command; every command
/// that reads or writes a database takes `--database`; help texts are not broken mid-sentence.
@Suite(.serialized) struct ConsistencyTests {
    /// Every runnable command of the tree, with its path (`["report", "parents"]`).
    static func leaves(_ command: any ParsableCommand.Type = Headway.self, path: [String] = []) -> [(path: [String], type: any ParsableCommand.Type)] {
        let configuration = command.configuration
        let name = configuration.commandName ?? String(describing: command).lowercased()
        let here = command == Headway.self ? [] : path + [name]
        let children = configuration.subcommands.flatMap { leaves($0, path: here) }
        return children.isEmpty ? [(here, command)] : children
    }

    /// Commands that touch no database: they read or write files only.
    static let withoutDatabase: Set<[String]> = [["mapping", "suggest"], ["mapping", "presets"], ["report", "templates"]]

    @Test func everyCommandThatUsesADatabaseTakesDatabase() {
        let all = Self.leaves()
        #expect(all.count > 30)
        for (path, type) in all {
            let help = Headway.helpMessage(for: type, columns: 200)
            #expect(help.contains("--database") != Self.withoutDatabase.contains(path), "headway \(path.joined(separator: " "))")
        }
    }

    /// A line of a discussion or abstract ends a sentence, a list item or a paragraph: never
    /// mid-sentence, which the terminal's own wrapping would then break twice.
    @Test func helpTextsBreakOnlyBetweenSentences() {
        for (path, type) in Self.leaves() {
            for text in [type.configuration.abstract, type.configuration.discussion] where !text.isEmpty {
                let lines = text.components(separatedBy: "\n")
                for (line, next) in zip(lines, lines.dropFirst()) {
                    let trimmed = line.trimmingCharacters(in: .whitespaces), following = next.trimmingCharacters(in: .whitespaces)
                    guard !trimmed.isEmpty, !following.isEmpty, !following.hasPrefix("-") else { continue }
                    #expect(".:!?)`".contains(trimmed.last!), "headway \(path.joined(separator: " ")): '…\(trimmed.suffix(30))' breaks mid-sentence")
                }
            }
        }
    }

    /// An unknown collection, year group, school or date on the command line is misuse (2),
    /// whatever the command; a pupil nobody matches is a data answer (1), whatever the command.
    @Test func theSameMisuseExitsTheSameEverywhere() async throws {
        let database = try await DemoDatabase.shared.path()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("headway-consistency-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let unknownCollection: [[String]] = [
            ["completion", "--collection", "DC9"],
            ["lists", "--collection", "DC9"],
            ["markbook", "export", "--collection", "DC9", "--out", out],
            ["markbook", "import", "--collection", "DC9", CLITests.fixtures.appendingPathComponent("grades.csv").path],
            ["report", "parents", "--collection", "DC9", "--out", out],
            ["report", "year-group", "--collection", "DC9", "--out", out],
        ]
        for arguments in unknownCollection {
            #expect(await Headway.run(arguments: arguments + ["--database", database]) == 2, "\(arguments)")
        }
        for command in [["completion"], ["lists"], ["check"], ["analyse"], ["interventions"], ["responsibility"]] {
            #expect(await Headway.run(arguments: command + ["--database", database, "--school", "NOPE"]) == 2, "\(command) --school NOPE")
            #expect(await Headway.run(arguments: command + ["--database", database, "--year", "last year"]) == 2, "\(command) --year")
        }
        let nobody: [[String]] = [
            ["explain", "--pupil", "Nobody, Anyone"],
            ["audit", "--pupil", "Nobody, Anyone"],
            ["report", "pupil", "--pupil", "Nobody, Anyone", "--out", out],
            ["interventions", "list", "--pupil", "Nobody, Anyone"],
            ["targets", "override", "--pupil", "Nobody, Anyone", "--subject", "MA", "--grade", "5", "--by", "DMG", "--reason", "r"],
        ]
        for arguments in nobody {
            #expect(await Headway.run(arguments: arguments + ["--database", database]) == 1, "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
