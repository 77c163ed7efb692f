import CLibGit2

extension Repository {
    /// Updates working tree and index to `commit`'s tree for `paths` (exact; nil: all); HEAD does
    /// not move. `baseline` is what the working tree is expected to hold (default: HEAD): unless
    /// `force`, files that differ from it abort the checkout with `.conflict`.
    public func checkoutTree(_ commit: ObjectID, baseline: ObjectID? = nil, paths: [String]?, force: Bool) throws(GitError) {
        if let paths, paths.isEmpty { return }
        try withCheckoutTarget(commit, baseline: baseline) { (target, baselineTree) throws(GitError) in
            try withCheckoutOptions(paths: paths, force: force) { (options) throws(GitError) in
                options.pointee.baseline = baselineTree
                try check(git_checkout_tree(pointer, target, options), "git_checkout_tree")
            }
        }
    }

    private func withCheckoutTarget(_ commit: ObjectID, baseline: ObjectID?,
                                    _ body: (OpaquePointer?, OpaquePointer?) throws(GitError) -> Void) throws(GitError) {
        var object: OpaquePointer?
        var oid = commit.oid
        try check(git_object_lookup(&object, pointer, &oid, GIT_OBJECT_COMMIT), "git_object_lookup", commit.hex)
        defer { git_object_free(object) }
        var baselineTree: OpaquePointer?
        if let baseline {
            var commitObject: OpaquePointer?
            var baselineOID = baseline.oid
            try check(git_commit_lookup(&commitObject, pointer, &baselineOID), "git_commit_lookup", baseline.hex)
            defer { git_commit_free(commitObject) }
            try check(git_commit_tree(&baselineTree, commitObject), "git_commit_tree", baseline.hex)
        }
        defer { git_tree_free(baselineTree) }
        try body(object, baselineTree)
    }

    private func withCheckoutOptions(
        paths: [String]?,
        force: Bool,
        _ body: (UnsafeMutablePointer<git_checkout_options>) throws(GitError) -> Void
    ) throws(GitError) {
        var options = git_checkout_options()
        git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
        if force {
            options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
        } else {
            // GIT_CHECKOUT_SAFE alone leaves a missing file missing (a "local deletion"), and silently keeps a modified
            // file that needs no update, so the paths would not match the tree afterwards: refuse those instead.
            // An ignored file (a `.env`) is the user's too, which git would overwrite. libgit2 then skips
            // it without a word, so a caller that must not leave it behind looks for it first.
            options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue | GIT_CHECKOUT_RECREATE_MISSING.rawValue
                | GIT_CHECKOUT_DONT_OVERWRITE_IGNORED.rawValue
            options.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT.rawValue | GIT_CHECKOUT_NOTIFY_DIRTY.rawValue
            options.notify_cb = refuseLocalChanges
        }
        guard let paths else { return try body(&options) }
        options.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH.rawValue
        try withStringArray(paths) { (array) throws(GitError) in
            options.paths = array.pointee
            try body(&options)
        }
    }
}

/// Cancels a safe checkout before it writes anything when a path it covers has local changes.
private let refuseLocalChanges: git_checkout_notify_cb = { why, path, _, _, workdir, _ in
    // A file missing from the working tree is "dirty" too, but GIT_CHECKOUT_RECREATE_MISSING restores it.
    if why == GIT_CHECKOUT_NOTIFY_DIRTY && workdir == nil { return 0 }
    let name = path.map { String(cString: $0) } ?? "a path"
    git_error_set_str(Int32(GIT_ERROR_CHECKOUT.rawValue), "'\(name)' has local changes that the checkout would overwrite")
    return GIT_ECONFLICT.rawValue
}

