import Foundation
import Testing
import TestSupport

/// No command removes a window's work without --force, and --force archives it first: commits
/// on its branch, on a detached HEAD or only in its HEAD's reflog, and uncommitted changes.
@Suite("removing windows keeps their work")
struct WindowRemovalTests {
    static let tasks = """
        - [ ] 1. Unit one
          - [ ] 1.1 First step
        - [ ] 2. Unit two

        """

    /// Every archive ref with its commit.
    static func archives(_ repo: SpecRepository) throws -> [String: String] {
        let lines = try git("for-each-ref", "--format=%(refname) %(objectname)", "refs/dispatch/archive/", in: repo.root)
        return Dictionary(uniqueKeysWithValues: lines.split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            return (String(parts[0]), String(parts[1]))
        })
    }

    /// True when `commit` is reachable from some ref.
    static func isReachable(_ commit: String, in repo: SpecRepository) throws -> Bool {
        try git("rev-list", "--all", in: repo.root).split(separator: "\n").contains(Substring(commit))
    }

    @Test("abandon refuses a window with a commit on a detached HEAD; --force archives it")
    func detachedCommit() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            try git("checkout", "-q", "--detach", in: w.window)
            let detached = try commitFiles(["idea.txt": "an idea\n"], message: "detached work", in: w.window)
            let before = try w.repo.snapshot()
            let refused = try w.repo.cli("abandon", "1")
            #expect(refused.status == 7 && refused.stderr.contains("1 commit that no other branch has (on its detached HEAD"), "\(refused)")
            #expect(try w.repo.snapshot() == before)
            let forced = try w.repo.cli("abandon", "1", "--force")
            #expect(forced.status == 0 && forced.stdout.contains("archived refs/dispatch/archive/s/task-1/"), "\(forced)")
            #expect(Array(try Self.archives(w.repo).values) == [detached])
            #expect(!FileManager.default.fileExists(atPath: w.window))
            try expectFsckClean(w.repo.root)
        }
    }

    @Test("a commit only the window's HEAD reflog still has (checked out away from) counts as work too")
    func reflogOnlyCommit() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            #expect(try w.commit("kept on the branch").status == 0)
            try git("checkout", "-q", "--detach", in: w.window)
            let lost = try commitFiles(["experiment.txt": "try\n"], message: "experiment", in: w.window)
            try git("checkout", "-q", "dispatch/s/task-1", in: w.window)
            try git("merge", "-q", "--ff-only", "dispatch/s/task-1", in: w.repo.root)
            let refused = try w.repo.cli("abandon", "1")
            #expect(refused.status == 7 && refused.stderr.contains("reflog"), "\(refused)")
            #expect(try w.repo.cli("abandon", "1", "--force").status == 0)
            #expect(try Self.isReachable(lost, in: w.repo))
            #expect(try Self.archives(w.repo).keys.contains { $0.hasSuffix("-reflog-1") })
        }
    }

    @Test("the hooks' own amends leave no work behind: a finished window merges and goes without --force")
    func amendsAreNotWork() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            #expect(try w.commit("step one", trailers: ["Completes: 1.1"]).status == 0)
            let merged = try w.repo.cli("merge", "1")
            #expect(merged.status == 0 && !merged.stdout.contains("kept"), "\(merged)")
            #expect(!FileManager.default.fileExists(atPath: w.window))
            #expect(try Self.archives(w.repo).isEmpty)
        }
    }

    @Test("merge leaves a window that is not on its claim branch untouched, keeps it while it holds a detached commit; gc --force archives it")
    func mergeKeepsDetachedWindow() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            #expect(try w.commit("step one", trailers: ["Completes: 1.1"]).status == 0)
            try git("checkout", "-q", "--detach", in: w.window)
            let detached = try commitFiles(["later.txt": "after the review\n"], message: "later idea", in: w.window)
            let windowStatus = try git("status", "--porcelain", in: w.window)
            let merged = try w.repo.cli("merge", "1")
            #expect(merged.status == 0 && merged.stdout.contains("kept: the window of s/1 holds work"), "\(merged)")
            #expect(try git("status", "--porcelain", in: w.window) == windowStatus, "merge wrote into a window not on its branch")
            #expect(try gitValue("rev-parse", "HEAD", in: w.window) == detached)
            let gc = try w.repo.cli("gc")
            #expect(gc.status == 0 && gc.stdout.contains("kept s/1: merged, but the window of s/1 holds work"), "\(gc)")
            let forced = try w.repo.cli("gc", "--force")
            #expect(forced.status == 0 && forced.stdout.contains("archived refs/dispatch/archive/s/task-1/"), "\(forced)")
            #expect(try Self.isReachable(detached, in: w.repo))
            #expect(!FileManager.default.fileExists(atPath: w.window))
        }
    }

    @Test("doctor --fix keeps a locked window whose payload a git clean removed while it holds edits; --force archives them so git stash apply brings them back")
    func doctorKeepsUncommittedWork() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            try git("worktree", "lock", w.window, in: w.repo.root)
            try write("# edited\n", to: "README.md", in: w.window)
            try write("new work\n", to: "new.txt", in: w.window)
            try git("clean", "-q", "-fdX", in: w.window)
            #expect(!FileManager.default.fileExists(atPath: w.window + "/.dispatch"))
            let fixed = try w.repo.cli("doctor", "--fix")
            #expect(fixed.status == 8 && fixed.stdout.contains("not repaired — the window of s/1 holds work"), "\(fixed)")
            #expect(try Self.content("new.txt", w.window) == "new work\n")
            #expect(try Self.content("README.md", w.window) == "# edited\n")

            let forced = try w.repo.cli("doctor", "--fix", "--force")
            #expect(forced.status == 0, "\(forced)")
            #expect(!FileManager.default.fileExists(atPath: w.window))
            let snapshot = try #require(try Self.archives(w.repo).first { $0.key.hasSuffix("-uncommitted") })
            try git("stash", "apply", "-q", snapshot.value, in: w.repo.root)
            #expect(try Self.content("new.txt", w.repo.root) == "new work\n")
            #expect(try Self.content("README.md", w.repo.root) == "# edited\n")
        }
    }

    @Test("doctor --fix restores a deleted claim branch at the commit its detached window holds, and keeps the window")
    func doctorRestoresDetachedBranch() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            #expect(try w.commit("work").status == 0)
            try git("checkout", "-q", "--detach", in: w.window)
            let head = try gitValue("rev-parse", "HEAD", in: w.window)
            try git("branch", "-q", "-D", "dispatch/s/task-1", in: w.repo.root)
            let doctor = try w.repo.cli("doctor")
            #expect(doctor.status == 8 && doctor.stdout.contains("restore dispatch/s/task-1 at \(head.prefix(7))"), "\(doctor)")
            #expect(try w.repo.cli("doctor", "--fix").status == 0)
            #expect(try gitValue("rev-parse", "dispatch/s/task-1", in: w.repo.root) == head)
            #expect(FileManager.default.fileExists(atPath: w.window + "/work.txt"))
            #expect(try w.repo.cli("doctor").stdout.isEmpty)
        }
    }

    @Test("gc --force archives the commits of a window whose claim branch was deleted by hand; gc alone keeps it")
    func gcArchivesOrphanedWork() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            #expect(try w.commit("work one").status == 0)
            #expect(try w.commit("work two").status == 0)
            let tip = try gitValue("rev-parse", "HEAD", in: w.window)
            try git("update-ref", "-d", "refs/heads/dispatch/s/task-1", in: w.repo.root)
            let kept = try w.repo.cli("gc")
            #expect(kept.status == 0 && kept.stdout.contains("kept \(w.window): no claim branch, and the window of s/1 holds work"), "\(kept)")
            #expect(FileManager.default.fileExists(atPath: w.window))
            let forced = try w.repo.cli("gc", "--force")
            #expect(forced.status == 0 && forced.stdout.contains("abandoned window removed"), "\(forced)")
            let archived = try Self.archives(w.repo)
            #expect(archived.values.contains(tip), "\(archived)")
            #expect(!FileManager.default.fileExists(atPath: w.window))
            try expectFsckClean(w.repo.root)
        }
    }

    static func content(_ path: String, _ root: String) throws -> String {
        try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    }
}
