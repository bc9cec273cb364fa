import Foundation

/// A reader of one kind of import file: bytes in, a result with its issues out. Reading from disk
/// is the same for all of them: a file that cannot be read gives a result with no records and one
/// ``ImportIssue/Code/unreadableFile`` error, never a throw. Issues name the file by its path as
/// given.
public protocol FileReader: Sendable {
    associatedtype Result
    /// Reads a file's bytes; `name` names it in issues.
    func read(name: String, contents: Data) -> Result
    /// The result for a file that could not be read: nothing read, and `issue`.
    func unreadable(_ issue: ImportIssue) -> Result
}

extension FileReader {
    /// Reads a file from disk (see ``FileReader``).
    public func read(contentsOf url: URL) -> Result {
        do {
            let data = try Data(contentsOf: url)
            if let issue = TextDecoding.binaryIssue(data, file: url.relativePath) { return unreadable(issue) }
            return read(name: url.relativePath, contents: data)
        } catch {
            return unreadable(.unreadable(url, error))
        }
    }
}
