import HeadwayCore
import HeadwaySynthetic
import Testing

/// The default demo school, generated once for every test that only reads it.
let demo = DemoSchool.generate()

/// Lookups over a generated school, built once per school.
struct Index {
    let year: SchoolYear
    let pupils: [Pupil.ID: Pupil]
    let subjects: [Subject.ID: Subject]
    /// (pupil, subject, collection) → assessment.
    let cells: [String: Assessment]

    init(_ year: SchoolYear) {
        self.year = year
        pupils = Dictionary(uniqueKeysWithValues: year.pupils.map { ($0.id, $0) })
        subjects = Dictionary(uniqueKeysWithValues: year.subjects.map { ($0.id, $0) })
        cells = Dictionary(uniqueKeysWithValues: year.assessments.map { (Index.key($0.pupil, $0.subject, $0.collection), $0) })
    }

    static func key(_ p: Pupil.ID, _ s: Subject.ID, _ c: DataCollection.ID) -> String { "\(p)|\(s)|\(c)" }

    func cell(_ p: Pupil.ID, _ s: Subject.ID, _ c: DataCollection.ID) -> Assessment? { cells[Index.key(p, s, c)] }
    func cell(_ c: PlantedFaults.Cell) -> Assessment? { cell(c.pupil, c.subject, c.collection) }
}

let demoIndex = Index(demo.year)

func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
func standardDeviation(_ xs: [Double]) -> Double {
    let m = mean(xs)
    return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
}

@Suite struct DeterminismTests {
    @Test func sameSeedGivesIdenticalData() {
        let again = DemoSchool.generate()
        #expect(again.year.pupils == demo.year.pupils)
        #expect(again.year.staff == demo.year.staff)
        #expect(again.year.subjects == demo.year.subjects)
        #expect(again.year.teachingGroups == demo.year.teachingGroups)
        #expect(again.year.collections == demo.year.collections)
        #expect(again.year.assessments == demo.year.assessments)  // same values in the same order
        #expect(again.year.scales == demo.year.scales)
        #expect(again.year.targets == demo.year.targets)
        #expect(again.planted == demo.planted)
    }

    @Test func differentSeedGivesDifferentData() {
        let other = DemoSchool.generate(.init(seed: 2027))
        #expect(other.year.pupils != demo.year.pupils)
        #expect(other.year.assessments != demo.year.assessments)
        #expect(other.year.pupils.map(\.id) != demo.year.pupils.map(\.id))
        #expect(other.planted != demo.planted)
    }

    @Test func progressRunsFromZeroToOne() {
        var seen: [Double] = []
        _ = DemoSchool.generate(.init(seed: 7, pupilsPerYearGroup: 60)) { seen.append($0) }
        #expect(seen.first == 0)
        #expect(seen.last == 1)
        #expect(seen.count >= 5)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 < $1 })
    }
}

@Suite struct PupilTests {
    let pupils = demo.year.pupils

    /// 220 ± 3% per year group (±6) → 1,066–1,134 in all.
    @Test func aboutElevenHundredPupilsInFiveYearGroups() {
        #expect((1_066...1_134).contains(pupils.count), "\(pupils.count) pupils")
        #expect(Set(pupils.map(\.yearGroup)) == Set(7...11))
        for y in 7...11 {
            #expect((213...227).contains(pupils.filter { $0.yearGroup == y }.count))
        }
    }

    @Test func everyUPNIsValidUniqueAndShapedAsAsked() throws {
        #expect(Set(pupils.map(\.id)).count == pupils.count)
        for pupil in pupils {
            let upn = try #require(pupil.upn)
            let result = UPN.validate(upn.rawValue)
            #expect(result.problems.isEmpty, "\(upn): \(result.problems)")
            #expect(pupil.id.rawValue == upn.rawValue)
            let chars = Array(upn.rawValue)
            #expect(LocalAuthority.numbers.contains(String(chars[1...3])))
            #expect(chars[4] == "4", "establishment 4xxx")
            let y6Year = demo.options.academicYear.startYear - (pupil.yearGroup - 6)
            #expect(String(chars[8...9]) == String(y6Year % 100), "allocated in the pupil's Year 6 year")
            #expect(!upn.isTemporary)
        }
    }

    @Test func datesOfBirthMatchYearGroup() throws {
        let start = demo.options.academicYear.startYear
        for pupil in pupils {
            let dob = try #require(pupil.dateOfBirth)
            // Year 7 in 2026/27: born 1 September 2014 – 31 August 2015.
            let first = CalendarDate(year: start - pupil.yearGroup - 5, month: 9, day: 1)!
            let last = CalendarDate(year: start - pupil.yearGroup - 4, month: 8, day: 31)!
            #expect(first <= dob && dob <= last, "\(pupil.id) Y\(pupil.yearGroup) born \(dob)")
        }
    }

    @Test func namesIncludeApostrophesAndDiacritics() {
        let names = pupils.map { "\($0.forename) \($0.surname)" }
        #expect(names.contains { $0.contains("'") })
        #expect(names.contains { $0.unicodeScalars.contains { !$0.isASCII } })
        #expect(pupils.allSatisfy { !$0.forename.isEmpty && !$0.surname.isEmpty })
    }

    @Test func tutorGroupsAreAToHInEachYear() {
        for y in 7...11 {
            let groups = Set(pupils.filter { $0.yearGroup == y }.compactMap(\.tutorGroup))
            #expect(groups == Set("ABCDEFGH".map { "\(y)\($0)" }))
        }
    }

    /// Characteristics are drawn as per-year-group quotas, so the school's rates equal the targets
    /// up to rounding (at most half a pupil per year group each); gender is a fair coin per pupil,
    /// SD ≈ 1.5 points, so ±6 points is four SDs.
    @Test func characteristicRatesAreRealistic() {
        func rate(_ name: String, _ value: String) -> Double {
            Double(pupils.filter { $0.characteristics[name] == value }.count) / Double(pupils.count)
        }
        #expect(abs(rate(Characteristic.disadvantaged, "true") - 0.25) < 0.01)
        #expect(abs(rate(Characteristic.sen, "K") - 0.13) < 0.01)
        #expect(abs(rate(Characteristic.sen, "E") - 0.025) < 0.005)
        #expect(abs(rate(Characteristic.eal, "true") - 0.18) < 0.01)
        #expect((0.002...0.01).contains(rate(Characteristic.lookedAfter, "true")))
        #expect(abs(rate(Characteristic.gender, "F") - 0.5) < 0.06)
        for pupil in pupils {
            #expect(["true", "false"].contains(pupil.characteristics[Characteristic.disadvantaged]))
            #expect(["true", "false"].contains(pupil.characteristics[Characteristic.eal]))
            #expect(["true", "false"].contains(pupil.characteristics[Characteristic.lookedAfter]))
            #expect(["N", "K", "E"].contains(pupil.characteristics[Characteristic.sen]))
            #expect(["F", "M"].contains(pupil.characteristics[Characteristic.gender]))
            if pupil.characteristics[Characteristic.lookedAfter] == "true" {
                #expect(pupil.isDisadvantaged == true, "looked-after pupils are disadvantaged (DfE)")
            }
        }
    }

    /// Missing KS2 is a quota of round(8% × year group) per year group, so the school's rate is 8%
    /// within rounding (±0.5 pupil in each of five year groups ≈ ±0.25 points); 7–9% leaves room
    /// for other sizes.
    @Test func aboutEightPercentHaveNoKS2AndAFewHaveOneScore() {
        let none = pupils.filter { $0.priorAttainment == nil }.count
        #expect((0.07...0.09).contains(Double(none) / Double(pupils.count)))
        let one = pupils.filter {
            guard let p = $0.priorAttainment else { return false }
            return (p.readingScaledScore == nil) != (p.mathsScaledScore == nil)
        }.count
        #expect((3...25).contains(one))
    }

    @Test func ks2ScoresHaveANationalSpread() {
        let pairs = pupils.compactMap { p -> (Double, Double)? in
            guard let r = p.priorAttainment?.readingScaledScore, let m = p.priorAttainment?.mathsScaledScore else { return nil }
            return (Double(r), Double(m))
        }
        let reading = pairs.map(\.0), maths = pairs.map(\.1)
        #expect((reading + maths).allSatisfy { (80...120).contains($0) })
        #expect(abs(mean(reading) - 105) < 1.5)
        #expect(abs(mean(maths) - 105) < 1.5)
        #expect((6...8).contains(standardDeviation(reading)))
        #expect((6...8).contains(standardDeviation(maths)))
        let covariance = zip(reading, maths).reduce(0) { $0 + ($1.0 - mean(reading)) * ($1.1 - mean(maths)) } / Double(pairs.count - 1)
        let correlation = covariance / standardDeviation(reading) / standardDeviation(maths)
        #expect((0.6...0.8).contains(correlation), "r = \(correlation)")
    }

    /// Realistic gaps: disadvantaged ≈ 3–6 points below others; SEN support and EHC plans further.
    @Test func disadvantagedAndSENPupilsHaveLowerKS2() {
        func average(_ f: (Pupil) -> Bool) -> Double { mean(pupils.filter(f).compactMap { $0.priorAttainment?.average }) }
        let gap = average { $0.isDisadvantaged == false } - average { $0.isDisadvantaged == true }
        #expect((2.5...7).contains(gap), "disadvantaged gap \(gap)")
        let none = average { $0.senStatus == SENStatus.none }
        let support = average { $0.senStatus == .senSupport }
        let plan = average { $0.senStatus == .ehcPlan }
        #expect(none - support > 4)
        #expect(support - plan > 3)
    }
}

@Suite struct StaffAndClassTests {
    let year = demo.year

    @Test func aboutSixtyStaffWithCodesEmailsAndRoles() {
        #expect((55...65).contains(year.staff.count))
        #expect(Set(year.staff.map(\.id)).count == year.staff.count)
        for s in year.staff {
            #expect(s.id.rawValue.count == 3 && s.id.rawValue.allSatisfy { $0.isASCII && $0.isUppercase }, "\(s.id)")
            let email = s.email ?? ""
            #expect(email.hasSuffix("@\(DemoSchool.emailDomain)") && email.allSatisfy(\.isASCII), "\(email)")
            #expect(email.wholeMatch(of: /[a-z]\.[a-z]+[0-9]*@demo-school\.example/) != nil, "\(email)")
            #expect(s.title != nil)
        }
        #expect(Set(year.staff.compactMap(\.email)).count == year.staff.count)
        let roles = year.staff.flatMap(\.roles)
        for subject in year.subjects {
            #expect(roles.contains(.headOfDepartment(subject.id)), "HoD of \(subject.id)")
        }
        for y in 7...11 { #expect(roles.contains(.headOfYear(y))) }
        #expect(roles.filter { $0 == .senco }.count == 1)
        #expect(roles.filter { $0 == .dataManager }.count == 1)
        #expect(roles.filter { $0 == .seniorLeader }.count >= 3)
    }

    @Test func subjectsAndScales() {
        let ids = Set(year.subjects.map(\.id))
        #expect(ids == ["EN", "EL", "MA", "SC", "CS", "HI", "GE", "FR", "SP", "AR", "CO", "PE", "RE", "DR", "BS"])
        for subject in year.subjects {
            #expect(year.scales[subject.scale] != nil)
            #expect(subject.atlScale == GradeScale.atlID)
            #expect(DemoSchool.nationalDistributions[subject.id] != nil)
        }
        #expect(year.subjects.first { $0.id == "CS" }?.scale == GradeScale.combinedScienceID)
        #expect(year.subjects.first { $0.id == "SC" }?.scale == GradeScale.gcseID)
        let literature = year.subjects.first { $0.id == "EL" }
        #expect(literature?.name == "English Literature")
        #expect(literature?.scale == GradeScale.gcseID && literature?.qualification == "GCSE")
        #expect(literature?.ks4Category == .englishLiterature)
        #expect(year.subjects.first { $0.id == "EN" }?.ks4Category == .englishLanguage)
    }

    @Test func everyPupilIsInExactlyOneClassPerSubject() {
        var classesOf: [String: Int] = [:]
        for group in year.teachingGroups {
            #expect((1...30).contains(group.pupils.count), "\(group.id) has \(group.pupils.count)")
            #expect((1...2).contains(group.teachers.count))
            #expect(group.teachers.allSatisfy { t in year.staff.contains { $0.id == t && $0.roles.contains(.teacher) } })
            #expect(group.id.rawValue.hasPrefix("\(group.yearGroup)"))
            for p in group.pupils {
                #expect(demoIndex.pupils[p]?.yearGroup == group.yearGroup)
                classesOf["\(p)|\(group.subject)", default: 0] += 1
            }
        }
        #expect(classesOf.values.allSatisfy { $0 == 1 })
        // Every pupil has the core of their key stage; every assessment is for a class the pupil is in.
        for pupil in year.pupils {
            let core: [Subject.ID] = pupil.yearGroup <= 9
                ? ["EN", "MA", "SC", "HI", "GE", "AR", "CO", "PE", "RE"] : ["EN", "EL", "MA", "CS", "RE"]
            for s in core { #expect(classesOf["\(pupil.id)|\(s)"] == 1, "\(pupil.id) \(s)") }
            let subjects = classesOf.keys.filter { $0.hasPrefix("\(pupil.id)|") }.count
            #expect(subjects == (pupil.yearGroup <= 9 ? 10 : 9))  // KS4: five core subjects and four options
            if pupil.yearGroup <= 9 { #expect(classesOf["\(pupil.id)|EL"] == nil) }
        }
        for a in year.assessments {
            #expect(classesOf["\(a.pupil)|\(a.subject)"] == 1)
        }
        // One assessment per pupil × subject × collection.
        #expect(demoIndex.cells.count == year.assessments.count)
        #expect(year.assessments.count == classesOf.count * 3)
    }

    @Test func coreClassesAreTwentyFiveToThirtyAndNamedLikeMISCodes() {
        let core = year.teachingGroups.filter { ["EN", "EL", "MA"].contains($0.subject.rawValue) }
        #expect(core.allSatisfy { (24...30).contains($0.pupils.count) })
        #expect(year.teachingGroups.contains { $0.id == "10X/Ma1" })
        #expect(year.teachingGroups.contains { $0.id == "7Y/En4" })
        #expect(year.teachingGroups.contains { $0.id == "10X/El1" })
        #expect(year.teachingGroups.contains { $0.id.rawValue.hasPrefix("11P/") })
        #expect((300...450).contains(year.teachingGroups.count))
    }

    /// English literature is taught in the English lessons: every Key Stage 4 English class has a
    /// literature twin (`10X/En1` → `10X/El1`) with the same pupils and teachers, and there are no
    /// other literature classes.
    @Test func englishLiteratureClassesAreTheKeyStage4EnglishClasses() throws {
        let english = year.teachingGroups.filter { $0.subject == "EN" && $0.yearGroup >= 10 }
        let literature = year.teachingGroups.filter { $0.subject == "EL" }
        #expect(literature.count == english.count && literature.count == 16)
        for group in english {
            let code = group.id.rawValue.replacing("/En", with: "/El")
            let twin = try #require(literature.first { $0.id.rawValue == code }, "\(code)")
            #expect(twin.pupils == group.pupils && twin.teachers == group.teachers && twin.yearGroup == group.yearGroup)
        }
        // Taught by the English department: its head leads both subjects.
        let head = year.staff.filter { $0.roles.contains(.headOfDepartment("EN")) }
        #expect(head.count == 1 && head[0].roles.contains(.headOfDepartment("EL")))
    }

    /// The default school's sizes, exactly: the demo's documentation and the CLI's tests rely on them.
    @Test func defaultSchoolSizes() {
        #expect(year.pupils.count == 1106)
        #expect(year.staff.count == 60)
        #expect(year.subjects.count == 15)
        #expect(year.teachingGroups.count == 387)
        #expect(year.teachingGroups.filter { $0.yearGroup >= 10 }.count == 147)
        #expect(year.assessments.count == 31_839)
        #expect(year.assessments.filter { $0.subject == "EL" }.count == 447 * 3)
        #expect(year.targets.count == 9_759)
        #expect(year.targets.filter { $0.subject == "EL" }.count == 411)
    }

    @Test func threeCollectionsWithOrderedDates() throws {
        let c = year.collections
        #expect(c.map(\.id) == ["DC1", "DC2", "DC3"])
        #expect(c.map(\.sequence) == [1, 2, 3])
        var previous: CalendarDate?
        for collection in c {
            let opens = try #require(collection.opens), deadline = try #require(collection.deadline)
            let locks = try #require(collection.locks), publishes = try #require(collection.publishes)
            #expect(opens < deadline && deadline < locks && locks < publishes)
            #expect(AcademicYear(containing: opens) == demo.options.academicYear)
            #expect(AcademicYear(containing: publishes) == demo.options.academicYear)
            #expect(collection.yearGroups == [7, 8, 9, 10, 11])
            if let previous { #expect(previous < opens) }
            previous = publishes
        }
        // Targets are covered by DemoTargetsTests.
    }
}

@Suite struct GradeTests {
    let year = demo.year

    @Test func everyGradeIsOnItsSubjectsScale() throws {
        for a in year.assessments {
            let scale = try #require(year.scale(of: a.subject))
            for value in [a.workingAt, a.predicted] {
                if case .grade(let g)? = value { #expect(scale.grade(g.code) == g, "\(a.subject) \(g.code)") }
            }
            if case .grade(let g)? = a.atl { #expect(GradeScale.atl.grade(g.code) == g) }
        }
        // Fine grades are used, but not by everyone.
        let codes = year.assessments.compactMap { a -> String? in
            if case .grade(let g)? = a.workingAt { return g.code } else { return nil }
        }
        let fine = codes.filter { $0.hasSuffix("+") || ($0.hasSuffix("-") && $0.count == 2 && $0.first!.isNumber) }
        #expect(fine.count > codes.count / 20 && fine.count < codes.count / 2)
    }

    /// Mean DC3 working-at by KS2 band, in each year group: high > middle > low (by at least a
    /// grade in total).
    @Test func workingAtGradesFollowKS2() {
        for y in 7...11 {
            func average(_ band: PriorAttainment.Band) -> Double {
                mean(year.assessments.filter {
                    $0.collection == "DC3" && demoIndex.pupils[$0.pupil]?.yearGroup == y
                        && demoIndex.pupils[$0.pupil]?.priorAttainment?.band == band
                }.compactMap { $0.workingAt?.points })
            }
            let low = average(.low), middle = average(.middle), high = average(.high)
            #expect(high > middle && middle > low, "Y\(y): \(low) \(middle) \(high)")
            #expect(high - low > 1)
        }
    }

    @Test func workingAtRisesThroughTheSchool() {
        var previous = 0.0
        for y in 7...11 {
            let m = mean(year.assessments.filter {
                $0.collection == "DC1" && $0.subject == "MA" && demoIndex.pupils[$0.pupil]?.yearGroup == y
            }.compactMap { $0.workingAt?.points })
            #expect(m > previous)
            previous = m
        }
        // A Year 7 pupil works at about half their end point: low grades, mostly 1–5.
        let y7 = year.assessments.filter { $0.collection == "DC1" && demoIndex.pupils[$0.pupil]?.yearGroup == 7 }
            .compactMap { $0.workingAt?.points }
        #expect((2...3.5).contains(mean(y7)))
    }

    /// Year 11 DC3 working-at in English language, English literature and maths against the JCQ
    /// England age-16 2024 shares (71.2% / 73.9% / 72.0% at 4+, 19.0% / 20.2% / 21.2% at 7+): one cohort of ≈220 has a sampling SD of about
    /// 3 points, plus the spread of working-at noise, so ±10 points.
    @Test func year11GradesMatchNationalDistribution() throws {
        for (subject, alias) in [("EN", "ENLA"), ("EL", "ENLI"), ("MA", "MATH")] {
            let national = try #require(NationalGradeDistribution.england16_2024(alias))
            let points = year.assessments.filter {
                $0.collection == "DC3" && $0.subject == Subject.ID(subject) && demoIndex.pupils[$0.pupil]?.yearGroup == 11
            }.compactMap { $0.workingAt?.points }
            // A fine grade counts under its whole grade (7- → 7).
            let at4 = 100 * Double(points.filter { $0 >= 4 - 0.34 }.count) / Double(points.count)
            let at7 = 100 * Double(points.filter { $0 >= 7 - 0.34 }.count) / Double(points.count)
            #expect(abs(at4 - national.atOrAbove4) < 10, "\(subject) 4+: \(at4)")
            #expect(abs(at7 - national.atOrAbove7) < 10, "\(subject) 7+: \(at7)")
        }
    }

    /// English literature follows the pupil's English (language) closely but not exactly: DC3
    /// working-at and predicted grades of Key Stage 4 pupils correlate strongly, with real
    /// differences (nationally the two GCSEs correlate at about 0.8).
    @Test func englishLiteratureCorrelatesStronglyWithEnglish() {
        func correlation(_ pairs: [(Double, Double)]) -> Double {
            let xs = pairs.map(\.0), ys = pairs.map(\.1)
            let covariance = zip(xs, ys).reduce(0) { $0 + ($1.0 - mean(xs)) * ($1.1 - mean(ys)) } / Double(pairs.count - 1)
            return covariance / standardDeviation(xs) / standardDeviation(ys)
        }
        let pupils = year.pupils.filter { $0.yearGroup >= 10 }
        for field in [\Assessment.workingAt, \Assessment.predicted] {
            let pairs = pupils.compactMap { p -> (Double, Double)? in
                guard let en = demoIndex.cell(p.id, "EN", "DC3")?[keyPath: field]?.points,
                      let el = demoIndex.cell(p.id, "EL", "DC3")?[keyPath: field]?.points else { return nil }
                return (en, el)
            }
            #expect(pairs.count > 400)
            let r = correlation(pairs)
            #expect((0.75...0.95).contains(r), "r = \(r)")
            #expect(Double(pairs.filter { $0.0 != $0.1 }.count) / Double(pairs.count) > 0.3, "not a copy of English")
        }
    }

    @Test func atlIsMostlyGoodWithSomeConcerns() {
        var counts: [String: Int] = [:]
        for a in year.assessments { if case .grade(let g)? = a.atl { counts[g.code, default: 0] += 1 } }
        let total = Double(counts.values.reduce(0, +))
        #expect((0.2...0.4).contains(Double(counts["1"] ?? 0) / total))
        #expect((0.35...0.55).contains(Double(counts["2"] ?? 0) / total))
        #expect((0.1...0.3).contains(Double(counts["3"] ?? 0) / total))
        #expect((0.02...0.1).contains(Double(counts["4"] ?? 0) / total))
    }

    @Test func cleanSchoolHasNoFaults() {
        let clean = DemoSchool.generate(.init(seed: 99, pupilsPerYearGroup: 80, plantFaults: false))
        #expect(clean.planted.isEmpty)
        for a in clean.year.assessments {
            for value in [a.workingAt, a.predicted, a.atl] {
                guard case .grade? = value else {
                    Issue.record("\(a.pupil) \(a.subject) \(a.collection): \(String(describing: value))")
                    continue
                }
            }
        }
        #expect(naturalSwings(in: clean.year, excluding: []).isEmpty)
    }

    @Test func smallAndLargeSchoolsGenerate() {
        let small = DemoSchool.generate(.init(seed: 3, pupilsPerYearGroup: 40))
        #expect((190...210).contains(small.year.pupils.count))
        #expect(small.year.assessments.count == small.year.teachingGroups.reduce(0) { $0 + $1.pupils.count } * 3)
        let large = DemoSchool.generate(.init(seed: 4, pupilsPerYearGroup: 400))
        #expect((1_900...2_100).contains(large.year.pupils.count))
        #expect(Set(large.year.pupils.map(\.id)).count == large.year.pupils.count)
        #expect(large.year.pupils.allSatisfy { UPN.validate($0.id.rawValue).problems.isEmpty })
        #expect(large.year.teachingGroups.allSatisfy { $0.pupils.count <= 30 })
    }
}

/// Pupil × subject pairs whose working-at grade moves by the scale's swing threshold (2 grades)
/// or more between consecutive collections, except those listed.
func naturalSwings(in year: SchoolYear, excluding: Set<String>) -> [String] {
    let index = Index(year)
    var found: [String] = []
    let ids = year.collections.map(\.id)
    for a in year.assessments where a.collection == ids[0] {
        let threshold = year.scale(of: a.subject)!.swingThreshold
        var previous = a.workingAt?.points
        for c in ids.dropFirst() {
            let current = index.cell(a.pupil, a.subject, c)?.workingAt?.points
            if let p = previous, let q = current, abs(q - p) >= threshold, !excluding.contains("\(a.pupil)|\(a.subject)") {
                found.append("\(a.pupil) \(a.subject) \(c): \(p) → \(q)")
            }
            previous = current
        }
    }
    return found
}
