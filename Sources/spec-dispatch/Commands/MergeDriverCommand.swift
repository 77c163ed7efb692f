import ArgumentParser
import Foundation
import SpecDispatch
import SpecDispatchCore

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
            // git reads a non-zero status as "conflicts left in the file".
            throw DispatchError.reported(.failure)
        }
    }
}
