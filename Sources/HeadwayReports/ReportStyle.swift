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
    /// - Throws: the parser's error (it names the line and the problem).
    public static func checkTemplate(_ text: String) throws {
        _ = try MustacheTemplate(string: text)
    }
}
