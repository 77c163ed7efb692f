import GitKit
import SpecDispatchCore

/// The units every machine has open, as readiness counts them: the one input that makes
/// `status`, `ready` and `next` agree. Open are this machine's windows, the shared remote's
/// claims, and the claims a `next` has just made; the files they write (`_writes:`, read from
/// each spec at the base) hold back every other unit writing one. A unit completed on the base
/// whose window stays (it held uncommitted changes) is no open work.
struct OpenUnits {
    struct Key: Hashable, Sendable {
        var spec: String
        var unit: TaskID
    }

    private(set) var keys: Set<Key> = []
    private let trees: SpecTrees
    /// By spec, the tasks the open claims' units hold at their branch tips.
    private var heldTasks: [String: Set<TaskID>] = [:]

    /// `tips`: where each claim's branch is, when known. Its unit's tasks there count as claimed,
    /// and the claim is done work only when they are all completed at the base (the unit's id
    /// may name other tasks there now, if the plan was renumbered).
    init(_ claims: [WindowNaming], tips: [WindowNaming: ObjectID] = [:], trees: SpecTrees) {
        self.trees = trees
        for naming in claims {
            let key = Key(spec: naming.spec, unit: naming.unit)
            guard let tip = tips[naming], let held = trees.tasks(of: naming, at: tip) else {
                insert(key)
                continue
            }
            if trees.allCompleted(held, spec: naming.spec) { continue }
            keys.insert(key)
            heldTasks[naming.spec, default: []].formUnion(held)
        }
    }

    mutating func insert(_ key: Key) {
        if let tree = trees.tree(key.spec), let unit = tree.unit(key.unit), tree.statuses[unit.root] == .completed { return }
        keys.insert(key)
    }

    /// Readiness of the units of spec `name`, with every open unit counted.
    func readiness(ofSpec name: String, tree: TaskTree, doneOnBranch: Set<TaskID> = [], relaxed: Bool = false) -> Readiness {
        Readiness(tree: tree, context: .init(claimedUnits: Set(keys.filter { $0.spec == name }.map(\.unit)),
                                             claimedTasks: heldTasks[name] ?? [], doneOnBranch: doneOnBranch,
                                             relaxed: relaxed, openWrites: writes(seenFrom: name)))
    }

    /// Files open units write, each with its writers: `2` in spec `name`, `<spec>/2` in another.
    private func writes(seenFrom name: String) -> [String: [String]] {
        var files: [String: [String]] = [:]
        for key in keys.sorted(by: { ($0.spec, $0.unit) < ($1.spec, $1.unit) }) {
            guard let tree = trees.tree(key.spec), let unit = tree.unit(key.unit) else { continue }
            let label = key.spec == name ? key.unit.text : "\(key.spec)/\(key.unit)"
            for file in Set(unit.members.flatMap { tree.nodes[$0].entry.metadata.writes }) { files[file, default: []].append(label) }
        }
        return files
    }
}

/// The specs' tasks at the base, read once each: those on the board, and others that have open
/// units (their `_writes:` count too); and tasks.md at claims' branch tips, read once each too
/// (the board's live progress and the claims' held tasks ask for the same ones).
final class SpecTrees {
    private let workspace: Workspace
    private let base: ObjectID
    private var cache: [String: TaskTree?]
    private var tipCache: [String: TaskTree?] = [:]

    init(workspace: Workspace, base: ObjectID, known: [String: TaskTree]) {
        self.workspace = workspace
        self.base = base
        cache = known.mapValues { $0 }
    }

    func tree(_ spec: String) -> TaskTree? {
        if let cached = cache[spec] { return cached }
        let tree = try? workspace.tasks(of: workspace.settings.spec(named: spec, at: base, in: workspace.repository), from: .commit(base))
        cache[spec] = tree
        return tree
    }

    /// Whether every one of `ids` that the spec has at the base is completed there (false when
    /// it has none of them: then nothing says the work is done).
    func allCompleted(_ ids: Set<TaskID>, spec: String) -> Bool {
        guard let tree = tree(spec) else { return false }
        let present = ids.compactMap { tree.index(of: $0) }
        return !present.isEmpty && present.allSatisfy { tree.statuses[$0] == .completed }
    }

    /// tasks.md of `spec` at a branch tip.
    func tree(of spec: Spec, at tip: ObjectID) -> TaskTree? {
        let key = "\(spec.tasksPath)@\(tip.hex)"
        if let cached = tipCache[key] { return cached }
        let tree = try? workspace.tasks(of: spec, from: .commit(tip))
        tipCache[key] = tree
        return tree
    }

    /// The ids of the checkbox tasks a claim's unit holds at `tip`, its branch.
    func tasks(of claim: WindowNaming, at tip: ObjectID) -> Set<TaskID>? {
        guard let spec = try? workspace.settings.spec(named: claim.spec, at: tip, in: workspace.repository),
              let tree = tree(of: spec, at: tip), let unit = tree.unit(claim.unit) else { return nil }
        return tree.checkboxIDs(of: unit)
    }
}
