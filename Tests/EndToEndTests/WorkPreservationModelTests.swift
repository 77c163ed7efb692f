import Foundation
import PropertyBased
import SpecDispatchCore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Random sequences of what agents, reviewers and people do to a repository, each step a real
/// process on a real repository, checked after every step with git: no commit made in a window
/// becomes unreachable, no file of the user's changes unless a `--force` command took it, `git
/// fsck` stays clean, the base branch's tasks.md stays valid, and after `doctor --fix` nothing
/// interrupted is left. A failure prints the sequence and the seed that replays it.
@Suite("no command loses work (model-based)")
struct WorkPreservationModelTests {
    static let tasks = """
        - [ ] 1. Unit one
          - [ ] 1.1 First step
          - [ ] 1.2 Second step
        - [ ] 2. Unit two
        - [ ] 3. Unit three
          - [ ] 3.1 Its step

        """
    static let steps = ["1": ["1.1", "1.2"], "2": ["2"], "3": ["3.1"]]

    enum Killable: String, CaseIterable {
        case next, merge, abandonForce = "abandon --force", gc, doctorFix = "doctor --fix"
    }

    /// One thing someone does. `pick` chooses among the windows open at that moment.
    enum Step: CustomStringConvertible {
        case next
        case commit(pick: Int, trailer: Bool, pathspec: Bool)
        /// The agent completes every step of its unit, one trailer commit each; with `land`, a
        /// review and an approval follow, which merges it.
        case finish(pick: Int, land: Bool)
        case detachAndCommit(pick: Int)
        case deleteClaim(pick: Int)
        case windowEdit(pick: Int)
        case userFile(kind: Int)
        case abandon(pick: Int, force: Bool)
        case gc(force: Bool)
        case doctor(force: Bool)
        case review(pick: Int)
        case approve(pick: Int)
        case reject(pick: Int)
        case merge(pick: Int)
        case kill(Killable, pick: Int, microseconds: Int)

        var description: String {
            switch self {
            case .next: "next"
            case .commit(let p, let trailer, let pathspec): "commit(\(p)\(trailer ? ", trailer" : "")\(pathspec ? ", pathspec" : ""))"
            case .finish(let p, let land): land ? "finish+land(\(p))" : "finish(\(p))"
            case .detachAndCommit(let p): "detach+commit(\(p))"
            case .deleteClaim(let p): "delete-claim(\(p))"
            case .windowEdit(let p): "window-edit(\(p))"
            case .userFile(let k): "user-file(\(k))"
            case .abandon(let p, let force): "abandon(\(p)\(force ? ", --force" : ""))"
            case .gc(let force): force ? "gc --force" : "gc"
            case .doctor(let force): force ? "doctor --fix --force" : "doctor --fix"
            case .review(let p): "review(\(p))"
            case .approve(let p): "approve(\(p))"
            case .reject(let p): "reject(\(p))"
            case .merge(let p): "merge(\(p))"
            case .kill(let what, let p, let us): "kill(\(what.rawValue), \(p), \(us) µs)"
            }
        }

        /// Weighted so that windows fill up with work before reviews, merges and removals come.
        static func random(using rng: inout some RandomNumberGenerator) -> Step {
            let pick = Int.random(in: 0..<60, using: &rng)
            let roll = Int.random(in: 0..<100, using: &rng)
            switch roll {
            case 0..<13: return .next
            case 13..<25: return .commit(pick: pick, trailer: Bool.random(using: &rng), pathspec: Int.random(in: 0..<4, using: &rng) == 0)
            case 25..<33: return .finish(pick: pick, land: Bool.random(using: &rng))
            case 33..<37: return .detachAndCommit(pick: pick)
            case 37..<40: return .deleteClaim(pick: pick)
            case 40..<44: return .windowEdit(pick: pick)
            case 44..<50: return .userFile(kind: Int.random(in: 0..<6, using: &rng))
            case 50..<54: return .abandon(pick: pick, force: Int.random(in: 0..<3, using: &rng) == 0)
            case 54..<57: return .gc(force: Int.random(in: 0..<3, using: &rng) == 0)
            case 57..<62: return .doctor(force: Int.random(in: 0..<4, using: &rng) == 0)
            case 62..<69: return .review(pick: pick)
            case 69..<76: return .approve(pick: pick)
            case 76..<79: return .reject(pick: pick)
            case 79..<88: return .merge(pick: pick)
            default:
                return .kill(Killable.allCases.randomElement(using: &rng)!, pick: pick, microseconds: Int.random(in: 0..<80_000, using: &rng))
            }
        }
    }

    static let sequences = Generator<[Step], Shrink.None<[Step]>> { rng in
        (0..<Int.random(in: 4...7, using: &rng)).map { _ in Step.random(using: &rng) }
    }

    @Test("random sequences of dispatch, work, review, merge, removal, repair and kill -9 keep every commit and user file (first half)")
    func sequencesA() async throws {
        try await Self.check(count: 100)
    }

    @Test("random sequences of dispatch, work, review, merge, removal, repair and kill -9 keep every commit and user file (second half)")
    func sequencesB() async throws {
        try await Self.check(count: 100)
    }

    static func check(count: Int) async throws {
        let template = try Template()
        defer { try? FileManager.default.removeItem(atPath: template.root) }
        let tally = Tally()
        await propertyCheck(count: count, input: sequences) { steps in
            let world = try World(template: template, tally: tally)
            defer { world.discard() }
            for (index, step) in steps.enumerated() {
                let context = "step \(index + 1) of \(steps) (\(step))"
                try world.perform(step)
                try world.checkInvariants(after: step, context: context)
            }
        }
        // What the sequences did, so a run that exercised nothing shows.
        print("model-based: \(count) sequences; " + tally.summary)
        #expect(tally.count("merge exit 0") + tally.count("approve exit 0") > 0 && tally.count("kill") > 0, "\(tally.summary)")
    }

    /// How often each command ended how.
    final class Tally: @unchecked Sendable {
        private var counts: [String: Int] = [:]
        private let lock = NSLock()

        func add(_ key: String) {
            lock.lock()
            counts[key, default: 0] += 1
            lock.unlock()
        }

        func count(_ key: String) -> Int {
            lock.lock()
            defer { lock.unlock() }
            return counts[key] ?? 0
        }

        var summary: String {
            lock.lock()
            defer { lock.unlock() }
            return counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        }
    }

    // MARK: - The repository every sequence starts from

    final class Template: @unchecked Sendable {
        let root: String

        init() throws {
            root = try makeTemporaryDirectory(prefix: "spec-dispatch-model-template")
            let repo = try SpecRepository(in: root + "/repo", specs: ["s": WorkPreservationModelTests.tasks],
                                          extraFiles: ["src/shared.txt": "shared\n"])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            try git("repack", "-adq", in: repo.root)
            try git("prune-packed", in: repo.root)
        }
    }

    // MARK: - One sequence's repository, and what it must keep

    final class World {
        let folder: String
        let root: String
        var windowsRoot: String { root + ".dispatch/s" }
        /// Every commit made in a window, with what made it.
        var commits: [String: String] = [:]
        /// Windows whose claim branch the user deleted by hand: until `doctor --fix` restores it,
        /// their commits may be held by the window's HEAD reflog only, as git leaves them.
        var deletedByHand: Set<String> = []
        /// The user's files (absolute path) and their content; a window's are dropped when a
        /// `--force` command removes that window.
        var userFiles: [String: String] = [:]
        var counter = 0
        let tally: Tally

        init(template: Template, tally: Tally) throws {
            self.tally = tally
            folder = try makeTemporaryDirectory(prefix: "spec-dispatch-model")
            try Shell.run(["cp", "-a", template.root + "/repo", folder + "/"], in: folder)
            root = folder + "/repo"
        }

        func discard() {
            try? FileManager.default.removeItem(atPath: folder)
        }

        func cli(_ args: [String]) throws -> CommandResult {
            let result = try SpecDispatchCLI.run(args, in: root)
            tally.add("\(args[0])\(args.contains("--force") ? " --force" : "") exit \(result.status)")
            if ProcessInfo.processInfo.environment["MODEL_DEBUG"] != nil, result.status != 0 { tally.add("  \(args[0]): \(result.stderr.split(separator: "\n").first?.prefix(80) ?? "")") }
            return result
        }

        /// The open windows' folders, in a stable order.
        func windows() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: windowsRoot)) ?? [])
                .filter { $0.hasPrefix("task-") }.sorted().map { "\(windowsRoot)/\($0)" }
        }

        func window(_ pick: Int) -> String? {
            let all = windows()
            return all.isEmpty ? nil : all[pick % all.count]
        }

        func unit(of window: String) -> String { String(window.split(separator: "-").last!) }

        func nextName() -> Int {
            counter += 1
            return counter
        }

        func perform(_ step: Step) throws {
            switch step {
            case .next:
                _ = try cli(["next"])
            case .commit(let pick, let trailer, let pathspec):
                guard let window = window(pick) else { return }
                let name = "src/u\(unit(of: window))/w\(nextName() % 3).txt"
                try write("work \(counter)\n", to: name, in: window)
                try git("add", name, in: window)
                var args = ["git", "-c", "user.name=Agent", "-c", "user.email=agent@example.com", "commit", "-q", "-m", "work \(counter)"]
                if trailer, let steps = WorkPreservationModelTests.steps[unit(of: window)] {
                    args += ["--trailer", "Completes: \(steps[counter % steps.count])"]
                }
                if pathspec { args += ["--", name] }
                if try Shell.execute(args, in: window).status == 0 { try record(window, "commit") }
            case .finish(let pick, let land):
                guard let window = window(pick) else { return }
                defer {
                    if land {
                        _ = try? cli(["review", unit(of: window)])
                        _ = try? cli(["approve", unit(of: window), "--reviewer", "lander"])
                    }
                }
                for step in WorkPreservationModelTests.steps[unit(of: window)] ?? [] {
                    let name = "src/u\(unit(of: window))/done-\(step).txt"
                    try write("done \(step) \(nextName())\n", to: name, in: window)
                    try git("add", name, in: window)
                    let args = ["git", "-c", "user.name=Agent", "-c", "user.email=agent@example.com", "commit", "-q", "-m", "do \(step)",
                                "--trailer", "Completes: \(step)"]
                    if try Shell.execute(args, in: window).status == 0 { try record(window, "trailer commit") }
                }
            case .detachAndCommit(let pick):
                guard let window = window(pick) else { return }
                _ = try Shell.execute(["git", "checkout", "-q", "--detach"], in: window)
                try write("idea \(nextName())\n", to: "idea-\(counter).txt", in: window)
                try git("add", "idea-\(counter).txt", in: window)
                if try Shell.execute(["git", "-c", "user.name=Agent", "-c", "user.email=agent@example.com", "commit", "-q", "-m", "idea"],
                                     in: window).status == 0 {
                    try record(window, "detached commit")
                }
            case .deleteClaim(let pick):
                guard let window = window(pick) else { return }
                _ = try Shell.execute(["git", "update-ref", "-d", "refs/heads/dispatch/s/task-\(unit(of: window))"], in: root)
                deletedByHand.insert(window)
            case .windowEdit(let pick):
                guard let window = window(pick) else { return }
                let path = "\(window)/scratch-\(nextName()).txt"
                try write("unsaved \(counter)\n", to: (path as NSString).lastPathComponent, in: window)
                userFiles[path] = "unsaved \(counter)\n"
            case .userFile(let kind):
                // Some land where units write (src/u<id>/w<n>.txt), some beside, one edits a tracked file.
                let relative = switch kind {
                case 0: "README.md"
                case 1: "notes-\(nextName()).txt"
                default: "src/u\(kind % 3 + 1)/w\(nextName() % 3).txt"
                }
                let path = "\(root)/\(relative)"
                guard userFiles[path] == nil else { return }
                try write("the user's \(counter)\n", to: relative, in: root)
                userFiles[path] = "the user's \(counter)\n"
            case .abandon(let pick, let force):
                guard let window = window(pick) else { return }
                try forceAware(force) { _ = try cli(["abandon", unit(of: window)] + (force ? ["--force"] : [])) }
            case .gc(let force):
                try forceAware(force) { _ = try cli(["gc"] + (force ? ["--force"] : [])) }
            case .doctor(let force):
                try forceAware(force) { _ = try cli(["doctor", "--fix"] + (force ? ["--force"] : [])) }
                deletedByHand = []
            case .review(let pick):
                guard let window = window(pick) else { return }
                _ = try cli(["review", unit(of: window)])
            case .approve(let pick):
                guard let window = window(pick) else { return }
                _ = try cli(["approve", unit(of: window), "--reviewer", "r\(nextName())"])
            case .reject(let pick):
                guard let window = window(pick) else { return }
                _ = try cli(["reject", unit(of: window), "--reason", "not yet"])
            case .merge(let pick):
                guard let window = window(pick) else { return }
                _ = try cli(["merge", unit(of: window)])
            case .kill(let what, let pick, let microseconds):
                let args: [String]
                switch what {
                case .next: args = ["next"]
                case .merge, .abandonForce:
                    guard let window = window(pick) else { return }
                    args = what == .merge ? ["merge", unit(of: window)] : ["abandon", unit(of: window), "--force"]
                case .gc: args = ["gc"]
                case .doctorFix: args = ["doctor", "--fix"]
                }
                try forceAware(what == .abandonForce) {
                    let process = LaunchedCommand([SpecDispatchCLI.path] + args, in: root,
                                                  environment: ["SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates])
                    try process.start()
                    usleep(UInt32(microseconds))
                    process.killHard()
                    tally.add(process.wait().status == -SIGKILL ? "kill" : "kill too late")
                }
            }
        }

        private func record(_ window: String, _ what: String) throws {
            commits[try gitValue("rev-parse", "HEAD", in: window)] = "\(what) in \(window)"
        }

        /// Runs a command that may, when forced, take windows and their unsaved files: the
        /// files of windows it removed are no longer expected.
        private func forceAware(_ force: Bool, _ body: () throws -> Void) throws {
            let before = Set(windows())
            try body()
            guard force else { return }
            for gone in before.subtracting(windows()) {
                for path in userFiles.keys where path.hasPrefix(gone + "/") { userFiles[path] = nil }
            }
        }

        func checkInvariants(after step: Step, context: String) throws {
            let reachable = Set(try git("rev-list", "--all", in: root).split(separator: "\n").map(String.init))
            let inReflogs = deletedByHand.isEmpty ? [] : Set(try git("rev-list", "--all", "--reflog", in: root).split(separator: "\n").map(String.init))
            for (commit, what) in commits where !reachable.contains(commit) {
                let heldByHand = deletedByHand.contains { what.hasSuffix(" in \($0)") } && inReflogs.contains(commit)
                if !heldByHand { Issue.record("\(context): \(what) (\(commit)) is reachable from no ref") }
            }
            for (path, content) in userFiles {
                let now = try? String(contentsOfFile: path, encoding: .utf8)
                #expect(now == content, "\(context): the user's \(path) was \(content.debugDescription), is \(now.debugDescription)")
            }
            try expectFsckClean(root, context: context)
            let tasks = try git("show", "main:.kiro/specs/s/tasks.md", in: root)
            let diagnostics = TaskTree(bytes: Array(tasks.utf8)).diagnostics.filter { $0.severity == .error }
            #expect(diagnostics.isEmpty, "\(context): main's tasks.md is invalid: \(diagnostics)\n\(tasks)")
            if case .doctor = step {
                let status = try cli(["status"])
                #expect(!status.stdout.contains("was interrupted"), "\(context): after doctor --fix: \(status)")
            }
        }
    }
}
