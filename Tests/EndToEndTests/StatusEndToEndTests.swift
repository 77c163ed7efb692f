import Foundation
import Testing
import TestSupport

@Suite("status, end to end")
struct StatusEndToEndTests {
    @Test("status shows every unit with its steps and a summary line")
    func boardOfExample() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository.example(in: root)
            let result = try repo.cli("status")
            #expect(result.status == 0, "\(result)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("link-shortener  .kiro/specs/link-shortener/tasks.md at main (") == true)
            #expect(lines.contains { $0.hasPrefix("[ ] 1 ") && $0.contains("ready") && $0.contains("0/2") && $0.hasSuffix("Set up the project skeleton") })
            #expect(lines.contains { $0.hasPrefix("    [ ] 7.2.1") && $0.contains("not started") })
            #expect(lines.contains { $0.contains("[ ] 4 ") && $0.contains("waits for 2, 3 (not completed on main)") })
            #expect(lines.last == "8 units: 1 ready, 7 waiting · 23 tasks: 23 not started")
            #expect(!result.stdout.contains("\u{1B}["), "no colour when not on a terminal")
            #expect(result.stderr.isEmpty)
        }
    }

    @Test("status --json follows the documented schema")
    func json() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository.example(in: root)
            let result = try repo.cli("status", "--json")
            #expect(result.status == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdoutBytes)) as? [String: Any])
            #expect(object["schema"] as? String == "spec-dispatch.status/1")
            let base = try #require(object["base"] as? [String: Any])
            #expect(base["commit"] as? String == (try gitValue("rev-parse", "main", in: root)))
            let spec = try #require((object["specs"] as? [[String: Any]])?.first)
            let units = try #require(spec["units"] as? [[String: Any]])
            #expect(units.map { $0["id"] as? String } == ["1", "2", "3", "4", "5", "6", "7", "8"])
            #expect(units[0]["state"] as? String == "ready")
            #expect((units[1]["steps"] as? [[String: Any]])?.map { $0["id"] as? String } == ["2.1", "2.2", "2.3", "2.4"])
            #expect((units[1]["steps"] as? [[String: Any]])?.last?["optional"] as? Bool == true)
            let reasons = try #require(units[3]["reasons"] as? [[String: Any]])
            #expect(reasons.first?["kind"] as? String == "waiting_for")
            #expect(reasons.first?["tasks"] as? [String] == ["2", "3"])
            let summary = try #require(spec["summary"] as? [String: [String: Int]])
            #expect(summary["units"]?["ready"] == 1 && summary["tasks"]?["total"] == 23)
        }
    }

    @Test("status reads the base branch, and says so when tasks.md has uncommitted edits")
    func readsBaseBranch() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": "- [ ] 1. A\n- [ ] 2. B\n"])
            try write("- [x] 1. A\n- [ ] 2. B\n", to: ".kiro/specs/s/tasks.md", in: root)
            let result = try repo.cli("status")
            #expect(result.stdout.contains("note: tasks.md has uncommitted changes; the board shows main"))
            #expect(result.stdout.contains("2 units: 2 ready"))
            let json = try repo.cli("status", "--json")
            #expect(json.stdout.contains("\"working_tree_differs\":true"))
        }
    }

    @Test("status works from a subfolder and from inside a linked worktree, showing the main branch")
    func fromAnywhereInTheRepository() throws {
        try withTemporaryDirectory { root in
            let repoRoot = root + "/repo"
            try FileManager.default.createDirectory(atPath: repoRoot, withIntermediateDirectories: true)
            let repo = try SpecRepository(in: repoRoot, specs: ["s": "- [ ] 1. A\n"])
            _ = repo
            let sub = try SpecDispatchCLI.run(["status"], in: repoRoot + "/.kiro/specs")
            #expect(sub.status == 0 && sub.stdout.contains("1 unit: 1 ready"))
            try git("worktree", "add", "-q", "-b", "other", root + "/wt", in: repoRoot)
            try commitFiles([".kiro/specs/s/tasks.md": "- [x] 1. A\n"], message: "on other", in: root + "/wt")
            let inside = try SpecDispatchCLI.run(["status"], in: root + "/wt")
            #expect(inside.status == 0 && inside.stdout.contains("at main ("), "\(inside)")
            #expect(inside.stdout.contains("1 unit: 1 ready"))
        }
    }

    @Test("several specs show one after another; --spec NAME and --spec PATH pick one")
    func severalSpecs() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["alpha": "- [ ] 1. A\n", "beta": "- [x] 1. B\n"])
            let all = try repo.cli("status")
            #expect(all.stdout.contains("alpha  .kiro/specs/alpha/tasks.md") && all.stdout.contains("beta  .kiro/specs/beta/tasks.md"))
            #expect(try repo.cli("status", "--spec", "beta").stdout.contains("1 unit: 1 completed"))
            #expect(!(try repo.cli("status", "--spec", "beta").stdout.contains("alpha")))
            let byPath = try SpecDispatchCLI.run(["status", "--spec", "../beta/tasks.md"], in: root + "/.kiro/specs/alpha")
            #expect(byPath.status == 0 && byPath.stdout.hasPrefix("beta  .kiro/specs/beta/tasks.md"), "\(byPath)")
            let custom = try SpecRepository(in: root + "/other", specs: [:], extraFiles: ["plans/x/tasks.md": "- [ ] 1. X\n"])
            #expect(try custom.cli("status", "--spec", "plans/x").stdout.hasPrefix("x  plans/x/tasks.md"))
        }
    }

    @Test("colour only on a terminal, and never under NO_COLOR")
    func colour() throws {
        try withTemporaryDirectory { root in
            _ = try SpecRepository(in: root, specs: ["s": "- [x] 1. A\n- [ ] 2. B\n"])
            let command = "\(SpecDispatchCLI.path) status"
            let tty = try Shell.execute(["script", "-qec", command, "/dev/null"], in: root)
            #expect(tty.stdout.contains("\u{1B}[32mcompleted"), "\(tty)")
            let noColor = try Shell.execute(["script", "-qec", command, "/dev/null"], in: root, environment: ["NO_COLOR": "1"])
            #expect(noColor.status == 0 && !noColor.stdout.contains("\u{1B}["), "\(noColor)")
        }
    }
}
