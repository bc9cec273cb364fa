import HeadwayCore

/// A pupil's Attainment 8: the points of up to eight qualifications in ten weighted slots, with
/// every slot's content, the four element totals and the working.
///
/// Definition (DfE "Secondary accountability measures"; `shared/reference/dfe-rules.md` §1,
/// `a8-slot-structure.csv`):
/// - **English** (2 slots): the better of English language and English literature, counted
///   twice *only when both were taken* (a graded result, U included; X is not taken). One English
///   alone fills the first slot; the second scores 0, and it cannot move to the open element.
/// - **Maths** (2 slots): the maths grade, always counted twice; 0 without maths.
/// - **EBacc** (3 slots): the three best results in EBacc subjects (the sciences including
///   computer science, combined science, geography, history, languages). Combined science is two
///   units each worth the mean of its pair; its halves may go one to EBacc and one to open.
/// - **Open** (3 slots): the three best of everything left: EBacc results not used, the lower
///   English when both were taken (never in EBacc), further maths results, any other
///   qualification.
/// - Empty slots score 0. The maximum with GCSEs is 90 (AS levels score up to 10.75 a slot).
///
/// Order (greedy, which is optimal because every EBacc result may also count in open, never the
/// reverse): discount, English, maths, EBacc, open.
///
/// **Discounting** (§1.5): two results that ``KS4Result/overlaps(_:)`` (same discount code; by
/// subject key when the results carry no codes) count once, keeping the one with more points
/// (for combined science, points of both slots).
///
/// **Ties** (decided 2026-11, issue 3): where two results score the same, the one earlier in the
/// list given counts first (and combined science's half #1 before #2); the English element takes
/// English language over literature on a tie. This is the order of the DfE-rules oracle
/// (`a8-p8-worked-examples.csv`: P01's open slots are `art|english_literature|french`). Ties
/// never change a total, only which of two equal results is named in a slot.
///
/// Not modelled: the first-entry rule (results carry no dates), the 2016-only double weighting of
/// the combined "GCSE English", AS levels discounting a GCSE regardless of points (they share a
/// discount code, so the higher points are kept instead).
public struct Attainment8: Hashable, Sendable {
    /// The four elements, in slot order.
    public typealias Element = KS4Category.Element

    /// What fills one slot, for display (see ``content(_:)``).
    public struct Content: Hashable, Sendable {
        /// Index of the result in the list given to ``compute(_:)``.
        public var resultIndex: Int
        /// The result's ``KS4Result/label`` with `#1`/`#2` for a half of a double award, e.g.
        /// `combined_science#2`: the form of the slot lists in the DfE worked examples.
        public var label: String
        /// The result's display name (subject name, else its label).
        public var name: String
        /// The grade as awarded, e.g. `6-5`.
        public var grade: String
        /// 1 or 2 for a half of a double award; nil otherwise.
        public var half: Int?
    }

    /// One of the ten slots: which result fills it (by index into ``results``) and its points.
    /// A compact plain value (12 bytes, no strings) so that a cohort of 600,000 pupils stays
    /// cheap; names come from ``content(_:)``.
    public struct Slot: Hashable, Sendable {
        /// The element the slot belongs to.
        public let element: Element
        private let position8: UInt8
        private let half8: UInt8
        private let index16: Int16
        private let hundredths32: Int32

        /// A slot; `resultIndex` nil for an empty slot. Results are indexed up to 32,767.
        public init(element: Element, position: Int, resultIndex: Int?, half: Int?, hundredths: Int) {
            self.element = element
            position8 = UInt8(position)
            half8 = UInt8(half ?? 0)
            index16 = Int16(resultIndex ?? -1)
            hundredths32 = Int32(hundredths)
        }

        /// 1-based within the element: English and maths 1–2, EBacc and open 1–3.
        public var position: Int { Int(position8) }
        /// Index into ``Attainment8/results``; nil for an empty slot (0 points).
        public var resultIndex: Int? { index16 < 0 ? nil : Int(index16) }
        /// 1 or 2 for a half of a double award; nil otherwise.
        public var half: Int? { half8 == 0 ? nil : Int(half8) }
        /// Points in hundredths (0 when empty).
        public var hundredths: Int { Int(hundredths32) }
        /// Points, e.g. 5.5.
        public var points: Double { Double(hundredths32) / 100 }
        /// True when no result fills the slot.
        public var isEmpty: Bool { index16 < 0 }
    }

    /// A result (or half of a double award) that counts nowhere, and why. Compact, as ``Slot``.
    public struct Unused: Hashable, Sendable {
        /// Why a result counts nowhere.
        public enum Reason: Hashable, Sendable {
            /// X: not taken.
            case notTaken
            /// Overlaps (shares a discount code or subject with) a better result, by index.
            case discounted(by: Int)
            /// A second English when only one of language and literature was taken: an English
            /// counts in open only when both were taken.
            case englishNotDoubled
            /// All slots it could go in were filled by better results.
            case noSlotLeft
        }
        private let index16: Int16
        private let by16: Int16
        private let half8: UInt8
        private let reason8: UInt8
        private let hundredths32: Int32

        /// An unused result (indices up to 32,767).
        public init(resultIndex: Int, half: Int?, hundredths: Int, reason: Reason) {
            index16 = Int16(resultIndex)
            half8 = UInt8(half ?? 0)
            hundredths32 = Int32(hundredths)
            switch reason {
            case .notTaken: reason8 = 0; by16 = -1
            case .discounted(let by): reason8 = 1; by16 = Int16(by)
            case .englishNotDoubled: reason8 = 2; by16 = -1
            case .noSlotLeft: reason8 = 3; by16 = -1
            }
        }

        /// Index into ``Attainment8/results``.
        public var resultIndex: Int { Int(index16) }
        /// Which half of a double award did not fit (nil for a whole result).
        public var half: Int? { half8 == 0 ? nil : Int(half8) }
        /// Points per slot in hundredths (all slots' points for a discounted double award).
        public var hundredths: Int { Int(hundredths32) }
        /// Why it counts nowhere.
        public var reason: Reason {
            switch reason8 {
            case 0: .notTaken
            case 1: .discounted(by: Int(by16))
            case 2: .englishNotDoubled
            default: .noSlotLeft
            }
        }
    }

    /// The results the measure was computed from, as given (shared, not copied).
    public var results: [KS4Result]
    /// Always ten, in order: English 1–2, maths 1–2, EBacc 1–3, open 1–3.
    public var slots: [Slot]
    /// True when English language and literature were both taken, so the better is counted twice.
    public var englishDoubleWeighted: Bool
    /// Results (or halves) that count nowhere, in the order given.
    public var unused: [Unused]

    /// English element in hundredths of a point (0–1800 with GCSEs).
    public var englishHundredths: Int
    /// Maths element in hundredths (0–1800 with GCSEs).
    public var mathsHundredths: Int
    /// EBacc element in hundredths (0–2700 with GCSEs).
    public var ebaccHundredths: Int
    /// Open element in hundredths (0–2700 with GCSEs).
    public var openHundredths: Int
    /// Attainment 8 in hundredths (0–9000 with GCSEs).
    public var totalHundredths: Int { englishHundredths + mathsHundredths + ebaccHundredths + openHundredths }

    /// English element, 0–18 with GCSEs.
    public var english: Double { Double(englishHundredths) / 100 }
    /// Maths element, 0–18 with GCSEs.
    public var maths: Double { Double(mathsHundredths) / 100 }
    /// EBacc element, 0–27 with GCSEs.
    public var ebacc: Double { Double(ebaccHundredths) / 100 }
    /// Open element, 0–27 with GCSEs.
    public var open: Double { Double(openHundredths) / 100 }
    /// Attainment 8, 0–90 with GCSEs.
    public var total: Double { Double(totalHundredths) / 100 }

    /// Element total in hundredths.
    public func hundredths(of element: Element) -> Int {
        switch element {
        case .english: englishHundredths
        case .maths: mathsHundredths
        case .ebacc: ebaccHundredths
        case .open: openHundredths
        }
    }

    /// The slots of one element, in position order.
    public func slots(_ element: Element) -> ArraySlice<Slot> {
        switch element {
        case .english: slots[0..<2]
        case .maths: slots[2..<4]
        case .ebacc: slots[4..<7]
        case .open: slots[7..<10]
        }
    }

    /// What fills a slot, with names; nil for an empty slot.
    public func content(_ slot: Slot) -> Content? {
        guard let i = slot.resultIndex else { return nil }
        return content(resultIndex: i, half: slot.half)
    }

    func content(resultIndex i: Int, half: Int?) -> Content {
        let r = results[i]
        let label = half.map { "\(r.label)#\($0)" } ?? r.label
        return Content(resultIndex: i, label: label, name: r.displayName, grade: r.grade.code, half: half)
    }

    /// Labels of the filled slots of an element, in order, e.g. `history`, `combined_science#1`,
    /// `combined_science#2` — the form of `ebacc_slots` / `open_slots` in the worked examples.
    public func labels(_ element: Element) -> [String] {
        slots(element).compactMap { content($0)?.label }
    }

    /// Qualifications counted: distinct results in any slot (at most 8).
    public var qualificationsCounted: Int {
        var count = 0
        for (k, slot) in slots.enumerated() {
            guard let i = slot.resultIndex else { continue }
            if !slots[..<k].contains(where: { $0.resultIndex == i }) { count += 1 }
        }
        return count
    }
}

// MARK: - Computation

extension Attainment8 {
    /// What slot filling needs of one result, read once.
    private struct Info {
        var category: KS4Category
        var hundredths: Int32
        var slots: Int8
        var taken: Bool
        var kept: Bool
        /// Has a QN or a discount code: may overlap a result of another category (by code).
        var coded: Bool
        var total: Int32 { hundredths * Int32(slots) }
    }

    /// One placeable unit: a whole result, or one half of a double award.
    private struct Unit {
        var index: Int32
        var half: Int8      // 0 whole, 1 or 2 for a double award's halves
        var hundredths: Int32

        /// Points descending, then the order given, then half #1 before #2.
        @inline(__always) static func before(_ a: Unit, _ b: Unit) -> Bool {
            if a.hundredths != b.hundredths { return a.hundredths > b.hundredths }
            if a.index != b.index { return a.index < b.index }
            return a.half < b.half
        }
    }

    /// Insertion sort: the arrays are a dozen units at most, where it beats the library sort.
    @inline(__always)
    private static func insertionSort<T>(_ buffer: UnsafeMutableBufferPointer<T>, count: Int, by before: (T, T) -> Bool) {
        guard count > 1 else { return }
        for i in 1..<count {
            let x = buffer[i]
            var j = i
            while j > 0 && before(x, buffer[j - 1]) {
                buffer[j] = buffer[j - 1]
                j -= 1
            }
            buffer[j] = x
        }
    }

    /// Fills the ten slots from one pupil's results (any order; X results are ignored).
    ///
    /// Cost (600,000 pupils × 10 results is the benchmark): the working arrays live on the stack;
    /// the value allocates only its slot array (and the unused list when there is one); no
    /// strings are built.
    ///
    /// - Parameter results: one pupil's KS4 results. Their order decides ties only (see the type).
    /// - Returns: the slots, element totals, unused results; never fails (no results → A8 0).
    public static func compute(_ results: [KS4Result]) -> Attainment8 {
        let n = results.count
        return withUnsafeTemporaryAllocation(of: Info.self, capacity: max(n, 1)) { info in
            withUnsafeTemporaryAllocation(of: Unit.self, capacity: 2 * n + 2) { units in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(n, 1)) { order in
                    fill(results, info: info, units: units, order: order)
                }
            }
        }
    }

    private static func fill(_ results: [KS4Result], info: UnsafeMutableBufferPointer<Info>,
                             units: UnsafeMutableBufferPointer<Unit>, order: UnsafeMutableBufferPointer<Int32>) -> Attainment8 {
        let n = results.count
        var unused: [Unused] = []

        // 1. Read each result once; X is not taken.
        var takenCount = 0
        for i in 0..<n {
            let taken = results[i].grade.isTaken
            info[i] = Info(category: results[i].category, hundredths: Int32(results[i].grade.hundredths),
                           slots: Int8(results[i].grade.slots), taken: taken, kept: false,
                           coded: results[i].discountCode != nil || results[i].qualificationNumber != nil)
            if taken {
                order[takenCount] = Int32(i)
                takenCount += 1
            } else {
                unused.append(Unused(resultIndex: i, half: nil, hundredths: 0, reason: .notTaken))
            }
        }

        // 2. Discounting. Best first (points over all slots, then the order given); a result
        //    overlapping one already kept is discounted by it.
        insertionSort(order, count: takenCount) { a, b in
            let va = info[Int(a)].total, vb = info[Int(b)].total
            return va != vb ? va > vb : a < b
        }
        // Results by subject key overlap only within a category (the key decides both), so the
        // string comparison runs only for same-category or coded pairs.
        for k in 0..<takenCount {
            let i = Int(order[k])
            var by: Int? = nil
            for m in 0..<k {
                let j = Int(order[m])
                guard info[j].kept, info[j].category == info[i].category || info[i].coded || info[j].coded else { continue }
                if results[j].overlaps(results[i]) { by = j; break }
            }
            if let by {
                unused.append(Unused(resultIndex: i, half: nil, hundredths: Int(info[i].total), reason: .discounted(by: by)))
            } else {
                info[i].kept = true
            }
        }

        // 3. English: the best English result (language first on a tie), doubled only when a
        //    language and a literature are both kept. Maths: the best maths result.
        var bestEnglish = -1, bestMaths = -1
        var hasLanguage = false, hasLiterature = false
        for i in 0..<n where info[i].kept {
            let c = info[i].category, h = info[i].hundredths
            switch c {
            case .englishLanguage, .englishLiterature:
                if c == .englishLanguage { hasLanguage = true } else { hasLiterature = true }
                if bestEnglish < 0 {
                    bestEnglish = i
                } else {
                    let q = info[bestEnglish].hundredths
                    if h > q || (h == q && c == .englishLanguage && info[bestEnglish].category == .englishLiterature) { bestEnglish = i }
                }
            case .maths:
                if bestMaths < 0 || h > info[bestMaths].hundredths { bestMaths = i }
            default:
                break
            }
        }
        let doubled = hasLanguage && hasLiterature

        // 4. Units. EBacc candidates fill units[0..<e]; open-only candidates are written from the
        //    top of the buffer down, then joined by the EBacc units left over.
        var e = 0, top = units.count
        for i in 0..<n where info[i].kept && i != bestEnglish && i != bestMaths {
            let h = info[i].hundredths, halves = info[i].slots == 2
            switch info[i].category.element {
            case .english:
                if doubled {
                    top -= 1; units[top] = Unit(index: Int32(i), half: 0, hundredths: h)
                } else {
                    unused.append(Unused(resultIndex: i, half: nil, hundredths: Int(h), reason: .englishNotDoubled))
                }
            case .ebacc:
                if halves {
                    units[e] = Unit(index: Int32(i), half: 1, hundredths: h)
                    units[e + 1] = Unit(index: Int32(i), half: 2, hundredths: h)
                    e += 2
                } else {
                    units[e] = Unit(index: Int32(i), half: 0, hundredths: h)
                    e += 1
                }
            case .maths, .open:
                if halves {
                    top -= 2
                    units[top] = Unit(index: Int32(i), half: 1, hundredths: h)
                    units[top + 1] = Unit(index: Int32(i), half: 2, hundredths: h)
                } else {
                    top -= 1; units[top] = Unit(index: Int32(i), half: 0, hundredths: h)
                }
            }
        }
        let ebaccUnits = UnsafeMutableBufferPointer(rebasing: units[0..<e])
        insertionSort(ebaccUnits, count: e, by: Unit.before)
        let ebaccTaken = min(3, e)
        // Leftover EBacc units join the open candidates (move them next to the open-only ones).
        var openStart = top
        for k in stride(from: e - 1, through: ebaccTaken, by: -1) {
            openStart -= 1
            units[openStart] = units[k]
        }
        let openCount = units.count - openStart
        let openUnits = UnsafeMutableBufferPointer(rebasing: units[openStart..<units.count])
        insertionSort(openUnits, count: openCount, by: Unit.before)
        let openTaken = min(3, openCount)

        // 5. The ten slots.
        var slots: [Slot] = []
        slots.reserveCapacity(10)
        var english = 0, maths = 0, ebacc = 0, open = 0
        if bestEnglish >= 0 {
            let h = Int(info[bestEnglish].hundredths)
            slots.append(Slot(element: .english, position: 1, resultIndex: bestEnglish, half: nil, hundredths: h))
            slots.append(Slot(element: .english, position: 2, resultIndex: doubled ? bestEnglish : nil, half: nil, hundredths: doubled ? h : 0))
            english = doubled ? 2 * h : h
        } else {
            slots.append(Slot(element: .english, position: 1, resultIndex: nil, half: nil, hundredths: 0))
            slots.append(Slot(element: .english, position: 2, resultIndex: nil, half: nil, hundredths: 0))
        }
        if bestMaths >= 0 {
            let h = Int(info[bestMaths].hundredths)
            slots.append(Slot(element: .maths, position: 1, resultIndex: bestMaths, half: nil, hundredths: h))
            slots.append(Slot(element: .maths, position: 2, resultIndex: bestMaths, half: nil, hundredths: h))
            maths = 2 * h
        } else {
            slots.append(Slot(element: .maths, position: 1, resultIndex: nil, half: nil, hundredths: 0))
            slots.append(Slot(element: .maths, position: 2, resultIndex: nil, half: nil, hundredths: 0))
        }
        /// Fills the three slots of `element` from the best `taken` units; returns their points.
        func fill(_ element: Element, _ units: UnsafeMutableBufferPointer<Unit>, taken: Int) -> Int {
            var total = 0
            for p in 0..<3 {
                guard p < taken else {
                    slots.append(Slot(element: element, position: p + 1, resultIndex: nil, half: nil, hundredths: 0))
                    continue
                }
                let u = units[p]
                slots.append(Slot(element: element, position: p + 1, resultIndex: Int(u.index), half: u.half == 0 ? nil : Int(u.half),
                                  hundredths: Int(u.hundredths)))
                total += Int(u.hundredths)
            }
            return total
        }
        ebacc += fill(.ebacc, ebaccUnits, taken: ebaccTaken)
        open += fill(.open, openUnits, taken: openTaken)
        if openCount > openTaken {
            for k in openTaken..<openCount {
                let u = openUnits[k]
                unused.append(Unused(resultIndex: Int(u.index), half: u.half == 0 ? nil : Int(u.half), hundredths: Int(u.hundredths),
                                     reason: .noSlotLeft))
            }
        }
        if unused.count > 1 { unused.sort { ($0.resultIndex, $0.half ?? 0) < ($1.resultIndex, $1.half ?? 0) } }

        return Attainment8(results: results, slots: slots, englishDoubleWeighted: doubled, unused: unused,
                           englishHundredths: english, mathsHundredths: maths, ebaccHundredths: ebacc, openHundredths: open)
    }
}

// MARK: - Explanation

extension Attainment8 {
    /// The working, one line per step, for `headway explain` and tooltips, e.g.
    ///
    ///     English: english_language 6 counted twice (both English language and literature taken) = 12
    ///     Maths: maths 7 counted twice = 14
    ///     EBacc: history 6, combined_science#1 6-5 (5.5), combined_science#2 6-5 (5.5) = 17
    ///     Open: art 7, english_literature 5, french 5 = 17
    ///     Not counted: music 4 (no slot left: three better open results)
    ///     Attainment 8 = 12 + 14 + 17 + 17 = 60
    public var explanation: [String] {
        func pts(_ h: Int) -> String { KS4Format.points(h) }
        func describe(_ slot: Slot) -> String {
            guard let c = content(slot) else { return "empty (0)" }
            let points = pts(slot.hundredths)
            return c.grade == points ? "\(c.label) \(c.grade)" : "\(c.label) \(c.grade) (\(points))"
        }
        var lines: [String] = []
        let e = slots(.english)
        if let first = e.first, !first.isEmpty {
            let reason = englishDoubleWeighted
                ? "counted twice (both English language and literature taken)"
                : "counted once: only one of English language and literature taken, so the second English slot scores 0"
            lines.append("English: \(describe(first)) \(reason) = \(pts(englishHundredths))")
        } else {
            lines.append("English: no English language or literature result = 0")
        }
        if let first = slots(.maths).first, !first.isEmpty {
            lines.append("Maths: \(describe(first)) counted twice = \(pts(mathsHundredths))")
        } else {
            lines.append("Maths: no maths result = 0")
        }
        for element in [Element.ebacc, .open] {
            let name = element == .ebacc ? "EBacc" : "Open"
            let parts = slots(element).map(describe)
            lines.append("\(name): \(parts.joined(separator: ", ")) = \(pts(hundredths(of: element)))")
        }
        for u in unused {
            let c = content(resultIndex: u.resultIndex, half: u.half)
            let why: String
            switch u.reason {
            case .notTaken: why = "X: not taken, counts nowhere"
            case .discounted(let by):
                let winner = content(resultIndex: by, half: nil).label
                why = "discounted: overlaps \(winner) (same discount code or subject), which has more points or came first"
            case .englishNotDoubled: why = "a second English counts in open only when both English language and literature are taken"
            case .noSlotLeft: why = "no slot left: better results fill the EBacc and open slots"
            }
            lines.append("Not counted: \(c.label) \(c.grade) — \(why)")
        }
        lines.append("Attainment 8 = \(pts(englishHundredths)) + \(pts(mathsHundredths)) + \(pts(ebaccHundredths)) + \(pts(openHundredths)) = \(pts(totalHundredths))")
        return lines
    }
}

/// Number formatting shared by the KS4 measures: exact decimals from integer hundredths.
enum KS4Format {
    /// Shortest exact decimal of `hundredths` / 100: `60`, `5.5`, `47.68`, `-1.5`.
    static func points(_ hundredths: Int) -> String {
        decimal(hundredths, places: 2, trim: true)
    }

    /// `value` / 10^places as a decimal with `places` digits (at most 18), trailing zeros dropped
    /// when `trim`.
    static func decimal(_ value: Int, places: Int, trim: Bool) -> String {
        withDecimal(value, places: places, trim: trim) { String(decoding: $0, as: UTF8.self) }
    }

    /// ``decimal(_:places:trim:)``'s ASCII bytes, handed to `body`: the digits are written into a
    /// small buffer on the stack, as a national cohort's table formats millions of these (issue 13).
    static func withDecimal<R>(_ value: Int, places: Int, trim: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        precondition((0...18).contains(places), "decimal places \(places) out of range")
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            var magnitude = value.magnitude
            var start = 48
            for _ in 0..<places {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            let fractionStart = start
            var end = 48
            if trim { while end > fractionStart && buffer[end - 1] == UInt8(ascii: "0") { end -= 1 } }
            if end > fractionStart { start -= 1; buffer[start] = UInt8(ascii: ".") }
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { start -= 1; buffer[start] = UInt8(ascii: "-") }
            return body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }
}
