import Foundation
import GitKit
import SpecDispatchCore

/// Starts the agent of a window: the command configured as `dispatch.agent.<name>.command`, run
/// by `sh -c` in the window, learning about its unit from `DISPATCH_*` environment variables
/// only (nothing from tasks.md ever becomes part of a command line). Every agent it starts is
/// recorded in its window while it runs (JobRecord).
public struct AgentLauncher: Sendable {
    let settings: DispatchSettings

    public init(settings: DispatchSettings) {
        self.settings = settings
    }

    /// The configured command of an agent; an error naming the key when there is none.
    public func command(for agent: String?) throws -> String {
        guard let agent else {
            throw DispatchError.invalidInput("no agent to run: pass --agent NAME, give the unit an _agent: line, or set dispatch.agent")
        }
        guard let command = settings.agentCommands[agent], !command.isEmpty else {
            throw DispatchError.invalidInput("no command for agent '\(agent)': set dispatch.agent.\(agent).command",
                                details: ["hint: git config dispatch.agent.\(agent).command 'my-agent --prompt \"$DISPATCH_PROMPT\"'"])
        }
        return command
    }

    /// The agent's command once it is known to start: configured, and the program it names found.
    /// Checked before a unit is claimed, so that an agent that cannot start leaves no claim.
    public func usableCommand(for agent: String?) throws -> String {
        let command = try command(for: agent)
        if let program = Self.program(of: command), !Self.canRun(program) {
            throw DispatchError.notFound("agent '\(agent ?? "")' cannot start: its command runs `\(program)`, which \(program.hasPrefix("/") ? "is not an executable file" : "is not found in PATH")",
                                         details: ["hint: install it, or change dispatch.agent.\(agent ?? "").command"])
        }
        return command
    }

    /// Words the shell runs itself, after which the program is not the first word.
    private static let shellWords: Set<String> = [
        "if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done", "in", "function", "{", "}",
        "!", "[[", "]]", "exec", "command", "builtin", "eval", ".", "source", "cd", "export", "set", "unset", "env", "nice",
        "nohup", "time", "test", "[", "true", "false", ":", "alias", "trap", "wait", "read", "printf", "echo", "ulimit", "umask",
    ]

    /// The program a command line starts, when it can be told without running a shell: its first
    /// word after `NAME=value` assignments, when that word is plain (no quotes, expansions or
    /// operators) and not something the shell runs itself. A relative path is the window's,
    /// which does not exist yet, so it is not checked either.
    static func program(of command: String) -> String? {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+@%,:".unicodeScalars)
        for word in words {
            if let equals = word.firstIndex(of: "="), word[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
               !word[..<equals].isEmpty {
                continue
            }
            guard word.unicodeScalars.allSatisfy(plain.contains), !shellWords.contains(word) else { return nil }
            return word.contains("/") && !word.hasPrefix("/") ? nil : word
        }
        return nil
    }

    /// Refuses, before anything is claimed, when tmux cannot be run.
    public static func requireTmux() throws {
        guard canRun("tmux") else { throw DispatchError.notFound("cannot run tmux: it is not in PATH", details: ["hint: install tmux"]) }
    }

    /// An executable file at that path, or by that name in PATH.
    static func canRun(_ program: String) -> Bool {
        if program.contains("/") { return access(program, X_OK) == 0 && !FileTree.isDirectory(program) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":", omittingEmptySubsequences: false).contains { folder in
            let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + program
            return access(candidate, X_OK) == 0 && !FileTree.isDirectory(candidate)
        }
    }

    /// Runs a freshly dispatched unit's agent in the foreground (`next --exec`); returns its exit code.
    public func runForeground(_ command: String, for unit: DispatchedUnit) throws -> Int32 {
        guard let place = RunUnit(unit) else { throw DispatchError.invalidInput("unit \(unit.unit) cannot name a window") }
        return ExitDescription.code(try runForeground(command, for: place, role: .agent, extra: [:], by: "next", tip: nil))
    }

    /// A check for `NextRequest.checkAgent`: with `required`, the agent must be configured and
    /// start; without, only an agent that is configured must start (`--tmux` opens a shell else).
    public func check(required: Bool) -> @Sendable (String?) throws -> Void {
        { [self] agent in
            if required || agent.map({ settings.agentCommands[$0] != nil }) == true { _ = try usableCommand(for: agent) }
        }
    }

    /// Runs an agent in the foreground (its output and input are ours), recorded in the window
    /// while it runs; returns its wait status.
    func runForeground(_ command: String, for unit: RunUnit, role: JobRecord.Role, extra: [String: String], by: String,
                       tip: ObjectID?) throws -> Int32 {
        let process = try ChildProcess.spawn(command, in: unit.window, environment: unit.environment.merging(extra) { _, new in new },
                                             output: nil, ownGroup: false)
        try record(process, of: unit, role: role, by: by, tip: tip)
        process.release()
        let status = process.wait()
        JobRecord.remove(in: unit.window)
        return status
    }

    /// Starts an agent or reviewer unattended, in its own process group, its output appended to
    /// `.dispatch/<role>.log`; recorded in the window before it is let run.
    func startJob(_ command: String, for unit: RunUnit, role: JobRecord.Role, extra: [String: String], in folder: String,
                  by: String, tip: ObjectID?) throws -> (ChildProcess, log: String) {
        let log = Self.logPath(of: role, in: unit.window)
        let header = "==> \(role.words) started \(Date().formatted(.iso8601)) by \(by) <==\n"
        if let handle = FileHandle(forWritingAtPath: log) ?? (FileManager.default.createFile(atPath: log, contents: nil) ? FileHandle(forWritingAtPath: log) : nil) {
            _ = try? handle.seekToEnd()
            handle.write(Data(header.utf8))
            try? handle.close()
        }
        let process = try ChildProcess.spawn(command, in: folder, environment: unit.environment.merging(extra) { _, new in new },
                                             output: log, ownGroup: true)
        do {
            try record(process, of: unit, role: role, by: by, tip: tip)
        } catch {
            // Never let run what is not recorded: closing the gate unopened ends it.
            process.send(SIGKILL)
            _ = process.wait()
            throw error
        }
        process.release()
        return (process, log)
    }

    private func record(_ process: ChildProcess, of unit: RunUnit, role: JobRecord.Role, by: String, tip: ObjectID?) throws {
        guard let identity = ProcessIdentity.current(process.pid) else {
            throw DispatchError.failure("the \(role.words) of \(unit.key) exited before it started")
        }
        try JobRecord(role: role, process: identity, ownGroup: process.ownGroup, startTip: tip, startedBy: by, since: Date())
            .write(in: unit.window)
    }

    /// Where a window keeps the output of its agent (`agent.log`), fix agent (`fix.log`) or reviewer (`review.log`).
    static func logPath(of role: JobRecord.Role, in window: String) -> String {
        "\(window)/\(IgnoreRule.folder)/\(role.rawValue).log"
    }

    /// `next --tmux`: opens the new unit's window `task-<id>` in tmux session `dispatch.tmux.session`
    /// (created when absent), at its worktree, running the agent (or a shell when none is
    /// configured). Returns the window's name and how to attach to it.
    public func openInTmux(_ command: String?, for unit: DispatchedUnit) throws -> (name: String, attach: String) {
        guard let place = RunUnit(unit) else { throw DispatchError.invalidInput("unit \(unit.unit) cannot name a window") }
        let window = try openInTmux(command, for: place, role: .agent, extra: [:], by: "next --tmux", tip: nil)
        return ("\(window.session):task-\(unit.unit)", window.attachCommand)
    }

    /// Opens the unit's tmux window running `command` (recorded as its `role`), or a shell; when
    /// its window is open already, the agent starts again in it.
    func openInTmux(_ command: String?, for unit: RunUnit, role: JobRecord.Role, extra: [String: String], by: String,
                    tip: ObjectID?) throws -> TmuxWindow {
        let log = Self.logPath(of: role, in: unit.window)
        let record = { (pid: Int32) throws in
            guard let identity = ProcessIdentity.current(pid) else { throw DispatchError.failure("the tmux window of \(unit.key) closed at once") }
            try JobRecord(role: role, process: identity, ownGroup: true, startTip: tip, startedBy: by, since: Date()).write(in: unit.window)
        }
        if let existing = TmuxWindow.recorded(in: unit.window), existing.isShowing(unit.window) {
            if let command { try existing.respawn(unit, command: command, extra: extra, log: log, starting: record) }
            return existing
        }
        return try TmuxWindow.open(unit, session: settings.tmuxSession, command: command, extra: extra, log: log, starting: record)
    }
}

/// A unit as `run`, `resume` and `next --exec` start its agent: where its window is and which
/// agent works it.
struct RunUnit: Sendable {
    var naming: WindowNaming
    /// The worktree.
    var window: String
    var agent: String?

    var key: String { "\(naming.spec)/\(naming.unit)" }

    var environment: [String: String] {
        AgentEnvironment.variables(spec: naming.spec, unit: naming.unit.text, window: window, branch: naming.branch)
    }

    init(naming: WindowNaming, window: String, agent: String?) {
        self.naming = naming
        self.window = window
        self.agent = agent
    }

    init?(_ unit: DispatchedUnit) {
        guard let naming = try? WindowNaming(spec: unit.spec, unit: unit.unit) else { return nil }
        self.init(naming: naming, window: unit.window, agent: unit.agent)
    }
}
