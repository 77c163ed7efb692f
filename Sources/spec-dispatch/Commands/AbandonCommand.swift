import ArgumentParser
import SpecDispatch

struct AbandonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abandon",
        abstract: "Remove a unit's window and claim branch; the unit becomes ready again.",
        discussion: "Refuses (exit 7) when the branch holds commits merged nowhere or the window has uncommitted changes, unless --force."
    )

    @OptionGroup var target: UnitArgument

    @Flag(name: .long, help: "Discard unmerged commits and uncommitted changes (the branch tip is kept under refs/dispatch/archive/).")
    var force = false

    func run() throws {
        let outcome = try Abandon(workspace: try Workspace.open()).run(unit: target.unit, spec: target.spec, force: force)
        var line = "Abandoned \(outcome.branch) (was \(outcome.tip.short))"
        if let window = outcome.removedWindow { line += "; removed \(window)" }
        if let archive = outcome.archive { line += "; its commits are kept as \(archive)" }
        Output.write(line + "\n")
    }
}
