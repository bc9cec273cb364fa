/// One exam result as an awarding body reports it to the school: which pupil (and under which
/// candidate number), which qualification, the grade as awarded, and the series it was awarded in.
/// What `headway import results` reads and the store keeps; the KS4 measures are computed from
/// it (`headway ks4 --stored`) by turning it into a ``KS4Result``.
///
/// Identity (the stored key, together with the school): the pupil, the ``resultKey`` (the
/// qualification number when there is one, else the subject key) and the ``series`` date. A
/// re-sit of the same qualification in a later series is a second result; which one counts is
/// decided by discounting (``KS4Result/overlaps(_:)``: the better of two overlapping results).
///
/// Rules and their sources:
/// - **Qualification number (QN)**: the DfE's 8-character number (Ofqual's qualification number
///   without its `/` separators), digits with an optional final check character `X`, e.g.
///   `60146084` (AQA GCSE (9-1) Mathematics) or `6018758X` (AQA Combined Science: Trilogy). Its
///   points per grade, EBacc pillar and discount code come from the DfE KS4 qualification lists
///   (HeadwayImport's `KS4QualificationTable`, `data/dfe-ks4-qualifications-2019/`). Stored upper
///   case.
/// - **Subject key**: when the file gives no QN, the subject as `KS4Result` keys it
///   (`english_language`, `maths`, `combined_science`, `history`, `french`, `art` …, as in
///   `shared/reference/a8-p8-worked-examples.csv`); its category follows
///   ``KS4Category/init(subjectKey:)``.
/// - **Grade**: kept exactly as awarded (trimmed): `7`, `6-5`, `U`, `X`, `L2 Distinction*` —
///   never as a number, because the points belong to the qualification and the year's DfE table,
///   not to the result (ARCHITECTURE.md: no floating point for a stored grade).
/// - **Candidate number**: the exam-centre candidate number (JCQ: four digits, unique within a
///   centre and series); text, so leading zeros are kept (`0042`).
/// - **Series**: the date the result was issued (results day, e.g. 2026-08-20 for the summer 2026
///   GCSE series); ``seriesName`` is an optional label (`June 2026`).
public struct ExamResult: Hashable, Sendable, Codable {
    /// The school's id of the pupil (text; leading zeros kept).
    public var pupil: Pupil.ID
    /// The exam-centre candidate number as text (`0042`), nil when not given.
    public var candidateNumber: String?
    /// The DfE / Ofqual qualification number, upper case (`6018758X`); nil when the result is known
    /// only by its subject.
    public var qualificationNumber: String?
    /// Subject key, lower case with `_` (`english_literature`); nil for a result known only by its QN.
    public var subject: String?
    /// The grade as awarded, trimmed (`6-5`, `L2 Distinction*`, `U`, `X`).
    public var grade: String
    /// The grade with its points and slots when known (read on import against the QN's grades or
    /// the GCSE / combined-science scale); nil when not worked out, e.g. as loaded from the store,
    /// which keeps only the grade as awarded.
    public var ks4Grade: KS4Grade?
    /// The series: the date the result was issued (results day), e.g. 2026-08-20.
    public var series: CalendarDate
    /// A label for the series, e.g. `June 2026`; nil when not given.
    public var seriesName: String?
    /// The awarding body, e.g. `AQA`, `Pearson`; nil when not given.
    public var awardingBody: String?
    /// A name to show, e.g. "AQA GCSE (9-1) in History"; nil to show the QN's title or subject key.
    public var subjectName: String?

    /// A result; give a `qualificationNumber`, a `subject`, or both.
    public init(pupil: Pupil.ID, candidateNumber: String? = nil, qualificationNumber: String? = nil, subject: String? = nil,
                grade: String, ks4Grade: KS4Grade? = nil, series: CalendarDate, seriesName: String? = nil,
                awardingBody: String? = nil, subjectName: String? = nil) {
        self.pupil = pupil
        self.candidateNumber = candidateNumber
        self.qualificationNumber = qualificationNumber
        self.subject = subject
        self.grade = grade
        self.ks4Grade = ks4Grade
        self.series = series
        self.seriesName = seriesName
        self.awardingBody = awardingBody
        self.subjectName = subjectName
    }

    /// What identifies the result within the pupil's series: the QN when there is one, else the
    /// subject key (empty only for a value built with neither, which no reader produces).
    public var resultKey: String { qualificationNumber ?? subject ?? "" }
}
