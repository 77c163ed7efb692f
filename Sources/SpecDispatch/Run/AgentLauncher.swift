import Foundation

/// Starts the agent of a window: the command configured as `dispatch.agent.<name>.command`, run
/// by `sh -c` in the window, learning about its unit from `DISPATCH_*` environment variables
/// only (nothing from tasks.md ever becomes part of a command line).
public struct AgentLauncher {
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

    /// Runs the agent in the foreground (its output is ours) and returns its exit status.
    public func runForeground(_ command: String, for unit: DispatchedUnit) throws -> Int32 {
        let process = try start(command, in: unit.window, environment: AgentEnvironment.variables(for: unit), output: nil)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Starts a shell command in `folder` with the environment added; output to a file, or ours.
    public func start(_ command: String, in folder: String, environment: [String: String], output: String?) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        if let output {
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            process.standardOutput = handle
            process.standardError = handle
        }
        do {
            try process.run()
        } catch {
            throw DispatchError.failure("cannot start `\(command)`: \(error.localizedDescription)")
        }
        return process
    }

    /// Opens the unit in a tmux window named `task-<id>` of `dispatch.tmux.session` (created when
    /// absent), in the worktree, running the agent (or a shell when no command is configured).
    public func openInTmux(_ command: String?, for unit: DispatchedUnit) throws -> String {
        let session = settings.tmuxSession
        let name = "task-\(unit.unit)"
        let environment = AgentEnvironment.variables(for: unit).sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
        let program = command.map { ["/bin/sh", "-c", $0] } ?? []
        let exists = try tmux(["has-session", "-t", "=\(session)"], allowFailure: true) == 0
        let arguments = exists
            ? ["new-window", "-d", "-t", "=\(session):", "-n", name, "-c", unit.window] + environment + program
            : ["new-session", "-d", "-s", session, "-n", name, "-c", unit.window] + environment + program
        guard try tmux(arguments, allowFailure: true) == 0 else {
            throw DispatchError.failure("tmux could not open window \(name) in session \(session)")
        }
        return "\(session):\(name)"
    }

    @discardableResult
    private func tmux(_ arguments: [String], allowFailure: Bool) throws -> Int32 {
        guard let status = Spawn.run(["tmux"] + arguments) else {
            throw DispatchError.notFound("cannot run tmux", details: ["hint: install tmux"])
        }
        return status
    }
}
