import HeadwayAnalytics
import HeadwayCore

extension HeadlineReport {
    /// Published figures to set the school's KS4 forecasts beside (issue 4, item 5): England's row
    /// and, when known and stored, the local authority's, from a DfE KS4 performance table. The
    /// caller loads them from the store; the report only lays them out.
    public struct NationalContext: Hashable, Sendable {
        /// England's published row (state-funded schools, RECTYPE 7, is the one to compare with).
        public var england: PublishedKS4Row?
        /// The school's local authority's published row; nil when unknown or not stored.
        public var localAuthority: PublishedKS4Row?
        /// How the local authority was chosen, or why none is shown (e.g. `LA 202: the most common
        /// LA number in the pupils' UPNs`), shown under the table.
        public var localAuthorityNote: String?
        /// Why England's row is not shown, when it is not (issue 12, item 3): no DfE table
        /// imported, or the imported table has no England row. Shown where the section would be.
        public var englandNote: String?

        /// A context; leave out what is not known.
        public init(england: PublishedKS4Row?, localAuthority: PublishedKS4Row? = nil, localAuthorityNote: String? = nil,
                    englandNote: String? = nil) {
            self.england = england
            self.localAuthority = localAuthority
            self.localAuthorityNote = localAuthorityNote
            self.englandNote = englandNote
        }

        /// Why the report has no national-context section, or shows it without England or the
        /// LA: the notes that apply, in a sentence each; nil when both rows are there.
        public var missingNote: String? {
            let notes = [england == nil ? englandNote : nil, localAuthority == nil ? localAuthorityNote : nil].compactMap { $0 }
            return notes.isEmpty ? nil : notes.joined(separator: " ")
        }

        /// True when there is nothing to compare with.
        public var isEmpty: Bool { england == nil && localAuthority == nil }
    }

    /// What the context section says above its table: a forecast and a published result are
    /// different things.
    static func contextNote(_ context: NationalContext) -> String {
        let years = Set([context.england, context.localAuthority].compactMap { $0?.ks4Year }).sorted().map(String.init).joined(separator: " and ")
        var note = "The school's columns are forecasts: what its Year 10 and 11 pupils would get if their latest predicted grades "
            + "were their results. England's and the local authority's columns are published results of the KS4 \(years) cohort "
            + "(DfE performance tables). They are different things — a teacher's prediction is not an exam result, the cohorts and "
            + "years differ, and a forecast Progress 8 is measured against another year's national estimates — so read a gap as a "
            + "rough guide, not a verdict. A published code (SUPP, NE, NA, LOWCOV, blank) is shown as what it means, never as zero."
        if let la = context.localAuthorityNote { note += " " + la }
        if context.england == nil, let england = context.englandNote { note += " " + england }
        return note
    }

    /// The `national-context` table: for each forecast year group (Y11 first) its A8, P8 with
    /// interval, EBacc APS, EBacc entry and basics, beside England's and the LA's published figures.
    static func contextTable(_ forecasts: [KS4Forecast], context: NationalContext) -> CSVTable {
        func f2(_ x: Double?) -> String { x.map { SVG.number($0, places: 2) } ?? "none" }
        func pc(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0) } ?? "none" }  // as published: 27.0%
        let published = [context.england, context.localAuthority].compactMap { $0 }
        func cell(_ row: PublishedKS4Row, _ column: String) -> String { row[column]?.display ?? "not in the file" }
        // Written "between L and U" so that no cell starts with a minus sign (CSVTable would guard it).
        func interval(_ row: PublishedKS4Row) -> String {
            guard let score = row["P8MEA"] else { return "not in the file" }
            guard score.numeric != nil else { return score.kind == .notPublished ? "none published" : score.display }
            guard let low = row["P8CILOW"]?.numeric, let high = row["P8CIUPP"]?.numeric else { return "none published" }
            return "between \(low.text) and \(high.text)"
        }
        let header = ["measure"]
            + forecasts.map { "Y\($0.yearGroup) forecast (GCSEs \($0.cohortYear))" }
            + published.map { "\($0.label): published KS4 \($0.ks4Year)" }
        var rows: [[String]] = []
        rows.append(["what it is"]
                    + forecasts.map { f in
                        "forecast from predicted grades at \(f.collection); P8 \(f.cohort.basis.isEstimate ? "an estimate " : "")against \(f.cohort.basis.tableName)"
                    }
                    + published.map { _ in "published result (DfE performance tables)" })
        rows.append(["pupils"] + forecasts.map { String($0.cohort.pupils.count) } + published.map { cell($0, "TPUP") })
        rows.append(["Attainment 8"] + forecasts.map { f2($0.cohort.meanAttainment8) } + published.map { cell($0, "ATT8SCR") })
        rows.append(["Progress 8"] + forecasts.map { $0.cohort.school.rounded.map(f2) ?? "no pupils with KS2" } + published.map { cell($0, "P8MEA") })
        // Issue 12, item 3: the pupils each Progress 8 is over — England's P8 with its pupil count
        // (P8PUP), the forecast's pupils with KS2. A row of its own, so a P8 cell stays a number.
        rows.append(["Progress 8: pupils counted"] + forecasts.map { String($0.cohort.school.count) } + published.map { cell($0, "P8PUP") })
        rows.append(["Progress 8: 95% confidence interval"]
                    + forecasts.map { f in
                        guard let low = f.cohort.school.lower, let high = f.cohort.school.upper else { return "no pupils with KS2" }
                        return "between \(f2(low)) and \(f2(high))"
                    }
                    + published.map(interval))
        rows.append(["EBacc average point score"] + forecasts.map { f2($0.cohort.meanEBaccAPS) } + published.map { cell($0, "EBACCAPS") })
        rows.append(["EBacc entry"] + forecasts.map { pc($0.cohort.ebaccEntryPercent) } + published.map { cell($0, "PTEBACC_E_PTQ_EE") })
        rows.append(["grade 4+ in English and maths"] + forecasts.map { pc($0.cohort.standardPassPercent) } + published.map { cell($0, "PTL2BASICS_94") })
        rows.append(["grade 5+ in English and maths"] + forecasts.map { pc($0.cohort.strongPassPercent) } + published.map { cell($0, "PTL2BASICS_95") })
        return CSVTable(name: "national-context", header: header, rows: rows)
    }
}
