import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `run --parallel 3` on a spec of 8 units with dependencies, its agents sleeping at random and
/// sometimes crashing, its reviewer rejecting at random, killed (SIGINT, SIGTERM or SIGKILL) at
/// a random moment and started again, until a run ends by itself. Every trial must end with each
/// unit merged, or escalated after the reviewer rejected it `maxFixAttempts` times (and the units
/// that wait for it never dispatched), no agent left running, and git and doctor content.
@Suite("run interrupted at random and restarted, until it ends")
struct RunInterruptionCampaignTests {
    static let tasks = """
        - [ ] 1. Storage
          - [ ] 1.1 Schema
          - [ ] 1.2 Queries
        - [ ] 2. Config
        - [ ] 3. Service
          - depends on: 1
        - [ ] 4. CLI
          - depends on: 2
        - [ ] 5. API
          - depends on: 3, 4
        - [ ] 6. Docs
        - [ ] 7. Examples
          - depends on: 6
        - [ ] 8. Release
          - depends on: 5

        """

    static let dependencies: [String: [String]] = ["3": ["1"], "4": ["2"], "5": ["3", "4"], "7": ["6"], "8": ["5"]]
    static let maxFixAttempts = 2

    /// Draws from a hash of the trial's seed and what it is deciding, so the same seed makes the
    /// same decisions whatever the timing: a sleep of 0 to 40 ms before each step, and after one
    /// step in eight a crash (exit 3 or kill -9 of itself), always after the commit, so a crash
    /// never costs a fix attempt. A fix run redoes the unit's first step. It commits with
    /// `--no-verify`, as agents may: the post-commit hook alone marks the step, and a commit
    /// costs one start of spec-dispatch instead of three (the other run tests use all three).
    static let agent = """
        #!/bin/sh
        tasks=.kiro/specs/c/tasks.md
        draw() { echo $((0x$(printf '%s' "$CAMPAIGN_SEED $*" | md5sum | cut -c 1-7))); }
        steps=$(sed -nE "s/^ +- \\[[ -]\\] ($DISPATCH_UNIT\\.[0-9]+) .*/\\1/p" "$tasks")
        if [ -z "$steps" ] && ! grep -qE "^- \\[x\\] $DISPATCH_UNIT\\. " "$tasks"; then steps=$DISPATCH_UNIT; fi
        if [ -n "$DISPATCH_FIX_PROMPT" ]; then
          steps=$(sed -nE "s/^ +- \\[.\\] ($DISPATCH_UNIT\\.[0-9]+) .*/\\1/p" "$tasks" | head -n 1)
          [ -n "$steps" ] || steps=$DISPATCH_UNIT
        fi
        for step in $steps; do
          r=$(draw "$DISPATCH_UNIT $step $(git rev-list --count HEAD)")
          sleep "0.0$((r % 5))"
          echo "$step $r" >> "work-$DISPATCH_UNIT.txt"
          git add "work-$DISPATCH_UNIT.txt" || exit 1
          git commit -q --no-verify -m "Work on $step" --trailer "Completes: $step" || exit 1
          case $((r % 16)) in
            0) exit 3 ;;
            1) kill -9 $$ ;;
          esac
        done

        """

    /// Rejects one review in three (by the seed, the unit and the round), approves the others.
    static let reviewer = """
        #!/bin/sh
        round=$(grep -oE '"round" *: *[0-9]+' "$DISPATCH_REVIEW_PAYLOAD" | head -n 1 | grep -oE '[0-9]+$')
        r=$((0x$(printf '%s' "$CAMPAIGN_SEED review $DISPATCH_UNIT $round" | md5sum | cut -c 1-7)))
        sleep "0.0$((r / 3 % 3))"
        if [ $((r % 3)) -eq 0 ]; then
          spec-dispatch reject "$DISPATCH_SPEC/$DISPATCH_UNIT" --reason "round $round: not yet" >/dev/null
        else
          spec-dispatch approve "$DISPATCH_SPEC/$DISPATCH_UNIT" --no-merge >/dev/null
        fi

        """

    @Test("20 trials: run --parallel 3 killed and restarted at random ends with every unit merged or escalated, no agent left, git clean")
    func campaign() throws {
        let seed = Interruption.seed
        var random = SplitMix64(seed: seed)
        let trials = ProcessInfo.processInfo.environment["SPEC_DISPATCH_CAMPAIGN_TRIALS"].flatMap(Int.init) ?? 20
        let started = Date()
        print("run interruption campaign: \(trials) trials, seed \(seed) (SPEC_DISPATCH_TEST_SEED=\(seed) replays it)")
        var kills: [String: Int] = [:]
        var escalations = 0
        for trial in 0..<trials {
            let trialSeed = random.next()
            let outcome = try runTrial(trialSeed, random: &random, context: "trial \(trial + 1) of \(trials) (campaign seed \(seed))")
            for (signal, count) in outcome.kills { kills[signal, default: 0] += count }
            escalations += outcome.escalated
        }
        print("run interrupted: \(trials) trials, kills \(kills.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")), \(escalations) units escalated, in \(String(format: "%.1f", Date().timeIntervalSince(started))) s (seed \(seed); SPEC_DISPATCH_TEST_SEED=\(seed) replays)")
    }

    struct Outcome {
        var kills: [String: Int] = [:]
        var escalated = 0
    }

    private func runTrial(_ trialSeed: UInt64, random: inout SplitMix64, context: String) throws -> Outcome {
        let mark = Processes.newMarker()
        defer { Processes.kill(marked: mark.key, mark.value) }
        return try withTemporaryDirectory { root in
            let repo = try SpecRepository(in: root + "/repo", specs: ["c": Self.tasks])
            try SpecDispatchCLI.succeed(["init"], in: repo.root)
            // Appended as text: a git process per setting would cost more than a trial's checks.
            let agent = try FakeAgents.install(Self.agent, named: "agent.sh", in: root)
            let reviewer = try FakeAgents.install(Self.reviewer, named: "reviewer.sh", in: root)
            let config = try FileHandle(forWritingTo: URL(fileURLWithPath: repo.root + "/.git/config"))
            try config.seekToEnd()
            config.write(Data("""
                [dispatch]
                \tagent = fake
                \tmaxFixAttempts = \(Self.maxFixAttempts)
                \tstopGrace = 1
                [dispatch "agent.fake"]
                \tcommand = \(agent)
                [dispatch "reviewer"]
                \tcommand = \(reviewer)

                """.utf8))
            try config.close()
            let environment = ["PATH": FakeAgents.path, "SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates, "CAMPAIGN_SEED": "\(trialSeed)",
                               mark.key: mark.value]
            var outcome = Outcome()
            var history: [String] = []
            var final: CommandResult?
            for attempt in 0..<12 {
                let run = LaunchedCommand([SpecDispatchCLI.path, "run", "--parallel", "3"], in: repo.root, environment: environment)
                try run.start()
                // At most 4 kills a trial; then the run goes to its end.
                if attempt < 4 {
                    let delay = Double.random(in: 0.02..<1.5, using: &random)
                    let signal = [SIGINT, SIGTERM, SIGKILL][Int.random(in: 0..<3, using: &random)]
                    let deadline = Date().addingTimeInterval(delay)
                    while run.isRunning, Date() < deadline { usleep(10_000) }
                    if run.isRunning {
                        run.send(signal)
                        let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "SIGKILL"
                        let (result, timedOut) = run.wait(timeout: 30)
                        history.append("\(name) after \(Int(delay * 1000)) ms: exit \(result.status)")
                        #expect(!timedOut, "\(context): the run did not stop after \(name)")
                        // The run may have finished before the signal landed.
                        if result.status == 0 || result.status == 1 {
                            final = result
                            break
                        }
                        let expected: Int32 = signal == SIGINT ? 130 : signal == SIGTERM ? 143 : -9
                        #expect(result.status == expected, "\(context): \(name): \(result)")
                        outcome.kills[name, default: 0] += 1
                        continue
                    }
                }
                let (result, timedOut) = run.wait(timeout: 60)
                #expect(!timedOut, "\(context): a run that was left alone did not end: \(result.stdout.suffix(3000))")
                history.append("ran to its end: exit \(result.status)")
                final = result
                break
            }
            guard let final else {
                Issue.record("\(context): no run ended by itself: \(history)")
                return outcome
            }
            outcome.escalated = try check(repo, final: final, context: "\(context), trial seed \(trialSeed), \(history.joined(separator: "; "))",
                                          mark: mark)
            return outcome
        }
    }

    /// What each window still open holds, for a failure's message.
    private func windowsLeft(_ repo: SpecRepository) throws -> String {
        let windows = try git("worktree", "list", "--porcelain", in: repo.root).split(separator: "\n")
            .compactMap { $0.hasPrefix("worktree ") ? String($0.dropFirst(9)) : nil }.dropFirst()
        return try windows.map { window in
            let status = try git("status", "--porcelain", "--ignored", in: window, allowFailure: true)
            let gitDir = try git("rev-parse", "--git-dir", in: window, allowFailure: true).trimmingCharacters(in: .whitespacesAndNewlines)
            let locks = (try? FileManager.default.contentsOfDirectory(atPath: gitDir))?.filter { $0.hasSuffix(".lock") } ?? []
            return "window \(window):\n\(status)locks: \(locks)"
        }.joined(separator: "\n")
    }

    /// Checks the end of a trial; returns how many units were escalated.
    private func check(_ repo: SpecRepository, final: CommandResult, context: String, mark: (key: String, value: String)) throws -> Int {
        let left = Processes.running(marked: mark.key, mark.value)
        #expect(left.isEmpty, "\(context): left running: \(left.map(\.command))")
        let main = try git("show", "main:.kiro/specs/c/tasks.md", in: repo.root)
        var escalated: Set<String> = []
        var merged: Set<String> = []
        for unit in (1...8).map(String.init) {
            if main.contains("- [x] \(unit). ") {
                merged.insert(unit)
                continue
            }
            let log = try git("log", "--format=%B", "refs/dispatch/reviews/c/task-\(unit)", in: repo.root, allowFailure: true)
            if log.contains("Dispatch-Event: escalate") {
                let rejections = log.components(separatedBy: "Dispatch-Event: reject").count - 1
                let stalls = log.components(separatedBy: "Dispatch-Event: no-progress").count - 1
                let window = try git("worktree", "list", "--porcelain", in: repo.root).split(separator: "\n")
                    .compactMap { $0.hasPrefix("worktree ") && $0.hasSuffix("/task-\(unit)") ? String($0.dropFirst(9)) : nil }.first
                let agentLog = window.flatMap { try? String(contentsOfFile: $0 + "/.dispatch/agent.log", encoding: .utf8) } ?? "(no agent.log)"
                #expect(rejections == Self.maxFixAttempts && stalls == 0,
                        "\(context): unit \(unit) escalated after \(rejections) rejections and \(stalls) runs without progress:\n\(log)\nagent.log:\n\(agentLog)")
                escalated.insert(unit)
            }
        }
        func waitsOnEscalated(_ unit: String) -> Bool {
            (Self.dependencies[unit] ?? []).contains { escalated.contains($0) || (!merged.contains($0) && waitsOnEscalated($0)) }
        }
        for unit in (1...8).map(String.init) where !merged.contains(unit) && !escalated.contains(unit) {
            #expect(waitsOnEscalated(unit), "\(context): unit \(unit) is neither merged nor escalated nor waiting on an escalated unit\n\(main)\n\(final)")
            #expect(try git("for-each-ref", "refs/heads/dispatch/c/task-\(unit)", in: repo.root).isEmpty, "\(context): unit \(unit) was dispatched")
        }
        #expect(final.status == (escalated.isEmpty ? 0 : 1), "\(context): \(final)\n\((try? windowsLeft(repo)) ?? "")")
        for unit in escalated { #expect(final.stderr.contains("c/\(unit)"), "\(context): the run names c/\(unit): \(final)") }
        let doctor = try repo.cli("doctor")
        #expect(doctor.status == 0, "\(context): doctor: \(doctor)")
        let jobs = (try? FileManager.default.subpathsOfDirectory(atPath: repo.root + ".dispatch"))?.filter { $0.hasSuffix(".dispatch/job") } ?? []
        #expect(jobs.isEmpty, "\(context): job records left: \(jobs)")
        #expect(try git("status", "--porcelain", in: repo.root).isEmpty, "\(context)")
        try expectFsckClean(repo.root, context: context)
        return escalated.count
    }
}
