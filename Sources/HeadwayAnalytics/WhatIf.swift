import HeadwayCore

/// "What if": the same school year with one pupil's predicted (or working-at) grade changed,
/// so a leader can see A8, P8 and the gaps move before deciding where to put effort. Pure: the
/// stored data is untouched.
public enum WhatIf {
    /// Which grade of an entry to change.
    public enum Field: String, Sendable, CaseIterable { case predicted, workingAt = "working_at" }

    /// A change that could not be applied.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Returns `year` with `field` of `pupil`'s `subject` entry at `collection` (default: the
    /// latest) set to `grade`, read on the subject's scale.
    /// - Throws: ``Problem`` when the pupil, subject or collection is unknown or the grade is
    ///   not on the subject's scale.
    public static func apply(_ year: SchoolYear, pupil: Pupil.ID, subject: Subject.ID, grade: String,
                             field: Field = .predicted, collection: DataCollection.ID? = nil) throws(Problem) -> SchoolYear {
        guard year.pupils.contains(where: { $0.id == pupil }) else { throw Problem(description: "no pupil \(pupil)") }
        guard let scale = year.scale(of: subject) else { throw Problem(description: "no subject \(subject) with a known scale") }
        guard let target = collection ?? year.collections.last?.id else { throw Problem(description: "the year has no collection") }
        let value: EntryValue?
        do { value = try scale.parse(grade) } catch { throw Problem(description: error.description) }
        var changed = year
        if let i = changed.assessments.firstIndex(where: { $0.pupil == pupil && $0.subject == subject && $0.collection == target }) {
            switch field {
            case .predicted: changed.assessments[i].predicted = value
            case .workingAt: changed.assessments[i].workingAt = value
            }
        } else {
            var entry = Assessment(pupil: pupil, subject: subject, collection: target)
            switch field {
            case .predicted: entry.predicted = value
            case .workingAt: entry.workingAt = value
            }
            changed.assessments.append(entry)
        }
        return changed
    }
}
