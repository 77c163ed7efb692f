import Foundation

/// A repository with one spec, spec-dispatch's hooks installed, and one unit dispatched: the
/// setting for testing what happens when an agent commits in its window.
public struct WindowFixture {
    public let repo: SpecRepository
    public let window: String
    public let tasksPath: String

    public init(in root: String, tasks: String, unit: String? = nil, initFirst: Bool = true) throws {
        repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
        tasksPath = ".kiro/specs/s/tasks.md"
        if initFirst { try SpecDispatchCLI.succeed(["init"], in: repo.root) }
        window = try SpecDispatchCLI.succeed(["next"] + (unit.map { [$0] } ?? []), in: repo.root)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The window's tasks.md as committed at `revision` (default HEAD).
    public func committedTasks(_ revision: String = "HEAD") throws -> String {
        try git("show", "\(revision):\(tasksPath)", in: window)
    }

    public func workingTasks() throws -> String {
        try String(contentsOfFile: window + "/" + tasksPath, encoding: .utf8)
    }

    /// Changes a file and commits it with `git commit`, hooks and all; returns the result.
    public func commit(_ message: String, trailers: [String] = [], file: String = "work.txt", extra: [String] = [])
        throws -> CommandResult {
        let path = window + "/" + file
        let previous = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try write(previous + "\(message)\n", to: file, in: window)
        try git("add", file, in: window)
        return try Shell.execute(["git", "commit", "-q", "-m", message] + trailers.flatMap { ["--trailer", $0] } + extra, in: window)
    }

    public func commitCount() throws -> Int {
        Int(try gitValue("rev-list", "--count", "HEAD", in: window)) ?? -1
    }
}
