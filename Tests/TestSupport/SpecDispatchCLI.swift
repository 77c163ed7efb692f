import Foundation

/// The built `spec-dispatch` binary, run as a user would: `$SPEC_DISPATCH_BIN`, or the one built
/// beside the test bundle (`swift build --build-tests` builds both).
public enum SpecDispatchCLI {
    public static let path: String = {
        if let path = ProcessInfo.processInfo.environment["SPEC_DISPATCH_BIN"], !path.isEmpty { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        if folder.pathExtension == "xctest" { folder = folder.deletingLastPathComponent() }
        return folder.appendingPathComponent("spec-dispatch").path
    }()

    /// The repository's Templates folder, for commands that render prompts or copy the example.
    public static let templates: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Templates").path
    }()

    /// Runs `spec-dispatch args…` in `directory`; never throws for a non-zero exit.
    public static func run(_ args: [String], in directory: String, environment: [String: String] = [:]) throws -> CommandResult {
        try Shell.execute([path] + args, in: directory,
                          environment: ["SPEC_DISPATCH_TEMPLATES": templates].merging(environment) { _, new in new })
    }

    /// Runs and expects exit 0; returns stdout.
    @discardableResult
    public static func succeed(_ args: [String], in directory: String, environment: [String: String] = [:]) throws -> String {
        let result = try run(args, in: directory, environment: environment)
        guard result.status == 0 else { throw CommandFailure(command: ["spec-dispatch"] + args, result: result) }
        return result.stdout
    }
}

/// A repository with one or more specs committed on `main`.
public struct SpecRepository {
    public let root: String

    /// Creates `<root>/.kiro/specs/<name>/tasks.md` for each spec (plus requirements and design), committed.
    public init(in root: String, specs: [String: String], extraFiles: [String: String] = [:]) throws {
        self.root = root
        var files = extraFiles
        for (name, tasks) in specs {
            files[".kiro/specs/\(name)/tasks.md"] = tasks
            files[".kiro/specs/\(name)/requirements.md"] = "# Requirements for \(name)\n"
            files[".kiro/specs/\(name)/design.md"] = "# Design for \(name)\n"
        }
        if files["README.md"] == nil { files["README.md"] = "# Test repository\n" }
        try makeRepository(at: root, files: files)
    }

    /// The example spec from Templates/, committed as `.kiro/specs/link-shortener`.
    public static func example(in root: String) throws -> SpecRepository {
        let folder = SpecDispatchCLI.templates + "/example/link-shortener"
        let tasks = try String(contentsOfFile: folder + "/tasks.md", encoding: .utf8)
        return try SpecRepository(in: root, specs: ["link-shortener": tasks])
    }

    public func cli(_ args: String..., environment: [String: String] = [:]) throws -> CommandResult {
        try SpecDispatchCLI.run(args, in: root, environment: environment)
    }

    /// Every ref with its target, and the porcelain status: a snapshot to prove nothing was written.
    public func snapshot() throws -> String {
        try Shell.run(["git", "for-each-ref", "--format=%(refname) %(objectname)"], in: root)
            + (try Shell.run(["git", "status", "--porcelain", "--ignored"], in: root))
            + (try Shell.run(["git", "worktree", "list", "--porcelain"], in: root))
    }
}
