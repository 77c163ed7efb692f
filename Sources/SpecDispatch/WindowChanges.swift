import GitKit

/// What deleting a window's folder would lose, asked the same way by every command that deletes one.
enum WindowChanges {
    /// Paths with uncommitted changes (ignored files, like the payload, excluded). A folder that
    /// exists but cannot be read as a worktree (say, a broken `.git` file) is reported as one
    /// change, so that nothing deletes it unforced; a folder that is gone has none.
    static func uncommitted(in worktree: WorktreeInfo) -> [String] {
        guard FileTree.exists(worktree.path) else { return [] }
        guard FileTree.isDirectory(worktree.path), let repository = try? Repository.open(at: worktree.path),
              let entries = try? repository.statusEntries(includeUntracked: true) else {
            return ["\(worktree.path) (not readable as a worktree)"]
        }
        return entries.map(\.path)
    }
}
