import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Repository {
    /// True when the working tree has an index file. A checkout writes it last, so a worktree
    /// without one was interrupted while its files were being written.
    public var hasIndexFile: Bool {
        FileSystem.kind(of: gitDirectory + "/index") == .other
    }

    /// Records the uncommitted state of the working tree as commits, the way `git stash create`
    /// does, without touching the working tree, the index or any ref: a commit of the index on
    /// top of HEAD, and a commit of the working tree (untracked files included, ignored ones not)
    /// whose parents are HEAD and that index commit, so `git stash apply <id>` brings it back.
    /// Nil when nothing differs from HEAD.
    public func snapshotUncommitted(message: String, signature: Signature) throws(GitError) -> ObjectID? {
        guard let root = workingDirectory else { return nil }
        let head: ObjectID
        switch try self.head() {
        case .branch(_, let commit), .detached(let commit): head = commit
        case .unborn: return nil
        }
        let entries = try statusEntries(includeUntracked: true, eachFile: true)
        guard !entries.isEmpty else { return nil }
        let headTree = try tree(of: head)
        // An index with conflicts (or none at all) has no tree of its own: HEAD's stands for it.
        let indexTree = hasIndexFile ? ((try? writeIndexTree()) ?? headTree) : headTree
        var updates: [(path: String, blob: ObjectID?, mode: UInt32)] = []
        for entry in entries {
            let file = root + "/" + entry.path
            var info = stat()
            if lstat(file, &info) != 0 {
                if try blobIDIfFile(atPath: entry.path, inCommit: head) != nil { updates.append((entry.path, nil, 0)) }
                continue
            }
            let kind = info.st_mode & S_IFMT
            guard kind == S_IFREG || kind == S_IFLNK else { continue }
            var oid = git_oid()
            try check(git_blob_create_from_workdir(&oid, pointer, entry.path), "git_blob_create_from_workdir", entry.path)
            let mode = kind == S_IFLNK ? GIT_FILEMODE_LINK.rawValue
                : (info.st_mode & 0o111) != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE.rawValue : GIT_FILEMODE_BLOB.rawValue
            updates.append((entry.path, ObjectID(oid), mode))
        }
        let workTree = try updatedTree(headTree, updates)
        let indexCommit = try createCommit(tree: indexTree, parents: [head], message: "index on \(message)",
                                           author: signature, committer: signature)
        return try createCommit(tree: workTree, parents: [head, indexCommit], message: message,
                                author: signature, committer: signature)
    }

    /// The blob id at `path` in `commit`, nil when absent or not a file.
    private func blobIDIfFile(atPath path: String, inCommit commit: ObjectID) throws(GitError) -> ObjectID? {
        do {
            return try blobID(atPath: path, inCommit: commit)
        } catch where error.code == .directory {
            return nil
        }
    }

    /// `tree` with each path set to its blob (a nil blob removes the path).
    private func updatedTree(_ tree: ObjectID, _ updates: [(path: String, blob: ObjectID?, mode: UInt32)]) throws(GitError) -> ObjectID {
        var baseline: OpaquePointer?
        var treeOID = tree.oid
        try check(git_tree_lookup(&baseline, pointer, &treeOID), "git_tree_lookup", tree.hex)
        defer { git_tree_free(baseline) }
        let paths = updates.map { duplicate($0.path) }
        defer { paths.forEach { free($0) } }
        var list = updates.enumerated().map { index, update in
            var item = git_tree_update()
            item.action = update.blob == nil ? GIT_TREE_UPDATE_REMOVE : GIT_TREE_UPDATE_UPSERT
            item.id = (update.blob ?? .zero).oid
            item.filemode = git_filemode_t(update.mode)
            item.path = UnsafePointer(paths[index])
            return item
        }
        var written = git_oid()
        try check(git_tree_create_updated(&written, pointer, baseline, list.count, &list), "git_tree_create_updated")
        return ObjectID(written)
    }
}
