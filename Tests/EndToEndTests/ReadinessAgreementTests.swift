import Foundation
import Testing
import TestSupport

/// `status`, `ready` and `next` read one readiness: what `ready` lists, `next` takes, and what
/// `next` refuses, `ready` and `status` say is waiting, and why.
@Suite("status, ready and next agree")
struct ReadinessAgreementTests {
    static func readyIDs(_ json: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try #require(object["ready"] as? [[String: Any]]).compactMap { $0["id"] as? String }
    }

    @Test("with dispatch.remote set, another machine's claim is taken in ready and status, as in next (over git daemon)")
    func remoteClaimsCountEverywhere() throws {
        try withTemporaryDirectory { root in
            try GitServer.daemon(serving: root).serve { server in
                let (_, clones) = try RemoteEndToEndTests.machines(in: root, units: 3, clones: 2, server: server)
                let (a, b) = (clones[0], clones[1])
                for clone in clones { try git("config", "dispatch.remote", "origin", in: clone) }
                try SpecDispatchCLI.succeed(["next"], in: a)

                #expect(try Self.readyIDs(SpecDispatchCLI.succeed(["ready", "--json"], in: b)) == ["2", "3"])
                let board = try SpecDispatchCLI.succeed(["status"], in: b)
                #expect(board.contains("window on another machine (origin)"), "\(board)")
                #expect(try SpecDispatchCLI.succeed(["next"], in: b).hasSuffix("task-2\n"))
            }
        }
    }

    @Test("when the remote cannot be reached, status and ready warn and show what was fetched last; next fails")
    func remoteUnreachable() throws {
        try withTemporaryDirectory { root in
            let server = try GitServer.daemon(serving: root)
            let (_, clones) = try server.serve { server in
                let machines = try RemoteEndToEndTests.machines(in: root, units: 3, clones: 2, server: server)
                for clone in machines.clones { try git("config", "dispatch.remote", "origin", in: clone) }
                try SpecDispatchCLI.succeed(["next"], in: machines.clones[0])
                try SpecDispatchCLI.succeed(["status"], in: machines.clones[1])
                return machines
            }
            let b = clones[1]
            let board = try SpecDispatchCLI.run(["status"], in: b)
            #expect(board.status == 0 && board.stderr.hasPrefix("warning: cannot fetch from origin") && board.stderr.contains("showing what was fetched from it last"),
                    "\(board)")
            #expect(board.stdout.contains("window on another machine (origin)"), "\(board)")
            let ready = try SpecDispatchCLI.run(["ready", "--json"], in: b)
            #expect(ready.status == 0, "\(ready)")
            #expect(try Self.readyIDs(ready.stdout) == ["2", "3"])
            let next = try SpecDispatchCLI.run(["next"], in: b)
            #expect(next.status == 1 && next.stderr.contains("cannot fetch from origin"), "\(next)")
        }
    }

    @Test("status --remote on a clone behind the remote's base shows the remote's commit under its own name, and no uncommitted changes")
    func cloneBehindTheRemote() throws {
        try withTemporaryDirectory { root in
            try GitServer.daemon(serving: root).serve { server in
                let (_, clones) = try RemoteEndToEndTests.machines(in: root, units: 2, clones: 2, server: server)
                let (a, b) = (clones[0], clones[1])
                try write("- [ ] 1. Unit 1\n- [ ] 2. Unit 2\n- [ ] 3. Unit 3\n", to: ".kiro/specs/s/tasks.md", in: a)
                try git("commit", "-q", "-am", "add unit 3", in: a)
                try git("push", "-q", "origin", "main", in: a)
                let tip = try gitValue("rev-parse", "--short=7", "HEAD", in: a)

                let board = try SpecDispatchCLI.succeed(["status", "--remote", "origin"], in: b)
                #expect(board.contains(".kiro/specs/s/tasks.md at origin/main (\(tip))"), "\(board)")
                #expect(board.contains("Unit 3") && !board.contains("uncommitted"), "\(board)")
                #expect(try Self.readyIDs(SpecDispatchCLI.succeed(["ready", "--remote", "origin", "--json"], in: b)) == ["1", "2", "3"])
                // Edits to tasks.md are still told, measured against the branch checked out.
                try write("- [ ] 1. Unit 1 (edited)\n- [ ] 2. Unit 2\n", to: ".kiro/specs/s/tasks.md", in: b)
                #expect(try SpecDispatchCLI.succeed(["status", "--remote", "origin"], in: b).contains("note: tasks.md has uncommitted changes"))
            }
        }
    }

    @Test("a unit that writes a file an open unit writes is waiting in ready and status, as next refuses it (exit 6); next --count says why it opened fewer")
    func manifestsCountEverywhere() throws {
        try withTemporaryDirectory { root in
            let tasks = """
                - [ ] 1. One
                  - _writes: src/a.swift_
                - [ ] 2. Two
                  - _writes: src/a.swift, src/c.swift_
                - [ ] 3. Three
                  - _writes: src/b.swift_
                - [ ] 4. Four
                  - _writes: src/b.swift_

                """
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
            try SpecDispatchCLI.succeed(["next"], in: repo.root)

            #expect(try Self.readyIDs(SpecDispatchCLI.succeed(["ready", "--json"], in: repo.root)) == ["3", "4"])
            let verbose = try SpecDispatchCLI.succeed(["ready", "--verbose"], in: repo.root)
            #expect(verbose.contains("writes src/a.swift, which open unit 1 writes (_writes:)"), "\(verbose)")
            let board = try SpecDispatchCLI.succeed(["status"], in: repo.root)
            let row = board.split(separator: "\n").first { $0.contains("Two") }.map(String.init) ?? ""
            #expect(row.contains("waiting") && row.contains("writes src/a.swift, which open unit 1 writes"), "\(board)")

            let two = try SpecDispatchCLI.run(["next", "--count", "2"], in: repo.root)
            #expect(two.status == 0 && two.stdout.hasSuffix("task-3\n") && two.stdout.split(separator: "\n").count == 1, "\(two)")
            #expect(two.stderr.contains("note: opened 1 of 2 units: blocked by open windows writing the same files: s/2 (src/a.swift); s/4 (src/b.swift)"),
                    "\(two)")
            let refused = try SpecDispatchCLI.run(["next"], in: repo.root)
            #expect(refused.status == 6 && refused.stderr.contains("blocked by open windows writing the same files"), "\(refused)")
            #expect(try Self.readyIDs(SpecDispatchCLI.succeed(["ready", "--json"], in: repo.root)).isEmpty)
        }
    }
}
