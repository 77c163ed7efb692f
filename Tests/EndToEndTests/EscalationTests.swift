import Foundation
import Testing
import TestSupport

@Suite("escalation: every escalated unit has a way back, and every hint works as printed")
struct EscalationTests {
    /// The commands a message names in backquotes (`spec-dispatch …`), as a person would copy them.
    static func hintedCommands(_ text: String) -> [[String]] {
        text.components(separatedBy: "`").enumerated().compactMap { index, part in
            index % 2 == 1 && part.hasPrefix("spec-dispatch ") ? Array(part.split(separator: " ").dropFirst().map(String.init)) : nil
        }
    }

    /// Commits a change with a `Completes:` trailer in the window.
    static func complete(_ step: String, in window: String, line: String) throws {
        try write("\(line)\n", to: "work.txt", in: window)
        try git("add", "-A", in: window)
        try git("commit", "-q", "-m", "work on \(step)", "--trailer", "Completes: \(step)", in: window)
    }

    @Test("a standalone unit rejected dispatch.maxFixAttempts times is blocked with the reason; unblock s/1, as printed, takes it back")
    func standaloneEscalation() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: "- [ ] 1. Only task\n- [ ] 2. Later\n  - depends on: 1\n")
            try git("config", "dispatch.maxFixAttempts", "2", in: w.repo.root)
            try Self.complete("1", in: w.window, line: "first")
            #expect(try w.repo.cli("review", "1").status == 0)
            #expect(try w.repo.cli("reject", "1", "--reason", "no tests").status == 0)
            try Self.complete("1", in: w.window, line: "second")
            #expect(try w.repo.cli("review", "1").status == 0)
            let rejected = try w.repo.cli("reject", "1", "--reason", "still no tests")
            #expect(rejected.status == 0 && rejected.stdout.contains("escalated"), "\(rejected)")
            let escalated = try w.committedTasks()
            #expect(escalated.contains("- [x] 1. Only task\n  - _Blocked: escalated after 2 rejections: still no tests_\n"), "\(escalated)")
            let board = try w.repo.cli("status").stdout
            #expect(board.contains("blocked"), "\(board)")

            let review = try w.repo.cli("review", "1")
            #expect(review.status == 7 && review.stderr.contains("escalated"), "\(review)")
            let fromReview = Self.hintedCommands(review.stderr)
            #expect(fromReview == [["unblock", "s/1"]], "\(review)")
            let printed = Self.hintedCommands(rejected.stdout)
            #expect(printed == [["unblock", "s/1"]], "\(rejected)")
            for command in printed {
                let result = try SpecDispatchCLI.run(command, in: w.repo.root)
                #expect(result.status == 0, "`spec-dispatch \(command.joined(separator: " "))` as printed: \(result)")
            }
            #expect(!(try w.committedTasks().contains("_Blocked:")))
            #expect(try w.repo.cli("status").stdout.contains("pending review"))
            let again = try w.repo.cli("review", "s/1")
            #expect(again.status == 0, "the count starts again: \(again)")
            #expect(try w.repo.cli("reject", "1", "--reason", "one more").stdout.contains("rejection 1 of 2"))
        }
    }

    @Test("unblock lifts an escalation whose block line is gone (completed over, or never written)")
    func escalationWithoutLine() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: "- [ ] 1. Only task\n")
            try git("config", "dispatch.maxFixAttempts", "1", in: w.repo.root)
            try Self.complete("1", in: w.window, line: "first")
            #expect(try w.repo.cli("review", "1").status == 0)
            #expect(try w.repo.cli("reject", "1", "--reason", "wrong").status == 0)
            // A fix commit completes the step again, which takes its block line away.
            try Self.complete("1", in: w.window, line: "fixed")
            #expect(!(try w.committedTasks().contains("_Blocked:")))
            #expect(try w.repo.cli("review", "1").status == 7, "still escalated: a person has to take it back")
            let unblocked = try w.repo.cli("unblock", "1")
            #expect(unblocked.status == 0 && unblocked.stdout.contains("escalation is lifted"), "\(unblocked)")
            #expect(try w.repo.cli("review", "1").status == 0)
        }
    }

    @Test("merge of a unit under review names the unit in its --force hint, which works as printed")
    func mergeHint() throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: "- [ ] 1. Only task\n")
            try Self.complete("1", in: w.window, line: "first")
            #expect(try w.repo.cli("review", "1").status == 0)
            let merge = try w.repo.cli("merge", "1")
            #expect(merge.status == 7, "\(merge)")
            let hinted = Self.hintedCommands(merge.stderr)
            #expect(hinted == [["merge", "--force", "s/1"]], "\(merge)")
            for command in hinted {
                let result = try SpecDispatchCLI.run(command, in: w.repo.root)
                #expect(result.status == 0, "\(result)")
            }
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: w.repo.root).hasPrefix("- [x] 1. Only task"))
        }
    }
}
