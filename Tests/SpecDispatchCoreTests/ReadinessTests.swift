import Testing
@testable import SpecDispatchCore

@Suite("readiness")
struct ReadinessTests {
    private func reasons(_ t: TaskTree, _ context: Readiness.Context = .init()) -> [[Readiness.Reason]] {
        Readiness(tree: t, context: context).reasons
    }

    @Test("why a unit is not ready")
    func reasonsForUnits() {
        let t = tree(
            "- [x] 1. Done", "- [ ]* 2. Optional", "- [ ] 3. Blocked", "  - _Blocked: no access_",
            "- [ ] 4. Worked on elsewhere", "  - [-] 4.1 someone", "- [ ] 5. Waits", "  - depends on: 3", "- [ ] 6. Free")
        #expect(reasons(t) == [
            [.completed], [.optional], [.blocked([.init(id: TaskID("3")!, reason: "no access")])],
            [.inProgressOutside([TaskID("4.1")!])], [.waitingFor([TaskID("3")!])], [],
        ])
    }

    @Test("a partly completed unit is ready")
    func partlyDone() {
        #expect(reasons(tree("- [ ] 1. A", "  - [x] 1.1 a", "  - [ ] 1.2 b")) == [[]])
    }

    @Test("a claimed unit is not ready; relaxed mode counts work done on a branch")
    func claimsAndRelaxed() {
        let t = tree("- [ ] 1. A", "- [ ] 2. B", "  - depends on: 1")
        let context = Readiness.Context(claimedUnits: [TaskID("1")!], doneOnBranch: [TaskID("1")!], relaxed: false)
        #expect(reasons(t, context) == [[.claimed, .pendingReview], [.waitingFor([TaskID("1")!])]])
        var relaxed = context
        relaxed.relaxed = true
        #expect(reasons(t, relaxed) == [[.claimed, .pendingReview], []])
        #expect(reasons(t, .init(claimedUnits: [TaskID("1")!])) == [[.claimed], [.waitingFor([TaskID("1")!])]])
    }

    @Test("a free unit writing a file an open unit writes waits, with the file and its writers; a claimed one does not count its own")
    func openWrites() {
        let t = tree("- [ ] 1. A", "  - _writes: a.swift_", "- [ ] 2. B", "  - _writes: b.swift, a.swift_", "- [ ]* 3. C", "  - _writes: a.swift_",
                     "- [ ] 4. D", "  - _writes: d.swift_")
        let context = Readiness.Context(claimedUnits: [TaskID("1")!], openWrites: ["a.swift": ["1", "other/5"]])
        let collision = Readiness.Reason.writesOpenFiles([.init(path: "a.swift", writers: ["1", "other/5"])])
        #expect(reasons(t, context) == [[.claimed], [collision], [.optional, collision], []])
    }

    @Test("[~] is queued by default and blocked under dispatch.tilde = blocked")
    func tilde() {
        #expect(reasons(tree("- [~] 1. A")) == [[]])
        #expect(reasons(tree("- [~] 1. A", tilde: .blocked)) == [[.blocked([.init(id: TaskID("1")!, reason: nil)])]])
        // A parent's own [~] blocks its unit too, as the board shows it.
        #expect(reasons(tree("- [~] 1. A", "  - [ ] 1.1 a", tilde: .blocked)) == [[.blocked([.init(id: TaskID("1")!, reason: nil)])]])
        #expect(reasons(tree("- [~] 1. A", "  - [ ] 1.1 a")) == [[]])
    }
}

@Suite("_writes: entries as paths")
struct WritePathTests {
    @Test("spellings of one path are one entry; a folder, a glob and a file inside overlap", arguments: [
        ("./src/a.swift", "src/a.swift"), ("src//a.swift", "src/a.swift"), ("src/*.swift", "src/a.swift"),
        ("src/", "src/a.swift"), ("src/", "src/deep/b.swift"), ("src/**/x.swift", "src/a/b/x.swift"), ("src/./a.swift", "src/a.swift"),
        ("lib/../src/a.swift", "src/a.swift"), ("src/*.swift", "src/[ab].swift"),
    ])
    func overlapping(a: String, b: String) throws {
        let x = try WritePath.normalize(a).get(), y = try WritePath.normalize(b).get()
        #expect(WritePath.overlap(x, y) && WritePath.overlap(y, x), "\(x) and \(y)")
    }

    @Test("different files, or a glob that cannot reach them, do not overlap", arguments: [
        ("src/a.swift", "src/b.swift"), ("src/*.swift", "src/deep/a.swift"), ("src/*.swift", "src/a.md"), ("docs/", "src/a.swift"),
        ("src", "src/a.swift"),
    ])
    func separate(a: String, b: String) throws {
        let x = try WritePath.normalize(a).get(), y = try WritePath.normalize(b).get()
        #expect(!WritePath.overlap(x, y) && !WritePath.overlap(y, x), "\(x) and \(y)")
    }

    @Test("an entry outside the repository is an error at its line", arguments: ["../x", "/etc/x", "src/../../x", "~/x"])
    func outside(entry: String) {
        let t = tree("- [ ] 1. A", "  - _writes: src/a.swift, \(entry)_")
        #expect(t.errors().map(\.code) == ["writes-outside-repository"])
        #expect(t.errors().first?.line == 2)
        #expect(t.entry("1")?.metadata.writes == ["src/a.swift"])
    }

    @Test("units whose entries overlap are not selected together; the open unit's entry holds a free one back")
    func selection() throws {
        let t = tree("- [ ] 1. A", "  - _writes: src/a.swift_", "- [ ] 2. B", "  - _writes: ./src/*.swift_", "- [ ] 3. C", "  - _writes: docs/_")
        let candidates = t.units.map { DispatchSelection.Candidate(key: $0.id.text, writes: Set($0.members.flatMap { t.nodes[$0].entry.metadata.writes })) }
        let selection = DispatchSelection(candidates: candidates, openWrites: [], openCount: 0, cap: 10, limit: 10)
        #expect(selection.chosen == ["1", "3"])
        #expect(selection.heldBack.map(\.key) == ["2"] && selection.heldBack.first?.files == ["src/*.swift"])
        let readiness = Readiness(tree: t, context: .init(claimedUnits: [TaskID("1")!], openWrites: ["src/a.swift": ["1"]]))
        #expect(readiness.reasons[1] == [.writesOpenFiles([.init(path: "src/*.swift", writers: ["1"])])])
    }
}
