import Foundation
import HeadwayAnalytics
import HeadwayCore
import Mustache

/// Reports to parents and carers (issue 7, item 1): one per pupil per reporting point — the
/// school, the pupil and their tutor group, the member of staff responsible for their year,
/// attendance where the school imports it, and for every subject they study: teacher, target,
/// working-at grade, attitude to learning, a progress indicator in words and a symbol, and a
/// small trend chart with its numbers beside it; then a plain explanation of the grades.
///
/// A page is a model and a view: ``models(_:evaluation:point:pupils:logo:flightPaths:)`` builds
/// display-ready text from one ``YearIndex`` and one ``ProgressStatus/Evaluation`` (computed once
/// for the whole school, never per pupil); ``Renderer`` renders one pupil or a whole tutor group
/// through one compiled Mustache template (``defaultTemplate``, or the school's own). Nothing here
/// reads files or the clock: the caller passes the logo as a `data:` URI.
///
/// Safety: each model holds one pupil's data only, so a per-pupil page can show no other child's;
/// every value is escaped by Mustache and every chart text by ``SVG/escape(_:)``.
public enum ParentReport {
    // MARK: Model

    /// One pupil's report, every field display-ready text.
    public struct Model: Hashable, Sendable {
        /// The pupil (for file names; not shown).
        public var pupil: Pupil.ID
        /// The pupil's tutor group as stored, nil for none (for grouping; ``tutorGroup`` is shown).
        public var tutorGroupKey: String?
        /// The school's name.
        public var schoolName: String
        /// The school's logo as a `data:image/…` URI, nil for none.
        public var logo: String?
        /// "Forename Surname".
        public var pupilName: String
        /// "Year 10".
        public var yearGroup: String
        /// "10A", or "" when the pupil has no tutor group.
        public var tutorGroup: String
        /// The report's name: the reporting event's ("Spring report"), else the collection's name
        /// in parents' words with "report" added ("Summer 2027 report"; ``collectionTitle(_:)``).
        public var reportName: String
        /// The event's date, else the collection's publish date, as "22 March 2027"; nil for none.
        public var reportDate: String?
        /// The data collection whose grades the report shows, by its name in parents' words
        /// ("Spring 2027" for a collection `DC2` named "DC2 Spring 2027"; ``collectionTitle(_:)``).
        public var collectionName: String
        /// The staff responsible for the pupil's year group this academic year; empty when nobody
        /// is named.
        public var responsible: [Person]
        /// Attendance this year as "94.6%", nil when the pupil has no usable
        /// ``Characteristic/attendance`` (the line is then left out, never shown as 0).
        public var attendance: String?
        /// One line per subject studied, in the school's subject order.
        public var subjects: [SubjectLine]
        /// The collections in the trend charts, in order: the chart's label and the name.
        public var collections: [CollectionName]
        /// Whether any trend shows an expected grade with a decimal ("2.5"), so the key says what
        /// a decimal means.
        public var decimalExpected: Bool
        /// How to read the grades of the scales this pupil's subjects use, one sentence each.
        public var gradeNotes: [String]
        /// How to read the attitude-to-learning scale(s), one sentence each.
        public var atlNotes: [String]
    }

    /// A collection as the trend tables name it, and its full name for the key.
    public struct CollectionName: Hashable, Sendable {
        /// The short name: the first word of ``name`` ("Spring") when every collection shown has a
        /// different first word of at most 6 characters and there are at most 4; otherwise "" (the
        /// tables then use ``name``). The charts write its first three letters under the axis.
        public var label: String
        /// Its name in parents' words (``ParentReport/collectionTitle(_:)``), e.g. `Spring 2027`.
        public var name: String

        /// A collection's label and name.
        public init(label: String, name: String) {
            self.label = label
            self.name = name
        }
    }

    /// A member of staff named on the report.
    public struct Person: Hashable, Sendable {
        /// "Mr Patel" (``Staff/displayName``).
        public var name: String
        /// "Head of Year 10", "Progress leader for Year 10".
        public var role: String
        /// Their email address, nil when not stored.
        public var email: String?

        /// A person as the report names them.
        public init(name: String, role: String, email: String? = nil) {
            self.name = name
            self.role = role
            self.email = email
        }
    }

    /// One subject on the report.
    public struct SubjectLine: Hashable, Sendable {
        /// The subject's name.
        public var subject: String
        /// The class's teachers' display names ("Ms Smith, Mr Patel"), or "Not recorded".
        public var teachers: String
        /// The target grade's code, or "No target".
        public var target: String
        /// The working-at grade at the report's collection ("6-", "DEV — Developing"), or
        /// "Not assessed this time" (X), "Not required this time" (Z), "Not yet assessed" (blank,
        /// no entry, or a value off the subject's scale).
        public var workingAt: String
        /// ATL with its label ("2 — Good"), "Not assessed this time" (X), or "Not recorded".
        public var atl: String
        /// The progress indicator.
        public var progress: Indicator
        /// The trend: one point per collection of the pupil's year group up to the report's.
        public var trend: [TrendPoint]
        /// The trend chart (inline SVG drawn by ``SVG/trend(id:title:description:labels:workingAt:expected:range:width:height:)``,
        /// every text escaped); "" when no collection has a grade or an expected grade.
        public var chart: String
    }

    /// One collection in a subject's trend, as the table beside the chart shows it.
    public struct TrendPoint: Hashable, Sendable {
        /// The collection as the table beside the chart names it: the chart's label (`Autumn`,
        /// ``CollectionName/label``) when it has one, else the collection's name in parents' words
        /// (`Autumn 2026`, ``ParentReport/collectionTitle(_:)``); the key lists the full names.
        public var label: String
        /// The working-at grade's code, or "not assessed" (X), "not required" (Z), "–" (none).
        public var workingAt: String
        /// The expected grade at that point of the flight path, or "–" without a target:
        /// a whole grade by its code ("6", "5-5"); on a scale whose grades are numbers (GCSE 9–1)
        /// one decimal where it is not whole ("2.5", "5.8"), so it never reads as the grade a
        /// pupil is working at when it is half a grade away; on other scales the nearest grade
        /// when within a quarter of a grade ("5-5" for 5.1 on combined science), else "between A
        /// and B"; on a numeric scale the number to one decimal. Rule: ``expectedText(_:scale:)``.
        public var expected: String

        /// One collection of a trend, as shown.
        public init(label: String, workingAt: String, expected: String) {
            self.label = label
            self.workingAt = workingAt
            self.expected = expected
        }
    }

    /// A progress indicator: a symbol and words, never colour alone.
    public struct Indicator: Hashable, Sendable {
        /// ▲ above, ● on track, ▽ below, ▼ well below (``ProgressStatus/Band/symbol``); ○ when
        /// there is no status.
        public var symbol: String
        /// "Ahead of expected progress", "On track", "Behind expected progress", "Well behind
        /// expected progress"; without a status "Not yet assessed", "Not assessed this time",
        /// "Not required this time", "No target", or "Not measured against a target this year"
        /// (outside the flight path, e.g. Year 12).
        public var words: String
        /// A CSS class name: `above`, `on-track`, `below`, `well-below`, `none`.
        public var kind: String

        /// An indicator; ``band(_:)`` and ``none(_:)`` give the standard ones.
        public init(symbol: String, words: String, kind: String) {
            self.symbol = symbol
            self.words = words
            self.kind = kind
        }

        /// The indicator of a ``ProgressStatus/Band`` (the residual to the flight path at this
        /// collection; thresholds in ``ProgressStatus/Thresholds``), in words true for a parent.
        ///
        /// The band compares the working-at grade with the grade *expected at this point* of the
        /// flight path, which rises through the years to the target at the end of Year 11 — not
        /// with the target itself: a Year 7 pupil working at 4 with a target of 6 can be above.
        /// So a parent reads "Ahead of expected progress", never "Above target" (issue 7
        /// break-test: 1,117 of the demo's 3,708 "above" entries at DC2 were below their target).
        /// Staff pages keep the band's own words (above, on track, below, well below).
        public static func band(_ band: ProgressStatus.Band) -> Indicator {
            switch band {
            case .above: Indicator(symbol: band.symbol, words: "Ahead of expected progress", kind: "above")
            case .onTrack: Indicator(symbol: band.symbol, words: "On track", kind: "on-track")
            case .below: Indicator(symbol: band.symbol, words: "Behind expected progress", kind: "below")
            case .wellBelow: Indicator(symbol: band.symbol, words: "Well behind expected progress", kind: "well-below")
            }
        }

        /// No status, with the words saying why.
        public static func none(_ words: String) -> Indicator { Indicator(symbol: ProgressStatus.Band.noStatusSymbol, words: words, kind: "none") }
    }

    // MARK: Reporting point

    /// Which report: a collection's data, optionally named by a reporting event of kind
    /// ``ReportingEvent/Kind/report``.
    public struct ReportingPoint: Hashable, Sendable {
        /// The collection whose grades are reported.
        public var collection: DataCollection
        /// The event chosen, if any; without one each pupil's report takes its name from the
        /// calendar (``event(forYearGroup:in:)``).
        public var event: ReportingEvent?
        /// The year groups covered, ascending; empty means every year group. The event's year
        /// groups (those the collection covers), else the collection's.
        public var yearGroups: [Int]

        /// The point for `collection`, named by `event` when given.
        public init(collection: DataCollection, event: ReportingEvent? = nil) {
            self.collection = collection
            self.event = event
            let own = event?.yearGroups ?? []
            let years = own.isEmpty ? collection.yearGroups : collection.yearGroups.isEmpty ? own : own.filter(collection.yearGroups.contains)
            yearGroups = Set(years).sorted()
        }

        /// Whether pupils of `yearGroup` get this report.
        public func covers(_ yearGroup: Int) -> Bool { yearGroups.isEmpty || yearGroups.contains(yearGroup) }

        /// The event naming the report of a year group: the chosen event; else the calendar's
        /// report events using this collection that cover the year group (an event listing no
        /// year group covers all), earliest first, then by id; nil when there is none.
        public func event(forYearGroup yearGroup: Int, in calendar: SchoolCalendar) -> ReportingEvent? {
            if let event { return event }
            return calendar.reportingEvents
                .filter { $0.kind == .report && $0.collection == collection.id && ($0.yearGroups.isEmpty || $0.yearGroups.contains(yearGroup)) }
                .min { ($0.date, $0.id) < ($1.date, $1.id) }
        }

        /// The point a user chose by collection code, event id, or both.
        /// - Throws: ``SelectionError`` when neither is given, either is unknown in `year`, the event
        ///   is not a report (a parent–carer meeting), or the two disagree.
        public static func resolve(in year: SchoolYear, collection: String?, event: String?) throws(SelectionError) -> ReportingPoint {
            let collections = year.collections.isEmpty ? "none" : year.collections.map(\.id.rawValue).joined(separator: ", ")
            let reports = year.calendar.reportingEvents.filter { $0.kind == .report }
            let reportList = reports.isEmpty ? "none (add them to the calendar: headway calendar import)" : reports.map(\.id.rawValue).joined(separator: ", ")
            guard collection != nil || event != nil else {
                throw SelectionError(code: "no-reporting-point", message: "choose the report: give --collection (e.g. DC2) or --event (one of \(reportList)).")
            }
            var chosen: ReportingEvent?
            if let event {
                guard let found = year.calendar.reportingEvents.first(where: { $0.id.rawValue == event }) else {
                    throw SelectionError(code: "unknown-event",
                                         message: "no reporting event '\(event)' in \(year.school.name) \(year.academicYear); its reports are \(reportList).")
                }
                guard found.kind == .report else {
                    throw SelectionError(code: "not-a-report",
                                         message: "'\(event)' (\(found.name)) is a parent–carer meeting, not a report; its reports are \(reportList).")
                }
                if let collection, collection != found.collection.rawValue {
                    throw SelectionError(code: "event-collection-mismatch",
                                         message: "'\(event)' (\(found.name)) uses collection \(found.collection), not \(collection): give one of them, or both in agreement.")
                }
                chosen = found
            }
            let code = collection ?? chosen!.collection.rawValue
            guard let found = year.collections.first(where: { $0.id.rawValue == code }) else {
                throw SelectionError(code: "unknown-collection",
                                     message: "no collection '\(code)' in \(year.school.name) \(year.academicYear); its collections are \(collections).")
            }
            return ReportingPoint(collection: found, event: chosen)
        }
    }

    /// A reporting point that cannot be chosen: a code and a message saying what to do.
    public struct SelectionError: Error, Hashable, Sendable, CustomStringConvertible {
        /// `no-reporting-point`, `unknown-event`, `not-a-report`, `event-collection-mismatch`, `unknown-collection`.
        public var code: String
        /// What is wrong and what to do.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    // MARK: Building

    /// The reports of `pupils` (default: every pupil on roll in a year group the point covers,
    /// ordered by year group, tutor group, surname, forename and id) at `point`.
    ///
    /// Everything comes from the one `index` and `evaluation` (``ProgressStatus/evaluate(_:flightPaths:thresholds:)``
    /// over the same index, with the same `flightPaths`): the studied subjects (``YearIndex/studied``),
    /// class teachers, targets and entries; the band of each entry; the expected grade at every
    /// collection of the trend, from the same flight paths (FlightPathSettings, linear by default).
    /// Pupils not on roll, or in a year group the point does not cover, are left out.
    ///
    /// - Parameters:
    ///   - logo: the school's logo as a `data:image/…` URI; any other text (a file path, a web
    ///     address, `javascript:`) is ignored, so the page stays self-contained.
    public static func models(_ index: YearIndex, evaluation: ProgressStatus.Evaluation, point: ReportingPoint,
                              pupils chosen: [Pupil.ID]? = nil, logo: String? = nil,
                              flightPaths: FlightPathSettings = .init()) -> [Model] {
        var builder = Builder(index: index, evaluation: evaluation, point: point, flightPaths: flightPaths,
                              logo: logo.flatMap { $0.hasPrefix("data:image/") ? $0 : nil })
        let year = index.year
        let pupils: [Pupil]
        if let chosen {
            pupils = chosen.compactMap { index.pupils[$0] }.filter { point.covers($0.yearGroup) }
        } else {
            pupils = year.pupils.filter { point.covers($0.yearGroup) }.sorted {
                ($0.yearGroup, $0.tutorGroup ?? "", $0.surname, $0.forename, $0.id) < ($1.yearGroup, $1.tutorGroup ?? "", $1.surname, $1.forename, $1.id)
            }
        }
        let wanted = Set(pupils.map(\.id))
        var pairs: [Pupil.ID: [YearIndex.PupilSubject]] = [:]
        for pair in index.studied where wanted.contains(pair.pupil) { pairs[pair.pupil, default: []].append(pair) }
        var seen = Set<Pupil.ID>()
        return pupils.filter { seen.insert($0.id).inserted }.map { builder.model($0, pairs: pairs[$0.id] ?? []) }
    }

    // MARK: Missing entries

    /// What the reports of some pupils would show as "Not yet assessed" because nothing usable is
    /// entered at the report's collection, so the command can warn before reports go home.
    public struct MissingEntries: Hashable, Sendable {
        /// Subjects (pupil × subject studied) with no working-at entered: no entry, or an entry
        /// whose working-at is blank. `X` (not assessed) and `Z` (not required) are entries.
        public var entries: Int
        /// Pupils with at least one such subject.
        public var pupils: Int
        /// Entries whose working-at is off the subject's scale (also shown as "Not yet assessed").
        public var offScale: Int
        /// The classes with missing entries, most missing first, then by class code.
        public var classes: [Class]

        /// One class's missing entries.
        public struct Class: Hashable, Sendable {
            /// The class code, e.g. `9X/Hi2`, or "no class" for pupils in none.
            public var code: String
            /// Its teachers as "Ms Wood (KWO)", joined with ", "; "" for none.
            public var teachers: String
            /// How many of its pupils have no working-at.
            public var count: Int

            /// One class's count.
            public init(code: String, teachers: String, count: Int) {
                self.code = code
                self.teachers = teachers
                self.count = count
            }
        }

        /// Counts as found by ``ParentReport/missingEntries(_:point:pupils:)``.
        public init(entries: Int, pupils: Int, offScale: Int, classes: [Class]) {
            self.entries = entries
            self.pupils = pupils
            self.offScale = offScale
            self.classes = classes
        }
    }

    /// The missing working-at entries of `pupils` at `point`'s collection, over the subjects each
    /// studies (``YearIndex/studied``), the same pairs their reports list.
    public static func missingEntries(_ index: YearIndex, point: ReportingPoint, pupils: [Pupil.ID]) -> MissingEntries {
        let wanted = Set(pupils)
        var entries = 0, offScale = 0, missingPupils = Set<Pupil.ID>(), byClass: [String: (teachers: String, count: Int)] = [:]
        for pair in index.studied where wanted.contains(pair.pupil) {
            switch index.workingAt(point.collection.id, pair) {
            case nil:
                entries += 1
                missingPupils.insert(pair.pupil)
                let group = index.teachingGroup(of: pair)
                let code = group?.id.rawValue ?? "no class"
                let teachers = (group?.teachers ?? []).map(index.staffName).joined(separator: ", ")
                byClass[code, default: (teachers, 0)].count += 1
            case .offScale?: offScale += 1
            default: break
            }
        }
        let classes = byClass.map { MissingEntries.Class(code: $0.key, teachers: $0.value.teachers, count: $0.value.count) }
            .sorted { ($1.count, $0.code) < ($0.count, $1.code) }
        return MissingEntries(entries: entries, pupils: missingPupils.count, offScale: offScale, classes: classes)
    }

    /// Per-school lookups made once and reused for every pupil.
    struct Builder {
        let index: YearIndex
        let evaluation: ProgressStatus.Evaluation
        let point: ReportingPoint
        let flightPaths: FlightPathSettings
        let logo: String?
        let subjectOrder: [Subject.ID: Int]
        var collectionsOf: [Int: [DataCollection]] = [:]
        var responsibleOf: [Int: [Person]] = [:]
        var eventOf: [Int: ReportingEvent?] = [:]
        var paths: [PathKey: FlightPath] = [:]
        var wholeGrades: [GradeScale.ID: [GradeScale.Grade]] = [:]
        var shortNamesOf: [Int: [String]] = [:]

        struct PathKey: Hashable {
            var subject: Subject.ID
            var target: Double
            var perYear: Int
        }

        init(index: YearIndex, evaluation: ProgressStatus.Evaluation, point: ReportingPoint, flightPaths: FlightPathSettings, logo: String?) {
            self.index = index
            self.evaluation = evaluation
            self.point = point
            self.flightPaths = flightPaths
            self.logo = logo
            subjectOrder = Dictionary(index.year.subjects.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        }

        mutating func model(_ pupil: Pupil, pairs: [YearIndex.PupilSubject]) -> Model {
            let year = index.year, y = pupil.yearGroup
            if collectionsOf[y] == nil {
                collectionsOf[y] = index.collections.filter { $0.yearGroups.isEmpty || $0.yearGroups.contains(y) }
            }
            let yearCollections = collectionsOf[y]!
            let shown = yearCollections.filter { $0.sequence <= point.collection.sequence }
            if shortNamesOf[y] == nil { shortNamesOf[y] = ParentReport.shortNames(shown.map { ParentReport.collectionTitle($0) }) }
            if eventOf[y] == nil { eventOf[y] = .some(point.event(forYearGroup: y, in: year.calendar)) }
            let event = eventOf[y]!
            if responsibleOf[y] == nil { responsibleOf[y] = ParentReport.responsible(forYearGroup: y, in: year) }

            let ordered = pairs.sorted { (subjectOrder[$0.subject] ?? Int.max, $0.subject) < (subjectOrder[$1.subject] ?? Int.max, $1.subject) }
            var lines: [SubjectLine] = []
            var scalesUsed: [(scale: GradeScale, subjects: [String])] = []
            var atlScales: [GradeScale] = []
            for pair in ordered {
                let subject = index.subjects[pair.subject]
                let name = subject?.name ?? pair.subject.rawValue
                let scale = index.scale(of: pair)
                if let scale {
                    if let i = scalesUsed.firstIndex(where: { $0.scale.id == scale.id }) { scalesUsed[i].subjects.append(name) } else {
                        scalesUsed.append((scale, [name]))
                    }
                }
                let atlScale = subject.flatMap { year.scales[$0.atlScale] }
                if let atlScale, !atlScales.contains(where: { $0.id == atlScale.id }) { atlScales.append(atlScale) }
                lines.append(line(pupil, pair, name: name, scale: scale, atlScale: atlScale, yearCollections: yearCollections, shown: shown,
                                  shortNames: shortNamesOf[y]!))
            }
            let attendance = pupil.characteristics[Characteristic.attendance].flatMap(ParentReport.attendance)
            return Model(
                pupil: pupil.id, tutorGroupKey: pupil.tutorGroup, schoolName: year.school.name, logo: logo,
                pupilName: pupil.displayName, yearGroup: "Year \(y)", tutorGroup: pupil.tutorGroup ?? "",
                reportName: event?.name ?? ParentReport.reportTitle(point.collection),
                reportDate: (event?.date ?? point.collection.publishes).map(ParentReport.dateText),
                collectionName: ParentReport.collectionTitle(point.collection), responsible: responsibleOf[y]!, attendance: attendance,
                subjects: lines,
                collections: zip(shortNamesOf[y]!, shown).map { CollectionName(label: $0, name: ParentReport.collectionTitle($1)) },
                decimalExpected: lines.contains { $0.trend.contains { ParentReport.isDecimal($0.expected) } },
                gradeNotes: ParentReport.gradeNotes(scalesUsed), atlNotes: atlScales.compactMap(ParentReport.atlNote))
        }

        mutating func line(_ pupil: Pupil, _ pair: YearIndex.PupilSubject, name: String, scale: GradeScale?, atlScale: GradeScale?,
                           yearCollections: [DataCollection], shown: [DataCollection], shortNames: [String]) -> SubjectLine {
            let collection = point.collection.id
            let entry = index.entry(collection, pair)
            let teachers = index.teachers(of: pair).map { index.staff[$0]?.displayName ?? $0.rawValue }
            let target = index.target(of: pair)
            var targetGrade: GradeScale.Grade?
            if case .grade(let g)? = target?.grade { targetGrade = g }

            let workingAt: String
            switch entry?.workingAt {
            case .grade(let g)?: workingAt = ParentReport.gradeText(g)
            case .notAssessed?: workingAt = "Not assessed this time"
            case .notRequired?: workingAt = "Not required this time"
            case .offScale?, nil: workingAt = "Not yet assessed"
            }
            let atl: String
            switch entry?.atl {
            case .grade(let g)?: atl = ParentReport.gradeText(g)
            case .notAssessed?: atl = "Not assessed this time"
            default: atl = "Not recorded"
            }

            let progress: Indicator
            if let status = evaluation.status(pupil: pupil.id, subject: pair.subject, collection: collection) {
                progress = .band(status.band)
            } else {
                switch entry?.workingAt {
                case .notAssessed?: progress = .none("Not assessed this time")
                case .notRequired?: progress = .none("Not required this time")
                case .grade?: progress = targetGrade == nil ? .none("No target") : .none("Not measured against a target this year")
                case .offScale?, nil: progress = .none("Not yet assessed")
                }
            }

            // The trend: every collection of the year group up to this one, against the flight path.
            var points: [TrendPoint] = [], working: [Double?] = [], expected: [Double?] = []
            var words: [String] = []
            for (i, c) in shown.enumerated() {
                let value = index.workingAt(c.id, pair)
                var e: Double?
                if let targetGrade, let rank = yearCollections.firstIndex(where: { $0.id == c.id }) {
                    let key = PathKey(subject: pair.subject, target: targetGrade.points, perYear: yearCollections.count)
                    if paths[key] == nil {
                        paths[key] = flightPaths.path(to: targetGrade.points, subject: pair.subject, collectionsPerYear: yearCollections.count)
                    }
                    e = paths[key]!.expected(at: FlightPath.Checkpoint(yearGroup: pupil.yearGroup, collection: rank + 1))
                }
                let w: String
                switch value {
                case .grade(let g)?: w = g.code
                case .notAssessed?: w = "not assessed"
                case .notRequired?: w = "not required"
                case .offScale?, nil: w = "–"
                }
                let shownExpected = e.map { expectedText($0, scale: scale) } ?? "–"
                let title = ParentReport.collectionTitle(c)
                points.append(TrendPoint(label: shortNames[i].isEmpty ? title : shortNames[i], workingAt: w, expected: shownExpected))
                working.append(value?.points)
                expected.append(e)
                words.append("\(title): " + (value?.points == nil ? (w == "–" ? "no grade" : w) : "working at \(w)")
                             + (e == nil ? "" : ", expected \(shownExpected)"))
            }
            var chart = ""
            if working.contains(where: { $0 != nil }) || expected.contains(where: { $0 != nil }) {
                let range = ParentReport.range(of: scale, values: (working + expected).compactMap { $0 })
                let aim = targetGrade.map { "on the way to the target of \($0.code)" } ?? "(no target, so no expected grade)"
                chart = SVG.trend(
                    id: "trend-\(ParentReport.fileSafe(pupil.id.rawValue))-\(ParentReport.fileSafe(pair.subject.rawValue))",
                    title: "\(name): working-at grade this year",
                    description: "\(name): the grade \(pupil.displayName) was working at each time grades were recorded this year (solid line, dots; a gap means no grade that time) "
                        + "against the grade expected at that point \(aim) (dashed line, diamonds). " + words.joined(separator: "; ") + ".",
                    labels: ParentReport.chartTicks(shortNames), workingAt: working, expected: expected, range: range,
                    axis: ParentReport.axisLabels(scale, range: range))
            }
            return SubjectLine(subject: name, teachers: teachers.isEmpty ? "Not recorded" : teachers.joined(separator: ", "),
                               target: targetGrade?.code ?? "No target", workingAt: workingAt, atl: atl, progress: progress,
                               trend: points, chart: chart)
        }

        /// The expected grade as shown (``TrendPoint/expected``). Whole grades are those whose code
        /// is their band (`5`, not `5-` or `6/5`; every grade when none is). Rule, in order:
        /// 1. no scale, or a numeric scale: the number to one decimal;
        /// 2. `points` to one decimal is a whole grade's points: that grade's code (`6`, `5-5`);
        /// 3. a scale whose whole grades are numbers equal to their points (GCSE 9–1; `U` at 0):
        ///    one decimal (`2.5`, `5.8`) — a rounded whole grade would show "expected 3" beside
        ///    a pupil working at 3 and marked ahead (issue 7 break-test);
        /// 4. otherwise the nearest whole grade (the higher on a tie) when within a quarter of a
        ///    point (closer than any band threshold, so it never contradicts the symbol), else
        ///    "between A and B" with the whole grades either side.
        mutating func expectedText(_ points: Double, scale: GradeScale?) -> String {
            guard let scale, scale.numeric == nil, !scale.grades.isEmpty else { return SVG.number(points, places: 1) }
            if wholeGrades[scale.id] == nil {
                let whole = scale.grades.filter { $0.code == $0.band }
                wholeGrades[scale.id] = (whole.isEmpty ? scale.grades : whole).sorted { $0.points < $1.points }
            }
            let whole = wholeGrades[scale.id]!
            let rounded = (points * 10).rounded() / 10
            if let exact = whole.first(where: { abs($0.points - rounded) < 1e-9 }) { return exact.code }
            if whole.allSatisfy({ Double($0.code) == $0.points || $0.points == 0 }) { return SVG.number(points, places: 1) }
            var best = whole[0]
            for g in whole where abs(g.points - points) <= abs(best.points - points) + 1e-9 { best = g }
            if abs(best.points - points) <= 0.25 + 1e-9 { return best.code }
            guard let below = whole.last(where: { $0.points < points }), let above = whole.first(where: { $0.points > points }) else { return best.code }
            return "between \(below.code) and \(above.code)"
        }
    }

    /// Whether an expected grade as shown is a number with a decimal ("2.5").
    static func isDecimal(_ text: String) -> Bool { text.contains(".") && Double(text) != nil }

    /// A collection's name in parents' words: its name without a leading copy of its code and the
    /// separator after it (`DC2 Spring 2027` → `Spring 2027`, `DC2: Spring` → `Spring`), since the
    /// code is the school's internal shorthand; the name as stored otherwise; the code when the
    /// name is empty.
    public static func collectionTitle(_ collection: DataCollection) -> String {
        let code = collection.id.rawValue, name = collection.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return code }
        guard !code.isEmpty, name.count > code.count, name.lowercased().hasPrefix(code.lowercased()) else { return name }
        let rest = name.dropFirst(code.count)
        guard let first = rest.first, " :-–—·".contains(first) else { return name }
        let title = rest.drop { " :-–—·".contains($0) }
        return title.isEmpty ? name : String(title)
    }

    /// The report's name without a reporting event: the collection's title with "report" added
    /// unless it ends with it ("Summer 2027 report"; "Summer report" stays).
    public static func reportTitle(_ collection: DataCollection) -> String {
        let title = collectionTitle(collection)
        return title.lowercased().hasSuffix("report") ? title : title + " report"
    }

    /// The collections' short names, for the table beside each trend chart: each title's first
    /// word when there are at most 4 titles and their first words are different and at most 6
    /// characters long ("Autumn", "Spring", "Summer"); otherwise "" each (the table then gives the
    /// whole titles).
    static func shortNames(_ titles: [String]) -> [String] {
        let first = titles.map { String($0.split(separator: " ").first ?? "") }
        guard titles.count <= 4, first.allSatisfy({ !$0.isEmpty && $0.count <= 6 }), Set(first).count == first.count else {
            return titles.map { _ in "" }
        }
        return first
    }

    /// The x labels of a trend chart: the short names' first three letters ("Aut", "Spr", "Sum"),
    /// which fit under three points of the 108-pixel chart (at 8 px a six-letter word beside an
    /// end-anchored one overlaps); "" each when there are no short names or two would share
    /// their first three letters (the table beside the chart names every collection in order).
    static func chartTicks(_ shortNames: [String]) -> [String] {
        let ticks = shortNames.map { String($0.prefix(3)) }
        guard ticks.allSatisfy({ !$0.isEmpty }), Set(ticks).count == ticks.count else { return shortNames.map { _ in "" } }
        return ticks
    }

    // MARK: Text

    /// A grade with its words when the scale has them: `2 — Good`, `DEV — Developing`, `6-`.
    static func gradeText(_ grade: GradeScale.Grade) -> String {
        guard let label = grade.label, !label.isEmpty else { return grade.code }
        return "\(grade.code) — \(label)"
    }

    /// "94.6%" from a characteristic such as `94.6`, ` 94.6 % `, `100`; nil unless a number from
    /// 0 to 100 (a value that is not a percentage is left off the report rather than shown wrong).
    static func attendance(_ text: String) -> String? {
        var t = Substring(text)
        while t.first == " " { t = t.dropFirst() }
        while t.last == " " || t.last == "%" { t = t.dropLast() }
        guard let value = Double(t), value.isFinite, (0...100).contains(value) else { return nil }
        return SVG.number(value, places: 1) + "%"
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// "22 March 2027".
    static func dateText(_ date: CalendarDate) -> String { "\(date.day) \(months[date.month - 1]) \(date.year)" }

    /// The staff responsible for a year group (``SchoolYear/responsibleStaff(forYearGroup:)``) with
    /// their role: "Head of Year 10" or "Progress leader for Year 10" as stored for the year, else
    /// "Head of Year 10" (they hold the head-of-year role).
    static func responsible(forYearGroup y: Int, in year: SchoolYear) -> [Person] {
        year.responsibleStaff(forYearGroup: y).map { staff in
            let stored = year.responsibilities.first { $0.academicYear == year.academicYear && $0.yearGroup == y && $0.staff == staff.id }
            let role = stored?.role == .progressLeader ? "Progress leader for Year \(y)" : "Head of Year \(y)"
            return Person(name: staff.displayName, role: role, email: staff.email.flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    /// The y axis of a trend chart: the values' own range, widened by one point each way to
    /// whole points and to at least ``trendSpan`` points, kept within the scale's range (lowest to
    /// highest grade, or the numeric range) where there is one. Issue 12, item 8: the whole scale
    /// (U to 9) made a grade's movement a flat line; a few points either side shows it.
    static func range(of scale: GradeScale?, values: [Double]) -> ClosedRange<Double> {
        guard let first = values.min(), let last = values.max() else { return 0...1 }
        var bounds: ClosedRange<Double>?
        if let numeric = scale?.numeric {
            bounds = numeric.minimum...numeric.maximum
        } else if let scale, let a = scale.grades.map(\.points).min(), let b = scale.grades.map(\.points).max() {
            bounds = a...b
        }
        // The scale's range, widened to any value outside it; nothing limits a chart without a scale.
        let floor = bounds.map { min($0.lowerBound, first) } ?? -Double.infinity
        let ceiling = bounds.map { max($0.upperBound, last) } ?? Double.infinity
        var low = max((first - 1).rounded(.down), floor), high = min((last + 1).rounded(.up), ceiling)
        while high - low < trendSpan, low > floor || high < ceiling {
            if high < ceiling { high = min(high + 1, ceiling) }
            if high - low < trendSpan, low > floor { low = max(low - 1, floor) }
        }
        return low...max(high, low)
    }

    /// The smallest y range of a trend chart, in points: four GCSE grades.
    static let trendSpan = 4.0

    /// The y axis's end labels of a trend chart: the code of the grade at each end (a whole
    /// grade — code equal to its band — when there is one: `3`, `7`, `U`), or the number.
    static func axisLabels(_ scale: GradeScale?, range: ClosedRange<Double>) -> (low: String, high: String) {
        func label(_ points: Double) -> String {
            let at = scale?.grades.filter { abs($0.points - points) < 1e-9 } ?? []
            return (at.first { $0.code == $0.band } ?? at.first)?.code ?? SVG.number(points, places: 1)
        }
        return (label(range.lowerBound), label(range.upperBound))
    }

    /// One sentence per grade scale used, for a reader who has never seen the scales: the GCSE
    /// and combined-science scales in words, any other enumerated scale as its grades from lowest
    /// to highest, a numeric scale as its range. With more than one scale, each sentence but the
    /// one for the scale with most subjects names its subjects; that one says "All other subjects".
    static func gradeNotes(_ used: [(scale: GradeScale, subjects: [String])]) -> [String] {
        let main = used.indices.max { used[$0].subjects.count < used[$1].subjects.count || (used[$0].subjects.count == used[$1].subjects.count && $0 > $1) }
        var notes: [(Bool, String)] = []
        for (i, entry) in used.enumerated() {
            let text = scaleNote(entry.scale)
            if used.count == 1 {
                notes.append((true, text.prefix(1).uppercased() + text.dropFirst()))
            } else if i == main {
                notes.append((true, "All other subjects: " + text))
            } else {
                notes.append((false, entry.subjects.joined(separator: ", ") + ": " + text))
            }
        }
        // The named subjects first, then "All other subjects".
        return notes.filter { !$0.0 }.map(\.1) + notes.filter(\.0).map(\.1)
    }

    /// How to read one scale.
    static func scaleNote(_ scale: GradeScale) -> String {
        if scale.id == GradeScale.gcseID {
            return "grades run from 9 (highest) to 1 (lowest), as at GCSE; U means ungraded. A 4 is a standard pass and a 5 a strong pass. "
                + "A + or − after a grade shows it is secure or only just reached (6+ is a secure 6, 6− is nearly a 6), and 7/6 means between a 6 and a 7."
        }
        if scale.id == GradeScale.combinedScienceID {
            return "grades come in pairs, because the course is worth two GCSEs: from 9-9 (highest) to 1-1 (lowest); 6-5 is between a 5 and a 6."
        }
        if let numeric = scale.numeric {
            return "\(scale.name): a mark from \(SVG.number(numeric.minimum, places: 1)) to \(SVG.number(numeric.maximum, places: 1)); "
                + (scale.higherIsBetter ? "higher is better." : "lower is better.")
        }
        let grades = scale.grades.sorted { $0.points < $1.points }
        let listed = grades.count <= 12
            ? grades.map { g in g.label.map { "\(g.code) (\($0))" } ?? g.code }.joined(separator: ", ")
            : "\(grades.first!.code) to \(grades.last!.code)"
        return "\(scale.name), from lowest to highest: \(listed)" + (scale.higherIsBetter ? "." : "; a lower grade is better.")
    }

    /// How to read an attitude-to-learning scale, best first: "1 (Excellent) is best, then 2
    /// (Good), 3 (Requires improvement), 4 (Cause for concern)." Nil for a scale with no grades.
    static func atlNote(_ scale: GradeScale) -> String? {
        guard !scale.grades.isEmpty else { return nil }
        let best = scale.grades.sorted { scale.higherIsBetter ? $0.points > $1.points : $0.points < $1.points }
        let words = best.map { g in g.label.map { "\(g.code) (\($0))" } ?? g.code }
        return "Attitude to learning is scored from \(best.first!.code) to \(best.last!.code): " + words[0] + " is best, then "
            + words.dropFirst().joined(separator: ", ") + "."
    }

    /// The file name, without extension, of a pupil's own page in every report (issue 12, item
    /// 6): the id through ``fileSafe(_:)``, a `.`, then the pupil's name in ASCII letters, digits
    /// and `-` (accents dropped, other characters as `-`) — `000123.Zoe-O-Neil` for Zoë O'Neil —
    /// so that staff can find a child's file by name. ``fileSafe(_:)`` never writes a `.`, so the
    /// part before it is the id's alone and two pupils never share a name. The id alone when the
    /// name has no letters or digits.
    public static func pupilFileName(id: Pupil.ID, name: String) -> String {
        let plain = name.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        let words = plain.unicodeScalars.split { !($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
        let slug = words.map { String(String.UnicodeScalarView($0)) }.joined(separator: "-")
        return fileSafe(id.rawValue) + (slug.isEmpty ? "" : "." + slug)
    }

    /// A name safe as a file name or an SVG id (every report command names its files with it): letters, digits, `-` and `_` kept, anything else
    /// `_`; when anything was replaced (or the text is empty), `-` and 8 hex digits of the text's
    /// FNV-1a hash are added so that two different texts never share a name. `10A` → `10A`,
    /// `10/A` → `10_A-` + hash.
    public static func fileSafe(_ text: String) -> String {
        var out = "", changed = text.isEmpty
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "_"
                changed = true
            }
        }
        guard changed else { return out }
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16)
        return out + "-" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
