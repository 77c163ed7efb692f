import Foundation
import Testing
import TestSupport

@Suite("run: agents that make no progress spend fix attempts, and escalate")
struct RunFixLoopTests {
    /// Unit 1's fix agent never commits; unit 3's agent always crashes before its first commit;
    /// the others work. The reviewer rejects unit 1 and approves the rest.
    static let agent = """
        #!/bin/sh
        echo "run for $DISPATCH_UNIT fix=${DISPATCH_FIX_PROMPT:-none}"
        if [ -n "$DISPATCH_FIX_PROMPT" ]; then exit 0; fi
        if [ "$DISPATCH_UNIT" = 3 ]; then echo crashing >&2; exit 1; fi
        echo "$DISPATCH_UNIT" > "work-$DISPATCH_UNIT.txt"
        git add -A
        git commit -q -m "work $DISPATCH_UNIT" --trailer "Completes: $DISPATCH_UNIT"

        """

    static let reviewer = """
        #!/bin/sh
        if [ "$DISPATCH_UNIT" = 1 ]; then
          spec-dispatch reject "$DISPATCH_SPEC/$DISPATCH_UNIT" --reason "the tests are missing"
        else
          spec-dispatch approve "$DISPATCH_SPEC/$DISPATCH_UNIT" --no-merge
        fi

        """

    @Test("a fix agent without a Completes: commit, and an agent that crashes, each spend a fix attempt; at dispatch.maxFixAttempts the unit is escalated, the rest merge, and run exits 1 naming them")
    func noProgressEscalates() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n- [ ] 3. C\n- [ ] 4. D\n  - depends on: 2\n"])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            try git("config", "dispatch.agent.fake.command", try FakeAgents.install(Self.agent, named: "agent.sh", in: root), in: repo.root)
            try git("config", "dispatch.agent", "fake", in: repo.root)
            try git("config", "dispatch.reviewer.command", try FakeAgents.install(Self.reviewer, named: "reviewer.sh", in: root), in: repo.root)
            try git("config", "dispatch.maxFixAttempts", "3", in: repo.root)
            let run = LaunchedCommand([SpecDispatchCLI.path, "run", "--parallel", "3"], in: repo.root,
                                      environment: ["PATH": FakeAgents.path, "SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates])
            try run.start()
            let (result, timedOut) = run.wait(timeout: 30)
            #expect(!timedOut, "run never ended: \(result.stdout.suffix(2000))")
            #expect(result.status == 1, "\(result)")
            let lines = result.stdout.split(separator: "\n")
            let fixRuns = lines.filter { $0.hasPrefix("s/1: fix agent started") }.count
            #expect(fixRuns == 2, "one rejection and two fix runs without progress make three attempts: \(result.stdout)")
            let agentRuns = lines.filter { $0.hasPrefix("s/3: agent started") }.count
            #expect(agentRuns == 3, "three crashes without progress: \(result.stdout)")
            #expect(result.stdout.contains("run finished: 2 merged, 0 running, 0 awaiting review, 2 blocked, 0 stopped"), "\(result)")
            #expect(result.stderr.contains("s/1") && result.stderr.contains("s/3"), "\(result)")

            let one = try git("show", "dispatch/s/task-1:.kiro/specs/s/tasks.md", in: repo.root)
            #expect(one.contains("- [x] 1. A\n  - _Blocked: escalated after 3 fix attempts (1 rejection, 2 agent runs without progress): its fix agent exited with 0 without completing a step_\n"), "\(one)")
            let three = try git("show", "dispatch/s/task-3:.kiro/specs/s/tasks.md", in: repo.root)
            #expect(three.contains("- [-] 3. C\n  - _Blocked: escalated after 3 fix attempts (0 rejections, 3 agent runs without progress): its agent exited with 1 without completing a step_\n"), "\(three)")
            let main = try git("show", "main:.kiro/specs/s/tasks.md", in: repo.root)
            #expect(main.contains("- [x] 2. B") && main.contains("- [x] 4. D"), "\(main)")
            let board = try repo.cli("status").stdout
            #expect(board.contains("[x] 1  blocked") || board.contains("1  blocked"), "\(board)")

            // The way back that run printed works as printed: the unit goes back to its agent.
            let hinted = EscalationTests.hintedCommands(result.stdout).filter { $0.first == "unblock" }
            #expect(hinted.contains(["unblock", "s/3"]), "\(result.stdout)")
            let unblocked = try SpecDispatchCLI.run(["unblock", "s/3"], in: repo.root)
            #expect(unblocked.status == 0, "\(unblocked)")
            #expect(try repo.cli("status").stdout.contains("3  in progress") || !(try repo.cli("status").stdout.contains("3  blocked")))
            try expectFsckClean(repo.root)
        }
    }
}
