import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

extension Repository {
    /// The operation git has left unfinished in this working tree (`merge`, `rebase`,
    /// `cherry-pick`, `revert`, `bisect`, `am`), nil when there is none.
    public var operationInProgress: String? {
        let state = git_repository_state(pointer)
        switch git_repository_state_t(UInt32(state)) {
        case GIT_REPOSITORY_STATE_NONE: return nil
        case GIT_REPOSITORY_STATE_MERGE: return "merge"
        case GIT_REPOSITORY_STATE_REVERT, GIT_REPOSITORY_STATE_REVERT_SEQUENCE: return "revert"
        case GIT_REPOSITORY_STATE_CHERRYPICK, GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE: return "cherry-pick"
        case GIT_REPOSITORY_STATE_BISECT: return "bisect"
        case GIT_REPOSITORY_STATE_APPLY_MAILBOX, GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE: return "am"
        default: return "rebase"
        }
    }

    /// The id `path` (relative to the working directory) would have as a blob, with the
    /// repository's filters applied (line endings, …); nil when no file is there.
    public func hashWorkingFile(_ path: String) -> ObjectID? {
        guard let root = workingDirectory else { return nil }
        var info = stat()
        guard lstat(root + "/" + path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { return nil }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            var oid = git_oid()
            guard git_blob_create_from_workdir(&oid, pointer, path) == 0 else {
                forgetError()
                return nil
            }
            return ObjectID(oid)
        }
        var oid = git_oid()
        guard git_repository_hashfile(&oid, pointer, root + "/" + path, GIT_OBJECT_BLOB, path) == 0 else {
            forgetError()
            return nil
        }
        return ObjectID(oid)
    }
}
