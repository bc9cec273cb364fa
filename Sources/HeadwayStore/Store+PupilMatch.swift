import HeadwayCore
import SQLKit

extension Store {
    /// The pupils of `year` whose id the school does not hold but whose UPN one stored pupil has
    /// *are* that pupil: a CTF keyed by UPN, or an export whose admission numbers lost their
    /// leading zeros in Excel (`123` for `000123`), must not create a second record. Their id
    /// is replaced throughout the year — the pupil, entries, targets, class lists — and each
    /// match is returned (`from` → `to`) for the save summary.
    ///
    /// A UPN on several stored pupils, or a match onto an id the year already uses, is left alone
    /// (the integrity check reports duplicate UPNs).
    static func matchingStoredPupilsByUPN(_ year: SchoolYear, on db: any SQLDatabase) async throws
        -> (year: SchoolYear, matches: [(from: Pupil.ID, to: Pupil.ID)])
    {
        guard year.pupils.contains(where: { $0.upn != nil }) else { return (year, []) }
        var storedIDs = Set<String>()
        var byUPN: [String: [String]] = [:]
        for row in try await db.select().columns("id", "upn").from("pupils").where("school_id", .equal, year.school.id.rawValue).all() {
            let id = try row.decode(column: "id", as: String.self)
            storedIDs.insert(id)
            if let upn = try row.decode(column: "upn", as: String?.self) { byUPN[upn, default: []].append(id) }
        }
        let incomingIDs = Set(year.pupils.map(\.id.rawValue))
        var map: [Pupil.ID: Pupil.ID] = [:]
        for pupil in year.pupils where !storedIDs.contains(pupil.id.rawValue) {
            guard let upn = pupil.upn?.rawValue, let ids = byUPN[upn], ids.count == 1, !incomingIDs.contains(ids[0]),
                  !map.values.contains(Pupil.ID(ids[0])) else { continue }
            map[pupil.id] = Pupil.ID(ids[0])
        }
        guard !map.isEmpty else { return (year, []) }
        var matched = year
        func mapped(_ id: Pupil.ID) -> Pupil.ID { map[id] ?? id }
        for i in matched.pupils.indices { matched.pupils[i].id = mapped(matched.pupils[i].id) }
        for i in matched.assessments.indices { matched.assessments[i].pupil = mapped(matched.assessments[i].pupil) }
        for i in matched.targets.indices { matched.targets[i].pupil = mapped(matched.targets[i].pupil) }
        for i in matched.teachingGroups.indices { matched.teachingGroups[i].pupils = matched.teachingGroups[i].pupils.map(mapped) }
        matched.sources.pupils = Dictionary(matched.sources.pupils.map { (mapped($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        matched.sources.targets = Dictionary(matched.sources.targets.map { key, value in
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            return (parts.count == 2 ? "\(mapped(Pupil.ID(parts[0])))/\(parts[1])" : key, value)
        }, uniquingKeysWith: { a, _ in a })
        return (matched, map.sorted { $0.key < $1.key }.map { (from: $0.key, to: $0.value) })
    }
}
