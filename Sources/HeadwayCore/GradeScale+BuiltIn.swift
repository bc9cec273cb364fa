/// The scales every school gets without configuring anything. Each is plain data built here so
/// that it can be listed, stored and compared exactly like a school's own scale.
extension GradeScale {
    public static let gcseID: ID = "gcse-9-1"
    public static let combinedScienceID: ID = "gcse-combined-science"
    public static let zeroToTwentyID: ID = "numeric-0-20"
    public static let percentageID: ID = "percentage"
    public static let atlID: ID = "atl-1-4"
    /// The unit of GCSE-family scales: one point is one GCSE grade.
    public static let gcsePointsUnit = "GCSE grade"

    /// GCSE 9–1 (reformed GCSE, England, first awarded 2017) with the fine grades schools use for
    /// working-at grades: `7+` (7⅓ points), `7`, `7-` (6⅔), the split grade `7/6` (6.5), and `U` (0).
    /// Distributions count `7+`, `7` and `7-` as a 7 and a split `7/6` as a 6 (not yet a secure 7).
    /// Points: DfE secondary accountability guidance (9 → 9 … 1 → 1, U → 0).
    public static let gcse: GradeScale = {
        var grades = [Grade(code: "U", points: 0, label: "Ungraded")]
        grades.append(Grade(code: "1/U", points: 0.5, band: "U"))
        for g in 1...9 {
            let whole = String(g)
            grades.append(Grade(code: "\(g)-", points: Double(g) - 1.0 / 3, band: whole))
            grades.append(Grade(code: whole, points: Double(g)))
            if g < 9 {
                grades.append(Grade(code: "\(g)+", points: Double(g) + 1.0 / 3, band: whole))
                grades.append(Grade(code: "\(g + 1)/\(g)", points: Double(g) + 0.5, band: whole))
            }
        }
        return GradeScale(id: gcseID, name: "GCSE 9–1", grades: grades, pointsUnit: gcsePointsUnit)
    }()

    /// GCSE combined science (double award), a 17-point scale from `9-9` to `1-1` plus `U`; the two
    /// grades are equal or adjacent. Points are the mean of the pair (`6-5` → 5.5) and the award
    /// fills two slots (DfE secondary accountability guidance; AQA). `6/5` is read as `6-5`.
    public static let combinedScience: GradeScale = {
        var grades = [Grade(code: "U", points: 0, label: "Ungraded", aliases: ["U-U"], slots: 2)]
        for high in 1...9 {
            for low in [high - 1, high] where low >= 1 {
                grades.append(Grade(code: "\(high)-\(low)", points: Double(high + low) / 2,
                                    aliases: ["\(high)/\(low)"], slots: 2))
            }
        }
        return GradeScale(id: combinedScienceID, name: "GCSE combined science 9-9 to 1-1", grades: grades, pointsUnit: gcsePointsUnit)
    }()

    /// A 0–20 mark scale (as in Portugal and France) in steps of 0.5; a swing is 5 points.
    public static let zeroToTwenty = GradeScale(
        id: zeroToTwentyID, name: "0–20",
        numeric: NumericRange(minimum: 0, maximum: 20, step: 0.5, binWidth: 1))

    /// A percentage, 0–100 in steps of 0.1; distributions in bands of 10; a swing is 25 points.
    public static let percentage = GradeScale(
        id: percentageID, name: "Percentage",
        numeric: NumericRange(minimum: 0, maximum: 100, step: 0.1, binWidth: 10))

    /// Attitude to learning, 1–4, where 1 is best. Lower is better on this scale.
    public static let atl = GradeScale(
        id: atlID, name: "Attitude to learning 1–4",
        grades: [
            Grade(code: "1", points: 1, label: "Excellent"),
            Grade(code: "2", points: 2, label: "Good"),
            Grade(code: "3", points: 3, label: "Requires improvement"),
            Grade(code: "4", points: 4, label: "Cause for concern"),
        ],
        higherIsBetter: false)

    /// Every built-in scale, keyed by id.
    public static let builtIn: [ID: GradeScale] = Dictionary(
        uniqueKeysWithValues: [gcse, combinedScience, zeroToTwenty, percentage, atl].map { ($0.id, $0) })
}
