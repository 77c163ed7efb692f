import Foundation
import Testing
import TestSupport

/// Verdicts given at the same instant (see `StartingGate`): each is checked and counted against
/// the review log as it is when it lands, so they add up as if given one after another.
@Suite("review verdicts, racing", .serialized)
struct ReviewRaceTests {
    static let trials = 8

    /// A repository with `trials` units of one step each, every one done and under review.
    static func underReview(in root: String, criticality: String) throws -> SpecRepository {
        let tasks = (1...trials).map { "- [ ] \($0). Unit \($0)\n  - _criticality: \(criticality)_\n" }.joined()
        let repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
        try SpecDispatchCLI.succeed(["init"], in: repo.root)
        let windows = try SpecDispatchCLI.succeed(["next", "--count", "\(trials)"], in: repo.root).split(separator: "\n").map(String.init)
        for (i, window) in windows.enumerated() {
            try write("unit \(i + 1)\n", to: "unit\(i + 1).txt", in: window)
            try git("add", "-A", in: window)
            try git("commit", "-q", "-m", "unit \(i + 1)", "--trailer", "Completes: \(i + 1)", in: window)
            try SpecDispatchCLI.succeed(["review", "\(i + 1)"], in: repo.root)
        }
        return repo
    }

    static func race(_ commands: [[String]], in repo: SpecRepository) throws -> [CommandResult] {
        try StartingGate.run(commands.map { [SpecDispatchCLI.path] + $0 }, in: repo.root,
                             environment: ["SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates])
    }

    /// The events of a unit's review log, oldest first, by their `Dispatch-Event` and `Reviewer`.
    static func events(_ unit: Int, in repo: SpecRepository) throws -> [String] {
        try git("log", "--reverse", "--format=%(trailers:key=Dispatch-Event,valueonly,separator=) %(trailers:key=Reviewer,valueonly,separator=)",
                "refs/dispatch/reviews/s/task-\(unit)", in: repo.root)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// How many times a unit came into main since `before`: by fast-forward to the tip kept as
    /// refs/dispatch/merged/…, or by a merge commit, on main's first-parent line.
    static func merges(_ unit: Int, since before: String, in repo: SpecRepository) throws -> Int {
        let line = try git("log", "--first-parent", "--format=%H %s", "\(before)..main", in: repo.root).split(separator: "\n")
        let kept = try git("rev-parse", "--verify", "-q", "refs/dispatch/merged/s/task-\(unit)", in: repo.root, allowFailure: true)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let fastForwards = line.filter { !kept.isEmpty && $0.hasPrefix(kept + " ") }.count
        return fastForwards + line.filter { $0.dropFirst(41).hasPrefix("Merge unit \(unit):") }.count
    }

    @Test("two reviewers approve a unit that needs two at the same instant: both count, the one that completes the count merges, once")
    func twoReviewers() throws {
        try withTemporaryDirectory { root in
            let repo = try Self.underReview(in: root, criticality: "complex")
            for unit in 1...Self.trials {
                let before = try gitValue("rev-parse", "main", in: repo.root)
                let results = try Self.race([["approve", "\(unit)", "--reviewer", "a"], ["approve", "\(unit)", "--reviewer", "b"]], in: repo)
                #expect(results.allSatisfy { $0.status == 0 }, "unit \(unit): \(results)")
                #expect(results.filter { $0.stdout == "Approved s/\(unit) (1 of 2 approvals)\n" }.count == 1, "unit \(unit): \(results)")
                #expect(results.filter { $0.stdout.hasPrefix("Merged s/\(unit) into main") }.count == 1, "unit \(unit): \(results)")
                let events = try Self.events(unit, in: repo)
                #expect(events.count == 4 && events[0] == "review" && events[3] == "merged", "unit \(unit): \(events)")
                #expect(Set(events[1...2]) == ["approve a", "approve b"], "unit \(unit): \(events)")
                #expect(try Self.merges(unit, since: before, in: repo) == 1, "unit \(unit) merged once")
                #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: repo.root).contains("- [x] \(unit). Unit \(unit)\n"))
            }
            try expectFsckClean(repo.root)
        }
    }

    @Test("one reviewer approves twice at the same instant: one approval, the other refused with exit 7")
    func sameReviewer() throws {
        try withTemporaryDirectory { root in
            let repo = try Self.underReview(in: root, criticality: "complex")
            for unit in 1...Self.trials {
                let results = try Self.race([["approve", "\(unit)", "--reviewer", "a"], ["approve", "\(unit)", "--reviewer", "a"]], in: repo)
                #expect(results.filter { $0.status == 0 && $0.stdout == "Approved s/\(unit) (1 of 2 approvals)\n" }.count == 1, "unit \(unit): \(results)")
                #expect(results.filter { $0.status == 7 && $0.stderr.contains("a already approved round 1") }.count == 1, "unit \(unit): \(results)")
                #expect(try Self.events(unit, in: repo) == ["review", "approve a"])
            }
        }
    }

    @Test("reject races approve on a unit that needs one approval: one verdict lands, the other is refused; merged only if approved")
    func rejectAndApprove() throws {
        try withTemporaryDirectory { root in
            let repo = try Self.underReview(in: root, criticality: "standard")
            for unit in 1...Self.trials {
                let before = try gitValue("rev-parse", "main", in: repo.root)
                let results = try Self.race([["approve", "\(unit)", "--reviewer", "a"],
                                             ["reject", "\(unit)", "--reviewer", "r", "--reason", "not yet"]], in: repo)
                let (approve, reject) = (results[0], results[1])
                let events = try Self.events(unit, in: repo)
                if approve.status == 0 {
                    // Refused under review, or no longer found once the merge removed the window.
                    #expect(reject.status == 7 || reject.status == 3, "unit \(unit): \(results)")
                    #expect(events == ["review", "approve a", "merged"], "unit \(unit): \(results)")
                    #expect(try Self.merges(unit, since: before, in: repo) == 1)
                } else {
                    #expect(reject.status == 0 && approve.status == 7, "unit \(unit): \(results)")
                    #expect(events == ["review", "reject r"], "unit \(unit): \(results)")
                    #expect(try Self.merges(unit, since: before, in: repo) == 0)
                    #expect(try repo.cli("status").stdout.contains("fix required"))
                }
            }
        }
    }
}
