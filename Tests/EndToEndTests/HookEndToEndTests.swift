import Foundation
import Testing
import TestSupport

@Suite("hooks, end to end with the real git commit")
struct HookEndToEndTests {
    static let tasks = """
        # Plan
        - [ ] 1. Unit one
          - [ ] 1.1 First step
            - _writes: a.txt_
          - [ ] 1.2 Second step
          - [ ]* 1.3 Optional step
          - [ ] 1.4 Last step
        - [ ] 2. Unit two
          - [ ] 2.1 Other work

        """

    @Test("a Completes: trailer marks the step [x] in that same commit; tree clean, one commit, message kept")
    func trailerCommit() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            let before = try w.commitCount()
            let result = try w.commit("Do the first step", trailers: ["Completes: 1.1"])
            #expect(result.status == 0, "\(result)")
            #expect(try w.commitCount() == before + 1, "no extra commit")
            #expect(try git("log", "-1", "--format=%B", in: w.window) == "Do the first step\n\nCompletes: 1.1\n\n")
            let tasks = try w.committedTasks()
            #expect(tasks.contains("  - [x] 1.1 First step\n"))
            #expect(tasks.contains("  - [-] 1.2 Second step\n"), "the current-step mark moves on")
            #expect(tasks.contains("- [-] 1. Unit one\n"))
            #expect(try git("diff", "--name-only", "HEAD~1", "HEAD", in: w.window) == ".kiro/specs/s/tasks.md\nwork.txt\n")
            #expect(try git("status", "--porcelain", in: w.window).isEmpty)
            #expect(try w.workingTasks() == tasks)
            #expect(try git("diff", "--cached", "--name-only", in: w.window).isEmpty, "index matches HEAD")
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: w.repo.root) == Self.tasks, "main is untouched")
            try expectFsckClean(w.repo.root)
        }
    }

    @Test("several ids and several trailers; the last required step leaves the unit [-] and pending review")
    func lastStep() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            #expect(try w.commit("one and two", trailers: ["Completes: 1.1, 1.2"]).status == 0)
            #expect(try w.commit("the rest", trailers: ["Completes: 1.3", "Completes: 1.4"]).status == 0)
            let tasks = try w.committedTasks()
            #expect(tasks.contains("  - [x] 1.1 First step\n") && tasks.contains("  - [x] 1.2 Second step\n"))
            #expect(tasks.contains("  - [x]* 1.3 Optional step\n  - [x] 1.4 Last step\n"))
            #expect(tasks.contains("- [-] 1. Unit one\n"), "shown [-] until merged (docs/hooks.md)")
            #expect(try git("status", "--porcelain", in: w.window).isEmpty)
            let board = try w.repo.cli("status")
            #expect(board.stdout.contains("[x] 1      pending review  3/3  Unit one"), "\(board)")
            #expect(try w.repo.cli("ready", "--relaxed").stdout.contains("2  Unit two"))
        }
    }

    @Test("checkboxes edited by hand get the parent and current step derived in the same commit, also with commit -a")
    func handEdits() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            let edited = try w.workingTasks().replacingOccurrences(of: "- [-] 1.1 First", with: "- [x] 1.1 First")
            try write(edited, to: w.tasksPath, in: w.window)
            let result = try Shell.execute(["git", "commit", "-qam", "tick 1.1 by hand"], in: w.window)
            #expect(result.status == 0, "\(result)")
            let tasks = try w.committedTasks()
            #expect(tasks.contains("  - [x] 1.1 First step\n") && tasks.contains("  - [-] 1.2 Second step\n"))
            #expect(try git("status", "--porcelain", in: w.window).isEmpty)
            #expect(try w.commitCount() == 3)
        }
    }

    @Test("a commit changing another unit's tasks is refused, and --no-verify bypasses the refusal")
    func foreignEditRefused() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            let edited = try w.workingTasks().replacingOccurrences(of: "- [ ] 2.1 Other", with: "- [x] 2.1 Other")
            try write(edited, to: w.tasksPath, in: w.window)
            let head = try gitValue("rev-parse", "HEAD", in: w.window)
            let refused = try Shell.execute(["git", "commit", "-qam", "sneaky"], in: w.window)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("spec-dispatch: commit refused: this commit changes tasks of other units in .kiro/specs/s/tasks.md: 2.1"), "\(refused)")
            #expect(try gitValue("rev-parse", "HEAD", in: w.window) == head)
            let bypass = try Shell.execute(["git", "commit", "-qam", "sneaky", "--no-verify"], in: w.window)
            #expect(try bypass.status == 0 && gitValue("rev-parse", "HEAD", in: w.window) != head)
        }
    }

    @Test("an invalid tasks.md and a Completes: id outside the unit are refused")
    func invalidRefused() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            let head = try gitValue("rev-parse", "HEAD", in: w.window)
            let foreign = try w.commit("claims other work", trailers: ["Completes: 2.1"])
            #expect(foreign.status != 0)
            #expect(foreign.stderr.contains("commit refused: 2.1 is not a step of unit 1 (its steps: 1.1, 1.2, 1.3, 1.4)"), "\(foreign)")
            let group = try w.commit("claims the unit", trailers: ["Completes: 1"])
            #expect(group.status != 0 && group.stderr.contains("1 groups other steps"), "\(group)")
            let bogus = try w.commit("nonsense", trailers: ["Completes: soon"])
            #expect(bogus.status != 0 && bogus.stderr.contains("Completes: soon is not a task id"), "\(bogus)")
            try git("reset", "-q", "HEAD", in: w.window)
            let broken = try w.workingTasks() + "- [ ] 1.1 Duplicate\n"
            try write(broken, to: w.tasksPath, in: w.window)
            let invalid = try Shell.execute(["git", "commit", "-qam", "break it"], in: w.window)
            #expect(invalid.status != 0)
            #expect(invalid.stderr.contains("this commit makes .kiro/specs/s/tasks.md invalid:\n.kiro/specs/s/tasks.md:10: error: duplicate task id 1.1 (first at line 3)"), "\(invalid)")
            #expect(try gitValue("rev-parse", "HEAD", in: w.window) == head)
        }
    }

    @Test("unstaged edits to tasks.md survive a trailer commit, with the step marked in them too")
    func partialStaging() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            let noted = try w.workingTasks().replacingOccurrences(of: "  - [ ] 1.2 Second step\n", with: "  - [ ] 1.2 Second step\n    - note to self\n")
            try write(noted, to: w.tasksPath, in: w.window)
            #expect(try w.commit("first", trailers: ["Completes: 1.1"]).status == 0)
            #expect(try w.committedTasks().contains("  - [x] 1.1 First step\n"))
            #expect(!(try w.committedTasks().contains("note to self")))
            let working = try w.workingTasks()
            #expect(working.contains("  - [x] 1.1 First step\n") && working.contains("    - note to self\n"))
            #expect(try git("status", "--porcelain", in: w.window) == " M .kiro/specs/s/tasks.md\n")
        }
    }

    @Test("outside windows the hooks do nothing: commits in the main working tree are untouched")
    func outsideWindows() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            try write("x\n", to: "x.txt", in: w.repo.root)
            try git("add", "x.txt", in: w.repo.root)
            let result = try Shell.execute(["git", "commit", "-q", "-m", "main work", "--trailer", "Completes: 1.1"], in: w.repo.root)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
            #expect(try git("show", "HEAD:.kiro/specs/s/tasks.md", in: w.repo.root) == Self.tasks)
        }
    }

    @Test("an existing hook is chained: it runs first, its failure stops the commit, and uninstall restores it byte for byte")
    func chaining() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            // Hook managers like husky route on the hook's own name, so a chained sh hook must see it in $0.
            let original = "#!/bin/sh\n# the user's own hook\necho \"user hook ran as $(basename \"$0\")\" >> \"$(git rev-parse --git-common-dir)/user-hook.log\"\n[ ! -f \"$(git rev-parse --show-toplevel)/block-me\" ]\n"
            try write(original, to: ".git/hooks/pre-commit", in: repo.root)
            chmod(repo.root + "/.git/hooks/pre-commit", 0o750)
            // A hook in another language runs as its own program, with git's arguments.
            let bash = "#!/bin/bash\n[[ -f \"$1\" ]] && echo \"message hook ran\" >> \"$(git rev-parse --git-common-dir)/user-hook.log\"\n"
            try write(bash, to: ".git/hooks/commit-msg", in: repo.root)
            chmod(repo.root + "/.git/hooks/commit-msg", 0o755)
            let installed = try repo.cli("init")
            #expect(installed.stdout.contains("chained your pre-commit hook"), "\(installed)")
            let window = try repo.cli("next").stdout.trimmingCharacters(in: .newlines)
            let w = WindowProbe(window: window)
            #expect(try w.commit("step", trailers: ["Completes: 1.1"]).status == 0)
            #expect(try String(contentsOfFile: repo.root + "/.git/user-hook.log", encoding: .utf8) == "user hook ran as pre-commit\nmessage hook ran\n")
            #expect(try git("show", "HEAD:.kiro/specs/s/tasks.md", in: window).contains("- [x] 1.1 First step"))
            try write("", to: "block-me", in: window)
            let stopped = try w.commit("stopped", trailers: ["Completes: 1.2"])
            #expect(stopped.status != 0, "the user's hook failing still stops the commit")
            try FileManager.default.removeItem(atPath: window + "/block-me")
            try git("reset", "-q", in: window)
            #expect(try repo.cli("init").stdout == "spec-dispatch is already set up here\n")
            let removed = try repo.cli("init", "--uninstall")
            #expect(removed.stdout.contains("restored your pre-commit hook"), "\(removed)")
            #expect(try String(contentsOfFile: repo.root + "/.git/hooks/pre-commit", encoding: .utf8) == original)
            let mode = try FileManager.default.attributesOfItem(atPath: repo.root + "/.git/hooks/pre-commit")[.posixPermissions] as? Int
            #expect(mode == 0o750)
            #expect(try String(contentsOfFile: repo.root + "/.git/hooks/commit-msg", encoding: .utf8) == bash)
            #expect(!FileManager.default.fileExists(atPath: repo.root + "/.git/hooks/pre-commit.spec-dispatch-chained"))
        }
    }

    @Test("a relative core.hooksPath is refused with the absolute one to set, installing nothing")
    func relativeHooksPath() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n"])
            try git("config", "core.hooksPath", ".githooks", in: repo.root)
            let config = try git("config", "--local", "--list", in: repo.root)
            let refused = try repo.cli("init")
            #expect(refused.status == 2, "\(refused)")
            #expect(refused.stderr.contains("core.hooksPath is relative (.githooks)")
                && refused.stderr.contains("git config core.hooksPath '\(root)/repo/.githooks'"), "\(refused)")
            #expect(!FileManager.default.fileExists(atPath: repo.root + "/.githooks"))
            #expect(try git("config", "--local", "--list", in: repo.root) == config)
            #expect(!FileManager.default.fileExists(atPath: repo.root + "/.git/info/attributes"))
            #expect(try git("status", "--porcelain", in: repo.root).isEmpty)
        }
    }

    @Test("core.hooksPath is honoured")
    func hooksPath() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            try git("config", "core.hooksPath", root + "/shared-hooks", in: repo.root)
            let installed = try repo.cli("init")
            #expect(installed.stdout.contains("installed the post-commit hook in \(root)/shared-hooks (core.hooksPath)"), "\(installed)")
            #expect(!FileManager.default.fileExists(atPath: repo.root + "/.git/hooks/post-commit"))
            let window = try repo.cli("next").stdout.trimmingCharacters(in: .newlines)
            #expect(try WindowProbe(window: window).commit("step", trailers: ["Completes: 1.1"]).status == 0)
            #expect(try git("show", "HEAD:.kiro/specs/s/tasks.md", in: window).contains("- [x] 1.1 First step"))
        }
    }

    @Test("block keeps the reason and who blocked it; unblock resumes at the blocked step; nothing completed is reset")
    func blockAndUnblock() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            #expect(try w.commit("first", trailers: ["Completes: 1.1"]).status == 0)
            let blocked = try SpecDispatchCLI.run(["block", "1.2", "--reason", "needs an API key", "--by", "agent-7"], in: w.window)
            #expect(blocked.status == 0 && blocked.stdout.contains("block: 1.2 — needs an API key"), "\(blocked)")
            let tasks = try w.committedTasks()
            #expect(tasks.contains("  - [-] 1.2 Second step\n    - _Blocked: needs an API key_\n"))
            #expect(tasks.contains("- [-] 1. Unit one\n") && tasks.contains("  - [x] 1.1 First step\n"))
            #expect(try git("status", "--porcelain", in: w.window).isEmpty)
            let board = try w.repo.cli("status").stdout
            #expect(board.contains("[!] 1      blocked      1/3  Unit one"), "\(board)")
            #expect(board.contains("[!] 1.2  blocked           Second step — blocked: needs an API key (by agent-7)"), "\(board)")
            let unblocked = try w.repo.cli("unblock", "1.2")
            #expect(unblocked.status == 0 && unblocked.stdout.contains("prompt rewritten to resume"), "\(unblocked)")
            let after = try w.committedTasks()
            #expect(!after.contains("_Blocked:") && after.contains("  - [x] 1.1 First step\n") && after.contains("  - [-] 1.2 Second step\n"))
            let prompt = try String(contentsOfFile: w.window + "/.dispatch/prompt.md", encoding: .utf8)
            #expect(prompt.contains("Step 1.1 is already completed") && prompt.contains("Resume at step **1.2**"))
            #expect(try SpecDispatchCLI.run(["done", "1.2", "1.4"], in: w.window).status == 0)
            #expect(try git("log", "-1", "--format=%B", in: w.window).contains("\n\nCompletes: 1.2, 1.4\n"))
            #expect(try git("status", "--porcelain", in: w.window).isEmpty)
            #expect(try w.repo.cli("status").stdout.contains("pending review"))
        }
    }
}

/// Commits in a window without the fixture (for repositories set up by hand).
struct WindowProbe {
    let window: String

    func commit(_ message: String, trailers: [String]) throws -> CommandResult {
        try write(message + "\n", to: "\(message).txt", in: window)
        try git("add", "\(message).txt", in: window)
        return try Shell.execute(["git", "commit", "-q", "-m", message] + trailers.flatMap { ["--trailer", $0] }, in: window)
    }
}
