#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How output should look: colour only on a terminal, never under `NO_COLOR` or `TERM=dumb`.
public struct Terminal: Sendable {
    public var colors: Bool
    /// Columns to fit lines into; nil when not a terminal (pipes get whole lines).
    public var width: Int?

    public init(colors: Bool, width: Int?) {
        self.colors = colors
        self.width = width
    }

    public static func standardOutput(environment: [String: String]) -> Terminal {
        detect(fd: 1, environment: environment)
    }

    public static func standardError(environment: [String: String]) -> Terminal {
        detect(fd: 2, environment: environment)
    }

    private static func detect(fd: Int32, environment: [String: String]) -> Terminal {
        let tty = isatty(fd) == 1
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        var size = winsize()
        let width = tty && ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
        return Terminal(colors: tty && !noColor && !dumb, width: width)
    }

    public static let plain = Terminal(colors: false, width: nil)
}

/// ANSI styles, applied only when the terminal allows colour.
public enum Style: String, Sendable {
    case green = "32", yellow = "33", red = "31", cyan = "36", boldCyan = "1;36", dim = "2", bold = "1"

    public func apply(_ text: String, _ terminal: Terminal) -> String {
        terminal.colors && !text.isEmpty ? "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" : text
    }
}
