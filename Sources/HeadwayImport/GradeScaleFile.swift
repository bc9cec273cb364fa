import Foundation
import HeadwayCore

/// A school's own grade scale, written as a small TOML file (or inline in a column mapping as a
/// `[[scale]]` table with the same keys), read into Core's ``GradeScale``.
///
/// Schema — either a list of grades (an *enumerated* scale):
///
/// ```toml
/// id = "ks3-steps"              # required; the id subjects name in `scale = …`; not a built-in id
/// name = "KS3 steps"            # required; shown in reports and error messages
/// higher_is_better = true       # optional, default true (false for e.g. ATL 1 = excellent)
/// swing_threshold = 2           # optional: a change of this many points between collections is
///                               # a swing worth checking; default 2 (a quarter of the range when numeric)
///
/// [[grade]]                     # one per grade, any order (sorted by points)
/// code = "S3"                   # required; canonical code as shown and stored
/// points = 3                    # required; number used for averages and differences
/// label = "Secure"              # optional words for the grade
/// aliases = ["3S", "secure"]    # optional other spellings accepted on entry (case-insensitive)
/// band = "3"                    # optional; the whole grade counted in distributions (default: code)
/// slots = 1                     # optional; accountability slots filled (2 for a double award)
/// ```
///
/// or a numeric range (a *numeric* scale):
///
/// ```toml
/// id = "percent-whole"
/// name = "Percentage (whole numbers)"
/// [numeric]
/// minimum = 0                   # required
/// maximum = 100                 # required, greater than minimum
/// step = 1                      # optional, default 1; accepted values are minimum + n × step
/// bin_width = 10                # optional, default step; width of a bar in a distribution
/// ```
///
/// Checks (each reported with its key, all at once): exactly one of `[[grade]]` and `[numeric]`;
/// codes and aliases distinct (compared as entry compares them: case-insensitive, spaces and
/// dashes unified); no code or alias `X` or `Z` (they mean *not assessed* and *not required* on
/// every scale); finite points; `slots` ≥ 1; an id that is not a built-in scale's
/// (``GradeScale/builtIn``). Sane bounds (issue 12): points, `minimum` and `maximum` within
/// ±1,000,000 (``largestValue``); `step` at least 0.0001 and at most 1,000,000 values in the
/// range; `bin_width` giving at most 200 bars (``GradeScale/NumericRange/maximumBins``).
public enum GradeScaleFile {
    /// Parses a scale file's text; `file` names it in errors.
    /// - Throws: ``ImportIssue`` with code ``ImportIssue/Code/mappingSyntax`` for invalid TOML,
    ///   or ``ImportIssue/Code/scaleInvalid`` listing every problem.
    public static func scale(toml: String, file: String) throws(ImportIssue) -> GradeScale {
        let root = try TOMLNode.parse(toml, file: file)
        let problems = TOMLProblems(file: file, code: .scaleInvalid)
        let scale = scale(from: TOMLTableReader(root, path: "", problems: problems))
        try problems.throwIfAny()
        guard let scale else {
            throw ImportIssue(.scaleInvalid, file: file, reason: "not a usable grade scale")
        }
        return scale
    }

    /// Reads and parses a scale file from disk.
    /// - Throws: ``ImportIssue`` with code ``ImportIssue/Code/unreadableFile`` when it cannot be
    ///   read, otherwise as ``scale(toml:file:)``.
    public static func scale(contentsOf url: URL) throws(ImportIssue) -> GradeScale {
        let text = try readText(url)
        return try scale(toml: text, file: url.lastPathComponent)
    }

    static func readText(_ url: URL) throws(ImportIssue) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ImportIssue(.unreadableFile, file: url.path, reason: "cannot read the file: \(error.localizedDescription)")
        }
        return TextDecoding.decode(data).text
    }

    /// Reads one scale table, recording problems; nil when it cannot be built at all.
    static func scale(from t: TOMLTableReader) -> GradeScale? {
        t.rejectUnknownKeys(allowed: ["id", "name", "higher_is_better", "swing_threshold", "grade", "numeric"])
        let id = t.string("id", required: true)
        let name = t.string("name", required: true)
        let higherIsBetter = t.bool("higher_is_better") ?? true
        let swing = t.number("swing_threshold")
        if let swing, swing <= 0 { t.problems.add(t.keyPath("swing_threshold"), "must be greater than 0") }
        if let id, GradeScale.builtIn[GradeScale.ID(id)] != nil {
            t.problems.add(t.keyPath("id"), value: id,
                           "is a built-in scale's id; a school's own scale needs its own id (built-in: \(builtInList))")
        }
        let gradeTables = t.tables("grade")
        let numericTable = t.table("numeric")
        switch (gradeTables.isEmpty, numericTable) {
        case (true, nil):
            t.problems.add(t.path, "a scale needs either [[grade]] entries or a [numeric] range")
            return nil
        case (false, _?):
            t.problems.add(t.path, "a scale has either [[grade]] entries or a [numeric] range, not both")
            return nil
        case (true, let numeric?):
            guard let range = numericRange(numeric), let id, let name else { return nil }
            var scale = GradeScale(id: GradeScale.ID(id), name: name, numeric: range, higherIsBetter: higherIsBetter)
            if let swing { scale.swingThreshold = swing }
            return scale
        case (false, nil):
            let grades = gradeTables.compactMap(grade)
            guard grades.count == gradeTables.count, let id, let name else { return nil }
            let scale = GradeScale(id: GradeScale.ID(id), name: name, grades: grades, higherIsBetter: higherIsBetter,
                                   swingThreshold: swing ?? 2)
            checkSpellings(of: scale, reader: t)
            return scale
        }
    }

    /// The largest magnitude of a scale's minimum, maximum or grade points: 1,000,000 (issue 12).
    public static let largestValue: Double = 1_000_000
    static let largestText = "1,000,000"
    /// The smallest step of a numeric scale: 0.0001, the precision values are shown to.
    public static let smallestStep = 0.0001
    /// The most values a numeric scale may allow: 1,000,000.
    public static let mostValues = 1_000_000

    static var builtInList: String { GradeScale.builtIn.keys.map(\.rawValue).sorted().joined(separator: ", ") }

    private static func grade(_ g: TOMLTableReader) -> GradeScale.Grade? {
        g.rejectUnknownKeys(allowed: ["code", "points", "label", "aliases", "band", "slots"])
        let code = g.string("code", required: true)
        let points = g.number("points", required: true)
        let label = g.string("label")
        let aliases = g.stringArray("aliases") ?? []
        let band = g.string("band")
        let slots = g.int("slots") ?? 1
        if slots < 1 { g.problems.add(g.keyPath("slots"), value: String(slots), "must be 1 or more") }
        for spelling in [code].compactMap({ $0 }) + aliases {
            let reserved = spelling.trimmed.uppercased()
            if reserved == EntryValue.notAssessedCode || reserved == EntryValue.notRequiredCode {
                g.problems.add(g.path, value: spelling,
                               "X and Z are reserved on every scale (X not assessed, Z not required); choose another code")
            }
        }
        if let points, Swift.abs(points) > largestValue {
            g.problems.add(g.keyPath("points"), value: GradeScale.format(points), "out of range: points must lie between -\(largestText) and \(largestText)")
            return nil
        }
        guard let code, let points else { return nil }
        return GradeScale.Grade(code: code, points: points, label: label, aliases: aliases, band: band, slots: max(slots, 1))
    }

    /// Every code and alias must lead back to its own grade; a clash means two grades share a
    /// spelling once case, spaces and dashes are unified.
    private static func checkSpellings(of scale: GradeScale, reader t: TOMLTableReader) {
        for grade in scale.grades {
            for spelling in [grade.code] + grade.aliases {
                if let found = scale.grade(spelling), found.code != grade.code {
                    t.problems.add(t.keyPath("grade"), value: spelling,
                                   "spelling used by two grades (\(found.code) and \(grade.code))")
                }
            }
        }
    }

    private static func numericRange(_ n: TOMLTableReader) -> GradeScale.NumericRange? {
        n.rejectUnknownKeys(allowed: ["minimum", "maximum", "step", "bin_width"])
        let minimum = n.number("minimum", required: true)
        let maximum = n.number("maximum", required: true)
        let step = n.number("step") ?? 1
        let binWidth = n.number("bin_width") ?? step
        var ok = true
        // Sane bounds (issue 12): `maximum = 1e19` crashed the report, a tiny `bin_width` hung it.
        for (key, value) in [("minimum", minimum), ("maximum", maximum)] {
            if let value, Swift.abs(value) > largestValue {
                n.problems.add(n.keyPath(key), value: GradeScale.format(value),
                               "out of range: a scale's values must lie between -\(largestText) and \(largestText)"); ok = false
            }
        }
        if let minimum, let maximum, maximum <= minimum {
            n.problems.add(n.keyPath("maximum"), "must be greater than minimum"); ok = false
        }
        if step <= 0 { n.problems.add(n.keyPath("step"), "must be greater than 0"); ok = false }
        if binWidth <= 0 { n.problems.add(n.keyPath("bin_width"), "must be greater than 0"); ok = false }
        guard ok, let minimum, let maximum else { return nil }
        let span = maximum - minimum
        if step < smallestStep {
            n.problems.add(n.keyPath("step"), value: GradeScale.format(step),
                           "too small: values are shown to 4 decimal places, so the step must be at least 0.0001"); ok = false
        } else if span / step > Double(mostValues) {
            n.problems.add(n.keyPath("step"), value: GradeScale.format(step),
                           "too small for the range: it allows more than \(ImportIssue.grouped(mostValues)) values; use a step of at least \(GradeScale.format(span / Double(mostValues)))"); ok = false
        }
        if span / binWidth > Double(GradeScale.NumericRange.maximumBins) {
            n.problems.add(n.keyPath("bin_width"), value: GradeScale.format(binWidth),
                           "too small for the range: a distribution would have more than \(GradeScale.NumericRange.maximumBins) bars; use a bin_width of at least \(GradeScale.format(span / Double(GradeScale.NumericRange.maximumBins)))"); ok = false
        }
        guard ok else { return nil }
        return GradeScale.NumericRange(minimum: minimum, maximum: maximum, step: step, binWidth: binWidth)
    }
}
