import CLibGit2

/// What HEAD points at.
public enum Head: Sendable, Equatable {
    /// A branch with commits: its full name (`refs/heads/x`) and tip.
    case branch(name: String, commit: ObjectID)
    /// A commit, with no branch.
    case detached(commit: ObjectID)
    /// A branch that has no commit yet (full name).
    case unborn(branch: String)
}

extension Repository {
    /// HEAD of this repository (of the linked worktree when opened from one).
    public func head() throws(GitError) -> Head {
        var reference: OpaquePointer?
        try check(git_reference_lookup(&reference, pointer, "HEAD"), "git_reference_lookup", "HEAD")
        defer { git_reference_free(reference) }
        guard git_reference_type(reference) == GIT_REFERENCE_SYMBOLIC else {
            return .detached(commit: ObjectID(git_reference_target(reference)!))
        }
        let branch = String(cString: git_reference_symbolic_target(reference))
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, branch)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return .unborn(branch: branch)
        }
        try check(result, "git_reference_name_to_id", branch)
        return .branch(name: branch, commit: ObjectID(oid))
    }

    /// HEAD of the main working tree, even when this repository was opened from a linked worktree.
    public func mainWorktreeHead() throws(GitError) -> Head {
        // git_repository_head_for_worktree only knows linked worktrees, so read HEAD through the common dir.
        try mainRepository().head()
    }

    /// The main worktree's working directory; nil when the main repository is bare (or cannot be opened).
    public func mainWorktreePath() -> String? {
        guard isLinkedWorktree else { return workingDirectory }
        return (try? mainRepository())?.workingDirectory
    }
}
