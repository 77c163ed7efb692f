/// A unit's review history and where it stands (docs/review-and-merge.md): one review per round, as
/// many approvals as the unit's criticality needs, a fix loop after each rejection, escalation
/// to a person after too many.
public struct ReviewLedger: Sendable, Equatable {
    public enum Event: Sendable, Equatable {
        case review(round: Int, tip: String)
        case approve(round: Int, reviewer: String)
        case reject(round: Int, reviewer: String, reason: String, steps: [TaskID], tip: String)
        case escalate(round: Int)
        /// A person took over an escalated unit (`unblock`): the fix count starts again.
        case reset(round: Int)
        case merged(commit: String)
        /// An agent or fix agent ran and ended without a `Completes:` commit: a fix attempt
        /// spent, so that an agent that never gets anywhere is escalated instead of relaunched
        /// for ever. `role` is `agent` or `fix`; `note` says how it ended.
        case noProgress(round: Int, role: String, note: String)
    }

    public enum State: Sendable, Equatable {
        /// Required steps still open on the branch (no review yet, or fixing after a rejection).
        case working
        /// Every required step done on the branch; no review open.
        case pendingReview
        case underReview(round: Int, approvals: Int, needed: Int)
        /// Rejected; the next `Completes:` commit moves it back to pending review.
        case fixRequired(round: Int, attempt: Int)
        /// Approved by as many reviewers as needed; ready to merge.
        case approved(round: Int)
        /// Out of fix attempts (rejections and runs without progress): blocked until a person takes over.
        case escalated(attempts: Int)
        case merged
    }

    /// Oldest first.
    public var events: [Event]

    public init(events: [Event] = []) {
        self.events = events
    }

    public var round: Int {
        events.compactMap { if case .review(let round, _) = $0 { round } else { nil } }.max() ?? 0
    }

    /// Rejections since the last reset.
    public var rejections: Int {
        sinceReset.filter { if case .reject = $0 { true } else { false } }.count
    }

    /// Agent runs without a `Completes:` commit since the last reset.
    public var runsWithoutProgress: Int {
        sinceReset.filter { if case .noProgress = $0 { true } else { false } }.count
    }

    /// The fix attempts used since the last reset: each rejection, and each agent run that
    /// made no progress. `dispatch.maxFixAttempts` of them escalate the unit.
    public var fixAttempts: Int { rejections + runsWithoutProgress }

    private var sinceReset: ArraySlice<Event> {
        let start = events.lastIndex { if case .reset = $0 { true } else { false } }.map { $0 + 1 } ?? 0
        return events[start...]
    }

    /// Reviewers who approved the current round.
    public var approvers: [String] {
        let current = round
        var seen: [String] = []
        for case .approve(let r, let reviewer) in events where r == current && !seen.contains(reviewer) { seen.append(reviewer) }
        return seen
    }

    public var lastRejection: (reason: String, steps: [TaskID], tip: String)? {
        for case .reject(_, _, let reason, let steps, let tip) in events.reversed() { return (reason, steps, tip) }
        return nil
    }

    /// - Parameters:
    ///   - doneOnBranch: every required step is completed at the branch tip.
    ///   - fixedSinceRejection: a `Completes:` commit landed after the last rejection.
    public func state(doneOnBranch: Bool, fixedSinceRejection: Bool, approvalsNeeded: Int) -> State {
        // A run without progress changes no state: the unit stays where it was.
        guard let last = events.last(where: { if case .noProgress = $0 { false } else { true } }) else {
            return doneOnBranch ? .pendingReview : .working
        }
        switch last {
        case .merged:
            return .merged
        case .noProgress:
            return doneOnBranch ? .pendingReview : .working
        case .escalate:
            return .escalated(attempts: fixAttempts)
        case .reset:
            return doneOnBranch ? .pendingReview : .working
        case .reject(let round, _, _, _, _):
            if fixedSinceRejection { return doneOnBranch ? .pendingReview : .working }
            return .fixRequired(round: round, attempt: fixAttempts)
        case .review(let round, _), .approve(let round, _):
            let approvals = approvers.count
            if approvals >= approvalsNeeded { return .approved(round: round) }
            return .underReview(round: round, approvals: approvals, needed: approvalsNeeded)
        }
    }

    /// Approvals a unit needs for its criticality (standard 1, complex 2, security-sensitive 2
    /// unless configured otherwise).
    public static func approvalsNeeded(for criticality: Criticality, configured: [Criticality: Int] = [:]) -> Int {
        if let value = configured[criticality] { return value }
        return criticality == .standard ? 1 : 2
    }
}
