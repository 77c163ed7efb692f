import GitKit
import SpecDispatchCore

/// Chooses what `next` opens: re-reads the open windows (under the dispatch lock), recomputes
/// readiness with them, and applies the window cap and the `_writes:` manifests.
struct DispatchPlanner {
    struct Key: Hashable, Sendable {
        var spec: String
        var unit: TaskID
    }

    struct Choice {
        var key: Key
        var spec: Spec
        var unitIndex: Int
        var tree: TaskTree

        func naming() throws -> WindowNaming {
            do {
                return try WindowNaming(spec: key.spec, unit: key.unit)
            } catch {
                throw DispatchError.invalidInput(error.description)
            }
        }
    }

    let workspace: Workspace
    let board: Board
    let base: BaseRevision
    /// Other machines' claims, when claiming through a remote.
    let remote: RemoteClaims?
    private var windows: [Window] = []
    private var remoteKeys: Set<Key> = []
    private var taken: Set<Key> = []
    private var otherTrees: [String: TaskTree] = [:]
    private var last: DispatchSelection?

    init(workspace: Workspace, board: Board, base: BaseRevision, remote: RemoteClaims? = nil) {
        self.workspace = workspace
        self.board = board
        self.base = base
        self.remote = remote
    }

    mutating func refresh() throws {
        // A merged unit whose window was kept (it had uncommitted changes) is not open work.
        windows = try OpenWindows.list(workspace.repository, withRecords: false).filter { !isCompletedOnBase($0.naming) }
        if let remote {
            remoteKeys = Set(try git { try workspace.repository.references(matching: remote.trackingPrefix + "*") }.compactMap { ref in
                WindowNaming.parse(reference: WindowNaming.branchPrefix + ref.name.dropFirst(remote.trackingPrefix.count))
                    .map { Key(spec: $0.spec, unit: $0.unit) }
            })
        }
    }

    mutating func markTaken(_ key: Key) { taken.insert(key) }

    /// `3` or `<spec>/3`, which must name exactly one unit of the specs in play.
    func resolveUnit(_ text: String) throws -> Key {
        let reference = try UnitReference(text)
        let (specName, id) = (reference.spec, reference.id)
        let matches = board.specs.filter { specName == nil || $0.spec.name == specName }.filter { $0.tree.unit(id) != nil }
        guard let entry = matches.first else {
            throw DispatchError.notFound("no unit \(id) in \(specName.map { "spec \($0)" } ?? "the specs at \(base.name)")",
                                details: ["hint: units are top-level tasks; a subtask is dispatched with its unit"])
        }
        guard matches.count == 1 else {
            throw DispatchError.invalidInput("unit \(id) exists in several specs (\(matches.map(\.spec.name).joined(separator: ", "))); say which: <spec>/\(id)")
        }
        return Key(spec: entry.spec.name, unit: id)
    }

    /// The next unit to claim, or nil when none may be opened now (see `nothingDispatched`).
    mutating func choose(wanted: Key?) throws -> Choice? {
        // Other machines' claims are taken too; only this machine's windows count against the cap.
        let open = Set(windows.map { Key(spec: $0.naming.spec, unit: $0.naming.unit) }).union(taken).union(remoteKeys)
        var candidates: [DispatchSelection.Candidate] = []
        var choices: [String: Choice] = [:]
        for entry in board.specs {
            let claimed = Set(open.filter { $0.spec == entry.spec.name }.map(\.unit))
            let readiness = Readiness(tree: entry.tree, context: .init(claimedUnits: claimed))
            for (u, unit) in entry.tree.units.enumerated() {
                let key = Key(spec: entry.spec.name, unit: unit.id)
                if let wanted, wanted != key { continue }
                let reasons = readiness.reasons[u]
                // Asked for by id, an optional unit is dispatched like any other.
                let ready = reasons.isEmpty || (wanted != nil && reasons == [.optional])
                if !ready, wanted != nil {
                    let why = reasons.map { ReasonText.describe($0, base: base.name) }.joined(separator: "; ")
                    throw DispatchError.nothingReady("unit \(unit.id) is not ready: \(why)")
                }
                guard ready else { continue }
                let label = "\(key.spec)/\(key.unit)"
                candidates.append(.init(key: label, writes: Set(writes(of: unit, in: entry.tree))))
                choices[label] = Choice(key: key, spec: entry.spec, unitIndex: u, tree: entry.tree)
            }
        }
        var openWrites = Set<String>()
        for key in open { openWrites.formUnion(writes(of: key)) }
        let selection = DispatchSelection(candidates: candidates, openWrites: openWrites, openCount: windows.count,
                                          cap: workspace.settings.maxWindows, limit: 1)
        last = selection
        return selection.chosen.first.flatMap { choices[$0] }
    }

    /// Why nothing was opened: the cap (exit 5), `_writes:` conflicts (exit 6), or nothing ready (exit 4).
    func nothingDispatched(base: BaseRevision) -> DispatchError {
        if let last, last.capReached {
            return DispatchError.windowCapReached("window cap reached: \(windows.count) windows open (dispatch.maxWindows = \(workspace.settings.maxWindows))",
                                 details: ["hint: merge or abandon a unit, or raise dispatch.maxWindows"])
        }
        if let last, !last.heldBack.isEmpty {
            let held = last.heldBack.map { "\($0.key) (\($0.files.joined(separator: ", ")))" }
            return DispatchError.blockedByOpenWindows("blocked by open windows writing the same files: " + held.joined(separator: "; "),
                                 details: ["hint: these units write files that an open unit writes (_writes:); they wait until it merges"])
        }
        return DispatchError.nothingReady("nothing ready to dispatch at \(base.name)",
                             details: ["hint: `spec-dispatch ready --verbose` says why each unit waits"])
    }

    private func isCompletedOnBase(_ naming: WindowNaming) -> Bool {
        guard let entry = board.specs.first(where: { $0.spec.name == naming.spec }), let unit = entry.tree.unit(naming.unit) else {
            return false
        }
        return entry.statuses[unit.root] == .completed
    }

    private mutating func writes(of key: Key) -> [String] {
        guard let tree = tree(ofSpec: key.spec), let unit = tree.unit(key.unit) else { return [] }
        return writes(of: unit, in: tree)
    }

    private func writes(of unit: DispatchUnit, in tree: TaskTree) -> [String] {
        unit.members.flatMap { tree.nodes[$0].entry.metadata.writes }
    }

    /// Trees of the specs on the board, and of other specs that have open windows (their
    /// `_writes:` count too), read at the base.
    private mutating func tree(ofSpec name: String) -> TaskTree? {
        if let entry = board.specs.first(where: { $0.spec.name == name }) { return entry.tree }
        if let cached = otherTrees[name] { return cached }
        let tree = try? workspace.tasks(of: workspace.settings.spec(named: name), from: .commit(base.commit))
        otherTrees[name] = tree
        return tree
    }
}
