import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Writing trees")
struct TreeWritingTests {
    @Test("replacing a nested path changes only that path; every other path keeps its blob")
    func replaceNestedPath() throws {
        try withTemporaryDirectory { root in
            var files: [String: String] = ["README.md": "r\n", "docs/spec.md": "old\n", "docs/other.md": "o\n", "src/main.swift": "m\n"]
            for index in 0..<30 { files["docs/bulk/file\(index).txt"] = "\(index)\n" }
            try makeRepository(at: root, files: files)
            let before = try git("ls-tree", "-r", "HEAD", in: root)
            let repository = try Repository.open(at: root)
            let head = try repository.resolveCommit("HEAD")

            let blob = try repository.writeBlob(Array("new content\n".utf8))
            let newTree = try repository.writeTree(byReplacing: "docs/spec.md", with: blob, in: repository.tree(of: head))

            let after = try git("ls-tree", "-r", newTree.hex, in: root)
            let expected = before.split(separator: "\n").map { line in
                line.hasSuffix("\tdocs/spec.md") ? "100644 blob \(blob.hex)\tdocs/spec.md" : String(line)
            }
            #expect(after.split(separator: "\n").map(String.init) == expected)
            try expectFsckClean(root)
        }
    }

    @Test("replacing a path under missing folders creates them, with the requested mode")
    func createIntermediateTrees() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            let repository = try Repository.open(at: root)
            let tree = try repository.tree(of: repository.resolveCommit("HEAD"))
            let blob = try repository.writeBlob(Array("#!/bin/sh\n".utf8))
            let newTree = try repository.writeTree(byReplacing: "a/b/c/run.sh", with: blob, mode: .executable, in: tree)
            let listing = try git("ls-tree", "-r", newTree.hex, in: root)
            #expect(listing.contains("100755 blob \(blob.hex)\ta/b/c/run.sh"))
            #expect(listing.contains("\tREADME.md"))
            let commit = try repository.createCommit(tree: newTree, parents: [], message: "m\n", author: testSignature, committer: testSignature)
            #expect(try gitValue("cat-file", "-p", "\(commit.hex):a/b/c/run.sh", in: root) == "#!/bin/sh")
            try expectFsckClean(root)
        }
    }

    @Test("replacing through a file or over a folder is refused with .directory")
    func refuseShapeChanges() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root, files: ["a/b.txt": "b\n"])
            let repository = try Repository.open(at: root)
            let tree = try repository.tree(of: repository.resolveCommit("HEAD"))
            let blob = try repository.writeBlob([])
            #expect(gitError { _ = try repository.writeTree(byReplacing: "a/b.txt/c", with: blob, in: tree) }?.code == .directory)
            #expect(gitError { _ = try repository.writeTree(byReplacing: "a", with: blob, in: tree) }?.code == .directory)
            #expect(gitError { _ = try repository.writeTree(byReplacing: "a//c", with: blob, in: tree) }?.code == .invalidSpec)
        }
    }
}
