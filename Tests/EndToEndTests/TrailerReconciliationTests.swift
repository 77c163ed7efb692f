import Foundation
import Testing
import TestSupport

/// A `Completes:` trailer is the record of a step done: a marker lost with a failed hook comes
/// back with the next trailer commit, with `done`, and before `review`.
@Suite("steps whose trailers are on the branch but whose marks were lost are reconciled")
struct TrailerReconciliationTests {
    /// Commits with a trailer as if the hooks had failed: none runs, so tasks.md is not marked.
    static func commitWithoutHooks(_ w: WindowFixture, _ message: String, completes step: String) throws -> String {
        try write("\(message)\n", to: "\(message).txt", in: w.window)
        try git("add", "\(message).txt", in: w.window)
        try git("-c", "core.hooksPath=/dev/null", "commit", "-q", "--no-verify", "-m", message, "--trailer", "Completes: \(step)", in: w.window)
        return try gitValue("rev-parse", "HEAD", in: w.window)
    }

    @Test("the next trailer commit in the window marks the lost step in its own amend, and says which commit named it")
    func nextCommit() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: HookEndToEndTests.tasks)
            let lost = try Self.commitWithoutHooks(w, "first", completes: "1.1")
            #expect(try w.committedTasks().contains("  - [-] 1.1 First step\n"), "the marker is lost")
            let count = try w.commitCount()
            let next = try w.commit("second", trailers: ["Completes: 1.2"])
            #expect(next.status == 0, "\(next)")
            #expect(next.stderr.contains("marked 1.2 done in this commit; marked 1.1 (named in \(lost.prefix(7))) done, whose marks were missing"),
                    "\(next)")
            #expect(try w.commitCount() == count + 1, "no extra commit")
            let tasks = try w.committedTasks()
            #expect(tasks.contains("  - [x] 1.1 First step\n    - _writes: a.txt_\n  - [x] 1.2 Second step\n  - [ ]* 1.3 Optional step\n  - [-] 1.4"), "\(tasks)")
            #expect(try git("diff", "--name-only", "HEAD~1", "HEAD", in: w.window) == ".kiro/specs/s/tasks.md\nwork.txt\n")
            #expect(try git("status", "--porcelain", in: w.window).isEmpty)
        }
    }

    @Test("done marks the lost step with the ones it is asked for, and says so in its message")
    func done() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: HookEndToEndTests.tasks)
            let lost = try Self.commitWithoutHooks(w, "first", completes: "1.1")
            let done = try SpecDispatchCLI.run(["done", "1.2"], in: w.window)
            #expect(done.status == 0, "\(done)")
            let tasks = try w.committedTasks()
            #expect(tasks.contains("  - [x] 1.1 First step\n") && tasks.contains("  - [x] 1.2 Second step\n"), "\(tasks)")
            let message = try git("log", "-1", "--format=%B", in: w.window)
            #expect(message.contains("Also marks 1.1 (named in \(lost.prefix(7))) done, whose marks were missing.\n\nCompletes: 1.2\n"), "\(message)")
            #expect(try git("status", "--porcelain", in: w.window).isEmpty)
        }
    }

    @Test("review commits the marks of a unit whose last step lost its marker, then starts the review of that tip")
    func review() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: HookEndToEndTests.tasks)
            #expect(try w.commit("first", trailers: ["Completes: 1.1, 1.2"]).status == 0)
            // The user's own edit in the window, not committed, survives the repair.
            try write("scratch\n", to: "scratch.txt", in: w.window)
            let lost = try Self.commitWithoutHooks(w, "last", completes: "1.4")
            #expect(try w.repo.cli("status").stdout.contains("in progress"))
            let review = try w.repo.cli("review", "1")
            #expect(review.status == 0, "\(review)")
            let tip = try gitValue("rev-parse", "dispatch/s/task-1", in: w.repo.root)
            #expect(try gitValue("rev-parse", "\(tip)~1", in: w.repo.root) == lost, "one commit on top of the lost one")
            let message = try git("log", "-1", "--format=%B", tip, in: w.repo.root)
            #expect(message.hasPrefix("reconcile: mark 1.4 done") && message.contains("1.4 Last step, named in \(lost.prefix(12))"), "\(message)")
            #expect(!message.contains("Completes:"), "a repair is no fix after a rejection")
            #expect(try w.committedTasks().contains("  - [x] 1.4 Last step\n"))
            #expect(try git("status", "--porcelain", in: w.window) == "?? scratch.txt\n", "the window's tasks.md and index follow")
            let log = try git("log", "-1", "--format=%B", "refs/dispatch/reviews/s/task-1", in: w.repo.root)
            #expect(log.contains("Tip: \(tip)"), "\(log)")
            #expect(try w.repo.cli("status").stdout.contains("under review"))
        }
    }

    @Test("doctor names a lost mark and --fix commits it; merge repairs one before it merges")
    func doctorAndMerge() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: HookEndToEndTests.tasks)
            #expect(try w.commit("first", trailers: ["Completes: 1.1, 1.2"]).status == 0)
            _ = try Self.commitWithoutHooks(w, "third", completes: "1.3")
            let doctor = try w.repo.cli("doctor")
            #expect(doctor.status == 8 && doctor.stdout.contains("dispatch/s/task-1 has Completes: trailers for 1.3, not marked [x]"), "\(doctor)")
            #expect(try w.repo.cli("doctor", "--fix").status == 0)
            #expect(try w.committedTasks().contains("  - [x]* 1.3"))
            #expect(try w.repo.cli("doctor").stdout.isEmpty)

            _ = try Self.commitWithoutHooks(w, "last", completes: "1.4")
            let merged = try w.repo.cli("merge", "1")
            #expect(merged.status == 0, "\(merged)")
            #expect(try git("show", "main:\(w.tasksPath)", in: w.repo.root).contains("  - [x] 1.4 Last step\n"))
        }
    }
}
