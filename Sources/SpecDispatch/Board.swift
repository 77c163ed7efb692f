import GitKit
import SpecDispatchCore

/// Every spec's units with their statuses and readiness at the base branch: what `status` and
/// `ready` show.
public struct Board: Sendable {
    public struct SpecEntry: Sendable {
        public var spec: Spec
        public var tree: TaskTree
        public var statuses: TaskStatuses
        public var readiness: Readiness
        /// The main working tree's tasks.md differs from the base commit's (uncommitted edits).
        public var workingTreeDiffers: Bool

        public func state(ofUnit index: Int) -> UnitState {
            UnitState(reasons: readiness.reasons[index])
        }
    }

    public var base: BaseRevision
    public var specs: [SpecEntry]

    public var hasErrors: Bool { specs.contains { $0.tree.diagnostics.hasErrors } }

    public static func load(_ workspace: Workspace, spec option: String?, relaxed: Bool = false) throws -> Board {
        let base = try workspace.base()
        let source = SpecSource.commit(base.commit)
        let specs = try workspace.catalog(source).select(option, sourceName: base.name)
        let entries = try specs.map { spec in
            let tree = try workspace.tasks(of: spec, from: source)
            let statuses = tree.statuses
            let context = Readiness.Context(relaxed: relaxed)
            return SpecEntry(spec: spec, tree: tree, statuses: statuses,
                             readiness: Readiness(tree: tree, statuses: statuses, context: context),
                             workingTreeDiffers: try workingTreeDiffers(spec, tree, base, workspace.repository))
        }
        return Board(base: base, specs: entries)
    }

    /// Only meaningful in the main working tree on the base branch; a window's tasks.md differs by design.
    private static func workingTreeDiffers(_ spec: Spec, _ tree: TaskTree, _ base: BaseRevision,
                                           _ repository: Repository) throws -> Bool {
        guard !repository.isLinkedWorktree, case .branch(let name, _)? = try? repository.head(), name == base.reference,
              let root = repository.workingDirectory else { return false }
        return !FileTree.contentEquals("\(root)/\(spec.tasksPath)", tree.document.bytes)
    }
}

/// One word for where a unit stands, for the board.
public enum UnitState: String, Sendable, CaseIterable {
    case completed, ready, waiting, blocked, optional
    case inProgress = "in_progress"
    case open

    init(reasons: [Readiness.Reason]) {
        if reasons.isEmpty { self = .ready; return }
        if reasons.contains(.completed) { self = .completed; return }
        if reasons.contains(.optional) { self = .optional; return }
        if reasons.contains(.claimed) { self = .open; return }
        if reasons.contains(where: { if case .blocked = $0 { true } else { false } }) { self = .blocked; return }
        if reasons.contains(where: { if case .inProgressOutside = $0 { true } else { false } }) { self = .inProgress; return }
        self = .waiting
    }

    public var words: String {
        switch self {
        case .inProgress: "in progress"
        default: rawValue
        }
    }
}
