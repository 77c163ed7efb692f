import PropertyBased
import Testing
import TestSupport
@testable import SpecDispatchCore

@Suite("status derivation and dependencies (properties)")
struct StatusProperties {
    @Test("every task's status follows docs/tasks-format.md, Status (parents derived; a user's [x] wins)", arguments: SpecGen.Layouts.allCases)
    func parentDerivation(layout: SpecGen.Layouts) async {
        await propertyCheck(count: 200, input: SpecGen.spec(layout.shape)) { spec in
            let tree = TaskTree(bytes: spec.bytes)
            let statuses = tree.statuses
            for task in spec.allTasks {
                let index = try #require(tree.index(of: TaskID(task.id)!))
                #expect(statuses[index] == GeneratedSpec.expectedStatus(task), "task \(task.id)")
            }
        }
    }

    @Test("parentStatus applies the first matching rule of docs/tasks-format.md, Status")
    func derivationRules() async {
        let child = zip(Gen<TaskStatus>.case, Gen.bool)
        await propertyCheck(count: 300, input: child.array(of: 1...8)) { children in
            let derived = StatusDerivation.parentStatus(children: children.map { ($0.0, $0.1) })
            let required = children.contains { !$0.1 } ? children.filter { !$0.1 } : children
            if required.allSatisfy({ $0.0 == .completed }) {
                #expect(derived == .completed)
            } else if children.contains(where: { $0.0 == .blocked }) {
                #expect(derived == .blocked)
            } else if children.contains(where: { $0.0 == .fixRequired }) {
                #expect(derived == .fixRequired)
            } else if children.contains(where: { $0.0 == .inProgress || $0.0.isReviewState }) {
                #expect(derived == .inProgress)
            } else {
                #expect(derived == .notStarted)
            }
        }
    }

    @Test("a dependency on a parent is satisfied iff all its required subtasks are completed")
    func dependencyOnParent() async {
        var shape = SpecGen.Shape()
        shape.maxUnits = 3
        shape.groupChance = 1
        shape.dependencyChance = 0
        shape.headingParentChance = 0
        shape.markers = [" ", "x", "x", "-"]
        shape.blockedChance = 0
        await propertyCheck(count: 200, input: SpecGen.spec(shape)) { generated in
            var spec = generated
            spec.units[0].marker = " "  // the user's [x] would override; covered by its own test
            spec.units.append(GeneratedSpec.Task(id: "\(spec.units.count + 1)", marker: " ", dependsOn: [spec.units[0].id]))
            let tree = TaskTree(bytes: spec.bytes)
            let readiness = Readiness(tree: tree)
            let dependent = tree.units.count - 1
            let parent = spec.units[0]
            let required = parent.children.contains { !$0.isOptional } ? parent.children.filter { !$0.isOptional } : parent.children
            let satisfied = GeneratedSpec.carriesOwnWork(parent) ? GeneratedSpec.expectedStatus(parent) == .completed
                : required.allSatisfy { GeneratedSpec.expectedStatus($0) == .completed }
            let waiting = readiness.reasons[dependent].contains(.waitingFor([TaskID(parent.id)!]))
            #expect(waiting == !satisfied, "\(spec)")
        }
    }
}
