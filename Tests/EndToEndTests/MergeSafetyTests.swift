import Foundation
import Testing
import TestSupport

/// `merge` checks everything that can refuse before it writes anything, and refuses as
/// `git merge` does when it would overwrite the user's files in the base's working tree.
@Suite("merge keeps the user's files and the plan's other units")
struct MergeSafetyTests {
    static let tasks = """
        - [ ] 1. Unit one
        - [ ] 2. Unit two
        - [ ] 3. Unit three

        """

    /// Unit 1 dispatched, its window committing `files` and completing it.
    static func unitAdding(_ files: [String: String], in root: String) throws -> WindowFixture {
        let w = try WindowFixture(in: root, tasks: tasks, unit: "1")
        for (path, content) in files { try write(content, to: path, in: w.window) }
        try git("add", "-A", in: w.window)
        try git("commit", "-q", "-m", "unit one's work", "--trailer", "Completes: 1", in: w.window)
        return w
    }

    static func content(_ path: String, in root: String) throws -> String {
        try String(contentsOfFile: root + "/" + path, encoding: .utf8)
    }

    @Test("an untracked file where the unit adds one, or inside a folder it adds to, is refused with exit 7 and kept")
    func untrackedFileInTheWay() throws {
        try withTemporaryDirectory { root in
            let w = try Self.unitAdding(["newdir/config.json": "{\"unit\": 1}\n"], in: root)
            try write("{\"mine\": true}\n", to: "newdir/config.json", in: w.repo.root)
            try write("other\n", to: "newdir/other.txt", in: w.repo.root)
            let before = try w.repo.snapshot()
            let refused = try w.repo.cli("merge", "1")
            #expect(refused.status == 7, "\(refused)")
            #expect(refused.stderr.contains("untracked files in the way: newdir/config.json"), "\(refused)")
            #expect(try w.repo.snapshot() == before)
            #expect(try Self.content("newdir/config.json", in: w.repo.root) == "{\"mine\": true}\n")
            // Without the clashing file, the unit's file joins the user's folder.
            try FileManager.default.removeItem(atPath: w.repo.root + "/newdir/config.json")
            #expect(try w.repo.cli("merge", "1").status == 0)
            #expect(try Self.content("newdir/other.txt", in: w.repo.root) == "other\n")
            #expect(try git("status", "--porcelain", in: w.repo.root) == "?? newdir/other.txt\n")
        }
    }

    @Test("an untracked folder where the unit adds a file of that name is refused, the folder kept whole")
    func untrackedFolderInTheWay() throws {
        try withTemporaryDirectory { root in
            let w = try Self.unitAdding(["data": "unit data\n"], in: root)
            try write("precious\n", to: "data/keep.txt", in: w.repo.root)
            let before = try w.repo.snapshot()
            let refused = try w.repo.cli("merge", "1")
            #expect(refused.status == 7 && refused.stderr.contains("untracked files in the way: data/keep.txt"), "\(refused)")
            #expect(try w.repo.snapshot() == before)
            #expect(try Self.content("data/keep.txt", in: w.repo.root) == "precious\n")
        }
    }

    @Test("an untracked file where the unit needs a folder is refused before anything moves; doctor has nothing to say")
    func untrackedFileWhereFolderGoes() throws {
        try withTemporaryDirectory { root in
            let w = try Self.unitAdding(["notes/a.txt": "unit notes\n"], in: root)
            try write("my notes\n", to: "notes", in: w.repo.root)
            let main = try gitValue("rev-parse", "main", in: w.repo.root)
            let before = try w.repo.snapshot()
            let refused = try w.repo.cli("merge", "1")
            #expect(refused.status == 7 && refused.stderr.contains("untracked files in the way: notes"), "\(refused)")
            #expect(try w.repo.snapshot() == before)
            #expect(try gitValue("rev-parse", "main", in: w.repo.root) == main)
            #expect(try git("status", "--porcelain", in: w.repo.root) == "?? notes\n")
            #expect(try git("diff", "--cached", "--name-only", in: w.repo.root).isEmpty, "the index must not hold a half merge")
            let doctor = try w.repo.cli("doctor")
            #expect(doctor.status == 0 && doctor.stdout.isEmpty, "\(doctor)")
            try FileManager.default.removeItem(atPath: w.repo.root + "/notes")
            let merged = try w.repo.cli("merge", "1")
            #expect(merged.status == 0, "\(merged)")
            #expect(try Self.content("notes/a.txt", in: w.repo.root) == "unit notes\n")
        }
    }

    @Test("an ignored file where the unit adds one (a .env) is the user's too: refused")
    func ignoredFileInTheWay() throws {
        try withTemporaryDirectory { root in
            let w = try Self.unitAdding([".env": "TOKEN=unit\n"], in: root)
            let exclude = w.repo.root + "/.git/info/exclude"
            try (try String(contentsOfFile: exclude, encoding: .utf8) + ".env\n").write(toFile: exclude, atomically: true, encoding: .utf8)
            try write("TOKEN=secret\n", to: ".env", in: w.repo.root)
            let before = try w.repo.snapshot()
            let refused = try w.repo.cli("merge", "1")
            #expect(refused.status == 7 && refused.stderr.contains("untracked files in the way: .env"), "\(refused)")
            #expect(try w.repo.snapshot() == before)
            #expect(try Self.content(".env", in: w.repo.root) == "TOKEN=secret\n")
        }
    }

    @Test("a --no-verify commit that ticks unit 2 and deletes unit 3 is refused at merge with the offending lines; main keeps its plan")
    func foreignTasksRefused() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: Self.tasks, unit: "1")
            let forged = try w.committedTasks().replacingOccurrences(of: "- [ ] 2. Unit two", with: "- [x] 2. Unit two")
                .replacingOccurrences(of: "- [ ] 3. Unit three\n", with: "")
            try write(forged, to: w.tasksPath, in: w.window)
            try write("work\n", to: "one.txt", in: w.window)
            try git("add", "-A", in: w.window)
            try git("commit", "-q", "--no-verify", "-m", "sneaky", in: w.window)
            try SpecDispatchCLI.succeed(["done", "1"], in: w.window)
            #expect(try w.repo.cli("review", "1").status == 0)
            let main = try gitValue("rev-parse", "main", in: w.repo.root)
            let approved = try w.repo.cli("approve", "1", "--reviewer", "rita")
            #expect(approved.status == 7, "\(approved)")
            #expect(approved.stderr.contains(".kiro/specs/s/tasks.md:2: error: task 2 was changed on the branch of unit 1"), "\(approved)")
            #expect(approved.stderr.contains(".kiro/specs/s/tasks.md:3: error: task 3 (this line of the base) was removed"), "\(approved)")
            #expect(try gitValue("rev-parse", "main", in: w.repo.root) == main)
            #expect(try git("show", "main:\(w.tasksPath)", in: w.repo.root) == Self.tasks)
            let merge = try w.repo.cli("merge", "1", "--force")
            #expect(merge.status == 7, "--force skips the review, not the plan's integrity: \(merge)")
        }
    }
}
