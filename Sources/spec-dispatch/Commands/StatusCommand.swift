import ArgumentParser
import SpecDispatch

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the board: every unit with its steps and statuses, and a summary per spec."
    )

    @OptionGroup var options: SpecOptions

    func run() throws {
        let board = try Board.load(try Workspace.open(), spec: options.spec)
        if options.json {
            Output.write(BoardJSON.render(board))
        } else {
            Output.write(BoardText(board: board, terminal: Output.terminal).render())
        }
        Output.writeError(DiagnosticText.lines(for: board, terminal: Output.errorTerminal))
        if board.hasErrors { Output.exit(ExitCode.invalidInput.rawValue) }
    }
}
