import GitKit
import SpecDispatchCore

/// Every spec's units with their statuses and readiness at the base branch, and the open
/// windows with their live progress read from their branch tips: what `status` and `ready` show.
public struct Board: Sendable {
    public struct SpecEntry: Sendable {
        public var spec: Spec
        public var tree: TaskTree
        public var statuses: TaskStatuses
        public var readiness: Readiness
        /// The main working tree's tasks.md differs from the base commit's (uncommitted edits).
        public var workingTreeDiffers: Bool
        /// Open windows of this spec, by unit id.
        public var windows: [TaskID: OpenUnit]

        public func state(ofUnit index: Int) -> UnitState {
            if let open = windows[tree.units[index].id], readiness.reasons[index].contains(.claimed),
               !readiness.reasons[index].contains(.completed) {
                return open.state
            }
            return UnitState(reasons: readiness.reasons[index])
        }

        /// What the board shows for a task: as committed on its unit's branch when the unit is
        /// open (the agent's progress), else as on the base branch.
        public func shownStatus(_ index: Int) -> TaskStatus {
            let node = tree.nodes[index]
            return windows[tree.units[node.unit].id]?.live?[node.id] ?? statuses[index]
        }
    }

    /// A unit with a claim, and its progress as committed on its branch.
    public struct OpenUnit: Sendable {
        public var window: Window
        /// Statuses of the unit's tasks at the branch tip (nil when tasks.md cannot be read there).
        public var live: [TaskID: TaskStatus]?
        /// Blocked steps on the branch: the `_Blocked:_` reason, and who blocked it when a
        /// `block` commit says (its `Blocked-By:` trailer).
        public var blocked: [TaskID: (reason: String, by: String?)]
        /// Every required step is completed on the branch: the unit awaits review.
        public var isDoneOnBranch: Bool
        /// Where its review stands (from its review log).
        public var review: ReviewLedger.State
        /// Paths where merging the approved unit into its base would conflict (checked in memory).
        public var mergeConflict: [String]?

        /// Where the unit stands on its branch.
        public var state: UnitState {
            switch review {
            case .underReview: return .underReview
            case .fixRequired: return .fixRequired
            case .approved: return .approved
            case .escalated: return .blocked
            case .pendingReview, .working, .merged: break
            }
            if !blocked.isEmpty { return .blocked }
            return isDoneOnBranch ? .pendingReview : .open
        }
    }

    public var base: BaseRevision
    public var specs: [SpecEntry]
    /// Claims that match no unit of the specs shown (another spec, or a unit since removed).
    public var otherWindows: [Window]
    /// A merge killed half-way, which `doctor --fix` finishes.
    public var interruptedMerge: MergeJournal? = nil

    public var hasErrors: Bool { specs.contains { $0.tree.diagnostics.hasErrors } }

    /// - Parameters:
    ///   - remoteWindows: other machines' claims (`status --remote`), shown beside local windows.
    ///   - live: false for a caller that needs only the specs at the base (`next`, which reads the
    ///     windows again under its lock): no window's branch, review log or working tree is read.
    public static func load(_ workspace: Workspace, spec option: String?, base override: BaseRevision? = nil,
                            relaxed: Bool = false, remoteWindows: [Window] = [], live: Bool = true) throws -> Board {
        let repository = workspace.repository
        let base = try override ?? workspace.base()
        let source = SpecSource.commit(base.commit)
        let specs = try workspace.catalog(source).select(option, sourceName: base.name)
        guard live else {
            let entries = try specs.map { spec in
                let tree = try workspace.tasks(of: spec, from: source)
                return SpecEntry(spec: spec, tree: tree, statuses: tree.statuses, readiness: Readiness(tree: tree),
                                 workingTreeDiffers: false, windows: [:])
            }
            return Board(base: base, specs: entries, otherWindows: [])
        }
        let local = try OpenWindows.list(repository)
        let localNames = Set(local.map(\.naming))
        let windows = local + remoteWindows.filter { !localNames.contains($0.naming) }
        var matched = Set<String>()
        let trees = try specs.map { try workspace.tasks(of: $0, from: source) }
        let known = Dictionary(zip(specs.map(\.name), trees), uniquingKeysWith: { first, _ in first })
        let specTrees = SpecTrees(workspace: workspace, base: base.commit, known: known)
        let openUnits = OpenUnits(windows.map(\.naming), tips: Dictionary(windows.map { ($0.naming, $0.tip) }, uniquingKeysWith: { first, _ in first }),
                                  trees: specTrees)
        let entries = zip(specs, trees).map { spec, tree in
            var open: [TaskID: OpenUnit] = [:]
            for window in windows where window.naming.spec == spec.name {
                guard let unit = tree.unit(window.naming.unit) else { continue }
                open[unit.id] = liveProgress(of: window, unit: unit, spec: spec, trees: specTrees, workspace: workspace)
                matched.insert(window.naming.reference)
            }
            let readiness = openUnits.readiness(ofSpec: spec.name, tree: tree,
                                                doneOnBranch: Set(open.filter { $0.value.isDoneOnBranch }.keys), relaxed: relaxed)
            return SpecEntry(spec: spec, tree: tree, statuses: tree.statuses, readiness: readiness,
                             workingTreeDiffers: workingTreeDiffers(spec, tree, base, workspace), windows: open)
        }
        let others = option == nil ? windows.filter { !matched.contains($0.naming.reference) } : []
        return Board(base: base, specs: entries, otherWindows: others,
                     interruptedMerge: DispatchState(workspace: workspace).interruptedMerge())
    }

    /// Reads the unit's statuses from tasks.md at the branch tip: the agent's committed progress.
    private static func liveProgress(of window: Window, unit: DispatchUnit, spec: Spec, trees: SpecTrees, workspace: Workspace) -> OpenUnit {
        guard let tree = trees.tree(of: spec, at: window.tip),
              let liveUnit = tree.unit(unit.id) else {
            return OpenUnit(window: window, live: nil, blocked: [:], isDoneOnBranch: false, review: .working, mergeConflict: nil)
        }
        var live: [TaskID: TaskStatus] = [:]
        var blocked: [TaskID: (reason: String, by: String?)] = [:]
        for member in liveUnit.members {
            let node = tree.nodes[member]
            live[node.id] = tree.statuses[member]
            if let note = node.entry.metadata.blocked, tree.statuses[member] == .blocked { blocked[node.id] = (note.reason, nil) }
        }
        if !blocked.isEmpty {
            for (id, by) in BlockRecord.blockers(on: window, in: workspace.repository) where blocked[id] != nil {
                blocked[id]?.by = by
            }
        }
        let done = UnitProgress(unit: liveUnit, tree: tree).isComplete
        let review = (try? UnitReview(window: window, spec: spec, tree: tree, unit: liveUnit, workspace: workspace))?.state
            ?? (done ? .pendingReview : .working)
        var conflicts: [String]?
        if case .approved = review, let reference = window.record?.baseReference,
           let baseTip = try? workspace.repository.referenceTarget(reference) {
            let found = MergePreview.conflicts(mergingTip: window.tip, into: baseTip, except: spec.tasksPath, in: workspace.repository)
            conflicts = found.isEmpty ? nil : found
        }
        return OpenUnit(window: window, live: live, blocked: blocked, isDoneOnBranch: done, review: review, mergeConflict: conflicts)
    }

    /// Only meaningful in the main working tree on the base branch; a window's tasks.md differs by
    /// design. Measured against the branch's commit, which is not the board's when the board
    /// shows the shared remote's base.
    private static func workingTreeDiffers(_ spec: Spec, _ tree: TaskTree, _ base: BaseRevision, _ workspace: Workspace) -> Bool {
        let repository = workspace.repository
        guard !repository.isLinkedWorktree, case .branch(let name, let head)? = try? repository.head(), name == base.reference,
              let root = repository.workingDirectory else { return false }
        guard head != base.commit else { return !FileTree.contentEquals("\(root)/\(spec.tasksPath)", tree.document.bytes) }
        guard let committed = try? SpecSource.commit(head).read(spec.tasksPath, in: repository) else { return FileTree.exists("\(root)/\(spec.tasksPath)") }
        return !FileTree.contentEquals("\(root)/\(spec.tasksPath)", committed)
    }
}

/// One word for where a unit stands, for the board.
public enum UnitState: String, Sendable, CaseIterable {
    case completed, ready, waiting, blocked, optional
    case inProgress = "in_progress"
    case open
    case pendingReview = "pending_review"
    case underReview = "under_review"
    case fixRequired = "fix_required"
    case approved

    init(reasons: [Readiness.Reason]) {
        if reasons.isEmpty { self = .ready; return }
        if reasons.contains(.completed) { self = .completed; return }
        if reasons.contains(.claimed) { self = .open; return }
        if reasons.contains(.optional) { self = .optional; return }
        if reasons.contains(where: { if case .blocked = $0 { true } else { false } }) { self = .blocked; return }
        if reasons.contains(where: { if case .inProgressOutside = $0 { true } else { false } }) { self = .inProgress; return }
        self = .waiting
    }

    public var words: String {
        switch self {
        case .inProgress: "in progress"
        case .pendingReview: "pending review"
        case .underReview: "under review"
        case .fixRequired: "fix required"
        default: rawValue
        }
    }
}
