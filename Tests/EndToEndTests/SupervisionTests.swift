import Foundation
import Testing
import TestSupport

@Suite("supervising a window: logs, resume, open")
struct SupervisionTests {
    /// Completes the unit's next open step (its first in the fix prompt, on a fix run), noting the
    /// prompt it was given; exits 1 before committing when `root/crash` exists.
    static func agent(root: String) -> String {
        """
        #!/bin/sh
        set -e
        echo "agent for $DISPATCH_UNIT: prompt $(grep -c 'Resume at step' "$DISPATCH_PROMPT" || true) fix ${DISPATCH_FIX_PROMPT:-none}"
        if [ -f \(root)/crash ]; then echo "crashing" >&2; exit 1; fi
        step=$(sed -nE "s/^ +- \\[[ -]\\] ($DISPATCH_UNIT\\.[0-9]+) .*/\\1/p" .kiro/specs/s/tasks.md | head -n 1)
        [ -n "$DISPATCH_FIX_PROMPT" ] && step=$DISPATCH_UNIT.1
        echo "$step" >> work.txt
        git add work.txt
        git commit -q -m "work on $step" --trailer "Completes: $step"

        """
    }

    static func prepare(in root: String) throws -> WindowFixture {
        let w = try WindowFixture(in: root, tasks: "- [ ] 1. A\n  - [ ] 1.1 a\n  - [ ] 1.2 b\n")
        try git("config", "dispatch.agent.fake.command", try FakeAgents.install(agent(root: root), named: "agent.sh", in: root), in: w.repo.root)
        try git("config", "dispatch.agent", "fake", in: w.repo.root)
        return w
    }

    @Test("resume runs the agent again with the resume prompt, the fix agent with the fix prompt, and refuses what needs no agent with a hint that works")
    func resume() throws {
        try withTemporaryDirectory { root in
            let w = try Self.prepare(in: root)
            let env = ["PATH": FakeAgents.path]
            let first = try w.repo.cli("resume", "s/1", environment: env)
            #expect(first.status == 0 && first.stdout.contains("agent for 1: prompt 0 fix none"), "\(first)")
            try write("", to: "crash", in: root)
            let crashed = try w.repo.cli("resume", "1", environment: env)
            #expect(crashed.status == 1 && crashed.stderr.contains("the agent of unit 1 exited with status 1"), "\(crashed)")
            try FileManager.default.removeItem(atPath: root + "/crash")
            let second = try w.repo.cli("resume", "1", environment: env)
            #expect(second.status == 0 && second.stdout.contains("agent for 1: prompt 1 fix none"), "told where to resume: \(second)")
            #expect(!FileManager.default.fileExists(atPath: w.window + "/.dispatch/job"), "its record goes with it")

            let pending = try w.repo.cli("resume", "1", environment: env)
            #expect(pending.status == 7 && pending.stderr.contains("pending review"), "\(pending)")
            let hinted = EscalationTests.hintedCommands(pending.stderr)
            #expect(hinted.first == ["review", "s/1"], "\(pending)")
            for command in hinted.prefix(1) { #expect(try SpecDispatchCLI.run(command, in: w.repo.root).status == 0) }
            #expect(try w.repo.cli("reject", "1", "--reason", "1.1 needs tests").status == 0)
            let fix = try w.repo.cli("resume", "1", environment: env)
            #expect(fix.status == 0 && fix.stdout.contains("fix \(w.window)/.dispatch/fix.md"), "\(fix)")
            #expect(try w.repo.cli("status").stdout.contains("pending review"))
        }
    }

    @Test("resume refuses while the unit's agent is at work")
    func resumeRefusesASecondAgent() throws {
        try withTemporaryDirectory { root in
            let w = try Self.prepare(in: root)
            let sleeper = try FakeAgents.install("#!/bin/sh\nsleep 30\n", named: "sleeper.sh", in: root)
            try git("config", "dispatch.agent.sleepy.command", sleeper, in: w.repo.root)
            let mark = Processes.newMarker()
            let busy = LaunchedCommand([SpecDispatchCLI.path, "resume", "1", "--agent", "sleepy"], in: w.repo.root,
                                       environment: ["SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates, mark.key: mark.value])
            try busy.start()
            defer {
                Processes.kill(marked: mark.key, mark.value)
                _ = busy.wait()
            }
            let recorded = (0..<500).contains { _ in
                usleep(20_000)
                return FileManager.default.fileExists(atPath: w.window + "/.dispatch/job")
            }
            #expect(recorded)
            let second = try w.repo.cli("resume", "1")
            #expect(second.status == 7 && second.stderr.contains("has its agent at work"), "\(second)")
            #expect(EscalationTests.hintedCommands(second.stderr) == [["logs", "s/1", "-f"]], "\(second)")
        }
    }

    @Test("logs prints the window's logs under their names; -f follows them until the window is gone")
    func logs() throws {
        try withTemporaryDirectory { root in
            let w = try Self.prepare(in: root)
            try write("agent line one\n", to: ".dispatch/agent.log", in: w.window)
            try write("review line\n", to: ".dispatch/review.log", in: w.window)
            let printed = try w.repo.cli("logs", "1")
            #expect(printed.status == 0)
            #expect(printed.stdout == "==> \(w.window)/.dispatch/agent.log <==\nagent line one\n\n==> \(w.window)/.dispatch/review.log <==\nreview line\n",
                    "\(printed)")
            let follow = LaunchedCommand([SpecDispatchCLI.path, "logs", "s/1", "-f"], in: w.repo.root)
            try follow.start()
            usleep(400_000)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: w.window + "/.dispatch/agent.log"))
            try handle.seekToEnd()
            handle.write(Data("agent line two\n".utf8))
            try handle.close()
            usleep(600_000)
            #expect(try w.repo.cli("abandon", "1", "--force").status == 0)
            let (followed, timedOut) = follow.wait(timeout: 10)
            #expect(!timedOut && followed.status == 0, "\(followed)")
            #expect(followed.stdout.contains("agent line one\n") && followed.stdout.contains("agent line two\n"), "\(followed)")
            #expect(followed.stdout.hasSuffix("==> the window of s/1 is gone (merged or abandoned) <==\n"), "\(followed)")
        }
    }

    @Test("open prints the window's path, starts a shell there with the unit's variables, and opens its tmux window")
    func open() throws {
        try withTemporaryDirectory { root in
            let w = try Self.prepare(in: root)
            #expect(try w.repo.cli("open", "1").stdout == w.window + "\n")
            let shell = try Shell.execute([SpecDispatchCLI.path, "open", "1", "--shell"], in: w.repo.root,
                                          environment: ["SHELL": "/bin/sh"], input: Array("pwd\necho \"unit=$DISPATCH_UNIT\"\n".utf8))
            #expect(shell.status == 0 && shell.stdout == "\(w.window)\nunit=1\n", "\(shell)")
            try TmuxWindowTests.withTmux(root) { tmux in
                let opened = try w.repo.cli("open", "1", "--tmux", environment: tmux)
                #expect(opened.status == 0 && opened.stdout.hasPrefix("tmux attach -t spec-dispatch:@"), "\(opened)")
                let again = try w.repo.cli("open", "1", "--tmux", environment: tmux)
                #expect(again.stdout == opened.stdout, "the same window: \(again)")
                let panes = try Shell.run(["tmux", "list-windows", "-a", "-F", "#{pane_current_path}"], in: root, environment: tmux)
                #expect(panes == w.window + "\n", "\(panes)")
            }
        }
    }
}
