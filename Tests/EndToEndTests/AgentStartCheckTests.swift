import Foundation
import Testing
import TestSupport

@Suite("an agent that cannot start leaves no claim")
struct AgentStartCheckTests {
    static func claims(_ repo: SpecRepository) throws -> String {
        try git("for-each-ref", "--format=%(refname)", "refs/heads/dispatch/", in: repo.root)
    }

    @Test("next --exec with an agent whose program is not found claims nothing and says which agent and why")
    func programNotFound() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n"])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            try git("config", "dispatch.agent.ghost.command", "no-such-agent-program --prompt \"$DISPATCH_PROMPT\"", in: repo.root)
            let before = try repo.snapshot()
            for args in [["next", "--exec", "--agent", "ghost"], ["next", "--exec"], ["next", "--tmux"]] {
                try git("config", "dispatch.agent", "ghost", in: repo.root)
                let result = try SpecDispatchCLI.run(args, in: repo.root)
                #expect(result.status == 3, "\(args): \(result)")
                #expect(result.stderr.contains("agent 'ghost' cannot start: its command runs `no-such-agent-program`, which is not found in PATH"),
                        "\(args): \(result)")
                #expect(try Self.claims(repo).isEmpty, "\(args)")
                #expect(!FileManager.default.fileExists(atPath: root + "/repo.dispatch/s/task-1"), "\(args)")
            }
            #expect(try repo.snapshot() == before)
        }
    }

    @Test("a unit's own _agent: that is not configured stops next --exec and run before the claim")
    func unknownUnitAgent() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n  - _agent: nobody_\n- [ ] 2. B\n  - depends on: 1\n"])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let next = try repo.cli("next", "--exec")
            #expect(next.status == 2 && next.stderr.contains("unit 1 of s was not dispatched: no command for agent 'nobody'"), "\(next)")
            #expect(try Self.claims(repo).isEmpty)
            let run = try repo.cli("run")
            #expect(run.status == 2 && run.stdout.contains("no command for agent 'nobody'"), "\(run)")
            #expect(try Self.claims(repo).isEmpty)
        }
    }
}
