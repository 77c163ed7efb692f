/// Orders a unit's steps (docs/units.md, "Step order"): by wave, then by the unit's inner dependencies, then
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

        // Leaves are numbered by position, so the sort below works on arrays, not dictionaries.
        var position: [Int: Int] = [:]
        position.reserveCapacity(leaves.count)
        var waveOf: [Int] = []
        waveOf.reserveCapacity(leaves.count)
        var running = nodes[unit.root].wave ?? 0
        for (p, leaf) in leaves.enumerated() {
            running = nodes[leaf].wave ?? running
            waveOf.append(running)
            position[leaf] = p
        }
        let edges = inner.map { (position[$0.0]!, position[$0.1]!) }
        let ordered = topologicalOrder(count: leaves.count, edges: edges, wave: waveOf).map { leaves[$0] }
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

    /// Kahn's algorithm over positions `0..<count`, taking the smallest (wave, position) first;
    /// positions left in a cycle follow in that order.
    private static func topologicalOrder(count: Int, edges: [(Int, Int)], wave: [Int]) -> [Int] {
        var indegree = [Int](repeating: 0, count: count)
        var successors = [[Int]](repeating: [], count: count)
        for (a, b) in edges {
            indegree[b] += 1
            successors[a].append(b)
        }
        let less = { (a: Int, b: Int) in (wave[a], a) < (wave[b], b) }
        var available = (0..<count).filter { indegree[$0] == 0 }.sorted(by: less)
        var result: [Int] = []
        result.reserveCapacity(count)
        var done = [Bool](repeating: false, count: count)
        var next = 0
        while next < available.count {
            let item = available[next]
            next += 1
            result.append(item)
            done[item] = true
            for s in successors[item] {
                indegree[s] -= 1
                if indegree[s] == 0 {
                    let at = available[next...].firstIndex(where: { less(s, $0) }) ?? available.count
                    available.insert(s, at: at)
                }
            }
        }
        result += (0..<count).filter { !done[$0] }.sorted(by: less)
        return result
    }
}
