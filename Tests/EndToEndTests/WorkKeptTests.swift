import Foundation
import Testing
import TestSupport

/// The ways a hostile read of `merge`, `abandon`, `gc` and `doctor` found to lose work, each
/// kept as a test: the work stays, or the command refuses and says why.
@Suite("work is kept wherever it hides")
struct WorkKeptTests {
    static let tasks = "- [ ] 1. One\n  - [ ] 1.1 A\n- [ ] 2. Two\n  - [ ] 2.1 B\n"

    static func unreachable(_ commit: String, in root: String) throws -> Bool {
        !(try git("rev-list", "--all", in: root).split(separator: "\n").contains(Substring(commit)))
    }

    @Test("work amended into the dispatch commit is work: abandon refuses, --force archives it")
    func amendedDispatchCommit() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            try write("IMPORTANT\n", to: "work.txt", in: w.window)
            try git("add", "work.txt", in: w.window)
            try git("commit", "-q", "--amend", "--no-edit", in: w.window)
            let amended = try gitValue("rev-parse", "HEAD", in: w.window)
            let refused = try w.repo.cli("abandon", "1")
            #expect(refused.status == 7 && refused.stderr.contains("1 commit that no other branch has"), "\(refused)")
            #expect(try w.repo.cli("abandon", "1", "--force").status == 0)
            #expect(!(try Self.unreachable(amended, in: w.repo.root)))
        }
    }

    @Test("a repository made inside a window, even an ignored one, keeps its commits: refused, and kept aside when forced")
    func nestedRepository() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks], extraFiles: [".gitignore": "vendor/\n"])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let window = try repo.cli("next", "1").stdout.trimmingCharacters(in: .newlines)
            try makeRepository(at: window + "/vendor/lib", files: ["patch.txt": "my patch\n"])
            let commit = try gitValue("rev-parse", "HEAD", in: window + "/vendor/lib")
            let refused = try repo.cli("abandon", "1")
            #expect(refused.status == 7 && refused.stderr.contains("the repository vendor/lib in it, with 1 commit no remote has"), "\(refused)")
            #expect(FileManager.default.fileExists(atPath: window + "/vendor/lib/patch.txt"))
            let forced = try repo.cli("abandon", "1", "--force")
            #expect(forced.status == 0, "\(forced)")
            let kept = try #require(forced.stdout.split(separator: "\n").first { $0.hasPrefix("archived ") && $0.hasSuffix("/vendor/lib") })
            let keptPath = String(kept.dropFirst("archived ".count))
            #expect(try gitValue("rev-parse", "HEAD", in: keptPath) == commit)
        }
    }

    @Test("a submodule's commits, whose git folder lives in the window's admin folder, survive merge and abandon")
    func submoduleCommits() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root + "/sub", files: ["s.txt": "s\n"])
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            try git("-c", "protocol.file.allow=always", "submodule", "add", "-q", root + "/sub", "sub", in: repo.root)
            try git("commit", "-q", "-m", "add sub", in: repo.root)
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let window = try repo.cli("next", "1").stdout.trimmingCharacters(in: .newlines)
            try git("-c", "protocol.file.allow=always", "submodule", "update", "--init", "-q", in: window)
            let unpushed = try commitFiles(["new.txt": "unpushed\n"], message: "unpushed", in: window + "/sub")
            try git("add", "sub", in: window)
            try git("commit", "-q", "-m", "bump", "--trailer", "Completes: 1.1", in: window)
            let merged = try repo.cli("merge", "1")
            #expect(merged.status == 0 && merged.stdout.contains("kept: the window of s/1 holds work"), "\(merged)")
            #expect(FileManager.default.fileExists(atPath: window), "the window with the submodule's only copy of \(unpushed) stays")
            let forced = try repo.cli("gc", "--force")
            #expect(forced.status == 0 && forced.stdout.contains("/spec-dispatch/kept/"), "\(forced)")
            let kept = try #require(forced.stdout.split(separator: "\n").first { $0.contains("/spec-dispatch/kept/") })
            let gitDir = String(kept.dropFirst("archived ".count))
            #expect(try gitValue("--git-dir=" + gitDir, "cat-file", "-t", unpushed, in: root) == "commit")
        }
    }

    @Test("gc and doctor leave alone a worktree of the user's under the windows folder")
    func userWorktreeUnderWindowsFolder() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks], extraFiles: [".gitignore": ".env\n"])
            try git("config", "dispatch.worktreeDir", "../wt", in: repo.root)
            try git("branch", "feature", in: repo.root)
            try git("worktree", "add", "-q", root + "/wt/feature", "feature", in: repo.root)
            try write("SECRET\n", to: ".env", in: root + "/wt/feature")
            _ = try repo.cli("next", "1")
            #expect(try repo.cli("gc").status == 0)
            let doctor = try repo.cli("doctor", "--fix")
            #expect(doctor.status == 0 && !doctor.stdout.contains("wt/feature"), "\(doctor)")
            #expect(try String(contentsOfFile: root + "/wt/feature/.env", encoding: .utf8) == "SECRET\n")
        }
    }

    @Test("abandon refuses to delete a claim branch the main working tree has checked out")
    func claimCheckedOutInMain() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            try FileManager.default.removeItem(atPath: w.window)
            try git("worktree", "prune", in: w.repo.root)
            try git("checkout", "-q", "dispatch/s/task-1", in: w.repo.root)
            let refused = try w.repo.cli("abandon", "1", "--force")
            #expect(refused.status == 7 && refused.stderr.contains("is checked out in the main working tree"), "\(refused)")
            #expect(try gitValue("rev-parse", "--abbrev-ref", "HEAD", in: w.repo.root) == "dispatch/s/task-1")
            #expect(try gitValue("rev-parse", "--verify", "-q", "refs/heads/dispatch/s/task-1", in: w.repo.root).count == 40)
        }
    }

    @Test("a commit reset away is work even when a later one has its author, second and message")
    func lookAlikeCommit() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            let date = ["GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z"]
            try write("important\n", to: "a.txt", in: w.window)
            try git("add", "a.txt", in: w.window)
            try git("commit", "-q", "-m", "Implement A", "--trailer", "Completes: 1.1", in: w.window, environment: date)
            let first = try gitValue("rev-parse", "HEAD", in: w.window)
            try git("reset", "-q", "--hard", "HEAD~", in: w.window)
            try write("different\n", to: "b.txt", in: w.window)
            try git("add", "b.txt", in: w.window)
            try git("commit", "-q", "-m", "Implement A", "--trailer", "Completes: 1.1", in: w.window, environment: date)
            let merged = try w.repo.cli("merge", "1")
            #expect(merged.status == 0 && merged.stdout.contains("kept:"), "\(merged)")
            #expect(!(try Self.unreachable(first, in: w.repo.root)) || FileManager.default.fileExists(atPath: w.window),
                    "the reset-away commit is kept, in the window's reflog or archived")
            #expect(try w.repo.cli("gc", "--force").status == 0)
            #expect(!(try Self.unreachable(first, in: w.repo.root)))
        }
    }

    @Test("the staged changes of a window moved away by hand are kept: refused, archived when forced")
    func movedWindowStagedChanges() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            try write("staged\n", to: "notes.txt", in: w.window)
            try git("add", "notes.txt", in: w.window)
            try FileManager.default.moveItem(atPath: w.window, toPath: root + "/moved")
            let refused = try w.repo.cli("abandon", "1")
            #expect(refused.status == 7 && refused.stderr.contains("staged changes in the index of a window whose folder is gone (notes.txt)"), "\(refused)")
            let forced = try w.repo.cli("abandon", "1", "--force")
            #expect(forced.status == 0 && forced.stdout.contains("-index"), "\(forced)")
            let index = try #require(forced.stdout.split(separator: "\n").first { $0.hasSuffix("-index") }).dropFirst("archived ".count)
            #expect(try git("show", "\(index):notes.txt", in: w.repo.root) == "staged\n")
        }
    }

    @Test("merge refuses while its base branch is checked out in a worktree git cannot reach")
    func baseInUnreachableWorktree() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            #expect(try w.commit("work", trailers: ["Completes: 1.1"]).status == 0)
            try git("checkout", "-q", "--detach", in: w.repo.root)
            try git("worktree", "add", "-q", root + "/mainwt", "main", in: w.repo.root)
            try FileManager.default.moveItem(atPath: root + "/mainwt", toPath: root + "/moved")
            let before = try gitValue("rev-parse", "main", in: w.repo.root)
            let refused = try w.repo.cli("merge", "1")
            #expect(refused.status == 7 && refused.stderr.contains("main is checked out in \(root)/mainwt, which is gone or moved"), "\(refused)")
            #expect(try gitValue("rev-parse", "main", in: w.repo.root) == before)
        }
    }

    @Test("merge run from a window refuses when the main working tree, which has the base checked out, cannot be found from there")
    func separateGitDirectory() throws {
        try withTemporaryDirectory { root in
            try FileManager.default.createDirectory(atPath: root + "/repo", withIntermediateDirectories: true)
            try git("init", "-q", "-b", "main", "--separate-git-dir=\(root)/gitdir", root + "/repo", in: root)
            try write(Self.tasks, to: ".kiro/specs/s/tasks.md", in: root + "/repo")
            try git("add", "-A", in: root + "/repo")
            try git("commit", "-q", "-m", "init", in: root + "/repo")
            try SpecDispatchCLI.succeed(["init"], in: root + "/repo")
            let window = try SpecDispatchCLI.succeed(["next", "1"], in: root + "/repo").trimmingCharacters(in: .newlines)
            try write("unit\n", to: "work.txt", in: window)
            try git("add", "work.txt", in: window)
            try git("commit", "-q", "-m", "work", "--trailer", "Completes: 1.1", in: window)
            let main = try gitValue("rev-parse", "main", in: root + "/repo")
            let refused = try SpecDispatchCLI.run(["merge", "1"], in: window)
            #expect(refused.status == 7 && refused.stderr.contains("main is checked out in the main working tree (run this from it)"), "\(refused)")
            #expect(try gitValue("rev-parse", "main", in: root + "/repo") == main)
            let merged = try SpecDispatchCLI.run(["merge", "1"], in: root + "/repo")
            #expect(merged.status == 0, "\(merged)")
            #expect(try git("status", "--porcelain", in: root + "/repo").isEmpty)
        }
    }
}
