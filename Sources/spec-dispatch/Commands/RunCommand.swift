import ArgumentParser
import SpecDispatch
import SpecDispatchCore

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Keep dispatching until nothing is ready: agents in parallel, then review, fixes and merges.",
        discussion: """
            Agents are dispatch.agent.<name>.command; reviewers dispatch.reviewer.command (or --reviewer), run in \
            the main working tree with DISPATCH_REVIEW_PROMPT set. Without a reviewer, finished units wait for review. \
            It first takes up every open window of this machine, so a run that was stopped goes on where it stopped. \
            Ctrl-C (SIGINT) or SIGTERM stops its agents (SIGTERM, then SIGKILL after dispatch.stopGrace seconds) and \
            exits 130 or 143; exit 1 names the units that wait for a person. Events: .git/spec-dispatch/run.log.
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
        let runner = Runner(workspace: workspace, options: .init(parallel: parallel, spec: options.spec, agent: agent, reviewer: reviewer,
                                                                 remote: remote, stopGrace: workspace.settings.stopGrace), display: display)
        let summary = try runner.run()
        if let signal = summary.interrupted {
            throw DispatchError.interrupted("run stopped by \(signal == 15 ? "SIGTERM" : "SIGINT"); `spec-dispatch run` goes on where it stopped",
                                            signal: signal)
        }
        let problems = summary.needPerson + summary.stopped
        guard !problems.isEmpty else { return }
        if let failure = summary.dispatchFailure, problems.count == 1 { throw failure }
        let units = problems.map { $0.prefix { $0 != ":" } }
        throw DispatchError.failure("run finished with \(problems.count) unit\(problems.count == 1 ? "" : "s") that need\(problems.count == 1 ? "s" : "") a person: \(units.joined(separator: ", "))")
    }
}
