import HeadwayCore

/// How complete a data collection is: working-at entries present out of those expected.
/// An `X` or `Z` counts as entered (the teacher has said something); a blank does not. An `X`
/// (not sat) is also counted on its own, so the pupils with no grade are visible.
public struct Completion: Sendable {
    /// One line of a completion table: a teacher, class, subject, department or year group.
    public struct Line: Hashable, Sendable {
        public var key: String
        public var label: String
        public var expected: Int
        public var present: Int
        /// Of those present, working-at `X`: the pupil did not sit (no grade; never averaged).
        public var notSat: Int = 0
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
        /// The pupil's year group, nil for a pupil not on roll.
        public var yearGroup: Int? = nil
    }

    /// A department: the subjects one head of department leads (``Staff/Role/headOfDepartment(_:)``);
    /// a subject nobody heads is a department of its own.
    public struct Department: Hashable, Sendable {
        /// The head's staff code, or the subject's code when it has no head (`subject:CODE` if
        /// that would be mistaken for a head's code).
        public var key: String
        /// `Mathematics — Ms Smith (JSM)`, `English language, English literature — Mr Ode (KOD)`, or the subject's name.
        public var label: String
        /// The head of department, nil for a subject nobody heads.
        public var head: Staff.ID?
        /// The subjects, in code order.
        public var subjects: [Subject.ID]

        /// The year's departments, in key order. A subject with two heads goes with the first by
        /// staff code; every subject of the year is in exactly one department.
        public static func all(_ index: YearIndex) -> [Department] {
            var headOf: [Subject.ID: Staff.ID] = [:]
            for person in index.year.staff.sorted(by: { $0.id < $1.id }) {
                for case .headOfDepartment(let subject) in person.roles where headOf[subject] == nil { headOf[subject] = person.id }
            }
            let heads = Set(headOf.values.map(\.rawValue))
            var departments: [String: Department] = [:]
            for subject in index.subjectIDs {
                let head = headOf[subject]
                let key = head?.rawValue ?? (heads.contains(subject.rawValue) ? "subject:\(subject)" : subject.rawValue)
                departments[key, default: Department(key: key, label: "", head: head, subjects: [])].subjects.append(subject)
            }
            return departments.values.map { department in
                var d = department
                let names = d.subjects.map { index.subjects[$0]?.name ?? $0.rawValue }.joined(separator: ", ")
                d.label = d.head.map { "\(names) — \(index.staffName($0))" } ?? names
                return d
            }.sorted { $0.key < $1.key }
        }
    }

    /// The collection measured.
    public var collection: DataCollection
    /// The whole collection in one line.
    public var overall: Line
    /// Per teacher (key: staff code; `""` for classes with no teacher), least complete first, as every table.
    public var byTeacher: [Line]
    /// Per class (key: class code; `""` for pupils in no class).
    public var byClass: [Line]
    /// Per subject (key: subject code).
    public var bySubject: [Line]
    /// By ``Department``: the sum of its subjects' lines.
    public var byDepartment: [Line]
    /// Per year group (key: the year group; `""` for pupils not on roll).
    public var byYearGroup: [Line]
    /// Every blank expected cell, in pupil then subject order.
    public var missing: [MissingCell]

    /// Completion of one collection. Expected cells: ``YearIndex/expected(in:)``. A cell whose
    /// class has two teachers counts for each of them.
    public init(_ index: YearIndex, collection: DataCollection) {
        self.collection = collection
        let groups = index.year.teachingGroups
        // Counts per class (by position, one more slot for "no class"), subject and year group,
        // then folded into lines keyed by teacher, class, subject, department and year group.
        var perGroup = Array(repeating: Counts(), count: groups.count + 1)
        var perSubject = Array(repeating: Counts(), count: index.subjectIDs.count)
        var perYear: [Int?: Counts] = [:]
        var missing: [MissingCell] = []
        let c = index.collectionNumber(collection.id)
        for pair in index.expected(in: collection) {
            let cell = index.cell(pair)!
            let state = c.map { index.workingAtState(collection: $0, cell: cell) } ?? 0
            let counted = Counts(state: state)
            let g = index.groupNumber(cell: cell)
            perGroup[g ?? groups.count].add(counted)
            perSubject[Int(pair.subjectNumber)].add(counted)
            let yearGroup = index.pupilRecords[Int(pair.pupilNumber)]?.yearGroup
            perYear[yearGroup, default: Counts()].add(counted)
            if state == 0 {
                let group = g.map { groups[$0] }
                missing.append(MissingCell(pupil: pair.pupil, subject: pair.subject, teachingGroup: group?.id, teachers: group?.teachers ?? [],
                                           yearGroup: yearGroup))
            }
        }
        var teacher: [String: Counts] = [:]
        var klass: [String: Counts] = [:]
        for (g, counts) in perGroup.enumerated() where counts.expected > 0 {
            let group = g < groups.count ? groups[g] : nil
            klass[group?.id.rawValue ?? "", default: Counts()].add(counts)
            for t in group?.teachers ?? [] { teacher[t.rawValue, default: Counts()].add(counts) }
            if group?.teachers.isEmpty ?? true { teacher["", default: Counts()].add(counts) }
        }
        let total = perGroup.reduce(Counts()) { var sum = $0; sum.add($1); return sum }
        func lines(_ table: [String: Counts], label: (String) -> String) -> [Line] {
            table.map { Line(key: $0.key, label: label($0.key), expected: $0.value.expected, present: $0.value.present, notSat: $0.value.notSat) }
                .sorted { ($0.percent, $0.key) < ($1.percent, $1.key) }
        }
        overall = Line(key: collection.id.rawValue, label: collection.name, expected: total.expected, present: total.present, notSat: total.notSat)
        byTeacher = lines(teacher) { $0.isEmpty ? "(no class teacher)" : index.staffName(Staff.ID($0)) }
        byClass = lines(klass) { $0.isEmpty ? "(no class)" : $0 }
        var subject: [String: Counts] = [:]
        for (s, counts) in perSubject.enumerated() where counts.expected > 0 { subject[index.subjectIDs[s].rawValue] = counts }
        bySubject = lines(subject) { index.subjects[Subject.ID($0)]?.name ?? $0 }
        var department: [String: Counts] = [:]
        var departmentLabel: [String: String] = [:]
        for d in Department.all(index) {
            var counts = Counts()
            for s in d.subjects { counts.add(subject[s.rawValue] ?? Counts()) }
            guard counts.expected > 0 else { continue }
            department[d.key] = counts
            departmentLabel[d.key] = d.label
        }
        byDepartment = lines(department) { departmentLabel[$0] ?? $0 }
        byYearGroup = lines(Dictionary(uniqueKeysWithValues: perYear.map { ($0.key.map(String.init) ?? "", $0.value) })) { $0.isEmpty ? "(unknown)" : "Year \($0)" }
        self.missing = missing
    }

    /// Expected, present and not-sat counts.
    struct Counts {
        var expected = 0
        var present = 0
        var notSat = 0

        init() {}

        /// One expected cell in a ``YearIndex/workingAtState(collection:cell:)`` state.
        init(state: Int) {
            expected = 1
            present = state == 0 ? 0 : 1
            notSat = state == 2 ? 1 : 0
        }

        mutating func add(_ other: Counts) {
            expected += other.expected
            present += other.present
            notSat += other.notSat
        }
    }
}

// MARK: - Chase list

extension Completion {
    /// One line of the chase list: a person with missing cells to fill in one collection, the
    /// classes and pupils concerned, and the deadline.
    public struct Chase: Hashable, Sendable {
        /// Why this person is chased for these cells.
        public enum Role: String, Hashable, Sendable {
            /// They teach the class.
            case classTeacher = "class teacher"
            /// The cells have no class teacher; they head the subject's department.
            case headOfDepartment = "head of department"
            /// The cells have no class teacher nor head of department.
            case dataManager = "data manager"
        }

        /// Missing cells of one class (or, for pupils in no class, one subject).
        public struct ClassCells: Hashable, Sendable {
            /// The class, nil for pupils in no class.
            public var teachingGroup: TeachingGroup.ID?
            public var subject: Subject.ID
            /// The pupils with a blank working-at, in pupil order.
            public var pupils: [Pupil.ID]
        }

        /// Nil when nobody is responsible (no class teacher, head of department or data manager).
        public var staff: Staff.ID?
        /// `Ms Smith`, or `(nobody responsible)`.
        public var name: String
        /// Where to send the chase, when the staff record has an address.
        public var email: String?
        public var role: Role
        public var collection: DataCollection.ID
        /// The missing cells, per class in class-code order (pupils in no class last, per subject).
        public var classes: [ClassCells]
        /// Each year group's deadline for this collection, from the calendar
        /// (``SchoolCalendar/window(of:yearGroup:)``), for the year groups concerned; empty when
        /// the calendar does not say.
        public var deadlines: [(yearGroup: Int, date: CalendarDate)]
        /// The number of missing cells.
        public var count: Int { classes.reduce(0) { $0 + $1.pupils.count } }
        /// The earliest deadline, nil when none is known.
        public var deadline: CalendarDate? { deadlines.map(\.date).min() }

        /// Equal when every field is (the deadlines compared in order).
        public static func == (a: Self, b: Self) -> Bool {
            (a.staff, a.name, a.email, a.role, a.collection, a.classes) == (b.staff, b.name, b.email, b.role, b.collection, b.classes)
                && a.deadlines.map(\.yearGroup) == b.deadlines.map(\.yearGroup) && a.deadlines.map(\.date) == b.deadlines.map(\.date)
        }

        /// Hashes the person, collection and cells.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(staff)
            hasher.combine(collection)
            hasher.combine(classes)
        }
    }

    /// The chase list: one line per person with missing cells, most missing first (then by
    /// staff code). Cells whose class has two teachers go to both; cells with no class teacher
    /// go to the subject's head of department, else to the data manager(s).
    public func chaseList(_ index: YearIndex) -> [Chase] {
        let who = Responsibility(index)
        struct Key: Hashable {
            var staff: Staff.ID?
            var role: Chase.Role
        }
        var cells: [Key: [MissingCell]] = [:]
        for cell in missing {
            let people: [Staff.ID], role: Chase.Role
            if !cell.teachers.isEmpty {
                (people, role) = (cell.teachers, .classTeacher)
            } else if let heads = who.headsOfDepartment[cell.subject] {
                (people, role) = ([heads[0]], .headOfDepartment)
            } else {
                (people, role) = (who.dataManager.staff, .dataManager)
            }
            if people.isEmpty { cells[Key(staff: nil, role: role), default: []].append(cell) }
            for person in Set(people) { cells[Key(staff: person, role: role), default: []].append(cell) }
        }
        let calendar = index.year.calendar
        return cells.map { key, cells in
            var order: [String] = []
            var grouped: [String: Chase.ClassCells] = [:]
            for cell in cells {
                let k = cell.teachingGroup?.rawValue ?? "|\(cell.subject)"
                if grouped[k] == nil { order.append(k) }
                grouped[k, default: Chase.ClassCells(teachingGroup: cell.teachingGroup, subject: cell.subject, pupils: [])].pupils.append(cell.pupil)
            }
            let years = Set(cells.compactMap(\.yearGroup)).sorted()
            let deadlines = years.compactMap { y in calendar.window(of: collection, yearGroup: y).map { (yearGroup: y, date: $0.deadline) } }
            let person = key.staff.flatMap { index.staff[$0] }
            return Chase(staff: key.staff, name: person?.displayName ?? key.staff?.rawValue ?? "(nobody responsible)", email: person?.email,
                         role: key.role, collection: collection.id, classes: order.sorted().map { grouped[$0]! }, deadlines: deadlines)
        }.sorted { ($1.count, $0.staff?.rawValue ?? "") < ($0.count, $1.staff?.rawValue ?? "") }
    }
}
