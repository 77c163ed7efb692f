import CLibGit2

/// The content of a file as git stores it.
public struct Blob: Sendable, Equatable {
    /// The blob's object id.
    public let id: ObjectID
    /// The exact bytes (no line-ending or filter conversion).
    public let bytes: [UInt8]
    /// Committed as a symbolic link: the bytes are the link's target, not a file's content.
    public let isSymbolicLink: Bool

    /// A blob from its parts.
    public init(id: ObjectID, bytes: [UInt8], isSymbolicLink: Bool = false) {
        self.id = id
        self.bytes = bytes
        self.isSymbolicLink = isSymbolicLink
    }
}

/// One entry of a git tree.
public struct TreeEntry: Sendable, Equatable {
    /// What an entry points at.
    public enum Kind: Sendable, Equatable {
        case blob, tree
        /// A submodule (gitlink) commit.
        case commit
        case other
    }

    /// The entry's file name (one path component).
    public let name: String
    /// The object it points at.
    public let id: ObjectID
    /// The kind of object.
    public let kind: Kind
    /// The git file mode, e.g. 0o100644, 0o100755, 0o120000, 0o40000, 0o160000.
    public let mode: UInt32

    /// An entry from its parts.
    public init(name: String, id: ObjectID, kind: Kind, mode: UInt32) {
        self.name = name
        self.id = id
        self.kind = kind
        self.mode = mode
    }
}

extension Repository {
    /// The blob at `path` (e.g. `docs/spec.md`) in `commit`'s tree; nil when absent; `.directory` error when it is a tree.
    public func blob(atPath path: String, inCommit commit: ObjectID) throws(GitError) -> Blob? {
        guard let (id, mode) = try blobEntry(atPath: path, inCommit: commit) else { return nil }
        return Blob(id: id, bytes: try blob(id), isSymbolicLink: mode == GIT_FILEMODE_LINK.rawValue)
    }

    /// The id of the blob at `path` in `commit`'s tree, without reading its content (a commit
    /// that leaves a file alone is told by ids alone); nil when absent; `.directory` when a tree.
    public func blobID(atPath path: String, inCommit commit: ObjectID) throws(GitError) -> ObjectID? {
        try blobEntry(atPath: path, inCommit: commit)?.id
    }

    private func blobEntry(atPath path: String, inCommit commit: ObjectID) throws(GitError) -> (id: ObjectID, mode: UInt32)? {
        let tree = try lookupTree(ofCommit: commit)
        defer { git_tree_free(tree) }
        guard let entry = try lookupEntry(path, in: tree) else { return nil }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else {
            throw GitError(
                code: .directory,
                errorClass: Int32(GIT_ERROR_TREE.rawValue),
                message: "'\(path)' in commit \(commit.short) is not a file",
                operation: "blobID(atPath:inCommit:)"
            )
        }
        return (ObjectID(git_tree_entry_id(entry)), git_tree_entry_filemode_raw(entry).rawValue)
    }

    /// The content of the blob `id`.
    public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
        var blob: OpaquePointer?
        var oid = id.oid
        try check(git_blob_lookup(&blob, pointer, &oid), "git_blob_lookup", id.hex)
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        return size == 0 ? [] : Array(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: size))
    }

    /// The entries of the directory `dir` (`""` for the root) in `commit`'s tree, in git's order; empty when absent.
    public func treeEntries(atPath dir: String, inCommit commit: ObjectID) throws(GitError) -> [TreeEntry] {
        let root = try lookupTree(ofCommit: commit)
        defer { git_tree_free(root) }
        let trimmed = withoutTrailingSlash(dir)
        if trimmed.isEmpty || trimmed == "/" {
            return entries(of: root)
        }
        guard let entry = try lookupEntry(trimmed, in: root) else { return [] }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else {
            throw GitError(
                code: .invalid,
                errorClass: Int32(GIT_ERROR_TREE.rawValue),
                message: "'\(dir)' in commit \(commit.short) is not a directory",
                operation: "treeEntries(atPath:inCommit:)"
            )
        }
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, git_tree_entry_id(entry)), "git_tree_lookup", dir)
        defer { git_tree_free(tree) }
        return entries(of: tree)
    }

    /// The id `bytes` would have as a blob, without writing anything.
    public func hashBlob(_ bytes: [UInt8]) -> ObjectID {
        var oid = git_oid()
        // git_odb_hash rejects a null data pointer, which an empty array may have.
        let storage = bytes.isEmpty ? [0] : bytes
        let result = storage.withUnsafeBytes { buffer in
            git_odb_hash(&oid, buffer.baseAddress, bytes.count, GIT_OBJECT_BLOB)
        }
        precondition(result == 0, "git_odb_hash cannot fail for an in-memory blob")
        return ObjectID(oid)
    }

    /// Writes `bytes` as a blob into the object database.
    public func writeBlob(_ bytes: [UInt8]) throws(GitError) -> ObjectID {
        var oid = git_oid()
        let result = bytes.withUnsafeBytes { buffer in
            git_blob_create_from_buffer(&oid, pointer, buffer.baseAddress, buffer.count)
        }
        try check(result, "git_blob_create_from_buffer")
        return ObjectID(oid)
    }

    /// The root tree of `commit`.
    public func tree(of commit: ObjectID) throws(GitError) -> ObjectID {
        var object: OpaquePointer?
        var oid = commit.oid
        try check(git_commit_lookup(&object, pointer, &oid), "git_commit_lookup", commit.hex)
        defer { git_commit_free(object) }
        return ObjectID(git_commit_tree_id(object)!)
    }

    /// The root tree of `commit`, to be freed by the caller.
    func lookupTree(ofCommit commit: ObjectID) throws(GitError) -> OpaquePointer? {
        var object: OpaquePointer?
        var oid = commit.oid
        try check(git_commit_lookup(&object, pointer, &oid), "git_commit_lookup", commit.hex)
        defer { git_commit_free(object) }
        var tree: OpaquePointer?
        try check(git_commit_tree(&tree, object), "git_commit_tree", commit.hex)
        return tree
    }

    /// The entry at `path` below `tree` (to be freed by the caller); nil when absent.
    private func lookupEntry(_ path: String, in tree: OpaquePointer?) throws(GitError) -> OpaquePointer? {
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, tree, path)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return nil
        }
        try check(result, "git_tree_entry_bypath", path)
        return entry
    }

    private func entries(of tree: OpaquePointer?) -> [TreeEntry] {
        let count = git_tree_entrycount(tree)
        var result: [TreeEntry] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let kind: TreeEntry.Kind = switch git_tree_entry_type(entry) {
            case GIT_OBJECT_BLOB: .blob
            case GIT_OBJECT_TREE: .tree
            case GIT_OBJECT_COMMIT: .commit
            default: .other
            }
            result.append(TreeEntry(
                name: String(cString: git_tree_entry_name(entry)),
                id: ObjectID(git_tree_entry_id(entry)!),
                kind: kind,
                mode: git_tree_entry_filemode_raw(entry).rawValue
            ))
        }
        return result
    }
}
