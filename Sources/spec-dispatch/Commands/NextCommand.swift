import ArgumentParser
import SpecDispatch
import SpecDispatchCore

struct NextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Claim the next ready unit(s): a branch and a worktree each, with payload and prompt.",
        discussion: """
            Prints each new window's path. Exit codes: 4 nothing ready, 5 window cap reached, \
            6 blocked by open windows writing the same files (docs/exit-codes.md).
            """
    )

    @OptionGroup var options: SpecOptions

    @Argument(help: ArgumentHelp("A unit to dispatch by id (3, or <spec>/3); optional units too.", valueName: "unit"))
    var unit: String?

    @Option(name: .long, help: "How many units to dispatch.")
    var count = 1

    @Option(name: .long, help: "The agent that will work the unit (recorded with the claim).")
    var agent: String?

    @Option(name: .long, help: ArgumentHelp("Dispatch from this branch or revision instead of the base branch.", valueName: "rev"))
    var base: String?

    @Option(name: .long, help: ArgumentHelp("Claim through this remote, so other machines see the claim (default: dispatch.remote).", valueName: "name"))
    var remote: String?

    @Flag(name: .long, help: "Run the unit's agent (dispatch.agent.<name>.command) in the window, in the foreground.")
    var exec = false

    @Flag(name: .long, help: "Open the window in tmux (window task-<id> of dispatch.tmux.session), running the agent if one is configured.")
    var tmux = false

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        if unit != nil, count != 1 { throw ValidationError("--count cannot be combined with a unit id") }
        if exec, tmux { throw ValidationError("--exec and --tmux cannot be combined") }
    }

    func run() throws {
        try ArgumentText.name.check(agent, option: "--agent")
        let workspace = try Workspace.open()
        let launcher = AgentLauncher(settings: workspace.settings)
        // An agent asked for by name is checked first: its problem is the one worth telling.
        if exec, let agent { _ = try launcher.usableCommand(for: agent) }
        if tmux { try AgentLauncher.requireTmux() }
        let dispatcher = Dispatcher(workspace: workspace, environment: Output.environment)
        let request = NextRequest(spec: options.spec, unit: unit, count: count, agent: agent, base: base, remote: remote,
                                  checkAgent: exec || tmux ? launcher.check(required: exec) : nil)
        let units = try dispatcher.next(request) { Output.writeError(ControlCharacters.escapedLines($0) + "\n") }
        Output.write(options.json ? NextReport.json(units) : Array(NextReport.text(units).utf8))
        for unit in units {
            if tmux {
                let opened = try launcher.openInTmux(try? launcher.command(for: unit.agent), for: unit)
                Output.writeError("opened tmux window \(opened.name)\n")
                if (Output.environment["TMUX"] ?? "").isEmpty { Output.writeError("attach: \(opened.attach)\n") }
            } else if exec {
                let status = try launcher.runForeground(try launcher.command(for: unit.agent), for: unit)
                if status != 0 { throw DispatchError.failure("the agent of unit \(unit.unit) exited with status \(status)") }
            }
        }
    }
}
