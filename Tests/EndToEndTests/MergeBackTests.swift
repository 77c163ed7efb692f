import Foundation
import Testing
import TestSupport

@Suite("merge back, end to end")
struct MergeBackTests {
    /// Adjacent lines: each unit's last step sits right above the next unit's task line.
    static let tasks = """
        - [ ] 1. Unit one
          - [ ] 1.1 One a
          - [ ] 1.2 One b
        - [ ] 2. Unit two
          - [ ] 2.1 Two a
          - [ ] 2.2 Two b
        - [ ] 3. Unit three

        """
    static let done = """
        - [x] 1. Unit one
          - [x] 1.1 One a
          - [x] 1.2 One b
        - [x] 2. Unit two
          - [x] 2.1 Two a
          - [x] 2.2 Two b
        - [x] 3. Unit three

        """
    static let steps = ["1": ["1.1", "1.2"], "2": ["2.1", "2.2"], "3": ["3"]]
    static let orders = [["1", "2", "3"], ["1", "3", "2"], ["2", "1", "3"], ["2", "3", "1"], ["3", "1", "2"], ["3", "2", "1"]]

    /// Three units dispatched and worked to the end through trailer commits, each in its own file.
    static func completedUnits(in root: String) throws -> SpecRepository {
        let repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
        try SpecDispatchCLI.succeed(["init"], in: repo.root)
        let windows = try SpecDispatchCLI.succeed(["next", "--count", "3"], in: repo.root).split(separator: "\n").map(String.init)
        #expect(windows.count == 3)
        for window in windows {
            let unit = String(window.split(separator: "-").last!)
            for step in steps[unit]! {
                try write("work for \(step)\n", to: "src/unit\(unit)-\(step).txt", in: window)
                try git("add", "-A", in: window)
                try git("commit", "-q", "-m", "Do \(step)", "--trailer", "Completes: \(step)", in: window)
            }
        }
        return repo
    }

    @Test("approving and merging three adjacent units in every order leaves main with all three [x], no conflict",
          arguments: orders)
    func approveInEveryOrder(order: [String]) throws {
        try withTemporaryDirectory { root in
            let repo = try Self.completedUnits(in: root)
            for unit in order {
                #expect(try repo.cli("review", unit).status == 0)
                let approved = try repo.cli("approve", unit, "--reviewer", "rita")
                #expect(approved.status == 0 && approved.stdout.hasPrefix("Merged s/\(unit) into main"), "\(order): \(approved)")
            }
            #expect(try git("show", "main:.kiro/specs/s/tasks.md", in: repo.root) == Self.done)
            #expect(try git("status", "--porcelain", in: repo.root).isEmpty)
            #expect(try String(contentsOfFile: repo.root + "/.kiro/specs/s/tasks.md", encoding: .utf8) == Self.done)
            for unit in ["1", "2", "3"] {
                #expect(!FileManager.default.fileExists(atPath: root + "/repo.dispatch/s/task-\(unit)"))
                #expect(try gitValue("rev-parse", "--verify", "-q", "refs/dispatch/merged/s/task-\(unit)", in: repo.root).count == 40)
            }
            #expect(try gitValue("for-each-ref", "refs/heads/dispatch/", in: repo.root).isEmpty)
            #expect(try gitValue("ls-files", "src", in: repo.root).split(separator: "\n").count == 5)
            #expect(try repo.cli("status").stdout.contains("3 units: 3 completed"))
            try expectFsckClean(repo.root)
        }
    }

    @Test("plain git merge of the three branches in every order also ends with all three [x], thanks to the driver")
    func plainGitMerge() throws {
        try withTemporaryDirectory { root in
            let repo = try Self.completedUnits(in: root)
            let start = try gitValue("rev-parse", "main", in: repo.root)
            for order in Self.orders {
                try git("reset", "-q", "--hard", start, in: repo.root)
                for unit in order {
                    let merged = try Shell.execute(["git", "merge", "-q", "--no-edit", "dispatch/s/task-\(unit)"], in: repo.root)
                    #expect(merged.status == 0, "\(order), unit \(unit): \(merged)")
                }
                #expect(try git("show", "HEAD:.kiro/specs/s/tasks.md", in: repo.root) == Self.done, "order \(order)")
                #expect(try git("status", "--porcelain", in: repo.root).isEmpty)
            }
        }
    }
}
