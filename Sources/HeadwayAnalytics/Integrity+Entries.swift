import HeadwayCore

/// Checks on single entries (issue 5): late entries and pupils who did not sit.
extension Integrity {
    /// Entries made after the deadline (``Assessment/late``), one note per collection and person:
    /// the member of staff who entered them, else the class's teachers. `entries`: the positions
    /// in `year.assessments` of the late entries.
    static func lateEntries(_ index: YearIndex, entries: [Int], who: Responsibility) -> [Finding] {
        let year = index.year
        struct Tally {
            var fixer: Responsibility.Fixer
            var count = 0
            var classes: Set<String> = []
            var deadlines: Set<CalendarDate> = []
        }
        var tallies: [String: Tally] = [:]
        var collectionOf: [String: DataCollection.ID] = [:]
        for i in entries {
            let entry = year.assessments[i]
            let pair = index.pair(entry.pupil, entry.subject) ?? YearIndex.PupilSubject(entry.pupil, entry.subject)
            let fixer = entry.enteredBy.map { who.named([$0]) } ?? who.pair(pair)
            let key = "\(entry.collection)|\(fixer.text)"
            collectionOf[key] = entry.collection
            var tally = tallies[key] ?? Tally(fixer: fixer)
            tally.count += 1
            tally.classes.insert(index.teachingGroup(of: pair)?.id.rawValue ?? "\(entry.subject) (no class)")
            if let collection = year.collections.first(where: { $0.id == entry.collection }), let yearGroup = index.pupils[entry.pupil]?.yearGroup,
               let window = year.calendar.window(of: collection, yearGroup: yearGroup) {
                tally.deadlines.insert(window.deadline)
            }
            tallies[key] = tally
        }
        return tallies.map { key, tally in
            let collection = collectionOf[key]!
            let deadline = tally.deadlines.isEmpty ? "" : " (deadline \(tally.deadlines.sorted().map(\.description).joined(separator: ", ")))"
            return Finding(check: .late, severity: .info, record: "\(collection) / \(tally.classes.sorted().joined(separator: ", "))",
                           message: "\(tally.count) \(tally.count == 1 ? "entry" : "entries") made after the deadline\(deadline)",
                           fixer: tally.fixer.text, collection: collection, fixers: tally.fixer.staff)
        }
    }

    /// Pupils who did not sit: working-at `X` (not assessed), one note per pupil and subject
    /// listing the collections. Reported so the data lead sees them; they are never counted as a
    /// missing entry to chase (the teacher has entered X) and never averaged as a grade.
    /// `entries`: the positions in `year.assessments` of the entries whose working-at is `X`.
    static func notSat(_ index: YearIndex, entries: [Int], who: Responsibility) -> [Finding] {
        let year = index.year
        var order: [YearIndex.PupilSubject] = []
        var collections: [YearIndex.PupilSubject: [DataCollection.ID]] = [:]
        for i in entries {
            let pupil = year.assessments[i].pupil, subject = year.assessments[i].subject
            let pair = index.pair(pupil, subject) ?? YearIndex.PupilSubject(pupil, subject)
            if collections[pair] == nil { order.append(pair) }
            collections[pair, default: []].append(year.assessments[i].collection)
        }
        return order.map { pair in
            let list = collections[pair]!.sorted { (index.collectionNumber($0) ?? .max) < (index.collectionNumber($1) ?? .max) }
            let group = index.teachingGroup(of: pair)?.id
            let fixer = who.pair(pair)
            let record = [list.map(\.rawValue).joined(separator: ", "), group?.rawValue, index.pupilLabel(pair.pupil), pair.subject.rawValue]
                .compactMap { $0 }.joined(separator: " / ")
            return Finding(check: .notSat, severity: .info, record: record,
                           message: "not sat (X) in \(list.map(\.rawValue).joined(separator: ", ")): no grade, so left out of every mean, never a 0",
                           fixer: fixer.text, collection: list.last, teachingGroup: group, pupil: pair.pupil, subject: pair.subject,
                           fixers: fixer.staff)
        }
    }
}
