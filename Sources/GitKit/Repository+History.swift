import CLibGit2

extension Repository {
    /// The commit a revision (`HEAD`, `main~2`, `v1.0`, an id...) names, peeling tags.
    public func resolveCommit(_ revision: String) throws(GitError) -> ObjectID {
        var object: OpaquePointer?
        try check(git_revparse_single(&object, pointer, revision), "git_revparse_single", "revision '\(revision)'")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "git_object_peel", "revision '\(revision)'")
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit)!)
    }

    /// Commits reachable from `tip` but not from `hidden`, newest first (topological, then time order).
    public func commits(from tip: ObjectID, excluding hidden: [ObjectID] = [], limit: Int? = nil) throws(GitError) -> [ObjectID] {
        try commits(from: [tip], excluding: hidden, limit: limit)
    }

    /// Commits reachable from any of `tips` but not from `hidden`, newest first (topological, then time order).
    /// A hidden id that names no commit (a tag of a tree, a missing object) hides nothing: listing too
    /// much is the safe side for callers asking what would be lost.
    public func commits(from tips: [ObjectID], excluding hidden: [ObjectID] = [], limit: Int? = nil) throws(GitError) -> [ObjectID] {
        guard !tips.isEmpty else { return [] }
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue), "git_revwalk_sorting")
        for tip in tips {
            var oid = tip.oid
            try check(git_revwalk_push(walk, &oid), "git_revwalk_push", tip.hex)
        }
        for commit in hidden {
            var oid = commit.oid
            if git_revwalk_hide(walk, &oid) < 0 { forgetError() }
        }
        var result: [ObjectID] = []
        var oid = git_oid()
        while limit.map({ result.count < $0 }) ?? true {
            let status = git_revwalk_next(&oid, walk)
            if isCode(status, GIT_ITEROVER) {
                forgetError()
                break
            }
            try check(status, "git_revwalk_next")
            result.append(ObjectID(oid))
        }
        return result
    }

    /// The best common ancestor of two commits; nil when they share no history.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws(GitError) -> ObjectID? {
        var base = git_oid()
        var first = a.oid, second = b.oid
        let result = git_merge_base(&base, pointer, &first, &second)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return nil
        }
        try check(result, "git_merge_base", "\(a.short) \(b.short)")
        return ObjectID(base)
    }

    /// True when `ancestor` is reachable from `descendant` (or equal to it).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws(GitError) -> Bool {
        if ancestor == descendant { return true }
        var commit = descendant.oid, candidate = ancestor.oid
        return try check(git_graph_descendant_of(pointer, &commit, &candidate), "git_graph_descendant_of") == 1
    }
}
