import Foundation
import PropertyBased
import Testing
import TestSupport
@testable import SpecDispatchCore

@Suite("dispatch payload (properties)")
struct PayloadProperties {
    static let files = DispatchPayload.SpecFiles(name: "s", requirements: ".kiro/specs/s/requirements.md",
                                                 design: ".kiro/specs/s/design.md", tasks: ".kiro/specs/s/tasks.md")
    static let placement = DispatchPayload.Placement(branch: "dispatch/s/task-1", startCommit: "c0ffee", baseReference: "refs/heads/main",
                                                     baseCommit: "abc123", window: "/w/s/task-1", agent: "claude",
                                                     dispatchedAt: "2026-11-25T10:00:00Z")

    static var shape: SpecGen.Shape {
        var shape = SpecGen.Shape()
        shape.writesChance = 0.3
        shape.headingParentChance = 0
        return shape
    }

    @Test("a payload holds the unit's id and description, every step in order, the spec's files and the metadata")
    func completeness() async {
        await propertyCheck(count: 150, input: SpecGen.spec(Self.shape)) { spec in
            let tree = TaskTree(bytes: spec.bytes)
            for (unit, model) in zip(tree.units, spec.units) {
                let p = DispatchPayload(unit: unit, tree: tree, spec: Self.files, placement: Self.placement)
                #expect(p.unitID.text == model.id)
                #expect(p.title == "Title of \(model.id) with ünïcødé")
                // A root whose subtasks are all optional carries its own work: the first step.
                let expectedSteps = model.children.isEmpty ? [model.id]
                    : (GeneratedSpec.carriesOwnWork(model) ? [model.id] : []) + UnitPartitionProperties.depthFirstNumeric(model)
                #expect(p.steps.map(\.id.text) == expectedSteps)
                #expect(p.steps.map(\.number) == Array(1...expectedSteps.count))
                for step in p.steps {
                    let task = spec.task(step.id.text)!
                    #expect(step.isOptional == task.isOptional)
                    #expect(step.status == GeneratedSpec.expectedStatus(task))
                    #expect(step.details.contains("- Detail prose for \(task.id)"))
                    #expect(step.writes == task.writes)
                }
                #expect(p.spec == Self.files && p.placement == Self.placement)
                let unitTasks = spec.allTasks.filter { $0.id == model.id || $0.id.hasPrefix(model.id + ".") }
                var seen = Set<String>()
                #expect(p.writes == unitTasks.flatMap(\.writes).filter { seen.insert($0).inserted })
                #expect(Set(p.requirements) == Set(unitTasks.filter { !$0.isHeading }.map { "1.\($0.id.count)" }))
                let leaves = unitTasks.filter { $0.children.isEmpty || GeneratedSpec.carriesOwnWork($0) }
                #expect(Set(p.completedSteps.map(\.text)) == Set(leaves.filter { GeneratedSpec.expectedStatus($0) == .completed }.map(\.id)))
            }
        }
    }

    @Test("payload.json parses back with the same unit, steps and references")
    func jsonRoundTrip() async throws {
        await propertyCheck(count: 100, input: SpecGen.spec(Self.shape)) { spec in
            let tree = TaskTree(bytes: spec.bytes)
            for unit in tree.units {
                let p = DispatchPayload(unit: unit, tree: tree, spec: Self.files, placement: Self.placement)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(PayloadJSON.render(p))) as? [String: Any])
                #expect((object["unit"] as? [String: Any])?["id"] as? String == p.unitID.text)
                #expect((object["steps"] as? [[String: Any]])?.map { $0["id"] as? String } == p.steps.map(\.id.text))
                #expect((object["spec"] as? [String: Any])?["design"] as? String == Self.files.design)
                #expect((object["metadata"] as? [String: Any])?["writes"] as? [String] == p.writes)
                #expect(object["start_commit"] as? String == "c0ffee")
            }
        }
    }

    @Test("the default prompt lists every step in order and says where to resume")
    func promptListsSteps() async throws {
        let template = try String(contentsOfFile: SpecDispatchCLI.templates + "/prompts/unit.md.mustache", encoding: .utf8)
        await propertyCheck(count: 100, input: SpecGen.spec(Self.shape)) { spec in
            let tree = TaskTree(bytes: spec.bytes)
            for unit in tree.units {
                let p = DispatchPayload(unit: unit, tree: tree, spec: Self.files, placement: Self.placement)
                let prompt = try PromptRenderer.render(template: template, payload: p)
                var cursor = prompt.startIndex
                for step in p.steps {
                    let marker = "\(step.number). " + (p.completedSteps.contains(step.id) || (step.isGroup && step.status == .completed) ? "[x]" : "[ ]") + " **\(step.id)**"
                    let found = try #require(prompt.range(of: marker, range: cursor..<prompt.endIndex), "step \(step.id) missing or out of order")
                    cursor = found.upperBound
                }
                if let current = p.currentStep {
                    #expect(prompt.contains("**\(current)** ") && prompt.contains("← start here"))
                }
                #expect(prompt.contains(Self.files.requirements) && prompt.contains(Self.files.design))
                #expect(!prompt.contains("&amp;") && !prompt.contains("&quot;"), "no HTML escaping in a markdown prompt")
            }
        }
    }
}
