import ArgumentParser
import SpecDispatch
import SpecDispatchCore

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Start a unit's agent again in its window: the fix agent when a fix is required, else the agent, its prompt rewritten to resume.",
        discussion: "Runs in the foreground (or in its tmux window with --tmux). Refuses while an agent or reviewer is at work there."
    )

    @OptionGroup var target: UnitArgument

    @Option(name: .long, help: "The agent to run (default: the one recorded with the claim, else dispatch.agent).")
    var agent: String?

    @Flag(name: .long, help: "Run it in the unit's tmux window (opened when it has none), keeping its output in .dispatch/<role>.log.")
    var tmux = false

    func run() throws {
        try ArgumentText.name.check(agent, option: "--agent")
        let resumed = try WindowSupervision(workspace: try Workspace.open()).resume(target.unit, spec: target.spec, agent: agent, tmux: tmux)
        switch resumed {
        case .exited(let role, let code):
            if code != 0 { throw DispatchError.failure("the \(role) of unit \(target.unit) exited with status \(code)") }
        case .inTmux(let role, let window, let attach):
            Output.writeError("started the \(role) in tmux window \(window)\n")
            if (Output.environment["TMUX"] ?? "").isEmpty { Output.writeError("attach: \(attach)\n") }
        }
    }
}
