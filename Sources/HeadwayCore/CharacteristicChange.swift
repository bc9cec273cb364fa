/// One recorded change to a pupil's characteristic in an academic year (e.g. the disadvantaged
/// flag turned from `false` to `true`), as the audit log holds it. The integrity report lists
/// them (issue 5, item 5): a flag that flips mid-year moves the pupil between the subgroups that
/// gaps, Progress 8 and pupil premium reports compare, so someone should confirm it.
///
/// A plain value: the store reads it from the audit log; analytics take a list of them.
public struct CharacteristicChange: Hashable, Sendable, Codable {
    /// Whose characteristic changed.
    public var pupil: Pupil.ID
    /// The ``Characteristic`` name, e.g. `disadvantaged`, `sen`, or a school's own such as `schoolsup`.
    public var name: String
    /// The value before the change; nil when there was none.
    public var old: String?
    /// The value after the change; nil when it was removed.
    public var new: String?
    /// When the change was recorded, as the audit log stores it (ISO 8601 UTC, e.g.
    /// `2026-11-03T09:12:00Z`); text, because Core reads no clock and needs no time zone.
    public var at: String
    /// Who made it: a staff code, `data manager`, or the process (`headway import`).
    public var by: String
    /// Where the new value came from: a file and line, or `user`; nil when not recorded.
    public var source: String?

    /// A change as recorded.
    public init(pupil: Pupil.ID, name: String, old: String?, new: String?, at: String, by: String, source: String? = nil) {
        self.pupil = pupil
        self.name = name
        self.old = old
        self.new = new
        self.at = at
        self.by = by
        self.source = source
    }
}
