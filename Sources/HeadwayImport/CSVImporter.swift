import Foundation
import HeadwayCore

/// Reads CSV exports into Headway's values using a saved ``ColumnMapping``, reporting every bad
/// row as an ``ImportIssue``. It never touches a database: the caller saves ``ImportResult/year``
/// through the store, after applying its own policy to ``ImportResult/hasErrors``.
///
/// Reading is forgiving about form and strict about content:
/// - **Form**: UTF-8 with or without a byte-order mark, UTF-16 with one, or Windows-1252 (what
///   Excel saves as plain "CSV"; chosen when the bytes are not valid UTF-8); separators `,` `;`
///   or tab, detected from the header line unless the mapping sets one; quoted or unquoted
///   fields; CRLF, LF or CR line ends; blank lines and lines of separators only are skipped.
///   Cells are text: an id such as `00123` keeps its zeros.
/// - **Content**: each row is checked in full (UPN, grades on the subject's scale, KS2 scores,
///   year group, dates, subject and collection codes, standard characteristics); a row with any
///   error is rejected whole. Duplicate pupil × subject × collection rows are all rejected, the
///   error naming both lines; rows that disagree about a pupil's identity (UPN, date of birth,
///   year group, KS2) reject the later row. Class lists and staff lists (``ColumnMapping/Kind``)
///   reject a repeated record (a pupil twice in a pupil list or in one class, a staff code twice)
///   on both rows, and a class given two subjects on the later row, each error naming both lines.
///
/// Line numbers are physical lines, the header being line 1, and stay right when quoted fields
/// hold line breaks.
public struct CSVImporter: Sendable {
    /// The mapping every file of a ``read(files:)`` call is read with.
    public var mapping: ColumnMapping
    /// Threads each file's rows are read on (the machine's cores unless set): the result is the
    /// same for any number.
    var threads = ProcessInfo.processInfo.activeProcessorCount

    /// An importer for files of the kind `mapping` describes.
    public init(mapping: ColumnMapping) {
        self.mapping = mapping
    }

    /// Reads files already in memory.
    /// - Parameter files: each file's name (used in issues and matched against
    ///   `[files."NAME"]` by its last path component) and its bytes.
    public func read(files: [(name: String, contents: Data)]) -> ImportResult {
        read(sources: files.map { ($0.name, .success($0.contents)) })
    }

    /// Reads files from disk, then as ``read(files:)``; a file that cannot be read becomes an
    /// ``ImportIssue/Code/unreadableFile`` error. Issues name each file by the path as given.
    public func read(contentsOf urls: [URL]) -> ImportResult {
        read(sources: urls.map { url in
            let name = url.relativePath
            do {
                return (name, .success(try Data(contentsOf: url)))
            } catch {
                return (name, .failure(.unreadable(url, error)))
            }
        })
    }

    func read(sources: [(name: String, contents: Result<Data, ImportIssue>)]) -> ImportResult {
        var run = ImportRun(mapping: mapping, threads: threads)
        for (index, source) in sources.enumerated() {
            // A picture or a workbook is refused as a whole, not read as 23 rows of Windows-1252.
            let contents = source.contents.flatMap { data in
                TextDecoding.binaryIssue(data, file: source.name).map { Result<Data, ImportIssue>.failure($0) } ?? .success(data)
            }
            switch contents {
            case .success(let data): run.readFile(index: index, name: source.name, data: data)
            case .failure(let issue):
                run.addIssue(issue, file: index)
                run.summaries.append(ImportResult.FileSummary(name: source.name, encoding: nil, separator: nil,
                                                              rowsRead: 0, rowsAccepted: 0, rowsRejected: 0,
                                                              errors: 0, warnings: 0, pupils: 0))
            }
        }
        return run.finish()
    }
}
