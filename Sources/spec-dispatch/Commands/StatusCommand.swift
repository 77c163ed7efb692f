import ArgumentParser
import SpecDispatch

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the board: every unit with its steps and statuses, and a summary per spec."
    )

    @OptionGroup var options: SpecOptions
    @OptionGroup var shared: RemoteOption

    func run() throws {
        let workspace = try Workspace.open()
        let view = try SharedView.open(workspace, remote: shared.remote ?? workspace.settings.remote, base: nil, unreachable: shared.warn)
        let board = try Board.load(workspace, spec: options.spec, base: view.base, remoteWindows: view.windows)
        if options.json {
            Output.write(BoardJSON.render(board))
        } else {
            Output.write(BoardText(board: board, terminal: Output.terminal).render())
        }
        Output.writeError(DiagnosticText.lines(for: board, terminal: Output.errorTerminal))
        if board.hasErrors { throw DispatchError.reported(.invalidInput) }
    }
}
