import Foundation
import GitKit
import SpecDispatchCore

/// Brings a claimed unit's window back: the worktree for its branch, and the payload and prompt
/// as of the branch's tip (so completed steps show as done and the prompt says where to resume).
struct WindowRestorer {
    let workspace: Workspace

    func recreate(_ window: Window) throws {
        let repository = workspace.repository
        let layout = try WindowLayout(repository: repository, settings: workspace.settings)
        let path = layout.path(of: window.naming)
        guard FileTree.isFreeForWindow(path) else {
            throw DispatchError.refused("cannot recreate the window of \(window.naming.spec)/\(window.naming.unit): \(path) exists")
        }
        let worktree = try git {
            try repository.addWorktree(name: window.naming.worktreeName, path: path, branch: window.naming.reference, locked: true)
        }
        var restored = window
        restored.worktree = worktree
        try rewriteFiles(restored)
    }

    /// Unlocks the worktree (its checkout is complete), then writes prompt and payload from the
    /// branch tip: the payload comes last, as in `next`.
    func rewriteFiles(_ window: Window) throws {
        let repository = workspace.repository
        guard let worktree = window.worktree else { return }
        let spec = try workspace.settings.spec(named: window.naming.spec, at: window.tip, in: repository)
        let tree = try workspace.tasks(of: spec, from: .commit(window.tip))
        guard let unit = tree.unit(window.naming.unit) else {
            throw DispatchError.notFound("unit \(window.naming.unit) is not in \(spec.tasksPath) on \(window.naming.branch)")
        }
        let record = window.record
        let baseCommit = record?.baseCommit ?? window.tip
        if worktree.isLocked { try git { try repository.unlockWorktree(name: worktree.name) } }
        _ = try WindowFiles.write(
            unit: unit, of: tree, spec: spec,
            placement: .init(branch: window.naming.branch, startCommit: (record?.commit ?? window.tip).hex,
                             baseReference: record?.baseReference, baseCommit: baseCommit.hex,
                             window: worktree.path, agent: record?.agent,
                             dispatchedAt: Date(timeIntervalSince1970: TimeInterval(record?.time ?? 0)).formatted(.iso8601)),
            repository: repository, templatesAt: baseCommit, into: worktree.path, fault: FaultInjection(environment: [:]))
    }
}
