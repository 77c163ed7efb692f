import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process started now and collected later, for tests that run several at once or kill one
/// midway. Both pipes are drained while it runs, so it never blocks on a full pipe.
public final class LaunchedCommand: @unchecked Sendable {
    public let command: [String]
    private let process = Process()
    private let output = Pipe(), errors = Pipe()
    private let group = DispatchGroup()
    private var stdout = Data(), stderr = Data()

    /// Prepares `args` (`args[0]` absolute, or looked up in PATH) in `directory` with the test
    /// environment; `input` becomes its standard input (default: an empty, closed pipe).
    public init(_ args: [String], in directory: String, environment extra: [String: String] = [:], input: FileHandle? = nil) {
        command = args
        if args[0].hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: args[0])
            process.arguments = Array(args.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = args
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = Shell.baseEnvironment().merging(extra) { _, new in new }
        process.standardOutput = output
        process.standardError = errors
        if let input {
            process.standardInput = input
        } else {
            let empty = Pipe()
            try? empty.fileHandleForWriting.close()
            process.standardInput = empty
        }
    }

    /// Starts the process and the readers of its output.
    public func start() throws {
        try process.run()
        group.enter()
        group.enter()
        DispatchQueue.global().async { [self] in
            stdout = output.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        DispatchQueue.global().async { [self] in
            stderr = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
    }

    public var pid: pid_t { process.processIdentifier }

    public var isRunning: Bool { process.isRunning }

    /// Sends SIGKILL, unless it has already exited.
    public func killHard() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Sends `signal`, unless it has already exited.
    public func send(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Waits at most `timeout` seconds, then kills it; the result, and whether it had to be killed.
    public func wait(timeout: TimeInterval) -> (result: CommandResult, timedOut: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        let timedOut = process.isRunning
        if timedOut { killHard() }
        return (wait(), timedOut)
    }

    /// Waits for the exit and returns what it printed. A process killed by a signal reports
    /// `status` as the negated signal number (-9 for SIGKILL).
    public func wait() -> CommandResult {
        group.wait()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
        return CommandResult(status: status, stdout: String(decoding: stdout, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self), stdoutBytes: [UInt8](stdout))
    }
}

/// Starts several processes so that they begin their real work at the same instant: each runs
/// under a tiny `sh` that blocks reading a shared pipe; once all of them are waiting there (or
/// after a second at most), the pipe's only write end is closed and every reader wakes at once.
public enum StartingGate {
    public static func run(_ commands: [[String]], in directory: String, environment: [String: String] = [:]) throws -> [CommandResult] {
        // Both ends close on exec, so no child holds the write end open; the read end becomes
        // each child's stdin (dup2 clears the flag there).
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let reading = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
        var writing: Int32? = ends[1]
        defer { if let writing { close(writing) } }
        let launched = commands.map { args in
            LaunchedCommand(["/bin/sh", "-c", "read go; exec \"$@\"", "sh"] + args, in: directory, environment: environment, input: reading)
        }
        for command in launched { try command.start() }
        waitUntilBlocked(launched.map(\.pid), timeout: 1.0)
        close(ends[1])
        writing = nil
        return launched.map { $0.wait() }
    }

    /// True once every process is `sh` asleep (in its `read`), as /proc says.
    private static func waitUntilBlocked(_ pids: [pid_t], timeout: TimeInterval) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let waiting = pids.allSatisfy { pid in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
                return stat.contains("(sh) S ")
            }
            if waiting { return }
            usleep(200)
        }
    }
}
