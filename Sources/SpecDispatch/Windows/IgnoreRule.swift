import GitKit

/// Keeps each window's `.dispatch/` folder (payload and prompt) out of git: one line in the
/// repository's `info/exclude`, which every worktree shares and nothing commits.
enum IgnoreRule {
    static let folder = ".dispatch"
    static let line = "/.dispatch/"

    static func path(_ repository: Repository) -> String { repository.commonDirectory + "/info/exclude" }

    static func isInstalled(_ repository: Repository) -> Bool {
        ManagedLines.contains(line, in: path(repository))
    }

    static let comment = "# spec-dispatch: payload and prompt of each window"

    /// Removes what `install` added; returns whether it changed anything.
    @discardableResult
    static func uninstall(_ repository: Repository) throws -> Bool {
        try ManagedLines.remove(line, comment: comment, from: path(repository))
    }

    /// Adds the line if missing (atomically); returns whether it changed anything.
    @discardableResult
    static func install(_ repository: Repository) throws -> Bool {
        try ManagedLines.add(line, comment: comment, to: path(repository))
    }
}
