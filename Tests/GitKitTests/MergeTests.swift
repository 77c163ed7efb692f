import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Merging")
struct MergeTests {
    @Test("mergeFile merges independent edits cleanly, like git merge-file")
    func cleanFileMerge() throws {
        try withTemporaryDirectory { root in
            let repository = try Repository.create(at: root)
            let base = "one\ntwo\nthree\nfour\nfive\n"
            let ours = "ONE\ntwo\nthree\nfour\nfive\n"
            let theirs = "one\ntwo\nthree\nfour\nFIVE\n"
            let result = try repository.mergeFile(ancestor: Array(base.utf8), ours: Array(ours.utf8), theirs: Array(theirs.utf8))
            #expect(!result.hasConflicts)
            #expect(String(decoding: result.content, as: UTF8.self) == "ONE\ntwo\nthree\nfour\nFIVE\n")
        }
    }

    @Test("mergeFile writes git's conflict markers with the given labels")
    func conflictingFileMerge() throws {
        try withTemporaryDirectory { root in
            let repository = try Repository.create(at: root + "/repo")
            let base = "a\nb\nc\n", ours = "a\nours\nc\n", theirs = "a\ntheirs\nc\n"
            try write(base, to: "base", in: root)
            try write(ours, to: "ours", in: root)
            try write(theirs, to: "theirs", in: root)
            // git merge-file exits with the number of conflicts, hence the `|| true`.
            let expected = try run(["sh", "-c", "git merge-file -p -L mine -L base -L yours ours base theirs || true"], in: root)
            let result = try repository.mergeFile(
                ancestor: Array(base.utf8), ours: Array(ours.utf8), theirs: Array(theirs.utf8),
                ancestorLabel: "base", oursLabel: "mine", theirsLabel: "yours"
            )
            #expect(result.hasConflicts)
            let merged = String(decoding: result.content, as: UTF8.self)
            #expect(merged == "a\n<<<<<<< mine\nours\n=======\ntheirs\n>>>>>>> yours\nc\n")
            #expect(merged == expected)

            let noBase = try repository.mergeFile(ancestor: nil, ours: Array("x\n".utf8), theirs: Array("y\n".utf8))
            #expect(noBase.hasConflicts)
        }
    }

    @Test("mergeCommits reports a conflict; resolving it lets writeTree produce the merged tree")
    func commitMergeWithConflict() throws {
        try withTemporaryDirectory { root in
            let base = try makeRepository(at: root, files: ["shared.md": "line\n", "keep.txt": "k\n"])
            try git("checkout", "-q", "-b", "theirs", in: root)
            let theirs = try commitFiles(["shared.md": "their line\n", "theirs-only.txt": "t\n"], message: "theirs", in: root)
            try git("checkout", "-q", "main", in: root)
            let ours = try commitFiles(["shared.md": "our line\n", "ours-only.txt": "o\n"], message: "ours", in: root)
            let repository = try Repository.open(at: root)

            let merge = try repository.mergeCommits(ours: ObjectID(ours), theirs: ObjectID(theirs))
            let conflict = try #require(merge.conflicts.first)
            #expect(merge.conflicts.count == 1)
            #expect(conflict.path == "shared.md")
            #expect(conflict.ancestor?.id == ObjectID(try gitValue("rev-parse", "\(base):shared.md", in: root)))
            #expect(conflict.ours?.id == ObjectID(try gitValue("rev-parse", "\(ours):shared.md", in: root)))
            #expect(conflict.theirs?.id == ObjectID(try gitValue("rev-parse", "\(theirs):shared.md", in: root)))
            #expect(conflict.ours?.mode == 0o100644)
            #expect(gitError { _ = try merge.writeTree() }?.code == .mergeConflict)

            let resolved = try repository.writeBlob(Array("both lines\n".utf8))
            try merge.resolve(path: "shared.md", with: resolved, mode: .regular)
            #expect(!merge.hasConflicts)
            let tree = try merge.writeTree()
            let listing = try git("ls-tree", "-r", "--name-only", tree.hex, in: root).split(separator: "\n")
            #expect(listing == ["keep.txt", "ours-only.txt", "shared.md", "theirs-only.txt"])
            #expect(try gitValue("cat-file", "-p", "\(tree.hex):shared.md", in: root) == "both lines")
            #expect(try gitValue("rev-parse", "HEAD", in: root) == ours)
            try expectFsckClean(root)
        }
    }

    @Test("mergeCommits of independent changes has no conflicts")
    func cleanCommitMerge() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root, files: ["a": "a\n"])
            try git("checkout", "-q", "-b", "side", in: root)
            let theirs = try commitFiles(["b": "b\n"], message: "b", in: root)
            try git("checkout", "-q", "main", in: root)
            let ours = try commitFiles(["c": "c\n"], message: "c", in: root)
            let merge = try Repository.open(at: root).mergeCommits(ours: ObjectID(ours), theirs: ObjectID(theirs))
            #expect(merge.conflicts.isEmpty)
            let tree = try merge.writeTree()
            #expect(try git("ls-tree", "--name-only", tree.hex, in: root).split(separator: "\n") == ["a", "b", "c"])
        }
    }
}
