import GitKit

/// The question the board asks of an approved unit, which writes nothing: would its branch
/// merge into the base? The board asks it rather than the merge itself (UnitMerger), which writes.
enum MergePreview {
    /// Paths other than tasks.md (which merges by task id) where merging `tip` into `base` would
    /// conflict; the merge happens in memory only.
    static func conflicts(mergingTip tip: ObjectID, into base: ObjectID, except tasksPath: String, in repository: Repository) -> [String] {
        guard let isAncestor = try? repository.isAncestor(base, of: tip), !isAncestor,
              let result = try? repository.mergeCommits(ours: base, theirs: tip) else { return [] }
        return result.conflicts.map(\.path).filter { $0 != tasksPath }
    }
}
