import GitKit

/// What deleting a window's folder would lose, asked the same way by every command that deletes one.
enum WindowChanges {
    /// Paths with uncommitted changes (ignored files, like the payload, excluded; a deletion loses
    /// nothing). A folder that exists but cannot be read as a worktree (say, a broken `.git` file)
    /// is reported as one change, so that nothing deletes it unforced; a folder that is gone has none.
    static func uncommitted(in worktree: WorktreeInfo) -> [String] {
        guard FileTree.exists(worktree.path) else { return [] }
        let unreadable = ["\(worktree.path) (not readable as a worktree)"]
        guard FileTree.isDirectory(worktree.path), let repository = try? Repository.open(at: worktree.path) else { return unreadable }
        let complete = repository.hasIndexFile
        guard let entries = try? repository.statusEntries(includeUntracked: true, eachFile: !complete) else { return unreadable }
        if complete { return entries.filter { !$0.isDeletion }.map(\.path) }
        // No index: the checkout that writes it was interrupted. The files it wrote, whole or cut
        // short, are HEAD's; only files HEAD does not have were put there by someone.
        let head: ObjectID? = switch try? repository.head() {
        case .branch(_, let commit)?, .detached(let commit)?: commit
        default: nil
        }
        guard let head else { return entries.map(\.path) }
        return entries.filter { entry in
            entry.workTreeStatus == .untracked && (try? repository.blobID(atPath: entry.path, inCommit: head)) == nil
        }.map(\.path)
    }
}

private extension StatusEntry {
    var isDeletion: Bool {
        let sides = [indexStatus, workTreeStatus].compactMap { $0 }
        return !sides.isEmpty && sides.allSatisfy { $0 == .deleted }
    }
}
