/// A task titled "Checkpoint …" is a barrier (docs/tasks-format.md, "Barriers and waves"): it depends on every task before it in
/// the file, and every task after it depends on it.
///
/// Edges are added to the nearest checkpoints only (a checkpoint depends on the tasks since the
/// previous one, and on that one), which is the same order by transitivity and keeps the graph
/// linear in size. Ancestors and descendants of the checkpoint are exempt (a checkpoint heading's
/// own subtasks cannot wait for it), and so are optional tasks, which may never be done.
enum CheckpointBarriers {
    static func add(to nodes: inout [TaskNode]) {
        guard nodes.contains(where: { $0.entry.metadata.isCheckpoint }) else { return }
        let parents = nodes.map(\.parent)
        let isAncestor = { (a: Int, b: Int) -> Bool in
            var p = parents[b]
            while let q = p {
                if q == a { return true }
                p = parents[q]
            }
            return false
        }
        let fileOrder = nodes.indices.sorted { nodes[$0].entry.line < nodes[$1].entry.line }
        var previous: Int?
        var sincePrevious: [Int] = []
        for i in fileOrder {
            let related = { (j: Int) in j == i || isAncestor(j, i) || isAncestor(i, j) }
            if nodes[i].entry.metadata.isCheckpoint {
                var barrier = sincePrevious.filter { !related($0) }
                if let p = previous, !related(p) { barrier.append(p) }
                let explicit = Set(nodes[i].dependencies)
                nodes[i].dependencies += barrier.filter { !explicit.contains($0) }
                previous = i
                sincePrevious = []
            } else {
                if let p = previous, !related(p), !nodes[i].dependencies.contains(p) {
                    nodes[i].dependencies.append(p)
                }
                if !nodes[i].entry.isOptional { sincePrevious.append(i) }
            }
        }
    }
}
