import PropertyBased
import Testing
import TestSupport
@testable import SpecDispatchCore

/// docs/tasks-format.md, "Spec Kit plans": the invariants of any tasks.md, and the phase rules.
@Suite("Spec Kit plans (properties)")
struct SpecKitPlanProperties {
    @Test("parse then write gives the same bytes, and the plan reads clean")
    func roundTripAndClean() async {
        await propertyCheck(count: 150, input: SpecKitGen.plan()) { plan in
            let tree = TaskTree(bytes: plan.bytes)
            #expect(tree.document.serialized() == plan.bytes)
            #expect(tree.diagnostics.isEmpty, "\(tree.diagnostics)")
        }
    }

    @Test("each phase is one unit, its tasks the steps, every task in exactly one; inner dependencies order the steps")
    func phasesPartitionTasks() async {
        await propertyCheck(count: 150, input: SpecKitGen.plan()) { plan in
            let tree = TaskTree(bytes: plan.bytes)
            #expect(tree.units.map(\.id.text) == plan.phases.map { String($0.number) })
            let members = tree.units.flatMap(\.members)
            #expect(members.count == tree.nodes.count && Set(members) == Set(tree.nodes.indices))
            for (unit, phase) in zip(tree.units, plan.phases) {
                let steps = unit.steps.map { tree.nodes[$0].id.text }
                #expect(Set(steps) == Set(phase.tasks.map(\.id)) && steps.count == phase.tasks.count)
                for task in phase.tasks {
                    for dependency in task.dependsOn where phase.tasks.contains(where: { $0.id == dependency }) {
                        #expect(steps.firstIndex(of: dependency)! < steps.firstIndex(of: task.id)!, "\(dependency) before \(task.id)")
                    }
                }
                #expect(tree.nodes[unit.root].entry.title == phase.name)
            }
        }
    }

    @Test("tags leave the title for the metadata")
    func tags() async {
        await propertyCheck(count: 150, input: SpecKitGen.plan()) { plan in
            let tree = TaskTree(bytes: plan.bytes)
            for task in plan.allTasks {
                let entry = try #require(tree.node(TaskID(task.id)!)?.entry)
                #expect(entry.title.hasPrefix("Build the part of \(task.id)"))
                #expect(entry.metadata.isParallel == task.parallel)
                #expect(entry.metadata.story == task.story)
            }
        }
    }

    @Test("a phase waits for every earlier phase but the user stories in its own run of stories, and for the phases its tasks depend on")
    func phaseGates() async {
        await propertyCheck(count: 150, input: SpecKitGen.plan()) { plan in
            let tree = TaskTree(bytes: plan.bytes)
            var direct: [Int: Set<Int>] = [:]
            for (u, unit) in tree.units.enumerated() {
                direct[u] = Set(unit.members.flatMap { tree.nodes[$0].dependencies }.map { tree.nodes[$0].unit }.filter { $0 != u })
            }
            var closure = direct
            for _ in tree.units {
                for (u, waits) in closure { closure[u] = waits.union(waits.flatMap { closure[$0] ?? [] }) }
            }
            let expected = plan.expectedWaits
            for (u, phase) in plan.phases.enumerated() {
                let waits = Set(closure[u, default: []].map { Int(tree.units[$0].id.text)! })
                #expect(waits == expected[phase.number], "phase \(phase.number)")
            }
        }
    }

    @Test("a status edit changes only the intended marker byte; a phase's status follows its tasks")
    func markerEditsAndDerivation() async {
        await propertyCheck(count: 150, input: SpecKitGen.plan(), Gen.int(in: 0...10_000), Gen<CheckboxStatus>.case) { plan, pick, status in
            let bytes = plan.bytes
            let tree = TaskTree(bytes: bytes)
            for (unit, phase) in zip(tree.units, plan.phases) {
                let statuses = phase.tasks.map { task -> TaskStatus in
                    task.marker == "x" || task.marker == "X" ? .completed : task.marker == "-" ? .inProgress : .notStarted
                }
                let expected: TaskStatus = statuses.allSatisfy { $0 == .completed } ? .completed
                    : statuses.contains(.inProgress) ? .inProgress : .notStarted
                #expect(tree.statuses[unit.root] == expected, "phase \(phase.number)")
            }
            let tasks = plan.allTasks
            let target = try #require(tree.node(TaskID(tasks[pick % tasks.count].id)!)?.entry)
            guard case .checkbox(_, let offset) = target.origin else { Issue.record("no checkbox"); return }
            let edited = StatusEditor.setCheckbox(of: target, to: status, tilde: .queued).map { TextEdit.apply([$0], to: bytes) } ?? bytes
            #expect(edited.count == bytes.count)
            #expect(edited.indices.filter { edited[$0] != bytes[$0] }.allSatisfy { $0 == offset })
        }
    }

    @Test("PhaseGates lists only the nearest gates, whose closure is the rule")
    func gatesAreNearest() async {
        await propertyCheck(count: 300, input: Gen.bool.array(of: 1...12)) { isStory in
            Self.checkGates(isStory)
        }
    }

    static func checkGates(_ isStory: [Bool]) {
        let waits = PhaseGates.waits(isStory: isStory)
        var closure: [Set<Int>] = []
        for (i, direct) in waits.enumerated() {
            #expect(direct.allSatisfy { $0 < i })
            var reached = Set(direct)
            for gate in direct { reached.formUnion(closure[gate]) }
            closure.append(reached)
        }
        for i in isStory.indices {
            // Stories with no other phase between them do not wait for each other.
            let expected = Set((0..<i).filter { j in !(isStory[i] && isStory[j...i].allSatisfy { $0 }) })
            #expect(closure[i] == expected, "phase \(i) of \(isStory)")
            // Nearest: no listed gate is implied by another listed one.
            for gate in waits[i] {
                #expect(!waits[i].contains { $0 != gate && closure[$0].contains(gate) }, "phase \(i) of \(isStory)")
            }
        }
    }
}
