import Foundation
import Testing
import TestSupport

/// The binary carries its templates and hooks, and the hooks find it wherever it went.
@Suite("a binary that works wherever it is put")
struct PortableBinaryTests {
    /// The environment of a user with no Templates folder anywhere: `bin` alone added to PATH.
    static func environment(path bin: String) -> [String: String] {
        ["PATH": "\(bin):/usr/local/bin:/usr/bin:/bin", "SPEC_DISPATCH_TEMPLATES": ""]
    }

    @Test("copied alone to a folder, it runs init and next; moved afterwards, a trailer commit in the window still marks its step, found on PATH")
    func copiedThenMoved() throws {
        try withTemporaryDirectory { root in
            let first = root + "/first", second = root + "/second"
            for folder in [first, second] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try FileManager.default.copyItem(atPath: SpecDispatchCLI.path, toPath: first + "/spec-dispatch")
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. Feature\n  - [ ] 1.1 Build it\n  - [ ] 1.2 Test it\n"])
            let initialized = try Shell.execute([first + "/spec-dispatch", "init"], in: repo.root, environment: Self.environment(path: "/nonexistent"))
            #expect(initialized.status == 0, "\(initialized)")
            let next = try Shell.execute([first + "/spec-dispatch", "next"], in: repo.root, environment: Self.environment(path: "/nonexistent"))
            #expect(next.status == 0, "\(next)")
            let window = next.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let prompt = try String(contentsOfFile: window + "/.dispatch/prompt.md", encoding: .utf8)
            #expect(prompt.hasPrefix("# Unit 1: Feature"), "the built-in template: \(prompt)")

            try FileManager.default.moveItem(atPath: first + "/spec-dispatch", toPath: second + "/spec-dispatch")
            try write("work\n", to: "work.txt", in: window)
            try git("add", "work.txt", in: window)
            let commit = try Shell.execute(["git", "commit", "-q", "-m", "Build it", "--trailer", "Completes: 1.1"], in: window,
                                           environment: Self.environment(path: second))
            #expect(commit.status == 0, "\(commit)")
            #expect(try git("show", "HEAD:.kiro/specs/s/tasks.md", in: window).contains("- [x] 1.1 Build it"))
        }
    }

    @Test("with the binary nowhere, a window's commit goes through, saying in one line that its steps were not marked; the next one with the binary marks them")
    func binaryGone() throws {
        try withTemporaryDirectory { root in
            let bin = root + "/bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: SpecDispatchCLI.path, toPath: bin + "/spec-dispatch")
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. Feature\n  - [ ] 1.1 Build it\n  - [ ] 1.2 Test it\n"])
            #expect(try Shell.execute([bin + "/spec-dispatch", "init"], in: repo.root, environment: Self.environment(path: bin)).status == 0)
            let window = try Shell.execute([bin + "/spec-dispatch", "next"], in: repo.root, environment: Self.environment(path: bin))
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try FileManager.default.moveItem(atPath: bin + "/spec-dispatch", toPath: root + "/spec-dispatch.moved")
            try write("work\n", to: "work.txt", in: window)
            try git("add", "work.txt", in: window)
            let commit = try Shell.execute(["git", "commit", "-q", "-m", "Build it", "--trailer", "Completes: 1.1"], in: window,
                                           environment: Self.environment(path: "/nonexistent"))
            #expect(commit.status == 0, "\(commit)")
            #expect(commit.stderr.split(separator: "\n").count == 1 && commit.stderr.contains("not found on PATH nor at \(bin)/spec-dispatch"),
                    "one line: \(commit)")
            #expect(try git("show", "HEAD:.kiro/specs/s/tasks.md", in: window).contains("- [-] 1.1 Build it"))

            try FileManager.default.moveItem(atPath: root + "/spec-dispatch.moved", toPath: bin + "/spec-dispatch")
            try write("more\n", to: "work.txt", in: window)
            try git("add", "work.txt", in: window)
            let next = try Shell.execute(["git", "commit", "-q", "-m", "Test it", "--trailer", "Completes: 1.2"], in: window,
                                         environment: Self.environment(path: bin))
            #expect(next.status == 0, "\(next)")
            let tasks = try git("show", "HEAD:.kiro/specs/s/tasks.md", in: window)
            #expect(tasks.contains("- [x] 1.1 Build it") && tasks.contains("- [x] 1.2 Test it"), "the trailer of the first commit is the record: \(tasks)")
        }
    }

    @Test("with the binary gone, the tasks.md merge driver falls back to git's line merge: both sides stay, with markers")
    func mergeDriverWithoutBinary() throws {
        try withTemporaryDirectory { root in
            let bin = root + "/bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: SpecDispatchCLI.path, toPath: bin + "/spec-dispatch")
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n"])
            #expect(try Shell.execute([bin + "/spec-dispatch", "init"], in: repo.root, environment: Self.environment(path: bin)).status == 0)
            try FileManager.default.removeItem(atPath: bin + "/spec-dispatch")
            let path = ".kiro/specs/s/tasks.md"
            try git("checkout", "-q", "-b", "other", in: repo.root)
            try write("- [ ] 1. A, renamed there\n- [ ] 2. B\n", to: path, in: repo.root)
            try git("commit", "-q", "-am", "there", in: repo.root)
            try git("checkout", "-q", "main", in: repo.root)
            try write("- [ ] 1. A, renamed here\n- [ ] 2. B\n", to: path, in: repo.root)
            try git("commit", "-q", "-am", "here", in: repo.root)
            let merge = try Shell.execute(["git", "merge", "-q", "other"], in: repo.root, environment: Self.environment(path: "/nonexistent"))
            #expect(merge.status != 0, "\(merge)")
            let file = try String(contentsOfFile: repo.root + "/" + path, encoding: .utf8)
            #expect(file.contains("<<<<<<<") && file.contains("renamed here") && file.contains("renamed there"), "\(file)")
        }
    }

    @Test("SPEC_DISPATCH_TEMPLATES may name a templates folder of any name")
    func templatesFolderOfAnyName() throws {
        try withTemporaryDirectory { root in
            let folder = root + "/MyTemplates"
            try FileManager.default.copyItem(atPath: SpecDispatchCLI.templates, toPath: folder)
            try write("{{% CONTENT_TYPE: TEXT }}\nCustom prompt for {{unit.id}}\n", to: "prompts/unit.md.mustache", in: folder)
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n"])
            let next = try SpecDispatchCLI.run(["next"], in: repo.root, environment: ["SPEC_DISPATCH_TEMPLATES": folder])
            #expect(next.status == 0, "\(next)")
            let window = next.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try String(contentsOfFile: window + "/.dispatch/prompt.md", encoding: .utf8) == "Custom prompt for 1\n")
        }
    }

    @Test("git's pathspec variables do not let a window's commit past the tasks.md check")
    func pathspecVariables() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: "- [ ] 1. A\n  - [ ] 1.1 Do\n- [ ] 2. B\n  - [ ] 2.1 Other\n")
            for variable in ["GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"] {
                try write(try w.workingTasks().replacingOccurrences(of: "- [ ] 2.1", with: "- [x] 2.1"), to: w.tasksPath, in: w.window)
                try git("add", "-A", in: w.window)
                let commit = try Shell.execute(["git", "commit", "-q", "-m", "x"], in: w.window, environment: [variable: "1"])
                #expect(commit.status != 0 && commit.stderr.contains("changes tasks of other units"), "\(variable): \(commit)")
                try git("reset", "-q", "--hard", in: w.window)
            }
        }
    }

    @Test("a window's commit may not give its spec's name a second tasks.md; the commit that takes such a second one away goes through")
    func specNameClashInWindow() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: "- [ ] 1. A\n  - [ ] 1.1 Do\n")
            try write("- [ ] 1. Other\n", to: "specs/s/tasks.md", in: w.window)
            try git("add", "-A", in: w.window)
            let clash = try Shell.execute(["git", "commit", "-q", "-m", "x"], in: w.window)
            #expect(clash.status != 0 && clash.stderr.contains("gives spec name 's' a second tasks.md"), "\(clash)")
            try git("commit", "-q", "--no-verify", "-m", "forced", in: w.window)
            try git("rm", "-q", "specs/s/tasks.md", in: w.window)
            let removal = try Shell.execute(["git", "commit", "-q", "-m", "take it away"], in: w.window)
            #expect(removal.status == 0, "\(removal)")
            #expect(try w.commit("do it", trailers: ["Completes: 1.1"]).status == 0)
            #expect(try w.committedTasks().contains("- [x] 1.1 Do"))
        }
    }
}
