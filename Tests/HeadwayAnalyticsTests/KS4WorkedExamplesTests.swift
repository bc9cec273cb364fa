import HeadwayAnalytics
import HeadwayCore
import HeadwayTestSupport
import Testing

/// Every row of `shared/reference/a8-p8-worked-examples.csv` (computed by the DfE-rules oracle
/// and hand-checked) against Headway: slots, element totals, A8, group, estimates, P8 and element
/// scores, exactly as given.
@Suite struct KS4WorkedExamplesTests {
    @Test func workedExamplesFileHasTwelvePupils() {
        #expect(WorkedExample.all.map(\.id) == (1...12).map { String(format: "P%02d", $0) })
    }

    @Test(arguments: WorkedExample.all)
    func attainment8MatchesTheOracle(_ example: WorkedExample) throws {
        let a8 = Attainment8.compute(example.results)
        #expect(a8.englishDoubleWeighted == (example["english_double_weighted"] == "1"))
        #expect(a8.englishHundredths == hundredths(example["english_elem"]))
        #expect(a8.mathsHundredths == hundredths(example["maths_elem"]))
        #expect(a8.ebaccHundredths == hundredths(example["ebacc_elem"]))
        #expect(a8.openHundredths == hundredths(example["open_elem"]))
        #expect(a8.labels(.ebacc).joined(separator: "|") == example["ebacc_slots"])
        #expect(a8.labels(.open).joined(separator: "|") == example["open_slots"])
        #expect(a8.totalHundredths == hundredths(example["a8"]))
        #expect(a8.slots.count == 10)
    }

    @Test(arguments: WorkedExample.all)
    func progress8MatchesTheOracle(_ example: WorkedExample) throws {
        let pupil = example.pupil
        let a8 = Attainment8.compute(pupil.results)
        let p8 = Progress8.compute(a8, prior: pupil.prior, estimates: .ks4_2023)
        guard !example["pag"].isEmpty else {
            #expect(p8 == nil, "no KS2: A8 counts, P8 not calculated")
            #expect(example["estimate_table"].hasPrefix("n/a"))
            return
        }
        let p = try #require(p8)
        #expect(example["estimate_table"].contains("KS4 2023"))
        #expect(p.tableYear == 2023)
        #expect(String(p.estimate.group) == example["pag"])
        #expect(hundredths(String(p.ks2Average)) == hundredths(example["ks2_avg"]))
        #expect(Int((p.estimate.total * 100).rounded()) == hundredths(example["a8_estimate"]))
        for (column, value) in [("est_english", p.estimate.english), ("est_maths", p.estimate.maths),
                                ("est_ebacc", p.estimate.ebacc), ("est_open", p.estimate.open)] {
            #expect(value.map { Int(($0 * 100).rounded()) } == hundredths(example[column]), "\(column)")
        }
        // P8 = difference / 1000 exactly: the oracle's p8_exact in thousandths is the difference in hundredths.
        #expect(p.overall.differenceHundredths == scaled(example["p8_exact"], places: 3))
        #expect(p.overall.roundedHundredths == hundredths(example["p8_2dp"]))
        #expect(p.overall.roundedText == example["p8_2dp"])
        #expect(abs(p.overall.exact - Double(example["p8_exact"])!) < 1e-12)
        for (column, score) in [("p8_english", p.english), ("p8_maths", p.maths), ("p8_ebacc", p.ebacc), ("p8_open", p.open)] {
            #expect(score?.roundedHundredths == hundredths(example[column]), "\(column)")
            #expect(score?.roundedText == example[column], "\(column)")
        }
    }

    /// The path `headway ks4` takes after reading the file: the cohort table's cells equal the
    /// oracle's under every column the two share (the reader's half is `KS4ResultsFileTests`).
    @Test func cohortTableReproducesEveryWorkedExampleCell() throws {
        let cohort = KS4Cohort(WorkedExample.all.map(\.pupil), estimates: .ks4_2023)
        let header = KS4Cohort.tableHeader
        let rows = cohort.tableRows
        try #require(rows.count == WorkedExample.all.count)
        let shared = header.filter { WorkedExample.all[0].row[$0] != nil && $0 != "estimate_table" }
        #expect(shared.count == 23, "\(shared)")
        for (row, example) in zip(rows, WorkedExample.all) {
            #expect(row.count == header.count)
            #expect(row[0] == example.id)
            for column in shared {
                let cell = row[header.firstIndex(of: column)!]
                #expect(cell == example[column], "\(example.id) \(column)")
            }
        }
        // Each slot's content, for P01.
        let p01 = rows[0]
        func cell(_ name: String) -> String { p01[header.firstIndex(of: name)!] }
        #expect(cell("english_1") == "english_language 6 (6)")
        #expect(cell("english_2") == "english_language 6 (6)")
        #expect(cell("ebacc_2") == "combined_science#1 6-5 (5.5)")
        #expect(cell("open_3") == "french 5 (5)")
        #expect(cell("estimate_table") == "KS4 2023 national A8 estimates (DfE), KS4 2023")
        // P04 has an empty open element and a single-weighted English.
        let p04 = rows[3]
        #expect(p04[header.firstIndex(of: "english_2")!] == "")
        #expect(p04[header.firstIndex(of: "open_1")!] == "")
        #expect(rows[4][header.firstIndex(of: "estimate_table")!] == "n/a - excluded from P8 (no KS2)")
    }

    @Test func schoolSummaryOfTheWorkedExamples() throws {
        let cohort = KS4Cohort(WorkedExample.all.map(\.pupil), estimates: .ks4_2023)
        let school = cohort.school
        #expect(school.pupils == 12)
        #expect(school.count == 11)
        #expect(school.pupilsWithoutKS2 == 1)
        // Sum of the 11 oracle p8_exact values, in thousandths, divided by 11.
        let sum = WorkedExample.all.compactMap { scaled($0["p8_exact"], places: 3) }.reduce(0, +)
        #expect(school.sumDifferenceHundredths == sum)
        #expect(abs(school.score! - Double(sum) / 11_000) < 1e-12)
        let half = 1.96 * 1.2827 / Double(11).squareRoot()
        #expect(abs(school.lower! - (school.score! - half)) < 1e-12)
        #expect(abs(school.upper! - (school.score! + half)) < 1e-12)
        #expect(school.band == SchoolProgress8.Band(score: school.score!, lower: school.lower!, upper: school.upper!))
        let mean = Double(WorkedExample.all.compactMap { hundredths($0["a8"]) }.reduce(0, +)) / 1200
        #expect(abs(cohort.meanAttainment8! - mean) < 1e-12)
        let lines = cohort.summaryLines
        #expect(lines[0].hasPrefix("12 pupils, mean A8 \(String(format: "%.2f", mean)); P8 "))
        #expect(lines[0] == "12 pupils, mean A8 49.17; P8 0.37 (95% CI -0.39 to 1.12, n = 11), average, 1 pupil without KS2 (in A8, not P8); EBacc entry 41.7%, EBacc APS 4.49; basics 4+ 75.0%, 5+ 58.3%")
        #expect(lines[0].contains("n = 11"))
        #expect(lines[0].contains("1 pupil without KS2 (in A8, not P8)"))
        #expect(lines[1].contains("KS4 2023"))
    }

    @Test func explanationShowsTheWorking() {
        let p01 = WorkedExample.all[0]
        let a8 = Attainment8.compute(p01.results)
        #expect(a8.explanation == [
            "English: english_language 6 counted twice (both English language and literature taken) = 12",
            "Maths: maths 7 counted twice = 14",
            "EBacc: history 6, combined_science#1 6-5 (5.5), combined_science#2 6-5 (5.5) = 17",
            "Open: art 7, english_literature 5, french 5 = 17",
            "Not counted: music 4 — no slot left: better results fill the EBacc and open slots",
            "Attainment 8 = 12 + 14 + 17 + 17 = 60",
        ])
        let p8 = Progress8.compute(a8, prior: p01.pupil.prior, estimates: .ks4_2023)!
        #expect(p8.explanation(tableName: AttainmentEstimates.ks4_2023.name)[0] == "KS2 average 106 → prior attainment group 20 (105.5–106), A8 estimate 47.68 on KS4 2023 national A8 estimates (DfE) (KS4 2023)")
        #expect(p8.explanation(tableName: AttainmentEstimates.ks4_2023.name)[1] == "Progress 8 = (60 − 47.68) ÷ 10 = 1.232 → 1.23")
        #expect(p8.explanation(tableName: AttainmentEstimates.ks4_2023.name)[3] == "Maths element = (14 − 9.39) ÷ 2 = 2.31")
    }
}
