import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SpecDispatch
import SpecDispatchCore

@main
struct SpecDispatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec-dispatch",
        abstract: "Dispatch a spec's tasks to parallel agents: one git branch and worktree per unit.",
        discussion: "Reads .kiro/specs/*/tasks.md (Kiro) and specs/*/tasks.md (Spec Kit) at the base branch. Exit codes: docs/exit-codes.md.",
        version: SpecDispatchVersion.current,
        groupedSubcommands: [
            CommandGroup(name: "Everyday", subcommands: [
                StatusCommand.self, ReadyCommand.self, NextCommand.self, RunCommand.self, DoneCommand.self,
                BlockCommand.self, UnblockCommand.self, ValidateCommand.self,
            ]),
            CommandGroup(name: "Review and merge", subcommands: [
                ReviewCommand.self, ApproveCommand.self, RejectCommand.self, MergeCommand.self,
            ]),
            CommandGroup(name: "Windows", subcommands: [
                OpenCommand.self, LogsCommand.self, ResumeCommand.self, AbandonCommand.self, DoctorCommand.self, GCCommand.self,
            ]),
            CommandGroup(name: "Setup", subcommands: [InitCommand.self, DemoCommand.self, MergeDriverCommand.self]),
        ]
    )

    /// Runs the command; our errors print as `error: …` with their own exit codes. Exits right
    /// after the work: tearing down a large board would only cost time.
    static func main() {
        // Whole-file buffers (a 2 MB tasks.md, its copies, the JSON) come and go in every phase;
        // glibc would mmap and unmap each one and return freed heap at once, paying the page
        // faults again every time. A short-lived command keeps them on the heap instead.
        #if canImport(Glibc)
        _ = mallopt(-3 /* M_MMAP_THRESHOLD */, 32 << 20)
        _ = mallopt(-1 /* M_TRIM_THRESHOLD */, 128 << 20)
        #endif
        let arguments = CommandLine.arguments
        if arguments.count >= 3, arguments[1] == "hook" { runHook(arguments[2], Array(arguments.dropFirst(3))) }
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

    /// `spec-dispatch hook <name> …`, called by the installed hooks: no argument parsing, since
    /// every commit in a window pays for this process.
    private static func runHook(_ name: String, _ arguments: [String]) -> Never {
        // Hooks run under `git commit` on a terminal; what they quote of a commit is escaped.
        let runner = HookRunner { Output.writeError(ControlCharacters.escapedLines($0) + "\n") }
        do {
            try runner.run(name, arguments: arguments)
            Output.exit(0)
        } catch let refusal as HookRunner.Refusal {
            let lines = ["spec-dispatch: commit refused: " + refusal.lines[0]] + refusal.lines.dropFirst()
                + ["hint: fix it and commit again (`git commit --no-verify` skips this check)"]
            Output.writeError(ControlCharacters.escapedLines(lines.joined(separator: "\n")) + "\n")
        } catch let error as DispatchError {
            Output.writeError("spec-dispatch: \(ControlCharacters.escapedLines(error.description))\n")
        } catch {
            Output.writeError("spec-dispatch: \(error)\n")
        }
        Output.exit(1)
    }
}

#if canImport(Glibc)
/// glibc's `mallopt` (malloc.h, which the Glibc module does not export).
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
