/// Finds dependency cycles with Tarjan's strongly connected components. A task's completion
/// needs its children's, so parent → child is an edge too: `1.2` depending on `1` is a cycle.
enum DependencyCycles {
    static func report(in nodes: [TaskNode], into diagnostics: inout [Diagnostic]) {
        guard nodes.contains(where: { !$0.dependencies.isEmpty }) else { return }
        let edges = nodes.map { $0.dependencies + $0.children }
        for component in components(edges) {
            diagnostics.append(diagnostic(path(through: component, edges: edges), nodes: nodes) { nodes[$0].id.description })
        }
    }

    /// Units that wait for each other. A unit starts only when every dependency of its tasks
    /// outside it is met, so each open unit is a node too, which its tasks wait for and which
    /// waits for those dependencies: `T001` depending on `T002` of a later phase, which waits for
    /// `T001`'s phase, can never start. Completed tasks wait for nothing, so a finished unit
    /// closes no cycle. Cycles among tasks alone are `report`'s.
    static func unitDeadlocks(in tree: TaskTree) -> [Diagnostic] {
        let nodes = tree.nodes
        guard nodes.contains(where: { !$0.dependencies.isEmpty }) else { return [] }
        let n = nodes.count
        let open = nodes.indices.map { tree.statuses[$0] != .completed }
        var edges = nodes.indices.map { i in open[i] ? (nodes[i].dependencies + nodes[i].children).filter { open[$0] } : [] }
        var unitWaits = [[Int]](repeating: [], count: tree.units.count)
        for (i, node) in nodes.enumerated() where open[i] {
            edges[i].append(n + node.unit)
            unitWaits[node.unit] += node.dependencies.filter { open[$0] && nodes[$0].unit != node.unit }
        }
        edges += unitWaits
        // Cycles among tasks alone are reported already, whatever the units.
        let taskCycles = Set(components(nodes.map { $0.dependencies + $0.children }).joined())
        return components(edges).filter { $0.contains { $0 >= n } && !$0.contains(where: taskCycles.contains) }.map { component in
            diagnostic(path(through: component, edges: edges), nodes: nodes) { i in
                i < n ? nodes[i].id.description : "unit \(tree.units[i - n].id)"
            }
        }
    }

    private static func diagnostic(_ cycle: [Int], nodes: [TaskNode], name: (Int) -> String) -> Diagnostic {
        let names = (cycle + [cycle[0]]).map(name).joined(separator: " → ")
        return Diagnostic(.error, line: nodes[cycle[0]].entry.line, code: "dependency-cycle", "dependency cycle: \(names)")
    }

    /// Strongly connected components with more than one node or a self-loop, iteratively.
    private static func components(_ edges: [[Int]]) -> [[Int]] {
        let n = edges.count
        var order = [Int](repeating: -1, count: n), low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = [], result: [[Int]] = []
        var counter = 0
        for start in 0..<n where order[start] < 0 {
            var work: [(node: Int, edge: Int)] = [(start, 0)]
            order[start] = counter; low[start] = counter; counter += 1
            stack.append(start); onStack[start] = true
            while let (v, e) = work.last {
                if e < edges[v].count {
                    work[work.count - 1].edge += 1
                    let w = edges[v][e]
                    if order[w] < 0 {
                        order[w] = counter; low[w] = counter; counter += 1
                        stack.append(w); onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], order[w])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.node { low[parent] = min(low[parent], low[v]) }
                guard low[v] == order[v] else { continue }
                var component: [Int] = []
                while let w = stack.popLast() {
                    onStack[w] = false
                    component.append(w)
                    if w == v { break }
                }
                if component.count > 1 || edges[v].contains(v) { result.append(component) }
            }
        }
        return result
    }

    /// One concrete cycle inside a component, starting at its earliest node, for the message.
    private static func path(through component: [Int], edges: [[Int]]) -> [Int] {
        let members = Set(component)
        let start = component.min()!
        var previous: [Int: Int] = [:]
        var queue = [start], head = 0
        while head < queue.count {
            let v = queue[head]; head += 1
            for w in edges[v] where members.contains(w) {
                if w == start {
                    var cycle = [v]
                    while let p = previous[cycle[0]] { cycle.insert(p, at: 0) }
                    return cycle
                }
                if previous[w] == nil, w != start {
                    previous[w] = v
                    queue.append(w)
                }
            }
        }
        return [start]
    }
}
