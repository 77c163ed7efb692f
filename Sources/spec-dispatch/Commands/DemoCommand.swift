import ArgumentParser
import Foundation
import SpecDispatch

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a throw-away repository with the example spec and show what spec-dispatch does with it."
    )

    @Option(name: .long, help: ArgumentHelp("Where to create the demo repository (default: a new temporary folder).", valueName: "path"))
    var into: String?

    func run() throws {
        let path = into ?? FileManager.default.temporaryDirectory.appendingPathComponent("spec-dispatch-demo-\(UUID().uuidString.prefix(8))").path
        let workspace = try Demo.createRepository(at: path, templates: try TemplateLibrary.locate())
        let terminal = Output.terminal
        Output.write("Created a demo repository at \(path)\nwith the example spec .kiro/specs/\(Demo.specName) committed on main.\n\n")
        Output.write(Style.bold.apply("$ spec-dispatch status", terminal) + "\n")
        let board = try Board.load(workspace, spec: nil)
        Output.write(BoardText(board: board, terminal: terminal).render())
        Output.write("\n" + Style.bold.apply("$ spec-dispatch ready --verbose", terminal) + "\n")
        Output.write(ReadyReport(board: board).text(verbose: true, terminal: terminal))
        Output.write("\nTry it yourself: cd \(path) && spec-dispatch status\n")
    }
}
