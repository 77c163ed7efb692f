/// Which units `next` could take now, and why the others cannot (docs/units.md, "When a unit is ready").
public struct Readiness: Sendable {
    /// What the board knows beyond tasks.md on the base branch.
    public struct Context: Sendable {
        /// Units with an open claim (a dispatch branch or window).
        public var claimedUnits: Set<TaskID>
        /// Tasks the open claims' units hold on their branches: a unit holding one is claimed too,
        /// whatever its id now (a plan renumbered or regrouped after the claim).
        public var claimedTasks: Set<TaskID>
        /// Units whose work is done on their branch, awaiting review or merge.
        public var doneOnBranch: Set<TaskID>
        /// Count `doneOnBranch` units as completed for dependencies (`ready --relaxed`).
        public var relaxed: Bool
        /// Files that open units (of any spec, on any machine) write (`_writes:`), each with the
        /// units writing it (`2`, or `<spec>/2` for another spec's): a unit writing one waits.
        public var openWrites: [String: [String]]

        public init(claimedUnits: Set<TaskID> = [], claimedTasks: Set<TaskID> = [], doneOnBranch: Set<TaskID> = [],
                    relaxed: Bool = false, openWrites: [String: [String]] = [:]) {
            self.claimedUnits = claimedUnits
            self.claimedTasks = claimedTasks
            self.doneOnBranch = doneOnBranch
            self.relaxed = relaxed
            self.openWrites = openWrites
        }
    }

    public enum Reason: Sendable, Equatable {
        case completed
        case optional
        case claimed
        /// Open, and every required step is completed on its branch: awaiting review.
        case pendingReview
        case blocked([BlockedTask])
        /// Marked `[-]` on the base branch: someone works on it outside spec-dispatch.
        case inProgressOutside([TaskID])
        /// Dependencies (outside the unit) not completed on the base branch.
        case waitingFor([TaskID])
        /// Tasks of earlier waves of the dependency graph not completed.
        case waitingForWave(wave: Int, tasks: [TaskID])
        /// It writes files that open units write (`_writes:`): it waits until they merge.
        case writesOpenFiles([OpenFile])
    }

    /// A file a unit writes that open units write too.
    public struct OpenFile: Sendable, Equatable {
        public var path: String
        /// The open units writing it (`2`, or `<spec>/2`).
        public var writers: [String]

        public init(path: String, writers: [String]) {
            self.path = path
            self.writers = writers
        }
    }

    public struct BlockedTask: Sendable, Equatable {
        public var id: TaskID
        public var reason: String?
    }

    /// Per unit, in unit order: empty reasons means ready.
    public let reasons: [[Reason]]

    public init(tree: TaskTree, context: Context = Context()) {
        let waveTasks = Self.tasksByWave(tree)
        // Sorted once: every unit's `_writes:` entries are checked against them, in this order.
        let openFiles = context.openWrites.keys.sorted()
        // A window whose unit is now a task of this one (the plan was regrouped under it), or
        // whose tasks are now in this one (renumbered, as Spec Kit does when it writes the plan
        // again), claims it too: no second window for the same work.
        let claimedIDs = context.claimedTasks.isEmpty ? context.claimedUnits : context.claimedUnits.union(context.claimedTasks)
        reasons = tree.units.map { unit in
            Self.reasons(for: unit, tree: tree, statuses: tree.statuses, openFiles: openFiles, claimedIDs: claimedIDs,
                         context: context, waveTasks: waveTasks)
        }
    }

    public func isReady(_ unitIndex: Int) -> Bool { reasons[unitIndex].isEmpty }

    /// Indices of ready units in unit (file) order.
    public var readyUnits: [Int] { reasons.indices.filter { reasons[$0].isEmpty } }

    private static func reasons(for unit: DispatchUnit, tree: TaskTree, statuses: TaskStatuses, openFiles: [String],
                                claimedIDs: Set<TaskID>, context: Context, waveTasks: [[Int]]) -> [Reason] {
        let root = tree.nodes[unit.root]
        let isClaimed = context.claimedUnits.contains(unit.id)
            || (!claimedIDs.isEmpty && unit.members.contains { claimedIDs.contains(tree.nodes[$0].id) })
        var claimed: [Reason] = isClaimed ? [.claimed] : []
        if !claimed.isEmpty, context.doneOnBranch.contains(unit.id) { claimed.append(.pendingReview) }
        if statuses[unit.root] == .completed { return [.completed] + claimed }
        let members = unit.members
        // A claimed unit's own files are among the open ones; only a free unit can collide.
        var collisions: [Reason] = []
        if claimed.isEmpty, !context.openWrites.isEmpty {
            let files = Set(members.flatMap { tree.nodes[$0].entry.metadata.writes }).sorted()
            let open = files.compactMap { file -> OpenFile? in
                var seen = Set<String>()
                let writers = openFiles.filter { WritePath.overlap(file, $0) }
                    .flatMap { context.openWrites[$0]! }.filter { seen.insert($0).inserted }
                return writers.isEmpty ? nil : OpenFile(path: file, writers: writers)
            }
            if !open.isEmpty { collisions.append(.writesOpenFiles(open)) }
        }
        if root.entry.isOptional { return claimed + [.optional] + collisions }
        var result = claimed
        // Blocked by its own mark (a `_Blocked:_` line, or `[~]` when tilde means blocked), not
        // merely through a blocked child, which is listed itself.
        let tilde = tree.document.options.tilde
        let blocked = members.filter {
            tree.nodes[$0].entry.ownStatus(tilde: tilde) == .blocked
        }
            .map { BlockedTask(id: tree.nodes[$0].id, reason: tree.nodes[$0].entry.metadata.blocked?.reason) }
        if !blocked.isEmpty { result.append(.blocked(blocked)) }
        let marked = members.filter { tree.nodes[$0].entry.marker == .inProgress }.map { tree.nodes[$0].id }
        if !marked.isEmpty { result.append(.inProgressOutside(marked)) }
        // An optional task may never be done: once its unit is completed, what waits on it goes on.
        let satisfied = { (i: Int) in
            statuses[i] == .completed || (context.relaxed && context.doneOnBranch.contains(tree.units[tree.nodes[i].unit].id))
                || (tree.nodes[i].entry.isOptional && statuses[tree.units[tree.nodes[i].unit].root] == .completed)
        }
        var waiting: [Int] = []
        var seen = Set<Int>()
        for member in members {
            for dependency in tree.nodes[member].dependencies
            where tree.nodes[dependency].unit != tree.nodes[member].unit && seen.insert(dependency).inserted {
                if !satisfied(dependency) { waiting.append(dependency) }
            }
        }
        // "waits for 2", not "2, T012" when T012 is in phase 2.
        let unsatisfied = waiting.count > 1 ? Set(waiting) : []
        let outermost = waiting.count < 2 ? waiting : waiting.filter { i in
            var p = tree.nodes[i].parent
            while let q = p {
                if unsatisfied.contains(q) { return false }
                p = tree.nodes[q].parent
            }
            return true
        }
        if !outermost.isEmpty { result.append(.waitingFor(outermost.map { tree.nodes[$0].id })) }
        if let wave = unit.earliestWave {
            let unitIndex = tree.nodes[unit.root].unit
            let pending = waveTasks.prefix(wave).joined()
                .filter { tree.nodes[$0].unit != unitIndex && !satisfied($0) }
                .map { tree.nodes[$0].id }
            if !pending.isEmpty { result.append(.waitingForWave(wave: wave, tasks: pending)) }
        }
        return result + collisions
    }

    /// Node indices of the tasks each wave lists, by wave rank.
    private static func tasksByWave(_ tree: TaskTree) -> [[Int]] {
        guard let last = tree.document.waves.values.max() else { return [] }
        var result = Array(repeating: [Int](), count: last + 1)
        for (id, rank) in tree.document.waves {
            if let i = tree.index(of: id) { result[rank].append(i) }
        }
        return result.map { $0.sorted { tree.nodes[$0].id < tree.nodes[$1].id } }
    }
}
