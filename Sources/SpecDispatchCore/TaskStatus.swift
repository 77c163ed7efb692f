/// A task's or unit's status (docs/tasks-format.md, "Status"; docs/review-and-merge.md). The review states live in git metadata, never in tasks.md.
public enum TaskStatus: String, Sendable, CaseIterable, Comparable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case blocked
    case pendingReview = "pending_review"
    case underReview = "under_review"
    case fixRequired = "fix_required"
    case finalReview = "final_review"
    case completed

    public var isReviewState: Bool {
        self == .pendingReview || self == .underReview || self == .finalReview
    }

    /// The checkbox that shows this status: review and blocked states show as `[-]` until completed.
    public var checkbox: CheckboxStatus {
        switch self {
        case .notStarted: .notStarted
        case .completed: .completed
        default: .inProgress
        }
    }

    /// Human wording for boards and messages.
    public var words: String {
        switch self {
        case .notStarted: "not started"
        case .inProgress: "in progress"
        case .blocked: "blocked"
        case .pendingReview: "pending review"
        case .underReview: "under review"
        case .fixRequired: "fix required"
        case .finalReview: "final review"
        case .completed: "completed"
        }
    }

    public static func < (a: TaskStatus, b: TaskStatus) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The rules of docs/tasks-format.md, "Status", as pure functions.
public enum StatusDerivation {
    /// A parent's status from its children's, first rule that matches:
    /// all required done → completed; any blocked; any fix required; any in progress or in
    /// review → in progress; otherwise not started. Required = non-optional, or all if all are optional.
    public static func parentStatus(children: [(status: TaskStatus, isOptional: Bool)]) -> TaskStatus {
        let allOptional = children.allSatisfy(\.isOptional)
        if children.allSatisfy({ ($0.isOptional && !allOptional) || $0.status == .completed }) {
            return .completed
        }
        if children.contains(where: { $0.status == .blocked }) { return .blocked }
        if children.contains(where: { $0.status == .fixRequired }) { return .fixRequired }
        if children.contains(where: { $0.status == .inProgress || $0.status.isReviewState }) { return .inProgress }
        return .notStarted
    }

    /// A task's own status from its checkbox and `_Blocked:_` line; a completed task stays completed.
    public static func ownStatus(marker: Marker?, isBlocked: Bool, tilde: TildeMeaning) -> TaskStatus {
        switch marker {
        case .completed?: return .completed
        case _ where isBlocked: return .blocked
        case .inProgress?: return .inProgress
        case .queued?: return tilde == .blocked ? .blocked : .notStarted
        case .notStarted?, nil: return .notStarted
        }
    }
}

extension TaskEntry {
    /// This task's own status, from its checkbox and its `_Blocked:_` line.
    public func ownStatus(tilde: TildeMeaning) -> TaskStatus {
        StatusDerivation.ownStatus(marker: marker, isBlocked: metadata.blocked != nil, tilde: tilde)
    }
}

/// The effective status of every task of a tree: leaves from their own line, parents derived,
/// except that a parent the user marked `[x]` counts as completed (the user's word wins).
public struct TaskStatuses: Sendable {
    private var values: [TaskStatus]
    /// Status of each parent from its children alone, ignoring its own checkbox.
    private var derived: [TaskStatus?]

    init(nodes: [TaskNode], units: [DispatchUnit], tilde: TildeMeaning) {
        values = Array(repeating: .notStarted, count: nodes.count)
        derived = Array(repeating: nil, count: nodes.count)
        for unit in units {
            for i in unit.members where nodes[i].isStep {
                let entry = nodes[i].entry
                values[i] = entry.ownStatus(tilde: tilde)
            }
            resolve(unit.root, nodes, tilde)
        }
    }

    private mutating func resolve(_ i: Int, _ nodes: [TaskNode], _ tilde: TildeMeaning) {
        let node = nodes[i]
        for child in node.children { resolve(child, nodes, tilde) }
        // A step's status is its own line's, whatever its optional subtasks say; but one whose
        // optional subtasks are all completed counts as completed, as it did before it was a step
        // (`parent-not-marked` warns).
        if node.isStep {
            if !node.children.isEmpty, node.children.allSatisfy({ values[$0] == .completed }) {
                derived[i] = .completed
                values[i] = .completed
            }
            return
        }
        let fromChildren = StatusDerivation.parentStatus(
            children: node.children.map { (values[$0], nodes[$0].entry.isOptional) })
        derived[i] = fromChildren
        let own = node.entry.ownStatus(tilde: tilde)
        values[i] = own == .completed || own == .blocked ? own : fromChildren
    }

    public subscript(_ index: Int) -> TaskStatus { values[index] }

    /// For a parent, the status its children give it (nil for a leaf).
    public func derivedFromChildren(_ index: Int) -> TaskStatus? { derived[index] }
}
