import HeadwayCore

/// Lookups over one ``SchoolYear`` built once and shared by the analyses: entries by key, the
/// class and teachers of each pupil in each subject, each pair's target, the pupil × subject
/// pairs expected in a collection.
///
/// Internally every pupil, subject and collection has a number (pupils and subjects numbered in
/// id order, collections in sequence order) and entries, classes and targets sit in flat grids
/// addressed by those numbers, so the analyses of a whole school hash no strings per cell.
/// Records that reference an unknown pupil, subject or collection are still indexed: nothing in
/// the year is dropped by the index.
public struct YearIndex: Sendable {
    public let year: SchoolYear
    public let pupils: [Pupil.ID: Pupil]
    public let subjects: [Subject.ID: Subject]
    public let staff: [Staff.ID: Staff]
    /// Pupil × subject pairs studied this year, sorted by pupil then subject: every class
    /// membership, plus every pair with an entry in any collection (data without classes, such
    /// as a single spreadsheet).
    public let studied: [PupilSubject]
    /// Collections in sequence order.
    public var collections: [DataCollection] { year.collections }

    /// A pupil studying a subject. Pairs handed out by the index carry their grid numbers; pairs
    /// built by callers are looked up by id. Equality and hashing use the ids only.
    public struct PupilSubject: Hashable, Sendable, Comparable {
        public let pupil: Pupil.ID
        public let subject: Subject.ID
        /// Position in the index's numbering, or -1 when built outside the index.
        let pupilNumber: Int32
        let subjectNumber: Int32

        public init(_ pupil: Pupil.ID, _ subject: Subject.ID) {
            self.init(pupil, subject, pupilNumber: -1, subjectNumber: -1)
        }

        init(_ pupil: Pupil.ID, _ subject: Subject.ID, pupilNumber: Int32, subjectNumber: Int32) {
            self.pupil = pupil
            self.subject = subject
            self.pupilNumber = pupilNumber
            self.subjectNumber = subjectNumber
        }

        public static func == (a: Self, b: Self) -> Bool { a.pupil == b.pupil && a.subject == b.subject }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(pupil)
            hasher.combine(subject)
        }
        public static func < (a: Self, b: Self) -> Bool { (a.pupil, a.subject) < (b.pupil, b.subject) }
    }

    // Numbering.
    private let pupilIDs: [Pupil.ID]
    /// Subject number → id.
    let subjectIDs: [Subject.ID]
    private let collectionIDs: [DataCollection.ID]
    private let pupilNumbers: [Pupil.ID: Int32]
    private let subjectNumbers: [Subject.ID: Int32]
    private let collectionNumbers: [DataCollection.ID: Int32]
    /// Pupil number → the pupil record (the first with that id); nil for ids only seen in entries.
    let pupilRecords: [Pupil?]
    /// Subject number → its scale, nil when the subject or scale is unknown.
    let subjectScales: [GradeScale?]
    // Grids of positions in `year.assessments`, `year.teachingGroups` and `year.targets`; -1 for none.
    private let entryGrid: [Int32]  // (collection × pupils + pupil) × subjects + subject
    private let classGrid: [Int32]  // pupil × subjects + subject
    private let targetGrid: [Int32]  // pupil × subjects + subject
    private let expectedByCollection: [[PupilSubject]]

    public init(_ year: SchoolYear) {
        self.year = year
        pupils = Dictionary(year.pupils.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        subjects = Dictionary(year.subjects.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        staff = Dictionary(year.staff.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        // Number every id the year mentions. Numbering pupils and subjects in id order makes
        // grid order the sorted pair order.
        var pupilSet = Set(pupils.keys), subjectSet = Set(subjects.keys)
        var extraCollections: [DataCollection.ID] = []
        let knownCollections = Set(year.collections.map(\.id))
        for group in year.teachingGroups {
            subjectSet.insert(group.subject)
            pupilSet.formUnion(group.pupils)
        }
        // Entries usually come grouped: skip the set when an id repeats the previous entry's.
        var previous: (Pupil.ID, Subject.ID, DataCollection.ID)?
        // Fields are read in place (`year.assessments[i].pupil`): copying whole records costs more
        // than the rest of the index.
        for i in year.assessments.indices {
            let pupil = year.assessments[i].pupil, subject = year.assessments[i].subject, collection = year.assessments[i].collection
            if pupil != previous?.0 { pupilSet.insert(pupil) }
            if subject != previous?.1 { subjectSet.insert(subject) }
            if collection != previous?.2, !knownCollections.contains(collection), !extraCollections.contains(collection) {
                extraCollections.append(collection)
            }
            previous = (pupil, subject, collection)
        }
        var previousTarget: (Pupil.ID, Subject.ID)?
        for i in year.targets.indices {
            let pupil = year.targets[i].pupil, subject = year.targets[i].subject
            if pupil != previousTarget?.0 { pupilSet.insert(pupil) }
            if subject != previousTarget?.1 { subjectSet.insert(subject) }
            previousTarget = (pupil, subject)
        }
        let pupilIDs = pupilSet.sorted(), subjectIDs = subjectSet.sorted()
        var seen = Set<DataCollection.ID>()
        let collectionIDs = (year.collections.map(\.id) + extraCollections).filter { seen.insert($0).inserted }
        self.pupilIDs = pupilIDs
        self.subjectIDs = subjectIDs
        self.collectionIDs = collectionIDs
        func numbers<ID: Hashable>(_ ids: [ID]) -> [ID: Int32] {
            Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, Int32($0)) })
        }
        let pupilNumbers = numbers(pupilIDs), subjectNumbers = numbers(subjectIDs), collectionNumbers = numbers(collectionIDs)
        self.pupilNumbers = pupilNumbers
        self.subjectNumbers = subjectNumbers
        self.collectionNumbers = collectionNumbers
        let pupils = self.pupils, subjects = self.subjects
        let pupilRecords = pupilIDs.map { pupils[$0] }
        self.pupilRecords = pupilRecords
        subjectScales = subjectIDs.map { subjects[$0].flatMap { year.scales[$0.scale] } }

        let pupilCount = pupilIDs.count, subjectCount = subjectIDs.count
        let cells = pupilCount * subjectCount
        // Records usually arrive grouped by pupil: remembering the last lookup saves most hashes.
        var lastPupil: (Pupil.ID, Int)?
        func pupilNumber(_ id: Pupil.ID) -> Int {
            if let last = lastPupil, last.0 == id { return last.1 }
            let n = Int(pupilNumbers[id]!)
            lastPupil = (id, n)
            return n
        }
        func subjectNumber(_ id: Subject.ID) -> Int {
            subjectIDs.count <= 32 ? subjectIDs.firstIndex(of: id)! : Int(subjectNumbers[id]!)  // few subjects: a scan beats hashing
        }

        var entryGrid = [Int32](repeating: -1, count: collectionIDs.count * cells)
        var lastCollection: (DataCollection.ID, Int)?
        for i in year.assessments.indices {
            let collection = year.assessments[i].collection
            let c: Int
            if let last = lastCollection, last.0 == collection { c = last.1 } else {
                c = Int(collectionNumbers[collection]!)
                lastCollection = (collection, c)
            }
            let cell = pupilNumber(year.assessments[i].pupil) * subjectCount + subjectNumber(year.assessments[i].subject)
            entryGrid[c * cells + cell] = Int32(i)  // the last of duplicates wins
        }
        self.entryGrid = entryGrid

        var classGrid = [Int32](repeating: -1, count: cells)
        for (g, group) in year.teachingGroups.enumerated() {
            let s = subjectNumber(group.subject)
            for pupil in group.pupils where classGrid[pupilNumber(pupil) * subjectCount + s] < 0 {  // the first class, if in two
                classGrid[pupilNumber(pupil) * subjectCount + s] = Int32(g)
            }
        }
        self.classGrid = classGrid

        var targetGrid = [Int32](repeating: -1, count: cells)
        for i in year.targets.indices {
            targetGrid[pupilNumber(year.targets[i].pupil) * subjectCount + subjectNumber(year.targets[i].subject)] = Int32(i)  // the last wins
        }
        self.targetGrid = targetGrid

        // Studied: class memberships, and entries of pupils on roll, in grid (sorted) order.
        var studied: [PupilSubject] = []
        for p in 0..<pupilCount {
            for s in 0..<subjectCount {
                let cell = p * subjectCount + s
                var taken = classGrid[cell] >= 0
                var c = 0
                while !taken, pupilRecords[p] != nil, c < collectionIDs.count {
                    taken = entryGrid[c * cells + cell] >= 0
                    c += 1
                }
                if taken { studied.append(PupilSubject(pupilIDs[p], subjectIDs[s], pupilNumber: Int32(p), subjectNumber: Int32(s))) }
            }
        }
        self.studied = studied
        expectedByCollection = year.collections.map { collection in
            let years = Set(collection.yearGroups)
            return years.isEmpty ? studied : studied.filter { years.contains(pupilRecords[Int($0.pupilNumber)]?.yearGroup ?? -1) }
        }
    }

    // MARK: Numbers

    /// The pair with its grid numbers, when both ids are known to the index.
    public func pair(_ pupil: Pupil.ID, _ subject: Subject.ID) -> PupilSubject? {
        guard let p = pupilNumbers[pupil], let s = subjectNumbers[subject] else { return nil }
        return PupilSubject(pupil, subject, pupilNumber: p, subjectNumber: s)
    }

    /// The grid cell (pupil × subjects + subject) of a pair, nil when either id is unknown.
    func cell(_ pair: PupilSubject) -> Int? {
        if pair.pupilNumber >= 0 { return Int(pair.pupilNumber) * subjectIDs.count + Int(pair.subjectNumber) }
        guard let p = pupilNumbers[pair.pupil], let s = subjectNumbers[pair.subject] else { return nil }
        return Int(p) * subjectIDs.count + Int(s)
    }

    /// The number of a collection. Years have a handful, so a scan beats hashing.
    func collectionNumber(_ id: DataCollection.ID) -> Int? {
        if collectionIDs.count <= 16 { return collectionIDs.firstIndex(of: id) }
        return collectionNumbers[id].map(Int.init)
    }

    /// Cells per collection in the entry grid.
    var cellCount: Int { pupilIDs.count * subjectIDs.count }

    /// Number of collections in the grid (the year's, then any only named by entries).
    var gridCollectionCount: Int { collectionIDs.count }

    // MARK: Lookups

    /// The pairs a collection expects an entry for: studied pairs of pupils in its year groups.
    /// A collection with no year groups listed expects every studied pair.
    public func expected(in collection: DataCollection) -> [PupilSubject] {
        if let c = year.collections.firstIndex(where: { $0.id == collection.id }) { return expectedByCollection[c] }
        let years = Set(collection.yearGroups)
        return studied.filter { years.isEmpty || years.contains(pupils[$0.pupil]?.yearGroup ?? -1) }
    }

    /// The entry of a pupil in a subject at a collection, nil when none was recorded.
    public func entry(_ collection: DataCollection.ID, _ pair: PupilSubject) -> Assessment? {
        guard let c = collectionNumber(collection), let cell = cell(pair) else { return nil }
        return entry(collection: c, cell: cell)
    }

    /// The entry at a collection number and grid cell.
    func entry(collection c: Int, cell: Int) -> Assessment? {
        let i = entryGrid[c * cellCount + cell]
        return i < 0 ? nil : year.assessments[Int(i)]
    }

    /// Whether there is an entry at a collection number and grid cell, and its working-at
    /// value (nil inside when blank). Reads the one field, not the whole entry.
    func workingAt(collection c: Int, cell: Int) -> EntryValue?? {
        let i = entryGrid[c * cellCount + cell]
        return i < 0 ? nil : .some(year.assessments[Int(i)].workingAt)
    }

    /// The working-at value in a collection, nil when not entered.
    public func workingAt(_ collection: DataCollection.ID, _ pair: PupilSubject) -> EntryValue? {
        guard let c = collectionNumber(collection), let cell = cell(pair) else { return nil }
        return workingAt(collection: c, cell: cell) ?? nil
    }

    /// The class a pupil is in for a subject (the first, if a pupil is in two), nil for none.
    public func teachingGroup(of pair: PupilSubject) -> TeachingGroup? {
        guard let cell = cell(pair), let g = groupNumber(cell: cell) else { return nil }
        return year.teachingGroups[g]
    }

    /// The position in `year.teachingGroups` of the class at a grid cell, nil for none.
    func groupNumber(cell: Int) -> Int? {
        let g = classGrid[cell]
        return g < 0 ? nil : Int(g)
    }

    /// The stored target of a pupil in a subject (the last, if listed twice), nil for none.
    public func target(of pair: PupilSubject) -> Target? {
        guard let cell = cell(pair) else { return nil }
        let t = targetGrid[cell]
        return t < 0 ? nil : year.targets[Int(t)]
    }

    /// The points of the working-at grade at a collection number and grid cell, nil when there
    /// is no entry or it is not a grade.
    func workingAtPoints(collection c: Int, cell: Int) -> Double? {
        let i = entryGrid[c * cellCount + cell]
        guard i >= 0, case .grade(let grade)? = year.assessments[Int(i)].workingAt else { return nil }
        return grade.points
    }

    /// The points of the ATL score at a collection number and grid cell, nil when there is no
    /// entry or the score is not a grade (blank, X, Z, off scale). Used by the ATL-spread check.
    func atlPoints(collection c: Int, cell: Int) -> Double? {
        let i = entryGrid[c * cellCount + cell]
        guard i >= 0, case .grade(let grade)? = year.assessments[Int(i)].atl else { return nil }
        return grade.points
    }

    /// What a cell holds at a collection number, for completion: 0 no entry or a blank
    /// working-at, 1 a value, 2 a value that is `X` (not sat). Reads the value's case in place
    /// rather than copying it.
    func workingAtState(collection c: Int, cell: Int) -> Int {
        let i = entryGrid[c * cellCount + cell]
        guard i >= 0 else { return 0 }
        switch year.assessments[Int(i)].workingAt {
        case nil: return 0
        case .notAssessed?: return 2
        default: return 1
        }
    }

    /// Whether a target is stored at a grid cell (whatever its grade).
    func hasTarget(cell: Int) -> Bool { targetGrid[cell] >= 0 }

    /// The points of the stored target at a grid cell, nil when there is none or it is not a grade.
    func targetPoints(cell: Int) -> Double? {
        let t = targetGrid[cell]
        guard t >= 0, case .grade(let grade) = year.targets[Int(t)].grade else { return nil }
        return grade.points
    }

    /// The grade of the stored target at a grid cell, nil for none.
    func targetGrade(cell: Int) -> EntryValue? {
        let t = targetGrid[cell]
        return t < 0 ? nil : year.targets[Int(t)].grade
    }

    /// The subject's grade scale, nil when the subject or its scale is unknown.
    public func scale(of pair: PupilSubject) -> GradeScale? {
        if pair.subjectNumber >= 0 { return subjectScales[Int(pair.subjectNumber)] }
        return year.scale(of: pair.subject)
    }

    /// Teachers responsible for a pupil in a subject (their class's teachers), possibly none.
    public func teachers(of pair: PupilSubject) -> [Staff.ID] {
        teachingGroup(of: pair)?.teachers ?? []
    }

    /// The staff with the data-manager role, who fix what no teacher owns.
    public var dataManagers: [Staff.ID] {
        year.staff.filter { $0.roles.contains(.dataManager) }.map(\.id)
    }

    /// "Ms Smith (JSM)" or the code alone when the person is unknown.
    public func staffName(_ id: Staff.ID) -> String {
        staff[id].map { "\($0.displayName) (\(id))" } ?? id.rawValue
    }
}
