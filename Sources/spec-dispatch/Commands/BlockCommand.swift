import ArgumentParser
import SpecDispatch
import SpecDispatchCore

struct BlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block",
        abstract: "Mark a step blocked with a reason (a `_Blocked:_` line); the unit shows blocked."
    )

    @Argument(help: ArgumentHelp("The step.", valueName: "step"))
    var step: String

    @Option(name: .long, help: "Why it is blocked: what is missing.")
    var reason: String

    @Option(name: .long, help: "Who blocked it (default: the unit's agent, else your git name).")
    var by: String?

    @OptionGroup var window: WindowSpecOption

    func run() throws {
        try ArgumentText.reason.check(reason, option: "--reason")
        try ArgumentText.name.check(by, option: "--by")
        Output.report(try ProgressCommands(workspace: try Workspace.open()).run(.block(step, reason: reason, by: by), spec: window.spec))
    }
}
