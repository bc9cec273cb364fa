import HeadwayCore

/// One integrity finding: what is wrong, where, how serious, and who can put it right
/// (DOMAIN.md step 5: "each finding names the record and the person who can fix it").
public struct Finding: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable, Comparable, CaseIterable {
        case error, warning, info
        public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    /// The check that found it. `docs/integrity-checks.md` describes each: what, why, threshold,
    /// who fixes it and severity.
    public enum Check: String, Hashable, Sendable, CaseIterable {
        case missingEntries = "missing-entries"
        case offScale = "off-scale"
        case duplicatePupil = "duplicate-pupil"
        case swing = "swing"
        case copiedForward = "copied-forward"
        case noClass = "no-class"
        case missingKS2 = "missing-ks2"
        /// A stored UPN that fails ``UPN/validate(_:)``, or a temporary one (issue 5).
        case invalidUPN = "invalid-upn"
        /// Pupils with no UPN, per year group (issue 5).
        case noUPN = "no-upn"
        /// Pupils studying a subject with no target in it, per class (issue 5).
        case noTarget = "no-target"
        /// Entries made after the collection's deadline, per teacher and collection (issue 5).
        case late = "late"
        /// Working-at `X`: the pupil did not sit the assessment (issue 5).
        case notSat = "not-sat"
        /// A class whose every working-at grade equals the pupil's target (issue 5).
        case gradesEqualTargets = "grades-equal-targets"
        /// A class whose ATL mean or spread is far from the same teacher's other classes (issue 5).
        case atlSpread = "atl-spread"
        /// A pupil characteristic changed during the year (issue 5).
        case characteristicChanged = "characteristic-changed"
    }

    /// The check that found it.
    public var check: Check
    /// Error (fix before publishing), warning (look at it) or info (a note).
    public var severity: Severity
    /// The record, e.g. `DC3 / 10X/Ma1 / pupil P0042 / MA`.
    public var record: String
    /// What is wrong, in a sentence.
    public var message: String
    /// Who can fix it: staff names with codes, or "data manager".
    public var fixer: String
    /// The record's keys, where the finding is about one collection, class, pupil or subject.
    public var collection: DataCollection.ID? = nil
    public var teachingGroup: TeachingGroup.ID? = nil
    public var pupil: Pupil.ID? = nil
    public var subject: Subject.ID? = nil
    /// The staff codes named in ``fixer``; empty when no one with a code is responsible.
    public var fixers: [Staff.ID] = []
}

extension Finding {
    /// A finding with only what every finding has (for reports' tests and callers outside the
    /// checks; the checks use the memberwise initialiser with the record's keys).
    public init(check: Check, severity: Severity, record: String, message: String, fixer: String) {
        self.check = check
        self.severity = severity
        self.record = record
        self.message = message
        self.fixer = fixer
    }
}

/// The integrity checks (issue 2's first pass, extended by issue 5). Thresholds are explained
/// per check here and in `docs/integrity-checks.md`.
public enum Integrity {
    /// What some checks read beyond the year itself, loaded by the caller from the store
    /// (analytics do no I/O). Empty by default: those checks then find nothing.
    public struct History: Sendable, Hashable {
        /// Changes to pupils' characteristics this year, oldest first (the audit log's).
        public var characteristicChanges: [CharacteristicChange]
        /// The UPN text as stored for each pupil who has one, including any that do not pass
        /// ``UPN/validate(_:)`` (which a loaded ``Pupil/upn`` cannot hold).
        public var storedUPNs: [Pupil.ID: String]

        /// Both empty unless given.
        public init(characteristicChanges: [CharacteristicChange] = [], storedUPNs: [Pupil.ID: String] = [:]) {
            self.characteristicChanges = characteristicChanges
            self.storedUPNs = storedUPNs
        }
    }

    /// Runs every check over the year and returns findings, errors first.
    ///
    /// - missing entries: per teacher and collection, the count of blank working-at cells they
    ///   are expected to fill (warning; the chase list).
    /// - off-scale: a stored value not on the subject's scale (error).
    /// - duplicate pupil: two records with one UPN (error), or the same names and date of birth
    ///   (warning).
    /// - invalid UPN: a stored UPN failing ``UPN/validate(_:)`` (error); a temporary UPN
    ///   (warning); an LA code not in the list (info). No UPN: a count per year group (info).
    /// - swing: a change of at least the scale's ``GradeScale/swingThreshold`` (two grades, or a
    ///   quarter of a numeric range) between consecutive collections (warning).
    /// - copied forward: a class whose every working-at grade equals the previous collection's,
    ///   with at least 5 pupils and at least half the class graded (warning: a sign of
    ///   copy-paste; a class mostly still blank is the missing-entries finding instead).
    /// - grades equal targets: a class whose every graded working-at equals the pupil's target,
    ///   with at least 5 such pupils and at least half the class (warning: targets pasted in).
    /// - ATL spread: a class whose ATL mean or spread is far from the same teacher's other
    ///   classes; "far" is defined on ``atlMeanDifference`` and ``atlSpreadDifference`` (warning).
    /// - no class: a pupil on roll in no teaching group, when the school has classes (warning).
    /// - no target: per class, pupils studying its subject with no target (warning), or one
    ///   finding per year group when the school has no targets at all.
    /// - late: per teacher and collection, entries made after the deadline (info).
    /// - not sat: per pupil and subject, the collections whose working-at is `X` (info): reported,
    ///   never counted as missing nor averaged as a grade.
    /// - characteristic changed: per pupil and characteristic, from `history` (warning for the
    ///   characteristics behind the DfE measures and gaps, info for others).
    /// - missing KS2: share of each year group with no KS2 prior attainment (info).
    ///
    /// Who can fix it: a class's teachers where the record has a class; otherwise the subject's
    /// head of department, the year's head of year, or the data manager (pupil records, targets
    /// and timetabling are theirs). Named with codes, as in `Ms Smith (JSM)`.
    ///
    /// `completions` are the year's collections' ``Completion``s when the caller has them
    /// already (the report shows them too); they are computed when nil.
    public static func check(_ index: YearIndex, completions: [Completion]? = nil, history: History = History()) -> [Finding] {
        var findings: [Finding] = []
        let year = index.year
        let who = Responsibility(index)
        func where_(_ c: DataCollection.ID, _ pair: YearIndex.PupilSubject) -> String {
            [c.rawValue, index.teachingGroup(of: pair)?.id.rawValue, index.pupilLabel(pair.pupil), pair.subject.rawValue].compactMap { $0 }.joined(separator: " / ")
        }

        for completion in completions ?? index.collections.map({ Completion(index, collection: $0) }) {
            let collection = completion.collection
            var byTeacher: [Responsibility.Fixer: (count: Int, classes: Set<String>)] = [:]
            // A collection's first weeks can have thousands of blanks: name each class's teachers once.
            var named: [[Staff.ID]: Responsibility.Fixer] = [:], heads: [Subject.ID: Responsibility.Fixer] = [:]
            for cell in completion.missing {
                let key: Responsibility.Fixer
                if cell.teachers.isEmpty {
                    key = heads[cell.subject] ?? who.subject(cell.subject)
                    heads[cell.subject] = key
                } else {
                    key = named[cell.teachers] ?? who.named(cell.teachers)
                    named[cell.teachers] = key
                }
                byTeacher[key, default: (0, [])].count += 1
                byTeacher[key, default: (0, [])].classes.insert(cell.teachingGroup?.rawValue ?? "no class")
            }
            for (teacher, missing) in byTeacher.sorted(by: { $0.key.text < $1.key.text }) {
                findings.append(Finding(check: .missingEntries, severity: .warning, record: "\(collection.id) / \(missing.classes.sorted().joined(separator: ", "))",
                                        message: "\(missing.count) working-at \(missing.count == 1 ? "entry" : "entries") not yet entered", fixer: teacher.text,
                                        collection: collection.id, fixers: teacher.staff))
            }
        }

        func offScale(_ entry: Assessment, _ field: String, _ value: EntryValue?) {
            guard case .offScale(let raw)? = value else { return }
            let pair = YearIndex.PupilSubject(entry.pupil, entry.subject)
            let scaleID = field == "ATL" ? index.subjects[entry.subject]?.atlScale : index.subjects[entry.subject]?.scale
            let scaleName = scaleID.flatMap { year.scales[$0]?.name } ?? "no known scale"
            let fixer = who.pair(pair)
            findings.append(Finding(check: .offScale, severity: .error, record: where_(entry.collection, pair),
                                    message: "\(field) value '\(raw)' is not on \(scaleName)", fixer: fixer.text,
                                    collection: entry.collection, teachingGroup: index.teachingGroup(of: pair)?.id, pupil: entry.pupil, subject: entry.subject,
                                    fixers: fixer.staff))
        }
        func isOffScale(_ value: EntryValue?) -> Bool { if case .offScale? = value { true } else { false } }
        func isNotSat(_ value: EntryValue?) -> Bool { if case .notAssessed? = value { true } else { false } }
        // One pass over the entries for every per-entry check: the entries are the largest array
        // the checks read, so each pass costs about the same whatever it looks at.
        var late: [Int] = [], notSat: [Int] = []
        for i in year.assessments.indices {
            if year.assessments[i].late { late.append(i) }
            if isNotSat(year.assessments[i].workingAt) { notSat.append(i) }
            guard isOffScale(year.assessments[i].workingAt) || isOffScale(year.assessments[i].predicted) || isOffScale(year.assessments[i].atl)
            else { continue }
            let entry = year.assessments[i]
            offScale(entry, "working-at", entry.workingAt)
            offScale(entry, "predicted", entry.predicted)
            offScale(entry, "ATL", entry.atl)
        }

        var byUPN: [UPN: [Pupil]] = [:]
        var byNameDOB: [String: [Pupil]] = [:]
        for pupil in year.pupils {
            if let upn = pupil.upn { byUPN[upn, default: []].append(pupil) }
            if let dob = pupil.dateOfBirth, !pupil.surname.isEmpty {
                byNameDOB["\(pupil.forename.lowercased())|\(pupil.surname.lowercased())|\(dob)", default: []].append(pupil)
            }
        }
        let office = who.dataManager
        for (upn, pupils) in byUPN where pupils.count > 1 {
            findings.append(Finding(check: .duplicatePupil, severity: .error, record: "UPN \(upn)",
                                    message: "one UPN on \(pupils.count) pupil records: \(pupils.map(\.id.rawValue).sorted().joined(separator: ", "))",
                                    fixer: office.text, fixers: office.staff))
        }
        for (_, pupils) in byNameDOB where pupils.count > 1 {
            let p = pupils[0]
            findings.append(Finding(check: .duplicatePupil, severity: .warning, record: "\(p.displayName), born \(p.dateOfBirth!)",
                                    message: "same name and date of birth on \(pupils.count) records: \(pupils.map(\.id.rawValue).sorted().joined(separator: ", "))",
                                    fixer: office.text, fixers: office.staff))
        }

        // Swings: compare points, and describe only the few that are swings.
        let points = WorkingAtPoints(index)
        let steps = zip(index.collections, index.collections.dropFirst()).map {
            (from: $0.id, to: $1.id, fromNumber: index.collectionNumber($0.id)!, toNumber: index.collectionNumber($1.id)!)
        }
        for pair in index.studied {
            guard let threshold = index.subjectScales[Int(pair.subjectNumber)]?.swingThreshold, let cell = index.cell(pair) else { continue }
            for step in steps {
                guard let before = points[step.fromNumber, cell], let after = points[step.toNumber, cell], abs(after - before) >= threshold - 1e-9,
                      let change = Progress.change(index, pair, from: step.from, to: step.to), let scale = index.scale(of: pair)
                else { continue }
                let fixer = who.pair(pair)
                findings.append(Finding(check: .swing, severity: .warning, record: where_(change.to, pair),
                                        message: "working-at moved from \(change.fromGrade.code) (\(change.from)) to \(change.toGrade.code) (\(change.to)), a swing of \(format(change.change)) on \(scale.name)",
                                        fixer: fixer.text, collection: change.to, teachingGroup: index.teachingGroup(of: pair)?.id, pupil: change.pupil, subject: change.subject,
                                        fixers: fixer.staff))
            }
        }

        findings += classChecks(index, points: points, who: who)

        if !year.teachingGroups.isEmpty {
            let inClass = Set(year.teachingGroups.flatMap(\.pupils))
            for pupil in year.pupils where !inClass.contains(pupil.id) {
                findings.append(Finding(check: .noClass, severity: .warning, record: index.pupilLabel(pupil.id, withYearGroup: true),
                                        message: "on roll but in no teaching group", fixer: office.text, pupil: pupil.id, fixers: office.staff))
            }
        }

        findings += upnChecks(index, storedUPNs: history.storedUPNs, who: who)
        findings += targetChecks(index, who: who)
        findings += lateEntries(index, entries: late, who: who)
        findings += Integrity.notSat(index, entries: notSat, who: who)
        findings += characteristicChanges(index, history.characteristicChanges, who: who)

        for (yearGroup, pupils) in Dictionary(grouping: year.pupils, by: \.yearGroup).sorted(by: { $0.key < $1.key }) {
            let missing = pupils.filter { $0.priorAttainment?.average == nil }.count
            guard missing > 0 else { continue }
            findings.append(Finding(check: .missingKS2, severity: .info, record: "year \(yearGroup)",
                                    message: "\(missing) of \(pupils.count) pupils (\(format(Double(missing) * 100 / Double(pupils.count)))%) have no KS2 reading or maths score",
                                    fixer: office.text, fixers: office.staff))
        }
        return findings.sorted { ($0.severity, $0.check.rawValue, $0.record) < ($1.severity, $1.check.rawValue, $1.record) }
    }

    /// One decimal place, no trailing `.0`.
    static func format(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// Up to `limit` names joined with commas, then `and N more`.
    static func list(_ names: [String], limit: Int = 8) -> String {
        guard names.count > limit else { return names.joined(separator: ", ") }
        return names.prefix(limit).joined(separator: ", ") + " and \(names.count - limit) more"
    }
}

/// The working-at points of every studied pair in every collection, read once from the entries
/// so that the swing and class checks compare plain numbers (reading a grade out of an entry
/// costs more than the comparison).
struct WorkingAtPoints {
    private let cellCount: Int
    /// (collection number × cells + cell) → points; NaN for no grade.
    private var values: [Double]

    init(_ index: YearIndex) {
        cellCount = index.cellCount
        values = [Double](repeating: .nan, count: index.gridCollectionCount * cellCount)
        for c in 0..<index.gridCollectionCount {
            for pair in index.studied {
                guard let cell = index.cell(pair), let points = index.workingAtPoints(collection: c, cell: cell) else { continue }
                values[c * cellCount + cell] = points
            }
        }
    }

    /// The points at a collection number and grid cell, nil when there is no grade.
    subscript(collection: Int, cell: Int) -> Double? {
        let x = values[collection * cellCount + cell]
        return x.isNaN ? nil : x
    }
}

/// Who can fix a record, by the rule of ``Integrity/check(_:completions:history:)``: a class's
/// teachers; else the subject's head of department; else (and for pupil records, targets and
/// classes) the data manager.
struct Responsibility {
    /// Names with codes (`Ms Smith (JSM), Mr Patel (RPA)`), and the codes.
    struct Fixer: Hashable {
        var text: String
        var staff: [Staff.ID]
    }

    let index: YearIndex
    /// The data managers, or the words "data manager" when the school lists none.
    let dataManager: Fixer
    /// Heads of department per subject, in staff-code order.
    let headsOfDepartment: [Subject.ID: [Staff.ID]]
    /// Heads of year per year group, in staff-code order.
    let headsOfYear: [Int: [Staff.ID]]

    init(_ index: YearIndex) {
        self.index = index
        let managers = index.dataManagers
        dataManager = managers.isEmpty ? Fixer(text: "data manager", staff: [])
            : Fixer(text: managers.map(index.staffName).joined(separator: ", "), staff: managers)
        var hod: [Subject.ID: [Staff.ID]] = [:], hoy: [Int: [Staff.ID]] = [:]
        for person in index.year.staff.sorted(by: { $0.id < $1.id }) {
            for role in person.roles {
                switch role {
                case .headOfDepartment(let subject): hod[subject, default: []].append(person.id)
                case .headOfYear(let year): hoy[year, default: []].append(person.id)
                default: break
                }
            }
        }
        headsOfDepartment = hod
        headsOfYear = hoy
    }

    func named(_ staff: [Staff.ID]) -> Fixer {
        Fixer(text: staff.map(index.staffName).joined(separator: ", "), staff: staff)
    }

    /// The subject's head of department, else the data manager.
    func subject(_ subject: Subject.ID) -> Fixer {
        headsOfDepartment[subject].map(named) ?? dataManager
    }

    /// The year's head of year, else the data manager.
    func yearGroup(_ year: Int?) -> Fixer {
        year.flatMap { headsOfYear[$0] }.map(named) ?? dataManager
    }

    /// The class teachers, else the subject's head of department, else the data manager.
    func cell(teachers: [Staff.ID], subject: Subject.ID) -> Fixer {
        teachers.isEmpty ? self.subject(subject) : named(teachers)
    }

    /// The teachers of the pupil's class in the subject, else as ``cell(teachers:subject:)``.
    func pair(_ pair: YearIndex.PupilSubject) -> Fixer {
        cell(teachers: index.teachers(of: pair), subject: pair.subject)
    }
}

extension YearIndex {
    /// A pupil as a finding's record names them: the id the files and the MIS use, and the name
    /// the staff who must act on it know them by (issue 12, item 6) — `pupil 000123 (Anna Smith)`,
    /// with `withYearGroup` `pupil 000123 (Anna Smith, year 10)`. The id alone for a pupil not on
    /// roll this year.
    func pupilLabel(_ id: Pupil.ID, withYearGroup: Bool = false) -> String {
        guard let pupil = pupils[id] else { return "pupil \(id)" }
        let name = [pupil.forename, pupil.surname].filter { !$0.isEmpty }.joined(separator: " ")
        let details = [name.isEmpty ? nil : name, withYearGroup ? "year \(pupil.yearGroup)" : nil].compactMap { $0 }
        return "pupil \(id)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
    }
}
