import HeadwayCore

/// Checks on pupil records (issue 5): UPNs, targets and characteristic changes. Pupil records
/// and targets are the data manager's to fix.
extension Integrity {
    /// The characteristics whose change moves a pupil between the groups that the DfE measures,
    /// gaps and pupil-premium reports compare: a change is a warning; any other is a note.
    public static let measuredCharacteristics: Set<String> = [
        Characteristic.disadvantaged, Characteristic.sen, Characteristic.eal, Characteristic.lookedAfter,
    ]

    /// Invalid, temporary and unknown-authority UPNs, and the pupils with none per year group.
    ///
    /// A UPN as stored (`storedUPNs`, else the loaded ``Pupil/upn``) that fails
    /// ``UPN/validate(_:)`` is an error; a temporary UPN (letter in position 13) a warning; an LA
    /// number not in ``LocalAuthority/numbers`` a note (new authorities appear).
    static func upnChecks(_ index: YearIndex, storedUPNs: [Pupil.ID: String], who: Responsibility) -> [Finding] {
        var findings: [Finding] = []
        let office = who.dataManager
        var withoutUPN: [Int: (missing: Int, total: Int)] = [:]
        for pupil in index.year.pupils {
            withoutUPN[pupil.yearGroup, default: (0, 0)].total += 1
            guard let text = storedUPNs[pupil.id] ?? pupil.upn?.rawValue else {
                withoutUPN[pupil.yearGroup, default: (0, 0)].missing += 1
                continue
            }
            let record = index.pupilLabel(pupil.id, withYearGroup: true)
            func add(_ severity: Finding.Severity, _ message: String) {
                findings.append(Finding(check: .invalidUPN, severity: severity, record: record, message: message,
                                        fixer: office.text, pupil: pupil.id, fixers: office.staff))
            }
            let upn: UPN
            if let loaded = pupil.upn, loaded.rawValue == text {
                upn = loaded  // validated when loaded: only the warnings below can remain
            } else {
                let validation = UPN.validate(text)
                guard let valid = validation.upn else {
                    add(.error, "stored UPN '\(text)' is not valid: \(validation.errors.map(\.message).joined(separator: "; "))")
                    continue
                }
                upn = valid
            }
            if upn.isTemporary {
                add(.warning, "UPN \(upn) is temporary (a letter in position 13): replace it with the pupil's permanent UPN")
            }
            let authority = String(upn.rawValue.dropFirst().prefix(3))
            if !LocalAuthority.numbers.contains(authority) {
                add(.info, "UPN \(upn): characters 2-4 (\(authority)) are not a recognised local-authority number")
            }
        }
        for (yearGroup, count) in withoutUPN.sorted(by: { $0.key < $1.key }) where count.missing > 0 {
            findings.append(Finding(check: .noUPN, severity: .info, record: "year \(yearGroup)",
                                    message: "\(count.missing) of \(count.total) pupils have no UPN", fixer: office.text, fixers: office.staff))
        }
        return findings
    }

    /// Pupils studying a subject with no target in it. Pupils with KS2 (a target could have been
    /// generated): a warning per year group and subject, naming the classes. Pupils without KS2
    /// (no target can be generated; the missing-KS2 check counts them): one note per year group.
    /// When the school has no targets at all, one warning per year group instead.
    static func targetChecks(_ index: YearIndex, who: Responsibility) -> [Finding] {
        let office = who.dataManager
        let year = index.year
        guard !index.studied.isEmpty else { return [] }
        if year.targets.isEmpty {
            var pupils: [Int: Set<Pupil.ID>] = [:]
            for pair in index.studied {
                guard let yearGroup = index.pupilRecords[Int(pair.pupilNumber)]?.yearGroup else { continue }
                pupils[yearGroup, default: []].insert(pair.pupil)
            }
            return pupils.sorted { $0.key < $1.key }.map { yearGroup, pupils in
                Finding(check: .noTarget, severity: .warning, record: "year \(yearGroup)",
                        message: "no pupil has a target (\(pupils.count) pupils): generate them (`headway targets generate`) or import them",
                        fixer: office.text, fixers: office.staff)
            }
        }
        struct Gap {
            var yearGroup: Int
            var subject: Subject.ID
            var pupils: [Pupil.ID] = []
            var classes: [String: Int] = [:]
        }
        struct WithoutKS2 {
            var pupils: [Pupil.ID] = []
            var subjects: Set<Int> = []
            var pairs = 0
        }
        // Keyed by year group and subject number, so no text is built or hashed per pair; each
        // pupil's year group and KS2 read once.
        let yearGroups = index.pupilRecords.map { $0?.yearGroup }
        let hasKS2 = index.pupilRecords.map { $0?.priorAttainment?.average != nil }
        var gaps: [Int: Gap] = [:]
        var studying: [Int: Int] = [:]
        var withoutKS2: [Int: WithoutKS2] = [:]
        for pair in index.studied {
            let p = Int(pair.pupilNumber)
            guard let cell = index.cell(pair), let yearGroup = yearGroups[p] else { continue }
            let key = yearGroup << 16 | Int(pair.subjectNumber)
            studying[key, default: 0] += 1
            guard !index.hasTarget(cell: cell) else { continue }
            if !hasKS2[p] {
                if withoutKS2[yearGroup]?.pupils.last != pair.pupil { withoutKS2[yearGroup, default: WithoutKS2()].pupils.append(pair.pupil) }
                withoutKS2[yearGroup, default: WithoutKS2()].subjects.insert(Int(pair.subjectNumber))
                withoutKS2[yearGroup, default: WithoutKS2()].pairs += 1
                continue
            }
            var gap = gaps[key] ?? Gap(yearGroup: yearGroup, subject: pair.subject)
            gap.pupils.append(pair.pupil)
            let group = index.groupNumber(cell: cell).map { year.teachingGroups[$0].id.rawValue } ?? "no class"
            gap.classes[group, default: 0] += 1
            gaps[key] = gap
        }
        var findings = gaps.map { key, gap in
            let subject = index.subjects[gap.subject]?.name ?? gap.subject.rawValue
            let classes = gap.classes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return Finding(check: .noTarget, severity: .warning, record: "year \(gap.yearGroup) / \(gap.subject)",
                           message: "\(gap.pupils.count) of \(studying[key] ?? 0) pupils have no target in \(subject) (\(classes)): \(list(gap.pupils.map(\.rawValue)))",
                           fixer: office.text, subject: gap.subject, fixers: office.staff)
        }
        for (yearGroup, gap) in withoutKS2 {
            let subjects = gap.subjects.sorted().map { index.subjects[index.subjectIDs[$0]]?.name ?? index.subjectIDs[$0].rawValue }
            let pupils = gap.pupils.count == 1 ? "1 pupil without KS2 has" : "\(gap.pupils.count) pupils without KS2 have"
            findings.append(Finding(
                check: .noTarget, severity: .info, record: "year \(yearGroup)",
                message: "\(pupils) no target (\(gap.pairs) pupil-subject \(gap.pairs == 1 ? "pair" : "pairs"); \(list(subjects, limit: 4))): "
                    + "\(list(gap.pupils.map(\.rawValue))); generated targets need KS2: import or set them",
                fixer: office.text, fixers: office.staff))
        }
        return findings
    }

    /// One finding per pupil and characteristic changed this year: the values in turn, the last
    /// change's date and who made it.
    static func characteristicChanges(_ index: YearIndex, _ changes: [CharacteristicChange], who: Responsibility) -> [Finding] {
        guard !changes.isEmpty else { return [] }
        let office = who.dataManager
        var order: [String] = []
        var byKey: [String: [CharacteristicChange]] = [:]
        for change in changes {
            let key = "\(change.pupil)|\(change.name)"
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(change)
        }
        return order.map { key in
            let list = byKey[key]!
            let first = list[0], last = list[list.count - 1]
            let values = ([first.old] + list.map(\.new)).map { $0 ?? "blank" }
            let when = String(last.at.prefix(10))
            let by = "by \(last.by)" + (last.source.map { " (\($0))" } ?? "")
            let message = list.count == 1
                ? "changed from \(values[0]) to \(values[1]) on \(when) \(by)"
                : "changed \(list.count) times: \(values.joined(separator: " → ")); last on \(when) \(by)"
            return Finding(check: .characteristicChanged, severity: measuredCharacteristics.contains(first.name) ? .warning : .info,
                           record: "\(index.pupilLabel(first.pupil, withYearGroup: true)) / \(first.name)", message: message,
                           fixer: office.text, pupil: first.pupil, fixers: office.staff)
        }
    }
}
