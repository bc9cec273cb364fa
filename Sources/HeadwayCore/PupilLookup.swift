import Foundation

/// Finding a pupil from what a member of staff types: a UPN, the school's pupil id (the
/// admission number in most MIS exports), or a name (issue 12, item 6).
///
/// Tried in order, the first rule that matches anyone wins:
/// 1. the id exactly (`000123`);
/// 2. the UPN, in any case (`a820…` finds `A820…`);
/// 3. an id of digits whose leading zeros were lost, as Excel drops them (`123` finds `000123`);
/// 4. the name: `Surname, Forename`, `Forename Surname`, `Surname Forename`, or the surname
///    alone — compared without regard to case, accents, apostrophe style or repeated spaces
///    (`o’neil, zoe` finds Zoë O'Neil).
///
/// Never a prefix or a guess: a command that acts on a pupil must act on the one the user meant,
/// so several matches are returned as candidates for the user to choose between by UPN or id.
public enum PupilLookup {
    /// What a query found.
    public enum Result: Equatable, Sendable {
        /// Exactly one pupil.
        case found(Pupil)
        /// Several pupils match (e.g. two with the same surname): sorted by surname, forename, id.
        case ambiguous([Pupil])
        /// Nobody matches.
        case notFound
    }

    /// The pupil(s) among `pupils` that `query` names (rules in the type's documentation).
    public static func find(_ query: String, in pupils: [Pupil]) -> Result {
        let given = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !given.isEmpty else { return .notFound }
        if let pupil = pupils.first(where: { $0.id.rawValue == given }) { return .found(pupil) }
        let upper = given.uppercased()
        if let pupil = pupils.first(where: { $0.upn?.rawValue == upper }) { return .found(pupil) }
        if given.allSatisfy(\.isASCIIDigit) {
            let number = given.drop { $0 == "0" }
            let matches = pupils.filter { $0.id.rawValue.allSatisfy(\.isASCIIDigit) && $0.id.rawValue.drop { $0 == "0" } == number }
            if !matches.isEmpty { return result(matches) }
        }
        return result(pupils.filter { nameMatches(given, $0) })
    }

    /// A one-line description of a candidate for a list to choose from:
    /// `O'Neil, Zoë — id 000123, UPN A820…, Year 10, tutor group 10B`.
    public static func candidateLine(_ pupil: Pupil) -> String {
        let name = [pupil.surname, pupil.forename].filter { !$0.isEmpty }.joined(separator: ", ")
        return (name.isEmpty ? "(no name)" : name) + " — id \(pupil.id)" + (pupil.upn.map { ", UPN \($0)" } ?? "")
            + ", Year \(pupil.yearGroup)" + (pupil.tutorGroup.map { ", tutor group \($0)" } ?? "")
    }

    /// The text a user types for a name, folded for comparison: lower case, no accents, one kind
    /// of apostrophe and hyphen, single spaces.
    public static func folded(_ text: String) -> String {
        let plain = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .replacingOccurrences(of: "\u{2019}", with: "'").replacingOccurrences(of: "\u{2018}", with: "'")
            .replacingOccurrences(of: "\u{2010}", with: "-").replacingOccurrences(of: "\u{2011}", with: "-")
        return plain.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func nameMatches(_ query: String, _ pupil: Pupil) -> Bool {
        let surname = folded(pupil.surname), forename = folded(pupil.forename)
        guard !surname.isEmpty || !forename.isEmpty else { return false }
        if query.contains(",") {
            let parts = query.split(separator: ",", maxSplits: 1).map { folded(String($0)) }
            return parts.count == 2 && parts[0] == surname && (parts[1].isEmpty || parts[1] == forename)
        }
        let q = folded(query)
        return q == surname || q == "\(forename) \(surname)" || q == "\(surname) \(forename)"
    }

    private static func result(_ matches: [Pupil]) -> Result {
        switch matches.count {
        case 0: .notFound
        case 1: .found(matches[0])
        default: .ambiguous(matches.sorted { ($0.surname, $0.forename, $0.id) < ($1.surname, $1.forename, $1.id) })
        }
    }
}
