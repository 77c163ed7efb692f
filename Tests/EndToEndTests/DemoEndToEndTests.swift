import Foundation
import Testing
import TestSupport

@Suite("demo")
struct DemoEndToEndTests {
    @Test("demo dispatches the example's first unit, and the command it suggests works as printed")
    func demo() throws {
        try withTemporaryDirectory { root in
            let repo = root + "/demo it's"
            let output = try SpecDispatchCLI.succeed(["demo", "--into", repo], in: root)

            #expect(try git("branch", "--list", "--format=%(refname)", in: repo)
                .split(separator: "\n").sorted() == ["refs/heads/dispatch/link-shortener/task-1", "refs/heads/main"])
            let window = root + "/demo it's.dispatch/link-shortener/task-1"
            #expect(try git("worktree", "list", "--porcelain", in: repo).contains("worktree \(window)\n"))
            #expect(try git("status", "--porcelain", in: window).isEmpty)
            #expect(try git("show", "dispatch/link-shortener/task-1:.kiro/specs/link-shortener/tasks.md", in: repo)
                .contains("- [-] 1. Set up the project skeleton"))
            #expect(FileManager.default.fileExists(atPath: window + "/.dispatch/prompt.md"))

            let suggestion = try #require(output.split(separator: "\n").last { $0.hasPrefix("Try it yourself: ") })
            let board = try Shell.run(["sh", "-c", String(suggestion.dropFirst("Try it yourself: ".count))], in: root)
            #expect(board.contains("8 units: 7 waiting, 1 open"), "\(board)")
        }
    }
}
