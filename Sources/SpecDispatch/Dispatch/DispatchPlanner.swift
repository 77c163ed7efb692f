import GitKit
import SpecDispatchCore

/// Chooses what `next` opens: re-reads the open windows (under the dispatch lock), recomputes
/// readiness with them and every other open unit (OpenUnits, as `status` and `ready` do), and
/// applies the window cap.
struct DispatchPlanner {
    typealias Key = OpenUnits.Key

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
    private let trees: SpecTrees
    private var windows: [Window] = []
    private var open: OpenUnits
    private var taken: Set<Key> = []
    private var last: DispatchSelection?
    /// Ready units but for `_writes:`, with the open files they write, as of the last choice.
    private var heldBack: [(key: String, files: [String])] = []

    init(workspace: Workspace, board: Board, base: BaseRevision, remote: RemoteClaims? = nil) {
        self.workspace = workspace
        self.board = board
        self.base = base
        self.remote = remote
        trees = SpecTrees(workspace: workspace, base: base.commit,
                          known: Dictionary(board.specs.map { ($0.spec.name, $0.tree) }, uniquingKeysWith: { first, _ in first }))
        open = OpenUnits([], trees: trees)
    }

    mutating func refresh() throws {
        // A merged unit whose window was kept (it had uncommitted changes) is not open work.
        let local = try OpenWindows.list(workspace.repository, withRecords: false)
        var claims = local.map { ($0.naming, $0.tip) }
        if let remote {
            claims += try git { try workspace.repository.references(matching: remote.trackingPrefix + "*") }.compactMap { ref in
                WindowNaming.parse(reference: WindowNaming.branchPrefix + ref.name.dropFirst(remote.trackingPrefix.count)).map { ($0, ref.target) }
            }
        }
        open = OpenUnits(claims.map(\.0), tips: Dictionary(claims, uniquingKeysWith: { first, _ in first }), trees: trees)
        windows = local.filter { open.keys.contains(OpenUnits.Key(spec: $0.naming.spec, unit: $0.naming.unit)) }
        for key in taken { open.insert(key) }
    }

    mutating func markTaken(_ key: Key) {
        taken.insert(key)
        open.insert(key)
    }

    /// `3` or `<spec>/3`, which must name exactly one unit of the specs in play.
    func resolveUnit(_ text: String) throws -> Key {
        let reference = try UnitReference(text)
        let (specName, id) = (reference.spec, reference.id)
        let matches = board.specs.filter { specName == nil || $0.spec.name == specName }.filter { $0.tree.unit(id) != nil }
        guard let entry = matches.first else {
            let holder = board.specs.lazy.filter { specName == nil || $0.spec.name == specName }
                .compactMap { entry in entry.tree.node(id).map { (entry, entry.tree.units[$0.unit].id) } }.first
            let hint = holder.map { "hint: \(id) is a step of unit \($0.1) of \($0.0.spec.name); dispatch that unit: `spec-dispatch next \($0.0.spec.name)/\($0.1)`" }
                ?? "hint: units are top-level tasks (or Spec Kit phases); a step is dispatched with its unit"
            throw DispatchError.notFound("no unit \(id) in \(specName.map { "spec \($0)" } ?? "the specs at \(base.name)")",
                                details: [hint])
        }
        guard matches.count == 1 else {
            throw DispatchError.invalidInput("unit \(id) exists in several specs (\(matches.map(\.spec.name).joined(separator: ", "))); say which: <spec>/\(id)")
        }
        return Key(spec: entry.spec.name, unit: id)
    }

    /// The next unit to claim, or nil when none may be opened now (see `nothingDispatched`).
    mutating func choose(wanted: Key?) throws -> Choice? {
        var candidates: [DispatchSelection.Candidate] = []
        var choices: [String: Choice] = [:]
        heldBack = []
        for entry in board.specs {
            let readiness = open.readiness(ofSpec: entry.spec.name, tree: entry.tree)
            for (u, unit) in entry.tree.units.enumerated() {
                let key = Key(spec: entry.spec.name, unit: unit.id)
                if let wanted, wanted != key { continue }
                let label = "\(key.spec)/\(key.unit)"
                var reasons = readiness.reasons[u]
                var collisions: [Readiness.OpenFile] = []
                if case .writesOpenFiles(let files)? = reasons.last {
                    collisions = files
                    reasons.removeLast()
                }
                // Asked for by id, an optional unit is dispatched like any other.
                let ready = reasons.isEmpty || (wanted != nil && reasons == [.optional])
                if ready, !collisions.isEmpty {
                    heldBack.append((label, collisions.map(\.path)))
                    continue
                }
                if !ready, wanted != nil {
                    let why = reasons.map { ReasonText.describe($0, base: base.name) }.joined(separator: "; ")
                    throw DispatchError.nothingReady("unit \(unit.id) is not ready: \(why)")
                }
                guard ready else { continue }
                candidates.append(.init(key: label, writes: Set(unit.members.flatMap { entry.tree.nodes[$0].entry.metadata.writes })))
                choices[label] = Choice(key: key, spec: entry.spec, unitIndex: u, tree: entry.tree)
            }
        }
        // Readiness already holds back what open units write; the selection applies the cap.
        let selection = DispatchSelection(candidates: candidates, openWrites: [], openCount: windows.count,
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
        if !heldBack.isEmpty {
            let held = heldBack.map { "\($0.key) (\($0.files.joined(separator: ", ")))" }
            return DispatchError.blockedByOpenWindows("blocked by open windows writing the same files: " + held.joined(separator: "; "),
                                 details: ["hint: these units write files that an open unit writes (_writes:); they wait until it merges"])
        }
        return DispatchError.nothingReady("nothing ready to dispatch at \(base.name)",
                             details: ["hint: `spec-dispatch ready --verbose` says why each unit waits"])
    }
}
