import ArgumentParser
import Foundation
import SpecDispatch
import SpecDispatchCore

struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a unit under review; with enough approvals for its criticality it merges (unless --no-merge)."
    )

    @OptionGroup var target: UnitArgument

    @Option(name: .long, help: "Who approves (default: your git name).")
    var reviewer: String?

    @Flag(name: .long, help: "Record the approval but do not merge.")
    var noMerge = false

    func run() throws {
        try ArgumentText.name.check(reviewer, option: "--reviewer")
        let approved = try ReviewCommands(workspace: try Workspace.open())
            .approve(unit: target.unit, spec: target.spec, reviewer: reviewer, merge: !noMerge)
        if let merged = approved.merged {
            Output.write(MergeCommand.describe(merged))
        } else {
            Output.write("Approved \(approved.unit) (\(approved.approvals) of \(approved.needed) approvals)\n")
        }
    }
}
