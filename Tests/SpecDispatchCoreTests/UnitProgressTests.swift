import Testing
@testable import SpecDispatchCore

@Suite("unit progress edits")
struct UnitProgressTests {
    private func apply(_ t: TaskTree, completing ids: [String] = [], root: CheckboxStatus = .inProgress) -> String {
        let unit = t.units[0]
        let overrides = Dictionary(uniqueKeysWithValues: ids.map { (t.index(of: TaskID($0)!)!, TaskStatus.completed) })
        let progress = UnitProgress(unit: unit, tree: t, overrides: overrides)
        return String(decoding: TextEdit.apply(progress.edits(in: t, rootWhenComplete: root), to: t.document.bytes), as: UTF8.self)
    }

    @Test("dispatching marks the first step not completed, and the parent follows")
    func firstStep() {
        let t = tree("- [ ] 1. A", "  - [x] 1.1 a", "  - [ ] 1.2 b", "  - [ ] 1.3 c")
        #expect(apply(t) == "- [-] 1. A\n  - [x] 1.1 a\n  - [-] 1.2 b\n  - [ ] 1.3 c")
    }

    @Test("completing a step moves the mark to the next one")
    func moveMark() {
        let t = tree("- [-] 1. A", "  - [-] 1.1 a", "  - [ ] 1.2 b")
        #expect(apply(t, completing: ["1.1"]) == "- [-] 1. A\n  - [x] 1.1 a\n  - [-] 1.2 b")
    }

    @Test("completing the last required step leaves the parent [-] for review, or [x] when merged")
    func lastStep() {
        let t = tree("- [-] 1. A", "  - [x] 1.1 a", "  - [-] 1.2 b", "  - [ ]* 1.3 optional")
        #expect(apply(t, completing: ["1.2"]) == "- [-] 1. A\n  - [x] 1.1 a\n  - [x] 1.2 b\n  - [ ]* 1.3 optional")
        #expect(apply(t, completing: ["1.2"], root: .completed) == "- [x] 1. A\n  - [x] 1.1 a\n  - [x] 1.2 b\n  - [ ]* 1.3 optional")
    }

    @Test("the dispatcher's mark on a skipped optional step is cleared when the unit completes")
    func optionalMarkCleared() {
        let t = tree("- [-] 1. A", "  - [-]* 1.1 optional", "  - [-] 1.2 b")
        #expect(apply(t, completing: ["1.2"]) == "- [-] 1. A\n  - [ ]* 1.1 optional\n  - [x] 1.2 b")
    }

    @Test("a standalone unit is its own single step")
    func standalone() {
        #expect(apply(tree("- [ ] 4. Solo")) == "- [-] 4. Solo")
        #expect(apply(tree("- [-] 4. Solo"), completing: ["4"]) == "- [x] 4. Solo")
    }

    @Test("nested parents derive from their own children")
    func nested() {
        let t = tree("- [ ] 1. A", "  - [ ] 1.1 mid", "    - [x] 1.1.1 a", "    - [ ] 1.1.2 b", "  - [ ] 1.2 c")
        #expect(apply(t, completing: ["1.1.2"]) == "- [-] 1. A\n  - [x] 1.1 mid\n    - [x] 1.1.1 a\n    - [x] 1.1.2 b\n  - [-] 1.2 c")
    }

    /// Very common in Kiro plans: the parent carries the work, its only subtask is an optional test.
    @Test("a parent whose subtasks are all optional is its unit's first step: Completes: 7 finishes the unit, whatever optional steps remain")
    func parentCarriesOwnWork() throws {
        let t = tree("- [ ] 7. Implement the distributed lock", "  - Implement DistributedLock in cache_manager.go", "  - _Requirements: 2.1_",
                     "- [ ]* 7.1 Write property test for the lock")
        #expect(t.diagnostics.isEmpty, "\(t.diagnostics)")
        let unit = try #require(t.unit(TaskID("7")!))
        #expect(UnitUpdate.steps(of: unit, in: t).map(\.text) == ["7", "7.1"])
        #expect(UnitUpdate.stepCounts(of: unit, in: t) == (1, 1))
        let start = UnitProgress(unit: unit, tree: t)
        #expect(start.currentStep.map { t.nodes[$0].id.text } == "7", "the mark is on the required step")
        let edits = try UnitUpdate(completing: [TaskID("7")!]).edits(for: unit, in: t)
        let done = TaskTree(bytes: TextEdit.apply(edits, to: t.document.bytes))
        #expect(String(decoding: done.document.bytes, as: UTF8.self).hasPrefix("- [x] 7. Implement"))
        #expect(UnitProgress(unit: done.units[0], tree: done).isComplete, "ready for review with 7.1 open")
        #expect(done.statuses[0] == .completed)
    }

    @Test("a parent over optional subtasks all completed counts as completed (as before it was a step), with the not-marked warning")
    func optionalSubtasksAllDone() throws {
        let t = tree("- [ ] 7. Lock", "  - [x]* 7.1 prop test", "- [ ] 8. Other", "  - depends on: 7")
        #expect(t.statuses[t.index(of: TaskID("7")!)!] == .completed)
        #expect(t.diagnostics.map(\.code) == ["parent-not-marked"])
        #expect(Readiness(tree: t).readyUnits.map { t.units[$0].id.text } == ["8"])
        #expect(UnitProgress(unit: t.units[0], tree: t).isComplete)
    }

    @Test("what waits on an optional task goes on once that task's unit is completed")
    func dependencyOnOptional() throws {
        let t = tree("- [x] 7. Lock", "  - [ ]* 7.1 prop test", "- [ ] 8. Other", "  - _Depends: 7.1_")
        #expect(Readiness(tree: t).readyUnits.map { t.units[$0].id.text } == ["8"])
        let open = tree("- [ ] 7. Lock", "  - [ ]* 7.1 prop test", "- [ ] 8. Other", "  - _Depends: 7.1_")
        #expect(Readiness(tree: open).readyUnits.map { open.units[$0].id.text } == ["7"])
    }

    @Test("the current-step mark never lands on an optional step while a required one is open")
    func markSkipsOptional() throws {
        let t = tree("- [ ] 1. A", "  - [ ]* 1.1 Optional first", "  - [ ] 1.2 Required")
        let unit = try #require(t.unit(TaskID("1")!))
        #expect(UnitProgress(unit: unit, tree: t).currentStep.map { t.nodes[$0].id.text } == "1.2")
    }

    /// Found by the failure-isolation property: an optional unit whose own work is blocked.
    @Test("in an optional unit, the root's own work is not an optional step: the mark stays on it, not on a step under an optional group")
    func optionalUnitKeepsMarkOnItsWork() throws {
        let t = tree("- [ ]* 1. A", "  - [ ]* 1.1 opt", "    - [ ] 1.1.1 req")
        let unit = t.units[0]
        #expect(UnitUpdate.stepCounts(of: unit, in: t) == (1, 1))
        let edits = try UnitUpdate(blocking: (TaskID("1")!, "x")).edits(for: unit, in: t)
        let blocked = TaskTree(bytes: TextEdit.apply(edits, to: t.document.bytes))
        #expect(UnitProgress(unit: blocked.units[0], tree: blocked).currentStep == blocked.index(of: TaskID("1")!))
        #expect(blocked.entry("1")?.marker == .inProgress)
    }
}
