import CLibGit2

/// The mode of a file entry written into a tree.
public enum FileMode: UInt32, Sendable {
    /// A normal file (0100644).
    case regular = 0o100644
    /// An executable file (0100755).
    case executable = 0o100755
}

extension Repository {
    /// A new tree equal to `tree` except that `path` (`a/b/c.md`, missing folders created) points to `blob`; reads only trees on the path.
    public func writeTree(
        byReplacing path: String,
        with blob: ObjectID,
        mode: FileMode = .regular,
        in tree: ObjectID
    ) throws(GitError) -> ObjectID {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.isEmpty, !components.contains(where: \.isEmpty) else {
            throw GitError(
                code: .invalidSpec, message: "'\(path)' is not a relative file path", operation: "writeTree(byReplacing:with:mode:in:)"
            )
        }
        return try replacing(components[...], in: tree, with: blob, mode: mode, fullPath: path)
    }

    private func replacing(
        _ components: ArraySlice<Substring>,
        in treeID: ObjectID?,
        with blob: ObjectID,
        mode: FileMode,
        fullPath: String
    ) throws(GitError) -> ObjectID {
        var tree: OpaquePointer?
        if let treeID {
            var oid = treeID.oid
            try check(git_tree_lookup(&tree, pointer, &oid), "git_tree_lookup", treeID.hex)
        }
        defer { git_tree_free(tree) }
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, pointer, tree), "git_treebuilder_new", fullPath)
        defer { git_treebuilder_free(builder) }

        let name = String(components.first!)
        let existing = git_treebuilder_get(builder, name)
        let existingIsTree = existing.map { git_tree_entry_type($0) == GIT_OBJECT_TREE } ?? false
        var target: git_oid
        var targetMode: git_filemode_t
        if components.count == 1 {
            guard !existingIsTree else {
                throw notAFile(fullPath, because: "it is a directory")
            }
            target = blob.oid
            targetMode = git_filemode_t(mode.rawValue)
        } else {
            guard existing == nil || existingIsTree else {
                throw notAFile(fullPath, because: "'\(name)' is a file, not a directory")
            }
            let subtree = existing.map { ObjectID(git_tree_entry_id($0)!) }
            target = try replacing(components.dropFirst(), in: subtree, with: blob, mode: mode, fullPath: fullPath).oid
            targetMode = GIT_FILEMODE_TREE
        }
        try check(git_treebuilder_insert(nil, builder, name, &target, targetMode), "git_treebuilder_insert", fullPath)
        var written = git_oid()
        try check(git_treebuilder_write(&written, builder), "git_treebuilder_write", fullPath)
        return ObjectID(written)
    }

    private func notAFile(_ path: String, because reason: String) -> GitError {
        GitError(
            code: .directory,
            errorClass: Int32(GIT_ERROR_TREE.rawValue),
            message: "cannot point '\(path)' at a blob: \(reason)",
            operation: "writeTree(byReplacing:with:mode:in:)"
        )
    }
}

extension Repository {
    /// Writes the empty tree (git's well-known 4b825dc…) and returns its id: the tree of
    /// metadata commits that carry only a message.
    public func writeEmptyTree() throws(GitError) -> ObjectID {
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, pointer, nil), "git_treebuilder_new")
        defer { git_treebuilder_free(builder) }
        var oid = git_oid()
        try check(git_treebuilder_write(&oid, builder), "git_treebuilder_write")
        return ObjectID(oid)
    }
}
