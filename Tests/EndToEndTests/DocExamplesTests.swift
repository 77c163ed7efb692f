import Foundation
import Testing
import TestSupport

/// Every command example in README.md and docs/ runs as printed: each fenced `sh` block has a
/// scenario here that sets up what the block assumes (a repository, a window, a unit under
/// review), then runs the block's commands through `sh` with the built `spec-dispatch` first on
/// PATH, in order, and checks each one's exit code. A new block without a scenario fails the
/// suite, so an example nobody runs cannot appear.
@Suite("documentation examples")
struct DocExamplesTests {
    /// The project's root folder.
    static let root = URL(fileURLWithPath: SpecDispatchCLI.templates).deletingLastPathComponent().path

    /// A fenced `sh` block's commands, with where the block starts.
    struct Block: CustomStringConvertible {
        var file: String
        var line: Int
        var index: Int
        var commands: [String]
        var key: String { "\(file)#\(index)" }
        var description: String { "\(file):\(line)" }
    }

    /// The `sh` blocks of README.md and docs/*.md. In a block written as a transcript (`$ ` lines),
    /// only those lines are commands; otherwise every line is, comments removed.
    static func blocks() throws -> [Block] {
        let files = ["README.md"] + (try FileManager.default.contentsOfDirectory(atPath: root + "/docs"))
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        var blocks: [Block] = []
        for file in files {
            let lines = try String(contentsOfFile: "\(root)/\(file)", encoding: .utf8).components(separatedBy: "\n")
            var index = 0
            var current: (line: Int, body: [String])?
            for (number, line) in lines.enumerated() {
                if current == nil, line.trimmingCharacters(in: .whitespaces) == "```sh" {
                    current = (number + 1, [])
                } else if let open = current, line.trimmingCharacters(in: .whitespaces) == "```" {
                    blocks.append(Block(file: file, line: open.line, index: index, commands: commands(open.body)))
                    index += 1
                    current = nil
                } else if current != nil {
                    current!.body.append(line)
                }
            }
        }
        return blocks
    }

    static func commands(_ body: [String]) -> [String] {
        let transcript = body.contains { $0.hasPrefix("$ ") }
        return body.compactMap { line -> String? in
            var text = line
            if transcript {
                guard text.hasPrefix("$ ") else { return nil }
                text.removeFirst(2)
            }
            // A comment after two spaces ends the command; a `#` inside quotes does not.
            if let comment = text.range(of: "  #") { text = String(text[..<comment.lowerBound]) }
            text = text.trimmingCharacters(in: .whitespaces)
            return text.isEmpty || text.hasPrefix("#") ? nil : text
        }
    }

    @Test("every sh block of README.md and docs/ has a scenario that runs it")
    func everyBlockIsRun() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count >= 8, "\(blocks)")
        for block in blocks where Self.scenarios[block.key] == nil {
            Issue.record("\(block) has no scenario in DocExamplesTests: \(block.commands)")
        }
        for key in Self.scenarios.keys where !blocks.contains(where: { $0.key == key }) {
            Issue.record("the scenario \(key) names no block any more")
        }
    }

    @Test("each sh block of README.md and docs/ runs as printed", arguments: try DocExamplesTests.blocks().map(\.key))
    func blockRuns(key: String) throws {
        let block = try #require(try Self.blocks().first { $0.key == key })
        let scenario = try #require(Self.scenarios[key], "no scenario for \(block)")
        guard case .run(let prepare) = scenario else { return }
        try withTemporaryDirectory { root in
            let setting = try prepare(root)
            defer { setting.cleanUp() }
            var here = setting.folder
            for (number, command) in block.commands.enumerated() {
                // A `cd` holds for the commands after it, as in the reader's shell.
                if command.hasPrefix("cd ") {
                    here = URL(fileURLWithPath: String(command.dropFirst(3)), relativeTo: URL(fileURLWithPath: here + "/")).standardizedFileURL.path
                    #expect(FileManager.default.fileExists(atPath: here), "\(block): \(command)")
                    continue
                }
                try setting.before(command)
                let text = setting.substitute(command)
                let folder = try setting.freshFolder.map { try $0(number) } ?? here
                let result = try Shell.execute(["sh", "-c", text], in: folder, environment: setting.environment)
                let expected = setting.exitCodes[number] ?? 0
                #expect(result.status == expected, "\(block), command \(number + 1): \(text)\n\(result)")
                if result.status != expected { return }
            }
            try setting.after(root)
        }
    }

    // MARK: - Scenarios

    enum Scenario: Sendable {
        /// Not run here, and why (`make test` is what CI runs).
        case notRun(String)
        case run(@Sendable (String) throws -> Setting)
    }

    /// Where and how a block's commands run.
    struct Setting {
        var folder: String
        var environment: [String: String] = ["PATH": FakeAgents.path]
        /// Exit codes other than 0 the block's commands are expected to end with, by position.
        var exitCodes: [Int: Int32] = [:]
        /// For a block whose commands show alternatives (approve, or reject), a fresh folder for
        /// each command, made by this, instead of `folder`.
        var freshFolder: ((Int) throws -> String)?
        /// Runs before each command (a commit example needs something staged).
        var before: (String) throws -> Void = { _ in }
        /// Values the example shows as placeholders (a time, a path).
        var substitutions: [String: String] = [:]
        /// Checks after the last command.
        var after: (String) throws -> Void = { _ in }
        var cleanUp: () -> Void = {}

        func substitute(_ command: String) -> String {
            substitutions.reduce(command) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }
    }

    static let scenarios: [String: Scenario] = [
        "README.md#0": .notRun("`make demo` and `make test` are what CI runs (.ci/run) and the demo test checks"),
        "README.md#1": .run { root in
            // The tour runs in a repository named as the example names it, beside its windows.
            _ = try SpecRepository.example(in: root + "/your-repository")
            return Setting(folder: root, after: { _ in
                let prompt = FileManager.default.fileExists(atPath: root + "/your-repository.dispatch/link-shortener/task-1/.dispatch/prompt.md")
                #expect(prompt)
            })
        },
        "docs/agents.md#0": .run { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": smallTasks])
            return Setting(folder: repo.root, after: { _ in
                let agent = try gitValue("config", "dispatch.agent", in: repo.root)
                #expect(agent == "claude")
            })
        },
        "docs/agents.md#1": .run { root in
            // The agent is a script that does its unit's work; tmux gets a server of its own.
            let repo = try agentRepository(in: root)
            let tmux = root + "/tmux"
            try FileManager.default.createDirectory(atPath: tmux, withIntermediateDirectories: true)
            var setting = Setting(folder: repo.root)
            setting.environment["TMUX_TMPDIR"] = tmux
            setting.cleanUp = { _ = try? Shell.execute(["tmux", "kill-server"], in: root, environment: ["TMUX_TMPDIR": tmux]) }
            return setting
        },
        "docs/agents.md#2": .run { root in
            let repo = try agentRepository(in: root)
            let bin = root + "/bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            _ = try FakeAgents.install(FakeAgents.approver, named: "my-reviewer", in: bin)
            var setting = Setting(folder: repo.root, after: { _ in
                let merged = try git("show", "main:.kiro/specs/s/tasks.md", in: repo.root)
                #expect(merged == smallTasks.replacingOccurrences(of: "[ ]", with: "[x]"), "\(merged)")
            })
            setting.environment["PATH"] = bin + ":" + FakeAgents.path
            return setting
        },
        "docs/agents.md#3": .run { root in
            // Each command on a window of its own: unit 3 dispatched, its agent not started.
            let tmux = root + "/tmux"
            try FileManager.default.createDirectory(atPath: tmux, withIntermediateDirectories: true)
            var setting = Setting(folder: root, freshFolder: { number in
                let repo = try agentRepository(in: "\(root)/\(number)", tasks: "- [ ] 1. One\n- [ ] 2. Two\n- [ ] 3. Three\n  - [ ] 3.1 A\n")
                try SpecDispatchCLI.succeed(["next", "3"], in: repo.root)
                if number == 1 {
                    // `logs -f` follows until the window is gone: it goes a moment later.
                    let folder = repo.root
                    DispatchQueue.global().asyncAfter(deadline: .now() + 1) {
                        _ = try? SpecDispatchCLI.run(["abandon", "3", "--force"], in: folder)
                    }
                }
                return repo.root
            })
            setting.environment["TMUX_TMPDIR"] = tmux
            setting.environment["SHELL"] = "/bin/sh"
            setting.cleanUp = { _ = try? Shell.execute(["tmux", "kill-server"], in: root, environment: ["TMUX_TMPDIR": tmux]) }
            return setting
        },
        "docs/agents.md#4": .run { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": smallTasks])
            try git("clone", "-q", "--bare", repo.root, root + "/origin.git", in: root)
            try git("remote", "add", "origin", root + "/origin.git", in: repo.root)
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            return Setting(folder: repo.root, after: { _ in
                let claims = try git("ls-remote", "origin", "refs/heads/dispatch/*", in: repo.root)
                #expect(claims.contains("refs/heads/dispatch/s/task-1"), "\(claims)")
            })
        },
        "docs/hooks.md#0": .run { root in
            let window = try unitTwoWindow(in: root)
            return Setting(folder: window, before: { command in
                if command.hasPrefix("git commit") { try stageWork(in: window) }
            }, after: { _ in
                let tasks = try git("show", "HEAD:.kiro/specs/link-shortener/tasks.md", in: window)
                let marked = tasks.contains("[x] 2.2 ") && tasks.contains("[x] 2.3 ") && tasks.contains("[x]* 2.4 ")
                #expect(marked, "\(tasks)")
            })
        },
        "docs/hooks.md#1": .run { root in
            Setting(folder: try unitTwoWindow(in: root))
        },
        "docs/review-and-merge.md#0": .run { root in
            // Each command shows one thing a unit done on its branch can go through: each gets
            // such a unit of its own (review first where the command needs a review).
            Setting(folder: root, freshFolder: { number in
                let repo = try SpecRepository(in: "\(root)/repo-\(number)", specs: ["s": reviewTasks])
                try SpecDispatchCLI.succeed(["init"], in: repo.root)
                try finish(unit: "2", in: repo)
                if [1, 2].contains(number) { try SpecDispatchCLI.succeed(["review", "2"], in: repo.root) }
                if number == 4 { try git("merge", "-q", "--no-edit", "dispatch/s/task-2", in: repo.root) }
                return repo.root
            })
        },
        "docs/windows.md#0": .run { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. One\n- [ ] 2. Two\n"])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let window = try SpecDispatchCLI.succeed(["next", "2"], in: repo.root).trimmingCharacters(in: .newlines)
            try stageWork(in: window)
            try git("commit", "-q", "-m", "work", in: window)
            try write("unsaved\n", to: "notes.txt", in: window)
            try SpecDispatchCLI.succeed(["abandon", "2", "--force"], in: repo.root)
            let archive = try gitValue("for-each-ref", "--format=%(refname)", "refs/dispatch/archive/s/task-2/", in: repo.root)
            let stamp = try #require(archive.split(separator: "\n").first?.split(separator: "/").last?.split(separator: "-").first)
            return Setting(folder: repo.root, substitutions: ["1764650000": String(stamp)], after: { _ in
                let notes = try String(contentsOfFile: repo.root + "/notes.txt", encoding: .utf8)
                let rescued = try gitValue("rev-parse", "rescued", in: repo.root)
                #expect(notes == "unsaved\n" && rescued.count == 40)
            })
        },
    ]

    // MARK: - Building blocks

    static let smallTasks = "- [ ] 1. One\n  - [ ] 1.1 A\n- [ ] 2. Two\n"

    /// A repository whose default agent is a script that does its unit's work.
    static func agentRepository(in root: String, tasks: String = smallTasks) throws -> SpecRepository {
        let repo = try SpecRepository(in: root + "/repo", specs: ["s": tasks])
        try SpecDispatchCLI.succeed(["init"], in: repo.root)
        let agent = try FakeAgents.install(FakeAgents.agent, named: "agent.sh", in: root)
        try git("config", "dispatch.agent.fake.command", agent, in: repo.root)
        try git("config", "dispatch.agent", "fake", in: repo.root)
        return repo
    }

    /// A unit 2 with a step 2.3, needing no other unit first.
    static let reviewTasks = "- [ ] 1. One\n- [ ] 2. Two\n  - [ ] 2.1 A\n  - [ ] 2.2 B\n  - [ ] 2.3 C\n"

    /// The example spec with unit 1 merged and unit 2 dispatched: its window.
    static func unitTwoWindow(in root: String) throws -> String {
        let repo = try SpecRepository.example(in: root + "/repo")
        try SpecDispatchCLI.succeed(["init"], in: repo.root)
        try finish(unit: "1", in: repo)
        try SpecDispatchCLI.succeed(["merge", "1"], in: repo.root)
        return try SpecDispatchCLI.succeed(["next", "2"], in: repo.root).trimmingCharacters(in: .newlines)
    }

    /// Dispatches `unit` and completes its required steps with trailer commits.
    static func finish(unit: String, in repo: SpecRepository) throws {
        let window = try SpecDispatchCLI.succeed(["next", unit], in: repo.root).trimmingCharacters(in: .newlines)
        let payload = try JSONSerialization.jsonObject(with: Data(try readBytes(".dispatch/payload.json", in: window))) as? [String: Any]
        let steps = (payload?["steps"] as? [[String: Any]] ?? []).filter { ($0["group"] as? Bool) != true && ($0["optional"] as? Bool) != true }
        for step in steps.compactMap({ $0["id"] as? String }) {
            try write("work for \(step)\n", to: "work-\(step).txt", in: window)
            try git("add", "-A", in: window)
            try git("commit", "-q", "-m", "Work on \(step)", "--trailer", "Completes: \(step)", in: window)
        }
    }

    static func stageWork(in window: String) throws {
        let name = "work-\(UUID().uuidString.prefix(8)).txt"
        try write("work\n", to: name, in: window)
        try git("add", name, in: window)
    }
}
