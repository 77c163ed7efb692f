/// The checkbox edits that bring one unit's markers in line with its progress (docs/tasks-format.md, "Status"):
/// steps named complete become `[x]`, the current step (first leaf not completed) is `[-]`,
/// and every parent shows the status derived from its children.
public struct UnitProgress: Sendable {
    public let unit: DispatchUnit
    /// Leaf statuses after the overrides, by node index.
    public let leafStatuses: [Int: TaskStatus]
    /// The step the agent is on: the first work item not completed; nil when every required one is.
    public let currentStep: Int?
    /// Every required step completed (the unit goes to review).
    public let isComplete: Bool

    /// - Parameter overrides: statuses to assume for some tasks (completed, blocked, …) before deriving.
    public init(unit: DispatchUnit, tree: TaskTree, overrides: [Int: TaskStatus] = [:]) {
        self.unit = unit
        let tilde = tree.document.options.tilde
        var leaves: [Int: TaskStatus] = [:]
        for i in unit.workItems where tree.nodes[i].isStep {
            leaves[i] = overrides[i] ?? tree.nodes[i].entry.ownStatus(tilde: tilde)
        }
        // A step over optional subtasks that are all completed is completed (TaskStatuses).
        for i in unit.workItems where tree.nodes[i].carriesOwnWork && leaves[i] != .completed
            && tree.nodes[i].children.allSatisfy({ Self.derive($0, tree, leaves) == .completed }) {
            leaves[i] = .completed
        }
        let complete = Self.derive(unit.root, tree, leaves) == .completed
        // Never an optional step while a required one is open.
        let open = complete ? [] : unit.workItems.filter { tree.nodes[$0].isStep && leaves[$0] != .completed }
        let current = open.first { !UnitUpdate.isOptional($0, in: unit, tree: tree) } ?? open.first
        // The current step shows `[-]`, so parents derive from it as in progress.
        if let c = current, leaves[c] == .notStarted { leaves[c] = .inProgress }
        leafStatuses = leaves
        isComplete = complete
        currentStep = current
    }

    /// Marker edits for the unit; `rootWhenComplete` is `.inProgress` on a dispatch branch (the
    /// unit awaits review) and `.completed` when it merges.
    public func edits(in tree: TaskTree, rootWhenComplete: CheckboxStatus = .inProgress) -> [TextEdit] {
        let tilde = tree.document.options.tilde
        var edits: [TextEdit] = []
        for i in unit.workItems where tree.nodes[i].isStep {
            let entry = tree.nodes[i].entry
            let status = leafStatuses[i]!
            let target: CheckboxStatus
            if status == .completed {
                target = .completed
            } else if i == currentStep {
                target = .inProgress
            } else if isComplete, entry.marker == .inProgress {
                target = .notStarted  // the dispatcher's mark on a skipped optional step
            } else {
                continue
            }
            if let edit = StatusEditor.setCheckbox(of: entry, to: target, tilde: tilde) { edits.append(edit) }
        }
        for i in unit.members where !tree.nodes[i].isStep {
            var target = Self.derive(i, tree, leafStatuses).checkbox
            if i == unit.root, isComplete { target = rootWhenComplete }
            if let edit = StatusEditor.setCheckbox(of: tree.nodes[i].entry, to: target, tilde: tilde) { edits.append(edit) }
        }
        return edits
    }

    /// Status of a node from the leaf statuses, by the rules of docs/tasks-format.md, "Status" (own checkbox ignored).
    static func derive(_ i: Int, _ tree: TaskTree, _ leaves: [Int: TaskStatus]) -> TaskStatus {
        let node = tree.nodes[i]
        if node.isStep { return leaves[i] ?? .notStarted }
        return StatusDerivation.parentStatus(children: node.children.map { (derive($0, tree, leaves), tree.nodes[$0].entry.isOptional) })
    }
}
