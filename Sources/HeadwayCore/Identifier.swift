/// A typed identifier: the school's own key for a record (a pupil's MIS id or UPN, a staff code,
/// a subject code, a class code, a collection code). The phantom `Owner` keeps a pupil id from
/// being passed where a subject code is expected.
///
/// Shape: a non-empty string, compared exactly (case-sensitive). Encodes as a bare string.
public struct Identifier<Owner>: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
