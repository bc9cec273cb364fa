import ArgumentParser
import HeadwayAnalytics
import HeadwayCore

/// `headway explain --pupil`: how one pupil's figures were worked out.
struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how a pupil's targets were set, where they stand against their flight path, and (Years 10–11) their forecast A8/P8 slot by slot.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var schoolOptions: SchoolOptions

    @Option(help: ArgumentHelp("The pupil's UPN, id (admission number) or name ('Surname, Forename').", valueName: "pupil"))
    var pupil: String

    func run() async throws {
        let year = try await loadYear(global, schoolOptions)
        let found = try findPupil(pupil, in: year)
        print(Explain.describe(found, in: YearIndex(year)))
    }

    static func describe(_ pupil: Pupil, in index: YearIndex) -> String {
        let year = index.year
        var out = "\(pupil.displayName) — \(pupil.id)\(pupil.upn.map { " (UPN \($0))" } ?? ""), Year \(pupil.yearGroup)\(pupil.tutorGroup.map { ", tutor group \($0)" } ?? "")\n"
        if let prior = pupil.priorAttainment, let average = prior.average {
            out += "KS2: reading \(prior.readingScaledScore.map(String.init) ?? "none"), maths \(prior.mathsScaledScore.map(String.init) ?? "none"); "
            out += "average \(String(format: "%.1f", average)) (\(prior.band!.rawValue) prior attainment)\n"
        } else {
            out += "KS2: no reading or maths score, so no generated target and no Progress 8.\n"
        }
        let responsible = year.responsibleStaff(forYearGroup: pupil.yearGroup)
        out += "Responsible for Year \(pupil.yearGroup) in \(year.academicYear): "
            + (responsible.isEmpty ? "nobody named" : responsible.map { "\($0.displayName) (\($0.id))" }.joined(separator: ", ")) + "\n"
        let interventions = year.interventions.filter { $0.pupils.contains(pupil.id) }
        if !interventions.isEmpty {
            out += "Interventions: " + interventions.map { i in
                "\(i.id) \(i.type.words)\(i.subjects.isEmpty ? "" : " (\(i.subjects.map(\.rawValue).joined(separator: ", ")))") "
                    + "from \(i.starts)\(i.ends.map { " to \($0)" } ?? "")"
            }.joined(separator: "; ") + "\n"
        }

        let targets = year.targets.filter { $0.pupil == pupil.id }.sorted { $0.subject < $1.subject }
        out += "\nTargets\n"
        if targets.isEmpty { out += "  none\n" }
        for target in targets {
            let name = index.subjects[target.subject]?.name ?? target.subject.rawValue
            out += "  \(name): \(target.grade.stored) (\(target.method.rawValue)"
            if let by = target.setBy { out += ", set by \(by)" }
            out += ")"
            if let generated = target.generated, target.method == .override {
                out += "; generated value \(generated.stored) kept; reason: \(target.reason ?? "none given")"
            }
            out += "\n"
            if let calculation = target.calculation { out += "    \(calculation.explanation)\n" }
        }

        let analysis = YearAnalysis.compute(index)
        if let collection = analysis.collection {
            let statuses = analysis.evaluation.statuses.filter { $0.pupil == pupil.id && $0.collection == collection.id }
            out += "\nAt \(collection.name) against the flight path (grades)\n"
            out += Terminal.table(
                ["subject", "working at", "expected", "residual", "status", "since last"],
                statuses.sorted { $0.subject < $1.subject }.map {
                    [index.subjects[$0.subject]?.name ?? $0.subject.rawValue, $0.workingAt.code, String(format: "%.2f", $0.expected),
                     String(format: "%+.2f", $0.residual), $0.band.description, $0.trend?.rawValue ?? "–"]
                }) + "\n"
            let unrated = analysis.evaluation.unrated.filter { $0.pupil == pupil.id && $0.collection == collection.id }
            for u in unrated { out += "  \(index.subjects[u.subject]?.name ?? u.subject.rawValue): no status (\(u.reason.rawValue))\n" }
        }

        for forecast in analysis.forecasts {
            guard let measures = forecast.cohort.pupils.first(where: { $0.id == pupil.id }) else { continue }
            out += "\nForecast Attainment 8 from predicted grades at \(forecast.collection) (GCSEs \(forecast.cohortYear))\n"
            out += measures.attainment8.explanation.map { "  " + $0 }.joined(separator: "\n") + "\n"
            if let p8 = measures.progress8 {
                out += "\nForecast Progress 8\n" + p8.explanation(tableName: forecast.cohort.basis.tableName).map { "  " + $0 }.joined(separator: "\n") + "\n"
                out += "  \(forecast.cohort.basis.label)\n"
            } else {
                out += "  No Progress 8: no KS2 prior attainment (the pupil counts in A8, not in P8).\n"
            }
        }
        return out
    }
}
