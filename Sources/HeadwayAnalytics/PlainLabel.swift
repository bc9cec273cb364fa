import HeadwayCore

/// The words a reader sees for characteristics, their values and gaps — one place, used by the
/// terminal (`headway analyse`), the CSV files and the HTML pages, so the three never disagree
/// (issue 12, item 7: "prior attainment band", "disadvantaged", "girls vs boys", not
/// `prior_attainment_band`, `true vs false` or `Gender F vs not F`).
///
/// A characteristic Headway does not know (a school's own, such as UCI's `schoolsup`) keeps its
/// name with underscores as spaces, and its `true` / `false` values read "yes" / "no".
public enum PlainLabel {
    /// "prior attainment band", "disadvantaged", "SEN", "EAL", "looked after", "gender".
    public static func characteristic(_ name: String) -> String {
        switch name {
        case Characteristic.sen: "SEN"
        case Characteristic.eal: "EAL"
        default: name.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// A value of a characteristic as a group of pupils: `disadvantaged` `true` → "disadvantaged",
    /// `false` → "not disadvantaged"; `sen` `K` → "SEN support"; `gender` `F` → "girls";
    /// `prior_attainment_band` `low` → "low prior attainment"; `not F` (each-vs-rest) → "not girls".
    public static func value(_ value: String, of characteristic: String) -> String {
        if value.hasPrefix("not ") { return "not " + Self.value(String(value.dropFirst(4)), of: characteristic) }
        switch (characteristic, value) {
        case (Characteristic.disadvantaged, "true"): return "disadvantaged"
        case (Characteristic.disadvantaged, "false"): return "not disadvantaged"
        case (Characteristic.eal, "true"): return "EAL"
        case (Characteristic.eal, "false"): return "not EAL"
        case (Characteristic.lookedAfter, "true"): return "looked after"
        case (Characteristic.lookedAfter, "false"): return "not looked after"
        case (Characteristic.sen, SENStatus.senSupport.rawValue): return "SEN support"
        case (Characteristic.sen, SENStatus.ehcPlan.rawValue): return "EHC plan"
        case (Characteristic.sen, SENStatus.none.rawValue): return "no SEN"
        case (Characteristic.gender, "F"): return "girls"
        case (Characteristic.gender, "M"): return "boys"
        case (Characteristic.priorAttainmentBand, "none"): return "no KS2 result"
        case (Characteristic.priorAttainmentBand, _): return "\(value) prior attainment"
        case (_, "true"): return "yes"
        case (_, "false"): return "no"
        default: return value
        }
    }

    /// One row's label for a gap: "disadvantaged vs not disadvantaged", "SEN support vs no SEN",
    /// "girls vs boys", "low vs middle prior attainment".
    public static func gap(characteristic: String, group: String, comparison: String) -> String {
        if characteristic == Characteristic.priorAttainmentBand, !group.hasPrefix("not "), group != "none", comparison != "none" {
            return "\(group) vs \(comparison) prior attainment"
        }
        let a = value(group, of: characteristic), b = value(comparison, of: characteristic)
        let known: Set<String> = [Characteristic.disadvantaged, Characteristic.sen, Characteristic.eal, Characteristic.lookedAfter,
                                  Characteristic.gender, Characteristic.priorAttainmentBand]
        return known.contains(characteristic) ? "\(a) vs \(b)" : "\(Self.characteristic(characteristic)): \(a) vs \(b)"
    }

    /// ``gap(characteristic:group:comparison:)`` of a computed gap.
    public static func gap(_ gap: SubgroupGap) -> String {
        Self.gap(characteristic: gap.characteristic, group: gap.group, comparison: gap.comparison)
    }

    /// What an integrity check finds, as a plural noun phrase for "who must fix how many of what".
    public static func check(_ check: Finding.Check) -> String {
        switch check {
        case .missingEntries: "missing entries"
        case .offScale: "grades not on the subject's scale"
        case .duplicatePupil: "possible duplicate pupils"
        case .swing: "large swings between collections"
        case .copiedForward: "grades copied forward unchanged"
        case .noClass: "pupils in no class"
        case .missingKS2: "pupils without a KS2 result"
        case .invalidUPN: "invalid or temporary UPNs"
        case .noUPN: "pupils without a UPN"
        case .noTarget: "classes with pupils without a target"
        case .late: "entries made after the deadline"
        case .notSat: "entries not sat (X)"
        case .gradesEqualTargets: "classes whose grades all equal the targets"
        case .atlSpread: "classes with unusual ATL scores"
        case .characteristicChanged: "characteristics changed during the year"
        }
    }
}
