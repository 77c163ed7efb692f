import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SpecDispatch
import SpecDispatchCore

struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Print a unit's window path; with --shell start a shell there, with --tmux attach to its tmux window (opened when it has none).",
        discussion: "The shell and the tmux window get the unit's DISPATCH_* variables."
    )

    @OptionGroup var target: UnitArgument

    @Flag(name: .long, help: "Start your $SHELL in the window.")
    var shell = false

    @Flag(name: .long, help: "Attach to the unit's tmux window (switch to it inside tmux); without a terminal, print how.")
    var tmux = false

    func validate() throws {
        if shell, tmux { throw ValidationError("--shell and --tmux cannot be combined") }
    }

    func run() throws {
        let supervision = WindowSupervision(workspace: try Workspace.open())
        if tmux {
            let window = try supervision.tmuxWindow(of: target.unit, spec: target.spec)
            let inside = !(Output.environment["TMUX"] ?? "").isEmpty
            if inside, Self.exec(["tmux", "-S", window.socket, "switch-client", "-t", window.target]) { return }
            if !inside, isatty(0) == 1, isatty(1) == 1 { _ = Self.exec(["tmux", "-S", window.socket, "attach", "-t", window.target]) }
            Output.write("\(window.attach)\n")
            return
        }
        let path = try supervision.path(of: target.unit, spec: target.spec)
        guard shell else {
            Output.write("\(path)\n")
            return
        }
        for (key, value) in try supervision.environment(of: target.unit, spec: target.spec) { setenv(key, value, 1) }
        guard chdir(path) == 0 else { throw DispatchError.failure("cannot enter \(path): \(String(cString: strerror(errno)))") }
        let program = Output.environment["SHELL"].flatMap { $0.isEmpty ? nil : $0 } ?? "/bin/sh"
        _ = Self.exec([program])
        throw DispatchError.failure("cannot start \(program): \(String(cString: strerror(errno)))")
    }

    /// Replaces this process with `arguments` (looked up in PATH); returns false when it cannot.
    private static func exec(_ arguments: [String]) -> Bool {
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        execvp(arguments[0], &argv)
        return false
    }
}
