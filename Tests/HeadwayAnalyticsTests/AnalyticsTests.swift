import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

/// Expected values are worked by hand from ``Fixtures/smallSchool()``: 4 pupils, 7 pupil ×
/// subject pairs (MA and SC for P001–P003, HI7 for P004), two collections.
@Suite struct AnalyticsTests {
    let index = YearIndex(Fixtures.smallSchool())

    @Test func completionCountsXAndZAsEnteredAndBlanksAsMissing() throws {
        let dc1 = Completion(index, collection: index.collections[0])
        #expect(dc1.overall.expected == 7)
        #expect(dc1.overall.present == 6)  // P002 SC is Z: entered
        #expect(dc1.missing.map { "\($0.pupil)/\($0.subject)" } == ["P003/SC"])
        let jsm = try #require(dc1.byTeacher.first { $0.key == "JSM" })
        #expect((jsm.expected, jsm.present) == (6, 5))
        let rpa = try #require(dc1.byTeacher.first { $0.key == "RPA" })
        #expect((rpa.expected, rpa.present) == (4, 3))
        #expect(rpa.label == "Mr Patel (RPA)")

        let dc2 = Completion(index, collection: index.collections[1])
        #expect(dc2.overall.present == 4)  // X and an off-scale value are entered
        #expect(Set(dc2.missing.map { "\($0.pupil)/\($0.subject)" }) == ["P003/MA", "P001/SC", "P002/SC"])
        #expect(dc2.bySubject.first { $0.key == "SC" }.map { ($0.expected, $0.present) } ?? (0, 0) == (3, 1))
        let year10 = try #require(dc2.byYearGroup.first { $0.key == "10" })
        #expect(year10.percent == 50)
    }

    /// The index numbers ids internally; nothing in the year may be lost or confused by that.
    @Test func indexKeepsEveryRecordTheYearMentions() throws {
        var year = Fixtures.smallSchool()
        let gcse = GradeScale.gcse
        // An entry for a pupil not on roll, one in a collection the year does not list, a second
        // entry for the same cell (the last wins), and a class member who is not on roll.
        year.assessments.append(Assessment(pupil: "GONE", subject: "MA", collection: "DC1", workingAt: .grade(gcse.grade("4")!)))
        year.assessments.append(Assessment(pupil: "P001", subject: "MA", collection: "MOCK", workingAt: .grade(gcse.grade("7")!)))
        year.assessments.append(Assessment(pupil: "P002", subject: "MA", collection: "DC1", workingAt: .grade(gcse.grade("3")!)))
        year.teachingGroups[0].pupils.append("LEFT")
        let index = YearIndex(year)

        #expect(!index.studied.contains(YearIndex.PupilSubject("GONE", "MA")))  // entries alone need a pupil on roll
        #expect(index.studied.contains(YearIndex.PupilSubject("LEFT", "MA")))  // a class membership is enough
        #expect(index.studied == index.studied.sorted())
        #expect(index.workingAt("MOCK", YearIndex.PupilSubject("P001", "MA")) == .grade(gcse.grade("7")!))
        #expect(index.workingAt("DC1", YearIndex.PupilSubject("P002", "MA")) == .grade(gcse.grade("3")!))
        #expect(index.workingAt("DC1", YearIndex.PupilSubject("GONE", "MA")) == .grade(gcse.grade("4")!))
        #expect(index.workingAt("DC9", YearIndex.PupilSubject("P001", "MA")) == nil)
        #expect(index.workingAt("DC1", YearIndex.PupilSubject("NOBODY", "MA")) == nil)
        #expect(index.teachingGroup(of: YearIndex.PupilSubject("P002", "SC"))?.id == "10X/Sc1")
        #expect(index.teachingGroup(of: YearIndex.PupilSubject("P004", "MA")) == nil)
        // A pair built by a caller and one handed out by the index are the same key.
        #expect(index.pair("P001", "MA") == YearIndex.PupilSubject("P001", "MA"))
        #expect(Set([index.pair("P001", "MA")!, YearIndex.PupilSubject("P001", "MA")]).count == 1)
        // A collection for year 10 only does not expect the year 7 pupil or the leaver.
        let dc2 = try #require(year.collections.first { $0.id == "DC2" })
        #expect(!index.expected(in: dc2).contains { $0.pupil == "LEFT" })
    }

    @Test func changesNeverTreatXZOrBlankAsZero() {
        let changes = Progress.consecutiveChanges(index)
        #expect(changes.count == 2)
        let ma = changes.first { $0.subject == "MA" }
        #expect(ma?.pupil == "P001")
        #expect(abs((ma?.change ?? 0) - 2.0 / 3) < 1e-12)  // 5 → 6- (5⅔)
        #expect(changes.first { $0.subject == "HI7" }?.change == 2)  // DEV (2) → MAS (4)
        #expect(Progress.changesSinceFirst(index).count == 2)
    }

    @Test func attendanceIsAMeasureNotASubgroup() {
        var year = Fixtures.smallSchool()
        for (i, value) in ["94.6", "88.1", "100", "97.3"].enumerated() where i < year.pupils.count {
            year.pupils[i].characteristics[Characteristic.attendance] = value
        }
        let rows = SubgroupSummary.compute(YearIndex(year))
        #expect(!rows.isEmpty)
        #expect(!rows.contains { $0.characteristic == Characteristic.attendance })
    }

    @Test func subgroupMeansCarryTheirCounts() throws {
        let rows = SubgroupSummary.compute(index)
        // Subjects are on two point units (GCSE grades and KS3 steps): no "all subjects" line.
        #expect(rows.allSatisfy { $0.subject != nil })
        let disadvantagedMA = try #require(rows.first { $0.characteristic == Characteristic.disadvantaged && $0.value == "true" && $0.subject == "MA" })
        #expect(disadvantagedMA.latestCount == 1)
        #expect(abs(disadvantagedMA.latestMean! - (6 - 1.0 / 3)) < 1e-12)
        #expect(disadvantagedMA.changeCount == 1)
        // P002 is X in DC2 and P003 blank: neither is a zero, so the non-disadvantaged group has
        // no graded pupil in MA and no line at all (rather than a mean of 0).
        #expect(!rows.contains { $0.characteristic == Characteristic.disadvantaged && $0.value == "false" && $0.subject == "MA" })
        let band = try #require(rows.first { $0.characteristic == Characteristic.priorAttainmentBand && $0.value == "high" && $0.subject == "HI7" })
        #expect(band.changeMean == 2)  // P004, KS2 112
        // P001 (KS2 106) is middle band; P002 (maths 98 alone) is low but X in DC2; P003 has no KS2 and no DC2 grade.
        let bandsMA = rows.filter { $0.characteristic == Characteristic.priorAttainmentBand && $0.subject == "MA" }
        #expect(bandsMA.map { "\($0.value) \($0.latestCount) \($0.changeCount)" } == ["middle 1 1"])
    }

    /// Issue 12, item 5: a pupil with two graded subjects is one pupil (two entries), and a
    /// Year 7 mean is never pooled with a Year 10 one. All subjects on the GCSE scale so the
    /// "all subjects" line exists; P001 gets an SC grade at DC2 (6 → 7).
    @Test func subgroupSummariesCountPupilsOnceAndKeepYearGroupsApart() throws {
        var year = Fixtures.smallSchool()
        let gcse = GradeScale.gcse
        for i in year.subjects.indices { year.subjects[i].scale = GradeScale.gcseID }
        year.assessments = year.assessments.map { a in
            var a = a
            switch (a.pupil, a.subject, a.collection) {
            case ("P001", "SC", "DC1"): a.workingAt = gcse.value(stored: "6")
            case ("P004", "HI7", "DC1"): a.workingAt = gcse.value(stored: "2")
            case ("P004", "HI7", "DC2"): a.workingAt = gcse.value(stored: "4")
            default: break
            }
            return a
        } + [Assessment(pupil: "P001", subject: "SC", collection: "DC2", workingAt: gcse.value(stored: "7"), enteredBy: "RPA")]
        let rows = SubgroupSummary.compute(YearIndex(year)).filter { $0.characteristic == Characteristic.gender && $0.subject == nil }
        // Year 10 girls: P001 (MA 5 → 6-, SC 6 → 7); P002 is X at DC2 and so not counted.
        // Year 10 boys: P003 has no grade at DC2 (blank MA, off-scale SC): no line.
        // Year 7 boys: P004 (2 → 4), kept apart from Year 10.
        #expect(rows.map { "Y\($0.yearGroup) \($0.value) \($0.latestPupils)/\($0.latestCount) \($0.changePupils)/\($0.changeCount)" }
                == ["Y7 M 1/1 1/1", "Y10 F 1/2 1/2"])
        let girls = try #require(rows.first { $0.value == "F" })
        #expect(abs(girls.latestMean! - ((6 - 1.0 / 3) + 7) / 2) < 1e-12)
        #expect(abs(girls.changeMean! - ((1 - 1.0 / 3) + 1) / 2) < 1e-12)
        #expect(rows.first { $0.value == "M" }?.changeMean == 2)
    }

    @Test func distributionsCountBandsAndNonGradesApart() throws {
        let all = GradeDistribution.compute(index)
        let ma1 = try #require(all.first { $0.collection == "DC1" && $0.subject == "MA" })
        #expect(ma1.counts.map(\.band) == ["U", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
        #expect(ma1.counts.filter { $0.count > 0 }.map { "\($0.band)=\($0.count)" } == ["4=1", "5=1", "6=1"])  // 4+, 5, 7/6
        let ma2 = try #require(all.first { $0.collection == "DC2" && $0.subject == "MA" })
        #expect((ma2.graded, ma2.notAssessed, ma2.blank) == (1, 1, 1))
        let sc2 = try #require(all.first { $0.collection == "DC2" && $0.subject == "SC" })
        #expect((sc2.offScale, sc2.blank) == (1, 2))
    }

    @Test func integrityFindsWhatIsWrongAndWhoCanFixIt() throws {
        let findings = Integrity.check(index)
        let offScale = findings.filter { $0.check == .offScale }
        #expect(offScale.count == 1)
        #expect(offScale.first?.severity == .error)
        #expect(offScale.first?.record == "DC2 / 10X/Sc1 / pupil P003 (Kwame Adeyemi-Hart) / SC")
        #expect(offScale.first?.message == "working-at value 'A*' is not on GCSE combined science 9-9 to 1-1")
        #expect(offScale.first?.fixer == "Ms Smith (JSM), Mr Patel (RPA)")

        let swings = findings.filter { $0.check == .swing }
        #expect(swings.map(\.record) == ["DC2 / 7C/Hi / pupil P004 (Tom <script>alert(1)</script>) / HI7"])
        #expect(swings.first?.message == "working-at moved from DEV (DC1) to MAS (DC2), a swing of 2 on KS3 steps")

        let missing = findings.filter { $0.check == .missingEntries }.map { "\($0.record): \($0.message) — \($0.fixer)" }
        #expect(missing == [
            "DC1 / 10X/Sc1: 1 working-at entry not yet entered — Ms Smith (JSM), Mr Patel (RPA)",
            "DC2 / 10X/Ma1: 1 working-at entry not yet entered — Ms Smith (JSM)",
            "DC2 / 10X/Sc1: 2 working-at entries not yet entered — Ms Smith (JSM), Mr Patel (RPA)",
        ])
        let ks2 = findings.filter { $0.check == .missingKS2 }
        #expect(ks2.map(\.message) == ["1 of 3 pupils (33.3%) have no KS2 reading or maths score"])
        #expect(ks2.first?.fixer == "Dana Green (DMG)")
        #expect(findings.first?.severity == .error)  // errors first
        #expect(!findings.contains { $0.check == .duplicatePupil || $0.check == .copiedForward || $0.check == .noClass })
    }

    @Test func integrityFindsDuplicatesUnclassedPupilsAndCopiedClasses() {
        var year = Fixtures.smallSchool()
        year.pupils.append(Pupil(id: "P005", upn: UPN("H801200001001"), forename: "Aoife", surname: "O'Neil",
                                 dateOfBirth: CalendarDate(year: 2011, month: 3, day: 4), yearGroup: 10))
        let ids: [Pupil.ID] = ["C1", "C2", "C3", "C4", "C5"]
        year.pupils += ids.map { Pupil(id: $0, yearGroup: 7) }
        year.teachingGroups.append(TeachingGroup(id: "7C/Ma", subject: "MA", yearGroup: 7, teachers: ["JSM"], pupils: ids))
        for (i, id) in ids.enumerated() {
            for c in ["DC1", "DC2"] {
                year.assessments.append(Assessment(pupil: id, subject: "MA", collection: DataCollection.ID(c),
                                                   workingAt: GradeScale.gcse.value(stored: String(2 + i % 3))))
            }
        }
        let findings = Integrity.check(YearIndex(year))
        #expect(findings.filter { $0.check == .duplicatePupil }.map(\.severity) == [.error, .warning])
        #expect(findings.first { $0.check == .duplicatePupil && $0.severity == .error }?.message == "one UPN on 2 pupil records: P001, P005")
        #expect(findings.filter { $0.check == .noClass }.map(\.record) == ["pupil P005 (Aoife O'Neil, year 10)"])
        let copied = findings.filter { $0.check == .copiedForward }
        #expect(copied.map(\.record) == ["DC2 / 7C/Ma"])
        #expect(copied.first?.message == "all 5 working-at grades are the same as in DC1: copied forward?")
    }

    /// A quarter of the 0–20 range (5 marks) is a swing; 4.5 is not.
    @Test func numericScaleSwingIsAQuarterOfTheRange() {
        var year = Fixtures.smallSchool()
        year.subjects.append(Subject(id: "POR", name: "Portuguese", scale: GradeScale.zeroToTwentyID))
        for (pupil, from, to) in [("P001", "10", "15"), ("P002", "10", "14.5")] {
            year.assessments.append(Assessment(pupil: Pupil.ID(pupil), subject: "POR", collection: "DC1", workingAt: GradeScale.zeroToTwenty.value(stored: from)))
            year.assessments.append(Assessment(pupil: Pupil.ID(pupil), subject: "POR", collection: "DC2", workingAt: GradeScale.zeroToTwenty.value(stored: to)))
        }
        let swings = Integrity.check(YearIndex(year)).filter { $0.check == .swing && $0.record.hasSuffix("POR") }
        #expect(swings.map(\.record) == ["DC2 / pupil P001 (Aoife O'Neil) / POR"])
    }
}
