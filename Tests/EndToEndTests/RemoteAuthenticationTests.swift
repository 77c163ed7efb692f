import Foundation
import Testing
import TestSupport

/// A shared remote that asks for a password: `git http-backend` behind basic auth, over plain
/// http on 127.0.0.1. spec-dispatch gets the password as git does, from the credential helpers
/// configured in git, and never prompts.
@Suite("a remote that asks for a password")
struct RemoteAuthenticationTests {
    static let (user, password) = ("alice", "s3cret-token")

    /// One machine's clone of the served origin, with a home of its own (no helper of the user's
    /// counts), and the environment to run git and spec-dispatch there.
    static func machine(in root: String, server: GitServer) throws -> (clone: String, url: String, environment: [String: String]) {
        let home = root + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/.config", "GIT_ASKPASS": "", "SSH_ASKPASS": ""]
        let seed = try SpecRepository(in: root + "/seed", specs: ["s": "- [ ] 1. Unit 1\n- [ ] 2. Unit 2\n"])
        try git("init", "-q", "--bare", "-b", "main", root + "/origin.git", in: root)
        try git("push", "-q", root + "/origin.git", "main", in: seed.root)
        let url = server.url("origin.git")
        let withPassword = url.replacingOccurrences(of: "http://", with: "http://\(user):\(password)@")
        try git("clone", "-q", withPassword, root + "/machine", in: root, environment: environment)
        try git("remote", "set-url", "origin", url, in: root + "/machine")
        return (root + "/machine", url, environment)
    }

    @Test("next --remote claims through an http remote behind basic auth, the password from credential.helper store")
    func claimWithStoredPassword() throws {
        try withTemporaryDirectory { root in
            try GitServer.http(serving: root, user: Self.user, password: Self.password).serve { server in
                let (clone, url, environment) = try Self.machine(in: root, server: server)
                let store = root + "/home/credentials"
                try "\(url.replacingOccurrences(of: "http://", with: "http://\(Self.user):\(Self.password)@"))\n"
                    .write(toFile: store, atomically: true, encoding: .utf8)
                try git("config", "credential.helper", "store --file=\(store)", in: clone)
                let refusedBefore = server.refusedRequests

                let window = try SpecDispatchCLI.succeed(["next", "--remote", "origin"], in: clone, environment: environment)
                #expect(window.hasSuffix("task-1\n"))
                #expect(server.refusedRequests > refusedBefore, "the server asked, and the helper answered")
                let claims = try git("ls-remote", "origin", "refs/heads/dispatch/*", in: clone, environment: environment)
                #expect(claims.contains("refs/heads/dispatch/s/task-1"), "\(claims)")
                let board = try SpecDispatchCLI.succeed(["status", "--remote", "origin"], in: clone, environment: environment)
                #expect(board.contains("1 open"), "\(board)")
            }
        }
    }

    @Test("with no credential helper, next --remote exits 9 naming the remote, its URL and what was tried; nothing is claimed")
    func noHelper() throws {
        try withTemporaryDirectory { root in
            try GitServer.http(serving: root, user: Self.user, password: Self.password).serve { server in
                let (clone, url, environment) = try Self.machine(in: root, server: server)
                let result = try SpecDispatchCLI.run(["next", "--remote", "origin"], in: clone, environment: environment)
                #expect(result.status == 9, "\(result)")
                #expect(result.stderr.contains("cannot authenticate to origin (\(url))"), "\(result)")
                #expect(result.stderr.contains("git's credential helpers"), "\(result)")
                #expect(result.stderr.contains("hint: "), "\(result)")
                #expect(result.stdout.isEmpty)
                #expect(try git("for-each-ref", "refs/heads/dispatch/", in: clone).isEmpty)
                #expect(try git("for-each-ref", "refs/heads/dispatch/", in: root + "/origin.git").isEmpty)
            }
        }
    }

    @Test("a password the server refuses is rejected from the helper (git credential reject), and next exits 9")
    func refusedPassword() throws {
        try withTemporaryDirectory { root in
            try GitServer.http(serving: root, user: Self.user, password: Self.password).serve { server in
                let (clone, url, environment) = try Self.machine(in: root, server: server)
                let store = root + "/home/credentials"
                try "\(url.replacingOccurrences(of: "http://", with: "http://\(Self.user):expired@"))\n"
                    .write(toFile: store, atomically: true, encoding: .utf8)
                try git("config", "credential.helper", "store --file=\(store)", in: clone)
                let result = try SpecDispatchCLI.run(["next", "--remote", "origin"], in: clone, environment: environment)
                #expect(result.status == 9, "\(result)")
                #expect(result.stderr.contains("refused"), "\(result)")
                #expect(try String(contentsOfFile: store, encoding: .utf8).isEmpty, "the refused password was erased")
                #expect(try git("for-each-ref", "refs/heads/dispatch/", in: clone).isEmpty)
            }
        }
    }

    @Test("an ssh remote goes through the user's git and ssh (core.sshCommand); one that refuses the key exits 9 with what ssh said")
    func sshRefusal() throws {
        try withTemporaryDirectory { root in
            let (_, clones) = try RemoteEndToEndTests.machines(in: root, units: 2, clones: 1, transport: .ssh)
            let clone = clones[0]
            #expect(try SpecDispatchCLI.succeed(["next", "--remote", "origin"], in: clone).hasSuffix("task-1\n"))
            try write("#!/bin/sh\necho 'git@fakehost: Permission denied (publickey).' >&2\nexit 255\n", to: "refusing-ssh", in: root)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/refusing-ssh")
            try git("config", "core.sshCommand", root + "/refusing-ssh", in: clone)
            let result = try SpecDispatchCLI.run(["next", "--remote", "origin"], in: clone)
            #expect(result.status == 9, "\(result)")
            #expect(result.stderr.contains("cannot authenticate to origin (ssh://fakehost\(root)/origin.git)") && result.stderr.contains("Permission denied (publickey)"),
                    "\(result)")
        }
    }
}
