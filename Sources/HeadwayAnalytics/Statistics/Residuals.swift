import HeadwayCore

/// Mean residual (a pupil's value minus what was expected of them, in grades) grouped by
/// subject, by class and by teacher, each with n and a 95% interval, so a leader can see where
/// pupils do better or worse than expected and how sure that is.
///
/// A pupil in a class with two teachers counts for both teachers. Entries without a residual
/// (no grade, no expectation) are simply not in the input.
public struct ResidualSummary: Hashable, Sendable {
    public enum Level: String, Hashable, Sendable, CaseIterable { case subject, teachingGroup = "class", teacher }
    public var level: Level
    public var key: String
    /// Subject name, class code or "Ms Smith (JSM)".
    public var label: String
    public var summary: MeanSummary

    /// Groups residuals per subject, class and teacher; each level sorted by mean (lowest first).
    public static func compute(_ residuals: [(pair: YearIndex.PupilSubject, residual: Double)], index: YearIndex) -> [ResidualSummary] {
        // Values per subject number and per class position; teachers get their classes' values.
        let classes = index.year.teachingGroups
        var bySubject = Array(repeating: [Double](), count: index.subjectIDs.count)
        var byClass = Array(repeating: [Double](), count: classes.count)
        for (pair, value) in residuals {
            guard let cell = index.cell(pair) else { continue }
            bySubject[cell % index.subjectIDs.count].append(value)
            if let g = index.groupNumber(cell: cell) { byClass[g].append(value) }
        }
        var groups: [Level: [String: [Double]]] = [:]
        for (s, values) in bySubject.enumerated() where !values.isEmpty { groups[.subject, default: [:]][index.subjectIDs[s].rawValue] = values }
        for (g, values) in byClass.enumerated() where !values.isEmpty {
            groups[.teachingGroup, default: [:]][classes[g].id.rawValue, default: []] += values
            for teacher in classes[g].teachers { groups[.teacher, default: [:]][teacher.rawValue, default: []] += values }
        }
        var out: [ResidualSummary] = []
        for level in Level.allCases {
            let rows = (groups[level] ?? [:]).compactMap { key, values -> ResidualSummary? in
                guard let summary = MeanSummary(values) else { return nil }
                let label: String = switch level {
                case .subject: index.subjects[Subject.ID(key)]?.name ?? key
                case .teachingGroup: key
                case .teacher: index.staffName(Staff.ID(key))
                }
                return ResidualSummary(level: level, key: key, label: label, summary: summary)
            }
            out += rows.sorted { ($0.summary.mean, $0.key) < ($1.summary.mean, $1.key) }
        }
        return out
    }
}
