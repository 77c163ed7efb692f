import Foundation
import Testing
import TestSupport

/// Every refusal of `next` is a clear error with its exit code, and leaves the repository and
/// the file system exactly as they were.
@Suite("next refuses bad input, writing nothing")
struct NextBadInputTests {
    /// Refs, worktrees, status, and every file under the temporary root (windows folder included).
    static func snapshot(_ repo: SpecRepository, root: String) throws -> String {
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { !$0.contains("/.git/") && !$0.hasPrefix("repo/.git") }.sorted()
        return try repo.snapshot() + files.joined(separator: "\n")
    }

    @Test("an unknown spec exits 3")
    func unknownSpec() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n"])
            let before = try Self.snapshot(repo, root: root)
            let result = try repo.cli("next", "--spec", "nope")
            #expect(result.status == 3 && result.stderr == "error: no spec named 'nope' in .kiro/specs or specs at main (known: s)\n", "\(result)")
            #expect(try Self.snapshot(repo, root: root) == before)
        }
    }

    @Test("a spec given by a path outside dispatch.specsDir exits 2 with a hint; set there, it dispatches")
    func specOutsideSpecsDirectory() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: [:], extraFiles: ["plans/x/tasks.md": "- [ ] 1. A\n"])
            let before = try Self.snapshot(repo, root: root)
            let result = try repo.cli("next", "--spec", "plans/x")
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr == "error: cannot dispatch from plans/x/tasks.md: it is not in the specs folders (.kiro/specs or specs)\n"
                + "hint: `git config dispatch.specsDir plans` dispatches the specs there\n", "\(result)")
            #expect(try Self.snapshot(repo, root: root) == before)
            #expect(try repo.cli("status", "--spec", "plans/x").status == 0)

            try git("config", "dispatch.specsDir", "plans", in: repo.root)
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let dispatched = try repo.cli("next", "--spec", "plans/x")
            #expect(dispatched.stdout == root + "/repo.dispatch/x/task-1\n", "\(dispatched)")
            try write("done\n", to: "a.txt", in: root + "/repo.dispatch/x/task-1")
            try git("add", "a.txt", in: root + "/repo.dispatch/x/task-1")
            try git("commit", "-qm", "a", "--trailer", "Completes: 1", in: root + "/repo.dispatch/x/task-1")
            #expect(try git("show", "dispatch/x/task-1:plans/x/tasks.md", in: repo.root) == "- [x] 1. A\n")
        }
    }

    @Test("an invalid tasks.md exits 2 with its diagnostics")
    func invalidTasks() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 1. B\n- [ ] 2. C\n"])
            let before = try Self.snapshot(repo, root: root)
            let result = try repo.cli("next")
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr == "error: tasks.md has errors; fix them before dispatching\n.kiro/specs/s/tasks.md:2: error: duplicate task id 1 (first at line 1)\n")
            #expect(try Self.snapshot(repo, root: root) == before)
        }
    }

    @Test("a dirty main working tree is no obstacle, and stays as it was")
    func dirtyBaseNotRequired() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n"])
            try write("- [x] 1. A edited by hand\n", to: ".kiro/specs/s/tasks.md", in: repo.root)
            try write("scratch\n", to: "scratch.txt", in: repo.root)
            let status = try git("status", "--porcelain", in: repo.root)
            let result = try repo.cli("next")
            #expect(result.status == 0, "\(result)")
            #expect(try git("status", "--porcelain", in: repo.root) == status)
            #expect(try git("show", "dispatch/s/task-1:.kiro/specs/s/tasks.md", in: repo.root) == "- [-] 1. A\n", "dispatched from the commit")
        }
    }

    @Test("a window path that exists and is not ours exits 7")
    func pathTaken() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n"])
            try write("mine\n", to: "repo.dispatch/s/task-1/keep.txt", in: root)
            let before = try Self.snapshot(repo, root: root)
            let result = try repo.cli("next")
            #expect(result.status == 7, "\(result)")
            #expect(result.stderr.hasPrefix("error: cannot open a window for unit 1: \(root)/repo.dispatch/s/task-1 exists and is not a window of this repository\n"))
            #expect(try Self.snapshot(repo, root: root) == before)
            #expect(try String(contentsOfFile: root + "/repo.dispatch/s/task-1/keep.txt", encoding: .utf8) == "mine\n")
        }
    }

    @Test("a spec name unsafe in a branch or folder name exits 2", arguments: ["has space", "-dash", "a..b", "x.lock"])
    func unsafeSpecName(name: String) throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: [name: "- [ ] 1. A\n"])
            let before = try Self.snapshot(repo, root: root)
            let result = try repo.cli("next")
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("spec name '\(name)' cannot be used in a branch name or folder"), "\(result)")
            #expect(try Self.snapshot(repo, root: root) == before)
        }
    }

    @Test("a unit argument that is not a unit id exits 2, and abandon refuses it too", arguments: ["../../etc", "1/../2", "refs/heads/main", "--"])
    func unsafeUnitArgument(argument: String) throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n"])
            let before = try Self.snapshot(repo, root: root)
            let next = try repo.cli("next", "--", argument)
            #expect(next.status == 2 || next.status == 3, "\(next)")
            #expect(next.stderr.hasPrefix("error: "), "\(next)")
            let abandon = try repo.cli("abandon", "--", argument)
            #expect(abandon.status == 2 || abandon.status == 3, "\(abandon)")
            #expect(try Self.snapshot(repo, root: root) == before)
        }
    }

    @Test("windows go only under dispatch.worktreeDir")
    func configuredFolder() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n"])
            try git("config", "dispatch.worktreeDir", root + "/windows", in: repo.root)
            let result = try repo.cli("next", "--count", "2")
            #expect(result.stdout == "\(root)/windows/s/task-1\n\(root)/windows/s/task-2\n", "\(result)")
            #expect(!FileManager.default.fileExists(atPath: root + "/repo.dispatch"))
        }
    }
}
