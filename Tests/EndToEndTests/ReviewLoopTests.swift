import Foundation
import Testing
import TestSupport

@Suite("review, fix loop and merge, end to end")
struct ReviewLoopTests {
    static let tasks = """
        - [ ] 1. Feature
          - [ ] 1.1 Build it
          - [ ] 1.2 Test it
        - [ ] 2. Other feature
          - _criticality: complex_
        - [ ] 3. Depends on the feature
          - depends on: 1

        """

    /// Completes every step of the window's unit with trailer commits touching `file`.
    static func finish(_ window: String, steps: [String], file: String, line: String = "done") throws {
        for step in steps {
            try write("\(line) \(step)\n", to: file, in: window)
            try git("add", "-A", in: window)
            try git("commit", "-q", "-m", "work on \(step)", "--trailer", "Completes: \(step)", in: window)
        }
    }

    @Test("reject writes a fix prompt and sets fix_required; a fix commit brings it back; approval merges; dependents become ready")
    func fixLoop() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            let early = try w.repo.cli("review", "1")
            #expect(early.status == 7 && early.stderr.contains("cannot go to review: it is in progress"), "\(early)")
            try Self.finish(w.window, steps: ["1.1", "1.2"], file: "feature.txt")
            #expect(try w.repo.cli("review", "1").stdout == w.window + "/.dispatch/review.md\n")
            let rejected = try w.repo.cli("reject", "1", "--reason", "The tests do not cover errors.", "--step", "1.2", "--reviewer", "rita")
            #expect(rejected.status == 0 && rejected.stdout.contains("rejection 1 of 3"), "\(rejected)")
            let fix = try String(contentsOfFile: w.window + "/.dispatch/fix.md", encoding: .utf8)
            #expect(fix.contains("The tests do not cover errors.") && fix.contains("**1.2** Test it") && fix.contains("Completes: 1.2"))
            #expect(try w.repo.cli("status").stdout.contains("fix required"))
            let json = try JSONSerialization.jsonObject(with: Data(try w.repo.cli("status", "--json").stdoutBytes)) as? [String: Any]
            let unit = ((json?["specs"] as? [[String: Any]])?.first?["units"] as? [[String: Any]])?.first
            #expect(unit?["state"] as? String == "fix_required")
            #expect(try w.repo.cli("approve", "1").status == 7, "no approval while a fix is required")

            try Self.finish(w.window, steps: ["1.2"], file: "feature.txt", line: "fixed")
            #expect(try w.repo.cli("status").stdout.contains("pending review"))
            let request = try JSONSerialization.jsonObject(with: Data(try w.repo.cli("review", "1", "--json").stdoutBytes)) as? [String: Any]
            #expect(request?["schema"] as? String == "spec-dispatch.review-request/1")
            #expect(request?["unit"] as? String == "s/1" && request?["round"] as? Int == 2, "\(String(describing: request))")
            #expect(request?["payload"] as? String == w.window + "/.dispatch/review.json")
            #expect(request?["prompt"] as? String == w.window + "/.dispatch/review.md")
            let review = try String(contentsOfFile: w.window + "/.dispatch/review.md", encoding: .utf8)
            #expect(review.contains("Review round 2") && review.contains("Round 1, rita (steps 1.2): The tests do not cover errors."))
            let approved = try w.repo.cli("approve", "1", "--reviewer", "rita")
            #expect(approved.status == 0 && approved.stdout.hasPrefix("Merged s/1 into main (fast-forward"), "\(approved)")
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: w.repo.root).hasPrefix("- [x] 1. Feature\n  - [x] 1.1 Build it\n  - [x] 1.2 Test it\n"))
            #expect(try w.repo.cli("ready").stdout == "2  Other feature\n3  Depends on the feature\n")
            #expect(try git("status", "--porcelain", in: w.repo.root).isEmpty)
        }
    }

    @Test("three rejections escalate: the unit is blocked until a person unblocks it")
    func escalation() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            try Self.finish(w.window, steps: ["1.1", "1.2"], file: "feature.txt")
            for attempt in 1...3 {
                #expect(try w.repo.cli("review", "1").status == 0, "round \(attempt)")
                let rejected = try w.repo.cli("reject", "1", "--reason", "still wrong (\(attempt))")
                #expect(rejected.status == 0, "\(rejected)")
                if attempt < 3 { try Self.finish(w.window, steps: ["1.1"], file: "feature.txt", line: "try \(attempt)") }
            }
            let board = try w.repo.cli("status").stdout
            #expect(board.contains("[!] 1      blocked"), "\(board)")
            #expect(board.contains("escalated after 3 rejections: still wrong (3)"), "\(board)")
            #expect(try w.committedTasks().contains("- [-] 1. Feature\n  - _Blocked: escalated after 3 rejections: still wrong (3)_\n"))
            #expect(try w.repo.cli("review", "1").status == 7)
            #expect(try w.repo.cli("unblock", "1").status == 0)
            #expect(!(try w.committedTasks().contains("_Blocked:")))
            #expect(try w.repo.cli("status").stdout.contains("pending review"))
            #expect(try w.repo.cli("review", "1").status == 0, "a person took over: reviews start again")
        }
    }

    @Test("a complex unit needs two approvals, from two reviewers")
    func approvalsByCriticality() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "2")
            try Self.finish(w.window, steps: ["2"], file: "other.txt")
            #expect(try w.repo.cli("review", "2").status == 0)
            #expect(try w.repo.cli("approve", "2", "--reviewer", "rita").stdout == "Approved s/2 (1 of 2 approvals)\n")
            let twice = try w.repo.cli("approve", "2", "--reviewer", "rita")
            #expect(twice.status == 7 && twice.stderr.contains("rita already approved round 1"), "\(twice)")
            #expect(try w.repo.cli("status").stdout.contains("under review"))
            #expect(try w.repo.cli("approve", "2", "--reviewer", "sam").stdout.hasPrefix("Merged s/2 into main"))
        }
    }

    @Test("two units editing the same line: the second merge refuses, main is untouched, and status says what to do")
    func codeConflict() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n"], extraFiles: ["src/shared.txt": "line one\n"])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let windows = try repo.cli("next", "--count", "2").stdout.split(separator: "\n").map(String.init)
            try Self.finish(windows[0], steps: ["1"], file: "src/shared.txt", line: "unit one says")
            try Self.finish(windows[1], steps: ["2"], file: "src/shared.txt", line: "unit two says")
            for unit in ["1", "2"] { #expect(try repo.cli("review", unit).status == 0) }
            #expect(try repo.cli("approve", "1").status == 0)
            let approval = try repo.cli("approve", "2")
            #expect(approval.status == 7, "\(approval)")
            #expect(approval.stderr.hasPrefix("error: approved s/2, but did not merge: merging unit 2 into main conflicts in src/shared.txt"), "\(approval)")
            let before = try repo.snapshot()
            let mainBefore = try gitValue("rev-parse", "main", in: repo.root)
            let refused = try repo.cli("merge", "2")
            #expect(refused.status == 7, "\(refused)")
            #expect(refused.stderr.contains("merging unit 2 into main conflicts in src/shared.txt; nothing was changed"), "\(refused)")
            #expect(refused.stderr.contains("git checkout main && git merge dispatch/s/task-2"))
            #expect(try gitValue("rev-parse", "main", in: repo.root) == mainBefore)
            #expect(try repo.snapshot() == before, "refs, worktrees and the working tree are as they were")
            #expect(try repo.cli("status").stdout.contains("approved, but merging conflicts in src/shared.txt; finish with `git merge dispatch/s/task-2` on main"))
            // Finishing by hand works, the driver merging tasks.md; gc then retires the unit.
            let manual = try Shell.execute(["git", "merge", "-q", "dispatch/s/task-2"], in: repo.root)
            #expect(manual.status != 0, "the code conflict is real")
            #expect(try git("diff", "--name-only", "--diff-filter=U", in: repo.root) == "src/shared.txt\n", "tasks.md merged cleanly")
            try write("both units\n", to: "src/shared.txt", in: repo.root)
            try git("commit", "-qam", "merge unit 2 by hand", in: repo.root)
            #expect(try String(contentsOfFile: repo.root + "/.kiro/specs/s/tasks.md", encoding: .utf8) == "- [x] 1. A\n- [x] 2. B\n")
            let gc = try repo.cli("gc")
            #expect(gc.stdout.contains("s/2: merged into main"), "\(gc)")
            #expect(try gitValue("for-each-ref", "refs/heads/dispatch/", in: repo.root).isEmpty)
        }
    }

    @Test("merge refuses while main's working tree has changes to the files involved, and nothing changes")
    func dirtyBase() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            try Self.finish(w.window, steps: ["1.1", "1.2"], file: "feature.txt")
            try write("local\n", to: "feature.txt", in: w.repo.root)
            let before = try w.repo.snapshot()
            let refused = try w.repo.cli("merge", "1")
            #expect(refused.status == 7 && refused.stderr.contains("main's working tree has files the merge would overwrite: untracked files in the way: feature.txt"), "\(refused)")
            #expect(try w.repo.snapshot() == before)
            try FileManager.default.removeItem(atPath: w.repo.root + "/feature.txt")
            try write("unrelated\n", to: "notes.txt", in: w.repo.root)
            #expect(try w.repo.cli("merge", "1").status == 0)
            #expect(try git("status", "--porcelain", in: w.repo.root) == "?? notes.txt\n")
        }
    }

    @Test("a merged unit that becomes ready again (a new step) is dispatched with a fresh review log")
    func reopenedUnitStartsAfresh() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            try Self.finish(w.window, steps: ["1.1", "1.2"], file: "feature.txt")
            #expect(try w.repo.cli("review", "1").status == 0)
            #expect(try w.repo.cli("approve", "1").status == 0)
            let tasks = try String(contentsOfFile: w.repo.root + "/.kiro/specs/s/tasks.md", encoding: .utf8)
            try commitFiles([".kiro/specs/s/tasks.md": tasks.replacingOccurrences(of: "- [x] 1. Feature\n", with: "- [ ] 1. Feature\n")
                .replacingOccurrences(of: "  - [x] 1.2 Test it\n", with: "  - [x] 1.2 Test it\n  - [ ] 1.3 Document it\n")],
                            message: "add 1.3", in: w.repo.root)
            let again = try w.repo.cli("next", "1")
            try #require(again.status == 0, "\(again)")
            let early = try w.repo.cli("review", "1")
            #expect(early.status == 7 && early.stderr.contains("it is in progress"), "\(early)")
            #expect(try w.repo.cli("status").stdout.contains("1.3"))
            #expect(try gitValue("for-each-ref", "--count=1", "--format=%(refname)", "refs/dispatch/archive/reviews/s/task-1/", in: w.repo.root)
                .hasPrefix("refs/dispatch/archive/reviews/s/task-1/"))
            try Self.finish(w.window, steps: ["1.3"], file: "feature.txt", line: "documented")
            #expect(try w.repo.cli("review", "1").status == 0)
            let approved = try w.repo.cli("approve", "1")
            #expect(approved.status == 0 && approved.stdout.hasPrefix("Merged s/1 into main"), "\(approved)")
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: w.repo.root).contains("- [x] 1.3 Document it"))
        }
    }

    @Test("the review prompt and payload say where the work is: the window to build and test in, and the diff to read")
    func reviewerFindsTheCode() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks)
            try Self.finish(w.window, steps: ["1.1", "1.2"], file: "feature.txt")
            #expect(try w.repo.cli("review", "1").status == 0)
            let payload = try JSONSerialization.jsonObject(with: Data(try readBytes(".dispatch/review.json", in: w.window))) as? [String: Any]
            #expect(payload?["window"] as? String == w.window)
            let diff = try #require(payload?["diff"] as? String)
            #expect(diff == "git diff main...dispatch/s/task-1", "\(diff)")
            let shown = try Shell.run(["sh", "-c", diff + " --stat"], in: w.repo.root)
            #expect(shown.contains("feature.txt"), "\(shown)")
            let prompt = try String(contentsOfFile: w.window + "/.dispatch/review.md", encoding: .utf8)
            #expect(prompt.contains("    cd \(w.window)\n") && prompt.contains("    \(diff)\n"), "\(prompt)")
        }
    }
}
