/// What an agent needs to work one unit (docs/units.md, docs/json.md): the unit, its steps in order with their
/// details and statuses, where to resume, the spec's files, the metadata, and where it runs.
public struct DispatchPayload: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        /// 1-based position in execution order.
        public var number: Int
        public var id: TaskID
        public var title: String
        public var details: [String]
        public var isOptional: Bool
        public var status: TaskStatus
        /// Nesting below the unit: 1 for `2.1`, 2 for `2.1.3`.
        public var depth: Int
        /// A parent inside the unit: its status follows its own subtasks.
        public var isGroup: Bool
        public var requirements: [String]
        public var writes: [String]
        public var reads: [String]
        public var blockedReason: String?
        /// `[P]` (Spec Kit) or ` (P)` (cc-sdd): safe to work on alongside its siblings.
        public var isParallel: Bool
        /// Spec Kit's user story (`US1`).
        public var story: String?
    }

    /// Paths of the spec's files, relative to the window (a full checkout of the repository).
    public struct SpecFiles: Sendable, Equatable {
        public var name: String
        public var requirements: String
        public var design: String
        public var tasks: String

        public init(name: String, requirements: String, design: String, tasks: String) {
            self.name = name
            self.requirements = requirements
            self.design = design
            self.tasks = tasks
        }
    }

    /// Where the unit is dispatched: its branch, base and window.
    public struct Placement: Sendable, Equatable {
        public var branch: String
        /// The branch's first commit (the claim): lets `doctor` restore a deleted branch.
        public var startCommit: String
        public var baseReference: String?
        public var baseCommit: String
        public var window: String
        public var agent: String?
        /// ISO 8601, UTC.
        public var dispatchedAt: String

        public init(branch: String, startCommit: String, baseReference: String?, baseCommit: String, window: String,
                    agent: String?, dispatchedAt: String) {
            self.branch = branch
            self.startCommit = startCommit
            self.baseReference = baseReference
            self.baseCommit = baseCommit
            self.window = window
            self.agent = agent
            self.dispatchedAt = dispatchedAt
        }
    }

    public var unitID: TaskID
    public var title: String
    /// The unit's parent is a heading (a Spec Kit phase, `## 1. Setup`): it has no checkbox of its own.
    public var unitIsHeading: Bool
    public var kind: DispatchUnit.Kind
    public var details: [String]
    public var steps: [Step]
    /// Leaf steps already completed: the agent skips them.
    public var completedSteps: [TaskID]
    /// The leaf step to start (or resume) from; nil when every required one is completed.
    public var currentStep: TaskID?
    public var spec: SpecFiles
    public var criticality: Criticality
    public var agent: String?
    public var boundary: String?
    /// Union over the unit's tasks, in first-seen order.
    public var writes: [String]
    public var reads: [String]
    public var requirements: [String]
    /// Dependencies outside the unit, as written.
    public var dependencies: [TaskID]
    /// Units holding later-wave predecessors of this unit's steps: work to coordinate with.
    public var coordinateWith: [TaskID]
    public var placement: Placement

    /// Builds the payload for a unit of `tree`, as its tasks stand in `tree` (the branch's first commit).
    public init(unit: DispatchUnit, tree: TaskTree, spec: SpecFiles, placement: Placement) {
        let nodes = tree.nodes
        let root = nodes[unit.root].entry
        let progress = UnitProgress(unit: unit, tree: tree)
        let statuses = tree.statuses
        unitID = unit.id
        title = root.title
        unitIsHeading = root.marker == nil
        kind = unit.kind
        details = tree.document.detailText(of: root)
        steps = unit.workItems.enumerated().map { offset, i in
            let entry = nodes[i].entry
            return Step(number: offset + 1, id: entry.id, title: entry.title, details: tree.document.detailText(of: entry),
                        isOptional: entry.isOptional, status: statuses[i],
                        depth: unit.kind == .standalone ? 1 : tree.depth(of: i), isGroup: !nodes[i].isStep,
                        requirements: entry.metadata.requirements, writes: entry.metadata.writes, reads: entry.metadata.reads,
                        blockedReason: entry.metadata.blocked?.reason, isParallel: entry.metadata.isParallel,
                        story: entry.metadata.story)
        }
        completedSteps = unit.workItems.filter { nodes[$0].isStep && statuses[$0] == .completed }.map { nodes[$0].id }
        currentStep = progress.currentStep.map { nodes[$0].id }
        self.spec = spec
        let members = unit.members.map { nodes[$0].entry }
        criticality = members.lazy.compactMap(\.metadata.criticality).first ?? .standard
        agent = root.metadata.agent ?? members.lazy.compactMap(\.metadata.agent).first
        boundary = members.lazy.compactMap(\.metadata.boundary).first
        writes = Self.union(members.map(\.metadata.writes))
        reads = Self.union(members.map(\.metadata.reads))
        requirements = Self.union(members.map(\.metadata.requirements))
        let memberSet = Set(unit.members)
        let outside = unit.members.flatMap { nodes[$0].dependencies }.filter { !memberSet.contains($0) }
        dependencies = Self.union([outside.map { nodes[$0].id }])
        coordinateWith = Self.laterWavePredecessors(of: unit, in: tree)
        self.placement = placement
    }

    private static func union<T: Hashable>(_ lists: [[T]]) -> [T] {
        var seen = Set<T>()
        return lists.joined().filter { seen.insert($0).inserted }
    }

    /// Units with tasks in waves before a step's wave but after the unit's earliest one: the
    /// dependency graph says they come first, whole-unit dispatch cannot enforce it (docs/tasks-format.md, "Barriers and waves").
    private static func laterWavePredecessors(of unit: DispatchUnit, in tree: TaskTree) -> [TaskID] {
        guard let earliest = unit.earliestWave else { return [] }
        let latest = unit.members.compactMap { tree.nodes[$0].wave }.max() ?? earliest
        guard latest > earliest else { return [] }
        let unitIndex = tree.nodes[unit.root].unit
        var result: [TaskID] = []
        for (id, rank) in tree.document.waves where rank >= earliest && rank < latest {
            guard let i = tree.index(of: id), tree.nodes[i].unit != unitIndex else { continue }
            let other = tree.units[tree.nodes[i].unit].id
            if !result.contains(other) { result.append(other) }
        }
        return result.sorted()
    }
}
