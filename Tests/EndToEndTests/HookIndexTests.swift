import Foundation
import Testing
import TestSupport

/// After post-commit rewrites HEAD, the index and working file must carry the new marks, however
/// the commit was made: `git commit <paths>` leaves the user's staged tasks.md in the index.
@Suite("hooks keep the index in step: git commit <paths>, -a and --amend")
struct HookIndexTests {
    static let note = "  - [ ] 1.2 Second step\n    - a note on 1.2\n"

    /// Adds a detail line under 1.2 to the window's tasks.md; stages it when asked.
    static func addNote(_ w: WindowFixture, stage: Bool) throws {
        let noted = try w.workingTasks().replacingOccurrences(of: "  - [ ] 1.2 Second step\n", with: Self.note)
        try write(noted, to: w.tasksPath, in: w.window)
        if stage { try git("add", w.tasksPath, in: w.window) }
    }

    @Test("git commit <path> with tasks.md staged: the step is [x] in the commit, the index and the file, the staged note kept; the next commit keeps it")
    func pathspecCommit() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: HookEndToEndTests.tasks)
            try Self.addNote(w, stage: true)
            try write("c\n", to: "c.txt", in: w.window)
            try git("add", "c.txt", in: w.window)
            let result = try Shell.execute(["git", "commit", "-q", "-m", "only c", "--trailer", "Completes: 1.1", "c.txt"], in: w.window)
            #expect(result.status == 0, "\(result)")
            let committed = try w.committedTasks()
            #expect(committed.contains("  - [x] 1.1 First step\n    - _writes: a.txt_\n  - [-] 1.2 Second step\n  - [ ]* 1.3"),
                    "only c.txt and the marks in the commit")
            #expect(try git("diff", "--name-only", "HEAD~1", "HEAD", in: w.window) == ".kiro/specs/s/tasks.md\nc.txt\n")
            // Byte for byte: the staged and working copies are the commit plus the note, nothing else.
            let expected = committed.replacingOccurrences(of: "  - [-] 1.2 Second step\n", with: "  - [-] 1.2 Second step\n    - a note on 1.2\n")
            #expect(try git("show", ":\(w.tasksPath)", in: w.window) == expected)
            #expect(try w.workingTasks() == expected)
            #expect(try git("status", "--porcelain", in: w.window) == "M  .kiro/specs/s/tasks.md\n")

            #expect(try Shell.execute(["git", "commit", "-q", "-m", "the note"], in: w.window).status == 0)
            #expect(try w.committedTasks() == expected, "the plain commit takes the note, and 1.1 stays [x]")
            #expect(try git("status", "--porcelain", in: w.window).isEmpty)
        }
    }

    @Test("git commit -a with a trailer takes the unstaged note along; git commit --amend --trailer marks the step in the amended commit")
    func allAndAmend() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: HookEndToEndTests.tasks)
            try Self.addNote(w, stage: false)
            try write("a\n", to: "a.txt", in: w.window)
            try git("add", "a.txt", in: w.window)
            try write("a, changed\n", to: "a.txt", in: w.window)
            let all = try Shell.execute(["git", "commit", "-q", "-a", "-m", "all", "--trailer", "Completes: 1.1"], in: w.window)
            #expect(all.status == 0, "\(all)")
            let committed = try w.committedTasks()
            #expect(committed.contains("  - [x] 1.1 First step\n    - _writes: a.txt_\n  - [-] 1.2 Second step\n    - a note on 1.2\n"))
            #expect(try git("show", "HEAD:a.txt", in: w.window) == "a, changed\n")
            #expect(try git("status", "--porcelain", in: w.window).isEmpty)

            let count = try w.commitCount()
            let amend = try Shell.execute(["git", "commit", "-q", "--amend", "--no-edit", "--trailer", "Completes: 1.2"], in: w.window)
            #expect(amend.status == 0, "\(amend)")
            #expect(try w.commitCount() == count)
            let amended = try w.committedTasks()
            #expect(amended.contains("  - [x] 1.2 Second step\n    - a note on 1.2\n  - [ ]* 1.3 Optional step\n  - [-] 1.4 Last step\n"))
            #expect(try git("log", "-1", "--format=%B", in: w.window) == "all\n\nCompletes: 1.1\nCompletes: 1.2\n\n")
            #expect(try git("status", "--porcelain", in: w.window).isEmpty)
            #expect(try w.workingTasks() == amended)
        }
    }

    /// `run` stops an agent by its process group: git, the agent and the hook all get SIGTERM.
    /// A hook that died between amending the commit and writing the index left the window with
    /// tasks.md out of step (and, killed inside libgit2's write, an index.lock nothing removes).
    @Test("a post-commit hook sent SIGTERM, with its git, between amending the commit and updating the index finishes its writes first")
    func terminatedHook() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: HookEndToEndTests.tasks)
            try write("a\n", to: "a.txt", in: w.window)
            try git("add", "a.txt", in: w.window)
            _ = try Shell.execute(["git", "commit", "-q", "-m", "a", "--trailer", "Completes: 1.1"], in: w.window,
                                  environment: ["SPEC_DISPATCH_KILL_AT": "hook-amended:TERM"])
            #expect(try w.committedTasks().contains("  - [x] 1.1 First step\n"))
            #expect(try git("status", "--porcelain", in: w.window).isEmpty, "index and working tree carry the commit's tasks.md")
            #expect(try w.workingTasks() == w.committedTasks())
            let gitDir = try git("rev-parse", "--absolute-git-dir", in: w.window).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!FileManager.default.fileExists(atPath: gitDir + "/index.lock"))
        }
    }
}
