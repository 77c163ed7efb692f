import Foundation
import GitKit
import SpecDispatchCore

/// The one owner of what spec-dispatch keeps in a repository: only it removes a window or a claim,
/// or moves a base branch (DispatchState+BaseBranch.swift). Removal goes through `remove`, which
/// never drops work that no other ref keeps: unforced it refuses, forced it archives that work
/// under `refs/dispatch/archive/` first, uncommitted changes included.
struct DispatchState {
    let repository: Repository
    /// `dispatch.remote`: where claims recorded without their remote were pushed.
    let sharedRemote: String?

    init(repository: Repository) {
        self.repository = repository
        sharedRemote = nil
    }

    init(workspace: Workspace) {
        repository = workspace.repository
        sharedRemote = workspace.settings.remote
    }

    struct Removal {
        /// Archive refs made, with what each holds.
        var archived: [String] = []
        var removedWorktree: String?
        /// Why the claim stays, when it does: a commit landed on it while it was being removed.
        var keptClaim: String?
        /// The claim on the shared remote, when it was pushed there.
        var remote: RemoteRelease?
    }

    /// Removes the window's worktree and then its claim. Refuses (exit 7) when that would lose
    /// work no other ref keeps, unless `force`; forced, archives it first.
    @discardableResult
    func remove(_ target: WindowTarget, force: Bool) throws -> Removal {
        let work = try WindowWork.assess(target, in: repository)
        if let blocker = work.blocker { throw DispatchError.refused("cannot remove the window of \(target.name): \(blocker)") }
        if !work.isEmpty && !force { throw refusal(target, work) }
        var removal = Removal()
        removal.archived = try archive(work, of: target, snapshot: force) + keepAside(work.nested, of: target)
        // Read before the folder goes: the tmux window opened on it closes with it.
        let tmux = target.worktree.flatMap { worktree in TmuxWindow.recorded(in: worktree.path) }
        if let worktree = target.worktree {
            // Aside first: killed after that, git sees a worktree whose folder is gone, and
            // doctor a `.removing` folder, both of which it knows how to finish.
            let aside = try FileTree.moveAside(worktree.path)
            try git { try repository.removeWorktree(name: worktree.name, deleteWorkingTree: false, force: true) }
            if let aside { try FileTree.remove(aside) }
            FileTree.removeIfEmpty((worktree.path as NSString).deletingLastPathComponent)
            removal.removedWorktree = worktree.path
            // Best-effort, never in the way of the removal: tmux may be gone, or the window closed.
            tmux?.close(showing: worktree.path)
        }
        if let claim = target.claim {
            do {
                try repository.deleteReference(claim.reference, expecting: claim.tip)
            } catch {
                // A commit landed since it was looked at: the branch keeps it.
                if error.code == .modified { removal.keptClaim = "\(BranchName.short(claim.reference)) moved while it was being removed; it stays" }
                else if error.code != .notFound { throw DispatchError.git(error) }
            }
        }
        // The unit is given back here, so on the shared remote too.
        if removal.keptClaim == nil, case .unit(let naming) = target.owner, let tip = target.claim?.tip ?? target.record?.commit {
            removal.remote = releaseRemoteClaim(naming, tip: tip, record: target.record)
        }
        return removal
    }

    /// Forgets the worktree entry of a window whose folder is gone or broken, leaving the folder
    /// as it is; commits only its HEAD or HEAD's reflog had are archived first.
    func dropStaleEntry(_ worktree: WorktreeInfo, of window: Window) throws {
        var target = WindowTarget(window)
        target.worktree = worktree
        var work = try WindowWork.assess(target, in: repository)
        work.heads.removeAll { $0.part == "branch" }
        _ = try archive(work, of: target, snapshot: false)
        _ = try keepAside(work.nested, of: target)
        try git { try repository.removeWorktree(name: worktree.name, deleteWorkingTree: false, force: true) }
    }

    /// Creates a claim, only if the unit has none: of racing dispatchers exactly one wins, the
    /// others get `.exists`.
    func createClaim(_ naming: WindowNaming, at commit: ObjectID) throws(GitError) {
        try repository.createReference(DispatchRefs.claim(naming), target: commit, logMessage: "spec-dispatch: claim unit \(naming.unit)")
    }

    /// Moves a claim from `old` to `new` (a commit on top, or the hooks' amend of its tip), only if
    /// it still points at `old`.
    func moveClaim(_ naming: WindowNaming, from old: ObjectID, to new: ObjectID, why: String) throws(GitError) {
        try repository.updateReference(DispatchRefs.claim(naming), to: new, expecting: old, logMessage: "spec-dispatch: \(why)")
    }

    /// Keeps under `refs/dispatch/archive/` the commits only the window's HEAD reflog has (a
    /// branch deleted by hand, a reset), removing nothing: reflogs expire, refs do not.
    func archiveReflogOnly(_ target: WindowTarget) throws -> [String] {
        var work = WindowWork()
        work.heads = try WindowWork.reflogOnly(target, in: repository).heads
        return try archive(work, of: target, snapshot: false)
    }

    /// Gives back what a `next` that failed half-way made: its own worktree, the folders it
    /// created, and its claim while it still points at the dispatch commit. Nothing there is
    /// anyone's work yet, so nothing is archived.
    func undoDispatch(_ naming: WindowNaming, commit: ObjectID, window: String, worktreeMade: Bool, createdFolders: [String]) {
        let aside = try? FileTree.moveAside(window)
        if worktreeMade { try? repository.removeWorktree(name: naming.worktreeName, deleteWorkingTree: false, force: true) }
        if let aside { try? FileTree.remove(aside) }
        for folder in createdFolders.reversed() { FileTree.removeIfEmpty(folder) }
        try? dropFreshClaim(naming, commit: commit)
        _ = releaseRemoteClaim(naming, tip: commit, record: DispatchRecord.find(for: naming, tip: commit, in: repository))
    }

    /// Deletes a claim `next` just made, while it still points at its dispatch commit (no work yet).
    func dropFreshClaim(_ naming: WindowNaming, commit: ObjectID) throws {
        try git { try repository.deleteReference(DispatchRefs.claim(naming), expecting: commit) }
    }

    /// Creates a claim branch again at `commit` (its window still has it checked out).
    func restoreClaim(_ naming: WindowNaming, at commit: ObjectID) throws {
        do {
            try repository.createReference(DispatchRefs.claim(naming), target: commit, logMessage: "spec-dispatch doctor: restore claim")
        } catch {
            guard error.code == .exists else { throw DispatchError.git(error) }
        }
    }

    private func refusal(_ target: WindowTarget, _ work: WindowWork) -> DispatchError {
        var parts: [String] = []
        if !work.commits.isEmpty {
            let places = work.heads.map { head in
                switch head.part {
                case "branch": target.claim.map { BranchName.short($0.reference) } ?? "its branch"
                case "head": "its detached HEAD \(head.commit.short)"
                default: "its HEAD's reflog (\(head.commit.short))"
                }
            }
            parts.append("\(work.commits.count) commit\(work.commits.count == 1 ? "" : "s") that no other branch has (on \(ReasonText.list(places)))")
        }
        if !work.uncommitted.isEmpty { parts.append("uncommitted changes (\(ReasonText.list(work.uncommitted)))") }
        if let staged = work.staged { parts.append("staged changes in the index of a window whose folder is gone (\(ReasonText.list(staged.paths)))") }
        for nested in work.nested { parts.append("the repository \(nested.path) in it, with \(nested.holds)") }
        return DispatchError.refused("the window of \(target.name) holds work that is nowhere else: \(parts.joined(separator: "; "))",
                             details: ["hint: merge or commit it first, or use --force, which keeps it under \(DispatchRefs.archivePrefix)"])
    }

    /// Nested repositories hold their commits in their own object stores, which no ref here can
    /// keep: a forced removal moves them aside to `<git dir>/spec-dispatch/kept/` instead.
    private func keepAside(_ nested: [NestedRepository], of target: WindowTarget) throws -> [String] {
        guard !nested.isEmpty else { return [] }
        let folder = "\(repository.commonDirectory)/spec-dispatch/kept/\(target.name.replacingOccurrences(of: "/", with: "-"))-\(Int(Date().timeIntervalSince1970))"
        return try nested.map { repository in
            let destination = "\(folder)/\(repository.path)"
            try FileTree.makeDirectory((destination as NSString).deletingLastPathComponent)
            try FileTree.move(repository.keep, to: destination)
            // A submodule's git folder points at a working tree that is about to go: kept bare,
            // it can be cloned (`git clone <kept>`) or fetched from.
            if repository.isGitDirectory, let kept = try? Repository.open(at: destination), let config = try? kept.localConfig() {
                try? config.unset("core.worktree")
                try? config.set("core.bare", true)
            }
            return destination
        }
    }

    /// Archive refs for the work's commits and, when `snapshot`, for its uncommitted changes (a
    /// stash-like commit, so `git stash apply <ref>` brings them back).
    private func archive(_ work: WindowWork, of target: WindowTarget, snapshot: Bool) throws -> [String] {
        var kept = work.heads
        if snapshot, !work.uncommitted.isEmpty, let worktree = target.worktree,
           let inWindow = try? Repository.open(at: worktree.path) {
            let branch = target.claim.map { BranchName.short($0.reference) } ?? worktree.name
            do {
                if let commit = try inWindow.snapshotUncommitted(message: "WIP on \(branch): uncommitted work removed by spec-dispatch",
                                                                 signature: repository.defaultSignature()) {
                    kept.append(("uncommitted", commit))
                }
            } catch {
                throw DispatchError.failure("could not keep the uncommitted changes of \(target.name); nothing was removed: \(error.message)")
            }
        }
        if let staged = work.staged, let worktree = target.worktree, let head = WindowWork.headCommit(of: worktree, in: repository) {
            let signature = repository.defaultSignature()
            kept.append(("index", try git {
                try repository.createCommit(tree: staged.tree, parents: [head], message: "index of \(target.name), whose folder was gone\n",
                                            author: signature, committer: signature)
            }))
        }
        guard !kept.isEmpty else { return [] }
        let stamp = String(Int(Date().timeIntervalSince1970))
        return try kept.map { part, commit in
            var name = DispatchRefs.archive(of: target.owner, stamp: stamp, part: part)
            for n in 2... {
                do {
                    try repository.createReference(name, target: commit, logMessage: "spec-dispatch: keep the \(part) of \(target.name) before removing it")
                    return name
                } catch let error as GitError where error.code == .exists && n < 100 {
                    name = DispatchRefs.archive(of: target.owner, stamp: "\(stamp).\(n)", part: part)
                } catch let error as GitError {
                    throw DispatchError.git(error)
                }
            }
            return name
        }
    }
}
