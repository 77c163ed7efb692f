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
}
