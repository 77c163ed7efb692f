import Foundation
import GitKit
import PropertyBased
@testable import SpecDispatchCore
import Testing
import TestSupport

@Suite("tasks.md merge by task id (properties)")
struct MergeDriverProperties {
    /// git's line merge, through libgit2, as the driver uses it.
    static func merge(_ base: [UInt8]?, _ ours: [UInt8], _ theirs: [UInt8]) throws -> TasksMerge.Result {
        try withTemporaryDirectory { root in
            let repository = try Repository.create(at: root)
            return try TasksMerge.merge(base: base, ours: ours, theirs: theirs) { b, o, t in
                try repository.mergeFile(ancestor: b, ours: o, theirs: t)
            }
        }
    }

    static let markers: [UInt8] = Array(" xX-~".utf8)

    /// A copy of `bytes` with each task's marker changed at random (keeping everything else).
    static func changingStatuses(_ bytes: [UInt8], _ seeds: [Int]) -> [UInt8] {
        var copy = bytes
        let tree = TaskTree(bytes: bytes)
        for (n, node) in tree.nodes.enumerated() {
            guard case .checkbox(_, let offset) = node.entry.origin else { continue }
            let seed = seeds[n % seeds.count]
            if seed % 3 == 0 { copy[offset] = markers[(seed / 3) % markers.count] }
        }
        return copy
    }

    static var shape: SpecGen.Shape {
        var shape = SpecGen.Shape()
        shape.headingParentChance = 0
        shape.blockedChance = 0
        return shape
    }

    @Test("status-only changes never conflict: leaves follow the per-task rule, parents whose subtasks were combined are derived")
    func statusOnlyTrios() async throws {
        let seeds = Gen.int(in: 0...1000).array(of: 1...12)
        await propertyCheck(count: 150, input: SpecGen.spec(Self.shape), seeds, seeds) { spec, oursSeeds, theirsSeeds in
            let base = spec.bytes
            let ours = Self.changingStatuses(base, oursSeeds), theirs = Self.changingStatuses(base, theirsSeeds)
            let result = try Self.merge(base, ours, theirs)
            #expect(!result.hasConflicts)
            let merged = TaskTree(bytes: result.content)
            let neutral = { (bytes: [UInt8]) in TasksMerge.neutralized(bytes, TasksMerge.checkboxLines(bytes, .init())) }
            #expect(neutral(result.content) == neutral(base), "only markers change")
            let (b, o, t) = (TaskTree(bytes: base), TaskTree(bytes: ours), TaskTree(bytes: theirs))
            let marker = { (tree: TaskTree, id: TaskID) -> UInt8? in
                guard case .checkbox(_, let offset)? = tree.node(id)?.entry.origin else { return nil }
                return tree.document.bytes[offset]
            }
            for (i, node) in merged.nodes.enumerated() where node.entry.marker != nil {
                let got = marker(merged, node.id)!
                let rule = TasksMerge.winner(base: marker(b, node.id), ours: marker(o, node.id), theirs: marker(t, node.id))!
                // A step's checkbox is its own (a parent over optional subtasks too): the per-task rule.
                if node.isStep {
                    #expect(got == rule, "task \(node.id)")
                    continue
                }
                let combined = merged.descendants(of: i).contains { d in
                    let id = merged.nodes[d].id
                    let m = marker(merged, id).map(TasksMerge.rank)
                    return marker(o, id).map(TasksMerge.rank) != m || marker(t, id).map(TasksMerge.rank) != m
                }
                if combined {
                    #expect(TasksMerge.rank(got) == TasksMerge.rank(Marker.byte(for: merged.statuses.derivedFromChildren(i)!.checkbox)), "parent \(node.id) derived")
                } else {
                    #expect(got == rule, "parent \(node.id)")
                }
            }
        }
    }

    @Test("merging a version with itself is the identity, whatever the base")
    func selfMergeIsIdentity() async throws {
        let seeds = Gen.int(in: 0...1000).array(of: 1...12)
        await propertyCheck(count: 150, input: SpecGen.spec(Self.shape), seeds) { spec, changes in
            let base = spec.bytes
            let version = Self.changingStatuses(base, changes)
            let same = try Self.merge(version, version, version).content
            let fromBase = try Self.merge(base, version, version).content
            #expect(same == version)
            #expect(fromBase == version)
        }
    }

    @Test("text changed on both sides conflicts only where it changed; statuses around it still merge")
    func textConflicts() throws {
        let base = Array("- [ ] 1. A\n  - [ ] 1.1 a\n- [ ] 2. Title\n- [ ] 3. C\n".utf8)
        let ours = Array("- [x] 1. A\n  - [x] 1.1 a\n- [ ] 2. Title by us\n- [ ] 3. C\n".utf8)
        let theirs = Array("- [ ] 1. A\n  - [ ] 1.1 a\n- [ ] 2. Title by them\n- [-] 3. C\n".utf8)
        let result = try Self.merge(base, ours, theirs)
        #expect(result.hasConflicts)
        let text = String(decoding: result.content, as: UTF8.self)
        #expect(text.hasPrefix("- [x] 1. A\n  - [x] 1.1 a\n<<<<<<< ours\n- [ ] 2. Title by us\n=======\n- [ ] 2. Title by them\n>>>>>>> theirs\n- [-] 3. C\n"), "\(text)")
    }
}
