import Foundation
import HeadwayAnalytics
@testable import HeadwayCLI
import HeadwayCore
import HeadwayStore
import HeadwaySynthetic
import HeadwayTestSupport
import Testing

/// Issue 6 end to end on the demo school: `headway lists` (items 1 and 2), the intervention log
/// (`interventions list / add / import`, item 3) and `headway responsibility` (item 5). The
/// expected values come from the demo's definition (``DemoSchool/interventions``, the planted
/// struggling pupils, the heads of year) and the rules in docs/action-lists.md, not from output.
@Suite(.serialized) struct ActCommandsTests {
    static let school = DemoDatabase.school
    static let year = DemoDatabase.academicYear

    /// The demo school as generated (same seed as the shared demo database), for expected values,
    /// and a folder for this suite's files.
    static let demo: (folder: URL, school: DemoSchool) = (
        FileManager.default.temporaryDirectory.appendingPathComponent("headway-act-\(UUID().uuidString)"), DemoSchool.generate())

    func demoDatabase() async throws -> String {
        try FileManager.default.createDirectory(at: Self.demo.folder, withIntermediateDirectories: true)
        return try await DemoDatabase.shared.path()
    }

    /// A copy of the demo database for a test that writes, so the others see the demo as made.
    func scratchCopy() async throws -> String {
        let source = try await demoDatabase()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("headway-act-\(UUID().uuidString).sqlite").path
        try await withSQLiteStore(source) { store in _ = try await store.schools() }   // checkpoints the WAL on close
        try FileManager.default.copyItem(atPath: source, toPath: copy)
        return copy
    }

    func csvRows(_ url: URL) throws -> [[String: String]] {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self).replacingOccurrences(of: "\u{FEFF}", with: "")
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = parseCSVLine(lines.removeFirst())
        return lines.map { Dictionary(uniqueKeysWithValues: zip(header, parseCSVLine($0))) }
    }

    /// Fields of one RFC 4180 line (quotes doubled inside quoted fields; no line breaks in cells here).
    func parseCSVLine(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false, chars = Array(line), i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { fields.append(field); field = "" } else { field.append(c) }
            i += 1
        }
        return fields + [field]
    }

    // MARK: lists

    @Test func listsAreWrittenForEveryYearGroupAndCollectionWithTheHeadOfYear() async throws {
        let database = try await demoDatabase()
        let out = Self.demo.folder.appendingPathComponent("lists-test")
        #expect(await Headway.run(arguments: ["lists", "--database", database, "--out", out.path]) == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".csv") }
        // 5 rules × Years 7–11 × DC1–DC3: an empty list is still written (nobody on it is an answer).
        #expect(files.count == 5 * 5 * 3)
        for rule in ["below-expected-progress", "well-below-core", "falling", "atl-concern", "atl-reward"] {
            for y in 7...11 { for c in 1...3 { #expect(files.contains("DC\(c)-Y\(y)-\(rule).csv"), "DC\(c)-Y\(y)-\(rule)") } }
        }

        let demo = Self.demo.school
        for struggling in demo.planted.strugglingPupils {
            let pupil = try #require(demo.year.pupils.first { $0.id == struggling.pupil })
            let head = try #require(demo.year.staff.first { $0.roles.contains(.headOfYear(pupil.yearGroup)) })
            // They fall a whole grade in every planted subject at DC2 and again at DC3: on both falling lists.
            for collection in ["DC2", "DC3"] {
                let rows = try csvRows(out.appendingPathComponent("\(collection)-Y\(pupil.yearGroup)-falling.csv"))
                let row = try #require(rows.first { $0["pupil_id"] == pupil.id.rawValue }, "\(pupil.id) not on \(collection) falling")
                let subjects = Set(row["subjects", default: ""].components(separatedBy: ", "))
                #expect(Set(struggling.subjects.map(\.rawValue)).isSubset(of: subjects))
                #expect(row["forename"] == pupil.forename && row["surname"] == pupil.surname && row["tutor_group"] == pupil.tutorGroup)
                #expect(row["responsible_email"] == head.email && row["responsible_surname"] == head.surname)
                #expect(row["school_name"] == "Headway Demo School" && row["year_group"] == String(pupil.yearGroup))
            }
            // At DC1 nobody is falling: there is no earlier collection.
            #expect(try csvRows(out.appendingPathComponent("DC1-Y\(pupil.yearGroup)-falling.csv")).isEmpty)
        }
    }

    @Test(arguments: [
        (["lists", "--rule", "sinking"], Int32(2)),
        (["lists", "--collection", "DC9"], Int32(2)),
        (["lists", "--year-group", "99"], Int32(2)),
        (["lists", "--rules", "/nonexistent/rules.toml"], Int32(2)),
    ])
    func listsMisuseAndUnknownCollections(arguments: [String], code: Int32) async throws {
        let database = try await demoDatabase()
        #expect(await Headway.run(arguments: arguments + ["--database", database]) == code)
    }

    @Test(arguments: [
        "[falling]\nmin_drop = -1\n",
        // A reward threshold no better than the concern threshold would put a pupil on both lists.
        "[atl_concern]\nthreshold = 2.0\n[atl_reward]\nthreshold = 3.0\n",
    ])
    func aRulesFileWithAProblemListsNothing(rules text: String) async throws {
        let database = try await demoDatabase()
        let rules = Self.demo.folder.appendingPathComponent("bad-rules-\(UUID().uuidString).toml")
        try text.write(to: rules, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["lists", "--database", database, "--rules", rules.path]) == 1)
    }

    @Test func rewritingListsRemovesListsNoLongerProducedAndKeepsOtherFiles() async throws {
        let database = try await demoDatabase()
        let out = Self.demo.folder.appendingPathComponent("lists-rewrite")
        #expect(await Headway.run(arguments: ["lists", "--database", database, "--out", out.path]) == 0)
        try "keep me".write(to: out.appendingPathComponent("letter.docx"), atomically: true, encoding: .utf8)
        let rules = Self.demo.folder.appendingPathComponent("no-reward.toml")
        try "[atl_reward]\nenabled = false\n".write(to: rules, atomically: true, encoding: .utf8)
        #expect(await Headway.run(arguments: ["lists", "--database", database, "--out", out.path, "--rules", rules.path]) == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        // 4 rules × 5 year groups × 3 collections, no stale reward list to mail-merge, the letter kept.
        #expect(files.filter { $0.hasSuffix(".csv") }.count == 4 * 5 * 3)
        #expect(!files.contains { $0.hasSuffix("-atl-reward.csv") } && files.contains("letter.docx"))
        // A file where the folder should be is misuse.
        #expect(await Headway.run(arguments: ["lists", "--database", database, "--out", out.appendingPathComponent("letter.docx").path]) == 2)
    }

    // MARK: interventions

    @Test func theDemoLogIsListedWithStatusOnADay() async throws {
        let database = try await demoDatabase()
        let year = try await withSQLiteStore(database) { try await $0.load(school: Self.school, year: Self.year) }
        #expect(year.interventions.map(\.id) == Self.demo.school.interventions.sorted { ($0.starts, $0.id) < ($1.starts, $1.id) }.map(\.id))
        // 15 January 2027: INT-001 (7 Dec – 26 Feb) and INT-003 (14 Dec – 5 Mar) running; INT-002 and
        // INT-006 (from 11 Jan) running; INT-005 (from 15 Mar) and INT-004 (from 22 Mar) planned.
        let text = InterventionsCommand.List.render(year.interventions, in: year, on: CalendarDate(year: 2027, month: 1, day: 15)!, format: .csv)
        let rows = Dictionary(uniqueKeysWithValues: text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let cells = parseCSVLine(String(line))
            return (cells[0].replacingOccurrences(of: "\u{FEFF}", with: ""), cells)
        })
        #expect(rows.mapValues { $0[11] } == ["INT-001": "running", "INT-002": "running", "INT-003": "running", "INT-004": "planned",
                                              "INT-005": "planned", "INT-006": "running"])
        #expect(rows["INT-001"]?[9] == "£1,200.00" && rows["INT-001"]?[10] == "yes" && rows["INT-001"]?[5] == "MA")
        #expect(rows["INT-002"]?[5] == "all" && rows["INT-006"]?[7] == "")
        // 1 September 2027: everything with an end has ended; the homework club has no end.
        let later = InterventionsCommand.List.render(year.interventions, in: year, on: CalendarDate(year: 2027, month: 9, day: 1)!, format: .csv)
        #expect(later.components(separatedBy: ",ended").count - 1 == 5 && later.contains(",running"))
        // A pupil's explanation names their head of year and their interventions.
        let struggling = try #require(Self.demo.school.planted.strugglingPupils.first)
        let pupil = try #require(year.pupils.first { $0.id == struggling.pupil })
        let head = try #require(year.staff.first { $0.roles.contains(.headOfYear(pupil.yearGroup)) })
        let explained = Explain.describe(pupil, in: YearIndex(year))
        #expect(explained.contains("Responsible for Year \(pupil.yearGroup) in 2026/27: \(head.displayName) (\(head.id))\n"))
        #expect(explained.contains("INT-004 parent meeting from 2027-03-22 to 2027-03-26"))
        #expect(await Headway.run(arguments: ["interventions", "--database", database]) == 0)
        #expect(await Headway.run(arguments: ["interventions", "list", "--database", database, "--today", "yesterday"]) == 2)
    }

    @Test func addLogsOneInterventionWithTheNextCodeAndAnAuditRow() async throws {
        let database = try await scratchCopy()
        defer { try? FileManager.default.removeItem(atPath: database) }
        let year = Self.demo.school.year
        let pupils = year.pupils.filter { $0.yearGroup == 9 }.sorted { $0.id < $1.id }.prefix(3)
        let owner = try #require(year.staff.first { $0.roles.contains(.headOfYear(9)) })
        let arguments = ["interventions", "add", "--database", database, "--type", "mentoring", "--title", "Y9 mentoring",
                         "--owner", owner.id.rawValue, "--pupil", pupils[pupils.startIndex].upn!.rawValue,
                         "--pupil", "\(pupils[pupils.startIndex + 1].id),\(pupils[pupils.startIndex + 2].id)",
                         "--subject", "EN", "MA", "--starts", "2027-01-04", "--ends", "2027-02-12", "--sessions", "6", "--cost", "1,250.50",
                         "--pupil-premium", "--actor", "JSM"]
        #expect(await Headway.run(arguments: arguments) == 0)
        let stored = try await withSQLiteStore(database) { try await $0.interventions(school: Self.school) }
        // The demo logs INT-001 … INT-006: the next code is INT-007.
        let added = try #require(stored.first { $0.id == "INT-007" })
        #expect(added.pupils == pupils.map(\.id) && added.subjects == ["EN", "MA"])
        #expect(added.costPence == 125_050 && added.sessions == 6 && added.fundedByPupilPremium && added.owner == owner.id)
        #expect(added.starts == CalendarDate(year: 2027, month: 1, day: 4) && added.ends == CalendarDate(year: 2027, month: 2, day: 12))
        let audit = try await withSQLiteStore(database) { try await $0.auditLog(school: Self.school) }
        #expect(audit.contains { $0.table == "interventions" && $0.recordKey.hasPrefix("INT-007") && $0.actor == "JSM" })
        // The same code again is refused; an unknown pupil or owner is refused; nothing is added.
        #expect(await Headway.run(arguments: arguments + ["--id", "INT-007"]) == 1)
        #expect(await Headway.run(arguments: ["interventions", "add", "--database", database, "--type", "tutoring", "--title", "x",
                                              "--owner", owner.id.rawValue, "--pupil", "NOBODY", "--starts", "2027-01-04"]) == 1)
        #expect(await Headway.run(arguments: ["interventions", "add", "--database", database, "--type", "tutoring", "--title", "x",
                                              "--owner", "ZZZ", "--pupil", pupils.first!.id.rawValue, "--starts", "2027-01-04"]) == 1)
        #expect(await Headway.run(arguments: ["interventions", "add", "--database", database, "--type", "Tutoring!", "--title", "x",
                                              "--owner", owner.id.rawValue, "--pupil", pupils.first!.id.rawValue, "--starts", "2027-01-04"]) == 2)
        #expect(await Headway.run(arguments: ["interventions", "add", "--database", database, "--type", "tutoring", "--title", "x",
                                              "--owner", owner.id.rawValue, "--pupil", pupils.first!.id.rawValue, "--starts", "2027-01-04",
                                              "--ends", "2027-01-01"]) == 2)
        #expect(try await withSQLiteStore(database) { try await $0.interventions(school: Self.school) }.count == stored.count)

        // Issue 12, item 6: a pupil named as staff know them ("Surname, Forename"), or a surname
        // shared by several pupils, which is refused listing no one by guess.
        let named = try #require(year.pupils.first { p in year.pupils.filter { $0.surname == p.surname }.count == 1 })
        let shared = try #require(year.pupils.first { p in year.pupils.filter { $0.surname == p.surname }.count > 1 })
        #expect(await Headway.run(arguments: ["interventions", "add", "--database", database, "--type", "tutoring", "--title", "by name",
                                              "--owner", owner.id.rawValue, "--pupil", "\(named.surname), \(named.forename)", "--starts", "2027-01-04"]) == 0)
        let byName = try await withSQLiteStore(database) { try await $0.interventions(school: Self.school) }
        #expect(byName.first { $0.id == "INT-008" }?.pupils == [named.id])
        #expect(await Headway.run(arguments: ["interventions", "add", "--database", database, "--type", "tutoring", "--title", "shared",
                                              "--owner", owner.id.rawValue, "--pupil", shared.surname, "--starts", "2027-01-04"]) == 1)
        #expect(await Headway.run(arguments: ["explain", "--database", database, "--pupil", "\(named.forename) \(named.surname)"]) == 0)
        #expect(await Headway.run(arguments: ["explain", "--database", database, "--pupil", shared.surname]) == 1)
        #expect(try await withSQLiteStore(database) { try await $0.interventions(school: Self.school) }.count == stored.count + 1)
    }

    @Test func importResolvesUPNsRefusesUnknownPupilsAndReimportsUnchanged() async throws {
        let database = try await scratchCopy()
        let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
        let file = folder.appendingPathComponent("interventions-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(atPath: database); try? FileManager.default.removeItem(at: file) }
        let year = Self.demo.school.year
        let y11 = year.pupils.filter { $0.yearGroup == 11 }.sorted { $0.id < $1.id }
        let owner = try #require(year.staff.first { $0.roles.contains(.headOfYear(11)) }).id
        try """
            id,type,title,owner,pupils,subjects,start,end,sessions,cost,pupil_premium,notes
            T-1,tutoring,Y11 English tutoring,\(owner),\(y11[0].upn!) \(y11[1].upn!),EN,2026-12-07,2027-02-26,8,£480.00,yes,O'Neil's group
            T-2,mentoring,Y11 mentoring,\(owner),\(y11[2].id) NOT-A-PUPIL,,07/12/2026,26/02/2027,,,no,
            """.write(to: file, atomically: true, encoding: .utf8)
        let importing = ["interventions", "import", "--database", database, file.path]
        let before = try await withSQLiteStore(database) { try await $0.interventions(school: Self.school) }
        // T-2 names a pupil not on roll: nothing is imported without --accept-valid.
        #expect(await Headway.run(arguments: importing) == 1)
        #expect(try await withSQLiteStore(database) { try await $0.interventions(school: Self.school) } == before)
        // With --accept-valid, T-1 is saved (UPNs resolved to pupil ids) and the run still exits 1.
        #expect(await Headway.run(arguments: importing + ["--accept-valid"]) == 1)
        let after = try await withSQLiteStore(database) { try await $0.interventions(school: Self.school) }
        let t1 = try #require(after.first { $0.id == "T-1" })
        #expect(t1.pupils == [y11[0].id, y11[1].id] && t1.costPence == 48_000 && t1.fundedByPupilPremium && t1.notes == "O'Neil's group")
        #expect(t1.source == "\(file.lastPathComponent):2")
        #expect(!after.contains { $0.id == "T-2" } && after.count == before.count + 1)
        // Re-importing changes nothing: no new audit row.
        let auditBefore = try await withSQLiteStore(database) { try await $0.auditLog(school: Self.school) }.count
        #expect(await Headway.run(arguments: importing + ["--accept-valid"]) == 1)
        #expect(try await withSQLiteStore(database) { try await $0.auditLog(school: Self.school) }.count == auditBefore)
    }

    @Test func reimportingKeepsWhatTheFileLeavesBlankAndAddsPupilsUnlessReplace() async throws {
        let database = try await scratchCopy()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-act-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: database); try? FileManager.default.removeItem(at: folder) }
        let year = Self.demo.school.year
        let y9 = year.pupils.filter { $0.yearGroup == 9 }.sorted { $0.id < $1.id }
        let owner = try #require(year.staff.first { $0.roles.contains(.headOfYear(9)) }).id
        let header = "id,type,title,owner,pupils,subjects,start,end,sessions,cost,pupil_premium,notes\n"
        func importing(_ name: String, _ rows: String, _ extra: [String] = []) async throws -> Int32 {
            let file = folder.appendingPathComponent(name)
            try (header + rows).write(to: file, atomically: true, encoding: .utf8)
            return await Headway.run(arguments: ["interventions", "import", "--database", database, file.path] + extra)
        }
        func stored() async throws -> Intervention? {
            try await withSQLiteStore(database) { try await $0.interventions(school: Self.school) }.first { $0.id == "R-1" }
        }
        #expect(try await importing("full.csv", "R-1,mentoring,Y9 mentoring,\(owner),\(y9[0].id) \(y9[1].id),EN,2027-01-04,2027-02-26,6,480.50,yes,weekly\n") == 0)
        // The same intervention with only one pupil and blank end, sessions, cost and notes: nothing is erased.
        #expect(try await importing("blanks.csv", "R-1,mentoring,,\(owner),\(y9[0].id),,2027-01-04,,,,yes,\n") == 0)
        var r1 = try #require(try await stored())
        #expect(r1.pupils == [y9[0].id, y9[1].id] && r1.subjects == ["EN"] && r1.title == "Y9 mentoring")
        #expect(r1.ends == CalendarDate(year: 2027, month: 2, day: 26) && r1.sessions == 6 && r1.costPence == 48_050 && r1.notes == "weekly")
        // A new pupil is added to those stored; with --replace the file's list is the list.
        #expect(try await importing("more.csv", "R-1,mentoring,,\(owner),\(y9[2].id),,2027-01-04,,,,yes,\n") == 0)
        r1 = try #require(try await stored())
        #expect(r1.pupils == [y9[0].id, y9[1].id, y9[2].id])
        #expect(try await importing("replace.csv", "R-1,mentoring,,\(owner),\(y9[2].id),MA,2027-01-04,,,,yes,\n", ["--replace"]) == 0)
        r1 = try #require(try await stored())
        #expect(r1.pupils == [y9[2].id] && r1.subjects == ["MA"] && r1.costPence == 48_050)
        // A start in another academic year is refused (it would be filed under a year not loaded); nothing changes.
        #expect(try await importing("moved.csv", "R-1,mentoring,,\(owner),\(y9[2].id),,2027-09-06,,,,yes,\n") == 1)
        #expect(try await stored() == r1)
        // Codes that are blank or would start a spreadsheet formula are refused.
        #expect(try await importing("formula.csv", "=cmd,mentoring,x,\(owner),\(y9[2].id),,2027-01-04,,,,no,\n") == 1)
        #expect(await Headway.run(arguments: ["interventions", "add", "--database", database, "--id", "", "--type", "tutoring", "--title", "x",
                                              "--owner", owner.rawValue, "--pupil", y9[0].id.rawValue, "--starts", "2027-01-04"]) == 2)
        #expect(await Headway.run(arguments: ["interventions", "add", "--database", database, "--type", "tutoring", "--title", "x",
                                              "--owner", owner.rawValue, "--pupil", y9[0].id.rawValue, "--starts", "2026-08-31"]) == 1)
        // A file with only a header imports nothing and says so.
        #expect(try await importing("header.csv", "") == 1)
    }

    // MARK: responsibility

    @Test func responsibilityIsRecordedPerYearAndNamedOnTheLists() async throws {
        let database = try await scratchCopy()
        defer { try? FileManager.default.removeItem(atPath: database) }
        let year = Self.demo.school.year
        let oldHead = try #require(year.staff.first { $0.roles.contains(.headOfYear(8)) })
        let newHead = try #require(year.staff.filter { $0.id != oldHead.id && !$0.roles.contains { if case .headOfYear = $0 { true } else { false } } }.first)
        #expect(await Headway.run(arguments: ["responsibility", "set", "--database", database, "--year-group", "8", "--staff", newHead.id.rawValue,
                                              "--role", "progress_leader"]) == 0)
        let loaded = try await withSQLiteStore(database) { try await $0.load(school: Self.school, year: Self.year) }
        // The demo records each head of year; a progress leader is added beside (a different role).
        #expect(Set(loaded.responsibilities.filter { $0.yearGroup == 8 }.map(\.staff)) == [oldHead.id, newHead.id])
        #expect(loaded.responsibleStaff(forYearGroup: 8).map(\.id) == [oldHead.id, newHead.id])
        let pupil = try #require(year.pupils.first { $0.yearGroup == 8 })
        let history = try await withSQLiteStore(database) { try await $0.responsibilityHistory(pupil: pupil.id, school: Self.school) }
        #expect(history.map(\.academicYear) == [Self.year] && history.first?.yearGroup == 8 && history.first?.fromStoredRecord == true)
        #expect(Set(history.first?.staff.map(\.id) ?? []) == [oldHead.id, newHead.id])
        #expect(await Headway.run(arguments: ["responsibility", "show", "--database", database, "--pupil", pupil.upn!.rawValue]) == 0)
        #expect(await Headway.run(arguments: ["responsibility", "set", "--database", database, "--year-group", "6", "--staff", newHead.id.rawValue]) == 2)
        #expect(await Headway.run(arguments: ["responsibility", "set", "--database", database, "--year-group", "8", "--staff", "ZZZ"]) == 1)
        // The lists now name both.
        let out = URL(fileURLWithPath: database + "-lists")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(await Headway.run(arguments: ["lists", "--database", database, "--collection", "DC1", "--year-group", "8", "--rule", "atl_reward",
                                              "--out", out.path]) == 0)
        let rows = try csvRows(out.appendingPathComponent("DC1-Y8-atl-reward.csv"))
        #expect(!rows.isEmpty && rows.allSatisfy { $0["responsible"] == "\(oldHead.displayName) and \(newHead.displayName)" })
    }
}
