import Foundation
import GitKit
import SpecDispatchCore

/// `run`: keeps dispatching until nothing is ready. Up to `parallel` agents work at once; a unit
/// whose agent finished its steps goes to review (the reviewer command, when configured), a
/// rejected one goes back to its agent with the fix prompt, an approved one merges, and what
/// becomes ready is dispatched.
public final class Runner {
    public struct Options: Sendable {
        public var parallel: Int
        public var spec: String?
        public var agent: String?
        public var reviewer: String?
        public var remote: String?

        public init(parallel: Int, spec: String?, agent: String?, reviewer: String?, remote: String?) {
            self.parallel = parallel
            self.spec = spec
            self.agent = agent
            self.reviewer = reviewer
            self.remote = remote
        }
    }

    public struct Summary: Sendable {
        public var merged: [String] = []
        public var awaitingReview: [String] = []
        public var stopped: [String] = []
    }

    enum Role: String { case agent, fix, review }

    struct Job {
        var unit: DispatchedUnit
        var role: Role
        var process: Process
        var started: Date
        var key: String { "\(unit.spec)/\(unit.unit)" }
    }

    let workspace: Workspace
    let options: Options
    let display: RunDisplay
    private let launcher: AgentLauncher
    private var jobs: [Job] = []
    private var summary = Summary()

    public init(workspace: Workspace, options: Options, display: RunDisplay) {
        self.workspace = workspace
        self.options = options
        self.display = display
        launcher = AgentLauncher(settings: workspace.settings)
    }

    public func run() throws -> Summary {
        display.event("run started: up to \(options.parallel) agents at once")
        var canDispatch = true
        while true {
            while canDispatch, jobs.count < options.parallel {
                canDispatch = try dispatchOne()
            }
            if jobs.isEmpty { break }
            display.progress(jobs.map { ($0.key, $0.role.rawValue, Date().timeIntervalSince($0.started)) }, summary: summaryLine)
            let finished = waitForAny()
            do {
                try handle(finished)
            } catch {
                // One unit's failure (a merge conflict, a broken reviewer) stops that unit, not the
                // agents still running for the others.
                let message = (error as? DispatchError)?.message ?? "\(error)"
                summary.stopped.append("\(finished.key): \(message)")
                display.event("\(finished.key): stopped: \(message)")
            }
            canDispatch = true
        }
        display.progress([], summary: summaryLine)
        display.event("run finished: \(summaryLine)")
        return summary
    }

    private var summaryLine: String {
        "\(summary.merged.count) merged, \(jobs.count) running, \(summary.awaitingReview.count) awaiting review, \(summary.stopped.count) stopped"
    }

    /// Dispatches and starts the next ready unit; false when none can be opened now, or when its
    /// agent could not start (the next would fail alike, say with no agent configured).
    private func dispatchOne() throws -> Bool {
        let units: [DispatchedUnit]
        do {
            units = try Dispatcher(workspace: workspace, environment: [:])
                .next(NextRequest(spec: options.spec, agent: options.agent, remote: options.remote)) { display.event($0) }
        } catch let error as DispatchError where [.nothingReady, .windowCapReached, .blockedByOpenWindows].contains(error.exitCode) {
            return false
        }
        for unit in units {
            do {
                try start(unit, role: .agent, command: try launcher.command(for: unit.agent), extra: [:])
            } catch let error as DispatchError {
                summary.stopped.append("\(unit.spec)/\(unit.unit): \(error.message)")
                display.event("\(unit.spec)/\(unit.unit): not started: \(error.message)")
                return false
            }
        }
        return true
    }

    private func start(_ unit: DispatchedUnit, role: Role, command: String, extra: [String: String]) throws {
        let folder = role == .review ? (workspace.repository.mainWorktreePath() ?? unit.window) : unit.window
        let log = "\(unit.window)/\(IgnoreRule.folder)/\(role.rawValue).log"
        let process = try launcher.start(command, in: folder, environment: AgentEnvironment.variables(for: unit).merging(extra) { _, new in new },
                                         output: log)
        jobs.append(Job(unit: unit, role: role, process: process, started: Date()))
        display.event("\(unit.spec)/\(unit.unit): \(role == .review ? "review" : role == .fix ? "fix" : "agent") started (log: \(log))")
    }

    private func waitForAny() -> Job {
        while true {
            if let index = jobs.firstIndex(where: { !$0.process.isRunning }) { return jobs.remove(at: index) }
            display.progress(jobs.map { ($0.key, $0.role.rawValue, Date().timeIntervalSince($0.started)) }, summary: summaryLine)
            usleep(50_000)
        }
    }

    /// What comes after a finished agent or reviewer, from the unit's state.
    private func handle(_ job: Job) throws {
        let key = job.key
        guard let window = try OpenWindows.list(workspace.repository).first(where: { $0.naming.spec == job.unit.spec && $0.naming.unit == job.unit.unit }) else {
            summary.merged.append(key)
            display.event("\(key): merged")
            return
        }
        let review = try UnitReview.load(window, workspace: workspace)
        switch review.state {
        case .pendingReview:
            guard let reviewer = options.reviewer ?? workspace.settings.reviewerCommand else {
                summary.awaitingReview.append(key)
                display.event("\(key): done; awaits review (`spec-dispatch review \(key)`)")
                return
            }
            let requested = try ReviewCommands(workspace: workspace).review(unit: key, spec: nil)
            try start(job.unit, role: .review, command: reviewer,
                      extra: ["DISPATCH_REVIEW_PROMPT": requested.prompt, "DISPATCH_REVIEW_PAYLOAD": requested.payload])
        case .approved:
            let merged = try UnitMerger(workspace: workspace).merge(window, force: false)
            summary.merged.append(key)
            display.event("\(key): merged into \(merged.base)")
        case .fixRequired:
            let fix = window.payloadFolder.map { "\($0)/fix.md" } ?? ""
            try start(job.unit, role: .fix, command: try launcher.command(for: job.unit.agent), extra: ["DISPATCH_FIX_PROMPT": fix])
        case .merged:
            summary.merged.append(key)
        default:
            summary.stopped.append("\(key): \(review.stateWords) after its \(job.role.rawValue) exited with \(job.process.terminationStatus)")
            display.event("\(key): stopped: \(review.stateWords) (exit \(job.process.terminationStatus))")
        }
    }
}

/// How `run` shows itself: on a terminal a live block of running jobs, redrawn in place;
/// otherwise one line per event. Every event also goes to the log file.
public final class RunDisplay {
    let terminal: Terminal
    let write: (String) -> Void
    let log: FileHandle?
    private var drawnLines = 0

    public init(terminal: Terminal, logPath: String?, write: @escaping (String) -> Void) {
        self.terminal = terminal
        self.write = write
        if let logPath {
            if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
            log = try? FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            _ = try? log?.seekToEnd()
        } else {
            log = nil
        }
    }

    /// One line, whatever a quoted error message or name holds: control characters escaped.
    func event(_ text: String) {
        clear()
        let line = ControlCharacters.escaped(text)
        write(line + "\n")
        log?.write(Data("\(Date().formatted(.iso8601)) \(line)\n".utf8))
    }

    func progress(_ jobs: [(unit: String, role: String, seconds: TimeInterval)], summary: String) {
        guard terminal.width != nil else { return }
        clear()
        var lines = jobs.map { "  \(ControlCharacters.escaped($0.unit))  \($0.role)  \(Int($0.seconds))s" }
        lines.append(Style.dim.apply(summary, terminal))
        write(lines.joined(separator: "\n") + "\n")
        drawnLines = lines.count
    }

    private func clear() {
        guard drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\u{1B}[J")
        drawnLines = 0
    }
}
