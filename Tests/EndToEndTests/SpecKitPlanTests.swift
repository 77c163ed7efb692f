import Foundation
import Testing
import TestSupport

/// A Spec Kit plan where Spec Kit puts it (`specs/<feature>/tasks.md`), taken through the loop
/// phase by phase: dispatch, trailer commits of T-numbered steps, review, merge, and two story
/// phases in parallel whose tasks.md changes meet in the merge driver.
@Suite("Spec Kit plans, end to end")
struct SpecKitPlanEndToEndTests {
    static let path = "specs/001-demo/tasks.md"
    static let plan = """
        # Tasks: Demo

        - [P] tasks = different files, no dependencies

        ## Phase 1: Setup

        - [ ] T001 Create the project skeleton
        - [ ] T002 [P] Add the linter configuration

        ## Phase 2: Foundational (Blocking Prerequisites)

        - [ ] T003 Implement the API client — depends on T004
        - [ ] T004 Implement the store

        ## Phase 3: User Story 1 - Sign in (Priority: P1)

        - [ ] T005 [P] [US1] Write the sign-in form

        ## Phase 4: User Story 2 - Sign out (Priority: P2)

        - [ ] T006 [US2] Add the sign-out button

        ## Phase 5: Polish & Cross-Cutting Concerns

        - [ ] T007 Update the README

        ## Checklist

        - [ ] All tests pass

        """

    /// Dispatches `unit`, commits one change per step with its trailer, reviews and approves it.
    static func finish(_ unit: String, steps: [String], in repo: SpecRepository) throws -> String {
        let window = try SpecDispatchCLI.succeed(["next", unit], in: repo.root).trimmingCharacters(in: .whitespacesAndNewlines)
        try commitSteps(steps, in: window)
        return window
    }

    static func commitSteps(_ steps: [String], in window: String) throws {
        for step in steps {
            try write("work on \(step)\n", to: "work-\(step).txt", in: window)
            try git("add", "-A", in: window)
            let commit = try Shell.execute(["git", "commit", "-q", "-m", "Work on \(step)", "--trailer", "Completes: \(step)"], in: window)
            #expect(commit.status == 0, "\(commit)")
        }
    }

    static func approve(_ unit: String, in repo: SpecRepository) throws {
        let review = try repo.cli("review", unit)
        #expect(review.status == 0, "\(review)")
        let approved = try repo.cli("approve", unit, "--reviewer", "rita")
        #expect(approved.status == 0, "\(approved)")
    }

    @Test("phases are dispatched in Spec Kit's order, completed by T-id trailers, and merged; two stories run side by side")
    func phaseByPhase() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: [:], extraFiles: [Self.path: Self.plan])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            #expect(try repo.cli("validate").stdout == "")
            let status = try repo.cli("status")
            #expect(status.stdout.contains("[ ] 1 ") && status.stdout.contains("Add the linter configuration [P]")
                    && status.stdout.contains("Write the sign-in form [P] [US1]"), "\(status)")
            #expect(try repo.cli("ready").stdout == "1  Setup\n")

            let setup = try Self.finish("1", steps: ["T001", "T002"], in: repo)
            #expect(setup.hasSuffix("/001-demo/task-1"))
            let prompt = try String(contentsOfFile: setup + "/.dispatch/prompt.md", encoding: .utf8)
            #expect(prompt.contains("**T002** [P] Add the linter configuration") && prompt.contains("the `[-]` mark on T001 was set"), "\(prompt)")
            let payload = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: setup + "/.dispatch/payload.json"))) as? [String: Any]
            let steps = try #require(payload?["steps"] as? [[String: Any]])
            #expect(steps.map { $0["id"] as? String } == ["T001", "T002"] && steps.map { $0["parallel"] as? Bool } == [false, true])
            #expect(try repo.cli("ready").stdout == "", "Foundational waits for Setup to merge")
            try Self.approve("1", in: repo)
            #expect(try git("show", "main:\(Self.path)", in: repo.root).contains("- [x] T001 Create the project skeleton\n- [x] T002 [P] Add"))

            let foundational = try SpecDispatchCLI.succeed(["next"], in: repo.root).trimmingCharacters(in: .whitespacesAndNewlines)
            let payload2 = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: foundational + "/.dispatch/payload.json"))) as? [String: Any]
            #expect((payload2?["steps"] as? [[String: Any]])?.map { $0["id"] as? String } == ["T004", "T003"], "T003 depends on T004")
            try Self.commitSteps(["T004", "T003"], in: foundational)
            try Self.approve("2", in: repo)

            #expect(try repo.cli("ready").stdout == "3  User Story 1 - Sign in (Priority: P1)\n4  User Story 2 - Sign out (Priority: P2)\n")
            let next = try repo.cli("next", "--count", "2")
            #expect(next.status == 0, "\(next)")
            let windows = next.stdout.split(separator: "\n").map(String.init)
            #expect(windows.count == 2)
            try Self.commitSteps(["T005"], in: windows[0])
            try Self.commitSteps(["T006"], in: windows[1])
            try Self.approve("3", in: repo)
            try Self.approve("4", in: repo)
            let merged = try git("show", "main:\(Self.path)", in: repo.root)
            #expect(merged == Self.plan.replacingOccurrences(of: "- [ ] T00", with: "- [x] T00")
                .replacingOccurrences(of: "- [x] T007", with: "- [ ] T007"), "both stories' marks, nothing else changed")
            #expect(try repo.cli("ready").stdout == "5  Polish & Cross-Cutting Concerns\n")
        }
    }

    @Test("both folders are read; a name in both is an error naming both, until dispatch.specsDir chooses one")
    func specsFolder() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["kiro": "- [ ] 1. Kiro task\n"],
                                          extraFiles: [Self.path: Self.plan, "specs/002-other/tasks.md": "## Phase 1: Setup\n- [ ] T001 Other\n"])
            #expect(try repo.cli("ready").stdout == "001-demo/1   Setup\n002-other/1  Setup\nkiro/1       Kiro task\n")
            try write("- [ ] 1. Same name\n", to: ".kiro/specs/001-demo/tasks.md", in: repo.root)
            try git("add", "-A", in: repo.root)
            try git("commit", "-q", "-m", "clash", in: repo.root)
            let clash = try repo.cli("ready")
            #expect(clash.status == 2 && clash.stderr == "error: spec name '001-demo' is in .kiro/specs/001-demo/tasks.md and \(Self.path); windows find their spec by name\nhint: rename one of the folders, or set dispatch.specsDir to the one to use\n", "\(clash)")
            try git("config", "dispatch.specsDir", "specs", in: repo.root)
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            #expect(try repo.cli("ready").stdout == "001-demo/1   Setup\n002-other/1  Setup\n")
            let window = try SpecDispatchCLI.succeed(["next"], in: repo.root).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(window.hasSuffix("/001-demo/task-1"))
            try Self.commitSteps(["T001"], in: window)
            #expect(try git("show", "HEAD:\(Self.path)", in: window).contains("- [x] T001 Create"), "the hook found the spec in specs/")
        }
    }

    @Test("a plan renumbered on main while a phase is open does not dispatch that phase's tasks again, and its merge marks the phase that holds them")
    func renumberedPhases() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: [:], extraFiles: [Self.path: Self.plan])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            _ = try Self.finish("1", steps: ["T001", "T002"], in: repo)
            try Self.approve("1", in: repo)
            _ = try Self.finish("2", steps: ["T004", "T003"], in: repo)
            try Self.approve("2", in: repo)
            let story = try SpecDispatchCLI.succeed(["next", "3"], in: repo.root).trimmingCharacters(in: .whitespacesAndNewlines)
            // A completed phase inserted before it: the open phase's id now names done work.
            let main = try git("show", "main:\(Self.path)", in: repo.root)
                .replacingOccurrences(of: "## Phase 3: User Story 1", with: "## Phase 3: Tooling\n\n- [x] T010 Add the tools\n\n## Phase 9: User Story 1")
            try write(main, to: Self.path, in: repo.root)
            try git("commit", "-q", "-am", "renumber", in: repo.root)
            let ready = try repo.cli("ready").stdout
            #expect(!ready.contains("9  "), "phase 9 holds T005, which the open window works: \(ready)")
            #expect(try repo.cli("next", "9").status != 0)
            try Self.commitSteps(["T005"], in: story)
            try Self.approve("3", in: repo)
            let merged = try git("show", "main:\(Self.path)", in: repo.root)
            #expect(merged.contains("- [x] T010 Add the tools") && merged.contains("- [x] T005 [P] [US1] Write the sign-in form"), "\(merged)")
            #expect(try repo.cli("ready").stdout.contains("4  User Story 2"), "the rest goes on")
        }
    }

    @Test("a window cannot block another unit through a line under its heading; review refuses a unit blocked as a whole")
    func headingBlocks() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: [:], extraFiles: [Self.path: Self.plan])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let setup = try SpecDispatchCLI.succeed(["next", "1"], in: repo.root).trimmingCharacters(in: .whitespacesAndNewlines)
            let tasks = try String(contentsOfFile: setup + "/" + Self.path, encoding: .utf8)
            try write(tasks.replacingOccurrences(of: "## Phase 2: Foundational (Blocking Prerequisites)\n", with: "## Phase 2: Foundational (Blocking Prerequisites)\n  - _Blocked: sabotage_\n"),
                      to: Self.path, in: setup)
            try git("add", "-A", in: setup)
            let sabotage = try Shell.execute(["git", "commit", "-q", "-m", "x"], in: setup)
            #expect(sabotage.status != 0 && sabotage.stderr.contains("changes tasks of other units"), "\(sabotage)")
            try git("checkout", "-q", "HEAD", "--", Self.path, in: setup)
            #expect(try SpecDispatchCLI.run(["block", "1", "--reason", "wait for the licence"], in: setup).status == 0)
            try Self.commitSteps(["T001", "T002"], in: setup)
            let review = try repo.cli("review", "1")
            #expect(review.status == 7 && review.stderr.contains("it is blocked (wait for the licence)"), "\(review)")
            #expect(try SpecDispatchCLI.run(["unblock", "1"], in: setup).status == 0)
            #expect(try repo.cli("review", "1").status == 0)
            #expect(try SpecDispatchCLI.run(["block", "1", "--reason", "licence again"], in: setup).status == 0)
            let approve = try repo.cli("approve", "1", "--reviewer", "rita")
            #expect(approve.status == 7 && approve.stderr.contains("cannot be approved: it is blocked (licence again)"), "\(approve)")
            let merge = try repo.cli("merge", "--force", "1")
            #expect(merge.status == 7 && merge.stderr.contains("cannot merge: it is blocked"), "\(merge)")
            #expect(!(try git("show", "main:\(Self.path)", in: repo.root).contains("_Blocked:")))
        }
    }

    @Test("in a Spec Kit window, done, block and unblock find the step by the phase that holds it, not by its id")
    func progressCommands() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: [:], extraFiles: [
                Self.path: Self.plan, "specs/000-loose/tasks.md": "- [ ] T001 Loose task of another spec\n"])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let loose = try SpecDispatchCLI.succeed(["next", "000-loose/T001"], in: repo.root).trimmingCharacters(in: .whitespacesAndNewlines)
            let setup = try SpecDispatchCLI.succeed(["next", "001-demo/1"], in: repo.root).trimmingCharacters(in: .whitespacesAndNewlines)
            try write("work\n", to: "work.txt", in: setup)
            try git("add", "-A", in: setup)
            try git("commit", "-q", "-m", "Work on T001", in: setup)
            let done = try SpecDispatchCLI.run(["done", "T001"], in: setup)
            #expect(done.status == 0, "\(done)")
            #expect(try git("show", "HEAD:\(Self.path)", in: setup).contains("- [x] T001 Create the project skeleton"))
            #expect(try git("show", "HEAD:specs/000-loose/tasks.md", in: loose) == "- [-] T001 Loose task of another spec\n",
                    "the other spec's T001 is untouched")
            let blocked = try SpecDispatchCLI.run(["block", "T002", "--reason", "needs the linter's licence"], in: setup)
            #expect(blocked.status == 0, "\(blocked)")
            #expect(try repo.cli("status").stdout.contains("blocked: needs the linter's licence"))
            let unblocked = try SpecDispatchCLI.run(["unblock", "T002"], in: setup)
            #expect(unblocked.status == 0, "\(unblocked)")
            #expect(!(try git("show", "HEAD:\(Self.path)", in: setup).contains("_Blocked:")))
        }
    }

    @Test("a phase escalated by rejections is blocked under its heading, shown so, and unblock takes the line away")
    func escalatedPhase() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: [:], extraFiles: [Self.path: Self.plan])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            try git("config", "dispatch.maxFixAttempts", "1", in: repo.root)
            let setup = try Self.finish("1", steps: ["T001", "T002"], in: repo)
            #expect(try repo.cli("review", "1").status == 0)
            let rejected = try repo.cli("reject", "1", "--reason", "broken")
            #expect(rejected.status == 0 && rejected.stdout.contains("escalated"), "\(rejected)")
            let escalated = try git("show", "HEAD:\(Self.path)", in: setup)
            #expect(escalated.contains("## Phase 1: Setup\n  - _Blocked: escalated after 1 rejection: broken_\n"), "\(escalated)")
            #expect(try repo.cli("status").stdout.contains("blocked: escalated after 1 rejection: broken"))
            let unblocked = try repo.cli("unblock", "1")
            #expect(unblocked.status == 0, "\(unblocked)")
            #expect(!(try git("show", "HEAD:\(Self.path)", in: setup).contains("_Blocked:")))
            try Self.approve("1", in: repo)
            #expect(!(try git("show", "main:\(Self.path)", in: repo.root).contains("_Blocked:")))
        }
    }

    @Test("an untracked .kiro/specs folder hides no committed Spec Kit plan, on the board or in a window's hooks; the prompt names spec.md and plan.md")
    func strayKiroFolder() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: [:], extraFiles: [
                Self.path: Self.plan, "specs/001-demo/spec.md": "# Spec\n", "specs/001-demo/plan.md": "# Plan\n"])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            try FileManager.default.createDirectory(atPath: repo.root + "/.kiro/specs/scratch", withIntermediateDirectories: true)
            #expect(try repo.cli("ready").stdout == "1  Setup\n")
            let setup = try SpecDispatchCLI.succeed(["next"], in: repo.root).trimmingCharacters(in: .whitespacesAndNewlines)
            let prompt = try String(contentsOfFile: setup + "/.dispatch/prompt.md", encoding: .utf8)
            #expect(prompt.contains("`specs/001-demo/spec.md`") && prompt.contains("`specs/001-demo/plan.md`"), "\(prompt)")
            try FileManager.default.createDirectory(atPath: setup + "/.kiro/specs/scratch", withIntermediateDirectories: true)
            try Self.commitSteps(["T001"], in: setup)
            #expect(try git("show", "HEAD:\(Self.path)", in: setup).contains("- [x] T001"))
        }
    }
}
