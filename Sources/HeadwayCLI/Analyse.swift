import ArgumentParser
import HeadwayAnalytics
import HeadwayCore

/// `headway analyse`: headline figures on the terminal.
struct Analyse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyse",
        abstract: "Print completion, change between collections and progress by subgroup.",
        aliases: ["analyze"])

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    @Option(name: .customLong("by"), help: ArgumentHelp(
        "Characteristic to break progress down by (repeatable). Default: the standard ones present.", valueName: "characteristic"))
    var characteristics: [String] = []

    @Option(name: .customLong("what-if"), help: ArgumentHelp(
        "Change one pupil's predicted grade at the latest collection and show how A8, P8 and the gaps move (nothing is saved).",
        valueName: "pupil:subject=grade"))
    var whatIf: String?

    @Option(help: ArgumentHelp("Only this year group (7–13): its pupils, classes, entries and targets.", valueName: "n"))
    var yearGroup: Int?

    @Option(help: ArgumentHelp("Analyse as at this collection, e.g. DC2: later collections are left out (default: every collection).",
                               valueName: "code"))
    var collection: String?

    func validate() throws {
        if let yearGroup, !(7...13).contains(yearGroup) {
            throw ValidationError("--year-group \(yearGroup) is not a secondary year group: give 7 to 13.")
        }
        if let whatIf, Analyse.parseWhatIf(whatIf) == nil {
            throw ValidationError("--what-if takes PUPIL:SUBJECT=GRADE, e.g. --what-if A883453821178:MA=7")
        }
    }

    static func parseWhatIf(_ text: String) -> (pupil: String, subject: String, grade: String)? {
        let sides = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard sides.count == 2, let colon = sides[0].firstIndex(of: ":") else { return nil }
        let pupil = String(sides[0][..<colon]), subject = String(sides[0][sides[0].index(after: colon)...])
        guard !pupil.isEmpty, !subject.isEmpty, !sides[1].isEmpty else { return nil }
        return (pupil, subject, sides[1])
    }

    func run() async throws {
        let year = try await Analyse.select(try await loadYear(global, schoolOptions), yearGroup: yearGroup, collection: collection)
        guard let whatIf, let change = Analyse.parseWhatIf(whatIf) else {
            print(Analyse.describe(YearIndex(year), characteristics: characteristics))
            return
        }
        let pupil = year.pupils.first { $0.id.rawValue == change.pupil || $0.upn?.rawValue == change.pupil.uppercased() }?.id ?? Pupil.ID(change.pupil)
        let changed: SchoolYear
        do {
            changed = try WhatIf.apply(year, pupil: pupil, subject: Subject.ID(change.subject), grade: change.grade)
        } catch {
            throw ValidationError("--what-if: \(error.description)")
        }
        print(Analyse.describeWhatIf(before: YearAnalysis.compute(YearIndex(year)), after: YearAnalysis.compute(YearIndex(changed)),
                                     pupil: pupil, change: "\(change.subject) predicted → \(change.grade)"))
    }

    /// The year narrowed by `--year-group` and `--collection` (``SchoolYear/selecting(yearGroup:through:)``).
    /// - Throws: `ValidationError` naming the collections when `collection` is not one; `CLIError`
    ///   naming the year groups on roll when no pupil is in `yearGroup`.
    static func select(_ year: SchoolYear, yearGroup: Int?, collection: String?) throws -> SchoolYear {
        let chosen = try collection.map { try PackSupport.collection($0, in: year).id }
        if let yearGroup, !year.pupils.contains(where: { $0.yearGroup == yearGroup }) {
            let onRoll = Set(year.pupils.map(\.yearGroup)).sorted()
            throw CLIError("No pupil on roll in Year \(yearGroup); the year groups are \(onRoll.map { "Y\($0)" }.joined(separator: ", ")).")
        }
        return year.selecting(yearGroup: yearGroup, through: chosen)
    }

    /// Side by side: the pupil's forecast A8/P8, each forecast cohort's A8/P8, and the gaps.
    static func describeWhatIf(before: YearAnalysis, after: YearAnalysis, pupil: Pupil.ID, change: String) -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "–" }
        var rows: [[String]] = []
        for (b, a) in zip(before.forecasts, after.forecasts) {
            if let pb = b.cohort.pupils.first(where: { $0.id == pupil }), let pa = a.cohort.pupils.first(where: { $0.id == pupil }) {
                rows.append(["pupil \(pupil) A8", f(Double(pb.attainment8.totalHundredths) / 100), f(Double(pa.attainment8.totalHundredths) / 100)])
                rows.append(["pupil \(pupil) P8", pb.progress8?.overall.roundedText ?? "–", pa.progress8?.overall.roundedText ?? "–"])
            }
            rows.append(["Year \(b.yearGroup) mean A8", f(b.cohort.meanAttainment8), f(a.cohort.meanAttainment8)])
            rows.append(["Year \(b.yearGroup) P8", f(b.cohort.school.score), f(a.cohort.school.score)])
            rows.append(["Year \(b.yearGroup) basics 5+ %", f(b.cohort.strongPassPercent), f(a.cohort.strongPassPercent)])
        }
        for (fb, fa) in zip(before.forecasts, after.forecasts) {
            for (b, a) in zip(fb.progress8Gaps, fa.progress8Gaps) {
                rows.append(["Year \(fb.yearGroup) P8 gap \(PlainLabel.gap(b))",
                             String(format: "%+.3f", b.difference.difference), String(format: "%+.3f", a.difference.difference)])
            }
        }
        return "What if \(pupil): \(change) (nothing saved)\n" + Terminal.table(["figure", "now", "what if"], rows)
    }

    /// "Year 10" or "Years 7–11" (or "Years 7, 9, 11" when not consecutive).
    static func yearGroupsText(_ years: [Int]) -> String {
        guard let first = years.first, let last = years.last else { return "no year group" }
        if years.count == 1 { return "Year \(first)" }
        return years == Array(first...last) ? "Years \(first)–\(last)" : "Years " + years.map(String.init).joined(separator: ", ")
    }

    /// The standard characteristics shown when none is chosen.
    static let standard = [Characteristic.disadvantaged, Characteristic.sen, Characteristic.eal, Characteristic.gender,
                           Characteristic.priorAttainmentBand]

    /// - Parameter perSubject: also break each characteristic down by subject (the demo's short
    ///   summary shows only the all-subjects lines).
    static func describe(_ index: YearIndex, characteristics: [String], perSubject: Bool = true, analysis: YearAnalysis? = nil) -> String {
        let year = index.year
        // Issue 12, item 5: every count says what it counts; a pupil is counted once.
        let yearGroups = Set(year.pupils.map(\.yearGroup)).sorted()
        var out = "\(year.school.name) — \(year.academicYear): \(year.pupils.count) pupils (\(Analyse.yearGroupsText(yearGroups))), "
            + "\(year.subjects.count) subjects, \(year.assessments.count) assessment entries (one per pupil, subject and collection)\n"
        let pupilsPerSubject = Dictionary(grouping: index.studied, by: \.subject).mapValues(\.count)
        out += "\nPupils per subject\n" + Terminal.table(
            ["subject", "pupils"],
            year.subjects.map { [$0.name + " (\($0.id))", String(pupilsPerSubject[$0.id] ?? 0)] }) + "\n"
        out += "\nCompletion (working-at entries entered / expected; an entry is one pupil in one subject)\n" + Terminal.table(
            ["collection", "entries entered", "entries expected", "%"],
            year.collections.map {
                let c = Completion(index, collection: $0)
                return [$0.name, String(c.overall.present), String(c.overall.expected), String(format: "%.1f", c.overall.percent)]
            }) + "\n"
        let subgroups = SubgroupSummary.compute(index)
        let names = characteristics.isEmpty ? standard : characteristics
        let present = Set(subgroups.map(\.characteristic))
        for unknown in names where !present.contains(unknown) && !characteristics.isEmpty {
            out += "\nNo pupil has the characteristic '\(unknown)'. Known: \(present.sorted().joined(separator: ", "))\n"
        }
        if let first = year.collections.first, let last = year.collections.last, first.id != last.id {
            for name in names where present.contains(name) {
                let all = subgroups.filter { $0.characteristic == name }
                let rows = perSubject || !all.contains(where: { $0.subject == nil }) ? all : all.filter { $0.subject == nil }
                out += "\nChange in working-at from \(first.id) to \(last.id) by \(PlainLabel.characteristic(name)), per year group (mean in points over the entries "
                    + "graded in both; each pupil counted once under pupils)\n"
                out += Terminal.table(
                    ["year", "subject", PlainLabel.characteristic(name), "pupils", "entries", "mean change", "mean \(last.id)"],
                    rows.map {
                        ["Y\($0.yearGroup)", $0.subject.map { index.subjects[$0]?.name ?? $0.rawValue } ?? "All subjects",
                         PlainLabel.value($0.value, of: $0.characteristic),
                         String($0.changePupils), String($0.changeCount),
                         $0.changeMean.map { String(format: "%+.3f", $0) } ?? "–", $0.latestMean.map { String(format: "%.2f", $0) } ?? "–"]
                    }) + "\n"
            }
        }
        out += describeProgress(index, analysis ?? YearAnalysis.compute(index), limit: perSubject ? 8 : 3)
        return out
    }

    /// Targets, status against flight paths, residuals and gaps at the latest collection.
    static func describeProgress(_ index: YearIndex, _ analysis: YearAnalysis, limit: Int = 8) -> String {
        var out = ""
        for forecast in analysis.forecasts {
            out += "\nForecast KS4 measures, Year \(forecast.yearGroup) (GCSEs \(forecast.cohortYear)), from predicted grades at \(forecast.collection)\n"
            out += forecast.cohort.summaryLines.map { "  " + $0 }.joined(separator: "\n") + "\n"
            if forecast.pupilsWithFewerThanEight > 0 {
                out += "  \(forecast.pupilsWithFewerThanEight) pupils have predictions for fewer than 8 qualifications (empty slots score 0).\n"
            }
            out += "  Forecast P8 gaps: " + forecast.progress8Gaps.map { g in
                "\(PlainLabel.gap(g)) \(String(format: "%+.2f", g.difference.difference))"
                    + (g.difference.interval.map { String(format: " (%+.2f to %+.2f)", $0.lowerBound, $0.upperBound) } ?? "")
            }.joined(separator: "; ") + "\n"
        }
        guard let collection = analysis.collection, !index.year.targets.isEmpty else {
            return out + "\nNo targets yet, so no progress status: import targets or generate them.\n"
        }
        let methods = Dictionary(grouping: index.year.targets, by: \.method).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
        out += "\nTargets: \(index.year.targets.count) (\(methods.joined(separator: ", "))); "
        out += "\(analysis.pupilsWithoutKS2) pupils have no KS2 result and so no generated target.\n"
        let bands = ProgressStatus.Band.allCases
        out += "\nProgress against flight path at \(collection.name) (entries: one per pupil and subject)\n" + Terminal.table(
            ["year"] + bands.map(\.description) + ["no status"],
            analysis.statusCounts.map { c in ["Y\(c.yearGroup)"] + c.counts.map(String.init) + [String(c.unrated)] }) + "\n"
        func ci(_ s: MeanSummary) -> String {
            s.interval.map { String(format: "%+.2f to %+.2f", $0.lowerBound, $0.upperBound) } ?? "–"
        }
        for level in ResidualSummary.Level.allCases {
            let rows = analysis.residuals.filter { $0.level == level }
            // Ranking classes and teachers on fewer than 5 graded pupils would mislead.
            let ranked = rows.filter { $0.summary.count >= SubgroupGap.minimumGroupSize }
            let shown = level == .subject ? rows : Array(ranked.prefix(limit))
            out += "\nMean residual to flight path by \(level.rawValue)\(level == .subject ? "" : ", lowest \(shown.count) of \(ranked.count) with 5 or more entries") (grades; entries are pupil-subject pairs)\n"
            out += Terminal.table([level.rawValue, "entries", "mean", "95% interval"],
                                  shown.map { [$0.label, String($0.summary.count), String(format: "%+.2f", $0.summary.mean), ci($0.summary)] }) + "\n"
        }
        out += "\nGaps in pupils' mean residual (grades; an interval spanning 0 is no evidence of a gap)\n" + Terminal.table(
            ["characteristic", "group", "pupils", "mean", "vs", "pupils", "mean", "gap", "95% interval"],
            analysis.gaps.map { g in
                [PlainLabel.characteristic(g.characteristic), PlainLabel.value(g.group, of: g.characteristic), String(g.difference.group.count),
                 String(format: "%+.2f", g.difference.group.mean),
                 PlainLabel.value(g.comparison, of: g.characteristic), String(g.difference.comparison.count), String(format: "%+.2f", g.difference.comparison.mean),
                 String(format: "%+.2f", g.difference.difference),
                 g.difference.interval.map { String(format: "%+.2f to %+.2f", $0.lowerBound, $0.upperBound) } ?? "–"]
            }) + "\n"
        return out
    }
}
