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
        var teacher: [String: (Int, Int)] = [:]
        var klass: [String: (Int, Int)] = [:]
        var subject: [String: (Int, Int)] = [:]
        var yearGroup: [String: (Int, Int)] = [:]
        var total = (0, 0)
        var missing: [MissingCell] = []
        func add(_ table: inout [String: (Int, Int)], _ key: String, _ present: Bool) {
            table[key, default: (0, 0)].0 += 1
            if present { table[key, default: (0, 0)].1 += 1 }
        }
        for pair in index.expected(in: collection) {
            let present = index.workingAt(collection.id, pair) != nil
            let group = index.classOf[pair]
            total.0 += 1
            if present { total.1 += 1 }
            for t in group?.teachers ?? [] { add(&teacher, t.rawValue, present) }
            if group?.teachers.isEmpty ?? true { add(&teacher, "", present) }
            add(&klass, group?.id.rawValue ?? "", present)
            add(&subject, pair.subject.rawValue, present)
            add(&yearGroup, index.pupils[pair.pupil].map { String($0.yearGroup) } ?? "", present)
            if !present {
                missing.append(MissingCell(pupil: pair.pupil, subject: pair.subject, teachingGroup: group?.id, teachers: group?.teachers ?? []))
            }
        }
        func lines(_ table: [String: (Int, Int)], label: (String) -> String) -> [Line] {
            table.map { Line(key: $0.key, label: label($0.key), expected: $0.value.0, present: $0.value.1) }
                .sorted { ($0.percent, $0.key) < ($1.percent, $1.key) }
        }
        overall = Line(key: collection.id.rawValue, label: collection.name, expected: total.0, present: total.1)
        byTeacher = lines(teacher) { $0.isEmpty ? "(no class teacher)" : index.staffName(Staff.ID($0)) }
        byClass = lines(klass) { $0.isEmpty ? "(no class)" : $0 }
        bySubject = lines(subject) { index.subjects[Subject.ID($0)]?.name ?? $0 }
        byYearGroup = lines(yearGroup) { $0.isEmpty ? "(unknown)" : "Year \($0)" }
        self.missing = missing
    }
}
