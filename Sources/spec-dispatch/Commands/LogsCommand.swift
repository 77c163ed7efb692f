import ArgumentParser
import Foundation
import SpecDispatch

struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a unit's logs: setup, agent, fix agent and reviewer (its window's .dispatch/*.log).",
        discussion: "With -f, keeps printing what they gain until the window is gone (merged or abandoned), or Ctrl-C."
    )

    @OptionGroup var target: UnitArgument

    @Flag(name: [.customShort("f"), .long], help: "Follow: print what the logs gain as it comes.")
    var follow = false

    func run() throws {
        let (window, _) = try WindowSupervision(workspace: try Workspace.open()).logs(of: target.unit, spec: target.spec)
        var follower = LogFollower(window: window)
        _ = follower.poll { Output.write($0) }
        guard follow else { return }
        while follower.poll({ Output.write($0) }) { usleep(200_000) }
        Output.write("\n==> the window of \(target.unit) is gone (merged or abandoned) <==\n")
    }
}
