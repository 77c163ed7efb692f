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

    @OptionGroup var output: JSONOption

    func run() throws {
        let requested = try ReviewCommands(workspace: try Workspace.open()).review(unit: target.unit, spec: target.spec)
        if output.json {
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
