/// Who was responsible for one pupil's progress in one academic year (issue 6, item 5): the
/// year group the pupil was in that year and the staff answering for it. A pupil's record lists
/// one per academic year on roll, oldest first, so a report can name the person responsible for
/// each year's progress.
///
/// The staff are found as ``SchoolYear/responsibleStaff(forYearGroup:)`` finds them: the year's
/// stored ``YearGroupResponsibility`` records for the year group (heads of year before progress
/// leaders, then by staff code) or, when none is stored, every member of staff holding the
/// ``Staff/Role/headOfYear(_:)`` role for the year group. Staff roles are held as they are now,
/// not per year, so that fallback names today's head of year for a past year: record past years'
/// responsibilities to name who truly held them.
public struct ResponsibilityRecord: Hashable, Sendable {
    /// The academic year.
    public var academicYear: AcademicYear
    /// The pupil's National Curriculum year group that year, 7–13.
    public var yearGroup: Int
    /// The staff responsible, in the order above; empty when nobody is named.
    public var staff: [Staff]
    /// True when ``staff`` comes from stored ``YearGroupResponsibility`` records for the year;
    /// false when from the head of year role (current roles), or when nobody is named.
    public var fromStoredRecord: Bool

    public init(academicYear: AcademicYear, yearGroup: Int, staff: [Staff], fromStoredRecord: Bool) {
        self.academicYear = academicYear
        self.yearGroup = yearGroup
        self.staff = staff
        self.fromStoredRecord = fromStoredRecord
    }
}
