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
}

/// Results written by concurrent workers, one slot each.
private final class ResultBox: @unchecked Sendable {
    private var values: [CommandResult?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: CommandResult?) { lock.withLock { values[i] = value } }

    func get(_ i: Int) -> CommandResult? { lock.withLock { values[i] } }
}
