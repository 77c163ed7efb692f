import Foundation
import GitKit
import SpecDispatchCore

/// Installs the hooks of `Hooks/` where git looks for them (`core.hooksPath`, else the common
/// git dir's `hooks/`, which every worktree shares). Never overwrites a hook it did not write:
/// the existing one is renamed `<hook>.spec-dispatch-chained`, ours runs it first and keeps its
/// exit status, and `uninstall` renames it back, byte for byte.
public struct HookInstaller {
    public static let names = ["pre-commit", "commit-msg", "post-commit"]
    static let signature = "# spec-dispatch hook"
    static let chainedSuffix = ".spec-dispatch-chained"

    let repository: Repository
    let templates: TemplateLibrary

    public init(repository: Repository, templates: TemplateLibrary) {
        self.repository = repository
        self.templates = templates
    }

    /// Where git runs hooks from, and what decided it.
    public func directory() throws -> (path: String, reason: String) {
        if let configured = try git({ try repository.config().string("core.hooksPath") }), !configured.isEmpty {
            let expanded = configured.hasPrefix("~/") ? FileTree.homeDirectory + configured.dropFirst(1) : configured
            guard expanded.hasPrefix("/") else {
                // Git resolves a relative hooks path in each worktree, so a window would look in its
                // own checkout, where our hooks are not (and should not be: they are not the user's files).
                let root = repository.mainWorktreePath() ?? repository.commonDirectory
                throw DispatchError.invalidInput("core.hooksPath is relative (\(configured)): git looks for hooks in each worktree's own \(configured), so windows would run none of spec-dispatch's",
                                    details: ["hint: make it absolute, then run `spec-dispatch init` again: git config core.hooksPath \(ShellWord.quoted("\(root)/\(configured)"))"])
            }
            return (expanded, "core.hooksPath")
        }
        return ("\(repository.commonDirectory)/hooks", "the repository's hooks folder")
    }

    /// Installs or refreshes each hook; returns one line per change.
    public func install(binary: String) throws -> [String] {
        let (folder, reason) = try directory()
        try FileTree.makeDirectory(folder)
        var report: [String] = []
        for name in Self.names {
            let path = "\(folder)/\(name)"
            let script = try self.script(name, binary: binary)
            if let existing = FileTree.contents(path), !Self.isOurs(existing) {
                guard !FileTree.exists(path + Self.chainedSuffix) else {
                    throw DispatchError.refused("\(path) is not spec-dispatch's, and \(path + Self.chainedSuffix) already holds a chained hook",
                                        details: ["hint: merge the two by hand, then run `spec-dispatch init` again"])
                }
                guard rename(path, path + Self.chainedSuffix) == 0 else {
                    throw DispatchError.failure("cannot rename \(path): \(String(cString: strerror(errno)))")
                }
                try write(script, to: path)
                report.append("chained your \(name) hook: it now runs first, then spec-dispatch's (\(reason): \(folder))")
            } else if FileTree.contents(path) != script {
                try write(script, to: path)
                report.append("installed the \(name) hook in \(folder) (\(reason))")
            }
        }
        return report
    }

    /// Removes our hooks and puts back any hook they chained; returns one line per change.
    public func uninstall() throws -> [String] {
        let (folder, _) = try directory()
        var report: [String] = []
        for name in Self.names {
            let path = "\(folder)/\(name)"
            guard let existing = FileTree.contents(path), Self.isOurs(existing) else { continue }
            if FileTree.exists(path + Self.chainedSuffix) {
                guard rename(path + Self.chainedSuffix, path) == 0 else {
                    throw DispatchError.failure("cannot restore \(path): \(String(cString: strerror(errno)))")
                }
                report.append("restored your \(name) hook")
            } else {
                try FileTree.remove(path)
                report.append("removed the \(name) hook")
            }
        }
        return report
    }

    static func isOurs(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes.prefix(200), as: UTF8.self).contains(signature)
    }

    /// The hook from `Hooks/`, pointing at this binary (single-quoted for the shell).
    private func script(_ name: String, binary: String) throws -> [UInt8] {
        let bytes = try templates.hook(name)
        let quoted = ShellWord.quoted(binary)
        return Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "@SPEC_DISPATCH@", with: quoted).utf8)
    }

    private func write(_ script: [UInt8], to path: String) throws {
        try FileTree.writeAtomically(script, to: path)
        guard chmod(path, 0o755) == 0 else {
            throw DispatchError.failure("cannot make \(path) executable: \(String(cString: strerror(errno)))")
        }
    }
}
