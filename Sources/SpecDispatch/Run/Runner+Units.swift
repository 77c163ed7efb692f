import Foundation
import GitKit
import SpecDispatchCore

/// What `run` does with each open unit: the next step from where the unit stands in git (its
/// branch and review log), whether the run just watched its agent end, or found the unit when it
/// started.
extension Runner {
    enum Step {
        case review
        /// A review round is open and its reviewer is gone: start the reviewer again on it.
        case reopenReview(round: Int)
        case merge
        case fix
        case agent
        case wait(String)
        case needPerson(String)
        case stopped(String)

        var startsJob: Bool {
            switch self {
            case .review, .reopenReview, .fix, .agent: true
            default: false
            }
        }
    }

    /// What a job that ended left to judge: its role, the tip it started from, how it ended.
    typealias Ended = (role: JobRecord.Role, startTip: ObjectID?, how: String)

    /// What an interrupted run (or `next`, or `merge`) left: repaired as `doctor --fix` would,
    /// never losing work; what cannot be repaired so is reported.
    func repairInterruptions() {
        let doctor = Doctor(workspace: workspace)
        guard let findings = try? doctor.diagnose(), !findings.isEmpty else { return }
        let left: [Doctor.Unrepaired]
        do {
            left = try doctor.fix(findings, force: false)
        } catch {
            display.event("could not repair what an interrupted command left (\((error as? DispatchError)?.message ?? "\(error)")); `spec-dispatch doctor` names it")
            return
        }
        let unrepaired = Set(left.map(\.finding.problem))
        for finding in findings where !unrepaired.contains(finding.problem) {
            display.event("repaired: \(finding.problem) (\(finding.repair))")
        }
        for entry in left {
            display.event("not repaired: \(entry.finding.problem)\(entry.reason.map { ": \($0)" } ?? ""); `spec-dispatch doctor` says more")
        }
    }

    /// Every open window of this machine (of the spec asked for): an agent or reviewer still at
    /// work is watched; any other unit goes on from where it stands.
    func adoptWindows() throws {
        for window in try localWindows() {
            let key = "\(window.naming.spec)/\(window.naming.unit)"
            guard let worktree = window.worktree, worktree.isValid, window.isComplete else {
                summary.needPerson.append("\(key): its window is missing or incomplete; `spec-dispatch doctor` says why")
                display.event("\(key): its window is missing or incomplete; `spec-dispatch doctor` says why")
                continue
            }
            let unit = RunUnit(naming: window.naming, window: worktree.path, agent: window.record?.agent)
            var ended: Ended?
            if let record = JobRecord.read(in: worktree.path) {
                if record.process.isRunning {
                    jobs.append(Job(unit: unit, role: record.role, handle: .adopted(record), startTip: record.startTip, started: record.since))
                    display.event("\(key): its \(record.role.words) (pid \(record.process.pid), started by \(record.startedBy)) is still at work; watching it")
                    continue
                }
                JobRecord.remove(in: worktree.path)
                // A reviewer that ended unwatched is simply started again on its open round.
                if record.role != .review { ended = (record.role, record.startTip, "ended while no run was watching") }
            }
            guarded(window.naming) {
                if try !self.proceed(window.naming, ended: ended, mayStart: self.jobs.count < self.options.parallel) {
                    self.deferred.append(Deferred(naming: window.naming))
                }
            }
        }
    }

    /// This machine's claims with windows, of the spec `run` was given (all, without `--spec`).
    func localWindows() throws -> [Window] {
        var windows = try OpenWindows.list(workspace.repository).filter { $0.remote == nil }
        if let option = options.spec {
            let names = Set(try Board.load(workspace, spec: option, live: false).specs.map(\.spec.name))
            windows = windows.filter { names.contains($0.naming.spec) }
        }
        return windows
    }

    /// After a job ended: its record goes, then the unit's next step.
    func finish(_ job: Job, how: String) throws {
        removeRecord(of: job)
        _ = try proceed(job.unit.naming, ended: (job.role, job.startTip, how), mayStart: true)
    }

    /// Takes the unit's next step. An agent run that `ended` without completing a step spends a
    /// fix attempt (and may escalate the unit). Returns false, having done nothing more, when the
    /// step would start a job and `mayStart` is false.
    func proceed(_ naming: WindowNaming, ended: Ended?, mayStart: Bool) throws -> Bool {
        let key = "\(naming.spec)/\(naming.unit)"
        guard let window = try OpenWindows.list(workspace.repository).first(where: { $0.naming == naming }) else {
            summary.merged.append(key)
            display.event("\(key): its window is gone (merged or abandoned)")
            return true
        }
        guard let worktree = window.worktree, worktree.isValid else {
            throw DispatchError.notFound("its window is missing; `spec-dispatch doctor --fix` brings it back")
        }
        let unit = RunUnit(naming: naming, window: worktree.path, agent: window.record?.agent)
        let review = try UnitReview.load(window, workspace: workspace)
        if let ended { display.event("\(key): \(ended.role.words) \(ended.how): \(Self.outcome(review, most: workspace.settings.maxFixAttempts))") }
        if let ended, ended.role != .review, try !madeProgress(review, role: ended.role, since: ended.startTip),
           Self.blockedStep(review) == nil, try spendAttempt(review, role: ended.role, how: ended.how) {
            return true
        }
        let step = step(for: review, after: ended)
        if step.startsJob, !mayStart { return false }
        try act(step, unit: unit, window: window)
        return true
    }

    func step(for review: UnitReview, after ended: Ended?) -> Step {
        let key = "\(review.window.naming.spec)/\(review.window.naming.unit)"
        switch review.state {
        case .pendingReview:
            return reviewerCommand == nil ? .wait("done; awaits review (`spec-dispatch review \(key)`)") : .review
        case .underReview(let round, let approvals, let needed):
            if let ended, ended.role == .review {
                return .stopped("its reviewer \(ended.how) without a verdict; round \(round) stays open (\(approvals) of \(needed) approvals): `spec-dispatch approve \(key)`, or `spec-dispatch reject \(key)` with --reason")
            }
            return reviewerCommand == nil ? .wait("under review (round \(round)); awaits its reviewer") : .reopenReview(round: round)
        case .approved:
            return .merge
        case .fixRequired:
            return .fix
        case .working:
            if let (step, reason) = Self.blockedStep(review) {
                return .needPerson("step \(step) is blocked: \(reason); `spec-dispatch unblock \(review.window.naming.spec)/\(step)` once that is resolved")
            }
            return .agent
        case .escalated:
            return .needPerson("\(review.stateWords); `spec-dispatch unblock \(key)` once a person has dealt with it")
        case .merged:
            return .needPerson("merged, but its window holds other work; `spec-dispatch gc --force` removes it, keeping that work under \(DispatchRefs.archivePrefix)")
        }
    }

    private func act(_ step: Step, unit: RunUnit, window: Window) throws {
        let key = unit.key
        let folder = "\(unit.window)/\(IgnoreRule.folder)"
        switch step {
        case .review:
            let requested = try ReviewCommands(workspace: workspace).review(unit: key, spec: nil)
            try start(unit, role: .review, extra: ["DISPATCH_REVIEW_PROMPT": requested.prompt, "DISPATCH_REVIEW_PAYLOAD": requested.payload],
                      tip: window.tip)
        case .reopenReview(let round):
            let prompt = "\(folder)/review.md", payload = "\(folder)/review.json"
            guard FileTree.exists(prompt), FileTree.exists(payload) else {
                throw DispatchError.notFound("review round \(round) is open, but its prompt \(prompt) is gone: `spec-dispatch approve \(key)`, or `spec-dispatch reject \(key)` with --reason")
            }
            display.event("\(key): review round \(round) is open; its reviewer starts again")
            try start(unit, role: .review, extra: ["DISPATCH_REVIEW_PROMPT": prompt, "DISPATCH_REVIEW_PAYLOAD": payload], tip: window.tip)
        case .merge:
            let merged = try UnitMerger(workspace: workspace).merge(window, force: false)
            summary.merged.append(key)
            display.event("\(key): merged into \(merged.base)" + (merged.keptWindow.map { "; kept its window: \($0)" } ?? ""))
        case .fix:
            try start(unit, role: .fix, extra: ["DISPATCH_FIX_PROMPT": "\(folder)/fix.md"], tip: window.tip)
        case .agent:
            // The prompt says what is done already and where to resume.
            try WindowRestorer(workspace: workspace).rewriteFiles(window)
            let review = try UnitReview.load(window, workspace: workspace)
            let done = Self.completedSteps(review.unit, in: review.tree)
            if done > 0 {
                display.event("\(key): \(done) of \(UnitUpdate.steps(of: review.unit, in: review.tree).count) steps done; its agent resumes")
            }
            try start(unit, role: .agent, extra: [:], tip: window.tip)
        case .wait(let text):
            summary.awaitingReview.append(key)
            display.event("\(key): \(text)")
        case .needPerson(let text):
            summary.needPerson.append("\(key): \(text)")
            display.event("\(key): \(text)")
        case .stopped(let text):
            summary.stopped.append("\(key): \(text)")
            display.event("\(key): stopped: \(text)")
        }
    }

    /// An agent made progress when it completed a step it had not; a fix agent, when its
    /// `Completes:` commit took the unit out of fix required. Unknown (no start tip): yes.
    private func madeProgress(_ review: UnitReview, role: JobRecord.Role, since start: ObjectID?) throws -> Bool {
        switch review.state {
        case .working, .fixRequired: break
        default: return true
        }
        if role == .fix { return !isFixRequired(review) }
        guard let start else { return true }
        let before = try workspace.tasks(of: review.spec, from: .commit(start))
        guard let unit = before.unit(review.window.naming.unit) else { return true }
        return Self.completedSteps(review.unit, in: review.tree) > Self.completedSteps(unit, in: before)
    }

    private func isFixRequired(_ review: UnitReview) -> Bool {
        if case .fixRequired = review.state { true } else { false }
    }

    /// Where a unit stands after a job, in words: "2 of 3 steps done", "rejected (fix attempt 1 of 3): …".
    static func outcome(_ review: UnitReview, most: Int) -> String {
        switch review.state {
        case .working:
            return "\(completedSteps(review.unit, in: review.tree)) of \(UnitUpdate.steps(of: review.unit, in: review.tree).count) steps done"
        case .fixRequired(_, let attempt):
            return "rejected (fix attempt \(attempt) of \(most)): \(StatusText.oneLine(review.ledger.lastRejection?.reason ?? ""))"
        case .pendingReview:
            return "every step done"
        default:
            return review.stateWords
        }
    }

    static func completedSteps(_ unit: DispatchUnit, in tree: TaskTree) -> Int {
        UnitProgress(unit: unit, tree: tree).leafStatuses.values.filter { $0 == .completed }.count
    }

    /// The first step of the unit (or the unit itself) blocked on its branch, with the reason.
    static func blockedStep(_ review: UnitReview) -> (TaskID, String)? {
        let tree = review.tree
        for index in review.unit.members where tree.statuses[index] == .blocked || (index == review.unit.root && tree.nodes[index].entry.metadata.blocked != nil) {
            let entry = tree.nodes[index].entry
            guard let reason = entry.metadata.blocked?.reason else { continue }
            return (tree.nodes[index].id, reason)
        }
        return nil
    }

    /// Records an agent run without progress in the review log; escalates the unit when that was
    /// its last fix attempt (true).
    private func spendAttempt(_ review: UnitReview, role: JobRecord.Role, how: String) throws -> Bool {
        let naming = review.window.naming, key = "\(naming.spec)/\(naming.unit)"
        let note = "its \(role.words) \(how) without completing a step"
        var author = workspace.repository.defaultSignature()
        author.name = Self.author
        let ledger = try ReviewLog(repository: workspace.repository, naming: naming).append(author: author) { ledger in
            .noProgress(round: ledger.round, role: role.rawValue, note: note)
        }
        let most = workspace.settings.maxFixAttempts
        guard ledger.fixAttempts >= most else {
            display.event("\(key): \(note): fix attempt \(ledger.fixAttempts) of \(most) spent")
            return false
        }
        try ReviewCommands(workspace: workspace).escalate(naming, ledger: ledger, why: note, by: Self.author)
        let line = "escalated after \(ledger.fixAttempts) fix attempts (the last: \(note)); `spec-dispatch unblock \(key)` once a person has dealt with it"
        summary.needPerson.append("\(key): \(line)")
        display.event("\(key): \(line)")
        return true
    }

    static let author = "spec-dispatch run"

    /// Where each open unit stands, and what the next `run` does with it.
    func pickUpReport() -> [String] {
        guard let windows = try? localWindows() else { return [] }
        return windows.map { window in
            let key = "\(window.naming.spec)/\(window.naming.unit)"
            guard let review = try? UnitReview.load(window, workspace: workspace) else { return "\(key): its window needs `spec-dispatch doctor`" }
            let done = Self.completedSteps(review.unit, in: review.tree), steps = UnitUpdate.steps(of: review.unit, in: review.tree).count
            switch step(for: review, after: nil) {
            case .review: return "\(key): pending review; it goes to review"
            case .reopenReview(let round): return "\(key): under review (round \(round)); its reviewer starts again"
            case .merge: return "\(key): approved; it merges"
            case .fix: return "\(key): \(review.stateWords); its fix agent starts again"
            case .agent: return "\(key): in progress (\(done) of \(steps) steps done); its agent starts again where it stopped"
            case .wait(let text), .needPerson(let text), .stopped(let text): return "\(key): \(text)"
            }
        }
    }
}
