/// Which ``TargetPolicy`` applies to each year group and subject: the school's choice of target
/// method, made per year group and per subject (DOMAIN.md, Targets).
///
/// Look-up runs from the most specific entry to the least: year group *and* subject, then the
/// subject (any year group), then the year group (any subject), then ``standard``. No match means
/// no generated targets there (``TargetPolicy/Skip/noPolicy``).
public struct TargetPlan: Hashable, Sendable {
    /// Where a policy applies: a year group, a subject, both, or (both nil) everywhere.
    public struct Scope: Hashable, Sendable {
        /// The year group (7–13), or nil for any.
        public var yearGroup: Int?
        /// The subject, or nil for any.
        public var subject: Subject.ID?

        /// A scope; leave out what does not matter.
        public init(yearGroup: Int? = nil, subject: Subject.ID? = nil) {
            self.yearGroup = yearGroup
            self.subject = subject
        }
    }

    /// The policy for everything no other entry covers; nil for none.
    public var standard: TargetPolicy?
    /// Policies for particular year groups and/or subjects.
    public var policies: [Scope: TargetPolicy]

    /// A plan: a standard policy and any more specific ones.
    public init(standard: TargetPolicy?, policies: [Scope: TargetPolicy] = [:]) {
        self.standard = standard
        self.policies = policies
    }

    /// The policy for a pupil in `yearGroup` studying `subject`: year group and subject, then
    /// subject, then year group, then ``standard``.
    public func policy(yearGroup: Int, subject: Subject.ID) -> TargetPolicy? {
        policies[Scope(yearGroup: yearGroup, subject: subject)]
            ?? policies[Scope(subject: subject)]
            ?? policies[Scope(yearGroup: yearGroup)]
            ?? standard
    }
}
