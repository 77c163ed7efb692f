import ArgumentParser
import Foundation
import SpecDispatch
import SpecDispatchCore

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a unit into its base branch (completing it there), then remove its window and branch.",
        discussion: "Refuses (exit 7, nothing changed) on code conflicts or local changes to the files involved."
    )

    @OptionGroup var target: UnitArgument

    @Flag(name: .long, help: "Merge even when its review is not approved.")
    var force = false

    func run() throws {
        let merger = UnitMerger(workspace: try Workspace.open(), environment: ProcessInfo.processInfo.environment)
        let outcome = try merger.merge(unit: target.unit, spec: target.spec, force: force)
        Output.write(Self.describe(outcome))
        if let remote = outcome.remote, remote.hasPrefix("warning:") { Output.writeError(ControlCharacters.escapedLines(remote) + "\n") }
    }

    static func describe(_ outcome: UnitMerger.Outcome) -> String {
        var line = "Merged \(outcome.unit) into \(outcome.base) (\(outcome.fastForward ? "fast-forward" : "merge commit") \(outcome.commit.short))"
        if let kept = outcome.keptWindow { line += "; kept: \(kept)" }
        if let remote = outcome.remote, !remote.hasPrefix("warning:") { line += "\n" + remote }
        return ControlCharacters.escapedLines(line) + "\n"
    }
}
