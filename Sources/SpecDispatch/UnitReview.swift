import GitKit
import SpecDispatchCore

/// Where an open unit stands in review: its ledger, read with its branch's progress.
struct UnitReview {
    let window: Window
    let spec: Spec
    let tree: TaskTree
    let unit: DispatchUnit
    let ledger: ReviewLedger
    let criticality: Criticality
    let approvalsNeeded: Int
    let state: ReviewLedger.State

    /// Reads the unit at its branch tip; `tree` is tasks.md there.
    static func load(_ window: Window, workspace: Workspace) throws -> UnitReview {
        let spec = workspace.settings.spec(named: window.naming.spec)
        let tree = try workspace.tasks(of: spec, from: .commit(window.tip))
        guard let unit = tree.unit(window.naming.unit) else {
            throw DispatchError(.notFound, "unit \(window.naming.unit) is not in \(spec.tasksPath) on \(window.naming.branch)")
        }
        return try UnitReview(window: window, spec: spec, tree: tree, unit: unit, workspace: workspace)
    }

    /// The review of `unit`, read from `tree` (tasks.md at the branch tip, already parsed).
    init(window: Window, spec: Spec, tree: TaskTree, unit: DispatchUnit, workspace: Workspace) throws {
        self.window = window
        self.spec = spec
        self.tree = tree
        self.unit = unit
        ledger = try ReviewLog(repository: workspace.repository, naming: window.naming).read()
        criticality = unit.members.lazy.compactMap { tree.nodes[$0].entry.metadata.criticality }.first ?? .standard
        approvalsNeeded = ReviewLedger.approvalsNeeded(for: criticality, configured: workspace.settings.approvals)
        let fixed = ledger.lastRejection.map { Self.fixedSince($0.tip, window: window, repository: workspace.repository) } ?? false
        state = ledger.state(doneOnBranch: UnitProgress(unit: unit, tree: tree).isComplete, fixedSinceRejection: fixed,
                             approvalsNeeded: approvalsNeeded)
    }

    /// A commit with a `Completes:` trailer landed on the branch after `tip` (the rejected one).
    static func fixedSince(_ tip: String, window: Window, repository: Repository) -> Bool {
        var fixed = false
        BranchHistory.walk(window, in: repository) { id, commit in
            guard id.hex != tip else { return false }
            fixed = !ProgressTrailers.completions(in: Repository.trailers(of: commit.message)).ids.isEmpty
            return !fixed
        }
        return fixed
    }

    /// The words for messages: "pending review", "under review (round 2, 1 of 2 approvals)", ….
    var stateWords: String {
        switch state {
        case .working: "in progress"
        case .pendingReview: "pending review"
        case .underReview(let round, let approvals, let needed): "under review (round \(round), \(approvals) of \(needed) approvals)"
        case .fixRequired(_, let attempt): "fix required (rejection \(attempt))"
        case .approved: "approved"
        case .escalated(let attempts): "escalated after \(attempts) rejections"
        case .merged: "merged"
        }
    }
}
