/// Warnings for parents whose own checkbox disagrees with their children (docs/units.md). Common in
/// real files; the user's `[x]` still counts as completed.
enum ParentMarkerWarnings {
    static func find(in tree: TaskTree) -> [Diagnostic] {
        let statuses = tree.statuses
        var warnings: [Diagnostic] = []
        for (i, node) in tree.nodes.enumerated() where !node.isLeaf {
            guard let marker = node.entry.marker, let derived = statuses.derivedFromChildren(i) else { continue }
            if marker == .completed, derived != .completed {
                // Optional steps left open under a completed parent are the normal end of a unit.
                let open = node.children.filter { !tree.nodes[$0].entry.isOptional && statuses[$0] != .completed }
                    .map { tree.nodes[$0].id.description }.joined(separator: ", ")
                guard !open.isEmpty else { continue }
                warnings.append(Diagnostic(.warning, line: node.entry.line, code: "parent-done-children-open",
                    "task \(node.id) is marked [x] while required subtasks are open (\(open)); it counts as completed"))
            } else if marker != .completed, derived == .completed {
                warnings.append(Diagnostic(.warning, line: node.entry.line, code: "parent-not-marked",
                    "every required subtask of \(node.id) is completed but \(node.id) is not marked [x]"))
            }
        }
        return warnings
    }
}
