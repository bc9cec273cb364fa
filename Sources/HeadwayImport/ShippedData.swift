import Foundation

/// The data files Headway ships with the program (issue 12, item 2): the KS2 CTF code table, the
/// DfE KS4 performance tables and qualification lists, the MIS mapping presets and the
/// action-list rules. They live in the source tree under `data/` (a link to
/// `Sources/HeadwayImport/Resources/data`) and are built into the program as a SwiftPM resource
/// bundle (`Headway_HeadwayImport.resources`, installed beside the `headway` executable), so
/// every command finds them whatever the working directory.
///
/// Paths are given as in the source tree, e.g. `data/ctf/ks2-result-codes.toml` — the same text
/// the documentation uses — and resolved inside the bundle. An explicit path option
/// (`--ks2-codes`, `--qualifications`, `--presets`, …) always overrides the shipped file.
public enum ShippedData {
    /// The bundle's `data` folder. Nil only when the resource bundle was not installed beside the
    /// program (a packaging mistake: copy `Headway_HeadwayImport.resources` with `headway`).
    public static var folder: URL? {
        Bundle.module.url(forResource: "data", withExtension: nil)
    }

    /// The shipped file or folder for a source-tree path starting `data/`, e.g.
    /// `data/presets`; nil when the bundle or the file is missing.
    public static func url(_ path: String) -> URL? {
        guard let folder else { return nil }
        let relative = path.hasPrefix("data/") ? String(path.dropFirst("data/".count)) : path
        let url = folder.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The text of a shipped file (for `--print-default-…` options that let a user take an
    /// editable copy).
    /// - Throws: ``ImportIssue`` (``ImportIssue/Code/unreadableFile``) when it is not there.
    public static func text(_ path: String) throws(ImportIssue) -> String {
        guard let url = url(path), let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ImportIssue(.unreadableFile, file: path,
                              reason: "the data shipped with Headway is missing: reinstall it with its Headway_HeadwayImport.resources folder beside the program")
        }
        return text
    }
}
