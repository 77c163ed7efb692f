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
    /// outside it is met, and a task of a unit that has not started cannot be met: so units
    /// whose tasks wait for each other's never start. `T001` of Setup depending on `T002` of a
    /// later phase, which waits for Setup, is such a cycle. Completed units and completed
    /// dependencies wait for nothing. Checked on units, not tasks (ten times fewer nodes); left
    /// out when tasks alone form a cycle, which is reported already and must be fixed first.
    static func unitDeadlocks(in tree: TaskTree) -> [Diagnostic] {
        let nodes = tree.nodes
        let count = tree.units.count
        guard !tree.diagnostics.contains(where: { $0.code == "dependency-cycle" }) else { return [] }
        var edges = [[Int]](repeating: [], count: count)
        // For each edge, the task and the dependency that make it, for the message.
        var witness: [Int: (task: Int, dependency: Int)] = [:]
        for (i, node) in nodes.enumerated() where !node.dependencies.isEmpty && tree.statuses[tree.units[node.unit].root] != .completed {
            for d in node.dependencies where nodes[d].unit != node.unit && tree.statuses[d] != .completed {
                let key = node.unit * count + nodes[d].unit
                guard witness[key] == nil else { continue }
                witness[key] = (i, d)
                edges[node.unit].append(nodes[d].unit)
            }
        }
        guard !witness.isEmpty else { return [] }
        return components(edges).map { component in
            let cycle = path(through: component, edges: edges)
            let links = zip(cycle, Array(cycle.dropFirst()) + [cycle[0]]).map { witness[$0 * count + $1]! }
            let units = (cycle + [cycle[0]]).map { tree.units[$0].id.description }.joined(separator: " → ")
            let because = links.map { "\(nodes[$0.task].id) waits for \(nodes[$0.dependency].id)" }.joined(separator: ", ")
            return Diagnostic(.error, line: nodes[links[0].task].entry.line, code: "dependency-cycle",
                              "dependency cycle between units \(units): \(because)")
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
