import ArgumentParser
import SpecDispatch

struct ReadyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ready",
        abstract: "List the units `next` could take now, in the order it would take them."
    )

    @OptionGroup var options: SpecOptions
    @OptionGroup var shared: RemoteOption

    @Flag(name: .shortAndLong, help: "Also list the units that are not ready, with the reasons.")
    var verbose = false

    @Flag(name: .long, help: "Count units whose work is done on their branch (awaiting review) as completed.")
    var relaxed = false

    func run() throws {
        let workspace = try Workspace.open()
        let view = try SharedView.open(workspace, remote: shared.remote ?? workspace.settings.remote, base: nil, unreachable: shared.warn)
        let board = try Board.load(workspace, spec: options.spec, base: view.base, relaxed: relaxed, remoteWindows: view.windows)
        let report = ReadyReport(board: board)
        if options.json {
            Output.write(report.json())
        } else {
            Output.write(report.text(verbose: verbose, terminal: Output.terminal))
        }
        Output.writeError(DiagnosticText.lines(for: board, terminal: Output.errorTerminal))
        if board.hasErrors { throw DispatchError.reported(.invalidInput) }
    }
}
