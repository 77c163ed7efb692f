import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Checkout")
struct CheckoutTests {
    @Test("a safe checkout of HEAD's tree restores missing files but refuses to overwrite local edits; force overwrites")
    func checkoutHeadSafety() throws {
        try withTemporaryDirectory { root in
            let head = ObjectID(try makeRepository(at: root, files: ["edited.txt": "original\n", "missing.txt": "m\n", "other.txt": "o\n"]))
            try write("local edit\n", to: "edited.txt", in: root)
            try FileManager.default.removeItem(atPath: root + "/missing.txt")
            let repository = try Repository.open(at: root)

            let everything = gitError { try repository.checkoutTree(head, paths: nil, force: false) }
            #expect(everything?.code == .conflict)
            #expect(everything?.message.contains("edited.txt") == true)
            #expect(!FileManager.default.fileExists(atPath: root + "/missing.txt"))
            try repository.checkoutTree(head, paths: ["missing.txt"], force: false)
            #expect(try String(contentsOfFile: root + "/missing.txt", encoding: .utf8) == "m\n")
            let error = gitError { try repository.checkoutTree(head, paths: ["edited.txt"], force: false) }
            #expect(error?.code == .conflict)
            #expect(try String(contentsOfFile: root + "/edited.txt", encoding: .utf8) == "local edit\n")
            try repository.checkoutTree(head, paths: nil, force: true)
            #expect(try String(contentsOfFile: root + "/edited.txt", encoding: .utf8) == "original\n")
            #expect(try git("status", "--porcelain", in: root).split(separator: "\n").map(String.init).isEmpty)
        }
    }

    @Test("checkoutTree updates files and index to another commit without moving HEAD")
    func checkoutOtherTree() throws {
        try withTemporaryDirectory { root in
            let first = try makeRepository(at: root, files: ["f.txt": "v1\n", "g.txt": "g1\n"])
            let second = try commitFiles(["f.txt": "v2\n", "g.txt": "g2\n"], message: "v2", in: root)
            let repository = try Repository.open(at: root)
            try repository.checkoutTree(ObjectID(first), paths: ["f.txt"], force: false)
            #expect(try String(contentsOfFile: root + "/f.txt", encoding: .utf8) == "v1\n")
            #expect(try String(contentsOfFile: root + "/g.txt", encoding: .utf8) == "g2\n")
            #expect(try gitValue("rev-parse", "HEAD", in: root) == second)
            #expect(try git("status", "--porcelain", in: root).split(separator: "\n").map(String.init) == ["M  f.txt"])

            try write("local\n", to: "g.txt", in: root)
            #expect(gitError { try repository.checkoutTree(ObjectID(first), paths: ["g.txt"], force: false) }?.code == .conflict)
            #expect(try String(contentsOfFile: root + "/g.txt", encoding: .utf8) == "local\n")
            try repository.checkoutTree(ObjectID(first), paths: ["g.txt"], force: true)
            #expect(try String(contentsOfFile: root + "/g.txt", encoding: .utf8) == "g1\n")
        }
    }
}
