import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GitKit
import SpecDispatchCore

/// What a person needs to watch and steer one unit's window: its logs (`logs`), its agent started
/// again with the right prompt (`resume`), a shell or a tmux window there (`open`).
public struct WindowSupervision {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// The unit's window (its worktree), which must be there.
    func place(_ text: String, spec: String?) throws -> (Window, RunUnit) {
        let window = try WindowFinder.find(text, spec: spec, in: workspace)
        guard let worktree = window.worktree, worktree.isValid else {
            throw DispatchError.notFound("the window of unit \(window.naming.unit) is missing; `spec-dispatch doctor --fix` brings it back")
        }
        return (window, RunUnit(naming: window.naming, window: worktree.path, agent: window.record?.agent))
    }

    /// The folder of the unit's window.
    public func path(of text: String, spec: String?) throws -> String {
        try place(text, spec: spec).1.window
    }

    /// The unit's `DISPATCH_*` variables, for a shell opened in its window.
    public func environment(of text: String, spec: String?) throws -> [String: String] {
        try place(text, spec: spec).1.environment
    }

    /// The window's logs, in the order they begin: setup, agent, fix agent, reviewer.
    public static let logNames = ["setup.log", "agent.log", "fix.log", "review.log"]

    /// The unit's window and the logs it has so far.
    public func logs(of text: String, spec: String?) throws -> (window: String, files: [String]) {
        let window = try place(text, spec: spec).1.window
        return (window, Self.logNames.map { "\(window)/\(IgnoreRule.folder)/\($0)" }.filter(FileTree.exists))
    }

    public enum Resumed: Sendable {
        /// Ran in the foreground and exited with this code.
        case exited(role: String, code: Int32)
        /// Started in the unit's tmux window.
        case inTmux(role: String, window: String, attach: String)
    }

    /// Starts the unit's agent again in its window: the fix agent with the fix prompt when a fix
    /// is required, else the agent with its prompt rewritten to resume where the branch stands.
    /// Refuses while an agent or reviewer is at work there, or when the unit needs no agent now
    /// (it says what it needs instead).
    public func resume(_ text: String, spec: String?, agent option: String?, tmux: Bool) throws -> Resumed {
        let (window, unit) = try place(text, spec: spec)
        let key = unit.key
        if let record = JobRecord.read(in: unit.window), record.process.isRunning {
            throw DispatchError.refused("\(key) has its \(record.role.words) at work (pid \(record.process.pid), started by \(record.startedBy))",
                                        details: ["hint: `spec-dispatch logs \(key) -f` follows it"])
        }
        let review = try UnitReview.load(window, workspace: workspace)
        let role: JobRecord.Role
        var extra: [String: String] = [:]
        switch review.state {
        case .working:
            if let (step, reason) = Runner.blockedStep(review) {
                throw DispatchError.refused("\(key) is blocked at step \(step): \(reason)",
                                            details: ["hint: `spec-dispatch unblock \(window.naming.spec)/\(step)` once that is resolved, then resume"])
            }
            role = .agent
            try WindowRestorer(workspace: workspace).rewriteFiles(window)
        case .fixRequired:
            role = .fix
            extra["DISPATCH_FIX_PROMPT"] = "\(unit.window)/\(IgnoreRule.folder)/fix.md"
        case .pendingReview:
            throw DispatchError.refused("\(key) is pending review: its agent has nothing left to do",
                                        details: ["hint: `spec-dispatch review \(key)` starts its review (`spec-dispatch run` does too)"])
        default:
            let hints = UnitReview.hints(review.state, unit: window.naming)
            throw DispatchError.refused("\(key) is \(review.stateWords): its agent has nothing to do now",
                                        details: hints.isEmpty ? ["hint: `spec-dispatch status` shows where it stands"] : hints)
        }
        let launcher = AgentLauncher(settings: workspace.settings)
        let command = try launcher.usableCommand(for: option ?? unit.agent ?? workspace.settings.defaultAgent)
        if tmux {
            try AgentLauncher.requireTmux()
            let opened = try launcher.openInTmux(command, for: unit, role: role, extra: extra, by: "resume", tip: window.tip)
            return .inTmux(role: role.words, window: opened.target, attach: opened.attachCommand)
        }
        let status = try launcher.runForeground(command, for: unit, role: role, extra: extra, by: "resume", tip: window.tip)
        return .exited(role: role.words, code: ExitDescription.code(status))
    }

    /// The unit's tmux window: the one spec-dispatch opened for it while it is still there, else
    /// a new one with a shell. Returns its target and how to attach to it.
    public func tmuxWindow(of text: String, spec: String?) throws -> (target: String, socket: String, attach: String) {
        try AgentLauncher.requireTmux()
        let unit = try place(text, spec: spec).1
        let window = try AgentLauncher(settings: workspace.settings)
            .openInTmux(nil, for: unit, role: .agent, extra: [:], by: "open --tmux", tip: nil)
        return (window.target, window.socket, window.attachCommand)
    }
}

/// `logs -f`: prints what each log gains, as `tail -f` does with several files (a `==> name <==`
/// line whenever the file changes), until the window is gone.
public struct LogFollower {
    let window: String
    let names: [String]
    var offsets: [String: Int] = [:]
    var lastShown: String?

    public init(window: String, names: [String] = WindowSupervision.logNames) {
        self.window = window
        self.names = names
    }

    /// Prints everything there is now (each log from where it was last read); false once the window is gone.
    public mutating func poll(_ write: (String) -> Void) -> Bool {
        guard FileTree.isDirectory(window) else { return false }
        for name in names {
            let path = "\(window)/\(IgnoreRule.folder)/\(name)"
            guard let bytes = FileTree.contents(path) else { continue }
            let from = offsets[path] ?? 0
            guard bytes.count > from else {
                if bytes.count < from { offsets[path] = 0 }
                continue
            }
            if lastShown != path {
                write("\(lastShown == nil ? "" : "\n")==> \(path) <==\n")
                lastShown = path
            }
            write(String(decoding: bytes[from...], as: UTF8.self))
            offsets[path] = bytes.count
        }
        return true
    }
}
