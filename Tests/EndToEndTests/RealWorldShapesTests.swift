import Foundation
import Testing
import TestSupport

/// Shapes of tasks.md seen in public repositories, each on the smallest snippet that shows it,
/// taken through the whole loop: dispatch, trailer commits of the required steps, review, merge.
@Suite("real-world task file shapes, end to end")
struct RealWorldShapesTests {
    /// Commits one change per step, each with its `Completes:` trailer, through the hooks.
    static func complete(_ w: WindowFixture, steps: [String]) throws {
        for step in steps {
            let result = try w.commit("work on \(step)", trailers: ["Completes: \(step)"])
            #expect(result.status == 0, "\(result)")
        }
    }

    @Test("a file whose lines end with CR alone: its unit is dispatched, completed by trailers, reviewed and merged, its CR endings kept")
    func carriageReturnOnly() throws {
        try withTemporaryDirectory { root in
            let tasks = "# Tasks\r- [ ] 1. Feature\r  - [ ] 1.1 Build it\r  - [ ] 1.2 Test it\r- [ ] 2. Other\r"
            let w = try WindowFixture(in: root, tasks: tasks)
            #expect(w.window.hasSuffix("/task-1"))
            #expect(try w.repo.cli("status").stdout.contains("0/2"))
            try Self.complete(w, steps: ["1.1", "1.2"])
            #expect(try w.committedTasks() == "# Tasks\r- [-] 1. Feature\r  - [x] 1.1 Build it\r  - [x] 1.2 Test it\r- [ ] 2. Other\r")
            #expect(try w.repo.cli("review", "1").status == 0)
            let approved = try w.repo.cli("approve", "1", "--reviewer", "rita")
            #expect(approved.status == 0, "\(approved)")
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: w.repo.root)
                    == "# Tasks\r- [x] 1. Feature\r  - [x] 1.1 Build it\r  - [x] 1.2 Test it\r- [ ] 2. Other\r")
        }
    }
}
