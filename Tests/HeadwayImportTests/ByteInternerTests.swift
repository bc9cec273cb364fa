@testable import HeadwayImport
import Testing

/// Issue 13: the interner behind the byte-level readers numbers each distinct byte string once,
/// in order of first sight, through the table's growth, and gives each back unchanged.
@Suite struct ByteInternerTests {
    @Test func numbersEachDistinctKeyOnceThroughGrowth() {
        var interner = ByteInterner(capacity: 4)
        let keys = (0..<50_000).map { "K\($0 * 7919 % 100_003)" } + ["", "é", "a\u{0}b", String(repeating: "x", count: 300)]
        for (i, key) in keys.enumerated() { #expect(interner.intern(key) == Int32(i)) }
        #expect(interner.count == keys.count)
        for (i, key) in keys.enumerated().reversed() where i % 97 == 0 || i >= 50_000 {
            #expect(interner.intern(key) == Int32(i))
            #expect(interner.string(Int32(i)) == key)
        }
        #expect(interner.count == keys.count)
    }
}
