import Foundation
import Testing
import TestSupport

/// Shapes of tasks.md seen in public repositories, each on the smallest snippet that shows it,
/// taken through the whole loop: dispatch, trailer commits of the required steps, review, merge.
@Suite("real-world task file shapes, end to end")
struct RealWorldShapesTests {
    /// Commits one change per step, each with its `Completes:` trailer, through the hooks.
    static func complete(_ w: WindowFixture, steps: [String]) throws {
        for step in steps {
            let result = try w.commit("work on \(step)", trailers: ["Completes: \(step)"])
            #expect(result.status == 0, "\(result)")
        }
    }

    @Test("a file whose lines end with CR alone: its unit is dispatched, completed by trailers, reviewed and merged, its CR endings kept")
    func carriageReturnOnly() throws {
        try withTemporaryDirectory { root in
            let tasks = "# Tasks\r- [ ] 1. Feature\r  - [ ] 1.1 Build it\r  - [ ] 1.2 Test it\r- [ ] 2. Other\r"
            let w = try WindowFixture(in: root, tasks: tasks)
            #expect(w.window.hasSuffix("/task-1"))
            #expect(try w.repo.cli("status").stdout.contains("0/2"))
            try Self.complete(w, steps: ["1.1", "1.2"])
            #expect(try w.committedTasks() == "# Tasks\r- [-] 1. Feature\r  - [x] 1.1 Build it\r  - [x] 1.2 Test it\r- [ ] 2. Other\r")
            #expect(try w.repo.cli("review", "1").status == 0)
            let approved = try w.repo.cli("approve", "1", "--reviewer", "rita")
            #expect(approved.status == 0, "\(approved)")
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: w.repo.root)
                    == "# Tasks\r- [x] 1. Feature\r  - [x] 1.1 Build it\r  - [x] 1.2 Test it\r- [ ] 2. Other\r")
        }
    }

    @Test("a checkpoint written as a heading over an id-less checkbox is dispatched once what precedes it is merged, completed by its trailer, reviewed and merged")
    func checkpointHeading() throws {
        try withTemporaryDirectory { root in
            let tasks = "- [x] 1. Done\n\n## 2. Checkpoint - Ensure all tests pass\n\n- [ ] Ensure all tests pass, ask the user if questions arise\n\n- [ ] 3. Later\n"
            let w = try WindowFixture(in: root, tasks: tasks)
            #expect(w.window.hasSuffix("/task-2"), "the checkpoint is the ready unit")
            #expect(try w.repo.cli("ready").stdout == "", "3 waits for the checkpoint")
            try Self.complete(w, steps: ["2"])
            #expect(try w.repo.cli("review", "2").status == 0)
            let approved = try w.repo.cli("approve", "2", "--reviewer", "rita")
            #expect(approved.status == 0, "\(approved)")
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: w.repo.root)
                    == tasks.replacingOccurrences(of: "- [ ] Ensure", with: "- [x] Ensure"))
            #expect(try w.repo.cli("ready").stdout == "3  Later\n")
        }
    }

    @Test("a unit under the nearer of two headings numbering it carries that heading's title into its prompt, its review and its merge commit")
    func nearestHeading() throws {
        try withTemporaryDirectory { root in
            let tasks = "## Phase 1: Foundation (Tasks 1-2)\n\n### Task 1: Create module structure\n- [ ] 1.1 Module\n- [ ] 1.2 Tests\n"
            let w = try WindowFixture(in: root, tasks: tasks)
            let prompt = try String(contentsOfFile: w.window + "/.dispatch/prompt.md", encoding: .utf8)
            #expect(prompt.contains("Create module structure") && !prompt.contains("Foundation (Tasks 1-2)"), "\(prompt)")
            try Self.complete(w, steps: ["1.1", "1.2"])
            #expect(try w.repo.cli("review", "1").status == 0)
            #expect(try w.repo.cli("approve", "1", "--reviewer", "rita").status == 0)
            let log = try git("log", "--format=%s", "main", in: w.repo.root)
            #expect(log.contains("Create module structure") && !log.contains("Foundation (Tasks 1-2)"), "\(log)")
        }
    }

    @Test("_writes: entries spelled differently, a glob and a folder, are one file to next: one window at a time; an entry outside the repository is an error at its line")
    func writesAsPaths() throws {
        try withTemporaryDirectory { root in
            let tasks = "- [ ] 1. A\n  - _writes: src/a.swift_\n- [ ] 2. B\n  - _writes: ./src/a.swift_\n- [ ] 3. C\n  - _writes: src//a.swift_\n"
                + "- [ ] 4. D\n  - _writes: src/*.swift_\n- [ ] 5. E\n  - _writes: src/_\n- [ ] 6. F\n  - _writes: docs/_\n"
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let next = try repo.cli("next", "--count", "6")
            #expect(next.status == 0, "\(next)")
            #expect(try git("for-each-ref", "--format=%(refname:short)", "refs/heads/dispatch", in: repo.root) == "dispatch/s/task-1\ndispatch/s/task-6\n")
            let ready = try repo.cli("ready", "--verbose")
            for unit in ["2", "3", "4", "5"] { #expect(ready.stdout.contains("\(unit) "), "\(ready)") }

            try write(tasks + "- [ ] 7. G\n  - _writes: ../outside.txt_\n", to: ".kiro/specs/s/tasks.md", in: repo.root)
            let validate = try repo.cli("validate")
            #expect(validate.status == 2)
            #expect(validate.stdout.contains(".kiro/specs/s/tasks.md:14: error: task 7 writes '../outside.txt', which is outside the repository"), "\(validate)")
        }
    }

    @Test("counts say what they count: checkbox tasks (not headings), required steps with optional ones apart, singular when one")
    func counts() throws {
        try withTemporaryDirectory { root in
            let tasks = "## 1. Setup\n- [ ] 1.1 Tools\n- [ ] 1.2 Config\n- [ ]* 1.3 Optional test\n- [ ] 2. Docs\n  - [ ] 2.1 Write\n"
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let status = try repo.cli("status")
            #expect(status.stdout.contains("2 units: 2 ready · 5 tasks: 5 not started"), "\(status)")
            let json = try JSONSerialization.jsonObject(with: Data(try repo.cli("status", "--json").stdoutBytes)) as? [String: Any]
            let summary = ((json?["specs"] as? [[String: Any]])?.first?["summary"] as? [String: Any])?["tasks"] as? [String: Any]
            #expect(summary?["total"] as? Int == 5, "\(String(describing: summary))")
            let ready = try repo.cli("ready", "--verbose")
            #expect(ready.stdout.contains("ready (2 steps + 1 optional)") && ready.stdout.contains("ready (1 step)"), "\(ready)")
            let window = try SpecDispatchCLI.succeed(["next", "2"], in: repo.root).trimmingCharacters(in: .whitespacesAndNewlines)
            let prompt = try String(contentsOfFile: window + "/.dispatch/prompt.md", encoding: .utf8)
            #expect(prompt.contains("Work through the 1 step in this order"), "\(prompt)")
        }
    }

    @Test("a parent carrying the work over an optional test: its prompt lists it first, Completes: 7 finishes it, review and merge leave 7.1 open")
    func parentCarriesOwnWork() throws {
        try withTemporaryDirectory { root in
            let tasks = "- [ ] 7. Implement the distributed lock\n  - Implement DistributedLock in cache_manager.go\n  - _Requirements: 2.1_\n"
                + "- [ ]* 7.1 Write property test for the lock\n"
            let w = try WindowFixture(in: root, tasks: tasks)
            let prompt = try String(contentsOfFile: w.window + "/.dispatch/prompt.md", encoding: .utf8)
            let first = try #require(prompt.range(of: "**7** Implement the distributed lock"))
            let optional = try #require(prompt.range(of: "**7.1** Write property test"))
            #expect(first.lowerBound < optional.lowerBound, "\(prompt)")
            #expect(try w.repo.cli("status").stdout.contains("0/1"))
            try Self.complete(w, steps: ["7"])
            #expect(try w.committedTasks().hasPrefix("- [x] 7. Implement"))
            let review = try w.repo.cli("review", "7")
            #expect(review.status == 0, "\(review)")
            #expect(try w.repo.cli("approve", "7", "--reviewer", "rita").status == 0)
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: w.repo.root) == tasks.replacingOccurrences(of: "- [ ] 7.", with: "- [x] 7."))
            let status = try w.repo.cli("status")
            #expect(status.status == 0 && status.stdout.contains("1/1"), "\(status)")
        }
    }

    @Test("validate --verbose lists a detail line that names another task without a dependency label; plain validate stays quiet")
    func unreadDependencies() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n  - [ ] 1.1 Schema\n- [ ] 2. B\n  - 1.1に依存\n"])
            #expect(try repo.cli("validate").stdout == "")
            let verbose = try repo.cli("validate", "--verbose")
            #expect(verbose.status == 0)
            #expect(verbose.stdout == ".kiro/specs/s/tasks.md:4: note: task 2 names 1.1 here without a dependency label, so it does not wait for it (write `depends on: 1.1` if it should)\n",
                    "\(verbose)")
        }
    }
}
