import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite("run: stopped at any moment, a later run goes on where it stopped")
struct RunStopResumeTests {
    /// An agent that completes its unit's open steps one commit each (a standalone unit: the
    /// unit itself); while `root/slow` exists it sleeps before each step but step 1.1. A fix run
    /// redoes the first step. Each run is noted in `root/runs.txt` with whether its prompt said
    /// where to resume. Units named in `root/stubborn` ignore SIGTERM.
    static func agent(root: String) -> String {
        """
        #!/bin/sh
        set -e
        tasks=.kiro/specs/s/tasks.md
        resume=$(grep -c 'Resume at step' "$DISPATCH_PROMPT" || true)
        echo "$DISPATCH_UNIT fix=${DISPATCH_FIX_PROMPT:+yes} resume=$resume" >> \(root)/runs.txt
        if grep -qx "$DISPATCH_UNIT" \(root)/stubborn 2>/dev/null; then trap '' TERM; fi
        steps=$(sed -nE "s/^ +- \\[[ -]\\] ($DISPATCH_UNIT\\.[0-9]+) .*/\\1/p" "$tasks")
        if [ -z "$steps" ] && ! grep -qE "^- \\[x\\] $DISPATCH_UNIT\\. " "$tasks"; then steps=$DISPATCH_UNIT; fi
        if [ -n "$DISPATCH_FIX_PROMPT" ]; then
          steps=$(sed -nE "s/^ +- \\[.\\] ($DISPATCH_UNIT\\.[0-9]+) .*/\\1/p" "$tasks" | head -n 1)
          [ -n "$steps" ] || steps=$DISPATCH_UNIT
        fi
        for step in $steps; do
          if [ -f \(root)/slow ] && [ "$step" != 1.1 ]; then sleep 30; fi
          echo "$step" >> "work-$DISPATCH_UNIT.txt"
          git add "work-$DISPATCH_UNIT.txt"
          git commit -q -m "Work on $step" --trailer "Completes: $step"
        done

        """
    }

    static func prepare(_ repo: SpecRepository, root: String) throws {
        try SpecDispatchCLI.succeed(["init"], in: repo.root)
        try git("config", "dispatch.agent.fake.command", try FakeAgents.install(agent(root: root), named: "agent.sh", in: root), in: repo.root)
        try git("config", "dispatch.agent", "fake", in: repo.root)
        try git("config", "dispatch.reviewer.command", try FakeAgents.install(FakeAgents.approver, named: "approver.sh", in: root), in: repo.root)
        try git("config", "dispatch.stopGrace", "0.3", in: repo.root)
    }

    static func launchRun(_ repo: SpecRepository, mark: (key: String, value: String)) -> LaunchedCommand {
        LaunchedCommand([SpecDispatchCLI.path, "run", "--parallel", "3"], in: repo.root,
                        environment: ["PATH": FakeAgents.path, "SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates, mark.key: mark.value])
    }

    /// Waits until `condition` holds (true) or `seconds` pass (false).
    static func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    static func runLog(_ repo: SpecRepository) -> String {
        (try? String(contentsOfFile: repo.root + "/.git/spec-dispatch/run.log", encoding: .utf8)) ?? ""
    }

    @Test("SIGINT or SIGTERM stops run's agents, in their process groups, with SIGTERM and then SIGKILL; run says where each unit stands, exits 130 or 143, and the next run resumes them",
          arguments: [SIGINT, SIGTERM])
    func stopAndResume(signal: Int32) throws {
        let mark = Processes.newMarker()
        defer { Processes.kill(marked: mark.key, mark.value) }
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n  - [ ] 1.1 a\n  - [ ] 1.2 b\n- [ ] 2. B\n- [ ] 3. C\n  - depends on: 2\n"])
            try Self.prepare(repo, root: root)
            try write("", to: "slow", in: root)
            try write("2\n", to: "stubborn", in: root)
            let run = Self.launchRun(repo, mark: mark)
            try run.start()
            // The log is written as run goes, with no terminal: it says when both agents started.
            let started = Self.eventually(20) {
                Self.runLog(repo).components(separatedBy: "agent started").count == 3
                    && (try? git("show", "dispatch/s/task-1:.kiro/specs/s/tasks.md", in: repo.root))?.contains("[x] 1.1") == true
            }
            #expect(started, "run.log while running: \(Self.runLog(repo))")
            run.send(signal)
            let (result, timedOut) = run.wait(timeout: 20)
            #expect(!timedOut)
            #expect(result.status == 128 + signal, "\(result)")
            #expect(Processes.running(marked: mark.key, mark.value).isEmpty,
                    "left running: \(Processes.running(marked: mark.key, mark.value).map(\.command))")
            let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
            #expect(result.stdout.contains("\(name) received: stopping 2 agents"), "\(result)")
            #expect(result.stdout.contains("s/1: agent stopped by SIGTERM\n"), "\(result)")
            #expect(result.stdout.contains("s/2: agent stopped by SIGKILL (SIGTERM was not enough)"), "the agent that ignores SIGTERM gets SIGKILL: \(result)")
            #expect(result.stdout.contains("left: s/2: in progress (0 of 1 steps done); its agent starts again where it stopped"), "\(result)")
            #expect(result.stdout.contains("left: s/1: in progress (1 of 2 steps done); its agent starts again where it stopped"), "\(result)")
            #expect(result.stdout.contains("`spec-dispatch run` picks up where it stopped"), "\(result)")
            #expect(result.stderr.contains("run stopped by \(name)"), "\(result)")
            for unit in ["1", "2"] {
                #expect(!FileManager.default.fileExists(atPath: "\(root)/repo.dispatch/s/task-\(unit)/.dispatch/job"))
            }
            let log = Self.runLog(repo)
            let lines = log.split(separator: "\n")
            #expect(lines.contains { $0.hasSuffix("\(name) received: stopping 2 agents and reviewers (SIGTERM, then SIGKILL after 0.3s)") }, "\(log)")
            #expect(lines.allSatisfy { $0.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z "#, options: .regularExpression) != nil }, "\(log)")

            try FileManager.default.removeItem(atPath: root + "/slow")
            let again = Self.launchRun(repo, mark: mark)
            try again.start()
            let (second, secondTimedOut) = again.wait(timeout: 60)
            #expect(!secondTimedOut && second.status == 0, "\(second)")
            #expect(second.stdout.contains("run finished: 3 merged, 0 running, 0 awaiting review, 0 blocked, 0 stopped"), "\(second)")
            let tasks = try git("show", "main:.kiro/specs/s/tasks.md", in: repo.root)
            #expect(tasks.split(separator: "\n").allSatisfy { $0.contains("[x]") || !$0.contains("- [") }, "\(tasks)")
            #expect(Processes.running(marked: mark.key, mark.value).isEmpty)
            let runs = try String(contentsOfFile: root + "/runs.txt", encoding: .utf8)
            #expect(runs.contains("1 fix= resume=1"), "unit 1's agent was told where to resume: \(runs)")
            try expectFsckClean(repo.root)
        }
    }

    /// Commits a file with a `Completes:` trailer in a window.
    static func complete(_ step: String, in window: String) throws {
        try write("\(step)\n", to: "by-hand-\(step).txt", in: window)
        try git("add", "-A", in: window)
        try git("commit", "-q", "-m", "work on \(step)", "--trailer", "Completes: \(step)", in: window)
    }

    @Test("run takes up every open window: it resumes the agent whose run was cut short, reviews what is pending, merges what is approved, fixes what was rejected, and reports what is blocked")
    func adoptsOpenWindows() throws {
        let mark = Processes.newMarker()
        defer { Processes.kill(marked: mark.key, mark.value) }
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": """
                - [ ] 1. In progress
                  - [ ] 1.1 first
                  - [ ] 1.2 second
                - [ ] 2. Pending review
                - [ ] 3. Approved
                - [ ] 4. Rejected
                - [ ] 5. Blocked
                - [ ] 6. After 3
                  - depends on: 3

                """])
            try Self.prepare(repo, root: root)
            let windows = try repo.cli("next", "--count", "5").stdout.split(separator: "\n").map(String.init)
            #expect(windows.count == 5)
            let window = { (unit: Int) in "\(root)/repo.dispatch/s/task-\(unit)" }
            try Self.complete("1.1", in: window(1))
            try Self.complete("2", in: window(2))
            try Self.complete("3", in: window(3))
            try SpecDispatchCLI.succeed(["review", "3"], in: repo.root)
            try SpecDispatchCLI.succeed(["approve", "3", "--no-merge"], in: repo.root)
            try Self.complete("4", in: window(4))
            try SpecDispatchCLI.succeed(["review", "4"], in: repo.root)
            try SpecDispatchCLI.succeed(["reject", "4", "--reason", "the error path is untested"], in: repo.root)
            try SpecDispatchCLI.succeed(["block", "5", "--reason", "waits for an API key"], in: repo.root)

            let run = Self.launchRun(repo, mark: mark)
            try run.start()
            let (result, timedOut) = run.wait(timeout: 60)
            #expect(!timedOut)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.contains("run finished: 5 merged, 0 running, 0 awaiting review, 1 blocked, 0 stopped"), "\(result)")
            #expect(result.stdout.contains("s/1: 1 of 2 steps done; its agent resumes"), "\(result)")
            #expect(result.stdout.contains("s/4: fix agent started"), "\(result)")
            #expect(result.stdout.contains("s/5: step 5 is blocked: waits for an API key; `spec-dispatch unblock s/5` once that is resolved"), "\(result)")
            #expect(result.stderr.contains("s/5"), "\(result)")
            let runs = try String(contentsOfFile: root + "/runs.txt", encoding: .utf8)
            #expect(runs.split(separator: "\n").sorted() == ["1 fix= resume=1", "4 fix=yes resume=0", "6 fix= resume=0"], "\(runs)")
            let tasks = try git("show", "main:.kiro/specs/s/tasks.md", in: repo.root)
            for unit in ["1", "2", "3", "4", "6"] { #expect(tasks.contains("- [x] \(unit). "), "\(unit): \(tasks)") }

            // The hint works as printed; the next run finishes the unit.
            let unblocked = try SpecDispatchCLI.run(["unblock", "s/5"], in: repo.root)
            #expect(unblocked.status == 0, "\(unblocked)")
            let again = Self.launchRun(repo, mark: mark)
            try again.start()
            let (second, _) = again.wait(timeout: 60)
            #expect(second.status == 0 && second.stdout.contains("run finished: 1 merged"), "\(second)")
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: repo.root).contains("- [x] 5. Blocked"))
            #expect(Processes.running(marked: mark.key, mark.value).isEmpty)
            try expectFsckClean(repo.root)
        }
    }

    @Test("a run killed with SIGKILL leaves its agents at work; the next run watches them instead of starting others, then goes on")
    func adoptsLiveAgents() throws {
        let mark = Processes.newMarker()
        defer { Processes.kill(marked: mark.key, mark.value) }
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n- [ ] 3. C\n  - depends on: 1\n"])
            try Self.prepare(repo, root: root)
            // The agents wait for this file to go before they work.
            try write("", to: "hold", in: root)
            let held = Self.agent(root: root).replacingOccurrences(of: "for step in $steps; do",
                                                                    with: "while [ -f \(root)/hold ]; do sleep 0.05; done\nfor step in $steps; do")
            try git("config", "dispatch.agent.fake.command", try FakeAgents.install(held, named: "held.sh", in: root), in: repo.root)
            let run = Self.launchRun(repo, mark: mark)
            try run.start()
            #expect(Self.eventually(20) { Self.runLog(repo).components(separatedBy: "agent started").count == 3 }, "\(Self.runLog(repo))")
            run.killHard()
            _ = run.wait()
            #expect(Processes.running(marked: mark.key, mark.value).count >= 2, "the agents outlive a SIGKILLed run")

            let again = Self.launchRun(repo, mark: mark)
            try again.start()
            #expect(Self.eventually(20) { Self.runLog(repo).components(separatedBy: "is still at work; watching it").count == 3 }, "\(Self.runLog(repo))")
            try FileManager.default.removeItem(atPath: root + "/hold")
            let (result, timedOut) = again.wait(timeout: 60)
            #expect(!timedOut && result.status == 0, "\(result)")
            #expect(result.stdout.contains("run finished: 3 merged"), "\(result)")
            let runs = try String(contentsOfFile: root + "/runs.txt", encoding: .utf8)
            #expect(runs.split(separator: "\n").sorted() == ["1 fix= resume=0", "2 fix= resume=0", "3 fix= resume=0"], "one agent per unit: \(runs)")
            #expect(Processes.running(marked: mark.key, mark.value).isEmpty)
            try expectFsckClean(repo.root)
        }
    }

    @Test("a second run refuses while one is driving the repository")
    func oneRunAtATime() throws {
        let mark = Processes.newMarker()
        defer { Processes.kill(marked: mark.key, mark.value) }
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n"])
            try Self.prepare(repo, root: root)
            try write("", to: "slow", in: root)
            let run = Self.launchRun(repo, mark: mark)
            try run.start()
            #expect(Self.eventually(20) { Self.runLog(repo).contains("agent started") })
            let second = try repo.cli("run", environment: ["PATH": FakeAgents.path])
            #expect(second.status == 7 && second.stderr.contains("another `spec-dispatch run` (pid \(run.pid)) is driving this repository"), "\(second)")
            run.send(SIGTERM)
            #expect(run.wait(timeout: 20).result.status == 143)
        }
    }
}
