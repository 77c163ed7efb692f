import Foundation
import PropertyBased
import SpecDispatch
import SpecDispatchCore
import Testing
import TestSupport

@Suite("next on generated specs (properties)")
struct NextProperties {
    @Test("windows created = units dispatched = claims, each a whole top-level unit that was ready, never a subtask")
    func windowsMatchUnits() async throws {
        var shape = SpecGen.Shape()
        shape.maxUnits = 12
        shape.writesChance = 0.2
        shape.variedLayout = false
        await propertyCheck(count: 100, input: SpecGen.spec(shape), Gen.int(in: 1...12)) { spec, count in
            try withTemporaryDirectory { root in
                let repo = try SpecRepository(in: root + "/repo", specs: ["s": spec.text])
                let tree = TaskTree(bytes: spec.bytes)
                #expect(!tree.diagnostics.hasErrors)
                let readyBefore = Set(Readiness(tree: tree).readyUnits.map { tree.units[$0].id.text })
                let dispatcher = Dispatcher(workspace: try Workspace.open(at: repo.root), environment: [:])
                var units: [DispatchedUnit] = []
                do {
                    units = try dispatcher.next(NextRequest(count: count)) { _ in }
                } catch let error as DispatchError {
                    #expect([.nothingReady, .windowCapReached, .blockedByOpenWindows].contains(error.exitCode), "\(error)")
                }

                let branches = try gitValue("for-each-ref", "--format=%(refname)", "refs/heads/dispatch/", in: repo.root)
                    .split(separator: "\n").map(String.init)
                let worktrees = try git("worktree", "list", "--porcelain", in: repo.root)
                    .components(separatedBy: "\n\n").filter { $0.contains("branch refs/heads/dispatch/") }
                #expect(branches.count == units.count && worktrees.count == units.count)
                #expect(Set(units.map(\.unit.text)).count == units.count, "no unit twice")
                for unit in units {
                    #expect(!unit.unit.text.contains("."), "unit \(unit.unit) is a subtask")
                    #expect(spec.units.contains { $0.id == unit.unit.text })
                    #expect(readyBefore.contains(unit.unit.text))
                    #expect(branches.contains("refs/heads/dispatch/s/task-\(unit.unit)"))
                    #expect(worktrees.contains { $0.contains("worktree \(unit.window)\n") && $0.contains("branch refs/heads/dispatch/s/task-\(unit.unit)") })
                }
                #expect(units.count <= min(count, 9))
                if units.count < min(count, readyBefore.count) {
                    let more = try repo.cli("next")
                    #expect([4, 5, 6].contains(more.status), "stopped early although more could be dispatched: \(more)")
                }
            }
        }
    }
}
