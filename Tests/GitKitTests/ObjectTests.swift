import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Reading objects")
struct ObjectTests {
    @Test("blob at a path returns the exact committed bytes, CRLF and non-UTF-8 included")
    func blobBytesAreExact() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            let crlf: [UInt8] = Array("line one\r\nline two\r\n".utf8)
            let binary: [UInt8] = [0xff, 0xfe, 0x00, 0x80, 0x0a, 0xc3, 0x28]
            try write(crlf, to: "docs/crlf.txt", in: root)
            try write(binary, to: "docs/deep/er/latin1.bin", in: root)
            try run(["git", "-c", "core.autocrlf=false", "add", "-A"], in: root)
            try git("commit", "-q", "-m", "bytes", in: root)
            let head = try ObjectID(gitValue("rev-parse", "HEAD", in: root))

            let repository = try Repository.open(at: root)
            let crlfBlob = try #require(try repository.blob(atPath: "docs/crlf.txt", inCommit: head))
            #expect(crlfBlob.bytes == crlf)
            #expect(crlfBlob.id == ObjectID(try gitValue("rev-parse", "HEAD:docs/crlf.txt", in: root)))
            #expect(try repository.blob(atPath: "docs/deep/er/latin1.bin", inCommit: head)?.bytes == binary)
            #expect(try repository.blob(atPath: "README.md", inCommit: head)?.bytes == Array("hello\n".utf8))
        }
    }

    @Test("blob at a missing path is nil, at a folder it is a .directory error")
    func blobAbsentOrFolder() throws {
        try withTemporaryDirectory { root in
            let head = try ObjectID(makeRepository(at: root, files: ["a/b.txt": "b\n"]))
            let repository = try Repository.open(at: root)
            #expect(try repository.blob(atPath: "a/missing.txt", inCommit: head) == nil)
            #expect(try repository.blob(atPath: "nowhere/b.txt", inCommit: head) == nil)
            #expect(gitError { _ = try repository.blob(atPath: "a", inCommit: head) }?.code == .directory)
        }
    }

    @Test("tree entries list a folder like git ls-tree, and are empty for a missing folder")
    func treeEntriesMatchLsTree() throws {
        try withTemporaryDirectory { root in
            let head = try ObjectID(makeRepository(at: root, files: ["a/x.txt": "x\n", "a/sub/y.txt": "y\n", "top.txt": "t\n"]))
            try run(["chmod", "+x", "a/x.txt"], in: root)
            let commit = try ObjectID(commitFiles([:], message: "exec", in: root))
            let repository = try Repository.open(at: root)

            let entries = try repository.treeEntries(atPath: "a", inCommit: commit)
            let lsTree = try git("ls-tree", "HEAD:a", in: root).split(separator: "\n").map(String.init)
            let rendered = entries.map { entry in
                let type = entry.kind == .tree ? "tree" : "blob"
                return "\(String(format: "%06o", entry.mode)) \(type) \(entry.id.hex)\t\(entry.name)"
            }
            #expect(rendered == lsTree)
            #expect(entries.first { $0.name == "x.txt" }?.mode == 0o100755)
            #expect(try repository.treeEntries(atPath: "", inCommit: head).map(\.name) == ["a", "top.txt"])
            #expect(try repository.treeEntries(atPath: "missing/dir", inCommit: head).isEmpty)
        }
    }

    @Test("hashBlob matches git hash-object without writing; writeBlob stores it")
    func hashingAndWritingBlobs() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            let repository = try Repository.open(at: root)
            let bytes: [UInt8] = Array("some content\r\n".utf8) + [0xff]
            try write(bytes, to: "blob.bin", in: root)
            let expected = try ObjectID(gitValue("hash-object", "--no-filters", "blob.bin", in: root))
            let hashed = repository.hashBlob(bytes)
            #expect(hashed == expected)
            #expect(throws: CommandFailure.self) { try git("cat-file", "-e", hashed.hex, in: root) }
            #expect(try repository.writeBlob(bytes) == expected)
            try git("cat-file", "-e", hashed.hex, in: root)
            #expect(repository.hashBlob([]) == ObjectID("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"))
        }
    }

    @Test("tree(of:) is the commit's root tree")
    func treeOfCommit() throws {
        try withTemporaryDirectory { root in
            let head = try ObjectID(makeRepository(at: root))
            let repository = try Repository.open(at: root)
            #expect(try repository.tree(of: head) == ObjectID(try gitValue("rev-parse", "HEAD^{tree}", in: root)))
        }
    }

    @Test("readWorkingTreeFile reads the bytes on disk, nil when absent")
    func readingWorkingTreeFiles() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            try write([0x00, 0xff, 0x0d, 0x0a], to: "dir/raw.bin", in: root)
            let repository = try Repository.discover(from: root + "/dir")
            #expect(try repository.readWorkingTreeFile("dir/raw.bin") == [0x00, 0xff, 0x0d, 0x0a])
            #expect(try repository.readWorkingTreeFile("README.md") == Array("hello\n".utf8))
            #expect(try repository.readWorkingTreeFile("nope.txt") == nil)
            #expect(try repository.readWorkingTreeFile("README.md/child") == nil)
            #expect(gitError { _ = try repository.readWorkingTreeFile("dir") }?.code == .directory)
            try write([], to: "empty.txt", in: root)
            #expect(try repository.readWorkingTreeFile("empty.txt") == [])
        }
    }
}
