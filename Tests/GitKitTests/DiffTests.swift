import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Diffs")
struct DiffTests {
    @Test("diffStat numbers equal git diff --numstat")
    func diffStatMatchesNumstat() throws {
        try withTemporaryDirectory { root in
            let old = try makeRepository(at: root, files: ["a.txt": "1\n2\n3\n4\n", "gone.txt": "x\ny\n", "same.txt": "s\n", "dir/b.txt": "b\n"])
            try FileManager.default.removeItem(atPath: root + "/gone.txt")
            let new = try commitFiles(["a.txt": "1\nTWO\n3\n4\n5\n6\n", "dir/b.txt": "b\nb2\n", "dir/new.txt": "n\nn\nn\n"], message: "change", in: root)
            let repository = try Repository.open(at: root)
            let oldTree = try repository.tree(of: ObjectID(old)), newTree = try repository.tree(of: ObjectID(new))

            let stat = try repository.diffStat(from: oldTree, to: newTree)
            let numstat = try git("diff", "--numstat", "--no-renames", old, new, in: root).split(separator: "\n").map { line in
                let parts = line.split(separator: "\t")
                return (path: String(parts[2]), insertions: Int(parts[0])!, deletions: Int(parts[1])!)
            }
            #expect(stat.files.map(\.path) == numstat.map(\.path))
            #expect(stat.files.map(\.insertions) == numstat.map(\.insertions))
            #expect(stat.files.map(\.deletions) == numstat.map(\.deletions))
            #expect(stat.filesChanged == 4)
            #expect(stat.insertions == numstat.reduce(0) { $0 + $1.insertions })
            #expect(stat.deletions == numstat.reduce(0) { $0 + $1.deletions })
            #expect(try repository.changedPaths(from: oldTree, to: newTree) == ["a.txt", "dir/b.txt", "dir/new.txt", "gone.txt"])
        }
    }

    @Test("from nil diffs against the empty tree; commit ids work as tree ids")
    func diffFromEmptyTree() throws {
        try withTemporaryDirectory { root in
            let head = try ObjectID(makeRepository(at: root, files: ["x": "1\n2\n", "y/z": "3\n"]))
            let repository = try Repository.open(at: root)
            let stat = try repository.diffStat(from: nil, to: head)
            #expect(stat.filesChanged == 2)
            #expect(stat.insertions == 3)
            #expect(stat.deletions == 0)
            #expect(try repository.changedPaths(from: head, to: head).isEmpty)
            #expect(try repository.changedPaths(from: nil, to: repository.tree(of: head)) == ["x", "y/z"])
        }
    }
}
