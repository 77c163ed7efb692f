import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Linked worktrees")
struct WorktreeTests {
    /// The `worktree` paths and `branch` lines of `git worktree list --porcelain`.
    private func listedWorktrees(_ repo: String) throws -> [(path: String, branch: String?)] {
        try git("worktree", "list", "--porcelain", in: repo)
            .components(separatedBy: "\n\n")
            .filter { !$0.isEmpty }
            .map { block in
                let lines = block.split(separator: "\n").map(String.init)
                let path = lines.first { $0.hasPrefix("worktree ") }.map { String($0.dropFirst(9)) } ?? ""
                let branch = lines.first { $0.hasPrefix("branch ") }.map { String($0.dropFirst(7)) }
                return (path, branch)
            }
    }

    @Test("addWorktree checks the branch out in a new folder that git lists and reports clean")
    func addWorktree() throws {
        try withTemporaryDirectory { root in
            let repo = root + "/repo"
            let head = try makeRepository(at: repo, files: ["README.md": "r\n", "docs/spec.md": "s\r\n", "bin/run": "#!/bin/sh\n"])
            try git("branch", "dispatch/task-1", in: repo)
            let repository = try Repository.open(at: repo)

            let info = try repository.addWorktree(name: "task-1", path: root + "/trees/nested/task-1", branch: "refs/heads/dispatch/task-1")
            #expect(info.name == "task-1")
            #expect(info.path == root + "/trees/nested/task-1")
            #expect(info.isValid)
            #expect(!info.isLocked)
            #expect(!info.isPrunable)
            #expect(info.headReference == "refs/heads/dispatch/task-1")

            let listed = try listedWorktrees(repo)
            #expect(listed.contains { $0.path == root + "/trees/nested/task-1" && $0.branch == "refs/heads/dispatch/task-1" })
            #expect(try git("status", "--porcelain", in: root + "/trees/nested/task-1").isEmpty)
            #expect(try gitValue("rev-parse", "HEAD", in: root + "/trees/nested/task-1") == head)
            #expect(try git("status", "--porcelain", in: repo).isEmpty)
            #expect(try repository.worktrees() == [info])

            let opened = try Repository.open(at: root + "/trees/nested/task-1")
            let main = try Repository.open(at: repo)
            #expect(opened.isLinkedWorktree && !main.isLinkedWorktree)
            #expect(try opened.head() == .branch(name: "refs/heads/dispatch/task-1", commit: ObjectID(head)))
            try expectFsckClean(repo)
        }
    }

    @Test("addWorktree accepts an existing empty folder and refuses a non-empty one, leaving nothing behind")
    func addWorktreeTargetFolder() throws {
        try withTemporaryDirectory { root in
            let repo = root + "/repo"
            try makeRepository(at: repo)
            try git("branch", "one", in: repo)
            try git("branch", "two", in: repo)
            let repository = try Repository.open(at: repo)
            try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
            _ = try repository.addWorktree(name: "one", path: root + "/empty", branch: "refs/heads/one")
            #expect(FileManager.default.fileExists(atPath: root + "/empty/README.md"))

            try write("keep me\n", to: "full/file.txt", in: root)
            let error = gitError { _ = try repository.addWorktree(name: "two", path: root + "/full", branch: "refs/heads/two") }
            #expect(error?.code == .exists)
            #expect(try repository.worktrees().map(\.name) == ["one"])
            #expect(!FileManager.default.fileExists(atPath: repo + "/.git/worktrees/two"))
            #expect(try String(contentsOfFile: root + "/full/file.txt", encoding: .utf8) == "keep me\n")
        }
    }

    @Test("addWorktree refuses bad names, non-branches and branches checked out elsewhere")
    func addWorktreeRefusals() throws {
        try withTemporaryDirectory { root in
            let repo = root + "/repo"
            try makeRepository(at: repo)
            try git("branch", "free", in: repo)
            let repository = try Repository.open(at: repo)
            #expect(gitError { _ = try repository.addWorktree(name: "a/b", path: root + "/x", branch: "refs/heads/free") }?.code == .invalidSpec)
            #expect(gitError { _ = try repository.addWorktree(name: "main", path: root + "/y", branch: "refs/heads/main") }?.code == .exists)
            #expect(gitError { _ = try repository.addWorktree(name: "tag", path: root + "/z", branch: "HEAD") }?.code == .invalidSpec)
            #expect(gitError { _ = try repository.addWorktree(name: "gone", path: root + "/w", branch: "refs/heads/gone") }?.code == .notFound)
            #expect(try repository.worktrees().isEmpty)
            #expect(try listedWorktrees(repo).count == 1)
            #expect(!FileManager.default.fileExists(atPath: root + "/x"))
        }
    }

    @Test("removeWorktree deletes the folder and the admin entry; git no longer lists it")
    func removeWorktree() throws {
        try withTemporaryDirectory { root in
            let repo = root + "/repo"
            try makeRepository(at: repo)
            try git("branch", "b1", in: repo)
            try git("branch", "b2", in: repo)
            let repository = try Repository.open(at: repo)
            _ = try repository.addWorktree(name: "w1", path: root + "/w1", branch: "refs/heads/b1")
            _ = try repository.addWorktree(name: "w2", path: root + "/w2", branch: "refs/heads/b2")
            try write("scratch\n", to: "untracked.txt", in: root + "/w1")

            try repository.removeWorktree(name: "w1", deleteWorkingTree: true)
            #expect(!FileManager.default.fileExists(atPath: root + "/w1"))
            #expect(!FileManager.default.fileExists(atPath: repo + "/.git/worktrees/w1"))
            try repository.removeWorktree(name: "w2", deleteWorkingTree: false)
            #expect(FileManager.default.fileExists(atPath: root + "/w2/README.md"))
            #expect(try listedWorktrees(repo).map(\.path) == [repo])
            #expect(try repository.worktrees().isEmpty)
            #expect(gitError { try repository.removeWorktree(name: "w1", deleteWorkingTree: true) }?.code == .notFound)
            try expectFsckClean(repo)
        }
    }

    @Test("an admin folder that git_worktree_add left unfinished is found and removed, and its name becomes free")
    func unfinishedWorktrees() throws {
        try withTemporaryDirectory { root in
            let repo = root + "/repo"
            try makeRepository(at: repo)
            try git("branch", "b", in: repo)
            try git("branch", "c", in: repo)
            let repository = try Repository.open(at: repo)
            _ = try repository.addWorktree(name: "done", path: root + "/done", branch: "refs/heads/c")
            #expect(try repository.unfinishedWorktreeNames().isEmpty)
            // What a kill leaves before HEAD is written: the lock, commondir and gitdir (and a HEAD.lock).
            try write("", to: ".git/worktrees/half/locked", in: repo)
            try write(repo + "/.git\n", to: ".git/worktrees/half/commondir", in: repo)
            try write(root + "/half/.git\n", to: ".git/worktrees/half/gitdir", in: repo)
            try write("ref: refs/heads/b\n", to: ".git/worktrees/half/HEAD.lock", in: repo)
            try write("gitdir: \(repo)/.git/worktrees/half\n", to: "half/.git", in: root)
            try FileManager.default.createDirectory(atPath: repo + "/.git/worktrees/empty", withIntermediateDirectories: true)
            #expect(try repository.unfinishedWorktreeNames() == ["empty", "half"])
            #expect(try repository.worktrees().map(\.name) == ["done"])
            #expect(gitError { _ = try repository.addWorktree(name: "half", path: root + "/other", branch: "refs/heads/b") }?.code == .exists)

            try repository.removeUnfinishedWorktree(name: "half")
            try repository.removeUnfinishedWorktree(name: "empty")
            #expect(gitError { try repository.removeUnfinishedWorktree(name: "done") }?.code == .notFound)
            #expect(try repository.unfinishedWorktreeNames().isEmpty)
            #expect(FileManager.default.fileExists(atPath: root + "/done/README.md"))
            #expect(!FileManager.default.fileExists(atPath: repo + "/.git/worktrees/half"))
            _ = try repository.addWorktree(name: "half", path: root + "/other", branch: "refs/heads/b")
            #expect(try repository.worktrees().map(\.name) == ["done", "half"])
            try expectFsckClean(repo)
        }
    }

    @Test("a locked worktree survives removal and pruning until unlocked or forced")
    func lockedWorktrees() throws {
        try withTemporaryDirectory { root in
            let repo = root + "/repo"
            try makeRepository(at: repo)
            try git("branch", "b", in: repo)
            let repository = try Repository.open(at: repo)
            _ = try repository.addWorktree(name: "w", path: root + "/w", branch: "refs/heads/b")
            try git("worktree", "lock", "--reason", "agent running", root + "/w", in: repo)
            let info = try #require(try repository.worktrees().first)
            #expect(info.isLocked)
            #expect(info.lockReason == "agent running")
            #expect(gitError { try repository.removeWorktree(name: "w", deleteWorkingTree: true) }?.code == .locked)
            #expect(FileManager.default.fileExists(atPath: root + "/w"))

            try FileManager.default.removeItem(atPath: root + "/w")
            #expect(try repository.pruneStaleWorktrees().isEmpty)
            try repository.unlockWorktree(name: "w")
            try repository.unlockWorktree(name: "w")
            #expect(try repository.worktrees().first?.isPrunable == true)
            #expect(try repository.pruneStaleWorktrees() == ["w"])
            #expect(try listedWorktrees(repo).count == 1)

            _ = try repository.addWorktree(name: "w", path: root + "/w", branch: "refs/heads/b")
            try git("worktree", "lock", root + "/w", in: repo)
            try repository.removeWorktree(name: "w", deleteWorkingTree: true, force: true)
            #expect(!FileManager.default.fileExists(atPath: root + "/w"))
            #expect(try repository.worktrees().isEmpty)
        }
    }

    @Test("pruneStaleWorktrees prunes entries whose folder was deleted and keeps the others")
    func pruneStale() throws {
        try withTemporaryDirectory { root in
            let repo = root + "/repo"
            try makeRepository(at: repo)
            try git("branch", "gone", in: repo)
            try git("branch", "kept", in: repo)
            try git("worktree", "add", "-q", root + "/gone", "gone", in: repo)
            let repository = try Repository.open(at: repo)
            _ = try repository.addWorktree(name: "kept", path: root + "/kept", branch: "refs/heads/kept")
            try FileManager.default.removeItem(atPath: root + "/gone")

            let stale = try #require(try repository.worktrees().first { $0.name == "gone" })
            #expect(!stale.isValid)
            #expect(stale.isPrunable)
            #expect(stale.headReference == nil)
            #expect(try repository.pruneStaleWorktrees() == ["gone"])
            #expect(try repository.worktrees().map(\.name) == ["kept"])
            #expect(try listedWorktrees(repo).map(\.path) == [repo, root + "/kept"])
            #expect(try repository.pruneStaleWorktrees().isEmpty)
        }
    }

    @Test("racing adders of a repository's first worktrees: every one is made", .timeLimit(.minutes(1)))
    func addFirstWorktreesRace() throws {
        try withTemporaryDirectory { root in
            let adders = 8
            for round in 0..<30 {
                let repo = "\(root)/round-\(round)"
                try makeRepository(at: repo)
                for index in 0..<adders { try git("branch", "b\(index)", in: repo) }
                let outcomes = Outcomes(count: adders)
                DispatchQueue.concurrentPerform(iterations: adders) { index in
                    do {
                        _ = try Repository.open(at: repo).addWorktree(name: "w\(index)", path: "\(repo).w\(index)", branch: "refs/heads/b\(index)")
                        outcomes.set(index, "made")
                    } catch {
                        outcomes.set(index, "\(error)")
                    }
                }
                #expect(outcomes.values.allSatisfy { $0 == "made" }, "round \(round): \(outcomes.values)")
                #expect(try listedWorktrees(repo).count == adders + 1, "round \(round)")
            }
        }
    }

    @Test("listing worktrees while another process locks and unlocks one never fails", .timeLimit(.minutes(1)))
    func listWhileLockToggles() throws {
        try withTemporaryDirectory { root in
            let repo = root + "/repo"
            try makeRepository(at: repo)
            try git("worktree", "add", "-q", "-b", "toggled", root + "/toggled", in: repo)
            let toggler = LaunchedCommand(["/bin/sh", "-c",
                                           "for i in $(seq 300); do git worktree lock \"$1\"; git worktree unlock \"$1\"; done",
                                           "sh", root + "/toggled"], in: repo)
            try toggler.start()
            let repository = try Repository.open(at: repo)
            var failures: [String] = []
            while toggler.isRunning {
                do { _ = try repository.worktrees() } catch { failures.append("\(error)") }
            }
            #expect(toggler.wait().status == 0)
            #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.first ?? "")")
        }
    }

    /// How a repository may ask for checkout filters; `none` asks for nothing.
    enum FilterSource: String, CaseIterable, CustomTestStringConvertible {
        case none, mergeAttributesOnly, nestedGitattributes, infoAttributes, attributesFile, autocrlf, ident, macro
        var testDescription: String { rawValue }
    }

    @Test("addWorktree writes the bytes git worktree add writes, whichever filter the repository asks for",
          arguments: FilterSource.allCases)
    func addWorktreeAppliesFilters(source: FilterSource) throws {
        try withTemporaryDirectory { root in
            let repo = root + "/repo"
            var files = ["top.txt": "one\ntwo\n", "deep/er/file.txt": "three\nfour\n", "deep/id.txt": "$Id$\n", "bin.dat": "a\r\nb\n"]
            switch source {
            case .nestedGitattributes: files["deep/.gitattributes"] = "*.txt text eol=crlf\n"
            case .ident: files[".gitattributes"] = "id.txt ident\n"
            case .macro: files[".gitattributes"] = "[attr]windows text eol=crlf\n*.txt windows\n"
            case .mergeAttributesOnly: files[".gitattributes"] = "*.dat binary\n*.txt merge=union diff\n"
            default: break
            }
            try makeRepository(at: repo, files: files)
            switch source {
            case .infoAttributes: try write("*.txt text eol=crlf\n", to: ".git/info/attributes", in: repo)
            case .attributesFile:
                try write("*.txt text eol=crlf\n", to: "global-attributes", in: root)
                try git("config", "core.attributesFile", root + "/global-attributes", in: repo)
            case .autocrlf: try git("config", "core.autocrlf", "true", in: repo)
            case .mergeAttributesOnly: try write("**/tasks.md merge=spec-dispatch\n", to: ".git/info/attributes", in: repo)
            default: break
            }
            try git("branch", "ours", in: repo)
            try git("branch", "theirs", in: repo)
            _ = try Repository.open(at: repo).addWorktree(name: "ours", path: root + "/ours", branch: "refs/heads/ours")
            try git("worktree", "add", "-q", root + "/theirs", "theirs", in: repo)

            for name in files.keys {
                #expect(try readBytes(name, in: root + "/ours") == readBytes(name, in: root + "/theirs"), "\(name)")
            }
            if source != .none && source != .mergeAttributesOnly {
                #expect(try readBytes("deep/er/file.txt", in: root + "/ours") != Array("three\nfour\n".utf8)
                    || readBytes("deep/id.txt", in: root + "/ours") != Array("$Id$\n".utf8), "no filter acted")
            }
            #expect(try git("status", "--porcelain", in: root + "/ours").isEmpty)
        }
    }
}
