import CLibGit2

extension Repository {
    /// Stages the working-tree state of `paths` (a missing file is staged as deleted), then writes the index.
    public func stage(paths: [String]) throws(GitError) {
        let index = try openIndex()
        defer { git_index_free(index) }
        for path in paths {
            let result = git_index_add_bypath(index, path)
            if isCode(result, GIT_ENOTFOUND) {
                forgetError()
                try check(git_index_remove_bypath(index, path), "git_index_remove_bypath", path)
            } else {
                try check(result, "git_index_add_bypath", path)
            }
        }
        try check(git_index_write(index), "git_index_write")
    }

    /// Stages `contents` as `path` (a new blob, stage 0) without reading or touching the working
    /// file, then writes the index: for content that differs from what is on disk.
    public func stage(path: String, contents: [UInt8], mode: FileMode = .regular) throws(GitError) {
        let index = try openIndex()
        defer { git_index_free(index) }
        var entry = git_index_entry()
        entry.mode = mode.rawValue
        let result = path.withCString { cPath in
            entry.path = cPath
            return contents.withUnsafeBytes { git_index_add_from_buffer(index, &entry, $0.baseAddress, $0.count) }
        }
        try check(result, "git_index_add_from_buffer", path)
        try check(git_index_write(index), "git_index_write")
    }

    /// Writes the index as a tree (no conflicts allowed) and returns its id.
    public func writeIndexTree() throws(GitError) -> ObjectID {
        let index = try openIndex()
        defer { git_index_free(index) }
        var oid = git_oid()
        try check(git_index_write_tree(&oid, index), "git_index_write_tree")
        return ObjectID(oid)
    }

    /// The blob id staged (stage 0) for `path`; nil when the index has no such entry.
    public func indexEntryID(path: String) throws(GitError) -> ObjectID? {
        let index = try openIndex()
        defer { git_index_free(index) }
        return git_index_get_bypath(index, path, 0).map { ObjectID($0.pointee.id) }
    }

    /// The repository's index, re-read from disk if another process changed it; to be freed by the caller.
    private func openIndex() throws(GitError) -> OpaquePointer? {
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "git_repository_index")
        let result = git_index_read(index, 0)
        if result < 0 {
            git_index_free(index)
            try check(result, "git_index_read")
        }
        return index
    }
}
