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
