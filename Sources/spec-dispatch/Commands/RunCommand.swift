import ArgumentParser
import SpecDispatch
import SpecDispatchCore

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Keep dispatching until nothing is ready: agents in parallel, then review, fixes and merges.",
        discussion: """
            Agents are dispatch.agent.<name>.command; reviewers dispatch.reviewer.command (or --reviewer), run in \
            the main working tree with DISPATCH_REVIEW_PROMPT set. Without a reviewer, finished units wait for review.
            """
    )

    @OptionGroup var options: SpecOptions

    @Option(name: .long, help: "How many agents work at once.")
    var parallel = 3

    @Option(name: .long, help: "The agent for units that do not name one (_agent:).")
    var agent: String?

    @Option(name: .long, help: "A shell command that reviews a unit (overrides dispatch.reviewer.command).")
    var reviewer: String?

    @Option(name: .long, help: ArgumentHelp("Claim through this remote (default: dispatch.remote).", valueName: "name"))
    var remote: String?

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
    }

    func run() throws {
        try ArgumentText.name.check(agent, option: "--agent")
        let workspace = try Workspace.open()
        let display = RunDisplay(terminal: Output.terminal, logPath: workspace.repository.commonDirectory + "/spec-dispatch/run.log") {
            Output.write($0)
        }
        let summary = try Runner(workspace: workspace, options: .init(parallel: parallel, spec: options.spec, agent: agent,
                                                                     reviewer: reviewer, remote: remote), display: display).run()
        if !summary.stopped.isEmpty { Output.exit(SpecDispatch.ExitCode.failure.rawValue) }
    }
}
