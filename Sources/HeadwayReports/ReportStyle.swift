import Foundation
import Mustache

/// The look every built-in Headway page shares (headline report, integrity report): readable
/// type, plain tables, and print rules for A4. Inserted into each built-in template's `<style>`;
/// a school's own template may leave it out.
public enum ReportStyle {
    static let base = """
        body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #1c1c1c; line-height: 1.4; padding: 0 1rem; }
        h1 { margin-bottom: 0; } .meta { color: #555; margin-top: .25rem; }
        table { border-collapse: collapse; margin: .5rem 0 1.5rem; font-size: .9rem; }
        th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; vertical-align: top; }
        th { background: #eef2f5; }
        caption { text-align: left; font-weight: 600; padding: .3rem 0; }
        @media print { body { margin: 0; max-width: none; } section { break-inside: avoid-page; } }
        """

    /// Parses a Mustache template without rendering it, so a school's broken template is named
    /// before any page is written.
    /// - Throws: ``TemplateProblem`` with the line, column and what is wrong.
    public static func checkTemplate(_ text: String) throws {
        do {
            _ = try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            let what: String = switch error.error as? MustacheTemplate.Error {
            case .sectionCloseNameIncorrect?: "a closing tag {{/…}} does not match the section it closes"
            case .unfinishedName?: "a tag is not finished (a {{ without its }})"
            case .expectedSectionEnd?: "a section {{#…}} or {{^…}} is never closed with {{/…}}"
            default: "\(error.error)"
            }
            throw TemplateProblem(message: "line \(error.context.lineNumber), column \(error.context.columnNumber): \(what): "
                                  + error.context.line.trimmingCharacters(in: .whitespaces))
        }
    }

    /// The names a template inserts without escaping: `{{{name}}}` and `{{& name}}`. The built-in
    /// templates do so only for the SVG charts Headway draws (their text escaped as drawn); a
    /// school's template that inserts any other value raw could put a pupil's name on the page as
    /// HTML (`<script>`), so the CLI refuses it.
    public static func unescapedNames(_ text: String) -> Set<String> {
        var names = Set<String>()
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            if rest.hasPrefix("{"), let close = rest.range(of: "}}}") {
                names.insert(rest[rest.index(after: rest.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces))
                rest = rest[close.upperBound...]
            } else if rest.hasPrefix("&"), let close = rest.range(of: "}}") {
                names.insert(rest[rest.index(after: rest.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces))
                rest = rest[close.upperBound...]
            }
        }
        return names
    }

    /// Every name a template refers to (values, sections, inverted sections), without the `#`,
    /// `^`, `/`, `&` marks; comments and partials are left out.
    public static func referencedNames(_ text: String) -> Set<String> {
        var names = Set<String>()
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            let triple = rest.hasPrefix("{")
            guard let close = rest.range(of: triple ? "}}}" : "}}") else { break }
            var name = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if triple { name.removeFirst() }
            if let first = name.first, "#^/&".contains(first) { name.removeFirst() }
            if let first = name.first, "!>=".contains(first) { continue }
            name = name.trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { names.insert(name) }
        }
        return names
    }
}

/// A school's template Headway cannot use, and why (line and column where the parser says).
public struct TemplateProblem: Error, CustomStringConvertible, Hashable, Sendable {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
