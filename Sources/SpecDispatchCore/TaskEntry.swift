/// One task as found in tasks.md: a checkbox line, or a numbered heading standing in as a parent.
public struct TaskEntry: Sendable {
    public enum Origin: Sendable, Equatable {
        /// `markerOffset` is the byte offset of the character inside `[ ]`.
        case checkbox(marker: Marker, markerOffset: Int)
        /// A heading has no checkbox: its status is derived, shown, never written.
        case heading
    }

    public var id: TaskID
    public var title: String
    /// 1-based line number of the task line.
    public var line: Int
    public var origin: Origin
    public var isOptional: Bool
    /// Visual indentation of the task line (tabs count to the next multiple of 4).
    public var indent: Int
    /// Indices (0-based, into `TasksDocument.lines`) of the detail lines that belong to this task.
    public var detailLines: Range<Int>
    public var metadata: TaskMetadata

    public var lineIndex: Int { line - 1 }

    public var marker: Marker? {
        if case .checkbox(let marker, _) = origin { return marker }
        return nil
    }
}

public enum Criticality: String, Sendable, CaseIterable {
    case standard
    case complex
    case securitySensitive = "security-sensitive"
}

/// What the detail lines say about a task.
public struct TaskMetadata: Sendable, Equatable {
    public var requirements: [String] = []
    public var writes: [String] = []
    public var reads: [String] = []
    public var dependencies: [DependencyReference] = []
    /// The `_Blocked: …_` line, when present.
    public var blocked: BlockedNote?
    public var boundary: String?
    public var criticality: Criticality?
    public var agent: String?
    /// ` (P)` after the title (cc-sdd) or `[P]` before it (Spec Kit): safe to run in parallel
    /// with its siblings. Passed on to the agent; it changes no ordering.
    public var isParallel = false
    /// Spec Kit's `[US1]` tag: the user story the task belongs to.
    public var story: String?
    /// A title starting with the word "Checkpoint" makes the task a barrier (docs/tasks-format.md, "Barriers and waves").
    public var isCheckpoint = false

    public init() {}
}

public struct DependencyReference: Sendable, Equatable {
    public var target: TaskID
    public var line: Int
}

public struct BlockedNote: Sendable, Equatable {
    public var reason: String
    public var lineIndex: Int
}
