import ArgumentParser
import SpecDispatch

@main
struct SpecDispatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec-dispatch",
        abstract: "Dispatch a spec's tasks to parallel agents: one git branch and worktree per unit.",
        discussion: "Reads .kiro/specs/*/tasks.md at the base branch. Exit codes: docs/exit-codes.md.",
        version: SpecDispatchVersion.current,
        subcommands: [
            InitCommand.self, StatusCommand.self, ReadyCommand.self, NextCommand.self, AbandonCommand.self,
            DoctorCommand.self, ValidateCommand.self, DemoCommand.self,
        ]
    )

    /// Runs the command; our errors print as `error: …` with their own exit codes. Exits right
    /// after the work: tearing down a large board would only cost time.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            Output.exit(0)
        } catch let error as DispatchError {
            Output.error(error)
            Output.exit(error.exitCode.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
