/// A finding about tasks.md, reported as `path:line: severity: message`.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Comparable {
        case error, warning

        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public var severity: Severity
    /// 1-based line number; nil for findings about the file as a whole.
    public var line: Int?
    /// A stable identifier for machines (`duplicate-id`, `dependency-cycle`, …); see docs/json.md.
    public var code: String
    public var message: String

    public init(_ severity: Severity, line: Int?, code: String, _ message: String) {
        self.severity = severity
        self.line = line
        self.code = code
        self.message = message
    }

    /// The compiler-style line users expect: `tasks.md:12: error: duplicate task id 1.2`.
    public func formatted(path: String) -> String {
        let location = line.map { "\(path):\($0)" } ?? path
        return "\(location): \(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
