import Foundation
import GitKit
import Testing
import TestSupport

@Suite("Remotes")
struct RemoteTests {
    @Test("remoteNames and remoteURL read the configured remotes")
    func listingRemotes() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root)
            try git("remote", "add", "origin", "/srv/origin.git", in: root)
            try git("remote", "add", "backup", "file:///srv/backup.git", in: root)
            let repository = try Repository.open(at: root)
            #expect(try repository.remoteNames() == ["backup", "origin"])
            #expect(try repository.remoteURL("origin") == "/srv/origin.git")
            #expect(try repository.remoteURL("nope") == nil)
        }
    }

    @Test("pushing a new branch to a bare remote succeeds and updates the remote-tracking ref")
    func pushNewBranch() throws {
        try withTemporaryDirectory { root in
            let remote = root + "/remote.git"
            try git("init", "-q", "--bare", "-b", "main", remote, in: root)
            let head = try makeRepository(at: root + "/local")
            try git("remote", "add", "origin", remote, in: root + "/local")
            let repository = try Repository.open(at: root + "/local")

            let results = try repository.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/dispatch/task-1"])
            #expect(results == [PushRefResult(reference: "refs/heads/dispatch/task-1", rejection: nil)])
            #expect(try gitValue("rev-parse", "refs/heads/dispatch/task-1", in: remote) == head)
            #expect(try gitValue("rev-parse", "refs/remotes/origin/dispatch/task-1", in: root + "/local") == head)
            try expectFsckClean(remote)
        }
    }

    @Test("pushing a different commit to an existing remote branch without + comes back as a rejection")
    func pushRejected() throws {
        try withTemporaryDirectory { root in
            let remote = root + "/remote.git"
            try git("init", "-q", "--bare", "-b", "main", remote, in: root)
            let base = try makeRepository(at: root + "/local")
            try git("remote", "add", "origin", "file://" + remote, in: root + "/local")
            let repository = try Repository.open(at: root + "/local")
            let first = try ObjectID(commitFiles(["a": "a\n"], message: "first claim", in: root + "/local"))
            #expect(try repository.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/claim"]).first?.rejection == nil)

            try git("reset", "-q", "--hard", base, in: root + "/local")
            let second = try ObjectID(commitFiles(["b": "b\n"], message: "competing claim", in: root + "/local"))
            let results = try repository.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/claim", "refs/heads/main:refs/heads/fresh"])
            #expect(results.map(\.reference) == ["refs/heads/claim", "refs/heads/fresh"])
            #expect(results[0].rejection == "non-fast-forward")
            #expect(results[1].rejection == nil)
            #expect(try gitValue("rev-parse", "refs/heads/claim", in: remote) == first.hex)
            #expect(try gitValue("rev-parse", "refs/heads/fresh", in: remote) == second.hex)

            let fastForward = try ObjectID(commitFiles(["c": "c\n"], message: "on top", in: root + "/local"))
            #expect(try repository.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/fresh"]).first?.rejection == nil)
            #expect(try gitValue("rev-parse", "refs/heads/fresh", in: remote) == fastForward.hex)
            #expect(try repository.push(remote: "origin", refspecs: ["+refs/heads/main:refs/heads/claim"]).first?.rejection == nil)
            #expect(try gitValue("rev-parse", "refs/heads/claim", in: remote) == fastForward.hex)
            try expectFsckClean(remote)
        }
    }

    @Test("a remote value unknown locally is rejected as 'fetch first'")
    func pushOverUnknownCommit() throws {
        try withTemporaryDirectory { root in
            let remote = root + "/remote.git"
            try git("init", "-q", "--bare", "-b", "main", remote, in: root)
            try makeRepository(at: root + "/other")
            try git("push", "-q", remote, "main:refs/heads/claim", in: root + "/other")
            try makeRepository(at: root + "/local", files: ["different": "d\n"])
            let repository = try Repository.open(at: root + "/local")
            let results = try repository.push(remote: remote, refspecs: ["refs/heads/main:refs/heads/claim"])
            #expect(results == [PushRefResult(reference: "refs/heads/claim", rejection: "fetch first")])
        }
    }

    @Test("fetch brings the remote's branches into remote-tracking refs")
    func fetchBringsRefs() throws {
        try withTemporaryDirectory { root in
            let remote = root + "/remote.git"
            try git("init", "-q", "--bare", "-b", "main", remote, in: root)
            try makeRepository(at: root + "/other")
            let pushed = try commitFiles(["x": "x\n"], message: "x", in: root + "/other")
            try git("push", "-q", remote, "main:refs/heads/main", "main:refs/heads/dispatch/t1", in: root + "/other")

            try makeRepository(at: root + "/local")
            try git("remote", "add", "origin", remote, in: root + "/local")
            let repository = try Repository.open(at: root + "/local")
            try repository.fetch(remote: "origin", refspecs: [])
            #expect(try gitValue("rev-parse", "refs/remotes/origin/main", in: root + "/local") == pushed)
            #expect(try gitValue("rev-parse", "refs/remotes/origin/dispatch/t1", in: root + "/local") == pushed)

            try repository.fetch(remote: "origin", refspecs: ["+refs/heads/dispatch/*:refs/dispatch/*"])
            #expect(try repository.referenceTarget("refs/dispatch/t1") == ObjectID(pushed))
            #expect(gitError { try repository.fetch(remote: "nowhere", refspecs: []) }?.code == .notFound)
            try expectFsckClean(root + "/local")
        }
    }

    @Test("a key file that needs a passphrase is told apart from one that does not, in OpenSSH's format and in PEM")
    func keysNeedingPassphrases() throws {
        try withTemporaryDirectory { root in
            try Shell.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", root + "/plain"], in: root)
            try Shell.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "secret", "-f", root + "/locked"], in: root)
            try Shell.run(["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "secret", "-f", root + "/locked-pem"], in: root)
            #expect(!RemoteCredentials.keyNeedsPassphrase(root + "/plain"))
            #expect(RemoteCredentials.keyNeedsPassphrase(root + "/locked"))
            #expect(RemoteCredentials.keyNeedsPassphrase(root + "/locked-pem"))
            #expect(RemoteCredentials.keyNeedsPassphrase(root + "/absent"))
            try FileManager.default.createDirectory(atPath: root + "/.ssh", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: root + "/plain", toPath: root + "/.ssh/id_rsa")
            try FileManager.default.copyItem(atPath: root + "/locked", toPath: root + "/.ssh/id_ed25519")
            #expect(RemoteCredentials.defaultSSHKeys(home: root) == [root + "/.ssh/id_ed25519", root + "/.ssh/id_rsa"])
        }
    }

    @Test("a push with a lease updates or deletes a remote branch only while it holds the expected value, and lists what the remote has")
    func pushWithLease() throws {
        try withTemporaryDirectory { root in
            let remote = root + "/remote.git"
            try git("init", "-q", "--bare", "-b", "main", remote, in: root)
            let base = try ObjectID(makeRepository(at: root + "/local"))
            try git("remote", "add", "origin", remote, in: root + "/local")
            let repository = try Repository.open(at: root + "/local")
            #expect(try repository.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/claim"], expecting: ["refs/heads/claim": .zero])
                .first?.rejection == nil)
            #expect(try repository.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/claim"], expecting: ["refs/heads/claim": .zero])
                .first?.rejection == "stale info", "it exists now")
            #expect(try repository.remoteReferences("origin")["refs/heads/claim"] == base)

            let other = try ObjectID(commitFiles(["x": "x\n"], message: "other", in: root + "/local"))
            #expect(try repository.push(remote: "origin", refspecs: [":refs/heads/claim"], expecting: ["refs/heads/claim": other])
                .first?.rejection == "stale info")
            #expect(try gitValue("rev-parse", "refs/heads/claim", in: remote) == base.hex)
            #expect(try repository.push(remote: "origin", refspecs: [":refs/heads/claim"], expecting: ["refs/heads/claim": base])
                .first?.rejection == nil)
            #expect(try repository.remoteReferences("origin")["refs/heads/claim"] == nil)
        }
    }
}
