import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

/// Action lists (issue 6, items 1 and 2) on a small hand-built year where who is on each list,
/// and why, is worked out below from the rules.
///
/// The year: collections DC1 (Years 11 and 13) and DC2 (Years 11, 12 and 13); pupils in Years
/// 10–13 (nobody's collections cover Year 10). Year 11 pupils have a target of 6 in EN, GE, HI, MA
/// and SC, so with two collections a year (ten checkpoints, Y7 DC1 = 0) the flight path expects
/// 6·17/18 = 5.667 at DC1 (checkpoint 8: 3 + 3·8/9) and 6 at DC2 (checkpoint 9, the target).
/// Bands: below when the residual is ≤ −0.5, well below when ≤ −1.5.
///
/// FR is taught with its ATL on a school scale `effort-1-5` (5 best), so its ATL grades are
/// ignored by the default ATL rules and counted.
@Suite struct ActionListsTests {
    static let effort = GradeScale(id: "effort-1-5", name: "Effort 1–5", grades: (1...5).map { GradeScale.Grade(code: String($0), points: Double($0)) },
                                   higherIsBetter: true)

    static func g(_ code: String) -> EntryValue { GradeScale.gcse.value(stored: code) }
    static func a(_ code: String) -> EntryValue { GradeScale.atl.value(stored: code) }

    static func year() -> SchoolYear {
        let y = Fixtures.year
        let collections = [
            DataCollection(id: "DC1", name: "Autumn", academicYear: y, yearGroups: [11, 13], sequence: 1),
            DataCollection(id: "DC2", name: "Spring", academicYear: y, yearGroups: [11, 12, 13], sequence: 2),
        ]
        let pupils = [
            Pupil(id: "A1", forename: "Ava", surname: "Brown", yearGroup: 11, tutorGroup: "11A"),
            Pupil(id: "A2", forename: "Ben", surname: "Carter", yearGroup: 11),
            Pupil(id: "A3", forename: "Cara", surname: "Davies", yearGroup: 11),
            Pupil(id: "A4", forename: "Dev", surname: "Evans", yearGroup: 11),
            Pupil(id: "A5", forename: "Eve", surname: "Fox", yearGroup: 11),
            Pupil(id: "A6", forename: "Finn", surname: "Green", yearGroup: 11),
            Pupil(id: "A7", forename: "Abe", surname: "Brown", yearGroup: 11),
            Pupil(id: "B1", forename: "Hana", surname: "Ito", yearGroup: 12),
            Pupil(id: "C1", forename: "Gus", surname: "Hill", yearGroup: 13),
            Pupil(id: "D1", forename: "Ivy", surname: "Jones", yearGroup: 10),
        ]
        let staff = [
            Staff(id: "RPA", title: "Mr", forename: "Ravi", surname: "Patel", roles: [.teacher, .headOfYear(11)]),
            Staff(id: "OLD", title: "Ms", forename: "Olga", surname: "Dunn", roles: [.teacher, .headOfYear(13)]),
            Staff(id: "KLO", title: "Dr", forename: "Kim", surname: "Lo", roles: [.teacher]),
        ]
        let subjects = ["EN", "GE", "HI", "MA", "SC"].map { Subject(id: Subject.ID($0), name: $0, scale: GradeScale.gcseID) }
            + [Subject(id: "FR", name: "French", scale: GradeScale.gcseID, atlScale: effort.id)]

        // (pupil, collection, subject, working-at, ATL); nil ATL = none entered.
        let rows: [(Pupil.ID, DataCollection.ID, Subject.ID, EntryValue?, EntryValue?)] = [
            // Ava: DC1 one subject below (SC 5); DC2 EN, MA, SC 5 (3 below, exactly min_subjects),
            // EN and MA fell exactly 1 grade (2 subjects, exactly min_subjects); ATL 3, 3, 3 = 3.0
            // over exactly 3 subjects (concern threshold, exactly).
            ("A1", "DC1", "EN", g("6"), a("2")), ("A1", "DC1", "GE", g("6"), nil), ("A1", "DC1", "HI", g("6"), nil),
            ("A1", "DC1", "MA", g("6"), a("2")), ("A1", "DC1", "SC", g("5"), a("2")),
            ("A1", "DC2", "EN", g("5"), a("3")), ("A1", "DC2", "GE", g("6"), nil), ("A1", "DC2", "HI", g("6"), nil),
            ("A1", "DC2", "MA", g("5"), a("3")), ("A1", "DC2", "SC", g("5"), a("3")),
            // Ben: DC2 below in EN and MA only — GE blank, HI Z, SC X are never counted, so not on
            // below_target, and EN 6→5 is his only fall (MA 5+→5 is a third of a grade; 6→blank,
            // 6→Z, 7→X are no drops). ATL 4, 4 over 2 subjects: too few for concern. FR's ATL is on
            // the effort scale: ignored.
            ("A2", "DC1", "EN", g("6"), nil), ("A2", "DC1", "GE", g("6"), nil), ("A2", "DC1", "HI", g("6"), nil),
            ("A2", "DC1", "MA", g("5+"), nil), ("A2", "DC1", "SC", g("7"), nil),
            ("A2", "DC2", "EN", g("5"), a("4")), ("A2", "DC2", "GE", nil, nil), ("A2", "DC2", "HI", .notRequired, nil),
            ("A2", "DC2", "MA", g("5"), a("4")), ("A2", "DC2", "SC", .notAssessed, .notAssessed),
            ("A2", "DC2", "FR", g("6"), effort.value(stored: "5")),
            // Cara: DC2 MA 4 (−2.0, well below, core) and SC 4+ (−1.67, well below, not core): two
            // subjects below, not three. MA fell 5→4 (1 grade), SC 5→4+ (⅔): one fall. ATL
            // 3, 3, 3, 2 = 2.75: no concern.
            ("A3", "DC1", "EN", g("6"), nil), ("A3", "DC1", "GE", g("6"), nil), ("A3", "DC1", "HI", g("6"), nil),
            ("A3", "DC1", "MA", g("5"), nil), ("A3", "DC1", "SC", g("5"), nil),
            ("A3", "DC2", "EN", g("6"), a("3")), ("A3", "DC2", "GE", g("6"), a("3")), ("A3", "DC2", "HI", g("6"), a("3")),
            ("A3", "DC2", "MA", g("4"), a("2")), ("A3", "DC2", "SC", g("4+"), nil),
            // Dev: DC2 EN 5/4 = 4.5, residual exactly −1.5: well below (core); MA 5 below. EN fell
            // 6→5/4 (1.5), MA 6→5 (1): falling. ATL DC1 1, 1, 1, 2 = 1.25 over exactly 4 (reward
            // threshold, exactly); DC2 1, 1, 1, 1, 2 = 1.2 over 5: on the reward list both times.
            ("A4", "DC1", "EN", g("6"), a("1")), ("A4", "DC1", "GE", g("6"), a("1")), ("A4", "DC1", "HI", g("6"), a("1")),
            ("A4", "DC1", "MA", g("6"), a("2")), ("A4", "DC1", "SC", g("6"), nil),
            ("A4", "DC2", "EN", g("5/4"), a("1")), ("A4", "DC2", "GE", g("6"), a("1")), ("A4", "DC2", "HI", g("6"), a("1")),
            ("A4", "DC2", "MA", g("5"), a("1")), ("A4", "DC2", "SC", g("6"), a("2")),
            // Eve: DC1 EN off-scale "A*" (no status, no drop from it), GE ATL X: 3 ATL grades, too
            // few for the DC1 reward, so not on the DC2 reward list despite 1.0 over 4 at DC2. DC2
            // EN 4 well below (core); MA fell 7→5: one subject.
            ("A5", "DC1", "EN", .offScale("A*"), a("1")), ("A5", "DC1", "GE", g("6"), .notAssessed), ("A5", "DC1", "HI", g("6"), a("1")),
            ("A5", "DC1", "MA", g("7"), a("1")), ("A5", "DC1", "SC", g("6"), nil),
            ("A5", "DC2", "EN", g("4"), a("1")), ("A5", "DC2", "GE", g("6"), a("1")), ("A5", "DC2", "HI", g("6"), a("1")),
            ("A5", "DC2", "MA", g("5"), a("1")), ("A5", "DC2", "SC", g("6"), nil),
            // Finn: on target throughout. ATL DC1 1.0 over 4 (reward at DC1, the first collection);
            // DC2 1, 1, 2, 2 = 1.5 (no reward). FR ATL on the effort scale both times: ignored.
            ("A6", "DC1", "EN", g("6"), a("1")), ("A6", "DC1", "GE", g("6"), a("1")), ("A6", "DC1", "HI", g("6"), a("1")),
            ("A6", "DC1", "MA", g("6"), a("1")), ("A6", "DC1", "SC", g("6"), nil), ("A6", "DC1", "FR", g("6"), effort.value(stored: "1")),
            ("A6", "DC2", "EN", g("6"), a("1")), ("A6", "DC2", "GE", g("6"), a("1")), ("A6", "DC2", "HI", g("6"), a("2")),
            ("A6", "DC2", "MA", g("6"), a("2")), ("A6", "DC2", "SC", g("6"), nil), ("A6", "DC2", "FR", g("6"), effort.value(stored: "1")),
            // Abe: 5 everywhere at DC1 (5 − 5.667 = −0.7 in all five: below_target at DC1); DC2
            // GE up to 6, the other four −1.0.
            ("A7", "DC1", "EN", g("5"), nil), ("A7", "DC1", "GE", g("5"), nil), ("A7", "DC1", "HI", g("5"), nil),
            ("A7", "DC1", "MA", g("5"), nil), ("A7", "DC1", "SC", g("5"), nil),
            ("A7", "DC2", "EN", g("5"), nil), ("A7", "DC2", "GE", g("6"), nil), ("A7", "DC2", "HI", g("5"), nil),
            ("A7", "DC2", "MA", g("5"), nil), ("A7", "DC2", "SC", g("5"), nil),
            // Hana, Year 12: DC1 does not cover Year 12, so DC2 is her year group's first collection
            // and her DC1 grades are no "previous": not falling.
            ("B1", "DC1", "EN", g("7"), nil), ("B1", "DC1", "MA", g("7"), nil),
            ("B1", "DC2", "EN", g("5"), nil), ("B1", "DC2", "MA", g("5"), nil),
            // Gus, Year 13, no targets: EN 6→5 and MA 5→4 — falling by grades alone. ATL 4, 4, 4.
            ("C1", "DC1", "EN", g("6"), nil), ("C1", "DC1", "MA", g("5"), nil), ("C1", "DC1", "SC", g("4"), nil),
            ("C1", "DC2", "EN", g("5"), a("4")), ("C1", "DC2", "MA", g("4"), a("4")), ("C1", "DC2", "SC", g("4"), a("4")),
        ]
        let assessments = rows.map { Assessment(pupil: $0.0, subject: $0.2, collection: $0.1, workingAt: $0.3, atl: $0.4) }
        let targets = ["A1", "A2", "A3", "A4", "A5", "A6", "A7"].flatMap { p in
            ["EN", "GE", "HI", "MA", "SC"].map { Target(pupil: Pupil.ID(p), subject: Subject.ID($0), grade: g("6"), method: .imported) }
        }
        var scales = GradeScale.builtIn
        scales[effort.id] = effort
        var year = SchoolYear(school: School(id: "T", name: "Test School"), academicYear: y, scales: scales, subjects: subjects, staff: staff,
                              pupils: pupils, collections: collections, assessments: assessments, targets: targets)
        // Year 13 has an explicit progress leader, who wins over Ms Dunn's head-of-year role.
        year.responsibilities = [YearGroupResponsibility(academicYear: y, yearGroup: 13, staff: "KLO", role: .progressLeader)]
        return year
    }

    static func lists(_ rules: ActionRules = .standard, year: SchoolYear = year()) -> [ActionList] {
        let index = YearIndex(year)
        return ActionLists.compute(index, evaluation: ProgressStatus.evaluate(index), rules: rules)
    }

    static func list(_ lists: [ActionList], _ rule: ActionRules.Rule, _ collection: DataCollection.ID, _ yearGroup: Int) throws -> ActionList {
        let found = lists.filter { $0.rule == rule && $0.collection.id == collection && $0.yearGroup == yearGroup }
        try #require(found.count == 1, "\(rule) \(collection) Y\(yearGroup): \(found.count) lists")
        return found[0]
    }

    /// (pupil id, subjects, reason) of each entry.
    static func rows(_ list: ActionList) -> [[String]] {
        list.entries.map { [$0.pupil.id.rawValue, $0.subjects.map(\.rawValue).joined(separator: " "), $0.reason] }
    }

    @Test func everyRuleYearGroupAndCollectionHasAListEvenWhenEmpty() {
        let lists = Self.lists()
        // DC1 covers Years 11 and 13, DC2 Years 11–13; Year 10 is on roll but in no collection.
        // 5 rules × (2 + 3) = 25 lists, in collection, year group, rule order.
        #expect(lists.count == 25)
        let keys = lists.map { "\($0.collection.id) Y\($0.yearGroup) \($0.rule)" }
        let expected = [("DC1", 11), ("DC1", 13), ("DC2", 11), ("DC2", 12), ("DC2", 13)].flatMap { c, y in
            ActionRules.Rule.allCases.map { "\(c) Y\(y) \($0)" }
        }
        #expect(keys == expected)
        // Year 12 at DC2: nobody on any list (no targets, first collection, no ATL).
        #expect(lists.filter { $0.yearGroup == 12 }.allSatisfy { $0.entries.isEmpty })
    }

    @Test func belowTargetCountsRatedSubjectsFromMinSubjects() throws {
        let lists = Self.lists()
        // DC2: Abe 4 subjects at −1.0 (GE on target), 4.0 grades short; Ava exactly 3, 3.0 short.
        // Most subjects first. Ben (2 + blank, Z, X), Cara, Dev, Eve (2 each) are off.
        #expect(Self.rows(try Self.list(lists, .belowExpected, "DC2", 11)) == [
            ["A7", "EN HI MA SC", "below expected progress in 4 subjects, 4.0 grades in all: EN \u{2212}1.0, HI \u{2212}1.0, MA \u{2212}1.0, SC \u{2212}1.0"],
            ["A1", "EN MA SC", "below expected progress in 3 subjects, 3.0 grades in all: EN \u{2212}1.0, MA \u{2212}1.0, SC \u{2212}1.0"],
        ])
        // DC1: 5 − 5.667 = −0.667 in all five for Abe (3.33 grades in all); Ava (1) and Cara (2) are short of 3.
        #expect(Self.rows(try Self.list(lists, .belowExpected, "DC1", 11)) == [
            ["A7", "EN GE HI MA SC", "below expected progress in 5 subjects, 3.3 grades in all: EN \u{2212}0.7, GE \u{2212}0.7, HI \u{2212}0.7, MA \u{2212}0.7, SC \u{2212}0.7"],
        ])
        // Sixth form: no targets, so no status and nobody below expected progress.
        #expect(try Self.list(lists, .belowExpected, "DC2", 13).entries.isEmpty)
    }

    @Test func wellBelowCoreIsAnyCoreSubjectAtOrUnderMinusOneAndAHalf() throws {
        let lists = Self.lists()
        // Cara MA 4 (−2.0; SC 4+ is well below too but not core), Dev EN 5/4 (exactly −1.5),
        // Eve EN 4 (−2.0). Nobody at DC1 (well below needs 4.17 or lower there). One subject
        // each, so the larger shortfall first: Cara and Eve (2.0, by surname), then Dev (1.5).
        #expect(Self.rows(try Self.list(lists, .wellBelowCore, "DC2", 11)) == [
            ["A3", "MA", "well below expected progress in 1 core subject: MA \u{2212}2.0"],
            ["A5", "EN", "well below expected progress in 1 core subject: EN \u{2212}2.0"],
            ["A4", "EN", "well below expected progress in 1 core subject: EN \u{2212}1.5"],
        ])
        #expect(try Self.list(lists, .wellBelowCore, "DC1", 11).entries.isEmpty)
    }

    @Test func fallingNeedsGradesAtTheYearGroupsPreviousCollection() throws {
        let lists = Self.lists()
        // Ava EN 6→5, MA 6→5 (exactly 1 grade, exactly 2 subjects: 2.0 fallen); Dev EN 6→5/4,
        // MA 6→5 (1.5 + 1 = 2.5 fallen, so first). Ben's drops to blank, Z and X do not count;
        // Eve's from off-scale A* does not; Cara has one.
        #expect(Self.rows(try Self.list(lists, .falling, "DC2", 11)) == [
            ["A4", "EN MA", "fell 1 grade or more in 2 subjects since DC1: EN 6\u{2192}5/4, MA 6\u{2192}5"],
            ["A1", "EN MA", "fell 1 grade or more in 2 subjects since DC1: EN 6\u{2192}5, MA 6\u{2192}5"],
        ])
        // The first collection: nobody is falling.
        #expect(try Self.list(lists, .falling, "DC1", 11).entries.isEmpty)
        // Year 13 without targets: falling by grades alone.
        #expect(Self.rows(try Self.list(lists, .falling, "DC2", 13)) == [
            ["C1", "EN MA", "fell 1 grade or more in 2 subjects since DC1: EN 6\u{2192}5, MA 5\u{2192}4"],
        ])
        // Year 12: DC2 is the year group's first collection; Hana's DC1 grades (7, 7) are not a
        // previous collection of Year 12.
        #expect(try Self.list(lists, .falling, "DC2", 12).entries.isEmpty)
    }

    @Test func atlConcernAndRewardOnTheBuiltInScale() throws {
        let lists = Self.lists()
        // Concern: Ava 3.0 over exactly 3; Ben 4.0 but over 2; Cara 2.75.
        let concern = try Self.list(lists, .atlConcern, "DC2", 11)
        #expect(Self.rows(concern) == [["A1", "EN MA SC", "mean ATL 3.0 over 3 subjects"]])
        #expect(concern.summary == "mean ATL 3 or higher over 3 or more subjects")
        // Gus (Year 13, no targets) 4, 4, 4.
        #expect(Self.rows(try Self.list(lists, .atlConcern, "DC2", 13)) == [["C1", "EN MA SC", "mean ATL 4.0 over 3 subjects"]])
        // Reward at DC1, the first collection: Dev 1.25 over exactly 4, Finn 1.0 over 4; Eve has 3.
        #expect(Self.rows(try Self.list(lists, .atlReward, "DC1", 11)) == [
            ["A4", "EN GE HI MA", "mean ATL 1.25 over 4 subjects at the year group's first collection"],
            ["A6", "EN GE HI MA", "mean ATL 1.0 over 4 subjects at the year group's first collection"],
        ])
        // Reward at DC2 needs DC1 too: Dev (1.2 over 5, 1.25 over 4 at DC1). Eve (1.0 now, 3
        // grades at DC1) and Finn (1.5 now) are off.
        #expect(Self.rows(try Self.list(lists, .atlReward, "DC2", 11)) == [
            ["A4", "EN GE HI MA SC", "mean ATL 1.2 over 5 subjects, and 1.25 over 4 at DC1"],
        ])
        // FR's ATL (effort scale) ignored and counted on both ATL lists: Finn at DC1; Ben and Finn at DC2.
        #expect(try Self.list(lists, .atlConcern, "DC1", 11).atlGradesOnOtherScales == 1)
        #expect(try Self.list(lists, .atlReward, "DC2", 11).atlGradesOnOtherScales == 2)
        #expect(try Self.list(lists, .falling, "DC2", 11).atlGradesOnOtherScales == 0)
    }

    @Test func atlRulesFollowTheScaleDirection() throws {
        // On the effort scale 5 is best: concern is a mean of 2 or lower, reward 5 or higher.
        var rules = ActionRules.standard
        rules.atlScale = Self.effort.id
        rules.atlConcern = .init(threshold: 2, minSubjects: 1)
        rules.atlReward = .init(threshold: 5, minSubjects: 1)
        #expect(rules.problems(scales: Self.year().scales).isEmpty)
        let lists = Self.lists(rules)
        // Only FR's ATL is read now. Finn FR 1 at DC1 and DC2: concern. Ben FR 5 at DC2 has no
        // DC1 ATL: no reward. The built-in-scale ATL grades are the ignored ones now:
        // DC2 Year 11 has Ava 3 + Ben 2 + Cara 4 + Dev 5 + Eve 4 + Finn 4 = 22.
        let concern = try Self.list(lists, .atlConcern, "DC2", 11)
        #expect(Self.rows(concern) == [["A6", "FR", "mean ATL 1.0 over 1 subject"]])
        #expect(concern.summary == "mean ATL 2 or lower over 1 or more subjects")
        #expect(concern.atlGradesOnOtherScales == 22)
        #expect(Self.rows(try Self.list(lists, .atlConcern, "DC1", 11)) == [["A6", "FR", "mean ATL 1.0 over 1 subject"]])
        #expect(try Self.list(lists, .atlReward, "DC2", 11).entries.isEmpty)
    }

    @Test func changedSettingsMoveTheBoundaries() throws {
        var rules = ActionRules.standard
        rules.belowExpected.minSubjects = 2
        rules.falling.minDrop = 0.5
        rules.wellBelowCore.subjects = ["SC"]
        let lists = Self.lists(rules)
        // Two subjects below now puts Ben, Cara, Dev and Eve on the DC2 list too, most severe
        // first (``listsAreOrderedBySeverityWithSubjectsAndShortfall`` has the figures).
        #expect(try Self.list(lists, .belowExpected, "DC2", 11).entries.map(\.pupil.id) == ["A7", "A1", "A3", "A5", "A4", "A2"])
        // Half a grade: Cara's MA 5→4 and SC 5→4+ (⅔) now make two falls (1.67 fallen): after
        // Dev (2.5) and Ava (2.0).
        #expect(Self.rows(try Self.list(lists, .falling, "DC2", 11)).map { $0[0] + " " + $0[1] } == ["A4 EN MA", "A1 EN MA", "A3 MA SC"])
        #expect(try Self.list(lists, .falling, "DC2", 11).entries[0].reason.hasPrefix("fell 0.5 grades or more in 2 subjects since DC1:"))
        // Core = SC: only Cara's SC 4+ (−1.67) is well below.
        #expect(Self.rows(try Self.list(lists, .wellBelowCore, "DC2", 11)) == [["A3", "SC", "well below expected progress in 1 core subject: SC \u{2212}1.7"]])
    }

    /// Issue 12, item 10: a head of year starts at the top. With two subjects enough, Year 11 at
    /// DC2 (expected 6 everywhere): Abe EN, HI, MA, SC 5 (4 subjects, 4.0 grades short); Ava EN,
    /// MA, SC 5 (3, 3.0); then two subjects each, largest shortfall first — Cara MA 4 and SC 4+
    /// (2.0 + 1.67 = 3.7), Eve EN 4 and MA 5 (2.0 + 1.0 = 3.0), Dev EN 5/4 and MA 5 (1.5 + 1.0 =
    /// 2.5), Ben EN 5 and MA 5 (2.0).
    @Test func listsAreOrderedBySeverityWithSubjectsAndShortfall() throws {
        var rules = ActionRules.standard
        rules.belowExpected.minSubjects = 2
        let list = try Self.list(Self.lists(rules), .belowExpected, "DC2", 11)
        #expect(list.entries.map { "\($0.pupil.id) \($0.subjects.count) \(ActionLists.shortfallText($0.shortfall))" }
                == ["A7 4 4.0", "A1 3 3.0", "A3 2 3.7", "A5 2 3.0", "A4 2 2.5", "A2 2 2.0"])
        #expect(abs(list.entries[2].shortfall! - (2 + 5.0 / 3)) < 1e-9)
        #expect(list.summary == "below expected progress in 2 or more subjects")
        // The ATL lists carry no shortfall and stay in name order.
        let reward = try Self.list(Self.lists(rules), .atlReward, "DC1", 11)
        #expect(reward.entries.allSatisfy { $0.shortfall == nil })
        // The rule's former name still finds it.
        #expect(ActionRules.Rule.named("below_target") == .belowExpected)
        #expect(ActionRules.Rule.named("below_expected_progress") == .belowExpected)
        #expect(ActionRules.Rule.named("below") == nil)
    }

    @Test func disabledRulesProduceNoLists() {
        var off = ActionRules.standard
        off.belowExpected.enabled = false
        off.wellBelowCore.enabled = false
        off.falling.enabled = false
        off.atlConcern.enabled = false
        off.atlReward.enabled = false
        #expect(Self.lists(off).isEmpty)
        var onlyFalling = off
        onlyFalling.falling.enabled = true
        let lists = Self.lists(onlyFalling)
        #expect(lists.count == 5)  // DC1: Y11, Y13; DC2: Y11, Y12, Y13
        #expect(lists.allSatisfy { $0.rule == .falling })
    }

    @Test func oneCollectionOnly() {
        let index = YearIndex(Self.year())
        let evaluation = ProgressStatus.evaluate(index)
        let dc2 = ActionLists.compute(index, evaluation: evaluation, collection: "DC2")
        #expect(dc2.count == 15 && dc2.allSatisfy { $0.collection.id == "DC2" })
        #expect(dc2 == Self.lists().filter { $0.collection.id == "DC2" })
        #expect(ActionLists.compute(index, evaluation: evaluation, collection: "DC9").isEmpty)
    }

    @Test func anEvaluationOfAnotherIndexIsLookedUpById() {
        // Statuses of a pupil this index does not have (A0, sorted first) break the one-walk
        // alignment; the lists must still read every status of the pupils it does have.
        var wider = Self.year()
        wider.pupils.append(Pupil(id: "A0", forename: "Al", surname: "Able", yearGroup: 11))
        wider.assessments.append(Assessment(pupil: "A0", subject: "EN", collection: "DC2", workingAt: Self.g("2")))
        wider.targets.append(Target(pupil: "A0", subject: "EN", grade: Self.g("6"), method: .imported))
        let index = YearIndex(Self.year())
        let lists = ActionLists.compute(index, evaluation: ProgressStatus.evaluate(YearIndex(wider)))
        #expect(lists == Self.lists())
    }

    @Test func responsibleStaffFromHeadOfYearOrAnExplicitResponsibility() {
        let lists = Self.lists()
        // Year 11: Mr Patel holds hoy:11. Year 13: Dr Lo is named for the year, which wins over
        // Ms Dunn's hoy:13 role. Year 12: nobody.
        for list in lists {
            let ids = list.responsible.map(\.id.rawValue)
            switch list.yearGroup {
            case 11: #expect(ids == ["RPA"])
            case 13: #expect(ids == ["KLO"])
            default: #expect(ids.isEmpty)
            }
        }
        // Without the explicit responsibility, Ms Dunn's role names her.
        var year = Self.year()
        year.responsibilities = []
        #expect(Self.lists(year: year).filter { $0.yearGroup == 13 }.allSatisfy { $0.responsible.map(\.id) == ["OLD"] })
    }

    @Test func settingsAreValidatedWithTheirKeys() {
        var rules = ActionRules.standard
        rules.belowExpected.minSubjects = 0
        rules.falling.minDrop = 0
        rules.atlConcern.threshold = 4.5
        rules.atlReward.threshold = 0.5
        rules.wellBelowCore.subjects = ["EN", "EN"]
        let problems = rules.problems().map(\.description)
        #expect(problems == [
            "key \"below_expected_progress.min_subjects\" value \"0\": must be 1 or more",
            "key \"falling.min_drop\" value \"0\": must be a number greater than 0 (points of the subject's scale: 1 is one GCSE grade)",
            "key \"well_below_core.subjects\" value \"EN\": listed twice; list each subject code once",
            "key \"atl_concern.threshold\" value \"4.5\": not on the ATL scale atl-1-4 (Attitude to learning 1–4): give a number from 1 to 4",
            "key \"atl_reward.threshold\" value \"0.5\": not on the ATL scale atl-1-4 (Attitude to learning 1–4): give a number from 1 to 4",
        ])
        var unknown = ActionRules.standard
        unknown.atlScale = "atl-1-6"
        #expect(unknown.problems().map(\.key) == ["atl_scale"])
        #expect(ActionRules.standard.problems().isEmpty)
    }
}
