/// Builds a `TaskTree`: links parents by id (adopting numbered headings where a parent has no
/// checkbox), forms units, resolves dependencies, and reports structural errors.
struct TaskTreeBuilder {
    let document: TasksDocument
    let headings: [NumberedHeading]
    let phases: [PhaseHeading]
    let headingBlocks: [Int: BlockedNote]
    var nodes: [TaskNode] = []
    var index: [TaskID: Int] = [:]
    var diagnostics: [Diagnostic] = []

    /// Takes the parsed nodes over (the parse result is left without them), so linking mutates
    /// the one array the parser filled.
    init(parsed: inout ParsedTasks) {
        document = parsed.document
        headings = parsed.headings
        phases = parsed.phases
        headingBlocks = parsed.headingBlocks
        diagnostics = parsed.diagnostics
        swap(&nodes, &parsed.tasks)
    }

    struct Built {
        var nodes: [TaskNode]
        var units: [DispatchUnit]
        var index: [TaskID: Int]
        var diagnostics: [Diagnostic]
    }

    mutating func build() -> Built {
        addCheckboxTasks()
        linkParents()
        linkPhases()
        markOwnWork()
        let units = formUnits()
        resolveDependencies()
        CheckpointBarriers.add(to: &nodes)
        assignWaves()
        DependencyCycles.report(in: nodes, into: &diagnostics)
        reportMissingIDs()
        let ordered = units.map { StepOrder.order($0, in: nodes) }
        diagnostics.sort { ($0.line ?? 0, $0.severity) < ($1.line ?? 0, $1.severity) }
        return Built(nodes: nodes, units: ordered, index: index, diagnostics: diagnostics)
    }

    /// A file of checkboxes none of which carries an id reads as no plan at all, which is a
    /// mistake to name, not an empty board to show.
    private mutating func reportMissingIDs() {
        // Numbered headings over id-less checkboxes (`### T001 …`, `## Task 1: …`) are a plan
        // numbered another way, which the hint would misdescribe.
        guard nodes.isEmpty, headings.isEmpty, let first = diagnostics.first(where: { $0.code == "checkbox-without-id" }) else { return }
        diagnostics.append(Diagnostic(.error, line: first.line, code: "no-task-ids",
            "no task ids found: number the tasks, as in '- [ ] 1. Title' and '- [ ] 1.1 Step' (or Spec Kit's '- [ ] T001 Title')"))
    }

    /// Indexes the nodes by id; a repeated id is an error and its later occurrences leave the tree.
    private mutating func addCheckboxTasks() {
        index.reserveCapacity(nodes.count)
        var duplicates: [Int] = []
        for (i, node) in nodes.enumerated() {
            if let first = index[node.id] {
                diagnostics.append(Diagnostic(.error, line: node.entry.line, code: "duplicate-id",
                    "duplicate task id \(node.id) (first at line \(nodes[first].entry.line))"))
                duplicates.append(i)
            } else {
                index[node.id] = i
            }
        }
        guard !duplicates.isEmpty else { return }
        let dropped = Set(duplicates)
        nodes = nodes.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.id, $0) })
    }

    /// Parents by id; a missing parent is adopted from a numbered heading with its id.
    private mutating func linkParents() {
        var headingsByID: [TaskID: [NumberedHeading]] = [:]
        for heading in headings { headingsByID[heading.entry.id, default: []].append(heading) }
        var i = 0
        while i < nodes.count {
            defer { i += 1 }
            guard let parentID = nodes[i].id.parent else { continue }
            if index[parentID] == nil, let candidates = headingsByID[parentID] {
                index[parentID] = nodes.count
                var heading = adoptedHeading(candidates, firstChildLine: nodes[i].entry.line)
                heading.metadata.blocked = headingBlocks[heading.line]
                nodes.append(TaskNode(entry: heading, parent: nil, children: [], unit: -1, dependencies: []))
            }
            if let p = index[parentID] {
                nodes[i].parent = p
                nodes[p].children.append(i)
            } else {
                diagnostics.append(Diagnostic(.error, line: nodes[i].entry.line, code: "missing-parent",
                    "subtask \(nodes[i].id) has no parent: \(parentID) is neither a task nor a numbered heading"))
            }
        }
        let ids = nodes.map(\.id)
        for i in nodes.indices where nodes[i].children.count > 1 {
            nodes[i].children.sort { ids[$0] < ids[$1] }
        }
    }

    /// Spec Kit: each phase heading is the parent of the tasks under it, in file order, and
    /// waits for the phases before it as PhaseGates says. A Spec Kit task outside the phases
    /// (`## Final Validation`, before the first phase) takes its place in that order as a phase
    /// of its own, so it is not ready before what precedes it.
    private mutating func linkPhases() {
        noteHeadingTasks()
        guard phases.contains(where: { !$0.members.isEmpty }) else { return }
        var nodeAtLine: [Int: Int] = [:]
        for (i, node) in nodes.enumerated() where node.entry.origin != .heading { nodeAtLine[node.entry.line] = i }
        var gated: [(node: Int, isStory: Bool)] = []
        for phase in phases {
            let members = phase.members.compactMap { nodeAtLine[$0] }
            guard !members.isEmpty else { continue }
            let id = phase.entry.id
            let p: Int
            if let existing = index[id] {
                // A heading adopted as a dotted task's parent is this same phase; anything else clashes.
                guard nodes[existing].entry.origin == .heading, nodes[existing].entry.line == phase.entry.line else {
                    diagnostics.append(Diagnostic(.error, line: phase.entry.line, code: "duplicate-id",
                        "phase \(id) has the id of the task or phase at line \(nodes[existing].entry.line); number it apart (its tasks are read as units of their own)"))
                    continue
                }
                p = existing
            } else {
                p = nodes.count
                index[id] = p
                var entry = phase.entry
                entry.metadata.blocked = headingBlocks[entry.line]
                nodes.append(TaskNode(entry: entry, parent: nil, children: [], unit: -1, dependencies: []))
            }
            for member in members where nodes[member].parent == nil {
                nodes[member].parent = p
                nodes[p].children.append(member)
            }
            gated.append((p, PhaseGates.isStory(title: phase.entry.title, tags: members.map { nodes[$0].entry.metadata.story })))
        }
        for i in nodes.indices where nodes[i].parent == nil && nodes[i].entry.origin != .heading && SpecKitTaskLine.isSpecKitID(nodes[i].id) {
            gated.append((i, false))
        }
        gated.sort { nodes[$0.node].entry.line < nodes[$1.node].entry.line }
        for (k, waits) in PhaseGates.waits(isStory: gated.map(\.isStory)).enumerated() {
            let node = gated[k].node
            nodes[node].dependencies += waits.map { gated[$0].node }.filter { !nodes[node].dependencies.contains($0) }
        }
    }

    /// Spec Kit's older layout writes tasks as headings (`### T001 [P] Extend the schemas`),
    /// which have no checkbox where progress could be recorded: one warning says so.
    private mutating func noteHeadingTasks() {
        let lines = phases.flatMap(\.headingTasks)
        guard let first = lines.first else { return }
        let others = lines.count - 1
        diagnostics.append(Diagnostic(.warning, line: first, code: "tasks-as-headings",
            "this plan writes its tasks as headings\(others > 0 ? " (this one and \(others) more)" : ""), which have no checkbox to record progress in; write each as a checkbox line ('- [ ] T001 Title') to dispatch it"))
    }

    /// Of the headings numbering a parent, the nearest before its first subtask (`## Phase 1:
    /// Foundation (Tasks 1-2)` then `### Task 1: Create module structure`: the second), else
    /// the first. Another at the same level numbers the same id just as plainly: a warning.
    private mutating func adoptedHeading(_ candidates: [NumberedHeading], firstChildLine: Int) -> TaskEntry {
        let chosen = candidates.last { $0.entry.line < firstChildLine } ?? candidates[0]
        if let rival = candidates.first(where: { $0.entry.line != chosen.entry.line && $0.level == chosen.level }) {
            let lines = [rival.entry.line, chosen.entry.line].sorted()
            diagnostics.append(Diagnostic(.warning, line: chosen.entry.line, code: "ambiguous-heading",
                "headings at lines \(lines[0]) and \(lines[1]) both number task \(chosen.entry.id); the one at line \(chosen.entry.line), nearest before its subtasks, is its parent"))
        }
        return chosen.entry
    }

    private mutating func markOwnWork() {
        for i in nodes.indices where !nodes[i].children.isEmpty && nodes[i].entry.marker != nil {
            nodes[i].carriesOwnWork = nodes[i].children.allSatisfy { nodes[$0].entry.isOptional }
        }
    }

    /// Every root (top-level task, or a subtask whose parent is missing) forms one unit.
    private mutating func formUnits() -> [DispatchUnit] {
        let roots = nodes.indices.filter { nodes[$0].parent == nil }.sorted { nodes[$0].entry.line < nodes[$1].entry.line }
        // Traverse before mutating: a view alive during `nodes[…] =` would copy the whole array.
        let stepsByRoot = roots.map { TaskTreeView(nodes: nodes).descendants(of: $0) }
        var units: [DispatchUnit] = []
        units.reserveCapacity(roots.count)
        for (root, steps) in zip(roots, stepsByRoot) {
            nodes[root].unit = units.count
            for step in steps { nodes[step].unit = units.count }
            units.append(DispatchUnit(id: nodes[root].id, root: root, steps: steps,
                                      kind: steps.isEmpty ? .standalone : .group, earliestWave: nil,
                                      rootCarriesOwnWork: nodes[root].carriesOwnWork))
        }
        return units
    }

    private mutating func resolveDependencies() {
        for i in nodes.indices {
            for reference in nodes[i].entry.metadata.dependencies {
                guard let target = index[reference.target] else {
                    diagnostics.append(Diagnostic(.error, line: reference.line, code: "missing-dependency",
                        "task \(nodes[i].id) depends on \(reference.target), which does not exist"))
                    continue
                }
                if !nodes[i].dependencies.contains(target) { nodes[i].dependencies.append(target) }
            }
        }
    }

    private mutating func assignWaves() {
        let waves = document.waves
        guard !waves.isEmpty else { return }
        for id in waves.keys where index[id] == nil {
            diagnostics.append(Diagnostic(.warning, line: nil, code: "unknown-graph-task",
                "the task dependency graph names \(id), which is not a task"))
        }
        for i in nodes.indices {
            var j: Int? = i
            while let k = j, waves[nodes[k].id] == nil { j = nodes[k].parent }
            nodes[i].wave = j.flatMap { waves[nodes[$0].id] }
        }
    }
}

/// Read-only traversal over nodes while the tree is being built.
struct TaskTreeView {
    let nodes: [TaskNode]

    func descendants(of index: Int) -> [Int] {
        var result: [Int] = []
        var stack = Array(nodes[index].children.reversed())
        while let next = stack.popLast() {
            result.append(next)
            stack.append(contentsOf: nodes[next].children.reversed())
        }
        return result
    }
}
