/// Statistical disclosure control for every page that shows counts of pupils (issue 12, item 11):
/// the governors' summary, the department and year-group packs and the headline report, and
/// their CSV files. Pure: it decides which figures to hide or round; the pages say so in words.
///
/// The rules (docs/reports.md, "Safety", "Disclosure control on every aggregate page"):
/// 1. **Small groups** (*primary suppression*): a count of 1 to 4 pupils is never shown; it reads
///    "fewer than 5" (``Reason/small``). Nor is anything else about a group of 1 to 4 pupils —
///    its mean, its share, its bands (``Reason/group``, "group of fewer than 5"). A true 0 is
///    shown as 0.
/// 2. **None and all of a characteristic** (disadvantaged, SEN, EAL, looked-after): a count of
///    pupils with the characteristic within a shown group is hidden like a small one when it, or
///    the rest of the group, is 0 to 4 ("30 of 30 disadvantaged" tells anyone who knows a pupil
///    was in the group that the pupil is disadvantaged). It reads "suppressed"
///    (``Reason/characteristic``).
/// 3. **Complements** (*secondary suppression*): wherever the hidden figures of a table, or of
///    several tables on one page, could be worked out from the figures shown — by subtracting
///    from a row or column total, by combining totals, or by bounding (a "fewer than 5" is at
///    least 1) — more figures are hidden until none can. Each extra figure is the smallest
///    non-zero one that stops it (a 0 hidden beside a small cell protects nothing: "suppressed"
///    is never a 0). It reads "suppressed" (``Reason/secondary``). The same group shown in two
///    tables is one figure (one key), hidden in both or neither.
/// 4. **Editions**: counts that accumulate through the year and are published again after each
///    collection (pupils reached by interventions, and the disadvantaged among them) are rounded
///    to the nearest 5 (``rounded(_:)``; 1–4 still read "fewer than 5", 0 reads 0), so that the
///    difference between two editions never gives a group of fewer than 5 exactly; totals are
///    rounded from the unrounded figures, so they need not add up.
///
/// The check that a set of hidden figures holds (``Problem/exposed(_:)``) is the audit an
/// intruder would run: every linear combination of the shown totals (Gaussian elimination), and
/// bounds carried between rows and columns until nothing changes (each hidden figure at least its
/// floor — 1 for "fewer than 5" and "suppressed", 0 for the others — and "fewer than 5" at most 4).
///
/// Sources: the threshold of 5 is DOMAIN.md's ("no cell for a group of fewer than 5 pupils").
/// Rounding to the nearest 5, "fewer than 5" for 1–4, a true 0 shown, totals rounded from
/// unrounded figures: Ofqual, *Rounding policy for statistical publications* (gov.uk, updated 30
/// October 2025). Primary and secondary (complementary) cell suppression and auditing tables for
/// disclosure by differencing: ONS, *Statistical disclosure control* (GSS methodology), and the
/// ESSnet *Handbook on Statistical Disclosure Control* (sdctools.github.io/HandbookSDC), on frequency tables.
public enum Disclosure {
    /// Groups smaller than this are never shown (DOMAIN.md).
    public static let minimumGroupSize = 5
    /// Counts republished each edition are rounded to a multiple of this (Ofqual's base 5).
    public static let roundingBase = 5
    /// What a hidden count of 1–4 pupils reads.
    public static let fewerThanFive = "fewer than 5"
    /// What a complement, or a hidden none/all of a characteristic, reads.
    public static let suppressed = "suppressed"
    /// What another figure about a group of 1–4 pupils (its mean, share or bands) reads.
    public static let smallGroup = "group of fewer than 5"

    /// Why a figure is hidden.
    public enum Reason: String, Hashable, Sendable {
        /// A count of 1–4 pupils (rule 1). Reads "fewer than 5"; an intruder knows it is 1–4.
        case small
        /// Hidden so that another hidden figure cannot be worked out (rule 3); never a 0. Reads
        /// "suppressed"; an intruder knows it is at least 1.
        case secondary
        /// None or all (within 4) of a group have a characteristic (rule 2). Reads "suppressed";
        /// may be 0.
        case characteristic
        /// Another figure about a group of 1–4 pupils (rule 1): its bands, mean, share or
        /// entries. Reads "group of fewer than 5"; may be any number.
        case group

        /// What the cell reads.
        public var words: String {
            switch self {
            case .small: Disclosure.fewerThanFive
            case .secondary, .characteristic: Disclosure.suppressed
            case .group: Disclosure.smallGroup
            }
        }

        /// What another figure about the hidden group reads (its mean, share, gap): "group of
        /// fewer than 5" for a small group, else the same words as the count.
        public var otherWords: String { self == .small ? Disclosure.smallGroup : words }

        /// The least value an intruder may assume (see each case).
        var floor: Int { self == .small || self == .secondary ? 1 : 0 }
        /// The greatest value an intruder may assume, if the reason bounds it.
        var ceiling: Int? { self == .small ? Disclosure.minimumGroupSize - 1 : nil }
        /// Whether the figure must not be recoverable (everything but a complement).
        var isSensitive: Bool { self != .secondary }
    }

    /// True for 1 to 4 pupils.
    public static func isSmall(_ pupils: Int) -> Bool { pupils > 0 && pupils < minimumGroupSize }

    /// Whether a share of `whole` pupils that counts `part` of them must be hidden: the pupils it
    /// counts, or those it leaves out, number 1 to 4 (97% of 150 names a group of 4).
    public static func hidesShare(_ part: Int, of whole: Int) -> Bool { isSmall(part) || isSmall(whole - part) }

    /// Whether a count of `part` pupils with a characteristic (disadvantaged, SEN, EAL,
    /// looked-after) among `whole` pupils shown must be hidden (rule 2): it or the rest is 0–4.
    /// Nothing to hide about an empty group.
    public static func revealsCharacteristic(_ part: Int, of whole: Int) -> Bool {
        whole > 0 && (part < minimumGroupSize || whole - part < minimumGroupSize)
    }

    /// `n` to the nearest multiple of ``roundingBase``, halves up: 112 → 110, 113 → 115, 62 → 60.
    public static func rounded(_ n: Int) -> Int {
        let half = roundingBase / 2
        return n >= 0 ? (n + half) / roundingBase * roundingBase : -rounded(-n)
    }

    /// A count republished each edition, as shown (rule 4): `0`, "fewer than 5" for 1–4, else
    /// ``rounded(_:)`` (`114` → `115`).
    public static func roundedCount(_ n: Int) -> String {
        n == 0 ? "0" : isSmall(n) ? fewerThanFive : String(rounded(n))
    }

    /// The cells to hide in one breakdown whose total is shown (rules 1 and 3): nil for a cell
    /// shown. E.g. `[4, 5, 6, 7]` → `[.small, .secondary, nil, nil]`; `[0, 4, 30]` →
    /// `[nil, .small, .secondary]` (never the 0); `[3, 2, 40]` → `[.small, .small, nil]` (3 + 2 =
    /// 5 leaves each 1–4 undecided).
    public static func apply(_ counts: [Int]) -> [Reason?] {
        var problem = Problem()
        for (i, c) in counts.enumerated() { problem.count("\(i)", c) }
        problem.count("total", counts.reduce(0, +))
        problem.sum("total", of: counts.indices.map { "\($0)" })
        let hidden = problem.solve()
        return counts.indices.map { hidden["\($0)"] }
    }

    /// Figures of one page, some of them totals of others, to decide which to hide (rules 1–3).
    ///
    /// Each figure has a key; a group shown in two tables is added once, under one key, so that
    /// it is hidden in both or in neither. A figure not shown but which a reader could work out
    /// (the school's total of pupils with a grade, say) is added with ``latent(_:_:)`` so that
    /// sums through it are audited too.
    public struct Problem: Sendable {
        /// `total` = Σ `parts`.
        public struct Sum: Hashable, Sendable {
            public var total: String
            public var parts: [String]
        }

        /// Keys in the order added (decides ties: the first of equals is hidden).
        public private(set) var keys: [String] = []
        /// Every figure's value.
        public private(set) var values: [String: Int] = [:]
        /// Figures hidden before any complement: small ones, and those given a reason.
        public private(set) var primary: [String: Reason] = [:]
        /// Figures never shown.
        public private(set) var latents: Set<String> = []
        /// The totals.
        public private(set) var sums: [Sum] = []

        /// An empty problem.
        public init() {}

        /// Adds a figure shown on the page. A count of 1–4 pupils is hidden (``Reason/small``)
        /// unless `reason` says otherwise; `reason` hides any figure (a none/all, a small group's
        /// entries). With `pupils` false (entries, not pupils) a small value is not hidden for
        /// being small. Adding a key again keeps the first value and the stronger reason.
        public mutating func count(_ key: String, _ value: Int, reason: Reason? = nil, pupils: Bool = true) {
            if values[key] == nil {
                keys.append(key)
                values[key] = value
            }
            if let reason = reason ?? (pupils && Disclosure.isSmall(value) ? .small : nil), primary[key] == nil || primary[key] == .group {
                primary[key] = reason
            }
        }

        /// Adds a figure not shown that sums link to (never hidden by a reason, never sensitive).
        public mutating func latent(_ key: String, _ value: Int) {
            if values[key] == nil {
                keys.append(key)
                values[key] = value
                latents.insert(key)
            }
        }

        /// Records that `total` = Σ `parts` (every key already added).
        public mutating func sum(_ total: String, of parts: [String]) {
            guard !parts.isEmpty else { return }
            sums.append(Sum(total: total, parts: parts))
        }

        /// The hidden figures: ``primary``, then complements (rule 3) until ``exposed(_:)`` is
        /// empty. Each complement is the smallest non-zero shown figure near the exposed one
        /// (in a sum with it, or with a sum sharing a hidden figure) that stops it being worked
        /// out, else the smallest in a sum with it. Deterministic.
        public func solve() -> [String: Reason] {
            var hidden = primary
            var stuck: Set<String> = []
            let order = self.order
            for _ in 0..<(keys.count + 1) {
                guard let target = exposed(hidden).first(where: { !stuck.contains($0) }) else { break }
                let near = neighbourhood(of: target, hidden: hidden)
                let candidates = near.filter { hidden[$0] == nil && !latents.contains($0) && values[$0]! > 0 }
                    .sorted { (values[$0]!, order[$0]!) < (values[$1]!, order[$1]!) }
                guard !candidates.isEmpty else {
                    stuck.insert(target)
                    continue
                }
                let direct = Set(sums.filter { $0.total == target || $0.parts.contains(target) }.flatMap { [$0.total] + $0.parts })
                var chosen = candidates.first { c in
                    var trial = hidden
                    trial[c] = .secondary
                    return !isExposed(target, hidden: trial)
                }
                if chosen == nil { chosen = candidates.first { direct.contains($0) } ?? candidates.first }
                hidden[chosen!] = .secondary
            }
            return hidden
        }

        var order: [String: Int] { Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) }) }

        /// Keys in a sum with `key`, and in sums that share a hidden or latent figure with those.
        func neighbourhood(of key: String, hidden: [String: Reason]) -> [String] {
            var seen: Set<String> = [key]
            var frontier: Set<String> = [key]
            for _ in 0..<3 {
                var next: Set<String> = []
                for sum in sums {
                    let members = [sum.total] + sum.parts
                    guard members.contains(where: frontier.contains) else { continue }
                    for m in members where !seen.contains(m) {
                        seen.insert(m)
                        if hidden[m] != nil || latents.contains(m) { next.insert(m) }
                    }
                }
                if next.isEmpty { break }
                frontier = next
            }
            return keys.filter { seen.contains($0) && $0 != key }
        }

        /// The sensitive hidden figures (every reason but ``Reason/secondary``) an intruder could
        /// work out exactly from the shown ones and the sums, in key order.
        public func exposed(_ hidden: [String: Reason]) -> [String] {
            let found = Set(components(hidden).flatMap { audit($0, hidden: hidden) })
            return keys.filter(found.contains)
        }

        /// Whether `key` could be worked out exactly (only its own component is audited).
        func isExposed(_ key: String, hidden: [String: Reason]) -> Bool {
            guard let component = components(hidden).first(where: { $0.contains(key) }) else { return false }
            return audit(component, hidden: hidden).contains(key)
        }

        /// The unknown figures (hidden or latent) in groups that share no sum: each can be
        /// audited alone, since a shown figure in a sum is a constant that links nothing.
        func components(_ hidden: [String: Reason]) -> [[String]] {
            let unknown = keys.filter { hidden[$0] != nil || latents.contains($0) }
            var parent = Dictionary(uniqueKeysWithValues: unknown.map { ($0, $0) })
            func root(_ k: String) -> String {
                var k = k
                while parent[k]! != k { k = parent[k]! }
                return k
            }
            for sum in sums {
                let members = ([sum.total] + sum.parts).filter { parent[$0] != nil }
                guard let first = members.first else { continue }
                for m in members.dropFirst() {
                    let a = root(first), b = root(m)
                    if a != b { parent[b] = a }
                }
            }
            var groups: [String: [String]] = [:]
            for k in unknown { groups[root(k), default: []].append(k) }
            return unknown.compactMap { groups[$0] }.filter { $0.contains { hidden[$0]?.isSensitive == true } }
        }

        /// The audit of one component: the sensitive figures of `unknown` determined exactly.
        func audit(_ unknown: [String], hidden: [String: Reason]) -> [String] {
            guard !unknown.isEmpty else { return [] }
            let column = Dictionary(uniqueKeysWithValues: unknown.enumerated().map { ($1, $0) })
            // Each sum touching the component as a sparse row: Σ a·x = b over its unknowns.
            var rows: [Disclosure.Row] = []
            for sum in sums where column[sum.total] != nil || sum.parts.contains(where: { column[$0] != nil }) {
                var row = Disclosure.Row()
                for (key, sign) in [(sum.total, -1.0)] + sum.parts.map({ ($0, 1.0) }) {
                    if let c = column[key] { row.a[c, default: 0] += sign } else { row.b -= sign * Double(values[key]!) }
                }
                row.a = row.a.filter { $0.value != 0 }
                if !row.a.isEmpty { rows.append(row) }
            }
            let reduced = Disclosure.reduce(rows)
            let determined = Set(reduced.filter { $0.a.count == 1 }.map { $0.a.keys.first! })
            // Bounds, carried through the sums and the short reduced rows until nothing changes.
            var low = unknown.map { Double(hidden[$0]?.floor ?? 0) }
            var high = unknown.map { hidden[$0]?.ceiling.map(Double.init) ?? Double.infinity }
            let all = (rows + reduced.filter { $0.a.count <= 8 }).map { (b: $0.b, terms: $0.a.sorted { $0.key < $1.key }) }
            for _ in 0..<50 {
                var changed = false
                for row in all {
                    for (i, a) in row.terms {
                        // a_i·x_i = b − Σ_{j≠i} a_j·x_j
                        var lo = row.b, hi = row.b
                        for (j, aj) in row.terms where j != i {
                            if aj > 0 { lo -= aj * high[j]; hi -= aj * low[j] } else { lo -= aj * low[j]; hi -= aj * high[j] }
                        }
                        let (newLow, newHigh) = a > 0 ? (lo / a, hi / a) : (hi / a, lo / a)
                        if newLow.isFinite, (newLow - 1e-6).rounded(.up) > low[i] { low[i] = (newLow - 1e-6).rounded(.up); changed = true }
                        if newHigh.isFinite, (newHigh + 1e-6).rounded(.down) < high[i] { high[i] = (newHigh + 1e-6).rounded(.down); changed = true }
                    }
                }
                if !changed { break }
            }
            return unknown.enumerated().filter { c, key in
                guard let reason = hidden[key], reason.isSensitive else { return false }
                return determined.contains(c) || low[c] >= high[c]
            }.map(\.1)
        }
    }

    /// A linear equation Σ a·x = b over numbered unknowns, sparse.
    struct Row {
        var a: [Int: Double] = [:]
        var b = 0.0
    }

    /// Gauss–Jordan elimination of sparse rows, one row at a time: the reduced rows, each with a
    /// pivot that no other row has. An unknown alone in a row is determined.
    static func reduce(_ input: [Row]) -> [Row] {
        var pivots: [Int: Int] = [:]  // column → row
        var rows: [Row] = []
        for var row in input {
            for (c, r) in pivots where row.a[c] != nil {
                let f = row.a[c]!
                for (k, v) in rows[r].a { row.a[k, default: 0] -= f * v }
                row.b -= f * rows[r].b
            }
            row.a = row.a.filter { abs($0.value) > 1e-9 }
            guard let best = row.a.max(by: { (abs($0.value), -$0.key) < (abs($1.value), -$1.key) }) else { continue }
            let pivot = best.key, p = best.value
            row.a = row.a.mapValues { $0 / p }
            row.b /= p
            for r in rows.indices where rows[r].a[pivot] != nil {
                let f = rows[r].a[pivot]!
                for (k, v) in row.a { rows[r].a[k, default: 0] -= f * v }
                rows[r].a = rows[r].a.filter { abs($0.value) > 1e-9 }
                rows[r].b -= f * row.b
            }
            pivots[pivot] = rows.count
            rows.append(row)
        }
        return rows
    }
}
