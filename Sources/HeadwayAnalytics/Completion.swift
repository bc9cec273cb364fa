import HeadwayCore

/// How complete a data collection is: working-at entries present out of those expected.
/// An `X` or `Z` counts as entered (the teacher has said something); a blank does not.
public struct Completion: Sendable {
    /// One line of a completion table: a teacher, class, subject or year group.
    public struct Line: Hashable, Sendable {
        public var key: String
        public var label: String
        public var expected: Int
        public var present: Int
        public var missing: Int { expected - present }
        /// Present ÷ expected as a percentage, 100 when nothing is expected.
        public var percent: Double { expected == 0 ? 100 : Double(present) * 100 / Double(expected) }
    }

    /// One missing cell, and who should fill it.
    public struct MissingCell: Hashable, Sendable {
        public var pupil: Pupil.ID
        public var subject: Subject.ID
        public var teachingGroup: TeachingGroup.ID?
        public var teachers: [Staff.ID]
    }

    public var collection: DataCollection
    public var overall: Line
    public var byTeacher: [Line]
    public var byClass: [Line]
    public var bySubject: [Line]
    public var byYearGroup: [Line]
    public var missing: [MissingCell]

    /// Completion of one collection. Expected cells: ``YearIndex/expected(in:)``. A cell whose
    /// class has two teachers counts for each of them.
    public init(_ index: YearIndex, collection: DataCollection) {
        self.collection = collection
        let groups = index.year.teachingGroups
        // Counts per class (by position, one more slot for "no class"), subject and year group,
        // then folded into lines keyed by teacher, class, subject and year group.
        var perGroup = Array(repeating: (0, 0), count: groups.count + 1)
        var perSubject = Array(repeating: (0, 0), count: index.subjectIDs.count)
        var perYear: [Int?: (Int, Int)] = [:]
        var missing: [MissingCell] = []
        let c = index.collectionNumber(collection.id)
        for pair in index.expected(in: collection) {
            let cell = index.cell(pair)!
            let present = c.flatMap { index.workingAt(collection: $0, cell: cell) ?? nil } != nil
            let g = index.groupNumber(cell: cell)
            let increment = present ? 1 : 0
            perGroup[g ?? groups.count].0 += 1
            perGroup[g ?? groups.count].1 += increment
            perSubject[Int(pair.subjectNumber)].0 += 1
            perSubject[Int(pair.subjectNumber)].1 += increment
            let yearGroup = index.pupilRecords[Int(pair.pupilNumber)]?.yearGroup
            perYear[yearGroup, default: (0, 0)].0 += 1
            perYear[yearGroup, default: (0, 0)].1 += increment
            if !present {
                let group = g.map { groups[$0] }
                missing.append(MissingCell(pupil: pair.pupil, subject: pair.subject, teachingGroup: group?.id, teachers: group?.teachers ?? []))
            }
        }
        var teacher: [String: (Int, Int)] = [:]
        var klass: [String: (Int, Int)] = [:]
        func add(_ table: inout [String: (Int, Int)], _ key: String, _ counts: (Int, Int)) {
            table[key, default: (0, 0)].0 += counts.0
            table[key, default: (0, 0)].1 += counts.1
        }
        for (g, counts) in perGroup.enumerated() where counts.0 > 0 {
            let group = g < groups.count ? groups[g] : nil
            add(&klass, group?.id.rawValue ?? "", counts)
            for t in group?.teachers ?? [] { add(&teacher, t.rawValue, counts) }
            if group?.teachers.isEmpty ?? true { add(&teacher, "", counts) }
        }
        let total = perGroup.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        func lines(_ table: [String: (Int, Int)], label: (String) -> String) -> [Line] {
            table.map { Line(key: $0.key, label: label($0.key), expected: $0.value.0, present: $0.value.1) }
                .sorted { ($0.percent, $0.key) < ($1.percent, $1.key) }
        }
        overall = Line(key: collection.id.rawValue, label: collection.name, expected: total.0, present: total.1)
        byTeacher = lines(teacher) { $0.isEmpty ? "(no class teacher)" : index.staffName(Staff.ID($0)) }
        byClass = lines(klass) { $0.isEmpty ? "(no class)" : $0 }
        var subject: [String: (Int, Int)] = [:]
        for (s, counts) in perSubject.enumerated() where counts.0 > 0 { subject[index.subjectIDs[s].rawValue] = counts }
        bySubject = lines(subject) { index.subjects[Subject.ID($0)]?.name ?? $0 }
        byYearGroup = lines(Dictionary(uniqueKeysWithValues: perYear.map { ($0.key.map(String.init) ?? "", $0.value) })) { $0.isEmpty ? "(unknown)" : "Year \($0)" }
        self.missing = missing
    }
}
