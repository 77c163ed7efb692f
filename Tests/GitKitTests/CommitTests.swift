import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Commits and history")
struct CommitTests {
    @Test("createCommit writes a commit object git reads back, and moves no reference")
    func createAndReadCommit() throws {
        try withTemporaryDirectory { root in
            let parent = try ObjectID(makeRepository(at: root))
            let repository = try Repository.open(at: root)
            let author = Signature(name: "Ada Author", email: "ada@example.com", time: 1_600_000_000, offsetMinutes: -300)
            let message = "Add the thing\n\nWhy it matters.\n\nTask: T-1\nSigned-off-by: Ada\n"
            let id = try repository.createCommit(
                tree: repository.tree(of: parent), parents: [parent], message: message, author: author, committer: testSignature
            )
            #expect(try gitValue("rev-parse", "HEAD", in: root) == parent.hex)
            let raw = try git("cat-file", "-p", id.hex, in: root)
            #expect(raw.contains("parent \(parent.hex)\n"))
            #expect(raw.contains("author Ada Author <ada@example.com> 1600000000 -0500\n"))
            #expect(raw.contains("committer Test <test@example.com> 1700000000 +0100\n"))
            #expect(raw.hasSuffix("\n\n" + message))

            let commit = try repository.commit(id)
            #expect(commit.id == id)
            #expect(commit.parents == [parent])
            #expect(commit.tree == (try repository.tree(of: parent)))
            #expect(commit.message == message)
            #expect(commit.summary == "Add the thing")
            #expect(commit.author == author)
            #expect(commit.committer == testSignature)
            try expectFsckClean(root)
        }
    }

    @Test("createCommit refuses a message with a NUL byte rather than letting libgit2 cut it there")
    func nulInMessage() throws {
        try withTemporaryDirectory { root in
            let parent = try ObjectID(makeRepository(at: root))
            let repository = try Repository.open(at: root)
            let before = try git("count-objects", "-v", in: root)
            #expect {
                try repository.createCommit(tree: repository.tree(of: parent), parents: [parent],
                                            message: "dispatch: start unit 1 (A\u{0}B)\n\nDispatch-Unit: 1\n",
                                            author: testSignature, committer: testSignature)
            } throws: { error in
                (error as? GitError)?.code == .invalid && "\(error)".contains("NUL byte at offset 25")
            }
            #expect(try git("count-objects", "-v", in: root) == before, "no commit object was written")
        }
    }

    @Test("trailers come back in order with duplicates kept")
    func messageTrailers() {
        let message = "Subject\n\nBody text.\n\nTask: 1\nSigned-off-by: A <a@x>\nTask: 2\n"
        let trailers = Repository.trailers(of: message)
        #expect(trailers.map(\.key) == ["Task", "Signed-off-by", "Task"])
        #expect(trailers.map(\.value) == ["1", "A <a@x>", "2"])
        #expect(Repository.trailers(of: "Just a subject\n").isEmpty)
    }

    @Test("defaultSignature uses user.name and user.email from the repository's config")
    func defaultSignatureFromConfig() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            try git("config", "user.name", "Configured Name", in: root)
            try git("config", "user.email", "configured@example.com", in: root)
            let signature = try Repository.open(at: root).defaultSignature()
            #expect(signature.name == "Configured Name")
            #expect(signature.email == "configured@example.com")
            #expect(abs(signature.time - Int64(Date().timeIntervalSince1970)) < 60)
        }
    }

    @Test("resolveCommit peels revisions to commits; unknown ones fail naming the revision")
    func resolvingRevisions() throws {
        try withTemporaryDirectory { root in
            let first = try makeRepository(at: root)
            let second = try commitFiles(["b": "b\n"], message: "second", in: root)
            try git("tag", "-a", "-m", "annotated", "v1", first, in: root)
            let repository = try Repository.open(at: root)
            #expect(try repository.resolveCommit("HEAD") == ObjectID(second))
            #expect(try repository.resolveCommit("HEAD~1") == ObjectID(first))
            #expect(try repository.resolveCommit("v1") == ObjectID(first))
            #expect(try repository.resolveCommit(String(second.prefix(10))) == ObjectID(second))
            let missing = gitError { _ = try repository.resolveCommit("no-such-branch") }
            #expect(missing?.code == .notFound)
            #expect(missing?.message.contains("no-such-branch") == true)
            #expect(missing?.operation == "git_revparse_single")
            let invalid = gitError { _ = try repository.resolveCommit("HEAD@@{{") }
            #expect(invalid?.code == .invalidSpec)
            #expect(invalid?.message.contains("HEAD@@{{") == true)
        }
    }

    @Test("commits(from:excluding:limit:) lists newest first like git rev-list --date-order")
    func walkingHistory() throws {
        try withTemporaryDirectory { root in
            let base = try makeRepository(at: root)
            try git("checkout", "-q", "-b", "side", in: root)
            try commitFiles(["s1": "1\n"], message: "side 1", at: 1_700_000_100, in: root)
            try git("checkout", "-q", "main", in: root)
            try commitFiles(["m1": "1\n"], message: "main 1", at: 1_700_000_200, in: root)
            try git("checkout", "-q", "side", in: root)
            try commitFiles(["s2": "2\n"], message: "side 2", at: 1_700_000_300, in: root)
            try git("checkout", "-q", "main", in: root)
            try run(["git", "-c", "user.name=T", "-c", "user.email=t@t", "merge", "-q", "--no-edit", "side"], in: root,
                    environment: ["GIT_COMMITTER_DATE": "@1700000400 +0000", "GIT_AUTHOR_DATE": "@1700000400 +0000"])
            let repository = try Repository.open(at: root)
            let head = try repository.resolveCommit("HEAD")

            let expected = try git("rev-list", "--date-order", "HEAD", in: root).split(separator: "\n").map { ObjectID(String($0)) }
            #expect(try repository.commits(from: head) == expected)
            #expect(try repository.commits(from: head, limit: 2) == Array(expected.prefix(2)))
            let excluded = try git("rev-list", "--date-order", "HEAD", "^side", in: root).split(separator: "\n").map { ObjectID(String($0)) }
            #expect(try repository.commits(from: head, excluding: [repository.resolveCommit("side")]) == excluded)
            #expect(try repository.commits(from: ObjectID(base)) == [ObjectID(base)])
        }
    }

    @Test("mergeBase and isAncestor agree with git merge-base; unrelated histories have no base")
    func ancestry() throws {
        try withTemporaryDirectory { root in
            let base = try ObjectID(makeRepository(at: root))
            let main = try ObjectID(commitFiles(["m": "m\n"], message: "main", in: root))
            try git("checkout", "-q", "-b", "side", base.hex, in: root)
            let side = try ObjectID(commitFiles(["s": "s\n"], message: "side", in: root))
            try git("checkout", "-q", "--orphan", "lonely", in: root)
            let lonely = try ObjectID(commitFiles(["l": "l\n"], message: "lonely", in: root))
            let repository = try Repository.open(at: root)

            #expect(try repository.mergeBase(main, side) == base)
            #expect(try repository.mergeBase(main, lonely) == nil)
            #expect(try repository.isAncestor(base, of: main))
            #expect(try repository.isAncestor(main, of: main))
            #expect(try !repository.isAncestor(main, of: base))
            #expect(try !repository.isAncestor(side, of: main))
            #expect(try !repository.isAncestor(lonely, of: main))
        }
    }
}
