import PropertyBased
import Testing
import TestSupport
@testable import SpecDispatchCore

@Suite("dispatch units (properties)")
struct UnitPartitionProperties {
    @Test("units partition the tasks: every task belongs to exactly one unit, its top-level ancestor's",
          arguments: SpecGen.Layouts.allCases)
    func unitsPartitionTasks(layout: SpecGen.Layouts) async {
        await propertyCheck(count: 200, input: SpecGen.spec(layout.shape)) { spec in
            let tree = TaskTree(bytes: spec.bytes)
            #expect(!tree.diagnostics.hasErrors, "\(tree.diagnostics)")
            let members = tree.units.flatMap(\.members)
            #expect(members.count == tree.nodes.count)
            #expect(Set(members) == Set(tree.nodes.indices))
            #expect(tree.units.map(\.id.text) == spec.units.map(\.id))
            for model in spec.units {
                let entry = try #require(tree.node(TaskID(model.id)!)?.entry)
                if model.isCheckpointHeading { #expect(entry.metadata.isCheckpoint && entry.marker != nil, "\(model.id)") }
                if model.isHeading { #expect(entry.title == "Heading for \(model.id)", "the nearer heading is the parent") }
                #expect(tree.node(TaskID(model.id)!)?.carriesOwnWork == GeneratedSpec.carriesOwnWork(model))
            }
            #expect(!tree.diagnostics.contains { $0.code == "ambiguous-heading" })
            for unit in tree.units {
                for step in unit.steps {
                    var top = step
                    while let p = tree.nodes[top].parent { top = p }
                    #expect(top == unit.root)
                }
            }
        }
    }

    @Test("a flat file gives one standalone unit per task, in file order")
    func flatFileIsStandaloneUnits() async {
        await propertyCheck(count: 150, input: SpecGen.flatSpec()) { spec in
            let tree = TaskTree(bytes: spec.bytes)
            #expect(tree.units.count == spec.units.count)
            #expect(tree.units.allSatisfy { $0.kind == .standalone && $0.steps.isEmpty && $0.workItems == [$0.root] })
            #expect(tree.units.map(\.id.text) == spec.units.map(\.id))
        }
    }

    @Test("steps come out in numeric id order, depth-first, whatever the file order")
    func stepsInNumericOrder() async {
        var shape = SpecGen.Shape()
        shape.groupChance = 1
        shape.maxChildren = 14
        await propertyCheck(count: 150, input: SpecGen.spec(shape)) { spec in
            let tree = TaskTree(bytes: spec.bytes)
            for (unit, model) in zip(tree.units, spec.units) {
                let ids = unit.steps.map { tree.nodes[$0].id.text }
                #expect(ids == Self.depthFirstNumeric(model), "unit \(unit.id)")
            }
        }
    }

    /// Reference order computed on integers, not on `TaskID`.
    static func depthFirstNumeric(_ task: GeneratedSpec.Task) -> [String] {
        let numberOf = { (t: GeneratedSpec.Task) in Int(t.id.split(separator: ".").last!)! }
        return task.children.sorted { numberOf($0) < numberOf($1) }.flatMap { [$0.id] + depthFirstNumeric($0) }
    }
}
