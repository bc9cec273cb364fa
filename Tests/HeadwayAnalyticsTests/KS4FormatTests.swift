@testable import HeadwayAnalytics
import Testing

/// Issue 13: KS4 figures are formatted on bytes; the text is what the `String` arithmetic it
/// replaced gave (kept here as the reference), for every kind of value the tables print.
@Suite struct KS4FormatTests {
    static func reference(_ value: Int, places: Int, trim: Bool) -> String {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let magnitude = value.magnitude
        let whole = magnitude / UInt(scale)
        var fraction = String(magnitude % UInt(scale))
        while fraction.count < places { fraction = "0" + fraction }
        if trim { while fraction.hasSuffix("0") { fraction.removeLast() } }
        let body = fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
        return value < 0 ? "-" + body : body
    }

    @Test func decimalsAreWrittenAsBefore() {
        for places in [1, 2, 3, 6] {
            for value in stride(from: -2_000_003, through: 2_000_003, by: 997) + [0, 1, -1, 10, -10, 100, 5, 50, 1_000_000, Int.max, Int.min + 1] {
                for trim in [false, true] {
                    #expect(KS4Format.decimal(value, places: places, trim: trim) == Self.reference(value, places: places, trim: trim),
                            "\(value) \(places) \(trim)")
                }
            }
        }
        #expect(KS4Format.points(4768) == "47.68" && KS4Format.points(550) == "5.5" && KS4Format.points(6000) == "60" && KS4Format.points(-150) == "-1.5")
        #expect(KS4Format.decimal(-110, places: 2, trim: false) == "-1.10" && KS4Format.decimal(0, places: 2, trim: false) == "0.00")
    }
}
