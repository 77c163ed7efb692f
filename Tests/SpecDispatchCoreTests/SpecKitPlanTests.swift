import Foundation
import Testing
@testable import SpecDispatchCore

/// Spec Kit plans on the smallest snippets that show each rule (docs/tasks-format.md).
@Suite("Spec Kit plans")
struct SpecKitPlanTests {
    static let plan = [
        "# Tasks: Demo", "",
        "- **[P]**: Can run in parallel (different files, no dependencies)",
        "- [P] tasks = different files, no dependencies", "",
        "## Phase 1: Setup", "",
        "- [X] T001 Create the project skeleton",
        "- [ ] T002 [P] Add the linter configuration", "",
        "## Phase 2: Foundational (Blocking Prerequisites)", "",
        "- [ ] T003 Implement the API client — depends on T004",
        "- [ ] T004 Implement the store", "",
        "**Checkpoint**: Foundation ready", "",
        "## Phase 3: User Story 1 - Sign in (Priority: P1)", "",
        "### Tests for User Story 1", "",
        "- [ ] T005 [P] [US1] Write the sign-in form test",
        "- [ ] T006 [US1] Wire the form (depends on T003)", "",
        "## Phase 4: User Story 2 - Sign out (Priority: P2)", "",
        "- [ ] T007 [US2] Add the sign-out button", "",
        "## Phase 5: Polish & Cross-Cutting Concerns", "",
        "- [ ] T008 Update the README", "",
        "## Dependencies & Execution Order", "",
        "## Checklist", "",
        "- [ ] All tests pass",
    ]

    @Test("each phase is a unit of its tasks; Setup gates Foundational, which gates the stories, which gate Polish")
    func phasesAreUnits() throws {
        let t = tree(Self.plan.joined(separator: "\n"))
        #expect(t.diagnostics.isEmpty, "\(t.diagnostics)")
        #expect(t.units.map(\.id.text) == ["1", "2", "3", "4", "5"])
        #expect(t.units.map { t.nodes[$0.root].entry.title }
                == ["Setup", "Foundational (Blocking Prerequisites)", "User Story 1 - Sign in (Priority: P1)",
                    "User Story 2 - Sign out (Priority: P2)", "Polish & Cross-Cutting Concerns"])
        #expect(t.units.map { $0.steps.map { t.nodes[$0].id.text } }
                == [["T001", "T002"], ["T004", "T003"], ["T005", "T006"], ["T007"], ["T008"]], "T003 depends on T004")
        let waits = t.units.map { unit in t.nodes[unit.root].dependencies.map { t.nodes[$0].id.text } }
        #expect(waits == [[], ["1"], ["2"], ["2"], ["3", "4"]])
        #expect(t.statuses[t.units[0].root] == .notStarted && t.statuses[t.index(of: TaskID("T001")!)!] == .completed)
        #expect(t.checkboxTasks.count == 8, "the legend line and the checklist are not tasks")
    }

    @Test("only the first phase is ready; a dependency into another phase makes the later phase wait for it")
    func readiness() throws {
        var lines = Self.plan
        lines[lines.firstIndex(of: "- [ ] T002 [P] Add the linter configuration")!] = "- [x] T002 [P] Add the linter configuration"
        lines[lines.firstIndex(of: "- [ ] T003 Implement the API client — depends on T004")!] = "- [x] T003 Implement the API client — depends on T004"
        lines[lines.firstIndex(of: "- [ ] T004 Implement the store")!] = "- [x] T004 Implement the store"
        lines[lines.firstIndex(of: "- [ ] T007 [US2] Add the sign-out button")!] = "- [ ] T007 [US2] Add the sign-out button — depends on T005"
        let t = tree(lines.joined(separator: "\n"))
        let readiness = Readiness(tree: t)
        #expect(readiness.readyUnits.map { t.units[$0].id.text } == ["3"], "story 2 waits for T005 of story 1")
        #expect(readiness.reasons[3] == [.waitingFor([TaskID("T005")!])])
        #expect(readiness.reasons[4] == [.waitingFor([TaskID("3")!, TaskID("4")!])])
        #expect(Readiness(tree: tree(Self.plan.joined(separator: "\n"))).readyUnits == [0])
    }

    @Test("[P] and [USn] leave the title for the metadata")
    func tags() throws {
        let t = tree(Self.plan.joined(separator: "\n"))
        let form = try #require(t.entry("T005"))
        #expect(form.title == "Write the sign-in form test" && form.metadata.isParallel && form.metadata.story == "US1")
        let wire = try #require(t.entry("T006"))
        #expect(wire.title == "Wire the form (depends on T003)" && !wire.metadata.isParallel && wire.metadata.story == "US1")
        #expect(wire.metadata.dependencies.map(\.target.text) == ["T003"])
    }

    @Test("inline dependency lists", arguments: [
        ("- [ ] T010 Do it — depends on T001, T002 (types)", ["T001", "T002"]),
        ("- [ ] T010 Do it (depends on T001 and T002)", ["T001", "T002"]),
        ("- [ ] T010 Do it; Depends on: T001/T002", ["T001", "T002"]),
        ("- [ ] T010 Do it after a confirm — depends on T003", ["T003"]),
        ("- [ ] T010 Do it — depends on T001–T004", []),
        ("- [ ] T010 Do it — depends on the store", []),
        ("- [ ] T010 Do it, independent of T001", []),
    ])
    func inlineDependencies(line: String, ids: [String]) throws {
        let t = tree("- [x] T001 A", "- [x] T002 B", "- [x] T003 C", "- [x] T004 D", line)
        #expect(try #require(t.entry("T010")).metadata.dependencies.map(\.target.text) == ids)
    }

    @Test("phase headings in other languages", arguments: ["フェーズ 1: セットアップ", "阶段 1：准备", "Fase 1: Preparación", "Этап 1: Подготовка", "단계 1: 설정", "Étape 1 : Préparation"])
    func localizedPhases(heading: String) throws {
        let t = tree("## \(heading)", "", "- [ ] T001 A", "- [ ] T002 B", "## Phase 2: Foundational", "- [ ] T003 C")
        #expect(t.units.map(\.id.text) == ["1", "2"], "\(heading)")
        #expect(t.units[0].steps.count == 2)
    }

    @Test("T-numbered tasks with no phase heading stay units of their own")
    func withoutPhases() throws {
        let t = tree("# Tasks", "- [ ] T001 A", "- [ ] T002 B")
        #expect(t.units.map(\.id.text) == ["T001", "T002"] && t.units.allSatisfy { $0.kind == .standalone })
    }

    @Test("two phases with one number: an error at the second, whose tasks stay units of their own")
    func phaseClash() throws {
        let t = tree("## Phase 1: Setup", "- [ ] T001 A", "## Phase 1: Again", "- [ ] T002 B")
        #expect(t.errors().map(\.line) == [3] && t.errors().map(\.code) == ["duplicate-id"])
        #expect(t.units.map(\.id.text) == ["1", "T002"])
    }

    @Test("tasks written as headings have no checkbox: one warning for the file, none for its checklists")
    func tasksAsHeadings() throws {
        let t = tree("## Phase 3.1: Setup", "", "### T001 [P] Extend the schemas", "**File**: `src/a.ts`", "",
                     "### T002 Write the tests", "", "## Checklist", "- [ ] All files under 450 lines")
        #expect(t.diagnostics.map(\.code) == ["tasks-as-headings"] && t.diagnostics.map(\.line) == [3])
        #expect(t.diagnostics[0].message.contains("this one and 1 more"))
        #expect(t.units.isEmpty)
    }

    @Test("in a phase an id-less checkbox is still a warning")
    func idlessCheckboxInPhase() throws {
        let t = tree("## Phase 1: Setup", "- [ ] T001 A", "- [ ] forgot the id", "## Notes", "- [ ] a checklist item")
        #expect(t.diagnostics.map(\.code) == ["checkbox-without-id"] && t.diagnostics.map(\.line) == [3])
    }
}

/// Found by a hostile read of the first version: each on its snippet.
@Suite("Spec Kit plans: hard cases")
struct SpecKitHardCaseTests {
    @Test("a repeated T-id is an error at its line; the tree and its statuses stay whole, with no made-up cycle")
    func duplicateIDs() throws {
        let same = tree("## Phase 1: Setup", "- [ ] T001 One", "- [ ] T001 duplicate")
        #expect(same.errors().map(\.code) == ["duplicate-id"] && same.errors().map(\.line) == [3])
        #expect(same.units.map { $0.steps.map { same.nodes[$0].id.text } } == [["T001"]])
        #expect(same.statuses[same.units[0].root] == .notStarted)
        let apart = tree("## Phase 1: Setup", "- [ ] T001 A", "- [ ] T002 B", "## Phase 2: Core", "- [ ] T001 again", "- [ ] T002 again")
        #expect(apart.errors().map(\.code) == ["duplicate-id", "duplicate-id"], "\(apart.diagnostics)")
    }

    @Test("a checkpoint heading between phases leaves the next phase its own tasks")
    func checkpointBetweenPhases() throws {
        let t = tree("## Phase 1: Setup", "- [ ] T001 A", "- [ ] T002 B", "", "## 2. Checkpoint - review", "- [ ] Verify setup",
                     "- [ ] 2.1 Review item", "", "## Phase 3: Core", "- [ ] T003 C", "- [ ] T004 D")
        let phase = try #require(t.unit(TaskID("3")!))
        #expect(phase.steps.map { t.nodes[$0].id.text } == ["T003", "T004"])
        #expect(t.errors().isEmpty)
    }

    @Test("a dependency on a task of a later phase, which waits for this one, is a cycle")
    func forwardDependency() throws {
        let t = tree("## Phase 1: Setup", "- [ ] T001 Do a depends on T002", "## Phase 2: Core", "- [ ] T002 Do b")
        #expect(t.errors().map(\.code) == ["dependency-cycle"], "\(t.diagnostics)")
        #expect(t.errors().map(\.message) == ["dependency cycle between units 1 → 2 → 1: T001 waits for T002, 2 waits for 1"])
        #expect(t.errors().map(\.line) == [2])
        let done = tree("## Phase 1: Setup", "- [x] T001 Do a depends on T002", "## Phase 2: Core", "- [ ] T002 Do b")
        #expect(done.errors().isEmpty, "a completed unit waits for nothing")
    }

    @Test("a tagged task in Setup or Polish does not make it a story, nor does a title that mentions stories later on")
    func storyPhases() throws {
        let t = tree("## Phase 1: Setup", "- [ ] T001 A",
                     "## Phase 2: Foundational work for every User Story", "- [ ] T002 B", "- [ ] T003 [US1] Seed data",
                     "## Phase 3: User Story 1 - One", "- [ ] T004 [US1] C",
                     "## Phase 4: User Story 2 - Two", "- [ ] T005 [US2] D",
                     "## Phase 5: Polish", "- [ ] T006 [US2] Extra test",
                     "## Phase 6: Sign-in flow", "- [ ] T007 [US3] E", "- [ ] T008 [US3] F")
        let waits = t.units.map { unit in t.nodes[unit.root].dependencies.map { t.nodes[$0].id.text } }
        #expect(waits == [[], ["1"], ["2"], ["2"], ["3", "4"], ["5"]])
        let t2 = tree("## Phase 1: Setup", "- [ ] T001 A", "## Phase 2: Sign-in flow", "- [ ] T002 [US1] B",
                      "## Phase 3: Sign-out flow", "- [ ] T003 [US2] C")
        #expect(t2.units.map { unit in t2.nodes[unit.root].dependencies.map { t2.nodes[$0].id.text } } == [[], ["1"], ["1"]],
                "phases named by their tags alone are stories")
    }

    @Test("a phase titled Storybook is no story: the stories after it wait for it")
    func storybook() throws {
        let t = tree("## Phase 1: Setup", "- [x] T001 A", "## Phase 2: Storybook and design tokens", "- [ ] T002 B",
                     "## Phase 3: User Story 1 - One", "- [ ] T003 [US1] C", "## Phase 4: Story 2: Two", "- [ ] T004 [US2] D")
        #expect(Readiness(tree: t).readyUnits.map { t.units[$0].id.text } == ["2"])
        #expect(t.units.map { unit in t.nodes[unit.root].dependencies.map { t.nodes[$0].id.text } } == [[], ["1"], ["2"], ["2"]])
    }

    @Test("tasks an open window holds at its tip claim the unit that now holds them, whatever its id")
    func claimedTasks() throws {
        let t = tree("## Phase 3: User Story 0", "- [ ] T009 New", "## Phase 4: User Story 1", "- [ ] T005 A", "- [ ] T006 B")
        let readiness = Readiness(tree: t, context: .init(claimedUnits: [TaskID("3")!], claimedTasks: Set(["3", "T005", "T006"].map { TaskID($0)! })))
        #expect(readiness.reasons.map { $0.contains(.claimed) } == [true, true])
    }

    @Test("a Spec Kit task outside the phases takes its place in their order")
    func tasksOutsidePhases() throws {
        let t = tree("- [ ] T000 Read the plan", "## Phase 1: Setup", "- [ ] T001 A", "## Phase 2: User Story 1 - One", "- [ ] T002 B",
                     "## Phase 3: User Story 2 - Two", "- [ ] T003 C", "## Final Validation", "- [ ] T004 Run the full test suite")
        let waits = t.units.map { unit in t.nodes[unit.root].dependencies.map { t.nodes[$0].id.text } }
        #expect(t.units.map(\.id.text) == ["T000", "1", "2", "3", "T004"])
        #expect(waits == [[], ["T000"], ["1"], ["1"], ["2", "3"]])
    }

    @Test("inline dependencies: negated, ended by an em dash, or naming a dotted id", arguments: [
        ("- [ ] T010 Do it; does not depend on T001", [String]()),
        ("- [ ] T010 Do it; no longer depends on T001, but depends on T002", ["T002"]),
        ("- [ ] T010 Do it — depends on T001—needs the schema", ["T001"]),
        ("- [ ] T010 Do it — depends on T003.1", []),
        ("- [ ] T010 Do it — depends on T001-T003", []),
    ])
    func inlineDependencyEdges(line: String, ids: [String]) throws {
        let t = tree("- [x] T001 A", "- [x] T002 B", "- [x] T003 C", line)
        #expect(try #require(t.entry("T010")).metadata.dependencies.map(\.target.text) == ids)
    }

    @Test("a full-width colon after a bold id ends it", arguments: [("- [ ] **1.5：** Title", "1.5", "Title"), ("- [ ] **1.4**：Title", "1.4", "Title")])
    func fullWidthColonBold(line: String, id: String, title: String) throws {
        let entry = try #require(tree(line).nodes.first?.entry)
        #expect(entry.id.text == id && entry.title == title)
    }

    @Test("a block under a phase heading is read, blocks the unit, and is removed by unblock alone")
    func headingBlock() throws {
        let lines = ["## Phase 1: Setup", "  - _Blocked: escalated after 1 rejection: broken_", "", "- [ ] T001 A", "## Phase 2: Core", "- [ ] T002 B"]
        let t = tree(lines.joined(separator: "\n"))
        let root = t.nodes[t.units[0].root]
        #expect(root.entry.metadata.blocked?.reason == "escalated after 1 rejection: broken")
        #expect(Readiness(tree: t).reasons[0] == [.blocked([.init(id: TaskID("1")!, reason: "escalated after 1 rejection: broken")])])
        let edit = try #require(StatusEditor.unblock(root.entry, in: t.document))
        let unblocked = TextEdit.apply([edit], to: t.document.bytes)
        #expect(String(decoding: unblocked, as: UTF8.self) == ([lines[0]] + lines[2...]).joined(separator: "\n"))
        let blocked = TextEdit.apply([StatusEditor.block(TaskTree(bytes: unblocked).nodes[TaskTree(bytes: unblocked).units[0].root].entry,
                                                            reason: "again", in: TaskTree(bytes: unblocked).document)], to: unblocked)
        #expect(TaskTree(bytes: blocked).nodes.first { $0.id.text == "1" }?.entry.metadata.blocked?.reason == "again")
    }

    @Test("a Spec Kit task titled Checkpoint inside a phase does not hold back the other stories")
    func checkpointTaskInPhase() throws {
        let t = tree("## Phase 1: Setup", "- [x] T001 A", "## Phase 2: User Story 1 - One", "- [ ] T002 [US1] Checkpoint: story 1 works",
                     "## Phase 3: User Story 2 - Two", "- [ ] T003 [US2] C")
        #expect(Readiness(tree: t).readyUnits.map { t.units[$0].id.text } == ["2", "3"])
    }

    @Test("a window whose unit is now a step of a phase claims the phase")
    func regroupedWindowClaims() throws {
        let t = tree("## Phase 1: Setup", "- [ ] T001 A", "  - [ ] T001.1 A1", "- [ ] T002 B")
        let readiness = Readiness(tree: t, context: .init(claimedUnits: [TaskID("T001")!]))
        #expect(readiness.reasons[0] == [.claimed])
    }
}

@Suite("Spec Kit plans of the corpus")
struct SpecKitCorpusTests {
    @Test("every Spec Kit file of the corpus reads as phase units, with no error and no warning but the one on tasks written as headings",
          .enabled(if: Corpus.isAvailable, "no corpus at ../shared/corpus; set SPEC_DISPATCH_CORPUS to run the corpus tests"))
    func corpusPhases() throws {
        let files = Corpus.files.filter { $0.path.contains("/speckit/") }
        #expect(files.count >= 8)
        for file in files {
            let t = TaskTree(bytes: Array(try Data(contentsOf: file)))
            let name = file.lastPathComponent
            if t.diagnostics.contains(where: { $0.code == "tasks-as-headings" }) {
                #expect(t.diagnostics.count == 1, "\(name): \(t.diagnostics)")
                continue
            }
            #expect(t.diagnostics.isEmpty, "\(name): \(t.diagnostics)")
            #expect(t.units.count >= 5, "\(name)")
            for unit in t.units {
                #expect(t.nodes[unit.root].entry.marker == nil && unit.kind == .group, "\(name): unit \(unit.id) is a phase")
                #expect(unit.steps.allSatisfy { SpecKitTaskLine.isSpecKitID(t.nodes[$0].id) }, "\(name)")
            }
        }
    }
}
