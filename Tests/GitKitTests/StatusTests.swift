import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Working tree status and index")
struct StatusTests {
    /// `statusEntries` rendered as `git status --porcelain` lines.
    private func porcelain(_ entries: [StatusEntry]) -> [String] {
        func column(_ change: Change?) -> String {
            switch change {
            case nil: " "
            case .added: "A"
            case .modified: "M"
            case .deleted: "D"
            case .renamed: "R"
            case .typeChanged: "T"
            case .untracked: "?"
            case .ignored: "!"
            case .conflicted: "U"
            }
        }
        return entries.map { entry in
            let path = entry.originalPath.map { "\($0) -> \(entry.path)" } ?? entry.path
            return column(entry.indexStatus) + column(entry.workTreeStatus) + " " + path
        }
    }

    private func gitPorcelain(_ root: String, _ extra: String...) throws -> [String] {
        try run(["git", "status", "--porcelain"] + extra, in: root).split(separator: "\n").map(String.init)
    }

    @Test("statusEntries agrees with git status --porcelain for modified, staged, deleted, renamed and untracked paths")
    func statusMatchesGit() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root, files: [
                "modified.txt": "1\n", "staged.txt": "1\n", "both.txt": "1\n", "deleted.txt": "1\n",
                "rename-me.txt": "a long enough line to be detected as a rename\n", "clean.txt": "1\n", ".gitignore": "*.log\n",
            ])
            try write("2\n", to: "modified.txt", in: root)
            try write("2\n", to: "staged.txt", in: root)
            try git("add", "staged.txt", in: root)
            try write("2\n", to: "both.txt", in: root)
            try git("add", "both.txt", in: root)
            try write("3\n", to: "both.txt", in: root)
            try FileManager.default.removeItem(atPath: root + "/deleted.txt")
            try git("mv", "rename-me.txt", "renamed.txt", in: root)
            try write("new\n", to: "new-staged.txt", in: root)
            try git("add", "new-staged.txt", in: root)
            try write("u\n", to: "untracked.txt", in: root)
            try write("u\n", to: "untracked-dir/inner.txt", in: root)
            try write("l\n", to: "debug.log", in: root)

            let repository = try Repository.open(at: root)
            let entries = try repository.statusEntries()
            #expect(porcelain(entries).sorted() == (try gitPorcelain(root)).sorted())
            #expect(entries.first { $0.path == "renamed.txt" }?.originalPath == "rename-me.txt")
            #expect(entries.first { $0.path == "untracked-dir/" }?.workTreeStatus == .untracked)

            let withIgnored = try repository.statusEntries(includeIgnored: true)
            #expect(porcelain(withIgnored).sorted() == (try gitPorcelain(root, "--ignored")).sorted())
            let tracked = try repository.statusEntries(includeUntracked: false)
            #expect(porcelain(tracked).sorted() == (try gitPorcelain(root, "--untracked-files=no")).sorted())
            let filtered = try repository.statusEntries(paths: ["modified.txt", "untracked*"])
            #expect(Set(filtered.map(\.path)) == ["modified.txt", "untracked.txt", "untracked-dir/"])
        }
    }

    @Test("stage, indexEntryID and writeIndexTree behave like git add, ls-files and write-tree")
    func indexOperations() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root, files: ["a.txt": "a\n", "gone.txt": "g\n"])
            try write("a2\n", to: "a.txt", in: root)
            try write("n\n", to: "dir/new.txt", in: root)
            try FileManager.default.removeItem(atPath: root + "/gone.txt")
            let repository = try Repository.open(at: root)

            try repository.stage(paths: ["a.txt", "dir/new.txt", "gone.txt"])
            #expect(try gitPorcelain(root).sorted() == ["A  dir/new.txt", "D  gone.txt", "M  a.txt"])
            #expect(try repository.indexEntryID(path: "a.txt") == ObjectID(try gitValue("rev-parse", ":a.txt", in: root)))
            #expect(try repository.indexEntryID(path: "gone.txt") == nil)
            #expect(try repository.writeIndexTree() == ObjectID(try gitValue("write-tree", in: root)))
        }
    }

    @Test("the index is re-read when git changed it after the repository was opened")
    func indexSeesOutsideChanges() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            let repository = try Repository.open(at: root)
            #expect(try repository.indexEntryID(path: "x.txt") == nil)
            try write("x\n", to: "x.txt", in: root)
            try git("add", "x.txt", in: root)
            #expect(try repository.indexEntryID(path: "x.txt") != nil)
            try write("y\n", to: "y.txt", in: root)
            try repository.stage(paths: ["y.txt"])
            #expect(try gitPorcelain(root).sorted() == ["A  x.txt", "A  y.txt"])
        }
    }
}
