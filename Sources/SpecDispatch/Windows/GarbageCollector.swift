import GitKit
import SpecDispatchCore

/// `gc`: removes the windows and claims of units whose work is in their base branch (merged by
/// `merge` or by hand), and windows left without a claim (abandoned). Each removal goes through
/// DispatchState.remove: a window holding other work stays unless forced, and forced, that work
/// is archived first.
public struct GarbageCollector {
    public struct Outcome: Sendable {
        public var removed: [String]
        public var kept: [String]
        /// Archive refs made for the work of forced removals.
        public var archived: [String]
    }

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// With `remote`, also deletes that remote's stale claims (StaleClaims).
    public func run(force: Bool, remote: String? = nil) throws -> Outcome {
        let repository = workspace.repository
        let lock = try DispatchLock(repository: repository)
        defer { withExtendedLifetime(lock) {} }
        let state = DispatchState(workspace: workspace)
        let layout = try WindowLayout(repository: repository, settings: workspace.settings)
        var outcome = Outcome(removed: [], kept: [], archived: [])
        if state.interruptedMerge() != nil || state.hasUnreadableJournal {
            throw DispatchError.refused("a merge was interrupted; nothing was removed", details: ["hint: `spec-dispatch doctor --fix` finishes it"])
        }
        for window in try OpenWindows.list(repository) {
            guard let base = try mergedInto(window) else { continue }
            let name = "\(window.naming.spec)/\(window.naming.unit)"
            do {
                let removal = try state.remove(WindowTarget(window), force: force)
                outcome.archived += removal.archived
                outcome.removed.append("\(name): merged into \(BranchName.short(base)); removed \(removal.removedWorktree ?? "its claim")"
                                       + (removal.remote.map { "; " + $0.line } ?? ""))
            } catch DispatchError.refused(let refusal, _) {
                outcome.kept.append("\(name): merged, but \(refusal) (use --force)")
            }
        }
        for worktree in try OpenWindows.orphanedWorktrees(repository, layout: layout, windows: try OpenWindows.list(repository)) {
            do {
                let removal = try state.remove(WindowTarget(orphan: worktree, in: repository), force: force)
                outcome.archived += removal.archived
                outcome.removed.append("\(worktree.path): abandoned window removed")
            } catch DispatchError.refused(let refusal, _) {
                outcome.kept.append("\(worktree.path): no claim branch, and \(refusal) (use --force)")
            }
        }
        if let remote {
            let claims = try RemoteClaims(repository: repository, remote: remote)
            for stale in try StaleClaims(workspace: workspace, claims: claims).find() {
                do {
                    if let archive = try state.removeStaleClaim(stale, force: force) { outcome.archived.append(archive) }
                    outcome.removed.append("\(stale.problem); deleted it there")
                } catch DispatchError.refused(let refusal, _) {
                    outcome.kept.append("\(stale.window.naming.branch) on \(remote): \(refusal) (use --force)")
                }
            }
        }
        return outcome
    }

    /// The base branch whose history holds the window's work, when it does (the dispatch commit
    /// alone is no work).
    private func mergedInto(_ window: Window) throws -> String? {
        guard !window.holdsNoWork(in: workspace.repository),
              let base = window.record?.baseReference ?? (try? workspace.base().reference) ?? nil,
              let baseTip = try git({ try workspace.repository.referenceTarget(base) }),
              try git({ try workspace.repository.isAncestor(window.tip, of: baseTip) }) else { return nil }
        return base
    }
}
