import GitKit
import SpecDispatchCore

/// `review`, `approve`, `reject`: one review per unit per round, approvals by criticality, a fix
/// loop after each rejection, escalation to a person after `dispatch.maxFixAttempts`.
public struct ReviewCommands {
    public struct Requested: Sendable {
        public var unit: String
        public var round: Int
        public var payload: String
        public var prompt: String
    }

    public struct Approved: Sendable {
        public var unit: String
        public var approvals: Int
        public var needed: Int
        public var merged: UnitMerger.Outcome?
    }

    public struct Rejected: Sendable {
        public var unit: String
        public var attempt: Int
        public var maxAttempts: Int
        public var escalated: Bool
        public var fixPrompt: String?
        /// Agent runs without progress among the attempts (the rest are rejections).
        public var runsWithoutProgress: Int = 0
    }

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func review(unit text: String, spec: String?) throws -> Requested {
        let repository = workspace.repository
        var window = try WindowFinder.find(text, spec: spec, in: workspace)
        // A step whose trailer is on the branch is done even if a hook failed to mark it.
        if let tip = try TrailerReconciliation(workspace: workspace).commitMissingMarks(window) { window.tip = tip }
        let review = try UnitReview.load(window, workspace: workspace)
        guard case .pendingReview = review.state else {
            throw DispatchError.refused("unit \(window.naming.unit) cannot go to review: it is \(review.stateWords)",
                                details: review.state == .working ? ["hint: a unit goes to review once every required step is completed on its branch"]
                                    : UnitReview.hints(review.state, unit: window.naming))
        }
        try review.refuseIfBlocked("go to review")
        guard let folder = window.payloadFolder else {
            throw DispatchError.notFound("the window of unit \(window.naming.unit) is missing; run `spec-dispatch doctor --fix`")
        }
        let round = review.ledger.round + 1
        let packet = try ReviewPacket(review: review, round: round, repository: repository)
        let prompt = try PromptTemplates(repository: repository, base: window.record?.baseCommit ?? window.tip)
            .render("review", context: packet.context())
        let payloadPath = "\(folder)/review.json", promptPath = "\(folder)/review.md"
        try FileTree.writeAtomically(Array(prompt.utf8), to: promptPath)
        try FileTree.writeAtomically(packet.json(), to: payloadPath)
        try ReviewLog(repository: repository, naming: window.naming).append(author: repository.defaultSignature()) { ledger in
            // Of two reviews started at once, the second finds the first's round open.
            let state = review.state(with: ledger, repository: repository)
            guard case .pendingReview = state, ledger.round + 1 == round else {
                throw DispatchError.refused("unit \(window.naming.unit) cannot go to review: it is \(UnitReview.words(state))")
            }
            return .review(round: round, tip: window.tip.hex)
        }
        return Requested(unit: "\(window.naming.spec)/\(window.naming.unit)", round: round, payload: payloadPath, prompt: promptPath)
    }

    public func approve(unit text: String, spec: String?, reviewer: String?, merge: Bool) throws -> Approved {
        let repository = workspace.repository
        let window = try WindowFinder.find(text, spec: spec, in: workspace)
        let review = try UnitReview.load(window, workspace: workspace)
        try review.refuseIfBlocked("be approved")
        let name = reviewer ?? repository.defaultSignature().name
        // Checked and counted against the log as the approval lands: of two approving at once,
        // the second counts the first, and only the approval that completes the count merges.
        let ledger = try ReviewLog(repository: repository, naming: window.naming).append(author: signature(name)) { ledger in
            let state = review.state(with: ledger, repository: repository)
            guard case .underReview(let round, _, _) = state else {
                let hints = UnitReview.hints(state, unit: window.naming)
                throw DispatchError.refused("unit \(window.naming.unit) is not under review: it is \(UnitReview.words(state))",
                                    details: hints.isEmpty ? ["hint: `spec-dispatch review \(text)` starts a review once its steps are done"] : hints)
            }
            guard !ledger.approvers.contains(name) else {
                throw DispatchError.refused("\(name) already approved round \(round) of unit \(window.naming.unit); another reviewer must")
            }
            return .approve(round: round, reviewer: name)
        }
        let approvals = ledger.approvers.count, needed = review.approvalsNeeded
        var merged: UnitMerger.Outcome?
        if approvals >= needed, merge {
            do {
                merged = try UnitMerger(workspace: workspace).merge(try WindowFinder.find(text, spec: spec, in: workspace), force: false)
            } catch let refusal as DispatchError {
                // The verdict stands; only the merge did not happen.
                throw refusal.prefixed("approved \(window.naming.spec)/\(window.naming.unit), but did not merge: ")
            }
        }
        return Approved(unit: "\(window.naming.spec)/\(window.naming.unit)", approvals: approvals, needed: needed, merged: merged)
    }

    public func reject(unit text: String, spec: String?, reason: String, steps: [String], reviewer: String?) throws -> Rejected {
        let repository = workspace.repository
        let window = try WindowFinder.find(text, spec: spec, in: workspace)
        let review = try UnitReview.load(window, workspace: workspace)
        guard case .underReview = review.state else {
            throw DispatchError.refused("unit \(window.naming.unit) is not under review: it is \(review.stateWords)",
                                        details: UnitReview.hints(review.state, unit: window.naming))
        }
        let allSteps = UnitUpdate.steps(of: review.unit, in: review.tree)
        let concerned = try steps.isEmpty ? allSteps : steps.map { text -> TaskID in
            guard let id = TaskID(text), allSteps.contains(id) else {
                throw DispatchError.invalidInput("\(text) is not a step of unit \(window.naming.unit) (its steps: \(allSteps.map(\.text).joined(separator: ", ")))")
            }
            return id
        }
        let name = reviewer ?? repository.defaultSignature().name
        let log = ReviewLog(repository: repository, naming: window.naming)
        // Checked against the log as the rejection lands, so it never follows an approval that completed the count.
        let ledger = try log.append(author: signature(name)) { ledger in
            let state = review.state(with: ledger, repository: repository)
            guard case .underReview(let round, _, _) = state else {
                throw DispatchError.refused("unit \(window.naming.unit) is not under review: it is \(UnitReview.words(state))",
                                            details: UnitReview.hints(state, unit: window.naming))
            }
            return .reject(round: round, reviewer: name, reason: reason, steps: concerned, tip: window.tip.hex)
        }
        let round = ledger.round, attempt = ledger.fixAttempts
        let maxAttempts = workspace.settings.maxFixAttempts
        var fixPrompt: String?
        if let folder = window.payloadFolder {
            let context: [String: Any] = [
                "unit": ["id": review.unit.id.text, "title": review.tree.nodes[review.unit.root].entry.title],
                "round": round, "reviewer": name, "reason": reason, "attempt": attempt, "maxAttempts": maxAttempts,
                "steps": concerned.map { ["id": $0.text, "title": review.tree.node($0)?.entry.title ?? ""] },
                "firstStep": concerned.first?.text ?? "", "window": window.worktree?.path ?? "",
            ]
            let prompt = try PromptTemplates(repository: repository, base: window.record?.baseCommit ?? window.tip).render("fix", context: context)
            fixPrompt = "\(folder)/fix.md"
            try FileTree.writeAtomically(Array(prompt.utf8), to: fixPrompt!)
        }
        let escalated = attempt >= maxAttempts
        if escalated { try escalate(window.naming, ledger: ledger, why: reason, by: name) }
        return Rejected(unit: "\(window.naming.spec)/\(window.naming.unit)", attempt: attempt, maxAttempts: maxAttempts,
                        escalated: escalated, fixPrompt: fixPrompt, runsWithoutProgress: ledger.runsWithoutProgress)
    }

    /// Hands the unit to a person: the escalation in its review log, then a `_Blocked:_` line on
    /// the unit's own task saying why, so `status` shows it blocked and `unblock <spec>/<unit>`
    /// takes it back. `ledger` is the log as it stands, its fix attempts all counted.
    func escalate(_ naming: WindowNaming, ledger: ReviewLedger, why: String, by name: String) throws {
        try ReviewLog(repository: workspace.repository, naming: naming).append(.escalate(round: ledger.round), author: signature(name))
        let rejections = "\(ledger.rejections) rejection\(ledger.rejections == 1 ? "" : "s")"
        let runs = "\(ledger.runsWithoutProgress) agent run\(ledger.runsWithoutProgress == 1 ? "" : "s") without progress"
        let count = ledger.runsWithoutProgress == 0 ? rejections : "\(ledger.fixAttempts) fix attempts (\(rejections), \(runs))"
        _ = try ProgressCommands(workspace: workspace).run(
            .blockUnit("\(naming.spec)/\(naming.unit)", reason: "escalated after \(count): \(StatusText.oneLine(why))", by: name), spec: nil)
    }

    private func signature(_ name: String) -> Signature {
        var signature = workspace.repository.defaultSignature()
        signature.name = name
        return signature
    }
}
