import Foundation
import GitKit
#if canImport(Glibc)
import Glibc
#endif

/// Makes a new window a working checkout, not only the sources (DESIGN §6): copies the main
/// working tree's git-ignored files that `.worktreeinclude` or `dispatch.setup.copy` name (an
/// `.env`, local config), then runs `dispatch.setup.run` (installing dependencies, say).
struct WindowSetup {
    let repository: Repository
    let settings: DispatchSettings

    static let includeFile = ".worktreeinclude"

    struct Failure: Error {
        var message: String
    }

    /// Copies and runs; throws `Failure` with the command's last output lines when it fails.
    func prepare(window: String, environment: [String: String]) throws -> [String] {
        var notes: [String] = []
        guard let main = repository.mainWorktreePath() else { return notes }
        let patterns = includePatterns(main: main) + settings.setupCopy
        if !patterns.isEmpty {
            let copied = try copyIncluded(from: main, to: window, patterns: patterns)
            if !copied.isEmpty { notes.append("copied into the window: \(ReasonText.list(copied))") }
        }
        if let command = settings.setupRun, !command.isEmpty {
            try run(command, in: window, environment: environment)
            notes.append("ran the setup command: \(command)")
        }
        return notes
    }

    /// `.worktreeinclude` lines (gitignore syntax; `#` comments and blank lines skipped).
    private func includePatterns(main: String) -> [String] {
        guard let bytes = FileTree.contents("\(main)/\(Self.includeFile)") else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// Ignored files (or folders) of the main working tree that match a pattern, copied to the same path.
    private func copyIncluded(from main: String, to window: String, patterns: [String]) throws -> [String] {
        let mainRepository = try git { try Repository.open(at: main) }
        let ignored = try git { try mainRepository.statusEntries(includeUntracked: false, includeIgnored: true) }
            .filter { $0.workTreeStatus == .ignored }.map(\.path)
        var copied: [String] = []
        for path in ignored where patterns.contains(where: { Self.matches($0, path) }) {
            let name = path.hasSuffix("/") ? String(path.dropLast()) : path
            let target = "\(window)/\(name)"
            guard !FileTree.exists(target) else { continue }
            try FileTree.makeDirectory((target as NSString).deletingLastPathComponent)
            do {
                try FileManager.default.copyItem(atPath: "\(main)/\(name)", toPath: target)
            } catch {
                throw DispatchError.failure("cannot copy \(name) into the window: \(error.localizedDescription)")
            }
            copied.append(name)
        }
        return copied
    }

    /// gitignore-style matching, simplified: a pattern with no `/` (but a trailing one) matches a
    /// name at any depth; a leading `/` anchors it at the root; `*` and `?` glob within a name.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var pattern = pattern
        let directoryOnly = pattern.hasSuffix("/")
        if directoryOnly { pattern.removeLast() }
        let isDirectory = path.hasSuffix("/")
        if directoryOnly, !isDirectory { return false }
        let candidate = isDirectory ? String(path.dropLast()) : path
        if pattern.hasPrefix("/") { return fnmatch(String(pattern.dropFirst()), candidate, FNM_PATHNAME) == 0 }
        if !pattern.contains("/") {
            return candidate.split(separator: "/").contains { fnmatch(pattern, String($0), 0) == 0 }
        }
        return fnmatch(pattern, candidate, FNM_PATHNAME) == 0
    }

    /// The setup command through `sh -c` (the command is the user's own setting; nothing from
    /// tasks.md is ever put into it), its output saved in `.dispatch/setup.log`.
    private func run(_ command: String, in window: String, environment: [String: String]) throws {
        let log = "\(window)/\(IgnoreRule.folder)/setup.log"
        try FileTree.makeDirectory((log as NSString).deletingLastPathComponent)
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: window)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(message: "cannot start the setup command: \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let output = FileTree.contents(log).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let tail = output.split(separator: "\n").suffix(5).joined(separator: "\n")
            throw Failure(message: "the setup command `\(command)` failed with exit \(process.terminationStatus)" + (tail.isEmpty ? "" : ":\n\(tail)"))
        }
    }
}
