import Foundation
import HeadwayCore
@testable import HeadwayImport
import Testing

/// `headway interventions import`'s reader (issue 6, item 3): the intervention log from a CSV,
/// rows of one id merged, costs in pence, and every bad cell named by line, column and value.
@Suite struct InterventionsFileTests {
    func read(_ text: String, name: String = "interventions.csv") -> InterventionsFile.Result {
        InterventionsFile().read(name: name, contents: Data(text.utf8))
    }

    static func d(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }

    /// `Fixtures/interventions/good.csv`, worked out from the file by hand:
    /// - line 2: `£480.00` → 48000 pence; `yes` → pupil premium; `P001 P002;P003` → three pupils;
    /// - line 3: the UPN kept as written (the CLI resolves it); `02/11/2026` is 2 November 2026; no
    ///   end, no cost, `no`; the quoted note keeps its apostrophe and doubled quotes as one `"`;
    /// - line 4: `Parent meeting` → `parent_meeting`; cost `0` → 0 pence (not nil); blank flag = no;
    /// - lines 5–7: one intervention: pupils appended P001, P002, B801200005001; line 6 leaves the
    ///   rest blank; line 7 repeats it as `01/03/2027`, `1250.5` (= £1,250.50 = 125050) and `yes`
    ///   (= `Y`), which agree;
    /// - line 8: the school's own type, far from every common one (no warning).
    @Test func theGoodFileReadsToExactValues() throws {
        let result = InterventionsFile().read(name: "good.csv", contents: try Fixtures.data("interventions/good.csv"))
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect((result.rowsRead, result.rowsAccepted, result.rowsRejected) == (7, 7, 0))
        #expect(result.encoding == .utf8 && result.separator == ",")
        #expect(result.interventions == [
            Intervention(id: "INT-001", type: .tutoring, title: "Y10 maths small-group tutoring", owner: "JSM", pupils: ["P001", "P002", "P003"],
                         subjects: ["MA"], starts: Self.d("2026-11-02"), ends: Self.d("2027-02-12"), sessions: 12, costPence: 48000,
                         fundedByPupilPremium: true, notes: "Tuesdays after school; parents told by letter", source: "good.csv:2"),
            Intervention(id: "INT-002", type: .mentoring, title: "Y10 mentoring", owner: "RPA", pupils: ["H801200001001"],
                         starts: Self.d("2026-11-02"), sessions: 6, notes: "Aoife O'Neil's mentor: \"weekly check-in\"", source: "good.csv:3"),
            Intervention(id: "INT-003", type: .parentMeeting, title: "Parents' evening follow-up", owner: "RPA", pupils: ["P004"],
                         starts: Self.d("2027-01-14"), ends: Self.d("2027-01-14"), sessions: 1, costPence: 0, source: "good.csv:4"),
            Intervention(id: "INT-004", type: .revisionSessions, title: "Y10 science revision", owner: "JSM", pupils: ["P001", "P002", "B801200005001"],
                         subjects: ["SC"], starts: Self.d("2027-03-01"), ends: Self.d("2027-04-30"), sessions: 8, costPence: 125_050,
                         fundedByPupilPremium: true, source: "good.csv:5"),
            Intervention(id: "INT-005", type: "literacy_catch_up", title: "Reading catch-up", owner: "JSM", pupils: ["P004"],
                         starts: Self.d("2027-01-11"), notes: "Zoë Marsh reads with Tom | weekly", source: "good.csv:8"),
        ])
        #expect(result.lines == ["INT-001": [2], "INT-002": [3], "INT-003": [4], "INT-004": [5, 6, 7], "INT-005": [8]])
    }

    /// `Fixtures/interventions/errors.csv`: one kind of problem per line (see the file).
    @Test func everyKindOfErrorNamesItsLineColumnAndValue() throws {
        let result = InterventionsFile().read(name: "errors.csv", contents: try Fixtures.data("interventions/errors.csv"))
        let found = result.issues.map { ($0.line ?? 0, $0.code, $0.severity, $0.column, $0.value) }
        let expected: [(Int, ImportIssue.Code, ImportIssue.Severity, String?, String?)] = [
            (1, .unknownColumn, .warning, "room", nil),
            (2, .missingValue, .error, "id", ""),
            (3, .uncommonInterventionType, .warning, "type", "mentorng"),
            (4, .invalidInterventionType, .error, "type", "Parent meeting!"),
            (5, .invalidDate, .error, "start", "31/02/2027"),
            (6, .invalidDateRange, .error, "end", "2027-02-01"),
            (7, .invalidNumber, .error, "sessions", "twelve"),
            (8, .invalidAmount, .error, "cost", "1.234"),
            (9, .invalidAmount, .error, "cost", "-5"),
            (10, .invalidFlag, .error, "pupil_premium", "maybe"),
            (11, .missingValue, .error, "owner", ""),
            (13, .conflictingIntervention, .error, "owner", "RPA"),
            (14, .fieldCount, .error, nil, nil),
            (15, .duplicateEntry, .warning, "pupils", "P001"),
            (16, .missingValue, .error, "pupils", ""),
        ]
        #expect(found.count == expected.count, "\(result.issues.map(\.description).joined(separator: "\n"))")
        for (f, e) in zip(found, expected) {
            #expect(f.0 == e.0 && f.1 == e.1 && f.2 == e.2 && f.3 == e.3 && f.4 == e.4, "got \(f), expected \(e)")
        }
        #expect(result.issues.allSatisfy { $0.file == "errors.csv" })
        // The reasons say what to do; the ones with a suggestion make it.
        let reasons = Dictionary(result.issues.map { ($0.line!, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(reasons[3]!.contains("did you mean mentoring?"))
        #expect(reasons[4]!.contains("did you mean parent_meeting?"))
        #expect(reasons[6]!.contains("ends before it starts (2027-03-01)"))
        #expect(reasons[8]!.contains("more than 2 decimal places"))
        #expect(reasons[9]!.contains("negative"))
        #expect(reasons[13]! == "intervention INT-110 has owner \"JSM\" on line 12: rows of one intervention must agree (repeat the value or leave it blank on later rows)")
        #expect(reasons[14]! == "the row has 5 fields but the header has 13")
        #expect(result.issues[0].description == "errors.csv:1: warning: column \"room\": not a column of an interventions file, so ignored — the columns are id, type, title, owner, pupils, subjects, start, end, sessions, cost, pupil_premium, notes")
        // Only the misspelt-but-valid type (a warning) and the twice-listed pupil (counted once)
        // are accepted; INT-110's first row goes with its second.
        #expect(result.interventions.map(\.id) == ["INT-101", "INT-112"])
        #expect(result.interventions.map(\.type) == ["mentorng", .tutoring])
        #expect(result.interventions[1].pupils == ["P001"])
        #expect((result.rowsRead, result.rowsAccepted, result.rowsRejected) == (15, 2, 13))
    }

    /// Pounds to pence: whole pounds ×100, one decimal is tenths of a pound, two are pence.
    @Test(arguments: [
        ("480", 48_000), ("480.5", 48_050), ("480.00", 48_000), ("£1,250.50", 125_050), ("£ 12.05", 1_205), ("1250.5", 125_050),
        ("0", 0), ("£1,000,000", 100_000_000),
    ])
    func costsAreReadInPence(text: String, pence: Int) {
        #expect(InterventionsFile.pence(text) == pence)
    }

    @Test(arguments: [
        ("1.234", "more than 2 decimal places"), ("-5", "negative"), ("£-5", "negative"), ("(5.00)", "negative"), ("1,25", "groups of three"),
        ("12,50.00", "groups of three"), ("480.", "not an amount"), ("£", "not an amount"), ("4 80", "not an amount"), ("480p", "not an amount"),
        ("1234567890123", "too large"),
    ])
    func badCostsAreRefusedWithAReason(text: String, reason: String) {
        guard case .failure(let problem) = InterventionsFile.parsePence(text) else {
            Issue.record("\(text) accepted")
            return
        }
        #expect(problem.reason.contains(reason), "\(text): \(problem.reason)")
        #expect(InterventionsFile.pence(text) == nil)
    }

    /// ISO and UK day-first dates are the same day; 29 February only in a leap year.
    @Test func datesInEitherFormAreTheSameDay() {
        let result = read("""
            id,type,owner,pupils,start,end
            A,tutoring,JSM,P001,2026-11-02,12/02/2027
            B,tutoring,JSM,P001,02/11/2026,2027-02-12
            C,tutoring,JSM,P001,29/02/2028,
            D,tutoring,JSM,P001,29/02/2027,
            E,tutoring,JSM,P001,2026-11-2x,
            """)
        #expect(result.interventions.map(\.id) == ["A", "B", "C"])
        #expect(result.interventions[0].starts == Self.d("2026-11-02") && result.interventions[0].ends == Self.d("2027-02-12"))
        #expect(result.interventions[1].starts == result.interventions[0].starts && result.interventions[1].ends == result.interventions[0].ends)
        #expect(result.interventions[2].starts == CalendarDate(year: 2028, month: 2, day: 29))
        #expect(result.issues.map { ($0.line!, $0.code, $0.value!) } .elementsEqual([(5, ImportIssue.Code.invalidDate, "29/02/2027"), (6, .invalidDate, "2026-11-2x")],
                                                                                     by: { $0 == $1 }))
    }

    /// One pupil per row: rows of an id merged in file order; blank cells agree with anything;
    /// a pupil given twice is counted once (a warning); the pupils of a quoted, comma-separated
    /// cell are several.
    @Test func rowsWithTheSameIDAreMerged() {
        let result = read("""
            id,type,title,owner,pupils,subjects,start,end,sessions,cost,pupil_premium,notes
            INT-9,mentoring,Y11 mentoring,RPA,P003,,2026-11-02,,,,,
            INT-8,tutoring,Maths,JSM,"P001, P002",MA SC,2026-11-09,,,,,
            INT-9,,,,P001,,,,,,,
            INT-9,Mentoring,Y11 mentoring,RPA,P003|P004,,02/11/2026,,,,no,
            INT-8,tutoring,Maths,JSM,P004,SC;MA,2026-11-09,,,,,
            """)
        #expect(result.interventions.map(\.id) == ["INT-9", "INT-8"])  // order of first row
        #expect(result.interventions[0].pupils == ["P003", "P001", "P004"])
        #expect(result.interventions[0].type == .mentoring && result.interventions[0].owner == "RPA" && !result.interventions[0].fundedByPupilPremium)
        #expect(result.interventions[0].source == "interventions.csv:2")
        #expect(result.interventions[1].pupils == ["P001", "P002", "P004"])
        #expect(result.interventions[1].subjects == ["MA", "SC"])  // the same set on both rows, first order
        #expect(result.lines == ["INT-9": [2, 4, 5], "INT-8": [3, 6]])
        #expect(result.issues.count == 1)
        let twice = result.issues[0]
        #expect(twice.code == .duplicateEntry && twice.severity == .warning && twice.line == 5 && twice.value == "P003")
        #expect(twice.reason == "pupil P003 is already in intervention INT-9 (line 2): counted once")
    }

    /// A disagreement on any field rejects the whole intervention and names both lines; an error
    /// on one of its rows rejects it too (never half its pupils).
    @Test func disagreeingRowsRejectTheWholeIntervention() {
        let result = read("""
            id,type,owner,pupils,start,cost
            INT-1,tutoring,JSM,P001,2026-11-02,480
            INT-1,tutoring,JSM,P002,2026-11-02,£480.00
            INT-1,tutoring,JSM,P003,2026-11-03,480
            INT-2,tutoring,JSM,P001,2026-11-02,
            INT-2,tutoring,JSM,P002,2026-11-02,1.999
            INT-3,tutoring,JSM,P001,2026-11-02,
            """)
        #expect(result.interventions.map(\.id) == ["INT-3"])
        #expect(result.errors.map { ($0.line!, $0.code, $0.column!, $0.value!) }.elementsEqual(
            [(4, ImportIssue.Code.conflictingIntervention, "start", "2026-11-03"), (6, .invalidAmount, "cost", "1.999")], by: { $0 == $1 }))
        #expect(result.errors[0].reason.contains("start \"2026-11-02\" on line 2"))
        #expect((result.rowsAccepted, result.rowsRejected) == (1, 5))
    }

    /// Excel's plain CSV on Windows: Windows-1252 (`£` is byte A3, `ë` EB), `;`-separated, CRLF.
    @Test func aWindows1252FileWithAPoundSignIsRead() throws {
        let bytes = try Fixtures.data("interventions/windows-1252.csv")
        #expect(bytes.contains(0xA3))  // the £ really is one Windows-1252 byte
        let result = InterventionsFile().read(name: "windows-1252.csv", contents: bytes)
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.encoding == .windows1252 && result.separator == ";")
        #expect(result.interventions == [
            Intervention(id: "INT-201", type: .tutoring, title: "Maths tutoring", owner: "JSM", pupils: ["P001", "P002"], subjects: ["MA"],
                         starts: Self.d("2026-11-02"), ends: Self.d("2027-02-12"), sessions: 10, costPence: 125_050, fundedByPupilPremium: true,
                         notes: "Zoë asked for Thursdays", source: "windows-1252.csv:2"),
        ])
    }

    /// Headers: any case, spaces for `_`, aliases; an unknown one is ignored with a suggestion; a
    /// required one missing refuses the file and points at the near miss.
    @Test func headersAreMatchedLooselyAndMisspellingsSuggested() {
        let ok = read("ID,Type,Owner,Pupil,Start Date,Pupil Premium,Notse\nINT-1,Tutoring,JSM,P001,2026-11-02,TRUE,x\n")
        #expect(ok.interventions.map(\.fundedByPupilPremium) == [true])
        #expect(ok.interventions.first?.notes == nil)
        #expect(ok.issues.count == 1 && ok.issues[0].code == .unknownColumn && ok.issues[0].column == "Notse")
        #expect(ok.issues[0].reason.hasPrefix("not a column of an interventions file, so ignored; did you mean notes?"))

        let missing = read("id,type,ownr,pupils,start\nINT-1,tutoring,JSM,P001,2026-11-02\n")
        #expect(missing.interventions.isEmpty && missing.rowsRejected == 1)
        let error = missing.errors.first
        #expect(missing.errors.count == 1 && error?.code == .missingColumn && error?.column == "owner" && error?.line == 1)
        #expect(error?.reason == "the header has no column owner (did you mean \"ownr\" for owner?); its columns are: \"id\", \"type\", \"ownr\", \"pupils\", \"start\"")  // quoted, as every importer lists a header (ImportIssue.headerList)

        let twice = read("id,type,owner,pupil,pupils,start\nINT-1,tutoring,JSM,P001,P002,2026-11-02\n")
        #expect(twice.interventions.isEmpty && twice.errors.map(\.code) == [.duplicateHeader])
        #expect(twice.errors.first?.reason == "both \"pupil\" and \"pupils\" are the pupils column: keep one")
    }

    @Test func pupilPremiumWordsAndListSeparators() {
        for (text, value) in [("yes", true), ("Y", true), ("TRUE", true), ("1", true), ("no", false), ("n", false), ("False", false), ("0", false)] {
            #expect(InterventionsFile.flag(text) == value, "\(text)")
        }
        #expect(InterventionsFile.flag("maybe") == nil && InterventionsFile.flag("2") == nil)
        #expect(InterventionsFile.listItems(" P001  P002;P003 | P004,P005\t") == ["P001", "P002", "P003", "P004", "P005"])
        #expect(InterventionsFile.listItems(" ; ") == [])
    }

    @Test func anEmptyFileAndAnUnreadableFileAreIssues() {
        let empty = read("")
        #expect(empty.errors.map(\.code) == [.unusableFile] && empty.rowsRead == 0)
        let missing = InterventionsFile().read(contentsOf: URL(fileURLWithPath: "/nonexistent/interventions.csv"))
        #expect(missing.errors.map(\.code) == [.unreadableFile] && missing.interventions.isEmpty)
    }
}
