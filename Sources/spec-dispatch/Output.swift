import Foundation
import SpecDispatch
import SpecDispatchCore

/// Writing to stdout and stderr, unbuffered: each call is one or a few `write(2)`s, so large
/// outputs (megabytes of JSON) go out without copies and errors interleave in order.
enum Output {
    static let environment = ProcessInfo.processInfo.environment
    static var terminal: Terminal { Terminal.standardOutput(environment: environment) }
    static var errorTerminal: Terminal { Terminal.standardError(environment: environment) }

    static func write(_ bytes: [UInt8]) { write(bytes, to: 1) }

    static func write(_ text: String) { write(Array(text.utf8), to: 1) }

    static func writeError(_ text: String) { write(Array(text.utf8), to: 2) }

    private static func write(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }

    /// What a message quotes (a title, a name, an argument) is shown with its control characters
    /// escaped; its line breaks stay, since some messages end with a failed command's last lines.
    static func error(_ error: DispatchError) {
        if case .reported = error { return }
        let label = Style.red.apply("error", errorTerminal)
        let hints = error.details.map(ControlCharacters.escapedLines).map { $0.hasPrefix("hint: ") ? Style.dim.apply($0, errorTerminal) : $0 }
        writeError((["\(label): \(ControlCharacters.escapedLines(error.message))"] + hints).joined(separator: "\n") + "\n")
    }

    static func exit(_ code: Int32) -> Never {
        Foundation.exit(code)
    }
}
