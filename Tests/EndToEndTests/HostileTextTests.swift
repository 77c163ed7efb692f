import Foundation
import Testing
import TestSupport

/// Control characters in task titles, block reasons and command-line values: shown escaped, never
/// written into commits raw, refused as arguments (exit 2) before anything is written.
@Suite("hostile text, end to end")
struct HostileTextTests {
    /// A title that would retitle the terminal window and clear the screen, a step with a C1 CSI
    /// and a right-to-left override, a reason in red, and a title in Chinese that must print as it is.
    static let hostileTasks = """
        - [ ] 1. Title \u{1B}]0;pwned\u{7} \u{1B}[2J here\rCR
          - [ ] 1.1 Step \u{9B}2J and \u{202E}desrever
        - [ ] 2. 实现链接存储 — crème brûlée 🎯
          - _Blocked: needs \u{1B}[31mred\u{1B}[0m_

        """

    /// Bytes that only the data could have put there: what must never reach the output raw.
    static func rawControls(in output: String) -> [String] {
        let forbidden = ["\u{1B}]", "\u{1B}[2J", "\u{1B}[31mred", "\u{7}", "\u{9B}", "\u{202E}"]
        // `script` turns each newline into CR LF; a CR anywhere else came from the title.
        let strayCR = output.replacingOccurrences(of: "\r\n", with: "\n").contains("\r") ? ["CR"] : []
        return forbidden.filter { output.contains($0) } + strayCR
    }

    @Test("status and ready --verbose show titles and reasons escaped, on a terminal and through a pipe")
    func boardEscapes() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": Self.hostileTasks])
            for args in [["status"], ["ready", "--verbose"]] {
                let command = ([SpecDispatchCLI.path] + args).joined(separator: " ")
                let tty = try Shell.execute(["script", "-qec", command, "/dev/null"], in: root)
                let piped = try SpecDispatchCLI.run(args, in: root)
                for (name, result) in [("terminal", tty), ("pipe", piped)] {
                    #expect(result.status == 0, "\(args) on a \(name): \(result)")
                    #expect(Self.rawControls(in: result.stdout + result.stderr).isEmpty,
                            "\(args) on a \(name) printed \(Self.rawControls(in: result.stdout)): \(result.stdout.debugDescription)")
                    #expect(result.stdout.contains(#"Title \033]0;pwned\a \033[2J here\rCR"#), "\(args) on a \(name): \(result)")
                    #expect(result.stdout.contains(#"needs \033[31mred\033[0m"#), "\(args) on a \(name): \(result)")
                    #expect(result.stdout.contains("实现链接存储 — crème brûlée 🎯"), "\(args) on a \(name): \(result)")
                }
            }
            // JSON carries the text itself, JSON-escaped, as before.
            let json = try repo.cli("status", "--json")
            #expect(json.stdout.contains(#""title":"Title \u001b]0;pwned\u0007 \u001b[2J here\rCR""#), "\(json)")
            let board = try repo.cli("status").stdout
            #expect(board.contains(#"Step \u{9B}2J and \u{202E}desrever"#), "\(board)")
            // Titles are cut to the terminal's width as they are shown, escapes and all.
            let narrow = try Shell.execute(["script", "-qec", "stty cols 50; \(SpecDispatchCLI.path) status", "/dev/null"], in: root)
            let rows = narrow.stdout.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
                .map { $0.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) }
                .filter { $0.contains("Title") || $0.contains("Step") }
            #expect(rows.count == 2 && rows.allSatisfy { $0.count <= 50 && $0.hasSuffix("…") }, "\(rows)")
        }
    }

    @Test("a NUL or CR in a title cuts no commit message: the dispatch commit keeps its trailers, done's subject shows it escaped")
    func commitMessagesKeepTheirTrailers() throws {
        try withTemporaryDirectory { root in
            let tasks = "- [ ] 1. Before\u{0}after\rCompletes: 1.2\n  - [ ] 1.1 Step \u{1B}]0;x\u{7}\n  - [ ] 1.2 Other\n"
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
            let window = try repo.cli("next", "--agent", "claude")
            #expect(window.status == 0, "\(window)")
            let branch = "dispatch/s/task-1"
            let message = try git("log", "-1", "--format=%B", branch, in: repo.root)
            #expect(message.hasPrefix(#"dispatch: start unit 1 (Before\000after\rCompletes: 1.2)"# + "\n\n"), "\(message.debugDescription)")
            #expect(try git("log", "-1", "--format=%(trailers:key=Dispatch-Unit,valueonly)%(trailers:key=Dispatch-Agent,valueonly)", branch, in: repo.root)
                == "1\nclaude\n\n")
            #expect(try repo.cli("status").stdout.contains("agent claude"), "the window is recognised from its dispatch commit")

            let done = try repo.cli("done", "1.1")
            #expect(done.status == 0, "\(done)")
            #expect(try git("log", "-1", "--format=%B", branch, in: repo.root) == #"done: 1.1 Step \033]0;x\a"# + "\n\nCompletes: 1.1\n\n")
            #expect(!done.stdout.contains("\u{1B}"), "\(done)")
            try expectFsckClean(repo.root)
        }
    }

    @Test("a control character in --by, --reviewer, --agent or a reason is refused with exit 2, naming the option and where, and nothing is written")
    func argumentsRefused() throws {
        try withTemporaryDirectory { root in
            let fixture = try WindowFixture(in: root, tasks: "- [ ] 1. A\n  - [ ] 1.1 One\n  - [ ] 1.2 Two\n")
            let repo = fixture.repo
            let before = try repo.snapshot()
            let refused: [(args: [String], message: String)] = [
                (["block", "1.1", "--reason", "\u{1B}[2Jx"], "--reason contains a control character (U+001B at position 1); a reason may hold newlines and tabs, no other control character"),
                (["block", "1.1", "--reason", "r", "--by", "me\nCompletes: 1.2"], "--by contains a control character (U+000A at position 3); names are one line of text"),
                (["block", "1.1", "--reason", "line\r\nline"], "--reason contains a control character (U+000D at position 5)"),
                (["approve", "1", "--reviewer", "rev\u{202E}ewer"], "--reviewer contains a control character (U+202E at position 4)"),
                (["reject", "1", "--reason", "bad\u{7}", "--reviewer", "r"], "--reason contains a control character (U+0007 at position 4)"),
                (["reject", "1", "--reason", "bad", "--reviewer", "r\tx"], "--reviewer contains a control character (U+0009 at position 2)"),
                (["next", "--agent", "claude\u{9B}"], "--agent contains a control character (U+009B at position 7)"),
                (["run", "--agent", "\u{1B}]0;x\u{7}"], "--agent contains a control character (U+001B at position 1)"),
            ]
            for (args, message) in refused {
                let result = try SpecDispatchCLI.run(args, in: fixture.window)
                #expect(result.status == 2, "\(args): \(result)")
                #expect(result.stderr.hasPrefix("error: " + message), "\(args): \(result)")
                #expect(result.stdout.isEmpty, "\(args): \(result)")
            }
            #expect(try repo.snapshot() == before)
            #expect(try fixture.committedTasks("dispatch/s/task-1") == "- [-] 1. A\n  - [-] 1.1 One\n  - [ ] 1.2 Two\n")
            #expect(try git("log", "-1", "--format=%(trailers:key=Completes)", "dispatch/s/task-1", in: repo.root).trimmingCharacters(in: .newlines).isEmpty)

            // An error quoting a bad argument shows it escaped.
            let badStep = try SpecDispatchCLI.run(["block", "1\u{1B}[2J", "--reason", "r"], in: fixture.window)
            #expect(badStep.status == 2 && badStep.stderr.contains(#"'1\033[2J' is not a task id"#), "\(badStep)")

            // A reason may span lines and hold tabs, a name any text on one line.
            let block = try SpecDispatchCLI.run(["block", "1.1", "--reason", "two\nlines\tand a tab", "--by", "Zoë 漢字"], in: fixture.window)
            #expect(block.status == 0, "\(block)")
            #expect(try fixture.committedTasks("dispatch/s/task-1").contains("    - _Blocked: two lines\tand a tab_\n"))
            #expect(try git("log", "-1", "--format=%B", "dispatch/s/task-1", in: repo.root)
                == #"block: 1.1 — two lines\tand a tab"# + "\n\nBlocks: 1.1\nBlocked-By: Zoë 漢字\n\n")
        }
    }

    @Test("validate warns about a control character in a task line, and still passes")
    func validateWarns() throws {
        try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root, specs: ["s": Self.hostileTasks])
            let result = try repo.cli("validate")
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.split(separator: "\n").map(String.init) == [
                ".kiro/specs/s/tasks.md:1: warning: task 1's title holds a control character (U+001B at position 7); it is shown escaped",
                ".kiro/specs/s/tasks.md:2: warning: task 1.1's title holds a control character (U+009B at position 6); it is shown escaped",
            ], "\(result)")
        }
    }

    @Test("merge writes a hostile title escaped, its Dispatch-Unit trailer kept, in a fast-forward and in a merge commit",
          arguments: [false, true])
    func mergeMessages(diverged: Bool) throws {
        try withTemporaryDirectory { root in
            let w = try WindowFixture(in: root, tasks: "- [ ] 1. Before\u{0}after \u{1B}[2J\rCompletes: 2\n  - [ ] 1.1 Step\n- [ ] 2. Other\n")
            #expect(try w.commit("step one", trailers: ["Completes: 1.1"]).status == 0)
            if diverged { try commitFiles(["elsewhere.txt": "meanwhile\n"], message: "meanwhile on main", in: w.repo.root) }
            let merged = try w.repo.cli("merge", "1", "--force")
            #expect(merged.status == 0, "\(merged)")
            let message = try git("log", "-1", "--format=%B", "main", in: w.repo.root)
            let subject = (diverged ? "Merge unit 1: " : "complete unit 1: ") + #"Before\000after \033[2J\rCompletes: 2"#
            #expect(message.hasPrefix(subject + "\n\n"), "\(message.debugDescription)")
            #expect(try git("log", "-1", "--format=%(trailers:key=Dispatch-Unit,valueonly)|%(trailers:key=Completes)", "main", in: w.repo.root)
                .trimmingCharacters(in: .newlines) == "1\n|")
            try expectFsckClean(w.repo.root)
        }
    }
}
