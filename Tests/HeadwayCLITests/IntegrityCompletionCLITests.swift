import Foundation
import HeadwayAnalytics
@testable import HeadwayCLI
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// `headway check --format csv|html --out` and `headway completion --chase-list` end to end
/// (issue 5, items 4 and 5), and the UCI done-when: a 0 in G2 or G3 is reported as not sat,
/// never averaged as a grade of 0.
@Suite(.serialized) struct IntegrityCompletionCLITests {
    static let context = ChangeContext(actor: "DMG", source: "user", reason: "correction", at: Date(timeIntervalSince1970: 1_795_000_000))

    /// A file's text as written, byte-order mark included (`String(contentsOf:)` drops it).
    static func bytes(_ url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    /// The small fixture saved, then saved again with P001's disadvantaged flag turned off
    /// (2026-11-18T11:06:40Z): one audited characteristic change.
    func fixtureDatabase(in folder: URL) async throws -> String {
        let database = folder.appendingPathComponent("riverside.sqlite").path
        let store = try await Store.open(.sqlite(path: database))
        do {
            try await store.migrate()
            var year = Fixtures.smallSchool()
            try await store.save(year, context: Self.context)
            year.pupils[0].characteristics[Characteristic.disadvantaged] = "false"
            try await store.save(year, context: Self.context)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
        return database
    }

    @Test func checkWritesCSVAndHTMLAndExitsOneOnErrors() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await fixtureDatabase(in: folder)
        let csv = folder.appendingPathComponent("integrity.csv"), html = folder.appendingPathComponent("integrity.html")

        // The fixture's A* in science is an error: exit 1 whatever the format.
        #expect(await Headway.run(arguments: ["check", "--database", database, "--format", "csv", "--out", csv.path]) == 1)
        let rows = try SharedFiles.csvRows(text: String(contentsOf: csv, encoding: .utf8))
        let offScale = try #require(rows.first { $0["check"] == "off-scale" })
        #expect(offScale["severity"] == "error")
        #expect(offScale["record"] == "DC2 / 10X/Sc1 / pupil P003 (Kwame Adeyemi-Hart) / SC")
        #expect(offScale["who can fix it"] == "Ms Smith (JSM), Mr Patel (RPA)")
        #expect([offScale["collection"], offScale["class"], offScale["pupil"], offScale["subject"]] == ["DC2", "10X/Sc1", "P003", "SC"])
        // The change read back from the audit log, with who made it and when.
        let changed = rows.filter { $0["check"] == "characteristic-changed" }
        #expect(changed.map { $0["record"] ?? "" } == ["pupil P001 (Aoife O'Neil, year 10) / disadvantaged"])
        #expect(changed.first?["finding"] == "changed from true to false on 2026-11-18 by DMG (user)")
        #expect(changed.first?["severity"] == "warning")
        #expect(changed.first?["staff codes"] == "DMG")

        #expect(await Headway.run(arguments: ["check", "--database", database, "--format", "html", "--out", html.path]) == 1)
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<h1>Riverside Academy</h1>"))
        #expect(page.contains("<h2>Errors (1)</h2>"))
        #expect(page.contains("pupil P001 (Aoife O&#39;Neil, year 10) / disadvantaged"))

        #expect(await Headway.run(arguments: ["check", "--database", database, "--format", "pdf"]) == 2)
    }

    /// DC2 misses P003's maths (Ms Smith) and P001's and P002's science (Ms Smith and Mr Patel).
    @Test func completionWritesTheChaseList() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await fixtureDatabase(in: folder)
        let chase = folder.appendingPathComponent("chase.csv")
        #expect(await Headway.run(arguments: ["completion", "--database", database, "--collection", "DC2", "--chase-list", chase.path]) == 0)
        #expect(try Self.bytes(chase) == "\u{FEFF}teacher,name,email,role,collection,missing,classes,missing cells,deadline\r\n"
            + "JSM,Ms Smith,j.smith@school.example,class teacher,DC2,3,10X/Ma1 (1); 10X/Sc1 (2),\"10X/Ma1: Kwame Adeyemi-Hart; 10X/Sc1: Aoife O'Neil, Zoë Marsh\",\r\n"
            + "RPA,Mr Patel,r.patel@school.example,class teacher,DC2,2,10X/Sc1 (2),\"10X/Sc1: Aoife O'Neil, Zoë Marsh\",\r\n")
        for grouping in ["teacher", "class", "department", "subject", "year-group"] {
            #expect(await Headway.run(arguments: ["completion", "--database", database, "--by", grouping]) == 0, "\(grouping)")
        }
        #expect(await Headway.run(arguments: ["completion", "--database", database, "--collection", "DC9"]) == 2)
        #expect(await Headway.run(arguments: ["completion", "--database", database, "--by", "house"]) == 2)
    }

    @Test func completionTextListsTheMissingCellsPerTeacher() throws {
        let year = Fixtures.smallSchool()
        let index = YearIndex(year)
        let text = CompletionCommand.describe(Completion(index, collection: year.collections[1]), by: .department, index: index)
        #expect(text.hasPrefix("Completion of DC2 (Spring data collection): 4 of 7 entered (57.1%), 1 not sat (X), 3 missing\n"))
        #expect(text.contains("Combined science"))
        #expect(text.contains("  Ms Smith (JSM): 3 missing\n    10X/Ma1 (1): Kwame Adeyemi-Hart\n    10X/Sc1 (2): Aoife O'Neil, Zoë Marsh\n"))
        #expect(text.contains("  Mr Patel (RPA): 2 missing\n    10X/Sc1 (2): Aoife O'Neil, Zoë Marsh\n"))
    }

    // MARK: UCI

    /// Rows of a UCI file (`;`-separated, values in quotes or not) as header → value.
    static func uciRows(_ name: String) throws -> [[String: String]] {
        let text = try String(contentsOf: CLITests.uci.appendingPathComponent(name), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ";", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: "\"", with: "") } }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    /// The pupils with 0 in G2 or G3, counted from each raw file here, are each file's subject's
    /// not-sat findings; completion counts their X as not sat; and no mean includes them.
    @Test func uciZerosInG2OrG3AreNotSatNeverAGradeOfZero() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("uci.sqlite").path
        #expect(await Headway.run(arguments: [
            "import", "--database", database, "--mapping", CLITests.repository.appendingPathComponent("examples/uci-portuguese/mapping.toml").path,
            CLITests.uci.appendingPathComponent("student-por.csv").path, CLITests.uci.appendingPathComponent("student-mat.csv").path,
        ]) == 0)

        let files: [(subject: Subject.ID, rows: [[String: String]])] = [("MAT", try Self.uciRows("student-mat.csv")), ("POR", try Self.uciRows("student-por.csv"))]
        #expect(files.map(\.rows.count) == [395, 649])
        let notSatRaw = files.map { file in file.rows.filter { $0["G2"] == "0" || $0["G3"] == "0" }.count }

        // headway check: one not-sat note per pupil and subject, as many as the raw files say.
        let csv = folder.appendingPathComponent("check.csv")
        #expect(await Headway.run(arguments: ["check", "--database", database, "--format", "csv", "--out", csv.path]) == 0)
        let findings = try SharedFiles.csvRows(text: String(contentsOf: csv, encoding: .utf8))
        let notSat = findings.filter { $0["check"] == "not-sat" }
        #expect(files.map { file in notSat.filter { $0["subject"] == file.subject.rawValue }.count } == notSatRaw)
        #expect(Set(notSat.map { "\($0["pupil"] ?? "")|\($0["subject"] ?? "")" }).count == notSat.count)  // one per pupil and subject
        #expect(!findings.contains { $0["check"] == "missing-entries" })  // nothing is blank: X is not a blank to chase

        // headway completion: every cell entered; the X counted as not sat per collection and file.
        let chase = folder.appendingPathComponent("chase.csv")
        #expect(await Headway.run(arguments: ["completion", "--database", database, "--collection", "G3", "--chase-list", chase.path]) == 0)
        #expect(try Self.bytes(chase) == "\u{FEFF}teacher,name,email,role,collection,missing,classes,missing cells,deadline\r\n")
        let store = try await Store.open(.sqlite(path: database))
        let year = try await store.load(school: "UCI", year: AcademicYear(startYear: 2005))
        try await store.close()
        let index = YearIndex(year)
        for collection in year.collections where collection.id != "G1" {
            let completion = Completion(index, collection: collection)
            #expect(completion.overall.missing == 0)
            for file in files {
                let zeros = file.rows.filter { $0[collection.id.rawValue] == "0" }.count
                #expect(completion.bySubject.first { $0.key == file.subject.rawValue }?.notSat == zeros, "\(collection.id) \(file.subject)")
            }
        }

        // Means at G3 leave the not-sat pupils out: the mean of the non-zero G3s, per file and sex.
        let summaries = SubgroupSummary.compute(index).filter { $0.characteristic == Characteristic.gender }
        for file in files {
            for sex in ["F", "M"] {
                let marks = file.rows.filter { $0["sex"] == sex && $0["G3"] != "0" }.compactMap { Double($0["G3"] ?? "") }
                let line = try #require(summaries.first { $0.subject == file.subject && $0.value == sex })
                #expect(line.latestCount == marks.count)
                #expect(abs((line.latestMean ?? .nan) - marks.reduce(0, +) / Double(marks.count)) < 1e-9, "\(file.subject) \(sex)")
            }
        }
    }
}
