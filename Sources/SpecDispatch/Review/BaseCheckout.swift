import Foundation
import GitKit
import SpecDispatchCore

/// The working tree where a base branch is checked out, which a merge must keep in step: its
/// files and index follow the branch, and nothing of the user's there may be lost.
struct BaseCheckout {
    let repository: Repository

    var path: String { repository.workingDirectory ?? "" }

    /// The one working tree with `branch` checked out, nil when none has it. Refuses (exit 7)
    /// when one that has it cannot be reached (a linked worktree moved by hand, a main working
    /// tree whose folder is unknown from here), or several have it: moving the branch under
    /// them would leave their index holding the reverse of the merge, which git never does.
    static func find(_ branch: String, in repository: Repository) throws -> BaseCheckout? {
        var found: [BaseCheckout] = []
        var unreachable: [String] = []
        if case .branch(branch, _)? = try? repository.mainWorktreeHead() {
            if let main = repository.mainWorktreePath(), let mainRepository = try? Repository.open(at: main) {
                found.append(BaseCheckout(repository: mainRepository))
            } else if !repository.mainIsBare {
                unreachable.append("the main working tree (run this from it)")
            }
        }
        for worktree in try git({ try repository.worktrees() }) {
            guard case .branch(branch, _)? = repository.head(ofWorktree: worktree.name) else { continue }
            if worktree.isValid, let opened = try? Repository.open(at: worktree.path) {
                found.append(BaseCheckout(repository: opened))
            } else {
                unreachable.append("\(worktree.path), which is gone or moved (`git worktree repair` or `git worktree prune`)")
            }
        }
        let name = BranchName.short(branch)
        guard unreachable.isEmpty else {
            throw DispatchError.refused("\(name) is checked out in \(ReasonText.list(unreachable)); nothing was changed")
        }
        guard found.count <= 1 else {
            throw DispatchError.refused("\(name) is checked out in several working trees (\(ReasonText.list(found.map(\.path)))); nothing was changed",
                                        details: ["hint: check out another branch in all but one of them"])
        }
        return found.first
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
    /// must still hold one of the two versions (in the working tree and in the index), or the
    /// start of `to`'s (cut short by the kill), and nothing else may stand in their way (what
    /// appeared since: a folder where a file goes, a file or link where a folder goes); then they
    /// all get `to`'s. Returns the paths that stand in the way, and then writes nothing.
    func finishUpdate(from: ObjectID, to: ObjectID) throws -> [String] {
        let paths = try git { try repository.changedPaths(from: from, to: to) }
        var foreign: [String] = []
        var ours = Set<String>()
        for path in paths {
            let target = try git { try blobIfFile(path, to) }
            let expected = [try git { try blobIfFile(path, from) }, target]
            let staged = try git { try repository.indexEntryID(path: path) }
            let working = try expected.contains(repository.hashWorkingFile(path)) || isCutShort(path, of: target)
            if working && expected.contains(staged) { ours.insert(path) } else { foreign.append(path) }
        }
        let local = try git { try repository.statusEntries(includeUntracked: true, includeIgnored: true, eachFile: true, paths: paths) }
            .filter { !ours.contains($0.path) }
            .map { OverwriteCheck.LocalPath($0.path, [.untracked, .ignored].contains($0.workTreeStatus) ? .untracked : .changed) }
        foreign += OverwriteCheck.collisions(changed: paths, local: local) { FileTree.isNonDirectory("\(self.path)/\($0)") }
            .map(\.path).filter { !ours.contains($0) }
        guard foreign.isEmpty else { return Array(Set(foreign)).sorted() }
        try git { try repository.checkoutTree(to, paths: paths, force: true) }
        return []
    }

    /// True when none of the files that differ between `from` and `to` differs from this working
    /// tree's HEAD (the merge wrote nothing here, or nothing that stayed).
    func holdsNothingOf(from: ObjectID, to: ObjectID) throws -> Bool {
        let paths = try git { try repository.changedPaths(from: from, to: to) }
        return try git { try repository.statusEntries(includeUntracked: true, includeIgnored: false, paths: paths) }.isEmpty
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
