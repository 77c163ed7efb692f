import Foundation
import Testing
import TestSupport

/// Eight `next` processes released at the same instant (see `StartingGate`) on one repository:
/// the claim branch must hand each unit to one of them only, and the window cap and the
/// `_writes:` manifests must hold exactly as if they had run one after another.
@Suite("next, racing", .serialized)
struct NextRaceTests {
    static let spec = "race"
    static let racers = 8

    /// 20 standalone units, all ready.
    static let twentyReady = (1...20).map { "- [ ] \($0). Task \($0)\n" }.joined()

    /// Units 1-4 write the same file; 5-8 write one file each.
    static let sharedWrites = (1...8).map { id in
        "- [ ] \(id). Task \(id)\n  - _writes: \(id <= 4 ? "src/shared.swift" : "src/own\(id).swift")_\n"
    }.joined()

    @Test("8 racers on 20 ready units, 30 times: 8 distinct units, 8 branches, 8 clean worktrees")
    func eightRacersTwentyUnits() throws {
        try withTemporaryDirectory { root in
            let template = try SpecRepository(in: root + "/template", specs: [Self.spec: Self.twentyReady]).root
            let started = Date()
            for run in 1...30 {
                let repo = try Self.copy(template, to: "\(root)/run-\(run)")
                let results = try Self.race(in: repo)
                try Self.expectEightDispatched(results, repo: repo, run: run)
                try FileManager.default.removeItem(atPath: "\(root)/run-\(run)")
            }
            print("next race: 30 runs of \(Self.racers) racers took \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }

    @Test("the window cap holds under the race: with dispatch.maxWindows 5, exactly 5 of 8 racers open a window")
    func capHolds() throws {
        try withTemporaryDirectory { root in
            let template = try SpecRepository(in: root + "/template", specs: [Self.spec: Self.twentyReady]).root
            try git("config", "dispatch.maxWindows", "5", in: template)
            for run in 1...10 {
                let repo = try Self.copy(template, to: "\(root)/run-\(run)")
                let results = try Self.race(in: repo)
                let winners = results.filter { $0.status == 0 }
                let capped = results.filter { $0.status == 5 }
                #expect(winners.count == 5, "run \(run): \(results)")
                #expect(capped.count == 3, "run \(run): \(results)")
                for result in capped {
                    #expect(result.stderr.contains("window cap reached"), "run \(run): \(result)")
                    #expect(result.stdout.isEmpty, "run \(run): \(result)")
                }
                let state = try Self.readState(of: repo)
                #expect(state.branches.count == 5, "run \(run): \(state.branches)")
                #expect(state.windows.count == 5, "run \(run): \(state.windows)")
                #expect(Set(state.branches) == Set(state.windows.values), "run \(run)")
                #expect(Set(winners.map { $0.stdout.trimmingCharacters(in: .newlines) }) == Set(state.windows.keys), "run \(run)")
                try expectFsckClean(repo)
                try FileManager.default.removeItem(atPath: "\(root)/run-\(run)")
            }
        }
    }

    @Test("_writes: manifests hold under the race: never two open units writing src/shared.swift")
    func writesHold() throws {
        try withTemporaryDirectory { root in
            let template = try SpecRepository(in: root + "/template", specs: [Self.spec: Self.sharedWrites]).root
            let writes = Self.writesByUnit(Self.sharedWrites)
            #expect(writes["1"] == ["src/shared.swift"] && writes["5"] == ["src/own5.swift"], "the test reads the manifests")
            for run in 1...10 {
                let repo = try Self.copy(template, to: "\(root)/run-\(run)")
                let results = try Self.race(in: repo)
                let winners = results.filter { $0.status == 0 }
                for result in results where result.status != 0 {
                    #expect(result.status == 6 || result.status == 4, "run \(run): \(result)")
                    if result.status == 6 {
                        #expect(result.stderr.contains("blocked by open windows writing the same files"), "run \(run): \(result)")
                    }
                }
                let state = try Self.readState(of: repo)
                let open = state.units.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
                let sharing = open.filter { writes[$0]?.contains("src/shared.swift") == true }
                #expect(sharing.count == 1, "run \(run): open units \(open), of which \(sharing) write src/shared.swift")
                // The other four write files nobody else writes, so all of them open: 5 in all.
                #expect(winners.count == 5 && Set(open).isSuperset(of: ["5", "6", "7", "8"]), "run \(run): \(open)\n\(results)")
                #expect(state.windows.count == winners.count, "run \(run): \(state.windows)")
                // The payloads say the same: what each open unit writes, read back from its window.
                var claimed: [String: [String]] = [:]
                for (window, _) in state.windows {
                    let payload = try Self.payload(in: window)
                    let files = (payload["metadata"] as? [String: Any])?["writes"] as? [String] ?? []
                    for file in files { claimed[file, default: []].append(window) }
                }
                #expect(claimed.values.allSatisfy { $0.count == 1 }, "run \(run): files written by several open units: \(claimed)")
                try expectFsckClean(repo)
                try FileManager.default.removeItem(atPath: "\(root)/run-\(run)")
            }
        }
    }

    // MARK: - Running the race

    /// `cp -R` of the template repository: a fresh repository with no windows, in one process.
    static func copy(_ template: String, to folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try run(["cp", "-R", template, folder + "/repo"], in: folder)
        return folder + "/repo"
    }

    static func race(in repo: String) throws -> [CommandResult] {
        let next = [SpecDispatchCLI.path, "next"]
        return try StartingGate.run(Array(repeating: next, count: racers), in: repo,
                                    environment: ["SPEC_DISPATCH_TEMPLATES": SpecDispatchCLI.templates])
    }

    // MARK: - Checking the outcome

    static func expectEightDispatched(_ results: [CommandResult], repo: String, run: Int) throws {
        for result in results {
            #expect(result.status == 0, "run \(run): \(result)")
            let lines = result.stderr.split(separator: "\n")
            // The flock makes lost races rare on one machine, but a racer that loses the claim
            // ref must say so plainly and take the next unit, never fail.
            #expect(lines.allSatisfy { $0.hasPrefix("note: lost the race") }, "run \(run): \(result)")
        }
        let printed = results.map { $0.stdout.trimmingCharacters(in: .newlines) }
        #expect(Set(printed).count == racers, "run \(run): the racers printed \(printed)")
        for path in printed {
            var isFolder: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue, "run \(run): \(path)")
        }
        let state = try readState(of: repo)
        #expect(state.branches.count == racers, "run \(run): \(state.branches)")
        #expect(Set(state.branches).count == racers, "run \(run): \(state.branches)")
        #expect(state.windows.count == racers, "run \(run): \(state.windows)")
        #expect(Set(state.windows.keys) == Set(printed), "run \(run): worktrees \(state.windows.keys.sorted()), printed \(printed)")
        // The flock serialises the choice, so the racers take the first eight units in order.
        #expect(Set(state.units) == Set((1...racers).map(String.init)), "run \(run): \(state.units)")
        #expect(state.problems.isEmpty, "run \(run): \(state.problems)")
        #expect(state.dirty.isEmpty, "run \(run): windows with changes: \(state.dirty)")
        // Dangling commits are normal: every racer writes its dispatch commit before it tries
        // the claim ref, and one that loses leaves its commit unreferenced. Hence --no-dangling.
        try expectFsckClean(repo)
        let board = try SpecDispatchCLI.run(["status", "--json"], in: repo)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(board.stdoutBytes)) as? [String: Any])
        let units = try #require((object["specs"] as? [[String: Any]])?.first?["units"] as? [[String: Any]])
        let open = units.filter { $0["state"] as? String == "open" }.compactMap { $0["id"] as? String }
        #expect(Set(open) == Set(state.units), "run \(run): the board shows open \(open)")
        let doctor = try SpecDispatchCLI.run(["doctor"], in: repo)
        #expect(doctor.status == 0 && doctor.stdout.isEmpty, "run \(run): doctor after the race: \(doctor)")
    }

    /// The repository as git sees it: claim branches, dispatch worktrees (folder → branch), the
    /// units they belong to, anything odd about them, and which of them have changes.
    struct State {
        var branches: [String] = []
        var windows: [String: String] = [:]
        var units: [String] = []
        var problems: [String] = []
        var dirty: [String] = []
    }

    static func readState(of repo: String) throws -> State {
        var state = State()
        let prefix = "refs/heads/dispatch/\(spec)/task-"
        state.branches = try Shell.run(["git", "for-each-ref", "--format=%(refname)", "refs/heads/dispatch/"], in: repo)
            .split(separator: "\n").map(String.init)
        for branch in state.branches where !branch.hasPrefix(prefix) { state.problems.append("unexpected branch \(branch)") }
        state.units = state.branches.map { String($0.dropFirst(prefix.count)) }
        let listing = try Shell.run(["git", "worktree", "list", "--porcelain"], in: repo)
        for block in listing.components(separatedBy: "\n\n") where !block.isEmpty {
            let lines = block.split(separator: "\n").map(String.init)
            guard let path = lines.first.map({ String($0.dropFirst("worktree ".count)) }), path != repo else { continue }
            let branch = lines.first { $0.hasPrefix("branch ") }.map { String($0.dropFirst("branch ".count)) }
            guard let branch else {
                state.problems.append("worktree \(path) has no branch: \(lines)")
                continue
            }
            state.windows[path] = branch
            let unit = String(branch.dropFirst(prefix.count))
            if !branch.hasPrefix(prefix) || !path.hasSuffix("/\(spec)/task-\(unit)") {
                state.problems.append("worktree \(path) has branch \(branch)")
            }
            for line in lines where line.hasPrefix("locked") || line.hasPrefix("prunable") || line == "detached" {
                state.problems.append("worktree \(path) is \(line)")
            }
        }
        // One process for all windows: each prints its path when `git status` finds changes.
        let paths = state.windows.keys.sorted()
        if !paths.isEmpty {
            let script = #"for w in "$@"; do s=$(git -C "$w" status --porcelain) || s=failed; [ -z "$s" ] || printf '%s\n' "$w: $s"; done"#
            state.dirty = try Shell.run(["sh", "-c", script, "sh"] + paths, in: repo).split(separator: "\n").map(String.init)
        }
        return state
    }

    static func payload(in window: String) throws -> [String: Any] {
        let bytes = try readBytes(".dispatch/payload.json", in: window)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// Unit id → the files its `_writes:` line names, read from the spec's text.
    static func writesByUnit(_ tasks: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var unit: String?
        for line in tasks.split(separator: "\n") {
            if line.hasPrefix("- [ ] "), let id = line.dropFirst(6).split(separator: ".").first {
                unit = String(id)
            } else if let unit, let range = line.range(of: "_writes: ") {
                let list = line[range.upperBound...].dropLast()
                result[unit, default: []] += list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
        }
        return result
    }
}
