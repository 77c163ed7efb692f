/// Orders a unit's steps (DESIGN §2–§3): by wave, then by the unit's inner dependencies, then
/// by id depth-first. Intermediate parents come right before their first leaf.
enum StepOrder {
    static func order(_ unit: DispatchUnit, in nodes: [TaskNode]) -> DispatchUnit {
        var unit = unit
        unit.earliestWave = unit.members.compactMap { nodes[$0].wave }.min()
        guard !unit.steps.isEmpty else { return unit }
        let leaves = unit.steps.filter { nodes[$0].isLeaf }
        let hasWaves = unit.steps.contains { nodes[$0].wave != nil }
        let inner = innerEdges(unit, leaves: leaves, nodes: nodes)
        guard hasWaves || !inner.isEmpty else { return unit }

        var key: [Int: (wave: Int, position: Int)] = [:]
        var running = nodes[unit.root].wave ?? 0
        for (position, leaf) in leaves.enumerated() {
            running = nodes[leaf].wave ?? running
            key[leaf] = (running, position)
        }
        let ordered = topologicalOrder(leaves, edges: inner, key: { key[$0]! })
        var emitted = Set<Int>()
        var steps: [Int] = []
        for leaf in ordered {
            var chain: [Int] = []
            var p = nodes[leaf].parent
            while let q = p, q != unit.root {
                chain.append(q)
                p = nodes[q].parent
            }
            for ancestor in chain.reversed() where emitted.insert(ancestor).inserted { steps.append(ancestor) }
            steps.append(leaf)
        }
        unit.steps = steps
        return unit
    }

    /// Edges "a before b" between leaves, from dependencies inside the unit; a dependency on an
    /// intermediate parent means all of its leaves, and a parent's dependency applies to its leaves.
    private static func innerEdges(_ unit: DispatchUnit, leaves: [Int], nodes: [TaskNode]) -> [(Int, Int)] {
        let view = TaskTreeView(nodes: nodes)
        let memberSet = Set(unit.steps)
        func leavesUnder(_ i: Int) -> [Int] {
            nodes[i].isLeaf ? [i] : view.descendants(of: i).filter { nodes[$0].isLeaf }
        }
        var edges: [(Int, Int)] = []
        for step in unit.steps {
            for dependency in nodes[step].dependencies where memberSet.contains(dependency) {
                for before in leavesUnder(dependency) {
                    for after in leavesUnder(step) where before != after { edges.append((before, after)) }
                }
            }
        }
        return edges
    }

    /// Kahn's algorithm taking the smallest key first; nodes left in a cycle follow in key order.
    private static func topologicalOrder(_ items: [Int], edges: [(Int, Int)],
                                         key: @escaping (Int) -> (wave: Int, position: Int)) -> [Int] {
        var indegree: [Int: Int] = [:]
        var successors: [Int: [Int]] = [:]
        for (a, b) in edges {
            indegree[b, default: 0] += 1
            successors[a, default: []].append(b)
        }
        let less = { (a: Int, b: Int) in key(a) < key(b) }
        var available = items.filter { indegree[$0, default: 0] == 0 }.sorted(by: less)
        var result: [Int] = []
        var done = Set<Int>()
        while !available.isEmpty {
            let next = available.removeFirst()
            result.append(next)
            done.insert(next)
            for s in successors[next] ?? [] {
                indegree[s]! -= 1
                if indegree[s] == 0 {
                    let at = available.firstIndex(where: { less(s, $0) }) ?? available.count
                    available.insert(s, at: at)
                }
            }
        }
        result += items.filter { !done.contains($0) }.sorted(by: less)
        return result
    }
}
