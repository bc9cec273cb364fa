import HeadwayCore
import SQLKit

extension Store {
    /// The pupils of `year` whose id the school does not hold but who *are* a stored pupil must
    /// not create a second record: a CTF keyed by UPN, or an export whose admission numbers lost
    /// their leading zeros in Excel (`123` for `000123`). A pupil is matched
    /// - by UPN, when exactly one stored pupil has it; else
    /// - by id without leading zeros (issue 12, item 13), when the id is digits, exactly one
    ///   stored id of digits has the same number, and the UPNs do not differ. If both records
    ///   carry a surname and they differ (compared as ``PupilLookup/folded(_:)``), the save is
    ///   refused (``StoreError`` `pupil-id-lost-zeros`) rather than guessing: the file must be
    ///   corrected.
    /// The matched id is replaced throughout the year — the pupil, entries, targets, class lists —
    /// and each match is returned (`from` → `to`, and how) for the save summary.
    ///
    /// A UPN on several stored pupils, or a match onto an id the year already uses, is left alone
    /// (the integrity check reports duplicate UPNs).
    static func matchingStoredPupils(_ year: SchoolYear, on db: any SQLDatabase) async throws
        -> (year: SchoolYear, matches: [(from: Pupil.ID, to: Pupil.ID, by: String)])
    {
        func isDigits(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber } }
        func number(_ text: String) -> Substring { text.drop { $0 == "0" } }
        guard year.pupils.contains(where: { $0.upn != nil || isDigits($0.id.rawValue) }) else { return (year, []) }
        struct Stored { var id: String; var upn: String?; var surname: String }
        var storedIDs = Set<String>()
        var byUPN: [String: [String]] = [:]
        var byNumber: [Substring: [Stored]] = [:]
        for row in try await db.select().columns("id", "upn", "surname").from("pupils").where("school_id", .equal, year.school.id.rawValue).all() {
            let stored = Stored(id: try row.decode(column: "id", as: String.self), upn: try row.decode(column: "upn", as: String?.self),
                                surname: try row.decode(column: "surname", as: String.self))
            storedIDs.insert(stored.id)
            if let upn = stored.upn { byUPN[upn, default: []].append(stored.id) }
            if isDigits(stored.id) { byNumber[number(stored.id), default: []].append(stored) }
        }
        let incomingIDs = Set(year.pupils.map(\.id.rawValue))
        var map: [Pupil.ID: (to: Pupil.ID, by: String)] = [:]
        func free(_ id: String) -> Bool { !incomingIDs.contains(id) && !map.values.contains { $0.to.rawValue == id } }
        for pupil in year.pupils where !storedIDs.contains(pupil.id.rawValue) {
            if let upn = pupil.upn?.rawValue, let ids = byUPN[upn], ids.count == 1, free(ids[0]) {
                map[pupil.id] = (Pupil.ID(ids[0]), "UPN")
                continue
            }
            guard isDigits(pupil.id.rawValue), let candidates = byNumber[number(pupil.id.rawValue)], candidates.count == 1,
                  free(candidates[0].id) else { continue }
            let stored = candidates[0]
            if let upn = pupil.upn?.rawValue, let storedUPN = stored.upn, upn != storedUPN { continue }
            let incoming = PupilLookup.folded(pupil.surname), known = PupilLookup.folded(stored.surname)
            if !incoming.isEmpty, !known.isEmpty, incoming != known {
                let source = year.sources.pupils[pupil.id].map { " (\($0))" } ?? ""
                throw StoreError(code: "pupil-id-lost-zeros", message:
                    "Pupil id '\(pupil.id)'\(source) looks like stored pupil \(stored.id) with its leading zeros lost, but the surnames differ "
                    + "('\(pupil.surname.withVisibleControlCharacters)' in the file, '\(stored.surname.withVisibleControlCharacters)' stored). "
                    + "Nothing was saved: correct the id in the file (format the id column as text so Excel keeps the zeros) and import again.")
            }
            map[pupil.id] = (Pupil.ID(stored.id), "id without leading zeros")
        }
        guard !map.isEmpty else { return (year, []) }
        var matched = year
        func mapped(_ id: Pupil.ID) -> Pupil.ID { map[id]?.to ?? id }
        for i in matched.pupils.indices { matched.pupils[i].id = mapped(matched.pupils[i].id) }
        for i in matched.assessments.indices { matched.assessments[i].pupil = mapped(matched.assessments[i].pupil) }
        for i in matched.targets.indices { matched.targets[i].pupil = mapped(matched.targets[i].pupil) }
        for i in matched.teachingGroups.indices { matched.teachingGroups[i].pupils = matched.teachingGroups[i].pupils.map(mapped) }
        matched.sources.pupils = Dictionary(matched.sources.pupils.map { (mapped($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        matched.sources.targets = Dictionary(matched.sources.targets.map { key, value in
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            return (parts.count == 2 ? "\(mapped(Pupil.ID(parts[0])))/\(parts[1])" : key, value)
        }, uniquingKeysWith: { a, _ in a })
        return (matched, map.sorted { $0.key < $1.key }.map { (from: $0.key, to: $0.value.to, by: $0.value.by) })
    }
}
