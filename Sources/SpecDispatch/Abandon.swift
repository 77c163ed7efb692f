import Foundation
import GitKit
import SpecDispatchCore

/// `abandon`: removes a unit's window and claim, so the unit is ready again. Refuses, unless
/// forced, when that would lose work: commits merged nowhere else, or uncommitted changes.
/// Forced, it keeps the branch tip under `refs/dispatch/archive/` so the work stays recoverable.
public struct Abandon {
    public struct Outcome: Sendable {
        public var branch: String
        public var tip: ObjectID
        public var removedWindow: String?
        /// Where the discarded commits are kept, when there were any.
        public var archive: String?
    }

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func run(unit text: String, spec option: String?, force: Bool) throws -> Outcome {
        let repository = workspace.repository
        let window = try WindowFinder.find(text, spec: option, in: workspace)
        let unmerged = try unmergedCommits(of: window)
        let changes = window.worktree.map { WindowChanges.uncommitted(in: $0) } ?? []
        if !force {
            if !unmerged.isEmpty {
                throw DispatchError(.refused, "unit \(window.naming.unit) has \(unmerged.count) commit\(unmerged.count == 1 ? "" : "s") not merged anywhere (\(window.naming.branch))",
                                    details: ["hint: merge them, or abandon with --force (the branch tip is kept under refs/dispatch/archive/)"])
            }
            if !changes.isEmpty {
                throw DispatchError(.refused, "the window of unit \(window.naming.unit) has uncommitted changes: \(ReasonText.list(changes))",
                                    details: ["hint: commit or discard them, or abandon with --force"])
            }
        }
        var archive: String?
        if !unmerged.isEmpty {
            let name = "refs/dispatch/archive/\(window.naming.spec)/task-\(window.naming.unit)/\(Int(Date().timeIntervalSince1970))"
            try git { try repository.createReference(name, target: window.tip, logMessage: "spec-dispatch: abandon unit \(window.naming.unit)") }
            archive = name
        }
        if let worktree = window.worktree {
            try git { try repository.removeWorktree(name: worktree.name, deleteWorkingTree: true, force: true) }
            FileTree.removeIfEmpty((worktree.path as NSString).deletingLastPathComponent)
        }
        try git { try repository.deleteReference(window.naming.reference, expecting: window.tip) }
        return Outcome(branch: window.naming.branch, tip: window.tip, removedWindow: window.worktree?.path, archive: archive)
    }

    /// Commits of the branch reachable from no other branch, not counting the dispatch commit.
    private func unmergedCommits(of window: Window) throws -> [ObjectID] {
        let repository = workspace.repository
        let others = try git { try repository.references(matching: "refs/heads/*") }
            .filter { $0.name != window.naming.reference }.map(\.target)
        let hidden = others + (window.record.map { [$0.commit] } ?? [])
        return try git { try repository.commits(from: window.tip, excluding: hidden) }
    }
}
