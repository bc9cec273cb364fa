import ArgumentParser
import Foundation
import HeadwayReports

/// The Mustache templates behind every page Headway writes, and a school's own versions of them
/// (issue 7, item 1). A school copies the built-in ones (`headway report templates --out DIR`),
/// edits them, and passes the folder with `--templates DIR`: a file `NAME.mustache` there replaces
/// the built-in template `NAME`; any other template keeps the built-in one.
///
/// Mustache escapes every `{{value}}`; the built-in templates insert unescaped text (`{{{…}}}`)
/// only for the SVG charts Headway draws itself, whose text is escaped when the chart is drawn.
struct ReportTemplates {
    /// One built-in template: its file name without `.mustache`, what it is for, and its text.
    struct BuiltIn {
        var name: String
        var purpose: String
        var text: String
    }

    /// Every built-in template, in the order `headway report templates` lists them.
    static let builtIn: [BuiltIn] = [
        BuiltIn(name: "headline", purpose: "the headline report (headway report)", text: HeadlineReport.defaultTemplate),
        BuiltIn(name: "integrity", purpose: "the integrity report (headway check --format html)", text: IntegrityReport.defaultTemplate),
        BuiltIn(name: "meeting-sheets", purpose: "parent–carer meeting sheets (headway report meeting-sheets)", text: MeetingSheets.defaultTemplate),
        BuiltIn(name: "department-pack", purpose: "department packs (headway report department)", text: LeaderPack.Department.defaultTemplate),
        BuiltIn(name: "year-group-pack", purpose: "year-group packs (headway report year-group)", text: LeaderPack.YearGroup.defaultTemplate),
        BuiltIn(name: "governors-summary", purpose: "the governors' summary (headway report governors)", text: LeaderPack.Governors.defaultTemplate),
        BuiltIn(name: "parent-report", purpose: "reports to parents and carers (headway report parents)", text: ParentReport.defaultTemplate),
        BuiltIn(name: "pupil-record", purpose: "a pupil's longitudinal record (headway report pupil)", text: PupilRecord.defaultTemplate),
    ]

    /// The school's folder, if any.
    let folder: URL?

    /// Templates from `folder` where it has them, else the built-in ones.
    /// - Throws: `ValidationError` when the folder does not exist; ``CLIError`` naming the file
    ///   when a template in it cannot be read or is not valid Mustache.
    init(folder path: String?) throws {
        guard let path else { folder = nil; return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--templates \(path) is not a folder: give the folder holding your NAME.mustache files.")
        }
        folder = URL(fileURLWithPath: path)
        for name in try FileManager.default.contentsOfDirectory(atPath: path) where name.hasSuffix(".mustache") {
            let base = String(name.dropLast(".mustache".count))
            if !Self.builtIn.contains(where: { $0.name == base }) {
                Terminal.error("warning: \(path)/\(name) replaces no template (the names are \(Self.builtIn.map(\.name).joined(separator: ", "))); it is not used.")
            }
        }
    }

    /// The text of template `name`: the school's file when the folder has one, else the built-in.
    func text(_ name: String) throws -> String {
        guard let builtIn = Self.builtIn.first(where: { $0.name == name }) else { preconditionFailure("no built-in template \(name)") }
        guard let folder else { return builtIn.text }
        let file = folder.appendingPathComponent("\(name).mustache")
        guard FileManager.default.fileExists(atPath: file.path) else { return builtIn.text }
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw CLIError("cannot read the template \(file.path): \(error.localizedDescription)")
        }
        try Self.check(text, against: builtIn, file: file.path)
        return text
    }

    /// Refuses a school's template that is empty, not valid Mustache, or inserts a value without
    /// escaping that the built-in one escapes; warns (on standard error) about names the built-in
    /// template never uses, which are most likely misspelt and would print as blanks.
    /// - Throws: ``CLIError`` naming the file and what to change.
    static func check(_ text: String, against builtIn: BuiltIn, file: String) throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CLIError("\(file) is empty: every page would be blank. Remove it to use the built-in \(builtIn.name) template.")
        }
        do { try ReportStyle.checkTemplate(text) } catch {
            throw CLIError("\(file) is not a valid Mustache template: \(error)")
        }
        let raw = ReportStyle.unescapedNames(text).subtracting(ReportStyle.unescapedNames(builtIn.text))
        if !raw.isEmpty {
            let allowed = ReportStyle.unescapedNames(builtIn.text).sorted()
            throw CLIError("\(file) inserts \(raw.sorted().map { "{{{\($0)}}}" }.joined(separator: ", ")) without escaping: a pupil's or a member of "
                           + "staff's text would reach the page as HTML. Use {{\(raw.sorted()[0])}} (two braces); only "
                           + (allowed.isEmpty ? "nothing" : allowed.map { "{{{\($0)}}}" }.joined(separator: ", ")) + " (charts Headway draws) may use three.")
        }
        let unknown = ReportStyle.referencedNames(text).subtracting(ReportStyle.referencedNames(builtIn.text))
        if !unknown.isEmpty {
            Terminal.error("warning: \(file) uses \(unknown.sorted().map { "{{\($0)}}" }.joined(separator: ", ")), which the built-in \(builtIn.name) "
                           + "template never uses: a misspelt name prints as a blank (see the built-in with `headway report templates`).")
        }
    }
}

/// `headway report templates --out DIR`: the built-in templates as files, to edit.
struct ReportTemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Write the built-in report templates (Mustache) into a folder, for the school to edit and use with --templates.")

    @Option(help: ArgumentHelp("Folder to write the templates into (created if missing; existing files are kept).", valueName: "folder"))
    var out = "headway-templates"

    func run() throws {
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rows: [[String]] = []
        for template in ReportTemplates.builtIn {
            let file = folder.appendingPathComponent("\(template.name).mustache")
            let kept = FileManager.default.fileExists(atPath: file.path)
            if !kept { try Data(template.text.utf8).write(to: file) }
            rows.append(["\(template.name).mustache", template.purpose, kept ? "kept (already there)" : "written"])
        }
        print("Templates in \(out)/\n" + Terminal.table(["file", "for", ""], rows))
        print("Edit them, then pass --templates \(out) to the report commands. Every {{value}} is escaped; keep it that way.")
    }
}

/// `--templates DIR`, shared by the report commands.
struct TemplateOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A folder of the school's own templates (NAME.mustache replaces the built-in NAME; see `headway report templates`).",
                               valueName: "folder"))
    var templates: String?

    func validate() throws {
        guard let templates else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: templates, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--templates \(templates) is not a folder: give the folder holding your NAME.mustache files (see `headway report templates`).")
        }
    }

    /// The templates to render with.
    func load() throws -> ReportTemplates { try ReportTemplates(folder: templates) }
}
