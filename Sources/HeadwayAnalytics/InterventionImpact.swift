import HeadwayCore

/// The measured impact of an intervention (issue 6, item 4; DOMAIN.md "Act"): how much more the
/// outcome of the pupils in it changed, from the last collection before it started to the first
/// after it ended, than the outcome of matched pupils not in it. The method is written out for a
/// reviewer to recompute in a spreadsheet in `docs/intervention-impact.md`; in short:
///
/// - **Unit**: a pupil × subject *entry*. **Outcome** (``Outcome``): the residual to target
///   (``ProgressStatus/residual``: working-at minus the flight-path grade expected at that
///   collection) or the working-at grade's points. **Change** = outcome at the *after* collection
///   − outcome at the *before* collection. Only grades count: a blank, `X`, `Z` or off-scale value
///   at either end (or, for the residual, no target or no expected grade) excludes the entry, and
///   it is counted under its ``Exclusion`` reason (the before end is checked first; one reason per
///   entry).
/// - **Before / after** (``Context/placement(starts:ends:yearGroup:)``): per pupil, from the
///   collections of the pupil's year group that have a date — the year group's
///   ``CollectionWindow`` deadline in the calendar, else ``DataCollection/deadline`` — the last
///   dated on or before the start and the first dated on or after the end (and later than the
///   before collection). Or explicit collections for a group (``Context/measure(group:label:from:to:subjects:)``).
/// - **Treated** entries: the pupils × the intervention's subjects (each pupil's studied subjects
///   when it names none). **Comparison pool**: the entries of pupils not in it (for a pooled
///   analysis, in none of the interventions pooled) in the same year group, collections and subject.
/// - **Matching** (exact stratification, coarsened exact matching): stratum = (before, after,
///   year group, subject, KS2 prior attainment band or unknown, starting band = ⌊outcome at
///   before⌋). A treated entry in a stratum with no comparison entry is *unmatched*: counted,
///   reported, left out.
/// - **Effect** (difference in differences, average effect on the treated):
///   Σₛ wₛ (mean treated changeₛ − mean comparison changeₛ), wₛ = treated matchedₛ / all treated matched.
/// - **95% interval**, cluster-robust by pupil (CR1; issue 6, because the entries
///   of one pupil move together — a pupil who has a bad term has it in most subjects — so counting
///   a mentored pupil's ten subjects as ten independent observations makes intervals too
///   narrow). Each entry's part of the estimator's influence function is summed per pupil. With
///   N_T matched treated entries and wₛ = n_Tₛ / N_T: per matched treated pupil p,
///   u_p = Σ_{e∈p} (y_e − ȳ_Cₛ₍ₑ₎ − effect) / N_T — each treated entry's difference from its
///   stratum's comparison mean, measured against the overall effect — and
///   V_T = G_T/(G_T − 1) × Σ_p u_p²; per comparison pupil q,
///   v_q = Σ_{c∈q} (wₛ₍c₎ / n_Cₛ₍c₎)(y_c − ȳ_Cₛ₍c₎), and V_C = G_C/(G_C − 1) × Σ_q v_q²
///   (G_T, G_C = distinct matched pupils on each side). Var = V_T + V_C; df by
///   Welch–Satterthwaite, Var² / (V_T²/(G_T − 1) + V_C²/(G_C − 1)), rounded down, at least 1
///   (with Var = 0, min(G_T, G_C) − 1); effect ± t₀.₉₇₅(df) × √Var, t from
///   ``StudentT/critical95(degreesOfFreedom:)``. Measuring treated entries against the effect,
///   not against their stratum's treated mean, means a stratum with a single treated entry still
///   adds its spread to V_T (against its own mean the entry would deviate by 0, and with mostly
///   one-entry strata V_T would be far too small). With one stratum the two are the same. When
///   every pupil has one entry (one subject, or a row of ``bySubject``) this is a
///   heteroskedasticity-robust (HC1-like) variance of the matched effect. In a pooled analysis a
///   pupil in two of the interventions is one cluster, whatever the periods. It is slightly
///   conservative (see the doc's "What the interval does not cover").
/// - **Too few pupils to judge**: fewer than ``Settings/minimumPupils`` (default 10) distinct
///   matched pupils in it, or as many matched comparison pupils, or fewer than 2 on either side
///   (no cluster-robust variance): the counts and means are given, no effect or interval.
public struct InterventionImpact: Hashable, Sendable {
    /// What is measured for each entry at each end.
    public enum Outcome: String, CaseIterable, Hashable, Sendable {
        /// ``ProgressStatus/residual``: working-at points minus the flight-path grade expected at
        /// the collection (needs the pupil's target in the subject). Removes the climb every pupil
        /// is expected to make between two collections.
        case residual
        /// The working-at grade's points on the subject's scale (one GCSE grade = 1 point).
        case grade

        /// `residual to target (points)`, `working-at grade (points)`.
        public var words: String {
            switch self {
            case .residual: "residual to target (points)"
            case .grade: "working-at grade (points)"
            }
        }
    }

    /// How impact is measured.
    public struct Settings: Hashable, Sendable {
        /// The outcome whose change is measured.
        public var outcome: Outcome
        /// The fewest distinct matched pupils, on each side, for an effect to be reported; below
        /// it the verdict is ``Verdict/tooFewToJudge``. Default ``defaultMinimumPupils`` (10); at
        /// least 1.
        public var minimumPupils: Int
        /// Only these subjects (treated and comparison entries); nil for all.
        public var subjects: Set<Subject.ID>?
        /// The flight paths behind the residual (ignored for ``Outcome/grade``).
        public var flightPaths: FlightPathSettings
        /// The day the impact is measured on (issue 12, item 9): an intervention not started by
        /// then is ``Exclusion/notStarted``, one ending after it ``Exclusion/ongoing``, and a
        /// collection dated after it has not happened yet (``Exclusion/noCollectionAfter``) even
        /// when grades are stored for it — so the impact agrees with ``Intervention/status(on:)``
        /// on the same day. Nil: every stored collection counts, whatever its date.
        public var asOf: CalendarDate?

        /// 10 distinct pupils on each side: below that, one or two pupils' results decide the
        /// answer, and the cluster-robust interval (one cluster per pupil) rests on too few
        /// clusters to be trusted.
        public static let defaultMinimumPupils = 10

        /// Settings; a `minimumPupils` below 1 is taken as 1.
        public init(outcome: Outcome = .residual, minimumPupils: Int = Settings.defaultMinimumPupils, subjects: Set<Subject.ID>? = nil,
                    flightPaths: FlightPathSettings = .init(), asOf: CalendarDate? = nil) {
            self.outcome = outcome
            self.minimumPupils = max(1, minimumPupils)
            self.subjects = subjects
            self.flightPaths = flightPaths
            self.asOf = asOf
        }
    }

    /// Which side of zero the 95% interval of a measured effect lies.
    public enum Direction: String, CaseIterable, Hashable, Sendable {
        /// Lower bound above zero: the pupils in it gained more than matched pupils.
        case aboveZero = "above_zero"
        /// Upper bound below zero: they gained less.
        case belowZero = "below_zero"
        /// The interval includes zero: no measurable difference.
        case spansZero = "spans_zero"
    }

    /// What the figures allow us to say.
    public enum Verdict: Hashable, Sendable {
        /// No entry could be measured yet, and why (e.g. ongoing; no collection after its end yet).
        case notYetMeasurable(String)
        /// Fewer matched pupils than ``Settings/minimumPupils`` on either side, or fewer than 2
        /// (no cluster-robust variance can be formed): counts and means only.
        case tooFewToJudge
        /// An effect with its interval, and where the interval lies.
        case measured(Direction)

        /// `measured_above_zero`, `too_few_to_judge`, `not_yet_measurable`: for CSV.
        public var code: String {
            switch self {
            case .notYetMeasurable: "not_yet_measurable"
            case .tooFewToJudge: "too_few_to_judge"
            case .measured(let d): "measured_\(d.rawValue)"
            }
        }
    }

    /// Why a treated or comparison entry was left out. One reason per entry: placement first,
    /// then the before end, then the after end.
    public enum Exclusion: String, CaseIterable, Hashable, Sendable, Comparable {
        /// The pupil is not on roll this year.
        case notOnRoll = "not_on_roll"
        /// The intervention names no subject and the pupil studies none; counted once for the
        /// pupil. (With ``Settings/subjects`` set, a pupil studying none of them is left out of the
        /// question altogether.)
        case noSubjects = "no_subjects"
        /// The intervention names a subject the pupil does not study (no class, no entry).
        case notStudied = "not_studied"
        /// The intervention starts after the day measured on (``Settings/asOf``): planned.
        case notStarted = "not_started"
        /// The intervention has no end date yet, or ends after the day measured on.
        case ongoing
        /// No collection of the pupil's year group is dated on or before the start.
        case noCollectionBefore = "no_collection_before"
        /// No collection of the pupil's year group is dated on or after the end (yet).
        case noCollectionAfter = "no_collection_after"
        /// The after collection has no grades entered for the pupil's year group yet.
        case afterNotEntered = "after_not_entered"
        /// No entry, or a blank working-at, at the before collection.
        case blankBefore = "blank_before"
        /// `X` (not assessed) at the before collection.
        case notAssessedBefore = "not_assessed_before"
        /// `Z` (not required) at the before collection.
        case notRequiredBefore = "not_required_before"
        /// A value off the subject's scale at the before collection.
        case offScaleBefore = "off_scale_before"
        /// No entry, or a blank working-at, at the after collection.
        case blankAfter = "blank_after"
        /// `X` (not assessed) at the after collection.
        case notAssessedAfter = "not_assessed_after"
        /// `Z` (not required) at the after collection.
        case notRequiredAfter = "not_required_after"
        /// A value off the subject's scale at the after collection.
        case offScaleAfter = "off_scale_after"
        /// Residual only: no target in the subject, or a target that is not a grade.
        case noTarget = "no_target"
        /// Residual only: the flight path has no expected grade at that collection (e.g. Year 12).
        case noExpectedGrade = "no_expected_grade"

        /// Plain words, e.g. `X (not assessed) at the after collection`.
        public var words: String {
            switch self {
            case .notOnRoll: "not on roll"
            case .noSubjects: "no subject studied"
            case .notStudied: "subject not studied"
            case .notStarted: "not started yet"
            case .ongoing: "ongoing (no end date, or not ended yet)"
            case .noCollectionBefore: "no collection before the start"
            case .noCollectionAfter: "no collection after the end yet"
            case .afterNotEntered: "after collection not entered yet"
            case .blankBefore: "blank before"
            case .notAssessedBefore: "X (not assessed) before"
            case .notRequiredBefore: "Z (not required) before"
            case .offScaleBefore: "off scale before"
            case .blankAfter: "blank after"
            case .notAssessedAfter: "X (not assessed) after"
            case .notRequiredAfter: "Z (not required) after"
            case .offScaleAfter: "off scale after"
            case .noTarget: "no target"
            case .noExpectedGrade: "no expected grade on the flight path"
            }
        }

        /// True for the reasons that a later collection can remove: the verdict is
        /// ``Verdict/notYetMeasurable(_:)`` when every excluded entry has one and none was measured.
        public var isNotYet: Bool { self == .notStarted || self == .ongoing || self == .noCollectionAfter || self == .afterNotEntered }

        /// Declaration order.
        public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    /// The before and after collections of the treated pupils of one year group.
    public struct Period: Hashable, Sendable, Comparable {
        /// National Curriculum year group.
        public var yearGroup: Int
        /// The last collection on or before the start (or the explicit `from`).
        public var before: DataCollection.ID
        /// Its date for the year group (deadline), nil when undated (explicit form only).
        public var beforeDate: CalendarDate?
        /// The first collection on or after the end (or the explicit `to`).
        public var after: DataCollection.ID
        /// Its date for the year group, nil when undated (explicit form only).
        public var afterDate: CalendarDate?

        /// A period.
        public init(yearGroup: Int, before: DataCollection.ID, beforeDate: CalendarDate? = nil, after: DataCollection.ID,
                    afterDate: CalendarDate? = nil) {
            self.yearGroup = yearGroup
            self.before = before
            self.beforeDate = beforeDate
            self.after = after
            self.afterDate = afterDate
        }

        /// Year group, then before, then after.
        public static func < (a: Self, b: Self) -> Bool { (a.yearGroup, a.before, a.after) < (b.yearGroup, b.before, b.after) }

        /// `Y10 DC1 → DC3`.
        public var label: String { "Y\(yearGroup) \(before) → \(after)" }
    }

    /// One matching cell: the changes of treated and comparison entries that share period, year
    /// group, subject, KS2 band and starting band. Listed for every cell with a treated entry.
    public struct Stratum: Hashable, Sendable {
        /// Year group and collections.
        public var period: Period
        /// The subject.
        public var subject: Subject.ID
        /// KS2 prior attainment band; nil when the pupil has no KS2 average (band "unknown").
        public var priorAttainment: PriorAttainment.Band?
        /// ⌊outcome at the before collection⌋ (whole points; −1 for a residual of −0.4).
        public var startingBand: Int
        /// Changes of treated entries (count, mean, sum of squared deviations).
        public var treated: RunningMoments
        /// Changes of comparison entries.
        public var comparison: RunningMoments

        /// Both sides have an entry.
        public var isMatched: Bool { treated.count > 0 && comparison.count > 0 }
    }

    /// The figures for all subjects together or for one subject.
    public struct Estimate: Hashable, Sendable {
        /// nil for all subjects together.
        public var subject: Subject.ID?
        /// Distinct pupils with a treated entry (measured or not).
        public var treatedPupils: Int
        /// Treated entries: matched + unmatched + excluded.
        public var treatedEntries: Int
        /// Distinct pupils with a matched entry.
        public var matchedPupils: Int
        /// Treated entries in a stratum with a comparison entry.
        public var matchedEntries: Int
        /// Treated entries measured but in a stratum with no comparison entry.
        public var unmatchedEntries: Int
        /// Treated entries left out, by reason.
        public var excluded: [Exclusion: Int]
        /// Distinct comparison pupils in matched strata.
        public var comparisonPupils: Int
        /// Comparison entries in matched strata.
        public var comparisonEntries: Int
        /// Matched strata.
        public var strata: Int
        /// Σ wₛ × mean treated changeₛ (equals the plain mean over matched treated entries); nil
        /// with nothing matched.
        public var meanChangeTreated: Double?
        /// Σ wₛ × mean comparison changeₛ; nil with nothing matched.
        public var meanChangeComparison: Double?
        /// Difference in differences; nil unless measured.
        public var effect: Double?
        /// √Var = √(V_T + V_C), points; nil unless measured.
        public var standardError: Double?
        /// V_T, the treated part of Var: G_T/(G_T − 1) × Σ over matched treated pupils of u_p²,
        /// u_p = Σ of the pupil's (change − comparison mean of its stratum − ``effect``) / N_T;
        /// points²; nil unless measured.
        public var varianceTreated: Double?
        /// V_C, the comparison part of Var: G_C/(G_C − 1) × Σ over comparison pupils of v_q²,
        /// v_q = Σ of the pupil's (wₛ / n_Cₛ)(change − comparison mean of its stratum); points²;
        /// nil unless measured.
        public var varianceComparison: Double?
        /// effect ± t₀.₉₇₅(df) × √Var; nil unless measured.
        public var interval: ClosedRange<Double>?
        /// Welch–Satterthwaite Var² / (V_T²/(G_T − 1) + V_C²/(G_C − 1)) rounded down, at least 1
        /// (min(G_T, G_C) − 1 when Var = 0); nil unless measured.
        public var degreesOfFreedom: Int?
        /// What may be said.
        public var verdict: Verdict

        /// All excluded entries.
        public var excludedEntries: Int { excluded.values.reduce(0, +) }
    }

    /// What was measured: the intervention's id and title, `tutoring (3 interventions)`, or a
    /// group such as `schoolsup = true`.
    public var label: String
    /// The interventions measured (empty for a group).
    public var interventions: [Intervention.ID]
    /// The outcome used.
    public var outcome: Outcome
    /// The before/after collections used, per year group, in order.
    public var periods: [Period]
    /// All subjects together.
    public var overall: Estimate
    /// Each subject with a treated entry, in subject order.
    public var bySubject: [Estimate]
    /// Every stratum with a treated entry, in period, subject, band, starting band order.
    public var strata: [Stratum]

    /// The overall verdict.
    public var verdict: Verdict { overall.verdict }
}

extension InterventionImpact {
    /// What impact measurements read, built once per year and outcome: the index, every entry's
    /// outcome, each year group's dated collections, and which collections have grades.
    public struct Context: Sendable {
        /// The year.
        public let index: YearIndex
        /// How to measure.
        public private(set) var settings: Settings
        let evaluation: ProgressStatus.Evaluation?
        /// "collection|year group" for every collection with at least one working-at grade in that year group.
        let graded: Set<String>
        /// Studied subjects per pupil, in subject order.
        let studied: [Pupil.ID: [Subject.ID]]
        /// Studied pairs per year group of the pupil.
        let studiedByYearGroup: [Int: [YearIndex.PupilSubject]]

        /// A context for `index`. Computes every progress status when the outcome is the residual.
        public init(_ index: YearIndex, settings: Settings = .init()) {
            self.index = index
            self.settings = settings
            evaluation = settings.outcome == .residual ? ProgressStatus.evaluate(index, flightPaths: settings.flightPaths) : nil
            var graded = Set<String>()
            for a in index.year.assessments {
                if case .grade? = a.workingAt, let y = index.pupils[a.pupil]?.yearGroup { graded.insert("\(a.collection)|\(y)") }
            }
            self.graded = graded
            var studied: [Pupil.ID: [Subject.ID]] = [:]
            var byYear: [Int: [YearIndex.PupilSubject]] = [:]
            for pair in index.studied {
                studied[pair.pupil, default: []].append(pair.subject)
                if let y = index.pupils[pair.pupil]?.yearGroup { byYear[y, default: []].append(pair) }
            }
            self.studied = studied
            studiedByYearGroup = byYear
        }

        /// The same context measuring as on `day` (``Settings/asOf``); nothing is recomputed.
        public func asOf(_ day: CalendarDate?) -> Context {
            var copy = self
            copy.settings.asOf = day
            return copy
        }

        /// The collections of a year group that can be placed in time, earliest first (ties in
        /// sequence order), each with its date: the calendar's deadline for that year group
        /// (``SchoolCalendar/window(of:yearGroup:)``), else the collection's own deadline.
        /// Collections with neither are left out. A collection listing no year groups is every
        /// year group's.
        public func datedCollections(yearGroup: Int) -> [(collection: DataCollection, date: CalendarDate)] {
            let year = index.year
            return year.collections
                .filter { $0.yearGroups.isEmpty || $0.yearGroups.contains(yearGroup) }
                .compactMap { c in (year.calendar.window(of: c, yearGroup: yearGroup)?.deadline ?? c.deadline).map { (c, $0) } }
                .sorted { ($0.1, $0.0.sequence) < ($1.1, $1.0.sequence) }
        }

        /// Where an intervention running from `starts` to `ends` sits for `yearGroup`: its
        /// ``Period`` — the last dated collection on or before `starts`, and the first dated on or
        /// after `ends` that comes after it — or the reason it cannot be placed, with a sentence.
        /// A start on a collection's deadline day counts that collection as before; an end on a
        /// deadline day counts it as after.
        public func placement(starts: CalendarDate, ends: CalendarDate?, yearGroup: Int) -> Result<Period, Unplaced> {
            let asOf = settings.asOf
            if let asOf, starts > asOf {
                return .failure(Unplaced(reason: .notStarted, detail: "it has not started on \(asOf) (it starts \(starts))"))
            }
            guard let ends else { return .failure(Unplaced(reason: .ongoing, detail: "it is ongoing (no end date yet)")) }
            if let asOf, ends > asOf {
                return .failure(Unplaced(reason: .ongoing, detail: "it is still running on \(asOf) (it ends \(ends))"))
            }
            let dated = datedCollections(yearGroup: yearGroup)
            guard let b = dated.lastIndex(where: { $0.date <= starts }) else {
                return .failure(Unplaced(reason: .noCollectionBefore,
                                         detail: "no Year \(yearGroup) collection is dated on or before its start, \(starts)"))
            }
            guard let a = dated.indices.first(where: { $0 > b && dated[$0].date >= ends }) else {
                return .failure(Unplaced(reason: .noCollectionAfter,
                                         detail: "no Year \(yearGroup) collection is dated on or after its end, \(ends), yet"))
            }
            let after = dated[a]
            if let asOf, after.date > asOf {
                return .failure(Unplaced(reason: .noCollectionAfter,
                                         detail: "\(after.collection.id), the first Year \(yearGroup) collection after its end, is not due until \(after.date)"))
            }
            guard graded.contains("\(after.collection.id)|\(yearGroup)") else {
                return .failure(Unplaced(reason: .afterNotEntered,
                                         detail: "\(after.collection.id) (\(after.date)), the first Year \(yearGroup) collection after its end, has no grades entered yet"))
            }
            return .success(Period(yearGroup: yearGroup, before: dated[b].collection.id, beforeDate: dated[b].date,
                                   after: after.collection.id, afterDate: after.date))
        }

        /// Why a pupil's entries could not be given a period, in a sentence for the user.
        public struct Unplaced: Error, Hashable, Sendable {
            /// ``Exclusion/ongoing``, ``Exclusion/noCollectionBefore``, ``Exclusion/noCollectionAfter``
            /// or ``Exclusion/afterNotEntered``.
            public var reason: Exclusion
            /// e.g. `no Year 10 collection is dated on or after its end, 2027-07-20, yet`.
            public var detail: String
        }

        // MARK: Measuring

        /// The impact of one intervention: its pupils × its subjects, each pupil with the period
        /// of their year group; comparison pupils are all pupils not in it.
        public func measure(_ intervention: Intervention) -> InterventionImpact {
            let label = intervention.title.isEmpty ? intervention.id.rawValue : "\(intervention.id) \(intervention.title)"
            return measure(label: label, interventions: [intervention])
        }

        /// The pooled impact of several interventions (e.g. every one of a type): the treated
        /// entries of each, each with its own period (an entry with the same pupil, subject and
        /// period in two of them counts once); comparison pupils are those in none of them. A
        /// pupil in two of them (with different periods, so different entries) is one cluster of
        /// the interval's variance.
        public func measure(pooled interventions: [Intervention], label: String) -> InterventionImpact {
            measure(label: label, interventions: interventions)
        }

        /// The impact on an explicit group of pupils (e.g. those with a characteristic such as
        /// UCI `schoolsup = true`) from collection `from` to `to`, in `subjects` (each pupil's
        /// studied subjects when empty); comparison pupils are all pupils not in the group.
        /// Pupils in a year group whose `to` collection has no grades yet are not yet measurable.
        public func measure(group: Set<Pupil.ID>, label: String, from: DataCollection.ID, to: DataCollection.ID,
                            subjects: [Subject.ID] = []) -> InterventionImpact {
            var plans: [Plan] = []
            for pupil in group.sorted() {
                let placement: Result<Period, Unplaced>?
                if let y = index.pupils[pupil]?.yearGroup {
                    let dates = Dictionary(datedCollections(yearGroup: y).map { ($0.collection.id, $0.date) }, uniquingKeysWith: { a, _ in a })
                    if let asOf = settings.asOf, let due = dates[to], due > asOf {
                        placement = .failure(Unplaced(reason: .noCollectionAfter, detail: "\(to) is not due until \(due)"))
                    } else if graded.contains("\(to)|\(y)") {
                        placement = .success(Period(yearGroup: y, before: from, beforeDate: dates[from], after: to, afterDate: dates[to]))
                    } else {
                        placement = .failure(Unplaced(reason: .afterNotEntered, detail: "\(to) has no grades entered for Year \(y) yet"))
                    }
                } else {
                    placement = nil
                }
                plans.append(Plan(pupil: pupil, subjects: subjects, placement: placement))
            }
            return measure(label: label, interventions: [], plans: plans, comparisonExcludes: group)
        }

        /// One treated pupil: named subjects (empty: studied ones) and their period (nil: not on roll).
        struct Plan {
            var pupil: Pupil.ID
            var subjects: [Subject.ID]
            var placement: Result<Period, Unplaced>?
        }

        func measure(label: String, interventions: [Intervention]) -> InterventionImpact {
            var plans: [Plan] = []
            var placements: [String: Result<Period, Unplaced>] = [:]
            for intervention in interventions {
                for pupil in intervention.pupils {
                    var placement: Result<Period, Unplaced>?
                    if let y = index.pupils[pupil]?.yearGroup {
                        let key = "\(intervention.starts)|\(intervention.ends?.description ?? "")|\(y)"
                        let p = placements[key] ?? self.placement(starts: intervention.starts, ends: intervention.ends, yearGroup: y)
                        placements[key] = p
                        placement = p
                    }
                    plans.append(Plan(pupil: pupil, subjects: intervention.subjects, placement: placement))
                }
            }
            return measure(label: label, interventions: interventions.map(\.id), plans: plans,
                           comparisonExcludes: Set(interventions.flatMap(\.pupils)))
        }

        /// One treated entry, measured or excluded.
        struct Unit: Hashable {
            var pupil: Pupil.ID
            var subject: Subject.ID?
            var stratum: StratumKey?
            var change: Double?
            var exclusion: Exclusion?
        }

        struct StratumKey: Hashable, Comparable {
            var period: Period
            var subject: Subject.ID
            var band: PriorAttainment.Band?
            var start: Int

            static func < (a: Self, b: Self) -> Bool {
                func rank(_ band: PriorAttainment.Band?) -> Int { band.map { PriorAttainment.Band.allCases.firstIndex(of: $0)! } ?? 3 }
                return (a.period.yearGroup, a.period.before, a.period.after, a.subject, rank(a.band), a.start)
                    < (b.period.yearGroup, b.period.before, b.period.after, b.subject, rank(b.band), b.start)
            }
        }

        /// A value, or why an entry has none.
        enum Reading<Value> {
            case success(Value)
            case failure(Exclusion)
        }

        /// The outcome of a pair at a collection, or why there is none (`after` picks the reason's end).
        func outcome(_ pair: YearIndex.PupilSubject, at collection: DataCollection.ID, after: Bool) -> Reading<Double> {
            switch index.workingAt(collection, pair) {
            case nil: return .failure(after ? .blankAfter : .blankBefore)
            case .notAssessed?: return .failure(after ? .notAssessedAfter : .notAssessedBefore)
            case .notRequired?: return .failure(after ? .notRequiredAfter : .notRequiredBefore)
            case .offScale?: return .failure(after ? .offScaleAfter : .offScaleBefore)
            case .grade(let g)?:
                guard let evaluation else { return .success(g.points) }
                if let status = evaluation.status(pupil: pair.pupil, subject: pair.subject, collection: collection) {
                    return .success(status.residual)
                }
                guard case .grade? = index.target(of: pair)?.grade else { return .failure(.noTarget) }
                return .failure(.noExpectedGrade)
            }
        }

        /// The change of a pair over a period, keyed by its stratum; or the reason it has none.
        func change(_ pair: YearIndex.PupilSubject, _ period: Period) -> Reading<(StratumKey, Double)> {
            let before: Double
            switch outcome(pair, at: period.before, after: false) {
            case .failure(let e): return .failure(e)
            case .success(let v): before = v
            }
            switch outcome(pair, at: period.after, after: true) {
            case .failure(let e): return .failure(e)
            case .success(let after):
                let key = StratumKey(period: period, subject: pair.subject, band: index.pupils[pair.pupil]?.priorAttainment?.band,
                                     start: Int((before + 1e-9).rounded(.down)))
                return .success((key, after - before))
            }
        }

        func inScope(_ subject: Subject.ID) -> Bool { settings.subjects?.contains(subject) ?? true }

        func measure(label: String, interventions: [Intervention.ID], plans: [Plan], comparisonExcludes: Set<Pupil.ID>) -> InterventionImpact {
            // Treated units, each (pupil, subject, period / reason) once.
            var units: [Unit] = []
            var seen = Set<String>()
            var notYet: [String] = []
            func add(_ unit: Unit, period: Period?) {
                let key = "\(unit.pupil)|\(unit.subject?.rawValue ?? "")|\(period?.label ?? "")|\(unit.exclusion?.rawValue ?? "")"
                if seen.insert(key).inserted { units.append(unit) }
            }
            for plan in plans {
                let named = plan.subjects.filter(inScope)
                if !plan.subjects.isEmpty && named.isEmpty { continue }  // about other subjects only
                let subjects: [Subject.ID?] = named.isEmpty ? (studied[plan.pupil] ?? []).filter(inScope) : named
                // Subjects chosen, none of them studied: the pupil is outside the question, not excluded from it.
                if subjects.isEmpty, settings.subjects != nil, plan.placement != nil { continue }
                guard let placement = plan.placement else {
                    for s in subjects.isEmpty ? [nil] : subjects { add(Unit(pupil: plan.pupil, subject: s, exclusion: .notOnRoll), period: nil) }
                    continue
                }
                guard !subjects.isEmpty else { add(Unit(pupil: plan.pupil, subject: nil, exclusion: .noSubjects), period: nil); continue }
                let period: Period
                switch placement {
                case .failure(let unplaced):
                    if unplaced.reason.isNotYet, !notYet.contains(unplaced.detail) { notYet.append(unplaced.detail) }
                    for s in subjects { add(Unit(pupil: plan.pupil, subject: s, exclusion: unplaced.reason), period: nil) }
                    continue
                case .success(let p): period = p
                }
                let studiedHere = Set(studied[plan.pupil] ?? [])
                for case let s? in subjects {
                    guard studiedHere.contains(s), let pair = index.pair(plan.pupil, s) else {
                        add(Unit(pupil: plan.pupil, subject: s, exclusion: .notStudied), period: period)
                        continue
                    }
                    switch change(pair, period) {
                    case .failure(let e): add(Unit(pupil: plan.pupil, subject: s, exclusion: e), period: period)
                    case .success(let (key, c)): add(Unit(pupil: plan.pupil, subject: s, stratum: key, change: c), period: period)
                    }
                }
            }

            // Strata of the treated, then the comparison entries that fall in them.
            var strata: [StratumKey: Stratum] = [:]
            for unit in units {
                guard let key = unit.stratum, let c = unit.change else { continue }
                strata[key, default: Stratum(period: key.period, subject: key.subject, priorAttainment: key.band, startingBand: key.start,
                                             treated: RunningMoments(), comparison: RunningMoments())].treated.add(c)
            }
            // Comparison entries are kept with their pupil: the variance sums them per pupil.
            var comparisonEntries: [StratumKey: [(pupil: Pupil.ID, change: Double)]] = [:]
            let periods = Set(strata.keys.map(\.period))
            for period in periods.sorted() {
                let subjects = Set(strata.keys.filter { $0.period == period }.map(\.subject))
                for pair in studiedByYearGroup[period.yearGroup] ?? [] where subjects.contains(pair.subject) && !comparisonExcludes.contains(pair.pupil) {
                    guard case .success(let (key, c)) = change(pair, period), strata[key] != nil else { continue }
                    strata[key]!.comparison.add(c)
                    comparisonEntries[key, default: []].append((pair.pupil, c))
                }
            }

            let orderedKeys = strata.keys.sorted()
            let overall = estimate(subject: nil, units: units, keys: orderedKeys, strata: strata, comparisonEntries: comparisonEntries, notYet: notYet)
            let subjects = Set(units.compactMap(\.subject)).sorted()
            let bySubject = subjects.map { s in
                estimate(subject: s, units: units.filter { $0.subject == s }, keys: orderedKeys.filter { $0.subject == s }, strata: strata,
                         comparisonEntries: comparisonEntries, notYet: notYet)
            }
            let usedPeriods = Set(units.compactMap(\.stratum?.period)).sorted()
            return InterventionImpact(label: label, interventions: interventions, outcome: settings.outcome, periods: usedPeriods,
                                      overall: overall, bySubject: bySubject, strata: orderedKeys.map { strata[$0]! })
        }

        /// The figures over `units` and the strata `keys` (all subjects, or one).
        func estimate(subject: Subject.ID?, units: [Unit], keys: [StratumKey], strata: [StratumKey: Stratum],
                      comparisonEntries: [StratumKey: [(pupil: Pupil.ID, change: Double)]], notYet: [String]) -> Estimate {
            let matchedKeys = keys.filter { strata[$0]!.isMatched }
            let matchedSet = Set(matchedKeys)
            var excluded: [Exclusion: Int] = [:]
            for unit in units { if let e = unit.exclusion { excluded[e, default: 0] += 1 } }
            let matchedUnits = units.filter { $0.stratum.map(matchedSet.contains) ?? false }
            let measured = units.filter { $0.change != nil }.count
            let comparison = Set(matchedKeys.flatMap { (comparisonEntries[$0] ?? []).map(\.pupil) })

            var estimate = Estimate(
                subject: subject, treatedPupils: Set(units.map(\.pupil)).count, treatedEntries: units.count,
                matchedPupils: Set(matchedUnits.map(\.pupil)).count, matchedEntries: matchedUnits.count,
                unmatchedEntries: measured - matchedUnits.count, excluded: excluded, comparisonPupils: comparison.count,
                comparisonEntries: matchedKeys.reduce(0) { $0 + strata[$1]!.comparison.count }, strata: matchedKeys.count,
                verdict: .tooFewToJudge)
            if measured == 0, excluded.keys.contains(where: \.isNotYet) {
                estimate.verdict = .notYetMeasurable(notYet.isEmpty ? "no collection after it yet" : notYet.joined(separator: "; "))
                return estimate
            }
            guard !matchedKeys.isEmpty else { return estimate }

            // Weighted means and the effect.
            let totalTreated = Double(estimate.matchedEntries)
            var meanT = 0.0, meanC = 0.0
            for key in matchedKeys {
                let s = strata[key]!, w = Double(s.treated.count) / totalTreated
                meanT += w * s.treated.mean
                meanC += w * s.comparison.mean
            }
            estimate.meanChangeTreated = meanT
            estimate.meanChangeComparison = meanC
            let clustersT = estimate.matchedPupils, clustersC = estimate.comparisonPupils
            // CR1 needs two clusters a side (G/(G − 1)); the minimum is at least 1, so check both.
            guard clustersT >= settings.minimumPupils, clustersC >= settings.minimumPupils, clustersT >= 2, clustersC >= 2 else {
                return estimate
            }

            // Cluster-robust (CR1) variance, one cluster per pupil, from each entry's part of the
            // estimator's influence function, summed per pupil. Treated: (change − its stratum's
            // comparison mean − effect) / N_T, so a stratum with one treated entry still adds its
            // spread; comparison: (wₛ/n_Cₛ)(change − its stratum's comparison mean).
            let effect = meanT - meanC
            var perTreated: [Pupil.ID: Double] = [:]
            for unit in matchedUnits {
                guard let key = unit.stratum, let c = unit.change else { continue }
                perTreated[unit.pupil, default: 0] += (c - strata[key]!.comparison.mean - effect) / totalTreated
            }
            var perComparison: [Pupil.ID: Double] = [:]
            for key in matchedKeys {
                let s = strata[key]!, factor = Double(s.treated.count) / totalTreated / Double(s.comparison.count)
                for (pupil, c) in comparisonEntries[key] ?? [] { perComparison[pupil, default: 0] += factor * (c - s.comparison.mean) }
            }
            func cr1(_ sums: [Pupil.ID: Double]) -> Double {
                let g = Double(sums.count)
                return g / (g - 1) * sums.keys.sorted().reduce(0.0) { $0 + sums[$1]! * sums[$1]! }  // sorted: the same sum every run
            }
            let varianceT = cr1(perTreated), varianceC = cr1(perComparison), variance = varianceT + varianceC
            let denominator = varianceT * varianceT / Double(clustersT - 1) + varianceC * varianceC / Double(clustersC - 1)
            let df = denominator > 0 ? max(1, Int((variance * variance / denominator + 1e-9).rounded(.down))) : min(clustersT, clustersC) - 1
            let se = variance.squareRoot()
            let half = StudentT.critical95(degreesOfFreedom: Double(df)) * se
            let interval = (effect - half)...(effect + half)
            estimate.effect = effect
            estimate.standardError = se
            estimate.varianceTreated = varianceT
            estimate.varianceComparison = varianceC
            estimate.interval = interval
            estimate.degreesOfFreedom = df
            estimate.verdict = .measured(interval.lowerBound > 0 ? .aboveZero : interval.upperBound < 0 ? .belowZero : .spansZero)
            return estimate
        }
    }

    /// The impact of one intervention (builds a ``Context``; build one yourself to measure many).
    public static func measure(_ intervention: Intervention, in index: YearIndex, settings: Settings = .init()) -> InterventionImpact {
        Context(index, settings: settings).measure(intervention)
    }
}
