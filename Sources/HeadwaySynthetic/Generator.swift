import HeadwayCore

/// A pupil while the school is being generated: the record plus the hidden quantities its grades
/// come from.
struct PupilModel {
    var pupil: Pupil
    var female: Bool
    var disadvantaged: Bool
    var sen: SENStatus
    var eal: Bool
    var lookedAfter: Bool
    /// Latent KS2 reading and maths, in national standard deviations (before rounding/clipping).
    var reading: Double
    var maths: Double
    /// Progress factor independent of KS2 (shared by all the pupil's subjects).
    var general: Double
    /// Attitude to learning, higher is better.
    var attitude: Double
    var tutorIndex = 0
    /// 0 = half X (first half of the tutor groups), 1 = half Y.
    var half = 0
    /// ``SubjectSpec/fr`` or ``SubjectSpec/sp``.
    var language = SubjectSpec.fr
    /// Subject indices, increasing.
    var subjects: [Int] = []
    /// Class index per entry of ``subjects``.
    var groups: [Int] = []
}

/// A member of staff while generating.
struct StaffModel {
    var staff: Staff
    /// Department taught in, if any.
    var department: Int?
    /// Relative teaching load (1 = full timetable).
    var weight: Double
    /// Enters fine grades (`6+`, `6-`) rather than whole grades.
    var fineGrades: Bool
    var load = 0
    var groups: [Int] = []

    var isPlainTeacher: Bool { staff.roles == [.teacher] }
}

/// A class while generating.
struct GroupModel {
    var group: TeachingGroup
    var subject: Int
    /// Pupil indices (into ``Generator/pupils``), increasing.
    var members: [Int]
    /// Staff indices.
    var teachers: [Int] = []
}

/// Builds a ``DemoSchool``. One run, start to finish; every random draw comes from a
/// ``SeededRandom`` stream derived from the seed and the stage's name.
struct Generator {
    let options: DemoSchool.Options
    let progress: ((Double) -> Void)?
    let seed: UInt64
    let startYear: Int
    let perYear: Int
    let catalogue = SubjectSpec.catalogue

    var staff: [StaffModel] = []
    var pupils: [PupilModel] = []
    var groups: [GroupModel] = []
    var collections: [DataCollection] = []
    /// `cells[c][i]`: collection `c` (0 = DC1), the i-th pupil–subject pair (same order in each).
    var cells: [[Assessment]] = [[], [], []]
    /// Pupil index × 16 + subject index → pair index into each `cells[c]`.
    var pairIndex: [Int: Int] = [:]
    var planted = PlantedFaults()
    private var lastProgress = -1.0

    init(options: DemoSchool.Options, progress: ((Double) -> Void)?) {
        self.options = options
        self.progress = progress
        self.seed = options.seed
        self.startYear = options.academicYear.startYear
        self.perYear = clamp(options.pupilsPerYearGroup, 40, 2000)
    }

    mutating func run() -> DemoSchool {
        report(0)
        makeCollections()
        makeStaff()
        report(0.05)
        makePupils()
        makeGroups()
        report(0.3)
        makeAssessments()
        if options.plantFaults {
            plantFaults()
        }
        preventAccidentalCopies()
        let targets = makeTargets()
        report(0.97)
        let year = SchoolYear(
            school: DemoSchool.school,
            academicYear: options.academicYear,
            scales: GradeScale.builtIn,
            subjects: catalogue.map(\.subject),
            staff: staff.map(\.staff),
            pupils: pupils.map(\.pupil),
            teachingGroups: groups.map(\.group),
            collections: collections,
            assessments: cells[0] + cells[1] + cells[2],
            targets: targets,
            calendar: makeCalendar())
        report(1)
        return DemoSchool(options: options, year: year, planted: planted)
    }

    private mutating func report(_ fraction: Double) {
        guard let progress, fraction > lastProgress else { return }
        lastProgress = fraction
        progress(fraction)
    }

    // MARK: - Collections

    /// DC1 (autumn), DC2 (spring), DC3 (summer) for every year group: each opens on a Monday
    /// (on or after 27 November, 5 March and 7 May — 2026/27: 30 Nov, 8 Mar, 10 May), teachers'
    /// deadline a week later, locked two days after the deadline, published two weeks after opening.
    mutating func makeCollections() {
        let plan: [(name: String, month: Int, day: Int, yearOffset: Int)] = [
            ("Autumn", 11, 27, 0), ("Spring", 3, 5, 1), ("Summer", 5, 7, 1),
        ]
        collections = plan.enumerated().map { index, p in
            let calendarYear = startYear + p.yearOffset
            let opens = DayCount.mondayOnOrAfter(year: calendarYear, month: p.month, day: p.day)
            return DataCollection(
                id: DataCollection.ID("DC\(index + 1)"),
                name: "DC\(index + 1) \(p.name) \(calendarYear)",
                academicYear: options.academicYear,
                yearGroups: Array(DemoSchool.yearGroups),
                sequence: index + 1,
                opens: DayCount.date(opens),
                deadline: DayCount.date(opens + 7),
                locks: DayCount.date(opens + 9),
                publishes: DayCount.date(opens + 14))
        }
    }

    /// The year's three calendars (issue 5, item 1), from each collection's opening Monday `O`
    /// (offsets in days, so weekdays hold in every year):
    /// - collection windows: Y7–Y10 on the collection's own dates (opens `O`, deadline `O+7`,
    ///   locks `O+9`, publishes `O+14`); Y11 a week earlier (`O−7`, `O`, `O+2`, `O+7`), so Year 11
    ///   data is in before the other years' and ahead of mocks results and exam entries;
    /// - assessment windows before each collection: Y7–Y10 autumn, spring and summer assessments
    ///   `O−14`…`O−10` (Monday to Friday); Y11 mock exams `O−21`…`O−17` before DC1, a second
    ///   fortnight of mocks `O−35`…`O−24` before DC2, practice papers `O−21`…`O−17` before DC3;
    ///   and Y10 end-of-year exams `O+28`…`O+32` after DC3 (no collection follows them: no finding);
    /// - reporting events on or after the publish date of their collection for their year groups:
    ///   reports (Y11 after DC1 and DC2; Y7–Y10 after each collection) and parents' evenings
    ///   (Y7, Y11 and Y9 after DC1; Y10 and Y8 after DC2), on weekdays.
    ///
    /// 2026/27: DC1 opens 30 Nov 2026 (Y11 23 Nov), DC2 8 Mar 2027 (Y11 1 Mar), DC3 10 May 2027
    /// (Y11 3 May). `CalendarValidation` finds nothing in it.
    func makeCalendar() -> SchoolCalendar {
        let year = options.academicYear
        let opens = collections.map { c in DayCount.days(year: c.opens!.year, month: c.opens!.month, day: c.opens!.day) }
        func date(_ collection: Int, _ offset: Int) -> CalendarDate { DayCount.date(opens[collection] + offset) }
        var calendar = SchoolCalendar(academicYear: year)
        for (c, collection) in collections.enumerated() {
            for yearGroup in DemoSchool.yearGroups {
                let shift = yearGroup == 11 ? -7 : 0
                calendar.collectionWindows.append(CollectionWindow(
                    collection: collection.id, yearGroup: yearGroup, opens: date(c, shift), deadline: date(c, shift + 7),
                    locks: date(c, shift + 9), publishes: date(c, shift + 14)))
            }
        }
        func window(_ id: String, _ name: String, _ years: [Int], _ c: Int, _ from: Int, _ to: Int) -> AssessmentWindow {
            AssessmentWindow(id: AssessmentWindow.ID(id), name: name, yearGroups: years, starts: date(c, from), ends: date(c, to))
        }
        let lower = [7, 8, 9, 10]
        calendar.assessmentWindows = [
            window("Y11-MOCK1", "Y11 mock exams", [11], 0, -21, -17),
            window("AUT", "Autumn assessments", lower, 0, -14, -10),
            window("Y11-MOCK2", "Y11 mock exams (second series)", [11], 1, -35, -24),
            window("SPR", "Spring assessments", lower, 1, -14, -10),
            window("Y11-PRACTICE", "Y11 practice papers", [11], 2, -21, -17),
            window("SUM", "Summer assessments", lower, 2, -14, -10),
            window("Y10-EOY", "Y10 end-of-year exams", [10], 2, 28, 32),
        ]
        func event(_ id: String, _ name: String, _ kind: ReportingEvent.Kind, _ years: [Int], _ c: Int, _ offset: Int) -> ReportingEvent {
            ReportingEvent(id: ReportingEvent.ID(id), name: name, kind: kind, yearGroups: years, date: date(c, offset), collection: collections[c].id)
        }
        calendar.reportingEvents = [
            event("R1-Y11", "Y11 mock results report", .report, [11], 0, 10),
            event("R1", "Autumn report", .report, lower, 0, 18),
            event("PM-Y7", "Y7 settling-in parents' evening", .parentsMeeting, [7], 0, 38),
            event("PM-Y11", "Y11 parents' evening", .parentsMeeting, [11], 0, 45),
            event("PM-Y9", "Y9 options parents' evening", .parentsMeeting, [9], 0, 66),
            event("R2-Y11", "Y11 spring report", .report, [11], 1, 11),
            event("PM-Y10", "Y10 parents' evening", .parentsMeeting, [10], 1, 16),
            event("R2", "Spring report", .report, lower, 1, 17),
            event("PM-Y8", "Y8 parents' evening", .parentsMeeting, [8], 1, 38),
            event("R3", "Summer report", .report, lower, 2, 67),
        ]
        return calendar
    }

    // MARK: - Staff

    mutating func makeStaff() {
        var rng = SeededRandom(seed: seed, stream: "staff")
        var usedNames = Set<String>()
        var usedCodes = Set<String>()
        var usedEmails = Set<String>()
        let scale = Double(perYear) / 220

        func person(_ roles: [Staff.Role], department: Int?, weight: Double, rng: inout SeededRandom) -> StaffModel {
            var female = false
            var forename = ""
            var surname = ""
            repeat {
                female = rng.chance(0.62)  // about 62% of secondary teachers in England are women (DfE workforce census)
                forename = rng.pick(female ? Names.women : Names.men)
                surname = rng.chance(0.7) ? rng.pick(Names.britishSurnames) : rng.pick(Names.internationalSurnames)
            } while !usedNames.insert("\(forename) \(surname)").inserted
            var title = female ? ["Ms", "Mrs", "Miss"][rng.pickIndex(weights: [0.45, 0.4, 0.15])] : "Mr"
            if rng.chance(0.06) { title = "Dr" }
            let code = Generator.staffCode(forename: forename, surname: surname, taken: usedCodes)
            usedCodes.insert(code)
            let local = "\(asciiLetters(forename).prefix(1)).\(asciiLetters(surname))"
            var email = "\(local)@\(DemoSchool.emailDomain)"
            var n = 2
            while !usedEmails.insert(email).inserted {
                email = "\(local)\(n)@\(DemoSchool.emailDomain)"
                n += 1
            }
            let staff = Staff(id: Staff.ID(code), title: title, forename: forename, surname: surname, email: email, roles: roles)
            return StaffModel(staff: staff, department: department, weight: weight, fineGrades: rng.chance(0.35))
        }

        // Senior leadership: the head does not teach; deputies and assistants teach a little.
        staff.append(person([.seniorLeader], department: nil, weight: 0, rng: &rng))
        staff.append(person([.seniorLeader, .teacher], department: 1, weight: 0.25, rng: &rng))
        staff.append(person([.seniorLeader, .teacher], department: 2, weight: 0.25, rng: &rng))
        staff.append(person([.seniorLeader, .teacher], department: 0, weight: 0.4, rng: &rng))
        staff.append(person([.seniorLeader, .teacher], department: 3, weight: 0.4, rng: &rng))
        staff.append(person([.teacher, .senco], department: 0, weight: 0.3, rng: &rng))
        staff.append(person([.dataManager], department: nil, weight: 0, rng: &rng))

        for (d, department) in DepartmentSpec.catalogue.enumerated() {
            let size = max(1, Int((Double(department.baseSize) * scale).rounded()))
            for i in 0..<size {
                let roles: [Staff.Role] = i == 0
                    ? [.teacher] + department.subjects.map { .headOfDepartment(catalogue[$0].id) }
                    : [.teacher]
                staff.append(person(roles, department: d, weight: i == 0 ? 0.8 : 1, rng: &rng))
            }
        }

        // Heads of year: the first ordinary teacher of these departments, in turn.
        let hoyDepartments = [8, 9, 3, 4, 6, 0, 1, 2, 5, 7]
        var year = DemoSchool.yearGroups.lowerBound
        for d in hoyDepartments where year <= DemoSchool.yearGroups.upperBound {
            if let i = staff.firstIndex(where: { $0.department == d && $0.isPlainTeacher }) {
                staff[i].staff.roles.append(.headOfYear(year))
                staff[i].weight = 0.8
                year += 1
            }
        }
    }

    /// Three capital letters, unique: forename initial and the first two letters of the surname
    /// (`Jo Smith` → `JSM`), else other letters of the surname, else the forename's second letter,
    /// else any letter.
    static func staffCode(forename: String, surname: String, taken: Set<String>) -> String {
        let f = Array(asciiLetters(forename).uppercased())
        let s = Array(asciiLetters(surname).uppercased())
        var candidates: [String] = []
        if let f0 = f.first, let s0 = s.first {
            for i in s.indices.dropFirst() { candidates.append(String([f0, s0, s[i]])) }
            for i in f.indices.dropFirst() { candidates.append(String([f0, f[i], s0])) }
            for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" { candidates.append(String([f0, s0, letter])) }
        }
        for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" {
            for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" { candidates.append("\(a)\(b)X") }
        }
        return candidates.first { !taken.contains($0) }!
    }

    // MARK: - Pupils

    mutating func makePupils() {
        var rng = SeededRandom(seed: seed, stream: "pupils")
        var upns = UPNAllocator(seed: seed, perYear: perYear)
        for (step, y) in DemoSchool.yearGroups.enumerated() {
            pupils += makeYearGroup(y, rng: &rng, upns: &upns)
            report(0.05 + 0.2 * Double(step + 1) / Double(DemoSchool.yearGroups.count))
        }
    }

    private func makeYearGroup(_ y: Int, rng: inout SeededRandom, upns: inout UPNAllocator) -> [PupilModel] {
        let jitter = max(1, perYear * 3 / 100)
        let n = perYear + rng.integer(in: -jitter...jitter)
        func quota(_ rate: Double) -> Int { Int((rate * Double(n)).rounded()) }
        let ones = [Double](repeating: 1, count: n)

        // Characteristics, as quotas so every year group has the school's rates.
        let female = (0..<n).map { _ in rng.chance(0.5) }
        let lookedAfter = Set(rng.sampleIndices(count: quota(0.005), weights: ones))
        let othersDisadvantaged = rng.sampleIndices(
            count: quota(0.25) - lookedAfter.count, weights: (0..<n).map { lookedAfter.contains($0) ? 0 : 1 })
        let disadvantaged = lookedAfter.union(othersDisadvantaged)
        let ehcp = Set(rng.sampleIndices(
            count: quota(0.025),
            weights: (0..<n).map { (disadvantaged.contains($0) ? 1.6 : 1) * (female[$0] ? 1 : 2.2) }))
        let senSupport = Set(rng.sampleIndices(
            count: quota(0.13),
            weights: (0..<n).map { ehcp.contains($0) ? 0 : (disadvantaged.contains($0) ? 1.6 : 1) * (female[$0] ? 1 : 1.6) }))
        let eal = Set(rng.sampleIndices(count: quota(0.18), weights: ones))

        // Latent KS2 ability: shifts for disadvantage and SEN (in national SDs), centred so that
        // the school matches the national distribution.
        var common = [Double](repeating: 0, count: n)
        var readingShift = [Double](repeating: 0, count: n)
        var mathsShift = [Double](repeating: 0, count: n)
        var progressShift = [Double](repeating: 0, count: n)
        var attitudeShift = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let dis = disadvantaged.contains(i)
            common[i] = (dis ? -0.5 : 0) + (senSupport.contains(i) ? -1.0 : 0) + (ehcp.contains(i) ? -2.0 : 0)
            readingShift[i] = common[i] + (eal.contains(i) ? -0.25 : 0) + (female[i] ? 0.12 : -0.12)
            mathsShift[i] = common[i] + (female[i] ? -0.03 : 0.03)
            progressShift[i] = (dis ? -0.3 : 0) + (senSupport.contains(i) ? -0.2 : 0) + (ehcp.contains(i) ? -0.3 : 0)
                + (eal.contains(i) ? 0.15 : 0)
            attitudeShift[i] = (dis ? -0.25 : 0) + (senSupport.contains(i) ? -0.2 : 0) + (ehcp.contains(i) ? -0.2 : 0)
                + (female[i] ? 0.2 : 0)
        }
        func centred(_ xs: [Double]) -> [Double] {
            let mean = xs.reduce(0, +) / Double(xs.count)
            return xs.map { $0 - mean }
        }
        readingShift = centred(readingShift)
        mathsShift = centred(mathsShift)
        progressShift = centred(progressShift)
        attitudeShift = centred(attitudeShift)
        // Scale the random parts so that each latent has variance ≈ 1 including the shifts: the
        // school then matches the national spread (KS2 SD ≈ 7) rather than exceeding it.
        func variance(_ xs: [Double]) -> Double { xs.reduce(0) { $0 + $1 * $1 } / Double(xs.count) }
        let readingNoise = max(0.3, 1 - variance(readingShift)).squareRoot()
        let mathsNoise = max(0.3, 1 - variance(mathsShift)).squareRoot()
        let generalNoise = max(0.3, 0.75 - variance(progressShift)).squareRoot()

        // KS2 missing: both for ~8% (new arrivals from abroad, some EHC plans), one for ~1%.
        let missingBoth = Set(rng.sampleIndices(
            count: quota(0.08),
            weights: (0..<n).map { (eal.contains($0) ? 4 : 1) * (ehcp.contains($0) ? 3 : 1) }))
        let missingOne = Set(rng.sampleIndices(
            count: max(1, quota(0.01)), weights: (0..<n).map { missingBoth.contains($0) ? 0 : 1 }))

        let y6Year = startYear - (y - 6)  // the academic year in which the pupil was in Year 6
        let firstDay = DayCount.days(year: startYear - y - 5, month: 9, day: 1)
        let lastDay = DayCount.days(year: startYear - y - 4, month: 9, day: 1)

        var models: [PupilModel] = []
        models.reserveCapacity(n)
        for i in 0..<n {
            // Reading and maths share √0.6 of their random part; with the shared shifts the
            // correlation of the two scores comes out at ≈ 0.7.
            let ability = rng.normal()
            let reading = readingNoise * (0.774_60 * ability + 0.632_46 * rng.normal()) + readingShift[i]
            let maths = mathsNoise * (0.774_60 * ability + 0.632_46 * rng.normal()) + mathsShift[i]
            let attitudeNoise = rng.normal()
            let attitude = attitudeNoise + attitudeShift[i]
            let general = 0.5 * attitudeNoise + generalNoise * rng.normal() + progressShift[i]

            var readingScore: Int? = Generator.scaledScore(reading)
            var mathsScore: Int? = Generator.scaledScore(maths)
            if missingBoth.contains(i) {
                readingScore = nil
                mathsScore = nil
            } else if missingOne.contains(i) {
                if rng.chance(0.5) { readingScore = nil } else { mathsScore = nil }
            }

            let international = rng.chance(eal.contains(i) ? 0.75 : 0.22)
            let forename = rng.pick(female[i] ? Names.girls : Names.boys)
            let surname = rng.pick(international ? Names.internationalSurnames : Names.britishSurnames)
            let dob = DayCount.date(firstDay + rng.below(lastDay - firstDay))
            let upn = upns.next(y6Year: y6Year, rng: &rng)

            let sen: SENStatus = ehcp.contains(i) ? .ehcPlan : senSupport.contains(i) ? .senSupport : .none
            let characteristics: [String: String] = [
                Characteristic.disadvantaged: String(disadvantaged.contains(i)),
                Characteristic.sen: sen.rawValue,
                Characteristic.eal: String(eal.contains(i)),
                Characteristic.lookedAfter: String(lookedAfter.contains(i)),
                Characteristic.gender: female[i] ? "F" : "M",
            ]
            let pupil = Pupil(
                id: Pupil.ID(upn.rawValue), upn: upn, forename: forename, surname: surname, dateOfBirth: dob,
                yearGroup: y, characteristics: characteristics,
                priorAttainment: readingScore == nil && mathsScore == nil
                    ? nil : PriorAttainment(readingScaledScore: readingScore, mathsScaledScore: mathsScore))
            models.append(PupilModel(
                pupil: pupil, female: female[i], disadvantaged: disadvantaged.contains(i), sen: sen,
                eal: eal.contains(i), lookedAfter: lookedAfter.contains(i), reading: reading, maths: maths,
                general: general, attitude: attitude))
        }

        // MIS order: surname, forename, UPN.
        models.sort {
            ($0.pupil.surname, $0.pupil.forename, $0.pupil.id.rawValue) < ($1.pupil.surname, $1.pupil.forename, $1.pupil.id.rawValue)
        }

        // Tutor groups 7A, 7B, … of about 27; the first half of them form half X, the rest half Y.
        let tutorLetters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
        let tutorCount = clamp(Int((Double(n) / 27.5).rounded()), 1, tutorLetters.count)
        var order = Array(0..<n)
        rng.shuffle(&order)
        for (k, i) in order.enumerated() {
            let t = k % tutorCount
            models[i].tutorIndex = t
            models[i].half = t < (tutorCount + 1) / 2 ? 0 : 1
            models[i].language = t % 2 == 0 ? SubjectSpec.fr : SubjectSpec.sp
            models[i].pupil.tutorGroup = "\(y)\(tutorLetters[t])"
        }

        // Curriculum.
        for i in 0..<n {
            if y <= 9 {
                models[i].subjects = (SubjectSpec.keyStage3Core + [models[i].language]).sorted()
            } else {
                models[i].subjects = keyStage4Subjects(models[i], rng: &rng)
            }
        }
        return models
    }

    /// Core plus four options: usually a humanity, a language for about four in ten (more likely
    /// for higher attainers, rarely with an EHC plan), the rest by popularity.
    private func keyStage4Subjects(_ model: PupilModel, rng: inout SeededRandom) -> [Int] {
        var options: [Int] = []
        if !rng.chance(0.08) { options.append(rng.chance(0.5) ? SubjectSpec.hi : SubjectSpec.ge) }
        var languageChance = clamp(0.4 + 0.25 * (model.reading + model.maths) / 2, 0.05, 0.85)
        if model.sen == .ehcPlan { languageChance = 0.05 } else if model.sen == .senSupport { languageChance *= 0.6 }
        if rng.chance(languageChance) { options.append(model.language) }
        var pool = SubjectSpec.keyStage4OptionPool
        var weights = SubjectSpec.keyStage4OptionWeights
        while options.count < 4 {
            for (k, s) in pool.enumerated() where options.contains(s) { weights[k] = 0 }
            let k = rng.pickIndex(weights: weights)
            options.append(pool[k])
            pool.remove(at: k)
            weights.remove(at: k)
        }
        return (SubjectSpec.keyStage4Core + options).sorted()
    }

    /// A latent score in national SDs → KS2 scaled score, mean 105, SD 7, clipped to 80–120.
    static func scaledScore(_ z: Double) -> Int {
        clamp(Int((105 + 7 * z).rounded()), 80, 120)
    }

    // MARK: - Classes

    /// Per year group and subject: core subjects in each half (`7X/Ma1` … `7Y/Ma4`), Key Stage 4
    /// options across the whole year (`10P/Dr1`), at most 30 a class. Setted subjects are ordered
    /// by KS2 (or, without KS2, the school's own baseline test) so set 1 is the highest. English
    /// literature classes copy the English ones (``makeLiteratureGroups()``).
    mutating func makeGroups() {
        var rng = SeededRandom(seed: seed, stream: "groups")
        for y in DemoSchool.yearGroups {
            let yearPupils = pupils.indices.filter { pupils[$0].pupil.yearGroup == y }
            for s in catalogue.indices where s != SubjectSpec.el {
                let takers = yearPupils.filter { pupils[$0].subjects.contains(s) }
                guard !takers.isEmpty else { continue }
                let isOption = y >= 10 && !SubjectSpec.keyStage4Core.contains(s)
                let pools: [(letter: String, members: [Int])] = isOption
                    ? [("P", takers)]
                    : [("X", takers.filter { pupils[$0].half == 0 }), ("Y", takers.filter { pupils[$0].half == 1 })]
                for pool in pools where !pool.members.isEmpty {
                    var ordered = pool.members
                    if catalogue[s].setted {
                        let keyed = ordered.map { (key: settingScore(pupils[$0], subject: s, rng: &rng), index: $0) }
                        ordered = keyed.sorted { ($0.key, $1.index) > ($1.key, $0.index) }.map(\.index)
                    } else {
                        rng.shuffle(&ordered)
                    }
                    let m = ordered.count
                    let k = max(1, (m + 29) / 30)
                    for j in 0..<k {
                        let members = ordered[(j * m / k)..<((j + 1) * m / k)].sorted()
                        let id = TeachingGroup.ID("\(y)\(pool.letter)/\(catalogue[s].abbreviation)\(j + 1)")
                        groups.append(GroupModel(
                            group: TeachingGroup(id: id, subject: catalogue[s].id, yearGroup: y, teachers: [], pupils: members.map { pupils[$0].pupil.id }),
                            subject: s, members: members))
                    }
                }
            }
        }
        assignTeachers(rng: &rng)
        makeLiteratureGroups()
        // Pupils' classes, in the order of their subjects.
        var groupOf = [Int: Int]()
        for (g, group) in groups.enumerated() {
            for p in group.members { groupOf[p << 4 | group.subject] = g }
        }
        for p in pupils.indices {
            pupils[p].groups = pupils[p].subjects.map { groupOf[p << 4 | $0]! }
        }
    }

    /// English literature is taught in the English lessons: each Key Stage 4 English class
    /// (`10X/En1`) has a literature class (`10X/El1`) with the same pupils and teachers. Added after
    /// every other class has its teachers, with no random draws, so the other classes are as they
    /// would be without literature.
    private mutating func makeLiteratureGroups() {
        let literature = catalogue[SubjectSpec.el]
        let english = "/\(catalogue[SubjectSpec.en].abbreviation)"
        for g in groups.indices where groups[g].subject == SubjectSpec.en && groups[g].group.yearGroup >= 10 {
            let source = groups[g]
            let code = source.group.id.rawValue.replacing(english, with: "/\(literature.abbreviation)")
            var group = source.group
            group.id = TeachingGroup.ID(code)
            group.subject = literature.id
            let copy = groups.count
            groups.append(GroupModel(group: group, subject: SubjectSpec.el, members: source.members, teachers: source.teachers))
            for t in source.teachers {
                staff[t].load += 1
                staff[t].groups.append(copy)
            }
        }
    }

    private func settingScore(_ model: PupilModel, subject s: Int, rng: inout SeededRandom) -> Double {
        let prior = model.pupil.priorAttainment
        let fromKS2: Double?
        switch catalogue[s].prior {
        case .reading: fromKS2 = prior?.readingScaledScore.map(Double.init) ?? prior?.average
        case .maths: fromKS2 = prior?.mathsScaledScore.map(Double.init) ?? prior?.average
        case .both: fromKS2 = prior?.average
        }
        let baseline = fromKS2 ?? (105 + 7 * (model.reading + model.maths) / 2)
        return baseline + rng.normal(standardDeviation: 3)
    }

    /// Each class to the least-loaded teacher of its department (relative to their timetable);
    /// about one class in sixteen is shared with a second teacher.
    private mutating func assignTeachers(rng: inout SeededRandom) {
        for g in groups.indices {
            let department = catalogue[groups[g].subject].department
            let candidates = staff.indices.filter { staff[$0].department == department && staff[$0].weight > 0 }
            func leastLoaded(_ among: [Int]) -> Int {
                among.min { a, b in
                    let la = Double(staff[a].load + 1) / staff[a].weight
                    let lb = Double(staff[b].load + 1) / staff[b].weight
                    return (la, a) < (lb, b)
                }!
            }
            var teachers = [leastLoaded(candidates)]
            if candidates.count > 1, rng.chance(0.06) {
                teachers.append(leastLoaded(candidates.filter { $0 != teachers[0] }))
            }
            for t in teachers {
                staff[t].load += 1
                staff[t].groups.append(g)
            }
            groups[g].teachers = teachers
            groups[g].group.teachers = teachers.map { staff[$0].staff.id }
        }
    }

    // MARK: - Assessments

    /// When each collection falls, in years since the start of Year 7's autumn term (early
    /// December, mid March, mid May); the flight path reaches the Year 11 end point at Year 11 DC3.
    static let collectionTimes = [0.3, 0.55, 0.75]
    static let endOfCourse = 4.75

    /// How much of English literature's own subject factor it shares with the pupil's English
    /// (language): with the shared KS2 and progress factors the two end points correlate at
    /// ≈ 0.9, the grades a little less — close to the correlation of the two GCSEs nationally.
    static let literatureSharesEnglish = 0.6

    mutating func makeAssessments() {
        var rng = SeededRandom(seed: seed, stream: "grades")
        let total = pupils.reduce(0) { $0 + $1.subjects.count }
        for c in 0..<3 { cells[c].reserveCapacity(total) }
        pairIndex.reserveCapacity(total)
        var lastYear = pupils.first?.pupil.yearGroup ?? 7
        /// Each pupil's own English factor, for their English literature.
        var englishFactor = [Double](repeating: 0, count: pupils.count)

        for p in pupils.indices {
            let y = pupils[p].pupil.yearGroup
            if y != lastYear {
                report(0.3 + 0.6 * Double(lastYear - 6) / 5)
                lastYear = y
            }
            for s in pupils[p].subjects where s != SubjectSpec.el {
                let own = rng.normal()
                if s == SubjectSpec.en { englishFactor[p] = own }
                appendAssessments(pupil: p, subject: s, ownFactor: own, rng: &rng)
            }
        }
        // English literature last, from its own stream, so that every other entry is exactly as it
        // would be without it. Its subject factor is mostly the pupil's English one.
        var literatureRNG = SeededRandom(seed: seed, stream: "grades-english-literature")
        let shared = Generator.literatureSharesEnglish
        for p in pupils.indices where pupils[p].subjects.contains(SubjectSpec.el) {
            let own = shared * englishFactor[p] + (1 - shared * shared).squareRoot() * literatureRNG.normal()
            appendAssessments(pupil: p, subject: SubjectSpec.el, ownFactor: own, rng: &literatureRNG)
        }
        report(0.9)
    }

    /// Working-at, predicted and ATL in the three collections for pupil `p` in subject `s`.
    /// `ownFactor` (standard normal) is the pupil's own factor in the subject, beyond KS2 and their
    /// general progress.
    private mutating func appendAssessments(pupil p: Int, subject s: Int, ownFactor: Double, rng: inout SeededRandom) {
        let model = pupils[p]
        let y = model.pupil.yearGroup
        let spec = catalogue[s]
        let teacher = staff[groups[model.groups[model.subjects.firstIndex(of: s)!]].teachers[0]]
        let fine = teacher.fineGrades && spec.kind == .gcse
        let x: Double
        switch spec.prior {
        case .reading: x = model.reading
        case .maths: x = model.maths
        case .both: x = (model.reading + model.maths) / 1.843_9  // √3.4: SD of the sum at r = 0.7
        }
        let score = 0.72 * x + 0.45 * model.general + 0.53 * ownFactor + (model.female ? 1 : -1) * spec.girlsEffect
        let endPoint = spec.distribution.grade(atPercentile: PortableMath.normalCDF(score), halfStep: spec.kind.halfStep)
        let momentum = rng.normal(standardDeviation: 0.12)
        let optimism = rng.normal(mean: 0.2, standardDeviation: 0.35)
        let persistentATL = rng.normal()
        let floor = spec.kind == .gcse && y <= 9 ? 0.67 : 0
        var noise = rng.normal(standardDeviation: 0.3)
        var previousWorkingAt: Double?
        var previousPredicted: Double?
        var previousATL: Int?

        pairIndex[p << 4 | s] = cells[0].count
        for c in 0..<3 {
            if c > 0 { noise = 0.6 * noise + 0.8 * rng.normal(standardDeviation: 0.3) }
            let tau = Double(y - 7) + Generator.collectionTimes[c]
            let fraction = 0.5 + 0.5 * tau / Generator.endOfCourse
            var workingAt = clamp(fraction * endPoint + noise + momentum * Double(c), floor, 9.2)
            if let previous = previousWorkingAt { workingAt = clamp(workingAt, previous - 0.95, previous + 0.95) }
            previousWorkingAt = workingAt

            // Nobody in Key Stage 3 is forecast a U.
            var predicted = clamp(endPoint + optimism + rng.normal(standardDeviation: 0.2), y <= 9 ? 1 : 0, 9.2)
            if let previous = previousPredicted { predicted = clamp(predicted, previous - 0.95, previous + 0.95) }
            previousPredicted = predicted

            let z = 0.75 * model.attitude + 0.45 * persistentATL + 0.48 * rng.normal()
            var atl = z > 0.52 ? 1 : z > -0.71 ? 2 : z > -1.55 ? 3 : 4
            if let previous = previousATL { atl = clamp(atl, previous - 1, previous + 1) }
            previousATL = atl

            cells[c].append(Assessment(
                pupil: model.pupil.id, subject: spec.id, collection: collections[c].id,
                workingAt: .grade(GradeTable.grade(points: workingAt, kind: spec.kind, fine: fine)),
                predicted: .grade(GradeTable.grade(points: predicted, kind: spec.kind, fine: false)),
                atl: .grade(GradeTable.atl[atl]),
                enteredBy: teacher.staff.id))
        }
    }

    // MARK: - Targets

    /// A target for every pupil with KS2 in every subject they study, by ``DemoSchool/targetPlan``
    /// (estimate method); none for pupils without KS2. Ordered by pupil id, then subject id, as
    /// HeadwayAnalytics' `TargetGeneration` orders them. Uses no random draws, so the rest of the
    /// school is unchanged by it.
    func makeTargets() -> [Target] {
        let plan = DemoSchool.targetPlan
        let distributions = DemoSchool.nationalDistributions
        var targets: [Target] = []
        for model in pupils where model.pupil.priorAttainment?.average != nil {
            for s in model.subjects {
                let spec = catalogue[s]
                guard let policy = plan.policy(yearGroup: model.pupil.yearGroup, subject: spec.id),
                      let scale = GradeScale.builtIn[spec.kind.scaleID],
                      case .success(let target) = policy.target(for: model.pupil, in: spec.subject, scale: scale,
                                                                distribution: distributions[spec.id])
                else { continue }
                targets.append(target)
            }
        }
        return targets.sorted { ($0.pupil, $0.subject) < ($1.pupil, $1.subject) }
    }

    /// A natural class whose working-at grades all equal the previous collection's (DC2 = DC1,
    /// or DC3 = DC2) would look like a planted copy-paste: move one pupil's grade by one step of
    /// the grid (never a swing). DC2 is settled first, since it is the base DC3 is compared with.
    mutating func preventAccidentalCopies() {
        let copied = planted.copiedCollection?.teachingGroup
        for c in 1...2 {
            for group in groups where !(c == 2 && group.group.id == copied) {
                let pairs = group.members.map { pairIndex[$0 << 4 | group.subject]! }
                let identical = pairs.allSatisfy { cells[c][$0].workingAt == cells[c - 1][$0].workingAt }
                guard identical, let pair = pairs.first(where: { cells[c][$0].workingAt?.points != nil }),
                      case .grade(let grade)? = cells[c][pair].workingAt
                else { continue }
                let spec = catalogue[group.subject]
                let fine = staff[group.teachers[0]].fineGrades && spec.kind == .gcse
                cells[c][pair].workingAt = .grade(GradeTable.neighbour(of: grade, kind: spec.kind, fine: fine))
            }
        }
    }
}

/// Allocates valid UPNs (check letter per DfE UPN guidance, see ``UPN``): a handful of feeder
/// establishments (`4xxx`) in a home local authority and two neighbours, the allocation year
/// being the pupil's Year 6 year (as the brief for the demo asks; real UPNs are allocated on
/// first entry to school), a serial with small random gaps.
struct UPNAllocator {
    private var feeders: [(la: String, establishment: String, weight: Double)] = []
    private var nextSerial: [String: Int] = [:]

    init(seed: UInt64, perYear: Int) {
        var rng = SeededRandom(seed: seed, stream: "upn-feeders")
        let english = LocalAuthority.numbers.filter { !(660...681).contains(Int($0) ?? 0) }.sorted()
        var las: [String] = []
        while las.count < 3 {
            let la = rng.pick(english)
            if !las.contains(la) { las.append(la) }
        }
        var establishments = Set<String>()
        let count = max(8, perYear / 25)
        for i in 0..<count {
            var establishment: String
            repeat { establishment = "4\(String(100 + rng.below(900)))" } while !establishments.insert(establishment).inserted
            feeders.append((las[i < count / 2 ? 0 : i % 3], establishment, i < count / 2 ? 2 : 1))
        }
    }

    mutating func next(y6Year: Int, rng: inout SeededRandom) -> UPN {
        let yy = y6Year % 100
        let yearText = yy < 10 ? "0\(yy)" : String(yy)
        var feeder = feeders[rng.pickIndex(weights: feeders.map(\.weight))]
        var key = "\(feeder.la)\(feeder.establishment)\(yearText)"
        // Serials run 100–999 within an establishment and year; move to another feeder when full.
        var attempts = 0
        while (nextSerial[key] ?? 0) > 990, attempts < feeders.count {
            feeder = feeders[attempts]
            key = "\(feeder.la)\(feeder.establishment)\(yearText)"
            attempts += 1
        }
        let serial = nextSerial[key] ?? (100 + rng.below(200))
        nextSerial[key] = serial + 1 + rng.below(4)
        let serialText = String(serial % 1000)
        let body = key + String(repeating: "0", count: 3 - serialText.count) + serialText
        return UPNAllocator.withCheckLetter(body)
    }

    /// Prefixes the 12 characters of UPN positions 2–13 (all digits) with their check letter:
    /// Σ digit × position (2…13) mod 23 → `UPN.checkLetters`.
    static func withCheckLetter(_ body: String) -> UPN {
        var sum = 0
        for (offset, ch) in body.enumerated() { sum += ch.wholeNumberValue! * (offset + 2) }
        return UPN(String(UPN.checkLetters[sum % 23]) + body)!
    }
}

/// Civil dates as day counts since 1970-01-01 (H. Hinnant's `days_from_civil` algorithms), for
/// dates of birth and collection calendars.
enum DayCount {
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func date(_ days: Int) -> CalendarDate {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return CalendarDate(year: year, month: month, day: day)!
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(_ days: Int) -> Int {
        ((days % 7) + 11) % 7
    }

    static func mondayOnOrAfter(year: Int, month: Int, day: Int) -> Int {
        let d = days(year: year, month: month, day: day)
        return d + (8 - weekday(d)) % 7
    }
}
