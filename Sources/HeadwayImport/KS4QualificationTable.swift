import Foundation
import HeadwayCore

/// The DfE's KS4 qualification lists, by qualification number (QN): points per grade, EBacc
/// pillar and years, discount code — read from the CSV conversions of the DfE workbooks in
/// `data/dfe-ks4-qualifications-2019/` (Crown copyright, Open Government Licence v3.0;
/// attribution: Department for Education; see that folder's `SOURCE.txt`).
///
/// Files read (header names as in the workbooks; other columns ignored):
/// - `performance-points.csv` (required): `Qualification Number`, `Qualification Title`,
///   `Qualification Type`, `Pass Grades`, `Grade Text`, `Pass Points` — one row per pass grade;
/// - `ebacc-qualifications.csv` (optional): `ebacc_slot` (the workbook sheet: English, English
///   Literature, Maths, Science, Humanities, Languages), `qualification_number`,
///   `qualification_title`, `science_indicator_type`, `counts_2016` … `counts_2021` (Y);
/// - `discount-codes.csv` (optional): `Qualification Number`, `Qualification Title`,
///   `2019 KS4 Discount Code` — one row per syllabus;
/// - `discount-code-descriptions.csv` (optional): `Discount Code`, `Description`.
///
/// Rows whose QN is not 8 characters of digits (and a final `X`) are the workbooks' footnotes and
/// are skipped. A QN only on the EBacc or discount lists (no points) is kept with no grades: its
/// results can be graded U or X only.
public struct KS4QualificationTable: Sendable {
    /// Every qualification, by QN (upper case).
    public var qualifications: [String: KS4Qualification]
    /// Discount code → description, e.g. `FK2B` → "English Language".
    public var discountCodeDescriptions: [String: String]
    /// The KS4 year the lists describe (2019 for the files in `data/`).
    public var ks4Year: Int
    /// Where the lists come from, for display.
    public var source: String

    /// A table built in memory (tests, or lists from elsewhere).
    public init(qualifications: [String: KS4Qualification], discountCodeDescriptions: [String: String] = [:],
                ks4Year: Int, source: String) {
        self.qualifications = qualifications
        self.discountCodeDescriptions = discountCodeDescriptions
        self.ks4Year = ks4Year
        self.source = source
    }

    /// The qualification with this QN (any case, surrounding spaces ignored).
    public func qualification(_ number: String) -> KS4Qualification? {
        qualifications[KS4QualificationTable.normalisedQN(number)]
    }

    /// The folder shipped with Headway, as named in the source tree; built into the program
    /// (``shippedFolder``).
    public static let defaultFolder = "data/dfe-ks4-qualifications-2019"

    /// The shipped lists inside the program's resources (``ShippedData``); nil when missing.
    public static var shippedFolder: URL? { ShippedData.url(defaultFolder) }

    /// Reads the lists from a folder holding the files named in the type's documentation.
    /// - Parameters:
    ///   - folder: e.g. `data/dfe-ks4-qualifications-2019`.
    ///   - ks4Year: the year the lists describe (default 2019).
    /// - Throws: ``ImportIssue`` ``ImportIssue/Code/unreadableFile`` when `performance-points.csv`
    ///   cannot be read, ``ImportIssue/Code/missingColumn`` when a file lacks a column it needs.
    public static func read(folder: URL, ks4Year: Int = 2019) throws(ImportIssue) -> KS4QualificationTable {
        func load(_ name: String, required: Bool) throws(ImportIssue) -> (name: String, contents: Data)? {
            let url = folder.appendingPathComponent(name)
            do {
                return (url.relativePath, try Data(contentsOf: url))
            } catch {
                guard required else { return nil }
                throw ImportIssue(.unreadableFile, file: url.relativePath,
                                  reason: "cannot read the DfE points list: \(error.localizedDescription) — pass the folder holding performance-points.csv (Headway ships data/dfe-ks4-qualifications-2019)")
            }
        }
        let points = try load("performance-points.csv", required: true)!
        let source = "DfE KS4 qualification lists for the \(ks4Year) performance tables (\(folder.relativePath); Crown copyright, OGL v3)"
        return try read(points: points,
                        ebacc: try load("ebacc-qualifications.csv", required: false),
                        discountCodes: try load("discount-codes.csv", required: false),
                        descriptions: try load("discount-code-descriptions.csv", required: false),
                        ks4Year: ks4Year, source: source)
    }

    /// Reads the lists from files in memory (name for issues, bytes).
    /// - Throws: ``ImportIssue`` ``ImportIssue/Code/missingColumn`` when a file lacks a needed column.
    public static func read(points: (name: String, contents: Data),
                            ebacc: (name: String, contents: Data)? = nil,
                            discountCodes: (name: String, contents: Data)? = nil,
                            descriptions: (name: String, contents: Data)? = nil,
                            ks4Year: Int = 2019, source: String = "DfE KS4 qualification lists") throws(ImportIssue) -> KS4QualificationTable {
        var builders: [String: Builder] = [:]

        let pointsTable = try Table(points, required: ["Qualification Number", "Qualification Title", "Qualification Type",
                                                       "Pass Grades", "Grade Text", "Pass Points"])
        for row in pointsTable.rows {
            guard let qn = validQN(row["Qualification Number"]) else { continue }
            guard let value = Double(row["Pass Points"]) else { continue }
            var b = builders[qn] ?? Builder(number: qn)
            b.title = b.title ?? row["Qualification Title"]
            b.type = b.type ?? row["Qualification Type"]
            b.grades.append(KS4Qualification.Grade(code: row["Pass Grades"], text: row["Grade Text"],
                                                   hundredths: Int((value * 100).rounded())))
            builders[qn] = b
        }

        if let ebacc {
            let table = try Table(ebacc, required: ["ebacc_slot", "qualification_number", "qualification_title"])
            for row in table.rows {
                guard let qn = validQN(row["qualification_number"]),
                      let slot = KS4Qualification.EBaccSlot(rawValue: row["ebacc_slot"]) else { continue }
                var b = builders[qn] ?? Builder(number: qn)
                b.title = b.title ?? row["qualification_title"]
                b.ebaccSlot = slot
                let science = row["science_indicator_type"]
                if !science.isEmpty { b.scienceType = science }
                for year in 2016...2021 where row["counts_\(year)"].uppercased() == "Y" {
                    if !b.ebaccYears.contains(year) { b.ebaccYears.append(year) }
                }
                builders[qn] = b
            }
        }

        if let discountCodes {
            let table = try Table(discountCodes, required: ["Qualification Number", "2019 KS4 Discount Code"])
            for row in table.rows {
                guard let qn = validQN(row["Qualification Number"]) else { continue }
                let code = row["2019 KS4 Discount Code"].uppercased()
                guard !code.isEmpty else { continue }
                var b = builders[qn] ?? Builder(number: qn)
                b.title = b.title ?? (row["Qualification Title"].isEmpty ? nil : row["Qualification Title"])
                if !b.discountCodes.contains(code) { b.discountCodes.append(code) }
                builders[qn] = b
            }
        }

        var descriptionsByCode: [String: String] = [:]
        if let descriptions {
            let table = try Table(descriptions, required: ["Discount Code", "Description"])
            for row in table.rows where !row["Discount Code"].isEmpty {
                descriptionsByCode[row["Discount Code"].uppercased()] = row["Description"]
            }
        }

        var qualifications: [String: KS4Qualification] = [:]
        qualifications.reserveCapacity(builders.count)
        for (qn, b) in builders {
            qualifications[qn] = KS4Qualification(number: qn, title: b.title ?? qn, type: b.type ?? "", grades: b.grades,
                                                  ebaccSlot: b.ebaccSlot, scienceType: b.scienceType,
                                                  ebaccYears: b.ebaccYears, discountCodes: b.discountCodes)
        }
        return KS4QualificationTable(qualifications: qualifications, discountCodeDescriptions: descriptionsByCode,
                                     ks4Year: ks4Year, source: source)
    }

    /// A QN as stored: trimmed, upper case.
    static func normalisedQN(_ text: String) -> String { text.trimmed.uppercased() }

    /// The QN when the cell holds one: 8 characters, digits with an optional final check
    /// character `X` (e.g. `6018758X`); nil for a footnote or blank.
    static func validQN(_ text: String) -> String? {
        let qn = normalisedQN(text)
        let chars = Array(qn.utf8)
        guard chars.count == 8 else { return nil }
        for (i, c) in chars.enumerated() {
            let digit = (0x30...0x39).contains(c)
            if !(digit || (i == 7 && c == UInt8(ascii: "X"))) { return nil }
        }
        return qn
    }

    private struct Builder {
        var number: String
        var title: String?
        var type: String?
        var grades: [KS4Qualification.Grade] = []
        var ebaccSlot: KS4Qualification.EBaccSlot?
        var scienceType: String?
        var ebaccYears: [Int] = []
        var discountCodes: [String] = []
    }

    /// A small CSV file read through the importer's decoding and record splitting, with cells
    /// looked up by header name.
    struct Table {
        struct Row {
            let fields: [String]
            let index: [String: Int]
            /// The trimmed cell under `column`, or "" when the row or header lacks it.
            subscript(_ column: String) -> String {
                guard let i = index[column], i < fields.count else { return "" }
                return fields[i].trimmed
            }
        }
        var rows: [Row] = []

        init(_ file: (name: String, contents: Data), required: [String]) throws(ImportIssue) {
            let text = TextDecoding.decode(file.contents).text
            let records = CSVText.records(in: text, separator: CSVText.detectSeparator(in: text)).filter { !$0.isBlank }
            guard let header = records.first else {
                throw ImportIssue(.unusableFile, file: file.name, reason: "the file is empty: expected a header row")
            }
            var index: [String: Int] = [:]
            for (i, name) in header.fields.enumerated() where index[name.trimmed] == nil { index[name.trimmed] = i }
            for column in required where index[column] == nil {
                throw ImportIssue(.missingColumn, file: file.name, line: header.line, column: column,
                                  reason: "the DfE list has no column \"\(column)\"; its columns are: \(ImportIssue.headerList(header.fields.map(\.trimmed)))")
            }
            rows = records.dropFirst().map { Row(fields: $0.fields, index: index) }
        }
    }
}
