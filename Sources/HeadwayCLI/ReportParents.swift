import ArgumentParser
import Foundation
import HeadwayAnalytics
import HeadwayCore
import HeadwayReports

extension Report {
    /// `headway report parents`: reports to parents and carers (issue 7, item 1) — one HTML file
    /// per pupil (`pupils/<pupil id>.html`) and one per tutor group with every pupil of the group,
    /// a page each (`tutor-groups/<tutor group>.html`), and with `--pdf` each tutor group's file
    /// printed to PDF through headless Chromium.
    struct Parents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parents",
            abstract: "Write reports to parents and carers: one HTML page per pupil, one file per tutor group, optionally PDF.",
            discussion: """
                The report is a collection's data (--collection DC2), named by a reporting event of the calendar (--event R2, \
                which also gives the year groups and the date); with --collection alone every year group the collection \
                covers gets a report, named by the calendar's report event for its year group where there is one. Only \
                pupils on roll in those year groups are reported. Files: OUT/pupils/<pupil id>.html, \
                OUT/tutor-groups/<tutor group>.html (and .pdf with --pdf, which needs Debian's chromium package). \
                Attendance appears when pupils have the `attendance` characteristic (a percentage) from an import.
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

        @Flag(help: "Also print each tutor group's file to PDF with headless Chromium (Debian's chromium package).")
        var pdf = false

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
            if pdf {
                do { printer = try PDFRenderer.find() } catch let failure as PDFRenderer.Failure { throw CLIError(failure.message) }
            }
            let logoURI = try logo.map(Self.dataURI)
            let year = try await loadYear(global, schoolOptions)
            let point: ParentReport.ReportingPoint
            do { point = try ParentReport.ReportingPoint.resolve(in: year, collection: collection, event: event) } catch {
                throw CLIError(error.message)
            }
            let covered = point.yearGroups.isEmpty ? "every year group" : point.yearGroups.map { "Y\($0)" }.joined(separator: ", ")
            if let yearGroup, !point.covers(yearGroup) {
                throw CLIError("\(point.event?.id.rawValue ?? point.collection.id.rawValue) does not cover Year \(yearGroup); it covers \(covered).")
            }
            let pupils = Self.pupils(year, point: point, yearGroup: yearGroup, tutorGroup: tutorGroup)
            if pupils.isEmpty {
                let groups = Set(year.pupils.filter { point.covers($0.yearGroup) && (yearGroup == nil || $0.yearGroup == yearGroup) }.compactMap(\.tutorGroup)).sorted()
                if let tutorGroup {
                    throw CLIError("No pupil on roll in tutor group '\(tutorGroup)' among the year groups reported (\(covered)); "
                                   + "the tutor groups are \(groups.isEmpty ? "none" : groups.joined(separator: ", ")).")
                }
                throw CLIError("No pupil on roll in the year groups reported (\(yearGroup.map { "Y\($0)" } ?? covered)): nothing to write.")
            }
            for y in Set(pupils.map(\.yearGroup)).sorted() where year.responsibleStaff(forYearGroup: y).isEmpty {
                Terminal.error("warning: nobody is named responsible for Year \(y), so its reports say to contact the school office: "
                               + "`headway responsibility set --year-group \(y) --staff CODE`, or give someone the hoy:\(y) role.")
            }

            let index = YearIndex(year)
            let models = ParentReport.models(index, evaluation: ProgressStatus.evaluate(index), point: point, pupils: pupils.map(\.id), logo: logoURI)
            let folder = URL(fileURLWithPath: out)
            let written = try Self.write(models, renderer: renderer, to: folder)
            var note = "Wrote \(written.pupils) pupil reports (\(out)/pupils/) and \(written.groups.count) tutor-group files (\(out)/tutor-groups/)"
            if let printer {
                let progress = Terminal.Progress("Printing PDFs")
                for (i, file) in written.groups.enumerated() {
                    progress.update(Double(i) / Double(written.groups.count))
                    do { try printer.render(html: file, to: file.deletingPathExtension().appendingPathExtension("pdf")) } catch let failure as PDFRenderer.Failure {
                        progress.finish("stopped after \(i) of \(written.groups.count)")
                        throw CLIError(failure.message)
                    }
                }
                progress.finish("\(written.groups.count) PDFs")
                note += " and \(written.groups.count) PDFs"
            }
            let name = point.event?.name ?? point.collection.name
            print("\(note) for \(name) (collection \(point.collection.id), \(covered)) in \(Terminal.seconds(since: start)).")
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

        /// Writes `folder/pupils/<id>.html` per model and `folder/tutor-groups/<group>.html` per
        /// tutor group (names through ``ParentReport/fileSafe(_:)``). Returns how many pupil files
        /// were written and the tutor-group files, in tutor-group order.
        static func write(_ models: [ParentReport.Model], renderer: ParentReport.Renderer, to folder: URL) throws -> (pupils: Int, groups: [URL]) {
            let pupilsFolder = folder.appendingPathComponent("pupils"), groupsFolder = folder.appendingPathComponent("tutor-groups")
            do {
                try FileManager.default.createDirectory(at: pupilsFolder, withIntermediateDirectories: true)
                try FileManager.default.createDirectory(at: groupsFolder, withIntermediateDirectories: true)
            } catch {
                throw CLIError("cannot create \(folder.path)/pupils and tutor-groups: \(error.localizedDescription)")
            }
            let progress = Terminal.Progress("Writing reports")
            var groups: [String: [ParentReport.Model]] = [:]
            for (i, model) in models.enumerated() {
                progress.update(Double(i) / Double(models.count + 1))
                try save(renderer.page(for: model), to: pupilsFolder.appendingPathComponent(ParentReport.fileSafe(model.pupil.rawValue) + ".html"))
                groups[model.tutorGroupKey ?? noTutorGroup, default: []].append(model)
            }
            var files: [URL] = []
            for (group, members) in groups.sorted(by: { $0.key < $1.key }) {
                let file = groupsFolder.appendingPathComponent(ParentReport.fileSafe(group) + ".html")
                try save(renderer.page(forTutorGroup: members[0].tutorGroupKey ?? "none", members), to: file)
                files.append(file)
            }
            progress.finish("\(models.count) pupils, \(files.count) tutor groups")
            return (models.count, files)
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
