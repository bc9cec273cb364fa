import Foundation
@testable import HeadwayReports
import Testing

/// An intruder with the pages (issue 12, item 11): reads every figure of a rendered table as the
/// whole numbers it could be, from the words alone, and subtracts through every row, column and
/// total it knows hold, again and again until nothing changes. Written apart from
/// ``Disclosure/Problem``'s own audit, so that the two check each other.
///
/// What the words tell it: a number (or "12 (31.8%)") is exact; a count rounded to the nearest 5
/// is within 2 of what it shows; "fewer than 5" is 1–4; "suppressed" is at least 1 (a complement is
/// never 0) — at least 0 in a column of a characteristic, where it may hide a none; "group of fewer
/// than 5" and any figure not shown are at least 0.
struct Intruder {
    static let unbounded = 1_000_000

    var low: [String: Int] = [:]
    var high: [String: Int] = [:]
    /// Hidden figures and what they read.
    var words: [String: String] = [:]
    /// Figures of a characteristic (a none or all of it is disclosed too).
    var characteristic: Set<String> = []
    var sums: [(total: String, parts: [String])] = []

    /// Reads `text` as the figure `key`.
    mutating func read(_ key: String, _ text: String, rounded: Bool = false, characteristic isCharacteristic: Bool = false) {
        if isCharacteristic { characteristic.insert(key) }
        let number = text.split(separator: " ").first.flatMap { Int($0) }
        switch text {
        case _ where number != nil:
            let n = number!
            set(key, rounded && n > 0 ? n - 2 : n, rounded && n > 0 ? n + 2 : n)
        case Disclosure.fewerThanFive:
            set(key, 1, 4)
            words[key] = text
        case Disclosure.suppressed:
            set(key, isCharacteristic ? 0 : 1, Self.unbounded)
            words[key] = text
        default:
            set(key, 0, Self.unbounded)
            words[key] = text
        }
    }

    mutating func set(_ key: String, _ lo: Int, _ hi: Int) {
        low[key] = lo
        high[key] = hi
    }

    /// A figure not shown, that sums run through.
    mutating func unknown(_ key: String) {
        if low[key] == nil { set(key, 0, Self.unbounded) }
    }

    /// `total` = Σ `parts` (each read or unknown first).
    mutating func sum(_ total: String, _ parts: [String]) {
        guard !parts.isEmpty else { return }
        for k in [total] + parts where low[k] == nil { Issue.record("the intruder has no figure \(k)") }
        sums.append((total, parts))
    }

    /// Subtracts through every sum until nothing changes: each figure's bounds.
    func attack() -> (low: [String: Int], high: [String: Int]) {
        var low = low, high = high
        for _ in 0..<200 {
            var changed = false
            // Bounds stay within ±100 × unbounded: sums that contradict each other (a page read
            // wrongly) then stop narrowing rather than overflow.
            let limit = Self.unbounded * 100
            func narrow(_ k: String, _ lo: Int, _ hi: Int) {
                let lo = max(-limit, min(limit, lo)), hi = max(-limit, min(limit, hi))
                if lo > low[k]! { low[k] = lo; changed = true }
                if hi < high[k]! { high[k] = hi; changed = true }
            }
            for (total, parts) in sums {
                let sumLow = parts.reduce(0) { $0 + low[$1]! }, sumHigh = parts.reduce(0) { min(Self.unbounded * 100, $0 + high[$1]!) }
                narrow(total, sumLow, sumHigh)
                for p in parts {
                    let othersLow = sumLow - low[p]!, othersHigh = sumHigh - high[p]!
                    narrow(p, low[total]! - othersHigh, high[total]! - othersLow)
                }
            }
            if !changed { break }
        }
        for (k, lo) in low where lo > high[k]! { Issue.record("the intruder's sums contradict each other at \(k): \(lo) > \(high[k]!)") }
        return (low, high)
    }

    /// The hidden figures recovered exactly that must not be: a count read "fewer than 5" or
    /// "group of fewer than 5", any hidden figure found to be 1–4, and a hidden figure of a
    /// characteristic found at all (a none, an all or within 4 of either). Key → value.
    func disclosed() -> [String: Int] {
        let (low, high) = attack()
        var out: [String: Int] = [:]
        for (key, text) in words where low[key] == high[key] {
            let v = low[key]!
            if text != Disclosure.suppressed || Disclosure.isSmall(v) || characteristic.contains(key) { out[key] = v }
        }
        return out
    }

    /// Records an issue for each figure ``disclosed()``.
    func expectNothingDisclosed(_ page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (key, value) in disclosed().sorted(by: { $0.key < $1.key }) {
            Issue.record("\(page): \(key), shown as \"\(words[key]!)\", is worked out to be \(value)", sourceLocation: sourceLocation)
        }
    }

    /// The figures `keys` of two editions: how much each grew, where the growth is known exactly
    /// and is 1–4 pupils (a group that differencing gives away). Key → growth.
    static func differences(_ before: Intruder, _ after: Intruder, keys: [String]) -> [String: Int] {
        let (lowBefore, highBefore) = before.attack(), (lowAfter, highAfter) = after.attack()
        var out: [String: Int] = [:]
        for k in keys {
            guard let a = lowBefore[k], let b = highBefore[k], let c = lowAfter[k], let d = highAfter[k] else { continue }
            if c - b == d - a, Disclosure.isSmall(d - a) { out[k] = d - a }
        }
        return out
    }
}

/// Readers of each page's tables for the ``Intruder``, with the totals a reader of that page knows.
enum PageReader {
    /// The rows of `table` by their first cell.
    static func rows(_ table: LeaderPack.Table) -> [String: [String]] {
        Dictionary(table.rows.map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// A gap table (``LeaderPack/gapHeader``): each side's n, with every characteristic's groups
    /// adding up to the pupils with it recorded (`recorded(characteristic)`, a figure the
    /// intruder does not see unless it is a known total). "A vs B" gives the groups A and B; a B
    /// of "other pupils" or "not A" is A's complement.
    static func gaps(_ table: LeaderPack.Table, prefix: String, recorded: (String) -> String, into intruder: inout Intruder) {
        var groups: [String: [String]] = [:]
        for row in table.rows {
            let sides = row[0].components(separatedBy: " vs ")
            guard sides.count == 2 else { continue }
            // The plain labels of PlainLabel.gap: "disadvantaged vs not disadvantaged", "girls vs boys",
            // "high vs middle prior attainment", "SEN support vs no SEN" …
            let label = row[0].lowercased()
            let characteristic = label.hasPrefix("disadvantaged") ? "disadvantaged" : label.hasPrefix("eal") ? "EAL"
                : label.hasPrefix("looked after") ? "looked after"
                : ["girls", "boys", "gender"].contains(where: label.hasPrefix) ? "gender"
                : label.hasSuffix("prior attainment") ? "KS2" : "SEN"
            let group = prefix + sides[0]
            let other = sides[1].replacingOccurrences(of: " prior attainment", with: "")
            let comparison = other == "other pupils" || other.hasPrefix("not ") ? "\(group) ⟂ \(other)" : prefix + other
            intruder.read(group, row[1])
            intruder.read(comparison, row[3])
            let total = recorded(characteristic)
            intruder.unknown(total)
            if comparison.contains(" ⟂ ") {
                intruder.sum(total, [group, comparison])
                groups[characteristic, default: []].append(group)
            } else {
                groups[characteristic, default: []] += [group, comparison]
            }
        }
        for (characteristic, members) in groups {
            var seen: [String] = []
            for m in members where !seen.contains(m) { seen.append(m) }
            // The values of a characteristic shown as groups are all of it only for SEN (N, K, E)
            // and gender; a one-against-the-rest row is summed above.
            if characteristic == "SEN" || characteristic == "KS2" || (characteristic == "gender" && seen.count > 1) {
                intruder.sum(recorded(characteristic), seen)
            }
        }
    }

    /// The governors' summary. `recorded` names the total each characteristic adds up to.
    static func governors(_ model: LeaderPack.Governors.Model, recorded: (String) -> String = { "recorded \($0)" }) -> Intruder {
        var i = Intruder()
        // Completion: year groups add up to the whole school in each column.
        let completion = model.completion.rows
        for row in completion {
            i.read("expected \(row[0])", row[1])
            i.read("entered \(row[0])", row[2])
        }
        let years = completion.map { $0[0] }.filter { $0 != "Whole school" }
        for column in ["expected", "entered"] { i.sum("\(column) Whole school", years.map { "\(column) \($0)" }) }
        // Progress: each year group's bands add up to its n; the year groups to the pupils.
        i.unknown("pupils")
        for row in model.progress.rows {
            i.read(row[0], row[1])
            for (k, cell) in row.dropFirst(2).enumerated() { i.read("\(row[0]) band \(k)", cell) }
            i.sum(row[0], (0..<(row.count - 2)).map { "\(row[0]) band \($0)" })
        }
        i.sum("pupils", model.progress.rows.map { $0[0] })
        gaps(model.gaps.table, prefix: "", recorded: recorded, into: &i)
        // Pupil premium: rounded counts; the total is of distinct pupils (no sum).
        for row in model.pupilPremium.rows {
            i.read("reached \(row[0])", row[4], rounded: true)
            i.read("disadvantaged \(row[0])", row[5], rounded: true, characteristic: true)
        }
        return i
    }

    /// A department pack: progress, grade distributions, transition matrices, residuals and
    /// gaps, with every total between them. `teachers` gives each teacher row's classes.
    static func department(_ model: LeaderPack.Department.Model, collectionName: String, teachers: [String: [String]]) -> Intruder {
        var i = Intruder()
        let progressHeader = model.progress.header
        let bands = progressHeader.count - 5
        for row in model.progress.rows {
            let y = row[0]
            i.read("\(y) pupils", row[1])
            i.read("\(y) with a status", row[2])
            for k in 0..<bands { i.read("\(y) band \(k)", row[3 + k]) }
            i.read("\(y) no status", row[3 + bands])
            i.sum("\(y) pupils", ["\(y) with a status", "\(y) no status"])
            i.sum("\(y) with a status", (0..<bands).map { "\(y) band \($0)" })
        }
        i.unknown("statuses")
        i.sum("statuses", model.progress.rows.map { "\($0[0]) with a status" })
        for figure in model.distributions {
            let y = "Year " + figure.table.name.dropFirst("distribution-Y".count)
            for (c, column) in figure.table.header.dropFirst().enumerated() {
                for row in figure.table.rows { i.read("\(y) \(column) \(row[0])", row[c + 1]) }
                i.sum("\(y) pupils", figure.table.rows.map { "\(y) \(column) \($0[0])" })
            }
        }
        for figure in model.transitions {
            let y = "Year " + figure.table.name.dropFirst("transition-Y".count)
            let grades = Array(figure.table.header.dropFirst().dropLast())
            for row in figure.table.rows {
                for (c, grade) in grades.enumerated() { i.read("\(y) KS2 \(row[0]) \(grade)", row[c + 1]) }
                i.read("\(y) KS2 \(row[0])", row.last!)
                i.sum("\(y) KS2 \(row[0])", grades.map { "\(y) KS2 \(row[0]) \($0)" })
            }
            // Columns: the distribution's grades at this collection.
            for grade in grades { i.sum("\(y) \(collectionName) \(grade)", figure.table.rows.map { "\(y) KS2 \($0[0]) \(grade)" }) }
        }
        if let residuals = model.residuals?.table {
            for row in residuals.rows { i.read("\(row[0]) \(row[1])", row[2]) }
            let present = Set(residuals.rows.filter { $0[0] == "class" }.map { $0[1] })
            for row in residuals.rows where row[0] == "teacher" {
                i.sum("teacher \(row[1])", (teachers[row[1]] ?? []).filter(present.contains).map { "class \($0)" })
            }
        }
        if let gapTable = model.gaps?.table { gaps(gapTable, prefix: "", recorded: { "recorded \($0)" }, into: &i) }
        return i
    }

    /// A year-group pack: grades by band at each collection (the percentages give each
    /// collection's total away, so `totals` gives them), by subject, and ATL alike.
    static func yearGroup(_ model: LeaderPack.YearGroup.Model, statusTotals: [String: Int], atlTotals: [String: Int], current: String) -> Intruder {
        var i = Intruder()
        let progress = model.progress.table
        for (c, column) in progress.header.dropFirst().enumerated() {
            let bandRows = progress.rows.filter { $0[0] != "no status" }
            for row in bandRows { i.read("\(column) \(row[0])", row[c + 1]) }
            if let total = statusTotals[column] { i.read("\(column) total", String(total)) } else { i.unknown("\(column) total") }
            i.sum("\(column) total", bandRows.map { "\(column) \($0[0])" })
        }
        let bandNames = progress.rows.filter { $0[0] != "no status" }.map { $0[0] }.reversed()
        for row in model.progressBySubject.rows {
            i.read("\(row[0]) n", row[1])
            for (k, band) in bandNames.enumerated() { i.read("\(row[0]) \(band)", row[2 + k]) }
            i.sum("\(row[0]) n", bandNames.map { "\(row[0]) \($0)" })
        }
        i.sum("\(current) total", model.progressBySubject.rows.map { "\($0[0]) n" })
        for band in bandNames { i.sum("\(current) \(band)", model.progressBySubject.rows.map { "\($0[0]) \(band)" }) }
        let atl = model.atl.table
        for (c, column) in atl.header.dropFirst().enumerated() {
            for row in atl.rows { i.read("ATL \(column) \(row[0])", row[c + 1]) }
            if let total = atlTotals[column] { i.read("ATL \(column) total", String(total)) } else { i.unknown("ATL \(column) total") }
            i.sum("ATL \(column) total", atl.rows.map { "ATL \(column) \($0[0])" })
        }
        let atlLabels = atl.rows.map { $0[0] }
        for row in model.atlBySubject.rows {
            i.read("ATL \(row[0]) n", row[1])
            for (k, label) in atlLabels.enumerated() { i.read("ATL \(row[0]) \(label)", row[2 + k]) }
            i.sum("ATL \(row[0]) n", atlLabels.map { "ATL \(row[0]) \($0)" })
        }
        i.sum("ATL \(current) total", model.atlBySubject.rows.map { "ATL \($0[0]) n" })
        for label in atlLabels { i.sum("ATL \(current) \(label)", model.atlBySubject.rows.map { "ATL \($0[0]) \(label)" }) }
        return i
    }

    /// The headline report's residuals (classes add up to their teachers and, with the entries in
    /// no class, to their subject) and subgroups (a characteristic's values add up to the pairs
    /// graded in the subject; the subjects to "All subjects").
    static func headline(_ tables: [CSVTable], classes: [(id: String, subject: String, teachers: [String])]) -> Intruder {
        var i = Intruder()
        if let residuals = tables.first(where: { $0.name == "residuals" }) {
            for row in residuals.rows { i.read("\(row[0]) \(row[1])", row[3]) }
            let present = Set(residuals.rows.filter { $0[0] == "class" }.map { $0[1] })
            for row in residuals.rows where row[0] == "teacher" {
                i.sum("teacher \(row[1])", classes.filter { $0.teachers.contains(row[1]) && present.contains($0.id) }.map { "class \($0.id)" })
            }
            for row in residuals.rows where row[0] == "subject" {
                i.unknown("no class \(row[1])")
                i.sum("subject \(row[1])", classes.filter { $0.subject == row[1] && present.contains($0.id) }.map { "class \($0.id)" } + ["no class \(row[1])"])
            }
        }
        // Subgroups (year group, characteristic, value, subject, then pupils and mean at the latest
        // collection and first to last): a characteristic's values add up to the year group's
        // graded pupils in a subject (pupils are not summed over subjects: one pupil has many).
        if let subgroups = tables.first(where: { $0.name == "subgroups" }) {
            for (column, name) in [(4, "latest"), (6, "change")] {
                var groups: [String: [String]] = [:]
                for row in subgroups.rows {
                    let key = "\(name) \(row[0]) \(row[1])=\(row[2]) @\(row[3])"
                    let isCharacteristic = ["disadvantaged", "sen", "eal", "looked after"].contains(row[1].lowercased())
                    i.read(key, row[column], characteristic: isCharacteristic)
                    groups["\(row[0]) \(row[1]) @\(row[3])", default: []].append(key)
                }
                for (group, keys) in groups {
                    i.unknown("\(name) total \(group)")
                    i.sum("\(name) total \(group)", keys)
                }
            }
        }
        return i
    }
}
