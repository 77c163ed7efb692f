import Foundation
import GitKit
import SpecDispatchCore

/// `merge`: brings an approved unit into its base branch (fast-forward when possible, else a
/// merge commit), completes it there (parent `[x]`), then removes its window and branch, keeping
/// the branch tip as `refs/dispatch/merged/<spec>/task-<id>`. Everything that can refuse is
/// checked before anything is written (MergePlan, BaseCheckout); the writing itself is
/// DispatchState's, in git's order.
public struct UnitMerger {
    public struct Outcome: Sendable {
        public var unit: String
        public var base: String
        public var commit: ObjectID
        public var fastForward: Bool
        /// Why the window was kept (uncommitted changes, other work), when it was.
        public var keptWindow: String?
        /// What became of its claim on the shared remote, in words, when it had one there.
        public var remote: String?
    }

    let workspace: Workspace
    let fault: FaultInjection

    public init(workspace: Workspace, environment: [String: String] = [:]) {
        self.workspace = workspace
        fault = FaultInjection(environment: environment)
    }

    public func merge(unit text: String, spec option: String?, force: Bool) throws -> Outcome {
        let window = try WindowFinder.find(text, spec: option, in: workspace)
        return try merge(window, force: force)
    }

    func merge(_ window: Window, force: Bool) throws -> Outcome {
        let repository = workspace.repository
        // One merge at a time on this machine: each moves a base branch and its checkout.
        let lock = try DispatchLock(repository: repository)
        defer { withExtendedLifetime(lock) {} }
        let state = DispatchState(workspace: workspace)
        if let journal = state.interruptedMerge() {
            throw DispatchError.refused("the merge of \(journal.spec)/\(journal.unit) into \(BranchName.short(journal.base)) was interrupted; nothing was changed",
                                details: ["hint: `spec-dispatch doctor --fix` finishes it"])
        }
        // The window as it is now, under the lock (a merge that waited for it may have found it changed).
        guard var current = try OpenWindows.list(repository).first(where: { $0.naming == window.naming }) else {
            throw DispatchError.notFound("unit \(window.naming.unit) has no window any more (merged or abandoned meanwhile)")
        }
        // Trailers are the record: a mark a hook failed to write is put back before judging.
        if let tip = try TrailerReconciliation(workspace: workspace).commitMissingMarks(current) { current.tip = tip }
        let review = try UnitReview.load(current, workspace: workspace)
        try checkReady(review, force: force)
        try review.refuseIfBlocked("merge")
        let plan = try MergePlan.make(review, workspace: workspace)
        let checkout = try BaseCheckout.find(plan.base, in: repository)
        try checkout?.refuseOverwrites(from: plan.baseTip, to: plan.commit, base: BranchName.short(plan.base))
        let merged = try state.merge(plan, checkout: checkout, fault: fault)
        return Outcome(unit: "\(window.naming.spec)/\(window.naming.unit)", base: BranchName.short(plan.base), commit: plan.commit,
                       fastForward: plan.fastForward, keptWindow: merged.keptWindow, remote: merged.remote?.line)
    }

    private func checkReady(_ review: UnitReview, force: Bool) throws {
        let unit = review.unit.id
        switch review.state {
        case .approved, .pendingReview:
            return
        case .merged:
            throw DispatchError.refused("unit \(unit) is already merged")
        case .working:
            let tree = review.tree
            let open = UnitUpdate.steps(of: review.unit, in: tree).filter { tree.index(of: $0).map { tree.statuses[$0] } != .completed }
            throw DispatchError.refused("unit \(unit) is not done on its branch: \(ReasonText.list(open.map(\.text))) not completed")
        default:
            if force { return }
            let name = "\(review.window.naming.spec)/\(unit)"
            throw DispatchError.refused("unit \(unit) is \(review.stateWords); it merges once approved",
                                details: UnitReview.hints(review.state, unit: review.window.naming) + ["hint: `spec-dispatch merge --force \(name)` merges anyway"])
        }
    }
}
