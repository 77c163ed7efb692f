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

    @Test("with both folders, Kiro's .kiro/specs is read; dispatch.specsDir chooses another")
    func specsFolder() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["kiro": "- [ ] 1. Kiro task\n"], extraFiles: [Self.path: Self.plan])
            #expect(try repo.cli("ready").stdout == "1  Kiro task\n")
            try git("config", "dispatch.specsDir", "specs", in: repo.root)
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            #expect(try repo.cli("ready").stdout == "1  Setup\n")
            let window = try SpecDispatchCLI.succeed(["next"], in: repo.root).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(window.hasSuffix("/001-demo/task-1"))
            try Self.commitSteps(["T001"], in: window)
            #expect(try git("show", "HEAD:\(Self.path)", in: window).contains("- [x] T001 Create"), "the hook found the spec in specs/")
        }
    }
}
