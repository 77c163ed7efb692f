import ArgumentParser
import SpecDispatch
import SpecDispatchCore

struct AbandonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abandon",
        abstract: "Remove a unit's window and claim branch; the unit becomes ready again.",
        discussion: "Refuses (exit 7) when the window holds work no other branch has (commits on its branch, its HEAD or its HEAD's reflog; uncommitted changes), unless --force."
    )

    @OptionGroup var target: UnitArgument

    @Flag(name: .long, help: "Remove it even so: its commits and uncommitted changes are first kept under refs/dispatch/archive/.")
    var force = false

    func run() throws {
        let outcome = try Abandon(workspace: try Workspace.open()).run(unit: target.unit, spec: target.spec, force: force)
        var lines = ["Abandoned \(outcome.branch) (was \(outcome.tip.short))" + (outcome.removedWindow.map { "; removed \($0)" } ?? "")]
        lines += outcome.archived.map { "archived \($0)" }
        if let kept = outcome.keptClaim { lines.append("note: \(kept)") }
        if let remote = outcome.remote, !remote.hasPrefix("warning:") { lines.append(remote) }
        Output.write(lines.map(ControlCharacters.escapedLines).joined(separator: "\n") + "\n")
        if let remote = outcome.remote, remote.hasPrefix("warning:") { Output.writeError(ControlCharacters.escapedLines(remote) + "\n") }
    }
}
