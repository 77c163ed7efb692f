import Foundation
import Testing

/// Runs the real git CLI with an explicit identity (CI machines may have none); with
/// `allowFailure`, a failing command gives empty output instead of an error.
@discardableResult
public func git(_ args: String..., in directory: String, environment: [String: String] = [:], allowFailure: Bool = false) throws -> String {
    let command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"] + args
    if allowFailure {
        let result = try Shell.execute(command, in: directory, environment: environment)
        return result.status == 0 ? result.stdout : ""
    }
    return try Shell.run(command, in: directory, environment: environment)
}

/// The trimmed output of a git command, for single-value commands like `rev-parse`.
public func gitValue(_ args: String..., in directory: String) throws -> String {
    try Shell.run(["git"] + args, in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Calls `body` with a fresh, empty, symlink-free temporary folder that is deleted afterwards.
public func withTemporaryDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let path = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Where tests make their repositories: in memory (`/dev/shm`) when the machine has it, since
/// end-to-end tests make and delete hundreds of thousands of small files, and on a disk the
/// file system's journal costs more than the work tested (the interruption tests ran 2.5 times
/// faster); else the system's temporary folder.
public let scratchParent: String = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()

/// A fresh, empty, symlink-free temporary folder (the caller removes it), in `parent` (default:
/// `scratchParent`).
public func makeTemporaryDirectory(prefix: String = "spec-dispatch-test", in parent: String? = nil) throws -> String {
    let folder = (parent ?? scratchParent).hasSuffix("/") ? (parent ?? scratchParent) : (parent ?? scratchParent) + "/"
    var template = Array((folder + "\(prefix)-XXXXXX").utf8CString)
    let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard let created else { throw POSIXError(.EIO) }
    return URL(fileURLWithPath: String(cString: created)).resolvingSymlinksInPath().path
}

/// Writes `contents` to `relativePath` under `root`, creating folders.
public func write(_ contents: String, to relativePath: String, in root: String) throws {
    try write(Array(contents.utf8), to: relativePath, in: root)
}

/// Writes raw bytes to `relativePath` under `root`, creating folders.
public func write(_ bytes: [UInt8], to relativePath: String, in root: String) throws {
    let url = URL(fileURLWithPath: root).appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
}

/// Reads a file under `root` as bytes.
public func readBytes(_ relativePath: String, in root: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: root).appendingPathComponent(relativePath)))
}

/// Makes a repository at `path` (branch `main`) with `files` committed in one commit; returns the commit id.
@discardableResult
public func makeRepository(at path: String, files: [String: String] = ["README.md": "hello\n"]) throws -> String {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try git("init", "-q", "-b", "main", in: path)
    return try commitFiles(files, message: "initial", in: path)
}

/// Writes `files`, stages everything and commits; returns the new HEAD.
@discardableResult
public func commitFiles(_ files: [String: String], message: String, at date: Int? = nil, in path: String) throws -> String {
    for (name, contents) in files {
        try write(contents, to: name, in: path)
    }
    try git("add", "-A", in: path)
    let dates = date.map { ["GIT_AUTHOR_DATE": "@\($0) +0000", "GIT_COMMITTER_DATE": "@\($0) +0000"] } ?? [:]
    try git("commit", "-q", "--allow-empty", "-m", message, in: path, environment: dates)
    return try gitValue("rev-parse", "HEAD", in: path)
}

/// Asserts `git fsck` finds nothing wrong in the repository at `path`: exit 0 and nothing
/// printed, on stdout (errors) or stderr (warnings such as "bad sha1 file"; only `notice:`
/// lines, like an unborn HEAD in a new bare remote, are fine). `context` prefixes the message.
public func expectFsckClean(_ path: String, context: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
    let result = try Shell.execute(["git", "fsck", "--strict", "--no-dangling", "--no-progress"], in: path)
    let warnings = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("notice: ") }
    #expect(result.status == 0 && result.stdout.isEmpty && warnings.isEmpty,
            "\(context.isEmpty ? "" : context + ": ")git fsck reported: \(result)", sourceLocation: sourceLocation)
}

/// Runs `args` (looked up in PATH) in `directory` and returns its stdout; throws on a non-zero exit.
@discardableResult
public func run(_ args: [String], in directory: String, environment: [String: String] = [:]) throws -> String {
    try Shell.run(args, in: directory, environment: environment)
}
