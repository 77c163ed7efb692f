import Foundation
import GitKit
import SpecDispatchCore

/// `abandon`: removes a unit's window and claim, so the unit is ready again. Refuses, unless
/// forced, when that would lose work (DispatchState.remove): commits no other ref keeps, on its
/// branch, its HEAD or its HEAD's reflog, or uncommitted changes. Forced, all of it is archived
/// under `refs/dispatch/archive/` first.
public struct Abandon {
    public struct Outcome: Sendable {
        public var branch: String
        public var tip: ObjectID
        public var removedWindow: String?
        /// Where the work it held is kept, when it held any.
        public var archived: [String]
        /// Why the claim stayed, when it did.
        public var keptClaim: String?
        /// What became of its claim on the shared remote, in words, when it had one there.
        public var remote: String?
    }

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func run(unit text: String, spec option: String?, force: Bool) throws -> Outcome {
        // Not while a merge of this machine runs, nor over one that was interrupted.
        let lock = try DispatchLock(repository: workspace.repository)
        defer { withExtendedLifetime(lock) {} }
        let state = DispatchState(workspace: workspace)
        let window = try WindowFinder.find(text, spec: option, in: workspace)
        if let journal = state.interruptedMerge(), journal.spec == window.naming.spec, journal.unit == window.naming.unit {
            throw DispatchError.refused("the merge of \(journal.spec)/\(journal.unit) was interrupted; it is not abandoned",
                                        details: ["hint: `spec-dispatch doctor --fix` finishes the merge"])
        }
        let removal = try state.remove(WindowTarget(window), force: force)
        return Outcome(branch: window.naming.branch, tip: window.tip, removedWindow: removal.removedWorktree,
                       archived: removal.archived, keptClaim: removal.keptClaim, remote: removal.remote?.line)
    }
}
