import CLibGit2

/// Line counts of a change between two trees, as `git diff --numstat --no-renames` reports them.
public struct DiffStat: Sendable {
    /// How many files differ.
    public let filesChanged: Int
    /// Lines added in all files.
    public let insertions: Int
    /// Lines removed in all files.
    public let deletions: Int
    /// Per-file counts, sorted by path (binary files count 0 lines).
    public let files: [(path: String, insertions: Int, deletions: Int)]

    /// Counts from their parts.
    public init(filesChanged: Int, insertions: Int, deletions: Int, files: [(path: String, insertions: Int, deletions: Int)]) {
        self.filesChanged = filesChanged
        self.insertions = insertions
        self.deletions = deletions
        self.files = files
    }
}

extension Repository {
    /// Line counts of the change from `oldTree` (nil: the empty tree) to `newTree`; commit ids are accepted for trees.
    public func diffStat(from oldTree: ObjectID?, to newTree: ObjectID) throws(GitError) -> DiffStat {
        let diff = try treeDiff(from: oldTree, to: newTree)
        defer { git_diff_free(diff) }
        var files: [(path: String, insertions: Int, deletions: Int)] = []
        for index in 0..<git_diff_num_deltas(diff) {
            var patch: OpaquePointer?
            try check(git_patch_from_diff(&patch, diff, index), "git_patch_from_diff")
            defer { git_patch_free(patch) }
            var context = 0, additions = 0, deletions = 0
            try check(git_patch_line_stats(&context, &additions, &deletions, patch), "git_patch_line_stats")
            files.append((path: path(of: git_diff_get_delta(diff, index)), insertions: additions, deletions: deletions))
        }
        return DiffStat(
            filesChanged: files.count,
            insertions: files.reduce(0) { $0 + $1.insertions },
            deletions: files.reduce(0) { $0 + $1.deletions },
            files: files
        )
    }

    /// The paths that differ between `oldTree` (nil: the empty tree) and `newTree`, sorted; commit ids are accepted for trees.
    public func changedPaths(from oldTree: ObjectID?, to newTree: ObjectID) throws(GitError) -> [String] {
        let diff = try treeDiff(from: oldTree, to: newTree)
        defer { git_diff_free(diff) }
        return (0..<git_diff_num_deltas(diff)).map { path(of: git_diff_get_delta(diff, $0)) }
    }

    private func treeDiff(from oldTree: ObjectID?, to newTree: ObjectID) throws(GitError) -> OpaquePointer? {
        let old = try oldTree.flatMap { (id) throws(GitError) in try lookupTree(id) }
        defer { git_tree_free(old) }
        let new = try lookupTree(newTree)
        defer { git_tree_free(new) }
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, pointer, old, new, &options), "git_diff_tree_to_tree")
        return diff
    }

    /// The tree `id` names, peeling a commit to its tree; to be freed by the caller.
    private func lookupTree(_ id: ObjectID) throws(GitError) -> OpaquePointer? {
        var object: OpaquePointer?
        var oid = id.oid
        try check(git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY), "git_object_lookup", id.hex)
        defer { git_object_free(object) }
        var tree: OpaquePointer?
        try check(git_object_peel(&tree, object, GIT_OBJECT_TREE), "git_object_peel", id.hex)
        return tree
    }

    private func path(of delta: UnsafePointer<git_diff_delta>?) -> String {
        guard let delta else { return "" }
        return String(libgit2: delta.pointee.new_file.path) ?? String(libgit2: delta.pointee.old_file.path) ?? ""
    }
}
