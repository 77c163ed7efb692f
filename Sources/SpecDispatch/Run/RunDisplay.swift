import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SpecDispatchCore

/// How `run` shows itself: on a terminal a live block of running jobs, redrawn in place;
/// otherwise one line per event. Every event also goes to the run log, appended with its time
/// the moment it happens (one `write` per line, so `tail -f` sees it and a kill loses nothing).
public final class RunDisplay {
    let terminal: Terminal
    let write: (String) -> Void
    private let log: Int32
    private let stamp: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
    private var drawnLines = 0

    /// `logPath`'s folder is created when missing.
    public init(terminal: Terminal, logPath: String?, write: @escaping (String) -> Void) {
        self.terminal = terminal
        self.write = write
        if let logPath {
            try? FileTree.makeDirectory((logPath as NSString).deletingLastPathComponent)
            log = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        } else {
            log = -1
        }
    }

    deinit {
        if log >= 0 { close(log) }
    }

    /// One line, whatever a quoted error message or name holds: control characters escaped.
    func event(_ text: String) {
        clear()
        let line = ControlCharacters.escaped(text)
        write(line + "\n")
        guard log >= 0 else { return }
        let bytes = Array("\(stamp.string(from: Date())) \(line)\n".utf8)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(log, raw.baseAddress! + offset, raw.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return }
                offset += n
            }
        }
    }

    func progress(_ jobs: [(unit: String, role: String, seconds: TimeInterval)], summary: String) {
        guard terminal.width != nil else { return }
        clear()
        var lines = jobs.map { "  \(ControlCharacters.escaped($0.unit))  \($0.role)  \(Int($0.seconds))s" }
        lines.append(Style.dim.apply(summary, terminal))
        write(lines.joined(separator: "\n") + "\n")
        drawnLines = lines.count
    }

    private func clear() {
        guard drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\u{1B}[J")
        drawnLines = 0
    }
}
