import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports
import HeadwayStore

extension Report {
    /// `headway report pupil --pupil UPN-or-id | --tutor-group 10A [--out DIR] [--templates DIR]`:
    /// the longitudinal pupil record (issue 7, item 4) — Key Stage 2, then every academic year the
    /// pupil was on roll with each year's collections side by side, the person responsible each
    /// year, and flight path charts — as `DIR/<pupil id>.<name>.html` (``ParentReport/pupilFileName(id:name:)``), one file per pupil.
    ///
    /// The pupil is found by id or UPN in `--year` (default: the latest year), else in any other
    /// stored year (newest first), so a pupil who has left still has a record. Every stored year in
    /// which the pupil was on roll is loaded (``HeadwayStore/Store/responsibilityHistory(pupil:school:)``
    /// lists them). With `--tutor-group`, every pupil of that tutor group in `--year`.
    ///
    /// Exit status: 1 when no such pupil or tutor group is stored; 2 for misuse (neither or both
    /// of `--pupil` and `--tutor-group`).
    struct PupilRecordCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pupil",
            abstract: "Write a pupil's longitudinal record (KS2, every year's collections, flight paths, who was responsible) as DIR/<pupil id>.<name>.html.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @OptionGroup var templateOptions: TemplateOptions

        @Option(help: ArgumentHelp("The pupil's UPN, id (admission number) or name ('Surname, Forename').", valueName: "pupil"))
        var pupil: String?

        @Option(help: ArgumentHelp("Write the record of every pupil in this tutor group (in --year, default the latest).", valueName: "group"))
        var tutorGroup: String?

        @Option(help: ArgumentHelp("Folder to write the records into (created if missing).", valueName: "folder"))
        var out = "headway-pupil-records"

        func validate() throws {
            switch (pupil, tutorGroup) {
            case (nil, nil): throw ValidationError("Say whose record to write: --pupil UPN, id or name, or --tutor-group 10A for a whole tutor group.")
            case (.some, .some): throw ValidationError("Give --pupil or --tutor-group, not both.")
            default: break
            }
            if let pupil, pupil.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--pupil needs a UPN, pupil id or name.") }
            if let tutorGroup, tutorGroup.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--tutor-group needs a tutor group, e.g. 10A.") }
        }

        func run() async throws {
            let template = try templateOptions.load().text("pupil-record")
            let started = ContinuousClock.now
            let (years, pupils, responsibilities) = try await load()
            let history = PupilRecord.History(years)
            let folder = try PackSupport.folder(out)
            let generated = nowText()
            let progress = pupils.count > 1 ? Terminal.Progress("Writing pupil records") : nil
            var written: [String] = []
            for (n, id) in pupils.enumerated() {
                guard let model = PupilRecord.model(pupil: id, history: history, responsibilities: responsibilities[id] ?? [], generated: generated) else {
                    throw CLIError("Pupil \(id) is on roll in none of the years loaded.")
                }
                let name = ParentReport.pupilFileName(id: id, name: model.pupilName) + ".html"
                try Data(try PupilRecord.html(model, template: template).utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
                written.append(name)
                progress?.update(Double(n + 1) / Double(pupils.count))
            }
            progress?.finish("\(written.count) records in \(Terminal.seconds(since: started))")
            let yearsText = years.map(\.academicYear.description).joined(separator: ", ")
            if written.count == 1 {
                print("Wrote \(out)/\(written[0]) (academic years \(yearsText)) — open it in a browser, or print it on A4.")
            } else {
                print("Wrote \(written.count) pupil records to \(out)/ (tutor group \(tutorGroup ?? ""), academic years \(yearsText)).")
            }
        }

        /// The years to build from (those any chosen pupil was on roll in), the pupils, and each
        /// pupil's responsibility history.
        func load() async throws -> ([SchoolYear], [Pupil.ID], [Pupil.ID: [ResponsibilityRecord]]) {
            try await withStore(global) { store in
                let (school, selected) = try await selectYear(schoolOptions, in: store)
                var loaded: [AcademicYear: SchoolYear] = [:]
                func year(_ y: AcademicYear) async throws -> SchoolYear {
                    if let year = loaded[y] { return year }
                    let year = try await store.load(school: school, year: y)
                    loaded[y] = year
                    return year
                }
                var ids: [Pupil.ID] = []
                if let pupil {
                    let given = pupil.trimmingCharacters(in: .whitespaces)
                    let others = try await store.academicYears(of: school).reversed().filter { $0 != selected }
                    for y in [selected] + others {
                        if let found = try pupilIfAny(given, in: try await year(y).pupils) {
                            ids = [found.id]
                            break
                        }
                    }
                    let schoolName = try await year(selected).school.name
                    guard !ids.isEmpty else {
                        throw CLIError("No pupil with UPN, id or name '\(given.withVisibleControlCharacters)' in any academic year of \(schoolName) "
                                       + "(\(([selected] + others).sorted().map(\.description).joined(separator: ", "))).")
                    }
                } else if let tutorGroup {
                    let given = tutorGroup.trimmingCharacters(in: .whitespaces)
                    let current = try await year(selected)
                    ids = current.pupils.filter { $0.tutorGroup == given }
                        .sorted { ($0.surname, $0.forename, $0.id) < ($1.surname, $1.forename, $1.id) }.map(\.id)
                    guard !ids.isEmpty else {
                        let groups = Set(current.pupils.compactMap(\.tutorGroup)).sorted()
                        throw CLIError("No pupil is in tutor group '\(given)' in \(selected). Tutor groups then: "
                                       + (groups.isEmpty ? "none recorded" : groups.joined(separator: ", ")) + ".")
                    }
                }
                var responsibilities: [Pupil.ID: [ResponsibilityRecord]] = [:]
                var needed = Set<AcademicYear>()
                for id in ids {
                    let records = try await store.responsibilityHistory(pupil: id, school: school)
                    responsibilities[id] = records
                    needed.formUnion(records.map(\.academicYear))
                }
                var years: [SchoolYear] = []
                for y in needed.sorted() { years.append(try await year(y)) }
                return (years, ids, responsibilities)
            }
        }
    }
}
