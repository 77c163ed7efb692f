/// The edits for a change of progress inside one unit: steps completed, a step blocked or
/// unblocked, and then the current-step mark and every parent brought in line (docs/tasks-format.md, "Status").
/// Completed steps are never reset; a completed step loses its `_Blocked:_` line.
public struct UnitUpdate: Sendable {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notInUnit(TaskID, unit: TaskID, steps: [TaskID])
        case notAStep(TaskID, steps: [TaskID])
        case alreadyCompleted(TaskID)
        case notBlocked(TaskID)

        public var description: String {
            switch self {
            case .notInUnit(let id, let unit, let steps):
                "\(id) is not a step of unit \(unit) (its steps: \(steps.map(\.text).joined(separator: ", ")))"
            case .notAStep(let id, let steps):
                "\(id) groups other steps; name the steps themselves (\(steps.map(\.text).joined(separator: ", ")))"
            case .alreadyCompleted(let id): "\(id) is completed; a completed step cannot be blocked"
            case .notBlocked(let id): "\(id) is not blocked"
            }
        }
    }

    public var completing: [TaskID] = []
    public var blocking: (id: TaskID, reason: String)?
    public var unblocking: [TaskID] = []
    /// A block on the unit as a whole (an escalation): the `_Blocked:_` line goes under the unit's
    /// own task whatever its steps' state, so a standalone unit whose only step is completed can
    /// be escalated too (its `[x]` stays).
    public var blockingUnit: String?

    public init(completing: [TaskID] = [], blocking: (id: TaskID, reason: String)? = nil, unblocking: [TaskID] = [],
                blockingUnit: String? = nil) {
        self.completing = completing
        self.blocking = blocking
        self.unblocking = unblocking
        self.blockingUnit = blockingUnit
    }

    /// The steps an agent works and can name: leaf work items of the unit.
    public static func steps(of unit: DispatchUnit, in tree: TaskTree) -> [TaskID] {
        unit.workItems.filter { tree.nodes[$0].isStep }.map { tree.nodes[$0].id }
    }

    /// How many steps the unit has: required ones, and optional ones apart.
    public static func stepCounts(of unit: DispatchUnit, in tree: TaskTree) -> (required: Int, optional: Int) {
        let optional = unit.workItems.filter { tree.nodes[$0].isStep && isOptional($0, in: unit, tree: tree) }.count
        return (steps(of: unit, in: tree).count - optional, optional)
    }

    /// Whether the unit is complete without this task: it, or a group it is in, is optional. The
    /// root is the unit itself, never an optional step of it (an optional unit still has its work).
    public static func isOptional(_ index: Int, in unit: DispatchUnit, tree: TaskTree) -> Bool {
        var current: Int? = index
        while let i = current, i != unit.root {
            if tree.nodes[i].entry.isOptional { return true }
            current = tree.nodes[i].parent
        }
        return false
    }

    /// Checks every id against the unit, then returns the edits (empty when nothing changes).
    public func edits(for unit: DispatchUnit, in tree: TaskTree, rootWhenComplete: CheckboxStatus = .inProgress) throws(Problem) -> [TextEdit] {
        let steps = Self.steps(of: unit, in: tree)
        let stepSet = Set(steps)
        let members = Set(unit.members.map { tree.nodes[$0].id })
        func check(_ id: TaskID) throws(Problem) -> Int {
            guard members.contains(id), let index = tree.index(of: id) else { throw .notInUnit(id, unit: unit.id, steps: steps) }
            guard stepSet.contains(id) else { throw .notAStep(id, steps: steps) }
            return index
        }
        // An id named twice (`done 1.2 1.2`, or two trailers) is one change, not two overlapping edits.
        let completing = Self.unique(completing), unblocking = Self.unique(unblocking)
        var overrides: [Int: TaskStatus] = [:]
        var edits: [TextEdit] = []
        for id in completing {
            let index = try check(id)
            overrides[index] = .completed
            if let removal = StatusEditor.unblock(tree.nodes[index].entry, in: tree.document) { edits.append(removal) }
        }
        for id in unblocking where id == unit.id && tree.nodes[unit.root].entry.metadata.blocked != nil && !tree.nodes[unit.root].isStep {
            // An escalated unit is blocked on its own line; a person lifts it by the unit's id.
            edits.append(StatusEditor.unblock(tree.nodes[unit.root].entry, in: tree.document)!)
        }
        for id in unblocking where !(id == unit.id && !tree.nodes[unit.root].isStep) {
            let index = try check(id)
            guard let removal = StatusEditor.unblock(tree.nodes[index].entry, in: tree.document) else { throw .notBlocked(id) }
            let entry = tree.nodes[index].entry
            overrides[index] = StatusDerivation.ownStatus(marker: entry.marker, isBlocked: false, tilde: tree.document.options.tilde)
            edits.append(removal)
        }
        if let reason = blockingUnit {
            let root = tree.nodes[unit.root]
            edits.append(StatusEditor.block(root.entry, reason: reason, in: tree.document))
            if root.isStep, tree.statuses[unit.root] != .completed, overrides[unit.root] != .completed { overrides[unit.root] = .blocked }
        } else if let blocking, blocking.id == unit.id, !tree.nodes[unit.root].isStep {
            edits.append(StatusEditor.block(tree.nodes[unit.root].entry, reason: blocking.reason, in: tree.document))
        } else if let blocking {
            let index = try check(blocking.id)
            guard tree.statuses[index] != .completed, overrides[index] != .completed else { throw .alreadyCompleted(blocking.id) }
            overrides[index] = .blocked
            edits.append(StatusEditor.block(tree.nodes[index].entry, reason: blocking.reason, in: tree.document))
        }
        let progress = UnitProgress(unit: unit, tree: tree, overrides: overrides)
        return edits + progress.edits(in: tree, rootWhenComplete: rootWhenComplete)
    }

    private static func unique(_ ids: [TaskID]) -> [TaskID] {
        var seen = Set<TaskID>()
        return ids.filter { seen.insert($0).inserted }
    }
}
