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
        let spec = try workspace.settings.spec(named: window.naming.spec, at: window.tip, in: workspace.repository)
        let tree = try workspace.tasks(of: spec, from: .commit(window.tip))
        guard let unit = tree.unit(window.naming.unit) else {
            throw DispatchError.notFound("unit \(window.naming.unit) is not in \(spec.tasksPath) on \(window.naming.branch)")
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
        state = Self.state(of: ledger, window: window, doneOnBranch: UnitProgress(unit: unit, tree: tree).isComplete,
                           approvalsNeeded: approvalsNeeded, repository: workspace.repository)
    }

    /// Where the unit stands with `ledger`, the log as it is when an event is about to land, in
    /// place of the one read at load; the branch stays as loaded.
    func state(with ledger: ReviewLedger, repository: Repository) -> ReviewLedger.State {
        Self.state(of: ledger, window: window, doneOnBranch: UnitProgress(unit: unit, tree: tree).isComplete,
                   approvalsNeeded: approvalsNeeded, repository: repository)
    }

    private static func state(of ledger: ReviewLedger, window: Window, doneOnBranch: Bool, approvalsNeeded: Int,
                              repository: Repository) -> ReviewLedger.State {
        let fixed = ledger.lastRejection.map { fixedSince($0.tip, window: window, repository: repository) } ?? false
        return ledger.state(doneOnBranch: doneOnBranch, fixedSinceRejection: fixed, approvalsNeeded: approvalsNeeded)
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

    /// Refuses `action` on a unit blocked as a whole (`block <unit>`): its block line must not
    /// reach the base branch, where no window is left to lift it.
    func refuseIfBlocked(_ action: String) throws {
        guard let block = tree.nodes[unit.root].entry.metadata.blocked else { return }
        throw DispatchError.refused("unit \(window.naming.unit) cannot \(action): it is blocked (\(block.reason))",
                                    details: ["hint: `spec-dispatch unblock \(window.naming.spec)/\(window.naming.unit)` lifts the block"])
    }

    /// The words for messages: "pending review", "under review (round 2, 1 of 2 approvals)", ….
    var stateWords: String { Self.words(state) }

    /// What a person can do about a unit in `state`, as commands that work as printed.
    static func hints(_ state: ReviewLedger.State, unit naming: WindowNaming) -> [String] {
        let unit = "\(naming.spec)/\(naming.unit)"
        switch state {
        case .escalated:
            return ["hint: it waits for a person; once its findings are dealt with, `spec-dispatch unblock \(unit)` takes it back (the fix count starts again)"]
        case .approved:
            return ["hint: `spec-dispatch merge \(unit)` merges it"]
        case .fixRequired:
            return ["hint: a commit with a `Completes:` trailer in its window brings it back to review; `spec-dispatch resume \(unit)` runs its fix agent"]
        default:
            return []
        }
    }

    static func words(_ state: ReviewLedger.State) -> String {
        switch state {
        case .working: "in progress"
        case .pendingReview: "pending review"
        case .underReview(let round, let approvals, let needed): "under review (round \(round), \(approvals) of \(needed) approvals)"
        case .fixRequired(_, let attempt): "fix required (fix attempt \(attempt))"
        case .approved: "approved"
        case .escalated(let attempts): "escalated after \(attempts) fix attempts"
        case .merged: "merged"
        }
    }
}
