import GitKit
import SpecDispatchCore

/// `gc`: removes the windows and claims of units whose work is in their base branch (merged by
/// `merge` or by hand), and windows left without a claim (abandoned). Windows with uncommitted
/// changes stay unless forced.
public struct GarbageCollector {
    public struct Outcome: Sendable {
        public var removed: [String]
        public var kept: [String]
    }

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func run(force: Bool) throws -> Outcome {
        let repository = workspace.repository
        let layout = try WindowLayout(repository: repository, settings: workspace.settings)
        let windows = try OpenWindows.list(repository)
        var removed: [String] = [], kept: [String] = []
        let merger = UnitMerger(workspace: workspace)
        for window in windows {
            let base = window.record?.baseReference ?? (try? workspace.base().reference) ?? nil
            guard let base, let baseTip = try git({ try repository.referenceTarget(base) }),
                  try git({ try repository.isAncestor(window.tip, of: baseTip) }), window.record?.commit != window.tip else { continue }
            let name = "\(window.naming.spec)/\(window.naming.unit)"
            if !force, let worktree = window.worktree, !WindowChanges.uncommitted(in: worktree).isEmpty {
                kept.append("\(name): merged, but its window has uncommitted changes (use --force)")
                continue
            }
            if force, let worktree = window.worktree { try git { try repository.removeWorktree(name: worktree.name, deleteWorkingTree: true, force: true) } }
            var retired = window
            if force { retired.worktree = nil }
            _ = try merger.retire(retired, tip: window.tip)
            removed.append("\(name): merged into \(BranchName.short(base)); removed \(window.worktree?.path ?? "its claim")")
        }
        for worktree in try OpenWindows.orphanedWorktrees(repository, layout: layout, windows: try OpenWindows.list(repository)) {
            guard force || WindowChanges.uncommitted(in: worktree).isEmpty else {
                kept.append("\(worktree.path): no claim branch and uncommitted changes (use --force)")
                continue
            }
            try git { try repository.removeWorktree(name: worktree.name, deleteWorkingTree: true, force: true) }
            removed.append("\(worktree.path): abandoned window removed")
        }
        for name in try git({ try repository.pruneStaleWorktrees() }) { removed.append("worktree \(name): its folder was gone; pruned") }
        return Outcome(removed: removed, kept: kept)
    }
}
