import Foundation
import Testing
import TestSupport

@Suite("agents: --exec, --tmux, run, setup")
struct AgentEndToEndTests {
    static let hostile = """
        - [ ] 1. Feature with $(touch pwned) and `touch pwned2` and "quotes" and 'single' ; touch pwned3
          - [ ] 1.1 Step $(touch pwned4) `id` "x"
          - [ ] 1.2 Second; rm -rf / #
        - [ ] 2. Later
          - depends on: 1

        """

    @Test("next --exec runs the agent in the window with DISPATCH_*; its trailer commits leave the unit pending review; nothing from tasks.md is executed")
    func execAgent() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.hostile])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let agent = try FakeAgents.install(FakeAgents.agent, named: "agent.sh", in: root)
            try git("config", "dispatch.agent.fake.command", agent, in: repo.root)
            let result = try repo.cli("next", "--exec", "--agent", "fake", environment: ["PATH": FakeAgents.path])
            #expect(result.status == 0, "\(result)")
            let window = root + "/repo.dispatch/s/task-1"
            let env = try String(contentsOfFile: window + "/.dispatch/agent-env", encoding: .utf8)
            #expect(env == "unit=1 spec=s worktree=\(window) prompt=\(window)/.dispatch/prompt.md\n")
            let tasks = try git("show", "dispatch/s/task-1:.kiro/specs/s/tasks.md", in: repo.root)
            #expect(tasks.contains("  - [x] 1.1 Step") && tasks.contains("  - [x] 1.2 Second"))
            #expect(try repo.cli("status").stdout.contains("pending review"))
            let all = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
            #expect(!all.contains { ($0 as NSString).lastPathComponent.hasPrefix("pwned") }, "a task description was executed")
            #expect(!FileManager.default.fileExists(atPath: "/tmp/pwned") && !FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/pwned"))
            let missing = try repo.cli("next", "--exec", "--agent", "nobody")
            #expect(missing.status == 2 && missing.stderr.contains("set dispatch.agent.nobody.command"), "\(missing)")
        }
    }

    @Test("next --tmux opens window task-<id> in the configured session, at the worktree")
    func tmuxWindow() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 3. A\n- [ ] 4. B\n"])
            try git("config", "dispatch.tmux.session", "agents", in: repo.root)
            try TmuxWindowTests.withTmux(root) { tmux in
                for unit in ["3", "4"] {
                    let result = try repo.cli("next", "--tmux", environment: tmux)
                    #expect(result.status == 0 && result.stderr.hasPrefix("opened tmux window agents:task-\(unit)\nattach: tmux attach -t agents:@"), "\(result)")
                }
                let windows = try Shell.run(["tmux", "list-windows", "-t", "agents", "-F", "#{window_name} #{pane_current_path}"], in: root, environment: tmux)
                #expect(windows == "task-3 \(root)/repo.dispatch/s/task-3\ntask-4 \(root)/repo.dispatch/s/task-4\n", "\(windows)")
                let variable = try Shell.run(["tmux", "show-environment", "-t", "agents", "DISPATCH_UNIT"], in: root, environment: tmux)
                #expect(variable.hasPrefix("DISPATCH_UNIT="), "\(variable)")
            }
        }
    }

    /// `init`, then `agent` as the default agent and the fake approver as the reviewer, as `run` needs them.
    static func prepareRun(_ repo: SpecRepository, agent script: String, in root: String) throws {
        try SpecDispatchCLI.succeed(["init"], in: repo.root)
        let agent = try FakeAgents.install(script, named: "agent.sh", in: root)
        let approver = try FakeAgents.install(FakeAgents.approver, named: "approver.sh", in: root)
        try git("config", "dispatch.agent.fake.command", agent, in: repo.root)
        try git("config", "dispatch.agent", "fake", in: repo.root)
        try git("config", "dispatch.reviewer.command", approver, in: repo.root)
    }

    @Test("run --parallel 3 drives the example spec to completed and merged, respecting dependencies")
    func runExample() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository.example(in: root + "/repo")
            try Self.prepareRun(repo, agent: FakeAgents.agent, in: root)
            let result = try repo.cli("run", "--parallel", "3", environment: ["PATH": FakeAgents.path])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("run finished: 8 merged, 0 running, 0 awaiting review, 0 blocked, 0 stopped"), "\(result)")
            let tasks = try git("show", "main:.kiro/specs/link-shortener/tasks.md", in: repo.root)
            let boxes = tasks.split(separator: "\n").filter { $0.contains("- [") }
            #expect(boxes.count == 23 && boxes.allSatisfy { $0.contains("- [x]") }, "\(tasks)")
            let status = try git("status", "--porcelain", in: repo.root)
            #expect(status.isEmpty, "\(status)")
            #expect(try gitValue("for-each-ref", "refs/heads/dispatch/", in: repo.root).isEmpty)
            // Dependencies held: each unit's work reached main (first-parent history) after the
            // work of the units it depends on.
            let history = try git("log", "--reverse", "--first-parent", "--diff-merges=first-parent", "--name-only", "--format=format:@@", "main", in: repo.root)
            var arrival: [String: Int] = [:]
            for (index, commit) in history.components(separatedBy: "@@").enumerated() {
                for file in commit.split(separator: "\n") where file.hasPrefix("work-") {
                    let unit = String(file.dropFirst("work-".count).dropLast(".txt".count))
                    if arrival[unit] == nil { arrival[unit] = index }
                }
            }
            #expect(arrival.count == 8, "\(arrival)")
            let position = { (unit: String) in arrival[unit] ?? -1 }
            #expect(position("1") < position("2") && position("1") < position("3"))
            #expect(position("2") < position("4") && position("3") < position("4"))
            #expect(position("4") < position("5"))
            for later in ["6", "7", "8"] { #expect(position("5") < position(later)) }
            try expectFsckClean(repo.root)
        }
    }

    @Test("run with no agent configured claims nothing: the agent is checked before the claim, and the message says which and why")
    func runWithoutAgent() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n- [ ] 3. C\n"])
            let result = try repo.cli("run", "--parallel", "3")
            #expect(result.status == 2, "\(result)")
            #expect(result.stdout.contains("not dispatched: unit 1 of s was not dispatched: no agent to run"), "\(result)")
            #expect(try git("for-each-ref", "--format=%(refname)", "refs/heads/dispatch/", in: repo.root).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: root + "/repo.dispatch/s/task-1"))
        }
    }

    @Test("run goes on when one unit's merge conflicts: the others merge, the conflicting one is stopped with its window kept")
    func runIsolatesAConflictingMerge() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n- [ ] 3. C\n"])
            // Units 1 and 2 each create shared.txt with their own text: whichever merges second conflicts.
            try Self.prepareRun(repo, agent: """
                #!/bin/sh
                set -e
                file=work-$DISPATCH_UNIT.txt
                if [ "$DISPATCH_UNIT" != 3 ]; then file=shared.txt; fi
                echo "unit $DISPATCH_UNIT" > "$file"
                git add "$file"
                git commit -q -m "Do $DISPATCH_UNIT" --trailer "Completes: $DISPATCH_UNIT"

                """, in: root)
            let result = try repo.cli("run", "--parallel", "3", environment: ["PATH": FakeAgents.path])
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.contains("run finished: 2 merged, 0 running, 0 awaiting review, 0 blocked, 1 stopped"), "\(result)")
            #expect(result.stdout.contains("conflicts in shared.txt"), "\(result)")
            let tasks = try git("show", "main:.kiro/specs/s/tasks.md", in: repo.root)
            let merged = tasks.split(separator: "\n").filter { $0.hasPrefix("- [x]") }
            #expect(merged.count == 2 && tasks.contains("- [x] 3. C"), "\(tasks)")
            let kept = try git("for-each-ref", "--format=%(refname:short)", "refs/heads/dispatch/", in: repo.root)
            #expect(kept == "dispatch/s/task-1\n" || kept == "dispatch/s/task-2\n", "\(kept)")
            let unit = kept.dropLast().split(separator: "-").last.map(String.init) ?? ""
            #expect(FileManager.default.fileExists(atPath: "\(root)/repo.dispatch/s/task-\(unit)/shared.txt"))
            #expect(try git("status", "--porcelain", in: repo.root).isEmpty)
            try expectFsckClean(repo.root)
        }
    }

    @Test("next --count 2 whose second setup fails keeps and reports the first window, and leaves nothing of the second")
    func countWithFailedSetup() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n- [ ] 3. C\n"])
            try git("config", "dispatch.setup.run", "test \"$DISPATCH_UNIT\" != 2", in: repo.root)
            let result = try repo.cli("next", "--count", "2")
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == root + "/repo.dispatch/s/task-1\n", "\(result)")
            #expect(result.stderr.contains("error: unit 2 was not dispatched"), "\(result)")
            #expect(try git("for-each-ref", "--format=%(refname)", "refs/heads/dispatch/", in: repo.root) == "refs/heads/dispatch/s/task-1\n")
            #expect(!FileManager.default.fileExists(atPath: root + "/repo.dispatch/s/task-2"))
            try expectFsckClean(repo.root)
        }
    }

    @Test("a new window gets .worktreeinclude's ignored files and the setup command; a failing setup leaves nothing")
    func windowSetup() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n"],
                                          extraFiles: [".gitignore": ".env\nlocal/\n*.log\n", ".worktreeinclude": "# agents need these\n.env\nlocal/\n"])
            try write("SECRET=1\n", to: ".env", in: repo.root)
            try write("{}\n", to: "local/settings.json", in: repo.root)
            try write("noise\n", to: "debug.log", in: repo.root)
            try git("config", "dispatch.setup.run", "echo \"$DISPATCH_UNIT\" > setup-ran && test -f .env", in: repo.root)
            let window = try repo.cli("next").stdout.trimmingCharacters(in: .newlines)
            #expect(try String(contentsOfFile: window + "/.env", encoding: .utf8) == "SECRET=1\n")
            #expect(FileManager.default.fileExists(atPath: window + "/local/settings.json"))
            #expect(!FileManager.default.fileExists(atPath: window + "/debug.log"), "only what .worktreeinclude names")
            #expect(try String(contentsOfFile: window + "/setup-ran", encoding: .utf8) == "1\n")

            try git("config", "dispatch.setup.run", "echo installing; exit 3", in: repo.root)
            let before = try repo.snapshot()
            let failed = try repo.cli("next")
            #expect(failed.status == 1 && failed.stderr.contains("unit 2 was not dispatched: the setup command `echo installing; exit 3` failed with exit 3:\ninstalling"), "\(failed)")
            #expect(try repo.snapshot() == before)
            #expect(!FileManager.default.fileExists(atPath: root + "/repo.dispatch/s/task-2"))
        }
    }

    @Test("setup copies ignored files the patterns name inside wholly ignored folders, at any depth, as gitignore matches them",
          arguments: [("config/local/", ["config/local/settings.json", "config/local/deep/more.json"], ["config/shared.json"]),
                      ("secrets/deep/key.pem", ["secrets/deep/key.pem"], ["secrets/other.pem"]),
                      ("*.pem", ["secrets/deep/key.pem", "secrets/other.pem"], ["config/shared.json"]),
                      (".env", [".env", "config/local/.env"], ["config/shared.json"])])
    func worktreeIncludeAtAnyDepth(pattern: String, copied: [String], left: [String]) throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n"],
                                          extraFiles: [".gitignore": "config/\nsecrets/\n.env\n", ".worktreeinclude": pattern + "\n"])
            for file in ["config/local/settings.json", "config/local/deep/more.json", "config/shared.json", "config/local/.env",
                         "secrets/deep/key.pem", "secrets/other.pem", ".env"] {
                try write("content of \(file)\n", to: file, in: repo.root)
            }
            let window = try repo.cli("next").stdout.trimmingCharacters(in: .newlines)
            for file in copied {
                #expect((try? String(contentsOfFile: "\(window)/\(file)", encoding: .utf8)) == "content of \(file)\n", "\(pattern): \(file)")
            }
            for file in left { #expect(!FileManager.default.fileExists(atPath: "\(window)/\(file)"), "\(pattern): \(file) is not named") }
            #expect(try git("status", "--porcelain", in: window).isEmpty)
        }
    }
}
