import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports

/// `headway interventions impact`: the measured impact of logged interventions, or of a group of
/// pupils between two collections, and the pupil premium summary (issue 6, item 4). The method
/// is ``InterventionImpact``'s, written out in docs/intervention-impact.md.
struct InterventionsImpact: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "Measure what interventions changed: matched difference in differences with n and a 95% interval.",
        discussion: """
            For each intervention: the change in the outcome (residual to target, or working-at grade) from the last \
            collection before it started to the first after it ended, for its pupils and for matched pupils not in it \
            (same year group, subject, KS2 band and starting whole-point band); the difference in differences with \
            a 95% confidence interval that is cluster-robust by pupil (a pupil's entries in several subjects move \
            together, so they count as one cluster, not as independent observations). Fewer than --minimum-pupils matched pupils on either side: too few to judge. \
            --group NAME=VALUE --from C --to C measures pupils with a characteristic between two collections instead. \
            --pupil-premium summarises spend, pupils reached and the pooled effect per intervention type. \
            Method: docs/intervention-impact.md.
            """)

    enum OutcomeChoice: String, ExpressibleByArgument, CaseIterable { case residual, grade }
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    @Argument(help: ArgumentHelp("Intervention ids (default: every intervention logged for the year).", valueName: "id"))
    var ids: [String] = []

    @Option(name: .customLong("group"), help: ArgumentHelp(
        "Measure the pupils whose characteristic NAME equals VALUE (e.g. schoolsup=true) instead of logged interventions; needs --from and --to.",
        valueName: "name=value"))
    var group: String?

    @Option(help: ArgumentHelp("With --group: the before collection, e.g. DC1.", valueName: "collection"))
    var from: String?

    @Option(help: ArgumentHelp("With --group: the after collection, e.g. DC3.", valueName: "collection"))
    var to: String?

    @Option(name: .customLong("subject"), help: ArgumentHelp("Only this subject (repeatable).", valueName: "code"))
    var subjects: [String] = []

    @Option(help: "residual (to target; the default when targets are stored) or grade (working-at points; the default otherwise).")
    var outcome: OutcomeChoice?

    @Option(name: .customLong("minimum-pupils"), help: "Fewest matched pupils on each side for an effect to be reported.")
    var minimumPupils: Int = InterventionImpact.Settings.defaultMinimumPupils

    @Flag(name: .customLong("pupil-premium"), help: "Summarise spend, pupils reached and the pooled effect per intervention type.")
    var pupilPremium = false

    @Option(help: "table (default) or csv.")
    var format: Format = .table

    @Option(help: ArgumentHelp("Measure as on this day (YYYY-MM-DD; default today), the day `headway interventions` gives each status on: "
                               + "an intervention not started or not ended then, or a collection not due by then, is not yet measurable.",
                               valueName: "date"))
    var today: String?

    /// `NAME=VALUE` split at the first `=`; nil unless both sides are non-blank.
    static func parseGroup(_ text: String) -> (name: String, value: String)? {
        let sides = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard sides.count == 2, !sides[0].isEmpty, !sides[1].isEmpty else { return nil }
        return (sides[0], sides[1])
    }

    func validate() throws {
        if let group {
            guard Self.parseGroup(group) != nil else { throw ValidationError("--group takes NAME=VALUE, e.g. --group schoolsup=true") }
            guard from != nil, to != nil else { throw ValidationError("--group needs --from and --to: the collections to measure between, e.g. --from DC1 --to DC3.") }
            guard ids.isEmpty else { throw ValidationError("Give either intervention ids or --group, not both.") }
            guard !pupilPremium else { throw ValidationError("--pupil-premium summarises logged interventions; it cannot be combined with --group.") }
        } else if from != nil || to != nil {
            throw ValidationError("--from and --to go with --group; a logged intervention's collections come from its dates.")
        }
        guard minimumPupils >= 1 else { throw ValidationError("--minimum-pupils must be at least 1 (default 10).") }
        _ = try dayOption(today)
    }

    func run() async throws {
        let year = try await loadYear(global, schoolOptions)
        print(try output(for: year), terminator: "")
    }

    /// What the command prints for `year`.
    /// - Throws: `ValidationError` (exit 2) for an unknown subject, collection or intervention id,
    ///   or collections in the wrong order; ``CLIError`` (exit 1) when the data cannot answer: no
    ///   interventions logged, no pupil in the group, residual asked for without targets.
    func output(for year: SchoolYear) throws -> String {
        let known = Set(year.subjects.map(\.id))
        for code in subjects where !known.contains(Subject.ID(code)) {
            throw ValidationError("No subject '\(code)' in \(year.academicYear); subjects: \(known.sorted().map(\.rawValue).joined(separator: ", ")).")
        }
        let chosen: InterventionImpact.Outcome = outcome.map { $0 == .residual ? .residual : .grade } ?? (year.targets.isEmpty ? .grade : .residual)
        if chosen == .residual && year.targets.isEmpty {
            throw CLIError("--outcome residual needs targets, and \(year.school.id) has none in \(year.academicYear): import or generate targets, or use --outcome grade.")
        }
        let outcomeNote: String = switch (outcome, chosen) {
        case (nil, .residual): "the default, as targets are stored"
        case (nil, .grade): "the default, as no targets are stored (so not the residual to target)"
        default: "as asked"
        }
        let day = try dayOption(today)
        let settings = InterventionImpact.Settings(outcome: chosen, minimumPupils: minimumPupils,
                                                   subjects: subjects.isEmpty ? nil : Set(subjects.map { Subject.ID($0) }), asOf: day)
        let context = InterventionImpact.Context(YearIndex(year), settings: settings)
        let heading = Heading(school: year.school.name, year: year.academicYear, outcome: chosen, outcomeNote: outcomeNote,
                              minimumPupils: minimumPupils, subjects: subjects, asOf: day)

        if let group, let (name, value) = Self.parseGroup(group).map({ ($0.name, $0.value) }), let from, let to {
            let (before, after) = try Self.collections(from: from, to: to, in: year)
            let members = year.pupils.filter { $0.characteristics[name] == value }.map(\.id)
            guard !members.isEmpty else {
                let values = Set(year.pupils.compactMap { $0.characteristics[name] })
                if values.isEmpty {
                    let names = Set(year.pupils.flatMap(\.characteristics.keys)).sorted()
                    throw CLIError("No pupil has the characteristic '\(name)'. Characteristics recorded: \(names.joined(separator: ", ")).")
                }
                throw CLIError("No pupil has \(name) = \(value); values recorded: \(values.sorted().joined(separator: ", ")).")
            }
            // --subject narrows the question (settings), it does not name subjects each pupil must study.
            let impact = context.measure(group: Set(members), label: "\(name) = \(value)", from: before.id, to: after.id)
            return Self.render([impact], heading: heading, format: format, subjectNames: Self.subjectNames(year))
        }

        let interventions = try Self.interventions(ids, in: year)
        if pupilPremium {
            return Self.render(PupilPremiumSummary(interventions, context: context), heading: heading, format: format)
        }
        let impacts = interventions.map { intervention in
            var impact = context.measure(intervention)
            impact.label += " (\(intervention.type.words))"
            return impact
        }
        return Self.render(impacts, heading: heading, format: format, subjectNames: Self.subjectNames(year))
    }

    static func subjectNames(_ year: SchoolYear) -> [Subject.ID: String] {
        Dictionary(year.subjects.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// The `--from` and `--to` collections; `from` must come before `to`.
    static func collections(from: String, to: String, in year: SchoolYear) throws -> (DataCollection, DataCollection) {
        func find(_ code: String, _ option: String) throws -> DataCollection {
            guard let found = year.collections.first(where: { $0.id.rawValue == code }) else {
                throw ValidationError("\(option): no collection '\(code)' in \(year.academicYear); there are: \(year.collections.map(\.id.rawValue).joined(separator: ", ")).")
            }
            return found
        }
        let before = try find(from, "--from"), after = try find(to, "--to")
        guard before.sequence < after.sequence else {
            throw ValidationError("--from \(before.id) must come before --to \(after.id) (collections in order: \(year.collections.map(\.id.rawValue).joined(separator: ", "))).")
        }
        return (before, after)
    }

    /// The interventions named by `ids`, or all the year's when none is named.
    static func interventions(_ ids: [String], in year: SchoolYear) throws -> [Intervention] {
        guard !ids.isEmpty else {
            guard !year.interventions.isEmpty else {
                throw CLIError("No interventions logged for \(year.school.name) \(year.academicYear): add them with `headway interventions add` or import a CSV, or measure a group with --group NAME=VALUE --from C --to C.")
            }
            return year.interventions
        }
        return try ids.map { id in
            guard let found = year.interventions.first(where: { $0.id.rawValue == id }) else {
                let list = year.interventions.map(\.id.rawValue)
                throw ValidationError("No intervention '\(id)' in \(year.academicYear)\(list.isEmpty ? " (none is logged)" : "; there are: \(list.joined(separator: ", "))").")
            }
            return found
        }
    }

    // MARK: Output

    /// The lines every output starts with.
    struct Heading {
        var school: String
        var year: AcademicYear
        var outcome: InterventionImpact.Outcome
        var outcomeNote: String
        var minimumPupils: Int
        var subjects: [String]
        /// The day measured on (``InterventionImpact/Settings/asOf``).
        var asOf: CalendarDate

        /// The method in one line.
        var method: String {
            let band = outcome == .grade ? "starting grade band" : "starting residual band"
            return "Method: matched on year group, subject, KS2 band and \(band); difference in differences; 95% CI clustered by pupil."
        }

        var text: String {
            "As on \(asOf): interventions not started or not ended by then, and collections not due by then, are not yet measurable.\n"
                + "Outcome: \(outcome.words), \(outcomeNote)\(subjects.isEmpty ? "" : "; subjects \(subjects.joined(separator: ", "))").\n"
                + "\(method) Too few to judge below \(minimumPupils) matched pupils on either side.\n"
        }
    }

    static func number(_ x: Double?, _ digits: Int = 3) -> String { x.map { String(format: "%+.\(digits)f", $0) } ?? "–" }
    static func interval(_ ci: ClosedRange<Double>?, _ digits: Int = 3) -> String {
        ci.map { "\(number($0.lowerBound, digits)) to \(number($0.upperBound, digits))" } ?? "–"
    }

    /// A verdict in a few words, for table cells.
    static func shortVerdict(_ verdict: InterventionImpact.Verdict) -> String {
        switch verdict {
        case .notYetMeasurable: "not yet measurable"
        case .tooFewToJudge: "too few to judge"
        case .measured(.aboveZero): "gained more"
        case .measured(.belowZero): "gained less"
        case .measured(.spansZero): "no measurable difference"
        }
    }

    /// The verdict in a sentence, with n, the effect and the interval.
    static func sentence(_ e: InterventionImpact.Estimate, minimumPupils: Int) -> String {
        let n = "n = \(e.matchedPupils) pupils (\(e.matchedEntries) entries) in it, \(e.comparisonPupils) (\(e.comparisonEntries)) matched not in it"
        switch e.verdict {
        case .notYetMeasurable(let reason):
            return "not yet measurable: \(reason)."
        case .tooFewToJudge:
            return "too few pupils to judge: \(e.matchedPupils) matched pupils in it and \(e.comparisonPupils) matched pupils not in it; "
                + "at least \(minimumPupils) of each are needed (means shown for information only)."
        case .measured(let direction):
            let effect = e.effect ?? 0, size = String(format: "%.3f", abs(effect)), ci = interval(e.interval)
            let more = effect >= 0 ? "more" : "less"
            switch direction {
            case .aboveZero, .belowZero:
                return "the pupils in it gained \(size) points \(more) than matched pupils not in it (95% CI \(ci)): "
                    + "a measurable \(direction == .aboveZero ? "positive" : "negative") effect; \(n)."
            case .spansZero:
                return "no measurable difference: the pupils in it gained \(size) points \(more) than matched pupils not in it, "
                    + "but the 95% interval (\(ci)) includes zero; \(n)."
            }
        }
    }

    static let header = ["subject", "pupils", "matched pupils", "entries", "matched", "unmatched", "excluded", "comparison pupils",
                         "comparison entries", "mean change", "comparison mean change", "effect", "95% CI", "df", "verdict"]

    /// Impacts as a table with a sentence each, or as CSV (one row per impact and subject, all subjects first;
    /// `variance_treated` and `variance_comparison` are V_T and V_C of the cluster-robust variance, points²).
    static func render(_ impacts: [InterventionImpact], heading: Heading, format: Format, subjectNames: [Subject.ID: String]) -> String {
        switch format {
        case .csv:
            let header = ["measured", "interventions", "outcome", "periods", "subject", "treated_pupils", "treated_entries", "matched_pupils",
                          "matched_entries", "unmatched_entries", "excluded_entries", "excluded_reasons", "comparison_pupils",
                          "comparison_entries", "strata", "mean_change_treated", "mean_change_comparison", "effect", "standard_error",
                          "variance_treated", "variance_comparison", "ci_low", "ci_high", "df", "verdict", "reason"]
            func f(_ x: Double?) -> String { x.map { String(format: "%.6f", $0) } ?? "" }
            let rows = impacts.flatMap { impact in
                ([impact.overall] + impact.bySubject).map { e -> [String] in
                    var reason = ""
                    if case .notYetMeasurable(let r) = e.verdict { reason = r }
                    var cells: [String] = [impact.label, impact.interventions.map(\.rawValue).joined(separator: " "), impact.outcome.rawValue]
                    cells += [impact.periods.map(\.label).joined(separator: "; "), e.subject?.rawValue ?? "all"]
                    cells += [e.treatedPupils, e.treatedEntries, e.matchedPupils, e.matchedEntries, e.unmatchedEntries, e.excludedEntries].map(String.init)
                    cells += [exclusions(e.excluded), String(e.comparisonPupils), String(e.comparisonEntries), String(e.strata)]
                    cells += [f(e.meanChangeTreated), f(e.meanChangeComparison), f(e.effect), f(e.standardError)]
                    cells += [f(e.varianceTreated), f(e.varianceComparison)]
                    cells += [f(e.interval?.lowerBound), f(e.interval?.upperBound), e.degreesOfFreedom.map(String.init) ?? "", e.verdict.code, reason]
                    return cells
                }
            }
            return CSVTable(name: "intervention-impact", header: header, rows: rows).text(byteOrderMark: false)  // standard output
        case .table:
            var out = "Intervention impact, \(heading.school) \(heading.year)\n" + heading.text
            for impact in impacts {
                out += "\n\(impact.label)\n"
                out += "  Before → after: " + (impact.periods.isEmpty ? "none yet" : impact.periods.map(periodText).joined(separator: "; ")) + "\n"
                let o = impact.overall
                if case .notYetMeasurable = o.verdict {
                    // Nothing measured: the counts would be a table of zeros; the reason says it all.
                    out += "  \(o.treatedPupils) pupils, \(entries(o.treatedEntries)).\n  Verdict: \(sentence(o, minimumPupils: heading.minimumPupils))\n"
                    continue
                }
                let rows = ([o] + impact.bySubject).map { tableRow($0, subjectNames: subjectNames) }
                out += Terminal.table(header, impact.bySubject.count == 1 ? [rows[1]] : rows) + "\n"
                if o.excludedEntries > 0 { out += "  Excluded: \(entries(o.excludedEntries)) (\(exclusions(o.excluded)))\n" }
                if o.unmatchedEntries > 0 {
                    out += "  Unmatched: \(entries(o.unmatchedEntries)) with no comparison entry in the same stratum (left out)\n"
                }
                out += "  Verdict: \(sentence(o, minimumPupils: heading.minimumPupils))\n"
            }
            return out
        }
    }

    /// `1 entry`, `3 entries`.
    static func entries(_ n: Int) -> String { n == 1 ? "1 entry" : "\(n) entries" }

    /// One row of the impact table (columns as ``header``).
    static func tableRow(_ e: InterventionImpact.Estimate, subjectNames: [Subject.ID: String]) -> [String] {
        var cells: [String] = [e.subject.map { "\(subjectNames[$0] ?? $0.rawValue) (\($0))" } ?? "All subjects"]
        cells += [e.treatedPupils, e.matchedPupils, e.treatedEntries, e.matchedEntries, e.unmatchedEntries, e.excludedEntries,
                  e.comparisonPupils, e.comparisonEntries].map(String.init)
        cells += [number(e.meanChangeTreated), number(e.meanChangeComparison), number(e.effect), interval(e.interval)]
        cells += [e.degreesOfFreedom.map(String.init) ?? "–", shortVerdict(e.verdict)]
        return cells
    }

    /// `Y10 DC1 (2026-11-13) → DC3 (2027-03-19)`.
    static func periodText(_ p: InterventionImpact.Period) -> String {
        "Year \(p.yearGroup) \(p.before)\(p.beforeDate.map { " (\($0))" } ?? "") → \(p.after)\(p.afterDate.map { " (\($0))" } ?? "")"
    }

    /// `2 X (not assessed) after, 1 no target`.
    static func exclusions(_ excluded: [InterventionImpact.Exclusion: Int]) -> String {
        excluded.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.words)" }.joined(separator: ", ")
    }

    /// The pupil premium summary: one line per type and the total, then each type's verdict.
    static func render(_ summary: PupilPremiumSummary, heading: Heading, format: Format) -> String {
        func pounds(_ pence: Int) -> String { String(format: "%d.%02d", pence / 100, pence % 100) }
        let lines = summary.lines + [summary.total]
        switch format {
        case .csv:
            let header = ["type", "interventions", "uncosted", "spend_gbp", "pupil_premium_gbp", "pupils_reached", "disadvantaged_reached",
                          "cost_per_pupil_gbp", "matched_pupils", "comparison_pupils", "mean_change_treated", "mean_change_comparison",
                          "effect", "ci_low", "ci_high", "df", "verdict"]
            func f(_ x: Double?) -> String { x.map { String(format: "%.6f", $0) } ?? "" }
            let rows = lines.map { l -> [String] in
                let e = l.impact?.overall
                var cells: [String] = [l.type?.rawValue ?? "all", String(l.interventions), String(l.uncosted)]
                cells += [pounds(l.spendPence), pounds(l.pupilPremiumPence), String(l.pupilsReached), String(l.disadvantagedReached)]
                cells += [l.costPerPupilPence.map(pounds) ?? "", e.map { String($0.matchedPupils) } ?? "", e.map { String($0.comparisonPupils) } ?? ""]
                cells += [f(e?.meanChangeTreated), f(e?.meanChangeComparison), f(e?.effect), f(e?.interval?.lowerBound), f(e?.interval?.upperBound)]
                cells += [e?.degreesOfFreedom.map(String.init) ?? "", e?.verdict.code ?? ""]
                return cells
            }
            return CSVTable(name: "pupil-premium-summary", header: header, rows: rows).text(byteOrderMark: false)  // standard output
        case .table:
            var out = "Pupil premium summary, \(heading.school) \(heading.year)\n" + heading.text
            out += "Effect per type: every intervention of the type pooled, each with its own before and after collections; "
                + "compared with pupils in none of that type.\n"
            out += Terminal.table(
                ["type", "interventions", "spend", "pupil premium", "pupils reached", "disadvantaged", "cost per pupil", "matched pupils",
                 "effect", "95% CI", "verdict"],
                lines.map { l -> [String] in
                    let e = l.impact?.overall
                    var cells: [String] = [l.type?.words ?? "All types", String(l.interventions) + (l.uncosted > 0 ? " (\(l.uncosted) uncosted)" : "")]
                    cells += [LeaderPack.money(l.spendPence), LeaderPack.money(l.pupilPremiumPence), String(l.pupilsReached), String(l.disadvantagedReached)]
                    cells += [l.costPerPupilPence.map(LeaderPack.money) ?? "–", e.map { String($0.matchedPupils) } ?? ""]
                    cells += [number(e?.effect), interval(e?.interval), e.map { shortVerdict($0.verdict) } ?? ""]
                    return cells
                }) + "\n"
            for line in summary.lines {
                guard let type = line.type, let impact = line.impact else { continue }
                out += "  \(type.words): \(sentence(impact.overall, minimumPupils: heading.minimumPupils))\n"
            }
            return out
        }
    }
}
