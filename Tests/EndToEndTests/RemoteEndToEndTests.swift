import Foundation
import Testing
import TestSupport

@Suite("many machines through a shared remote")
struct RemoteEndToEndTests {
    /// A bare "origin" with a spec of `units` standalone units (or `tasks`), and `clones` clones
    /// of it: through `server` when given (its URL is their origin), else by its folder.
    static func machines(in root: String, units: Int = 0, tasks: String? = nil, clones: Int,
                         server: GitServer? = nil) throws -> (origin: String, clones: [String]) {
        let seed = try SpecRepository(in: root + "/seed", specs: ["s": tasks ?? (1...units).map { "- [ ] \($0). Unit \($0)\n" }.joined()])
        try git("init", "-q", "--bare", "-b", "main", root + "/origin.git", in: root)
        try git("push", "-q", root + "/origin.git", "main", in: seed.root)
        let clones = try (0..<clones).map { i -> String in
            let path = root + "/machine-\(i)"
            try git("clone", "-q", server?.url("origin.git") ?? root + "/origin.git", path, in: root)
            return path
        }
        return (root + "/origin.git", clones)
    }

    /// Starts `next --remote origin` in each clone at one moment and waits for them all.
    static func nextAtOnce(_ clones: [String]) throws -> [CommandResult] {
        try StartingGate.run(clones.map { ["/usr/bin/env", "-C", $0, SpecDispatchCLI.path, "next", "--remote", "origin"] },
                             in: clones[0], environment: ["SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates])
    }

    @Test("two machines claiming at the same moment, 30 times: never the same unit twice; a third machine sees both claims")
    func twoMachinesRace() throws {
        try withTemporaryDirectory { root in
            let (origin, clones) = try Self.machines(in: root, units: 6, clones: 3)
            var lostRaces = 0
            for round in 1...30 {
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
                    try SpecDispatchCLI.succeed(["abandon", "--force", unit], in: clone)
                    try git("push", "-q", "origin", "--delete", "dispatch/s/task-\(unit)", in: clone)
                }
            }
            print("two machines, 30 rounds: \(lostRaces) lost races handled")
            try expectFsckClean(origin)
        }
    }

    @Test("with dispatch.pushProgress, a window's commits reach the remote")
    func pushProgress() throws {
        try withTemporaryDirectory { root in
            let (origin, clones) = try Self.machines(in: root, units: 2, clones: 1)
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
        }
    }
}
