import Dispatch
import Foundation
import GitKit
import Testing
import TestSupport

@Suite("References")
struct ReferenceTests {
    @Test("creating a ref that is absent succeeds and git sees it")
    func createAbsentReference() throws {
        try withTemporaryDirectory { root in
            let head = try ObjectID(makeRepository(at: root))
            let repository = try Repository.open(at: root)
            try repository.createReference("refs/heads/dispatch/task-1", target: head, logMessage: "claim task-1")
            #expect(try gitValue("rev-parse", "refs/heads/dispatch/task-1", in: root) == head.hex)
            #expect(try repository.referenceTarget("refs/heads/dispatch/task-1") == head)
            #expect(try repository.referenceTarget("refs/heads/nothing") == nil)
            #expect(try repository.referenceTarget("HEAD") == head)
            try expectFsckClean(root)
        }
    }

    @Test("creating a ref that exists fails with .exists and leaves it unchanged")
    func createExistingReference() throws {
        try withTemporaryDirectory { root in
            let first = try ObjectID(makeRepository(at: root))
            let second = try ObjectID(commitFiles(["x": "x\n"], message: "second", in: root))
            try git("branch", "taken", first.hex, in: root)
            let repository = try Repository.open(at: root)
            let error = gitError { try repository.createReference("refs/heads/taken", target: second, logMessage: "x") }
            #expect(error?.code == .exists)
            #expect(error?.message.contains("refs/heads/taken") == true)
            #expect(try gitValue("rev-parse", "refs/heads/taken", in: root) == first.hex)
            try git("pack-refs", "--all", in: root)
            #expect(gitError { try repository.createReference("refs/heads/taken", target: second, logMessage: "x") }?.code == .exists)
        }
    }

    @Test("racing creators of one ref: exactly one wins, every other gets .exists", .timeLimit(.minutes(1)))
    func createReferenceRace() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            let setup = try Repository.open(at: root)
            let tree = try setup.tree(of: setup.resolveCommit("HEAD"))
            let creators = 16
            let targets = try (0..<creators).map { index in
                try setup.createCommit(tree: tree, parents: [], message: "candidate \(index)\n", author: testSignature, committer: testSignature)
            }
            for round in 0..<25 {
                let name = "refs/heads/dispatch/claim-\(round)"
                let outcomes = Outcomes(count: creators)
                DispatchQueue.concurrentPerform(iterations: creators) { index in
                    do {
                        let repository = try Repository.open(at: root)
                        try repository.createReference(name, target: targets[index], logMessage: "claim")
                        outcomes.set(index, "won")
                    } catch let error as GitError {
                        outcomes.set(index, error.code == .exists ? "exists" : "unexpected \(error)")
                    } catch {
                        outcomes.set(index, "unexpected \(error)")
                    }
                }
                let results = outcomes.values
                #expect(results.filter { $0 == "won" }.count == 1, "round \(round): \(results)")
                #expect(results.filter { $0 == "exists" }.count == creators - 1, "round \(round): \(results)")
                let winner = try #require(results.firstIndex(of: "won"))
                #expect(try gitValue("rev-parse", name, in: root) == targets[winner].hex)
            }
            try expectFsckClean(root)
        }
    }

    @Test("updateReference moves a ref when it still has the expected value")
    func compareAndSwapSucceeds() throws {
        try withTemporaryDirectory { root in
            let first = try ObjectID(makeRepository(at: root))
            let second = try ObjectID(commitFiles(["x": "x\n"], message: "second", in: root))
            try git("branch", "work", first.hex, in: root)
            let repository = try Repository.open(at: root)
            try repository.updateReference("refs/heads/work", to: second, expecting: first, logMessage: "advance")
            #expect(try gitValue("rev-parse", "refs/heads/work", in: root) == second.hex)
            #expect(try git("reflog", "show", "refs/heads/work", in: root).contains("advance"))
        }
    }

    @Test("updateReference with a stale expected value fails with .modified and changes nothing")
    func compareAndSwapFails() throws {
        try withTemporaryDirectory { root in
            let first = try ObjectID(makeRepository(at: root))
            let second = try ObjectID(commitFiles(["x": "x\n"], message: "second", in: root))
            let third = try ObjectID(commitFiles(["y": "y\n"], message: "third", in: root))
            try git("branch", "work", second.hex, in: root)
            let repository = try Repository.open(at: root)
            let error = gitError { try repository.updateReference("refs/heads/work", to: third, expecting: first, logMessage: "stale") }
            #expect(error?.code == .modified)
            #expect(error?.message.contains(second.hex) == true)
            #expect(try gitValue("rev-parse", "refs/heads/work", in: root) == second.hex)
            let absent = gitError { try repository.updateReference("refs/heads/none", to: third, expecting: first, logMessage: "x") }
            #expect(absent?.code == .notFound)
            #expect(try repository.referenceTarget("refs/heads/none") == nil)
        }
    }

    @Test("deleteReference removes a ref only while it has the expected value")
    func deletingReferences() throws {
        try withTemporaryDirectory { root in
            let first = try ObjectID(makeRepository(at: root))
            let second = try ObjectID(commitFiles(["x": "x\n"], message: "second", in: root))
            try git("branch", "a", first.hex, in: root)
            try git("branch", "b", first.hex, in: root)
            let repository = try Repository.open(at: root)
            #expect(gitError { try repository.deleteReference("refs/heads/a", expecting: second) }?.code == .modified)
            #expect(try gitValue("rev-parse", "refs/heads/a", in: root) == first.hex)
            try repository.deleteReference("refs/heads/a", expecting: first)
            try repository.deleteReference("refs/heads/b", expecting: nil)
            #expect(try git("branch", "--list", "a", "b", in: root).isEmpty)
            #expect(gitError { try repository.deleteReference("refs/heads/a", expecting: nil) }?.code == .notFound)
        }
    }

    @Test("ref writes while `git pack-refs --all` runs in a loop: every create, update and delete succeeds",
          .timeLimit(.minutes(1)))
    func writesDuringPackRefs() throws {
        try withTemporaryDirectory { root in
            let first = try ObjectID(makeRepository(at: root))
            let second = try ObjectID(commitFiles(["x": "x\n"], message: "second", in: root))
            // pack-refs removes loose refs and then their empty folders, racing libgit2's mkdir and lock file.
            let packer = LaunchedCommand(["sh", "-c", "while [ ! -f stop ]; do git pack-refs --all; done"], in: root)
            try packer.start()
            defer { packer.killHard() }
            let repository = try Repository.open(at: root)
            var failures: [String] = []
            for round in 0..<150 {
                let name = "refs/heads/dispatch/s/task-\(round)"
                do {
                    try repository.createReference(name, target: first, logMessage: "claim")
                    try repository.updateReference(name, to: second, expecting: first, logMessage: "advance")
                    try repository.updateReference(name, to: first, expecting: second, logMessage: "amend")
                    try repository.deleteReference(name, expecting: first)
                } catch {
                    failures.append("round \(round): \(error)")
                    try? repository.deleteReference(name, expecting: nil)
                }
            }
            try write("", to: "stop", in: root)
            _ = packer.wait()
            #expect(failures.isEmpty, "\(failures.count) of 150 rounds failed, first: \(failures.first ?? "")")
            try expectFsckClean(root)
        }
    }

    @Test("references(matching:) lists matching refs sorted; '*' also crosses '/'")
    func listingReferences() throws {
        try withTemporaryDirectory { root in
            let head = try ObjectID(makeRepository(at: root))
            for name in ["dispatch/b", "dispatch/a", "dispatch/deep/c", "other"] {
                try git("branch", name, in: root)
            }
            try git("pack-refs", "--all", in: root)
            try git("branch", "dispatch/loose", in: root)
            let repository = try Repository.open(at: root)
            let listed = try repository.references(matching: "refs/heads/dispatch/*")
            #expect(listed.map(\.name) == ["refs/heads/dispatch/a", "refs/heads/dispatch/b", "refs/heads/dispatch/deep/c", "refs/heads/dispatch/loose"])
            #expect(listed.allSatisfy { $0.target == head })
            #expect(try repository.references(matching: "refs/tags/*").isEmpty)
        }
    }
}

/// Thread-safe slots for the outcome of each concurrent creator.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String]

    init(count: Int) {
        storage = Array(repeating: "none", count: count)
    }

    func set(_ index: Int, _ value: String) {
        lock.withLock { storage[index] = value }
    }

    var values: [String] {
        lock.withLock { storage }
    }
}
