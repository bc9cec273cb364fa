import HeadwayCore

/// One integrity finding: what is wrong, where, how serious, and who can put it right
/// (DOMAIN.md step 5: "each finding names the record and the person who can fix it").
public struct Finding: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable, Comparable, CaseIterable {
        case error, warning, info
        public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    /// The check that found it.
    public enum Check: String, Hashable, Sendable, CaseIterable {
        case missingEntries = "missing-entries"
        case offScale = "off-scale"
        case duplicatePupil = "duplicate-pupil"
        case swing = "swing"
        case copiedForward = "copied-forward"
        case noClass = "no-class"
        case missingKS2 = "missing-ks2"
    }

    public var check: Check
    public var severity: Severity
    /// The record, e.g. `DC3 / 10X/Ma1 / pupil P0042 / MA`.
    public var record: String
    public var message: String
    /// Who can fix it: staff names with codes, or "data manager".
    public var fixer: String
    /// The record's keys, where the finding is about one collection, class, pupil or subject.
    public var collection: DataCollection.ID? = nil
    public var teachingGroup: TeachingGroup.ID? = nil
    public var pupil: Pupil.ID? = nil
    public var subject: Subject.ID? = nil
}

/// The integrity checks of issue 2's first pass. Thresholds are explained per check.
public enum Integrity {
    /// Runs every check over the year and returns findings, errors first.
    ///
    /// - missing entries: per teacher and collection, the count of blank working-at cells they
    ///   are expected to fill (warning; the chase list).
    /// - off-scale: a stored value not on the subject's scale (error).
    /// - duplicate pupil: two records with one UPN (error), or the same names and date of birth
    ///   (warning).
    /// - swing: a change of at least the scale's ``GradeScale/swingThreshold`` (two grades, or a
    ///   quarter of a numeric range) between consecutive collections (warning).
    /// - copied forward: a class whose every working-at grade equals the previous collection's,
    ///   with at least 5 pupils and at least half the class graded (warning: a sign of
    ///   copy-paste; a class mostly still blank is the missing-entries finding instead).
    /// - no class: a pupil on roll in no teaching group, when the school has classes (warning).
    /// - missing KS2: share of each year group with no KS2 prior attainment (info).
    ///
    /// `completions` are the year's collections' ``Completion``s when the caller has them
    /// already (the report shows them too); they are computed when nil.
    public static func check(_ index: YearIndex, completions: [Completion]? = nil) -> [Finding] {
        var findings: [Finding] = []
        let year = index.year
        let dataManager = index.dataManagers.map(index.staffName).joined(separator: ", ")
        let office = dataManager.isEmpty ? "data manager" : dataManager
        func fixer(_ pair: YearIndex.PupilSubject) -> String {
            let teachers = index.teachers(of: pair)
            return teachers.isEmpty ? office : teachers.map(index.staffName).joined(separator: ", ")
        }
        func where_(_ c: DataCollection.ID, _ pair: YearIndex.PupilSubject) -> String {
            [c.rawValue, index.teachingGroup(of: pair)?.id.rawValue, "pupil \(pair.pupil)", pair.subject.rawValue].compactMap { $0 }.joined(separator: " / ")
        }

        for completion in completions ?? index.collections.map({ Completion(index, collection: $0) }) {
            let collection = completion.collection
            var byTeacher: [String: (count: Int, classes: Set<String>)] = [:]
            for cell in completion.missing {
                let key = cell.teachers.isEmpty ? office : cell.teachers.map(index.staffName).joined(separator: ", ")
                byTeacher[key, default: (0, [])].count += 1
                byTeacher[key, default: (0, [])].classes.insert(cell.teachingGroup?.rawValue ?? "no class")
            }
            for (teacher, missing) in byTeacher.sorted(by: { $0.key < $1.key }) {
                findings.append(Finding(check: .missingEntries, severity: .warning, record: "\(collection.id) / \(missing.classes.sorted().joined(separator: ", "))",
                                        message: "\(missing.count) working-at \(missing.count == 1 ? "entry" : "entries") not yet entered", fixer: teacher,
                                        collection: collection.id))
            }
        }

        func offScale(_ entry: Assessment, _ field: String, _ value: EntryValue?) {
            guard case .offScale(let raw)? = value else { return }
            let pair = YearIndex.PupilSubject(entry.pupil, entry.subject)
            let scaleID = field == "ATL" ? index.subjects[entry.subject]?.atlScale : index.subjects[entry.subject]?.scale
            let scaleName = scaleID.flatMap { year.scales[$0]?.name } ?? "no known scale"
            findings.append(Finding(check: .offScale, severity: .error, record: where_(entry.collection, pair),
                                    message: "\(field) value '\(raw)' is not on \(scaleName)", fixer: fixer(pair),
                                    collection: entry.collection, teachingGroup: index.teachingGroup(of: pair)?.id, pupil: entry.pupil, subject: entry.subject))
        }
        func isOffScale(_ value: EntryValue?) -> Bool { if case .offScale? = value { true } else { false } }
        for i in year.assessments.indices
        where isOffScale(year.assessments[i].workingAt) || isOffScale(year.assessments[i].predicted) || isOffScale(year.assessments[i].atl) {
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
        for (upn, pupils) in byUPN where pupils.count > 1 {
            findings.append(Finding(check: .duplicatePupil, severity: .error, record: "UPN \(upn)",
                                    message: "one UPN on \(pupils.count) pupil records: \(pupils.map(\.id.rawValue).sorted().joined(separator: ", "))", fixer: office))
        }
        for (_, pupils) in byNameDOB where pupils.count > 1 {
            let p = pupils[0]
            findings.append(Finding(check: .duplicatePupil, severity: .warning, record: "\(p.displayName), born \(p.dateOfBirth!)",
                                    message: "same name and date of birth on \(pupils.count) records: \(pupils.map(\.id.rawValue).sorted().joined(separator: ", "))", fixer: office))
        }

        // Swings: compare points in place, and describe only the few that are swings.
        let steps = zip(index.collections, index.collections.dropFirst()).map {
            (from: $0.id, to: $1.id, fromNumber: index.collectionNumber($0.id)!, toNumber: index.collectionNumber($1.id)!)
        }
        for pair in index.studied {
            guard let threshold = index.subjectScales[Int(pair.subjectNumber)]?.swingThreshold, let cell = index.cell(pair) else { continue }
            for step in steps {
                guard let before = index.workingAtPoints(collection: step.fromNumber, cell: cell),
                      let after = index.workingAtPoints(collection: step.toNumber, cell: cell), abs(after - before) >= threshold - 1e-9,
                      let change = Progress.change(index, pair, from: step.from, to: step.to), let scale = index.scale(of: pair)
                else { continue }
                findings.append(Finding(check: .swing, severity: .warning, record: where_(change.to, pair),
                                    message: "working-at moved from \(change.fromGrade.code) (\(change.from)) to \(change.toGrade.code) (\(change.to)), a swing of \(format(change.change)) on \(scale.name)",
                                    fixer: fixer(pair), collection: change.to, teachingGroup: index.teachingGroup(of: pair)?.id, pupil: change.pupil, subject: change.subject))
            }
        }

        for (previous, current) in zip(index.collections, index.collections.dropFirst()) {
            for group in year.teachingGroups {
                var graded = 0
                var identical = true
                for pupil in group.pupils {
                    let pair = YearIndex.PupilSubject(pupil, group.subject)
                    guard case .grade(let now)? = index.workingAt(current.id, pair) else { continue }
                    graded += 1
                    guard case .grade(let before)? = index.workingAt(previous.id, pair), before.code == now.code else { identical = false; break }
                }
                if identical, graded >= max(5, (group.pupils.count + 1) / 2) {
                    findings.append(Finding(check: .copiedForward, severity: .warning, record: "\(current.id) / \(group.id)",
                                            message: "all \(graded) working-at grades are the same as in \(previous.id): copied forward?",
                                            fixer: group.teachers.map(index.staffName).joined(separator: ", "),
                                            collection: current.id, teachingGroup: group.id, subject: group.subject))
                }
            }
        }

        if !year.teachingGroups.isEmpty {
            let inClass = Set(year.teachingGroups.flatMap(\.pupils))
            for pupil in year.pupils where !inClass.contains(pupil.id) {
                findings.append(Finding(check: .noClass, severity: .warning, record: "pupil \(pupil.id) (year \(pupil.yearGroup))",
                                        message: "on roll but in no teaching group", fixer: office, pupil: pupil.id))
            }
        }

        for (yearGroup, pupils) in Dictionary(grouping: year.pupils, by: \.yearGroup).sorted(by: { $0.key < $1.key }) {
            let missing = pupils.filter { $0.priorAttainment?.average == nil }.count
            guard missing > 0 else { continue }
            findings.append(Finding(check: .missingKS2, severity: .info, record: "year \(yearGroup)",
                                    message: "\(missing) of \(pupils.count) pupils (\(format(Double(missing) * 100 / Double(pupils.count)))%) have no KS2 reading or maths score",
                                    fixer: office))
        }
        return findings.sorted { ($0.severity, $0.check.rawValue, $0.record) < ($1.severity, $1.check.rawValue, $1.record) }
    }

    /// One decimal place, no trailing `.0`.
    static func format(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
