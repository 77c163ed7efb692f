import Foundation
import SpecDispatch
import SpecDispatchCore
import Testing
import TestSupport

/// The application layer in-process: the board, readiness with open windows, and the review
/// state machine, on real repositories, without starting the binary.
@Suite("the application layer, in-process")
struct ApplicationLayerTests {
    static let tasks = "- [ ] 1. Feature\n  - [ ] 1.1 Build it\n  - [ ] 1.2 Test it\n- [ ] 2. Later\n  - depends on: 1\n  - [ ] 2.1 Use it\n- [ ] 3. Apart\n"

    static func next(_ unit: String, in workspace: Workspace) throws -> DispatchedUnit {
        let units = try Dispatcher(workspace: workspace, environment: [:]).next(NextRequest(unit: unit)) { _ in }
        return try #require(units.first)
    }

    static func board(_ workspace: Workspace) throws -> Board.SpecEntry {
        try #require(try Board.load(workspace, spec: nil).specs.first)
    }

    @Test("the board reads the base: units, their states, and why one waits")
    func board() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            let entry = try Self.board(try Workspace.open(at: repo.root))
            #expect(entry.tree.units.map(\.id.text) == ["1", "2", "3"])
            #expect(entry.tree.units.indices.map { entry.state(ofUnit: $0) } == [.ready, .waiting, .ready])
            #expect(entry.readiness.reasons[1] == [.waitingFor([TaskID("1")!])])
        }
    }

    @Test("an open window claims its unit, shows its branch's progress, and what waits on it keeps waiting")
    func openWindows() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            let workspace = try Workspace.open(at: repo.root)
            let dispatched = try Self.next("1", in: workspace)
            #expect(dispatched.branch == "dispatch/s/task-1")
            _ = try ProgressCommands(workspace: workspace).run(.done(["1.1"]), spec: nil)
            let entry = try Self.board(workspace)
            #expect(entry.tree.units.indices.map { entry.state(ofUnit: $0) } == [.open, .waiting, .ready])
            let open = try #require(entry.windows[TaskID("1")!])
            #expect(open.live?[TaskID("1.1")!] == .completed && open.live?[TaskID("1.2")!] != .completed)
            #expect(!open.isDoneOnBranch)
            let again = try Dispatcher(workspace: workspace, environment: [:]).next(NextRequest(count: 2)) { _ in }
            #expect(again.map(\.unit.text) == ["3"], "1 is open, 2 waits for it")
        }
    }

    @Test("review state machine: pending review, under review, fix required, fixed, approved and merged")
    func reviewStates() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": Self.tasks])
            let workspace = try Workspace.open(at: repo.root)
            let window = try Self.next("1", in: workspace).window
            let reviews = ReviewCommands(workspace: workspace)
            #expect(throws: DispatchError.self) { try reviews.review(unit: "1", spec: nil) }
            _ = try ProgressCommands(workspace: workspace).run(.done(["1.1", "1.2"]), spec: nil)
            #expect(try Self.board(workspace).state(ofUnit: 0) == .pendingReview)

            let first = try reviews.review(unit: "1", spec: nil)
            #expect(first.round == 1)
            #expect(try Self.board(workspace).state(ofUnit: 0) == .underReview)
            let rejected = try reviews.reject(unit: "1", spec: nil, reason: "no tests", steps: ["1.2"], reviewer: "rita")
            #expect(rejected.attempt == 1 && !rejected.escalated)
            #expect(try Self.board(workspace).state(ofUnit: 0) == .fixRequired)

            try write("tests\n", to: "tests.txt", in: window)
            try git("add", "tests.txt", in: window)
            try git("commit", "-q", "-m", "Add the tests", "--trailer", "Completes: 1.2", in: window)
            #expect(try Self.board(workspace).state(ofUnit: 0) == .pendingReview, "a fix commit brings it back")
            #expect(try reviews.review(unit: "1", spec: nil).round == 2)
            let approved = try reviews.approve(unit: "1", spec: nil, reviewer: "rita", merge: true)
            #expect(approved.approvals == 1 && approved.needed == 1 && approved.merged != nil)
            let entry = try Self.board(workspace)
            #expect(entry.tree.units.indices.map { entry.state(ofUnit: $0) } == [.completed, .ready, .ready])
        }
    }
}
