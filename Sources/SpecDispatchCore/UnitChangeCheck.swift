/// What a commit in a unit's window may change in tasks.md: its own unit's tasks, and text that
/// belongs to no task. Changing another unit's tasks (their lines, their detail lines, adding or
/// removing them) would collide with that unit's window, so the hook refuses it.
public enum UnitChangeCheck {
    /// Ids of tasks outside `unitID` that differ between `old` and `new`.
    public static func foreignChanges(unit unitID: TaskID, old: TaskTree, new: TaskTree) -> [TaskID] {
        let oldTasks = blocks(old, excluding: unitID)
        let newTasks = blocks(new, excluding: unitID)
        let ids = Set(oldTasks.keys).union(newTasks.keys)
        return ids.filter { oldTasks[$0] != newTasks[$0] }.sorted()
    }

    /// The foreign changes as `path:line:` findings, at the task's line on the new side (or on
    /// the old side, for a task the change removed): what `merge` shows when it refuses a branch
    /// whose tasks.md changed other units' tasks (a commit made with `--no-verify`).
    public static func foreignChangeDiagnostics(unit unitID: TaskID, old: TaskTree, new: TaskTree) -> [Diagnostic] {
        foreignChanges(unit: unitID, old: old, new: new).map { id in
            if let node = new.node(id) {
                let verb = old.node(id) == nil ? "added" : "changed"
                return Diagnostic(.error, line: node.entry.line, code: "foreign-task-change",
                                  "task \(id) was \(verb) on the branch of unit \(unitID), which may change only its own tasks")
            }
            return Diagnostic(.error, line: old.node(id).map(\.entry.line), code: "foreign-task-change",
                              "task \(id) (this line of the base) was removed on the branch of unit \(unitID), which may change only its own tasks")
        }
    }

    /// Each task outside the unit, as its task line and detail lines (exact bytes); a heading
    /// standing in as a parent, as its line and its `_Blocked:_` line (the only detail it has).
    private static func blocks(_ tree: TaskTree, excluding unitID: TaskID) -> [TaskID: [UInt8]] {
        var result: [TaskID: [UInt8]] = [:]
        for node in tree.nodes where tree.units[node.unit].id != unitID {
            let document = tree.document
            let first = document.lines[node.entry.lineIndex]
            let last = node.entry.detailLines.isEmpty ? first : document.lines[node.entry.detailLines.upperBound - 1]
            var bytes = Array(document.bytes[first.start..<last.end])
            if node.entry.origin == .heading, let block = node.entry.metadata.blocked {
                let line = document.lines[block.lineIndex]
                bytes += [0x0A] + document.bytes[line.start..<line.end]
            }
            result[node.id] = bytes
        }
        return result
    }
}
