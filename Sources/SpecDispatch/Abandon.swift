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
    }

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func run(unit text: String, spec option: String?, force: Bool) throws -> Outcome {
        let window = try WindowFinder.find(text, spec: option, in: workspace)
        let removal = try DispatchState(workspace: workspace).remove(WindowTarget(window), force: force)
        return Outcome(branch: window.naming.branch, tip: window.tip, removedWindow: removal.removedWorktree,
                       archived: removal.archived, keptClaim: removal.keptClaim)
    }
}
