import ArgumentParser
import SpecDispatch

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check tasks.md and print `path:line: severity: message` diagnostics; exit 2 on any error.",
        discussion: "Checks the working tree's tasks.md (what you are editing) unless --rev is given."
    )

    @OptionGroup var options: SpecOptions

    @Option(name: .long, help: ArgumentHelp("Check tasks.md as committed at this revision.", valueName: "rev"))
    var rev: String?

    @Flag(name: [.short, .long], help: "Also list detail lines that name other tasks without a dependency label (not read as dependencies).")
    var verbose = false

    func run() throws {
        let report = try ValidationReport.run(try Workspace.open(), spec: options.spec, revision: rev, verbose: verbose)
        if options.json {
            Output.write(report.json())
        } else {
            Output.write(report.text(terminal: Output.terminal))
        }
        if report.hasErrors { throw DispatchError.reported(.invalidInput) }
    }
}
