import Foundation

/// A day in the school calendar, without a time or time zone (a date of birth, a collection's
/// deadline). Shape: ISO 8601 `YYYY-MM-DD` in text and in the store.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date; returns nil unless month is 1–12 and day exists in that month.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, or the UK form `DD/MM/YYYY` that MIS exports use. Nil when neither fits.
    public init?(parsing text: String) {
        // The two exact shapes nearly every cell has, read from bytes without Foundation
        // (issue 13: trimming through Foundation was a sixth of an import's time).
        if let (y, m, d) = CalendarDate.fixedShape(text) {
            self.init(year: y, month: m, day: d)
            return
        }
        let t = text.trimmingCharacters(in: .whitespaces)
        let iso = t.split(separator: "-", omittingEmptySubsequences: false)
        let uk = t.split(separator: "/", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]) {
            self.init(year: y, month: m, day: d)
        } else if uk.count == 3, uk[2].count == 4, let d = Int(uk[0]), let m = Int(uk[1]), let y = Int(uk[2]) {
            self.init(year: y, month: m, day: d)
        } else {
            return nil
        }
    }

    /// Year, month and day of text that is exactly `DDDD-DD-DD` (ISO) or `DD/DD/DDDD` (UK) in
    /// ASCII digits; nil for anything else, which ``init(parsing:)`` reads the general way.
    private static func fixedShape(_ text: String) -> (Int, Int, Int)? {
        guard text.utf8.count == 10 else { return nil }
        var text = text
        text.makeContiguousUTF8()  // nothing to do for native Swift text
        return text.utf8.withContiguousStorageIfAvailable { b -> (Int, Int, Int)? in
            func number(_ range: Range<Int>) -> Int? {
                var n = 0
                for i in range {
                    let digit = Int(b[i]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    n = n * 10 + digit
                }
                return n
            }
            if b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) {
                return (y, m, d)
            }
            if b[2] == UInt8(ascii: "/"), b[5] == UInt8(ascii: "/"), let d = number(0..<2), let m = number(3..<5), let y = number(6..<10) {
                return (y, m, d)
            }
            return nil
        } ?? nil
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date: \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// An English academic year, 1 September to 31 August, named by the calendar year it starts in.
/// Shape: text `2026/27` (also read: `2026-27`, `2026-2027`, `2026`).
public struct AcademicYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    /// Parses `2026/27`, `2026-27`, `2026/2027` or `2026`; nil otherwise or when the two halves
    /// are not consecutive years.
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "/" || $0 == "-" })
        guard let first = parts.first, first.count == 4, let start = Int(first) else { return nil }
        if parts.count == 2 {
            guard let end = Int(parts[1]), end % 100 == (start + 1) % 100 else { return nil }
        } else if parts.count != 1 {
            return nil
        }
        startYear = start
    }

    /// The academic year that contains `date` (September onward belongs to the year starting then).
    public init(containing date: CalendarDate) {
        startYear = date.month >= 9 ? date.year : date.year - 1
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let year = AcademicYear(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an academic year: \(text)")
        }
        self = year
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        let end = (startYear + 1) % 100
        return "\(startYear)/\(end < 10 ? "0" : "")\(end)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.startYear < rhs.startYear }
}
