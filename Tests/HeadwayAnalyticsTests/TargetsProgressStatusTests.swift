import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

/// Progress status: residual against the flight path, bands at their boundaries, trend.
@Suite struct TargetsProgressStatusTests {
    static func g(_ code: String) -> EntryValue { GradeScale.gcse.value(stored: code) }

    /// Three collections for Years 10–12. Year 10 on a path to 6 is expected at checkpoints
    /// i = 9, 10, 11 of 15: 3 + 3·i/14 = 4.9286, 5.1429, 5.3571; to 5, 2.5 + 2.5·i/14 = 4.1071,
    /// 4.2857, 4.4643. Year 11 DC3 (i = 14) is expected at the target itself.
    static func year() -> SchoolYear {
        let collections = (1...3).map {
            DataCollection(id: DataCollection.ID("DC\($0)"), name: "DC\($0)", academicYear: Fixtures.year, yearGroups: [10, 11, 12], sequence: $0)
        }
        let y11 = ["B1": "7/6", "B2": "6+", "B3": "6-", "B4": "6/5", "B5": "5-", "B6": "5/4"]
        let pupils = [Pupil(id: "A", yearGroup: 10), Pupil(id: "N", yearGroup: 10), Pupil(id: "S", yearGroup: 12), Pupil(id: "T", yearGroup: 10)]
            + y11.keys.sorted().map { Pupil(id: Pupil.ID($0), yearGroup: 11) }
        var assessments = [
            Assessment(pupil: "A", subject: "MA", collection: "DC1", workingAt: g("5")),
            Assessment(pupil: "A", subject: "MA", collection: "DC2", workingAt: g("4")),
            Assessment(pupil: "A", subject: "MA", collection: "DC3", workingAt: g("7")),
            Assessment(pupil: "A", subject: "EN", collection: "DC1", workingAt: .notAssessed),
            Assessment(pupil: "A", subject: "EN", collection: "DC2", workingAt: g("4")),
            Assessment(pupil: "A", subject: "EN", collection: "DC3", workingAt: .offScale("A*")),
            Assessment(pupil: "N", subject: "MA", collection: "DC1", workingAt: g("5")),  // no target
            Assessment(pupil: "N", subject: "MA", collection: "DC2", workingAt: nil),  // blank
            Assessment(pupil: "N", subject: "MA", collection: "DC3", workingAt: .notRequired),
            Assessment(pupil: "S", subject: "MA", collection: "DC1", workingAt: g("6")),  // Year 12
            Assessment(pupil: "T", subject: "MA", collection: "DC1", workingAt: g("6")),  // off-scale target
        ]
        var targets = [
            Target(pupil: "A", subject: "MA", grade: g("6"), method: .estimate),
            Target(pupil: "A", subject: "EN", grade: g("5"), method: .imported),
            Target(pupil: "S", subject: "MA", grade: g("6"), method: .imported),
            Target(pupil: "T", subject: "MA", grade: .offScale("B"), method: .imported),
        ]
        for (id, code) in y11 {
            assessments.append(Assessment(pupil: Pupil.ID(id), subject: "MA", collection: "DC3", workingAt: g(code)))
            targets.append(Target(pupil: Pupil.ID(id), subject: "MA", grade: g("6"), method: .estimate))
        }
        return SchoolYear(school: School(id: "T", name: "Test"), academicYear: Fixtures.year,
                          subjects: [Subject(id: "MA", name: "Maths", scale: GradeScale.gcseID, ks4Category: .maths),
                                     Subject(id: "EN", name: "English", scale: GradeScale.gcseID, ks4Category: .englishLanguage)],
                          pupils: pupils, collections: collections, assessments: assessments, targets: targets)
    }

    let evaluation = ProgressStatus.evaluate(YearIndex(Self.year()))

    @Test func residualsBandsAndTrendOverThreeCollections() throws {
        let dc1 = try #require(evaluation.status(pupil: "A", subject: "MA", collection: "DC1"))
        #expect(dc1.checkpoint == FlightPath.Checkpoint(yearGroup: 10, collection: 1))
        #expect(abs(dc1.expected - (3 + 27.0 / 14)) < 1e-12)  // 4.9286
        #expect(abs(dc1.residual - (5 - (3 + 27.0 / 14))) < 1e-12)  // +0.0714
        #expect(dc1.band == .onTrack && dc1.trend == nil && dc1.previousWorkingAt == nil && dc1.residualChange == nil)
        #expect(dc1.target.code == "6" && dc1.workingAt.code == "5")

        let dc2 = try #require(evaluation.status(pupil: "A", subject: "MA", collection: "DC2"))
        #expect(abs(dc2.residual - (4 - (3 + 30.0 / 14))) < 1e-12)  // 4 − 5.1429 = −1.1429
        #expect(dc2.band == .below && dc2.trend == .down && dc2.previousWorkingAt?.code == "5")
        #expect(abs(try #require(dc2.residualChange) - (-1.142857142857 - 0.071428571429)) < 1e-9)  // −1.2143

        let dc3 = try #require(evaluation.status(pupil: "A", subject: "MA", collection: "DC3"))
        #expect(abs(dc3.residual - (7 - (3 + 33.0 / 14))) < 1e-12)  // 7 − 5.3571 = +1.6429
        #expect(dc3.band == .above && dc3.trend == .up)

        // English: target 5, DC2 expected 2.5 + 2.5 × 10/14 = 4.2857; 4 → −0.2857, on track. DC1
        // was X, so no trend (never a fall from zero).
        let en = try #require(evaluation.status(pupil: "A", subject: "EN", collection: "DC2"))
        #expect(abs(en.residual - (4 - (2.5 + 25.0 / 14))) < 1e-12 && en.band == .onTrack && en.trend == nil)
    }

    /// Year 11 DC3 is expected at the target (6): residuals land exactly on the boundaries.
    @Test func bandsAtTheBoundaries() throws {
        func band(_ pupil: Pupil.ID) throws -> ProgressStatus.Band {
            let s = try #require(evaluation.status(pupil: pupil, subject: "MA", collection: "DC3"))
            #expect(s.expected == 6)
            return s.band
        }
        #expect(try band("B1") == .above)  // 7/6 = 6.5: +0.5, the lowest "above"
        #expect(try band("B2") == .onTrack)  // 6+ = 6⅓: +0.33
        #expect(try band("B3") == .onTrack)  // 6- = 5⅔: −0.33
        #expect(try band("B4") == .below)  // 6/5 = 5.5: −0.5 is not above −0.5, so below
        #expect(try band("B5") == .below)  // 5- = 4⅔: −1.33
        #expect(try band("B6") == .wellBelow)  // 5/4 = 4.5: −1.5 is not above −1.5, so well below
    }

    @Test func thresholdBoundariesDirectly() {
        let t = ProgressStatus.Thresholds.standard
        #expect(t.band(for: 0.5) == .above)
        #expect(t.band(for: 0.5 - 1e-12) == .above)  // floating-point noise counts as on the boundary
        #expect(t.band(for: 0.4999) == .onTrack)
        #expect(t.band(for: 0) == .onTrack)
        #expect(t.band(for: -0.4999) == .onTrack)
        #expect(t.band(for: -0.5) == .below)
        #expect(t.band(for: -1.4999) == .below)
        #expect(t.band(for: -1.5) == .wellBelow)
        #expect(t.band(for: -4) == .wellBelow)
        let strict = ProgressStatus.Thresholds(above: 1, onTrack: -0.25, below: -1)!
        #expect(strict.band(for: 0.9) == .onTrack && strict.band(for: -0.25) == .below && strict.band(for: -1) == .wellBelow)
        #expect(ProgressStatus.Thresholds(above: 0, onTrack: 0.5, below: -1) == nil)
        #expect(ProgressStatus.Thresholds(above: 1, onTrack: -1, below: -1) == nil)
        #expect(ProgressStatus.Band.wellBelow < .below && ProgressStatus.Band.onTrack < .above)
        #expect(ProgressStatus.Band.wellBelow.description == "well below")
    }

    @Test func entriesWithoutAGradeOrTargetHaveNoStatus() {
        let reasons = evaluation.unrated.map { "\($0.collection)/\($0.pupil)/\($0.subject) \($0.reason.rawValue)" }
        #expect(reasons == [
            "DC1/A/EN not_graded",  // X
            "DC1/N/MA no_target",
            "DC1/S/MA no_flight_path",  // Year 12
            "DC1/T/MA target_not_a_grade",
            "DC2/N/MA not_graded",  // blank
            "DC3/A/EN not_graded",  // off-scale
            "DC3/N/MA not_graded",  // Z
        ])
        #expect(evaluation.statuses.count == 4 + 6)  // A: MA × 3, EN × 1; B1–B6
        #expect(evaluation.statuses.map(\.collection) == ["DC1", "DC2", "DC2", "DC3"] + Array(repeating: "DC3", count: 6))
    }

    /// A school table replaces the line for its subject; collections-per-year from settings.
    @Test func evaluationUsesTheSchoolsFlightPaths() throws {
        let columns = FlightPath.Checkpoint.course(collectionsPerYear: 3)
        let flat = FlightPathTable(checkpoints: columns, rows: [6: Array(repeating: 4.0, count: 15)])
        let e = ProgressStatus.evaluate(YearIndex(Self.year()), flightPaths: FlightPathSettings(tables: ["MA": flat]))
        let s = try #require(e.status(pupil: "A", subject: "MA", collection: "DC2"))
        #expect(s.expected == 4 && s.residual == 0 && s.band == .onTrack)
    }
}
