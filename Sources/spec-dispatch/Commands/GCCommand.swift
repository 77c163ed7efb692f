import ArgumentParser
import Foundation
import SpecDispatch
import SpecDispatchCore

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
