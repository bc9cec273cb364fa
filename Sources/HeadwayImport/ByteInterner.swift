import Foundation

/// Gives each distinct byte string read from a file a small number, without building a `String`
/// per cell: a national KS4 file repeats a few dozen subject codes and grades six million times,
/// and each pupil's id on ten consecutive rows (issue 13, item 1).
///
/// Open addressing on a multiplicative hash; the keys are stored back to back. The last key looked up
/// is checked first, as consecutive rows usually repeat it.
struct ByteInterner {
    private var keys: [UInt8] = []
    private var ends: [Int] = []
    private var table: [Int32]
    private var last: Int32 = -1

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = Array(repeating: -1, count: size)
    }

    /// The number of distinct keys.
    var count: Int { ends.count }

    /// The number of `bytes`, new or not.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if last >= 0, equals(last, bytes) { return last }
        let mask = table.count - 1
        var slot = Self.slot(bytes, mask: mask)
        while true {
            let id = table[slot]
            if id < 0 { break }
            if equals(id, bytes) { last = id; return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(ends.count)
        keys.append(contentsOf: bytes)
        ends.append(keys.count)
        table[slot] = id
        last = id
        if ends.count * 2 > table.count { grow() }
        return id
    }

    /// The number of `text`.
    mutating func intern(_ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { intern($0) }
    }

    /// Key `id` as text.
    func string(_ id: Int32) -> String {
        withKey(id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with key `id`'s bytes.
    func withKey<R>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let i = Int(id)
        return keys.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[(i == 0 ? 0 : ends[i - 1])..<ends[i]])) }
    }

    private func equals(_ id: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let i = Int(id)
        let start = i == 0 ? 0 : ends[i - 1]
        guard ends[i] - start == bytes.count else { return false }
        guard let other = bytes.baseAddress else { return true }
        return keys.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, other, bytes.count) == 0 }
    }

    /// A multiplicative hash over eight bytes at a time (FNV-1a for the tail), masked to the table.
    private static func slot(_ bytes: UnsafeBufferPointer<UInt8>, mask: Int) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            var i = 0
            while i + 8 <= bytes.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
                hash ^= hash >> 32
                i += 8
            }
            while i < bytes.count { hash = (hash ^ UInt64(bytes[i])) &* 0x100_0000_01B3; i += 1 }
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
    }

    /// Makes room for `count` keys in all without growing on the way.
    mutating func reserveCapacity(_ count: Int) {
        var size = table.count
        while size < count * 2 { size <<= 1 }
        if size > table.count { grow(to: size) }
    }

    private mutating func grow(to size: Int? = nil) {
        table = Array(repeating: -1, count: size ?? table.count * 2)
        let mask = table.count - 1
        keys.withUnsafeBufferPointer { keys in
            var start = 0
            for (id, end) in ends.enumerated() {
                var slot = Self.slot(UnsafeBufferPointer(rebasing: keys[start..<end]), mask: mask)
                while table[slot] >= 0 { slot = (slot + 1) & mask }
                table[slot] = Int32(id)
                start = end
            }
        }
    }
}

extension ByteInterner {
    /// The number of a cell's text.
    mutating func intern(_ cell: CSVScanner.Cell) -> Int32 {
        if let text = cell.text { return intern(text) }
        return intern(cell.bytes)
    }
}
