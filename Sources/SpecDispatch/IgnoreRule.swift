import Foundation
import GitKit

/// Keeps each window's `.dispatch/` folder (payload and prompt) out of git: one line in the
/// repository's `info/exclude`, which every worktree shares and nothing commits.
enum IgnoreRule {
    static let folder = ".dispatch"
    static let line = "/.dispatch/"

    static func path(_ repository: Repository) -> String { repository.commonDirectory + "/info/exclude" }

    static func isInstalled(_ repository: Repository) -> Bool {
        guard let text = try? String(contentsOfFile: path(repository), encoding: .utf8) else { return false }
        return text.split(whereSeparator: \.isNewline).contains { $0.trimmingCharacters(in: .whitespaces) == line }
    }

    static let comment = "# spec-dispatch: payload and prompt of each window"

    /// Removes what `install` added; returns whether it changed anything.
    @discardableResult
    static func uninstall(_ repository: Repository) throws -> Bool {
        let file = path(repository)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return false }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let kept = lines.filter { $0 != comment && $0.trimmingCharacters(in: .whitespaces) != line }
        guard kept.count != lines.count else { return false }
        try FileTree.writeAtomically(Array(kept.joined(separator: "\n").utf8), to: file)
        return true
    }

    /// Adds the line if missing (atomically); returns whether it changed anything.
    @discardableResult
    static func install(_ repository: Repository) throws -> Bool {
        guard !isInstalled(repository) else { return false }
        let file = path(repository)
        var text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        text += "\(comment)\n\(line)\n"
        try FileTree.writeAtomically(Array(text.utf8), to: file)
        return true
    }
}
