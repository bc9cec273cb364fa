import Foundation

/// Prints HTML pages to PDF through headless Chromium (Debian's `chromium` package; issue 7,
/// item 1). Headway's pages carry their own print CSS (`@page { size: A4 }`), so Chromium is
/// asked only to print, without its own header and footer.
///
/// The command run for each page is
/// `chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --user-data-dir=TMP --print-to-pdf=OUT file://IN`,
/// with a fresh profile folder per run (so runs side by side do not share a profile lock) and a
/// timeout after which the process is stopped.
struct PDFRenderer {
    /// The browsers looked for on `PATH`, in this order.
    static let candidates = ["chromium", "chromium-browser", "google-chrome"]

    /// Why a page could not be printed: a code and a message saying what to do.
    struct Failure: Error, CustomStringConvertible {
        /// `chromium-missing`, `chromium-failed`, `chromium-timeout`, `no-pdf`.
        var code: String
        var message: String
        var description: String { message }

        static func missing(searched: String) -> Failure {
            Failure(code: "chromium-missing", message: "PDF needs headless Chromium, and none of \(candidates.joined(separator: ", ")) is on PATH (\(searched)): "
                    + "install Debian's chromium package (sudo apt-get install chromium), or leave out --pdf to write HTML only.")
        }
    }

    /// The browser executable.
    let executable: URL
    /// How long one page may take before Chromium is stopped, in seconds.
    var timeout: Double = 120

    /// The first of ``candidates`` that is an executable file in a folder of `searchPath` (a
    /// `PATH` value, folders separated by `:`), nil when there is none.
    static func locate(_ names: [String] = candidates, searchPath: String) -> URL? {
        for name in names {
            for folder in searchPath.split(separator: ":") where !folder.isEmpty {
                let path = URL(fileURLWithPath: String(folder)).appendingPathComponent(name).path
                if FileManager.default.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
            }
        }
        return nil
    }

    /// The renderer for the browser found on `PATH`, as the process environment gives it (like
    /// ``Configuration/resolve(_:environment:)``, the environment is read here and passed in).
    /// - Throws: ``Failure`` `chromium-missing`, telling the user to install Debian's chromium.
    static func find(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PDFRenderer {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        guard let executable = locate(searchPath: path) else { throw Failure.missing(searched: path) }
        return PDFRenderer(executable: executable)
    }

    /// Prints `html` (a file) to `pdf`, replacing it.
    /// - Throws: ``Failure`` when Chromium fails (with the end of what it wrote to standard error),
    ///   takes longer than ``timeout``, or writes no PDF.
    func render(html: URL, to pdf: URL) throws {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("headway-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        try? FileManager.default.removeItem(at: pdf)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
                             "--user-data-dir=\(profile.path)", "--print-to-pdf=\(pdf.path)", html.absoluteURL.absoluteString]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        // Read standard error as it comes, so a chatty Chromium never blocks on a full pipe.
        let collected = Collected()
        errors.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()  // the process this call started, by its handle
            _ = finished.wait(timeout: .now() + 5)
            errors.fileHandleForReading.readabilityHandler = nil
            throw Failure(code: "chromium-timeout",
                          message: "Chromium took longer than \(Int(timeout)) s to print \(html.lastPathComponent) and was stopped; try again, or leave out --pdf.")
        }
        errors.fileHandleForReading.readabilityHandler = nil
        collected.append(errors.fileHandleForReading.readDataToEndOfFile())
        guard process.terminationStatus == 0 else {
            throw Failure(code: "chromium-failed",
                          message: "Chromium (\(executable.path)) could not print \(html.lastPathComponent) (exit \(process.terminationStatus)): \(collected.tail)")
        }
        guard let head = try? FileHandle(forReadingFrom: pdf).read(upToCount: 5), head == Data("%PDF-".utf8) else {
            throw Failure(code: "no-pdf", message: "Chromium (\(executable.path)) wrote no PDF for \(html.lastPathComponent): \(collected.tail)")
        }
    }

    /// Bytes gathered from a pipe on another thread.
    final class Collected: @unchecked Sendable {
        private var data = Data()
        private let lock = NSLock()

        func append(_ more: Data) {
            lock.lock()
            data.append(more)
            lock.unlock()
        }

        /// The last lines, for an error message.
        var tail: String {
            lock.lock()
            defer { lock.unlock() }
            let text = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).suffix(4).joined(separator: " | ")
            return text.isEmpty ? "no message" : text.withVisibleControlCharacters
        }
    }
}
