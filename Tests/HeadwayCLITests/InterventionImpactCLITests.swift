import ArgumentParser
import Foundation
import HeadwayAnalytics
@testable import HeadwayCLI
import HeadwayCore
import HeadwayStore
import HeadwayTestSupport
import Testing

/// `headway interventions impact` end to end (issue 6, item 4): the UCI done-when — the impact of
/// `schoolsup` (extra school support) on the G1 → G3 change against matched pupils without it,
/// checked against a recomputation straight from the raw CSV files — logged interventions and
/// the pupil premium summary from a store, and the exit codes.
@Suite(.serialized) struct InterventionImpactCLITests {
    // MARK: UCI, recomputed from the raw files

    /// One UCI row as an entry: the pupil (see ``uciEntries()``), the file's subject, whether the
    /// pupil had school support, G1, and G3 (nil when 0: did not sit).
    struct Entry {
        var pupil: String
        var subject: String
        var treated: Bool
        var g1: Double
        var g3: Double?
    }

    /// The figures for one scope, as the method defines them.
    struct Figures: CustomStringConvertible {
        var treatedPupils = 0, treatedEntries = 0, matchedPupils = 0, matchedEntries = 0, unmatched = 0, excluded = 0
        var comparisonPupils = 0, comparisonEntries = 0, strata = 0, df = 0
        var meanT = 0.0, meanC = 0.0, effect = 0.0, se = 0.0, vT = 0.0, vC = 0.0, low = 0.0, high = 0.0
        var description: String {
            String(format: "n = %d pupils / %d entries in it (%d matched pupils, %d matched entries, %d unmatched, %d excluded), %d pupils / %d entries compared; mean change %+.4f vs %+.4f; effect %+.4f, 95%% CI %+.4f to %+.4f (se %.4f, V_T %.6f, V_C %.6f, df %d, %d strata)",
                   treatedPupils, treatedEntries, matchedPupils, matchedEntries, unmatched, excluded, comparisonPupils, comparisonEntries,
                   meanT, meanC, effect, low, high, se, vT, vC, df, strata)
        }
    }

    /// Both files' rows as entries. A pupil is identified as the import mapping says
    /// (examples/uci-portuguese/mapping.toml, `[pupil_key]`): the 13 demographic columns; a key on
    /// exactly one row of a file is one pupil (the same in the other file when it is on exactly
    /// one row there too); a key on several rows of a file makes each row its own pupil. A
    /// pupil's `schoolsup` is the one on the first row read — the importer keeps the first value
    /// and the test imports student-por.csv first (the two files never disagree, as it happens).
    static func uciEntries() throws -> [Entry] {
        let key = ["school", "sex", "age", "address", "famsize", "Pstatus", "Medu", "Fedu", "Mjob", "Fjob", "reason", "nursery", "internet"]
        let files = [("POR", try IntegrityCompletionCLITests.uciRows("student-por.csv")), ("MAT", try IntegrityCompletionCLITests.uciRows("student-mat.csv"))]
        var support: [String: Bool] = [:]
        var entries: [(Entry, String)] = []
        for (subject, rows) in files {
            let keys = rows.map { row in key.map { row[$0] ?? "" }.joined(separator: "|") }
            let counts = Dictionary(keys.map { ($0, 1) }, uniquingKeysWith: +)
            for (line, (row, k)) in zip(rows, keys).enumerated() {
                let pupil = counts[k] == 1 ? k : "\(k)@\(subject):\(line)"
                if support[pupil] == nil { support[pupil] = row["schoolsup"] == "yes" }
                let g3 = Double(row["G3"] ?? "")
                entries.append((Entry(pupil: pupil, subject: subject, treated: false, g1: Double(row["G1"] ?? "")!, g3: g3 == 0 ? nil : g3), pupil))
            }
        }
        return entries.map { entry, pupil in
            var e = entry
            e.treated = support[pupil]!
            return e
        }
    }

    /// Strata ⌊G1⌋ within subject (one year group, one collection pair, KS2 unknown for all);
    /// difference in differences weighted by treated counts; the cluster-robust (CR1) variance
    /// with the pupil as the cluster — for "both subjects" a pupil in both files (same
    /// `pupil_key`, see ``uciEntries()``) is one cluster holding both entries:
    /// u_p = Σ (change − comparison mean of its stratum − effect) / N_T, V_T = G_T/(G_T − 1) Σ u_p²;
    /// v_q = Σ (w_s / n_C,s)(change − comparison mean of its stratum), V_C = G_C/(G_C − 1) Σ v_q²;
    /// df = ⌊Var² / (V_T²/(G_T − 1) + V_C²/(G_C − 1))⌋.
    static func figures(_ entries: [Entry]) -> Figures {
        var f = Figures()
        f.treatedPupils = Set(entries.filter(\.treated).map(\.pupil)).count
        f.treatedEntries = entries.filter(\.treated).count
        f.excluded = entries.filter { $0.treated && $0.g3 == nil }.count
        struct Cell { var t: [(String, Double)] = [], c: [(String, Double)] = [] }
        var cells: [String: Cell] = [:]
        for e in entries {
            guard let g3 = e.g3 else { continue }
            let k = "\(e.subject)|\(Int(e.g1.rounded(.down)))"
            if e.treated { cells[k, default: Cell()].t.append((e.pupil, g3 - e.g1)) } else { cells[k, default: Cell()].c.append((e.pupil, g3 - e.g1)) }
        }
        let matched = cells.values.filter { !$0.t.isEmpty && !$0.c.isEmpty }
        f.unmatched = cells.values.filter { $0.c.isEmpty }.map(\.t.count).reduce(0, +)
        f.strata = matched.count
        f.matchedEntries = matched.map(\.t.count).reduce(0, +)
        f.matchedPupils = Set(matched.flatMap { $0.t.map(\.0) }).count
        f.comparisonEntries = matched.map(\.c.count).reduce(0, +)
        f.comparisonPupils = Set(matched.flatMap { $0.c.map(\.0) }).count
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        let n = Double(f.matchedEntries)
        for cell in matched {
            let w = Double(cell.t.count) / n
            f.meanT += w * mean(cell.t.map(\.1))
            f.meanC += w * mean(cell.c.map(\.1))
        }
        f.effect = f.meanT - f.meanC
        var u: [String: Double] = [:], v: [String: Double] = [:]
        for cell in matched {
            let w = Double(cell.t.count) / n, mc = mean(cell.c.map(\.1))
            for (pupil, change) in cell.t { u[pupil, default: 0] += (change - mc - f.effect) / n }
            for (pupil, change) in cell.c { v[pupil, default: 0] += w / Double(cell.c.count) * (change - mc) }
        }
        let gT = Double(u.count), gC = Double(v.count)
        let vT = gT / (gT - 1) * u.values.map { $0 * $0 }.reduce(0, +)
        let vC = gC / (gC - 1) * v.values.map { $0 * $0 }.reduce(0, +)
        let variance = vT + vC
        f.df = Int((variance * variance / (vT * vT / (gT - 1) + vC * vC / (gC - 1))).rounded(.down))
        f.vT = vT
        f.vC = vC
        f.se = variance.squareRoot()
        let t = StudentT.critical95(degreesOfFreedom: Double(f.df))  // the published t table, interpolated (±0.001 of exact)
        f.low = f.effect - t * f.se
        f.high = f.effect + t * f.se
        return f
    }

    static func importUCI(into database: String) async {
        #expect(await Headway.run(arguments: [
            "import", "--database", database, "--mapping", CLITests.repository.appendingPathComponent("examples/uci-portuguese/mapping.toml").path,
            CLITests.uci.appendingPathComponent("student-por.csv").path, CLITests.uci.appendingPathComponent("student-mat.csv").path,
        ]) == 0)
    }

    /// The cells of the table row starting with `label` (columns are 2+ spaces apart).
    static func cells(_ label: String, in text: String) throws -> [String] {
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("  \(label)  ") }, "\(label)\n\(text)")
        return line.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static let uciArguments = ["--group", "schoolsup=true", "--from", "G1", "--to", "G3", "--outcome", "grade"]

    @Test func uciSchoolSupportImpactMatchesARecomputationFromTheRawFiles() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("uci.sqlite").path
        await Self.importUCI(into: database)
        #expect(await Headway.run(arguments: ["interventions", "impact", "--database", database] + Self.uciArguments) == 0)

        let entries = try Self.uciEntries()
        #expect(entries.count == 395 + 649)
        let expected: [(scope: String, figures: Figures)] = [
            ("all", Self.figures(entries)), ("MAT", Self.figures(entries.filter { $0.subject == "MAT" })),
            ("POR", Self.figures(entries.filter { $0.subject == "POR" })),
        ]
        let quoted = expected.map { "\($0.scope): \($0.figures)" }.joined(separator: "\n")
        print("UCI schoolsup G1 → G3 (grade), recomputed from the raw files:\n\(quoted)")
        // The same pupils as the import: 72 distinct supported pupils (51 maths rows + 68 Portuguese rows, 47 in both).
        #expect(expected[0].figures.treatedPupils == 72 && expected[0].figures.treatedEntries == 119, "\(quoted)")

        let store = try await Store.open(.sqlite(path: database))
        let year = try await store.load(school: "UCI", year: AcademicYear(startYear: 2005))
        try await store.close()

        // CSV: every figure to 6 decimals.
        let csvCommand = try InterventionsImpact.parse(Self.uciArguments + ["--format", "csv"])
        let rows = try SharedFiles.csvRows(text: csvCommand.output(for: year))
        #expect(rows.map { $0["subject"] ?? "" } == ["all", "MAT", "POR"])
        for (scope, f) in expected {
            let row = try #require(rows.first { $0["subject"] == scope })
            let counts = ["treated_pupils": f.treatedPupils, "treated_entries": f.treatedEntries, "matched_pupils": f.matchedPupils,
                          "matched_entries": f.matchedEntries, "unmatched_entries": f.unmatched, "excluded_entries": f.excluded,
                          "comparison_pupils": f.comparisonPupils, "comparison_entries": f.comparisonEntries, "strata": f.strata, "df": f.df]
            for (column, value) in counts { #expect(row[column] == String(value), "\(scope) \(column)\n\(quoted)") }
            let numbers = ["mean_change_treated": f.meanT, "mean_change_comparison": f.meanC, "effect": f.effect, "standard_error": f.se,
                           "variance_treated": f.vT, "variance_comparison": f.vC, "ci_low": f.low, "ci_high": f.high]
            for (column, value) in numbers {
                #expect(abs((Double(row[column] ?? "") ?? .nan) - value) < 5e-7, "\(scope) \(column): \(row[column] ?? "") vs \(value)\n\(quoted)")
            }
            #expect(row["excluded_reasons"] == "\(f.excluded) X (not assessed) after", "\(scope)")
            #expect(row["outcome"] == "grade" && row["periods"] == "Y12 G1 → G3" && row["measured"] == "schoolsup = true")
            let verdict = f.low > 0 ? "measured_above_zero" : f.high < 0 ? "measured_below_zero" : "measured_spans_zero"
            #expect(row["verdict"] == verdict, "\(scope)\n\(quoted)")
        }

        // The table: n, the means, the effect and interval as printed, the verdict in words, the method.
        let text = try InterventionsImpact.parse(Self.uciArguments).output(for: year)
        func cells(_ label: String) throws -> [String] { try Self.cells(label, in: text) }
        func signed(_ x: Double) -> String { String(format: "%+.3f", x) }
        for (label, f) in [("All subjects", expected[0].figures), ("Mathematics (MAT)", expected[1].figures), ("Portuguese (POR)", expected[2].figures)] {
            #expect(try cells(label) == [label, String(f.treatedPupils), String(f.matchedPupils), String(f.treatedEntries), String(f.matchedEntries),
                                         String(f.unmatched), String(f.excluded), String(f.comparisonPupils), String(f.comparisonEntries),
                                         signed(f.meanT), signed(f.meanC), signed(f.effect), "\(signed(f.low)) to \(signed(f.high))", String(f.df),
                                         f.low > 0 ? "gained more" : f.high < 0 ? "gained less" : "no measurable difference"], "\(text)\n\(quoted)")
        }
        #expect(text.contains("Outcome: working-at grade (points), as asked."))
        #expect(text.contains("Method: matched on year group, subject, KS2 band and starting grade band; difference in differences; 95% CI clustered by pupil."))
        #expect(text.contains("  Before → after: Year 12 G1 → G3\n"))
        let all = expected[0].figures
        #expect(all.low < 0 && all.high > 0, "\(quoted)")  // worked out below; the sentence says so
        #expect(text.contains("  Verdict: no measurable difference: the pupils in it gained \(String(format: "%.3f", abs(all.effect))) points less than matched pupils not in it, but the 95% interval (\(signed(all.low)) to \(signed(all.high))) includes zero; n = \(all.matchedPupils) pupils (\(all.matchedEntries) entries) in it, \(all.comparisonPupils) (\(all.comparisonEntries)) matched not in it."), "\(text)")
    }

    @Test func misuseAndDataProblemsExitWithTwoAndOne() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("uci.sqlite").path
        await Self.importUCI(into: database)
        func run(_ arguments: [String]) async -> Int32 { await Headway.run(arguments: ["interventions", "impact", "--database", database] + arguments) }
        #expect(await run(["--group", "schoolsup=true"]) == 2)  // no --from/--to
        #expect(await run(["--from", "G1", "--to", "G3"]) == 2)  // no --group
        #expect(await run(["--group", "schoolsup"]) == 2)
        #expect(await run(["--group", "schoolsup=true", "--from", "G3", "--to", "G1"]) == 2)  // wrong order
        #expect(await run(["--group", "schoolsup=true", "--from", "G0", "--to", "G3"]) == 2)  // no such collection
        #expect(await run(Self.uciArguments + ["--subject", "ART"]) == 2)
        #expect(await run(Self.uciArguments + ["--minimum-pupils", "0"]) == 2)
        #expect(await run(Self.uciArguments + ["--pupil-premium"]) == 2)
        #expect(await run(["NOPE"]) == 2)  // unknown intervention id
        #expect(await run(["--group", "no_such=1", "--from", "G1", "--to", "G3"]) == 1)  // no such characteristic
        #expect(await run(["--group", "schoolsup=maybe", "--from", "G1", "--to", "G3"]) == 1)  // nobody has that value
        #expect(await run(["--group", "schoolsup=true", "--from", "G1", "--to", "G3", "--outcome", "residual"]) == 1)  // no targets
        #expect(await run([]) == 1)  // no interventions logged
        #expect(await run(Self.uciArguments + ["--subject", "MAT", "--minimum-pupils", "60"]) == 0)  // too few to judge is an answer
        let year = try await CLITests().load(URL(fileURLWithPath: database), school: "UCI", year: AcademicYear(startYear: 2005))
        let text = try InterventionsImpact.parse(Self.uciArguments + ["--subject", "MAT", "--minimum-pupils", "60"]).output(for: year)
        // 50 matched maths pupils (51 supported, one did not sit G3) < 60.
        #expect(text.contains("  Verdict: too few pupils to judge: 50 matched pupils in it and 263 matched pupils not in it; at least 60 of each are needed (means shown for information only).\n"), "\(text)")
        #expect(text.contains("; subjects MAT."))
        // Only maths is asked about: the 21 supported pupils who take only Portuguese are outside the question.
        #expect(try Self.cells("Mathematics (MAT)", in: text).prefix(7) == ["Mathematics (MAT)", "51", "50", "51", "50", "0", "1"], "\(text)")
    }

    // MARK: Logged interventions and the pupil premium summary

    static func gcse(_ code: String) -> EntryValue { GradeScale.gcse.value(stored: code) }

    /// Year 10 maths DC1 (deadline 2026-11-13) → DC2 (2027-02-12), the hand-worked example of
    /// InterventionImpactTests: stratum A (start 4, KS2 middle) treated +2, +1, +3 vs comparison
    /// 0, +1, +1, +2; stratum B (start 6) treated +1, +2 vs 0, 0, +1; T6 starts at 8 (unmatched).
    /// Effect 16/15; cluster-robust V_T = 19/150, V_C = 2149/32400, Var = 6253/32400; df 7.85 → 7,
    /// t 2.365 (worked out by hand in InterventionImpactTests.handWorkedExampleToTheLastDigit).
    static func school() -> SchoolYear {
        let collections = [
            DataCollection(id: "DC1", name: "Autumn", academicYear: Fixtures.year, yearGroups: [10], sequence: 1, deadline: CalendarDate(parsing: "2026-11-13")),
            DataCollection(id: "DC2", name: "Spring", academicYear: Fixtures.year, yearGroups: [10], sequence: 2, deadline: CalendarDate(parsing: "2027-02-12")),
        ]
        let changes: [(String, String, String)] = [
            ("T1", "4", "6"), ("T2", "4", "5"), ("T3", "4", "7"), ("T4", "6", "7"), ("T5", "6", "8"), ("T6", "8", "9"),
            ("C1", "4", "4"), ("C2", "4", "5"), ("C3", "4", "5"), ("C4", "4", "6"), ("C5", "6", "6"), ("C6", "6", "6"), ("C7", "6", "7"),
        ]
        let pupils = changes.map { p, _, _ in
            Pupil(id: Pupil.ID(p), forename: p, surname: "Pupil", yearGroup: 10,
                  characteristics: [Characteristic.disadvantaged: ["T1", "T2"].contains(p) ? "true" : "false"],
                  priorAttainment: PriorAttainment(readingScaledScore: 105, mathsScaledScore: 105))
        }
        let assessments = changes.flatMap { p, a, b in
            [Assessment(pupil: Pupil.ID(p), subject: "MA", collection: "DC1", workingAt: gcse(a)),
             Assessment(pupil: Pupil.ID(p), subject: "MA", collection: "DC2", workingAt: gcse(b))]
        }
        return SchoolYear(school: School(id: "IMP", name: "Impact Academy"), academicYear: Fixtures.year,
                          subjects: [Subject(id: "MA", name: "Mathematics", scale: GradeScale.gcseID)],
                          staff: [Staff(id: "JSM", forename: "Jo", surname: "Smith")], pupils: pupils, collections: collections, assessments: assessments)
    }

    @Test func loggedInterventionsAndThePupilPremiumSummary() async throws {
        let folder = try CLITests().temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("impact.sqlite").path
        let context = ChangeContext(actor: "DMG", source: "test", at: Date(timeIntervalSince1970: 1_795_000_000))
        let interventions = [
            Intervention(id: "INT-1", type: .tutoring, title: "Y10 maths tutoring", owner: "JSM", pupils: ["T1", "T2", "T3", "T4", "T5", "T6"],
                         subjects: ["MA"], starts: CalendarDate(parsing: "2026-11-16")!, ends: CalendarDate(parsing: "2027-02-05")!,
                         costPence: 125050, fundedByPupilPremium: true),
            Intervention(id: "INT-2", type: .mentoring, title: "Y10 mentoring", owner: "JSM", pupils: ["T1"],
                         starts: CalendarDate(parsing: "2027-01-10")!),
        ]
        let store = try await Store.open(.sqlite(path: database))
        do {
            try await store.migrate()
            try await store.save(Self.school(), context: context)
            try await store.save(interventions, school: "IMP", context: context)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
        // Measured as on 20 February 2027: DC2 (deadline 12 February) has happened.
        let arguments = ["--minimum-pupils", "2", "--today", "2027-02-20"]
        #expect(await Headway.run(arguments: ["interventions", "impact", "--database", database] + arguments) == 0)
        #expect(await Headway.run(arguments: ["interventions", "impact", "--database", database, "--pupil-premium"] + arguments) == 0)
        let year = try await CLITests().load(URL(fileURLWithPath: database), school: "IMP", year: Fixtures.year)
        #expect(year.interventions.map(\.id) == ["INT-1", "INT-2"])

        // Effect 16/15 = +1.067; half-width 2.365 × √(6253/32400) = 1.0390 → +0.028 to +2.106: above zero.
        let half = 2.365 * (6253.0 / 32400).squareRoot(), effect = 16.0 / 15
        let ci = String(format: "%+.3f to %+.3f", effect - half, effect + half)
        let text = try InterventionsImpact.parse(["INT-1"] + arguments).output(for: year)
        #expect(text.contains("INT-1 Y10 maths tutoring (tutoring)\n  Before → after: Year 10 DC1 (2026-11-13) → DC2 (2027-02-12)\n"), "\(text)")
        // n: 6 pupils, 5 matched; 6 entries, 5 matched, 1 unmatched; 7 comparison pupils; means 1.8 and 11/15 = 0.733.
        #expect(try Self.cells("Mathematics (MA)", in: text)
                == ["Mathematics (MA)", "6", "5", "6", "5", "1", "0", "7", "7", "+1.800", "+0.733", "+1.067", ci, "7", "gained more"], "\(text)")
        #expect(text.contains("  Unmatched: 1 entry with no comparison entry in the same stratum (left out)\n"))
        #expect(ci == "+0.028 to +2.106")
        #expect(text.contains("Verdict: the pupils in it gained 1.067 points more than matched pupils not in it (95% CI \(ci)): a measurable positive effect; n = 5 pupils (5 entries) in it, 7 (7) matched not in it."), "\(text)")

        // The mentoring has no end date: not yet measurable, with the reason.
        let mentoring = try InterventionsImpact.parse(["INT-2"] + arguments).output(for: year)
        #expect(mentoring.contains("  Verdict: not yet measurable: it is ongoing (no end date yet).\n"), "\(mentoring)")

        // Pupil premium: tutoring £1,250.50, all pupil premium, 6 pupils (2 disadvantaged), £208.42 each
        // (125050 / 6 = 20841.67p → 20842p); mentoring uncosted, 1 pupil (disadvantaged); in all 6 pupils, 2 disadvantaged.
        let summary = try InterventionsImpact.parse(["--pupil-premium"] + arguments + ["--format", "csv"]).output(for: year)
        let rows = try SharedFiles.csvRows(text: summary)
        #expect(rows.map { $0["type"] ?? "" } == ["mentoring", "tutoring", "all"])
        #expect(rows[1]["spend_gbp"] == "1250.50" && rows[1]["pupil_premium_gbp"] == "1250.50" && rows[1]["pupils_reached"] == "6")
        #expect(rows[1]["disadvantaged_reached"] == "2" && rows[1]["cost_per_pupil_gbp"] == "208.42" && rows[1]["verdict"] == "measured_above_zero")
        #expect(abs((Double(rows[1]["effect"] ?? "") ?? .nan) - effect) < 5e-7)
        #expect(rows[0]["uncosted"] == "1" && rows[0]["spend_gbp"] == "0.00" && rows[0]["verdict"] == "not_yet_measurable")
        #expect(rows[2]["pupils_reached"] == "6" && rows[2]["disadvantaged_reached"] == "2" && rows[2]["spend_gbp"] == "1250.50")
        let table = try InterventionsImpact.parse(["--pupil-premium"] + arguments).output(for: year)
        #expect(table.contains("£1,250.50") && table.contains("£208.42"), "\(table)")
        #expect(table.contains("  tutoring: the pupils in it gained 1.067 points more than matched pupils not in it (95% CI \(ci)): a measurable positive effect"), "\(table)")
        #expect(table.contains("  mentoring: not yet measurable: it is ongoing (no end date yet).\n"), "\(table)")

        // Issue 12, item 9: the impact and the log agree on whether the tutoring has happened.
        // Planned on 1 November, running on 1 February, ended on 8 February but DC2 not yet due,
        // measurable from DC2's deadline on.
        for (day, status, verdict) in [
            ("2026-11-01", "planned", "not yet measurable: it has not started on 2026-11-01 (it starts 2026-11-16)."),
            ("2027-02-01", "running", "not yet measurable: it is still running on 2027-02-01 (it ends 2027-02-05)."),
            ("2027-02-08", "ended", "not yet measurable: DC2, the first Year 10 collection after its end, is not due until 2027-02-12."),
            ("2027-02-12", "ended", "the pupils in it gained 1.067 points more"),
        ] {
            let impact = try InterventionsImpact.parse(["INT-1", "--minimum-pupils", "2", "--today", day]).output(for: year)
            #expect(impact.contains("As on \(day):") && impact.contains("Verdict: \(verdict)"), "\(day): \(impact)")
            let log = InterventionsCommand.List.render([year.interventions[0]], in: year, on: CalendarDate(parsing: day)!, format: .csv)
            #expect(try SharedFiles.csvRows(text: log).first?["status"] == status, "\(day)")
        }
        #expect(await Headway.run(arguments: ["interventions", "impact", "--database", database, "--today", "soon"]) == 2)
    }
}
