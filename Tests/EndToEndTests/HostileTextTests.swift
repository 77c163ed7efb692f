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
}
