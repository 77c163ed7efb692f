/// The tasks of a document as a forest by id (the parent of `1.2.3` is `1.2`, whatever the
/// indentation says), partitioned into dispatch units, with dependencies resolved.
public struct TaskTree: Sendable {
    public let document: TasksDocument
    /// Tasks in the tree: checkbox tasks (first occurrence of each id) and headings that stand in as parents.
    public let nodes: [TaskNode]
    /// Dispatch units in file order of their top-level task.
    public let units: [DispatchUnit]
    /// The parse's findings plus the structural ones and the status warnings, sorted by line.
    public private(set) var diagnostics: [Diagnostic]
    /// Every task's effective status as the file states it (docs/tasks-format.md, "Status").
    public let statuses: TaskStatuses
    private let indexByID: [TaskID: Int]

    /// Parses tasks.md and builds its tree.
    public init(bytes: [UInt8], options: TasksDocument.Options = .init()) {
        var parsed = TasksParser.parse(bytes, options: options)
        let document = parsed.document
        var builder = TaskTreeBuilder(parsed: &parsed)
        let built = builder.build()
        self.document = document
        self.nodes = built.nodes
        self.units = built.units
        self.indexByID = built.index
        self.diagnostics = built.diagnostics
        self.statuses = TaskStatuses(nodes: built.nodes, units: built.units, tilde: document.options.tilde)
        let statusFindings = ParentMarkerWarnings.find(in: self) + DependencyCycles.unitDeadlocks(in: self)
        if !statusFindings.isEmpty {
            diagnostics = (diagnostics + statusFindings).sorted { ($0.line ?? 0, $0.severity) < ($1.line ?? 0, $1.severity) }
        }
    }

    public func index(of id: TaskID) -> Int? { indexByID[id] }

    public func node(_ id: TaskID) -> TaskNode? { indexByID[id].map { nodes[$0] } }

    public func unit(_ id: TaskID) -> DispatchUnit? {
        guard let i = indexByID[id], nodes[i].parent == nil else { return nil }
        return units[nodes[i].unit]
    }

    /// How many ancestors a node has: 1 for `2.1` under `2`, and for `T004` under its phase.
    public func depth(of index: Int) -> Int {
        var depth = 0
        var p = nodes[index].parent
        while let q = p {
            depth += 1
            p = nodes[q].parent
        }
        return depth
    }

    /// Every descendant of a node, depth-first in id order.
    public func descendants(of index: Int) -> [Int] {
        TaskTreeView(nodes: nodes).descendants(of: index)
    }
}

public struct TaskNode: Sendable {
    public var entry: TaskEntry
    public var parent: Int?
    /// Children in id order.
    public var children: [Int]
    /// Index into `TaskTree.units` of the unit this task belongs to.
    public var unit: Int
    /// Resolved dependencies: explicit ones, then the implicit ones of checkpoints.
    public var dependencies: [Int]
    /// Wave rank from the dependency graph, inherited from the nearest listed ancestor.
    public var wave: Int?

    /// A task with a checkbox whose subtasks are all optional (`- [ ] 7. Implement the lock`
    /// over `- [ ]* 7.1 Property test`): its own checkbox records its own work, a required step,
    /// and the optional subtasks are extras that never hold it open.
    public var carriesOwnWork = false

    public var id: TaskID { entry.id }
    public var isLeaf: Bool { children.isEmpty }
    /// A step of its unit: a task an agent completes by name, whose checkbox is its own.
    public var isStep: Bool { children.isEmpty || carriesOwnWork }
}

/// A top-level task with all its descendants (a group), or a task without children (standalone).
public struct DispatchUnit: Sendable {
    public enum Kind: String, Sendable { case group, standalone }

    public var id: TaskID
    public var root: Int
    /// Every descendant in execution order: waves, then dependencies inside the unit, then id
    /// order depth-first. Empty for a standalone unit, whose one step is the root itself.
    public var steps: [Int]
    public var kind: Kind
    /// Smallest wave rank among the unit's tasks, when the dependency graph lists any.
    public var earliestWave: Int?
    /// The root carries its own work (TaskNode.carriesOwnWork): it is the first work item.
    public var rootCarriesOwnWork = false

    /// The tasks an agent works through: the steps (after the root's own work, when it carries
    /// some), or the root alone for a standalone unit.
    public var workItems: [Int] { steps.isEmpty ? [root] : rootCarriesOwnWork ? [root] + steps : steps }
    /// The root and its steps.
    public var members: [Int] { [root] + steps }
}

extension TaskTree {
    /// The tasks written as checkboxes, by node index: what counts as "tasks" wherever a count
    /// is shown (headings standing in for parents are structure, not tasks).
    public var checkboxTasks: [Int] { nodes.indices.filter { nodes[$0].entry.marker != nil } }

    /// The ids of a unit's checkbox tasks: what the unit holds whatever its id (a heading's id
    /// is a phase number, which renumbering gives to other tasks).
    public func checkboxIDs(of unit: DispatchUnit) -> Set<TaskID> {
        Set(unit.members.filter { nodes[$0].entry.marker != nil }.map { nodes[$0].id })
    }
}
