import Testing
@testable import SpecDispatchCore

@Suite("steps named by Completes: trailers but not marked")
struct MissingCompletionsTests {
    private func ids(_ texts: String...) -> [TaskID] { texts.map { TaskID($0)! } }

    @Test("a named step that is not [x] at the tip is missing, with the first commit that named it")
    func missingStep() {
        let t = tree("- [-] 1. A", "  - [x] 1.1 a", "  - [-] 1.2 b", "  - [ ] 1.3 c")
        let missing = MissingCompletions(named: [("c1", ids("1.1")), ("c2", ids("1.2")), ("c3", ids("1.2"))], unit: t.units[0], in: t)
        #expect(missing.gaps == [.init(step: TaskID("1.2")!, commit: "c2")])
    }

    @Test("ids of other units, groups and unknown ids are left out; nothing named means nothing missing")
    func foreignIDs() {
        let t = tree("- [-] 1. A", "  - [-] 1.1 a", "    - [ ] 1.1.1 deep", "  - [ ] 1.2 b", "- [ ] 2. B", "  - [ ] 2.1 x")
        let missing = MissingCompletions(named: [("c1", ids("2.1", "1.1", "9.9", "1"))], unit: t.units[0], in: t)
        #expect(missing.isEmpty)
        #expect(MissingCompletions(named: [], unit: t.units[0], in: t).isEmpty)
    }

    @Test("the repair edits touch only marker bytes: the step, the current-step mark and the parent")
    func edits() {
        let text = "- [-] 1. A\r\n  - [-] 1.1 a\r\n    - detail [ ] kept\r\n  - [ ] 1.2 b\r\n"
        let t = TaskTree(bytes: Array(text.utf8))
        let missing = MissingCompletions(named: [("c1", ids("1.1"))], unit: t.units[0], in: t)
        let repaired = String(decoding: TextEdit.apply(missing.edits(for: t.units[0], in: t), to: t.document.bytes), as: UTF8.self)
        #expect(repaired == "- [-] 1. A\r\n  - [x] 1.1 a\r\n    - detail [ ] kept\r\n  - [-] 1.2 b\r\n")
        #expect(MissingCompletions(named: [], unit: t.units[0], in: t).edits(for: t.units[0], in: t).isEmpty)
    }
}
