import Foundation
import Testing
import TestSupport

/// Every bad input gets `path:line: what is wrong`, a distinct exit code, and nothing written.
@Suite("bad input, end to end")
struct BadInputEndToEndTests {
    static let cases: [(name: String, tasks: String, line: Int, message: String)] = [
        ("duplicate id", "- [ ] 1. A\n- [ ] 2. B\n- [ ] 1. A again\n", 3, "duplicate task id 1 (first at line 1)"),
        ("missing dependency", "- [ ] 1. A\n  - depends on: 9\n", 2, "task 1 depends on 9, which does not exist"),
        ("dependency cycle", "- [ ] 1. A\n  - depends on: 2\n- [ ] 2. B\n  - depends on: 1\n", 1, "dependency cycle: 1 → 2 → 1"),
        ("subtask without parent", "- [ ] 1. A\n- [ ] 3.1 orphan\n", 2, "subtask 3.1 has no parent: 3 is neither a task nor a numbered heading"),
        ("malformed task line", "- [ ] 1. A\n- [q] 2. B\n", 2, "task 2 has an unknown status marker '[q]' (use [ ], [x], [-] or [~])"),
        ("unknown criticality", "- [ ] 1. A\n  - _criticality: urgent_\n", 2, "unknown criticality 'urgent' for task 1 (use standard, complex or security-sensitive)"),
        ("no task ids", "# Tasks\n\n- [ ] Set up the project\n- [ ] Write the parser\n", 3,
         "no task ids found: number the tasks, as in '- [ ] 1. Title' and '- [ ] 1.1 Step' (or Spec Kit's '- [ ] T001 Title')"),
    ]

    @Test("validate, status and ready report each error as path:line: and exit 2, writing nothing",
          arguments: cases.indices)
    func errorsExitTwo(index: Int) throws {
        let bad = Self.cases[index]
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": bad.tasks])
            let before = try repo.snapshot()
            let expected = ".kiro/specs/s/tasks.md:\(bad.line): error: \(bad.message)"
            let validate = try repo.cli("validate")
            #expect(validate.status == 2, "\(bad.name): \(validate)")
            #expect(validate.stdout.split(separator: "\n").map(String.init).contains(expected), "\(bad.name): \(validate)")
            for command in ["status", "ready"] {
                let result = try repo.cli(command)
                #expect(result.status == 2, "\(bad.name) \(command): \(result)")
                #expect(result.stderr.contains(expected), "\(bad.name) \(command): \(result)")
            }
            let json = try repo.cli("validate", "--json")
            #expect(json.status == 2 && json.stdout.contains("\"valid\":false"))
            #expect(try repo.snapshot() == before)
        }
    }

    @Test("a tasks.md that is not UTF-8 is an error with its line, not a crash")
    func notUTF8() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": "placeholder\n"])
            try write(Array("- [ ] 1. A\n- [ ] 2. caf".utf8) + [0xE9, 0x0A], to: ".kiro/specs/s/tasks.md", in: root)
            try git("commit", "-qam", "latin-1", in: root)
            let before = try repo.snapshot()
            for command in ["validate", "status", "ready"] {
                let result = try repo.cli(command)
                #expect(result.status == 2, "\(command): \(result)")
                #expect((result.stdout + result.stderr).contains(".kiro/specs/s/tasks.md:2: error: file is not valid UTF-8 (byte 0xE9 at column 13)"), "\(result)")
            }
            #expect(try repo.snapshot() == before)
        }
    }

    @Test("a tasks.md committed as a symbolic link is refused with a clear error by every command that reads it, writing nothing; other specs still dispatch")
    func symbolicLink() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": "- [ ] 1. A\n", "a": "- [ ] 1. Other\n"])
            try write("- [ ] 1. A\n- [ ] 2. B\n", to: "plans/tasks.md", in: root)
            try FileManager.default.removeItem(atPath: root + "/.kiro/specs/s/tasks.md")
            try FileManager.default.createSymbolicLink(atPath: root + "/.kiro/specs/s/tasks.md", withDestinationPath: "../../../plans/tasks.md")
            try git("add", "-A", in: root)
            try git("commit", "-qm", "tasks.md is a link", in: root)
            let before = try repo.snapshot()
            for command in ["validate", "status", "ready", "next"] {
                let result = try repo.cli(command)
                #expect(result.status == 2, "\(command): \(result)")
                #expect(result.stderr.contains(".kiro/specs/s/tasks.md: is a symbolic link; spec-dispatch edits tasks.md's marks in place, so it must be a regular file"),
                        "\(command): \(result)")
            }
            #expect(try repo.snapshot() == before)
            let other = try repo.cli("next", "--spec", "a")
            #expect(other.status == 0, "the link in spec s does not stop spec a: \(other)")
        }
    }

    @Test("warnings alone do not fail validation")
    func warningsOnly() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": "- [ ] 1. A\n- [ ] an acceptance item\n"])
            let result = try repo.cli("validate")
            #expect(result.status == 0)
            #expect(result.stdout == ".kiro/specs/s/tasks.md:2: warning: checkbox without a task id is not a task\n")
        }
    }

    @Test("validate checks the working tree by default and a commit with --rev")
    func workingTreeOrRevision() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": "- [ ] 1. A\n"])
            try write("- [ ] 1. A\n- [ ] 1. again\n", to: ".kiro/specs/s/tasks.md", in: root)
            #expect(try repo.cli("validate").status == 2)
            let committed = try repo.cli("validate", "--rev", "HEAD")
            #expect(committed.status == 0 && committed.stdout.isEmpty, "\(committed)")
            #expect(try repo.cli("validate", "--rev", "no-such-rev").status == 1)
        }
    }

    @Test("not found: outside a repository, unknown spec, no specs, base without commits (exit 3)")
    func notFound() throws {
        try withTemporaryDirectory { root in
            let outside = try SpecDispatchCLI.run(["status"], in: root)
            #expect(outside.status == 3 && outside.stderr.hasPrefix("error: not a git repository"), "\(outside)")
            let repo = try SpecRepository(in: root + "/r", specs: ["alpha": "- [ ] 1. A\n"])
            let unknown = try repo.cli("status", "--spec", "beta")
            #expect(unknown.status == 3)
            #expect(unknown.stderr == "error: no spec named 'beta' in .kiro/specs or specs at main (known: alpha)\n")
            try makeRepository(at: root + "/empty")
            let none = try SpecDispatchCLI.run(["ready"], in: root + "/empty")
            #expect(none.status == 3 && none.stderr.contains("no specs: no .kiro/specs/*/tasks.md or specs/*/tasks.md in main"), "\(none)")
            try git("init", "-q", "-b", "main", root + "/unborn", in: root)
            let unborn = try SpecDispatchCLI.run(["status"], in: root + "/unborn")
            #expect(unborn.status == 3 && unborn.stderr.contains("the base branch 'main' has no commits yet"), "\(unborn)")
        }
    }

    @Test("an invalid dispatch setting exits 2 naming the key")
    func badSetting() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": "- [~] 1. A\n"])
            try git("config", "dispatch.tilde", "sometimes", in: root)
            let result = try repo.cli("status")
            #expect(result.status == 2)
            #expect(result.stderr == "error: bad value 'sometimes' for dispatch.tilde (use queued or blocked)\n")
            try git("config", "dispatch.tilde", "blocked", in: root)
            #expect(try repo.cli("ready", "--verbose").stdout.contains("blocked: 1"))
            try git("config", "dispatch.maxWindows", "many", in: root)
            let cap = try repo.cli("status")
            #expect(cap.status == 2 && cap.stderr.contains("dispatch.maxWindows"), "\(cap)")
        }
    }
}
