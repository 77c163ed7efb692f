import Testing
@testable import SpecDispatchCore

@Suite("task lines")
struct TaskLineTests {
    @Test("ids in every form real files use", arguments: [
        ("- [ ] 1. Set up", "1", "Set up"),
        ("- [ ] 1 Legacy spec", "1", "Legacy spec"),
        ("  - [x] 1.1 Create model", "1.1", "Create model"),
        ("- [ ] 1.1.1: Create file", "1.1.1", "Create file"),
        ("- [ ] 2.4.6.1: Deep", "2.4.6.1", "Deep"),
        ("- [ ] P2.1. Implement", "P2.1", "Implement"),
        ("- [x] T1: First", "T1", "First"),
        ("    - [ ] 1.4a.1 Suffix", "1.4a.1", "Suffix"),
        ("- [ ] 0.1 Zero based", "0.1", "Zero based"),
        ("- [x] **T1.1** Bold id", "T1.1", "Bold id"),
        ("- [ ] **FOUNDATION-1: Core Data Models**", "FOUNDATION-1", "Core Data Models"),
        ("- [ ] T012 [P] [US1] Create model", "T012", "Create model"),
        ("* [ ] 3. Star bullet", "3", "Star bullet"),
        ("\t- [ ] 4.2 Tab indented", "4.2", "Tab indented"),
        ("- [ ] 5. Title with trailing spaces  ", "5", "Title with trailing spaces"),
    ])
    func idForms(line: String, id: String, title: String) throws {
        let entry = try #require(tree(line).nodes.first?.entry)
        #expect(entry.id.text == id)
        #expect(entry.title == title)
    }

    @Test("lines that are not tasks", arguments: [
        "- [ ] Write tests without an id",
        "- [ ] 100% coverage",
        "- [ ] 2FA setup",
        "- [ ] **Filtering**: acceptance criterion",
        "- `[~]` Queued (a legend)",
        "- [P] tasks = different files",
        "Plain prose 1. with a number",
    ])
    func notTasks(line: String) {
        #expect(tree(line).nodes.isEmpty)
    }

    @Test("markers and the optional star", arguments: [
        ("- [ ] 1. a", Marker.notStarted, false), ("- [x] 1. a", .completed, false), ("- [X] 1. a", .completed, false),
        ("- [-] 1. a", .inProgress, false), ("- [~] 1. a", .queued, false), ("- [ ]* 1. a", .notStarted, true),
        ("- [x]* 1. a", .completed, true), ("- [ ]\\* 1. a", .notStarted, true),
    ])
    func markers(line: String, marker: Marker, optional: Bool) throws {
        let entry = try #require(tree(line).nodes.first?.entry)
        #expect(entry.marker == marker)
        #expect(entry.isOptional == optional)
    }

    @Test("an id with an unknown marker is an error; without an id it is text")
    func unknownMarker() {
        let t = tree("- [q] 2. Odd", "- [?] no id")
        #expect(t.nodes.isEmpty)
        #expect(t.errors().map(\.line) == [1])
        #expect(t.errors().first?.message.contains("unknown status marker '[q]'") == true)
    }

    @Test("a checkbox inside a code fence is not a task")
    func fencedCheckbox() {
        let t = tree("- [ ] 1. Real", "  ```md", "  - [ ] 2. In a fence", "  ```", "- [ ] 3. Real too")
        #expect(t.ids() == ["1", "3"])
        #expect(t.entry("1")?.detailLines == 1..<4)
    }

    @Test("a checkbox without a list bullet is not a task, and says so")
    func bulletless() {
        let t = tree("[x] **T1.1** Add manifest")
        #expect(t.nodes.isEmpty)
        #expect(t.codes() == ["not-a-list-item"])
    }

    @Test("id-less checkboxes are warnings, not errors")
    func idlessWarning() {
        let t = tree("- [ ] 1. Task", "## Acceptance", "- [ ] it works")
        #expect(t.diagnostics.map(\.severity) == [.warning])
        #expect(t.diagnostics.first?.line == 3)
    }

    @Test("a control character in a title is a warning, since it is shown escaped; other text is not")
    func controlCharacterWarning() {
        let t = tree("- [ ] 1. Plain 漢字 crème 🎯", "- [ ] 2. Clear \u{1B}[2J", "- [ ] 3. Flip \u{202E}it", "- [ ] 4. C1 \u{9B}")
        #expect(t.codes() == ["control-character", "control-character", "control-character"])
        #expect(t.diagnostics.map(\.line) == [2, 3, 4])
        #expect(t.diagnostics.first?.message == "task 2's title holds a control character (U+001B at position 7); it is shown escaped")
        #expect(t.entry("2")?.title == "Clear \u{1B}[2J", "the title itself is kept as written")
    }

    @Test("task ids order segment by segment, numbers numerically")
    func idOrder() {
        let ids = ["1.10", "1.2", "1", "10", "2", "1.1", "1.4a", "1.4", "1.5", "T1", "P2.1", "0.1"].map { TaskID($0)! }
        #expect(ids.sorted().map(\.text) == ["0.1", "1", "1.1", "1.2", "1.4", "1.4a", "1.5", "1.10", "2", "10", "P2.1", "T1"])
        #expect(TaskID("T01")! != TaskID("T1")!)
        #expect(TaskID("T01")! < TaskID("T1")! || TaskID("T1")! < TaskID("T01")!)
        #expect(TaskID("1.")?.text == "1")
        #expect(TaskID("1..2") == nil)
        #expect(TaskID("1.2.3")?.parent?.text == "1.2")
    }
}
