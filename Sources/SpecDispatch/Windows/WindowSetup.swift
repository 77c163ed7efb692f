import Foundation
import GitKit
import SpecDispatchCore
#if canImport(Glibc)
import Glibc
#endif

/// Makes a new window a working checkout, not only the sources (docs/agents.md, "Windows that work"): copies the main
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

    /// The main working tree's ignored files that the patterns take in, at any depth (inside a
    /// wholly ignored folder too), copied to the same paths; a folder taken in whole is copied
    /// whole. Files already in the window stay as they are.
    private func copyIncluded(from main: String, to window: String, patterns lines: [String]) throws -> [String] {
        let patterns = GitignorePatterns(lines: lines)
        let mainRepository = try git { try Repository.open(at: main) }
        // Status lists a wholly ignored folder once (`config/`), so looking inside is ours to do.
        let ignored = try git { try mainRepository.statusEntries(includeUntracked: false, includeIgnored: true) }
            .filter { $0.workTreeStatus == .ignored }.map(\.path)
        var copied: [String] = []
        for entry in ignored {
            let isFolder = entry.hasSuffix("/")
            let name = isFolder ? String(entry.dropLast()) : entry
            if patterns.contains(name, isDirectory: isFolder) {
                if try copy(name, from: main, to: window) { copied.append(name) }
            } else if isFolder {
                for file in Self.files(under: name, in: main, worthLooking: patterns) where patterns.contains(file, isDirectory: false) {
                    if try copy(file, from: main, to: window) { copied.append(file) }
                }
            }
        }
        return copied
    }

    /// The files (and links) below `folder`, relative to `root`, skipping folders where the
    /// patterns can take nothing in; links to folders are not followed.
    private static func files(under folder: String, in root: String, worthLooking patterns: GitignorePatterns) -> [String] {
        guard patterns.contains(folder, isDirectory: true) || patterns.mayContainSomethingBelow(folder) else { return [] }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(folder)")) ?? []).sorted()
        return names.flatMap { name -> [String] in
            let path = "\(folder)/\(name)"
            let isFolder = FileTree.isDirectory("\(root)/\(path)") && !FileTree.isSymbolicLink("\(root)/\(path)")
            return isFolder ? files(under: path, in: root, worthLooking: patterns) : [path]
        }
    }

    /// Copies `path` (a file, link or folder) from the main working tree; false when the window
    /// already has something there.
    private func copy(_ path: String, from main: String, to window: String) throws -> Bool {
        let target = "\(window)/\(path)"
        guard !FileTree.exists(target), !FileTree.isSymbolicLink(target) else { return false }
        try FileTree.makeDirectory((target as NSString).deletingLastPathComponent)
        do {
            try FileManager.default.copyItem(atPath: "\(main)/\(path)", toPath: target)
        } catch {
            throw DispatchError.failure("cannot copy \(path) into the window: \(error.localizedDescription)")
        }
        return true
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
