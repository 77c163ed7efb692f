import ArgumentParser
import Foundation
import SpecDispatch
import SpecDispatchCore

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Start the review of a unit whose steps are all done: one review payload and prompt for the whole unit."
    )

    @OptionGroup var target: UnitArgument

    @Flag(name: .long, help: "Print JSON for machines.")
    var json = false

    func run() throws {
        let requested = try ReviewCommands(workspace: try Workspace.open()).review(unit: target.unit, spec: target.spec)
        if json {
            var w = JSONWriter()
            w.object { w in
                w.string("schema", "spec-dispatch.review-request/1")
                w.string("unit", requested.unit)
                w.int("round", requested.round)
                w.string("payload", requested.payload)
                w.string("prompt", requested.prompt)
            }
            Output.write(w.bytes + [0x0A])
        } else {
            Output.write("\(requested.prompt)\n")
        }
    }
}

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

struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove the windows of units that are merged or abandoned."
    )

    @Flag(name: .long, help: "Also remove windows that hold other work (it is first kept under refs/dispatch/archive/).")
    var force = false

    @Option(name: .long, help: ArgumentHelp("Also delete this remote's claims that no machine will give back (merged, or unmoved for dispatch.staleClaimDays with no window here).", valueName: "name"))
    var remote: String?

    func run() throws {
        let outcome = try GarbageCollector(workspace: try Workspace.open()).run(force: force, remote: remote)
        let lines = outcome.removed + outcome.archived.map { "archived " + $0 } + outcome.kept.map { "kept " + $0 }
        Output.write(lines.map { ControlCharacters.escapedLines($0) + "\n" }.joined())
    }
}

struct MergeDriverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-driver",
        abstract: "git's merge driver for tasks.md (registered by `init`): merges by task id.",
        shouldDisplay: false
    )

    @Argument var base: String
    @Argument var ours: String
    @Argument var theirs: String
    @Argument var path: String?

    func run() throws {
        if !(try MergeDriver.run(base: base, ours: ours, theirs: theirs)) {
            Output.writeError("spec-dispatch: \(path ?? "tasks.md"): text changed on both sides; resolve the conflict markers\n")
            Output.exit(1)
        }
    }
}
