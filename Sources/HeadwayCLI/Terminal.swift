import Foundation
import HeadwayCore

/// Terminal output: results on standard output, progress and diagnostics on standard error so
/// that piping a command's output to a file keeps only the results.
enum Terminal {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A one-line progress bar redrawn in place on standard error:
    /// `Generating  [#########...........]  45%`. Finished with ``finish(_:)``.
    final class Progress: @unchecked Sendable {
        let label: String
        private var lastPercent = -1
        private let lock = NSLock()
        private let interactive = isatty(STDERR_FILENO) == 1

        init(_ label: String) { self.label = label }

        func update(_ fraction: Double) {
            let percent = Int((min(max(fraction, 0), 1) * 100).rounded(.down))
            lock.lock()
            defer { lock.unlock() }
            guard percent != lastPercent else { return }
            lastPercent = percent
            guard interactive else { return }
            let filled = percent / 5
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
            FileHandle.standardError.write(Data("\r\(label.padding(toLength: 28, withPad: " ", startingAt: 0)) [\(bar)] \(percent)%".utf8))
        }

        /// Ends the bar with a closing note, e.g. the elapsed time.
        func finish(_ note: String) {
            let line = "\(label.padding(toLength: 28, withPad: " ", startingAt: 0)) \(note)"
            FileHandle.standardError.write(Data(((interactive ? "\r\u{1B}[2K" : "") + line + "\n").utf8))
        }
    }

    /// Formats rows as left-aligned columns under a header, for the terminal.
    static func table(_ header: [String], _ rows: [[String]], indent: String = "  ") -> String {
        let header = header.map(\.withVisibleControlCharacters), rows = rows.map { $0.map(\.withVisibleControlCharacters) }
        let all = [header] + rows
        let widths = (0..<header.count).map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            indent + row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header), indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n")
    }

    /// Seconds with sensible precision: `0.42 s`, `12.3 s`.
    static func seconds(since start: ContinuousClock.Instant) -> String {
        let d = ContinuousClock.now - start
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return s < 10 ? String(format: "%.2f s", s) : String(format: "%.1f s", s)
    }
}
