import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `doctor --fix` finishing a merge killed just after its journal: wherever the base branch is
/// checked out by then, and whatever stands in the merge's way there.
@Suite("doctor finishes an interrupted merge only where it is safe")
struct MergeResumeTests {
    static let tasks = "- [ ] 1. One\n  - [ ] 1.1 A\n- [ ] 2. Two\n"

    /// Unit 1 adds `files` and is merged with a kill right after the journal is written.
    static func interruptedMerge(adding files: [String: String], in root: String, before: (String) throws -> Void = { _ in }) throws -> WindowFixture {
        let w = try WindowFixture(in: root, tasks: tasks, unit: "1")
        for (path, content) in files { try write(content, to: path, in: w.window) }
        try git("add", "-A", in: w.window)
        try git("commit", "-q", "-m", "unit one", "--trailer", "Completes: 1.1", in: w.window)
        try before(w.repo.root)
        let killed = try w.repo.cli("merge", "1", environment: ["SPEC_DISPATCH_KILL_AT": "journal-written"])
        #expect(killed.status == -SIGKILL, "\(killed)")
        #expect(try w.repo.cli("status").stdout.contains("was interrupted"))
        return w
    }

    @Test("main checked out only after the kill: doctor brings its files along with the branch")
    func baseCheckedOutAfterTheKill() throws {
        try withTemporaryDirectory { root in
            let w = try Self.interruptedMerge(adding: ["new.txt": "unit\n"], in: root) { try git("checkout", "-q", "-b", "dev", in: $0) }
            try git("checkout", "-q", "main", in: w.repo.root)
            let fixed = try w.repo.cli("doctor", "--fix")
            #expect(fixed.status == 0, "\(fixed)")
            #expect(try git("status", "--porcelain", in: w.repo.root).isEmpty)
            #expect(try String(contentsOfFile: w.repo.root + "/new.txt", encoding: .utf8) == "unit\n")
            #expect(try git("show", "main:new.txt", in: w.repo.root) == "unit\n")
        }
    }

    @Test("the working tree switched to another branch after the kill: doctor moves main and leaves that branch's files alone")
    func workingTreeSwitchedAway() throws {
        try withTemporaryDirectory { root in
            let w = try Self.interruptedMerge(adding: ["new.txt": "unit\n"], in: root)
            try git("checkout", "-q", "-b", "dev", in: w.repo.root)
            let fixed = try w.repo.cli("doctor", "--fix")
            #expect(fixed.status == 0, "\(fixed)")
            #expect(try gitValue("rev-parse", "--abbrev-ref", "HEAD", in: w.repo.root) == "dev")
            #expect(try git("status", "--porcelain", in: w.repo.root).isEmpty, "dev's index and files are as they were")
            #expect(!FileManager.default.fileExists(atPath: w.repo.root + "/new.txt"))
            #expect(try git("show", "main:new.txt", in: w.repo.root) == "unit\n")
        }
    }

    @Test("a folder the user made where the merge writes a file since the kill: doctor refuses and keeps it")
    func folderInTheWayAfterTheKill() throws {
        try withTemporaryDirectory { root in
            let w = try Self.interruptedMerge(adding: ["P": "unit\n"], in: root)
            try write("PRECIOUS\n", to: "P/mine", in: w.repo.root)
            let main = try gitValue("rev-parse", "main", in: w.repo.root)
            let fixed = try w.repo.cli("doctor", "--fix")
            #expect(fixed.status == 8 && fixed.stdout.contains("cannot be finished: P/mine"), "\(fixed)")
            #expect(try String(contentsOfFile: w.repo.root + "/P/mine", encoding: .utf8) == "PRECIOUS\n")
            #expect(try gitValue("rev-parse", "main", in: w.repo.root) == main)
            try FileManager.default.removeItem(atPath: w.repo.root + "/P")
            #expect(try w.repo.cli("doctor", "--fix").status == 0)
            #expect(try String(contentsOfFile: w.repo.root + "/P", encoding: .utf8) == "unit\n")
        }
    }

    @Test("a link where the merge needs a folder since the kill: doctor writes nothing through it")
    func linkInTheWayAfterTheKill() throws {
        try withTemporaryDirectory { root in
            let w = try Self.interruptedMerge(adding: ["d/x": "unit\n"], in: root)
            try FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: w.repo.root + "/d", withDestinationPath: root + "/outside")
            let fixed = try w.repo.cli("doctor", "--fix")
            #expect(fixed.status == 8 && fixed.stdout.contains("cannot be finished: d"), "\(fixed)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/outside").isEmpty)
        }
    }

    @Test("doctor --fix leaves alone a window next is still making")
    func doctorWaitsForNext() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            try git("config", "dispatch.setup.run", "sleep 2", in: repo.root)
            let next = LaunchedCommand([SpecDispatchCLI.path, "next", "1"], in: repo.root,
                                       environment: ["SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates])
            try next.start()
            let window = root + "/repo.dispatch/s/task-1"
            let deadline = Date().addingTimeInterval(10)
            while !FileManager.default.fileExists(atPath: window + "/.git"), Date() < deadline { usleep(20_000) }
            let doctor = try repo.cli("doctor", "--fix")
            #expect(doctor.status == 0 && doctor.stdout.isEmpty, "\(doctor)")
            let dispatched = next.wait()
            #expect(dispatched.status == 0 && dispatched.stdout == window + "\n", "\(dispatched)")
            #expect(FileManager.default.fileExists(atPath: window + "/.dispatch/payload.json"))
        }
    }
}
