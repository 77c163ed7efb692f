import Testing
@testable import SpecDispatchCore

@Suite("detail lines")
struct DetailLineTests {
    @Test("markers under a task are read into its metadata")
    func markers() throws {
        let t = tree(
            "- [ ] 1. First",
            "- [ ] 2. Second (P)",
            "  - _Requirements: 1.1, 2.3_",
            "  - _writes: `src/a.swift`, src/b.swift_",
            "  - _reads: docs/x.md_",
            "  - depends on: 1",
            "  - _Boundary: AuthService_",
            "  - _criticality: security-sensitive_",
            "  - _agent: claude_",
            "  - _Blocked: waiting for the vault API_")
        let m = try #require(t.entry("2")).metadata
        #expect(m.requirements == ["1.1", "2.3"])
        #expect(m.writes == ["src/a.swift", "src/b.swift"])
        #expect(m.reads == ["docs/x.md"])
        #expect(m.dependencies.map(\.target.text) == ["1"])
        #expect(m.boundary == "AuthService")
        #expect(m.criticality == .securitySensitive)
        #expect(m.agent == "claude")
        #expect(m.blocked?.reason == "waiting for the vault API")
        #expect(m.isParallel)
        #expect(t.diagnostics.isEmpty)
    }

    @Test("dependency forms seen in real files", arguments: [
        "  - depends on: 1, 2.1", "  - dependencies: 1, 2.1", "  - _Depends: 1, 2.1_", "  - _Dependencies: 1, 2.1_",
        "  - **Dependencies:** 1, 2.1", "  - **Dependencies**: 1, 2.1", "  - _Dependencies: [1], [2.1]_",
        "  - Depends on: Task 1, 2.1 (the model)",
    ])
    func dependencyForms(line: String) throws {
        let t = tree("- [ ] 1. A", "- [ ] 2. B", "  - [ ] 2.1 B1", "- [ ] 3. C", line)
        #expect(try #require(t.entry("3")).metadata.dependencies.map(\.target.text) == ["1", "2.1"])
        #expect(t.diagnostics.isEmpty)
    }

    @Test("no dependencies", arguments: ["  - _Dependencies: none_", "  - **Dependencies:** None", "  - depends on: -"])
    func noDependencies(line: String) throws {
        let t = tree("- [ ] 1. A", line)
        #expect(try #require(t.entry("1")).metadata.dependencies.isEmpty)
        #expect(t.diagnostics.isEmpty)
    }

    @Test("localized requirement labels and full-width colons")
    func localizedRequirements() throws {
        let t = tree("- [ ] 1. 任务", "  - _需求：1.1、1.2_", "- [ ] 2. 작업", "  - _요구사항: 3.1_")
        #expect(try #require(t.entry("1")).metadata.requirements == ["1.1", "1.2"])
        #expect(try #require(t.entry("2")).metadata.requirements == ["3.1"])
    }

    @Test("an unknown criticality is an error at its line")
    func badCriticality() {
        let t = tree("- [ ] 1. A", "  - _criticality: extreme_")
        #expect(t.errors().map(\.line) == [2])
        #expect(t.errors().first?.code == "invalid-criticality")
    }

    @Test("in a dependency list, an item that is not a task id is a warning at its line")
    func unreadableDependency() {
        let t = tree("- [ ] 1. A", "- [ ] 2. B", "  - depends on: 1, the data layer")
        #expect(t.diagnostics.map(\.code) == ["unreadable-dependency"])
        #expect(t.diagnostics.first?.line == 3)
        #expect(t.node(TaskID("2")!)?.dependencies.count == 1)
    }

    /// FastAPI plans describe injected dependencies on detail lines.
    @Test("a dependency label followed by no task id is prose, silently", arguments: [
        "  - Dependency: current_superuser: CurrentSuperuser", "  - depends on: the data layer", "  - Dependencies: Redis, PostgreSQL",
    ])
    func dependencyProse(line: String) {
        let t = tree("- [ ] 1. A", line)
        #expect(t.diagnostics.isEmpty, "\(t.diagnostics)")
        #expect(t.node(TaskID("1")!)?.dependencies.isEmpty == true)
    }

    @Test("prose that looks like a marker is not one")
    func proseIsNotMarker() throws {
        let t = tree("- [ ] 1. A", "  - Blocked: this is prose", "  - Writes: prose too", "Details: at column 0 end the task")
        let m = try #require(t.entry("1")).metadata
        #expect(m.blocked == nil && m.writes.isEmpty)
        #expect(try #require(t.entry("1")).detailLines == 1..<3)
    }

    @Test("detail lines end at the next task, heading, or a line as shallow as the task")
    func detailRegion() throws {
        let t = tree("- [ ] 1. A", "  - one", "", "  - two after a blank", "  - [ ] 1.1 Sub", "    - sub detail", "", "## Next")
        #expect(try #require(t.entry("1")).detailLines == 1..<4)
        #expect(try #require(t.entry("1.1")).detailLines == 5..<6)
        #expect(t.document.detailText(of: try #require(t.entry("1"))) == ["- one", "", "- two after a blank"])
    }

    @Test("detail lines naming other tasks without a dependency label are listed; markers, requirements, known dependencies and bare numbers are not")
    func unreadDependencies() {
        let t = tree("- [ ] 1. A", "  - [ ] 1.1 Schema", "- [ ] 2. B", "  - 1.1に依存", "  - Requirements: 1.1", "  - _Requirements: 1.1_",
                     "  - Serve 2 endpoints after T5 and v2.0", "- [ ] 3. C", "  - depends on: 1.1", "  - needs 1.1 first")
        #expect(UnreadDependencies.find(in: t) == [.init(line: 4, task: TaskID("2")!, mentioned: [TaskID("1.1")!])])
    }
}
