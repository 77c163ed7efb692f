import Foundation
import GitKit

/// Fetch, push and ls-remote through the user's `git`, for remotes libgit2 cannot reach as git
/// does (RemoteTransport). Failures come back as GitError, so that they read and retry as
/// libgit2's do: `.auth` when the remote would not let us in, `.locked` for a ref lock.
struct GitCommand {
    let directory: String

    /// The variables by which git tells a hook (and the commands it runs) which repository it is in.
    static let repositoryVariables: Set<String> = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX",
                                                    "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"]

    static let isAvailable: Bool = {
        (try? run(["--version"], in: "/"))?.status == 0
    }()

    func fetch(remote: String, refspecs: [String], prune: Bool) throws(GitError) {
        // FETCH_HEAD is one file every fetch of the repository rewrites; nobody here reads it.
        let result = try run(["fetch", "--quiet", "--no-write-fetch-head"] + (prune ? ["--prune"] : []) + [remote] + refspecs, "git fetch")
        if result.status != 0 { throw failure("git fetch", result) }
    }

    /// `git push --porcelain`, a lease (`--force-with-lease=<ref>:<value>`, empty for absent)
    /// per expected destination; the user's pre-push hook is not run for claims.
    func push(remote: String, refspecs: [String], expecting: [String: ObjectID]) throws(GitError) -> [PushRefResult] {
        let leases = expecting.sorted { $0.key < $1.key }.map { "--force-with-lease=\($0.key):\($0.value.isZero ? "" : $0.value.hex)" }
        let result = try run(["push", "--porcelain", "--no-verify"] + leases + [remote] + refspecs, "git push")
        // One line per reference: flag, tab, `from:to`, tab, summary ("[rejected] (stale info)").
        var outcomes: [String: String?] = [:]
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, let flag = fields[0].first, let destination = fields[1].split(separator: ":").last else { continue }
            let summary = String(fields[2])
            let reason = summary.range(of: "(", options: .backwards).map { String(summary[$0.upperBound...].dropLast()) } ?? summary
            outcomes[String(destination)] = flag == "!" ? .some(reason) : .some(nil)
        }
        let destinations = refspecs.map { String($0.split(separator: ":").last ?? "") }
        guard destinations.allSatisfy({ outcomes[$0] != nil }) else { throw failure("git push", result) }
        return destinations.map { PushRefResult(reference: $0, rejection: outcomes[$0] ?? nil) }
    }

    func references(remote: String) throws(GitError) -> [String: ObjectID] {
        let result = try run(["ls-remote", remote], "git ls-remote")
        if result.status != 0 { throw failure("git ls-remote", result) }
        var references: [String: ObjectID] = [:]
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 2, let id = ObjectID(hex: String(fields[0])) { references[String(fields[1])] = id }
        }
        return references
    }

    private func failure(_ operation: String, _ result: (status: Int32, stdout: String, stderr: String)) -> GitError {
        // What ssh or the server said, without git's closing boilerplate.
        let boilerplate = ["Could not read from remote repository", "Please make sure you have the correct access rights", "and the repository exists"]
        let lines = result.stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { line in !line.isEmpty && !boilerplate.contains(where: { line.contains($0) }) }
        let message = lines.suffix(3).joined(separator: "; ")
        let refused = ["Permission denied", "Authentication failed", "could not read Username", "could not read Password",
                       "terminal prompts disabled"]
        if refused.contains(where: { result.stderr.contains($0) }) {
            return GitError(code: .auth, message: "authentication failed: tried your git and its ssh (\(message))", operation: operation)
        }
        let code: GitError.Code = result.stderr.contains("cannot lock ref") ? .locked : .other(-1)
        return GitError(code: code, message: message.isEmpty ? "exited with \(result.status)" : message, operation: operation)
    }

    private func run(_ arguments: [String], _ operation: String) throws(GitError) -> (status: Int32, stdout: String, stderr: String) {
        do {
            return try Self.run(arguments, in: directory)
        } catch {
            throw GitError(code: .other(-1), message: "cannot run git: \(error)", operation: operation)
        }
    }

    /// Runs git with its output in files, not pipes: an ssh it starts may leave a connection
    /// master running (ControlPersist) that holds them open long after git exits.
    private static func run(_ arguments: [String], in directory: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spec-dispatch-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // Run from a hook, git's own variables would name the hook's repository over `directory`.
        var environment = ProcessInfo.processInfo.environment.filter { !GitCommand.repositoryVariables.contains($0.key) }
        environment["GIT_TERMINAL_PROMPT"] = "0"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "", (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
