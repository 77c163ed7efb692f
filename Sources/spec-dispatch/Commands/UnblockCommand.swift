import ArgumentParser
import SpecDispatch
import SpecDispatchCore

struct UnblockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock",
        abstract: "Remove a step's block and rewrite the unit's prompt to resume there (completed steps stay done)."
    )

    @Argument(help: ArgumentHelp("The step.", valueName: "step"))
    var step: String

    @OptionGroup var window: WindowSpecOption

    func run() throws {
        Output.report(try ProgressCommands(workspace: try Workspace.open()).run(.unblock(step), spec: window.spec))
    }
}
