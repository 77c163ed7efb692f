import PropertyBased
import Testing
import TestSupport
@testable import SpecDispatchCore

@Suite("failure isolation (properties)")
struct FailureIsolationProperties {
    static var shape: SpecGen.Shape {
        var shape = SpecGen.Shape()
        shape.maxUnits = 2
        shape.groupChance = 1
        shape.headingParentChance = 0
        shape.dependencyChance = 0
        shape.blockedChance = 0
        shape.markers = [" "]
        return shape
    }

    static func apply(_ update: UnitUpdate, _ tree: TaskTree) throws -> TaskTree {
        let edits = try update.edits(for: tree.units[0], in: tree)
        return TaskTree(bytes: TextEdit.apply(edits, to: tree.document.bytes))
    }

    @Test("step k blocked after 1..k-1 completed: those stay completed, k and the unit are blocked, the prompt resumes at k")
    func blockedStepIsolated() async throws {
        let template = try String(contentsOfFile: SpecDispatchCLI.templates + "/prompts/unit.md.mustache", encoding: .utf8)
        await propertyCheck(count: 150, input: SpecGen.spec(Self.shape), Gen.int(in: 0...1000)) { spec, pick in
            var tree = TaskTree(bytes: spec.bytes)
            let unit = tree.units[0]
            let leaves = UnitUpdate.steps(of: unit, in: tree)
            // Required at every level: a required step under an optional group is not required by the unit.
            let required = leaves.filter { leaf in
                var id: TaskID? = leaf
                while let current = id, current != unit.id {
                    if tree.node(current)!.entry.isOptional { return false }
                    id = current.parent
                }
                return true
            }
            guard let k = required.isEmpty ? nil : required[pick % required.count], let position = leaves.firstIndex(of: k) else { return }
            let done = Array(leaves[..<position])
            for id in done { tree = try Self.apply(UnitUpdate(completing: [id]), tree) }
            tree = try Self.apply(UnitUpdate(blocking: (k, "broken at \(k)")), tree)

            for id in done { #expect(tree.statuses[tree.index(of: id)!] == .completed, "\(id) was reset") }
            #expect(tree.statuses[tree.index(of: k)!] == .blocked)
            #expect(tree.statuses[tree.units[0].root] == .blocked, "the unit shows blocked")
            #expect(tree.node(k)?.entry.marker == .inProgress, "the blocked step keeps the current-step mark")
            #expect(tree.node(k)?.entry.metadata.blocked?.reason == "broken at \(k)")

            let payload = DispatchPayload(unit: tree.units[0], tree: tree,
                                          spec: .init(name: "s", requirements: "r.md", design: "d.md", tasks: "t.md"),
                                          placement: .init(branch: "b", startCommit: "c", baseReference: nil, baseCommit: "c",
                                                           window: "/w", agent: nil, dispatchedAt: "now"))
            #expect(payload.currentStep == k)
            #expect(payload.completedSteps == done)
            let prompt = try PromptRenderer.render(template: template, payload: payload)
            #expect(prompt.contains("Resume at step **\(k)**") || (done.isEmpty && prompt.contains("Start at step **\(k)**")))
            for step in payload.steps where done.contains(step.id) { #expect(prompt.contains("[x] **\(step.id)**")) }
            #expect(prompt.contains("Blocked earlier: broken at \(k)"))

            let unblocked = try Self.apply(UnitUpdate(unblocking: [k]), tree)
            for id in done { #expect(unblocked.statuses[unblocked.index(of: id)!] == .completed) }
            #expect(unblocked.node(k)?.entry.metadata.blocked == nil)
            #expect(unblocked.statuses[unblocked.index(of: k)!] == .inProgress)
            #expect(UnitProgress(unit: unblocked.units[0], tree: unblocked).currentStep == unblocked.index(of: k))
        }
    }

    @Test("a completed step cannot be blocked, and completing a blocked step removes its block line only")
    func completedStaysCompleted() throws {
        var t = tree("- [-] 1. A", "  - [x] 1.1 a", "  - [-] 1.2 b", "    - _Blocked: why_", "  - [ ] 1.3 c")
        #expect(throws: UnitUpdate.Problem.alreadyCompleted(TaskID("1.1")!)) {
            try UnitUpdate(blocking: (TaskID("1.1")!, "no")).edits(for: t.units[0], in: t)
        }
        t = try Self.apply(UnitUpdate(completing: [TaskID("1.2")!]), t)
        #expect(String(decoding: t.document.bytes, as: UTF8.self) == "- [-] 1. A\n  - [x] 1.1 a\n  - [x] 1.2 b\n  - [-] 1.3 c")
    }

    @Test("a step named twice is one change: completing or unblocking it twice edits it once")
    func repeatedIds() throws {
        let tree = TaskTree(bytes: Array("- [-] 1. Unit\n  - [ ] 1.1 a\n    - _Blocked: broken_\n  - [ ] 1.2 b\n".utf8))
        let completed = try Self.apply(UnitUpdate(completing: [TaskID("1.1")!, TaskID("1.1")!]), tree)
        #expect(String(decoding: completed.document.bytes, as: UTF8.self) == "- [-] 1. Unit\n  - [x] 1.1 a\n  - [-] 1.2 b\n")
        let unblocked = try Self.apply(UnitUpdate(unblocking: [TaskID("1.1")!, TaskID("1.1")!]), tree)
        #expect(String(decoding: unblocked.document.bytes, as: UTF8.self) == "- [-] 1. Unit\n  - [-] 1.1 a\n  - [ ] 1.2 b\n")
    }
}
