import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports

extension Report {
    /// `headway report parents`: reports to parents and carers (issue 7, item 1) — one HTML file
    /// per pupil (`pupils/<pupil id>.html`) and one per tutor group with every pupil of the group,
    /// a page each after a cover page saying it is for printing at school
    /// (`tutor-groups/<tutor group>.html`); with `--pdf` each tutor group's file printed to PDF
    /// through headless Chromium, with `--pdf-per-pupil` each pupil's own file (the one to send
    /// home). Before writing, it warns on standard error about subjects with no working-at grade
    /// entered, which the reports would show as "Not yet assessed".
    struct Parents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parents",
            abstract: "Write reports to parents and carers: one HTML page per pupil, one file per tutor group, optionally PDF.",
            discussion: """
                The report is a collection's data (--collection DC2), named by a reporting event of the calendar (--event R2, \
                which also gives the year groups and the date); with --collection alone every year group the collection \
                covers gets a report, named by the calendar's report event for its year group where there is one. Only \
                pupils on roll in those year groups are reported. Files: OUT/pupils/<pupil id>.html (one per pupil: the \
                file to send home), OUT/tutor-groups/<tutor group>.html (every pupil of the group, for printing at school: \
                it opens with a cover page saying so). PDF needs Debian's chromium package: --pdf prints each tutor \
                group's file (a few seconds each), --pdf-per-pupil each pupil's own file as OUT/pupils/<pupil id>.<name>.pdf \
                (1–3 s per pupil: 1.2 s on two cores, about 25 minutes for 1,100 pupils; narrow it with \
                --year-group or --tutor-group). Subjects with no working-at grade entered at the collection are \
                counted on standard error first: run `headway completion --collection DC2` and chase them before \
                sending. Attendance appears when pupils have the `attendance` characteristic (a percentage) from an import.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var schoolOptions: SchoolOptions
        @OptionGroup var templateOptions: TemplateOptions

        @Option(help: ArgumentHelp("The collection whose data is reported, e.g. DC2.", valueName: "code"))
        var collection: String?

        @Option(help: ArgumentHelp("A reporting event of the calendar (a report, e.g. R2): its collection, year groups, name and date.",
                                   valueName: "id"))
        var event: String?

        @Option(help: ArgumentHelp("Only this year group.", valueName: "n"))
        var yearGroup: Int?

        @Option(help: ArgumentHelp("Only this tutor group, e.g. 10A.", valueName: "group"))
        var tutorGroup: String?

        @Option(help: ArgumentHelp("Folder to write the reports into (created if missing).", valueName: "folder"))
        var out = "headway-parent-reports"

        @Option(help: ArgumentHelp("The school's logo (PNG, JPEG, GIF, SVG or WebP, under 1 MB), copied into every page.", valueName: "file"))
        var logo: String?

        @Flag(help: "Also print each tutor group's file to PDF with headless Chromium (Debian's chromium package); for printing at school.")
        var pdf = false

        @Flag(help: ArgumentHelp("Also print each pupil's own report to PDF (OUT/pupils/<pupil id>.<name>.pdf), the files to send home: "
                                 + "1–3 s per pupil (about 25 minutes for 1,100 pupils); shows progress."))
        var pdfPerPupil = false

        /// A logo is copied into every page, so it is kept small.
        static let logoLimit = 1_048_576

        func validate() throws {
            if collection == nil && event == nil {
                throw ValidationError("Choose the report: give --collection (e.g. DC2) or --event (a report of the calendar, e.g. R2).")
            }
            if let yearGroup, !(7...13).contains(yearGroup) {
                throw ValidationError("--year-group \(yearGroup) is not a secondary year group: give 7 to 13.")
            }
            if let tutorGroup, tutorGroup.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--tutor-group is empty: give a tutor group, e.g. 10A.")
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw ValidationError("--out \(out) is a file: give a folder for the reports (it is created if missing).")
            }
            if let logo {
                try requireFiles([logo])
                _ = try Self.dataURI(logo)
            }
        }

        func run() async throws {
            let start = ContinuousClock.now
            let renderer: ParentReport.Renderer
            do { renderer = try ParentReport.Renderer(template: templateOptions.load().text("parent-report")) } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("the parent-report template is not valid Mustache: \(error)")
            }
            var printer: PDFRenderer?
            if pdf || pdfPerPupil {
                do { printer = try PDFRenderer.find() } catch let failure as PDFRenderer.Failure { throw CLIError(failure.message) }
            }
            let logoURI = try logo.map(Self.dataURI)
            let year = try await loadYear(global, schoolOptions)
            let point: ParentReport.ReportingPoint
            // A collection or event the school does not have is a wrong argument (exit 2), as in `headway lists`.
            do { point = try ParentReport.ReportingPoint.resolve(in: year, collection: collection, event: event) } catch {
                throw ValidationError(error.message)
            }
            let covered = point.yearGroups.isEmpty ? "every year group" : Self.years(point.yearGroups)
            if let yearGroup, !point.covers(yearGroup) {
                throw ValidationError("\(point.event?.id.rawValue ?? point.collection.id.rawValue) does not cover Year \(yearGroup); it covers \(covered).")
            }
            let pupils = Self.pupils(year, point: point, yearGroup: yearGroup, tutorGroup: tutorGroup)
            if pupils.isEmpty {
                let scope = yearGroup.map { "Year \($0)" } ?? "the year groups reported (\(covered))"
                if let tutorGroup {
                    let groups = Set(year.pupils.filter { point.covers($0.yearGroup) && (yearGroup == nil || $0.yearGroup == yearGroup) }
                        .compactMap(\.tutorGroup)).sorted()
                    throw ValidationError("No pupil on roll in tutor group '\(tutorGroup)' in \(scope); "
                                          + "the tutor groups there are \(groups.isEmpty ? "none" : groups.joined(separator: ", ")).")
                }
                throw CLIError("No pupil on roll in \(scope): nothing to write.")
            }
            for y in Set(pupils.map(\.yearGroup)).sorted() where year.responsibleStaff(forYearGroup: y).isEmpty {
                Terminal.error("warning: nobody is named responsible for Year \(y), so its reports say to contact the school office: "
                               + "`headway responsibility set --year-group \(y) --staff CODE`, or give someone the hoy:\(y) role.")
            }

            let index = YearIndex(year)
            if let warning = Self.missingWarning(ParentReport.missingEntries(index, point: point, pupils: pupils.map(\.id)), collection: point.collection) {
                Terminal.error(warning)
            }
            let models = ParentReport.models(index, evaluation: ProgressStatus.evaluate(index), point: point, pupils: pupils.map(\.id), logo: logoURI)
            let folder = URL(fileURLWithPath: out)
            let written = try Self.write(models, renderer: renderer, to: folder)
            let groupsText = written.groups.count == 1 ? "1 tutor-group file" : "\(written.groups.count) tutor-group files"
            var parts = ["\(written.pupils.count) pupil reports (\(out)/pupils/)", "\(groupsText) (\(out)/tutor-groups/)"]
            if let printer, pdf {
                try Self.printPDFs(written.groups, with: printer, label: "Printing tutor-group PDFs")
                parts.append(written.groups.count == 1 ? "1 tutor-group PDF" : "\(written.groups.count) tutor-group PDFs")
            }
            if let printer, pdfPerPupil {
                let minutes = max(1, Int((Double(written.pupils.count) * Self.secondsPerPupilPDF / 60).rounded(.up)))
                Terminal.error("Printing \(written.pupils.count) pupil PDF\(written.pupils.count == 1 ? "" : "s") with Chromium, "
                               + "1–3 s each: about \(minutes) minute\(minutes == 1 ? "" : "s").")
                try Self.printPDFs(written.pupils, with: printer, label: "Printing pupil PDFs")
                parts.append("\(written.pupils.count) pupil PDFs")
            }
            let name = ParentReport.listInWords(models.map(\.reportName).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } })
            var scope = Self.years(Set(pupils.map(\.yearGroup)).sorted())
            if let tutorGroup { scope += ", tutor group \(tutorGroup.trimmingCharacters(in: .whitespaces))" }
            print("Wrote \(ParentReport.listInWords(parts)) for \(name) (collection \(point.collection.id); \(scope)) in \(Terminal.seconds(since: start)).")
        }

        /// "Year 8" or "Years 7, 8, 10".
        static func years(_ years: [Int]) -> String {
            years.count == 1 ? "Year \(years[0])" : "Years " + years.map(String.init).joined(separator: ", ")
        }

        /// Seconds Chromium takes to print one pupil's page: 1.2 s measured on the demo school
        /// (2 cores, issue 7 break-test), rounded up for slower machines. Two Chromium processes
        /// side by side gained nothing there (each already uses both cores), so pages print one
        /// at a time.
        static let secondsPerPupilPDF = 1.5

        /// Prints each HTML file to a PDF beside it, one after another, with a progress bar.
        /// - Throws: `CLIError` with Chromium's message at the first page that fails.
        static func printPDFs(_ files: [URL], with printer: PDFRenderer, label: String) throws {
            let progress = Terminal.Progress(label)
            for (i, file) in files.enumerated() {
                progress.update(Double(i) / Double(files.count))
                do { try printer.render(html: file, to: file.deletingPathExtension().appendingPathExtension("pdf")) } catch let failure as PDFRenderer.Failure {
                    progress.finish("stopped after \(i) of \(files.count)")
                    throw CLIError(failure.message)
                }
            }
            progress.finish("\(files.count) PDF\(files.count == 1 ? "" : "s")")
        }

        /// The warning about subjects the reports would show as "Not yet assessed", nil when there
        /// is none: how many subjects and pupils, the classes with most (up to 5, with their
        /// teachers), and what to run before sending.
        static func missingWarning(_ missing: ParentReport.MissingEntries, collection: DataCollection) -> String? {
            var lines: [String] = []
            if missing.entries > 0 {
                let subjects = missing.entries == 1 ? "1 subject" : "\(missing.entries) subjects"
                let pupils = missing.pupils == 1 ? "1 pupil" : "\(missing.pupils) pupils"
                var text = "warning: \(subjects) for \(pupils) have no working-at grade entered at \(collection.id) (blank), "
                    + "so those reports say \"Not yet assessed\"."
                let shown = missing.classes.prefix(5).map { c in
                    "\(c.code)\(c.teachers.isEmpty ? "" : " (\(c.teachers))"): \(c.count)"
                }
                text += " Most in: " + shown.joined(separator: "; ")
                if missing.classes.count > 5 { text += "; and \(missing.classes.count - 5) more class\(missing.classes.count - 5 == 1 ? "" : "es")" }
                text += "."
                lines.append(text)
                lines.append("  Before sending: `headway completion --collection \(collection.id)` shows who still has entries to make; "
                             + "chase them, then run this command again.")
            }
            if missing.offScale > 0 {
                lines.append("warning: \(missing.offScale) working-at value\(missing.offScale == 1 ? " is" : "s are") not on the subject's scale, "
                             + "so those reports also say \"Not yet assessed\": `headway check` lists them.")
            }
            return lines.isEmpty ? nil : lines.joined(separator: "\n")
        }

        /// Pupils on roll in the covered year groups (and `yearGroup`, `tutorGroup` when given), by
        /// year group, tutor group, surname, forename and id.
        static func pupils(_ year: SchoolYear, point: ParentReport.ReportingPoint, yearGroup: Int?, tutorGroup: String?) -> [Pupil] {
            let wanted = tutorGroup?.trimmingCharacters(in: .whitespaces)
            return year.pupils
                .filter { point.covers($0.yearGroup) && (yearGroup == nil || $0.yearGroup == yearGroup) && (wanted == nil || $0.tutorGroup == wanted) }
                .sorted { ($0.yearGroup, $0.tutorGroup ?? "", $0.surname, $0.forename, $0.id) < ($1.yearGroup, $1.tutorGroup ?? "", $1.surname, $1.forename, $1.id) }
        }

        /// The tutor-group file name for pupils without a tutor group.
        static let noTutorGroup = "no-tutor-group"

        /// Writes `folder/pupils/<id>.<name>.html` per model (``ParentReport/pupilFileName(id:name:)``) and `folder/tutor-groups/<group>.html` per
        /// tutor group (names through ``ParentReport/fileSafe(_:)``). Returns the pupil files in
        /// the models' order and the tutor-group files in tutor-group order.
        static func write(_ models: [ParentReport.Model], renderer: ParentReport.Renderer, to folder: URL) throws -> (pupils: [URL], groups: [URL]) {
            let pupilsFolder = folder.appendingPathComponent("pupils"), groupsFolder = folder.appendingPathComponent("tutor-groups")
            do {
                try FileManager.default.createDirectory(at: pupilsFolder, withIntermediateDirectories: true)
                try FileManager.default.createDirectory(at: groupsFolder, withIntermediateDirectories: true)
            } catch {
                throw CLIError("cannot create \(folder.path)/pupils and tutor-groups: \(error.localizedDescription)")
            }
            let progress = Terminal.Progress("Writing reports")
            var groups: [String: [ParentReport.Model]] = [:]
            var pupilFiles: [URL] = []
            for (i, model) in models.enumerated() {
                progress.update(Double(i) / Double(models.count + 1))
                let file = pupilsFolder.appendingPathComponent(ParentReport.pupilFileName(id: model.pupil, name: model.pupilName) + ".html")
                try save(renderer.page(for: model), to: file)
                pupilFiles.append(file)
                groups[model.tutorGroupKey ?? noTutorGroup, default: []].append(model)
            }
            var files: [URL] = []
            for (group, members) in groups.sorted(by: { $0.key < $1.key }) {
                let file = groupsFolder.appendingPathComponent(ParentReport.fileSafe(group) + ".html")
                try save(renderer.page(forTutorGroup: members[0].tutorGroupKey ?? "none", members), to: file)
                files.append(file)
            }
            progress.finish("\(models.count) pupils, \(files.count) tutor groups")
            return (pupilFiles, files)
        }

        static func save(_ text: String, to file: URL) throws {
            do { try Data(text.utf8).write(to: file, options: .atomic) } catch {
                throw CLIError("cannot write \(file.path): \(error.localizedDescription)")
            }
        }

        /// The logo as a `data:` URI, its type from the file name and checked against its first bytes.
        /// - Throws: `ValidationError` for an unreadable file, one over ``logoLimit``, or one that is
        ///   not a PNG, JPEG, GIF, SVG or WebP image.
        static func dataURI(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the logo \(path).") }
            guard data.count <= logoLimit else {
                throw ValidationError("the logo \(path) is \(data.count / 1024) KB; it is copied into every report, so use an image under 1 MB.")
            }
            let bytes = [UInt8](data.prefix(12))
            func starts(_ magic: [UInt8]) -> Bool { bytes.starts(with: magic) }
            let type: String? = switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "png" where starts([0x89, 0x50, 0x4E, 0x47]): "image/png"
            case "jpg" where starts([0xFF, 0xD8]), "jpeg" where starts([0xFF, 0xD8]): "image/jpeg"
            case "gif" where starts(Array("GIF8".utf8)): "image/gif"
            case "webp" where bytes.count >= 12 && Array(bytes[8..<12]) == Array("WEBP".utf8): "image/webp"
            case "svg" where String(decoding: data.prefix(4096), as: UTF8.self).contains("<svg"): "image/svg+xml"
            default: nil
            }
            guard let type else {
                throw ValidationError("the logo \(path) is not a PNG, JPEG, GIF, SVG or WebP image (judged by its name and first bytes).")
            }
            return "data:\(type);base64,\(data.base64EncodedString())"
        }
    }
}
