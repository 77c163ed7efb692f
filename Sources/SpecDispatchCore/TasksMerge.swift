/// Merges three versions of tasks.md by task id (docs/review-and-merge.md, "tasks.md merges by task id"): the text merges line by line as
/// git would, with checkbox characters taken out of the comparison, so status changes never
/// conflict; each task's status is then chosen by `winner`, and a parent whose subtasks the
/// merge combined (they differ from ours or from theirs) is derived again. Merging a version
/// with itself changes nothing.
public enum TasksMerge {
    /// A line-based three-way merge of bytes (git's, through libgit2, in the application).
    public typealias LineMerge = (_ base: [UInt8], _ ours: [UInt8], _ theirs: [UInt8]) throws -> (content: [UInt8], hasConflicts: Bool)

    public struct Result: Sendable, Equatable {
        public var content: [UInt8]
        /// Non-status text changed on both sides: conflict markers are in `content`.
        public var hasConflicts: Bool
    }

    public static func merge(base: [UInt8]?, ours: [UInt8], theirs: [UInt8], options: TasksDocument.Options = .init(),
                             lineMerge: LineMerge) throws -> Result {
        let sides = [base ?? [], ours, theirs].map { (bytes: $0, lines: checkboxLines($0, options)) }
        let text = try lineMerge(neutralized(sides[0].bytes, sides[0].lines), neutralized(sides[1].bytes, sides[1].lines),
                                 neutralized(sides[2].bytes, sides[2].lines))
        let markers = (base: markerBytes(sides[0].bytes, sides[0].lines), ours: markerBytes(sides[1].bytes, sides[1].lines),
                       theirs: markerBytes(sides[2].bytes, sides[2].lines))
        var merged = text.content
        for (offset, id) in checkboxLines(merged, options) {
            merged[offset] = winner(base: markers.base[id], ours: markers.ours[id], theirs: markers.theirs[id]) ?? merged[offset]
        }
        if !text.hasConflicts { merged = rederiveParents(merged, sides: [markers.ours, markers.theirs], options: options) }
        return Result(content: merged, hasConflicts: text.hasConflicts)
    }

    /// The per-task rule: a marker changed on one side wins over the unchanged side; changed on
    /// both sides, the more advanced wins (completed > in progress > not started). Blocking is
    /// a `_Blocked:_` line, merged as text. Nil when no side has the task.
    public static func winner(base: UInt8?, ours: UInt8?, theirs: UInt8?) -> UInt8? {
        guard let ours else { return theirs }
        guard let theirs else { return ours }
        if rank(ours) == rank(theirs) { return ours }
        if let base, rank(base) == rank(ours) { return theirs }
        if let base, rank(base) == rank(theirs) { return ours }
        return rank(ours) > rank(theirs) ? ours : theirs
    }

    /// 0 not started (`[ ]`, `[~]`), 1 in progress, 2 completed.
    static func rank(_ marker: UInt8) -> Int {
        switch Marker(byte: marker) {
        case .completed?: 2
        case .inProgress?: 1
        default: 0
        }
    }

    /// The file with every task's checkbox character (at `lines`, its `checkboxLines`) set to a space.
    static func neutralized(_ bytes: [UInt8], _ lines: [(offset: Int, id: TaskID)]) -> [UInt8] {
        var copy = bytes
        for (offset, _) in lines { copy[offset] = UInt8(ascii: " ") }
        return copy
    }

    /// The checkbox character of each task id (the first occurrence of an id), from its `checkboxLines`.
    static func markerBytes(_ bytes: [UInt8], _ lines: [(offset: Int, id: TaskID)]) -> [TaskID: UInt8] {
        var result: [TaskID: UInt8] = [:]
        for (offset, id) in lines where result[id] == nil { result[id] = bytes[offset] }
        return result
    }

    /// Every task line's marker offset and id, duplicates included (a conflicted merge shows a
    /// task on both sides of the markers, and both get the merged status).
    static func checkboxLines(_ bytes: [UInt8], _ options: TasksDocument.Options) -> [(offset: Int, id: TaskID)] {
        TasksParser.parse(bytes, options: options).tasks.compactMap { node in
            if case .checkbox(_, let offset) = node.entry.origin { return (offset, node.id) }
            return nil
        }
    }

    /// Parents whose subtasks' statuses differ from either side's get their checkbox derived
    /// again, children first, so a parent sees its re-derived subtasks.
    private static func rederiveParents(_ bytes: [UInt8], sides: [[TaskID: UInt8]], options: TasksDocument.Options) -> [UInt8] {
        let tree = TaskTree(bytes: bytes, options: options)
        var derived: [Int: TaskStatus] = [:]
        var edits: [TextEdit] = []
        func visit(_ i: Int) {
            let node = tree.nodes[i]
            node.children.forEach(visit)
            guard !node.isStep else { return }
            let combined = tree.descendants(of: i).contains { d in
                guard tree.nodes[d].entry.marker != nil else { return false }
                let merged = markerAt(tree, d)
                return sides.contains { side in side[tree.nodes[d].id].map(rank) != merged }
            }
            guard combined else { return }
            let status = StatusDerivation.parentStatus(children: node.children.map { (derived[$0] ?? tree.statuses[$0], tree.nodes[$0].entry.isOptional) })
            derived[i] = status
            if let edit = StatusEditor.setCheckbox(of: node.entry, to: status.checkbox, tilde: options.tilde) { edits.append(edit) }
        }
        for unit in tree.units { visit(unit.root) }
        return TextEdit.apply(edits, to: bytes)
    }

    private static func markerAt(_ tree: TaskTree, _ index: Int) -> Int {
        guard case .checkbox(_, let offset) = tree.nodes[index].entry.origin else { return 0 }
        return rank(tree.document.bytes[offset])
    }
}
