import Foundation
import GitKit
import SpecDispatchCore

/// What `next` was asked for.
public struct NextRequest: Sendable {
    public var spec: String?
    /// A unit to dispatch by id (`3` or `<spec>/3`), optional units included; nil takes the next ready ones.
    public var unit: String?
    public var count: Int
    public var agent: String?
    public var base: String?
    /// Claim through this remote (default `dispatch.remote`), so other machines see the claim.
    public var remote: String?
    /// Called with the agent meant to work the chosen unit before it is claimed; throwing (the
    /// agent cannot start) leaves no claim.
    public var checkAgent: (@Sendable (String?) throws -> Void)?

    public init(spec: String? = nil, unit: String? = nil, count: Int = 1, agent: String? = nil, base: String? = nil,
                remote: String? = nil, checkAgent: (@Sendable (String?) throws -> Void)? = nil) {
        self.spec = spec
        self.unit = unit
        self.count = count
        self.agent = agent
        self.base = base
        self.remote = remote
        self.checkAgent = checkAgent
    }
}

/// A unit `next` opened a window for.
public struct DispatchedUnit: Sendable {
    public var spec: String
    public var unit: TaskID
    public var title: String
    /// The agent meant to work it: `--agent`, else the unit's `_agent:`, else `dispatch.agent`.
    public var agent: String?
    public var branch: String
    public var window: String
    public var payload: String
    public var prompt: String
    public var base: BaseRevision
}

/// `next`: claims ready units (one branch each, created only if absent) and opens their windows.
public struct Dispatcher {
    let workspace: Workspace
    let fault: FaultInjection

    public init(workspace: Workspace, environment: [String: String]) {
        self.workspace = workspace
        self.fault = FaultInjection(environment: environment)
    }

    /// Dispatches up to `request.count` units. `notes` receives lines worth telling (lost races).
    public func next(_ request: NextRequest, notes: (String) -> Void) throws -> [DispatchedUnit] {
        let repository = workspace.repository
        let shared = try SharedView.open(workspace, remote: request.remote ?? workspace.settings.remote, base: request.base)
        let base = shared.base
        let board = try Board.load(workspace, spec: request.spec, base: base, live: false)
        try Self.refuseInvalid(board)
        try refuseOutsideSpecsDirectory(board)
        let layout = try WindowLayout(repository: repository, settings: workspace.settings)
        RemoteClaims.updateFlag(repository, settings: workspace.settings)
        var planner = DispatchPlanner(workspace: workspace, board: board, base: base, remote: shared.claims)
        let wanted = try request.unit.map { try planner.resolveUnit($0) }
        var dispatched: [DispatchedUnit] = []
        while dispatched.count < max(1, request.count) {
            do {
                guard let claim = try claimNext(&planner, wanted: wanted, layout: layout, base: base, agent: request.agent,
                                                checkAgent: request.checkAgent, notes: notes) else {
                    // Fewer than asked for: say why, as `next` alone would (cap, _writes:, nothing ready).
                    if !dispatched.isEmpty {
                        notes("note: opened \(dispatched.count) of \(request.count) units: \(planner.nothingDispatched(base: base).message)")
                    }
                    break
                }
                dispatched.append(try openWindow(for: claim, base: base, agent: agent(request.agent, claim.tree, claim.unitIndex)))
            } catch let error as DispatchError where !dispatched.isEmpty {
                // The windows already open stay open and are reported; the failed unit left
                // nothing behind. A refusal (say, the window cap) just ends the count.
                notes(error.exitCode == .failure ? "error: \(error.message)" : "note: opened \(dispatched.count) of \(request.count) units: \(error.message)")
                break
            }
            if wanted != nil { break }
        }
        if dispatched.isEmpty { throw planner.nothingDispatched(base: base) }
        return dispatched
    }

    /// Windows, hooks and reviews find a spec by its name in the specs folders; a spec given by a
    /// path elsewhere (`--spec plans/x`) can be shown, not dispatched.
    private func refuseOutsideSpecsDirectory(_ board: Board) throws {
        let settings = workspace.settings
        for entry in board.specs {
            let found = try settings.spec(named: entry.spec.name, at: board.base.commit, in: workspace.repository)
            guard entry.spec.directory != found.directory else { continue }
            let parent = entry.spec.directory.split(separator: "/").dropLast().joined(separator: "/")
            let folders = settings.specsDirectories.map { $0.isEmpty ? "the top folder" : $0 }.joined(separator: " or ")
            throw DispatchError.invalidInput("cannot dispatch from \(entry.spec.tasksPath): it is not in the specs folders (\(folders))",
                                details: ["hint: `git config dispatch.specsDir \(parent.isEmpty ? "''" : parent)` dispatches the specs there"])
        }
    }

    static func refuseInvalid(_ board: Board) throws {
        guard board.hasErrors else { return }
        let lines = board.specs.flatMap { entry in
            entry.tree.diagnostics.filter { $0.severity == .error }.map { $0.formatted(path: entry.spec.tasksPath) }
        }
        throw DispatchError.invalidInput("tasks.md has errors; fix them before dispatching", details: lines)
    }

    /// The claim: what was decided under the lock and made durable by the branch ref.
    struct Claim {
        var naming: WindowNaming
        var spec: Spec
        var unitIndex: Int
        var commit: ObjectID
        var tasks: [UInt8]
        var window: String
        /// The spec's tasks at the base, as chosen from.
        var tree: TaskTree
        /// Held until the window is complete (or undone), so that `doctor` leaves it alone.
        var creation: WindowCreationLock
    }

    /// Under the dispatch lock: see what is open, choose, and create the claim ref (only if absent).
    private func claimNext(_ planner: inout DispatchPlanner, wanted: DispatchPlanner.Key?, layout: WindowLayout,
                           base: BaseRevision, agent: String?, checkAgent: (@Sendable (String?) throws -> Void)?,
                           notes: (String) -> Void) throws -> Claim? {
        let repository = workspace.repository
        let lock = try DispatchLock(repository: repository)
        defer { withExtendedLifetime(lock) {} }
        try IgnoreRule.install(repository)
        while true {
            try planner.refresh()
            guard let choice = try planner.choose(wanted: wanted) else { return nil }
            let naming = try choice.naming()
            do {
                try checkAgent?(self.agent(agent, choice.tree, choice.unitIndex))
            } catch let error as DispatchError {
                throw error.prefixed("unit \(naming.unit) of \(naming.spec) was not dispatched: ")
            }
            let window = layout.path(of: naming)
            guard FileTree.isFreeForWindow(window) else {
                throw DispatchError.refused("cannot open a window for unit \(naming.unit): \(window) exists and is not a window of this repository",
                                    details: ["hint: move it away, or set dispatch.worktreeDir to another folder"])
            }
            let (commit, tasks) = try DispatchCommit.make(for: choice, naming: naming, base: base,
                                                          agent: self.agent(agent, choice.tree, choice.unitIndex),
                                                          remote: planner.remote?.remote, in: repository)
            fault.checkpoint(.commitWritten)
            // The unit is free (no claim), so a review log still there belongs to an earlier claim.
            try ReviewLog(repository: repository, naming: naming).archive()
            let creation = try WindowCreationLock(repository: repository, naming: naming)
            do {
                try DispatchState(repository: repository).createClaim(naming, at: commit)
            } catch {
                if error.code == .locked {
                    throw DispatchError.failure("cannot claim unit \(naming.unit) of \(naming.spec): \(error.message)",
                                        details: ["hint: if no git command is running, an interrupted one left that lock: `spec-dispatch doctor --fix` removes it"])
                }
                guard error.code == .exists else { throw DispatchError.git(error) }
                notes("note: lost the race for unit \(naming.unit) of \(naming.spec) to another dispatcher; taking the next")
                planner.markTaken(choice.key)
                continue
            }
            if let claims = planner.remote, let rejection = try pushClaim(naming, commit: commit, claims: claims) {
                notes("note: lost the race for unit \(naming.unit) of \(naming.spec) on \(claims.remote) (\(rejection)); taking the next")
                planner.markTaken(choice.key)
                continue
            }
            fault.checkpoint(.claimed)
            planner.markTaken(choice.key)
            return Claim(naming: naming, spec: choice.spec, unitIndex: choice.unitIndex, commit: commit, tasks: tasks, window: window,
                         tree: choice.tree, creation: creation)
        }
    }

    /// The agent meant to work a unit: asked for, else the unit's `_agent:`, else `dispatch.agent`.
    private func agent(_ requested: String?, _ tree: TaskTree, _ unitIndex: Int) -> String? {
        requested ?? tree.units[unitIndex].members.lazy.compactMap { tree.nodes[$0].entry.metadata.agent }.first
            ?? workspace.settings.defaultAgent
    }

    /// Pushes the new claim; on refusal (another machine claimed it first) the local claim goes.
    private func pushClaim(_ naming: WindowNaming, commit: ObjectID, claims: RemoteClaims) throws -> String? {
        let rejection: String?
        do {
            rejection = try claims.push(naming)
        } catch {
            try? DispatchState(workspace: workspace).dropFreshClaim(naming, commit: commit)
            throw error
        }
        if rejection != nil { try DispatchState(workspace: workspace).dropFreshClaim(naming, commit: commit) }
        return rejection
    }

    /// Outside the lock: the worktree (locked until its checkout and setup are done), then prompt and
    /// payload. On failure, everything of this dispatch is removed again, claim included.
    private func openWindow(for claim: Claim, base: BaseRevision, agent: String?) throws -> DispatchedUnit {
        let repository = workspace.repository
        let created = FileTree.missingAncestors(of: claim.window)
        var worktreeMade = false
        do {
            let worktree: WorktreeInfo
            do {
                worktree = try repository.addWorktree(name: claim.naming.worktreeName, path: claim.window,
                                                      branch: claim.naming.reference, locked: true)
            } catch {
                throw error.code == .exists ? DispatchError.refused("cannot open a window for unit \(claim.naming.unit): \(error.message)")
                    : DispatchError.git(error)
            }
            worktreeMade = true
            fault.checkpoint(.worktreeAdded)
            do {
                _ = try WindowSetup(repository: repository, settings: workspace.settings).prepare(
                    window: worktree.path,
                    environment: AgentEnvironment.variables(spec: claim.spec.name, unit: claim.naming.unit.text,
                                                            window: worktree.path, branch: claim.naming.branch))
            } catch let failure as WindowSetup.Failure {
                throw DispatchError.failure("unit \(claim.naming.unit) was not dispatched: \(failure.message)")
            }
            // The lock marks an unfinished checkout or setup; the payload, written last, marks a complete
            // window. Unlocking before the payload leaves no moment where a kill makes a complete
            // window that is still locked, which doctor could not tell from a lock of the user's.
            try git { try repository.unlockWorktree(name: claim.naming.worktreeName) }
            fault.checkpoint(.unlocked)
            let tree = TaskTree(bytes: claim.tasks, options: .init(tilde: workspace.settings.tilde))
            let unit = tree.units[claim.unitIndex]
            let files = try WindowFiles.write(
                unit: unit, of: tree, spec: claim.spec,
                placement: .init(branch: claim.naming.branch, startCommit: claim.commit.hex, baseReference: base.reference, baseCommit: base.commit.hex,
                                 window: worktree.path, agent: agent, dispatchedAt: Date().formatted(.iso8601)),
                repository: repository, templatesAt: base.commit, into: worktree.path, fault: fault)
            return DispatchedUnit(spec: claim.spec.name, unit: unit.id, title: tree.nodes[unit.root].entry.title, agent: agent,
                                  branch: claim.naming.branch, window: worktree.path, payload: files.payload,
                                  prompt: files.prompt, base: base)
        } catch {
            DispatchState(workspace: workspace).undoDispatch(claim.naming, commit: claim.commit, window: claim.window,
                                                            worktreeMade: worktreeMade, createdFolders: created)
            throw error
        }
    }
}
