import GitKit
import SpecDispatchCore

/// What a merge will put on the base branch, made in memory (objects written, no ref moved,
/// no file touched), after every check that can fail: the unit's change of tasks.md stays in
/// its own tasks, and its code merges without conflict.
struct MergePlan {
    let window: Window
    let review: UnitReview
    /// The base branch (`refs/heads/main`), its tip, and the commit it will point at.
    let base: String
    let baseTip: ObjectID
    let commit: ObjectID
    /// True when the base had not moved since the unit's branch left it.
    let fastForward: Bool

    static func make(_ review: UnitReview, workspace: Workspace) throws -> MergePlan {
        let repository = workspace.repository
        let window = review.window
        let base = try targetBranch(of: window, workspace: workspace)
        guard let baseTip = try git({ try repository.referenceTarget(base) }) else {
            throw DispatchError.notFound("the base branch \(BranchName.short(base)) of unit \(window.naming.unit) does not exist")
        }
        try refuseForeignTaskChanges(review, baseTip: baseTip, repository: repository)
        let fastForward = try git { try repository.isAncestor(baseTip, of: window.tip) }
        let commit = fastForward
            ? try completionCommit(review, repository: repository)
            : try mergeCommit(review, base: base, baseTip: baseTip, workspace: workspace)
        return MergePlan(window: window, review: review, base: base, baseTip: baseTip, commit: commit, fastForward: fastForward)
    }

    /// The unit of the merged tasks.md that holds the window's tasks: the same id, unless the
    /// plan was renumbered on the base meanwhile (as Spec Kit does when it writes the plan
    /// again); then the unit that holds them now. Tasks spread over several units cannot be
    /// marked for the unit: a refusal.
    static func unit(of review: UnitReview, in tree: TaskTree, base: String) throws -> DispatchUnit? {
        let held = review.tree.checkboxIDs(of: review.unit)
        let holders = Set(tree.nodes.filter { held.contains($0.id) }.map(\.unit))
        guard holders.count <= 1 else {
            let units = holders.sorted().map { tree.units[$0].id.text }
            throw DispatchError.refused("the tasks of unit \(review.unit.id) are now in units \(ReasonText.list(units)) on \(BranchName.short(base)); nothing was changed",
                                        details: ["hint: the plan was regrouped since the unit was dispatched: merge its branch by hand, then mark its steps there"])
        }
        return holders.first.map { tree.units[$0] } ?? tree.unit(review.unit.id)
    }

    /// The base the unit was dispatched from (recorded in its first commit), else the base branch.
    private static func targetBranch(of window: Window, workspace: Workspace) throws -> String {
        if let reference = window.record?.baseReference { return reference }
        guard let reference = try workspace.base().reference else {
            throw DispatchError.notFound("unit \(window.naming.unit) was dispatched from a detached commit; merge it by hand")
        }
        return reference
    }

    /// The hooks keep a window's commits to its own unit's tasks; a commit made with
    /// `--no-verify` skips them, so the branch's whole change of tasks.md is checked again here.
    private static func refuseForeignTaskChanges(_ review: UnitReview, baseTip: ObjectID, repository: Repository) throws {
        let path = review.spec.tasksPath
        guard let ancestor = try git({ try repository.mergeBase(baseTip, review.window.tip) }),
              let before = try git({ try repository.blob(atPath: path, inCommit: ancestor) }) else { return }
        let old = TaskTree(bytes: before.bytes, options: review.tree.document.options)
        let findings = UnitChangeCheck.foreignChangeDiagnostics(unit: review.unit.id, old: old, new: review.tree)
        guard !findings.isEmpty else { return }
        throw DispatchError.refused("the branch of unit \(review.unit.id) changes other units' tasks in \(path); nothing was merged",
                            details: findings.map { $0.formatted(path: path) }
                                + ["hint: those lines came in a commit the hooks did not check (made with --no-verify, or with spec-dispatch missing); revert that change on \(review.window.naming.branch), then merge again"])
    }

    /// Fast-forward case: one more commit on top of the branch, completing the unit (parent `[x]`).
    private static func completionCommit(_ review: UnitReview, repository: Repository) throws -> ObjectID {
        let tree = review.tree
        let edits = UnitProgress(unit: review.unit, tree: tree).edits(in: tree, rootWhenComplete: .completed)
        guard !edits.isEmpty else { return review.window.tip }
        // Escaped: a NUL in the title would cut the message, a CR forge a trailer.
        let title = ControlCharacters.escaped(tree.nodes[review.unit.root].entry.title)
        let signature = repository.defaultSignature()
        return try git {
            let blob = try repository.writeBlob(TextEdit.apply(edits, to: tree.document.bytes))
            let root = try repository.writeTree(byReplacing: review.spec.tasksPath, with: blob, in: try repository.tree(of: review.window.tip))
            return try repository.createCommit(tree: root, parents: [review.window.tip],
                                               message: "complete unit \(review.unit.id): \(title)\n\nDispatch-Unit: \(review.unit.id)\n",
                                               author: signature, committer: signature)
        }
    }

    /// Diverged case: a merge commit; tasks.md merged by task id, other conflicts refuse.
    private static func mergeCommit(_ review: UnitReview, base: String, baseTip: ObjectID, workspace: Workspace) throws -> ObjectID {
        let repository = workspace.repository
        let window = review.window
        let result = try git { try repository.mergeCommits(ours: baseTip, theirs: window.tip) }
        let path = review.spec.tasksPath
        let ancestor = try git { try repository.mergeBase(baseTip, window.tip) }
        let read = { (commit: ObjectID?) throws -> [UInt8]? in
            guard let commit else { return nil }
            return try git { try repository.blob(atPath: path, inCommit: commit)?.bytes }
        }
        guard let ours = try read(baseTip), let theirs = try read(window.tip) else {
            throw DispatchError.notFound("\(path) is missing on one side of the merge")
        }
        let options = TasksDocument.Options(tilde: workspace.settings.tilde)
        let merged = try TasksMerge.merge(base: try read(ancestor), ours: ours, theirs: theirs, options: options) { base, ours, theirs in
            try repository.mergeFile(ancestor: base, ours: ours, theirs: theirs)
        }
        var tasks = merged.content
        if !merged.hasConflicts {
            let tree = TaskTree(bytes: tasks, options: options)
            if let unit = try Self.unit(of: review, in: tree, base: base) {
                tasks = TextEdit.apply(UnitProgress(unit: unit, tree: tree).edits(in: tree, rootWhenComplete: .completed), to: tasks)
            }
            try git { try result.resolve(path: path, with: try repository.writeBlob(tasks), mode: .regular) }
        }
        let conflicts = result.conflicts.map(\.path)
        guard conflicts.isEmpty else {
            throw DispatchError.refused("merging unit \(review.unit.id) into \(BranchName.short(base)) conflicts in \(ReasonText.list(conflicts)); nothing was changed",
                                details: ["hint: finish it by hand: git checkout \(BranchName.short(base)) && git merge \(window.naming.branch)",
                                          "hint: tasks.md merges by task id there too (spec-dispatch's merge driver); then `spec-dispatch gc`"])
        }
        let tree = try git { try result.writeTree() }
        let signature = repository.defaultSignature()
        let title = ControlCharacters.escaped(review.tree.nodes[review.unit.root].entry.title)
        return try git {
            try repository.createCommit(tree: tree, parents: [baseTip, window.tip],
                                        message: "Merge unit \(review.unit.id): \(title)\n\nMerges \(window.naming.branch) into \(BranchName.short(base)).\n\nDispatch-Unit: \(review.unit.id)\n",
                                        author: signature, committer: signature)
        }
    }
}
