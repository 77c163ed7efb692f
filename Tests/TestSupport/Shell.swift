import Foundation

/// What a finished command printed and how it exited.
public struct CommandResult: Sendable, CustomStringConvertible {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutBytes: [UInt8]

    public var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
}

/// A command that exited non-zero where success was expected.
public struct CommandFailure: Error, CustomStringConvertible {
    public let command: [String]
    public let result: CommandResult
    public var description: String { "\(command.joined(separator: " ")) exited with \(result.status): \(result.stderr)" }
}

/// Runs real processes for tests, the way a user would from a shell.
public enum Shell {
    /// Environment every test command gets: no system/global git config surprises, no prompts.
    public static func baseEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_AUTHOR_NAME"] = "Test"
        environment["GIT_AUTHOR_EMAIL"] = "test@example.com"
        environment["GIT_COMMITTER_NAME"] = "Test"
        environment["GIT_COMMITTER_EMAIL"] = "test@example.com"
        environment.removeValue(forKey: "NO_COLOR")
        return environment
    }

    /// Runs `args` (`args[0]` looked up in PATH unless absolute) in `directory`; never throws for a
    /// non-zero exit, so tests can check exit codes. Reads both pipes concurrently.
    public static func execute(_ args: [String], in directory: String, environment extra: [String: String] = [:],
                               input: [UInt8]? = nil) throws -> CommandResult {
        let stdin = Pipe()
        let command = LaunchedCommand(args, in: directory, environment: extra, input: stdin.fileHandleForReading)
        try command.start()
        if let input { stdin.fileHandleForWriting.write(Data(input)) }
        try? stdin.fileHandleForWriting.close()
        return command.wait()
    }

    /// Runs and returns stdout; throws `CommandFailure` on a non-zero exit.
    @discardableResult
    public static func run(_ args: [String], in directory: String, environment: [String: String] = [:]) throws -> String {
        let result = try execute(args, in: directory, environment: environment)
        guard result.status == 0 else { throw CommandFailure(command: args, result: result) }
        return result.stdout
    }
}
