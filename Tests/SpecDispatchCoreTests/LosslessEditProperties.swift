import PropertyBased
import Testing
import TestSupport
@testable import SpecDispatchCore

@Suite("lossless tasks.md (properties)")
struct LosslessEditProperties {
    @Test("parse then write gives the same bytes", arguments: SpecGen.Layouts.allCases)
    func roundTrip(layout: SpecGen.Layouts) async {
        await propertyCheck(count: 200, input: SpecGen.spec(layout.shape)) { spec in
            let bytes = spec.bytes
            #expect(TasksDocument(bytes: bytes).serialized() == bytes)
        }
    }

    @Test("a status edit changes only the intended marker byte", arguments: SpecGen.Layouts.allCases)
    func statusEditTouchesOnlyItsMarker(layout: SpecGen.Layouts) async {
        await propertyCheck(count: 200, input: SpecGen.spec(layout.shape), Gen.int(in: 0...10_000), Gen<CheckboxStatus>.case) { spec, pick, status in
            let bytes = spec.bytes
            let tree = TaskTree(bytes: bytes)
            let checkboxes = tree.nodes.indices.filter { tree.nodes[$0].entry.marker != nil }
            let target = tree.nodes[checkboxes[pick % checkboxes.count]].entry
            guard case .checkbox(_, let offset) = target.origin else { return }
            let edited = StatusEditor.setCheckbox(of: target, to: status, tilde: .queued).map { TextEdit.apply([$0], to: bytes) } ?? bytes
            #expect(edited.count == bytes.count)
            let changed = edited.indices.filter { edited[$0] != bytes[$0] }
            #expect(changed.allSatisfy { $0 == offset })
            let reparsed = TaskTree(bytes: edited)
            let marker = try #require(reparsed.node(target.id)?.entry.marker)
            let expected: Marker = switch status {
            case .completed: .completed
            case .inProgress: .inProgress
            case .notStarted: target.marker == .queued ? .queued : .notStarted
            }
            #expect(marker == expected)
        }
    }

    @Test("blocking adds exactly one line and unblocking removes exactly it")
    func blockAndUnblockAreOneLine() async {
        await propertyCheck(count: 200, input: SpecGen.spec(), Gen.int(in: 0...10_000)) { spec, pick in
            let bytes = spec.bytes
            let tree = TaskTree(bytes: bytes)
            let candidates = tree.nodes.filter { $0.entry.marker != nil && $0.entry.metadata.blocked == nil }
            guard !candidates.isEmpty else { return }
            let target = candidates[pick % candidates.count].entry
            let blocked = TextEdit.apply([StatusEditor.block(target, reason: "needs\nthe _vault_ API", in: tree.document)], to: bytes)
            let blockedTree = TaskTree(bytes: blocked)
            #expect(blockedTree.document.lines.count == tree.document.lines.count + 1)
            let note = try #require(blockedTree.node(target.id)?.entry.metadata.blocked)
            #expect(note.reason == "needs the _vault_ API")
            #expect(blockedTree.document.lineEnding == tree.document.lineEnding)
            #expect(blockedTree.nodes.count == tree.nodes.count)
            let blockedEntry = try #require(blockedTree.node(target.id)).entry
            let removal = try #require(StatusEditor.unblock(blockedEntry, in: blockedTree.document))
            let restored = TextEdit.apply([removal], to: blocked)
            #expect(restored == bytes)
        }
    }

    @Test("blocking again rewrites only the reason: the line's indentation and bullet stay", arguments: [
        "  - _Blocked: old_", "  + _Blocked: old_", "  *   _Blocked: old_", "\t- _Blocked: old_", "    _Blocked: old_",
    ])
    func reblockKeepsPrefix(line: String) {
        let tree = TaskTree(bytes: Array("- [ ] 1. Task\n\(line)\n- [ ] 2. Next\n".utf8))
        let edit = StatusEditor.block(tree.nodes[0].entry, reason: "new", in: tree.document)
        let result = String(decoding: TextEdit.apply([edit], to: tree.document.bytes), as: UTF8.self)
        #expect(result == "- [ ] 1. Task\n\(line.replacingOccurrences(of: "old", with: "new"))\n- [ ] 2. Next\n")
    }
}
