import ArgumentParser
import SpecDispatch

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

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        if unit != nil, count != 1 { throw ValidationError("--count cannot be combined with a unit id") }
    }

    func run() throws {
        let dispatcher = Dispatcher(workspace: try Workspace.open(), environment: Output.environment)
        let request = NextRequest(spec: options.spec, unit: unit, count: count, agent: agent, base: base)
        let units = try dispatcher.next(request) { Output.writeError($0 + "\n") }
        Output.write(options.json ? NextReport.json(units) : Array(NextReport.text(units).utf8))
    }
}
