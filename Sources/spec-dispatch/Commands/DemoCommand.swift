import ArgumentParser
import Foundation
import SpecDispatch
import SpecDispatchCore

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
        let say = { (command: String) in Output.write("\n" + Style.bold.apply("$ spec-dispatch \(command)", terminal) + "\n") }
        Output.write("Created a demo repository at \(path)\nwith the example spec .kiro/specs/\(Demo.specName) committed on main.\n")
        say("status")
        Output.write(BoardText(board: try Board.load(workspace, spec: nil), terminal: terminal).render())
        say("ready --verbose")
        Output.write(ReadyReport(board: try Board.load(workspace, spec: nil)).text(verbose: true, terminal: terminal))
        say("next --agent demo")
        let units = try Dispatcher(workspace: workspace, environment: [:]).next(NextRequest(agent: "demo")) { Output.writeError($0 + "\n") }
        Output.write(NextReport.text(units))
        if let unit = units.first {
            say("status")
            Output.write(BoardText(board: try Board.load(workspace, spec: nil), terminal: terminal).render())
            Output.write("\nThe agent's prompt is \(unit.prompt); its first lines:\n\n")
            let prompt = (try? String(contentsOfFile: unit.prompt, encoding: .utf8)) ?? ""
            Output.write(prompt.split(separator: "\n", omittingEmptySubsequences: false).prefix(16).map { "    " + $0 }.joined(separator: "\n") + "\n    …\n")
        }
        Output.write("\nTry it yourself: cd \(ShellWord.minimal(path)) && \(Self.invocation) status\n")
    }

    /// How to run this binary again: by name when found through PATH (argv[0] has no '/'), else by its full path.
    private static var invocation: String {
        let argument = CommandLine.arguments[0]
        guard argument.contains("/") else { return argument }
        return ShellWord.minimal(URL(fileURLWithPath: argument).standardizedFileURL.path)
    }
}
