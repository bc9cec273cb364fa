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
        switch ImportFile.contents(of: url) {
        case .success(let data): read(name: url.relativePath, contents: data)
        case .failure(let issue): unreadable(issue)
        }
    }
}

/// Opening an import file, as every reader does.
public enum ImportFile {
    /// The file's bytes, memory-mapped (a large file is paged in as it is read, not copied:
    /// issue 13), or the issue when it cannot be read or is clearly not text
    /// (``ImportIssue/Code/unreadableFile``, ``ImportIssue/Code/unusableFile``).
    public static func contents(of url: URL) -> Swift.Result<Data, ImportIssue> {
        do {
            let data = try Data(contentsOf: url, options: .alwaysMapped)
            if let issue = TextDecoding.binaryIssue(data, file: url.relativePath) { return .failure(issue) }
            return .success(data)
        } catch {
            return .failure(.unreadable(url, error))
        }
    }
}
