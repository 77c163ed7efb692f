import Foundation
import SpecDispatch
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `next` killed with SIGKILL anywhere: at each of its checkpoints (the `SPEC_DISPATCH_KILL_AT`
/// hook) and from outside after a random delay. Afterwards the unit is either fully dispatched
/// or nothing of it is left; otherwise `doctor` names the leftover and `doctor --fix` brings it
/// to one of those two states. The state is judged with the git CLI and the file system only.
@Suite("next, interrupted", .serialized)
struct NextInterruptionTests {
    static let spec = "irq"
    static let tasks = "- [ ] 1. Task one\n- [ ] 2. Task two\n- [ ] 3. Task three\n"

    /// 300 source files of ~300 bytes in nested folders, so the checkout takes some milliseconds.
    static let sources: [String: String] = {
        var files: [String: String] = [:]
        for i in 0..<300 {
            files["src/module\(i % 10)/part\(i % 7)/file\(i).swift"] = String(repeating: "// line of file \(i)\n", count: 15)
        }
        return files
    }()

    enum Outcome: String, CaseIterable {
        case fullyDispatched = "fully dispatched"
        case nothingLeft = "nothing left"
        case repairedByDoctor = "repaired by doctor"
    }

    @Test("kill -9 at every checkpoint and at random moments of next: dispatched, nothing left, or repaired by doctor")
    func killedAnywhere() throws {
        try withTemporaryDirectory { root in
            let started = Date()
            let repo = try Fixture(root: root, files: Self.sources)
            // Warm up (the first dispatch installs the ignore rule) and measure a whole `next`.
            var durations: [Double] = []
            for _ in 0..<3 {
                let clock = Date()
                let result = try repo.launchNext().wait()
                durations.append(Date().timeIntervalSince(clock))
                #expect(result.status == 0, "\(result)")
                let state = try repo.observe()
                #expect(state.isFullyDispatched, "\(state)")
                try repo.abandon(state)
            }
            let typical = durations.sorted()[durations.count / 2]

            let seed = Interruption.seed
            var random = SplitMix64(seed: seed)
            let trials = Interruption.plan(checkpoints: FaultInjection.Checkpoint.dispatch, rounds: 5, external: 70,
                                           typical: typical, using: &random)

            var counts: [Outcome: Int] = [:]
            var byCheckpoint: [String: [Outcome: Int]] = [:]
            var leftovers: [String: Int] = [:]
            var midCheckout = 0, fsckBeforeRepair = 0
            for (number, trial) in trials.enumerated() {
                let context = "trial \(number + 1) (\(trial), seed \(seed))"
                let report = try Self.run(trial, on: repo, context: context)
                counts[report.outcome, default: 0] += 1
                if case .checkpoint(let point) = trial { byCheckpoint[point.rawValue, default: [:]][report.outcome, default: 0] += 1 }
                for problem in report.problems { leftovers[problem, default: 0] += 1 }
                if report.midCheckout { midCheckout += 1 }
                if report.fsckComplainedBeforeRepair { fsckBeforeRepair += 1 }
            }

            let elapsed = Date().timeIntervalSince(started)
            print("next interrupted: \(trials.count) trials in \(String(format: "%.1f", elapsed)) s (a whole next takes \(Int(typical * 1000)) ms; seed \(seed))")
            for outcome in Outcome.allCases { print("  \(outcome.rawValue): \(counts[outcome] ?? 0)") }
            for point in FaultInjection.Checkpoint.dispatch {
                let line = Outcome.allCases.compactMap { outcome in byCheckpoint[point.rawValue]?[outcome].map { "\(outcome.rawValue) \($0)" } }
                print("  at \(point.rawValue): \(line.joined(separator: ", "))")
            }
            print("  killed inside the checkout: \(midCheckout); git fsck reported the leftover before its repair: \(fsckBeforeRepair)")
            for (problem, count) in leftovers.sorted(by: { $0.key < $1.key }) { print("  doctor found \"\(problem)\": \(count)") }
            #expect(trials.count >= 100)
            for outcome in Outcome.allCases {
                #expect((counts[outcome] ?? 0) > 0, "no trial ended \(outcome.rawValue): \(counts)")
            }
        }
    }

    @Test("a kill inside git's worktree creation, before HEAD, leaves an entry that doctor names and removes")
    func unfinishedWorktreeEntry() throws {
        try withTemporaryDirectory { root in
            let repo = try Fixture(root: root, files: [:])
            let killed = try repo.launchNext(environment: ["SPEC_DISPATCH_KILL_AT": "claimed"]).wait()
            #expect(killed.status == -SIGKILL)
            // What libgit2 1.5's git_worktree_add has written when killed just before the HEAD:
            // admin folder with lock, commondir and gitdir; window folder with its .git file.
            let admin = repo.root + "/.git/worktrees/\(repo.worktreeName)"
            try write("", to: "locked", in: admin)
            try write(repo.root + "/.git/\n", to: "commondir", in: admin)
            try write(repo.window + "/.git\n", to: "gitdir", in: admin)
            try write("gitdir: \(admin)/\n", to: ".git", in: repo.window)
            let before = try repo.observe()
            #expect(!before.isFullyDispatched && !before.isNothingLeft)

            let doctor = try repo.cli("doctor")
            #expect(doctor.status == 8)
            #expect(doctor.stdout.contains("window of \(Self.spec)/1 was left half-created by an interrupted dispatch"), "\(doctor)")
            #expect(doctor.stdout.contains("claim \(repo.naming) has no window"), "\(doctor)")
            let problems = { (result: CommandResult) -> [[String: Any]] in
                let object = try? JSONSerialization.jsonObject(with: Data(result.stdoutBytes)) as? [String: Any]
                #expect(object?["schema"] as? String == "spec-dispatch.doctor/1", "\(result)")
                return object?["problems"] as? [[String: Any]] ?? []
            }
            let found = problems(try repo.cli("doctor", "--json"))
            #expect(found.count == 2 && found.allSatisfy { $0["repaired"] as? Bool == false && $0["repair"] is String }, "\(found)")
            let fix = try repo.cli("doctor", "--fix", "--json")
            #expect(fix.status == 0, "\(fix)")
            let fixed = problems(fix)
            #expect(fixed.count == 2 && fixed.allSatisfy { $0["repaired"] as? Bool == true }, "\(fixed)")
            let after = try repo.observe()
            #expect(after.isNothingLeft, "\(after)")
            #expect(try repo.cli("doctor").stdout.isEmpty)
            try expectFsckClean(repo.root)
            let next = try repo.cli("next")
            #expect(next.status == 0 && next.stdout == repo.window + "\n", "\(next)")
            #expect(try repo.observe().isFullyDispatched)
        }
    }

    @Test("a kill while the claim ref is written leaves its lock file: next says so, doctor removes it",
          arguments: [false, true])
    func staleClaimLock(refWritten: Bool) throws {
        try withTemporaryDirectory { root in
            let repo = try Fixture(root: root, files: [:])
            // libgit2 writes the new id to <ref>.lock, appends the reflog, links the lock to <ref>
            // and unlinks the lock: killed before the link there is no branch, after it there is.
            let killed = try repo.launchNext(environment: ["SPEC_DISPATCH_KILL_AT": refWritten ? "claimed" : "commit-written"]).wait()
            #expect(killed.status == -SIGKILL)
            let head = try gitValue("rev-parse", "HEAD", in: repo.root)
            try write(head + "\n", to: ".git/\(repo.reference).lock", in: repo.root)
            #expect(!(try repo.observe().isNothingLeft))

            if !refWritten {
                let next = try repo.cli("next")
                #expect(next.status == 1)
                #expect(next.stderr.contains("cannot claim unit 1 of \(Self.spec)"), "\(next)")
                #expect(next.stderr.contains("spec-dispatch doctor --fix"), "\(next)")
            }
            let doctor = try repo.cli("doctor")
            #expect(doctor.status == 8)
            #expect(doctor.stdout.contains("claim \(repo.naming) is locked by"), "\(doctor)")
            #expect(doctor.stdout.contains("claim \(repo.naming) has no window") == refWritten, "\(doctor)")
            let fix = try repo.cli("doctor", "--fix")
            #expect(fix.status == 0, "\(fix)")
            #expect(try repo.observe().isNothingLeft)
            try expectFsckClean(repo.root)
            let again = try repo.cli("next")
            #expect(again.status == 0 && again.stdout == repo.window + "\n", "\(again)")
            #expect(try repo.observe().isFullyDispatched)
        }
    }

    /// What one trial showed.
    struct TrialReport {
        var outcome: Outcome
        /// Doctor's findings (problem texts without paths and names), when it was needed.
        var problems: [String] = []
        /// Some but not all files were checked out.
        var midCheckout = false
        var fsckComplainedBeforeRepair = false
    }

    /// One interrupted `next`, its judgement, the repair if needed, and the cleanup that leaves
    /// the repository with no window again.
    static func run(_ trial: Interruption, on repo: Fixture, context: String) throws -> TrialReport {
        let result = try trial.run { try repo.launchNext(environment: $0) }
        if case .checkpoint = trial {
            #expect(result.status == -SIGKILL, "\(context): the checkpoint was not reached: \(result)")
        } else {
            #expect(result.status == -SIGKILL || result.status == 0, "\(context): \(result)")
        }

        var state = try repo.observe()
        var report = TrialReport(outcome: .repairedByDoctor)
        if state.isFullyDispatched || state.isNothingLeft {
            report.outcome = state.isFullyDispatched ? .fullyDispatched : .nothingLeft
            // Dangling commits are normal: a dispatch commit is written before its claim ref.
            try expectFsckClean(repo.root, context: context)
        } else {
            report.midCheckout = state.checkedOutFiles.map { $0 > 0 && $0 < sources.count } ?? false
            // Killed inside git_worktree_add between its gitdir file and its HEAD, the leftover
            // entry is one git lists, and fsck says "worktrees/<name>/HEAD: detached HEAD points
            // at nothing": that is the leftover itself, which doctor must repair (fsck is checked
            // again after the repair). Nothing else may be wrong.
            let fsck = try Shell.execute(["git", "fsck", "--strict", "--no-dangling", "--no-progress"], in: repo.root)
            let complaints = (fsck.stdout + fsck.stderr).split(separator: "\n").filter { !$0.contains("worktrees/\(repo.worktreeName)/") }
            #expect(complaints.isEmpty, "\(context): git fsck on \(state): \(fsck)")
            report.fsckComplainedBeforeRepair = fsck.status != 0

            let doctor = try repo.cli("doctor")
            #expect(doctor.status == 8, "\(context): doctor on \(state)\n\(doctor)")
            let named = [repo.naming, "\(spec)/1", repo.window].contains { doctor.stdout.contains($0) }
            #expect(named, "\(context): doctor does not name the leftover \(state)\n\(doctor)")
            report.problems = doctor.stdout.split(separator: "\n").map { Self.problemKind(String($0), repo: repo) }
            let fix = try repo.cli("doctor", "--fix")
            #expect(fix.status == 0, "\(context): doctor --fix on \(state)\n\(fix)")
            let repaired = try repo.observe()
            #expect(repaired.isFullyDispatched || repaired.isNothingLeft, "\(context): after doctor --fix on \(state): \(repaired)")
            let again = try repo.cli("doctor")
            #expect(again.status == 0 && again.stdout.isEmpty, "\(context): doctor after --fix: \(again)")
            try expectFsckClean(repo.root, context: context + ", after doctor --fix")
            if !repaired.isFullyDispatched && !repaired.isNothingLeft {
                throw Failure(description: "\(context): cannot go on from \(repaired)")
            }
            state = repaired
        }

        if state.isNothingLeft {
            let next = try repo.cli("next")
            #expect(next.status == 0 && next.stdout == repo.window + "\n", "\(context): next after the interruption: \(next)")
            state = try repo.observe()
            #expect(state.isFullyDispatched, "\(context): next after the interruption left \(state)")
        }
        try repo.abandon(state, context: context)
        return report
    }

    /// A doctor line without its paths and names: "claim <branch> has no window: repair — …".
    static func problemKind(_ line: String, repo: Fixture) -> String {
        let problem = line.components(separatedBy: ": repair").first ?? line
        return [repo.window, repo.root + "/.git/" + repo.reference + ".lock", repo.naming, "\(spec)/1", repo.worktreeName]
            .reduce(problem) { $0.replacingOccurrences(of: $1, with: "…") }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: - The repository and how its state is judged

    struct Fixture {
        let root: String
        let window: String
        let reference = "refs/heads/dispatch/\(NextInterruptionTests.spec)/task-1"
        let naming = "dispatch/\(NextInterruptionTests.spec)/task-1"
        let worktreeName = "\(NextInterruptionTests.spec)-task-1"

        init(root: String, files: [String: String]) throws {
            self.root = try SpecRepository(in: root + "/repo", specs: [spec: tasks], extraFiles: files).root
            window = root + "/repo.dispatch/\(spec)/task-1"
        }

        func cli(_ args: String..., environment: [String: String] = [:]) throws -> CommandResult {
            try SpecDispatchCLI.run(args, in: root, environment: environment)
        }

        func launchNext(environment: [String: String] = [:]) throws -> LaunchedCommand {
            let command = LaunchedCommand([SpecDispatchCLI.path, "next"], in: root,
                                          environment: ["SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates].merging(environment) { _, new in new })
            try command.start()
            return command
        }

        /// Back to no window at all from `state`: abandons unit 1 when it is dispatched, and checks.
        func abandon(_ state: Observation, context: String = "warm-up", sourceLocation: SourceLocation = #_sourceLocation) throws {
            if state.isFullyDispatched {
                let result = try cli("abandon", "--force", "1")
                #expect(result.status == 0, "\(context): abandon: \(result)", sourceLocation: sourceLocation)
            }
            let after = try observe()
            #expect(after.isNothingLeft, "\(context): after abandon: \(after)", sourceLocation: sourceLocation)
            if !after.isNothingLeft { throw Failure(description: "\(context): cannot go on from \(after)") }
        }

        /// What git and the file system show of unit 1's dispatch.
        func observe() throws -> Observation {
            var state = Observation()
            let branches = try Shell.run(["git", "for-each-ref", "--format=%(refname)", "refs/heads/dispatch/"], in: root)
            state.otherBranches = branches.split(separator: "\n").map(String.init).filter { $0 != reference }
            state.hasBranch = branches.split(separator: "\n").contains { $0 == reference }
            let listing = try Shell.run(["git", "worktree", "list", "--porcelain"], in: root)
            for block in listing.components(separatedBy: "\n\n") where !block.isEmpty {
                let lines = block.split(separator: "\n").map(String.init)
                guard lines.first != "worktree \(root)" else { continue }
                if lines.first == "worktree \(window)" { state.worktree = lines } else { state.otherWorktrees.append(lines) }
            }
            // What `git worktree list` cannot show: admin folders it cannot read, and ref locks.
            let admin = root + "/.git/worktrees"
            state.adminFolders = ((try? FileManager.default.contentsOfDirectory(atPath: admin)) ?? []).sorted()
            state.refLocks = Self.files(under: root + "/.git/refs").filter { $0.hasSuffix(".lock") }
            var isFolder: ObjCBool = false
            state.windowExists = FileManager.default.fileExists(atPath: window, isDirectory: &isFolder)
            if state.windowExists && isFolder.boolValue {
                let payload = FileManager.default.contents(atPath: window + "/.dispatch/payload.json")
                state.payloadParses = payload.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } != nil
                state.hasPrompt = FileManager.default.fileExists(atPath: window + "/.dispatch/prompt.md")
                state.checkedOutFiles = Self.files(under: window + "/src").count
                if state.worktree != nil, state.payloadParses {
                    state.status = try Shell.execute(["git", "-C", window, "status", "--porcelain"], in: root)
                }
            }
            return state
        }

        static func files(under folder: String) -> [String] {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
            var files: [String] = []
            while let path = walker.nextObject() as? String {
                if walker.fileAttributes?[.type] as? FileAttributeType != .typeDirectory { files.append(path) }
            }
            return files
        }
    }

    struct Observation: CustomStringConvertible {
        var hasBranch = false
        var otherBranches: [String] = []
        /// The porcelain lines of the window's worktree entry.
        var worktree: [String]?
        var otherWorktrees: [[String]] = []
        var adminFolders: [String] = []
        var refLocks: [String] = []
        var windowExists = false
        var payloadParses = false
        var hasPrompt = false
        var checkedOutFiles: Int?
        var status: CommandResult?

        var isFullyDispatched: Bool {
            guard hasBranch, otherBranches.isEmpty, otherWorktrees.isEmpty, refLocks.isEmpty, let worktree else { return false }
            return worktree.contains("branch refs/heads/dispatch/\(NextInterruptionTests.spec)/task-1")
                && !worktree.contains { $0.hasPrefix("locked") || $0.hasPrefix("prunable") }
                && adminFolders.count == 1 && windowExists && payloadParses && hasPrompt
                && status?.status == 0 && status?.stdout.isEmpty == true
        }

        var isNothingLeft: Bool {
            !hasBranch && otherBranches.isEmpty && worktree == nil && otherWorktrees.isEmpty && adminFolders.isEmpty
                && refLocks.isEmpty && !windowExists
        }

        var description: String {
            var parts = ["branch: \(hasBranch)", "worktree: \(worktree?.joined(separator: "; ") ?? "none")", "window folder: \(windowExists)"]
            if windowExists {
                parts.append("payload: \(payloadParses), prompt: \(hasPrompt), files: \(checkedOutFiles ?? 0)")
                if let status { parts.append("status: \(status.status) \(status.stdout.prefix(200))") }
            }
            if !adminFolders.isEmpty { parts.append(".git/worktrees: \(adminFolders)") }
            if !refLocks.isEmpty { parts.append("ref locks: \(refLocks)") }
            if !otherBranches.isEmpty { parts.append("other branches: \(otherBranches)") }
            if !otherWorktrees.isEmpty { parts.append("other worktrees: \(otherWorktrees)") }
            return "[" + parts.joined(separator: ", ") + "]"
        }
    }
}
