import Testing
@testable import SpecDispatchCore

@Suite("task tree and validation")
struct TaskTreeTests {
    @Test("the parent is named by the id, not by the indentation")
    func parentsById() throws {
        let t = tree("- [ ] 1. A", "- [ ] 1.1 At column 0", "- [ ] 1.2 Also", "- [ ] 2. B")
        #expect(t.units.map(\.id.text) == ["1", "2"])
        #expect(t.units[0].steps.map { t.nodes[$0].id.text } == ["1.1", "1.2"])
        #expect(t.units[1].kind == .standalone)
    }

    @Test("a numbered heading stands in for a parent without a checkbox", arguments: [
        "## 1. Project Setup", "### Task 1: Setup", "## Phase 1: Foundation", "## 1 Setup ##",
    ])
    func headingParent(heading: String) throws {
        let t = tree(heading, "- [x] 1.1 A", "- [x] 1.2 B", "## 2. Unused heading", "- [ ] 3. C")
        #expect(t.diagnostics.isEmpty)
        #expect(t.units.map(\.id.text) == ["1", "3"])
        #expect(t.entry("1")?.origin == .heading)
        #expect(t.statuses[t.index(of: TaskID("1")!)!] == .completed)
        #expect(t.node(TaskID("2")!) == nil)
    }

    @Test("a dash between a heading's number and its title is not part of the title", arguments: [
        "## Phase 1 – Foundation", "## Phase 1 — Foundation", "## Phase 1 - Foundation", "## 1. – Foundation",
    ])
    func headingDash(heading: String) throws {
        let t = tree(heading, "- [ ] 1.1 A")
        #expect(t.entry("1")?.title == "Foundation")
        #expect(t.diagnostics.isEmpty)
    }

    @Test("of two headings numbering one task, the nearest before its subtasks is its parent")
    func nearestHeading() throws {
        let t = tree("## Phase 1: Foundation (Tasks 1-2)", "", "### Task 1: Create module structure", "- [ ] 1.1 Module",
                     "### Task 2: Wire it", "- [ ] 2.1 Wiring")
        #expect(t.entry("1")?.title == "Create module structure")
        #expect(t.entry("2")?.title == "Wire it")
        #expect(t.diagnostics.isEmpty, "\(t.diagnostics)")
    }

    @Test("two headings of the same level numbering one task: the nearest before its subtasks, with a warning naming both lines")
    func ambiguousHeadings() throws {
        let t = tree("## 1. Setup", "- [ ] 2. Other", "## 1. Setup, again", "- [ ] 1.1 Step")
        #expect(t.entry("1")?.title == "Setup, again")
        #expect(t.diagnostics.map(\.message) == ["headings at lines 1 and 3 both number task 1; the one at line 3, nearest before its subtasks, is its parent"])
        #expect(t.diagnostics.map(\.line) == [3])
    }

    @Test("a subtask without a parent is an error at its line")
    func missingParent() {
        let t = tree("- [ ] 1. A", "- [ ] 2.1 Orphan")
        #expect(t.errors().map(\.line) == [2])
        #expect(t.errors().first?.message == "subtask 2.1 has no parent: 2 is neither a task nor a numbered heading")
        #expect(t.units.count == 2)
    }

    @Test("a duplicate id is an error naming the first")
    func duplicate() {
        let t = tree("- [ ] 1. A", "- [ ] 2. B", "- [x] 1. A again")
        #expect(t.errors().map(\.message) == ["duplicate task id 1 (first at line 1)"])
        #expect(t.errors().first?.line == 3)
    }

    @Test("a dependency on a missing task is an error")
    func missingDependency() {
        let t = tree("- [ ] 1. A", "  - depends on: 7")
        #expect(t.errors().map(\.code) == ["missing-dependency"])
        #expect(t.errors().first?.line == 2)
    }

    @Test("dependency cycles are errors, including a subtask depending on its own parent")
    func cycles() {
        let t = tree("- [ ] 1. A", "  - depends on: 2", "- [ ] 2. B", "  - depends on: 1")
        #expect(t.errors().map(\.message) == ["dependency cycle: 1 → 2 → 1"])
        let own = tree("- [ ] 1. A", "  - [ ] 1.1 A1", "    - depends on: 1")
        #expect(own.errors().map(\.message) == ["dependency cycle: 1 → 1.1 → 1"])
    }

    @Test("a checkpoint waits for every task before it, and every task after waits for it")
    func checkpoints() throws {
        let t = tree("- [x] 1. A", "- [ ] 2. B", "  - [ ] 2.1 B1", "- [ ] 3. Checkpoint - all tests pass", "- [ ] 4. D", "- [ ]* 5. Optional")
        let readiness = Readiness(tree: t)
        #expect(readiness.readyUnits.map { t.units[$0].id.text } == ["2"])
        // 2.1 is inside 2, which is listed: "waits for 2".
        #expect(readiness.reasons[2] == [.waitingFor([TaskID("2")!])])
        #expect(readiness.reasons[3] == [.waitingFor([TaskID("3")!])])
    }

    @Test("only the whole word makes a checkpoint", arguments: [
        ("Checkpoint - all tests pass", true), ("**Checkpoint**: review", true), ("Final checkpoint", true),
        ("checkpoint", true), ("Checkpointing for long jobs", false), ("Checkpoints UI", false), ("Add a checkpoint", false),
    ])
    func checkpointWord(title: String, isCheckpoint: Bool) {
        let t = tree("- [ ] 1. \(title)")
        #expect(t.nodes[0].entry.metadata.isCheckpoint == isCheckpoint)
    }

    @Test("checkpoint titles in other languages gate as the English one does", arguments: [
        "最终检查点 - 确保所有测试通过", "检查点 - 确保所有测试通过", "檢查點", "チェックポイント - すべてのテストが通ることを確認",
        "最終チェックポイント", "체크포인트 - 모든 테스트 통과 확인", "최종 체크포인트", "Punto de control - todas las pruebas pasan",
        "Ponto de verificação - todos os testes passam", "Ponto de controle", "Kontrollpunkt - alle Tests bestehen",
        "Point de contrôle - tous les tests passent", "Контрольная точка - все тесты проходят", "**Итоговая контрольная точка**",
    ])
    func localizedCheckpoints(title: String) throws {
        let t = tree("- [ ] 1. A", "- [ ] 2. \(title)", "- [ ] 3. C")
        #expect(t.entry("2")?.metadata.isCheckpoint == true)
        let readiness = Readiness(tree: t)
        #expect(readiness.readyUnits.map { t.units[$0].id.text } == ["1"])
        #expect(readiness.reasons[2] == [.waitingFor([TaskID("2")!])])
    }

    /// Kiro writes some checkpoints as a numbered heading over an id-less checkbox.
    @Test("a checkpoint heading over an id-less checkbox is a checkpoint unit whose checkbox is its marker, and gates what follows")
    func checkpointHeading() throws {
        let t = tree("- [ ] 1. A", "", "## 2. Checkpoint - Ensure all tests pass", "",
                     "- [ ] Ensure all tests pass, ask the user if questions arise", "", "- [ ] 3. C")
        #expect(t.diagnostics.isEmpty, "\(t.diagnostics)")
        #expect(t.units.map(\.id.text) == ["1", "2", "3"])
        let checkpoint = try #require(t.entry("2"))
        #expect(checkpoint.metadata.isCheckpoint && checkpoint.title == "Checkpoint - Ensure all tests pass" && checkpoint.line == 5)
        let readiness = Readiness(tree: t)
        #expect(readiness.readyUnits.map { t.units[$0].id.text } == ["1"])
        #expect(readiness.reasons[2] == [.waitingFor([TaskID("2")!])])
        let edits = try UnitUpdate(completing: [TaskID("2")!]).edits(for: t.units[1], in: t, rootWhenComplete: .completed)
        #expect(String(decoding: TextEdit.apply(edits, to: t.document.bytes), as: UTF8.self)
                == "- [ ] 1. A\n\n## 2. Checkpoint - Ensure all tests pass\n\n- [x] Ensure all tests pass, ask the user if questions arise\n\n- [ ] 3. C")
    }

    @Test("a checkpoint heading keeps its own subtasks, a written task of its id, and checkboxes after text: its checkbox stays id-less")
    func checkpointHeadingKeepsWhatIsWritten() {
        let withSubtasks = tree("- [x] 1. Build", "", "## 2. Checkpoint - verify", "", "- [x] Smoke test passes", "- [ ] 2.1 Run unit tests",
                                "- [ ] 2.2 Run e2e", "", "- [ ] 3. Ship")
        #expect(withSubtasks.entry("2")?.origin == .heading)
        #expect(withSubtasks.statuses[withSubtasks.index(of: TaskID("2")!)!] == .notStarted)
        #expect(withSubtasks.diagnostics.map(\.code) == ["checkbox-without-id"])
        let written = tree("## Phase 3: Checkpoint and validation", "- [ ] All tests pass", "- [ ] 3. Model")
        #expect(written.diagnostics.map(\.code) == ["checkbox-without-id"], "no duplicate id")
        #expect(written.entry("3")?.title == "Model")
        let afterText = tree("## 2. Checkpoint review notes", "Some notes on the review.", "- [x] Logging reviewed", "- [ ] 3. C")
        #expect(afterText.node(TaskID("2")!) == nil)
    }

    @Test("a checkpoint heading without a checkbox under it, or an ordinary numbered heading over one, stays a heading")
    func checkpointHeadingWithoutCheckbox() {
        let bare = tree("## 2. Checkpoint", "- [ ] 3. C")
        #expect(bare.node(TaskID("2")!) == nil)
        let ordinary = tree("## 2. Setup", "- [ ] Install the tools", "- [ ] 3. C")
        #expect(ordinary.node(TaskID("2")!) == nil && ordinary.diagnostics.map(\.code) == ["checkbox-without-id"])
    }

    @Test("words that only begin like a checkpoint title are ordinary tasks", arguments: [
        "Kontrollpunkte anzeigen", "Checkpointing", "检查", "Punto de controles", "检查点保存与恢复功能", "チェックポイント機能",
    ])
    func notLocalizedCheckpoints(title: String) {
        #expect(tree("- [ ] 1. \(title)").nodes[0].entry.metadata.isCheckpoint == false)
    }

    @Test("waves order steps inside a unit and gate units")
    func waves() throws {
        let t = tree(
            "- [ ] 1. A", "  - [ ] 1.1 a", "  - [ ] 1.2 b",
            "- [ ] 2. B", "  - [ ] 2.1 c", "  - [ ] 2.2 d",
            "## Task Dependency Graph", "```json",
            #"{"waves":[{"id":0,"tasks":["1.2","2.2"]},{"id":1,"tasks":["1.1"]},{"id":2,"tasks":["2.1"]}]}"#, "```")
        #expect(t.units[0].steps.map { t.nodes[$0].id.text } == ["1.2", "1.1"])
        #expect(t.units[1].steps.map { t.nodes[$0].id.text } == ["2.2", "2.1"])
        let readiness = Readiness(tree: t)
        #expect(readiness.readyUnits == [0, 1])
    }

    @Test("wave graphs in the shapes seen in the wild", arguments: [
        #"{"waves":[{"wave":2,"tasks":["2"]},{"wave":1,"tasks":["1"]}]}"#,
        #"[["1"],["2"]]"#,
        #"{"waves":[{"id":0,"tasks":[{"id":"1"}]},{"id":1,"tasks":["2"]}]}"#,
    ])
    func waveShapes(json: String) {
        let t = tree("- [ ] 1. A", "- [ ] 2. B", "## Task Dependency Graph", "```json", json, "```")
        #expect(t.diagnostics.isEmpty)
        let readiness = Readiness(tree: t)
        #expect(readiness.reasons[1] == [.waitingForWave(wave: 1, tasks: [TaskID("1")!])])
    }

    @Test("an unreadable dependency graph is a warning and changes nothing")
    func unreadableGraph() {
        let t = tree("- [ ] 1. A", "## Task Dependency Graph", "```json", "{ not json", "```")
        #expect(t.diagnostics.map(\.code) == ["unreadable-dependency-graph"])
        #expect(t.diagnostics.first?.line == 4)
    }

    @Test("a file that is not UTF-8 is an error with its line, not a crash")
    func notUTF8() {
        let bytes = Array("- [ ] 1. A\n- [ ] 2. B \u{00E9}\n".utf8).map { $0 == 0xC3 ? 0xFF : $0 }
        let t = TaskTree(bytes: bytes)
        #expect(t.nodes.isEmpty)
        #expect(t.errors().map { $0.formatted(path: "tasks.md") } == ["tasks.md:2: error: file is not valid UTF-8 (byte 0xFF at column 12)"])
    }

    @Test("empty files, files without a final newline, BOM and CRLF parse", arguments: [
        "", "- [ ] 1. A", "\u{FEFF}- [x] 1. A\r\n  - [x] 1.1 B\r\n", "\n\n\n",
    ])
    func edges(text: String) {
        let t = TaskTree(bytes: Array(text.utf8))
        #expect(t.document.serialized() == Array(text.utf8))
        #expect(t.diagnostics.isEmpty)
    }

    /// A classic Mac OS file: every line ends with a lone CR.
    @Test("a file whose lines end with CR alone is read line by line, and edits keep its CR endings")
    func carriageReturnOnly() throws {
        let text = "# Tasks\r- [ ] 1. A\r  - [ ] 1.1 First\r  - [ ] 1.2 Second\r- [ ] 2. B\r"
        let t = TaskTree(bytes: Array(text.utf8))
        #expect(t.document.serialized() == Array(text.utf8))
        #expect(t.units.map(\.id.text) == ["1", "2"])
        #expect(t.diagnostics.isEmpty, "\(t.diagnostics)")
        #expect(t.entry("1.2")?.line == 4)
        let unit = try #require(t.unit(TaskID("1")!))
        let edits = try UnitUpdate(completing: [TaskID("1.1")!], blocking: (TaskID("1.2")!, "waits")).edits(for: unit, in: t)
        let edited = String(decoding: TextEdit.apply(edits, to: t.document.bytes), as: UTF8.self)
        #expect(edited == "# Tasks\r- [-] 1. A\r  - [x] 1.1 First\r  - [-] 1.2 Second\r    - _Blocked: waits_\r- [ ] 2. B\r",
                "\(edited.debugDescription)")
        #expect(!edited.contains("\n"), "no LF is brought into a CR file: \(edited.debugDescription)")
    }

    @Test("a CR file whose last line ends with LF, or CRLF, is still read line by line", arguments: [
        "- [ ] 1. Build\r- [ ] 2. Ship\r\n", "# Plan\r\r- [ ] 1. Build\r- [ ] 2. Ship\r\n", "- [ ] 1. Build\r- [ ] 2. Ship\n",
    ])
    func carriageReturnWithFinalLF(text: String) {
        let t = TaskTree(bytes: Array(text.utf8))
        #expect(t.units.map(\.id.text) == ["1", "2"])
        #expect(t.entry("1")?.title == "Build")
        #expect(t.document.serialized() == Array(text.utf8))
    }

    @Test("numbered headings over id-less checkboxes are not 'no task ids'")
    func headingNumberedPlan() {
        let t = tree("## Task 1: Set up", "- [x] Create tokens", "### T002 Write tests", "- [ ] Run them")
        #expect(t.errors().isEmpty, "\(t.diagnostics)")
    }

    @Test("parents that disagree with their children are warnings")
    func parentMarkerWarnings() {
        let t = tree("- [x] 1. A", "  - [ ] 1.1 open", "- [ ] 2. B", "  - [x] 2.1 done", "- [x] 3. C", "  - [x] 3.1 done", "  - [ ]* 3.2 optional", "- [x] 4. D", "  - [ ]* 4.1 all optional")
        #expect(t.diagnostics.map(\.code) == ["parent-done-children-open", "parent-not-marked"])
        #expect(t.diagnostics.map(\.line) == [1, 3])
    }

    /// Seen in real Kiro plans: the parent did the work, its property test is optional.
    @Test("a completed parent whose open children are all optional is no warning")
    func completedParentOptionalChildren() {
        let t = tree("- [x] 1. Impl", "- [ ]* 1.1 Optional property test")
        #expect(t.diagnostics.isEmpty, "\(t.diagnostics)")
        #expect(t.statuses[t.index(of: TaskID("1")!)!] == .completed)
    }
}
