import Foundation

/// A unique pupil number: 13 characters assigned by the DfE scheme to every pupil in an English
/// state school.
///
/// Layout (DfE "Unique Pupil Numbers" guidance): 1 check letter; 2–4 the DfE local-authority
/// number; 5–8 the establishment number; 9–10 the year of allocation; 11–13 a serial. A
/// *temporary* UPN has a letter in position 13.
///
/// The check letter: multiply characters 2–13 by weights 2–13 (a letter in position 13 counts as
/// its index in the check-letter table, A = 0 … Z = 22), sum, take the remainder mod 23, and map
/// 0–22 to `A B C D E F G H J K L M N P Q R T U V W X Y Z` (no I, O or S). Source: DfE UPN
/// guidance as restated in DfE CIN validation rule 1510 (`shared/reference/upn-*.csv`).
public struct UPN: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 13 upper-case characters.
    public let rawValue: String

    /// Wraps text that has already passed ``validate(_:)`` with no error.
    public init?(_ text: String) {
        guard let upn = UPN.validate(text).upn else { return nil }
        self = upn
    }

    private init(checked: String) { rawValue = checked }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let upn = UPN(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid UPN \(text)")
        }
        self = upn
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: UPN, rhs: UPN) -> Bool { lhs.rawValue < rhs.rawValue }

    /// True when position 13 is a letter (a temporary UPN, to be replaced by a permanent one).
    public var isTemporary: Bool { rawValue.last?.isLetter ?? false }

    /// The check-letter table, remainder 0–22 → letter.
    public static let checkLetters: [Character] = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

    /// One thing wrong with a UPN. Errors make it unusable; warnings leave it usable.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public enum Severity: String, Sendable { case error, warning }
        public var severity: Severity
        /// The DfE-style message, e.g. `wrong check letter at character 1`.
        public var message: String
        public var description: String { "\(severity.rawValue): \(message)" }
    }

    /// The outcome of checking one UPN: the usable UPN (nil when any error) and every problem.
    public struct Validation: Hashable, Sendable {
        public var upn: UPN?
        public var problems: [Problem]
        public var errors: [Problem] { problems.filter { $0.severity == .error } }
        public var warnings: [Problem] { problems.filter { $0.severity == .warning } }
    }

    /// Checks a UPN as typed or exported. Surrounding spaces are ignored; lower case is
    /// upper-cased with a warning; an unknown LA number is a warning (new authorities appear and
    /// old UPNs outlive theirs). Wrong length, non-digits in 5–12, a bad 13th character or a wrong
    /// check letter are errors. Messages follow the DfE's own wording where it has one.
    public static func validate(_ text: String) -> Validation {
        if let upn = wellFormed(text) { return Validation(upn: upn, problems: []) }
        var problems: [Problem] = []
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let upper = trimmed.uppercased()
        if upper != trimmed {
            problems.append(Problem(severity: .warning, message: "lower-case letters upper-cased"))
        }
        let chars = Array(upper)
        guard chars.count == 13 else {
            problems.append(Problem(severity: .error, message: "must be 13 characters, found \(chars.count)"))
            return Validation(upn: nil, problems: problems)
        }
        if !chars[1...11].allSatisfy(\.isASCIIDigit) {
            let message = chars[4...11].allSatisfy(\.isASCIIDigit)
                ? "characters 2-4 not all numeric" : "characters 5-12 not all numeric"
            problems.append(Problem(severity: .error, message: message))
        }
        let last = chars[12]
        let lastValue: Int?
        if last.isASCIIDigit {
            lastValue = last.wholeNumberValue
        } else if let index = checkLetters.firstIndex(of: last) {
            lastValue = index
        } else {
            lastValue = nil
            problems.append(Problem(severity: .error, message: "character 13 not a recognised value"))
        }
        if problems.allSatisfy({ $0.severity == .warning }), let lastValue {
            var sum = lastValue * 13
            for position in 2...12 {
                sum += chars[position - 1].wholeNumberValue! * position
            }
            if chars[0] != checkLetters[sum % 23] {
                problems.append(Problem(severity: .error, message: "wrong check letter at character 1"))
            }
            if !LocalAuthority.numbers.contains(String(chars[1...3])) {
                problems.append(Problem(severity: .warning, message: "characters 2-4 not a recognised LA code"))
            }
        }
        let ok = problems.allSatisfy { $0.severity == .warning }
        return Validation(upn: ok ? UPN(checked: upper) : nil, problems: problems)
    }
}

extension UPN {
    /// `text` as a UPN when it is exactly 13 upper-case ASCII characters with nothing for
    /// ``validate(_:)`` to report (digits in 2–12, a digit or check-table letter in 13, the right
    /// check letter, a known LA number); nil otherwise, and ``validate(_:)`` then works out why.
    /// Bytes, not `Character`s: this runs on every row of an import (issue 13, item 3).
    private static func wellFormed(_ text: String) -> UPN? {
        guard text.utf8.count == 13 else { return nil }
        var text = text
        text.makeContiguousUTF8()  // nothing to do for native Swift text
        let checked = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            let zero = UInt8(ascii: "0")
            var sum = 0
            for position in 2...12 {
                let digit = Int(bytes[position - 1]) - Int(zero)
                guard (0...9).contains(digit) else { return false }
                sum += digit * position
            }
            let last = bytes[12]
            if (zero...UInt8(ascii: "9")).contains(last) {
                sum += Int(last - zero) * 13
            } else if let index = checkLetterBytes.firstIndex(of: last) {
                sum += index * 13
            } else {
                return false
            }
            guard bytes[0] == checkLetterBytes[sum % 23] else { return false }
            let la = (Int(bytes[1]) - Int(zero)) * 100 + (Int(bytes[2]) - Int(zero)) * 10 + Int(bytes[3]) - Int(zero)
            return LocalAuthority.isKnown[la]
        }
        return checked == true ? UPN(checked: text) : nil
    }

    /// ``checkLetters`` as ASCII bytes.
    private static let checkLetterBytes: [UInt8] = checkLetters.map { $0.asciiValue! }
}

extension LocalAuthority {
    /// ``numbers`` as a table indexed 0–999: true where the three digits are a known number.
    static let isKnown: [Bool] = {
        var table = Array(repeating: false, count: 1000)
        for number in numbers where number.utf8.count == 3 && number.utf8.allSatisfy({ (48...57).contains($0) }) {
            table[Int(number)!] = true
        }
        return table
    }()
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// DfE local-authority numbers (the three digits in UPN positions 2–4 and in a school's DfE
/// number). Source: every `LEA` value in the DfE KS4 performance tables 2018/19
/// (`shared/data/dfe-ks4-performance-tables-2019`), plus the authorities created since
/// (940 North and 941 West Northamptonshire, 2021; 942 Cumberland and 943 Westmorland and
/// Furness, 2023) and the Welsh authorities 660–681, whose UPNs follow the same scheme.
public enum LocalAuthority {
    public static let numbers: Set<String> = {
        let england = """
            201 202 203 204 205 206 207 208 209 210 211 212 213 301 302 303 304 305 306 307 308 309 \
            310 311 312 313 314 315 316 317 318 319 320 330 331 332 333 334 335 336 340 341 342 343 \
            344 350 351 352 353 354 355 356 357 358 359 370 371 372 373 380 381 382 383 384 390 391 \
            392 393 394 420 702 800 801 802 803 805 806 807 808 810 811 812 813 815 816 821 822 823 \
            825 826 830 831 835 836 837 838 839 840 841 845 846 850 851 852 855 856 857 860 861 865 \
            866 867 868 869 870 871 872 873 874 876 877 878 879 880 881 882 883 884 885 886 887 888 \
            889 890 891 892 893 894 895 896 908 909 916 919 921 925 926 928 929 931 933 935 936 937 \
            938 940 941 942 943
            """
        return Set(england.split(separator: " ").map(String.init)).union((660...681).map(String.init))
    }()
}
