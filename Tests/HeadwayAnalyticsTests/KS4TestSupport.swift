import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

/// One row of `shared/reference/a8-p8-worked-examples.csv` (the DfE-rules oracle), with its
/// pupil's results parsed from `subjects_grades` (`english_language=6;…;combined_science=6-5`).
struct WorkedExample: Sendable, CustomTestStringConvertible {
    let row: [String: String]

    var id: String { row["pupil_id"] ?? "?" }
    var testDescription: String { "\(id): \(row["case"] ?? "")" }

    subscript(_ column: String) -> String { row[column] ?? "" }

    /// The pupil's results in the order listed (the order decides ties).
    var results: [KS4Result] {
        self["subjects_grades"].split(separator: ";").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return KS4Result(pupil: Pupil.ID(id), subject: parts[0], grade: WorkedExample.grade(subject: parts[0], parts[1]))
        }
    }

    var pupil: KS4Pupil {
        KS4Pupil(id: Pupil.ID(id), prior: PriorAttainment(readingScaledScore: Int(self["ks2_reading"]),
                                                          mathsScaledScore: Int(self["ks2_maths"])),
                 results: results)
    }

    static func grade(subject: String, _ text: String) -> KS4Grade {
        let grade = KS4Category(subjectKey: subject) == .combinedScience ? KS4Grade.combinedScience(text) : KS4Grade.gcse(text)
        guard let grade else { fatalError("worked example grade \(text) for \(subject) does not parse") }
        return grade
    }

    /// Every row; empty if the file cannot be read (a separate test then fails).
    static let all: [WorkedExample] = (try? SharedFiles.referenceRows("reference/a8-p8-worked-examples.csv"))?
        .map(WorkedExample.init) ?? []
}

/// An exact decimal string (`47.68`, `-1.495`, `0.6`) as an integer count of 10^-places.
func scaled(_ text: String, places: Int) -> Int? {
    var t = Substring(text.trimmingCharacters(in: .whitespaces))
    guard !t.isEmpty else { return nil }
    let negative = t.hasPrefix("-")
    if negative { t = t.dropFirst() }
    let parts = t.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = Int(parts[0]) else { return nil }
    var fraction = parts.count == 2 ? String(parts[1]) : ""
    guard fraction.count <= places else { return nil }
    while fraction.count < places { fraction += "0" }
    var scale = 1
    for _ in 0..<places { scale *= 10 }
    let value = whole * scale + (fraction.isEmpty ? 0 : Int(fraction)!)
    return negative ? -value : value
}

/// Hundredths of a point from an exact decimal string.
func hundredths(_ text: String) -> Int? { scaled(text, places: 2) }

/// SplitMix64: a small, seeded, platform-independent generator for property tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Rounds to an integer number of hundredths, halves away from zero (as the DfE publishes).
func roundedHundredths(_ x: Double) -> Int { Int((x * 100).rounded(.toNearestOrAwayFromZero)) }
