import GitKit

/// An error a user can act on, with its exit code. The message is one line (or a few), in git's tone.
public struct DispatchError: Error, CustomStringConvertible, Sendable {
    public var exitCode: ExitCode
    public var message: String
    /// Extra lines printed after the message (diagnostics, hints).
    public var details: [String]

    public init(_ exitCode: ExitCode, _ message: String, details: [String] = []) {
        self.exitCode = exitCode
        self.message = message
        self.details = details
    }

    public var description: String { ([message] + details).joined(separator: "\n") }

    static func git(_ error: GitError) -> DispatchError {
        DispatchError(.failure, error.description)
    }

    static func notARepository(_ path: String) -> DispatchError {
        DispatchError(.notFound, "not a git repository (or any parent up to /): \(path)")
    }
}

/// Runs a GitKit call, turning its error into a `DispatchError`.
func git<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as GitError {
        throw DispatchError.git(error)
    }
}
