import Foundation
import Testing
import TestSupport

/// How the machines reach their shared remote: its folder, a git server on 127.0.0.1, or ssh
/// (a stand-in as `core.sshCommand`, so it goes through the user's git).
enum RemoteTransport: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case folder, gitDaemon, ssh

    /// Rounds of the two-machine race: the full 30 over a real protocol; the other transports
    /// share its claim logic and take 10, which keeps the suite's time in bounds.
    var raceRounds: Int { self == .gitDaemon ? 30 : 10 }

    var testDescription: String {
        switch self {
        case .folder: "a folder remote"
        case .gitDaemon: "git daemon"
        case .ssh: "ssh through git"
        }
    }

    /// Runs `body` with the server this transport needs (none for a folder or ssh), stopped afterwards.
    func serve<Result>(_ root: String, _ body: (GitServer?) throws -> Result) throws -> Result {
        switch self {
        case .folder, .ssh: try body(nil)
        case .gitDaemon: try GitServer.daemon(serving: root).serve { try body($0) }
        }
    }
}

@Suite("many machines through a shared remote")
struct RemoteEndToEndTests {
    /// A bare "origin" with a spec of `units` standalone units (or `tasks`), and `clones` clones
    /// of it: through `server` when given (its URL is their origin), over ssh for `.ssh`, else by
    /// its folder.
    static func machines(in root: String, units: Int = 0, tasks: String? = nil, clones: Int,
                         server: GitServer? = nil, transport: RemoteTransport = .folder) throws -> (origin: String, clones: [String]) {
        let seed = try SpecRepository(in: root + "/seed", specs: ["s": tasks ?? (1...units).map { "- [ ] \($0). Unit \($0)\n" }.joined()])
        try git("init", "-q", "--bare", "-b", "main", root + "/origin.git", in: root)
        try git("push", "-q", root + "/origin.git", "main", in: seed.root)
        let clones = try (0..<clones).map { i -> String in
            let path = root + "/machine-\(i)"
            try git("clone", "-q", server?.url("origin.git") ?? root + "/origin.git", path, in: root)
            if transport == .ssh { try Self.overSSH(path, origin: root + "/origin.git", in: root) }
            return path
        }
        return (root + "/origin.git", clones)
    }

    /// Points the clone's origin at `ssh://fakehost<origin>`, with a stand-in for ssh that runs
    /// the command it is given here, whatever the host: what libgit2 cannot do, git does.
    static func overSSH(_ clone: String, origin: String, in root: String) throws {
        let script = root + "/fake-ssh"
        if !FileManager.default.fileExists(atPath: script) {
            try write("#!/bin/sh\nfor last; do :; done\nexec sh -c \"$last\"\n", to: "fake-ssh", in: root)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        }
        try git("remote", "set-url", "origin", "ssh://fakehost" + origin, in: clone)
        try git("config", "core.sshCommand", script, in: clone)
        try git("config", "ssh.variant", "simple", in: clone)
    }

    /// Starts `next --remote origin` in each clone at one moment and waits for them all.
    static func nextAtOnce(_ clones: [String]) throws -> [CommandResult] {
        try StartingGate.run(clones.map { ["/usr/bin/env", "-C", $0, SpecDispatchCLI.path, "next", "--remote", "origin"] },
                             in: clones[0], environment: ["SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates])
    }

    @Test("two machines claiming at the same moment, 30 times over git daemon (10 over the others): never the same unit twice; a third machine sees both claims; abandon gives both back there",
          arguments: RemoteTransport.allCases)
    func twoMachinesRace(_ transport: RemoteTransport) throws {
        try withTemporaryDirectory { root in try transport.serve(root) { server in
            let (origin, clones) = try Self.machines(in: root, units: 6, clones: 3, server: server, transport: transport)
            var lostRaces = 0
            for round in 1...transport.raceRounds {
                let results = try Self.nextAtOnce([clones[0], clones[1]])
                let units = results.map { result -> String in
                    #expect(result.status == 0, "round \(round): \(result)")
                    lostRaces += result.stderr.contains("lost the race") ? 1 : 0
                    #expect(result.stderr.isEmpty || result.stderr.hasPrefix("note: lost the race"), "round \(round): \(result)")
                    return String(result.stdout.trimmingCharacters(in: .newlines).split(separator: "-").last ?? "")
                }
                #expect(Set(units).count == 2, "round \(round): both machines took \(units)")
                let remote = try git("ls-remote", origin, "refs/heads/dispatch/*", in: root).split(separator: "\n")
                #expect(remote.count == 2 && Set(units.map { "refs/heads/dispatch/s/task-\($0)" }) == Set(remote.map { String($0.split(separator: "\t")[1]) }),
                        "round \(round): \(remote)")
                if round == 1 {
                    let board = try SpecDispatchCLI.run(["status", "--remote", "origin"], in: clones[2])
                    for unit in units {
                        #expect(board.stdout.contains("task-\(unit) · on another machine (origin)") || board.stdout.contains("dispatch/s/task-\(unit)"), "\(board)")
                    }
                    #expect(board.stdout.contains("2 open"), "\(board)")
                    #expect(try SpecDispatchCLI.run(["ready", "--remote", "origin"], in: clones[2]).stdout.split(separator: "\n").count == 4)
                }
                for (clone, unit) in zip(clones, units) {
                    let abandoned = try SpecDispatchCLI.run(["abandon", "--force", unit], in: clone)
                    #expect(abandoned.status == 0 && abandoned.stdout.contains("removed its claim on origin"), "round \(round): \(abandoned)")
                }
                #expect(try git("ls-remote", origin, "refs/heads/dispatch/*", in: root).isEmpty, "round \(round)")
            }
            print("two machines over \(transport.testDescription), \(transport.raceRounds) rounds: \(lostRaces) lost races handled")
            try expectFsckClean(origin)
        } }
    }

    @Test("with dispatch.pushProgress, a window's commits reach the remote", arguments: RemoteTransport.allCases)
    func pushProgress(_ transport: RemoteTransport) throws {
        try withTemporaryDirectory { root in try transport.serve(root) { server in
            let (origin, clones) = try Self.machines(in: root, units: 2, clones: 1, server: server, transport: transport)
            let clone = clones[0]
            try git("config", "dispatch.remote", "origin", in: clone)
            try git("config", "dispatch.pushProgress", "true", in: clone)
            try SpecDispatchCLI.succeed(["init"], in: clone)
            let window = try SpecDispatchCLI.succeed(["next"], in: clone).trimmingCharacters(in: .newlines)
            try write("work\n", to: "work.txt", in: window)
            try git("add", "work.txt", in: window)
            try git("commit", "-q", "-m", "do it", "--trailer", "Completes: 1", in: window)
            let local = try gitValue("rev-parse", "HEAD", in: window)
            #expect(try gitValue("ls-remote", origin, "refs/heads/dispatch/s/task-1", in: root).hasPrefix(local))
            #expect(try git("show", "HEAD:.kiro/specs/s/tasks.md", in: window).contains("- [x] 1. Unit 1"))
            try write("more\n", to: "more.txt", in: window)
            try git("add", "more.txt", in: window)
            try git("commit", "-q", "-m", "plain commit", in: window)
            #expect(try gitValue("ls-remote", origin, "refs/heads/dispatch/s/task-1", in: root).hasPrefix(try gitValue("rev-parse", "HEAD", in: window)))
        } }
    }

    /// Commits a file in the window with a `Completes:` trailer for `step` (the hooks of `init` mark it).
    static func complete(_ step: String, in window: String) throws {
        try write("work for \(step)\n", to: "work-\(step).txt", in: window)
        try git("add", ".", in: window)
        try git("commit", "-q", "-m", "do \(step)", "--trailer", "Completes: \(step)", in: window)
    }

    @Test("abandon and merge remove the claim from the shared remote: the other machine sees the unit ready (or completed) again",
          arguments: RemoteTransport.allCases)
    func cleanupOnTheRemote(_ transport: RemoteTransport) throws {
        try withTemporaryDirectory { root in try transport.serve(root) { server in
            let (origin, clones) = try Self.machines(in: root, units: 3, clones: 2, server: server, transport: transport)
            let (a, b) = (clones[0], clones[1])
            for clone in clones { try git("config", "dispatch.remote", "origin", in: clone) }
            try SpecDispatchCLI.succeed(["init"], in: a)
            try SpecDispatchCLI.succeed(["next"], in: a)
            #expect(try SpecDispatchCLI.succeed(["status", "--remote", "origin"], in: b).contains("on another machine (origin)"))

            let abandoned = try SpecDispatchCLI.succeed(["abandon", "1"], in: a)
            #expect(abandoned.contains("removed its claim on origin"), "\(abandoned)")
            #expect(try git("ls-remote", origin, "refs/heads/dispatch/*", in: root).isEmpty)
            #expect(try SpecDispatchCLI.succeed(["ready", "--remote", "origin"], in: b).contains("Unit 1"))

            // A merge publishes the base first (the others read completions there), then lets go.
            let window = try SpecDispatchCLI.succeed(["next", "2"], in: a).trimmingCharacters(in: .newlines)
            try Self.complete("2", in: window)
            let merged = try SpecDispatchCLI.run(["merge", "2"], in: a)
            #expect(merged.status == 0 && merged.stdout.contains("removed its claim on origin"), "\(merged)")
            #expect(try git("ls-remote", origin, "refs/heads/dispatch/*", in: root).isEmpty)
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: origin).contains("- [x] 2. Unit 2"))
            let board = try SpecDispatchCLI.succeed(["status", "--remote", "origin"], in: b)
            #expect(board.contains("[x] 2") && !board.contains("another machine"), "\(board)")
            let taken = try SpecDispatchCLI.succeed(["next", "--count", "3"], in: b)
            #expect(taken.split(separator: "\n").map { $0.split(separator: "-").last } == ["1", "3"], "\(taken)")
            try expectFsckClean(origin)
        } }
    }

    @Test("giving a unit back never deletes another machine's claim of it: the lease is on this machine's commits",
          arguments: RemoteTransport.allCases)
    func leaseSparesAReclaim(_ transport: RemoteTransport) throws {
        try withTemporaryDirectory { root in try transport.serve(root) { server in
            let (origin, clones) = try Self.machines(in: root, units: 2, clones: 2, server: server, transport: transport)
            let (a, b) = (clones[0], clones[1])
            for clone in clones { try git("config", "dispatch.remote", "origin", in: clone) }
            try SpecDispatchCLI.succeed(["next", "1"], in: a)
            // The claim vanished from the remote (deleted by hand), and b claimed the unit again.
            try git("push", "-q", "origin", "--delete", "dispatch/s/task-1", in: a)
            try SpecDispatchCLI.succeed(["next", "1"], in: b)
            let reclaim = try gitValue("rev-parse", "dispatch/s/task-1", in: b)

            let abandoned = try SpecDispatchCLI.run(["abandon", "1"], in: a)
            #expect(abandoned.status == 0, "\(abandoned)")
            #expect(abandoned.stderr.contains("warning: its claim on origin stays") && abandoned.stderr.contains("another machine claimed the unit since"),
                    "\(abandoned)")
            #expect(try gitValue("rev-parse", "refs/heads/dispatch/s/task-1", in: origin) == reclaim)
        } }
    }

    @Test("doctor --remote and gc --remote clear the claims of a machine that is gone: merged at once, unmoved ones after dispatch.staleClaimDays, one with commits only forced and archived first",
          arguments: RemoteTransport.allCases)
    func staleClaims(_ transport: RemoteTransport) throws {
        try withTemporaryDirectory { root in try transport.serve(root) { server in
            let (origin, clones) = try Self.machines(in: root, units: 3, clones: 2, server: server, transport: transport)
            let (a, b) = (clones[0], clones[1])
            for clone in clones { try SpecDispatchCLI.succeed(["init"], in: clone) }
            // Machine a claims all three units, pushes work on 2, and merges 3 by hand; then it is gone.
            let windows = try SpecDispatchCLI.succeed(["next", "--remote", "origin", "--count", "3"], in: a).split(separator: "\n").map(String.init)
            try Self.complete("2", in: windows[1])
            try git("push", "-q", "origin", "dispatch/s/task-2", in: windows[1])
            try Self.complete("3", in: windows[2])
            try git("push", "-q", "origin", "dispatch/s/task-3", "dispatch/s/task-3:main", in: windows[2])
            let work = try gitValue("rev-parse", "dispatch/s/task-2", in: a)
            try FileManager.default.removeItem(atPath: a)
            try FileManager.default.removeItem(atPath: a + ".dispatch")

            let young = try SpecDispatchCLI.run(["doctor", "--remote", "origin"], in: b)
            #expect(young.status == 8, "\(young)")
            #expect(young.stdout == "claim dispatch/s/task-3 on origin is left over: its unit is merged into origin/main: repair — delete it on origin (the unit becomes free again)\n", "\(young)")
            try SpecDispatchCLI.succeed(["gc", "--remote", "origin"], in: b)
            #expect(try git("ls-remote", origin, "refs/heads/dispatch/*", in: root).split(separator: "\n").count == 2)

            try git("config", "dispatch.staleClaimDays", "0", in: b)
            let old = try SpecDispatchCLI.run(["doctor", "--remote", "origin", "--fix"], in: b)
            #expect(old.status == 8, "\(old)")
            #expect(old.stdout.contains("claim dispatch/s/task-1 on origin has not moved for 0 days and no window here has it: its machine looks gone: repaired"), "\(old)")
            #expect(old.stdout.contains("claim dispatch/s/task-2 on origin has not moved for 0 days and no window here has it, holding 1 commit nowhere else: its machine looks gone: not repaired"), "\(old)")
            let claims = try git("ls-remote", origin, "refs/heads/dispatch/*", in: root)
            #expect(claims.hasPrefix(work) && claims.split(separator: "\n").count == 1, "\(claims)")

            let forced = try SpecDispatchCLI.succeed(["gc", "--remote", "origin", "--force"], in: b)
            #expect(forced.contains("archived refs/dispatch/archive/s/task-2/") && forced.contains("-remote-origin"), "\(forced)")
            #expect(try git("for-each-ref", "--format=%(objectname)", "refs/dispatch/archive/s/task-2/", in: b).trimmingCharacters(in: .newlines) == work)
            #expect(try git("ls-remote", origin, "refs/heads/dispatch/*", in: root).isEmpty)

            // The claims of this machine's own windows are never stale.
            let taken = try SpecDispatchCLI.succeed(["next", "--remote", "origin", "--count", "3"], in: b)
            #expect(taken.split(separator: "\n").map { $0.split(separator: "-").last } == ["1", "2"], "\(taken)")
            let mine = try SpecDispatchCLI.run(["doctor", "--remote", "origin"], in: b)
            #expect(mine.status == 0 && mine.stdout.isEmpty, "\(mine)")
            try expectFsckClean(origin)
        } }
    }
}
