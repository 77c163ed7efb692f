import ArgumentParser
import Foundation
import SpecDispatch
import SpecDispatchCore

struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Reject a unit under review with findings: it needs a fix (a fix prompt is written into its window)."
    )

    @OptionGroup var target: UnitArgument

    @Option(name: .long, help: "The findings: what must change.")
    var reason: String

    @Option(name: .customLong("step"), help: ArgumentHelp("A step the findings concern (repeatable; default: all).", valueName: "step"))
    var steps: [String] = []

    @Option(name: .long, help: "Who rejects (default: your git name).")
    var reviewer: String?

    func run() throws {
        try ArgumentText.reason.check(reason, option: "--reason")
        try ArgumentText.name.check(reviewer, option: "--reviewer")
        let rejected = try ReviewCommands(workspace: try Workspace.open())
            .reject(unit: target.unit, spec: target.spec, reason: reason, steps: steps, reviewer: reviewer)
        let attempt = rejected.runsWithoutProgress == 0 ? "rejection" : "fix attempt"
        var line = "Rejected \(rejected.unit) (\(attempt) \(rejected.attempt) of \(rejected.maxAttempts))"
        if rejected.escalated { line += "; escalated: blocked until a person takes over (`spec-dispatch unblock \(rejected.unit)`)" }
        if let prompt = rejected.fixPrompt { line += "\nfix prompt: \(prompt)" }
        Output.write(line + "\n")
    }
}
