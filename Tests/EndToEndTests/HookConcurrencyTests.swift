import Foundation
import Testing
import TestSupport

@Suite("hooks under concurrency")
struct HookConcurrencyTests {
    static let units = 8, steps = 25, commits = 20

    @Test("8 windows making 20 trailer commits each at the same time: each branch has exactly the steps its commits completed")
    func parallelTrailerCommits() throws {
        try withTemporaryDirectory { root in
            var tasks = "# Plan\n"
            for u in 1...Self.units {
                tasks += "- [ ] \(u). Unit \(u)\n"
                for s in 1...Self.steps { tasks += "  - [ ] \(u).\(s) Step \(s) of unit \(u)\n" }
            }
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let windows = try SpecDispatchCLI.succeed(["next", "--count", "\(Self.units)"], in: repo.root)
                .split(separator: "\n").map(String.init)
            #expect(windows.count == Self.units)
            let plans = (1...Self.units).map { u in Array((1...Self.steps).map { "\(u).\($0)" }.shuffled().prefix(Self.commits)) }
            let results = ResultBox(count: Self.units)
            DispatchQueue.concurrentPerform(iterations: Self.units) { i in
                let script = plans[i].map { step in
                    "echo \(step) >> work.txt && git add work.txt && git commit -q -m 'work for \(step)' --trailer 'Completes: \(step)' || exit 1"
                }.joined(separator: "\n")
                results.set(i, (try? Shell.execute(["sh", "-c", script], in: windows[i])))
            }
            for u in 1...Self.units {
                let window = windows[u - 1]
                let result = try #require(results.get(u - 1))
                #expect(result.status == 0, "window \(u): \(result)")
                let committed = try git("show", "HEAD:.kiro/specs/s/tasks.md", in: window)
                let done = Set(plans[u - 1])
                let order = (1...Self.steps).map { "\(u).\($0)" }
                let firstOpen = order.first { !done.contains($0) }
                for step in order {
                    let marker = done.contains(step) ? "x" : (step == firstOpen ? "-" : " ")
                    #expect(committed.contains("  - [\(marker)] \(step) Step"), "unit \(u), step \(step) should be [\(marker)]")
                }
                #expect(committed.contains("- [-] \(u). Unit \(u)\n"))
                for other in 1...Self.units where other != u {
                    #expect(committed.contains("  - [ ] \(other).1 Step"), "unit \(u)'s branch must not show unit \(other)'s progress")
                }
                #expect(try gitValue("rev-list", "--count", "main..HEAD", in: window) == "\(Self.commits + 1)")
                #expect(try git("status", "--porcelain", in: window).isEmpty)
            }
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: repo.root) == tasks)
            try expectFsckClean(repo.root)
        }
    }

    @Test("9 windows making 8 trailer commits each while git pack-refs --all runs in a loop: every step a trailer names is [x] at each tip",
          .timeLimit(.minutes(2)))
    func trailerCommitsWhilePackingRefs() throws {
        try withTemporaryDirectory { root in
            let units = 9, steps = 8
            var tasks = "# Plan\n"
            for u in 1...units {
                tasks += "- [ ] \(u). Unit \(u)\n"
                for s in 1...steps { tasks += "  - [ ] \(u).\(s) Step \(s) of unit \(u)\n" }
            }
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let windows = try SpecDispatchCLI.succeed(["next", "--count", "\(units)"], in: repo.root).split(separator: "\n").map(String.init)
            #expect(windows.count == units)
            // What `git gc --auto`, IDEs and GUIs do: pack every ref, removing the loose files and their empty folders.
            let packer = LaunchedCommand(["sh", "-c", "while [ ! -f '\(root)/stop' ]; do git pack-refs --all; done"], in: repo.root)
            try packer.start()
            defer { packer.killHard() }
            // All at once (concurrentPerform would run only as many as there are cores).
            let agents = windows.enumerated().map { i, window in
                // A commit git itself refuses is not the hooks' to repair; the others go on.
                let script = (1...steps).map { s in
                    "echo \(s) >> work.txt && git add work.txt && git commit -q -m 'work for \(i + 1).\(s)' --trailer 'Completes: \(i + 1).\(s)'"
                }.joined(separator: "\n")
                return LaunchedCommand(["sh", "-c", script], in: window)
            }
            for agent in agents { try agent.start() }
            let results = agents.map { $0.wait() }
            try write("", to: "stop", in: root)
            _ = packer.wait()
            var named = 0
            for u in 1...units {
                let window = windows[u - 1]
                let result = results[u - 1]
                #expect(!result.stderr.contains("spec-dispatch: git_"), "window \(u): a hook failed: \(result.stderr)")
                let trailers = try git("log", "--format=%(trailers:key=Completes,valueonly)", "main..HEAD", in: window)
                    .split(whereSeparator: \.isNewline).map(String.init)
                named += trailers.count
                let committed = try git("show", "HEAD:.kiro/specs/s/tasks.md", in: window)
                for step in trailers {
                    #expect(committed.contains("  - [x] \(step) Step"), "unit \(u): \(step) is named by a trailer but not [x] at the tip")
                }
                #expect(try git("status", "--porcelain", in: window).isEmpty, "window \(u)")
            }
            #expect(named >= units * steps * 9 / 10, "most commits landed: \(named) of \(units * steps)")
            try expectFsckClean(repo.root)
        }
    }
}

/// Results written by concurrent workers, one slot each.
private final class ResultBox: @unchecked Sendable {
    private var values: [CommandResult?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: CommandResult?) { lock.withLock { values[i] = value } }

    func get(_ i: Int) -> CommandResult? { lock.withLock { values[i] } }
}
