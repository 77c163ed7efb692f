import Foundation
import Testing
import TestSupport

@Suite("ready, end to end")
struct ReadyEndToEndTests {
    static let tasks = """
        # Plan
        - [x] 1. Done
        - [ ] 2. Second
          - [ ] 2.1 a
          - depends on: 1
        - [ ]* 3. Optional
        - [ ] 4. Blocked
          - _Blocked: needs credentials_
        - [ ] 5. Waits for two
          - depends on: 2
        - [ ] 6. Someone else's
          - [-] 6.1 in flight
        - [ ] 7. Free

        """

    @Test("ready lists the units next would take, in order")
    func order() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": Self.tasks])
            let result = try repo.cli("ready")
            #expect(result.status == 0)
            #expect(result.stdout == "2  Second\n7  Free\n")
        }
    }

    @Test("ready --verbose says why each other unit is not ready")
    func verbose() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": Self.tasks])
            let out = try repo.cli("ready", "--verbose").stdout
            #expect(out.contains("1  Done\n   completed"))
            #expect(out.contains("2  Second\n   ready (1 step)"))
            #expect(out.contains("3  Optional\n   optional"))
            #expect(out.contains("4  Blocked\n   blocked: 4 (needs credentials)"))
            #expect(out.contains("5  Waits for two\n   waits for 2 (not completed on main)"))
            #expect(out.contains("6  Someone else's\n   6.1 marked in progress on main: someone works on it outside spec-dispatch"))
            #expect(out.contains("7  Free\n   ready (standalone)"))
        }
    }

    @Test("ready --json lists ready and not-ready units with reasons")
    func json() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": Self.tasks])
            let result = try repo.cli("ready", "--json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdoutBytes)) as? [String: Any])
            #expect(object["schema"] as? String == "spec-dispatch.ready/1")
            #expect((object["ready"] as? [[String: Any]])?.map { $0["id"] as? String } == ["2", "7"])
            let notReady = try #require(object["not_ready"] as? [[String: Any]])
            let kinds = notReady.map { (($0["reasons"] as? [[String: Any]])?.first?["kind"] as? String) ?? "" }
            #expect(kinds == ["completed", "optional", "blocked", "waiting_for", "in_progress_outside"])
        }
    }
}
