import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Uncommitted snapshots and worktree history")
struct SnapshotTests {
    @Test("snapshotUncommitted keeps edits, staged changes, deletions and untracked files, changes nothing, and git stash apply brings them back")
    func snapshotRoundTrip() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root, files: ["edited.txt": "one\n", "gone.txt": "g\n", "staged.txt": "s\n", ".gitignore": "*.log\n"])
            try write("two\n", to: "edited.txt", in: root)
            try FileManager.default.removeItem(atPath: root + "/gone.txt")
            try write("s2\n", to: "staged.txt", in: root)
            try git("add", "staged.txt", in: root)
            try write("new\n", to: "deep/new/file.txt", in: root)
            try write("#!/bin/sh\n", to: "run.sh", in: root)
            chmod(root + "/run.sh", 0o755)
            try write("noise\n", to: "build.log", in: root)
            let before = try git("status", "--porcelain", "--ignored", in: root)
            let repository = try Repository.open(at: root)

            let snapshot = try #require(try repository.snapshotUncommitted(message: "WIP on main: kept", signature: testSignature))
            #expect(try git("status", "--porcelain", "--ignored", in: root) == before)
            #expect(try gitValue("rev-list", "--count", "--all", in: root) == "1", "no ref moved")
            #expect(try gitValue("show", "-s", "--format=%P", snapshot.hex, in: root).split(separator: " ").count == 2)
            let files = try git("ls-tree", "-r", "--name-only", snapshot.hex, in: root).split(separator: "\n").map(String.init)
            #expect(files.sorted() == [".gitignore", "deep/new/file.txt", "edited.txt", "run.sh", "staged.txt"])
            #expect(try git("ls-tree", snapshot.hex, "run.sh", in: root).hasPrefix("100755"))

            try git("reset", "-q", "--hard", in: root)
            try git("clean", "-q", "-fd", in: root)
            try git("stash", "apply", "-q", snapshot.hex, in: root)
            #expect(try String(contentsOfFile: root + "/edited.txt", encoding: .utf8) == "two\n")
            #expect(try String(contentsOfFile: root + "/staged.txt", encoding: .utf8) == "s2\n")
            #expect(try String(contentsOfFile: root + "/deep/new/file.txt", encoding: .utf8) == "new\n")
            #expect(!FileManager.default.fileExists(atPath: root + "/gone.txt"))
        }
    }

    @Test("snapshotUncommitted of a clean working tree is nil")
    func cleanSnapshot() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root, files: ["a.txt": "a\n", ".gitignore": "*.log\n"])
            try write("ignored\n", to: "x.log", in: root)
            #expect(try Repository.open(at: root).snapshotUncommitted(message: "WIP", signature: testSignature) == nil)
        }
    }

    @Test("a linked worktree's HEAD and HEAD reflog are read even after its branch and its folder are gone")
    func worktreeHeadAndReflog() throws {
        try withTemporaryDirectory { root in
            let main = root + "/main"
            let first = try makeRepository(at: main, files: ["a.txt": "a\n"])
            try git("worktree", "add", "-q", "-b", "topic", root + "/wt", in: main)
            let onBranch = try commitFiles(["b.txt": "b\n"], message: "on topic", in: root + "/wt")
            try git("checkout", "-q", "--detach", in: root + "/wt")
            let detached = try commitFiles(["c.txt": "c\n"], message: "detached", in: root + "/wt")
            let repository = try Repository.open(at: main)
            #expect(repository.head(ofWorktree: "wt") == .detached(commit: ObjectID(detached)))
            let reflog = repository.headReflog(ofWorktree: "wt")
            #expect(reflog.first?.new == ObjectID(detached))
            #expect(reflog.first?.message.hasPrefix("commit: detached") == true, "\(reflog)")
            #expect(Set(reflog.map(\.new)).isSuperset(of: [ObjectID(first), ObjectID(onBranch), ObjectID(detached)]))

            try git("checkout", "-q", "topic", in: root + "/wt")
            try git("branch", "-q", "-D", "topic", in: main, allowFailure: true)
            try git("update-ref", "-d", "refs/heads/topic", in: main)
            #expect(repository.head(ofWorktree: "wt") == .unborn(branch: "refs/heads/topic"))
            try FileManager.default.removeItem(atPath: root + "/wt")
            #expect(repository.headReflog(ofWorktree: "wt").first?.new == ObjectID(onBranch))
            #expect(repository.head(ofWorktree: "nope") == nil)
            #expect(repository.headReflog(ofWorktree: "nope").isEmpty)
        }
    }
}
