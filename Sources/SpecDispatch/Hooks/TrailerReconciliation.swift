import GitKit
import SpecDispatchCore

/// Puts back the `[x]` of steps whose `Completes:` trailer is on a claim branch but whose marker
/// is not at its tip (a hook failed, or did not run). The post-commit hook, `done` and `review`
/// fold them into what they commit; `commitMissingMarks` commits them alone, for the commands
/// that find a unit lagging.
public struct TrailerReconciliation {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// The steps missing at `context.head`, whose tasks.md `tree` the caller has already parsed.
    static func missing(in context: WindowContext, unit: DispatchUnit, tree: TaskTree) -> MissingCompletions {
        let named = BranchHistory.completions(of: context.naming, tip: context.head, in: context.repository)
        return MissingCompletions(named: named.map { (commit: $0.commit.hex, ids: $0.ids) }, unit: unit, in: tree)
    }

    /// "1.2 (named in 1a2b3c4)", for messages.
    static func describe(_ gaps: [MissingCompletions.Gap]) -> String {
        gaps.map { "\($0.step) (named in \($0.commit.prefix(7)))" }.joined(separator: ", ")
    }

    /// The steps whose trailers completed them and whose marks the window's branch tip lacks,
    /// with the commit that named each: what `doctor` reports.
    func missingMarks(_ window: Window) throws -> [MissingCompletions.Gap] {
        guard let (context, _) = try context(of: window) else { return [] }
        let tree = context.tree(try context.tasks(at: context.head))
        return Self.missing(in: context, unit: try context.unit(in: tree), tree: tree).gaps
    }

    /// Commits, on `window`'s claim branch, the marks of the steps its trailers completed and its
    /// tip does not show; the window's tasks.md and index follow, keeping the user's own edits.
    /// Returns the new tip, or nil when nothing was missing.
    public func commitMissingMarks(_ window: Window) throws -> ObjectID? {
        for _ in 0..<5 {
            guard let (context, inWindow) = try context(of: window) else { return nil }
            let committed = try context.tasks(at: context.head)
            let tree = context.tree(committed)
            let unit = try context.unit(in: tree)
            let missing = Self.missing(in: context, unit: unit, tree: tree)
            let edits = missing.edits(for: unit, in: tree)
            guard !edits.isEmpty else { return nil }
            let updated = TextEdit.apply(edits, to: committed)
            let commit: ObjectID
            do {
                commit = try TasksCommit.commit(updated, in: context, message: Self.message(missing, tree))
            } catch {
                // A commit landed on the branch meanwhile: start again from it.
                guard try git({ try context.repository.referenceTarget(context.naming.reference) }) != context.head else { throw error }
                continue
            }
            if inWindow {
                let moved = WindowContext(repository: context.repository, settings: context.settings, naming: context.naming,
                                          spec: context.spec, head: commit)
                let update = UnitUpdate(completing: missing.steps)
                try TasksFileSync(context: moved).sync(old: committed, new: updated) { working in
                    (try? working.unit(context.naming.unit).map { try update.edits(for: $0, in: working) }) ?? nil
                }
            }
            return commit
        }
        throw DispatchError.refused("\(window.naming.branch) kept moving while its missing marks were committed; run it again")
    }

    /// The window's own repository when its worktree is on the claim branch (so its files can
    /// follow), else the workspace's, which moves only the branch; nil when the branch is gone.
    private func context(of window: Window) throws -> (WindowContext, inWindow: Bool)? {
        if let worktree = window.worktree, worktree.isValid,
           let repository = try? Repository.open(at: worktree.path),
           let context = try WindowContext.current(repository), context.naming == window.naming {
            return (context, true)
        }
        let repository = workspace.repository
        guard let tip = try git({ try repository.referenceTarget(window.naming.reference) }) else { return nil }
        return (WindowContext(repository: repository, settings: workspace.settings, naming: window.naming,
                              spec: try workspace.settings.spec(named: window.naming.spec, at: tip, in: repository), head: tip), false)
    }

    private static func message(_ missing: MissingCompletions, _ tree: TaskTree) -> String {
        let steps = missing.steps.map(\.text).joined(separator: ", ")
        let lines = missing.gaps.map { gap in
            "- \(gap.step) \(ControlCharacters.escaped(tree.node(gap.step)?.entry.title ?? "")), named in \(gap.commit.prefix(12))"
        }
        return "reconcile: mark \(steps) done, as the branch's trailers say\n\n" + lines.joined(separator: "\n") + "\n"
    }
}
