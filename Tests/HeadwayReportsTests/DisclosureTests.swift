import Foundation
import HeadwayAnalytics
import HeadwayCore
@testable import HeadwayReports
import HeadwaySynthetic
import Testing

/// Hand-built schools for the disclosure tests (issue 12, item 11), fictional pupils only.
enum DisclosureFixtures {
    /// One pupil of ``yearEleven(_:interventions:)``.
    struct Spec {
        /// DC2 working-at minus the target 6: 0 on track, −1 below, −2 well below, +1 above.
        var residual = 0
        var disadvantaged = false
        var lookedAfter = false
        /// The maths class, taught by the teacher named after its last letter (`11A/Ma` by `TA`).
        var teachingGroup = "11A/Ma"
    }

    /// Ashgrove School: Year 11 maths at DC2 ("Spring collection"), target 6 for everyone, so
    /// (DC2 being Year 11's last checkpoint) each pupil's residual is their working-at − 6. Pupils
    /// `PUPIL-1`…; `interventions` gets their ids.
    static func yearEleven(_ specs: [Spec], interventions: ([Pupil.ID]) -> [Intervention] = { _ in [] }) -> SchoolYear {
        let ma: Subject.ID = "MA"
        var pupils: [Pupil] = [], assessments: [Assessment] = [], targets: [Target] = []
        var groups: [String: [Pupil.ID]] = [:]
        for (k, spec) in specs.enumerated() {
            let id = Pupil.ID("PUPIL-\(k + 1)")
            pupils.append(Pupil(id: id, upn: PackFixtures.upn(k + 1), forename: "Forename\(k + 1)", surname: "Surname", yearGroup: 11, tutorGroup: "11T",
                                characteristics: [Characteristic.disadvantaged: String(spec.disadvantaged), Characteristic.lookedAfter: String(spec.lookedAfter),
                                                  Characteristic.sen: "N", Characteristic.eal: "false", Characteristic.gender: k % 2 == 0 ? "F" : "M"]))
            assessments.append(Assessment(pupil: id, subject: ma, collection: "DC1", workingAt: PackFixtures.grade("5")))
            assessments.append(Assessment(pupil: id, subject: ma, collection: "DC2", workingAt: PackFixtures.grade(String(6 + spec.residual))))
            targets.append(Target(pupil: id, subject: ma, grade: PackFixtures.grade("6"), method: .imported))
            groups[spec.teachingGroup, default: []].append(id)
        }
        let teacherCodes = Set(groups.keys.map { "T" + String($0.dropLast(3).last!) }).sorted()
        var year = SchoolYear(
            school: School(id: "900002", name: "Ashgrove School"), academicYear: PackFixtures.year,
            subjects: [Subject(id: ma, name: "Mathematics", scale: GradeScale.gcseID, qualification: "GCSE", ks4Category: .maths)],
            staff: teacherCodes.map { Staff(id: Staff.ID($0), title: "Mx", forename: "Teacher", surname: $0, roles: [.teacher]) },
            pupils: pupils,
            teachingGroups: groups.keys.sorted().map {
                TeachingGroup(id: TeachingGroup.ID($0), subject: ma, yearGroup: 11, teachers: [Staff.ID("T" + String($0.dropLast(3).last!))], pupils: groups[$0]!)
            },
            collections: [
                DataCollection(id: "DC1", name: "Autumn collection", academicYear: PackFixtures.year, yearGroups: [11], sequence: 1),
                DataCollection(id: "DC2", name: "Spring collection", academicYear: PackFixtures.year, yearGroups: [11], sequence: 2),
            ],
            assessments: assessments, targets: targets)
        year.interventions = interventions(pupils.map(\.id))
        return year
    }

    static func tutoring(_ pupils: [Pupil.ID], id: String = "INT-T", type: InterventionType = .tutoring, pence: Int = 1_150_000) -> Intervention {
        Intervention(id: Intervention.ID(id), type: type, title: "Tutoring", owner: "TA", pupils: pupils,
                     starts: PackFixtures.date("2027-01-10"), ends: PackFixtures.date("2027-02-20"), costPence: pence, fundedByPupilPremium: true)
    }

    static func governors(_ year: SchoolYear, collection: DataCollection.ID = "DC2") throws -> LeaderPack.Governors.Model {
        let index = YearIndex(year)
        let chosen = try #require(year.collections.first { $0.id == collection })
        return LeaderPack.Governors.model(index, evaluation: ProgressStatus.evaluate(index), collection: chosen, generated: "1 March 2027, 08:00")
    }
}

@Suite struct DisclosureTests {
    typealias Spec = DisclosureFixtures.Spec

    // MARK: The module

    @Test func complementIsTheSmallestNonZeroCellNeverAZero() {
        // Issue 12: Year 7, 204 pupils: above 0, on track 202, below 2, well below 0. The old rule
        // hid the smallest other cell, a 0, and 204 − 202 − 0 − 0 gave the 2 back. Now the only
        // non-zero cell besides the 2 is the 202: hidden, the 2 is one of 1–4 with the 202 one of
        // 200–203.
        #expect(Disclosure.apply([0, 202, 2, 0]) == [nil, .secondary, .small, nil])
        #expect(Disclosure.apply([4, 5, 6, 7]) == [.small, .secondary, nil, nil])
        #expect(Disclosure.apply([5, 6, 7]) == [nil, nil, nil])
        // Two small cells of 3 and 2 sum to 5: each is still one of 1–4. Two of 1 sum to 2: both
        // must be 1, so a third cell is hidden.
        #expect(Disclosure.apply([3, 2, 40]) == [.small, .small, nil])
        #expect(Disclosure.apply([1, 1, 40]) == [.small, .small, .secondary])
        #expect(Disclosure.apply([0, 4, 30]) == [nil, .small, .secondary])
        #expect(Disclosure.apply([9, 4, 9]) == [.secondary, .small, nil])  // the first of equals
        #expect(Disclosure.apply([4]) == [.small])
    }

    @Test func sharesNoneAndAllAndRounding() {
        #expect(Disclosure.hidesShare(3, of: 22) && Disclosure.hidesShare(19, of: 22) && !Disclosure.hidesShare(0, of: 22) && !Disclosure.hidesShare(5, of: 22))
        // None, all, or all but 1–4 of a group with a characteristic.
        #expect(Disclosure.revealsCharacteristic(30, of: 30) && Disclosure.revealsCharacteristic(0, of: 30) && Disclosure.revealsCharacteristic(27, of: 30))
        #expect(Disclosure.revealsCharacteristic(4, of: 30) && !Disclosure.revealsCharacteristic(25, of: 30) && !Disclosure.revealsCharacteristic(5, of: 30))
        #expect(!Disclosure.revealsCharacteristic(0, of: 0))
        // Nearest 5, halves up (Ofqual's base 5).
        #expect([114, 117, 62, 65, 112, 113, 5, 7, 8].map(Disclosure.rounded) == [115, 115, 60, 65, 110, 115, 5, 5, 10])
        #expect(Disclosure.roundedCount(0) == "0" && Disclosure.roundedCount(3) == "fewer than 5" && Disclosure.roundedCount(114) == "115")
    }

    @Test func auditFindsWhatSubtractionAcrossTablesGivesAway() {
        // Two tables of one page: year groups (A 20, B 3, C 30) and the same pupils by gender
        // (F 26, M 27), with the school's total (53) shown by neither. Hiding only B: 26 + 27 − 20
        // − 30 = 3. The audit sees it through the shared total and hides the smallest other year.
        var page = Disclosure.Problem()
        page.latent("pupils", 53)
        for (key, n) in [("A", 20), ("B", 3), ("C", 30), ("F", 26), ("M", 27)] { page.count(key, n) }
        page.sum("pupils", of: ["A", "B", "C"])
        page.sum("pupils", of: ["F", "M"])
        #expect(page.exposed(["B": .small]) == ["B"])
        #expect(page.solve() == ["B": .small, "A": .secondary])
        // The same group in two tables is one key: hidden in both.
        page.count("B", 3)
        #expect(page.keys.filter { $0 == "B" }.count == 1)
    }

    @Test func auditFindsACellOnlyCombinationsOfTotalsGiveAway() {
        // 2 × 2 hidden block with row and column totals: undetermined. Add a hidden cell whose
        // row and column hold no other hidden cell: determined by subtraction alone.
        var page = Disclosure.Problem()
        let cells = [("a", 3), ("b", 7), ("c", 8), ("d", 2)]
        for (k, v) in cells { page.count(k, v) }
        page.count("r1", 10); page.count("r2", 10); page.count("c1", 11); page.count("c2", 9)
        page.sum("r1", of: ["a", "b"]); page.sum("r2", of: ["c", "d"]); page.sum("c1", of: ["a", "c"]); page.sum("c2", of: ["b", "d"])
        #expect(page.exposed(["a": .small, "b": .secondary, "c": .secondary, "d": .small]).isEmpty)
        #expect(page.exposed(["a": .small, "b": .secondary]) == ["a"])
    }

    // MARK: The concrete cases of issue 12

    @Test func governorsProgressRowOf204Holds() throws {
        let year = DisclosureFixtures.yearEleven(Array(repeating: Spec(residual: 0), count: 202) + Array(repeating: Spec(residual: -1), count: 2))
        let model = try DisclosureFixtures.governors(year)
        #expect(model.progress.rows == [["Year 11", "204", "0 (0.0%)", Disclosure.suppressed, Disclosure.fewerThanFive, "0 (0.0%)"]])
        PageReader.governors(model).expectNothingDisclosed("governors' summary")
        // The intruder does find the 2 in the row as it used to be shown: the old rule hid the
        // smallest other cell, and the row shows a 0, so the hidden one was a 0.
        var old = Intruder()
        for (key, text) in [("n", "204"), ("on track", "202"), ("below", Disclosure.fewerThanFive), ("well below", "0")] { old.read(key, text) }
        old.read("above", Disclosure.suppressed, characteristic: true)
        old.high["above"] = 0
        old.sum("n", ["above", "on track", "below", "well below"])
        #expect(old.disclosed()["below"] == 2)
    }

    @Test func twoEditionsACollectionApartDoNotGiveAwayAGroupOfThree() throws {
        // 140 pupils, the first 70 disadvantaged. Edition 1 (DC1): tutoring reached 114, 62 of
        // them disadvantaged; edition 2 (DC2): 3 more disadvantaged pupils, 117 and 65. Shown to
        // the nearest 5: 115/60, then 115/65 — a difference of 0 and 5, from which the 3 cannot be
        // told (the true differences could be −4…+4 and 1…9).
        let specs = (0..<140).map { Spec(disadvantaged: $0 < 70) }
        let first = Array(8..<70) + Array(88..<140)  // 62 disadvantaged + 52 others = 114
        let second = first + [0, 1, 2]  // + 3 disadvantaged = 117
        #expect(first.count == 114 && second.count == 117)
        let before = try DisclosureFixtures.governors(DisclosureFixtures.yearEleven(specs) { ids in [DisclosureFixtures.tutoring(first.map { ids[$0] })] })
        let after = try DisclosureFixtures.governors(DisclosureFixtures.yearEleven(specs) { ids in [DisclosureFixtures.tutoring(second.map { ids[$0] })] })
        let rowsBefore = PageReader.rows(before.pupilPremium), rowsAfter = PageReader.rows(after.pupilPremium)
        #expect(rowsBefore["tutoring"].map { Array($0[4...6]) } == ["115", "60", "£100.00"])  // £11,500 ÷ 115 as shown
        #expect(rowsAfter["tutoring"].map { Array($0[4...6]) } == ["115", "65", "£100.00"])
        #expect(rowsAfter["All interventions"].map { Array($0[4...5]) } == ["115", "65"])
        let keys = ["tutoring", "All interventions"].flatMap { ["reached \($0)", "disadvantaged \($0)"] }
        #expect(Intruder.differences(PageReader.governors(before), PageReader.governors(after), keys: keys).isEmpty)
        // The same attack on the figures as they used to be shown finds the 3.
        var oldBefore = Intruder(), oldAfter = Intruder()
        oldBefore.read("reached", "114"); oldBefore.read("disadvantaged", "62")
        oldAfter.read("reached", "117"); oldAfter.read("disadvantaged", "65")
        #expect(Intruder.differences(oldBefore, oldAfter, keys: ["reached", "disadvantaged"]) == ["reached": 3, "disadvantaged": 3])
    }

    @Test func allOrNoneDisadvantagedOnAnInterventionIsSuppressed() throws {
        // 60 pupils, the first 30 disadvantaged; four interventions of 30: all disadvantaged, none,
        // 27 (all but 3) and 25 of them.
        let specs = (0..<60).map { Spec(disadvantaged: $0 < 30) }
        let year = DisclosureFixtures.yearEleven(specs) { ids in [
            DisclosureFixtures.tutoring(Array(ids[0..<30]), id: "INT-1", type: .tutoring),
            DisclosureFixtures.tutoring(Array(ids[30..<60]), id: "INT-2", type: .mentoring),
            DisclosureFixtures.tutoring(Array(ids[3..<33]), id: "INT-3", type: .revisionSessions),
            DisclosureFixtures.tutoring(Array(ids[5..<35]), id: "INT-4", type: .literacy),
        ] }
        let rows = PageReader.rows(try DisclosureFixtures.governors(year).pupilPremium)
        #expect(rows["tutoring"]?[4] == "30" && rows["tutoring"]?[5] == Disclosure.suppressed)
        #expect(rows["mentoring"]?[5] == Disclosure.suppressed)
        #expect(rows["revision sessions"]?[5] == Disclosure.suppressed)
        #expect(rows["literacy"]?[5] == "25")
        // All 60, 30 of them disadvantaged.
        #expect(rows["All interventions"].map { Array($0[4...5]) } == ["60", "30"])
    }

    @Test func headlineHidesAClassOfOneAndFourLookedAfterPupils() async throws {
        // 31 pupils: 30 in 11A (taught by TA), of them 4 looked after; 1 in 11B (TB), whose mean
        // residual would be that pupil's own.
        var specs = (0..<30).map { Spec(residual: $0 % 3 - 1, lookedAfter: $0 < 4, teachingGroup: "11A/Ma") }
        specs.append(Spec(residual: 1, teachingGroup: "11B/Ma"))
        let year = DisclosureFixtures.yearEleven(specs)
        let analysis = await SchoolAnalysis.compute(year)
        let model = HeadlineReport.model(analysis, generated: "1 March 2027, 08:00")
        let residuals = try #require(model.tables.first { $0.name == "residuals" })
        let classB = try #require(residuals.rows.first { $0[0] == "class" && $0[1] == "11B/Ma" })
        #expect(Array(classB[3...4]) == [Disclosure.fewerThanFive, Disclosure.smallGroup])
        let teacherB = try #require(residuals.rows.first { $0[0] == "teacher" && $0[1] == "TB" })
        #expect(teacherB[3] == Disclosure.fewerThanFive)
        // The subject's 31 = 11A + 11B, and 11A's 30 is also its teacher's: hiding 11A would not
        // do (TA shows 30), so the subject's 31 is suppressed, or 31 − 30 gives the 1 back.
        let subject = try #require(residuals.rows.first { $0[0] == "subject" })
        let classA = try #require(residuals.rows.first { $0[0] == "class" && $0[1] == "11A/Ma" })
        #expect(subject[3] == Disclosure.suppressed && subject[4] == Disclosure.suppressed && classA[3] == "30")
        let subgroups = try #require(model.tables.first { $0.name == "subgroups" })
        let lookedAfter = subgroups.rows.filter {
            $0[1] == PlainLabel.characteristic(Characteristic.lookedAfter) && $0[2] == PlainLabel.value("true", of: Characteristic.lookedAfter)
        }
        #expect(!lookedAfter.isEmpty && lookedAfter.allSatisfy { Array($0[4...5]) == [Disclosure.fewerThanFive, Disclosure.smallGroup] })
        PageReader.headline(model.tables, classes: year.teachingGroups.map { ($0.id.rawValue, $0.subject.rawValue, $0.teachers.map(\.rawValue)) })
            .expectNothingDisclosed("headline report")
    }

    // MARK: Every page of the hand-built schools

    @Test func governorsSummaryOfTheGapsFixtureHolds() throws {
        let year = PackFixtures.governors()
        let index = YearIndex(year)
        let model = LeaderPack.Governors.model(index, evaluation: ProgressStatus.evaluate(index), collection: year.collections[1], generated: "x")
        // Every Year 11 pupil has every characteristic recorded, and only they do.
        PageReader.governors(model, recorded: { _ in "Year 11 pupils" }).expectNothingDisclosed("governors' summary")
    }

    @Test func departmentAndYearGroupPacksOfTheFixtureHold() throws {
        let year = PackFixtures.department()
        let index = YearIndex(year)
        let evaluation = ProgressStatus.evaluate(index)
        let collection = year.collections[1]
        let department = LeaderPack.Department.model(index, evaluation: evaluation, subject: "MA", collection: collection, generated: "x")
        PageReader.department(department, collectionName: collection.name, teachers: Self.teachers(index)).expectNothingDisclosed("department pack")
        let pack = LeaderPack.YearGroup.model(index, evaluation: evaluation, yearGroup: 11, collection: collection, generated: "x")
        Self.yearGroupIntruder(pack).expectNothingDisclosed("year-group pack")
    }

    // MARK: The demo school

    @Test func everyAggregatePageOfTheDemoSchoolHolds() async throws {
        let demo = DemoSchool.generate()
        var year = demo.year
        year.interventions = demo.interventions
        let analysis = await SchoolAnalysis.compute(year)
        let index = analysis.index
        let evaluation = analysis.progress.evaluation
        let collections = year.collections.filter { c in year.assessments.contains { $0.collection == c.id } }
        let latest = try #require(collections.last)
        let context = InterventionImpact.Context(index)

        // Governors: each collection's edition, and each pair of editions a collection apart.
        var editions: [Intruder] = []
        for c in collections {
            let model = LeaderPack.Governors.model(index, evaluation: evaluation, collection: c, impact: context, generated: "x")
            let intruder = PageReader.governors(model)
            intruder.expectNothingDisclosed("governors' summary at \(c.id)")
            editions.append(intruder)
            // INT-005: 30 disadvantaged pupils — "30 of 30" is not shown.
            let revision = try #require(model.pupilPremium.rows.first { $0[0] == "revision sessions" })
            #expect(revision[5] == Disclosure.suppressed)
        }
        let types = ["tutoring", "mentoring", "literacy", "parent meeting", "revision sessions", "homework club", "All interventions"]
        for (a, b) in zip(editions, editions.dropFirst()) {
            #expect(Intruder.differences(a, b, keys: types.flatMap { ["reached \($0)", "disadvantaged \($0)"] }).isEmpty)
        }

        // Department packs, one per subject, and year-group packs, at the latest collection.
        let teachers = Self.teachers(index)
        for subject in year.subjects {
            let model = LeaderPack.Department.model(index, evaluation: evaluation, subject: subject.id, collection: latest, generated: "x")
            PageReader.department(model, collectionName: latest.name, teachers: teachers).expectNothingDisclosed("\(subject.id) department pack")
        }
        for y in Set(year.pupils.map(\.yearGroup)).sorted() {
            let pack = LeaderPack.YearGroup.model(index, evaluation: evaluation, yearGroup: y, collection: latest, impact: context, generated: "x")
            Self.yearGroupIntruder(pack).expectNothingDisclosed("Year \(y) pack")
        }

        // The headline report.
        let headline = HeadlineReport.model(analysis, generated: "x")
        PageReader.headline(headline.tables, classes: year.teachingGroups.map { ($0.id.rawValue, $0.subject.rawValue, $0.teachers.map(\.rawValue)) })
            .expectNothingDisclosed("headline report")
        let residuals = try #require(headline.tables.first { $0.name == "residuals" })
        for row in residuals.rows { #expect(!(Int(row[3]).map(Disclosure.isSmall) ?? false), "\(row[1]) shown with n = \(row[3])") }
    }

    // MARK: Helpers

    /// Each teacher row's label ("Mx Teacher (TA)") → the codes of their classes.
    static func teachers(_ index: YearIndex) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for group in index.year.teachingGroups {
            for t in group.teachers { out[index.staffName(t), default: []].append(group.id.rawValue) }
        }
        return out
    }

    /// The year-group pack's intruder, with each collection's total worked out from the shares
    /// its visible cells print ("7 (31.8%)" of what?), as a reader would.
    static func yearGroupIntruder(_ pack: LeaderPack.YearGroup.Model) -> Intruder {
        func totals(_ table: LeaderPack.Table, rows: [[String]]) -> [String: Int] {
            var out: [String: Int] = [:]
            for (c, column) in table.header.dropFirst().enumerated() {
                var candidates: Set<Int>?
                for row in rows {
                    let parts = row[c + 1].split(separator: " ")
                    guard parts.count == 2, let n = Int(parts[0]), n > 0, let p = Double(parts[1].dropFirst().dropLast(2)), p > 0 else { continue }
                    let range = p >= 99.95 ? n...(n * 2_000) : Int((Double(n) * 100 / (p + 0.05)).rounded(.down))...Int((Double(n) * 100 / (p - 0.05)).rounded(.up))
                    let found = Set(range.filter { $0 >= n && LeaderPack.percent(n, of: $0) == String(parts[1].dropFirst().dropLast()) })
                    candidates = candidates.map { $0.intersection(found) } ?? found
                }
                if let only = candidates, only.count == 1 { out[column] = only.first! }
            }
            return out
        }
        let progress = pack.progress.table
        return PageReader.yearGroup(pack, statusTotals: totals(progress, rows: progress.rows.filter { $0[0] != "no status" }),
                                    atlTotals: totals(pack.atl.table, rows: pack.atl.table.rows), current: progress.header.last!)
    }
}
