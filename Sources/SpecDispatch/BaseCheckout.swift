import Foundation
import GitKit
import SpecDispatchCore

/// The working tree where a base branch is checked out, which a merge must keep in step: its
/// files and index follow the branch, and nothing of the user's there may be lost.
struct BaseCheckout {
    let repository: Repository

    var path: String { repository.workingDirectory ?? "" }

    static func find(_ branch: String, in repository: Repository) throws -> BaseCheckout? {
        if let main = repository.mainWorktreePath(), let mainRepository = try? Repository.open(at: main),
           case .branch(let name, _)? = try? mainRepository.head(), name == branch {
            return BaseCheckout(repository: mainRepository)
        }
        for worktree in try git({ try repository.worktrees() }) where worktree.headReference == branch && worktree.isValid {
            return BaseCheckout(repository: try git { try Repository.open(at: worktree.path) })
        }
        return nil
    }

    static func open(at path: String) -> BaseCheckout? {
        (try? Repository.open(at: path)).map(BaseCheckout.init)
    }

    /// Refuses (exit 7, nothing written) when bringing the files that differ between `from` and
    /// `to` into this working tree would overwrite or delete anything of the user's: uncommitted
    /// changes to those files, or untracked or ignored files in their way, as `git merge` refuses.
    func refuseOverwrites(from: ObjectID, to: ObjectID, base: String) throws {
        if let operation = repository.operationInProgress {
            throw DispatchError.refused("\(path) is in the middle of a \(operation); nothing was changed",
                                details: ["hint: finish or abort the \(operation) there, then merge again"])
        }
        let changed = try git { try repository.changedPaths(from: from, to: to) }
        let local = try git { try repository.statusEntries(includeUntracked: true, includeIgnored: true, eachFile: true, paths: changed) }
            .map { entry in
                OverwriteCheck.LocalPath(entry.path, [.untracked, .ignored].contains(entry.workTreeStatus) ? .untracked : .changed)
            }
        let collisions = OverwriteCheck.collisions(changed: changed, local: local) { FileTree.isNonDirectory("\(path)/\($0)") }
        guard !collisions.isEmpty else { return }
        let changes = collisions.filter { $0.reason == .localChanges }.map(\.path)
        let untracked = collisions.filter { $0.reason == .untracked }.map(\.path)
        var what: [String] = []
        if !changes.isEmpty { what.append("uncommitted changes to \(ReasonText.list(changes, limit: 10))") }
        if !untracked.isEmpty { what.append("untracked files in the way: \(ReasonText.list(untracked, limit: 10))") }
        throw DispatchError.refused("\(base)'s working tree has files the merge would overwrite: \(what.joined(separator: "; ")); nothing was changed",
                            details: ["hint: commit, stash or move them away (for untracked files: `git stash -u`), then merge again"])
    }

    /// Brings the files that differ between `from` and `to`, and their index entries, to `to`.
    /// A safe checkout: if something appeared in their way since the check, it stops before writing.
    func update(from: ObjectID, to: ObjectID) throws {
        let paths = try git { try repository.changedPaths(from: from, to: to) }
        do {
            try repository.checkoutTree(to, baseline: from, paths: paths, force: false)
        } catch {
            throw error.code == .conflict
                ? DispatchError.refused("\(path) changed while merging (\(error.message)); nothing was changed",
                                details: ["hint: merge again"])
                : DispatchError.git(error)
        }
    }

    /// Finishes an update that was interrupted: every file that differs between `from` and `to`
    /// must still hold one of the two versions (in the working tree and in the index); then they
    /// all get `to`'s. Returns the paths that hold something else, and then writes nothing.
    func finishUpdate(from: ObjectID, to: ObjectID) throws -> [String] {
        let paths = try git { try repository.changedPaths(from: from, to: to) }
        var foreign: [String] = []
        for path in paths {
            let target = try git { try blobIfFile(path, to) }
            let expected = [try git { try blobIfFile(path, from) }, target]
            let staged = try git { try repository.indexEntryID(path: path) }
            let working = try expected.contains(repository.hashWorkingFile(path)) || isCutShort(path, of: target)
            if !working || !expected.contains(staged) {
                foreign.append(path)
            }
        }
        guard foreign.isEmpty else { return foreign }
        try git { try repository.checkoutTree(to, paths: paths, force: true) }
        return []
    }

    /// The checkout writes a file in place, so a kill can leave it cut short: the start of the
    /// new content (empty, too), which was checked to be no one's before it began.
    private func isCutShort(_ path: String, of target: ObjectID?) throws -> Bool {
        guard let target, let bytes = FileTree.contents("\(self.path)/\(path)") else { return false }
        let full = try git { try repository.blob(target) }
        return bytes.count < full.count && full.starts(with: bytes)
    }

    private func blobIfFile(_ path: String, _ commit: ObjectID) throws(GitError) -> ObjectID? {
        do {
            return try repository.blobID(atPath: path, inCommit: commit)
        } catch where error.code == .directory {
            return nil
        }
    }
}
