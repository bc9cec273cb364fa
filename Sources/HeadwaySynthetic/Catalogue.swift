import HeadwayCore

/// The scale family a demo subject's grades are on.
enum ScaleKind: Sendable {
    /// GCSE 9–1 (``GradeScale/gcse``), optionally with fine grades.
    case gcse
    /// GCSE combined science double grades (``GradeScale/combinedScience``).
    case combinedScience

    var scaleID: GradeScale.ID {
        switch self {
        case .gcse: GradeScale.gcseID
        case .combinedScience: GradeScale.combinedScienceID
        }
    }

    /// Half a step of the scale's grid in grade points.
    var halfStep: Double {
        switch self {
        case .gcse: 0.5
        case .combinedScience: 0.25
        }
    }
}

/// Which KS2 score predicts a subject best.
enum PriorWeight: Sendable {
    case reading, maths, both
}

/// One subject of the demo school and how it is generated.
struct SubjectSpec: Sendable {
    let id: Subject.ID
    let name: String
    /// Used in class codes: `10X/Ma1`.
    let abbreviation: String
    let kind: ScaleKind
    let distribution: NationalGradeDistribution
    let qualification: String?
    /// What the subject counts as in the KS4 measures; nil for Key Stage 3 science, which leads
    /// to no qualification itself (Key Stage 4 pupils take combined science, `CS`).
    let ks4Category: KS4Category?
    /// Index into ``DepartmentSpec/catalogue``.
    let department: Int
    /// Classes set by prior attainment (set 1 highest) rather than mixed.
    let setted: Bool
    let prior: PriorWeight
    /// Added to girls' and taken from boys' subject score, in standard deviations (a small,
    /// realistic gender gap: girls ahead in English and the arts, boys slightly in maths and PE).
    let girlsEffect: Double

    var subject: Subject {
        Subject(id: id, name: name, scale: kind.scaleID, atlScale: GradeScale.atlID, qualification: qualification, ks4Category: ks4Category)
    }

    /// Subject indices, for readable code. English literature (`el`) came last, after the rest of
    /// the school was settled: appended rather than placed beside English, so that adding it moved
    /// none of the other subjects' random draws.
    static let en = 0, ma = 1, sc = 2, cs = 3, hi = 4, ge = 5, fr = 6, sp = 7, ar = 8, co = 9, pe = 10, re = 11, dr = 12, bs = 13,
               el = 14

    /// Every subject, in the order used everywhere (subjects list, a pupil's subjects, classes).
    /// At most 16 subjects: the generator keys pupil–subject pairs as pupil × 16 + subject.
    static let catalogue: [SubjectSpec] = {
        func jcq(_ alias: String) -> NationalGradeDistribution { NationalGradeDistribution.england16_2024(alias)! }
        return [
            SubjectSpec(id: "EN", name: "English", abbreviation: "En", kind: .gcse, distribution: jcq("ENLA"),
                        qualification: "GCSE", ks4Category: .englishLanguage, department: 0, setted: true, prior: .reading, girlsEffect: 0.15),
            SubjectSpec(id: "MA", name: "Mathematics", abbreviation: "Ma", kind: .gcse, distribution: jcq("MATH"),
                        qualification: "GCSE", ks4Category: .maths, department: 1, setted: true, prior: .maths, girlsEffect: -0.03),
            SubjectSpec(id: "SC", name: "Science", abbreviation: "Sc", kind: .gcse, distribution: jcq("SCID"),
                        qualification: nil, ks4Category: nil, department: 2, setted: true, prior: .both, girlsEffect: 0),
            SubjectSpec(id: "CS", name: "Combined Science", abbreviation: "Cs", kind: .combinedScience, distribution: jcq("SCID"),
                        qualification: "GCSE", ks4Category: .combinedScience, department: 2, setted: true, prior: .both, girlsEffect: 0),
            SubjectSpec(id: "HI", name: "History", abbreviation: "Hi", kind: .gcse, distribution: jcq("HIST"),
                        qualification: "GCSE", ks4Category: .history, department: 3, setted: false, prior: .both, girlsEffect: 0.03),
            SubjectSpec(id: "GE", name: "Geography", abbreviation: "Gg", kind: .gcse, distribution: jcq("GEOG"),
                        qualification: "GCSE", ks4Category: .geography, department: 4, setted: false, prior: .both, girlsEffect: 0.03),
            SubjectSpec(id: "FR", name: "French", abbreviation: "Fr", kind: .gcse, distribution: jcq("FREN"),
                        qualification: "GCSE", ks4Category: .language, department: 5, setted: false, prior: .reading, girlsEffect: 0.1),
            SubjectSpec(id: "SP", name: "Spanish", abbreviation: "Sp", kind: .gcse, distribution: jcq("SPAN"),
                        qualification: "GCSE", ks4Category: .language, department: 5, setted: false, prior: .reading, girlsEffect: 0.1),
            SubjectSpec(id: "AR", name: "Art and Design", abbreviation: "Ar", kind: .gcse, distribution: jcq("ARTD"),
                        qualification: "GCSE", ks4Category: .other, department: 6, setted: false, prior: .both, girlsEffect: 0.2),
            SubjectSpec(id: "CO", name: "Computing", abbreviation: "Co", kind: .gcse, distribution: jcq("COMP"),
                        qualification: "GCSE", ks4Category: .computerScience, department: 7, setted: false, prior: .maths, girlsEffect: -0.02),
            SubjectSpec(id: "PE", name: "Physical Education", abbreviation: "Pe", kind: .gcse, distribution: jcq("PHED"),
                        qualification: "GCSE", ks4Category: .other, department: 8, setted: false, prior: .both, girlsEffect: -0.05),
            SubjectSpec(id: "RE", name: "Religious Studies", abbreviation: "Re", kind: .gcse, distribution: jcq("RELS"),
                        qualification: "GCSE", ks4Category: .other, department: 9, setted: false, prior: .reading, girlsEffect: 0.1),
            SubjectSpec(id: "DR", name: "Drama", abbreviation: "Dr", kind: .gcse, distribution: jcq("DRAM"),
                        qualification: "GCSE", ks4Category: .other, department: 10, setted: false, prior: .reading, girlsEffect: 0.15),
            SubjectSpec(id: "BS", name: "Business", abbreviation: "Bs", kind: .gcse, distribution: jcq("BUSS"),
                        qualification: "GCSE", ks4Category: .other, department: 11, setted: false, prior: .both, girlsEffect: 0),
            // Key Stage 4 only, alongside English (its English language): the same classes and
            // teachers (see ``Generator/makeLiteratureGroups()``), grades from the pupil's English.
            // The same gender gap as language (JCQ 2024: girls 11.7 points ahead at 4+ in both).
            SubjectSpec(id: "EL", name: "English Literature", abbreviation: "El", kind: .gcse, distribution: jcq("ENLI"),
                        qualification: "GCSE", ks4Category: .englishLiterature, department: 0, setted: true, prior: .reading, girlsEffect: 0.15),
        ]
    }()

    /// Key Stage 3 (Years 7–9): everyone takes these, with French or Spanish by tutor group.
    static let keyStage3Core = [en, ma, sc, hi, ge, ar, co, pe, re]
    /// Key Stage 4 (Years 10–11) core: English (language), maths, combined science, RE
    /// (full-course GCSE) and English literature — as in almost every English secondary school,
    /// so that English is double weighted in Attainment 8 and pupils can enter the EBacc.
    static let keyStage4Core = [en, ma, cs, re, el]
    /// Key Stage 4 options (a pupil takes four; the language is their Key Stage 3 one).
    static let keyStage4OptionPool = [hi, ge, ar, co, pe, dr, bs]
    /// Relative popularity of ``keyStage4OptionPool`` when filling a pupil's option slots.
    static let keyStage4OptionWeights: [Double] = [0.35, 0.35, 0.6, 0.5, 0.55, 0.4, 0.55]
}

/// A department: who teaches which subjects, and how many teachers it has at 220 pupils a year.
struct DepartmentSpec: Sendable {
    let name: String
    let subjects: [Int]
    let baseSize: Int

    static let catalogue: [DepartmentSpec] = [
        DepartmentSpec(name: "English", subjects: [SubjectSpec.en, SubjectSpec.el], baseSize: 8),
        DepartmentSpec(name: "Mathematics", subjects: [SubjectSpec.ma], baseSize: 8),
        DepartmentSpec(name: "Science", subjects: [SubjectSpec.sc, SubjectSpec.cs], baseSize: 8),
        DepartmentSpec(name: "History", subjects: [SubjectSpec.hi], baseSize: 4),
        DepartmentSpec(name: "Geography", subjects: [SubjectSpec.ge], baseSize: 4),
        DepartmentSpec(name: "Modern Languages", subjects: [SubjectSpec.fr, SubjectSpec.sp], baseSize: 5),
        DepartmentSpec(name: "Art", subjects: [SubjectSpec.ar], baseSize: 3),
        DepartmentSpec(name: "Computing", subjects: [SubjectSpec.co], baseSize: 3),
        DepartmentSpec(name: "Physical Education", subjects: [SubjectSpec.pe], baseSize: 4),
        DepartmentSpec(name: "Religious Studies", subjects: [SubjectSpec.re], baseSize: 4),
        DepartmentSpec(name: "Drama", subjects: [SubjectSpec.dr], baseSize: 1),
        DepartmentSpec(name: "Business", subjects: [SubjectSpec.bs], baseSize: 1),
    ]
}

/// Grades of the built-in scales by grade points, looked up by index (no string parsing while
/// generating tens of thousands of entries).
enum GradeTable {
    /// `U`, `1` … `9`, indexed by whole grade 0…9.
    static let gcseWhole: [GradeScale.Grade] = (0...9).map { GradeScale.gcse.grade($0 == 0 ? "U" : String($0))! }

    /// Fine grades indexed by points × 3, 0…27: 0 and 1 → `U`, 2 → `1-`, 3 → `1`, 4 → `1+`, … 27 → `9`.
    static let gcseThirds: [GradeScale.Grade] = (0...27).map { k in
        if k < 2 { return GradeScale.gcse.grade("U")! }
        let n = Int((Double(k) / 3).rounded())
        let suffix = k - 3 * n == -1 ? "-" : k - 3 * n == 1 ? "+" : ""
        return GradeScale.gcse.grade("\(n)\(suffix)")!
    }

    /// Combined-science double grades indexed by points × 2, 0…18: 0 and 1 → `U`, 2 → `1-1`,
    /// 3 → `2-1`, 4 → `2-2`, … 18 → `9-9`.
    static let combinedHalves: [GradeScale.Grade] = (0...18).map { p2 in
        if p2 < 2 { return GradeScale.combinedScience.grade("U")! }
        let high = (p2 + 1) / 2
        let low = p2 / 2
        return GradeScale.combinedScience.grade("\(high)-\(low)")!
    }

    /// ATL `1`…`4`, indexed 1…4 (index 0 unused).
    static let atl: [GradeScale.Grade] = (0...4).map { GradeScale.atl.grade(String(max($0, 1)))! }

    /// The grade nearest `points` on the scale's grid: whole grades, or fine grades (thirds) when
    /// `fine` is set, or combined-science halves.
    static func grade(points: Double, kind: ScaleKind, fine: Bool) -> GradeScale.Grade {
        switch kind {
        case .gcse where fine:
            return gcseThirds[clamp(Int((points * 3).rounded()), 0, 27)]
        case .gcse:
            return gcseWhole[clamp(Int(points.rounded()), 0, 9)]
        case .combinedScience:
            return combinedHalves[clamp(Int((points * 2).rounded()), 0, 18)]
        }
    }

    /// The whole grade `n` (0 = U … 9): `n`, or `n-n` in combined science.
    static func whole(_ n: Int, kind: ScaleKind) -> GradeScale.Grade {
        switch kind {
        case .gcse: gcseWhole[clamp(n, 0, 9)]
        case .combinedScience: combinedHalves[clamp(2 * n, 0, 18)]
        }
    }

    /// The grade one step of the scale's grid above `grade` (below it at the top of the scale).
    static func neighbour(of grade: GradeScale.Grade, kind: ScaleKind, fine: Bool) -> GradeScale.Grade {
        let step: Double = kind == .combinedScience ? 0.5 : fine ? 1.0 / 3 : 1
        let up = self.grade(points: grade.points + step, kind: kind, fine: fine)
        if up.code != grade.code { return up }
        return self.grade(points: grade.points - step, kind: kind, fine: fine)
    }
}

func clamp<T: Comparable>(_ value: T, _ low: T, _ high: T) -> T {
    min(max(value, low), high)
}
