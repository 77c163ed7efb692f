import Foundation
import GitKit
import SpecDispatchCore

/// `merge`: brings an approved unit into its base branch (fast-forward when possible, else a
/// merge commit), completes it there (parent `[x]`), then removes its window and branch, keeping
/// the branch tip as `refs/dispatch/merged/<spec>/task-<id>`. Refuses with nothing changed when
/// code conflicts, or when the base's working tree has uncommitted changes to the files involved.
public struct UnitMerger {
    public struct Outcome: Sendable {
        public var unit: String
        public var base: String
        public var commit: ObjectID
        public var fastForward: Bool
        /// Why the window was kept (uncommitted changes), when it was.
        public var keptWindow: String?
    }

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func merge(unit text: String, spec option: String?, force: Bool) throws -> Outcome {
        let window = try WindowFinder.find(text, spec: option, in: workspace)
        return try merge(window, force: force)
    }

    func merge(_ window: Window, force: Bool) throws -> Outcome {
        let repository = workspace.repository
        // One merge at a time on this machine: each moves the base branch and its checkout.
        let lock = try DispatchLock(repository: repository)
        defer { withExtendedLifetime(lock) {} }
        let review = try UnitReview.load(window, workspace: workspace)
        try checkReady(review, force: force)
        let target = try targetBranch(of: window)
        guard let baseTip = try git({ try repository.referenceTarget(target) }) else {
            throw DispatchError(.notFound, "the base branch \(BranchName.short(target)) of unit \(window.naming.unit) does not exist")
        }
        let tasksPath = review.spec.tasksPath
        let fastForward = try git { try repository.isAncestor(baseTip, of: window.tip) }
        let checkout = try BaseCheckout.find(target, in: repository)
        let touched = Set(try git { try repository.changedPaths(from: baseTip, to: window.tip) } + [tasksPath])
        try checkout?.refuseLocalChanges(to: touched, base: BranchName.short(target))

        let merged: ObjectID
        if fastForward {
            merged = try completeOnBranch(review, window: window)
        } else {
            merged = try mergeCommit(review, window: window, target: target, baseTip: baseTip)
        }
        do {
            try repository.updateReference(target, to: merged, expecting: baseTip, logMessage: "spec-dispatch: merge unit \(window.naming.unit)")
        } catch {
            throw error.code == .modified
                ? DispatchError(.refused, "\(BranchName.short(target)) moved while merging; run the merge again")
                : DispatchError.git(error)
        }
        try checkout?.update(paths: try git { try repository.changedPaths(from: baseTip, to: merged) }, to: merged)
        try ReviewLog(repository: repository, naming: window.naming).append(.merged(commit: merged.hex), author: repository.defaultSignature())
        let kept = try retire(window, tip: fastForward ? merged : window.tip)
        return Outcome(unit: "\(window.naming.spec)/\(window.naming.unit)", base: BranchName.short(target), commit: merged,
                       fastForward: fastForward, keptWindow: kept)
    }

    private func checkReady(_ review: UnitReview, force: Bool) throws {
        let unit = review.unit.id
        switch review.state {
        case .approved, .pendingReview:
            return
        case .merged:
            throw DispatchError(.refused, "unit \(unit) is already merged")
        case .working:
            let tree = review.tree
            let open = UnitUpdate.steps(of: review.unit, in: tree).filter { tree.index(of: $0).map { tree.statuses[$0] } != .completed }
            throw DispatchError(.refused, "unit \(unit) is not done on its branch: \(ReasonText.list(open.map(\.text))) not completed")
        default:
            if force { return }
            throw DispatchError(.refused, "unit \(unit) is \(review.stateWords); it merges once approved",
                                details: ["hint: `spec-dispatch merge --force` merges anyway"])
        }
    }

    /// The base the unit was dispatched from (recorded in its first commit), else the base branch.
    private func targetBranch(of window: Window) throws -> String {
        if let reference = window.record?.baseReference { return reference }
        guard let reference = try workspace.base().reference else {
            throw DispatchError(.notFound, "unit \(window.naming.unit) was dispatched from a detached commit; merge it by hand")
        }
        return reference
    }

    /// Fast-forward case: the branch gets a last commit completing the unit (parent `[x]`).
    private func completeOnBranch(_ review: UnitReview, window: Window) throws -> ObjectID {
        let tree = review.tree
        let edits = UnitProgress(unit: review.unit, tree: tree).edits(in: tree, rootWhenComplete: .completed)
        guard !edits.isEmpty else { return window.tip }
        let context = WindowContext(repository: workspace.repository, settings: workspace.settings, naming: window.naming,
                                    spec: review.spec, head: window.tip)
        let title = tree.nodes[review.unit.root].entry.title
        let completed = TextEdit.apply(edits, to: tree.document.bytes)
        let commit = try TasksCommit.commit(completed, in: context,
                                            message: "complete unit \(review.unit.id): \(title)\n\nDispatch-Unit: \(review.unit.id)\n")
        // The window has this branch checked out: its tasks.md follows, in case the window stays.
        if let worktree = window.worktree, let windowRepository = try? Repository.open(at: worktree.path) {
            let inWindow = WindowContext(repository: windowRepository, settings: workspace.settings, naming: window.naming,
                                         spec: review.spec, head: commit)
            try TasksFileSync(context: inWindow).sync(old: tree.document.bytes, new: completed) { _ in nil }
        }
        return commit
    }

    /// Diverged case: a merge commit; tasks.md merged by task id, other conflicts refuse.
    private func mergeCommit(_ review: UnitReview, window: Window, target: String, baseTip: ObjectID) throws -> ObjectID {
        let repository = workspace.repository
        let result = try git { try repository.mergeCommits(ours: baseTip, theirs: window.tip) }
        let path = review.spec.tasksPath
        let ancestor = try git { try repository.mergeBase(baseTip, window.tip) }
        let read = { (commit: ObjectID?) throws -> [UInt8]? in
            guard let commit else { return nil }
            return try git { try repository.blob(atPath: path, inCommit: commit)?.bytes }
        }
        guard let ours = try read(baseTip), let theirs = try read(window.tip) else {
            throw DispatchError(.notFound, "\(path) is missing on one side of the merge")
        }
        let options = TasksDocument.Options(tilde: workspace.settings.tilde)
        let merged = try TasksMerge.merge(base: try read(ancestor), ours: ours, theirs: theirs, options: options) { base, ours, theirs in
            try repository.mergeFile(ancestor: base, ours: ours, theirs: theirs)
        }
        var tasks = merged.content
        if !merged.hasConflicts {
            let tree = TaskTree(bytes: tasks, options: options)
            if let unit = tree.unit(review.unit.id) {
                tasks = TextEdit.apply(UnitProgress(unit: unit, tree: tree).edits(in: tree, rootWhenComplete: .completed), to: tasks)
            }
            try git { try result.resolve(path: path, with: try repository.writeBlob(tasks), mode: .regular) }
        }
        let conflicts = result.conflicts.map(\.path)
        guard conflicts.isEmpty else {
            throw DispatchError(.refused, "merging unit \(review.unit.id) into \(BranchName.short(target)) conflicts in \(ReasonText.list(conflicts)); nothing was changed",
                                details: ["hint: finish it by hand: git checkout \(BranchName.short(target)) && git merge \(window.naming.branch)",
                                          "hint: tasks.md merges by task id there too (spec-dispatch's merge driver); then `spec-dispatch gc`"])
        }
        let tree = try git { try result.writeTree() }
        let signature = repository.defaultSignature()
        let title = review.tree.nodes[review.unit.root].entry.title
        return try git {
            try repository.createCommit(tree: tree, parents: [baseTip, window.tip],
                                        message: "Merge unit \(review.unit.id): \(title)\n\nMerges \(window.naming.branch) into \(BranchName.short(target)).\n\nDispatch-Unit: \(review.unit.id)\n",
                                        author: signature, committer: signature)
        }
    }

    /// Paths other than tasks.md where merging `tip` into `base` would conflict (in memory,
    /// nothing written): what the board tells before or after a refused merge.
    static func conflicts(mergingTip tip: ObjectID, into base: ObjectID, except tasksPath: String, in repository: Repository) -> [String] {
        guard let isAncestor = try? repository.isAncestor(base, of: tip), !isAncestor,
              let result = try? repository.mergeCommits(ours: base, theirs: tip) else { return [] }
        return result.conflicts.map(\.path).filter { $0 != tasksPath }
    }

    /// Keeps the tip for history, removes the window and the claim; a window with uncommitted
    /// changes stays (returns why), for `gc --force` to take.
    func retire(_ window: Window, tip: ObjectID) throws -> String? {
        let repository = workspace.repository
        let history = "refs/dispatch/merged/\(window.naming.spec)/task-\(window.naming.unit)"
        do {
            try repository.createReference(history, target: tip, logMessage: "spec-dispatch: merged unit \(window.naming.unit)")
        } catch {
            guard error.code == .exists else { throw DispatchError.git(error) }
            if let old = try? repository.referenceTarget(history) {
                try git { try repository.updateReference(history, to: tip, expecting: old, logMessage: "spec-dispatch: merged again") }
            }
        }
        let movedOn = "its branch has commits made since the merge; they stay on \(window.naming.branch): merge again, or abandon"
        if let current = try git({ try repository.referenceTarget(window.naming.reference) }), current != tip { return movedOn }
        if let worktree = window.worktree {
            let changes = WindowChanges.uncommitted(in: worktree)
            if !changes.isEmpty { return "its window has uncommitted changes (\(ReasonText.list(changes))); `spec-dispatch gc --force` removes it" }
            try git { try repository.removeWorktree(name: worktree.name, deleteWorkingTree: true, force: true) }
            FileTree.removeIfEmpty((worktree.path as NSString).deletingLastPathComponent)
        }
        do {
            try repository.deleteReference(window.naming.reference, expecting: tip)
        } catch {
            // A commit landed between the check and here: the claim keeps it, only the window went.
            if error.code == .modified { return movedOn }
            guard error.code == .notFound else { throw DispatchError.git(error) }
        }
        return nil
    }
}

/// The working tree where the base branch is checked out, which a merge must keep in step.
struct BaseCheckout {
    let repository: Repository

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

    func refuseLocalChanges(to paths: Set<String>, base: String) throws {
        let dirty = try git { try repository.statusEntries(includeUntracked: true) }
            .filter { paths.contains($0.path) }.map(\.path)
        guard dirty.isEmpty else {
            throw DispatchError(.refused, "\(base)'s working tree has uncommitted changes to files the merge changes: \(ReasonText.list(dirty)); nothing was changed",
                                details: ["hint: commit or stash them, then merge again"])
        }
    }

    /// After the branch moved: the changed paths' files and index entries follow (they had no local changes).
    func update(paths: [String], to commit: ObjectID) throws {
        try git { try repository.checkoutTree(commit, paths: paths, force: true) }
    }
}
