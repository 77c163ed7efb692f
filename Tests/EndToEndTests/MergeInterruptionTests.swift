import Foundation
import SpecDispatch
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `merge` killed with SIGKILL anywhere: at each of its checkpoints and from outside after a
/// random delay, merging by fast-forward and by merge commit. Every trial ends with the unit
/// merged and everything clean, or not merged and everything as it was, or in a state `doctor`
/// names and `doctor --fix` brings to one of those two. Judged with the git CLI only.
@Suite("merge, interrupted", .serialized)
struct MergeInterruptionTests {
    static let tasks = "- [ ] 1. Unit one\n- [ ] 2. Unit two\n"

    enum Outcome: String, CaseIterable {
        case merged = "merged"
        case unmerged = "not merged"
        case repaired = "repaired by doctor"
    }

    @Test("kill -9 at every checkpoint and at random moments of merge: merged and clean, unmerged and clean, or repaired by doctor")
    func killedAnywhere() throws {
        try withTemporaryDirectory { root in
            let started = Date()
            let templates = try [false, true].map { try Template(root: root + "/template-\($0 ? "diverged" : "ff")", diverged: $0) }
            var durations: [Double] = []
            for template in templates {
                let copy = try template.copy(to: root + "/warm-up-\(template.diverged)")
                let clock = Date()
                let result = try copy.launchMerge().wait()
                durations.append(Date().timeIntervalSince(clock))
                #expect(result.status == 0, "\(result)")
                let merged = try copy.observe()
                #expect(merged.isMerged, "\(merged)")
            }
            let typical = durations.max() ?? 0.1

            let seed = Interruption.seed
            var random = SplitMix64(seed: seed)
            var trials: [(Interruption, diverged: Bool)] = []
            for diverged in [false, true] {
                trials += Interruption.plan(checkpoints: FaultInjection.Checkpoint.merge, rounds: 1, external: 45, typical: typical,
                                            using: &random).map { ($0, diverged) }
            }
            trials.shuffle(using: &random)

            var counts: [Outcome: Int] = [:]
            var leftovers: [String: Int] = [:]
            for (number, (trial, diverged)) in trials.enumerated() {
                let context = "trial \(number + 1) (\(trial), \(diverged ? "merge commit" : "fast-forward"), seed \(seed))"
                let repo = try templates[diverged ? 1 : 0].copy(to: root + "/trial-\(number)")
                defer { try? FileManager.default.removeItem(atPath: root + "/trial-\(number)") }
                let report = try Self.run(trial, on: repo, context: context)
                counts[report.outcome, default: 0] += 1
                for problem in report.problems { leftovers[problem, default: 0] += 1 }
            }

            print("merge interrupted: \(trials.count) trials in \(String(format: "%.1f", Date().timeIntervalSince(started))) s (a whole merge takes \(Int(typical * 1000)) ms; seed \(seed))")
            for outcome in Outcome.allCases { print("  \(outcome.rawValue): \(counts[outcome] ?? 0)") }
            for (problem, count) in leftovers.sorted(by: { $0.key < $1.key }) { print("  doctor found \"\(problem)\": \(count)") }
            #expect(trials.count >= 100)
            for outcome in Outcome.allCases {
                #expect((counts[outcome] ?? 0) > 0, "no trial ended \(outcome.rawValue): \(counts)")
            }
        }
    }

    struct TrialReport {
        var outcome: Outcome
        var problems: [String] = []
    }

    static func run(_ trial: Interruption, on repo: Copy, context: String) throws -> TrialReport {
        let result = try trial.run { try repo.launchMerge(environment: $0) }
        if case .checkpoint = trial {
            #expect(result.status == -SIGKILL, "\(context): the checkpoint was not reached: \(result)")
        } else {
            #expect(result.status == -SIGKILL || result.status == 0, "\(context): \(result)")
        }
        let state = try repo.observe()
        if state.isMerged || state.isUnmerged {
            try expectFsckClean(repo.root, context: context)
            return TrialReport(outcome: state.isMerged ? .merged : .unmerged)
        }
        let doctor = try repo.cli("doctor")
        #expect(doctor.status == 8, "\(context): doctor on \(state)\n\(doctor)")
        let status = try repo.cli("status")
        #expect(status.stdout.contains("was interrupted") == state.hasJournal, "\(context): status on \(state)\n\(status)")
        let fix = try repo.cli("doctor", "--fix")
        #expect(fix.status == 0, "\(context): doctor --fix on \(state)\n\(fix)")
        let repaired = try repo.observe()
        #expect(repaired.isMerged || repaired.isUnmerged, "\(context): after doctor --fix on \(state): \(repaired)")
        #expect(!(try repo.cli("status").stdout.contains("was interrupted")), "\(context)")
        try expectFsckClean(repo.root, context: context + ", after doctor --fix")
        let problems = doctor.stdout.split(separator: "\n").map { line in
            (line.components(separatedBy: ": repair").first ?? String(line)).replacingOccurrences(of: repo.root, with: "…")
        }
        return TrialReport(outcome: .repaired, problems: problems)
    }

    // MARK: - The repository and how its state is judged

    /// A repository whose unit 1 is done in its window, made once and copied for each trial.
    struct Template {
        let root: String
        let diverged: Bool

        init(root: String, diverged: Bool) throws {
            self.root = root
            self.diverged = diverged
            var files: [String: String] = [:]
            for i in 0..<80 { files["src/m\(i % 8)/file\(i).txt"] = String(repeating: "line of file \(i)\n", count: 20) }
            let repo = try SpecRepository(in: root + "/repo", specs: ["m": MergeInterruptionTests.tasks], extraFiles: files)
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            let window = try SpecDispatchCLI.succeed(["next", "1"], in: repo.root).trimmingCharacters(in: .newlines)
            for i in 0..<40 { try write("changed by unit 1\n", to: "src/m\(i % 8)/file\(i).txt", in: window) }
            for i in 0..<30 { try write("new \(i)\n", to: "src/new\(i % 5)/added\(i).txt", in: window) }
            for i in 70..<80 { try FileManager.default.removeItem(atPath: "\(window)/src/m\(i % 8)/file\(i).txt") }
            try git("add", "-A", in: window)
            try git("commit", "-q", "-m", "unit one", "--trailer", "Completes: 1", in: window)
            if diverged { try commitFiles(["README.md": "# moved on\n"], message: "main moves on", in: repo.root) }
            // One pack instead of hundreds of loose objects: each trial copies this repository.
            try git("repack", "-adq", in: repo.root)
            try git("prune-packed", in: repo.root)
            try write("the user's own notes\n", to: "notes.txt", in: repo.root)
        }

        func copy(to folder: String) throws -> Copy {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Shell.run(["cp", "-a", root + "/repo", root + "/repo.dispatch", folder + "/"], in: folder)
            let copy = Copy(root: folder + "/repo")
            // The links between a worktree and its repository are absolute paths: point them here
            // (`git worktree repair` would follow the copied link back to the template).
            let admin = copy.root + "/.git/worktrees/m-task-1"
            try write("gitdir: \(admin)\n", to: ".git", in: copy.window)
            try write("\(copy.window)/.git\n", to: "gitdir", in: admin)
            try write("\(copy.root)/.git/\n", to: "commondir", in: admin)
            copy.start = try gitValue("rev-parse", "main", in: copy.root)
            return copy
        }
    }

    final class Copy {
        let root: String
        var window: String { root + ".dispatch/m/task-1" }
        var start = ""

        init(root: String) { self.root = root }

        func cli(_ args: String...) throws -> CommandResult { try SpecDispatchCLI.run(args, in: root) }

        func launchMerge(environment: [String: String] = [:]) throws -> LaunchedCommand {
            let command = LaunchedCommand([SpecDispatchCLI.path, "merge", "1"], in: root,
                                          environment: ["SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates].merging(environment) { _, new in new })
            try command.start()
            return command
        }

        func observe() throws -> Observation {
            var state = Observation()
            state.main = try gitValue("rev-parse", "main", in: root)
            state.start = start
            state.status = try git("status", "--porcelain", in: root)
            state.tasks = try git("show", "main:.kiro/specs/m/tasks.md", in: root)
            state.claim = try git("for-each-ref", "--format=%(refname)", "refs/heads/dispatch/", in: root).trimmingCharacters(in: .newlines)
            state.history = try git("for-each-ref", "--format=%(refname)", "refs/dispatch/merged/", in: root).trimmingCharacters(in: .newlines)
            state.lastReviewEvent = try git("log", "-1", "--format=%s", "refs/dispatch/reviews/m/task-1", in: root, allowFailure: true)
                .trimmingCharacters(in: .newlines)
            state.windowExists = FileManager.default.fileExists(atPath: window)
            state.worktrees = try git("worktree", "list", "--porcelain", in: root).components(separatedBy: "\n\n").filter { !$0.isEmpty }.count
            state.locks = NextInterruptionTests.Fixture.files(under: root + "/.git/refs").filter { $0.hasSuffix(".lock") }
                + (FileManager.default.fileExists(atPath: root + "/.git/index.lock") ? ["index.lock"] : [])
            state.hasJournal = FileManager.default.fileExists(atPath: root + "/.git/spec-dispatch/merge-journal")
            state.mergedFilesPresent = FileManager.default.fileExists(atPath: root + "/src/new0/added0.txt")
            state.notes = try? String(contentsOfFile: root + "/notes.txt", encoding: .utf8)
            return state
        }
    }

    struct Observation: CustomStringConvertible {
        var main = "", start = "", status = "", tasks = "", claim = "", history = "", lastReviewEvent = ""
        var windowExists = false
        var worktrees = 0
        var locks: [String] = []
        var hasJournal = false
        var mergedFilesPresent = false
        var notes: String?

        private var untouched: Bool {
            status == "?? notes.txt\n" && notes == "the user's own notes\n" && locks.isEmpty && !hasJournal
        }

        var isMerged: Bool {
            untouched && main != start && tasks.hasPrefix("- [x] 1. Unit one\n") && claim.isEmpty && !windowExists
                && worktrees == 1 && history == "refs/dispatch/merged/m/task-1" && lastReviewEvent == "merged" && mergedFilesPresent
        }

        var isUnmerged: Bool {
            untouched && main == start && claim == "refs/heads/dispatch/m/task-1" && windowExists && worktrees == 2
                && history.isEmpty && !mergedFilesPresent
        }

        var description: String {
            "[main moved: \(main != start), status: \(status.split(separator: "\n").prefix(4)), claim: \(claim), window: \(windowExists), "
                + "worktrees: \(worktrees), history: \(history), review: \(lastReviewEvent), locks: \(locks), journal: \(hasJournal), "
                + "merged files: \(mergedFilesPresent), tasks: \(tasks.prefix(20))]"
        }
    }
}
