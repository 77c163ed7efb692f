import Foundation
import Testing
import TestSupport

/// Dispatchers of one machine racing through a shared remote on a real git server (`git daemon`).
@Suite("next --remote, racing on one machine")
struct RemoteRaceTests {
    @Test("24 next --remote on one clone, 4 at a time, while other machines claim and release: each takes a unit; none fails on its fetch")
    func racersOnOneMachine() throws {
        try withTemporaryDirectory { root in
            try GitServer.daemon(serving: root).serve { server in
                let (_, clones) = try RemoteEndToEndTests.machines(in: root, units: 30, clones: 2, server: server)
                let (clone, other) = (clones[0], clones[1])
                try git("config", "dispatch.maxWindows", "30", in: clone)
                let others = (1...40).map { "refs/heads/dispatch/other/task-\($0)" }
                var results: [CommandResult] = []
                for round in 1...6 {
                    // Claims of other machines come and go between rounds: every racer's fetch
                    // writes or prunes the same 40 tracking refs at the same moment.
                    let update = round % 2 == 1 ? others.map { "main:\($0)" } : others.map { ":\($0)" }
                    try Shell.run(["git", "push", "-q", "origin"] + update, in: other)
                    results += try StartingGate.run(Array(repeating: ["/usr/bin/env", "-C", clone, SpecDispatchCLI.path, "next", "--remote", "origin"], count: 4),
                                                    in: clone, environment: ["SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates])
                }
                for result in results {
                    #expect(result.status == 0, "\(result)")
                }
                let taken = results.filter { $0.status == 0 }.map { $0.stdout.trimmingCharacters(in: .newlines) }
                #expect(Set(taken).count == taken.count, "\(results)")
                let claims = try git("ls-remote", "origin", "refs/heads/dispatch/s/*", in: clone).split(separator: "\n")
                #expect(claims.count == 24, "\(claims)")
            }
        }
    }
}
