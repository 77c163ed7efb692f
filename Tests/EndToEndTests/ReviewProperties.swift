import Foundation
import PropertyBased
import SpecDispatch
import SpecDispatchCore
import Testing
import TestSupport

@Suite("reviews (properties)")
struct ReviewProperties {
    static var shape: SpecGen.Shape {
        var shape = SpecGen.Shape()
        shape.maxUnits = 1
        shape.groupChance = 1
        shape.maxChildren = 9
        shape.headingParentChance = 0
        shape.blockedChance = 0
        shape.markers = [" "]
        shape.variedLayout = false
        return shape
    }

    @Test("exactly one review payload per unit however many steps it has, and none before every required step is completed")
    func oneReviewPerUnit() async throws {
        await propertyCheck(count: 100, input: SpecGen.spec(Self.shape), Gen.int(in: 0...1000)) { spec, seed in
            try withTemporaryDirectory { root in
                let repo = try SpecRepository(in: root + "/repo", specs: ["s": spec.text])
                let workspace = try Workspace.open(at: repo.root)
                let window = try #require(try Dispatcher(workspace: workspace, environment: [:]).next(NextRequest()) { _ in }.first).window
                let tree = TaskTree(bytes: spec.bytes)
                let steps = UnitUpdate.steps(of: tree.units[0], in: tree)
                var generator = Xorshift(seed: UInt64(seed + 1))
                let done = steps.filter { _ in generator.next() % 3 != 0 }
                if !done.isEmpty {
                    _ = try ProgressCommands(workspace: try Workspace.open(at: window)).run(.done(done.map(\.text)), spec: nil)
                }
                let live = TaskTree(bytes: Array(try git("show", "HEAD:.kiro/specs/s/tasks.md", in: window).utf8))
                let complete = UnitProgress(unit: live.units[0], tree: live).isComplete

                let reviews = ReviewCommands(workspace: try Workspace.open(at: repo.root))
                let first = Result { try reviews.review(unit: "1", spec: nil) }
                let second = Result { try reviews.review(unit: "1", spec: nil) }
                let files = (try? FileManager.default.contentsOfDirectory(atPath: window + "/.dispatch")) ?? []
                let events = try git("log", "--format=%s", "refs/dispatch/reviews/s/task-1", in: repo.root, allowFailure: true)
                if complete {
                    #expect((try? first.get())?.round == 1)
                    #expect((try? second.get()) == nil, "a second review of the same round")
                    #expect(files.filter { $0.hasPrefix("review") }.sorted() == ["review.json", "review.md"])
                    #expect(events == "review: round 1\n")
                    let payload = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: window + "/.dispatch/review.json"))) as? [String: Any])
                    #expect((payload["steps"] as? [[String: Any]])?.map { $0["id"] as? String } == live.units[0].workItems.map { live.nodes[$0].id.text })
                } else {
                    #expect((try? first.get()) == nil && (try? second.get()) == nil, "no review before every required step is done")
                    #expect(!files.contains("review.json"))
                    #expect(events.isEmpty)
                }
            }
        }
    }
}

/// A tiny seeded generator for choices inside one property case.
struct Xorshift: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
