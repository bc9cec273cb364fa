import HeadwayCore

/// Planting the faults listed in ``PlantedFaults``, after the natural data is complete. Each item
/// claims its classes, pupils and pupil–subject pairs, and later items avoid everything claimed,
/// so one fault never hides or imitates another.
extension Generator {
    private struct Claims {
        var groups = Set<Int>()
        var pupils = Set<Int>()
    }

    mutating func plantFaults() {
        var rng = SeededRandom(seed: seed, stream: "faults")
        var claims = Claims()
        let dc = collections.map(\.id)

        plantMissingEntries(rng: &rng, claims: &claims, dc: dc)
        plantCopiedCollection(rng: &rng, claims: &claims, dc: dc)
        plantStrugglingPupils(rng: &rng, claims: &claims)
        plantSwings(rng: &rng, claims: &claims, dc: dc)
        plantOffScaleValues(rng: &rng, claims: &claims, dc: dc)
        plantAbsenceAndNotRequired(rng: &rng, claims: &claims, dc: dc)
    }

    private func pair(_ p: Int, _ s: Int) -> Int { pairIndex[p << 4 | s]! }

    /// The subjects of pupil `p` a single planted cell may fall in: all but English literature.
    /// Literature was added to the school after the faults were designed; leaving it out of these
    /// random choices keeps every planted item where it was. (Whole-class and whole-pupil items —
    /// missing entries, absence — still cover literature classes and entries.)
    private func plantableSubjects(_ p: Int) -> [Int] {
        pupils[p].subjects.filter { $0 != SubjectSpec.el }
    }

    /// Pupil `p` has none of their classes claimed and is not claimed.
    private func isFree(_ p: Int, _ claims: Claims) -> Bool {
        !claims.pupils.contains(p) && pupils[p].groups.allSatisfy { !claims.groups.contains($0) }
    }

    // MARK: Missing entries

    /// Two ordinary teachers (different departments, three to eight classes, none shared) have not
    /// finished DC3: in each of their classes 50–95% of pupils have nothing entered.
    private mutating func plantMissingEntries(rng: inout SeededRandom, claims: inout Claims, dc: [DataCollection.ID]) {
        let candidates = staff.indices.filter { t in
            staff[t].isPlainTeacher && (3...8).contains(staff[t].groups.count) && staff[t].groups.allSatisfy { groups[$0].teachers.count == 1 }
        }
        guard let first = candidates.isEmpty ? nil : rng.pick(candidates) else { return }
        let others = candidates.filter { staff[$0].department != staff[first].department }
        guard !others.isEmpty else { return }
        let second = rng.pick(others)
        for t in [first, second] {
            planted.missingEntryTeachers.append(staff[t].staff.id)
            for g in staff[t].groups {
                claims.groups.insert(g)
                let members = groups[g].members
                let rate = 0.5 + 0.45 * rng.nextUnit()
                let count = clamp(Int((rate * Double(members.count)).rounded()), 1, members.count)
                for k in rng.sampleIndices(count: count, weights: [Double](repeating: 1, count: members.count)) {
                    let i = pair(members[k], groups[g].subject)
                    cells[2][i].workingAt = nil
                    cells[2][i].predicted = nil
                    cells[2][i].atl = nil
                    cells[2][i].enteredBy = nil
                    planted.missingEntries.append(.init(pupil: cells[2][i].pupil, subject: cells[2][i].subject, collection: dc[2]))
                }
            }
        }
    }

    // MARK: Copy-paste

    /// One Key Stage 3 foundation-subject class of 20+ whose DC3 working-at grades were pasted
    /// from DC2.
    private mutating func plantCopiedCollection(rng: inout SeededRandom, claims: inout Claims, dc: [DataCollection.ID]) {
        let subjects: Set<Int> = [SubjectSpec.hi, SubjectSpec.ge, SubjectSpec.re, SubjectSpec.ar, SubjectSpec.co]
        let candidates = groups.indices.filter { g in
            !claims.groups.contains(g) && groups[g].group.yearGroup <= 9 && groups[g].members.count >= 20
                && groups[g].teachers.count == 1 && subjects.contains(groups[g].subject)
        }
        guard !candidates.isEmpty else { return }
        let g = rng.pick(candidates)
        claims.groups.insert(g)
        for p in groups[g].members {
            let i = pair(p, groups[g].subject)
            cells[2][i].workingAt = cells[1][i].workingAt
        }
        planted.copiedCollection = .init(
            teachingGroup: groups[g].group.id, teacher: staff[groups[g].teachers[0]].staff.id, source: dc[1], copy: dc[2])
    }

    // MARK: Struggling pupils

    /// Six pupils (one in each of Years 7–9 and 11, two in Year 10) falling a whole grade at each
    /// collection in English, maths, science and their next subject, with predicted grades
    /// falling and ATL worsening by one each time.
    private mutating func plantStrugglingPupils(rng: inout SeededRandom, claims: inout Claims) {
        for y in [7, 8, 9, 10, 10, 11] {
            let candidates = pupils.indices.filter { p in
                guard pupils[p].pupil.yearGroup == y, isFree(p, claims) else { return false }
                return strugglingSubjects(p).allSatisfy { s in
                    (cells[0][pair(p, s)].workingAt?.points ?? 0) >= 3
                }
            }
            guard !candidates.isEmpty else { continue }
            let p = rng.pick(candidates)
            claims.pupils.insert(p)
            let subjects = strugglingSubjects(p)
            for s in subjects {
                let kind = catalogue[s].kind
                let i = pair(p, s)
                let base = min(9, Int(cells[0][i].workingAt!.points!.rounded()))
                let predictedBase = max(base, Int((cells[0][i].predicted?.points ?? 0).rounded()))
                let atlStart = min(2, Int(cells[0][i].atl?.points ?? 2))
                for c in 0..<3 {
                    cells[c][i].workingAt = .grade(GradeTable.whole(base - c, kind: kind))
                    cells[c][i].predicted = .grade(GradeTable.whole(max(1, predictedBase - c), kind: kind))
                    cells[c][i].atl = .grade(GradeTable.atl[min(4, atlStart + c)])
                }
            }
            planted.strugglingPupils.append(.init(pupil: pupils[p].pupil.id, subjects: subjects.map { catalogue[$0].id }))
        }
    }

    /// English, maths, science (KS3 science or combined science) and the pupil's first other subject.
    private func strugglingSubjects(_ p: Int) -> [Int] {
        let core = [SubjectSpec.en, SubjectSpec.ma, pupils[p].pupil.yearGroup <= 9 ? SubjectSpec.sc : SubjectSpec.cs]
        let other = plantableSubjects(p).first { !core.contains($0) }
        return (core + (other.map { [$0] } ?? [])).sorted()
    }

    // MARK: Swings

    /// Five pupils whose DC3 working-at grade in one GCSE-scale subject (not English literature)
    /// is 3 or 4 grades away from DC2 (four falls, one rise).
    private mutating func plantSwings(rng: inout SeededRandom, claims: inout Claims, dc: [DataCollection.ID]) {
        let plan: [(year: Int, change: Int)] = [(8, -3), (9, -4), (10, 3), (11, -3), (7, -3)]
        for item in plan {
            var options: [(p: Int, s: Int, to: Int)] = []
            for p in pupils.indices where pupils[p].pupil.yearGroup == item.year && isFree(p, claims) {
                for s in plantableSubjects(p) where catalogue[s].kind == .gcse {
                    guard let from = cells[1][pair(p, s)].workingAt?.points,
                          cells[2][pair(p, s)].workingAt?.points != nil else { continue }
                    let to = item.change < 0
                        ? Int((from + Double(item.change)).rounded(.down))
                        : Int((from + Double(item.change)).rounded(.up))
                    if (1...9).contains(to) { options.append((p, s, to)) }
                }
            }
            guard !options.isEmpty else { continue }
            let choice = rng.pick(options)
            claims.pupils.insert(choice.p)
            let i = pair(choice.p, choice.s)
            let fromGrade = cells[1][i].workingAt!
            let toGrade = GradeTable.whole(choice.to, kind: .gcse)
            cells[2][i].workingAt = .grade(toGrade)
            planted.swings.append(.init(
                pupil: pupils[choice.p].pupil.id, subject: catalogue[choice.s].id, from: dc[1], to: dc[2],
                fromGrade: fromGrade.stored, toGrade: toGrade.code, change: toGrade.points - fromGrade.points!))
        }
    }

    // MARK: Off-scale values

    /// Six values typed or loaded that are not on the subject's scale.
    private mutating func plantOffScaleValues(rng: inout SeededRandom, claims: inout Claims, dc: [DataCollection.ID]) {
        let plan: [(year: Int, subject: Int, collection: Int, field: PlantedFaults.Field, value: String)] = [
            (11, SubjectSpec.ma, 2, .workingAt, "10"),  // a grade above 9
            (11, SubjectSpec.en, 1, .workingAt, "A*"),  // a legacy letter grade
            (9, SubjectSpec.hi, 2, .workingAt, "7++"),  // a sub-grade the scale does not have
            (10, SubjectSpec.cs, 0, .workingAt, "6"),  // a single grade on the double-award scale
            (8, SubjectSpec.sc, 1, .predicted, "B"),  // a letter grade as a prediction
            (7, SubjectSpec.fr, 2, .atl, "5"),  // ATL outside 1–4
        ]
        for item in plan {
            let candidates = pupils.indices.filter { p in
                pupils[p].pupil.yearGroup == item.year && pupils[p].subjects.contains(item.subject) && isFree(p, claims)
            }
            guard !candidates.isEmpty else { continue }
            let p = rng.pick(candidates)
            claims.pupils.insert(p)
            let i = pair(p, item.subject)
            switch item.field {
            case .workingAt: cells[item.collection][i].workingAt = .offScale(item.value)
            case .predicted: cells[item.collection][i].predicted = .offScale(item.value)
            case .atl: cells[item.collection][i].atl = .offScale(item.value)
            }
            planted.offScaleValues.append(.init(
                cell: .init(pupil: pupils[p].pupil.id, subject: catalogue[item.subject].id, collection: dc[item.collection]),
                field: item.field, value: item.value))
        }
    }

    // MARK: X and Z (not faults)

    /// Two pupils absent for all of DC2 (`X` everywhere), eight single `X` working-at grades, and
    /// two Key Stage 3 pupils with EHC plans disapplied from their language (`Z` in all three
    /// collections).
    private mutating func plantAbsenceAndNotRequired(rng: inout SeededRandom, claims: inout Claims, dc: [DataCollection.ID]) {
        for y in [9, 10] {
            let candidates = pupils.indices.filter { pupils[$0].pupil.yearGroup == y && isFree($0, claims) }
            guard !candidates.isEmpty else { continue }
            let p = rng.pick(candidates)
            claims.pupils.insert(p)
            for s in pupils[p].subjects {
                let i = pair(p, s)
                cells[1][i].workingAt = .notAssessed
                cells[1][i].predicted = .notAssessed
                cells[1][i].atl = .notAssessed
                planted.notAssessed.append(.init(pupil: pupils[p].pupil.id, subject: catalogue[s].id, collection: dc[1]))
            }
            planted.absentPupils.append(.init(pupil: pupils[p].pupil.id, collection: dc[1]))
        }

        var singles = 0
        var attempts = 0
        while singles < 8, attempts < 1000 {
            attempts += 1
            let p = rng.below(pupils.count)
            guard isFree(p, claims) else { continue }
            let s = rng.pick(plantableSubjects(p))
            let c = rng.below(3)
            claims.pupils.insert(p)
            cells[c][pair(p, s)].workingAt = .notAssessed
            planted.notAssessed.append(.init(pupil: pupils[p].pupil.id, subject: catalogue[s].id, collection: dc[c]))
            singles += 1
        }

        let keyStage3 = pupils.indices.filter { pupils[$0].pupil.yearGroup <= 9 && isFree($0, claims) }
        var chosen = keyStage3.filter { pupils[$0].sen == .ehcPlan }
        if chosen.count < 2 { chosen += keyStage3.filter { pupils[$0].sen == .senSupport } }
        for _ in 0..<min(2, chosen.count) {
            let k = rng.below(chosen.count)
            let p = chosen.remove(at: k)
            claims.pupils.insert(p)
            let s = pupils[p].language
            for c in 0..<3 {
                let i = pair(p, s)
                cells[c][i].workingAt = .notRequired
                cells[c][i].predicted = .notRequired
                cells[c][i].atl = .notRequired
                planted.notRequired.append(.init(pupil: pupils[p].pupil.id, subject: catalogue[s].id, collection: dc[c]))
            }
        }
    }
}
