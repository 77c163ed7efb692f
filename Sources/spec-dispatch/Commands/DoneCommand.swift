import ArgumentParser
import SpecDispatch
import SpecDispatchCore

struct DoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Mark steps done: commits tasks.md on the unit's branch (as a `Completes:` commit would)."
    )

    @Argument(help: ArgumentHelp("Steps of one unit, like 2.1 2.2.", valueName: "step"))
    var steps: [String]

    @OptionGroup var window: WindowSpecOption

    func run() throws {
        guard !steps.isEmpty else { throw ValidationError("name at least one step") }
        Output.report(try ProgressCommands(workspace: try Workspace.open()).run(.done(steps), spec: window.spec))
    }
}
