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

    @Option(name: .long, help: ArgumentHelp("The spec, when several have windows.", valueName: "name"))
    var spec: String?

    func run() throws {
        guard !steps.isEmpty else { throw ValidationError("name at least one step") }
        Output.report(try ProgressCommands(workspace: try Workspace.open()).run(.done(steps), spec: spec))
    }
}

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

    @Option(name: .long, help: ArgumentHelp("The spec, when several have windows.", valueName: "name"))
    var spec: String?

    func run() throws {
        try ArgumentText.reason.check(reason, option: "--reason")
        try ArgumentText.name.check(by, option: "--by")
        Output.report(try ProgressCommands(workspace: try Workspace.open()).run(.block(step, reason: reason, by: by), spec: spec))
    }
}

struct UnblockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock",
        abstract: "Remove a step's block and rewrite the unit's prompt to resume there (completed steps stay done)."
    )

    @Argument(help: ArgumentHelp("The step.", valueName: "step"))
    var step: String

    @Option(name: .long, help: ArgumentHelp("The spec, when several have windows.", valueName: "name"))
    var spec: String?

    func run() throws {
        Output.report(try ProgressCommands(workspace: try Workspace.open()).run(.unblock(step), spec: spec))
    }
}

extension Output {
    /// One line, like git's `[branch abc1234] message`; the rewritten prompt's path when there is one.
    static func report(_ outcome: ProgressCommands.Outcome) {
        var line = outcome.commit.map { "[\($0.short)] \(outcome.summary)" } ?? outcome.summary
        if let prompt = outcome.prompt { line += "\nprompt rewritten to resume: \(prompt)" }
        write(line + "\n")
    }
}
