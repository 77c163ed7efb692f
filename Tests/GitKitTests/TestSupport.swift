import Foundation
import GitKit
import Testing

/// A failed command run by a test.
struct CommandFailure: Error, CustomStringConvertible {
    let command: [String]
    let status: Int32
    let standardError: String
    var description: String { "\(command.joined(separator: " ")) exited with \(status): \(standardError)" }
}

/// Runs `args` (looked up in PATH) in `directory` and returns its standard output; throws when it fails.
@discardableResult
func run(_ args: [String], in directory: String, environment extra: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = args
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_TERMINAL_PROMPT"] = "0"
    environment.merge(extra) { _, new in new }
    process.environment = environment
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CommandFailure(command: args, status: process.terminationStatus, standardError: String(decoding: stderr, as: UTF8.self))
    }
    return String(decoding: stdout, as: UTF8.self)
}

/// Runs the real git CLI with an explicit identity (CI machines may have none) in `directory`.
@discardableResult
func git(_ args: String..., in directory: String) throws -> String {
    try run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"] + args, in: directory)
}

/// The trimmed output of a git command, for single-value commands like `rev-parse`.
func gitValue(_ args: String..., in directory: String) throws -> String {
    try run(["git"] + args, in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Calls `body` with a fresh, empty, symlink-free temporary folder that is deleted afterwards.
func withTemporaryDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    var template = Array((NSTemporaryDirectory() + "gitkit-test-XXXXXX").utf8CString)
    let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard let created else { throw CommandFailure(command: ["mkdtemp"], status: errno, standardError: "cannot create a temporary folder") }
    let path = URL(fileURLWithPath: String(cString: created)).resolvingSymlinksInPath().path
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Writes `contents` to `relativePath` under `root`, creating folders.
func write(_ contents: String, to relativePath: String, in root: String) throws {
    try write(Array(contents.utf8), to: relativePath, in: root)
}

/// Writes raw bytes to `relativePath` under `root`, creating folders.
func write(_ bytes: [UInt8], to relativePath: String, in root: String) throws {
    let url = URL(fileURLWithPath: root).appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
}

/// Makes a repository at `path` (branch `main`) with `files` committed in one commit; returns the commit id.
@discardableResult
func makeRepository(at path: String, files: [String: String] = ["README.md": "hello\n"]) throws -> String {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try git("init", "-q", "-b", "main", in: path)
    try commitFiles(files, message: "initial", in: path)
    return try gitValue("rev-parse", "HEAD", in: path)
}

/// Writes `files`, stages everything and commits; returns the new HEAD.
@discardableResult
func commitFiles(_ files: [String: String], message: String, at date: Int? = nil, in path: String) throws -> String {
    for (name, contents) in files {
        try write(contents, to: name, in: path)
    }
    try git("add", "-A", in: path)
    let dates = date.map { ["GIT_AUTHOR_DATE": "@\($0) +0000", "GIT_COMMITTER_DATE": "@\($0) +0000"] } ?? [:]
    try run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
             "commit", "-q", "--allow-empty", "-m", message], in: path, environment: dates)
    return try gitValue("rev-parse", "HEAD", in: path)
}

/// Asserts `git fsck` finds nothing wrong in the repository at `path`.
func expectFsckClean(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let output = try run(["git", "fsck", "--strict", "--no-dangling", "--no-progress"], in: path)
    #expect(output.isEmpty, "git fsck reported: \(output)", sourceLocation: sourceLocation)
}

/// A fixed signature for commits made through GitKit.
let testSignature = Signature(name: "Test", email: "test@example.com", time: 1_700_000_000, offsetMinutes: 60)

extension ObjectID {
    /// The id of a hex string the test knows is valid.
    init(_ hex: String) {
        self.init(hex: hex.trimmingCharacters(in: .whitespacesAndNewlines))!
    }
}

/// The error `body` throws, which must be a `GitError` (nil when it throws nothing).
func gitError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> GitError? {
    do {
        try body()
        return nil
    } catch let error as GitError {
        return error
    } catch {
        Issue.record("expected a GitError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
