import ArgumentParser
import SpecDispatch

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Prepare this repository for dispatching (idempotent; nothing to commit)."
    )

    func run() throws {
        let changes = try Initializer(workspace: try Workspace.open()).run()
        Output.write(changes.isEmpty ? "spec-dispatch is already set up here\n" : changes.map { $0 + "\n" }.joined())
    }
}
