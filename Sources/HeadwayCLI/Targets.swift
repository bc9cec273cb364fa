import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayImport
import HeadwayStore

/// `headway targets`: generate, import and override pupils' targets. Every change is audited.
struct Targets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set pupils' targets: generate them from KS2, import them, or override one with a reason.",
        subcommands: [Generate.self, ImportFile.self, Override.self])

    /// `headway targets generate`.
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate targets from KS2 prior attainment for every pupil and subject (never for a pupil without KS2).",
            discussion: """
                estimate: the DfE KS4 2023 A8 element estimate for the pupil's KS2 group, per slot (English ÷ 2, maths ÷ 2, \
                EBacc ÷ 3, open ÷ 3), rounded on the subject's scale. percentile: the grade at the pupil's national KS2 \
                percentile in the subject's national GCSE distribution (JCQ). Imported and overridden targets are kept.
                """)

        enum Method: String, ExpressibleByArgument, CaseIterable { case estimate, percentile }

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions

        @Option(help: "estimate or percentile.")
        var method: Method = .estimate

        @Option(help: ArgumentHelp("Raise every generated target by this many grades (aspiration).", valueName: "grades"))
        var uplift: Double = 0

        @Option(name: .customLong("top-share"), help: ArgumentHelp(
            "percentile method: aim at the grade the top share of similar pupils reach, e.g. 0.2 for the top 20%.", valueName: "share"))
        var topShare: Double?

        @Flag(help: "Adjust for each subject's national difficulty (JCQ).")
        var difficulty = false

        @Flag(help: "Show what would change and save nothing.")
        var dryRun = false

        func validate() throws {
            if let topShare, !(0 < topShare && topShare < 1) { throw ValidationError("--top-share must be between 0 and 1, e.g. 0.2.") }
            if topShare != nil && method != .percentile { throw ValidationError("--top-share applies to --method percentile only.") }
        }

        func run() async throws {
            try await withStore(global) { store in
                let (school, academicYear) = try await selectYear(schoolOptions, in: store)
                var year = try await store.load(school: school, year: academicYear)
                let policy = TargetPolicy(method: method == .estimate ? .estimate : .percentile, upliftGrades: uplift, topShare: topShare,
                                          adjustForDifficulty: difficulty)
                let result = TargetGeneration.generate(year, plan: TargetPlan(standard: policy))
                year.targets = result.targets
                let summary = try await store.save(year, context: ChangeContext(actor: "headway targets generate", source: "user",
                                                                                reason: "generated: \(policy.method.rawValue)", at: Date()),
                                                   dryRun: dryRun)
                print("\(result.generated.count) targets generated, \(result.kept.count) imported or overridden kept.")
                print("\(summary.targets.new) new, \(summary.targets.changed) changed, \(summary.targets.unchanged) unchanged\(dryRun ? " (dry run: nothing saved)" : "").")
                if !result.withoutPriorAttainment.isEmpty {
                    print("No generated target for \(result.withoutPriorAttainment.count) pupils without KS2: "
                          + result.withoutPriorAttainment.prefix(20).map(\.rawValue).joined(separator: ", ")
                          + (result.withoutPriorAttainment.count > 20 ? ", …" : ""))
                }
            }
        }
    }

    /// `headway targets import`.
    struct ImportFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import targets (e.g. from an external provider) from a CSV with columns pupil, subject, target [, set_by].",
            discussion: "If any row has an error nothing is imported, unless --accept-valid is given.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @Flag(help: "Import the valid rows even when other rows have errors.")
        var acceptValid = false
        @Flag(help: "Show what would change and save nothing.")
        var dryRun = false
        @Argument(help: ArgumentHelp("The targets CSV.", valueName: "file"))
        var file: String

        func run() async throws {
            try await withStore(global) { store in
                let (school, academicYear) = try await selectYear(schoolOptions, in: store)
                var year = try await store.load(school: school, year: academicYear)
                let result = TargetsFile().read(contentsOf: URL(fileURLWithPath: file), for: year)
                for issue in result.issues.prefix(30) { Terminal.error(issue.description) }
                if result.hasErrors && !acceptValid {
                    throw CLIError("Nothing imported: \(result.issues.filter(\.isError).count) row(s) have errors. Correct them, or use --accept-valid to import the \(result.targets.count) valid rows.")
                }
                var merged = Dictionary(uniqueKeysWithValues: year.targets.map { ("\($0.pupil)\u{1F}\($0.subject)", $0) })
                for target in result.targets { merged["\(target.pupil)\u{1F}\(target.subject)"] = target }
                year.targets = merged.keys.sorted().map { merged[$0]! }
                let summary = try await store.save(year, context: ChangeContext(actor: "headway targets import", source: file,
                                                                                reason: "imported targets", at: Date()), dryRun: dryRun)
                print("\(result.rowsRead) rows read, \(result.targets.count) targets valid: \(summary.targets.new) new, \(summary.targets.changed) changed, \(summary.targets.unchanged) unchanged\(dryRun ? " (dry run: nothing saved)" : "").")
            }
        }
    }

    /// `headway targets override`.
    struct Override: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Override one pupil's target in one subject; who and why are required and audited, and the generated value is kept.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @Option(help: ArgumentHelp("The pupil's UPN or id.", valueName: "upn-or-id")) var pupil: String
        @Option(help: ArgumentHelp("The subject code.", valueName: "code")) var subject: String
        @Option(help: ArgumentHelp("The new target grade.", valueName: "grade")) var grade: String
        @Option(help: ArgumentHelp("Who is overriding (staff code or name).", valueName: "person")) var by: String
        @Option(help: ArgumentHelp("Why.", valueName: "text")) var reason: String

        func run() async throws {
            try await withStore(global) { store in
                let (school, academicYear) = try await selectYear(schoolOptions, in: store)
                var year = try await store.load(school: school, year: academicYear)
                guard let found = year.pupils.first(where: { $0.id.rawValue == pupil || $0.upn?.rawValue == pupil.uppercased() }) else {
                    throw CLIError("No pupil with UPN or id '\(pupil)'.")
                }
                let subjectID = Subject.ID(subject)
                guard let scale = year.scale(of: subjectID) else { throw CLIError("No subject '\(subject)'.") }
                let value: EntryValue?
                do { value = try scale.parse(grade) } catch { throw CLIError("\(error)") }
                guard let value else { throw ValidationError("Give a grade with --grade.") }
                let existing = year.targets.first { $0.pupil == found.id && $0.subject == subjectID }
                    ?? Target(pupil: found.id, subject: subjectID, grade: value, method: .override)
                let updated: Target
                do { updated = try existing.overridden(to: value, by: by, reason: reason) } catch { throw CLIError((error as? Target.OverrideError)?.message ?? "\(error)") }
                year.targets.removeAll { $0.pupil == found.id && $0.subject == subjectID }
                year.targets.append(updated)
                let summary = try await store.save(year, context: ChangeContext(actor: by, source: "user", reason: reason, at: Date()))
                print("Target for \(found.id) in \(subject): \(existing.grade.stored) → \(value.stored) (override by \(by)); \(summary.auditRows) audit row(s) written.")
            }
        }
    }
}
