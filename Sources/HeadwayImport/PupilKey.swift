extension ColumnMapping.PupilKey {
    /// The id of an unambiguous key: `PREFIX-` and the first 12 hex digits of the 64-bit FNV-1a
    /// hash of the UTF-8 key values joined by U+001F (unit separator, which no CSV cell
    /// reasonably holds). FNV-1a is fixed by its published constants, so the id is the same on
    /// every platform and Swift version (unlike `Hasher`, which is seeded per process).
    /// 48 bits make an accidental collision between two pupils of one school (~10⁻⁸ for 2,000
    /// keys) negligible; the importer still checks and reports one.
    func id(for values: [String]) -> String {
        "\(prefix)-\(Self.hashText(values))"
    }

    /// The id of a row whose key is ambiguous in its file: the key's id, then `@FILE:LINE`.
    func ambiguousID(for values: [String], file: String, line: Int) -> String {
        "\(id(for: values))@\(file):\(line)"
    }

    static func hashText(_ values: [String]) -> String {
        let hex = String(fnv1a64(values.joined(separator: "\u{1F}")), radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(12))
    }

    /// FNV-1a, 64-bit (Fowler, Noll, Vo; IETF draft-eastlake-fnv): offset basis
    /// 0xcbf29ce484222325, prime 0x100000001b3.
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
