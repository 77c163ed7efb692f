import Foundation
import Testing
import TestSupport

@Suite("tmux windows live and die with their units")
struct TmuxWindowTests {
    /// A tmux server of the test's own (its socket in the test's folder), killed at the end; no
    /// process of it may outlive that (a server started with our blocked signals did).
    static func withTmux(_ root: String, _ body: ([String: String]) throws -> Void) throws {
        let tmux = ["TMUX_TMPDIR": root, "TMUX": ""]
        defer {
            _ = try? Shell.execute(["tmux", "kill-server"], in: root, environment: tmux)
            let gone = (0..<100).contains { _ in
                if Processes.running(marked: "TMUX_TMPDIR", root).isEmpty { return true }
                usleep(20_000)
                return false
            }
            #expect(gone, "left running: \(Processes.running(marked: "TMUX_TMPDIR", root).map(\.command))")
            Processes.kill(marked: "TMUX_TMPDIR", root)
        }
        try body(tmux)
    }

    static func windows(_ root: String, _ tmux: [String: String]) throws -> [String] {
        let result = try Shell.execute(["tmux", "list-windows", "-a", "-F", "#{window_name} #{pane_dead}"], in: root, environment: tmux)
        return result.status == 0 ? result.stdout.split(separator: "\n").map(String.init) : []
    }

    static let agent = """
        #!/bin/sh
        echo "agent says hello from $DISPATCH_UNIT"
        echo done > "work-$DISPATCH_UNIT.txt"
        git add -A
        git commit -q -m "work" --trailer "Completes: $DISPATCH_UNIT"
        echo "agent says goodbye"

        """

    @Test("next --tmux says how to attach; the agent's pane stays when it exits, its output also in agent.log; merge and abandon close the window")
    func windowsCloseWithTheirUnit() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n"])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            try git("config", "dispatch.tmux.session", "agents", in: repo.root)
            try git("config", "dispatch.agent.fake.command", try FakeAgents.install(Self.agent, named: "agent.sh", in: root), in: repo.root)
            try Self.withTmux(root) { tmux in
                let first = try repo.cli("next", "--tmux", "--agent", "fake", environment: tmux.merging(["PATH": FakeAgents.path]) { _, new in new })
                #expect(first.status == 0, "\(first)")
                #expect(first.stderr.hasPrefix("opened tmux window agents:task-1\nattach: tmux attach -t agents:@"), "\(first)")
                let second = try repo.cli("next", "--tmux", environment: tmux)
                #expect(second.status == 0, "a shell, without an agent: \(second)")
                let window = root + "/repo.dispatch/s/task-1"
                let log = window + "/.dispatch/agent.log"
                let finished = (0..<500).contains { _ in
                    usleep(20_000)
                    return ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("agent says goodbye")
                }
                #expect(finished, "agent.log: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "none")")
                #expect(try String(contentsOfFile: log, encoding: .utf8).contains("agent says hello from 1"))
                usleep(200_000)
                #expect(try Self.windows(root, tmux).sorted() == ["task-1 1", "task-2 0"], "the agent's pane stays, dead")

                let merged = try repo.cli("merge", "--force", "1", environment: tmux)
                #expect(merged.status == 0, "\(merged)")
                #expect(try Self.windows(root, tmux) == ["task-2 0"])
                let abandoned = try repo.cli("abandon", "2", environment: tmux)
                #expect(abandoned.status == 0, "\(abandoned)")
                #expect(try Self.windows(root, tmux).isEmpty)
            }
        }
    }

    @Test("a window whose tmux server is gone is still removed")
    func removalWithoutTmux() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n"])
            try Self.withTmux(root) { tmux in
                #expect(try repo.cli("next", "--tmux", environment: tmux).status == 0)
                _ = try Shell.execute(["tmux", "kill-server"], in: root, environment: tmux)
                let abandoned = try repo.cli("abandon", "1", environment: tmux)
                #expect(abandoned.status == 0, "\(abandoned)")
                #expect(!FileManager.default.fileExists(atPath: root + "/repo.dispatch/s/task-1"))
            }
        }
    }
}
