// Benchmarks for Headway, run by hand (never as unit tests). Build and run in release:
//
//   swift build -c release --product HeadwayBenchmarks
//   .build/release/HeadwayBenchmarks [--suite store|ks4|ks4-command|school|ctf|reports|all] [--repeat N]
//       store:  [--entries 100000] [--postgres postgres://…]
//       ks4:    [--sizes 1000,60000,600000] [--chunks 2]
//       ks4-command: [--sizes 60000,600000]  (needs the release `headway` built too)
//       school: [--pupils-per-year 300]
//
// Suites (default `all`: store, then school, then ks4, then ks4-command, then ctf, then reports):
// - store:  bulk save of assessment entries into a fresh SQLite file (and into PostgreSQL when
//   given: use an empty database), reload, analytics and report over the same data.
// - ks4-command: issue 13 "Speed": `headway ks4` on the same cohort written as a results CSV,
//   timed as a whole process beside DuckDB and pandas (KS4CommandSuite.swift).
// - ks4:    issue 3 "Speed": synthetic KS4 cohorts (default 1,000, 60,000 and 600,000 pupils,
//   10 results each, deterministic). Measured: A8 + P8 for every pupil, split into `--chunks`
//   parallel tasks (default 2, the target's 2 cores); every standard subgroup gap on A8 and on P8
//   (SubgroupGap.Accumulator per chunk, in parallel, merged); school P8 with its 95% CI.
//   Target: those steps for 600,000 pupils under 2 s on 2 cores, peak memory under 1.5 GB.
//   Generating the cohort is not measured. Also printed, outside the target: EBacc + basics, and
//   KS4Cohort.init (all measures, one core) over the same pupils.
// - school: issue 3 "Speed": the whole in-memory analysis of a DemoSchool with 300 pupils per
//   year group (≈1,500 pupils): SchoolAnalysis.compute, i.e. YearIndex, then on two tasks
//   progress statuses, residuals, gaps and transitions on one, and KS4 forecasts (Y10, Y11),
//   completion, integrity and subgroups on the other. Target under 100 ms. Generation is not
//   measured; the parts are then timed one after another to show where the time goes, and the
//   HTML/CSV report apart.
// - reports: issue 7 "Speed": every report to parents and carers of the demo school (≈1,100
//   pupils, DemoSchool defaults) at its last collection, as HTML: YearIndex and ProgressStatus
//   once, then every pupil's model and page through one compiled template. Target under 10 s.
//   Generation is not measured; each tutor group's combined file is timed apart.
//
// Memory: `peak` is VmHWM from /proc/self/status. Before each measured run the high-water mark is
// reset (`5` written to /proc/self/clear_refs, Linux ≥ 4.0), so "peak during run" is the largest
// resident set while measuring — the input included, since it is resident. "peak in process"
// is taken before the reset and includes generating the input.
// `--repeat N` repeats the measured steps in the same process over the same input (the first
// run is cold: allocator and page faults); run the executable several times for a median.
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayImport
import HeadwayReports
import HeadwayStore
import HeadwaySynthetic

// MARK: - Timing and memory

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func line(_ label: String, _ value: String) {
    print("  " + label.padding(toLength: 58, withPad: " ", startingAt: 0) + value)
}

func measure<T>(_ label: String, _ body: () async throws -> T) async rethrows -> T {
    let start = ContinuousClock.now
    let result = try await body()
    line(label, String(format: "%8.3f s", seconds(ContinuousClock.now - start)))
    return result
}

/// Like ``measure`` but also returns the seconds, for totals.
func timed<T>(_ label: String, memory: Bool = false, _ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let result = try await body()
    let s = seconds(ContinuousClock.now - start)
    line(label, String(format: "%8.3f s", s) + (memory ? "   peak so far " + Memory.text(Memory.peak) : ""))
    return (result, s)
}

enum Memory {
    /// A field of /proc/self/status in MB (kB / 1024), e.g. `VmHWM`, `VmRSS`; nil off Linux.
    static func megabytes(_ field: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for row in status.split(separator: "\n") where row.hasPrefix(field + ":") {
            let digits = row.dropFirst(field.count + 1).filter(\.isNumber)
            return Double(String(digits)).map { $0 / 1024 }
        }
        return nil
    }

    static var peak: Double? { megabytes("VmHWM") }
    static var resident: Double? { megabytes("VmRSS") }

    /// Resets VmHWM to the current RSS; false when the kernel refuses.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    static func text(_ mb: Double?) -> String { mb.map { String(format: "%8.0f MB", $0) } ?? "       n/a" }
}

/// The 1, 5 and 15 minute load averages (other processes compete for the 2 cores).
func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "n/a").split(separator: " ").prefix(3).joined(separator: " ")
}

// MARK: - Store suite (unchanged)

/// A school year with exactly `entries` assessment entries: pupils × 10 subjects × 5 collections.
func syntheticYear(entries: Int) -> SchoolYear {
    let subjects = (1...10).map { Subject(id: Subject.ID("S\($0)"), name: "Subject \($0)", scale: GradeScale.gcseID) }
    let collections = (1...5).map {
        DataCollection(id: DataCollection.ID("DC\($0)"), name: "Collection \($0)", academicYear: AcademicYear(startYear: 2026), yearGroups: [], sequence: $0)
    }
    let pupilCount = max(1, entries / (subjects.count * collections.count))
    let pupils = (0..<pupilCount).map {
        Pupil(id: Pupil.ID(String(format: "B%06d", $0)), forename: "Pupil", surname: String($0), yearGroup: 7 + $0 % 5,
              characteristics: [Characteristic.disadvantaged: $0 % 4 == 0 ? "true" : "false"])
    }
    let grades = GradeScale.gcse.grades
    var assessments: [Assessment] = []
    assessments.reserveCapacity(pupilCount * 50)
    for (p, pupil) in pupils.enumerated() {
        for (s, subject) in subjects.enumerated() {
            for (c, collection) in collections.enumerated() {
                let g = grades[(p * 7 + s * 3 + c) % grades.count]
                assessments.append(Assessment(pupil: pupil.id, subject: subject.id, collection: collection.id,
                                              workingAt: .grade(g), predicted: .grade(grades[(p + s) % grades.count]),
                                              atl: .grade(GradeScale.atl.grades[(p + c) % 4])))
            }
        }
    }
    return SchoolYear(school: School(id: "BENCH", name: "Benchmark school"), academicYear: AcademicYear(startYear: 2026),
                      subjects: subjects, pupils: pupils, collections: collections, assessments: assessments)
}

func run(_ location: DatabaseLocation, year: SchoolYear) async throws {
    print("\(location) — \(year.assessments.count) entries, \(year.pupils.count) pupils")
    let store = try await Store.open(location)
    try await store.migrate()
    let context = ChangeContext(actor: "benchmark", source: "benchmark", at: Date())
    try await measure("save (new entries, with audit rows)") { _ = try await store.save(year, context: context) }
    try await measure("save again (all unchanged, diffed)") { _ = try await store.save(year, context: context) }
    let loaded = try await measure("load school year") { try await store.load(school: year.school.id, year: year.academicYear) }
    let index = await measure("index") { YearIndex(loaded) }
    let analysis = await measure("whole analysis (SchoolAnalysis)") { await SchoolAnalysis.compute(index) }
    _ = try await measure("headline report (model + HTML + CSV)") { try HeadlineReport.render(HeadlineReport.model(analysis, generated: "benchmark")) }
    try await store.close()
}

func storeSuite(entries: Int, postgres: String?) async throws {
    print("== store: \(entries) entries")
    let year = await measure("build \(entries) entries in memory") { syntheticYear(entries: entries) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try await run(.sqlite(path: folder.appendingPathComponent("bench.sqlite").path), year: year)
    try? FileManager.default.removeItem(at: folder)
    if let postgres { try await run(.postgres(url: postgres), year: year) }
}

// MARK: - KS4 suite: synthetic cohort

/// A synthetic KS4 cohort: each pupil's results and KS2 (what the measures read) and the roster
/// with characteristics and KS2 (what the subgroup gaps read).
struct KS4Input: Sendable {
    var pupils: [KS4Pupil]
    var roster: [Pupil]
    var resultCount: Int
}

/// Builds a deterministic cohort of `count` pupils with 10 results each.
///
/// Model (plausible, not calibrated): characteristics as quotas of an ordinary comprehensive
/// (disadvantaged 25%, of whom 2% looked after; SEN support K ≈13% and EHC plan E ≈2.5%, both likelier for disadvantaged
/// pupils; EAL 18%; gender F/M evenly). KS2 reading and maths from a latent ability (lower for
/// disadvantaged and SEN pupils), mean ≈105, SD ≈7, correlation ≈0.7, integers clipped to
/// 80–120, so the KS2 average lies on the 0.5 grid; 5% of pupils have no KS2, 1% only one test.
/// Results: English language and literature, maths; combined science (75%) or biology, chemistry
/// and physics (25%); history or geography; a language for 45%; options to make ten (some EBacc:
/// computer science, the other humanity). A grade is the pupil's expected grade from KS2
/// (≈ 4.55 + 0.23 per KS2 point above 105, the slope of the DfE 2023 estimates) plus a pupil
/// effect, a subject shift and noise, rounded and clipped to U–9; 1% of results are X (absent).
func makeKS4Cohort(count: Int, seed: UInt64 = 2027) -> KS4Input {
    struct Spec {
        let key: String
        let category: KS4Category
        let shift: Double
        let name: String?
        init(_ key: String, _ category: KS4Category, _ shift: Double) {
            self.key = key
            self.category = category
            self.shift = shift
            name = nil
        }
    }
    let language = Spec("english_language", .englishLanguage, 0.1)
    let literature = Spec("english_literature", .englishLiterature, 0.2)
    let maths = Spec("maths", .maths, -0.2)
    let combined = Spec("combined_science", .combinedScience, -0.3)
    let triple = [Spec("biology", .biology, 0.9), Spec("chemistry", .chemistry, 0.9), Spec("physics", .physics, 1.0)]
    let humanities = [Spec("history", .history, 0.1), Spec("geography", .geography, 0.1)]
    let languages = [Spec("french", .language, -0.1), Spec("spanish", .language, 0.0), Spec("german", .language, 0.1)]
    let options = [
        Spec("art_and_design", .other, 0.4), Spec("computer_science", .computerScience, 0.2), Spec("religious_studies", .other, 0.1),
        Spec("physical_education", .other, -0.1), Spec("drama", .other, 0.3), Spec("business", .other, -0.2),
        Spec("music", .other, 0.5), Spec("design_and_technology", .other, -0.2), Spec("food_preparation", .other, -0.1),
        Spec("media_studies", .other, -0.3), Spec("sociology", .other, 0.0), Spec("statistics", .other, 0.3),
    ]
    // Every grade value built once (codes are short strings: no allocation per result).
    let gcse = [KS4Grade(code: "U", hundredths: 0)] + (1...9).map { KS4Grade(code: String($0), hundredths: $0 * 100) }
    // Index h = 0 (U) … 17: half-grades 1.0, 1.5, … 9.0 as `1-1`, `2-1`, … `9-9`.
    let double = [KS4Grade(code: "U", hundredths: 0, slots: 2)] + (2...18).map { twice in
        let high = (twice + 1) / 2, low = twice / 2
        return KS4Grade(code: "\(high)-\(low)", hundredths: twice * 50, slots: 2)
    }
    let absent = KS4Grade.absent(), absentDouble = KS4Grade.absent(slots: 2)

    var random = SeededRandom(seed: seed, stream: "ks4-cohort")
    var pupils: [KS4Pupil] = []
    var roster: [Pupil] = []
    pupils.reserveCapacity(count)
    roster.reserveCapacity(count)
    var resultCount = 0
    for i in 0..<count {
        let id = Pupil.ID("K\(1_000_000 + i)")
        let disadvantaged = random.chance(0.25)
        let senDraw = random.nextUnit()
        let senSupportRate = disadvantaged ? 0.19 : 0.11, ehcRate = disadvantaged ? 0.04 : 0.02
        let sen: SENStatus = senDraw < ehcRate ? .ehcPlan : senDraw < ehcRate + senSupportRate ? .senSupport : .none
        let lookedAfter = disadvantaged && random.chance(0.02)  // ≈0.5% of all pupils
        let eal = random.chance(0.18)
        let female = random.chance(0.5)
        // Latent ability: mean ≈ 0 over the cohort (the shifts average ≈ −0.27).
        var ability = random.normal() + 0.27
        if disadvantaged { ability -= 0.45 }
        if sen == .senSupport { ability -= 0.9 }
        if sen == .ehcPlan { ability -= 1.8 }
        func score() -> Int { min(120, max(80, Int((105 + 7 * (0.85 * ability + 0.53 * random.normal())).rounded()))) }
        var reading: Int? = score(), mathsScore: Int? = score()
        let missing = random.nextUnit()
        if missing < 0.05 { reading = nil; mathsScore = nil }
        else if missing < 0.055 { reading = nil }
        else if missing < 0.06 { mathsScore = nil }
        let prior = PriorAttainment(readingScaledScore: reading, mathsScaledScore: mathsScore)

        // Expected grade from the latent KS2 average (known whether recorded or not).
        let expected = 4.55 + 0.23 * 7 * ability + 0.5 * random.normal() - (disadvantaged ? 0.3 : 0) + (female ? 0.15 : -0.15)
        var subjects: [Spec] = [language, literature, maths]
        if random.chance(0.75) { subjects.append(combined) } else { subjects += triple }
        let humanity = random.below(2)
        subjects.append(humanities[humanity])
        if random.chance(0.45) { subjects.append(languages[random.below(languages.count)]) }
        var pool = options + [humanities[1 - humanity]]
        while subjects.count < 10 {
            subjects.append(pool.remove(at: random.below(pool.count)))
        }
        var results: [KS4Result] = []
        results.reserveCapacity(10)
        for s in subjects {
            let x = expected + s.shift + 0.8 * random.normal()
            let grade: KS4Grade
            if random.chance(0.01) {
                grade = s.category == .combinedScience ? absentDouble : absent
            } else if s.category == .combinedScience {
                grade = double[Int(min(18, max(1, (2 * x).rounded()))) - 1]
            } else {
                grade = gcse[Int(min(9, max(0, x.rounded())))]
            }
            results.append(KS4Result(pupil: id, subject: s.key, qualificationNumber: nil, category: s.category,
                                     discountCode: nil, grade: grade))
        }
        resultCount += results.count
        pupils.append(KS4Pupil(id: id, prior: prior, results: results))
        roster.append(Pupil(id: id, yearGroup: 11, characteristics: [
            Characteristic.disadvantaged: disadvantaged ? "true" : "false",
            Characteristic.sen: sen.rawValue,
            Characteristic.eal: eal ? "true" : "false",
            Characteristic.gender: female ? "F" : "M",
            Characteristic.lookedAfter: lookedAfter ? "true" : "false",
        ], priorAttainment: prior))
    }
    return KS4Input(pupils: pupils, roster: roster, resultCount: resultCount)
}

// MARK: - KS4 suite: measured work

/// A8 and P8 of a contiguous range of pupils, with its school-P8 sums.
struct KS4Chunk: Sendable {
    var start: Int
    var attainment8: [Attainment8]
    var progress8: [Progress8?]
    var sums: SchoolProgress8.Accumulator
}

/// A8 + P8 for `pupils[range]`: pure, run on any thread.
@Sendable func computeChunk(_ pupils: [KS4Pupil], _ range: Range<Int>, estimates: AttainmentEstimates) -> KS4Chunk {
    var a8: [Attainment8] = []
    var p8: [Progress8?] = []
    a8.reserveCapacity(range.count)
    p8.reserveCapacity(range.count)
    var sums = SchoolProgress8.Accumulator()
    for i in range {
        let a = Attainment8.compute(pupils[i].results)
        let p = Progress8.compute(a, prior: pupils[i].prior, estimates: estimates)
        sums.add(p)
        a8.append(a)
        p8.append(p)
    }
    return KS4Chunk(start: range.lowerBound, attainment8: a8, progress8: p8, sums: sums)
}

/// Splits 0..<count into `chunks` contiguous ranges of near-equal size.
func ranges(_ count: Int, chunks: Int) -> [Range<Int>] {
    let n = max(1, min(chunks, count))
    return (0..<n).map { k in (count * k / n)..<(count * (k + 1) / n) }
}

/// Runs `body` over each range in a task group (each child on the global concurrent executor)
/// and returns the chunk results in range order.
func parallel<T: Sendable>(_ parts: [Range<Int>], _ body: @escaping @Sendable (Range<Int>) -> T) async -> [T] {
    await withTaskGroup(of: (Int, T).self) { group in
        for (k, r) in parts.enumerated() { group.addTask { (k, body(r)) } }
        var out: [(Int, T)] = []
        for await x in group { out.append(x) }
        return out.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

struct KS4RunFigures {
    var steps: [(String, Double)] = []
    var total: Double = 0
    var peakDuringRun: Double?
}

func ks4Run(_ input: KS4Input, chunks: Int, verbose: Bool) async -> KS4RunFigures {
    var figures = KS4RunFigures()
    let estimates = AttainmentEstimates.ks4_2023
    let pupils = input.pupils
    let roster = input.roster
    let parts = ranges(pupils.count, chunks: chunks)
    let resetOK = Memory.resetPeak()
    let start = ContinuousClock.now

    // 1. A8 + P8 per pupil, chunks in parallel.
    let (computed, t1) = await timed("A8 + P8 per pupil (\(parts.count) parallel chunks)", memory: true) {
        await parallel(parts) { computeChunk(pupils, $0, estimates: estimates) }
    }
    figures.steps.append(("a8p8", t1))

    // 2. Every standard gap on A8 and on P8: one accumulator pair per chunk, in parallel, merged.
    let (gaps, t2) = await timed("subgroup gaps on A8 and P8 (per chunk, merged)", memory: true) {
        let partial = await parallel(computed.indices.map { $0..<($0 + 1) }) { r -> (SubgroupGap.Accumulator, SubgroupGap.Accumulator) in
            let chunk = computed[r.lowerBound]
            var a8 = SubgroupGap.Accumulator(), p8 = SubgroupGap.Accumulator()
            for k in chunk.attainment8.indices {
                let pupil = roster[chunk.start + k]
                a8.add(pupil, chunk.attainment8[k].total)
                if let p = chunk.progress8[k] { p8.add(pupil, p.overall.exact) }
            }
            return (a8, p8)
        }
        var a8 = SubgroupGap.Accumulator(), p8 = SubgroupGap.Accumulator()
        for (a, p) in partial { a8.merge(a); p8.merge(p) }
        return (a8: a8.gaps, p8: p8.gaps)
    }
    figures.steps.append(("gaps", t2))

    // 3. School P8 with its 95% interval.
    let (school, t3) = await timed("school P8 + 95% CI", memory: true) {
        var sums = SchoolProgress8.Accumulator()
        for chunk in computed { sums.add(chunk.sums) }
        return SchoolProgress8(sums)
    }
    figures.steps.append(("school", t3))

    figures.total = seconds(ContinuousClock.now - start)
    figures.peakDuringRun = resetOK ? Memory.peak : nil
    line("TOTAL (A8, P8, gaps, school P8)", String(format: "%8.3f s", figures.total))
    line("peak memory during run (input resident)", Memory.text(figures.peakDuringRun) + (resetOK ? "" : " (reset refused)"))

    if verbose {
        var a8Sum = 0
        for chunk in computed { for a in chunk.attainment8 { a8Sum += a.totalHundredths } }
        print("    mean A8 " + String(format: "%.2f", Double(a8Sum) / Double(100 * pupils.count))
            + " (checksum \(a8Sum) hundredths); school P8 \(school.summary)")
        print("    \(school.pupilsWithoutKS2) pupils without KS2 (in A8, not P8); \(gaps.a8.count) gaps on A8, \(gaps.p8.count) on P8:")
        for (name, list) in [("A8", gaps.a8), ("P8", gaps.p8)] {
            for g in list {
                let d = g.difference
                let ci = d.interval.map { String(format: "[%+.2f, %+.2f]", $0.lowerBound, $0.upperBound) } ?? "–"
                print("      \(name) \(g.characteristic) \(g.group) vs \(g.comparison): n \(d.group.count)/\(d.comparison.count), "
                    + String(format: "means %.2f vs %.2f, gap %+.2f ", d.group.mean, d.comparison.mean, d.difference) + ci)
            }
        }
    }
    return figures
}

func ks4Extras(_ input: KS4Input, chunks: Int) async {
    let pupils = input.pupils
    let parts = ranges(pupils.count, chunks: chunks)
    _ = await measure("(extra) EBacc + basics (\(parts.count) parallel chunks)") {
        await parallel(parts) { r in
            var entered = 0, pass4 = 0
            for i in r {
                if EBacc.compute(pupils[i].results).entered { entered += 1 }
                if Basics.compute(pupils[i].results).standardPass { pass4 += 1 }
            }
            return entered + pass4
        }
    }
    let cohort = await measure("(extra) KS4Cohort.init, all measures, 1 core") {
        KS4Cohort(pupils, estimates: .ks4_2023, cohortYear: 2027)
    }
    print("    " + cohort.summaryLines[0])
    line("peak memory incl. extras", Memory.text(Memory.peak))
}

func ks4Suite(sizes: [Int], chunks: Int, repeats: Int) async {
    for size in sizes {
        print("== ks4: \(size) pupils × 10 results (\(chunks) chunks, \(ProcessInfo.processInfo.activeProcessorCount) cores visible, "
            + "load average \(loadAverage()))")
        let (input, generation) = await timed("generate cohort (not measured)") { makeKS4Cohort(count: size) }
        _ = generation
        let layout = "KS4Result \(MemoryLayout<KS4Result>.stride) B, KS4Pupil \(MemoryLayout<KS4Pupil>.stride) B, Pupil \(MemoryLayout<Pupil>.stride) B"
        print("    input: \(input.pupils.count) pupils, \(input.resultCount) results (\(layout)); "
            + "\(input.pupils.count(where: { $0.prior.average == nil })) without KS2")
        print("    output per pupil: Attainment8 \(MemoryLayout<Attainment8>.stride) B + its slot array, Progress8? \(MemoryLayout<Progress8?>.stride) B")
        line("resident after generation", Memory.text(Memory.resident))
        line("peak in process so far (incl. generation)", Memory.text(Memory.peak))
        var totals: [Double] = []
        for r in 1...max(1, repeats) {
            if repeats > 1 { print("  run \(r)") }
            let figures = await ks4Run(input, chunks: chunks, verbose: r == 1)
            totals.append(figures.total)
        }
        if totals.count > 1 {
            line("median TOTAL of \(totals.count) runs", String(format: "%8.3f s", totals.sorted()[totals.count / 2]))
        }
        await ks4Extras(input, chunks: chunks)
    }
}

// MARK: - School suite

func schoolSuite(pupilsPerYear: Int, repeats: Int) async throws {
    print("== school: DemoSchool, \(pupilsPerYear) pupils per year group (load average \(loadAverage()))")
    let demo = await measure("generate demo school (not measured)") {
        DemoSchool.generate(.init(pupilsPerYearGroup: pupilsPerYear))
    }
    let year = demo.year
    print("    input: \(year.pupils.count) pupils, \(year.subjects.count) subjects, \(year.assessments.count) entries, "
        + "\(year.targets.count) targets, \(year.collections.count) collections")
    var totals: [Double] = []
    for r in 1...max(1, repeats) {
        print("  run \(r)")
        let resetOK = Memory.resetPeak()
        let (analysis, total) = await timed("TOTAL: SchoolAnalysis.compute") { await SchoolAnalysis.compute(year) }
        totals.append(total)
        line("peak memory during run", Memory.text(resetOK ? Memory.peak : nil))
        // The parts one after another, for where the time goes (not the target figure).
        let (index, _) = await timed("(part) YearIndex") { YearIndex(year) }
        let (completions, _) = await timed("(part) Completion, every collection") { index.collections.map { Completion(index, collection: $0) } }
        _ = await timed("(part) Integrity.check, given completions") { Integrity.check(index, completions: completions) }
        _ = await timed("(part) ProgressStatus.evaluate") { ProgressStatus.evaluate(index) }
        _ = await timed("(part) YearAnalysis.compute, without forecasts") { YearAnalysis.compute(index, forecasts: []) }
        if let latest = index.collections.last {
            _ = await timed("(part) KS4Forecast.compute Y10+Y11") { KS4Forecast.compute(index, collection: latest) }
        }
        _ = await timed("(part) SubgroupSummary.compute") { SubgroupSummary.compute(index) }
        _ = try await timed("(extra) headline report: model + HTML + CSV") { try HeadlineReport.render(HeadlineReport.model(analysis, generated: "benchmark")) }
        // Issue 6: every action list of every collection, and the impact of the demo's interventions.
        let (lists, _) = await timed("(extra) ActionLists.compute, every collection") {
            ActionLists.compute(index, evaluation: analysis.progress.evaluation)
        }
        var logged = year
        logged.interventions = demo.interventions
        let loggedIndex = YearIndex(logged)
        let (impacts, _) = await timed("(extra) InterventionImpact, \(demo.interventions.count) interventions") {
            let context = InterventionImpact.Context(loggedIndex)
            return demo.interventions.map { context.measure($0) }
        }
        _ = await timed("(extra) PupilPremiumSummary") { PupilPremiumSummary(demo.interventions, context: InterventionImpact.Context(loggedIndex)) }
        if r == 1 {
            print("    \(analysis.findings.count) findings, \(analysis.progress.gaps.count) gaps, \(analysis.progress.residuals.count) residual rows")
            for f in analysis.progress.forecasts { print("    Y\(f.yearGroup) forecast: " + f.cohort.summaryLines[0]) }
            print("    \(lists.count) action lists, \(lists.reduce(0) { $0 + $1.entries.count }) entries; "
                  + "\(impacts.filter { if case .measured = $0.verdict { true } else { false } }.count) of \(impacts.count) interventions measured")
        }
    }
    if totals.count > 1 {
        line("median TOTAL of \(totals.count) runs", String(format: "%8.3f s", totals.sorted()[totals.count / 2]))
    }
}

// MARK: - Reports suite

/// Issue 7 "Speed": all the demo school's parent reports as HTML, one page per pupil, from one
/// index and evaluation and one compiled template; then the tutor-group files apart.
func reportsSuite(repeats: Int) async throws {
    print("== reports: parent reports of the demo school (load average \(loadAverage()))")
    let demo = await measure("generate demo school (not measured)") { DemoSchool.generate() }
    let year = demo.year
    guard let collection = year.collections.last else { print("    the demo has no collection"); return }
    let point = ParentReport.ReportingPoint(collection: collection)
    print("    input: \(year.pupils.count) pupils, \(year.subjects.count) subjects, \(year.assessments.count) entries; reports at \(collection.id)")
    var totals: [Double] = []
    for r in 1...max(1, repeats) {
        print("  run \(r)")
        let resetOK = Memory.resetPeak()
        let (index, a) = await timed("YearIndex") { YearIndex(year) }
        let (evaluation, b) = await timed("ProgressStatus.evaluate") { ProgressStatus.evaluate(index) }
        let (models, c) = await timed("models, every pupil") { ParentReport.models(index, evaluation: evaluation, point: point) }
        let (renderer, d) = try await timed("compile the template once") { try ParentReport.Renderer() }
        let (pages, e) = await timed("HTML, one page per pupil") { models.map { renderer.page(for: $0) } }
        let total = a + b + c + d + e
        totals.append(total)
        line("TOTAL: \(pages.count) reports, models + HTML", String(format: "%8.3f s", total))
        line("peak memory during run", Memory.text(resetOK ? Memory.peak : nil))
        let groups = Dictionary(grouping: models) { $0.tutorGroupKey ?? "" }
        let (combined, _) = await timed("(extra) HTML, one file per tutor group (\(groups.count))") {
            groups.sorted { $0.key < $1.key }.map { renderer.page(forTutorGroup: $0.key, $0.value) }
        }
        if r == 1 {
            let bytes = pages.reduce(0) { $0 + $1.utf8.count }, groupBytes = combined.reduce(0) { $0 + $1.utf8.count }
            print("    \(models.reduce(0) { $0 + $1.subjects.count }) subject lines; pupil pages \(bytes / 1_048_576) MB "
                  + "(mean \(bytes / max(pages.count, 1) / 1024) KB), tutor-group files \(groupBytes / 1_048_576) MB")
        }
    }
    if totals.count > 1 {
        line("median TOTAL of \(totals.count) runs", String(format: "%8.3f s", totals.sorted()[totals.count / 2]))
    }
}

// MARK: - CTF suite

/// Issue 4, item 1: the CTF importer's streaming reader on a synthetic 2,000-pupil file
/// (`DemoCTF`, KS2 reading and maths, writing TA and GPS rows, FSM and SEN history, contacts).
/// Generating the XML is not measured; reading it (`CTFFile.read`, bytes → pupils with their KS2)
/// is. Target: well under a second.
func ctfSuite(pupils: Int, repeats: Int) async {
    print("== ctf: synthetic CTF, \(pupils) pupils (load average \(loadAverage()))")
    let generated = await measure("generate CTF XML (not measured)") { DemoCTF.generate(.init(pupils: pupils)) }
    let data = Data(generated.text.utf8)
    print("    input: \(data.count / 1024) KB, \(generated.readingScores) reading and \(generated.mathsScores) maths scores")
    let reader = CTFFile(codes: .shipped)
    var totals: [Double] = []
    for r in 1...max(1, repeats) {
        let resetOK = Memory.resetPeak()
        let (result, s) = await timed("TOTAL: CTFFile.read (parse, check, build pupils)") { reader.read(name: "synthetic.xml", contents: data) }
        totals.append(s)
        line("pupils per second", String(format: "%8.0f", Double(result.pupils.count) / s))
        line("peak memory during run", Memory.text(resetOK ? Memory.peak : nil))
        if r == 1 {
            print("    \(result.pupils.count) pupils accepted, \(result.errors.count) errors, KS2 reading \(result.counts.ks2Scores[.readingScaledScore] ?? 0), "
                + "maths \(result.counts.ks2Scores[.mathsScaledScore] ?? 0)")
        }
    }
    if totals.count > 1 {
        line("median TOTAL of \(totals.count) runs", String(format: "%8.3f s", totals.sorted()[totals.count / 2]))
    }
}

// MARK: - Arguments

func usage() -> Never {
    print("""
    usage: HeadwayBenchmarks [--suite store|ks4|ks4-command|school|ctf|reports|all] [--repeat N]
                             [--entries N] [--postgres URL]        (store)
                             [--sizes 1000,60000,600000] [--chunks 2] (ks4)
                             [--sizes 60000,600000]                (ks4-command)
                             [--pupils-per-year 300]               (school)
           HeadwayBenchmarks --suite import [--entries 1000000] [--plain-rows 200000] [--repeat N] [--keep]
    """)
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.count >= 2, arguments[0] == "--suite", arguments[1] == "import" { try await importSuite(Array(arguments.dropFirst(2))); exit(0) }
var entries = 100_000
var postgres: String?
var suite = "all"
var sizes: [Int]?
var chunks = 2
var repeats = 1
var pupilsPerYear = 300
@MainActor func value() -> String {
    if arguments.isEmpty { usage() }
    return arguments.removeFirst()
}
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    switch flag {
    case "--entries": entries = Int(value()) ?? entries
    case "--postgres": postgres = value()
    case "--suite": suite = value()
    case "--sizes": sizes = value().split(separator: ",").compactMap { Int($0.replacingOccurrences(of: "_", with: "")) }
    case "--chunks": chunks = max(1, Int(value()) ?? chunks)
    case "--repeat": repeats = max(1, Int(value()) ?? repeats)
    case "--pupils-per-year": pupilsPerYear = Int(value()) ?? pupilsPerYear
    default: usage()
    }
}
guard ["store", "ks4", "ks4-command", "school", "ctf", "reports", "all"].contains(suite) else { usage() }
if suite == "store" || suite == "all" { try await storeSuite(entries: entries, postgres: postgres) }
if suite == "school" || suite == "all" { try await schoolSuite(pupilsPerYear: pupilsPerYear, repeats: repeats) }
if suite == "ks4" || suite == "all" { await ks4Suite(sizes: sizes ?? [1_000, 60_000, 600_000], chunks: chunks, repeats: repeats) }
if suite == "ks4-command" || suite == "all" { try ks4CommandSuite(sizes: sizes ?? [60_000, 600_000], repeats: repeats) }
if suite == "ctf" || suite == "all" { await ctfSuite(pupils: 2_000, repeats: repeats) }
if suite == "reports" || suite == "all" { try await reportsSuite(repeats: repeats) }
