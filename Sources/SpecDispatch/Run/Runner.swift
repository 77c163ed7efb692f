import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GitKit
import SpecDispatchCore

/// `run`: keeps dispatching until nothing is ready. Up to `parallel` agents work at once; a unit
/// whose agent finished its steps goes to review (the reviewer command, when configured), a
/// rejected one goes back to its agent with the fix prompt, an approved one merges, and what
/// becomes ready is dispatched.
///
/// All it knows lives in git and in the windows, so it can stop at any moment and a later `run`
/// goes on: it starts by finishing what an interrupted one left (as `doctor --fix` does) and by
/// adopting every open window of this machine, watching agents still at work and taking each
/// other unit from where it stands. SIGINT and SIGTERM stop its agents and reviewers (TERM, then
/// KILL after `stopGrace`), and it says what the next run will pick up.
public final class Runner {
    public struct Options: Sendable {
        public var parallel: Int
        public var spec: String?
        public var agent: String?
        public var reviewer: String?
        public var remote: String?
        /// Seconds a stopped agent gets between SIGTERM and SIGKILL.
        public var stopGrace: Double

        public init(parallel: Int, spec: String?, agent: String?, reviewer: String?, remote: String?, stopGrace: Double = 10) {
            self.parallel = parallel
            self.spec = spec
            self.agent = agent
            self.reviewer = reviewer
            self.remote = remote
            self.stopGrace = stopGrace
        }
    }

    public struct Summary: Sendable {
        public var merged: [String] = []
        public var awaitingReview: [String] = []
        /// Units that wait for a person (escalated, or a step blocked), each with why and what to run.
        public var needPerson: [String] = []
        /// Units that stopped on a failure (a merge conflict, a reviewer without a verdict, an
        /// agent that cannot start), each with why.
        public var stopped: [String] = []
        /// The first failure to dispatch, when dispatching failed (its exit code stands for the run's).
        public var dispatchFailure: DispatchError?
        /// The signal that stopped the run, when one did.
        public var interrupted: Int32?
        /// Where each open unit stood when the run stopped, and what the next run does with it.
        public var pickUp: [String] = []
    }

    /// An agent, fix agent or reviewer at work.
    struct Job {
        enum Handle {
            /// Started by this run.
            case child(ChildProcess)
            /// Found at work, started by an earlier run (or `next`, `resume`): watched, not waited for.
            case adopted(JobRecord)
        }

        var unit: RunUnit
        var role: JobRecord.Role
        var handle: Handle
        var startTip: ObjectID?
        var started: Date

        /// How it ended, once it has (reaping it).
        func ended() -> String? {
            switch handle {
            case .child(let process): process.poll().map(ExitDescription.text)
            case .adopted(let record): record.process.isRunning ? nil : "ended (an earlier run started it; its exit status is not known)"
            }
        }

        func send(_ signal: Int32) {
            switch handle {
            case .child(let process): process.send(signal)
            case .adopted(let record): record.send(signal)
            }
        }

        /// It has exited (reaped), and so has everything in its process group.
        func isGone() -> Bool {
            guard ended() != nil else { return false }
            switch handle {
            case .child(let process) where process.ownGroup: return !ProcessGroup.hasLiveMembers(process.pid)
            case .adopted(let record) where record.ownGroup: return !ProcessGroup.hasLiveMembers(record.process.pid)
            default: return true
            }
        }

        /// Its process group's stragglers (what it started in the background), once it has exited.
        func endGroup() {
            switch handle {
            case .child(let process) where process.ownGroup: kill(-process.pid, SIGKILL)
            case .adopted(let record) where record.ownGroup: kill(-record.process.pid, SIGKILL)
            default: break
            }
        }

        var pid: Int32 {
            switch handle {
            case .child(let process): process.pid
            case .adopted(let record): record.process.pid
            }
        }
    }

    /// A window found when the run started, waiting for a free slot to start its job.
    struct Deferred {
        var naming: WindowNaming
    }

    let workspace: Workspace
    let options: Options
    let display: RunDisplay
    let launcher: AgentLauncher
    var jobs: [Job] = []
    var deferred: [Deferred] = []
    var summary = Summary()
    /// An agent could not start (or dispatching failed): dispatch no more units.
    var dispatchStopped = false
    let startedBy = "run \(getpid())"

    public init(workspace: Workspace, options: Options, display: RunDisplay) {
        self.workspace = workspace
        self.options = options
        self.display = display
        launcher = AgentLauncher(settings: workspace.settings)
    }

    public func run() throws -> Summary {
        let lock = try RunLock(repository: workspace.repository)
        defer { withExtendedLifetime(lock) {} }
        StopSignals.install()
        display.event("run started (pid \(getpid())): up to \(options.parallel) agents at once")
        repairInterruptions()
        try adoptWindows()
        while true {
            if let signal = StopSignals.received {
                stop(signal)
                return summary
            }
            while jobs.count < options.parallel, !deferred.isEmpty {
                let next = deferred.removeFirst()
                guarded(next.naming) { _ = try self.proceed(next.naming, ended: nil, mayStart: true) }
            }
            while !dispatchStopped, jobs.count < options.parallel, deferred.isEmpty, StopSignals.received == nil {
                if !dispatchOne() { break }
            }
            if jobs.isEmpty, deferred.isEmpty, StopSignals.received == nil { break }
            guard let (job, how) = waitForAny() else { continue }
            guarded(job.unit.naming) { try self.finish(job, how: how) }
        }
        display.progress([], summary: summaryLine)
        display.event("run finished: \(summaryLine)")
        for line in summary.needPerson { display.event("needs a person: \(line)") }
        for line in summary.stopped { display.event("stopped: \(line)") }
        return summary
    }

    var summaryLine: String {
        "\(summary.merged.count) merged, \(jobs.count) running, \(summary.awaitingReview.count) awaiting review, "
            + "\(summary.needPerson.count) blocked, \(summary.stopped.count) stopped"
    }

    /// Runs one unit's next step; a failure stops that unit, not the agents working the others.
    func guarded(_ naming: WindowNaming, _ body: () throws -> Void) {
        do {
            try body()
        } catch {
            let message = (error as? DispatchError)?.message ?? "\(error)"
            summary.stopped.append("\(naming.spec)/\(naming.unit): \(message)")
            display.event("\(naming.spec)/\(naming.unit): stopped: \(message)")
        }
    }

    /// Dispatches and starts the next ready unit; false when none can be opened now. The unit's
    /// agent is checked before it is claimed: one that cannot start leaves no claim, and ends
    /// dispatching for this run (the next unit's would fail alike).
    private func dispatchOne() -> Bool {
        let launcher = self.launcher
        let request = NextRequest(spec: options.spec, agent: options.agent, remote: options.remote,
                                  checkAgent: { agent in _ = try launcher.usableCommand(for: agent) })
        let units: [DispatchedUnit]
        do {
            units = try Dispatcher(workspace: workspace, environment: [:]).next(request) { display.event($0) }
        } catch let error as DispatchError {
            if [.nothingReady, .windowCapReached, .blockedByOpenWindows].contains(error.exitCode) { return false }
            summary.stopped.append("not dispatched: \(error.message)")
            summary.dispatchFailure = summary.dispatchFailure ?? error
            display.event("not dispatched: \(error.message)")
            dispatchStopped = true
            return false
        } catch {
            summary.stopped.append("not dispatched: \(error)")
            dispatchStopped = true
            return false
        }
        for dispatched in units {
            guard let unit = RunUnit(dispatched) else { continue }
            guarded(unit.naming) {
                try self.start(unit, role: .agent, extra: [:], tip: try self.tip(of: unit.naming))
            }
        }
        return true
    }

    /// Starts an agent, fix agent or reviewer on `unit`. The reviewer works in the main working tree.
    func start(_ unit: RunUnit, role: JobRecord.Role, extra: [String: String], tip: ObjectID?) throws {
        let command: String
        if role == .review {
            guard let reviewer = reviewerCommand else { return }
            command = reviewer
        } else {
            command = try launcher.usableCommand(for: unit.agent ?? options.agent ?? workspace.settings.defaultAgent)
        }
        let folder = role == .review ? (workspace.repository.mainWorktreePath() ?? unit.window) : unit.window
        let (process, log) = try launcher.startJob(command, for: unit, role: role, extra: extra, in: folder, by: startedBy, tip: tip)
        jobs.append(Job(unit: unit, role: role, handle: .child(process), startTip: tip, started: Date()))
        display.event("\(unit.key): \(role.words) started (pid \(process.pid), log: \(log))")
    }

    var reviewerCommand: String? { options.reviewer ?? workspace.settings.reviewerCommand }

    func tip(of naming: WindowNaming) throws -> ObjectID? {
        try git { try workspace.repository.referenceTarget(naming.reference) }
    }

    /// The first job to end, and how; nil when a stop signal came first.
    private func waitForAny() -> (Job, String)? {
        while true {
            for (index, job) in jobs.enumerated() {
                if let how = job.ended() {
                    jobs.remove(at: index)
                    job.endGroup()
                    return (job, how)
                }
            }
            if StopSignals.received != nil { return nil }
            display.progress(jobs.map { ($0.unit.key, $0.role.words, Date().timeIntervalSince($0.started)) }, summary: summaryLine)
            usleep(20_000)
        }
    }

    /// On SIGINT or SIGTERM: every agent and reviewer gets SIGTERM, then SIGKILL after the grace
    /// period (at once on a second signal), each with whatever it started; then it says where
    /// each open unit stands and what the next run does with it.
    private func stop(_ signal: Int32) {
        let name = ExitDescription.name(of: signal)
        display.event("\(name) received: stopping \(jobs.count) agent\(jobs.count == 1 ? "" : "s") and reviewers (SIGTERM, then SIGKILL after \(options.stopGrace.formatted())s)")
        for job in jobs { job.send(SIGTERM) }
        let deadline = Date().addingTimeInterval(options.stopGrace)
        while jobs.contains(where: { !$0.isGone() }), Date() < deadline, !StopSignals.isUrgent { usleep(20_000) }
        for job in jobs {
            let killed = !job.isGone()
            if killed {
                job.send(SIGKILL)
                let until = Date().addingTimeInterval(2)
                while !job.isGone(), Date() < until { usleep(5_000) }
            }
            removeRecord(of: job)
            display.event("\(job.unit.key): \(job.role.words) stopped by \(killed ? "SIGKILL (SIGTERM was not enough)" : "SIGTERM")")
        }
        jobs = []
        summary.interrupted = signal
        summary.pickUp = pickUpReport()
        for line in summary.pickUp { display.event("left: \(line)") }
        display.event("run stopped by \(name); `spec-dispatch run` picks up where it stopped")
    }

    /// The job's record, if it is still this job's (a later one may have replaced it).
    func removeRecord(of job: Job) {
        if let record = JobRecord.read(in: job.unit.window), record.process.pid == job.pid { JobRecord.remove(in: job.unit.window) }
    }
}
