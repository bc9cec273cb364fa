import Foundation

/// A pupil's target grade in a subject, with how it was set (DOMAIN.md, Targets).
///
/// Four methods set a target. *Estimate* and *percentile* targets are generated from the
/// pupil's KS2 prior attainment by a ``TargetPolicy``; their ``calculation`` records the inputs
/// and method version, and ``generated`` equals ``grade``. *Imported* targets come from a file
/// (e.g. an external provider's export); they carry no calculation. An *override* is a named
/// person's grade with a reason (``overridden(to:by:reason:)``); it keeps the value it replaced
/// in ``generated`` (and that value's ``calculation``), so the method's answer is never lost.
public struct Target: Hashable, Sendable {
    /// How a target was set.
    public enum Method: String, Hashable, Sendable, Codable, CaseIterable {
        /// From the DfE Attainment 8 element estimates for the pupil's KS2 prior attainment group.
        case estimate
        /// The pupil's national KS2 percentile mapped to the subject's national grade distribution.
        case percentile
        /// Read from a file; never replaced by generation unless asked.
        case imported
        /// Set by a named person with a reason; never replaced by generation unless asked.
        case override

        /// True for the methods a ``TargetPolicy`` computes (estimate, percentile).
        public var isGenerated: Bool { self == .estimate || self == .percentile }
    }

    /// The pupil.
    public var pupil: Pupil.ID
    /// The subject.
    public var subject: Subject.ID
    /// The target, on the subject's scale.
    public var grade: EntryValue
    /// How it was set.
    public var method: Method
    /// Who set it: the person for an override, the provider or importer for an imported target;
    /// nil for generated targets (the method is the author).
    public var setBy: String?
    /// Why: required for an override.
    public var reason: String?
    /// The value the school's method gave before any override: for an estimate or percentile
    /// target, equal to ``grade``; for an override, the grade it replaced (generated, or imported
    /// when ``calculation`` is nil); nil for an imported target.
    public var generated: EntryValue?
    /// How the generated value was computed (method, version, inputs, unrounded result); nil
    /// for an imported target and for an override of one.
    public var calculation: TargetCalculation?
    /// For an imported target: the provider's percentile band as written in its file, e.g.
    /// `FFT20` (the grade reached by the top 20% of similar pupils nationally), `50` or `20%`;
    /// nil when the file has none or for other methods.
    public var percentileBand: String?

    /// A target. Generated targets pass their ``calculation`` and ``generated`` value; imported
    /// ones need neither.
    public init(pupil: Pupil.ID, subject: Subject.ID, grade: EntryValue, method: Method, setBy: String? = nil, reason: String? = nil,
                generated: EntryValue? = nil, calculation: TargetCalculation? = nil, percentileBand: String? = nil) {
        self.pupil = pupil
        self.subject = subject
        self.grade = grade
        self.method = method
        self.setBy = setBy
        self.reason = reason
        self.generated = generated
        self.calculation = calculation
        self.percentileBand = percentileBand
    }

    /// A generated target from a calculation: method, grade and ``generated`` from it.
    public init(pupil: Pupil.ID, subject: Subject.ID, grade: GradeScale.Grade, calculation: TargetCalculation) {
        self.init(pupil: pupil, subject: subject, grade: .grade(grade), method: calculation.method,
                  generated: .grade(grade), calculation: calculation)
    }

    /// This target overridden by a named person with a reason: method ``Method/override``, the new
    /// grade, `person` in ``setBy``, `reason` in ``reason``, and the value replaced kept in
    /// ``generated`` (an earlier override keeps the value *it* kept). The store audits the change.
    ///
    /// - Throws: ``OverrideError`` when the grade is not a grade (X, Z, off-scale) or the person
    ///   or reason is blank.
    public func overridden(to grade: EntryValue, by person: String, reason: String) throws(OverrideError) -> Target {
        let person = person.trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard case .grade = grade else {
            throw OverrideError(code: "override-not-a-grade", pupil: pupil, subject: subject,
                                message: "'\(grade.stored)' is not a grade: an override must be a grade on the subject's scale")
        }
        guard !person.isEmpty else {
            throw OverrideError(code: "override-no-person", pupil: pupil, subject: subject,
                                message: "say who is overriding the target (a staff code or name)")
        }
        guard !reason.isEmpty else {
            throw OverrideError(code: "override-no-reason", pupil: pupil, subject: subject,
                                message: "give a reason for overriding the target; it is kept in the audit log")
        }
        var copy = self
        copy.grade = grade
        copy.method = .override
        copy.setBy = person
        copy.reason = reason
        copy.generated = method == .override ? generated : (generated ?? self.grade)
        return copy
    }

    /// An override that cannot be made, with the record and what to do.
    public struct OverrideError: Error, Hashable, Sendable, CustomStringConvertible {
        /// Stable code: `override-not-a-grade`, `override-no-person`, `override-no-reason`.
        public var code: String
        /// The target's pupil.
        public var pupil: Pupil.ID
        /// The target's subject.
        public var subject: Subject.ID
        /// What is wrong and what to do.
        public var message: String
        /// `target <pupil>/<subject>: <message>`.
        public var description: String { "target \(pupil)/\(subject): \(message)" }
    }
}
