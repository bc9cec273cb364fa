// Suite `ks4-command` (issue 13 "Speed"): `headway ks4` end to end as a process — reading the
// file, checking every row, computing, writing — on the deterministic synthetic cohort
// (makeKS4Cohort: 60,000 and 600,000 pupils × 10 results by default, `--sizes`), with DuckDB and
// pandas (PyPI: `pip install duckdb pandas`) computing the same measures from the same file in the
// same run (Peers/ks4_duckdb.py, Peers/ks4_pandas.py), each a process timed the same way.
//
// Wall time is from spawning to exit; peak memory is the process's largest resident set
// (runMeasured in ImportSuite.swift: GNU time's figure when it is installed). Each tool's Attainment 8 total is printed, so a peer that computes
// something else shows. Targets: 600,000 pupils under 4 s, at least 3× faster than DuckDB, under
// 1 GB; 60,000 under 0.5 s.
import Foundation
import HeadwayCore

/// The cohort as a long results file, one row per result, KS2 on every row (as an MIS export).
func writeKS4ResultsCSV(_ input: KS4Input, to path: String) throws {
    var text = "pupil,subject,grade,ks2_reading,ks2_maths\n"
    text.reserveCapacity(input.resultCount * 34)
    for pupil in input.pupils {
        let reading = pupil.prior.readingScaledScore.map(String.init) ?? ""
        let maths = pupil.prior.mathsScaledScore.map(String.init) ?? ""
        for result in pupil.results {
            text += "\(pupil.id.rawValue),\(result.subject ?? ""),\(result.grade.code),\(reading),\(maths)\n"
        }
    }
    try text.write(toFile: path, atomically: false, encoding: .utf8)
}

/// The KS4 2023 estimates as a plain CSV for the peers.
func writeEstimatesCSV(to path: String) throws {
    func f(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "" }
    var text = "pag,ks2_avg_min,ks2_avg_max,english_est,maths_est,ebacc_est,open_est,a8_total_est\n"
    for row in AttainmentEstimates.ks4_2023.rows {
        text += "\(row.group),\(f(row.ks2Minimum)),\(f(row.ks2Maximum)),\(f(row.english)),\(f(row.maths)),\(f(row.ebacc)),\(f(row.open)),\(f(row.total))\n"
    }
    try text.write(toFile: path, atomically: false, encoding: .utf8)
}

/// Sum of a CSV column of points, in hundredths (the A8 check).
func hundredthsSum(ofColumn name: String, inCSV path: String) -> Int? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    var lines = text.split(whereSeparator: \.isNewline).makeIterator()
    guard let header = lines.next()?.split(separator: ",").map({ String($0).replacingOccurrences(of: "\u{FEFF}", with: "") }),
          let column = header.firstIndex(of: name) else { return nil }
    var sum = 0
    while let line = lines.next() {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard column < fields.count, let x = Double(fields[column]) else { continue }
        sum += Int((x * 100).rounded())
    }
    return sum
}

func ks4CommandSuite(sizes: [Int], repeats: Int) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headway-bench-ks4").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let headway = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("headway").path
    guard FileManager.default.isExecutableFile(atPath: headway) else {
        print("== ks4-command: no headway binary next to this one (\(headway)): build it, e.g. swift build -c release --product headway")
        return
    }
    let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers").path
    let estimates = folder + "/a8-estimates-2023.csv"
    try writeEstimatesCSV(to: estimates)
    let python = onPath("python3")
    func installed(_ module: String) -> Bool {
        python.flatMap { runWaited($0, ["-c", "import \(module)"], log: "/dev/null") }?.status == 0
    }
    var tools: [(name: String, run: (String, String) -> ProcessFigures?, a8: (String) -> Int?)] = [
        ("headway ks4", { file, out in runMeasured(headway, ["ks4", file, "--out", out], log: out + ".log") },
         { out in hundredthsSum(ofColumn: "a8", inCSV: out) }),
    ]
    func peerA8(_ log: String) -> Int? {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8), let range = text.range(of: "a8 sum ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
    for (module, script) in [("duckdb", "ks4_duckdb.py"), ("pandas", "ks4_pandas.py")] {
        if let python, installed(module) {
            tools.append(("\(module) (Python)", { file, out in
                runMeasured(python, ["\(peers)/\(script)", file, estimates, out], log: out + ".log")
            }, { out in peerA8(out + ".log") }))
        } else {
            print("   (\(module) not installed: pip install \(module) — it is left out)")
        }
    }

    for size in sizes {
        print("== ks4-command: \(size) pupils × 10 results, whole process, \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage())")
        let file = "\(folder)/cohort-\(size).csv"
        let input = makeKS4Cohort(count: size)
        try writeKS4ResultsCSV(input, to: file)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        print("   file: \(file), \(bytes / 1_000_000) MB, \(input.resultCount) rows (generated, not measured)")
        var best: [String: ProcessFigures] = [:]
        for (name, run, a8) in tools {
            var runs: [ProcessFigures] = []
            let out = "\(folder)/out-\(size)-\(name.split(separator: " ")[0]).csv"
            for _ in 1...max(1, repeats) { if let figures = run(file, out) { runs.append(figures) } }
            guard !runs.isEmpty else { line(name, "could not be started"); continue }
            let median = runs.sorted { $0.seconds < $1.seconds }[runs.count / 2]
            best[name] = median
            let outBytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
            let check = a8(out).map { "A8 total \(Double($0) / 100)" } ?? "A8 total not read"
            line("\(name) (median of \(runs.count))", String(format: "%8.2f s  %7.0f MB peak  exit %d  ", median.seconds, median.peakMB, median.status)
                + "out \(outBytes / 1_000_000) MB  \(check)")
        }
        if let ours = best["headway ks4"], ours.seconds > 0 {
            for (name, figures) in best where name != "headway ks4" {
                line("  \(name) ÷ headway ks4", String(format: "%6.1f× the time, %5.1f× the memory", figures.seconds / ours.seconds, figures.peakMB / max(1, ours.peakMB)))
            }
        }
    }
}
