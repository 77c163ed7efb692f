import ArgumentParser
import SpecDispatch

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Prepare this repository for dispatching: hooks and ignore rule (idempotent; nothing to commit).",
        discussion: "Existing hooks are chained, not replaced: they run first and keep their exit status."
    )

    @Flag(name: .long, help: "Remove the hooks, merge driver and ignore rule, putting back the hooks that were there.")
    var uninstall = false

    @Flag(name: .long, help: "Put the tasks.md merge attribute in .gitattributes (to commit and share) instead of .git/info/attributes.")
    var gitattributes = false

    func run() throws {
        let initializer = Initializer(workspace: try Workspace.open())
        let changes = uninstall ? try initializer.uninstall() : try initializer.run(committedAttributes: gitattributes)
        if changes.isEmpty {
            Output.write(uninstall ? "spec-dispatch was not set up here\n" : "spec-dispatch is already set up here\n")
        } else {
            Output.write(changes.map { $0 + "\n" }.joined())
        }
    }
}
