import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Opening repositories")
struct RepositoryTests {
    @Test("discover from a nested folder opens the enclosing repository")
    func discoverFromNestedFolder() throws {
        try withTemporaryDirectory { root in
            let repoPath = root + "/repo"
            let head = try makeRepository(at: repoPath, files: ["a/b/c.txt": "x\n"])
            let repository = try Repository.discover(from: repoPath + "/a/b")
            #expect(repository.workingDirectory == repoPath)
            #expect(repository.gitDirectory == repoPath + "/.git")
            #expect(repository.commonDirectory == repoPath + "/.git")
            #expect(!repository.isLinkedWorktree)
            #expect(try repository.head() == .branch(name: "refs/heads/main", commit: ObjectID(head)))
        }
    }

    @Test("discover from inside a linked worktree shares the common directory and sees the main worktree's HEAD")
    func discoverFromLinkedWorktree() throws {
        try withTemporaryDirectory { root in
            let repoPath = root + "/repo"
            let mainHead = try makeRepository(at: repoPath, files: ["docs/x.md": "x\n"])
            try git("worktree", "add", "-q", "-b", "feature", root + "/wt", in: repoPath)
            let featureHead = try commitFiles(["docs/y.md": "y\n"], message: "feature work", in: root + "/wt")

            let fromWorktree = try Repository.discover(from: root + "/wt/docs")
            let fromMain = try Repository.discover(from: repoPath)
            #expect(fromWorktree.isLinkedWorktree)
            #expect(fromWorktree.workingDirectory == root + "/wt")
            #expect(fromWorktree.gitDirectory == repoPath + "/.git/worktrees/wt")
            #expect(fromWorktree.commonDirectory == fromMain.commonDirectory)
            #expect(try fromWorktree.head() == .branch(name: "refs/heads/feature", commit: ObjectID(featureHead)))
            #expect(try fromWorktree.mainWorktreeHead() == .branch(name: "refs/heads/main", commit: ObjectID(mainHead)))
            #expect(fromWorktree.mainWorktreePath() == repoPath)
            #expect(try fromMain.mainWorktreeHead() == fromMain.head())
            #expect(fromMain.mainWorktreePath() == repoPath)
        }
    }

    @Test("discover outside any repository fails with .notFound naming the path")
    func discoverOutsideRepository() throws {
        try withTemporaryDirectory { root in
            let error = gitError { _ = try Repository.discover(from: root) }
            #expect(error?.code == .notFound)
            #expect(error?.message.contains(root) == true)
            #expect(error?.operation == "git_repository_open_ext")
        }
    }

    @Test("open at an exact path does not search parent folders")
    func openDoesNotSearch() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root + "/repo", files: ["sub/f.txt": "f\n"])
            #expect(gitError { _ = try Repository.open(at: root + "/repo/sub") }?.code == .notFound)
            #expect(try Repository.open(at: root + "/repo").workingDirectory == root + "/repo")
            #expect(try Repository.open(at: root + "/repo/.git").workingDirectory == root + "/repo")
        }
    }

    @Test("create makes a repository whose unborn HEAD is the initial branch, git agrees")
    func createRepository() throws {
        try withTemporaryDirectory { root in
            let repository = try Repository.create(at: root + "/new/repo", initialBranch: "trunk")
            #expect(try repository.head() == .unborn(branch: "refs/heads/trunk"))
            #expect(try gitValue("symbolic-ref", "HEAD", in: root + "/new/repo") == "refs/heads/trunk")
            let bare = try Repository.create(at: root + "/bare.git", bare: true)
            #expect(bare.workingDirectory == nil)
            #expect(try gitValue("rev-parse", "--is-bare-repository", in: root + "/bare.git") == "true")
            #expect(gitError { _ = try Repository.create(at: root + "/new/repo") }?.code == .exists)
        }
    }
}
