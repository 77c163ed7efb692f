import ArgumentParser
import SpecDispatch
import SpecDispatchCore

/// Options every spec-reading command takes.
struct SpecOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The spec to use: a folder name under .kiro/specs or specs, or a path to its folder or tasks.md.", valueName: "name|path"))
    var spec: String?

    @Flag(name: .long, help: "Print JSON for machines (schemas: docs/json.md).")
    var json = false
}

/// `--json` for commands that take no `--spec`.
struct JSONOption: ParsableArguments {
    @Flag(name: .long, help: "Print JSON for machines (schemas: docs/json.md).")
    var json = false
}

/// `--spec` for the commands that act on a step: its window is found by the step.
struct WindowSpecOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The spec, when several have windows.", valueName: "name"))
    var spec: String?
}

/// `--remote`: show the board shared through a remote (its claims and base branch, fetched), as
/// `next` would dispatch from it; `dispatch.remote` when not given.
struct RemoteOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Fetch this remote's claims and base branch, and show every machine's windows (default: dispatch.remote).", valueName: "name"))
    var remote: String?

    /// What `status` and `ready` say when the remote cannot be fetched: they go on with what was
    /// fetched last, since they only read.
    func warn(_ error: DispatchError) {
        Output.writeError(ControlCharacters.escapedLines("warning: \(error.message); showing what was fetched from it last") + "\n")
    }
}

/// The unit a review, merge or abandon command acts on.
struct UnitArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("The unit: 3, or <spec>/3.", valueName: "unit"))
    var unit: String

    @Option(name: .long, help: ArgumentHelp("The spec the unit belongs to.", valueName: "name"))
    var spec: String?
}

extension ArgumentText {
    /// Refuses (exit 2) a value that would put a control character into a commit or tasks.md:
    /// checked first in `run()`, so nothing is written.
    func check(_ value: String?, option: String) throws {
        guard let value, let refusal = refusal(value, option: option) else { return }
        throw DispatchError.invalidInput(refusal)
    }
}
