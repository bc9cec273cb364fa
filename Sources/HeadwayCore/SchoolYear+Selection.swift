extension SchoolYear {
    /// The year narrowed for an analysis of one year group and/or as it stood at one collection
    /// (`headway analyse --year-group N --collection ID`, issue 12 item 5).
    ///
    /// - `yearGroup`: only pupils in that year group, with their classes (other year groups'
    ///   classes left out), entries and targets.
    /// - `collection`: that collection and the ones before it (by sequence); later collections
    ///   and their entries are left out, so "latest" means `collection`.
    ///
    /// Nothing else changes: subjects, staff, scales and the calendar stay whole. Ids that are
    /// not in the year select nothing (the caller checks them first, with a message).
    public func selecting(yearGroup: Int? = nil, through collection: DataCollection.ID? = nil) -> SchoolYear {
        var year = self
        if let yearGroup {
            year.pupils = pupils.filter { $0.yearGroup == yearGroup }
            let kept = Set(year.pupils.map(\.id))
            year.teachingGroups = teachingGroups.filter { $0.yearGroup == yearGroup }
                .map { var g = $0; g.pupils = g.pupils.filter(kept.contains); return g }
            year.assessments = year.assessments.filter { kept.contains($0.pupil) }
            year.targets = targets.filter { kept.contains($0.pupil) }
            year.collections = collections.filter { $0.yearGroups.isEmpty || $0.yearGroups.contains(yearGroup) }
        }
        if let collection, let last = collections.first(where: { $0.id == collection }) {
            year.collections = year.collections.filter { $0.sequence <= last.sequence }
            let kept = Set(year.collections.map(\.id))
            year.assessments = year.assessments.filter { kept.contains($0.collection) }
        }
        return year
    }
}
