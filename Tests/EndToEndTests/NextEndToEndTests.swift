import Foundation
import Testing
import TestSupport

@Suite("next, end to end")
struct NextEndToEndTests {
    static let tasks = """
        # Plan
        - [x] 1. Done already
        - [ ] 2. Group unit
          - [ ] 2.10 Tenth
          - [x] 2.2 Second (done)
          - [ ] 2.1 First
            - _Requirements: 1.1_
            - _writes: src/a.swift_
          - [ ]* 2.3 Optional third
        - [ ] 3. Standalone
          - _writes: src/b.swift_
        - [ ]* 4. Optional standalone

        """

    /// Parses stdout JSON into a dictionary.
    static func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdoutBytes)) as? [String: Any])
    }

    @Test("next creates the branch and worktree, marks the unit [-] on the branch, and writes the payload")
    func dispatchesOneUnit() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            let mainBefore = try gitValue("rev-parse", "main", in: repo.root)
            let result = try repo.cli("next", "--agent", "claude")
            #expect(result.status == 0, "\(result)")
            let window = root + "/repo.dispatch/s/task-2"
            #expect(result.stdout == window + "\n")
            #expect(result.stderr.isEmpty)

            #expect(try gitValue("for-each-ref", "--format=%(refname)", "refs/heads/dispatch/", in: repo.root) == "refs/heads/dispatch/s/task-2")
            let list = try git("worktree", "list", "--porcelain", in: repo.root)
            #expect(list.contains("worktree \(window)\nHEAD \(try gitValue("rev-parse", "dispatch/s/task-2", in: repo.root))\nbranch refs/heads/dispatch/s/task-2\n"))
            #expect(!list.contains("locked"))
            #expect(try git("status", "--porcelain", in: window).isEmpty)
            #expect(try git("status", "--porcelain", in: repo.root).isEmpty)
            #expect(try gitValue("rev-parse", "main", in: repo.root) == mainBefore)

            let branchTasks = try git("show", "dispatch/s/task-2:.kiro/specs/s/tasks.md", in: repo.root)
            #expect(branchTasks.contains("- [-] 2. Group unit\n"))
            #expect(branchTasks.contains("  - [-] 2.1 First\n"))
            #expect(branchTasks.contains("  - [ ] 2.10 Tenth\n"))
            let diff = try git("diff", "--numstat", "main", "dispatch/s/task-2", in: repo.root)
            #expect(diff == "2\t2\t.kiro/specs/s/tasks.md\n", "only the two markers change")
            #expect(try gitValue("rev-parse", "dispatch/s/task-2^", in: repo.root) == mainBefore)
            let message = try git("log", "-1", "--format=%B", "dispatch/s/task-2", in: repo.root)
            #expect(message.contains("Dispatch-Unit: 2\n") && message.contains("Dispatch-Agent: claude\n"))

            let payload = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: window + "/.dispatch/payload.json"))) as? [String: Any])
            #expect((payload["unit"] as? [String: Any])?["id"] as? String == "2")
            let steps = try #require(payload["steps"] as? [[String: Any]])
            #expect(steps.map { $0["id"] as? String } == ["2.1", "2.2", "2.3", "2.10"])
            #expect(steps.map { $0["status"] as? String } == ["in_progress", "completed", "not_started", "not_started"])
            #expect(steps[2]["optional"] as? Bool == true)
            #expect((payload["resume"] as? [String: Any])?["current"] as? String == "2.1")
            #expect((payload["spec"] as? [String: Any])?["requirements"] as? String == ".kiro/specs/s/requirements.md")
            #expect((payload["metadata"] as? [String: Any])?["writes"] as? [String] == ["src/a.swift"])
            #expect(payload["window"] as? String == window)
            let prompt = try String(contentsOfFile: window + "/.dispatch/prompt.md", encoding: .utf8)
            #expect(prompt.contains("# Unit 2: Group unit"))
            #expect(prompt.contains("Step 2.2 is already completed"))
            #expect(prompt.contains("Resume at step **2.1**"))
            try expectFsckClean(repo.root)
        }
    }

    @Test("next --json, --count and an explicit unit id (optional units too)")
    func countJsonAndExplicit() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            let two = try repo.cli("next", "--count", "5", "--json")
            #expect(two.status == 0, "\(two)")
            let units = try #require(try Self.json(two)["dispatched"] as? [[String: Any]])
            #expect(units.map { $0["unit"] as? String } == ["2", "3"], "only two are ready")
            #expect(units.allSatisfy { FileManager.default.fileExists(atPath: ($0["payload"] as? String) ?? "") })
            #expect(try repo.cli("next").status == 4)
            let optional = try repo.cli("next", "4")
            #expect(optional.status == 0 && optional.stdout == root + "/repo.dispatch/s/task-4\n", "\(optional)")
            let again = try repo.cli("next", "4")
            #expect(again.status == 4 && again.stderr.contains("unit 4 is not ready: a window is open for it"), "\(again)")
            let subtask = try repo.cli("next", "2.1")
            #expect(subtask.status == 3 && subtask.stderr.contains("no unit 2.1"), "\(subtask)")
        }
    }

    @Test("the window cap stops next with exit 5, _writes: conflicts with exit 6, nothing ready with exit 4")
    func refusals() throws {
        try withTemporaryDirectory { root in
            let tasks = "- [ ] 1. A\n  - _writes: src/shared.swift_\n- [ ] 2. B\n  - _writes: src/shared.swift_\n- [ ] 3. C\n- [ ] 4. D\n"
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
            try git("config", "dispatch.maxWindows", "2", in: repo.root)
            #expect(try repo.cli("next", "--count", "3").stdout.split(separator: "\n").count == 2)
            let cap = try repo.cli("next")
            #expect(cap.status == 5 && cap.stderr.contains("window cap reached: 2 windows open (dispatch.maxWindows = 2)"), "\(cap)")
            try git("config", "dispatch.maxWindows", "9", in: repo.root)
            #expect(try repo.cli("next").stdout.hasSuffix("task-4\n"))
            let writes = try repo.cli("next")
            #expect(writes.status == 6, "\(writes)")
            #expect(writes.stderr.contains("blocked by open windows writing the same files: s/2 (src/shared.swift)"))
            let board = try repo.cli("ready", "--verbose")
            #expect(board.stdout.contains("a window is open for it"))
        }
    }

    @Test("status shows the open window and the unit's live progress from its branch")
    func statusShowsWindows() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            _ = try repo.cli("next", "--agent", "bob")
            let window = root + "/repo.dispatch/s/task-2"
            var tasks = try String(contentsOfFile: window + "/.kiro/specs/s/tasks.md", encoding: .utf8)
            tasks = tasks.replacingOccurrences(of: "- [-] 2.1 First", with: "- [x] 2.1 First")
                .replacingOccurrences(of: "- [ ] 2.10 Tenth", with: "- [-] 2.10 Tenth")
            try write(tasks, to: ".kiro/specs/s/tasks.md", in: window)
            try git("commit", "-qam", "finish 2.1", in: window)
            let board = try repo.cli("status").stdout
            #expect(board.contains("[-] 2       open         2/3  Group unit"), "\(board)")
            #expect(board.contains("window \(window) · dispatch/s/task-2 · agent bob · just now"), "\(board)")
            #expect(board.contains("  [x] 2.1"))
            let json = try Self.json(try repo.cli("status", "--json"))
            let unit = try #require(((json["specs"] as? [[String: Any]])?.first?["units"] as? [[String: Any]])?.first { $0["id"] as? String == "2" })
            #expect((unit["window"] as? [String: Any])?["agent"] as? String == "bob")
            #expect((unit["steps"] as? [[String: Any]])?.first?["status"] as? String == "completed")
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: repo.root).contains("- [ ] 2.1 First"), "the base is untouched")
        }
    }

    @Test("init is idempotent and only touches info/exclude")
    func initIsIdempotent() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            let first = try repo.cli("init")
            #expect(first.status == 0 && first.stdout.contains("added /.dispatch/"))
            let exclude = try String(contentsOfFile: repo.root + "/.git/info/exclude", encoding: .utf8)
            #expect(try repo.cli("init").stdout == "spec-dispatch is already set up here\n")
            #expect(try String(contentsOfFile: repo.root + "/.git/info/exclude", encoding: .utf8) == exclude)
            #expect(try git("status", "--porcelain", in: repo.root).isEmpty)
        }
    }

    @Test("init and init --uninstall keep a CRLF info/exclude's other lines byte for byte, and see the rule in CRLF")
    func excludeWithCRLF() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            let exclude = repo.root + "/.git/info/exclude"
            let mine = "# mine\r\n*.log\r\n"
            try mine.write(toFile: exclude, atomically: true, encoding: .utf8)
            #expect(try repo.cli("init").status == 0)
            #expect(try String(contentsOfFile: exclude, encoding: .utf8).hasPrefix(mine))
            #expect(try repo.cli("init", "--uninstall").status == 0)
            #expect(try String(contentsOfFile: exclude, encoding: .utf8) == mine)
            // The rule written with CRLF by another editor counts as there: init adds no second copy.
            try (mine + "/.dispatch/\r\n").write(toFile: exclude, atomically: true, encoding: .utf8)
            #expect(try repo.cli("init").stdout.contains("added /.dispatch/") == false)
            #expect(try String(contentsOfFile: exclude, encoding: .utf8) == mine + "/.dispatch/\r\n")
            #expect(try repo.cli("init", "--uninstall").status == 0)
            #expect(try String(contentsOfFile: exclude, encoding: .utf8) == mine)
        }
    }

    @Test("a repository's template override shapes the prompt")
    func templateOverride() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks],
                                          extraFiles: [".spec-dispatch/templates/unit.md.mustache": "{{% CONTENT_TYPE: TEXT }}Do {{unit.id}} & {{#steps}}{{id}} {{/steps}}\n"])
            let window = try repo.cli("next").stdout.trimmingCharacters(in: .newlines)
            #expect(try String(contentsOfFile: window + "/.dispatch/prompt.md", encoding: .utf8) == "Do 2 & 2.1 2.2 2.3 2.10 \n")
        }
    }

    @Test("abandon refuses to lose work unless forced, and keeps the forced-away commits")
    func abandon() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            let window = try repo.cli("next").stdout.trimmingCharacters(in: .newlines)
            try write("dirty\n", to: "notes.txt", in: window)
            let dirty = try repo.cli("abandon", "2")
            #expect(dirty.status == 7 && dirty.stderr.contains("uncommitted changes (notes.txt)"), "\(dirty)")
            try git("add", "notes.txt", in: window)
            try git("commit", "-qm", "work", in: window)
            let unmerged = try repo.cli("abandon", "2")
            #expect(unmerged.status == 7 && unmerged.stderr.contains("1 commit that no other branch has (on dispatch/s/task-2)"), "\(unmerged)")
            let tip = try gitValue("rev-parse", "dispatch/s/task-2", in: repo.root)
            let forced = try repo.cli("abandon", "2", "--force")
            #expect(forced.status == 0, "\(forced)")
            #expect(!FileManager.default.fileExists(atPath: window))
            #expect(try gitValue("for-each-ref", "--format=%(objectname)", "refs/dispatch/archive/", in: repo.root) == tip)
            #expect(try gitValue("for-each-ref", "refs/heads/dispatch/", in: repo.root).isEmpty)
            #expect(try repo.cli("ready").stdout.hasPrefix("2  Group unit"))
            let clean = try repo.cli("next")
            #expect(try repo.cli("abandon", "s/2").status == 0, "\(clean)")
            #expect(try gitValue("for-each-ref", "refs/dispatch/archive/", in: repo.root).split(separator: "\n").count == 1)
            try expectFsckClean(repo.root)
        }
    }

    @Test("a window that cannot be read as a worktree counts as holding changes: abandon keeps its files unless forced")
    func abandonUnreadableWindow() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            let window = try repo.cli("next").stdout.trimmingCharacters(in: .newlines)
            try write("precious\n", to: "draft.txt", in: window)
            try write("gitdir: /nowhere\n", to: ".git", in: window)
            let refused = try repo.cli("abandon", "2")
            #expect(refused.status == 7 && refused.stderr.contains("not readable as a worktree"), "\(refused)")
            #expect(try String(contentsOfFile: window + "/draft.txt", encoding: .utf8) == "precious\n")
            #expect(try repo.cli("abandon", "2", "--force").status == 0)
            #expect(!FileManager.default.fileExists(atPath: window))
        }
    }
}
