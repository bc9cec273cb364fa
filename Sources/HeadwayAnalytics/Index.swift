import HeadwayCore

/// Lookups over one ``SchoolYear`` built once and shared by the analyses: entries by key, the
/// teachers of each pupil in each subject, the pupil × subject pairs expected in a collection.
public struct YearIndex: Sendable {
    public let year: SchoolYear
    /// Entries keyed by collection, pupil and subject.
    public let entries: [EntryKey: Assessment]
    public let pupils: [Pupil.ID: Pupil]
    public let subjects: [Subject.ID: Subject]
    public let staff: [Staff.ID: Staff]
    /// The class each pupil is in for each subject (the first, if a pupil is in two).
    public let classOf: [PupilSubject: TeachingGroup]
    /// Pupil × subject pairs studied this year, sorted: every class membership, plus every pair
    /// with an entry in any collection (data without classes, such as a single spreadsheet).
    public let studied: [PupilSubject]
    private let expectedByCollection: [DataCollection.ID: [PupilSubject]]
    /// Collections in sequence order.
    public var collections: [DataCollection] { year.collections }

    /// One cell address: collection × pupil × subject.
    public struct EntryKey: Hashable, Sendable {
        public var collection: DataCollection.ID
        public var pupil: Pupil.ID
        public var subject: Subject.ID
        public init(_ collection: DataCollection.ID, _ pupil: Pupil.ID, _ subject: Subject.ID) {
            self.collection = collection
            self.pupil = pupil
            self.subject = subject
        }
    }

    /// A pupil studying a subject.
    public struct PupilSubject: Hashable, Sendable, Comparable {
        public var pupil: Pupil.ID
        public var subject: Subject.ID
        public init(_ pupil: Pupil.ID, _ subject: Subject.ID) {
            self.pupil = pupil
            self.subject = subject
        }
        public static func < (a: Self, b: Self) -> Bool { (a.pupil, a.subject) < (b.pupil, b.subject) }
    }

    public init(_ year: SchoolYear) {
        self.year = year
        var entries: [EntryKey: Assessment] = [:]
        entries.reserveCapacity(year.assessments.count)
        for a in year.assessments { entries[EntryKey(a.collection, a.pupil, a.subject)] = a }
        self.entries = entries
        pupils = Dictionary(year.pupils.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        subjects = Dictionary(year.subjects.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        staff = Dictionary(year.staff.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var classOf: [PupilSubject: TeachingGroup] = [:]
        for group in year.teachingGroups {
            for pupil in group.pupils where classOf[PupilSubject(pupil, group.subject)] == nil {
                classOf[PupilSubject(pupil, group.subject)] = group
            }
        }
        self.classOf = classOf
        var pairs = Set(classOf.keys)
        for a in year.assessments where pupils[a.pupil] != nil { pairs.insert(PupilSubject(a.pupil, a.subject)) }
        let studied = pairs.sorted()
        self.studied = studied
        let pupils = self.pupils
        expectedByCollection = Dictionary(year.collections.map { collection in
            let years = Set(collection.yearGroups)
            return (collection.id, studied.filter { years.isEmpty || years.contains(pupils[$0.pupil]?.yearGroup ?? -1) })
        }, uniquingKeysWith: { first, _ in first })
    }

    /// The pairs a collection expects an entry for: studied pairs of pupils in its year groups.
    /// A collection with no year groups listed expects every studied pair.
    public func expected(in collection: DataCollection) -> [PupilSubject] {
        if let known = expectedByCollection[collection.id] { return known }
        let years = Set(collection.yearGroups)
        return studied.filter { years.isEmpty || years.contains(pupils[$0.pupil]?.yearGroup ?? -1) }
    }

    /// The working-at value in a collection, nil when not entered.
    public func workingAt(_ collection: DataCollection.ID, _ pair: PupilSubject) -> EntryValue? {
        entries[EntryKey(collection, pair.pupil, pair.subject)]?.workingAt
    }

    /// Teachers responsible for a pupil in a subject (their class's teachers), possibly none.
    public func teachers(of pair: PupilSubject) -> [Staff.ID] {
        classOf[pair]?.teachers ?? []
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
