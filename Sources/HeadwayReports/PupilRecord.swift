import HeadwayAnalytics
import HeadwayCore
import Mustache

/// A pupil's longitudinal record (issue 7, item 4; DOMAIN.md, "Report": "a pupil's record runs
/// across key stages (KS2→KS3, KS3→KS4) with every year's collections side by side"): one
/// self-contained A4 page set with
/// - the pupil (name, UPN; no date of birth — a printed record does not need it);
/// - Key Stage 2: reading and maths scaled scores, their average and the prior attainment band;
/// - every academic year the pupil was on roll, oldest first: year group, tutor group, the member
///   of staff responsible that year (``ResponsibilityRecord``), and a table with the pupil's
///   subjects as rows and that year's collections as columns — working-at grade, progress
///   against the flight path in words and a symbol, attitude to learning (ATL) — beside the
///   year's target; then the interventions the pupil was in that year. Key stage transitions
///   (KS2 → KS3, KS3 → KS4 at Year 10) are marked;
/// - a flight path chart per subject with a target (``SVG/flightPath(id:title:description:points:target:yTicks:yLabel:keyStage4From:)``)
///   with a table of its numbers beside it.
///
/// Pure: the caller loads the years (one ``SchoolYear`` per academic year the pupil was on roll)
/// and the responsibility history, and writes the file; the "generated" text comes from the caller.
public enum PupilRecord {
    // MARK: Input

    /// The school years records are built from, each indexed and evaluated against the flight
    /// paths once, so that a whole tutor group's records share the work.
    public struct History: Sendable {
        /// One academic year.
        public struct Year: Sendable {
            /// The year's lookups.
            public let index: YearIndex
            /// Every entry's status against the year's targets and flight paths
            /// (``ProgressStatus/evaluate(_:flightPaths:thresholds:)``).
            public let evaluation: ProgressStatus.Evaluation

            /// The collections of `yearGroup` this year in sequence order — those listing it or
            /// listing no year group — exactly as ``ProgressStatus/evaluate(_:flightPaths:thresholds:)``
            /// ranks them into flight path checkpoints.
            public func collections(forYearGroup yearGroup: Int) -> [DataCollection] {
                index.collections.filter { $0.yearGroups.isEmpty || $0.yearGroups.contains(yearGroup) }
            }
        }

        /// Oldest first.
        public let years: [Year]
        /// How the flight paths are drawn (the status bands and the chart use the same).
        public let flightPaths: FlightPathSettings
        /// The progress bands' boundaries.
        public let thresholds: ProgressStatus.Thresholds

        /// Indexes and evaluates `years` (any order; sorted oldest first). Years of one school.
        public init(_ years: [SchoolYear], flightPaths: FlightPathSettings = .init(), thresholds: ProgressStatus.Thresholds = .standard) {
            self.flightPaths = flightPaths
            self.thresholds = thresholds
            self.years = years.sorted { $0.academicYear < $1.academicYear }.map { year in
                let index = YearIndex(year)
                return Year(index: index, evaluation: ProgressStatus.evaluate(index, flightPaths: flightPaths, thresholds: thresholds))
            }
        }
    }

    // MARK: Model

    /// What the page shows: every value display-ready text.
    public struct Model: Hashable, Sendable {
        /// The school's name.
        public var schoolName: String
        /// When the record was produced, as given by the caller (reports read no clock).
        public var generated: String
        /// The pupil's id in Headway (the file is named after it).
        public var pupilID: String
        /// "Forename Surname" (as on roll in the latest year).
        public var pupilName: String
        /// The UPN, or empty when none is recorded.
        public var upn: String
        /// Where the pupil is now, e.g. `Year 10, tutor group 10A, 2026/27`.
        public var current: String
        /// Key Stage 2 results.
        public var ks2: KS2
        /// Every academic year on roll, oldest first.
        public var years: [Year]
        /// One chart per subject with a target in any year, core subjects (English, maths) first.
        public var flightPaths: [FlightPathChart]
        /// How the flight path is drawn, in a sentence (from the ``FlightPathSettings``).
        public var flightPathRule: String
        /// What each progress word and symbol means (from the ``ProgressStatus/Thresholds``).
        public var progressKey: [KeyLine]
    }

    /// Key Stage 2 prior attainment as shown.
    public struct KS2: Hashable, Sendable {
        /// False when no KS2 result is recorded (the other fields are then "not recorded").
        public var recorded: Bool
        /// Reading test scaled score, e.g. `105`, or `not recorded`.
        public var reading: String
        /// Maths test scaled score.
        public var maths: String
        /// The average (the mean of the two, or the one recorded), e.g. `106` or `106.5`.
        public var average: String
        /// The band with its range, e.g. `middle (average 100 to 109.5)`.
        public var band: String
    }

    /// One line of the progress key: symbol, words and meaning.
    public struct KeyLine: Hashable, Sendable {
        /// `▲`, `●`, `▽`, `▼` (``ProgressStatus/Band/symbol``) or `–`.
        public var symbol: String
        /// `above`, `on track`, `below`, `well below` or `no status`.
        public var words: String
        /// The rule in words, e.g. `0.5 of a grade or more above the expected grade`.
        public var meaning: String
    }

    /// One academic year of the record.
    public struct Year: Hashable, Sendable {
        /// `2025/26`.
        public var academicYear: String
        /// National Curriculum year group, 7–13.
        public var yearGroup: Int
        /// `Key Stage 3 (Years 7–9)`, `Key Stage 4 (Years 10–11)`, `Sixth form (Years 12–13)`.
        public var keyStage: String
        /// Set on the first year of a key stage in this record: e.g. `Key Stage 3 → Key Stage 4`.
        public var transition: String?
        /// What the transition means, e.g. `Years 10 and 11: GCSE courses …`; empty without one.
        public var transitionNote: String
        /// The tutor group that year, or `not recorded`.
        public var tutorGroup: String
        /// The staff responsible that year, e.g. `Ms Smith (head of year)`, or `Nobody named`.
        public var responsible: String
        /// Where that name comes from, e.g. `recorded for 2026/27` or `holds the Year 9 head of year role`.
        public var responsibleSource: String
        /// The year group's collections that year, in order (the table's columns).
        public var collections: [String]
        /// One row per subject studied or targeted that year.
        public var subjects: [SubjectRow]
        /// Interventions the pupil was in, starting that year.
        public var interventions: [InterventionLine]
    }

    /// One subject in one year.
    public struct SubjectRow: Hashable, Sendable {
        /// The subject's name.
        public var subject: String
        /// Class and teachers, e.g. `10X/Ma1 · Ms Smith`, or empty.
        public var classAndTeachers: String
        /// The year's target grade, or `none`.
        public var target: String
        /// One per column of ``Year/collections``.
        public var cells: [Cell]
    }

    /// One subject at one collection.
    public struct Cell: Hashable, Sendable {
        /// The working-at grade (`6-`), `X`, `Z`, `—` when not entered, or the off-scale text.
        public var workingAt: String
        /// Progress in words: `above`, `on track`, `below`, `well below`, or why there is none
        /// (`not assessed`, `not entered`, `no target` …).
        public var progress: String
        /// The progress symbol (``ProgressStatus/Band/symbol``): `▲` above, `●` on track, `▽` below, `▼` well below, `–` none.
        public var symbol: String
        /// A CSS class from a fixed set: `above`, `on-track`, `below`, `well-below`, `none`.
        public var band: String
        /// ATL with its words, e.g. `1 Excellent`; `X`, `Z`, or `—`.
        public var atl: String
    }

    /// One intervention.
    public struct InterventionLine: Hashable, Sendable {
        /// e.g. `Y11 maths small-group tutoring`.
        public var title: String
        /// e.g. `tutoring`.
        public var type: String
        /// e.g. `7 December 2026 to 26 February 2027`, or `from 11 January 2027`.
        public var dates: String
        /// Subject names, or `all subjects`.
        public var subjects: String
        /// Who runs it.
        public var runBy: String
    }

    /// The flight path chart of one subject and the table of its numbers.
    public struct FlightPathChart: Hashable, Sendable {
        /// The subject's name.
        public var subject: String
        /// The chart's title (also the figure caption).
        public var title: String
        /// The inline SVG (every text in it escaped when drawn).
        public var svg: String
        /// One row per point of the chart, in course order.
        public var rows: [FlightPathRow]
    }

    /// One point of a flight path chart, as text.
    public struct FlightPathRow: Hashable, Sendable {
        /// e.g. `Year 9 · DC1 Autumn 2025 (2025/26)`, or `Year 11 · 2` (the year group's second
        /// collection) where the pupil was not on roll.
        public var collection: String
        /// The target the expected grade leads to, e.g. `7`.
        public var target: String
        /// The expected grade points, e.g. `4.63`; empty when none.
        public var expected: String
        /// The working-at grade, e.g. `6- (5.67)`, `X (not assessed)`, or empty when not reached.
        public var workingAt: String
        /// Progress in words and symbol, e.g. `▲ above`; empty when not reached.
        public var progress: String
    }

    // MARK: Building

    /// The record of one pupil, or nil when the pupil is on roll in none of `history`'s years.
    ///
    /// - Parameters:
    ///   - responsibilities: the pupil's ``ResponsibilityRecord``s (`Store.responsibilityHistory`);
    ///     a year without one names the staff by the same rule from the year itself
    ///     (``HeadwayCore/SchoolYear/responsibleStaff(forYearGroup:)``).
    ///   - generated: when the record was produced, as text.
    public static func model(pupil id: Pupil.ID, history: History, responsibilities: [ResponsibilityRecord], generated: String) -> Model? {
        let onRoll: [(year: History.Year, pupil: Pupil)] = history.years.compactMap { y in y.index.pupils[id].map { (y, $0) } }
        guard let latest = onRoll.last else { return nil }
        let pupil = latest.pupil
        var years: [Year] = []
        var previousStage = 2
        for (number, entry) in onRoll.enumerated() {
            let stage = keyStage(entry.pupil.yearGroup)
            var section = yearSection(entry.year, pupil: entry.pupil,
                                      responsibility: responsibilities.first { $0.academicYear == entry.year.index.year.academicYear })
            if stage != previousStage {
                // The first year of a record that starts after Year 7 is titled by its own key stage.
                section.transition = number == 0 && stage != 3 ? stageName(stage) : "\(stageName(previousStage)) → \(stageName(stage))"
                section.transitionNote = transitionNote(stage, first: number == 0, yearGroup: entry.pupil.yearGroup,
                                                        academicYear: entry.year.index.year.academicYear)
            }
            previousStage = stage
            years.append(section)
        }
        let charts = chartSubjects(onRoll).enumerated().compactMap { n, subject in
            flightPathChart(subject, number: n + 1, pupilName: pupil.displayName, onRoll: onRoll, settings: history.flightPaths)
        }
        let prior = pupil.priorAttainment
        let ks2: KS2
        if let prior, let average = prior.average, let band = prior.band {
            ks2 = KS2(recorded: true, reading: prior.readingScaledScore.map(String.init) ?? "not recorded",
                      maths: prior.mathsScaledScore.map(String.init) ?? "not recorded", average: SVG.number(average),
                      band: "\(band.rawValue) (\(bandRange(band)))")
        } else {
            ks2 = KS2(recorded: false, reading: "not recorded", maths: "not recorded", average: "not recorded", band: "not known")
        }
        let year = latest.year.index.year
        return Model(
            schoolName: year.school.name, generated: generated, pupilID: id.rawValue, pupilName: pupil.displayName,
            upn: pupil.upn?.rawValue ?? "",
            current: "Year \(pupil.yearGroup), tutor group \(pupil.tutorGroup ?? "not recorded"), \(year.academicYear)",
            ks2: ks2, years: years, flightPaths: charts, flightPathRule: flightPathRule(history.flightPaths),
            progressKey: progressKey(history.thresholds))
    }

    static func yearSection(_ year: History.Year, pupil: Pupil, responsibility: ResponsibilityRecord?) -> Year {
        let index = year.index, schoolYear = index.year, id = pupil.id
        let sequence = year.collections(forYearGroup: pupil.yearGroup)
        let rows = subjects(of: id, in: index).map { subject -> SubjectRow in
            let pair = index.pair(id, subject) ?? YearIndex.PupilSubject(id, subject)
            let group = index.teachingGroup(of: pair)
            let teachers = (group?.teachers ?? []).map { index.staff[$0]?.displayName ?? $0.rawValue }
            let classText = ([group?.id.rawValue].compactMap { $0 } + (teachers.isEmpty ? [] : [teachers.joined(separator: ", ")]))
                .joined(separator: " · ")
            let target = index.target(of: pair)?.grade
            let cells = sequence.map { collection -> Cell in
                let entry = index.entry(collection.id, pair)
                let status = year.evaluation.status(pupil: id, subject: subject, collection: collection.id)
                let (words, symbol, band) = progress(status, workingAt: entry?.workingAt, target: target)
                return Cell(workingAt: show(entry?.workingAt), progress: words, symbol: symbol, band: band, atl: showATL(entry?.atl))
            }
            return SubjectRow(subject: index.subjects[subject]?.name ?? subject.rawValue, classAndTeachers: classText,
                              target: target.map(show) ?? "none", cells: cells)
        }
        let interventions = schoolYear.interventions.filter { $0.pupils.contains(id) }
            .sorted { ($0.starts, $0.id) < ($1.starts, $1.id) }
            .map { i in
                InterventionLine(
                    title: i.title, type: i.type.words,
                    dates: i.ends.map { "\(longDate(i.starts)) to \(longDate($0))" } ?? "from \(longDate(i.starts))",
                    subjects: i.subjects.isEmpty ? "all subjects" : i.subjects.map { index.subjects[$0]?.name ?? $0.rawValue }.joined(separator: ", "),
                    runBy: index.staff[i.owner]?.displayName ?? i.owner.rawValue)
            }
        let (responsible, source) = responsibleText(responsibility, year: schoolYear, yearGroup: pupil.yearGroup)
        return Year(academicYear: schoolYear.academicYear.description, yearGroup: pupil.yearGroup, keyStage: keyStageTitle(pupil.yearGroup),
                    transition: nil, transitionNote: "", tutorGroup: pupil.tutorGroup ?? "not recorded",
                    responsible: responsible, responsibleSource: source, collections: sequence.map(\.name), subjects: rows,
                    interventions: interventions)
    }

    /// The subjects a pupil studied (class or entry) or had a target in, core subjects first
    /// (English, then maths, by KS4 element), then by name and id.
    static func subjects(of pupil: Pupil.ID, in index: YearIndex) -> [Subject.ID] {
        var ids = Set(index.studied.filter { $0.pupil == pupil }.map(\.subject))
        ids.formUnion(index.year.targets.filter { $0.pupil == pupil }.map(\.subject))
        return ids.sorted { subjectOrder($0, index) < subjectOrder($1, index) }
    }

    static func subjectOrder(_ id: Subject.ID, _ index: YearIndex) -> (Int, String, String) {
        let subject = index.subjects[id]
        let rank = switch subject?.ks4Category?.element {
        case .english?: 0
        case .maths?: 1
        default: 2
        }
        return (rank, subject?.name ?? id.rawValue, id.rawValue)
    }

    /// Who was responsible, and where the name comes from.
    static func responsibleText(_ record: ResponsibilityRecord?, year: SchoolYear, yearGroup: Int) -> (String, String) {
        let staff = record?.staff ?? year.responsibleStaff(forYearGroup: yearGroup)
        let recorded = record?.fromStoredRecord ?? year.responsibilities.contains { $0.yearGroup == yearGroup && $0.academicYear == year.academicYear }
        guard !staff.isEmpty else { return ("Nobody named", "no record for \(year.academicYear) and nobody holds the Year \(yearGroup) head of year role") }
        if recorded {
            let roles = Dictionary(year.responsibilities.filter { $0.yearGroup == yearGroup && $0.academicYear == year.academicYear }.map { ($0.staff, $0.role) },
                                   uniquingKeysWith: { a, _ in a })
            return (staff.map { "\($0.displayName) (\((roles[$0.id] ?? .headOfYear).words))" }.joined(separator: ", "),
                    "recorded for \(year.academicYear)")
        }
        return (staff.map { "\($0.displayName) (head of year)" }.joined(separator: ", "),
                "holds the Year \(yearGroup) head of year role in the staff list (no record for \(year.academicYear))")
    }

    // MARK: Flight path charts

    /// Subjects with a grade target in any year on roll, in the latest year's order (core first).
    static func chartSubjects(_ onRoll: [(year: History.Year, pupil: Pupil)]) -> [Subject.ID] {
        var seen = Set<Subject.ID>(), out: [(key: (Int, String, String), id: Subject.ID)] = []
        for (year, pupil) in onRoll.reversed() {
            for target in year.index.year.targets where target.pupil == pupil.id && target.grade.points != nil && seen.insert(target.subject).inserted {
                out.append((subjectOrder(target.subject, year.index), target.subject))
            }
        }
        return out.sorted { $0.key < $1.key }.map(\.id)
    }

    /// The chart of one subject. For each year group of the course (``FlightPathSettings/years``)
    /// the expected grades are the flight path to the target of the academic year the pupil was
    /// in that year group — the target and number of collections ``ProgressStatus`` used, so the
    /// chart agrees with the statuses in the tables. A year group the pupil was not on roll in
    /// (before they joined, or still to come) takes the target and number of collections of the
    /// nearest year group they were on roll in (the later one on a tie). The target line is the
    /// latest target.
    static func flightPathChart(_ subject: Subject.ID, number: Int, pupilName: String, onRoll: [(year: History.Year, pupil: Pupil)],
                                settings: FlightPathSettings) -> FlightPathChart? {
        struct Known {
            var year: History.Year
            var sequence: [DataCollection]
            var pair: YearIndex.PupilSubject
            var target: GradeScale.Grade?
        }
        var known: [Int: Known] = [:]  // by year group; a repeated year group keeps the later year
        for (year, pupil) in onRoll {
            let pair = year.index.pair(pupil.id, subject) ?? YearIndex.PupilSubject(pupil.id, subject)
            var target: GradeScale.Grade?
            if case .grade(let grade)? = year.index.target(of: pair)?.grade { target = grade }
            known[pupil.yearGroup] = Known(year: year, sequence: year.collections(forYearGroup: pupil.yearGroup), pair: pair, target: target)
        }
        func nearest<T>(_ g: Int, _ value: (Known) -> T?) -> T? {
            for entry in known.sorted(by: { (abs($0.key - g), -$0.key) < (abs($1.key - g), -$1.key) }) {
                if let found = value(entry.value) { return found }
            }
            return nil
        }
        // A record only in the sixth form has no collection on the course: no chart.
        guard known.keys.contains(where: settings.years.contains) else { return nil }
        guard let latestTarget = onRoll.reversed().lazy.compactMap({ known[$0.pupil.yearGroup]?.target }).first else { return nil }
        let latestYear = onRoll.last!.year
        let subjectRecord = latestYear.index.subjects[subject] ?? onRoll.lazy.compactMap { $0.year.index.subjects[subject] }.first
        let name = subjectRecord?.name ?? subject.rawValue
        let scale = onRoll.reversed().lazy.compactMap { $0.year.index.year.scale(of: subject) }.first

        var points: [SVG.FlightPathPoint] = [], rows: [FlightPathRow] = [], said: [String] = []
        for g in settings.years {
            let here = known[g]
            guard let target = here?.target ?? nearest(g, { $0.target }) else { continue }
            let perYear = max(here?.sequence.count ?? nearest(g, { $0.sequence.isEmpty ? nil : $0.sequence.count }) ?? 1, 1)
            let path = settings.path(to: target.points, subject: subject, collectionsPerYear: perYear)
            let pathCount = path.points.filter { $0.checkpoint.yearGroup == g }.count
            let count = max(pathCount, here?.sequence.count ?? 0)
            guard count > 0 else { continue }
            // Before the record starts, or still to come.
            let absent = g < (known.keys.min() ?? g) ? "not on roll" : "still to come"
            for c in 1...count {
                let expected = path.expected(at: FlightPath.Checkpoint(yearGroup: g, collection: c))
                var row = FlightPathRow(collection: "Year \(g) · \(c)",
                                        target: here != nil && here?.target == nil ? "none (path uses \(target.code))" : target.code,
                                        expected: expected.map { SVG.number($0, places: 2) } ?? "", workingAt: absent, progress: "")
                var value: Double?
                var note = "Year \(g), collection \(c): \(absent)"
                if let here, c <= here.sequence.count {
                    let collection = here.sequence[c - 1]
                    let entered = here.year.index.workingAt(collection.id, here.pair)
                    row.collection = "Year \(g) · \(collection.name) (\(here.year.index.year.academicYear))"
                    row.workingAt = chartValue(entered)
                    let status = here.year.evaluation.status(pupil: here.pair.pupil, subject: subject, collection: collection.id)
                    let (words, symbol, _) = progress(status, workingAt: entered, target: here.target.map { .grade($0) })
                    row.progress = "\(symbol) \(words)"
                    value = entered?.points
                    note = "Year \(g) \(collection.name): working at \(row.workingAt)" + (expected.map { ", expected \(SVG.number($0, places: 2))" } ?? "")
                    said.append("Year \(g) \(collection.name) \(value == nil ? "\(row.workingAt), no point" : row.workingAt)")
                }
                rows.append(row)
                points.append(SVG.FlightPathPoint(yearGroup: g, collection: c, collectionsInYear: count, expected: expected, workingAt: value, note: note))
            }
        }
        guard !points.isEmpty else { return nil }
        let targets = Array(Set(known.values.compactMap { $0.target?.code })).sorted()
        let first = points.first { $0.expected != nil }, last = points.last { $0.expected != nil }
        var description = "\(name): the flight path (expected grade at each data collection) from Year \(points[0].yearGroup) to Year \(points[points.count - 1].yearGroup)"
        if let first, let last, let a = first.expected, let b = last.expected {
            description += ", from \(SVG.number(a, places: 2)) at Year \(first.yearGroup) collection \(first.collection) to \(SVG.number(b, places: 2)) at Year \(last.yearGroup) collection \(last.collection)"
        }
        description += "; the target, \(latestTarget.code)"
        if targets.count > 1 { description += " (targets over the years: \(targets.joined(separator: ", ")))" }
        description += "; and \(pupilName)'s working-at grades: "
            + (said.isEmpty ? "none recorded" : said.joined(separator: "; "))
            + ". A missing grade is a gap in the line, never a zero. The move from Key Stage 3 to Key Stage 4 is marked between Year 9 and Year 10."
        let title = "\(name): flight path, target and working-at grades"
        let svg = SVG.flightPath(id: "flight-path-\(number)-\(idText(subject.rawValue))", title: title, description: description, points: points,
                                 target: (latestTarget.points, latestTarget.code), yTicks: yTicks(scale))
        return FlightPathChart(subject: name, title: title, svg: svg, rows: rows)
    }

    /// Grid lines for a subject's scale: the whole grades (band = code; at most 12, else those
    /// on whole points), or for a numeric scale steps of 1, 2 or 5 × a power of ten. GCSE 9–1
    /// when the scale is unknown.
    static func yTicks(_ scale: GradeScale?) -> [(value: Double, label: String)] {
        let scale = scale ?? GradeScale.gcse
        if let range = scale.numeric {
            let step = SVG.niceStep((range.maximum - range.minimum) / 5)
            return stride(from: range.minimum, through: range.maximum + 1e-9, by: step).map { ($0, SVG.number($0)) }
        }
        var ticks = scale.grades.filter { $0.band == $0.code }.map { (value: $0.points, label: $0.code) }
        if ticks.count > 12 { ticks = scale.grades.filter { $0.points == $0.points.rounded() }.map { (value: $0.points, label: $0.code) } }
        if ticks.count > 12 { ticks = ticks.enumerated().filter { $0.offset % ((ticks.count + 11) / 12) == 0 }.map(\.element) }
        return ticks
    }

    // MARK: Text

    /// Progress in words, symbol and CSS class: the status's band, or why there is none.
    static func progress(_ status: ProgressStatus?, workingAt: EntryValue?, target: EntryValue?) -> (String, String, String) {
        if let status {
            return switch status.band {
            case .above: ("above", status.band.symbol, "above")
            case .onTrack: ("on track", status.band.symbol, "on-track")
            case .below: ("below", status.band.symbol, "below")
            case .wellBelow: ("well below", status.band.symbol, "well-below")
            }
        }
        let why = switch workingAt {
        case nil: "not entered"
        case .notAssessed?: "not assessed"
        case .notRequired?: "not required"
        case .offScale?: "not on the grade scale"
        case .grade?: target == nil ? "no target" : target?.points == nil ? "target not a grade" : "no flight path"
        }
        return (why, "–", "none")
    }

    /// A working-at or target value for a table cell.
    static func show(_ value: EntryValue?) -> String {
        switch value {
        case nil: "—"
        case .grade(let g)?: g.code
        case .notAssessed?: "X"
        case .notRequired?: "Z"
        case .offScale(let raw)?: raw
        }
    }

    /// A working-at value for a chart's table: the grade with its points when they differ from
    /// the code (`6- (5.67)`), or what the gap is.
    static func chartValue(_ value: EntryValue?) -> String {
        switch value {
        case nil: "not entered"
        case .grade(let g)?: SVG.number(g.points, places: 2) == g.code ? g.code : "\(g.code) (\(SVG.number(g.points, places: 2)))"
        case .notAssessed?: "X (not assessed)"
        case .notRequired?: "Z (not required)"
        case .offScale(let raw)?: "\(raw) (not on the grade scale)"
        }
    }

    /// ATL with its words (`1 Excellent`).
    static func showATL(_ value: EntryValue?) -> String {
        if case .grade(let g)? = value, let label = g.label { return "\(g.code) \(label)" }
        return show(value)
    }

    static func keyStage(_ yearGroup: Int) -> Int { yearGroup <= 9 ? 3 : yearGroup <= 11 ? 4 : 5 }

    static func stageName(_ stage: Int) -> String { stage == 5 ? "Sixth form" : "Key Stage \(stage)" }

    static func keyStageTitle(_ yearGroup: Int) -> String {
        switch keyStage(yearGroup) {
        case 3: "Key Stage 3 (Years 7–9)"
        case 4: "Key Stage 4 (Years 10–11)"
        default: "Sixth form (Years 12–13)"
        }
    }

    static func transitionNote(_ stage: Int, first: Bool, yearGroup: Int, academicYear: AcademicYear) -> String {
        var note = switch stage {
        case 3: "From primary school (Key Stage 2 results above) to secondary school: Years 7 to 9."
        case 4: "Years 10 and 11: GCSE courses. Grades are GCSE grades 9 (highest) to 1."
        default: "Years 12 and 13: the sixth form. Flight paths end at Year 11."
        }
        if first, !(stage == 3 && yearGroup == 7) { note += " This record starts in Year \(yearGroup) (\(academicYear))." }
        return note
    }

    static func bandRange(_ band: PriorAttainment.Band) -> String {
        switch band {
        case .low: "average below 100"
        case .middle: "average 100 to 109.5"
        case .high: "average 110 or more"
        }
    }

    static func flightPathRule(_ settings: FlightPathSettings) -> String {
        let start = switch settings.start {
        case .fractionOfTarget(let f): "\(SVG.number(f * 100))% of the target"
        case .grade(let g): "grade \(SVG.number(g, places: 2)) (or the target, if lower)"
        }
        var text = "The flight path starts at \(start) at the first data collection of Year \(settings.years.lowerBound) and rises in equal steps, "
            + "collection by collection, to the target at the last collection of Year \(settings.years.upperBound)."
        if !settings.tables.isEmpty {
            text += " Subjects with the school's own flight path table (\(settings.tables.keys.sorted().map(\.rawValue).joined(separator: ", "))) follow it instead."
        }
        return text
    }

    static func progressKey(_ t: ProgressStatus.Thresholds) -> [KeyLine] {
        // Residual r = working-at − expected: above r ≥ above; on track onTrack < r < above;
        // below: below < r ≤ onTrack; well below r ≤ below (ProgressStatus.Thresholds).
        func g(_ x: Double) -> String { SVG.number(abs(x), places: 2) }
        func side(_ x: Double) -> String { x < 0 ? "below" : "above" }
        let onTrack = t.above > 0 && t.onTrack < 0 && abs(t.above + t.onTrack) < 1e-9
            ? "less than \(g(t.above)) of a grade above or below the expected grade"
            : "from less than \(g(t.onTrack)) \(side(t.onTrack)) to less than \(g(t.above)) \(side(t.above)) the expected grade"
        return [
            KeyLine(symbol: ProgressStatus.Band.above.symbol, words: "above", meaning: "\(g(t.above)) of a grade or more \(side(t.above)) the expected grade"),
            KeyLine(symbol: ProgressStatus.Band.onTrack.symbol, words: "on track", meaning: onTrack),
            KeyLine(symbol: ProgressStatus.Band.below.symbol, words: "below", meaning: "\(g(t.onTrack)) of a grade or more, but less than \(g(t.below)), \(side(t.onTrack)) the expected grade"),
            KeyLine(symbol: ProgressStatus.Band.wellBelow.symbol, words: "well below", meaning: "\(g(t.below)) grades or more \(side(t.below)) the expected grade"),
            KeyLine(symbol: "–", words: "no status", meaning: "no grade to compare (X not assessed, Z not required, not entered), or no target"),
        ]
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// `7 December 2026`.
    static func longDate(_ date: CalendarDate) -> String { "\(date.day) \(months[date.month - 1]) \(date.year)" }

    /// Letters, digits, `-` and `_` kept; anything else `_` (for element ids).
    static func idText(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }

    // MARK: Rendering

    /// The page as HTML.
    /// - Parameter template: a school's own Mustache template instead of ``defaultTemplate``.
    /// - Throws: the template's parse error, if a replacement template is malformed.
    public static func html(_ model: Model, template: String = PupilRecord.defaultTemplate) throws -> String {
        try MustacheTemplate(string: template).render(view(model))
    }

    /// The Mustache context: the model's fields by name; booleans and lists for sections.
    static func view(_ model: Model) -> [String: Any] {
        [
            "schoolName": model.schoolName, "generated": model.generated, "pupilID": model.pupilID, "pupilName": model.pupilName,
            "upn": model.upn, "hasUPN": !model.upn.isEmpty, "current": model.current, "flightPathRule": model.flightPathRule,
            "ks2": [
                "recorded": model.ks2.recorded, "reading": model.ks2.reading, "maths": model.ks2.maths,
                "average": model.ks2.average, "band": model.ks2.band,
            ] as [String: Any],
            "progressKey": model.progressKey.map { ["symbol": $0.symbol, "words": $0.words, "meaning": $0.meaning] },
            "years": model.years.map { y -> [String: Any] in
                [
                    "academicYear": y.academicYear, "yearGroup": String(y.yearGroup), "keyStage": y.keyStage,
                    "hasTransition": y.transition != nil, "transition": y.transition ?? "", "transitionNote": y.transitionNote, "tutorGroup": y.tutorGroup,
                    "responsible": y.responsible, "responsibleSource": y.responsibleSource,
                    "hasCollections": !y.collections.isEmpty, "noCollections": y.collections.isEmpty,
                    "collections": y.collections.map { ["name": $0] },
                    "subjects": y.subjects.map { s -> [String: Any] in
                        [
                            "subject": s.subject, "classAndTeachers": s.classAndTeachers, "target": s.target,
                            "cells": s.cells.map { ["workingAt": $0.workingAt, "progress": $0.progress, "symbol": $0.symbol, "band": $0.band, "atl": $0.atl] },
                        ]
                    },
                    "hasInterventions": !y.interventions.isEmpty,
                    "interventions": y.interventions.map { ["title": $0.title, "type": $0.type, "dates": $0.dates, "subjects": $0.subjects, "runBy": $0.runBy] },
                ]
            },
            "hasFlightPaths": !model.flightPaths.isEmpty,
            "flightPaths": model.flightPaths.map { c -> [String: Any] in
                [
                    "subject": c.subject, "title": c.title, "svg": c.svg,
                    "rows": c.rows.map { ["collection": $0.collection, "target": $0.target, "expected": $0.expected, "workingAt": $0.workingAt, "progress": $0.progress] },
                ]
            },
        ]
    }
}
