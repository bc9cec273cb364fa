import Foundation
import HeadwayCore

/// The `Header` of a Common Transfer File: its version, when it was made, and the schools it is
/// from and to (DfE CTF; element names in `shared/reference/dfe-rules.md` §6).
///
/// Every value is the element's text as written (trimmed), never a number: LEA, Estab and URN
/// keep their leading zeros. A value is nil when its element is absent or empty.
public struct CTFHeader: Hashable, Sendable {
    /// `SourceSchool` or `DestSchool`.
    public struct School: Hashable, Sendable {
        /// The DfE local-authority number, e.g. `938` (three digits, text).
        public var lea: String?
        /// The DfE establishment number within the LA, e.g. `4123` (text).
        public var estab: String?
        /// The school's unique reference number, e.g. `100001` (text).
        public var urn: String?
        /// The school's name (always present for `SourceSchool`; not in every `DestSchool`).
        public var schoolName: String?
        /// The academic year as written (`SourceSchool` only), e.g. `2024/25`.
        public var academicYear: String?

        /// A school; leave out what is not known.
        public init(lea: String? = nil, estab: String? = nil, urn: String? = nil, schoolName: String? = nil, academicYear: String? = nil) {
            self.lea = lea
            self.estab = estab
            self.urn = urn
            self.schoolName = schoolName
            self.academicYear = academicYear
        }
    }

    /// `CTFversion`, e.g. `25.0` (the last two digits of the academic year it was specified for).
    public var version: String?
    /// `DateTime`, `yyyy-MM-ddTHH:mm:ss`: when the sending MIS made the file.
    public var dateTime: String?
    /// `DocumentQualifier`: `full` or `partial`.
    public var documentQualifier: String?
    /// `SourceSchool`: the school that sent the file (for a KS2 CTF, the primary school).
    public var source: School
    /// `DestSchool`: the school the file is for.
    public var destination: School

    /// A header; leave out what is not known.
    public init(version: String? = nil, dateTime: String? = nil, documentQualifier: String? = nil, source: School = School(),
                destination: School = School()) {
        self.version = version
        self.dateTime = dateTime
        self.documentQualifier = documentQualifier
        self.source = source
        self.destination = destination
    }

    /// The date part of ``dateTime`` (its first ten characters, `yyyy-MM-dd`); nil when absent or
    /// not a date. FSM "now" and "Ever 6" are worked out at this date.
    public var date: CalendarDate? {
        guard let dateTime, dateTime.count >= 10 else { return nil }
        let day = String(dateTime.prefix(10))
        guard day.split(separator: "-").count == 3 else { return nil }
        return CalendarDate(parsing: day)
    }

    /// The major part of ``version`` (`19` for `19.0`); nil when absent or not a number.
    public var majorVersion: Int? {
        guard let version else { return nil }
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let major = Int(parts[0]), major >= 0,
              parts.count == 1 || parts[1].allSatisfy(\.isNumber) && !parts[1].isEmpty
        else { return nil }
        return major
    }

    /// The `SourceSchool` academic year, read as ``AcademicYear/init(parsing:)`` reads it
    /// (`2024/25`, `2024-25`, `2024/2025`, `2024`); nil when absent or not a year.
    public var sourceAcademicYear: AcademicYear? {
        source.academicYear.flatMap(AcademicYear.init(parsing:))
    }
}
